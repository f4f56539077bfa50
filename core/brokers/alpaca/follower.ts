// Follower order placement: pre-trade checks (asset, fractional, shorting, buying power) and the idempotent submit.
// Reports, never decides: a wash-trade refusal is a definite rejection the engine resolves (no cancels here).
import { Decimal } from '../../domain/decimal.js';
import { BrokerError } from '../../domain/errors.js';
import type { AccountId, ClientOrderId } from '../../domain/ids.js';
import type { BrokerOrder, OrderRequest } from '../../domain/order.js';
import { signed } from '../../domain/side.js';
import type { AlertInput } from '../../domain/alert.js';
import type { SendGate } from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import type { AlpacaRestClient } from './client.js';
import { PRIORITY, type Priority } from './rate-limit.js';
import { parseOrder, type AlpacaAsset } from './parse.js';

export interface AccountFacts {
  readonly buyingPower?: Decimal;
  readonly shortingEnabled: boolean;
}

export interface FollowerContext {
  readonly rest: AlpacaRestClient;
  readonly accountId: AccountId;
  readonly clock: Clock;
  asset(symbol: string): Promise<AlpacaAsset>;
  /** Signed position: known at once from the stream and reads, a REST read (a promise) when not told yet. */
  position(symbol: string): Decimal | Promise<Decimal>;
  /** Cached account facts for exposure checks (a promise only before the first account read). */
  accountFacts(): AccountFacts | Promise<AccountFacts>;
  lastPrice(symbol: string): Decimal | undefined;
  remember(o: BrokerOrder): void;
  alert(a: Omit<AlertInput, 'accountId'>): void;
}

/** Market/day only for fractional quantities (Alpaca rule); everything else must be whole shares. */
export function checkQuantity(req: OrderRequest, asset: AlpacaAsset): void {
  if (req.qty.sign() <= 0) throw new BrokerError('invalid', `order quantity must be positive, got ${req.qty.toString()}`);
  if (req.qty.isMultipleOf(Decimal.ONE)) return;
  if (!asset.fractionable) {
    throw new BrokerError('invalid', `${req.symbol} is not fractionable on Alpaca; ${req.qty.toString()} shares must be rounded to whole shares`);
  }
  if (req.type !== 'market' || req.timeInForce !== 'day' || req.extendedHours) {
    throw new BrokerError('invalid', `fractional quantity ${req.qty.toString()} ${req.symbol} is only allowed for market day orders in regular hours`);
  }
}

/**
 * Tradable, shortable and buying-power checks; only for orders that increase exposure. Synchronous when the position
 * and the account facts are known (the copy path: no promise, so the order is written in the same call); a promise
 * only when one of them must be read first.
 */
export function checkExposure(ctx: FollowerContext, req: OrderRequest, asset: AlpacaAsset): void | Promise<void> {
  if (!asset.tradable) throw new BrokerError('rejected', `${req.symbol} is not tradable on Alpaca (status ${asset.status})`);
  const pos = ctx.position(req.symbol);
  return pos instanceof Promise ? pos.then((p) => exposureFrom(ctx, req, asset, p)) : exposureFrom(ctx, req, asset, pos);
}

function exposureFrom(ctx: FollowerContext, req: OrderRequest, asset: AlpacaAsset, pos: Decimal): void | Promise<void> {
  const after = pos.add(signed(req.side, req.qty));
  if (after.abs().cmp(pos.abs()) <= 0 && after.sign() * pos.sign() >= 0) return;
  const facts = ctx.accountFacts();
  return facts instanceof Promise ? facts.then((f) => judgeExposure(ctx, req, asset, pos, after, f)) : judgeExposure(ctx, req, asset, pos, after, facts);
}

function judgeExposure(ctx: FollowerContext, req: OrderRequest, asset: AlpacaAsset, pos: Decimal, after: Decimal, facts: AccountFacts): void {
  if (after.sign() < 0) {
    if (!facts.shortingEnabled) throw new BrokerError('rejected', `account is not allowed to short (${req.symbol})`);
    if (!asset.shortable || !asset.easyToBorrow) throw new BrokerError('rejected', `${req.symbol} is not shortable (hard to borrow or not shortable)`);
  }
  const increase = after.abs().sub(after.sign() * pos.sign() > 0 ? pos.abs() : Decimal.ZERO);
  const price = req.limitPrice ?? ctx.lastPrice(req.symbol);
  if (price !== undefined && facts.buyingPower !== undefined && increase.mul(price).gt(facts.buyingPower)) {
    throw new BrokerError(
      'insufficient_funds',
      `insufficient buying power for ${increase.toString()} ${req.symbol} (~${increase.mul(price).toFixed(2)} needed, ${facts.buyingPower.toFixed(2)} available)`,
    );
  }
}

export async function findByClientId(ctx: FollowerContext, id: ClientOrderId, priority: Priority = PRIORITY.query): Promise<BrokerOrder | null> {
  const { status, body } = await ctx.rest.get('/v2/orders:by_client_order_id', { query: { client_order_id: id }, allow: [404], priority });
  if (status === 404) return null;
  const o = parseOrder(body, ctx.accountId);
  ctx.remember(o);
  return o;
}

/** The POST /v2/orders body as JSON text, written directly (the copy path builds one per follower order). */
export function orderJson(req: OrderRequest): string {
  if (req.extendedHours && (req.type !== 'limit' || req.timeInForce === 'ioc')) {
    throw new BrokerError('invalid', 'extended-hours orders must be limit orders with day or gtc time in force');
  }
  if (req.type === 'limit' && req.limitPrice === undefined) throw new BrokerError('invalid', 'limit order without a limit price');
  if (req.clientOrderId.length > 48) throw new BrokerError('invalid', 'client_order_id longer than 48 characters');
  // Side, type and time in force are fixed words and a decimal's text is digits, '.' and '-': only the symbol and the
  // client id are escaped. Keys in the order JSON.stringify of the object would give.
  let json = `{"symbol":${JSON.stringify(req.symbol)},"qty":"${req.qty.toString()}","side":"${req.side}","type":"${req.type}","time_in_force":"${req.timeInForce}","client_order_id":${JSON.stringify(req.clientOrderId)}`;
  if (req.limitPrice !== undefined) json += `,"limit_price":"${req.limitPrice.toFixed(req.limitPrice.lt(1) ? 4 : 2)}"`;
  if (req.extendedHours) json += ',"extended_hours":true';
  return json + '}';
}

/**
 * POST /v2/orders exactly once. An unknown outcome (timeout, drop, 5xx) is settled at once by
 * GET /v2/orders:by_client_order_id and the order found is returned; not found (or a 429) rethrows the unknown error.
 * A duplicate-id 422 is a definite duplicate_client_id (the earlier submit landed; the caller looks it up).
 * The order is never resubmitted.
 */
export async function submitOnce(ctx: FollowerContext, req: OrderRequest, gate?: SendGate): Promise<BrokerOrder> {
  const priority = req.purpose === 'flatten' ? PRIORITY.flatten : PRIORITY.copy;
  try {
    const { body } = await ctx.rest.request('POST', '/v2/orders', { json: orderJson(req), priority, ...(gate ? { gate } : {}) });
    const o = parseOrder(body, ctx.accountId);
    ctx.remember(o);
    return o;
  } catch (err) {
    // A 429 pauses the key's bucket: the lookup would wait behind it, so the caller settles later instead.
    if (!(err instanceof BrokerError) || err.outcome !== 'unknown' || err.code === 'rate_limited') throw err;
    let found: BrokerOrder | null;
    try {
      found = await findByClientId(ctx, req.clientOrderId, priority);
    } catch {
      throw err;
    }
    if (!found) throw err;
    ctx.alert({
      severity: 'info',
      code: 'outcome_settled',
      message: `order ${req.clientOrderId} had an unknown outcome (${err.code}); found by client id: ${found.status}`,
      details: { clientOrderId: req.clientOrderId, brokerOrderId: found.brokerOrderId, cause: err.code },
    });
    return found;
  }
}
