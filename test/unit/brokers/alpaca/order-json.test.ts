// Issue 11: the Alpaca order body is written as JSON text directly; it must be the JSON of the same object, field for
// field and in the same order, whatever the symbol and client id hold.
import { describe, expect, it } from 'vitest';
import { orderJson } from '../../../../core/brokers/alpaca/follower.js';
import { Decimal } from '../../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../../core/domain/ids.js';
import type { OrderRequest } from '../../../../core/domain/order.js';

const base: OrderRequest = {
  accountId: accountId('f1'),
  clientOrderId: clientOrderId('md1-abc-0'),
  symbol: 'AAPL',
  side: 'buy',
  qty: Decimal.from('1.5'),
  type: 'market',
  timeInForce: 'day',
  purpose: 'copy',
};

describe('Alpaca order body', () => {
  it('issue 11: is the JSON of the order object (market, limit under and over 1, extended hours, escaped text)', () => {
    const cases: [OrderRequest, Record<string, unknown>][] = [
      [base, { symbol: 'AAPL', qty: '1.5', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'md1-abc-0' }],
      [
        { ...base, side: 'sell', qty: Decimal.from('300'), type: 'limit', limitPrice: Decimal.from('0.51234'), timeInForce: 'gtc' },
        { symbol: 'AAPL', qty: '300', side: 'sell', type: 'limit', time_in_force: 'gtc', client_order_id: 'md1-abc-0', limit_price: '0.5123' },
      ],
      [
        { ...base, qty: Decimal.from('2'), type: 'limit', limitPrice: Decimal.from('187.456'), extendedHours: true },
        { symbol: 'AAPL', qty: '2', side: 'buy', type: 'limit', time_in_force: 'day', client_order_id: 'md1-abc-0', limit_price: '187.46', extended_hours: true },
      ],
      [
        { ...base, symbol: 'BRK"B\\é\u2028', clientOrderId: clientOrderId('id "quoted"\n') },
        { symbol: 'BRK"B\\é\u2028', qty: '1.5', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'id "quoted"\n' },
      ],
    ];
    for (const [req, body] of cases) expect(orderJson(req)).toBe(JSON.stringify(body));
  });

  it('issue 11: refuses what Alpaca would refuse, before anything is sent', () => {
    expect(() => orderJson({ ...base, extendedHours: true })).toThrow(/extended-hours/);
    expect(() => orderJson({ ...base, type: 'limit' })).toThrow(/without a limit price/);
    expect(() => orderJson({ ...base, clientOrderId: clientOrderId('x'.repeat(49)) })).toThrow(/longer than 48/);
  });
});
