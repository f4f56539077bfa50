// Position mirroring through the engine on the sim venue: scale in/out, partial fills, reversals, sizing modes, mapping.
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { DEFAULT_SIM_INSTRUMENTS } from '../../../core/brokers/sim/instruments.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld } from './harness.js';

describe('position mirroring', () => {
  it('scales in and out with a multiplier and sends one order per leader execution', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 2 } }] });
    const steps: [('buy' | 'sell'), number, string][] = [
      ['buy', 2, '4'],
      ['buy', 3, '10'],
      ['sell', 4, '2'],
      ['sell', 1, '0'],
    ];
    for (const [side, qty, expected] of steps) {
      w.trade('MSFT', side, qty);
      await w.settle();
      expect(w.pos('F1', 'MSFT')).toBe(expected);
    }
    expect(w.ordersOf('F1').map((o) => `${o.side} ${o.qty}`)).toEqual(['buy 4', 'buy 6', 'sell 8', 'sell 2']);
    expect(w.engine.snapshot().counters.copies).toBe(4);
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({});
  });

  it('a leader symbol named like an object member (constructor, toString) is mapped by the link, not read off the prototype', async () => {
    const clock = new TestClock();
    const aapl = DEFAULT_SIM_INSTRUMENTS.find((s) => s.instrument.symbol === 'AAPL')!;
    const named = (symbol: string) => ({ ...aapl, instrument: { ...aapl.instrument, symbol } });
    const exchange = new SimExchange({ clock, seed: 1, instruments: [...DEFAULT_SIM_INSTRUMENTS, named('constructor'), named('toString'), named('valueOf')] });
    const w = await createWorld({ clock, exchange, links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 2 }, symbolMap: { valueOf: { symbol: 'ES', factor: '1' } } }] });
    w.trade('constructor', 'buy', 1);
    w.trade('toString', 'buy', 2);
    w.trade('valueOf', 'buy', 3);
    await w.settle();
    expect([w.pos('F1', 'constructor'), w.pos('F1', 'toString'), w.pos('F1', 'ES')]).toEqual(['2', '4', '6']);
    expect(w.alertCodes()).not.toContain('engine_error');
  });

  it('follows partial leader fills piece by piece and ends at the full target', async () => {
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 3, partialFillProbability: 1 });
    const w = await createWorld({ clock, exchange, links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.trade('ES', 'buy', 9);
    await w.settle();
    const leaderFills = exchange.executions('L').length;
    expect(leaderFills).toBeGreaterThan(1);
    expect(w.pos('F1', 'ES')).toBe('9');
    expect(w.ordersOf('F1').length).toBe(leaderFills);
  });

  it('reverses in one order when the broker allows it, else close then open', async () => {
    const one = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    one.trade('ES', 'buy', 2);
    await one.settle();
    one.trade('ES', 'sell', 5);
    await one.settle();
    expect(one.pos('F1', 'ES')).toBe('-3');
    expect(one.ordersOf('F1').map((o) => `${o.side} ${o.qty}`)).toEqual(['buy 2', 'sell 5']);

    const two = await createWorld({ reversalInOneOrder: false, links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    two.trade('ES', 'buy', 2);
    await two.settle();
    two.trade('ES', 'sell', 5);
    await two.settle();
    expect(two.pos('F1', 'ES')).toBe('-3');
    expect(two.ordersOf('F1').map((o) => `${o.side} ${o.qty}`)).toEqual(['buy 2', 'sell 2', 'sell 3']);
  });

  it('reverse:true and negative ratios copy in the opposite direction', async () => {
    const w = await createWorld({
      links: [
        { follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, reverse: true },
        { follower: 'F2', sizing: { mode: 'multiplier', value: -2 } },
      ],
    });
    w.trade('ES', 'buy', 3);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('-3');
    expect(w.pos('F2', 'ES')).toBe('-6');
  });

  it('never shorts a follower when the leader closes a position the follower never had', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.engine.setTradingState('F1' as never, 'paused', 'test');
    w.trade('ES', 'buy', 4);
    await w.settle();
    w.engine.setTradingState('F1' as never, 'active', 'test');
    await w.settle();
    expect(w.alertCodes()).toContain('drift');
    w.trade('ES', 'sell', 4);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.ordersOf('F1')).toHaveLength(0);
  });

  it('maps 10 MES to 1 ES and rounds toward zero', async () => {
    const w = await createWorld({
      links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, symbolMap: { MES: { symbol: 'ES', factor: '0.1' } } }],
    });
    const expected = [
      [10, '1'],
      [5, '1'],
      [5, '2'],
    ] as const;
    for (const [qty, es] of expected) {
      w.trade('MES', 'buy', qty);
      await w.settle();
      expect(w.pos('F1', 'ES')).toBe(es);
    }
    expect(w.pos('F1', 'MES')).toBe('0');
    w.trade('MES', 'sell', 20);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('sums several leader symbols mapped onto one follower symbol', async () => {
    const w = await createWorld({
      links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, symbolMap: { MES: { symbol: 'ES', factor: '0.1' } } }],
    });
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.trade('MES', 'buy', 10);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
  });

  it('raises rounds_to_zero instead of silently skipping, and uses fractions where allowed', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: '0.5' } }] });
    w.trade('MSFT', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('0');
    expect(w.alertCodes()).toContain('rounds_to_zero');
    w.trade('AAPL', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'AAPL')).toBe('0.5');
  });

  it('copies unmapped symbols only when copyUnmapped is on, else alerts', async () => {
    const w = await createWorld({
      links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, copyUnmapped: false, symbolMap: { MES: { symbol: 'MES' } } }],
    });
    w.trade('ES', 'buy', 1);
    w.trade('MES', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.pos('F1', 'MES')).toBe('2');
    expect(w.alertCodes()).toContain('unmapped_symbol');
  });
});

describe('sizing modes', () => {
  it('fixed: a fixed size while the leader holds, scaled down on partial exits', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'fixed', value: 3 } }] });
    const steps: [('buy' | 'sell'), number, string][] = [
      ['buy', 1, '3'],
      ['buy', 1, '3'],
      ['sell', 1, '1'],
      ['sell', 1, '0'],
      ['sell', 2, '-3'],
    ];
    for (const [side, qty, expected] of steps) {
      w.trade('ES', side, qty);
      await w.settle();
      expect(w.pos('F1', 'ES')).toBe(expected);
    }
  });

  it('equity: follower equity / leader equity times the value', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'equity', value: 2 } }] });
    w.trade('MSFT', 'buy', 4);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('2');
  });

  it('notional: value / entry price, scaled on partial exits', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'notional', value: 10_000 } }] });
    w.trade('MSFT', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('23');
    w.trade('MSFT', 'sell', 1);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('11');
  });

  it('marketable limit orders price the leader fill plus the buffer in ticks', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, orderType: 'marketable_limit', limitBufferTicks: 4 }] });
    w.trade('ES', 'buy', 1);
    await w.settle();
    w.trade('ES', 'sell', 2);
    await w.settle();
    expect(w.ordersOf('F1').map((o) => [o.type, o.side, o.limitPrice?.toString()])).toEqual([
      ['limit', 'buy', '6001'],
      ['limit', 'sell', '5999'],
    ]);
    expect(w.pos('F1', 'ES')).toBe('-1');
  });

  it('dry run journals intents that are never sent', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, dryRun: true }] });
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.ordersOf('F1')).toHaveLength(0);
    expect(w.intents.map((i) => [i.status, i.dryRun, i.qty.toString()])).toEqual([['dry_run', true, '2']]);
    expect(w.engine.snapshot().inFlight['F1']).toEqual({});
    expect(w.engine.snapshot().counters.dryRuns).toBe(1);
  });
});
