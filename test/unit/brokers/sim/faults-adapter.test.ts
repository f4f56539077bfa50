// Fault injection through the SimAdapter: rejects, unknown outcomes, link drops, latency; plus adapter mapping.
import { describe, expect, it } from 'vitest';
import { SimAdapter } from '../../../../core/brokers/sim/index.js';
import { BrokerError, isUnknownOutcome } from '../../../../core/domain/errors.js';
import { accountId } from '../../../../core/domain/ids.js';
import type { BrokerEvents } from '../../../../core/ports/broker-adapter.js';
import { flushMicrotasks } from '../../../support/test-clock.js';
import { world } from './sim-world.js';

async function connected(opts: Parameters<typeof world>[0] = {}, adapterOpts: ConstructorParameters<typeof SimAdapter>[2] = {}) {
  const w = world(opts);
  const adapter = new SimAdapter(w.ex, 'A', adapterOpts);
  const seen: { [K in keyof BrokerEvents]?: BrokerEvents[K][] } = {};
  for (const k of ['status', 'execution', 'order', 'position', 'account', 'alert'] as const) {
    adapter.on(k, (e) => ((seen[k] ??= []) as unknown[]).push(e));
  }
  await adapter.connect();
  return { ...w, adapter, seen };
}

const failure = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as BrokerError);

describe('fault injection', () => {
  it('injectRejects: the next N valid submits are definite rejections with the reason, then trading resumes', async () => {
    const { ex, adapter, req } = await connected();
    ex.injectRejects('A', 2, 'risk check');
    for (let i = 0; i < 2; i++) {
      const err = await failure(adapter.submitOrder(req('buy', '1')));
      expect(err).toBeInstanceOf(BrokerError);
      expect([err!.code, err!.outcome]).toEqual(['rejected', 'definite']);
      expect(err!.message).toContain('risk check');
    }
    const ok = await adapter.submitOrder(req('buy', '1'));
    expect(ok.status).toBe('accepted');
    expect(ex.orders('A')).toHaveLength(1);
  });

  it('injectUnknownOutcome placed:true: the submit times out but the order exists and fills', async () => {
    const { ex, adapter, req, seen } = await connected();
    ex.injectUnknownOutcome('A', { placed: true });
    const r = req('buy', '2');
    const err = await failure(adapter.submitOrder(r));
    expect([err!.code, isUnknownOutcome(err)]).toEqual(['timeout', true]);
    await flushMicrotasks();
    const found = await adapter.findOrderByClientId(r.clientOrderId);
    expect(found?.status).toBe('filled');
    expect(seen.execution).toHaveLength(1);
    expect((await failure(adapter.submitOrder(r)))!.code).toBe('duplicate_client_id');
  });

  it('injectUnknownOutcome placed:false: the submit times out, nothing exists, the same client id can be retried', async () => {
    const { ex, adapter, req } = await connected();
    ex.injectUnknownOutcome('A', { placed: false, count: 2 });
    const r = req('sell', '1');
    expect((await failure(adapter.submitOrder(r)))!.code).toBe('timeout');
    expect(await adapter.findOrderByClientId(r.clientOrderId)).toBeNull();
    expect((await failure(adapter.submitOrder(r)))!.code).toBe('timeout');
    const placed = await adapter.submitOrder(r);
    expect(placed.clientOrderId).toBe(r.clientOrderId);
  });

  it('disconnect/reconnect: reconnecting then connected(reconnected), requests fail meanwhile, events are lost', async () => {
    const { ex, adapter, req, seen, clock } = await connected({ latencyMs: 10 });
    const resting = await adapter.submitOrder(req('buy', '1'));
    ex.disconnect('A');
    expect(adapter.health().status).toBe('reconnecting');
    const err = await failure(adapter.positions());
    expect([err!.code, err!.outcome]).toEqual(['network', 'unknown']);
    await clock.advanceAsync(20);
    expect(ex.order('A', resting.brokerOrderId)!.status).toBe('filled');
    expect(seen.execution ?? []).toHaveLength(0);
    ex.reconnect('A');
    expect(seen.status!.map((s) => [s.status, s.reconnected ?? false])).toEqual([
      ['connecting', false],
      ['connected', false],
      ['reconnecting', false],
      ['connected', true],
    ]);
    expect((await adapter.positions()).map((p) => p.qty.toString())).toEqual(['1']);
  });

  it('setLatency delays fills until the clock moves', async () => {
    const { ex, adapter, req, clock } = await connected();
    ex.setLatency(250);
    const o = await adapter.submitOrder(req('buy', '1'));
    await clock.advanceAsync(249);
    expect(ex.order('A', o.brokerOrderId)!.status).toBe('accepted');
    await clock.advanceAsync(1);
    expect(ex.order('A', o.brokerOrderId)!.status).toBe('filled');
  });
});

describe('SimAdapter', () => {
  it('reports its own account id on every record when it differs from the venue id', async () => {
    const { adapter, req, seen } = await connected({}, { accountId: accountId('leader-1') });
    expect(adapter.accountId).toBe('leader-1');
    const o = await adapter.submitOrder(req('buy', '1'));
    await flushMicrotasks();
    expect(o.accountId).toBe('leader-1');
    const ids = [
      ...seen.order!, ...seen.execution!, ...seen.position!, ...seen.account!,
      ...(await adapter.positions()), await adapter.account(), ...(await adapter.openOrders()),
    ].map((r) => r.accountId);
    expect(new Set(ids)).toEqual(new Set(['leader-1']));
  });

  it('queues requests behind its rate limit on the venue clock, flatten first', async () => {
    const { adapter, req, clock } = await connected({}, { rateLimit: { requests: 1, windowMs: 1000 } });
    await adapter.positions();
    const order: string[] = [];
    void adapter.positions().then(() => order.push('query'));
    void adapter.submitOrder(req('buy', '1')).then(() => order.push('copy'));
    void adapter.closePosition('MES').then(() => order.push('flatten'));
    await flushMicrotasks();
    expect(order).toEqual([]);
    await clock.advanceAsync(3000);
    expect(order).toEqual(['flatten', 'copy', 'query']);
    expect(adapter.capabilities.rateLimit).toEqual({ requests: 1, windowMs: 1000 });
  });

  it('advertises capability overrides', async () => {
    const { adapter } = await connected({}, { capabilities: { reversalInOneOrder: false } });
    expect(adapter.capabilities.reversalInOneOrder).toBe(false);
    expect(adapter.capabilities.fractionalQty).toBe(true);
    expect(adapter.capabilities.rateLimit).toEqual({ requests: 200, windowMs: 60_000 });
  });

  it('fails waiting requests on disconnect and refuses requests until connected', async () => {
    const { adapter, req } = await connected({}, { rateLimit: { requests: 1, windowMs: 1000 } });
    await adapter.positions();
    const waiting = failure(adapter.submitOrder(req('buy', '1')));
    await adapter.disconnect();
    expect((await waiting)!.code).toBe('network');
    expect((await failure(adapter.account()))!.code).toBe('network');
  });

  it('turns a throwing listener into an alert and keeps delivering', async () => {
    const { adapter, req, seen } = await connected();
    adapter.on('execution', () => {
      throw new Error('listener bug');
    });
    await adapter.submitOrder(req('buy', '1'));
    await flushMicrotasks();
    expect(seen.execution).toHaveLength(1);
    expect(seen.alert?.map((a) => a.message)).toEqual(["sim: a listener for 'execution' failed: listener bug"]);
  });

  it('fails to connect to an unknown account with a definite auth error, and to a dropped link', async () => {
    const { ex } = world();
    const ghost = new SimAdapter(ex, 'ghost');
    const err = await failure(ghost.connect());
    expect([err!.code, err!.outcome]).toEqual(['auth', 'definite']);
    expect(ghost.health().status).toBe('failed');
    ex.disconnect('A');
    const down = new SimAdapter(ex, 'A');
    expect((await failure(down.connect()))!.code).toBe('network');
  });

  it('cancelAllOrders reports each order, closePosition reports an unknown symbol instead of throwing', async () => {
    const { adapter, req } = await connected();
    await adapter.submitOrder(req('buy', '1', 'MES', { type: 'limit', limitPrice: (await adapter.instrument('MES')).tickSize }));
    await adapter.submitOrder(req('sell', '1', 'MSFT', { type: 'limit', limitPrice: (await adapter.instrument('MSFT')).tickSize.mul(100000) }));
    const results = await adapter.cancelAllOrders();
    expect(results.map((r) => [r.symbol, r.ok])).toEqual([['MES', true], ['MSFT', true]]);
    expect(await adapter.openOrders()).toEqual([]);
    const bad = await adapter.closePosition('ZZZ');
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatch(/unknown symbol/);
    expect((await adapter.closePosition('MES')).ok).toBe(true);
  });
});
