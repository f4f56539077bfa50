// Shared zod building blocks: decimals, account ids, clock times.
import { z } from 'zod';
import { Decimal } from './decimal.js';
import { ACCOUNT_ID_PATTERN, type AccountId } from './ids.js';

/** A decimal given as a string or a number; parsed exactly into a Decimal. */
export const decimalSchema = z.union([z.string(), z.number(), z.custom<Decimal>((v) => v instanceof Decimal)]).transform((v, ctx) => {
  const d = Decimal.tryFrom(v);
  if (d === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal number, got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return d;
});

export const positiveDecimal = decimalSchema.refine((d) => d.sign() > 0, 'must be greater than 0');
export const nonNegativeDecimal = decimalSchema.refine((d) => d.sign() >= 0, 'must be 0 or more');

export const accountIdSchema = z
  .string()
  .regex(ACCOUNT_ID_PATTERN, 'letters, digits, _ and - only (1-64 characters, starting with a letter or digit)')
  .transform((s) => s as AccountId);

/** "HH:MM", 24-hour clock. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const symbolSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9./_:-]+$/, 'letters, digits and . / _ : - only');
