// Trading state, circuit breaker and the kill switch.
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { accountId } from '../../../core/domain/ids.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, memoryJournal } from './harness.js';

const F1 = accountId('F1');
const F2 = accountId('F2');
const links = [
  { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } },
  { follower: 'F2', sizing: { mode: 'multiplier' as const, value: 1 } },
];

describe('trading state', () => {
  it('paused sends nothing but tracks the leader; resume reconciles (repair policy converges)', async () => {
    const w = await createWorld({ links: links.map((l) => ({ ...l, reconcilePolicy: 'repair' as const })) });
    w.engine.setTradingState('global', 'paused', 'alice');
    w.trade('ES', 'buy', 3);
    await w.settle();
    expect(w.ordersOf('F1')).toHaveLength(0);
    expect(w.engine.snapshot().leaderPositions['L']).toEqual({ ES: '3' });
    expect(w.engine.snapshot().counters.executions).toBe(1);
    w.engine.setTradingState('global', 'active', 'alice');
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['3', '3']);
    expect(w.intents.every((i) => i.purpose === 'repair')).toBe(true);
  });

  it('a paused follower is skipped while others copy', async () => {
    const w = await createWorld({ links });
    w.engine.setTradingState(F2, 'paused', 'alice');
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['2', '0']);
    expect(w.engine.snapshot().effectiveStates).toEqual({ F1: 'active', F2: 'paused' });
  });

  it('halted state is persisted and restored: a restarted engine stays halted', async () => {
    const clock = new TestClock();
    const journal = memoryJournal(clock);
    const w = await createWorld({ clock, journal, links });
    await w.engine.halt({ scope: 'global', cancelOpenOrders: false, flattenPositions: false, actor: 'alice' });
    await w.engine.stop();
    const again = await createWorld({ journal, clock: w.clock, exchange: w.exchange, links });
    expect(again.engine.snapshot().tradingStates.global).toBe('halted');
    again.trade('ES', 'buy', 1);
    await again.settle();
    expect(again.ordersOf('F1')).toHaveLength(0);
    again.engine.setTradingState('global', 'active', 'bob');
    await again.settle();
    expect(again.alertCodes()).toContain('drift');
    again.trade('ES', 'buy', 1);
    await again.settle();
    expect(again.pos('F1', 'ES')).toBe('2');
  });
});

describe('kill switch', () => {
  it('halts, cancels open orders and flattens follower positions, with a notification', async () => {
    const w = await createWorld({ links });
    w.trade('ES', 'buy', 3);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
    const report = await w.engine.halt({ scope: F1, cancelOpenOrders: true, flattenPositions: true, actor: 'alice', reason: 'test' });
    await w.settle();
    expect(report.ok).toBe(true);
    expect(report.followers.map((f) => [f.accountId, f.flattened.length])).toEqual([['F1', 1]]);
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.pos('F2', 'ES')).toBe('3');
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({});
    expect(w.alertCodes()).not.toContain('drift');
    expect(w.notified.map((a) => a.code)).toContain('halted');
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.pos('F2', 'ES')).toBe('4');
  });

  it('cancels follower orders still working at the broker', async () => {
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 1, latencyMs: 10 });
    const w = await createWorld({ clock, exchange, links });
    w.trade('ES', 'buy', 1);
    await clock.advanceAsync(10);
    await w.settle();
    expect(w.exchange.openOrders('F1')).toHaveLength(1);
    expect(w.engine.snapshot().inFlight['F1']).toEqual({ ES: '1' });
    const report = await w.engine.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: false, actor: 'alice' });
    await clock.advanceAsync(50);
    await w.settle();
    expect(report.followers.flatMap((f) => f.cancelled.map((c) => c.ok))).toEqual([true, true]);
    expect(w.exchange.openOrders('F1')).toHaveLength(0);
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.engine.snapshot().inFlight['F1']).toEqual({});
    expect(w.intents.filter((i) => i.status === 'cancelled')).toHaveLength(2);
  });
});

describe('circuit breaker', () => {
  it('trips a follower on too many orders in the window, halts it, and needs a reset before resuming', async () => {
    const w = await createWorld({ links, risk: { breaker: { maxOrders: 3, windowMs: 10_000, maxConsecutiveRejects: 3 } } });
    for (let i = 0; i < 5; i++) {
      w.trade('ES', i % 2 ? 'sell' : 'buy', 1);
      await w.settle();
    }
    expect(w.ordersOf('F1')).toHaveLength(3);
    const snap = w.engine.snapshot();
    expect(snap.breakers.filter((b) => b.tripped).map((b) => b.scope).sort()).toEqual(['F1', 'F2']);
    expect(snap.effectiveStates).toEqual({ F1: 'halted', F2: 'halted' });
    expect(w.notified.filter((a) => a.code === 'breaker_tripped')).toHaveLength(2);
    expect(() => w.engine.setTradingState(F1, 'active', 'alice')).toThrow(/breaker/);
    w.engine.resetBreaker(F1, 'alice');
    expect(w.engine.snapshot().effectiveStates['F1']).toBe('halted');
    w.engine.setTradingState(F1, 'active', 'alice');
    expect(w.engine.snapshot().effectiveStates['F1']).toBe('active');
  });

  it('trips on consecutive definite rejects', async () => {
    const w = await createWorld({ links: [links[0]!] });
    w.exchange.injectRejects('F1', 3, 'insufficient buying power');
    for (let i = 0; i < 3; i++) {
      w.trade('ES', 'buy', 1);
      await w.settle();
    }
    expect(w.alerts.filter((a) => a.code === 'order_rejected')).toHaveLength(3);
    expect(w.engine.snapshot().breakers).toEqual([expect.objectContaining({ scope: 'F1', tripped: true })]);
    expect(w.engine.snapshot().counters.rejects).toBe(3);
    expect(w.intents.filter((i) => i.status === 'rejected')).toHaveLength(3);
  });
});
