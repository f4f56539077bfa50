// Per-link copy settings (sizing, mapping, filters, caps, windows, policies) as one zod schema.
import { z } from 'zod';
import { Decimal } from './decimal.js';
import { unfilledGuardSchema } from './guard-settings.js';
import { clockTimeSchema, symbolSchema } from './schemas.js';

const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/**
 * A decimal in a config or an edit, one rule for JSON numbers and strings: the number's text (`0.5`, `-2`, not `1e300`
 * or `1e+300`) must be a plain decimal with at most 9 decimal places. `max` bounds the absolute value (sizing
 * values are bounded per mode by the sizing schema).
 */
function configDecimal(opts: { min?: 'positive' | 'non-negative'; max?: string } = {}) {
  const max = opts.max === undefined ? undefined : Decimal.from(opts.max);
  return z.union([z.string(), z.number(), z.custom<Decimal>((v) => v instanceof Decimal)]).transform((v, ctx) => {
    if (v instanceof Decimal) return v;
    const text = typeof v === 'number' ? String(v) : v.trim();
    if (!PLAIN_DECIMAL.test(text)) {
      ctx.addIssue({ code: 'custom', message: `expected a decimal number, got ${JSON.stringify(v)} (plain digits such as "0.5", no exponent)` });
      return z.NEVER;
    }
    if ((text.split('.')[1] ?? '').length > 9) {
      ctx.addIssue({ code: 'custom', message: `at most 9 decimal places, got ${text}` });
      return z.NEVER;
    }
    const d = Decimal.from(text);
    if (opts.min === 'positive' && d.sign() <= 0) ctx.addIssue({ code: 'custom', message: 'must be greater than 0' });
    else if (opts.min === 'non-negative' && d.sign() < 0) ctx.addIssue({ code: 'custom', message: 'must be 0 or more' });
    else if (max && d.abs().gt(max)) {
      ctx.addIssue({ code: 'custom', message: opts.min ? `must be at most ${max}` : `must be between -${max} and ${max}` });
    }
    return d;
  });
}

/** Upper bounds of sizing values per mode: far above any real use, low enough to catch a typo such as 1e23. */
export const SIZING_MAX: Readonly<Record<'multiplier' | 'fixed' | 'equity' | 'notional', string>> = {
  multiplier: '1000',
  fixed: '1000000',
  equity: '1000',
  notional: '1000000000',
};
const QTY_MAX = '1000000000';
const MONEY_MAX = '1000000000000';

export const SIZING_MODES = ['multiplier', 'fixed', 'equity', 'notional'] as const;
export type SizingMode = (typeof SIZING_MODES)[number];

export const sizingSchema = z
  .object({
    mode: z.enum(SIZING_MODES),
    /** multiplier: ratio (negative = reverse); fixed: quantity; equity: extra factor on the equity ratio; notional: money. */
    value: configDecimal(),
  })
  .superRefine((s, ctx) => {
    const max = Decimal.from(SIZING_MAX[s.mode]);
    if (s.value.isZero()) ctx.addIssue({ code: 'custom', path: ['value'], message: 'must not be 0' });
    if (s.mode !== 'multiplier' && s.value.sign() < 0) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be positive for ${s.mode} sizing (use reverse)` });
    } else if (s.value.abs().gt(max)) {
      const range = s.mode === 'multiplier' ? `between -${max} and ${max}` : `at most ${max}`;
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be ${range} for ${s.mode} sizing` });
    }
  });

export const symbolMapEntrySchema = z.object({
  symbol: symbolSchema,
  /** Follower quantity per leader quantity (10 MES -> 1 ES is 0.1). */
  factor: configDecimal({ min: 'positive', max: '1000' }).default(Decimal.ONE),
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
    allowSymbols: z.array(symbolSchema).max(1000).optional(),
    denySymbols: z.array(symbolSchema).max(1000).default([]),
    minNotional: configDecimal({ min: 'non-negative', max: MONEY_MAX }).optional(),
    direction: z.enum(['both', 'long_only', 'short_only']).default('both'),
    tradingWindows: z.array(tradingWindowSchema).max(100).default([]),
    /** Copy only leader orders whose client id/tag starts with this prefix. */
    tagPrefix: z.string().min(1).max(48).optional(),
  })
  .default({ denySymbols: [], direction: 'both', tradingWindows: [] });

export const capsSchema = z
  .object({
    maxOrderQty: configDecimal({ min: 'positive', max: QTY_MAX }).optional(),
    maxPositionQty: configDecimal({ min: 'positive', max: QTY_MAX }).optional(),
    maxPositionNotional: configDecimal({ min: 'positive', max: MONEY_MAX }).optional(),
    maxOpenPositions: z.number().int().positive().max(10_000).optional(),
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
    .object({ stopLossTicks: z.number().int().positive().max(100_000).optional(), takeProfitTicks: z.number().int().positive().max(100_000).optional() })
    .optional(),
  /** Follower guard: a copy still unfilled this long after the leader's fill -> alert, or flatten that symbol. */
  unfilledGuard: unfilledGuardSchema.optional(),
});
export type LinkSettings = z.output<typeof linkSettingsSchema>;
export type LinkSettingsInput = z.input<typeof linkSettingsSchema>;
