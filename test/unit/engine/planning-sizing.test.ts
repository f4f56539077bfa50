// Sizing arithmetic through the engine on the sim venue: multiply before dividing, the symbol-map factor only for
// leader-unit modes, whole shares for any short part of a notional copy, one target for planner and reconciler.
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { BrokerError } from '../../../core/domain/errors.js';
import { accountId } from '../../../core/domain/ids.js';
import type { OrderRequest } from '../../../core/domain/order.js';
import { signed } from '../../../core/domain/side.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, LEADER, type TapAdapter } from './harness.js';

const F1 = accountId('F1');

/** Makes the follower venue as strict as Alpaca: an order whose short part is fractional is rejected. */
function alpacaShortRule(adapter: TapAdapter, exchange: SimExchange): void {
  const submit = adapter.submitOrder.bind(adapter);
  adapter.submitOrder = (req: OrderRequest) => {
    const held = exchange.position(F1, req.symbol);
    const after = held.add(signed(req.side, req.qty));
    if (after.sign() < 0 && !req.qty.isMultipleOf(1)) return Promise.reject(new BrokerError('rejected', 'fractional orders cannot be sold short'));
    return submit(req);
  };
}

describe('sizing arithmetic', () => {
  it('issue 9 #5: fixed sizing after a partial exit is not one lot low (3 x 4/6 = 2, not 1.999999998 -> 1)', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'fixed', value: 3 } }] });
    w.trade('ES', 'buy', 6);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
    w.trade('ES', 'sell', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
  });

  it('issue 9 #5: equity sizing multiplies before dividing (3 x 100k / 300k = 1, not 0.999999999 -> 0)', async () => {
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 7 });
    exchange.addAccount(LEADER, { cash: 300_000 });
    exchange.addAccount(F1, { cash: 100_000 });
    const w = await createWorld({ clock, exchange, links: [{ follower: 'F1', sizing: { mode: 'equity', value: 1 } }] });
    w.trade('ES', 'buy', 3);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
  });

  it('issue 9 #10: the symbol-map factor does not shrink fixed sizes (fixed 2 with MES->ES 0.1 gives 2 ES, not 0)', async () => {
    const w = await createWorld({
      links: [{ follower: 'F1', sizing: { mode: 'fixed', value: 2 }, symbolMap: { MES: { symbol: 'ES', factor: '0.1' } } }],
    });
    w.trade('MES', 'buy', 10);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(w.alertCodes()).not.toContain('rounds_to_zero');
  });

  it('issue 9 #10: the symbol-map factor does not shrink notional sizes (money / (price x multiplier) ES contracts)', async () => {
    const w = await createWorld({
      links: [{ follower: 'F1', sizing: { mode: 'notional', value: 700_000 }, symbolMap: { MES: { symbol: 'ES', factor: '0.1' } } }],
    });
    w.trade('MES', 'buy', 10);
    await w.settle();
    // 700,000 / (~6,000 x 50) = 2.33 ES contracts -> 2.
    expect(w.pos('F1', 'ES')).toBe('2');
  });

  it('issue 9 #9: notional sizing on a short sends whole shares only (no fractional short order)', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'notional', value: 1_000 } }] });
    w.trade('AAPL', 'sell', 10);
    await w.settle();
    const reqs = w.followers.get(F1)!.requests;
    expect(reqs.length).toBeGreaterThan(0);
    expect(reqs.map((r) => r.qty.toString())).toEqual(['4']);
    expect(w.pos('F1', 'AAPL')).toBe('-4');
  });

  it('issue 9 #9: a long fractional notional position reversing short closes the fraction, then opens whole shares', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'notional', value: 1_000 } }] });
    w.trade('AAPL', 'buy', 10);
    await w.settle();
    const long = Decimal.from(w.pos('F1', 'AAPL'));
    expect(long.isMultipleOf(1)).toBe(false);
    w.trade('AAPL', 'sell', 20);
    await w.settle();
    let pos = Decimal.ZERO;
    for (const r of w.followers.get(F1)!.requests) {
      const after = pos.add(signed(r.side, r.qty));
      const shortPart = after.sign() < 0 ? after.abs().min(r.qty) : Decimal.ZERO;
      expect(shortPart.isMultipleOf(1), `order ${r.side} ${r.qty} from ${pos} has a fractional short part`).toBe(true);
      pos = after;
    }
    expect(Decimal.from(w.pos('F1', 'AAPL')).isMultipleOf(1)).toBe(true);
    expect(Decimal.from(w.pos('F1', 'AAPL')).sign()).toBe(-1);
  });

  it('issue 9 #9: on a venue that rejects fractional shorts (Alpaca), no reject and no endless drift after a partial exit', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'notional', value: 1_000 } }] });
    alpacaShortRule(w.followers.get(F1)!, w.exchange);
    for (const [side, qty] of [['sell', 10], ['buy', 3], ['buy', 2], ['buy', 15], ['sell', 4], ['sell', 3]] as const) {
      w.trade('AAPL', side, qty);
      await w.settle();
      const report = await w.engine.reconcileNow('check');
      expect(report.drifts, `after ${side} ${qty}`).toEqual([]);
    }
    expect(w.engine.snapshot().counters.rejects).toBe(0);
    expect(w.alertCodes()).not.toContain('drift');
  });
});
