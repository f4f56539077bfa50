// AlertThrottle (issue 10 #15): a few alerts per kind and per code in a window, and the count of those held back.
import { describe, expect, it } from 'vitest';
import type { AlertInput } from '../../../../core/domain/alert.js';
import { AlertThrottle } from '../../../../core/brokers/shared/alert-throttle.js';

const junk = (i: number): Omit<AlertInput, 'accountId'> & { accountId: string } => ({
  severity: 'warning', code: 'malformed_message', accountId: 'L', message: `frame ${i} "x${i}" unreadable`,
});

describe('AlertThrottle', () => {
  it('passes the first few of a kind per window, then says how many were held back', () => {
    let now = 0;
    const t = new AlertThrottle(() => now, { windowMs: 60_000, perKind: 2, perCode: 10 });
    const passed = Array.from({ length: 1000 }, (_, i) => t.admit(junk(i))).filter((a) => a !== undefined);
    expect(passed).toHaveLength(2);
    now = 60_000;
    const next = t.admit(junk(1001));
    expect(next?.message).toMatch(/998 similar alerts held back/);
    expect(next?.details).toEqual({ suppressed: 998 });
    expect(t.admit(junk(1002))?.details).toBeUndefined();
  });

  it('caps one account and code across different wordings, but not other accounts or codes', () => {
    const t = new AlertThrottle(() => 0, { perKind: 3, perCode: 5 });
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];
    const passed = words.filter((w) => t.admit({ ...junk(0), message: w }) !== undefined);
    expect(passed).toHaveLength(5);
    expect(t.admit({ ...junk(0), accountId: 'F', message: 'alpha' })).toBeDefined();
    expect(t.admit({ ...junk(0), code: 'drift', message: 'alpha' })).toBeDefined();
  });
});
