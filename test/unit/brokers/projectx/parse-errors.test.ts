// ProjectX parsing, error mapping and catch-up arithmetic: wrappers, omitted nulls, 64-bit ids, 7-digit timestamps,
// per-endpoint codes, net positions walked back from a REST snapshot.
import { describe, expect, it } from 'vitest';
import { jwtExpiry } from '../../../../core/brokers/projectx/client.js';
import { envelopeError, httpError, retryAfterMs } from '../../../../core/brokers/projectx/errors.js';
import { positionsAfter } from '../../../../core/brokers/projectx/snapshot.js';
import { orderSchema, parseTime, parseWith, positionSchema, rootOf, statusOf, tradeSchema, unwrap, type PxTrade } from '../../../../core/brokers/projectx/parse.js';
import { Decimal } from '../../../../core/domain/decimal.js';

const LOG26_TRADE = {
  action: 0,
  data: { id: 2555492505, accountId: 20258288, contractId: 'CON.F.US.MYM.M26', creationTimestamp: '2026-05-06T13:36:03.6185676+00:00',
    price: 49909, fees: 5.55, commissions: 3.75, side: 0, size: 15, voided: false, orderId: 2934939816 },
};

describe('ProjectX parse', () => {
  it('unwraps {action,data} and passes bare entities through', () => {
    expect(unwrap(LOG26_TRADE)).toBe(LOG26_TRADE.data);
    expect(unwrap(LOG26_TRADE.data)).toBe(LOG26_TRADE.data);
  });

  it('parses a hub trade with omitted profitAndLoss, an id above 2^31 and a 7-digit timestamp', () => {
    const r = parseWith(tradeSchema, unwrap(LOG26_TRADE));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.orderId).toBe('2934939816');
    expect(r.value.profitAndLoss).toBeUndefined();
    expect(r.value.price.toString()).toBe('49909');
    expect(r.value.creationTimestamp).toBe(Date.UTC(2026, 4, 6, 13, 36, 3, 618));
  });

  it('accepts REST rows with explicit nulls and decimal strings, rejects garbage with a path', () => {
    const o = parseWith(orderSchema, { id: 36598, accountId: 704, contractId: 'CON.F.US.EP.U25', creationTimestamp: '2025-07-18T21:00:01.268009+00:00',
      updateTimestamp: null, status: 2, type: 2, side: 0, size: 1, limitPrice: null, stopPrice: null, fillVolume: 1, filledPrice: '6335.250000000', customTag: null });
    expect(o.ok && o.value.filledPrice?.toString()).toBe('6335.25');
    expect(o.ok && statusOf(o.value)).toBe('filled');
    const bad = parseWith(positionSchema, { id: 1, accountId: 2, contractId: 'x', type: 1, size: -1 });
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/^size/);
  });

  it('reads timestamps with Z, offsets and 7 digits; maps statuses and contract roots', () => {
    expect(parseTime('2025-01-21T16:13:52Z')).toBe(Date.UTC(2025, 0, 21, 16, 13, 52));
    expect(parseTime('2025-01-21T18:13:52.1234567+02:00')).toBe(Date.UTC(2025, 0, 21, 16, 13, 52, 123));
    expect(parseTime('yesterday')).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((status) => statusOf({ status, fillVolume: 0 }))).toEqual(
      ['accepted', 'filled', 'cancelled', 'expired', 'rejected', 'accepted', 'cancel_requested', 'accepted']);
    expect(statusOf({ status: 1, fillVolume: 2 })).toBe('partially_filled');
    expect(['MESZ6', 'ESZ26', 'MNQH5', 'MYMM26'].map(rootOf)).toEqual(['MES', 'ES', 'MNQ', 'MYM']);
  });
});

describe('ProjectX errors', () => {
  it('maps the same number differently per endpoint, and pending/unknown codes as unknown outcomes', () => {
    const env = (errorCode: number, errorMessage: string | null = null) => ({ success: false, errorCode, errorMessage });
    expect(envelopeError('Order/place', env(2)).code).toBe('rejected');
    expect(envelopeError('Order/cancel', env(2)).code).toBe('not_found');
    expect(envelopeError('Position/closeContract', env(2)).code).toBe('not_found');
    expect(envelopeError('Order/place', env(6)).outcome).toBe('unknown');
    expect(envelopeError('Order/cancel', env(4)).outcome).toBe('unknown');
    expect(envelopeError('Order/place', env(3)).code).toBe('insufficient_funds');
    expect(envelopeError('Order/place', env(2, 'custom tag already in use')).code).toBe('duplicate_client_id');
    expect(envelopeError('Order/cancel', env(6, 'Follower accounts cannot cancel orders')).message).toMatch(/Follower accounts/);
    expect(envelopeError('Auth/loginKey', env(9)).code).toBe('auth');
    expect(envelopeError('Order/place', env(99)).outcome).toBe('unknown');
  });

  it('maps HTTP statuses and Retry-After', () => {
    expect(httpError('Order/place', 429, 2000)).toMatchObject({ code: 'rate_limited', outcome: 'unknown', retryAfterMs: 2000 });
    expect(httpError('Order/place', 503).outcome).toBe('unknown');
    expect(httpError('Order/place', 400).outcome).toBe('definite');
    expect(retryAfterMs('3', 0)).toBe(3000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
  });

  it('reads a JWT exp claim and tolerates junk', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString('base64url');
    expect(jwtExpiry(`h.${payload}.s`)).toBe(1_800_000_000);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });
});

describe('ProjectX catch-up positions', () => {
  const trade = (id: string, side: 0 | 1, size: number, at: number, contractId = 'C') =>
    ({ id, accountId: '1', contractId, creationTimestamp: at, price: Decimal.from(1), side, size, orderId: id }) as PxTrade;

  it('walks the net position back from the REST snapshot over every trade', () => {
    const trades = [trade('a', 0, 4, 10), trade('b', 0, 6, 20), trade('c', 1, 3, 30), trade('d', 0, 1, 50)];
    const after = positionsAfter(trades, new Map([['C', Decimal.from(8)]]));
    expect(['a', 'b', 'c', 'd'].map((id) => after.get(id)?.toString())).toEqual(['4', '10', '7', '8']);
  });

  it('treats a contract missing from the snapshot as flat and skips voided trades', () => {
    const voided = { ...trade('v', 0, 5, 1, 'D'), voided: true } as PxTrade;
    const after = positionsAfter([voided, trade('x', 1, 2, 5, 'D')], new Map());
    expect(after.get('x')?.toString()).toBe('0');
    expect(after.has('v')).toBe(false);
  });
});
