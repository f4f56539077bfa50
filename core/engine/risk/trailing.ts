// Trailing drawdown: the high it trails (intraday equity high or end-of-day balance high) and its floor, Topstep-style
// capped at stopAt (once the floor reaches stopAt it stops trailing).
import type { Decimal } from '../../domain/decimal.js';
import type { CompiledGuards } from './guard-checks.js';

export interface Highs {
  /** Highest equity estimate seen (any time, not only today). */
  readonly equityHigh: Decimal | undefined;
  /** Highest closing balance of a trading day (the first day's start balance until a day has closed). */
  readonly eodBalanceHigh: Decimal | undefined;
}

export const raise = (high: Decimal | undefined, value: Decimal | undefined): Decimal | undefined =>
  value === undefined ? high : high === undefined ? value : high.max(value);

export function trailingFloor(guard: NonNullable<CompiledGuards['trailing']>, highs: Highs): { high: Decimal; floor: Decimal } | undefined {
  const high = guard.intraday ? highs.equityHigh : highs.eodBalanceHigh;
  if (high === undefined) return undefined;
  const trailed = high.sub(guard.amount);
  return { high, floor: guard.stopAt === undefined ? trailed : trailed.min(guard.stopAt) };
}
