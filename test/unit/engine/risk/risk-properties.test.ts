// Property (fast-check): whatever the prices, fills, time, restarts and manual locks, a locked account only becomes ok
// again through a person's unlock or the trading day's reset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../core/domain/decimal.js';
import { guardSettingsSchema } from '../../../../core/domain/guard-settings.js';
import { FUTURES_DAY } from '../../../../core/domain/trading-day.js';
import { RiskBook } from '../../../../core/engine/risk/risk-book.js';
import type { RiskState } from '../../../../core/engine/risk/types.js';
import { A, ct, d } from './risk-fixtures.js';

const MES = 'CON.F.US.MES.H26';
const guards = guardSettingsSchema.parse({
  dailyLoss: { limit: '300' },
  profitTarget: { target: '500', action: 'block' },
  trailingDrawdown: { amount: '400', mode: 'intraday' },
  maxDrawdownPct: { percent: 2 },
  autoFlatten: { time: '15:08', warnMinutes: 10 },
});

const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('quote' as const), move: fc.integer({ min: -25, max: 25 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('fill' as const), qty: fc.integer({ min: -3, max: 3 }).filter((q) => q !== 0) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lock' as const), untilDayEnd: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unlock' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

describe('risk book properties (issue 13)', () => {
  it('issue 13: the state never goes from locked to ok without an unlock or a day reset', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        let now = ct(2026, 3, 6, 8);
        let price = Decimal.from(6000);
        let qty = Decimal.ZERO;
        let avg = price;
        let book = new RiskBook();
        const connect = (equity: Decimal) => {
          book.configure(A, guards, FUTURES_DAY);
          book.onAccount(A, { equity, currency: 'USD' });
          book.onPosition(A, { instrumentId: MES, symbol: 'MES', qty, avgPrice: avg, multiplier: d(5) });
          book.onQuote(MES, price, now);
        };
        connect(d(50000));
        book.evaluate(now);
        let prev: RiskState = book.state(A, now);
        let day = book.view(A, now)!.tradingDay;
        for (const o of ops) {
          let unlocked = false;
          if (o.kind === 'quote') {
            price = price.add(o.move);
            book.onQuote(MES, price, now);
          } else if (o.kind === 'fill') {
            book.onFill(A, { instrumentId: MES, time: now, qty: d(o.qty), price, multiplier: d(5) });
            const next = qty.add(o.qty);
            avg = next.isZero() || next.sign() !== qty.sign() ? price : qty.sign() === Math.sign(o.qty) ? avg.mul(qty).add(price.mul(o.qty)).div(next) : avg;
            qty = next;
            book.onPosition(A, { instrumentId: MES, symbol: 'MES', qty, avgPrice: avg, multiplier: d(5) });
          } else if (o.kind === 'wait') {
            now += o.minutes * 60_000;
          } else if (o.kind === 'lock') {
            const until = o.untilDayEnd ? book.view(A, now)!.dayEnd : undefined;
            book.lock(A, { kind: 'manual', reason: 'property', at: now, mode: 'lock', ...(until ? { until } : {}) });
          } else if (o.kind === 'unlock') {
            book.unlock(A);
            unlocked = true;
          } else {
            const saved = JSON.parse(JSON.stringify(book.persisted(A)));
            const equity = d(book.view(A, now)!.equity ?? '50000');
            book = new RiskBook();
            book.restore([saved]);
            connect(equity);
          }
          book.evaluate(now);
          const state = book.state(A, now);
          const today = book.view(A, now)!.tradingDay;
          if (prev === 'locked' && state === 'ok') expect(unlocked || today !== day).toBe(true);
          prev = state;
          day = today;
        }
      }),
      { numRuns: 300 },
    );
  });
});
