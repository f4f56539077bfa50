// Day P&L parts: realized from the broker vs computed from the book's fill ledger, and positions without a price.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../../core/domain/decimal.js';
import { DayPnl } from '../../../../core/engine/risk/day-pnl.js';
import { A, bookWith, ct, d, holdMes, tick } from './risk-fixtures.js';

const MES = 'CON.F.US.MES.H26';
const fill = (qty: number, price: string, extra: { realizedPnl?: string; fees?: string } = {}) => ({
  instrumentId: MES,
  time: 0,
  qty: d(qty),
  price: d(price),
  multiplier: d(5),
  ...(extra.realizedPnl ? { realizedPnl: d(extra.realizedPnl) } : {}),
  ...(extra.fees ? { fees: d(extra.fees) } : {}),
});

describe('risk book: day P&L (issue 13)', () => {
  it('issue 13: realized P&L is computed from the book\'s own average price when the broker does not report it', () => {
    const book = bookWith(undefined);
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    book.onFill(A, fill(2, '6000'));
    book.onFill(A, fill(2, '6010')); // average 6005
    book.onFill(A, fill(-3, '6020')); // 3 x 15 x 5 = 225
    expect(book.view(A, t)!.realized).toBe('225');
    // Reversal: sell 3 from +1 closes 1 at 6030 (+125) and opens -2 at 6030.
    book.onFill(A, fill(-3, '6030'));
    book.onFill(A, fill(2, '6040')); // -2 x 10 x 5 = -100
    expect(book.view(A, t)!.realized).toBe('250');
  });

  it('issue 13: realized P&L and fees are the broker\'s when the fill carries them', () => {
    const book = bookWith(undefined);
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    book.onFill(A, fill(2, '6000', { fees: '1.24' }));
    book.onFill(A, fill(-2, '6020', { realizedPnl: '190', fees: '1.24' }));
    expect(book.view(A, t)).toMatchObject({ realized: '190', fees: '2.48', dayPnl: '187.52' });
  });

  it('issue 13: a position update that arrives before its closing fill keeps the computed realized P&L', () => {
    const book = bookWith(undefined);
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    holdMes(book, 2, '6000'); // seen first as a position (a restart): seeds the ledger
    holdMes(book, 0, '0'); // the broker reports flat before the fill event
    book.onFill(A, fill(-2, '5990'));
    expect(book.view(A, t)!.realized).toBe('-100');
  });

  it('issue 13: a position without a price is unmarked (unrealized partial) until its first quote; a known price marks it at once', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } });
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    holdMes(book, 1, '6000');
    expect(book.view(A, t)).toMatchObject({ marked: false, unrealized: '0', dayPnl: '0' });
    tick(book, '5990', t + 1);
    expect(book.view(A, t + 1)).toMatchObject({ marked: true, unrealized: '-50' });
    book.onQuote('CON.F.US.MES.M26', d('6100'), t + 2);
    book.onPosition(A, { instrumentId: 'CON.F.US.MES.M26', symbol: 'MES', qty: d(-1), avgPrice: d('6110'), multiplier: d(5) });
    expect(book.view(A, t + 2)).toMatchObject({ marked: true, unrealized: '0' });
    book.onPosition(A, { instrumentId: 'NOPRICE', symbol: 'X', qty: d(1), multiplier: d(1) });
    expect(book.view(A, t + 2)!.marked).toBe(false);
  });

  it('issue 13: the largest position kept across marks equals a full scan, whatever the positions and prices (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('hold' as const), i: fc.nat(4), qty: fc.integer({ min: -5, max: 5 }), avg: fc.integer({ min: 1, max: 50 }) }),
      fc.record({ kind: fc.constant('mark' as const), i: fc.nat(4), price: fc.integer({ min: 1, max: 60 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const pnl = new DayPnl();
        const held = new Map<number, { qty: number; avg: number; mark?: number }>();
        const marks = new Map<number, number>();
        for (const s of steps) {
          if (s.kind === 'hold') {
            const mark = marks.get(s.i);
            pnl.setPosition({ instrumentId: `I${s.i}`, symbol: 'X', qty: Decimal.from(s.qty), avgPrice: Decimal.from(s.avg), multiplier: Decimal.from(2) }, mark === undefined ? undefined : Decimal.from(mark));
            if (s.qty === 0) held.delete(s.i);
            else held.set(s.i, { qty: s.qty, avg: s.avg, ...(mark === undefined ? {} : { mark }) });
          } else {
            marks.set(s.i, s.price);
            pnl.mark(`I${s.i}`, Decimal.from(s.price));
            const h = held.get(s.i);
            if (h) h.mark = s.price;
          }
          const values = [...held.values()].map((h) => Math.abs(h.qty * (h.mark ?? h.avg) * 2));
          expect(pnl.largestPositionValue()?.value.toNumber()).toBe(values.length ? Math.max(...values) : undefined);
        }
      }),
      { numRuns: 300 },
    );
  });
});
