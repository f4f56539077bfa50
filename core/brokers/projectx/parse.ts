// ProjectX wire parsing: tolerant zod schemas for REST rows and hub events (wrapped or bare, nulls omitted),
// 64-bit ids as strings, 7-digit .NET timestamps, and the mapping of enums onto domain types.
import { z } from 'zod';
import { Decimal } from '../../domain/decimal.js';
import type { OrderStatus } from '../../domain/order-fsm.js';
import type { OrderType } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';

const num = z.union([z.number(), z.string()]);
const opt = <T extends z.ZodType>(s: T) => s.nullish().transform((v) => v ?? undefined);
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
const decimal = num.transform((v, ctx) => {
  const d = Decimal.tryFrom(v);
  if (d === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a decimal: ${String(v)}` });
    return z.NEVER;
  }
  return d;
});

/** Parses ISO-8601 with up to 7 fractional digits and Z or an offset; returns ms since epoch. */
export function parseTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : ms;
}
const time = z.string().transform((v, ctx) => {
  const t = parseTime(v);
  if (t === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${v}` });
    return z.NEVER;
  }
  return t;
});

export const accountSchema = z.object({
  id: id, name: z.string(), balance: decimal, canTrade: z.boolean(), isVisible: opt(z.boolean()), simulated: opt(z.boolean()),
});
export type PxAccount = z.output<typeof accountSchema>;

export const contractSchema = z.object({
  id: z.string(), name: z.string(), description: opt(z.string()), tickSize: decimal, tickValue: decimal,
  activeContract: z.boolean(), symbolId: opt(z.string()),
});
export type PxContract = z.output<typeof contractSchema>;

export const orderSchema = z.object({
  id: id, accountId: id, contractId: z.string(), creationTimestamp: time, updateTimestamp: opt(time),
  status: z.number().int(), type: z.number().int(), side: z.union([z.literal(0), z.literal(1)]), size: z.number().int(),
  limitPrice: opt(decimal), stopPrice: opt(decimal), fillVolume: opt(z.number().int()), filledPrice: opt(decimal),
  customTag: opt(z.string()), parentOrderId: opt(id), linkedOrderId: opt(id),
});
export type PxOrder = z.output<typeof orderSchema>;

export const positionSchema = z.object({
  id: id, accountId: id, contractId: z.string(), type: z.number().int(), size: z.number().int().nonnegative(),
  averagePrice: opt(decimal), contractDisplayName: opt(z.string()),
});
export type PxPosition = z.output<typeof positionSchema>;

export const tradeSchema = z.object({
  id: id, accountId: id, contractId: z.string(), creationTimestamp: time, price: decimal, profitAndLoss: opt(decimal),
  fees: opt(decimal), side: z.union([z.literal(0), z.literal(1)]), size: z.number().int().positive(), voided: opt(z.boolean()),
  orderId: id,
});
export type PxTrade = z.output<typeof tradeSchema>;

/** A fill's money facts for Execution: profitAndLoss (absent/null on opening half-turns) and fees, as reported. */
export function tradeMoney(t: Pick<PxTrade, 'profitAndLoss' | 'fees'>): { realizedPnl?: Decimal; fees?: Decimal } {
  return { ...(t.profitAndLoss !== undefined ? { realizedPnl: t.profitAndLoss } : {}), ...(t.fees !== undefined ? { fees: t.fees } : {}) };
}

/** Hub events carry `{action, data}` (observed) or the bare entity (docs); null padding entries are skipped. */
export function unwrap(arg: unknown): unknown {
  if (arg && typeof arg === 'object' && 'data' in arg && (arg as { data: unknown }).data && typeof (arg as { data: unknown }).data === 'object') {
    return (arg as { data: unknown }).data;
  }
  return arg;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): ParseResult<z.output<S>> {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
}

export const sideOf = (s: 0 | 1): Side => (s === 0 ? 'buy' : 'sell');
export const wireSide = (s: Side): 0 | 1 => (s === 'buy' ? 0 : 1);
export const orderTypeOf = (t: number): OrderType => (t === 1 ? 'limit' : 'market');

/** Status rank for monotonicity: a lower-ranked update after a higher one is a stale, reordered event. */
export function statusOf(o: Pick<PxOrder, 'status' | 'fillVolume'>): OrderStatus {
  switch (o.status) {
    case 2:
      return 'filled';
    case 3:
      return 'cancelled';
    case 4:
      return 'expired';
    case 5:
      return 'rejected';
    case 7:
      return 'cancel_requested';
    default:
      return (o.fillVolume ?? 0) > 0 ? 'partially_filled' : 'accepted';
  }
}

const RANK: Record<OrderStatus, number> = {
  planned: 0, unknown: 0, not_placed: 0, dry_run: 0, accepted: 1, partially_filled: 2, cancel_requested: 3,
  filled: 4, cancelled: 4, rejected: 4, expired: 4,
};
export const statusRank = (s: OrderStatus): number => RANK[s];

/** A futures root from a contract name: MESZ6 -> MES, ESZ26 -> ES. */
export function rootOf(contractName: string): string {
  return /^([A-Z0-9]+?)[FGHJKMNQUVXZ]\d{1,2}$/.exec(contractName)?.[1] ?? contractName;
}
