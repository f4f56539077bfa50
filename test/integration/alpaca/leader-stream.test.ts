// Leader side over the wire: executions from trade_updates under every stream fault the simulator can inject.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import type { AlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import { adapterFor, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const wait = { timeoutMs: 5000 };
const sum = (xs: { qty: Decimal }[]) => xs.reduce((s, x) => s.add(x.qty), Decimal.ZERO);

describe('Alpaca leader stream (adapter vs simulator)', () => {
  let sim: AlpacaSim;
  let keys: SimKeys;
  let adapter: AlpacaAdapter;
  let rec: EventRecorder;

  beforeEach(async () => {
    sim = await startSim({ seed: 5 });
    keys = sim.addAccount();
    adapter = adapterFor(sim, keys, 'leader');
    rec = new EventRecorder(adapter);
    await adapter.connect();
  });

  afterEach(async () => {
    rec.stop();
    await adapter.disconnect();
    await sim.stop();
  });

  const execsFor = (orderId: string) => rec.log.execution.filter((e) => e.brokerOrderId === orderId);
  const settle = () => new Promise((r) => setTimeout(r, 60));

  it('emits one execution per partial fill, with per-execution qty and the position after it', async () => {
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '10', fills: ['3', '2.5', '4.5'], price: '150' });
    const execs = await waitFor('three executions', () => execsFor(order.id).length === 3 && execsFor(order.id), wait);
    expect(execs.map((e) => e.qty.toString())).toEqual(['3', '2.5', '4.5']);
    expect(execs.map((e) => e.positionAfter?.toString())).toEqual(['3', '5.5', '10']);
    expect(execs.every((e) => e.price.eq('150.01') && e.side === 'buy' && e.symbol === 'AAPL')).toBe(true);
    expect(new Set(execs.map((e) => e.id)).size).toBe(3);
  });

  it('ignores a replayed new+fill with the same execution_id', async () => {
    sim.injectStream(keys.keyId, 'duplicate');
    const { order, fills } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '5' });
    await waitFor('the fill', () => execsFor(order.id).length > 0, wait);
    await settle();
    expect(sim.faults.count('duplicate')).toBe(1);
    expect(fills[0]!.execution_id).toBeDefined();
    expect(execsFor(order.id).map((e) => e.id)).toEqual([`${order.id}:5`]); // one id per fill on every path (issue 10 #11)
    expect(sum(execsFor(order.id)).eq(5)).toBe(true);
    expect(rec.log.order.filter((o) => o.brokerOrderId === order.id).at(-1)?.status).toBe('filled');
  });

  it('derives quantities from cumulative filled_qty when frames arrive out of order', async () => {
    sim.injectStream(keys.keyId, 'reorder', 3);
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'MSFT', side: 'sell', qty: '6', fills: ['2', '4'] });
    await waitFor('the final fill', () => sum(execsFor(order.id)).eq(6), wait);
    await settle();
    expect(sum(execsFor(order.id)).toString()).toBe('6');
    expect(execsFor(order.id).at(-1)?.positionAfter?.toString()).toBe('-6');
  });

  it('survives unknown events and malformed frames with alerts and keeps streaming', async () => {
    sim.injectStream(keys.keyId, 'unknown_event');
    sim.injectStream(keys.keyId, 'malformed');
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '1' });
    await waitFor('the fill after the garbage', () => execsFor(order.id).length === 1, wait);
    const malformed = rec.log.alert.filter((a) => a.code === 'malformed_message');
    expect(malformed.length).toBeGreaterThanOrEqual(3);
    expect(malformed.every((a) => !JSON.stringify(a).includes(keys.secretKey))).toBe(true);
    expect(adapter.health().status).toBe('connected');
  });

  it('reconnects after a dropped socket and catches up missed fills over REST exactly once', async () => {
    sim.injectStream(keys.keyId, 'drop');
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '7', fills: ['3', '4'] });
    await waitFor('a reconnected status', () => rec.log.status.some((s) => s.status === 'connected' && s.reconnected), wait);
    await waitFor('missed fills from the catch-up', () => sum(execsFor(order.id)).eq(7), wait);
    await settle();
    expect(sum(execsFor(order.id)).toString()).toBe('7');
    expect(rec.log.status.some((st) => st.status === 'reconnecting' && /closed/.test(st.reason ?? ''))).toBe(true);
    expect(rec.log.position.some((p) => p.symbol === 'AAPL' && p.qty.eq(7))).toBe(true);
  });

  it('detects a silent stall by the missing pong, reconnects and catches up', async () => {
    sim.injectStream(keys.keyId, 'stall');
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'SPY', side: 'buy', qty: '2' });
    await waitFor('a reconnect after the stall', () => rec.log.status.some((s) => s.status === 'connected' && s.reconnected), wait);
    await waitFor('the stalled fill via catch-up', () => sum(execsFor(order.id)).eq(2), wait);
    expect(rec.log.status.some((st) => st.status === 'reconnecting' && /pong|silent/.test(st.reason ?? ''))).toBe(true);
  });

  it('backs off when the stream handshake is refused with 429, with an alert', async () => {
    sim.faults.handshake429 = 2;
    sim.injectStream(keys.keyId, 'drop');
    await waitFor('a reconnect past the 429s', () => rec.log.status.some((s) => s.status === 'connected' && s.reconnected), wait);
    expect(sim.faults.count('handshake_429')).toBe(2);
    expect(rec.log.alert.filter((a) => a.code === 'rate_limited').length).toBe(2);
  });
});
