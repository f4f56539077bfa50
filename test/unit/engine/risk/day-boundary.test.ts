// Trading day boundary and reset: futures 17:00 Chicago, equities 00:00 New York, across the March and November DST changes.
import { describe, expect, it } from 'vitest';
import { EQUITIES_DAY } from '../../../../core/domain/trading-day.js';
import { A, bookWith, brief, ct, d, et, holdMes, tick } from './risk-fixtures.js';

const HOUR = 3_600_000;

describe('risk book: trading day boundary and reset (issue 13)', () => {
  it('issue 13: futures day 17:00 Chicago over the March DST change (23 h): lock lifts at the reset, day restarts', () => {
    const book = bookWith({ dailyLoss: { limit: '500' } });
    const sunday = ct(2026, 3, 8, 10); // DST began 02:00 this Sunday
    book.evaluate(sunday);
    const v = book.view(A, sunday)!;
    expect(v.tradingDay).toBe('2026-03-08');
    expect(v.dayStart).toBe(ct(2026, 3, 7, 17));
    expect(v.dayEnd - v.dayStart).toBe(23 * HOUR);
    book.onFill(A, { instrumentId: 'CON.F.US.MES.H26', time: sunday, qty: d(2), price: d('6000'), multiplier: d(5), fees: d('1.5') });
    holdMes(book, 2, '6000');
    const breach = tick(book, '5949', sunday + 1000);
    expect(brief(breach)).toEqual(['daily_loss:breached']);
    expect(breach[0]!.numbers.dayPnl).toBe('-511.5');
    const end = ct(2026, 3, 8, 17);
    expect(breach[0]!.until).toBe(end);
    expect(end - sunday).toBe(7 * HOUR);
    expect(book.nextWake(sunday + 1000)).toBe(end);
    expect(book.evaluate(end - 1)).toEqual([]);
    expect(book.state(A, end - 1)).toBe('locked');
    expect(book.evaluate(end)).toEqual([]);
    expect(book.state(A, end)).toBe('ok');
    const next = book.view(A, end)!;
    // The position is still held at 5949: the new day starts at 0 with the closing equity as its start balance.
    expect(next).toMatchObject({ tradingDay: '2026-03-09', dayPnl: '0', fees: '0', startBalance: '49488.5', equity: '49488.5', locks: [] });
    expect(next.dayEnd - next.dayStart).toBe(24 * HOUR);
    expect(book.persisted(A)!.levels).toEqual({});
    // The new day measures from the close: -51 * 2 * 5 = -510 breaches again, once.
    expect(brief(tick(book, '5898', end + 1000))).toEqual(['daily_loss:breached']);
    // Closing the position realizes the whole move since entry; the day still counts only today's part.
    book.onFill(A, { instrumentId: 'CON.F.US.MES.H26', time: end + 2000, qty: d(-2), price: d('5898'), multiplier: d(5) });
    holdMes(book, 0, '0');
    expect(book.view(A, end + 2000)).toMatchObject({ dayPnl: '-510', unrealized: '0', marked: true });
  });

  it('issue 13: futures day over the November DST change is 25 h and ends at 17:00 CST', () => {
    const book = bookWith({ profitTarget: { target: '100' } });
    const t = ct(2026, 11, 1, 12);
    book.evaluate(t);
    const v = book.view(A, t)!;
    expect(v.tradingDay).toBe('2026-11-01');
    expect(v.dayEnd).toBe(ct(2026, 11, 1, 17));
    expect(v.dayEnd - v.dayStart).toBe(25 * HOUR);
    expect(new Date(v.dayEnd).toISOString()).toBe('2026-11-01T23:00:00.000Z');
    holdMes(book, 1, '6000');
    expect(brief(tick(book, '6020', t + 1))).toEqual(['profit_target:breached']);
    expect(book.state(A, v.dayEnd - 1)).toBe('locked');
    book.evaluate(v.dayEnd);
    expect(book.state(A, v.dayEnd)).toBe('ok');
  });

  it('issue 13: equities day 00:00 New York: March (23 h) and November (25 h) days, reset at midnight ET', () => {
    for (const [y, mo, day, hours] of [[2026, 3, 8, 23], [2026, 11, 1, 25], [2026, 6, 10, 24]] as const) {
      const book = bookWith({ dailyLoss: { limit: '50' } }, { boundary: EQUITIES_DAY });
      const noon = et(y, mo, day, 12);
      book.evaluate(noon);
      const v = book.view(A, noon)!;
      expect(v.tradingDay).toBe(`${y}-${String(mo).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
      expect(v.dayStart).toBe(et(y, mo, day, 0));
      expect(v.dayEnd - v.dayStart).toBe(hours * HOUR);
      book.onPosition(A, { instrumentId: 'AAPL', symbol: 'AAPL', qty: d(10), avgPrice: d('200'), multiplier: d(1) });
      book.onQuote('AAPL', d('194'), noon + 1);
      const ds = book.evaluate(noon + 1);
      expect(brief(ds)).toEqual(['daily_loss:breached']);
      expect(ds[0]!.until).toBe(v.dayEnd);
      book.evaluate(v.dayEnd);
      expect(book.state(A, v.dayEnd)).toBe('ok');
      expect(book.view(A, v.dayEnd)!.dayStart).toBe(v.dayEnd);
    }
  });

  it('issue 13: the start balance is the broker start-of-day equity when reported, else the first equity of the day', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } }, { equity: '10200' });
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    expect(book.view(A, t)!.startBalance).toBe('10200');
    book.onAccount(A, { equity: d('10250'), startEquity: d('10000'), currency: 'USD' });
    book.evaluate(t + 1);
    expect(book.view(A, t + 1)!.startBalance).toBe('10000');
  });

  it('issue 13: after the reset the previous day\'s broker startEquity (still reported) does not replace the closing balance', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } }, { boundary: EQUITIES_DAY });
    book.onAccount(A, { equity: d('10000'), startEquity: d('9800'), currency: 'USD' });
    const t = et(2026, 3, 4, 11);
    book.evaluate(t);
    book.onPosition(A, { instrumentId: 'AAPL', symbol: 'AAPL', qty: d(10), avgPrice: d('100'), multiplier: d(1) });
    book.onQuote('AAPL', d('110'), t + 1);
    book.evaluate(t + 1);
    expect(book.view(A, t + 1)).toMatchObject({ startBalance: '9800', dayPnl: '100', equity: '9900' });
    const midnight = et(2026, 3, 5, 0);
    book.evaluate(midnight);
    expect(book.view(A, midnight)).toMatchObject({ tradingDay: '2026-03-05', startBalance: '9900', dayPnl: '0' });
    book.onAccount(A, { equity: d('9900'), startEquity: d('9800'), currency: 'USD' });
    book.evaluate(midnight + 1);
    expect(book.view(A, midnight + 1)!.startBalance).toBe('9900');
    // Once the broker rolls its own day, its figure counts again.
    book.onAccount(A, { equity: d('9910'), startEquity: d('9905'), currency: 'USD' });
    book.evaluate(midnight + 2);
    expect(book.view(A, midnight + 2)!.startBalance).toBe('9905');
  });

  it('issue 13: without a start-of-day equity the start balance is the broker equity less its reported day P&L', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } }, { equity: '0.01' });
    book.onAccount(A, { equity: d('10150'), brokerDayPnl: d('150'), currency: 'USD' });
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    expect(book.view(A, t)!.startBalance).toBe('10000');
  });

  it('issue 13: a position held over the reset without a price yet counts from its first price of the new day', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } });
    const t = ct(2026, 3, 4, 16);
    book.evaluate(t);
    holdMes(book, 2, '6000');
    const end = ct(2026, 3, 4, 17);
    book.evaluate(end);
    expect(book.view(A, end)).toMatchObject({ tradingDay: '2026-03-05', marked: false, dayPnl: '0' });
    // First price of the new day: 6050 (+500 since entry, all of it before today's first price).
    tick(book, '6050', end + 1000);
    expect(book.view(A, end + 1000)).toMatchObject({ marked: true, unrealized: '500', dayPnl: '0' });
    tick(book, '6040', end + 2000);
    expect(book.view(A, end + 2000)!.dayPnl).toBe('-100');
  });
});
