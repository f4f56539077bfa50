// Issue 10, ProjectX items 3, 4 and 5 and the send gate: contract ids on every report and order, unknown outcomes
// settled by order id and hub events, failure codes with an order id, cancel refusals, suspended bracket children.
import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { BrokerError } from '../../../core/domain/errors.js';
import { clientOrderId } from '../../../core/domain/ids.js';
import type { OrderRequest } from '../../../core/domain/order.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { LEADER, MES, makeAdapter, startSim } from './harness.js';

const wait = { timeoutMs: 8_000 };
const MES_SEPT = 'CON.F.US.MES.U26';
const FOLLOWER = 30_000_001;
let sim: ProjectXSim;
let started = false;
let adapters: BrokerAdapter[] = [];

afterEach(async () => {
  for (const a of adapters) await a.disconnect();
  adapters = [];
  if (started) await sim.close();
  started = false;
});

async function connected(px: number) {
  if (!started) sim = await startSim();
  started = true;
  const adapter = makeAdapter(sim, px);
  adapters.push(adapter);
  const rec = new EventRecorder(adapter);
  await adapter.connect();
  return { adapter, rec };
}

const req = (a: BrokerAdapter, tag: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  accountId: a.accountId, clientOrderId: clientOrderId(tag), symbol: 'MES', side: 'buy', qty: Decimal.ONE,
  type: 'market', timeInForce: 'day', purpose: 'copy', ...extra,
});

describe('issue 10 ProjectX: contract ids and the send gate', () => {
  it('issue 10 ProjectX #3: Sept and Dec MES stay apart by contract id and a close trades the contract held', async () => {
    sim = await startSim();
    started = true;
    sim.setContractActive(MES_SEPT, true);
    const { adapter: leader, rec } = await connected(LEADER);
    sim.trade(LEADER, MES_SEPT, 'buy', 1);
    sim.trade(LEADER, MES, 'buy', 2);
    await waitFor('two executions', () => rec.log.execution.length === 2, wait);
    expect(rec.log.execution.map((e) => e.instrumentId)).toEqual([MES_SEPT, MES]);
    const rows = (await leader.positions()).map((p) => `${p.symbol} ${p.instrumentId} ${p.qty.toString()}`).sort();
    expect(rows).toEqual([`MES ${MES_SEPT} 1`, `MES ${MES} 2`]);

    const { adapter: f } = await connected(FOLLOWER);
    sim.trade(FOLLOWER, MES_SEPT, 'buy', 1);
    sim.trade(FOLLOWER, MES, 'buy', 1);
    const close = await f.submitOrder(req(f, 'roll-close-0', { side: 'sell', instrumentId: MES_SEPT }));
    expect(close.instrumentId).toBe(MES_SEPT);
    expect([sim.exchange.position(FOLLOWER, MES_SEPT), sim.exchange.position(FOLLOWER, MES)]).toEqual([0, 1]);
    await expect(f.submitOrder(req(f, 'roll-close-1', { symbol: 'ES', instrumentId: MES_SEPT }))).rejects.toMatchObject({ code: 'invalid' });
  });

  it('issue 10 ProjectX gate: a closed send gate stops the order after every read, nothing reaches Order/place', async () => {
    const { adapter } = await connected(LEADER);
    let readsBeforeGate = -1;
    // Active contracts are read at login (issue 11); a close in an expired contract still needs its read first.
    const err = await adapter.submitOrder(req(adapter, 'gate-0', { instrumentId: MES_SEPT }), () => {
      readsBeforeGate = sim.rest.log.filter((e) => e.path === '/api/Contract/searchById').length;
      return 'trading halted';
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_sent', outcome: 'definite' });
    expect(readsBeforeGate).toBe(1);
    expect(sim.placeRequests()).toHaveLength(0);
    await adapter.submitOrder(req(adapter, 'gate-1'), () => undefined);
    expect(sim.placeRequests()).toHaveLength(1);
  });
});

describe('issue 10 ProjectX #4: unknown outcomes and failure codes with an order id', () => {
  it('issue 10 ProjectX #4: a lost place answer is settled from hub order events when queries omit customTag', async () => {
    const { adapter, rec } = await connected(FOLLOWER);
    await adapter.instrument('MES');
    sim.rest.omitCustomTag = true;
    sim.rest.dropPlaceResponses = 1;
    const err = await adapter.submitOrder(req(adapter, 'lost-0')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).outcome).toBe('unknown');
    await waitFor('the hub order event', () => rec.log.order.some((o) => o.status === 'filled'), wait);
    const found = await adapter.findOrderByClientId(clientOrderId('lost-0'));
    expect(found?.brokerOrderId).toBe(String([...sim.exchange.orders.keys()].at(-1)));
    expect(found?.status).toBe('filled');
  });

  it('issue 10 ProjectX #4: an order id with a failure code is a definite rejection, found again by its id', async () => {
    const { adapter } = await connected(FOLLOWER);
    sim.rest.omitCustomTag = true;
    sim.exchange.forcedPlaceError = { code: 7, message: 'An unknown error occurred' };
    const err = await adapter.submitOrder(req(adapter, 'rej-0')).catch((e: unknown) => e);
    sim.exchange.forcedPlaceError = undefined;
    expect(err).toMatchObject({ code: 'rejected', outcome: 'definite' });
    const id = String([...sim.exchange.orders.keys()].at(-1));
    expect((err as BrokerError).message).toContain(id);
    const found = await adapter.findOrderByClientId(clientOrderId('rej-0'));
    expect([found?.brokerOrderId, found?.status]).toEqual([id, 'rejected']);
  });
});

describe('ProjectX: a refused place and the hub events that follow it', () => {
  it('the hub Pending after a code-2 place answer is old news: no accepted report for the refused order (it raised impossible_transition)', async () => {
    const { adapter, rec } = await connected(FOLLOWER);
    sim.exchange.forcedPlaceError = { code: 2, message: 'Order rejected: price outside limits' };
    const err = await adapter.submitOrder(req(adapter, 'refused-0')).catch((e: unknown) => e);
    sim.exchange.forcedPlaceError = undefined;
    expect(err).toMatchObject({ code: 'rejected' });
    // Hub events arrive in order on one connection: once the next order's report is in, the refused one's are too.
    await adapter.submitOrder(req(adapter, 'after-0'));
    await waitFor('the next order reported', () => rec.log.order.some((o) => o.clientOrderId === 'after-0'), wait);
    const refused = rec.log.order.filter((o) => o.clientOrderId === 'refused-0').map((o) => o.status);
    expect(refused.filter((s) => s !== 'rejected')).toEqual([]);
    expect((await adapter.findOrderByClientId(clientOrderId('refused-0')))?.status).toBe('rejected');
  });
});

describe('issue 10 ProjectX #5: accounts that may not cancel, suspended bracket children', () => {
  it('issue 10 ProjectX #5: working orders include Suspended children with parent and role when v2/query is missing', async () => {
    const { adapter } = await connected(FOLLOWER);
    sim.rest.disableV2 = true;
    const entry = await adapter.submitOrder(req(adapter, 'br-0', {
      side: 'sell', type: 'limit', limitPrice: Decimal.from('7000'), bracket: { stopLossTicks: 8, takeProfitTicks: 16 },
    }));
    const open = await adapter.openOrders();
    const byRole = Object.fromEntries(open.map((o) => [o.role ?? 'none', o]));
    expect(Object.keys(byRole).sort()).toEqual(['entry', 'stop_loss', 'take_profit']);
    expect(byRole.stop_loss!.parentOrderId).toBe(entry.brokerOrderId);
    expect(byRole.take_profit!.parentOrderId).toBe(entry.brokerOrderId);
    expect(open.every((o) => o.instrumentId === MES)).toBe(true);
  });

  it('issue 10 ProjectX #5: a copier follower refuses cancel definitely and still flattens by closing the position', async () => {
    sim = await startSim({ accounts: [{ id: 50_000_001, copierFollower: true }] });
    started = true;
    const { adapter, rec } = await connected(50_000_001);
    const limit = await adapter.submitOrder(req(adapter, 'cf-0', { type: 'limit', limitPrice: Decimal.from('5000') }));
    const err = await adapter.cancelOrder(limit.brokerOrderId).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'forbidden', outcome: 'definite' });
    const results = await adapter.cancelAllOrders();
    expect(results).toEqual([expect.objectContaining({ ok: false, symbol: 'MES' })]);
    sim.trade(50_000_001, MES, 'buy', 2);
    await waitFor('the position', () => rec.log.position.at(-1)?.qty.eq(2), wait);
    expect(await adapter.closePosition(MES)).toMatchObject({ ok: true });
    expect(sim.exchange.position(50_000_001, MES)).toBe(0);
    expect(sim.rest.log.filter((e) => e.path === '/api/Order/cancel')).toHaveLength(2);
  });
});
