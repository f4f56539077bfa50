// Issue 13: risk guards acting inside the engine: warning then breach, alert, block (entries refused, exits copied),
// flatten and lock (flat, no orders until the trading day's reset, no repair back in).
import { describe, expect, it } from 'vitest';
import { instantOf } from '../../../core/domain/trading-day.js';
import { F1, F2, movePrice, orderCount, riskWorld, settleRisk } from './risk-world.js';

const mirror = { sizing: { mode: 'multiplier', value: '1' } } as const;
const links = [{ follower: 'F1', ...mirror }, { follower: 'F2', ...mirror }];

describe('risk guards in the engine', () => {
  it('issue 13 #1: warning then breach of a daily loss limit with action alert: alerts and notifies, copying goes on', async () => {
    const w = await riskWorld({ links, guards: { F1: { dailyLoss: { limit: '1000', action: 'alert' } } } });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('2');
    await movePrice(w, 'MES', '5905');
    expect(w.alerts.filter((a) => a.code === 'risk_warning').map((a) => a.accountId)).toEqual([F1]);
    expect(w.notified.map((a) => a.code)).toContain('risk_warning');
    expect(w.engine.riskStatus(F1).accounts[0]).toMatchObject({ state: 'warning', dayPnl: expect.anything() });
    await movePrice(w, 'MES', '5895');
    const breach = w.alerts.filter((a) => a.code === 'risk_breached');
    expect(breach).toHaveLength(1);
    expect(breach[0]!.severity).toBe('critical');
    expect(w.notified.map((a) => a.code)).toContain('risk_breached');
    // alert only: the follower keeps its position and keeps copying
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('3');
    const actions = w.journal.risk.actions(F1);
    expect(actions.map((a) => `${a.kind}:${a.level}:${a.action}`)).toEqual(['daily_loss:breached:alert', 'daily_loss:warning:alert']);
    expect(actions[0]!.numbers).toMatchObject({ realized: expect.any(String), unrealized: expect.any(String) });
  });

  it('issue 13 #2: block: a blocked follower gets no new exposure, the leader\'s exit is still copied', async () => {
    const w = await riskWorld({ links, guards: { F1: { dailyLoss: { limit: '1000', action: 'block' } } } });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    await movePrice(w, 'MES', '5890');
    expect(w.engine.riskStatus(F1).accounts[0]!.state).toBe('blocked');
    expect(w.pos('F1', 'MES')).toBe('2');
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('2');
    expect(w.pos('F2', 'MES')).toBe('4');
    const refused = w.journal.queries.listCopies({ followerAccountId: F1, status: 'not_placed' }).items;
    expect(refused).toHaveLength(1);
    expect(refused[0]!.error).toMatch(/^refused by risk guard: F1 is blocked \(exits only\): daily loss/);
    expect(w.alertCodes()).toContain('copy_refused');
    w.trade('MES', 'sell', 4);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    expect(w.pos('F2', 'MES')).toBe('0');
  });

  it('issue 13 #3: flatten_lock: the follower is flat at once, receives no order until the reset, the others keep copying', async () => {
    const w = await riskWorld({ links, guards: { F1: { dailyLoss: { limit: '1000', action: 'flatten_lock' } } } });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    await movePrice(w, 'MES', '5890');
    expect(w.pos('F1', 'MES')).toBe('0');
    expect(w.pos('F2', 'MES')).toBe('2');
    const view = w.engine.riskStatus(F1).accounts[0]!;
    expect(view.state).toBe('locked');
    expect(view.locks[0]).toMatchObject({ kind: 'daily_loss', mode: 'lock' });
    const flattens = w.journal.queries.listCopies({ followerAccountId: F1 }).items.filter((c) => c.purpose === 'flatten');
    expect(flattens.map((c) => `${c.side} ${c.qty} ${c.status}`)).toEqual(['sell 2 filled']);
    const sent = orderCount(w, 'F1');
    // The leader closes and opens a new episode while F1 is locked: nothing goes to F1.
    w.trade('MES', 'sell', 2);
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    await w.engine.reconcileNow('test');
    await settleRisk(w);
    expect(orderCount(w, 'F1')).toBe(sent);
    expect(w.pos('F2', 'MES')).toBe('1');
    // The trading day ends at 17:00 Chicago: the lock lifts on its own.
    const reset = instantOf(2026, 1, 5, 17, 0, 'America/Chicago');
    await w.clock.advanceAsync(reset - w.clock.now() + 1);
    await settleRisk(w);
    expect(w.engine.riskStatus(F1).accounts[0]!.state).toBe('ok');
    expect(w.alertCodes()).toContain('risk_unlocked');
    // The lock was a follower-side exit: no repair back into the leader's open episode...
    await w.engine.reconcileNow('after reset');
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    expect(orderCount(w, 'F1')).toBe(sent);
    // ...until the leader's next episode.
    w.trade('MES', 'sell', 1);
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('1');
    expect(w.pos(F2, 'MES')).toBe('1');
  });

  it('issue 13 #4: a person locks a follower (flattened, audited in the risk actions) and unlocks it', async () => {
    const w = await riskWorld({ links, guards: {} });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    await w.engine.lockAccount(F1, 'done for the day', 'trader');
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    expect(w.engine.riskStatus(F1).accounts[0]).toMatchObject({ state: 'locked', locks: [{ kind: 'manual', reason: 'done for the day', mode: 'lock' }] });
    expect(w.notified.map((a) => a.code)).toContain('risk_locked');
    w.trade('MES', 'sell', 2);
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    w.engine.unlockAccount(F1, 'reviewed', 'trader');
    expect(w.engine.riskStatus(F1).accounts[0]!.state).toBe('ok');
    // The episode opened during the lock stays out of F1 (a lock is a follower-side exit)...
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    // ...the leader's next episode is copied again.
    w.trade('MES', 'sell', 2);
    w.trade('MES', 'buy', 1);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('1');
    const actions = w.journal.risk.actions(F1).map((a) => `${a.action}:${a.actor ?? ''}`);
    expect(actions).toEqual(['unlock:trader', 'flatten:trader', 'lock:trader']);
  });
});
