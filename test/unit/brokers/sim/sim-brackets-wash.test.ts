// SimExchange brackets (children on fill, linked to the entry, OCO, left working after a manual close) and the
// Alpaca-like wash-trade refusal.
import { describe, expect, it } from 'vitest';
import { dec } from '../../../../core/domain/decimal.js';
import { BrokerError } from '../../../../core/domain/errors.js';
import { flushMicrotasks } from '../../../support/test-clock.js';
import { world } from './sim-world.js';

const bracket = { stopLossTicks: 8, takeProfitTicks: 12 };

describe('SimExchange brackets', () => {
  it('places a stop-loss and a take-profit for the filled entry, linked to it and without client ids', async () => {
    const { ex, req } = world();
    ex.setPrice('MES', '6000');
    const entry = ex.submit('A', req('buy', '2', 'MES', { bracket }));
    await flushMicrotasks();
    const children = ex.openOrders('A');
    expect(children.map((o) => [o.role, o.side, o.qty.toString(), o.parentOrderId, o.clientOrderId, o.type, o.limitPrice?.toString()])).toEqual([
      ['stop_loss', 'sell', '2', entry.brokerOrderId, undefined, 'market', undefined],
      ['take_profit', 'sell', '2', entry.brokerOrderId, undefined, 'limit', '6003'],
    ]);
  });

  it('the stop fills when the price reaches it and cancels the take-profit (OCO)', async () => {
    const { ex, req } = world();
    ex.setPrice('MES', '6000');
    ex.submit('A', req('buy', '2', 'MES', { bracket }));
    await flushMicrotasks();
    ex.setPrice('MES', '5998.5');
    await flushMicrotasks();
    expect(ex.position('A', 'MES').toString()).toBe('2');
    ex.setPrice('MES', '5998');
    await flushMicrotasks();
    expect(ex.position('A', 'MES').isZero()).toBe(true);
    expect(ex.orders('A').map((o) => `${o.role ?? 'entry'} ${o.status}`)).toEqual(['entry filled', 'stop_loss filled', 'take_profit cancelled']);
  });

  it('children stay working after the position is closed another way (only the owner cancels them)', async () => {
    const { ex, req } = world();
    ex.setPrice('MES', '6000');
    ex.submit('A', req('buy', '1', 'MES', { bracket }));
    await flushMicrotasks();
    ex.submit('A', req('sell', '1', 'MES'));
    await flushMicrotasks();
    expect(ex.position('A', 'MES').isZero()).toBe(true);
    expect(ex.openOrders('A').map((o) => o.role)).toEqual(['stop_loss', 'take_profit']);
    ex.setPrice('MES', '5990');
    await flushMicrotasks();
    expect(ex.position('A', 'MES').toString()).toBe('-1');
  });

  it('refuses bracket ticks that are not whole non-zero numbers', () => {
    const { ex, req } = world();
    const err = (() => {
      try {
        ex.submit('A', req('buy', '1', 'MES', { bracket: { stopLossTicks: 1.5 } }));
      } catch (e) {
        return e as BrokerError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('invalid');
  });
});

describe('SimExchange wash-trade refusal', () => {
  it('refuses an order opposite to a resting limit of the account, like Alpaca; bracket children are exempt', async () => {
    const { ex, req } = world();
    ex.setPrice('MES', '6000');
    const resting = ex.submit('A', req('buy', '1', 'MES', { type: 'limit', limitPrice: dec('5900') }));
    await flushMicrotasks();
    let err: unknown;
    try {
      ex.submit('A', req('sell', '1', 'MES'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).code).toBe('rejected');
    expect((err as BrokerError).message).toContain(`potential wash trade detected. use complex orders (existing order ${resting.brokerOrderId})`);
    ex.cancel('A', resting.brokerOrderId);
    ex.submit('A', req('buy', '1', 'MES', { bracket }));
    await flushMicrotasks();
    ex.submit('A', req('buy', '1', 'MES'));
    await flushMicrotasks();
    expect(ex.position('A', 'MES').toString()).toBe('2');
  });
});
