// Per-link copy settings (sizing, mapping, filters, caps, windows, policies) as one zod schema.
import { z } from 'zod';
import { Decimal } from './decimal.js';
import { clockTimeSchema, decimalSchema, nonNegativeDecimal, positiveDecimal, symbolSchema } from './schemas.js';

export const SIZING_MODES = ['multiplier', 'fixed', 'equity', 'notional'] as const;
export type SizingMode = (typeof SIZING_MODES)[number];

export const sizingSchema = z
  .object({
    mode: z.enum(SIZING_MODES),
    /** multiplier: ratio (negative = reverse); fixed: quantity; equity: extra factor on the equity ratio; notional: money. */
    value: decimalSchema,
  })
  .superRefine((s, ctx) => {
    if (s.value.isZero()) ctx.addIssue({ code: 'custom', path: ['value'], message: 'must not be 0' });
    if (s.mode !== 'multiplier' && s.value.sign() < 0) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be positive for ${s.mode} sizing (use reverse)` });
    }
  });

export const symbolMapEntrySchema = z.object({
  symbol: symbolSchema,
  /** Follower quantity per leader quantity (10 MES -> 1 ES is 0.1). */
  factor: positiveDecimal.default(Decimal.ONE),
});

export const tradingWindowSchema = z.object({
  /** ISO weekdays 1 (Mon) .. 7 (Sun); all days when omitted. */
  days: z.array(z.number().int().min(1).max(7)).min(1).optional(),
  start: clockTimeSchema,
  end: clockTimeSchema,
  /** IANA time zone; UTC when omitted. */
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'unknown time zone')
    .default('UTC'),
});
export type TradingWindow = z.infer<typeof tradingWindowSchema>;

export const filtersSchema = z
  .object({
    allowSymbols: z.array(symbolSchema).optional(),
    denySymbols: z.array(symbolSchema).default([]),
    minNotional: nonNegativeDecimal.optional(),
    direction: z.enum(['both', 'long_only', 'short_only']).default('both'),
    tradingWindows: z.array(tradingWindowSchema).default([]),
    /** Copy only leader orders whose client id/tag starts with this prefix. */
    tagPrefix: z.string().min(1).max(48).optional(),
  })
  .default({ denySymbols: [], direction: 'both', tradingWindows: [] });

export const capsSchema = z
  .object({
    maxOrderQty: positiveDecimal.optional(),
    maxPositionQty: positiveDecimal.optional(),
    maxPositionNotional: positiveDecimal.optional(),
    maxOpenPositions: z.number().int().positive().optional(),
  })
  .default({});

export const linkSettingsSchema = z.object({
  sizing: sizingSchema,
  /** Multiplies the sized target by -1 (copy long as short). */
  reverse: z.boolean().default(false),
  symbolMap: z.record(symbolSchema, symbolMapEntrySchema).default({}),
  /** When true, instruments missing from symbolMap are copied as the same symbol. */
  copyUnmapped: z.boolean().default(true),
  filters: filtersSchema,
  caps: capsSchema,
  orderType: z.enum(['market', 'marketable_limit']).default('market'),
  /** Marketable-limit buffer in ticks beyond the leader price. */
  limitBufferTicks: z.number().int().min(0).max(1000).default(4),
  reconcilePolicy: z.enum(['repair', 'alert']).default('alert'),
  dryRun: z.boolean().default(false),
  /** Alpaca: what to do outside regular hours. */
  outsideHours: z.enum(['wait', 'skip', 'extended_limit']).default('skip'),
  bracket: z
    .object({ stopLossTicks: z.number().int().positive().optional(), takeProfitTicks: z.number().int().positive().optional() })
    .optional(),
});
export type LinkSettings = z.output<typeof linkSettingsSchema>;
export type LinkSettingsInput = z.input<typeof linkSettingsSchema>;
