// Issue 13: guards acting on the clock alone (no tick): auto-flatten at a time of day with its warning before, the lock
// until the trading day's reset; and a profit target that blocks new exposure while exits are still copied.
import { describe, expect, it } from 'vitest';
import { instantOf } from '../../../core/domain/trading-day.js';
import { TestClock } from '../../support/test-clock.js';
import { F1, movePrice, orderCount, riskWorld, settleRisk } from './risk-world.js';

const mirror = { sizing: { mode: 'multiplier', value: '1' } } as const;
const ct = (h: number, m: number) => instantOf(2026, 1, 5, h, m, 'America/Chicago');

describe('risk guards on the clock', () => {
  it('issue 13 #11: auto-flatten at 15:08 Chicago: warning 5 min before, flat and locked at the time, copying again after the 17:00 reset', async () => {
    // Started off the second: the periodic account re-reads never land on 15:03 or 15:08 exactly, the wake does.
    const w = await riskWorld({
      clock: new TestClock(Date.UTC(2026, 0, 5, 14, 30) + 1_234),
      links: [{ follower: 'F1', ...mirror }, { follower: 'F2', ...mirror }],
      guards: { F1: { autoFlatten: { time: '15:08', timeZone: 'America/Chicago', warnMinutes: 5 } } },
    });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('2');
    await w.clock.advanceAsync(ct(15, 3) - w.clock.now());
    await settleRisk(w);
    expect(w.alerts.filter((a) => a.code === 'risk_warning').map((a) => a.message)).toEqual(['auto-flatten in 5 min']);
    expect(w.pos('F1', 'MES')).toBe('2');
    await w.clock.advanceAsync(ct(15, 8) - w.clock.now());
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    expect(w.pos('F2', 'MES')).toBe('2');
    expect(w.engine.riskStatus(F1).accounts[0]).toMatchObject({ state: 'locked', locks: [{ kind: 'auto_flatten', until: ct(17, 0) }] });
    const acted = w.journal.risk.actions(F1).filter((a) => a.kind === 'auto_flatten' && a.action === 'flatten_lock');
    expect(acted.map((a) => [a.level, a.time])).toEqual([['breached', ct(15, 8)], ['warning', ct(15, 3)]]);
    const sent = orderCount(w, 'F1');
    w.trade('MES', 'sell', 2);
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(orderCount(w, 'F1')).toBe(sent);
    await w.clock.advanceAsync(ct(17, 0) - w.clock.now() + 1);
    await settleRisk(w);
    expect(w.engine.riskStatus(F1).accounts[0]!.state).toBe('ok');
    w.trade('MES', 'sell', 1);
    w.trade('MES', 'buy', 3);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('3');
  });

  it('issue 13 #12: a profit target with action block: no new exposure once reached, the exit is copied', async () => {
    const w = await riskWorld({ links: [{ follower: 'F1', ...mirror }], guards: { F1: { profitTarget: { target: '500', action: 'block' } } } });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    await movePrice(w, 'MES', '6060');
    expect(w.engine.riskStatus(F1).accounts[0]).toMatchObject({ state: 'blocked', locks: [{ kind: 'profit_target', mode: 'block' }] });
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('2');
    w.trade('MES', 'sell', 3);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    // Flat and blocked: a new short is new exposure too.
    w.trade('MES', 'sell', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
  });
});
