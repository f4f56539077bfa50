import { describe, expect, it } from 'vitest';
import { EQUITIES_DAY, FUTURES_DAY, instantOf, nextWallTime, tradingDayOf, wallClock } from '../../../core/domain/trading-day.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('trading days', () => {
  it('a futures day runs 17:00 to 17:00 Chicago and is named by the date it ends on', () => {
    // Tuesday 2026-12-01 16:59 CST (22:59Z) belongs to Tuesday's day; 17:00 starts Wednesday's.
    const before = tradingDayOf(Date.parse('2026-12-01T22:59:00Z'), FUTURES_DAY);
    expect(before.date).toBe('2026-12-01');
    expect(iso(before.startMs)).toBe('2026-11-30T23:00:00.000Z');
    expect(iso(before.endMs)).toBe('2026-12-01T23:00:00.000Z');
    expect(tradingDayOf(Date.parse('2026-12-01T23:00:00Z'), FUTURES_DAY).date).toBe('2026-12-02');
  });

  it('the March DST change makes a 23-hour futures day with the boundary still at 17:00 local', () => {
    // 2026-03-08: Chicago springs forward at 02:00. Saturday 17:00 CST = 23:00Z; Sunday 17:00 CDT = 22:00Z.
    const day = tradingDayOf(Date.parse('2026-03-08T12:00:00Z'), FUTURES_DAY);
    expect(day.date).toBe('2026-03-08');
    expect(iso(day.startMs)).toBe('2026-03-07T23:00:00.000Z');
    expect(iso(day.endMs)).toBe('2026-03-08T22:00:00.000Z');
    expect(day.endMs - day.startMs).toBe(23 * 3_600_000);
  });

  it('the November DST change makes a 25-hour day', () => {
    // 2026-11-01: Chicago falls back at 02:00. Saturday 17:00 CDT = 22:00Z; Sunday 17:00 CST = 23:00Z.
    const day = tradingDayOf(Date.parse('2026-11-01T12:00:00Z'), FUTURES_DAY);
    expect(iso(day.startMs)).toBe('2026-10-31T22:00:00.000Z');
    expect(iso(day.endMs)).toBe('2026-11-01T23:00:00.000Z');
    expect(day.endMs - day.startMs).toBe(25 * 3_600_000);
  });

  it('an equities day is the New York calendar day', () => {
    const day = tradingDayOf(Date.parse('2026-07-01T03:59:00Z'), EQUITIES_DAY);
    expect(day.date).toBe('2026-06-30');
    expect(iso(day.startMs)).toBe('2026-06-30T04:00:00.000Z');
    expect(tradingDayOf(Date.parse('2026-07-01T04:00:00Z'), EQUITIES_DAY).date).toBe('2026-07-01');
  });

  it('a wall time skipped by spring-forward is taken an hour later; a repeated one at its first occurrence', () => {
    expect(iso(instantOf(2026, 3, 8, 2, 30, 'America/Chicago'))).toBe('2026-03-08T08:30:00.000Z');
    expect(iso(instantOf(2026, 3, 8, 3, 30, 'America/Chicago'))).toBe('2026-03-08T08:30:00.000Z');
    expect(iso(instantOf(2026, 11, 1, 1, 30, 'America/Chicago'))).toBe('2026-11-01T06:30:00.000Z');
    expect(iso(instantOf(2026, 10, 25, 2, 30, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantOf(2026, 3, 29, 2, 30, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('nextWallTime finds the next weekday occurrence (auto-flatten at 15:08 Chicago, weekdays)', () => {
    const weekdays = [1, 2, 3, 4, 5];
    // Friday 2026-12-04 15:09 CST is past; the next is Monday 2026-12-07 15:08 CST = 21:08Z.
    expect(iso(nextWallTime(Date.parse('2026-12-04T21:09:00Z'), '15:08', 'America/Chicago', weekdays)!)).toBe('2026-12-07T21:08:00.000Z');
    expect(iso(nextWallTime(Date.parse('2026-12-04T21:00:00Z'), '15:08', 'America/Chicago', weekdays)!)).toBe('2026-12-04T21:08:00.000Z');
    expect(nextWallTime(0, '15:08', 'America/Chicago', [])).toBeUndefined();
    expect(wallClock(Date.parse('2026-12-04T21:08:00Z'), 'America/Chicago').weekday).toBe(5);
  });
});
