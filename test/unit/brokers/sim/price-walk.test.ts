// The seeded price walk: deterministic per seed, tick-aligned and positive, driven by step() or the clock.
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../../core/brokers/sim/index.js';
import { dec } from '../../../../core/domain/decimal.js';
import { TestClock } from '../../../support/test-clock.js';
import { world } from './sim-world.js';

function path(seed: number, steps = 100): string[] {
  const ex = new SimExchange({ clock: new TestClock(0), seed });
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    ex.step();
    out.push(['AAPL', 'MES', 'NQ'].map((s) => ex.lastPrice(s).toString()).join('|'));
  }
  return out;
}

describe('price walk', () => {
  it('gives the same path for the same seed and a different one for another seed', () => {
    expect(path(3)).toEqual(path(3));
    expect(path(3)).not.toEqual(path(4));
  });

  it('moves in whole ticks, never below one tick', () => {
    const ex = new SimExchange({ clock: new TestClock(0), seed: 9 });
    ex.setPrice('MES', '0.5');
    for (let i = 0; i < 300; i++) {
      ex.step();
      for (const inst of ex.instruments()) {
        const p = ex.lastPrice(inst.symbol);
        expect(p.isMultipleOf(inst.tickSize)).toBe(true);
        expect(p.gt(0)).toBe(true);
      }
    }
  });

  it('setPrice rounds to the tick and refuses nonsense', () => {
    const { ex } = world();
    ex.setPrice('MES', '6000.3');
    expect(ex.lastPrice('MES').toString()).toBe('6000.25');
    expect(() => ex.setPrice('MES', '0')).toThrow(RangeError);
    expect(() => ex.setPrice('ZZZ', '1')).toThrow(RangeError);
    expect(() => ex.lastPrice('ZZZ')).toThrow(RangeError);
  });

  it('runs on the clock between startPriceWalk and stopPriceWalk, filling resting orders it crosses', async () => {
    const clock = new TestClock(0);
    const ex = new SimExchange({ clock, seed: 5 });
    const twin = new SimExchange({ clock: new TestClock(0), seed: 5 });
    ex.startPriceWalk(1000);
    await clock.advanceAsync(10_000);
    for (let i = 0; i < 10; i++) twin.step();
    expect(ex.lastPrice('ES').eq(twin.lastPrice('ES'))).toBe(true);
    ex.stopPriceWalk();
    const frozen = ex.lastPrice('ES');
    await clock.advanceAsync(10_000);
    expect(ex.lastPrice('ES').eq(frozen)).toBe(true);
    expect(clock.pendingTimers()).toBe(0);

    ex.addAccount('W', { cash: 1000 });
    const limit = ex.lastPrice('MNQ').sub(dec('0.25'));
    const o = ex.submit('W', {
      accountId: 'W' as never, clientOrderId: 'w1' as never, symbol: 'MNQ', side: 'buy', qty: dec(1),
      type: 'limit', limitPrice: limit, timeInForce: 'gtc', purpose: 'copy',
    });
    ex.startPriceWalk(1000);
    for (let i = 0; i < 200 && ex.order('W', o.brokerOrderId)!.status !== 'filled'; i++) await clock.advanceAsync(1000);
    ex.stopPriceWalk();
    const filled = ex.order('W', o.brokerOrderId)!;
    expect(filled.status).toBe('filled');
    expect(filled.avgFillPrice!.cmp(limit)).toBeLessThanOrEqual(0);
  });
});
