// Follower side over the wire: idempotent submits under REST faults, pre-trade checks, kill switch.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followerClientId } from '../../../core/domain/client-id.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { BrokerError } from '../../../core/domain/errors.js';
import type { OrderRequest } from '../../../core/domain/order.js';
import type { AlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import { adapterFor, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const wait = { timeoutMs: 5000 };
let n = 0;

async function failure(p: Promise<unknown>): Promise<BrokerError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(BrokerError);
  return err as BrokerError;
}

describe('Alpaca follower orders (adapter vs simulator)', () => {
  let sim: AlpacaSim;
  let keys: SimKeys;
  let adapter: AlpacaAdapter;
  let rec: EventRecorder;

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
  const posts = () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders').length;

  beforeEach(async () => {
    sim = await startSim({ seed: 9, partialFillRate: 0 });
    keys = sim.addAccount();
    adapter = adapterFor(sim, keys, 'follower');
    rec = new EventRecorder(adapter);
    await adapter.connect();
  });

  afterEach(async () => {
    rec.stop();
    await adapter.disconnect();
    await sim.stop();
  });

  for (const kind of ['500', 'timeout', 'drop'] as const) {
    it(`settles a POST that took effect but answered ${kind} by client id, without resubmitting`, async () => {
      sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind, when: 'after' });
      const r = req();
      const order = await adapter.submitOrder(r);
      expect(order.clientOrderId).toBe(r.clientOrderId);
      expect(posts()).toBe(1);
      expect(sim.orders(keys.keyId).filter((o) => o.clientOrderId === r.clientOrderId)).toHaveLength(1);
      expect(rec.log.alert.some((a) => a.code === 'outcome_settled')).toBe(true);
      await waitFor('the position', () => sim.position(keys.keyId, 'AAPL').eq(2), wait);
    });
  }

  it('leaves a 429 after the POST took effect as unknown; the client id lookup after the pause finds the one order', async () => {
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: '429', when: 'after' });
    const r = req();
    const err = await failure(adapter.submitOrder(r));
    expect(err.code).toBe('rate_limited');
    expect(err.outcome).toBe('unknown');
    const found = await adapter.findOrderByClientId(r.clientOrderId);
    expect(found?.clientOrderId).toBe(r.clientOrderId);
    expect(posts()).toBe(1);
    expect(rec.log.alert.some((a) => a.code === 'rate_limited')).toBe(true);
  });

  it('reports an unknown outcome when the POST failed before taking effect, and the lookup finds nothing', async () => {
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: '503', when: 'before' });
    const r = req();
    const err = await failure(adapter.submitOrder(r));
    expect(err.code).toBe('server');
    expect(err.outcome).toBe('unknown');
    expect(await adapter.findOrderByClientId(r.clientOrderId)).toBeNull();
    expect(sim.orders(keys.keyId)).toHaveLength(0);
  });

  it('maps the 429 bucket answer to rate_limited with a retry delay from the X-Ratelimit headers, and alerts', async () => {
    await adapter.account();
    sim.setRateLimit(1);
    const err = await failure(adapter.account());
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(rec.log.alert.some((a) => a.code === 'rate_limited')).toBe(true);
  });

  it('rejects a fractional quantity on a non-fractionable asset before sending anything', async () => {
    const err = await failure(adapter.submitOrder(req({ symbol: 'BRK.A', qty: Decimal.from('0.5') })));
    expect(err.code).toBe('invalid');
    expect(err.message).toMatch(/BRK\.A is not fractionable/);
    expect(posts()).toBe(0);
    expect((await adapter.instrument('BRK.A')).fractionable).toBe(false);
  });

  it('allows fractional market/day orders on fractionable assets but not fractional limit orders', async () => {
    const ok = await adapter.submitOrder(req({ qty: Decimal.from('0.25') }));
    expect(ok.qty.toString()).toBe('0.25');
    const err = await failure(adapter.submitOrder(req({ qty: Decimal.from('0.25'), type: 'limit', limitPrice: Decimal.from(50) })));
    expect(err.code).toBe('invalid');
    expect(posts()).toBe(1);
  });

  it('refuses to open a short in a non-shortable asset and on an unknown symbol, with clear errors', async () => {
    const short = await failure(adapter.submitOrder(req({ symbol: 'GME', side: 'sell' })));
    expect(short.code).toBe('rejected');
    expect(short.message).toMatch(/GME is not shortable/);
    const unknown = await failure(adapter.instrument('NOPE'));
    expect(unknown.code).toBe('not_found');
    expect(rec.log.alert.some((a) => a.code === 'instrument_unavailable' && a.message.includes('NOPE'))).toBe(true);
    expect(posts()).toBe(0);
  });

  it('kill switch: cancels all orders and closes all positions, reading the 207 answers per item', async () => {
    await adapter.submitOrder(req({ qty: Decimal.from(3) }));
    await adapter.submitOrder(req({ symbol: 'MSFT', qty: Decimal.from(1) }));
    await waitFor('two positions', () => sim.account(keys.keyId).positions.size === 2, wait);
    await adapter.submitOrder(req({ type: 'limit', limitPrice: Decimal.from(10) }));
    const cancelled = await adapter.cancelAllOrders();
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.ok).toBe(true);
    const closed = await adapter.closeAllPositions();
    expect(closed.map((c) => c.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(closed.every((c) => c.ok)).toBe(true);
    await waitFor('flat', () => sim.account(keys.keyId).positions.size === 0, wait);
  });

  it('exposes the market session for the outside-hours policy', async () => {
    expect((await adapter.marketSession()).open).toBe(true);
    sim.book.setMarketOpen(false);
    const other = adapterFor(sim, keys, 'follower-2');
    expect((await other.marketSession()).open).toBe(false);
  });
});

describe('Alpaca credentials', () => {
  it('rejects wrong credentials with a definite auth error and an alert that never shows the secret', async () => {
    const sim = await startSim();
    const keys = sim.addAccount();
    const bad = { keyId: keys.keyId, secretKey: 'totally-wrong-secret-value' };
    const adapter = adapterFor(sim, bad, 'bad-creds');
    const rec = new EventRecorder(adapter);
    const err = await failure(adapter.connect());
    expect(err.code).toBe('auth');
    expect(err.outcome).toBe('definite');
    const alert = rec.log.alert.find((a) => a.code === 'auth_failed');
    expect(alert?.severity).toBe('critical');
    expect(JSON.stringify([err.message, rec.log.alert])).not.toContain('totally-wrong-secret-value');
    expect(adapter.health().status).toBe('failed');
    await adapter.disconnect();
    await sim.stop();
  });
});
