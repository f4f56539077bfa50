// Issue 10 items 10-12 on the wire simulator: fills lost in stream gaps, stable execution ids across stream and
// activities, no look-back before connect, and fill facts that contradict the account (checked against REST).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import type { Execution } from '../../../core/domain/order.js';
import type { AlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { openJournal } from '../../../core/store/index.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import { adapterFor, FAST_TUNING, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const wait = { timeoutMs: 5000 };
/** Fast timers, but a request timeout a loaded machine does not hit. */
const SLOW_OK = { ...FAST_TUNING, requestTimeoutMs: 3_000 };
const sum = (xs: { qty: Decimal }[]) => xs.reduce((s, x) => s.add(x.qty), Decimal.ZERO);
const settle = (ms = 80) => new Promise((r) => setTimeout(r, ms));

describe('issue 10: Alpaca fills (adapter vs simulator)', () => {
  let sim: AlpacaSim;
  let keys: SimKeys;
  const adapters: AlpacaAdapter[] = [];
  const recorders: EventRecorder[] = [];

  const open = async (id: string): Promise<{ adapter: AlpacaAdapter; rec: EventRecorder }> => {
    const adapter = adapterFor(sim, keys, id, SLOW_OK);
    const rec = new EventRecorder(adapter);
    adapters.push(adapter);
    recorders.push(rec);
    await adapter.connect();
    return { adapter, rec };
  };
  const execsFor = (rec: EventRecorder, orderId: string): Execution[] => rec.log.execution.filter((e) => e.brokerOrderId === orderId);
  const reconnected = (rec: EventRecorder, n = 1) =>
    waitFor('a reconnect', () => rec.log.status.filter((s) => s.status === 'connected' && s.reconnected).length >= n, wait);

  beforeEach(async () => {
    sim = await startSim({ seed: 5, partialFillRate: 0 });
    keys = sim.addAccount();
  });

  afterEach(async () => {
    for (const r of recorders.splice(0)) r.stop();
    for (const a of adapters.splice(0)) await a.disconnect();
    await sim.stop();
  });

  it('issue 10 #10: a partial fill lost in a stream gap is a late execution when the cancel shows more filled than known', async () => {
    const { rec } = await open('leader');
    sim.loseFrames(keys.keyId, 1);
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '10', fills: ['3'], price: '150' });
    sim.cancelOrder(keys.keyId, order.id);
    const [late] = await waitFor('the late execution', () => execsFor(rec, order.id).length === 1 && execsFor(rec, order.id), wait);
    expect(sim.faults.count('lose')).toBe(1);
    expect(late!.qty.toString()).toBe('3');
    expect(late!.price.toString()).toBe('150.01');
    expect(late!.id).toBe(`${order.id}:3`);
    // The catch-up after a reconnect finds the activity and reports nothing twice.
    sim.injectStream(keys.keyId, 'drop');
    await reconnected(rec);
    await settle();
    expect(sum(execsFor(rec, order.id)).toString()).toBe('3');
  });

  it('issue 10 #11: one execution id per fill whether the stream or the FILL activities report it', async () => {
    const a = await open('via-stream');
    const b = await open('via-activities');
    sim.loseFrames(keys.keyId, 2, { conn: 1 });
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'MSFT', side: 'sell', qty: '8', fills: ['3', '5'], price: '400' });
    await waitFor('stream executions', () => execsFor(a.rec, order.id).length === 2, wait);
    expect(execsFor(b.rec, order.id)).toHaveLength(0);
    sim.injectStream(keys.keyId, 'drop');
    await reconnected(b.rec);
    await waitFor('catch-up executions', () => sum(execsFor(b.rec, order.id)).eq(8), wait);
    await settle();
    const ids = (r: EventRecorder) => execsFor(r, order.id).map((e) => e.id);
    expect(ids(a.rec)).toEqual([`${order.id}:3`, `${order.id}:8`]);
    expect(ids(b.rec)).toEqual(ids(a.rec));
    expect(execsFor(b.rec, order.id).map((e) => e.qty.toString())).toEqual(['3', '5']);
  });

  it('issue 10 #11: after a restart the catch-up does not re-report fills from before connect (a sell of 8 stays 8)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-alpaca-11-'));
    const journal = openJournal(join(dir, 'journal.sqlite'));
    try {
      const first = await open('leader-before-restart');
      first.adapter.on('execution', (e) => journal.recordExecution(e, Date.now(), []));
      const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'sell', qty: '8', fills: ['2', '2', '4'], price: '150' });
      await waitFor('the sell on the stream', () => sum(execsFor(first.rec, order.id)).eq(8), wait);
      await first.adapter.disconnect();

      const second = await open('leader-after-restart');
      second.adapter.on('execution', (e) => journal.recordExecution(e, Date.now(), []));
      const next = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '1' });
      await waitFor('the new fill', () => execsFor(second.rec, next.order.id).length === 1, wait);
      sim.injectStream(keys.keyId, 'drop');
      await reconnected(second.rec);
      await settle();
      expect(execsFor(second.rec, order.id)).toEqual([]);
      const db = new Database(join(dir, 'journal.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT qty FROM executions WHERE broker_order_id = ?').all(order.id) as { qty: string }[];
      db.close();
      expect(rows.map((r) => r.qty)).toEqual(['2', '2', '4']);
    } finally {
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('issue 10 #12: a position_qty that contradicts the account is never reported as the position; alert and REST check', async () => {
    const { rec } = await open('leader');
    sim.tamperNextFill(keys.keyId, { position_qty: '-999' });
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '1', price: '150' });
    const [exec] = await waitFor('the execution', () => execsFor(rec, order.id).length === 1 && execsFor(rec, order.id), wait);
    expect(exec!.qty.toString()).toBe('1');
    expect(exec!.positionAfter?.toString()).not.toBe('-999');
    const drift = await waitFor('a drift alert', () => rec.log.alert.find((a) => a.code === 'drift'), wait);
    expect(drift.message).toMatch(/-999/);
    await waitFor('the REST check', () => sim.requests.some((r) => r.method === 'GET' && r.path === '/v2/positions/AAPL'), wait);
    await waitFor('the checked position', () => rec.log.position.some((p) => p.symbol === 'AAPL' && p.qty.eq(1)), wait);
    expect(rec.log.position.some((p) => p.qty.eq(-999))).toBe(false);
  });

  it('issue 10 #12: a fill with a zero or negative price is not reported until REST shows a real price', async () => {
    const { rec } = await open('leader');
    sim.tamperNextFill(keys.keyId, (e) => ({ ...e, price: '0', order: { ...e.order, filled_avg_price: '-5' } }));
    const { order } = await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '2', price: '150' });
    const [exec] = await waitFor('the checked execution', () => execsFor(rec, order.id).length === 1 && execsFor(rec, order.id), wait);
    expect(exec!.price.toString()).toBe('150.01');
    expect(exec!.qty.toString()).toBe('2');
    expect(sim.requests.some((r) => r.method === 'GET' && r.path === `/v2/orders/${order.id}`)).toBe(true);
    expect(rec.log.alert.some((a) => a.code === 'malformed_message' && /price/.test(a.message))).toBe(true);
    expect(rec.log.execution.every((e) => e.price.sign() > 0)).toBe(true);
  });
});
