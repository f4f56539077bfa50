// ProjectX adapter against the simulator under faults: duplicates, reordering, drops, stalls, GatewayLogout,
// token expiry and refresh, 429 bursts; leader executions must stay exactly-once and nothing may be missed.
import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { BrokerError } from '../../../core/domain/errors.js';
import { clientOrderId } from '../../../core/domain/ids.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { LEADER, MES, makeAdapter, startSim } from './harness.js';

const wait = { timeoutMs: 8_000 };
let sim: ProjectXSim;
let adapters: BrokerAdapter[] = [];

afterEach(async () => {
  for (const a of adapters) await a.disconnect();
  adapters = [];
  await sim.close();
});

async function leader(opts: Parameters<typeof startSim>[0] = {}) {
  sim = await startSim(opts);
  const adapter = makeAdapter(sim, LEADER);
  adapters.push(adapter);
  const rec = new EventRecorder(adapter);
  await adapter.connect();
  return { adapter, rec };
}

const execQty = (rec: EventRecorder) => rec.log.execution.reduce((s, e) => s.add(e.side === 'buy' ? e.qty : e.qty.neg()), Decimal.ZERO);
const uniqueIds = (rec: EventRecorder) => new Set(rec.log.execution.map((e) => e.id)).size === rec.log.execution.length;

describe('ProjectX leader feed', () => {
  it('emits each trade once under duplicated and reordered events, ignoring the re-emitted trade at close', async () => {
    const { rec } = await leader();
    sim.hub.duplicate = true;
    sim.hub.reorder = true;
    sim.trade(LEADER, MES, 'buy', 3);
    await waitFor('the opening execution', () => rec.log.execution.length === 1, wait);
    sim.trade(LEADER, MES, 'sell', 3);
    await waitFor('two executions and a flat position', () =>
      rec.log.execution.length === 2 && rec.log.position.at(-1)?.qty.isZero(), wait);
    await new Promise((r) => setTimeout(r, 150));
    expect(rec.log.execution.map((e) => `${e.side}${e.qty.toString()}@${e.symbol}`)).toEqual(['buy3@MES', 'sell3@MES']);
    expect(rec.log.execution.map((e) => e.positionAfter?.toString())).toEqual(['3', '0']);
    expect(uniqueIds(rec)).toBe(true);
    const filled = rec.log.order.filter((o) => o.status === 'filled');
    expect(filled).toHaveLength(2);
    for (const f of filled) {
      const statuses = rec.log.order.filter((o) => o.brokerOrderId === f.brokerOrderId).map((o) => o.status);
      expect(statuses.at(-1)).toBe('filled');
      expect(statuses.filter((s) => s === 'filled')).toHaveLength(1);
    }
    expect(rec.log.account).toHaveLength(2);
    expect(sim.hub.duplicate && sim.exchange.reemitOnClose).toBe(true);
  });

  it('parses bare entities (docs form) as well as {action,data} wrappers', async () => {
    const { rec } = await leader();
    sim.hub.bareEntities = true;
    sim.trade(LEADER, MES, 'sell', 2);
    await waitFor('a short position', () => rec.log.position.at(-1)?.qty.eq(-2), wait);
    expect(rec.log.execution.map((e) => e.qty.toString())).toEqual(['2']);
  });

  it('catches up a trade missed during a silent stall through REST after the watchdog rebuilds the hub', async () => {
    const { adapter, rec } = await leader();
    sim.hub.stall();
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('a reconnecting status', () => rec.log.status.some((s) => s.status === 'reconnecting'), wait);
    await waitFor('a reconnected status', () => rec.log.status.some((s) => s.reconnected), wait);
    await waitFor('the missed execution', () => rec.log.execution.length === 1, wait);
    expect(rec.log.execution[0]!.positionAfter?.toString()).toBe('1');
    expect(adapter.health().status).toBe('connected');
    expect(rec.log.alert.some((a) => a.code === 'disconnected')).toBe(true);
    expect(rec.log.alert.some((a) => a.code === 'reconnected')).toBe(true);
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('the next live execution', () => rec.log.execution.length === 2, wait);
    expect(uniqueIds(rec)).toBe(true);
  });

  it('reconnects and resubscribes after a dropped socket and a server close', async () => {
    const { rec } = await leader();
    sim.hub.drop();
    await waitFor('reconnected once', () => rec.log.status.filter((s) => s.reconnected).length === 1, wait);
    sim.hub.closeAll('Server restarting', true);
    await waitFor('reconnected twice', () => rec.log.status.filter((s) => s.reconnected).length === 2, wait);
    sim.trade(LEADER, MES, 'buy', 2);
    await waitFor('an execution on the new connection', () => execQty(rec).eq(2), wait);
    expect(sim.hub.invocations.filter((i) => i.target === 'SubscribeTrades').length).toBeGreaterThanOrEqual(3);
  });

  it('alerts on GatewayLogout, backs off, then reconnects', async () => {
    const { rec } = await leader();
    sim.hub.logout();
    await waitFor('a logout alert', () => rec.log.alert.find((a) => a.code === 'broker_notice' && /GatewayLogout/.test(a.message)), wait);
    await waitFor('reconnected after the backoff', () => rec.log.status.some((s) => s.reconnected), wait);
  });

  it('refreshes a short-lived token before exp, rebuilds the hub with it, and misses no trade', async () => {
    const { rec } = await leader({ tokenTtlMs: 2_500 });
    const connects = sim.hub.connects;
    await waitFor('a validate refresh', () => sim.auth.validations >= 1, wait);
    await waitFor('a rebuilt hub connection', () => sim.hub.connects > connects, wait);
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('an execution after the refresh', () => rec.log.execution.length === 1, wait);
    expect(sim.auth.logins).toBe(1);
  });

  it('recovers from an expired token mid-session (401 -> validate fails -> login) without losing events', async () => {
    const { adapter, rec } = await leader();
    sim.expireTokens();
    expect(await adapter.findOrderByClientId(clientOrderId('md1-none-0'))).toBeNull();
    expect(sim.auth.logins).toBe(2);
    sim.hub.drop();
    await waitFor('reconnected with the new token', () => rec.log.status.some((s) => s.reconnected), wait);
    sim.trade(LEADER, MES, 'sell', 1);
    await waitFor('the execution', () => rec.log.execution.length === 1, wait);
  });

  it('renews the token when the hub refuses it on reconnect (401 at upgrade)', async () => {
    const { rec } = await leader();
    sim.expireTokens();
    sim.hub.drop();
    await waitFor('reconnected with a fresh token', () => rec.log.status.some((s) => s.reconnected), wait);
    expect(sim.auth.logins).toBe(2);
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('the execution', () => rec.log.execution.length === 1, wait);
  });

  it('connects again after a disconnect (the shared session restarts with a new login and hub)', async () => {
    const { adapter, rec } = await leader();
    await adapter.disconnect();
    await waitFor('the hub socket to close', () => sim.hub.connectionCount === 0, wait);
    await adapter.connect();
    expect(sim.auth.logins).toBe(2);
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('an execution after reconnecting', () => rec.log.execution.length === 1, wait);
  });

  it('shares one login, one hub connection and one bucket between accounts of the same user', async () => {
    sim = await startSim();
    const a = makeAdapter(sim, LEADER);
    const b = makeAdapter(sim, 30_000_001);
    adapters.push(a, b);
    await Promise.all([a.connect(), b.connect()]);
    expect(sim.auth.logins).toBe(1);
    expect(sim.hub.connectionCount).toBe(1);
    const rb = new EventRecorder(b);
    sim.trade(30_000_001, MES, 'buy', 1);
    await waitFor('b sees its fill', () => rb.log.execution.length === 1, wait);
    await a.disconnect();
    expect(sim.hub.connectionCount).toBe(1);
  });
});

describe('ProjectX follower orders', () => {
  const req = (adapter: BrokerAdapter, tag: string, extra: Record<string, unknown> = {}) => ({
    accountId: adapter.accountId, clientOrderId: clientOrderId(tag), symbol: 'MES', side: 'buy' as const, qty: Decimal.ONE,
    type: 'market' as const, timeInForce: 'day' as const, purpose: 'copy' as const, ...extra,
  });

  it('turns a 429 on place into an unknown outcome, settled by finding the tag', async () => {
    const { adapter, rec } = await leader();
    await adapter.instrument('MES');
    sim.rateLimitBurst(1, 1);
    const err = await adapter.submitOrder(req(adapter, 'md1-429-0')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).outcome).toBe('unknown');
    expect((err as BrokerError).retryAfterMs).toBe(1000);
    expect(rec.log.alert.some((a) => a.code === 'rate_limited')).toBe(true);
    expect(await adapter.findOrderByClientId(clientOrderId('md1-429-0'))).toBeNull();
    expect(sim.placeRequests()).toHaveLength(0);
  });

  it('learns through REST that a working order finished while the hub was silent', async () => {
    const { adapter, rec } = await leader();
    const order = await adapter.submitOrder(req(adapter, 'md1-gap-0', { type: 'limit', limitPrice: Decimal.from('5000') }));
    await waitFor('the order to be known', () => rec.log.order.some((o) => o.brokerOrderId === order.brokerOrderId), wait);
    sim.hub.stall();
    sim.exchange.cancel(LEADER, Number(order.brokerOrderId));
    await waitFor('a cancelled order event after the reconnect', () =>
      rec.log.order.some((o) => o.brokerOrderId === order.brokerOrderId && o.status === 'cancelled'), wait);
    expect(rec.log.status.some((s) => s.reconnected)).toBe(true);
  });

  it('sends signed bracket ticks on Auto-OCO accounts; legs stay Suspended until the entry fills', async () => {
    sim = await startSim();
    const f = makeAdapter(sim, 30_000_001);
    adapters.push(f);
    await f.connect();
    const order = await f.submitOrder(req(f, 'md1-br-0', { side: 'sell', type: 'limit', limitPrice: Decimal.from('7000'), bracket: { stopLossTicks: 8, takeProfitTicks: 16 } }));
    const body = sim.placeRequests(30_000_001)[0] as unknown as Record<string, { ticks: number; type: number }>;
    expect(body.stopLossBracket).toEqual({ ticks: 8, type: 4 });
    expect(body.takeProfitBracket).toEqual({ ticks: -16, type: 1 });
    const open = await f.openOrders();
    expect(open.map((o) => (o.raw as { status: number }).status).sort()).toEqual([1, 8, 8]);
    const results = await f.cancelAllOrders();
    expect(results.every((r) => r.ok)).toBe(true);
    expect(order.status).toBe('accepted');
  });

  it('surfaces Position-Brackets rejections, copier followers that cannot cancel, live and non-trading accounts', async () => {
    sim = await startSim({ accounts: [
      { id: 50_000_001, copierFollower: true }, { id: 50_000_002, simulated: false }, { id: 50_000_003, canTrade: false },
    ] });
    const [a, b, c] = [50_000_001, 50_000_002, 50_000_003].map((id) => makeAdapter(sim, id));
    adapters.push(a!, b!, c!);
    const [ra, rb, rc] = [a!, b!, c!].map((x) => new EventRecorder(x));
    await Promise.all([a!.connect(), b!.connect(), c!.connect()]);
    const rej = await a!.submitOrder(req(a!, 'md1-pb-0', { bracket: { stopLossTicks: 4 } })).catch((e: unknown) => e as BrokerError);
    expect(rej).toMatchObject({ code: 'rejected', outcome: 'definite' });
    expect(ra!.log.alert.some((x) => x.code === 'order_rejected' && /Auto-OCO/.test(x.message))).toBe(true);
    const limit = await a!.submitOrder(req(a!, 'md1-pb-1', { type: 'limit', limitPrice: Decimal.from('5000') }));
    await expect(a!.cancelOrder(limit.brokerOrderId)).rejects.toMatchObject({ code: 'forbidden' });
    expect(ra!.log.alert.some((x) => /Follower accounts cannot cancel/.test(x.message))).toBe(true);
    expect(rb!.log.alert.some((x) => /live account/.test(x.message))).toBe(true);
    expect(rc!.log.alert.some((x) => /cannot trade/.test(x.message))).toBe(true);
    await expect(c!.submitOrder(req(c!, 'md1-ct-0'))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('resolves MES and ES to their active contracts with tick size, tick value and multiplier', async () => {
    const { adapter } = await leader();
    const mes = await adapter.instrument('MES');
    const es = await adapter.instrument('ES');
    expect([mes.contractId, mes.multiplier.toString(), mes.tickValue?.toString()]).toEqual(['CON.F.US.MES.Z26', '5', '1.25']);
    expect([es.contractId, es.multiplier.toString(), es.tickSize.toString()]).toEqual(['CON.F.US.EP.Z26', '50', '0.25']);
    await expect(adapter.instrument('NOPE')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('alerts on a malformed hub event and keeps going', async () => {
    const { rec } = await leader();
    sim.hub.publish(LEADER, 'GatewayUserTrade', 0, { id: 'x', accountId: LEADER, price: 'abc' });
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('the good execution', () => rec.log.execution.length === 1, wait);
    expect(rec.log.alert.some((a) => a.code === 'malformed_message')).toBe(true);
  });
});
