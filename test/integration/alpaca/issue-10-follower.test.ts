// Issue 10 items 9 and 13 on the wire simulator: the adapter reports a wash-trade refusal instead of cancelling
// anything, asks the send gate last, and the copy path sends the order POST with no REST read before it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/app/system-clock.js';
import { followerClientId } from '../../../core/domain/client-id.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { BrokerError } from '../../../core/domain/errors.js';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import type { OrderRequest } from '../../../core/domain/order.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { AlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { waitFor } from '../../contract/event-recorder.js';
import { adapterFor, FAST_TUNING, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const wait = { timeoutMs: 5000 };
/** Fast timers, but a request timeout a loaded machine does not hit. */
const SLOW_OK = { ...FAST_TUNING, requestTimeoutMs: 3_000 };
let n = 0;

/** Waits until the simulator heard nothing for 150 ms (the adapter's connect-time catch-up is done). */
async function quiet(sim: AlpacaSim): Promise<void> {
  for (let seen = -1; seen !== sim.requests.length; ) {
    seen = sim.requests.length;
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function failure(p: Promise<unknown>): Promise<BrokerError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

describe('issue 10: Alpaca follower orders report, never decide', () => {
  let sim: AlpacaSim;
  let keys: SimKeys;
  let adapter: AlpacaAdapter;
  const req = (extra: Partial<OrderRequest> = {}): OrderRequest => ({
    accountId: adapter.accountId,
    clientOrderId: followerClientId(adapter.accountId, `exec-${n++}`, 0),
    symbol: 'AAPL',
    side: 'buy',
    qty: Decimal.from(2),
    type: 'market',
    timeInForce: 'day',
    purpose: 'copy',
    ...extra,
  });

  beforeEach(async () => {
    sim = await startSim({ seed: 9, partialFillRate: 0 });
    keys = sim.addAccount();
    adapter = adapterFor(sim, keys, 'follower', SLOW_OK);
    await adapter.connect();
  });

  afterEach(async () => {
    await adapter.disconnect();
    await sim.stop();
  });

  it('issue 10 #9: never cancels an open opposite order (even our own); the wash-trade 403 is a definite, named rejection', async () => {
    const resting = await adapter.submitOrder(req({ side: 'sell', type: 'limit', limitPrice: Decimal.from(500), qty: Decimal.from(1) }));
    await waitFor('the resting order in openOrders', async () => (await adapter.openOrders()).length === 1, wait);
    const err = await failure(adapter.submitOrder(req()));
    expect(err.code).toBe('rejected');
    expect(err.outcome).toBe('definite');
    expect(err.status).toBe(403);
    expect(err.raw).toMatchObject({ reason: 'wash_trade', existingOrderId: resting.brokerOrderId });
    expect(sim.orders(keys.keyId).find((o) => o.id === resting.brokerOrderId)?.status).toBe('new');
    expect(sim.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('issue 10 (port): the send gate is asked last, right before the POST; a reason is not_sent and nothing is sent', async () => {
    await quiet(sim);
    let askedAt = -1;
    const order = await adapter.submitOrder(req({ symbol: 'MSFT' }), () => {
      askedAt = sim.requests.length;
      return undefined;
    });
    expect(order.symbol).toBe('MSFT');
    expect(sim.requests.slice(askedAt)).toEqual([expect.objectContaining({ method: 'POST', path: '/v2/orders' })]);
    const before = sim.requests.length;
    const err = await failure(adapter.submitOrder(req(), () => 'halted by the kill switch'));
    expect(err.code).toBe('not_sent');
    expect(err.outcome).toBe('definite');
    expect(err.message).toMatch(/halted by the kill switch/);
    expect(sim.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
  });
});

describe('issue 10 #13: no REST reads on the copy path (engine + two Alpaca adapters)', () => {
  let sim: AlpacaSim;
  let journal: SqliteJournal;
  let engine: CopyEngine;
  const keys = new Map<string, SimKeys>();
  const adapters = new Map<AccountId, AlpacaAdapter>();

  beforeEach(async () => {
    sim = await startSim({ seed: 3, partialFillRate: 0 });
    for (const id of ['leader', 'follower']) {
      keys.set(id, sim.addAccount({ cash: '1000000' }));
      // A short account cache: the copy must not wait for GET /v2/account when it expired.
      adapters.set(accountId(id), adapterFor(sim, keys.get(id)!, id, { ...SLOW_OK, accountTtlMs: 50 }));
    }
    const ws = parseWorkspaceConfig({
      accounts: [...keys.keys()].map((id) => ({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } })),
      links: [{ leader: 'leader', follower: 'follower', sizing: { mode: 'multiplier', value: '1' } }],
      risk: { reconcileIntervalMs: 3_600_000 },
    });
    for (const a of adapters.values()) await a.connect();
    journal = openJournal(':memory:');
    engine = new CopyEngine({ clock: new SystemClock(), journal, notifier: { notify: () => undefined }, brokers: adapters, links: ws.links, risk: ws.risk });
    await engine.start();
    await quiet(sim);
  });

  afterEach(async () => {
    await engine.stop();
    for (const a of adapters.values()) await a.disconnect();
    adapters.clear();
    journal.close();
    await sim.stop();
  });

  /** Requests the simulator received from the leader's fill until the follower's order POST, inclusive. */
  async function copyRequests(trade: { symbol: string; side: 'buy' | 'sell'; qty: string }): Promise<string[]> {
    const leader = keys.get('leader')!.keyId;
    const posts = () => sim.requests.filter((r) => r.method === 'POST').length;
    const postsBefore = posts();
    const { fills } = await sim.leaderTrade(leader, { ...trade, fills: [trade.qty] });
    const from = sim.requests.length;
    expect(fills).toHaveLength(1);
    await waitFor('the follower order', () => posts() > postsBefore, wait);
    const reqs = sim.requests.slice(from);
    const post = reqs.findIndex((r) => r.method === 'POST');
    await quiet(sim); // background reads after the POST (an expired account cache) finish before the next trade
    return reqs.slice(0, post + 1).map((r) => `${r.method} ${r.path}`);
  }

  it('issue 10 #13: a copy after the periodic refresh forgot a flat symbol and the account cache expired is the POST only', async () => {
    const follower = keys.get('follower')!.keyId;
    const fa = adapters.get(accountId('follower'))!;
    expect(await copyRequests({ symbol: 'AAPL', side: 'buy', qty: '3' })).toEqual(['POST /v2/orders']);
    await waitFor('follower long', () => sim.position(follower, 'AAPL').eq(3), wait);
    expect(await copyRequests({ symbol: 'AAPL', side: 'sell', qty: '3' })).toEqual(['POST /v2/orders']);
    await waitFor('follower flat', () => sim.position(follower, 'AAPL').isZero(), wait);
    await fa.positions(); // what the app's 5 s refresh does: AAPL is no longer listed
    await new Promise((r) => setTimeout(r, 120)); // the account cache is now older than its TTL
    expect(await copyRequests({ symbol: 'AAPL', side: 'buy', qty: '2' })).toEqual(['POST /v2/orders']);
    expect(await copyRequests({ symbol: 'SPY', side: 'sell', qty: '1' })).toEqual(['POST /v2/orders']);
    await waitFor('follower copies filled', () => sim.position(follower, 'AAPL').eq(2) && sim.position(follower, 'SPY').eq(-1), wait);
  });
});
