// Trailing drawdown (intraday vs end-of-day, stopAt), maximum drawdown from peak, buying power floor, position share.
import { describe, expect, it } from 'vitest';
import { EQUITIES_DAY } from '../../../../core/domain/trading-day.js';
import { A, bookWith, brief, ct, d, et, holdMes, tick } from './risk-fixtures.js';

const trailingReading = (book: ReturnType<typeof bookWith>, at: number) =>
  book.view(A, at)!.guards.find((g) => g.kind === 'trailing_drawdown');

describe('risk book: drawdown and portfolio guards (issue 13)', () => {
  it('issue 13: intraday trailing drawdown trails the equity high during the day; end-of-day does not', () => {
    const intraday = bookWith({ trailingDrawdown: { amount: '1000', mode: 'intraday' } });
    const eod = bookWith({ trailingDrawdown: { amount: '1000', mode: 'end_of_day' } });
    const t0 = ct(2026, 3, 4, 9);
    for (const book of [intraday, eod]) {
      book.evaluate(t0);
      holdMes(book, 10, '6000');
    }
    // 10 MES = 50 per point: 6030 -> equity 51,500 (the intraday high).
    for (const book of [intraday, eod]) expect(tick(book, '6030', t0 + 1)).toEqual([]);
    expect(trailingReading(intraday, t0 + 1)).toMatchObject({ value: '51500', limit: '50500', distance: '1000', level: 'ok' });
    expect(trailingReading(eod, t0 + 1)).toMatchObject({ value: '51500', limit: '49000', distance: '2500', level: 'ok' });
    const warn = tick(intraday, '6014', t0 + 2);
    expect(brief(warn)).toEqual(['trailing_drawdown:warning']);
    expect(warn[0]!.numbers).toMatchObject({ equity: '50700', floor: '50500', high: '51500', mode: 'intraday' });
    const breach = tick(intraday, '6010', t0 + 3);
    expect(brief(breach)).toEqual(['trailing_drawdown:breached']);
    expect(breach[0]!.message).toBe('equity 50,500.00 reached the trailing drawdown floor 50,500.00 (intraday high 51,500.00)');
    expect(intraday.state(A, t0 + 3)).toBe('locked');
    expect(tick(eod, '6010', t0 + 3)).toEqual([]);
    expect(eod.state(A, t0 + 3)).toBe('ok');
  });

  it('issue 13: end-of-day trailing drawdown moves with the closing balance high and stops trailing at stopAt', () => {
    const book = bookWith({ trailingDrawdown: { amount: '2000', mode: 'end_of_day', stopAt: '50000' } });
    let at = ct(2026, 3, 4, 9);
    book.evaluate(at);
    holdMes(book, 10, '6000');
    expect(trailingReading(book, at)!.limit).toBe('48000');
    // Day closes at 51,000 (high 51,500 intraday does not count).
    tick(book, '6030', at + 1);
    tick(book, '6020', at + 2);
    at = ct(2026, 3, 4, 17);
    book.evaluate(at);
    expect(book.persisted(A)!.eodBalanceHigh).toBe('51000');
    expect(trailingReading(book, at)).toMatchObject({ value: '51000', limit: '49000' });
    // Next day closes at 53,000: 53,000 - 2,000 = 51,000 but the floor stops at 50,000.
    tick(book, '6060', at + 1);
    at = ct(2026, 3, 5, 17);
    book.evaluate(at);
    expect(trailingReading(book, at)).toMatchObject({ value: '53000', limit: '50000' });
    tick(book, '6080', at + 1);
    at = ct(2026, 3, 6, 17);
    book.evaluate(at);
    expect(book.persisted(A)!.eodBalanceHigh).toBe('54000');
    expect(trailingReading(book, at)!.limit).toBe('50000');
    // Warning within 20% of the amount (400) of the floor, breach at it.
    expect(brief(tick(book, '6008', at + 1))).toEqual(['trailing_drawdown:warning']);
    const breach = tick(book, '6000', at + 2);
    expect(brief(breach)).toEqual(['trailing_drawdown:breached']);
    expect(breach[0]!.numbers).toMatchObject({ equity: '50000', floor: '50000', high: '54000', stopAt: '50000', mode: 'end_of_day' });
  });

  it('issue 13: maximum drawdown from peak equity warns at 8% and breaches at 10%', () => {
    const book = bookWith({ maxDrawdownPct: { percent: 10 } });
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    holdMes(book, 10, '6000');
    expect(tick(book, '6200', t0 + 1)).toEqual([]); // peak 60,000
    const warn = tick(book, '6104', t0 + 2); // 55,200 = -8%
    expect(brief(warn)).toEqual(['max_drawdown:warning']);
    expect(warn[0]!.numbers).toMatchObject({ peakEquity: '60000', equity: '55200', drawdownPct: '8', limitPct: '10' });
    const breach = tick(book, '6080', t0 + 3); // 54,000 = -10%
    expect(brief(breach)).toEqual(['max_drawdown:breached']);
    expect(breach[0]!.message).toBe('drawdown 10.00% from peak equity 60,000.00 reached the limit 10.00%');
  });

  it('issue 13: minimum buying power as % of equity warns below limit/warnAt and breaches below the limit', () => {
    const book = bookWith({ minBuyingPowerPct: { percent: 20, action: 'block' } });
    const t0 = et(2026, 3, 4, 11);
    book.evaluate(t0);
    const facts = (bp: string) => book.onAccount(A, { equity: d('50000'), buyingPower: d(bp), currency: 'USD' });
    facts('15000');
    expect(book.evaluate(t0 + 1)).toEqual([]);
    facts('12000');
    const warn = book.evaluate(t0 + 2);
    expect(brief(warn)).toEqual(['min_buying_power:warning']);
    expect(warn[0]!.numbers).toMatchObject({ buyingPowerPct: '24', limitPct: '20' });
    facts('9000');
    const breach = book.evaluate(t0 + 3);
    expect(brief(breach)).toEqual(['min_buying_power:breached']);
    expect(breach[0]!.numbers.buyingPowerPct).toBe('18');
    expect(book.state(A, t0 + 3)).toBe('blocked');
  });

  it('issue 13: maximum position value as % of equity warns at 80% of the limit and breaches above it', () => {
    const book = bookWith({ maxPositionPct: { percent: 50 } }, { boundary: EQUITIES_DAY });
    const t0 = et(2026, 3, 4, 11);
    book.evaluate(t0);
    book.onPosition(A, { instrumentId: 'MSFT', symbol: 'MSFT', qty: d(10), avgPrice: d('400'), multiplier: d(1) });
    book.onPosition(A, { instrumentId: 'AAPL', symbol: 'AAPL', qty: d(100), avgPrice: d('200'), multiplier: d(1) });
    book.onQuote('AAPL', d('200'), t0 + 1);
    book.onQuote('MSFT', d('400'), t0 + 1);
    const warn = book.evaluate(t0 + 1); // 20,000 / 50,000 = 40%
    expect(brief(warn)).toEqual(['max_position:warning']);
    expect(warn[0]!.numbers).toMatchObject({ instrumentId: 'AAPL', positionValue: '20000', positionPct: '40' });
    book.onQuote('AAPL', d('300'), t0 + 2); // 30,000 / 60,000 = 50%: not above
    expect(book.evaluate(t0 + 2)).toEqual([]);
    book.onQuote('AAPL', d('301'), t0 + 3); // 30,100 / 60,100
    const breach = book.evaluate(t0 + 3);
    expect(brief(breach)).toEqual(['max_position:breached']);
    expect(breach[0]!.numbers).toMatchObject({ positionValue: '30100', positionPct: '50.083194675' });
  });
});
