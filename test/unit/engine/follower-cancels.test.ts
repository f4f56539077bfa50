// Our working orders are working, not held: when the target moves against one, the engine cancels it, awaits its final
// state and re-plans from what filled; a broker wash-trade rejection is resolved the same way (never by an adapter).
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { followerClientId } from '../../../core/domain/client-id.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId, type BrokerOrderId } from '../../../core/domain/ids.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, type World } from './harness.js';

const F1 = accountId('F1');
const sizing = { mode: 'multiplier' as const, value: 1 };
const limitLink = { follower: 'F1', sizing, orderType: 'marketable_limit' as const };

async function limitWorld(): Promise<World> {
  const clock = new TestClock();
  const exchange = new SimExchange({ clock, seed: 5, latencyMs: 10 });
  return createWorld({ clock, exchange, links: [limitLink] });
}

/** Runs the clock in latency steps until nothing is live any more. */
async function run(w: World, steps = 6): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await w.clock.advanceAsync(10);
    await w.settle();
  }
}

/** The leader buys qty; the follower's marketable limit is placed, then the market runs away and it rests. */
async function restingEntry(w: World, qty: number): Promise<void> {
  w.trade('ES', 'buy', qty);
  await w.clock.advanceAsync(10);
  await w.settle();
  w.exchange.setPrice('ES', w.exchange.lastPrice('ES').add(Decimal.from(5)));
  await run(w, 2);
  expect(w.exchange.openOrders('F1').map((o) => `${o.side} ${o.qty}`)).toEqual([`buy ${qty}`]);
  expect(w.pos('F1', 'ES')).toBe('0');
}

const orders = (w: World) => w.ordersOf('F1').map((o) => `${o.side} ${o.qty} ${o.status}`);

describe('issue 9 #4: working orders are cancelled, not netted', () => {
  it('issue 9 #4: the leader exits while the follower limit entry rests: the entry is cancelled and nothing is sold', async () => {
    const w = await limitWorld();
    await restingEntry(w, 10);
    w.trade('ES', 'sell', 10);
    await run(w);
    expect(orders(w)).toEqual(['buy 10 cancelled']);
    expect(w.exchange.openOrders('F1')).toEqual([]);
    w.exchange.setPrice('ES', w.exchange.lastPrice('ES').sub(Decimal.from(20)));
    await run(w);
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.engine.snapshot().inFlight['F1']).toEqual({});
  });

  it('issue 9 #4: the leader halves while the entry rests: cancel, await, then re-plan from what filled', async () => {
    const w = await limitWorld();
    await restingEntry(w, 10);
    w.trade('ES', 'sell', 5);
    await run(w);
    w.exchange.setPrice('ES', w.exchange.lastPrice('ES').sub(Decimal.from(20)));
    await run(w);
    expect(orders(w)).toEqual(['buy 10 cancelled', 'buy 5 filled']);
    expect(w.pos('F1', 'ES')).toBe('5');
  });

  it('issue 9 #4: the entry fills while its cancel is on the way: the re-plan sells what filled', async () => {
    const w = await limitWorld();
    await restingEntry(w, 10);
    const adapter = w.followers.get(F1)!;
    const cancel = adapter.cancelOrder.bind(adapter);
    adapter.cancelOrder = async (id: BrokerOrderId) => {
      w.exchange.setPrice('ES', w.exchange.lastPrice('ES').sub(Decimal.from(20)));
      return cancel(id);
    };
    w.trade('ES', 'sell', 10);
    await run(w);
    expect(orders(w)).toEqual(['buy 10 filled', 'sell 10 accepted']);
    w.exchange.setPrice('ES', w.exchange.lastPrice('ES').add(Decimal.from(20)));
    await run(w);
    expect(orders(w)).toEqual(['buy 10 filled', 'sell 10 filled']);
    expect(w.pos('F1', 'ES')).toBe('0');
  });
});

describe('issue 9 #4: wash-trade rejections', () => {
  it('issue 9 #4: a wash-trade rejection against our own resting order cancels it, awaits, and re-plans', async () => {
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 5 });
    exchange.addAccount('F1', { cash: 250_000 });
    // Ours by client-id prefix (an earlier run's order the current journal does not know), resting far below the market.
    exchange.submit('F1', {
      accountId: F1, clientOrderId: followerClientId(F1, 'earlier-run', 0), symbol: 'ES', side: 'buy', qty: Decimal.from(1),
      type: 'limit', limitPrice: Decimal.from(5000), timeInForce: 'gtc', purpose: 'copy',
    });
    const w = await createWorld({ clock, exchange, links: [{ follower: 'F1', sizing }] });
    w.trade('ES', 'sell', 3);
    await w.settleFully();
    await clock.advanceAsync(10_000);
    await w.settleFully();
    expect(w.alerts.some((a) => /wash trade/.test(a.message))).toBe(true);
    expect(orders(w)).toEqual(['buy 1 cancelled', 'sell 3 filled']);
    expect(w.pos('F1', 'ES')).toBe('-3');
  });

  it('issue 9 #4: a wash-trade rejection against a foreign order leaves the foreign order alone and says why', async () => {
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 5 });
    exchange.addAccount('F1', { cash: 250_000 });
    exchange.submit('F1', {
      accountId: F1, clientOrderId: clientOrderId('manual-1'), symbol: 'ES', side: 'buy', qty: Decimal.from(1),
      type: 'limit', limitPrice: Decimal.from(5000), timeInForce: 'gtc', purpose: 'copy',
    });
    const w = await createWorld({ clock, exchange, links: [{ follower: 'F1', sizing }] });
    w.trade('ES', 'sell', 3);
    await w.settleFully();
    await clock.advanceAsync(10_000);
    await w.settleFully();
    expect(orders(w)).toEqual(['buy 1 accepted']);
    expect(w.intents.at(-1)).toMatchObject({ status: 'rejected' });
    expect(w.alerts.find((a) => a.code === 'order_rejected')?.message).toMatch(/wash trade.*not ours/);
    expect(w.pos('F1', 'ES')).toBe('0');
  });
});
