// Lenient parsing of Alpaca wire objects (orders, positions, account, assets, clock, activities, trade updates).
import { Decimal } from '../../domain/decimal.js';
import { brokerOrderId, clientOrderId, type AccountId } from '../../domain/ids.js';
import type { OrderStatus } from '../../domain/order-fsm.js';
import type { AccountSnapshot, BrokerOrder, Position } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import { protocolError } from './errors.js';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A decimal from a string or number; undefined for null/absent; throws a protocol error when present but unreadable. */
export function optDec(o: Obj, key: string, what: string): Decimal | undefined {
  const v = o[key];
  if (v === null || v === undefined || v === '') return undefined;
  const d = Decimal.tryFrom(v);
  if (d === undefined) throw protocolError(`${what}.${key} (${JSON.stringify(v)})`, o);
  return d;
}

export function reqDec(o: Obj, key: string, what: string): Decimal {
  const d = optDec(o, key, what);
  if (d === undefined) throw protocolError(`${what} without ${key}`, o);
  return d;
}

export function reqStr(o: Obj, key: string, what: string): string {
  const v = o[key];
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number') return String(v);
  throw protocolError(`${what} without ${key}`, o);
}

export const optStr = (o: Obj, key: string): string | undefined => {
  const v = o[key];
  return typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined;
};

/** RFC 3339 with nanoseconds and mixed offsets -> ms since epoch (the raw string stays on the record). */
export function parseTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? ms : undefined;
}

export function parseSide(v: unknown, what: string, raw: Obj): Side {
  if (v === 'buy' || v === 'sell') return v;
  throw protocolError(`${what} side ${JSON.stringify(v)}`, raw);
}

/** Alpaca order status -> our lifecycle status. Unknown statuses are tolerated (working, or partially filled). */
export function mapStatus(status: string | undefined, filled: Decimal): OrderStatus {
  switch (status) {
    case 'partially_filled':
      return 'partially_filled';
    case 'filled':
      return 'filled';
    case 'pending_cancel':
      return 'cancel_requested';
    case 'canceled':
    case 'replaced':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return filled.sign() > 0 ? 'partially_filled' : 'accepted';
  }
}

export function parseOrder(raw: unknown, accountId: AccountId): BrokerOrder {
  if (!isObj(raw)) throw protocolError('order', raw);
  const filledQty = optDec(raw, 'filled_qty', 'order') ?? Decimal.ZERO;
  const qty = optDec(raw, 'qty', 'order') ?? filledQty;
  const typeRaw = optStr(raw, 'type') ?? optStr(raw, 'order_type');
  const limitPrice = optDec(raw, 'limit_price', 'order');
  const avg = optDec(raw, 'filled_avg_price', 'order');
  const coid = optStr(raw, 'client_order_id');
  const status = mapStatus(optStr(raw, 'status'), filledQty);
  const updatedAt =
    parseTime(raw.updated_at) ?? parseTime(raw.filled_at) ?? parseTime(raw.submitted_at) ?? parseTime(raw.created_at) ?? 0;
  return {
    accountId,
    brokerOrderId: brokerOrderId(reqStr(raw, 'id', 'order')),
    ...(coid !== undefined ? { clientOrderId: clientOrderId(coid) } : {}),
    symbol: reqStr(raw, 'symbol', 'order'),
    side: parseSide(raw.side, 'order', raw),
    qty,
    filledQty,
    ...(avg !== undefined ? { avgFillPrice: avg } : {}),
    type: typeRaw === 'market' ? 'market' : 'limit',
    ...(limitPrice !== undefined ? { limitPrice } : {}),
    status,
    ...(status === 'rejected' ? { rejectReason: optStr(raw, 'reject_reason') ?? 'rejected by Alpaca' } : {}),
    updatedAt,
    raw,
  };
}

export function parsePosition(raw: unknown, accountId: AccountId): Position {
  if (!isObj(raw)) throw protocolError('position', raw);
  let qty = reqDec(raw, 'qty', 'position');
  if (raw.side === 'short' && qty.sign() > 0) qty = qty.neg();
  const avg = optDec(raw, 'avg_entry_price', 'position');
  return { accountId, symbol: reqStr(raw, 'symbol', 'position'), qty, ...(avg !== undefined ? { avgPrice: avg } : {}), raw };
}

/** The account snapshot; "can trade" = ACTIVE and no block flags. */
export function parseAccount(raw: unknown, accountId: AccountId): AccountSnapshot & { shortingEnabled: boolean } {
  if (!isObj(raw)) throw protocolError('account', raw);
  const equity = reqDec(raw, 'equity', 'account');
  const last = optDec(raw, 'last_equity', 'account');
  const cash = optDec(raw, 'cash', 'account');
  const bp = optDec(raw, 'buying_power', 'account');
  const blocked = raw.trading_blocked === true || raw.account_blocked === true || raw.trade_suspended_by_user === true;
  return {
    accountId,
    equity,
    ...(cash !== undefined ? { cash } : {}),
    ...(bp !== undefined ? { buyingPower: bp } : {}),
    dayPnl: last !== undefined ? equity.sub(last) : Decimal.ZERO,
    ...(last !== undefined ? { startEquity: last } : {}),
    currency: optStr(raw, 'currency') ?? 'USD',
    canTrade: raw.status === 'ACTIVE' && !blocked,
    shortingEnabled: raw.shorting_enabled === true,
    raw,
  };
}

export interface AlpacaAsset {
  readonly symbol: string;
  readonly tradable: boolean;
  readonly shortable: boolean;
  readonly easyToBorrow: boolean;
  readonly fractionable: boolean;
  readonly status: string;
  readonly raw: Obj;
}

export function parseAsset(raw: unknown): AlpacaAsset {
  if (!isObj(raw)) throw protocolError('asset', raw);
  return {
    symbol: reqStr(raw, 'symbol', 'asset'),
    status: optStr(raw, 'status') ?? 'active',
    tradable: raw.tradable === true && (raw.status ?? 'active') === 'active',
    shortable: raw.shortable === true,
    easyToBorrow: raw.easy_to_borrow === true || raw.borrow_status === 'easy_to_borrow',
    fractionable: raw.fractionable === true,
    raw,
  };
}

export interface MarketClock {
  readonly open: boolean;
  readonly timestamp: number;
  readonly nextOpen: number;
  readonly nextClose: number;
  readonly raw: Obj;
}

export function parseClock(raw: unknown): MarketClock {
  if (!isObj(raw) || typeof raw.is_open !== 'boolean') throw protocolError('market clock', raw);
  const t = (k: string): number => {
    const v = parseTime(raw[k]);
    if (v === undefined) throw protocolError(`market clock ${k}`, raw);
    return v;
  };
  return { open: raw.is_open, timestamp: t('timestamp'), nextOpen: t('next_open'), nextClose: t('next_close'), raw };
}

export interface FillActivity {
  readonly id: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly price: Decimal;
  readonly cumQty: Decimal;
  readonly time: number;
  readonly raw: Obj;
}

export function parseActivity(raw: unknown): FillActivity {
  if (!isObj(raw)) throw protocolError('activity', raw);
  return {
    id: reqStr(raw, 'id', 'activity'),
    orderId: reqStr(raw, 'order_id', 'activity'),
    symbol: reqStr(raw, 'symbol', 'activity'),
    side: parseSide(raw.side, 'activity', raw),
    qty: reqDec(raw, 'qty', 'activity'),
    price: reqDec(raw, 'price', 'activity'),
    cumQty: optDec(raw, 'cum_qty', 'activity') ?? reqDec(raw, 'qty', 'activity'),
    time: parseTime(raw.transaction_time) ?? 0,
    raw,
  };
}

export interface TradeUpdate {
  readonly event: string;
  readonly order: Obj;
  readonly executionId?: string;
  readonly price?: Decimal;
  readonly qty?: Decimal;
  readonly positionQty?: Decimal;
  readonly time?: number;
  readonly raw: Obj;
}

export function parseTradeUpdate(data: unknown): TradeUpdate {
  if (!isObj(data) || typeof data.event !== 'string' || !isObj(data.order)) throw protocolError('trade update', data);
  const exec = optStr(data, 'execution_id');
  const price = optDec(data, 'price', 'trade update');
  const qty = optDec(data, 'qty', 'trade update');
  const pos = optDec(data, 'position_qty', 'trade update');
  const time = parseTime(data.timestamp);
  return {
    event: data.event,
    order: data.order,
    ...(exec !== undefined ? { executionId: exec } : {}),
    ...(price !== undefined ? { price } : {}),
    ...(qty !== undefined ? { qty } : {}),
    ...(pos !== undefined ? { positionQty: pos } : {}),
    ...(time !== undefined ? { time } : {}),
    raw: data,
  };
}

/** Multi-status (207) items: {symbol|id, status, body}. */
export interface MultiStatusItem {
  readonly key: string;
  readonly status: number;
  readonly message?: string;
}

export function parseMultiStatus(raw: unknown, keyField: 'symbol' | 'id'): MultiStatusItem[] {
  if (!Array.isArray(raw)) throw protocolError('multi-status answer', raw);
  return raw.map((item) => {
    if (!isObj(item)) throw protocolError('multi-status item', item);
    const status = typeof item.status === 'number' ? item.status : Number(item.status);
    const body = isObj(item.body) ? item.body : undefined;
    const message = body && typeof body.message === 'string' ? body.message : undefined;
    return { key: optStr(item, keyField) ?? '?', status: Number.isFinite(status) ? status : 0, ...(message ? { message } : {}) };
  });
}
