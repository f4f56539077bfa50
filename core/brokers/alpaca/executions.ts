// Fill bookkeeping: executions derived from cumulative filled_qty, one stable id per fill (order id + cumulative qty,
// whichever path reports it), position_qty and prices checked before they are believed.
import { Decimal } from '../../domain/decimal.js';
import { brokerOrderId, executionId, type AccountId } from '../../domain/ids.js';
import type { Execution } from '../../domain/order.js';
import { signed, type Side } from '../../domain/side.js';
import { optDec, optStr, parseSide, parseTime, type FillActivity, type Obj, type TradeUpdate } from './parse.js';

export interface Derived {
  readonly execution?: Execution;
  /** Why nothing was emitted: a replayed fill, a stale/reordered cumulative quantity, or no believable price. */
  readonly skipped?: 'duplicate' | 'stale' | 'bad_price';
  /** position_qty disagreed with our running position: not believed (left out of positionAfter); check with REST. */
  readonly mismatch?: { readonly symbol: string; readonly expected?: Decimal; readonly reported: Decimal; readonly alert: boolean };
  /** The fill's price was zero, negative or missing: nothing was emitted; check the order with REST. */
  readonly badPrice?: { readonly orderId: string; readonly symbol: string; readonly price?: Decimal };
}

/**
 * How the fill reached us. 'stream': a live update (the running position moves by the fill). 'catchup': found by the
 * REST catch-up after positions were reloaded (the fill is already inside them; positionAfter is the current one).
 */
export type FillPath = 'stream' | 'catchup';

interface Cum {
  readonly qty: Decimal;
  readonly avg?: Decimal;
}

const MAX_REMEMBERED = 20_000;

/** The id of the execution that brought an order to this cumulative quantity: the same from stream and activities. */
export const fillId = (orderId: string, cum: Decimal): string => `${orderId}:${cum.toString()}`;

export class ExecutionTracker {
  private readonly seen = new Set<string>();
  private readonly cum = new Map<string, Cum>();
  private readonly pos = new Map<string, Decimal>();
  /** Symbols whose running position was last set from REST rather than from a stream position_qty. */
  private readonly fromRest = new Set<string>();
  /** True once a full position list was read: a symbol not in it is flat, not unknown. */
  private complete = false;
  /** Broker time of the newest fill seen (ms): catch-up reads activities from a little before it. */
  lastFillTime = 0;

  constructor(private readonly accountId: AccountId) {}

  /** Records what REST says an order has filled so far, without emitting anything. */
  seedOrder(orderId: string, filled: Decimal, avg?: Decimal): void {
    const prev = this.cum.get(orderId);
    if (!prev || filled.gt(prev.qty)) this.cum.set(orderId, avg !== undefined ? { qty: filled, avg } : { qty: filled });
  }

  knowsOrder(orderId: string): boolean {
    return this.cum.has(orderId);
  }

  /** A position read over REST. */
  setPosition(symbol: string, qty: Decimal): void {
    this.pos.set(symbol, qty);
    this.fromRest.add(symbol);
  }

  /** The running position; zero for a symbol absent from the last full list; undefined before any list was read. */
  position(symbol: string): Decimal | undefined {
    return this.pos.get(symbol) ?? (this.complete ? Decimal.ZERO : undefined);
  }

  /** Replaces every running position with REST's list; returns symbols we held that REST no longer lists (now flat). */
  resetPositions(fresh: ReadonlyMap<string, Decimal>): string[] {
    const gone = [...this.pos.keys()].filter((s) => !fresh.has(s) && !this.pos.get(s)!.isZero());
    this.pos.clear();
    this.fromRest.clear();
    for (const [s, q] of fresh) this.setPosition(s, q);
    for (const s of gone) this.setPosition(s, Decimal.ZERO);
    this.complete = true;
    return gone;
  }

  fromUpdate(u: TradeUpdate): Derived {
    const o = u.order;
    const orderId = optStr(o, 'id');
    const filled = optDec(o, 'filled_qty', 'order');
    if (orderId === undefined || filled === undefined) return { skipped: 'stale' };
    const time = u.time ?? parseTime(o.filled_at) ?? parseTime(o.updated_at) ?? 0;
    return this.derive(o, orderId, filled, optDec(o, 'filled_avg_price', 'order'), time, 'stream', u.qty, u.price, u.positionQty);
  }

  /** A FILL activity found by catch-up (positions were reloaded first, so the fill is already inside them). */
  fromActivity(a: FillActivity): Derived {
    if (!this.cum.has(a.orderId)) this.cum.set(a.orderId, { qty: a.cumQty.sub(a.qty) });
    const order: Obj = { ...a.raw, id: a.orderId, symbol: a.symbol, side: a.side };
    return this.derive(order, a.orderId, a.cumQty, undefined, a.time, 'catchup', a.qty, a.price, undefined);
  }

  /**
   * An order (REST, or a non-fill stream update such as `canceled`) whose filled_qty is ahead of what we saw: the gap
   * is one late execution, priced from the cumulative averages.
   */
  fromOrder(o: Obj, path: FillPath): Derived {
    const orderId = optStr(o, 'id');
    const filled = optDec(o, 'filled_qty', 'order');
    if (orderId === undefined || filled === undefined || filled.isZero()) return { skipped: 'stale' };
    const time = parseTime(o.filled_at) ?? parseTime(o.updated_at) ?? 0;
    return this.derive(o, orderId, filled, optDec(o, 'filled_avg_price', 'order'), time, path);
  }

  private derive(
    o: Obj,
    orderId: string,
    cumNow: Decimal,
    avgNow: Decimal | undefined,
    time: number,
    path: FillPath,
    eventQty?: Decimal,
    eventPrice?: Decimal,
    positionQty?: Decimal,
  ): Derived {
    const id = fillId(orderId, cumNow);
    if (this.seen.has(id)) return { skipped: 'duplicate' };
    const prev = this.cum.get(orderId) ?? { qty: Decimal.ZERO };
    const delta = cumNow.sub(prev.qty);
    const symbol = String(o.symbol);
    if (delta.sign() <= 0) return { skipped: 'stale' };
    const price = this.priceOf(delta, eventQty, eventPrice, prev, cumNow, avgNow);
    if (price === undefined || price.sign() <= 0) {
      return { skipped: 'bad_price', badPrice: { orderId, symbol, ...(eventPrice !== undefined ? { price: eventPrice } : {}) } };
    }
    this.remember(id);
    this.cum.set(orderId, avgNow !== undefined && avgNow.sign() > 0 ? { qty: cumNow, avg: avgNow } : { qty: cumNow });
    const side: Side = parseSide(o.side, 'order', o);
    const { after, mismatch } = this.positionAfter(symbol, side, delta, path, positionQty);
    if (time > this.lastFillTime) this.lastFillTime = time;
    const tag = optStr(o, 'client_order_id');
    const execution: Execution = {
      id: executionId(id),
      accountId: this.accountId,
      symbol,
      side,
      qty: delta,
      price,
      time,
      brokerOrderId: brokerOrderId(orderId),
      ...(tag !== undefined ? { orderTag: tag } : {}),
      ...(after !== undefined ? { positionAfter: after } : {}),
      raw: o,
    };
    return mismatch ? { execution, mismatch } : { execution };
  }

  /**
   * The position after a fill. position_qty is believed only when it matches our running position plus the fill (or,
   * right after a REST snapshot that may already hold the fill, the snapshot itself); anything else is a mismatch.
   */
  private positionAfter(symbol: string, side: Side, delta: Decimal, path: FillPath, positionQty?: Decimal): Pick<Derived, 'mismatch'> & { after?: Decimal } {
    const before = this.position(symbol);
    if (path === 'catchup') return before !== undefined ? { after: before } : {};
    const expected = before?.add(signed(side, delta));
    const rest = this.fromRest.has(symbol);
    const believed = positionQty === undefined || (expected !== undefined && expected.eq(positionQty)) || (rest && before!.eq(positionQty));
    if (believed) {
      const after = positionQty ?? expected;
      if (after !== undefined) {
        this.pos.set(symbol, after);
        this.fromRest.delete(symbol);
      }
      return after !== undefined ? { after } : {};
    }
    if (expected !== undefined && !rest) this.pos.set(symbol, expected);
    return {
      mismatch: { symbol, reported: positionQty, alert: !rest, ...(expected !== undefined ? { expected } : {}) },
    };
  }

  /** The per-event price when the event covers exactly the delta; else the price implied by the cumulative averages. */
  private priceOf(
    delta: Decimal,
    eventQty: Decimal | undefined,
    eventPrice: Decimal | undefined,
    prev: Cum,
    cumNow: Decimal,
    avgNow: Decimal | undefined,
  ): Decimal | undefined {
    const goodEvent = eventPrice !== undefined && eventPrice.sign() > 0 ? eventPrice : undefined;
    const goodAvg = avgNow !== undefined && avgNow.sign() > 0 ? avgNow : undefined;
    if (goodEvent !== undefined && eventQty !== undefined && eventQty.eq(delta)) return goodEvent;
    if (goodAvg !== undefined && (prev.qty.isZero() || prev.avg !== undefined)) {
      const before = prev.avg !== undefined ? prev.avg.mul(prev.qty) : Decimal.ZERO;
      return goodAvg.mul(cumNow).sub(before).div(delta).roundToStep('0.0001');
    }
    return goodEvent ?? goodAvg;
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
