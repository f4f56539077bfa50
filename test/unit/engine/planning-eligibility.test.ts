// Eligibility through the engine: only eligible leader executions add to the follower's part E; reductions always
// reduce it; a denied or not-allowed symbol is never traded on that follower (case-insensitive lists).
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import { createWorld, type World } from './harness.js';

const F1 = accountId('F1');
const HOUR = 3_600_000;
const base = { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } };

/** An order the follower placed itself (not ours: no engine client-id prefix). */
function manual(w: World, symbol: string, side: 'buy' | 'sell', qty: number): void {
  w.exchange.submit(F1, {
    accountId: F1, clientOrderId: clientOrderId(`manual-${symbol}-${qty}`), symbol, side, qty: Decimal.from(qty), type: 'market', timeInForce: 'day', purpose: 'copy',
  });
}

describe('eligibility', () => {
  it('issue 9 #8: a deny-listed symbol is never traded (the follower\'s own ES is not reduced when the leader buys ES)', async () => {
    const w = await createWorld({ links: [{ ...base, filters: { denySymbols: ['ES'] }, reconcilePolicy: 'repair' }] });
    manual(w, 'ES', 'buy', 3);
    await w.settle();
    const before = w.followers.get(F1)!.requests.length;
    w.trade('ES', 'buy', 2);
    await w.settle();
    await w.engine.reconcileNow('check');
    await w.settle();
    w.trade('ES', 'sell', 2);
    await w.settle();
    await w.engine.reconcileNow('check');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
    expect(w.followers.get(F1)!.requests.length).toBe(before);
  });

  it('issue 9 #8: with a tag prefix, an untagged 10 then a tagged +1 makes the follower buy 1 (not 11)', async () => {
    const w = await createWorld({ links: [{ ...base, filters: { tagPrefix: 'strat-a' }, reconcilePolicy: 'repair' }] });
    w.trade('ES', 'buy', 10, 'manual-1');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'buy', 1, 'strat-a-1');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    await w.engine.reconcileNow('check');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    // The leader halves its position: the eligible part is reduced in proportion (1 x 5/11 -> 0.45 -> 0 contracts).
    w.trade('ES', 'sell', 6, 'manual-2');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('issue 9 #8: a position opened outside a trading window is not copied whole by the next in-window scale-in', async () => {
    // The TestClock starts Monday 2026-01-05 14:30 UTC = 09:30 New York; the window opens at 10:00 New York.
    const w = await createWorld({ links: [{ ...base, filters: { tradingWindows: [{ start: '10:00', end: '16:00', timeZone: 'America/New_York' }] } }] });
    w.trade('ES', 'buy', 5);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    await w.clock.advanceAsync(HOUR);
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    w.trade('ES', 'sell', 6);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('issue 9 #8: "aapl" in the deny list stops AAPL (symbol lists compare case-insensitively)', async () => {
    const w = await createWorld({
      links: [
        { ...base, filters: { denySymbols: ['aapl'] } },
        { follower: 'F2', sizing: { mode: 'multiplier', value: 1 }, filters: { allowSymbols: ['msft'] } },
      ],
    });
    w.trade('AAPL', 'buy', 3);
    w.trade('MSFT', 'buy', 2);
    await w.settle();
    expect([w.pos('F1', 'AAPL'), w.pos('F1', 'MSFT')]).toEqual(['0', '2']);
    expect([w.pos('F2', 'AAPL'), w.pos('F2', 'MSFT')]).toEqual(['0', '2']);
  });

  it('a reversal is a close (always copied) plus an open subject to eligibility', async () => {
    const w = await createWorld({ links: [{ ...base, filters: { tagPrefix: 'strat-a' } }] });
    w.trade('ES', 'buy', 3, 'strat-a-1');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
    w.trade('ES', 'sell', 5, 'manual-1');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'sell', 1, 'strat-a-2');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('-1');
  });
});
