// Shared set-up for the risk book tests: one account with guards, a position, facts and Chicago wall-clock instants.
import { Decimal } from '../../../../core/domain/decimal.js';
import { guardSettingsSchema, type GuardSettingsInput } from '../../../../core/domain/guard-settings.js';
import { accountId } from '../../../../core/domain/ids.js';
import { FUTURES_DAY, instantOf, type TradingDayBoundary } from '../../../../core/domain/trading-day.js';
import { RiskBook } from '../../../../core/engine/risk/risk-book.js';
import type { RiskDecision } from '../../../../core/engine/risk/types.js';

export const A = accountId('F1');
export const B = accountId('F2');
export const d = (v: string | number) => Decimal.from(v);

/** Wall-clock instant in Chicago (CT). */
export const ct = (y: number, mo: number, day: number, h: number, mi = 0) => instantOf(y, mo, day, h, mi, 'America/Chicago');
/** Wall-clock instant in New York (ET). */
export const et = (y: number, mo: number, day: number, h: number, mi = 0) => instantOf(y, mo, day, h, mi, 'America/New_York');

export function bookWith(guards: GuardSettingsInput | undefined, opts: { equity?: string; boundary?: TradingDayBoundary } = {}): RiskBook {
  const book = new RiskBook();
  book.configure(A, guards === undefined ? undefined : guardSettingsSchema.parse(guards), opts.boundary ?? FUTURES_DAY);
  book.onAccount(A, { equity: d(opts.equity ?? '50000'), currency: 'USD' });
  return book;
}

/** Long or short `qty` MES (multiplier 5) at `avg`. */
export function holdMes(book: RiskBook, qty: number, avg: string, id = A): void {
  book.onPosition(id, { instrumentId: 'CON.F.US.MES.H26', symbol: 'MES', qty: d(qty), avgPrice: d(avg), multiplier: d(5) });
}

export function tick(book: RiskBook, price: string, at: number): RiskDecision[] {
  book.onQuote('CON.F.US.MES.H26', d(price), at);
  return book.evaluate(at);
}

export const brief = (ds: readonly RiskDecision[]) => ds.map((x) => `${x.kind}:${x.level}`);
