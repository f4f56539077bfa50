// The BrokerAdapter contract suite: one set of behaviours every adapter (sim, Alpaca, ProjectX) must show.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followerClientId } from '../../core/domain/client-id.js';
import { Decimal } from '../../core/domain/decimal.js';
import { BrokerError } from '../../core/domain/errors.js';
import type { BrokerOrderId, ClientOrderId } from '../../core/domain/ids.js';
import type { OrderRequest } from '../../core/domain/order.js';
import type { Side } from '../../core/domain/side.js';
import type { BrokerAdapter } from '../../core/ports/broker-adapter.js';
import { EventRecorder, waitFor, type WaitOptions } from './event-recorder.js';

export interface ContractHarness {
  /** A fresh, not yet connected adapter; the suite calls connect() and disconnect(). */
  adapter: BrokerAdapter;
  /** A liquid symbol that fills market orders of `qty` (e.g. 'AAPL' or 'MES'). */
  symbol: string;
  /** A whole-lot quantity. */
  qty: Decimal;
  /** A limit price that will rest without filling. */
  farLimitPrice(side: Side): Promise<Decimal>;
  /** Releases everything the harness started; must tolerate an adapter that is already disconnected. */
  teardown(): Promise<void>;
  /** A symbol the broker does not know; default 'ZZZZQX'. */
  unknownSymbol?: string;
  /** Upper bound for every wait in the suite; default 5000 ms. */
  timeoutMs?: number;
  /** Called on every poll while waiting (e.g. to advance a simulated clock). */
  pump?: () => void | Promise<void>;
  /** The instrument id the adapter reports for `symbol` (a futures contract id); default: the symbol itself. */
  instrumentId?: string;
}

/** Checks a broker opts into where brokers genuinely differ (the suite's base checks apply to every adapter). */
export interface ContractFeatures {
  /** The account takes per-order brackets (ProjectX Auto-OCO): working orders must list the children. */
  readonly brackets?: { readonly stopLossTicks: number; readonly takeProfitTicks: number };
}

let nonce = 0;

/** Captures a rejection (sync throw or rejected promise) so it can be asserted on. */
async function failureOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function expectDefinite(err: unknown, code?: string): void {
  expect(err).toBeInstanceOf(BrokerError);
  const e = err as BrokerError;
  expect(e.outcome).toBe('definite');
  if (code !== undefined) expect(e.code).toBe(code);
}

export function describeBrokerAdapterContract(
  name: string,
  makeHarness: () => Promise<ContractHarness>,
  features: ContractFeatures = {},
): void {
  describe(`BrokerAdapter contract: ${name}`, () => {
    let h: ContractHarness;
    let adapter: BrokerAdapter;
    let rec: EventRecorder;
    let cleanup: (() => Promise<void>) | undefined;
    let wait: WaitOptions;

    const newClientId = (): ClientOrderId =>
      followerClientId(adapter.accountId, `contract-${Date.now().toString(36)}-${nonce++}`, 0);

    const request = (clientOrderId: ClientOrderId, side: Side, extra: Partial<OrderRequest> = {}): OrderRequest => ({
      accountId: adapter.accountId,
      clientOrderId,
      symbol: h.symbol,
      side,
      qty: h.qty,
      type: 'market',
      timeInForce: 'day',
      purpose: 'copy',
      ...extra,
    });

    const positionQty = async (): Promise<Decimal> =>
      (await adapter.positions()).find((p) => p.symbol === h.symbol)?.qty ?? Decimal.ZERO;

    /** The instrument a report names: its instrumentId, else its symbol (brokers without contracts). */
    const instrumentOf = (x: { symbol: string; instrumentId?: string }): string => x.instrumentId ?? x.symbol;

    const isOpen = async (id: BrokerOrderId): Promise<boolean> =>
      (await adapter.openOrders()).some((o) => o.brokerOrderId === id);

    const orderEvent = (id: BrokerOrderId, status: string) =>
      waitFor(`an order event '${status}' for ${id}`, () =>
        rec.log.order.find((o) => o.brokerOrderId === id && o.status === status), wait);

    const restingLimit = async (side: Side) => {
      const limitPrice = await h.farLimitPrice(side);
      const order = await adapter.submitOrder(request(newClientId(), side, { type: 'limit', limitPrice }));
      await waitFor(`limit order ${order.brokerOrderId} to show in openOrders()`, () => isOpen(order.brokerOrderId), wait);
      return order;
    };

    beforeEach(async () => {
      cleanup = undefined;
      h = await makeHarness();
      adapter = h.adapter;
      wait = { timeoutMs: h.timeoutMs ?? 5000, ...(h.pump ? { pump: h.pump } : {}) };
      const recorder = new EventRecorder(adapter);
      const harness = h;
      rec = recorder;
      cleanup = async () => {
        recorder.stop();
        await harness.teardown();
      };
      await adapter.connect();
    });

    afterEach(async () => {
      await cleanup?.();
    });

    it('connects: health is connected and a connected status event was emitted', async () => {
      expect(adapter.health().status).toBe('connected');
      await waitFor('a connected status event', () => rec.log.status.some((s) => s.status === 'connected'), wait);
    });

    it('resolves the instrument with positive lot, tick and multiplier; an unknown symbol fails definitely', async () => {
      const inst = await adapter.instrument(h.symbol);
      expect(inst.symbol).toBe(h.symbol);
      expect(inst.lotSize.gt(0)).toBe(true);
      expect(inst.tickSize.gt(0)).toBe(true);
      expect(inst.multiplier.gt(0)).toBe(true);
      expectDefinite(await failureOf(() => adapter.instrument(h.unknownSymbol ?? 'ZZZZQX')));
    });

    it('reports an account snapshot with positive equity', async () => {
      const acct = await adapter.account();
      expect(acct.accountId).toBe(adapter.accountId);
      expect(acct.equity.gt(0)).toBe(true);
      expect(acct.currency.length).toBeGreaterThan(0);
    });

    it('fills a market order: order, execution and position events, lookup by client id', async () => {
      const before = await positionQty();
      const cid = newClientId();
      const order = await adapter.submitOrder(request(cid, 'buy'));
      expect(order.clientOrderId).toBe(cid);
      expect(order.accountId).toBe(adapter.accountId);
      expect(order.symbol).toBe(h.symbol);
      expect(order.side).toBe('buy');
      expect(order.qty.eq(h.qty)).toBe(true);

      const filled = await orderEvent(order.brokerOrderId, 'filled');
      expect(filled.filledQty.eq(h.qty)).toBe(true);
      expect(filled.clientOrderId).toBe(cid);
      expect(filled.avgFillPrice?.gt(0)).toBe(true);

      const mine = () => rec.log.execution.filter((e) => e.brokerOrderId === order.brokerOrderId);
      await waitFor('executions (distinct ids) summing to the order qty', () => {
        const distinct = new Map(mine().map((e) => [e.id, e.qty]));
        return [...distinct.values()].reduce((sum, q) => sum.add(q), Decimal.ZERO).eq(h.qty);
      }, wait);
      const execs = mine();
      expect(execs.map((e) => e.id), 'an execution was delivered twice').toEqual([...new Set(execs.map((e) => e.id))]);
      for (const e of execs) {
        expect(e.id.length).toBeGreaterThan(0);
        expect(e.accountId).toBe(adapter.accountId);
        expect(e.symbol).toBe(h.symbol);
        expect(e.side).toBe('buy');
        expect(e.price.gt(0)).toBe(true);
      }

      await waitFor('the position to grow by qty', async () => (await positionQty()).eq(before.add(h.qty)), wait);
      const found = await waitFor('findOrderByClientId to report the fill', async () => {
        const o = await adapter.findOrderByClientId(cid);
        return o?.status === 'filled' && o;
      }, wait);
      expect(found.brokerOrderId).toBe(order.brokerOrderId);
      expect(found.filledQty.eq(h.qty)).toBe(true);
    });

    it('returns null for an unknown client id', async () => {
      expect(await adapter.findOrderByClientId(newClientId())).toBeNull();
    });

    it('rejects a reused client id with a definite duplicate_client_id and places no second order', async () => {
      const before = await positionQty();
      const cid = newClientId();
      const first = await adapter.submitOrder(request(cid, 'buy'));
      await orderEvent(first.brokerOrderId, 'filled');
      await waitFor('the first fill in positions()', async () => (await positionQty()).eq(before.add(h.qty)), wait);

      expectDefinite(await failureOf(() => adapter.submitOrder(request(cid, 'buy'))), 'duplicate_client_id');
      expect((await adapter.findOrderByClientId(cid))?.brokerOrderId).toBe(first.brokerOrderId);
      expect((await positionQty()).eq(before.add(h.qty))).toBe(true);
      expect(rec.log.order.filter((o) => o.clientOrderId === cid).every((o) => o.brokerOrderId === first.brokerOrderId)).toBe(true);
    });

    it('rests a far limit order in openOrders() and cancels it', async () => {
      const before = await positionQty();
      const order = await restingLimit('buy');
      expect(order.type).toBe('limit');
      expect(['accepted', 'partially_filled']).toContain(order.status);
      await adapter.cancelOrder(order.brokerOrderId);
      await orderEvent(order.brokerOrderId, 'cancelled');
      await waitFor('the cancelled order to leave openOrders()', async () => !(await isOpen(order.brokerOrderId)), wait);
      expect((await positionQty()).eq(before)).toBe(true);
    });

    it('cancels every open order with cancelAllOrders()', async () => {
      const a = await restingLimit('buy');
      const b = await restingLimit('buy');
      const results = await adapter.cancelAllOrders();
      expect(results.every((r) => r.ok)).toBe(true);
      await orderEvent(a.brokerOrderId, 'cancelled');
      await orderEvent(b.brokerOrderId, 'cancelled');
      await waitFor('openOrders() to be empty of both', async () =>
        !(await isOpen(a.brokerOrderId)) && !(await isOpen(b.brokerOrderId)), wait);
    });

    it('flattens a position with closePosition()', async () => {
      const before = await positionQty();
      const order = await adapter.submitOrder(request(newClientId(), 'buy'));
      await orderEvent(order.brokerOrderId, 'filled');
      await waitFor('the position to open', async () => (await positionQty()).eq(before.add(h.qty)), wait);
      const result = await adapter.closePosition(h.symbol);
      expect(result.symbol).toBe(h.symbol);
      expect(result.ok).toBe(true);
      await waitFor('the position to be flat', async () => (await positionQty()).isZero(), wait);
    });

    it('rejects invalid orders (qty 0, unknown symbol) with a definite BrokerError and places nothing', async () => {
      const zero = newClientId();
      expectDefinite(await failureOf(() => adapter.submitOrder(request(zero, 'buy', { qty: Decimal.ZERO }))));
      const unknown = newClientId();
      const unknownSymbol = h.unknownSymbol ?? 'ZZZZQX';
      expectDefinite(await failureOf(() => adapter.submitOrder(request(unknown, 'buy', { symbol: unknownSymbol }))));
      expect(await adapter.findOrderByClientId(zero)).toBeNull();
      expect(await adapter.findOrderByClientId(unknown)).toBeNull();
    });

    it('reports the order, its fills and the position under one instrument id', async () => {
      const instrument = h.instrumentId ?? h.symbol;
      const before = (await adapter.positions()).find((p) => instrumentOf(p) === instrument)?.qty ?? Decimal.ZERO;
      const cid = newClientId();
      const order = await adapter.submitOrder(request(cid, 'buy'));
      expect(instrumentOf(order)).toBe(instrument);
      const filled = await orderEvent(order.brokerOrderId, 'filled');
      expect(instrumentOf(filled)).toBe(instrument);
      expect(filled.updatedAt).toBeGreaterThan(0);
      const execs = await waitFor('the executions of the order', () => {
        const mine = rec.log.execution.filter((e) => e.brokerOrderId === order.brokerOrderId);
        const sum = [...new Map(mine.map((e) => [e.id, e.qty])).values()].reduce((a, q) => a.add(q), Decimal.ZERO);
        return sum.eq(filled.filledQty) && mine;
      }, wait);
      for (const e of execs) {
        expect(instrumentOf(e)).toBe(instrument);
        expect(e.time).toBeGreaterThan(0);
      }
      const row = await waitFor(`a position row for ${instrument}`, async () => {
        const p = (await adapter.positions()).find((x) => instrumentOf(x) === instrument);
        return p?.qty.eq(before.add(h.qty)) && p;
      }, wait);
      expect(row.symbol).toBe(h.symbol);
      await waitFor('a position event for the instrument', () => rec.log.position.some((p) => instrumentOf(p) === instrument), wait);
    });

    it('asks the send gate last: a reason is a definite not_sent and nothing is placed; an open gate places', async () => {
      const stopped = newClientId();
      let asked = 0;
      const err = await failureOf(() => adapter.submitOrder(request(stopped, 'buy'), () => {
        asked++;
        return 'trading halted';
      }));
      expectDefinite(err, 'not_sent');
      expect(asked).toBe(1);
      expect(await adapter.findOrderByClientId(stopped)).toBeNull();
      expect(rec.log.order.some((o) => o.clientOrderId === stopped)).toBe(false);
      const sent = newClientId();
      const order = await adapter.submitOrder(request(sent, 'buy'), () => undefined);
      expect(order.clientOrderId).toBe(sent);
      await orderEvent(order.brokerOrderId, 'filled');
    });

    const brackets = features.brackets;
    if (brackets) {
      it('lists a bracketed entry and its suspended children in openOrders() with parent and role', async () => {
        const limitPrice = await h.farLimitPrice('buy');
        const entry = await adapter.submitOrder(request(newClientId(), 'buy', { type: 'limit', limitPrice, bracket: brackets }));
        const open = await waitFor('the entry and both children in openOrders()', async () => {
          const o = await adapter.openOrders();
          return o.filter((x) => x.brokerOrderId === entry.brokerOrderId || x.parentOrderId === entry.brokerOrderId).length === 3 && o;
        }, wait);
        const children = open.filter((o) => o.parentOrderId === entry.brokerOrderId);
        expect(children.map((o) => o.role).sort()).toEqual(['stop_loss', 'take_profit']);
        expect(children.every((o) => o.side === 'sell' && instrumentOf(o) === instrumentOf(entry))).toBe(true);
        expect(open.find((o) => o.brokerOrderId === entry.brokerOrderId)?.role).toBe('entry');
      });
    }

    it('disconnects: health and a status event say disconnected', async () => {
      await adapter.disconnect();
      expect(adapter.health().status).toBe('disconnected');
      await waitFor('a disconnected status event', () => rec.log.status.some((s) => s.status === 'disconnected'), wait);
    });
  });
}
