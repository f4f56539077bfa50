// SimExchange matching: market fills and slippage direction, limits resting/filling/cancelling, partial fills.
import { describe, expect, it } from 'vitest';
import { dec } from '../../../../core/domain/decimal.js';
import { BrokerError } from '../../../../core/domain/errors.js';
import { flushMicrotasks } from '../../../support/test-clock.js';
import { world } from './sim-world.js';

describe('SimExchange fills', () => {
  it('fills a market buy at last + slippage and a market sell at last - slippage (against the trader)', async () => {
    const { ex, req, of } = world({ slippageTicks: 2 });
    ex.setPrice('MES', '6000');
    const buy = ex.submit('A', req('buy', '3'));
    expect(buy.status).toBe('accepted');
    expect(buy.filledQty.isZero()).toBe(true);
    await flushMicrotasks();
    const filled = ex.order('A', buy.brokerOrderId)!;
    expect(filled.status).toBe('filled');
    expect(filled.avgFillPrice!.toString()).toBe('6000.5');
    ex.submit('A', req('sell', '3'));
    await flushMicrotasks();
    const execs = of('execution').map((e) => e.execution);
    expect(execs.map((e) => [e.side, e.qty.toString(), e.price.toString(), e.positionAfter!.toString()])).toEqual([
      ['buy', '3', '6000.5', '3'],
      ['sell', '3', '5999.5', '0'],
    ]);
    expect(execs.map((e) => e.id)).toEqual(['sim-A-1', 'sim-A-2']);
    expect(execs[0]!.orderTag).toBe('t-1');
    expect(ex.position('A', 'MES').isZero()).toBe(true);
  });

  it('emits accepted, then execution, order, position and account events for a fill', async () => {
    const { ex, req, events } = world();
    const o = ex.submit('A', req('buy', '1'));
    await flushMicrotasks();
    expect(events.map((e) => e.kind)).toEqual(['order', 'execution', 'order', 'position', 'account']);
    const orders = events.flatMap((e) => (e.kind === 'order' ? [e.order] : []));
    expect(orders.map((x) => [x.brokerOrderId, x.status])).toEqual([
      [o.brokerOrderId, 'accepted'],
      [o.brokerOrderId, 'filled'],
    ]);
  });

  it('rests a limit order until the price reaches it, then fills no worse than the limit', async () => {
    const { ex, req } = world({ slippageTicks: 1 });
    ex.setPrice('AAPL', '230');
    const o = ex.submit('A', req('buy', '10', 'AAPL', { type: 'limit', limitPrice: dec('229.50') }));
    await flushMicrotasks();
    expect(ex.openOrders('A').map((x) => x.brokerOrderId)).toEqual([o.brokerOrderId]);
    ex.setPrice('AAPL', '229.51');
    await flushMicrotasks();
    expect(ex.order('A', o.brokerOrderId)!.status).toBe('accepted');
    ex.setPrice('AAPL', '229.50');
    await flushMicrotasks();
    const done = ex.order('A', o.brokerOrderId)!;
    expect(done.status).toBe('filled');
    expect(done.avgFillPrice!.toString()).toBe('229.5');
    expect(ex.openOrders('A')).toEqual([]);
  });

  it('fills a marketable limit at once at the taker price when better than the limit', async () => {
    const { ex, req } = world({ slippageTicks: 1 });
    ex.setPrice('MES', '6000');
    const o = ex.submit('A', req('sell', '2', 'MES', { type: 'limit', limitPrice: dec('5990') }));
    await flushMicrotasks();
    expect(ex.order('A', o.brokerOrderId)!.avgFillPrice!.toString()).toBe('5999.75');
  });

  it('cancels a resting order, refuses to cancel twice, and cancels an unmarketable IOC by itself', async () => {
    const { ex, req, of } = world();
    const o = ex.submit('A', req('buy', '1', 'MES', { type: 'limit', limitPrice: dec('5000') }));
    await flushMicrotasks();
    expect(ex.cancel('A', o.brokerOrderId).status).toBe('cancelled');
    const again = (() => {
      try {
        ex.cancel('A', o.brokerOrderId);
      } catch (err) {
        return err;
      }
    })();
    expect(again).toBeInstanceOf(BrokerError);
    expect((again as BrokerError).outcome).toBe('definite');
    expect(() => ex.cancel('A', 'nope' as never)).toThrow(/no order/);
    const ioc = ex.submit('A', req('buy', '1', 'MES', { type: 'limit', limitPrice: dec('5000'), timeInForce: 'ioc' }));
    await flushMicrotasks();
    expect(ex.order('A', ioc.brokerOrderId)!.status).toBe('cancelled');
    ex.setPrice('MES', '4000');
    await flushMicrotasks();
    expect(of('execution')).toHaveLength(0);
  });

  it('splits fills into 2-3 pieces over successive latency ticks when partial fills are on', async () => {
    const { clock, ex, req, of } = world({ partialFillProbability: 1, latencyMs: 5 });
    ex.setPrice('MES', '6000');
    const o = ex.submit('A', req('buy', '10'));
    await flushMicrotasks();
    expect(of('execution')).toHaveLength(0);
    await clock.advanceAsync(5);
    expect(ex.order('A', o.brokerOrderId)!.status).toBe('partially_filled');
    await clock.advanceAsync(10);
    const fills = of('execution').map((e) => e.execution);
    expect(fills.length === 2 || fills.length === 3).toBe(true);
    expect(fills.reduce((s, e) => s.add(e.qty), dec(0)).toString()).toBe('10');
    expect(fills.every((e) => e.qty.isMultipleOf(1) && e.qty.gt(0))).toBe(true);
    expect(fills.map((e) => e.positionAfter!.toString()).at(-1)).toBe('10');
    const statuses = of('order').map((e) => e.order.status);
    expect(statuses[0]).toBe('accepted');
    expect(statuses.at(-1)).toBe('filled');
    expect(statuses.filter((s) => s === 'partially_filled')).toHaveLength(fills.length - 1);
  });

  it('cancelling a partially filled order keeps what filled and stops the rest', async () => {
    const { clock, ex, req } = world({ partialFillProbability: 1, latencyMs: 5 });
    const o = ex.submit('A', req('buy', '9'));
    await clock.advanceAsync(5);
    const part = ex.cancel('A', o.brokerOrderId);
    expect(part.status).toBe('cancelled');
    expect(part.filledQty.gt(0) && part.filledQty.lt(9)).toBe(true);
    await clock.advanceAsync(50);
    expect(ex.position('A', 'MES').eq(part.filledQty)).toBe(true);
  });

  it('never splits a single lot', async () => {
    const { ex, req, of } = world({ partialFillProbability: 1 });
    ex.submit('A', req('sell', '1'));
    await flushMicrotasks();
    expect(of('execution')).toHaveLength(1);
  });

  it('validates orders: qty, lot and fractional steps, ticks, symbols, client ids, duplicates', async () => {
    const { ex, req } = world();
    const code = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (err) {
        return err instanceof BrokerError ? err.code : 'other';
      }
    };
    expect(code(() => ex.submit('A', req('buy', '0')))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '-1')))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '1.5', 'MES')))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '1.5', 'MSFT')))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '0.00001', 'AAPL')))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '0.0005', 'AAPL')))).toBe('ok');
    expect(code(() => ex.submit('A', req('buy', '1', 'ZZZ')))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '1', 'MES', { type: 'limit' })))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '1', 'MES', { type: 'limit', limitPrice: dec('6000.1') })))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '1', 'MES', { clientOrderId: 'x'.repeat(49) as never })))).toBe('invalid');
    expect(code(() => ex.submit('A', req('buy', '1', 'MES', { clientOrderId: 'dup' as never })))).toBe('ok');
    expect(code(() => ex.submit('A', req('sell', '2', 'ES', { clientOrderId: 'dup' as never })))).toBe('duplicate_client_id');
    expect(code(() => ex.submit('nobody', req('buy', '1')))).toBe('auth');
    await flushMicrotasks();
    expect(ex.orders('A')).toHaveLength(2);
    expect(ex.position('A', 'AAPL').toString()).toBe('0.0005');
  });

  it('accepts a futures contract id as the symbol and reports the root', async () => {
    const { ex, req } = world();
    const contractId = ex.instrument('MES')!.contractId!;
    const o = ex.submit('A', req('buy', '1', contractId));
    expect(o.symbol).toBe('MES');
  });

  it('closePosition sends one market order for the whole signed position, and nothing when flat', async () => {
    const { ex, req } = world();
    ex.submit('A', req('sell', '4', 'ES'));
    await flushMicrotasks();
    expect(ex.position('A', 'ES').toString()).toBe('-4');
    const close = ex.closePosition('A', 'ES')!;
    expect([close.side, close.qty.toString(), close.clientOrderId]).toEqual(['buy', '4', 'close-1']);
    await flushMicrotasks();
    expect(ex.position('A', 'ES').isZero()).toBe(true);
    expect(ex.closePosition('A', 'ES')).toBeNull();
    expect(() => ex.closePosition('A', 'ZZZ')).toThrow(BrokerError);
  });
});
