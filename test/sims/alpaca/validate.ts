// Simulator POST /v2/orders validation with Alpaca's status codes and messages (fact sheet sections 3.3.1, 4.1, 4.3).
import { Decimal } from '../../../core/domain/decimal.js';
import type { SimAccount, SimBook } from './book.js';
import type { Reply } from './routes.js';
import { apiError, type WireSide } from './wire.js';

export interface ValidOrder {
  readonly symbol: string;
  readonly side: WireSide;
  readonly qty: Decimal;
  readonly type: 'market' | 'limit';
  readonly timeInForce: string;
  readonly limitPrice?: Decimal;
  readonly extendedHours: boolean;
  readonly clientOrderId?: string;
}

const bad = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: apiError(code, message, extra),
});

const dec = (v: unknown): Decimal | undefined => (typeof v === 'string' || typeof v === 'number' ? Decimal.tryFrom(v) : undefined);

export function validateOrder(book: SimBook, a: SimAccount, body: unknown): ValidOrder | Reply {
  if (typeof body !== 'object' || body === null) return bad(400, 40010000, 'request body format is invalid');
  const b = body as Record<string, unknown>;
  const symbol = typeof b.symbol === 'string' ? b.symbol : '';
  const asset = book.assets.get(symbol);
  if (!asset) return bad(422, 40010001, `invalid symbol: ${symbol || '(missing)'}`);
  if (b.side !== 'buy' && b.side !== 'sell') return bad(422, 40010001, 'invalid side');
  const type = b.type;
  if (type !== 'market' && type !== 'limit') return bad(422, 40010001, `invalid order type: ${String(type)}`);
  const tif = typeof b.time_in_force === 'string' ? b.time_in_force : '';
  if (!['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'].includes(tif)) return bad(422, 40010001, 'invalid time_in_force');
  if (b.qty !== undefined && b.notional !== undefined) return bad(400, 40010001, 'qty and notional cannot both be specified');
  const qty = dec(b.qty);
  if (qty === undefined) return bad(422, 40010001, 'qty is required');
  if (qty.sign() <= 0) return bad(422, 40010001, 'qty must be > 0');
  const coid = typeof b.client_order_id === 'string' ? b.client_order_id : undefined;
  if (coid !== undefined && coid.length > 128) return bad(422, 40010001, 'client_order_id must be no more than 128 characters');
  if (coid !== undefined && a.byClientId.has(coid)) return bad(422, 40010001, 'client_order_id must be unique');
  const fractional = !qty.isMultipleOf(1);
  if (fractional && !asset.fractionable) return bad(422, 40010001, 'requested asset is not fractionable');
  if (fractional && (type !== 'market' || tif !== 'day')) return bad(422, 40010001, 'fractional orders must be DAY market orders');
  let limitPrice: Decimal | undefined;
  if (type === 'limit') {
    limitPrice = dec(b.limit_price);
    if (limitPrice === undefined || limitPrice.sign() <= 0) return bad(422, 40010001, 'limit_price is required');
    const step = limitPrice.gt(1) || limitPrice.eq(1) ? '0.01' : '0.0001';
    if (!limitPrice.isMultipleOf(step)) {
      return bad(422, 42210000, `invalid limit_price ${String(b.limit_price)}. sub-penny increment does not fulfill minimum pricing criteria`);
    }
  }
  const extendedHours = b.extended_hours === true;
  if (extendedHours && (type !== 'limit' || (tif !== 'day' && tif !== 'gtc'))) {
    return bad(422, 42210000, 'extended hours order must be DAY or GTC limit orders');
  }
  if (!asset.tradable || asset.status !== 'active') return bad(403, 40310000, `asset ${symbol} is not tradable`);
  const side = b.side;
  const pos = book.position(a, symbol);
  const after = side === 'buy' ? pos.add(qty) : pos.sub(qty);
  if (after.sign() < 0 && after.abs().gt(pos.sign() < 0 ? pos.abs() : Decimal.ZERO)) {
    if (!a.shortingEnabled) return bad(403, 40310000, 'account is not allowed to short');
    if (!asset.shortable || !asset.easyToBorrow) return bad(403, 40310000, `asset ${symbol} cannot be sold short`);
    if (fractional) return bad(403, 40310000, 'fractional orders cannot be sold short');
    if (book.forbidFlip && pos.sign() > 0) return bad(403, 40310000, 'cannot open a short position while a long position is held');
  }
  const opposite = book.openOrders(a).find((o) => o.symbol === symbol && o.side !== side);
  if (opposite) return bad(403, 40310000, 'potential wash trade detected. use complex orders', { existing_order_id: opposite.id });
  if (side === 'buy' && after.gt(pos.max(0))) {
    const price = limitPrice ?? book.quote(symbol).ask;
    const bp = book.equity(a).mul(2);
    if (qty.mul(price).gt(bp)) {
      return bad(403, 40310000, 'insufficient buying power', { buying_power: bp.toFixed(2), cost_basis: qty.mul(price).toFixed(2) });
    }
  }
  return {
    symbol,
    side,
    qty,
    type,
    timeInForce: tif,
    ...(limitPrice !== undefined ? { limitPrice } : {}),
    extendedHours,
    ...(coid !== undefined ? { clientOrderId: coid } : {}),
  };
}
