// Issue 11: the futures trading-day start is reused within its day (Intl formatting only when the day may have changed);
// the day is 23 h or 25 h long around daylight-saving changes, and the reuse never crosses a 17:00 Chicago boundary.
import { describe, expect, it } from 'vitest';
import { tradingDayStart } from '../../../../core/brokers/projectx/day-pnl.js';

const at = (iso: string): string => new Date(tradingDayStart(Date.parse(iso))).toISOString();

describe('issue 11: trading day start, reused within the day', () => {
  it('issue 11: follows 17:00 Chicago through spring forward and fall back, called in time order and back again', () => {
    expect(at('2026-03-07T23:30:00Z')).toBe('2026-03-07T23:00:00.000Z'); // Saturday 17:30 CST
    expect(at('2026-03-08T21:59:59Z')).toBe('2026-03-07T23:00:00.000Z'); // Sunday 16:59 CDT: same day (23 h long)
    expect(at('2026-03-08T22:00:00Z')).toBe('2026-03-08T22:00:00.000Z'); // Sunday 17:00 CDT
    expect(at('2026-03-08T22:00:01Z')).toBe('2026-03-08T22:00:00.000Z');
    expect(at('2026-10-31T22:00:00Z')).toBe('2026-10-31T22:00:00.000Z'); // Saturday 17:00 CDT
    expect(at('2026-11-01T21:30:00Z')).toBe('2026-10-31T22:00:00.000Z'); // 23.5 h later, still that day (25 h long)
    expect(at('2026-11-01T22:59:59Z')).toBe('2026-10-31T22:00:00.000Z'); // Sunday 16:59 CST
    expect(at('2026-11-01T23:00:00Z')).toBe('2026-11-01T23:00:00.000Z'); // Sunday 17:00 CST
    expect(at('2026-11-01T22:59:59Z')).toBe('2026-10-31T22:00:00.000Z'); // back in time: not the reused start
  });
});
