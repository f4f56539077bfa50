// Risk guards as they cross the wire: per-account guard readings, lock state and auto-flatten countdown.
import { z } from 'zod';
import { GUARD_KINDS } from '../domain/guard-settings.js';
import { guardActionSchema, guardSettingsSchema } from '../domain/guard-settings.js';
import { accountIdSchema } from '../domain/schemas.js';
import { wireDecimal } from './result.js';

/** ok < warning (past warnAt of the limit) < breached (limit reached; the action ran). */
export const guardLevelSchema = z.enum(['ok', 'warning', 'breached']);
/** An account's risk state: trading freely, no new exposure, or flattened and locked. */
export const riskStateSchema = z.enum(['ok', 'warning', 'blocked', 'locked']);

export const guardReadingSchema = z.looseObject({
  kind: z.enum(GUARD_KINDS),
  /** The measured value in the guard's unit (money, or percent for the % guards). */
  value: wireDecimal,
  limit: wireDecimal,
  /** How far from the limit, same unit; 0 once breached. */
  distance: wireDecimal,
  unit: z.enum(['money', 'percent']),
  level: guardLevelSchema,
  action: guardActionSchema,
});

export const lockViewSchema = z.looseObject({
  kind: z.enum(GUARD_KINDS),
  reason: z.string(),
  at: z.number(),
  /** When the lock lifts on its own (the trading day's reset); absent = until a person unlocks. */
  until: z.number().optional(),
  /** 'block': no new exposure; 'lock': no orders at all (after the flatten). */
  mode: z.enum(['block', 'lock']),
});

export const accountRiskSchema = z.looseObject({
  accountId: z.string(),
  /** The trading day (YYYY-MM-DD), its start and end (ms). */
  tradingDay: z.string(),
  dayStart: z.number(),
  dayEnd: z.number(),
  currency: z.string(),
  /** Balance at the day's start, equity now, day P&L net of fees = realized + unrealized - fees. */
  startBalance: wireDecimal.optional(),
  equity: wireDecimal.optional(),
  dayPnl: wireDecimal,
  realized: wireDecimal,
  unrealized: wireDecimal,
  fees: wireDecimal,
  /** False while some position has no price yet (unrealized is then partial). */
  marked: z.boolean(),
  state: riskStateSchema,
  guards: z.array(guardReadingSchema),
  locks: z.array(lockViewSchema),
  /** Next auto-flatten (ms) when configured. */
  autoFlattenAt: z.number().optional(),
});
export type AccountRiskView = z.output<typeof accountRiskSchema>;

export const riskStatusSchema = z.looseObject({ at: z.number(), accounts: z.array(accountRiskSchema) });

/** Requests of the risk channels (registered in channels.ts: risk:status, risk:set-guards, risk:lock, risk:unlock). */
export const riskRequests = {
  status: z.object({ accountId: accountIdSchema.optional() }).strict().optional(),
  setGuards: z.object({ accountId: accountIdSchema, guards: guardSettingsSchema.nullable() }).strict(),
  lock: z.object({ accountId: accountIdSchema, reason: z.string().min(1).max(500) }).strict(),
  unlock: z.object({ accountId: accountIdSchema, reason: z.string().min(1).max(500) }).strict(),
};
