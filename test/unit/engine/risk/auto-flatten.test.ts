// Auto-flatten at a time of day: warning minutes before, the flatten_lock decision at the time, weekdays only.
import { describe, expect, it } from 'vitest';
import { A, bookWith, brief, ct } from './risk-fixtures.js';

const MIN = 60_000;
const guards = { autoFlatten: { time: '15:08', timeZone: 'America/Chicago', warnMinutes: 5 } };

describe('risk book: auto-flatten (issue 13)', () => {
  it('issue 13: auto-flatten warns 5 minutes before and decides flatten_lock at 15:08 CT until the day ends', () => {
    const book = bookWith(guards);
    const morning = ct(2026, 3, 4, 9); // a Wednesday
    expect(book.evaluate(morning)).toEqual([]);
    const flattenAt = ct(2026, 3, 4, 15, 8);
    expect(book.view(A, morning)!.autoFlattenAt).toBe(flattenAt);
    expect(book.nextWake(morning)).toBe(flattenAt - 5 * MIN);
    expect(book.evaluate(flattenAt - 5 * MIN - 1)).toEqual([]);
    const warn = book.evaluate(flattenAt - 5 * MIN);
    expect(warn).toEqual([
      expect.objectContaining({ kind: 'auto_flatten', level: 'warning', action: 'flatten_lock', message: 'auto-flatten in 5 min' }),
    ]);
    expect(warn[0]!.until).toBeUndefined();
    expect(book.state(A, flattenAt - 5 * MIN)).toBe('warning');
    expect(book.nextWake(flattenAt - 5 * MIN)).toBe(flattenAt);
    expect(book.evaluate(flattenAt - 1)).toEqual([]);
    const due = book.evaluate(flattenAt);
    const dayEnd = ct(2026, 3, 4, 17);
    expect(due).toEqual([expect.objectContaining({ kind: 'auto_flatten', level: 'breached', action: 'flatten_lock', until: dayEnd })]);
    expect(due[0]!.numbers).toMatchObject({ at: String(flattenAt) });
    expect(book.state(A, flattenAt)).toBe('locked');
    expect(book.evaluate(flattenAt + MIN)).toEqual([]);
    expect(book.view(A, flattenAt + MIN)!.autoFlattenAt).toBe(ct(2026, 3, 5, 15, 8));
    expect(book.nextWake(flattenAt)).toBe(dayEnd);
    book.evaluate(dayEnd);
    expect(book.state(A, dayEnd)).toBe('ok');
    // Thursday's warning is next.
    expect(book.nextWake(dayEnd)).toBe(ct(2026, 3, 5, 15, 3));
  });

  it('issue 13: auto-flatten skips the weekend days: no decision on the Saturday-Sunday trading days', () => {
    const book = bookWith(guards);
    const friday = ct(2026, 3, 6, 16); // after Friday's flatten: that day is done
    expect(brief(book.evaluate(friday))).toEqual(['auto_flatten:breached']);
    const saturday = ct(2026, 3, 7, 15, 8);
    expect(book.evaluate(saturday)).toEqual([]);
    // The countdown shows the next one: Monday 15:08 (CDT after the March change).
    expect(book.view(A, saturday)!.autoFlattenAt).toBe(ct(2026, 3, 9, 15, 8));
    expect(book.nextWake(saturday)).toBe(ct(2026, 3, 7, 17));
    const sunday = ct(2026, 3, 8, 15, 8);
    expect(book.evaluate(sunday)).toEqual([]);
    expect(book.state(A, sunday)).toBe('ok');
    // The day opening Sunday 17:00 is Monday's: it flattens Monday 15:08 CDT.
    book.evaluate(ct(2026, 3, 8, 17));
    expect(book.nextWake(ct(2026, 3, 8, 17))).toBe(ct(2026, 3, 9, 15, 3));
    expect(brief(book.evaluate(ct(2026, 3, 9, 15, 8)))).toEqual(['auto_flatten:breached']);
  });

  it('issue 13: starting after the flatten time decides the breach only, without a warning', () => {
    const book = bookWith(guards);
    const late = ct(2026, 3, 4, 15, 30);
    expect(brief(book.evaluate(late))).toEqual(['auto_flatten:breached']);
  });

  it('issue 13: auto-flatten with warnMinutes 0 gives only the decision at the time', () => {
    const book = bookWith({ autoFlatten: { time: '15:08', warnMinutes: 0 } });
    const flattenAt = ct(2026, 3, 4, 15, 8);
    book.evaluate(ct(2026, 3, 4, 9));
    expect(book.nextWake(ct(2026, 3, 4, 9))).toBe(flattenAt);
    expect(brief(book.evaluate(flattenAt))).toEqual(['auto_flatten:breached']);
  });
});
