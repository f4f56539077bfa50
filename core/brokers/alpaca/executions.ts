// Fill bookkeeping: executions derived from cumulative filled_qty, deduplicated by execution_id, checked vs position_qty.
import { Decimal } from '../../domain/decimal.js';
import { brokerOrderId, executionId, type AccountId } from '../../domain/ids.js';
import type { Execution } from '../../domain/order.js';
import { signed, type Side } from '../../domain/side.js';
import { optDec, optStr, parseSide, parseTime, type FillActivity, type Obj, type TradeUpdate } from './parse.js';

export interface Derived {
  readonly execution?: Execution;
  /** Why nothing was emitted: a replayed execution_id, or a stale/reordered cumulative quantity. */
  readonly skipped?: 'duplicate' | 'stale';
  /** position_qty disagreed with our running position (the broker's figure wins). */
  readonly mismatch?: { readonly symbol: string; readonly expected: Decimal; readonly reported: Decimal };
}

interface Cum {
  readonly qty: Decimal;
  readonly avg?: Decimal;
}

const MAX_REMEMBERED = 20_000;

export class ExecutionTracker {
  private readonly seen = new Set<string>();
  private readonly cum = new Map<string, Cum>();
  private readonly pos = new Map<string, Decimal>();
  /** Symbols whose running position was last set from REST rather than from a stream position_qty. */
  private readonly fromRest = new Set<string>();
  /** Broker time of the newest fill seen (ms): catch-up reads activities from a little before it. */
  lastFillTime = 0;

  constructor(private readonly accountId: AccountId) {}

  /** Records what REST says an order has filled so far, without emitting anything. */
  seedOrder(orderId: string, filled: Decimal, avg?: Decimal): void {
    const prev = this.cum.get(orderId);
    if (!prev || filled.gt(prev.qty)) this.cum.set(orderId, avg !== undefined ? { qty: filled, avg } : { qty: filled });
  }

  /** A position read over REST. */
  setPosition(symbol: string, qty: Decimal): void {
    this.pos.set(symbol, qty);
    this.fromRest.add(symbol);
  }

  position(symbol: string): Decimal | undefined {
    return this.pos.get(symbol);
  }

  /** Replaces every running position with REST's list; returns symbols we held that REST no longer lists (now flat). */
  resetPositions(fresh: ReadonlyMap<string, Decimal>): string[] {
    const gone = [...this.pos.keys()].filter((s) => !fresh.has(s) && !this.pos.get(s)!.isZero());
    this.pos.clear();
    for (const [s, q] of fresh) this.setPosition(s, q);
    for (const s of gone) this.setPosition(s, Decimal.ZERO);
    return gone;
  }

  fromUpdate(u: TradeUpdate): Derived {
    const o = u.order;
    const orderId = optStr(o, 'id');
    const filled = optDec(o, 'filled_qty', 'order');
    if (orderId === undefined || filled === undefined) return { skipped: 'stale' };
    const execId = u.executionId ?? `${orderId}:${filled.toString()}`;
    if (this.seen.has(execId)) return { skipped: 'duplicate' };
    this.remember(execId);
    const time = u.time ?? parseTime(o.filled_at) ?? parseTime(o.updated_at) ?? 0;
    return this.derive(o, orderId, filled, optDec(o, 'filled_avg_price', 'order'), execId, time, u.qty, u.price, u.positionQty);
  }

  /**
   * A FILL activity found by catch-up. Late fills are already inside the positions REST just returned, so
   * positionAfter is the current position (not a historical one) and the running position is left alone.
   */
  fromActivity(a: FillActivity): Derived {
    if (this.seen.has(a.id)) return { skipped: 'duplicate' };
    this.remember(a.id);
    if (!this.cum.has(a.orderId)) this.cum.set(a.orderId, { qty: a.cumQty.sub(a.qty) });
    const order: Obj = { id: a.orderId, symbol: a.symbol, side: a.side };
    return this.derive(order, a.orderId, a.cumQty, undefined, a.id, a.time, a.qty, a.price, undefined, true);
  }

  /** A REST order whose filled_qty is ahead of what we saw (catch-up): the gap becomes one late execution. */
  fromOrder(o: Obj): Derived {
    const orderId = optStr(o, 'id');
    const filled = optDec(o, 'filled_qty', 'order');
    if (orderId === undefined || filled === undefined || filled.isZero()) return { skipped: 'stale' };
    const execId = `${orderId}:${filled.toString()}`;
    if (this.seen.has(execId)) return { skipped: 'duplicate' };
    this.remember(execId);
    const time = parseTime(o.filled_at) ?? parseTime(o.updated_at) ?? 0;
    return this.derive(o, orderId, filled, optDec(o, 'filled_avg_price', 'order'), execId, time, undefined, undefined, undefined, true);
  }

  private derive(
    o: Obj,
    orderId: string,
    cumNow: Decimal,
    avgNow: Decimal | undefined,
    execId: string,
    time: number,
    eventQty: Decimal | undefined,
    eventPrice: Decimal | undefined,
    positionQty: Decimal | undefined,
    late = false,
  ): Derived {
    const prev = this.cum.get(orderId) ?? { qty: Decimal.ZERO };
    const delta = cumNow.sub(prev.qty);
    const symbol = String(o.symbol);
    if (delta.sign() <= 0) return { skipped: 'stale' };
    this.cum.set(orderId, avgNow !== undefined ? { qty: cumNow, avg: avgNow } : { qty: cumNow });
    const price = this.priceOf(delta, eventQty, eventPrice, prev, cumNow, avgNow);
    if (price === undefined) return { skipped: 'stale' };
    const side: Side = parseSide(o.side, 'order', o);
    const before = this.pos.get(symbol);
    const expected = before === undefined ? undefined : late ? before : before.add(signed(side, delta));
    let mismatch: Derived['mismatch'];
    // A REST snapshot may already hold fills the stream reports after it: compare only stream-to-stream.
    if (positionQty !== undefined && expected !== undefined && !expected.eq(positionQty) && !this.fromRest.has(symbol)) {
      mismatch = { symbol, expected, reported: positionQty };
    }
    const after = positionQty ?? expected;
    if (after !== undefined && !late) {
      this.pos.set(symbol, after);
      this.fromRest.delete(symbol);
    }
    if (time > this.lastFillTime) this.lastFillTime = time;
    const tag = optStr(o, 'client_order_id');
    const execution: Execution = {
      id: executionId(execId),
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

  /** The per-event price when the event covers exactly the delta; else the price implied by the cumulative averages. */
  private priceOf(
    delta: Decimal,
    eventQty: Decimal | undefined,
    eventPrice: Decimal | undefined,
    prev: Cum,
    cumNow: Decimal,
    avgNow: Decimal | undefined,
  ): Decimal | undefined {
    if (eventPrice !== undefined && eventQty !== undefined && eventQty.eq(delta)) return eventPrice;
    if (avgNow !== undefined && (prev.qty.isZero() || prev.avg !== undefined)) {
      const before = prev.avg !== undefined ? prev.avg.mul(prev.qty) : Decimal.ZERO;
      return avgNow.mul(cumNow).sub(before).div(delta).roundToStep('0.0001');
    }
    return eventPrice ?? avgNow;
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > MAX_REMEMBERED) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}
