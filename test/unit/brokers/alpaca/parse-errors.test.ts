// Alpaca wire parsing and error mapping: lenient decimals, unknown statuses, the error table, secret redaction.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../../core/domain/ids.js';
import { BrokerError } from '../../../../core/domain/errors.js';
import { codeForStatus, httpError, readErrorBody } from '../../../../core/brokers/alpaca/errors.js';
import { mapStatus, parseAccount, parseMultiStatus, parseOrder, parsePosition, parseTime, parseTradeUpdate } from '../../../../core/brokers/alpaca/parse.js';
import { Decimal } from '../../../../core/domain/decimal.js';

const acct = accountId('a1');
const order = {
  id: '61e69015-8549-4bfd-b9c3-01e75843f47d', client_order_id: 'md1-x-0', symbol: 'AAPL', side: 'buy', type: 'limit',
  qty: '10', filled_qty: '4', filled_avg_price: '174.52', limit_price: '174.55', status: 'partially_filled',
  updated_at: '2026-03-16T14:38:02.001113Z', order_class: '', some_new_field: { x: 1 },
};

describe('Alpaca parse', () => {
  it('reads an order with string decimals, keeps the raw payload and unknown fields', () => {
    const o = parseOrder(order, acct);
    expect(o.qty.toString()).toBe('10');
    expect(o.filledQty.toString()).toBe('4');
    expect(o.avgFillPrice?.toString()).toBe('174.52');
    expect(o.status).toBe('partially_filled');
    expect(o.type).toBe('limit');
    expect((o.raw as Record<string, unknown>).some_new_field).toEqual({ x: 1 });
    expect(o.updatedAt).toBe(Date.parse('2026-03-16T14:38:02.001Z'));
  });

  it('accepts numbers where strings are expected (SDK fixtures do this)', () => {
    const o = parseOrder({ ...order, qty: 1, filled_qty: 0, limit_price: 300 }, acct);
    expect(o.qty.eq(1)).toBe(true);
    expect(o.limitPrice?.eq(300)).toBe(true);
  });

  it('tolerates unknown statuses: working, or partially filled when something filled', () => {
    expect(mapStatus('held', Decimal.ZERO)).toBe('accepted');
    expect(mapStatus('brand_new_status', Decimal.from(1))).toBe('partially_filled');
    expect(mapStatus('pending_cancel', Decimal.ZERO)).toBe('cancel_requested');
    expect(mapStatus('replaced', Decimal.ZERO)).toBe('cancelled');
  });

  it('throws a protocol error (unknown outcome) on an unreadable order', () => {
    const err = (() => {
      try {
        parseOrder({ ...order, side: 'sideways' }, acct);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as BrokerError).code).toBe('protocol');
    expect(() => parseOrder({ ...order, qty: 'lots' }, acct)).toThrow(BrokerError);
  });

  it('parses nanosecond timestamps with mixed offsets', () => {
    expect(parseTime('2022-04-19T13:45:04.981350886-04:00')).toBe(Date.parse('2022-04-19T17:45:04.981Z'));
    expect(parseTime('2022-04-19T17:45:05.024916716Z')).toBe(Date.parse('2022-04-19T17:45:05.024Z'));
    expect(parseTime('garbage')).toBeUndefined();
  });

  it('signs short positions and derives can-trade and day P&L from the account', () => {
    expect(parsePosition({ symbol: 'X', qty: '-3', side: 'short' }, acct).qty.toString()).toBe('-3');
    expect(parsePosition({ symbol: 'X', qty: '3', side: 'short' }, acct).qty.toString()).toBe('-3');
    const a = parseAccount({ status: 'ACTIVE', equity: '100512.30', last_equity: '100000', trading_blocked: false, shorting_enabled: true }, acct);
    expect(a.canTrade).toBe(true);
    expect(a.dayPnl.toString()).toBe('512.3');
    expect(parseAccount({ status: 'ACTIVE', equity: '1', account_blocked: true }, acct).canTrade).toBe(false);
  });

  it('reads trade updates with per-execution fields optional', () => {
    const u = parseTradeUpdate({ event: 'partial_fill', execution_id: 'e1', price: '174.50', qty: '4', position_qty: '-4', order });
    expect(u.qty?.toString()).toBe('4');
    expect(u.positionQty?.toString()).toBe('-4');
    const v = parseTradeUpdate({ event: 'new', order });
    expect(v.executionId).toBeUndefined();
    expect(() => parseTradeUpdate({ event: 'fill' })).toThrow(BrokerError);
  });

  it('reads 207 multi-status items', () => {
    const items = parseMultiStatus(
      [
        { symbol: 'AAPL', status: 200, body: { id: 'x' } },
        { symbol: 'SQQQ', status: 403, body: { code: 40310000, message: 'insufficient qty available for order' } },
      ],
      'symbol',
    );
    expect(items).toEqual([{ key: 'AAPL', status: 200 }, { key: 'SQQQ', status: 403, message: 'insufficient qty available for order' }]);
  });
});

describe('Alpaca error table', () => {
  const code = (status: number, message: string, c?: number) => codeForStatus(status, { message, ...(c ? { code: c } : {}) });

  it('maps statuses and messages to definite or unknown outcomes', () => {
    expect(code(401, 'request is not authorized', 40110000)).toBe('auth');
    expect(code(403, 'request is not authorized', 40110000)).toBe('auth');
    expect(code(403, 'insufficient buying power', 40310000)).toBe('insufficient_funds');
    expect(code(403, 'potential wash trade detected. use complex orders', 40310000)).toBe('rejected');
    expect(code(404, 'order not found', 40410000)).toBe('not_found');
    expect(code(422, 'client_order_id must be unique', 40010001)).toBe('duplicate_client_id');
    expect(code(422, 'qty must be integer', 40010001)).toBe('invalid');
    expect(code(422, 'order is not cancelable', 42210000)).toBe('rejected');
    expect(code(429, 'rate limit exceeded', 42910000)).toBe('rate_limited');
    expect(code(500, 'internal server error', 50010000)).toBe('server');
    expect(code(502, '<html>bad gateway</html>')).toBe('server');
  });

  it('reads non-JSON bodies and redacts secrets from messages', () => {
    expect(readErrorBody('<html><body>502 Bad Gateway</body></html>').message).toContain('502 Bad Gateway');
    const err = httpError('GET', '/v2/account', 401, '{"code":40110000,"message":"bad key SECRET123 given"}', { secrets: ['SECRET123'] });
    expect(err.code).toBe('auth');
    expect(err.outcome).toBe('definite');
    expect(err.message).not.toContain('SECRET123');
    expect(httpError('POST', '/v2/orders', 503, '', { secrets: [] }).outcome).toBe('unknown');
  });
});
