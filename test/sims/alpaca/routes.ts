// Simulator trading endpoints: account, assets, clock/calendar, positions, orders, activities, latest trade/quote.
import { Decimal } from '../../../core/domain/decimal.js';
import type { SimAccount, SimBook } from './book.js';
import { validateOrder } from './validate.js';
import { apiError, assetJson, orderJson, positionJson, type SimOrder } from './wire.js';

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const err = (status: number, code: number, message: string, extra: Record<string, unknown> = {}): Reply => ({
  status,
  body: apiError(code, message, extra),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPEN = ['new', 'accepted', 'partially_filled', 'pending_new', 'held'];

function accountJson(book: SimBook, a: SimAccount): Record<string, unknown> {
  const equity = book.equity(a);
  return {
    id: a.id,
    account_number: `PA${a.id.slice(0, 8).toUpperCase()}`,
    status: 'ACTIVE',
    crypto_status: 'ACTIVE',
    currency: 'USD',
    cash: a.cash.toFixed(2),
    equity: equity.toFixed(2),
    last_equity: (a.lastEquity ?? equity).toFixed(2),
    portfolio_value: equity.toFixed(2),
    buying_power: equity.mul(2).max(0).toFixed(2),
    regt_buying_power: equity.mul(2).max(0).toFixed(2),
    non_marginable_buying_power: a.cash.max(0).toFixed(2),
    options_buying_power: a.cash.max(0).toFixed(2),
    long_market_value: '0',
    short_market_value: '0',
    initial_margin: '0',
    maintenance_margin: '0',
    last_maintenance_margin: '0',
    sma: '0',
    multiplier: '2',
    accrued_fees: '0',
    pending_transfer_in: '0',
    pending_transfer_out: '0',
    trading_blocked: false,
    transfers_blocked: false,
    account_blocked: false,
    trade_suspended_by_user: false,
    shorting_enabled: a.shortingEnabled,
    created_at: '2024-01-12T15:02:11.53242Z',
    options_approved_level: 0,
    options_trading_level: 0,
  };
}

function listOrders(a: SimAccount, q: URLSearchParams): Reply {
  const status = q.get('status') ?? 'open';
  const limit = Math.min(500, Number(q.get('limit') ?? 50) || 50);
  const after = q.get('after') ? Date.parse(q.get('after')!) : undefined;
  const until = q.get('until') ? Date.parse(q.get('until')!) : undefined;
  const symbols = q.get('symbols')?.split(',');
  const side = q.get('side');
  let list = [...a.orders.values()].filter((o) => {
    const open = OPEN.includes(o.status);
    if (status === 'open' && !open) return false;
    if (status === 'closed' && open) return false;
    const t = Date.parse(o.createdAt.replace(/(\.\d{3})\d+/, '$1'));
    if (after !== undefined && !(t > after)) return false;
    if (until !== undefined && !(t < until)) return false;
    if (symbols && !symbols.includes(o.symbol)) return false;
    return !side || o.side === side;
  });
  if ((q.get('direction') ?? 'desc') === 'desc') list = list.reverse();
  return ok(list.slice(0, limit).map(orderJson));
}

function activities(a: SimAccount, q: URLSearchParams): Reply {
  const dir = q.get('direction') ?? 'desc';
  const size = Math.min(100, Number(q.get('page_size') ?? 100) || 100);
  const after = q.get('after') ? Date.parse(q.get('after')!) : undefined;
  const until = q.get('until') ? Date.parse(q.get('until')!) : undefined;
  const token = q.get('page_token');
  let list = a.activities.filter((x) => {
    const t = Date.parse(String(x.transaction_time));
    return (after === undefined || t > after) && (until === undefined || t < until);
  });
  if (dir === 'desc') list = [...list].reverse();
  if (token) {
    const i = list.findIndex((x) => x.id === token);
    list = i >= 0 ? list.slice(i + 1) : list.filter((x) => (dir === 'asc' ? String(x.id) > token : String(x.id) < token));
  }
  return ok(list.slice(0, size));
}

function findOrder(a: SimAccount, id: string): SimOrder | Reply {
  if (!UUID.test(id)) return err(422, 40010001, 'order_id is missing');
  return a.orders.get(id) ?? err(404, 40410000, 'order not found');
}

function closePosition(book: SimBook, a: SimAccount, symbol: string, q: URLSearchParams): Reply {
  const p = a.positions.get(symbol);
  if (!p) return err(404, 40410000, 'position does not exist');
  let qty = p.qty.abs();
  if (q.get('qty')) qty = Decimal.from(q.get('qty')!);
  else if (q.get('percentage')) qty = qty.mul(Decimal.from(q.get('percentage')!)).div(100);
  const held = book.openOrders(a).filter((o) => o.symbol === symbol && o.side === (p.qty.sign() > 0 ? 'sell' : 'buy'));
  if (held.length > 0) {
    return err(403, 40310000, `insufficient qty available for order (requested: ${qty}, available: 0)`, {
      available: '0', existing_qty: p.qty.abs().toString(), held_for_orders: p.qty.abs().toString(), symbol,
    });
  }
  const o = book.accept(a, { symbol, side: p.qty.sign() > 0 ? 'sell' : 'buy', qty, type: 'market', timeInForce: 'day' });
  return ok(orderJson(o));
}

export function routeTrading(book: SimBook, a: SimAccount, method: string, path: string, q: URLSearchParams, body: unknown): Reply {
  const seg = path.split('/').filter(Boolean);
  const key = `${method} /${seg.slice(0, 2).join('/')}`;
  if (method === 'GET' && path === '/v2/account') return ok(accountJson(book, a));
  if (method === 'GET' && path === '/v2/clock') {
    const now = new Date();
    const later = new Date(now.getTime() + 3_600_000).toISOString();
    return ok({ timestamp: now.toISOString(), is_open: book.marketOpen, next_open: later, next_close: later });
  }
  if (method === 'GET' && path === '/v2/calendar') {
    const d = (q.get('start') ?? new Date().toISOString().slice(0, 10)).slice(0, 10);
    return ok([{ date: d, open: '09:30', close: '16:00', session_open: '0400', session_close: '2000' }]);
  }
  if (method === 'GET' && (path === '/v2/account/activities/FILL' || (path === '/v2/account/activities' && q.get('activity_types') === 'FILL'))) {
    return activities(a, q);
  }
  if (method === 'GET' && seg[1] === 'assets' && seg.length === 3) {
    const asset = book.assets.get(seg[2]!);
    return asset ? ok(assetJson(asset)) : err(404, 40410000, `asset not found for ${seg[2]}`);
  }
  if (method === 'GET' && path === '/v2/assets') return ok([...book.assets.values()].map(assetJson));
  if (seg[0] === 'v2' && seg[1] === 'stocks' && seg.length === 5 && method === 'GET') {
    const qt = book.quote(seg[2]!);
    if (seg[3] === 'trades') return ok({ symbol: seg[2], trade: { t: new Date().toISOString(), x: 'V', p: book.mid(seg[2]!).toNumber(), s: 100, c: ['@'], i: 1, z: 'C' } });
    return ok({ symbol: seg[2], quote: { t: new Date().toISOString(), ax: 'V', ap: qt.ask.toNumber(), as: 1, bx: 'V', bp: qt.bid.toNumber(), bs: 1, c: ['R'], z: 'C' } });
  }
  if (key === 'GET /v2/positions') {
    if (seg.length === 2) return ok([...a.positions].map(([s, p]) => positionJson(s, book.assets.get(s)?.id ?? s, p, book.mid(s))));
    const p = a.positions.get(seg[2]!);
    return p ? ok(positionJson(seg[2]!, book.assets.get(seg[2]!)?.id ?? seg[2]!, p, book.mid(seg[2]!))) : err(404, 40410000, 'position does not exist');
  }
  if (key === 'DELETE /v2/positions') {
    if (seg.length === 3) return closePosition(book, a, seg[2]!, q);
    if (q.get('cancel_orders') === 'true') for (const o of book.openOrders(a)) book.cancel(a, o);
    const items = [...a.positions.keys()].map((s) => {
      const r = closePosition(book, a, s, new URLSearchParams());
      return { symbol: s, status: r.status, body: r.body };
    });
    return { status: 207, body: items };
  }
  if (path === '/v2/orders:by_client_order_id' && method === 'GET') {
    const o = a.byClientId.get(q.get('client_order_id') ?? '');
    return o ? ok(orderJson(o)) : err(404, 40410000, 'order not found');
  }
  if (key === 'POST /v2/orders' && seg.length === 2) {
    const v = validateOrder(book, a, body);
    if ('status' in v) return v;
    return ok(orderJson(book.accept(a, v)));
  }
  if (key === 'GET /v2/orders') {
    if (seg.length === 2) return listOrders(a, q);
    const o = findOrder(a, seg[2]!);
    return 'status' in o && typeof o.status === 'number' ? (o as Reply) : ok(orderJson(o as SimOrder));
  }
  if (key === 'DELETE /v2/orders') {
    if (seg.length === 2) {
      const items = book.openOrders(a).map((o) => {
        book.cancel(a, o);
        return { id: o.id, status: 200 };
      });
      return { status: 207, body: items };
    }
    const found = findOrder(a, seg[2]!);
    if ('status' in found && typeof found.status === 'number') return found as Reply;
    const o = found as SimOrder;
    if (o.status === 'filled') return err(422, 42210000, 'order is already in "filled" state');
    if (!OPEN.includes(o.status)) return err(422, 42210000, 'order is not cancelable');
    book.cancel(a, o);
    return { status: 204 };
  }
  return err(404, 40410000, 'endpoint not found');
}
