// ProjectX orders on the wire and in reports: working-order reads (Suspended bracket children included), the
// BrokerOrder a wire order maps to (contract id, bracket parent and role), signed bracket ticks for Order/place.
import { Decimal } from '../../domain/decimal.js';
import { brokerOrderId, clientOrderId, type AccountId } from '../../domain/ids.js';
import type { BrokerOrder, OrderRequest } from '../../domain/order.js';
import type { ProjectXClient } from './client.js';
import { orderSchema, orderTypeOf, parseWith, sideOf, statusOf, type PxOrder } from './parse.js';

export const WORKING_STATUSES = [1, 6, 7, 8];
/** Working orders older than this are not looked for where Order/v2/query is missing. */
const WORKING_LOOKBACK_MS = 7 * 24 * 3_600_000;

/**
 * Working orders via Order/v2/query (statuses 1,6,7,8). Where v2 is missing, Order/search over the last days
 * filtered to those statuses: Order/searchOpen would hide Suspended bracket children.
 */
export async function readWorkingOrders(client: ProjectXClient, accountId: number, nowMs: number): Promise<PxOrder[]> {
  let rows: unknown[];
  try {
    const body = await client.call<{ orders?: unknown[] }>('Order/v2/query', { filter: { accountId, statuses: WORKING_STATUSES } }, { priority: 'query' });
    rows = body.orders ?? [];
  } catch (err) {
    if ((err as { code?: string }).code !== 'unsupported') throw err;
    const startTimestamp = new Date(nowMs - WORKING_LOOKBACK_MS).toISOString();
    rows = (await client.call<{ orders?: unknown[] }>('Order/search', { accountId, startTimestamp }, { priority: 'query' })).orders ?? [];
  }
  const out: PxOrder[] = [];
  for (const row of rows) {
    const o = parseWith(orderSchema, row);
    if (o.ok && WORKING_STATUSES.includes(o.value.status)) out.push(o.value);
  }
  return out;
}

/** The report of one wire order; bracket children (a parentOrderId) are the stop loss (Stop) or take profit (Limit). */
export function orderReport(px: PxOrder, accountId: AccountId, symbol: string): BrokerOrder {
  const filled = Decimal.from(px.fillVolume ?? 0);
  return {
    accountId, brokerOrderId: brokerOrderId(px.id), symbol, instrumentId: px.contractId, side: sideOf(px.side), qty: Decimal.from(px.size),
    filledQty: px.status === 2 && filled.isZero() ? Decimal.from(px.size) : filled, type: orderTypeOf(px.type),
    status: statusOf(px), updatedAt: px.updateTimestamp ?? px.creationTimestamp, raw: px,
    ...(px.customTag ? { clientOrderId: clientOrderId(px.customTag) } : {}),
    ...(px.filledPrice ? { avgFillPrice: px.filledPrice } : {}),
    ...(px.limitPrice ? { limitPrice: px.limitPrice } : {}),
    ...(px.status === 5 ? { rejectReason: 'rejected by ProjectX' } : {}),
    ...(px.parentOrderId ? { parentOrderId: brokerOrderId(px.parentOrderId), role: px.type === 1 ? 'take_profit' as const : 'stop_loss' as const } : {}),
  };
}

/** Signed bracket ticks: a long's stop is below (negative) and target above; stop leg type 4, target type 1. */
export function bracketFields(req: OrderRequest): Record<string, unknown> {
  const b = req.bracket;
  if (!b) return {};
  const dir = req.side === 'buy' ? 1 : -1;
  return {
    ...(b.stopLossTicks ? { stopLossBracket: { ticks: -dir * Math.abs(b.stopLossTicks), type: 4 } } : {}),
    ...(b.takeProfitTicks ? { takeProfitBracket: { ticks: dir * Math.abs(b.takeProfitTicks), type: 1 } } : {}),
  };
}

/** A Map that forgets its oldest entries beyond `limit` (long sessions). */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value as K);
    return this;
  }
}
