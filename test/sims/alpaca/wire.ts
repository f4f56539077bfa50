// Simulator wire shapes: Alpaca order/position/account/activity JSON as the real API writes it (decimal strings, nulls).
import { randomUUID } from 'node:crypto';
import { Decimal } from '../../../core/domain/decimal.js';

export type WireSide = 'buy' | 'sell';

export interface SimOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly assetId: string;
  readonly side: WireSide;
  readonly type: 'market' | 'limit';
  readonly timeInForce: string;
  readonly qty: Decimal;
  readonly limitPrice: Decimal | undefined;
  readonly extendedHours: boolean;
  readonly createdAt: string;
  status: string;
  filledQty: Decimal;
  filledAvgPrice: Decimal | undefined;
  updatedAt: string;
  filledAt: string | null;
  canceledAt: string | null;
  expiredAt: string | null;
  failedAt: string | null;
}

export interface SimPosition {
  qty: Decimal;
  avg: Decimal;
}

export interface SimAsset {
  readonly id: string;
  readonly symbol: string;
  readonly name: string;
  readonly exchange: string;
  tradable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
  fractionable: boolean;
  status: 'active' | 'inactive';
}

export const nowIso = (): string => new Date().toISOString().replace('Z', '000Z');

export const newId = (): string => randomUUID();

/** Activity ids: 17-digit UTC time, "::", uuid (chronological when compared as strings). */
export function activityId(at: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${at.getUTCFullYear()}${p(at.getUTCMonth() + 1)}${p(at.getUTCDate())}${p(at.getUTCHours())}${p(at.getUTCMinutes())}${p(
    at.getUTCSeconds(),
  )}${p(at.getUTCMilliseconds(), 3)}`;
  return `${stamp}::${randomUUID()}`;
}

const s = (d: Decimal | undefined): string | null => (d === undefined ? null : d.toString());

export function orderJson(o: SimOrder): Record<string, unknown> {
  return {
    id: o.id,
    client_order_id: o.clientOrderId,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    submitted_at: o.createdAt,
    filled_at: o.filledAt,
    expired_at: o.expiredAt,
    cancel_requested_at: null,
    canceled_at: o.canceledAt,
    failed_at: o.failedAt,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: o.assetId,
    symbol: o.symbol,
    asset_class: 'us_equity',
    notional: null,
    qty: o.qty.toString(),
    filled_qty: o.filledQty.toString(),
    filled_avg_price: s(o.filledAvgPrice),
    order_class: '',
    order_type: o.type,
    type: o.type,
    side: o.side,
    position_intent: o.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
    time_in_force: o.timeInForce,
    limit_price: o.limitPrice ? o.limitPrice.toFixed(2) : null,
    stop_price: null,
    status: o.status,
    extended_hours: o.extendedHours,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    source: null,
    subtag: null,
    expires_at: null,
  };
}

export function positionJson(symbol: string, assetId: string, p: SimPosition, price: Decimal): Record<string, unknown> {
  const mv = p.qty.mul(price);
  const cost = p.qty.mul(p.avg);
  const pl = mv.sub(cost);
  return {
    asset_id: assetId,
    symbol,
    exchange: 'NASDAQ',
    asset_class: 'us_equity',
    asset_marginable: true,
    qty: p.qty.toString(),
    qty_available: p.qty.toString(),
    side: p.qty.sign() < 0 ? 'short' : 'long',
    avg_entry_price: p.avg.toFixed(4),
    market_value: mv.toFixed(2),
    cost_basis: cost.toFixed(2),
    unrealized_pl: pl.toFixed(2),
    unrealized_plpc: cost.isZero() ? '0' : pl.div(cost.abs()).toFixed(6),
    unrealized_intraday_pl: pl.toFixed(2),
    unrealized_intraday_plpc: cost.isZero() ? '0' : pl.div(cost.abs()).toFixed(6),
    current_price: price.toFixed(2),
    lastday_price: price.toFixed(2),
    change_today: '0',
  };
}

export function assetJson(a: SimAsset): Record<string, unknown> {
  return {
    id: a.id,
    class: 'us_equity',
    exchange: a.exchange,
    symbol: a.symbol,
    name: a.name,
    status: a.status,
    tradable: a.tradable,
    marginable: true,
    shortable: a.shortable,
    easy_to_borrow: a.easyToBorrow,
    borrow_status: a.easyToBorrow ? 'easy_to_borrow' : 'hard_to_borrow',
    fractionable: a.fractionable,
    maintenance_margin_requirement: 30,
    margin_requirement_long: '30',
    margin_requirement_short: '100',
    attributes: [],
    cusip: null,
  };
}

export const apiError = (code: number, message: string, extra: Record<string, unknown> = {}) => ({ code, message, ...extra });
