// Risk guard settings per account (config and dashboard): limits, warning level, actions, trading-day boundary.
import { z } from 'zod';
import { timeZoneSchema, wallTimeSchema } from './trading-day.js';

/** alert: tell a person. block: no new exposure (exits still copied). flatten_lock: cancel, close, no orders until the
 * trading day's reset or until a person unlocks. */
export const guardActionSchema = z.enum(['alert', 'block', 'flatten_lock']);
export type GuardAction = z.output<typeof guardActionSchema>;

/** Money in the account's currency, as a positive decimal string or number (kept exact as text). */
const money = z
  .union([z.number(), z.string()])
  .transform((v) => String(v))
  .refine((s) => /^\d{1,12}(\.\d{1,8})?$/.test(s) && Number(s) > 0, 'expected a positive amount such as "1000" or 1000.50');
const percent = z.number().gt(0).lte(100);

const limit = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ ...shape, action: guardActionSchema.default('flatten_lock'), enabled: z.boolean().default(true) }).strict();

export const guardSettingsSchema = z
  .object({
    /** Warning at this fraction of each limit (0.8 = 80%). */
    warnAt: z.number().gt(0).lt(1).default(0.8),
    /** Start of the trading day; default by broker (futures 17:00 America/Chicago, equities 00:00 America/New_York). */
    tradingDay: z.object({ time: wallTimeSchema, timeZone: timeZoneSchema }).strict().optional(),
    /** Net day P&L (realized + unrealized - fees) at or below -limit. */
    dailyLoss: limit({ limit: money }).optional(),
    /** Net day P&L at or above target. */
    profitTarget: limit({ target: money }).optional(),
    /** Equity below (high - amount); intraday high or end-of-day balance high; stops trailing at stopAt (Topstep). */
    trailingDrawdown: limit({ amount: money, mode: z.enum(['intraday', 'end_of_day']).default('end_of_day'), stopAt: money.optional() }).optional(),
    /** Equity below peak equity by this percent (emergency liquidation). */
    maxDrawdownPct: limit({ percent }).optional(),
    /** Buying power below this percent of equity. */
    minBuyingPowerPct: limit({ percent }).optional(),
    /** Any one position's market value above this percent of equity. */
    maxPositionPct: limit({ percent }).optional(),
    /** Close everything at a time of day and block new exposure until the trading day's reset. */
    autoFlatten: z
      .object({
        time: wallTimeSchema,
        timeZone: timeZoneSchema.default('America/Chicago'),
        /** 0 = Sunday .. 6 = Saturday. */
        weekdays: z.array(z.number().int().min(0).max(6)).max(7).default([1, 2, 3, 4, 5]),
        warnMinutes: z.number().int().min(0).max(120).default(5),
        enabled: z.boolean().default(true),
      })
      .strict()
      .optional(),
  })
  .strict();
export type GuardSettings = z.output<typeof guardSettingsSchema>;
export type GuardSettingsInput = z.input<typeof guardSettingsSchema>;

/** Per link: a copy not filled within `afterSeconds` of the leader's fill. */
export const unfilledGuardSchema = z
  .object({ afterSeconds: z.number().gt(0).max(3600), action: z.enum(['alert', 'flatten']).default('alert') })
  .strict();
export type UnfilledGuard = z.output<typeof unfilledGuardSchema>;

export const GUARD_KINDS = [
  'daily_loss',
  'profit_target',
  'trailing_drawdown',
  'max_drawdown',
  'min_buying_power',
  'max_position',
  'auto_flatten',
  'unfilled_copy',
  'manual',
] as const;
export type GuardKind = (typeof GUARD_KINDS)[number];
