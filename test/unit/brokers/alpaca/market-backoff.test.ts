// Outside-hours decisions per link setting and the stream's reconnect backoff (exponential, capped, ±jitter).
import { describe, expect, it } from 'vitest';
import { outsideHoursAction, type MarketSession } from '../../../../core/brokers/alpaca/index.js';
import { backoffDelay, DEFAULT_STREAM_TUNING } from '../../../../core/brokers/alpaca/stream.js';

const closed: MarketSession = { open: false, nextOpen: Date.UTC(2026, 0, 6, 14, 30), nextClose: Date.UTC(2026, 0, 6, 21), brokerTime: 0 };

describe('outsideHoursAction', () => {
  it('sends during regular hours whatever the setting', () => {
    for (const s of ['wait', 'skip', 'extended_limit'] as const) expect(outsideHoursAction({ ...closed, open: true }, s)).toEqual({ kind: 'send' });
  });

  it('waits until the next open, skips with a reason, or goes as an extended-hours limit when closed', () => {
    expect(outsideHoursAction(closed, 'wait')).toEqual({ kind: 'wait', until: closed.nextOpen });
    expect(outsideHoursAction(closed, 'extended_limit')).toEqual({ kind: 'extended_limit' });
    const skip = outsideHoursAction(closed, 'skip');
    expect(skip.kind).toBe('skip');
    expect(skip.kind === 'skip' && skip.reason).toContain('2026-01-06T14:30:00.000Z');
  });
});

describe('backoffDelay', () => {
  const t = DEFAULT_STREAM_TUNING;
  it('doubles from 1 s up to the 64 s cap', () => {
    expect([1, 2, 3, 7, 8, 20].map((n) => backoffDelay(n, t, () => 0.5))).toEqual([1000, 2000, 4000, 64000, 64000, 64000]);
  });

  it('stays within ±20 % jitter', () => {
    expect(backoffDelay(3, t, () => 0)).toBe(3200);
    expect(backoffDelay(3, t, () => 0.999999)).toBeLessThanOrEqual(4800);
  });
});
