// Simulator accounts and the paper-like fill engine: orders, positions, cash, FILL activities, trade_updates events.
import { Decimal } from '../../../core/domain/decimal.js';
import { activityId, newId, nowIso, orderJson, type SimAsset, type SimOrder, type SimPosition, type WireSide } from './wire.js';

export interface SimAccount {
  readonly id: string;
  readonly keyId: string;
  readonly secretKey: string;
  cash: Decimal;
  shortingEnabled: boolean;
  /** Equity at the previous close (Alpaca last_equity); the starting cash until closeDay(). */
  lastEquity?: Decimal;
  readonly positions: Map<string, SimPosition>;
  readonly orders: Map<string, SimOrder>;
  readonly byClientId: Map<string, SimOrder>;
  readonly activities: Record<string, unknown>[];
}

export interface TradeEvent {
  readonly event: string;
  readonly order: Record<string, unknown>;
  readonly timestamp: string;
  readonly execution_id?: string;
  readonly price?: string;
  readonly qty?: string;
  readonly position_qty?: string;
}

export interface Quote {
  bid: Decimal;
  ask: Decimal;
}

/** Seeded PRNG so fill patterns repeat run to run (the brokers' shared mulberry32). */
export { mulberry32 as seeded } from '../../../core/brokers/shared/random.js';

export class SimBook {
  readonly accounts = new Map<string, SimAccount>();
  readonly quotes = new Map<string, Quote>();
  marketOpen = true;
  /** Chance that a marketable order fills in two steps (paper trading: 10 %). */
  partialFillRate = 0.1;
  /** Delay before a resting marketable order fills, ms. */
  fillDelayMs = 2;
  /** A partially filled order rests with its remainder (an illiquid book) instead of filling it a moment later. */
  holdAfterPartial = false;
  /** Historical Alpaca rule (UNCONFIRMED today): no long -> short flip in one order. */
  forbidFlip = false;
  /** Orders filled only by the test script (leader trades), never by the fill engine. */
  private readonly manual = new Set<string>();

  constructor(
    readonly assets: Map<string, SimAsset>,
    private readonly random: () => number,
    private readonly publish: (acct: SimAccount, e: TradeEvent) => void,
  ) {}

  quote(symbol: string): Quote {
    let q = this.quotes.get(symbol);
    if (!q) {
      q = { bid: Decimal.from('99.99'), ask: Decimal.from('100.01') };
      this.quotes.set(symbol, q);
    }
    return q;
  }

  setPrice(symbol: string, last: string): void {
    const p = Decimal.from(last);
    this.quotes.set(symbol, { bid: p.sub('0.01'), ask: p.add('0.01') });
    for (const acct of this.accounts.values()) for (const o of acct.orders.values()) this.evaluate(acct, o);
  }

  setMarketOpen(open: boolean): void {
    this.marketOpen = open;
    if (open) for (const acct of this.accounts.values()) for (const o of acct.orders.values()) this.evaluate(acct, o);
  }

  position(acct: SimAccount, symbol: string): Decimal {
    return acct.positions.get(symbol)?.qty ?? Decimal.ZERO;
  }

  /** Creates an accepted order and sends `new`; the caller has validated it. */
  accept(acct: SimAccount, spec: { symbol: string; side: WireSide; qty: Decimal; type: 'market' | 'limit'; timeInForce: string;
    limitPrice?: Decimal; extendedHours?: boolean; clientOrderId?: string }, manual = false): SimOrder {
    const at = nowIso();
    const o: SimOrder = {
      id: newId(),
      clientOrderId: spec.clientOrderId ?? newId(),
      symbol: spec.symbol,
      assetId: this.assets.get(spec.symbol)?.id ?? newId(),
      side: spec.side,
      type: spec.type,
      timeInForce: spec.timeInForce,
      qty: spec.qty,
      limitPrice: spec.limitPrice,
      extendedHours: spec.extendedHours ?? false,
      createdAt: at,
      status: 'accepted',
      filledQty: Decimal.ZERO,
      filledAvgPrice: undefined,
      updatedAt: at,
      filledAt: null,
      canceledAt: null,
      expiredAt: null,
      failedAt: null,
    };
    acct.orders.set(o.id, o);
    acct.byClientId.set(o.clientOrderId, o);
    if (manual) this.manual.add(o.id);
    if (this.marketOpen || o.extendedHours || manual) {
      o.status = 'new';
      this.publish(acct, { event: 'new', order: orderJson(o), timestamp: at });
    }
    if (!manual) setTimeout(() => this.evaluate(acct, o), this.fillDelayMs);
    return o;
  }

  /** The price a resting order can fill at now, or undefined when it is not marketable (or the market is shut). */
  private marketable(o: SimOrder): Decimal | undefined {
    if (!this.marketOpen && !o.extendedHours) return undefined;
    const q = this.quote(o.symbol);
    const px = o.side === 'buy' ? q.ask : q.bid;
    if (o.type === 'market') return px;
    if (o.side === 'buy') return o.limitPrice && o.limitPrice.cmp(px) >= 0 ? px : undefined;
    return o.limitPrice && o.limitPrice.cmp(px) <= 0 ? px : undefined;
  }

  evaluate(acct: SimAccount, o: SimOrder): void {
    if (this.manual.has(o.id) || !['new', 'accepted', 'partially_filled'].includes(o.status)) return;
    const px = this.marketable(o);
    if (px === undefined) return;
    if (o.status === 'accepted') {
      o.status = 'new';
      this.publish(acct, { event: 'new', order: orderJson(o), timestamp: nowIso() });
    }
    const remaining = o.qty.sub(o.filledQty);
    const frac = !o.qty.isMultipleOf(1);
    if (o.filledQty.isZero() && !frac && remaining.gt(1) && this.random() < this.partialFillRate) {
      const part = remaining.mul(Decimal.from(this.random().toFixed(3))).roundTowardZero(1).max(1).min(remaining.sub(1));
      this.fill(acct, o, part, px);
      if (!this.holdAfterPartial) setTimeout(() => this.evaluate(acct, o), this.fillDelayMs);
      return;
    }
    this.fill(acct, o, remaining, px);
  }

  /** Applies one execution: order, position, cash, FILL activity, and the trade update. */
  fill(acct: SimAccount, o: SimOrder, qty: Decimal, price: Decimal): TradeEvent {
    const at = new Date();
    const iso = nowIso();
    const prevNotional = o.filledAvgPrice ? o.filledAvgPrice.mul(o.filledQty) : Decimal.ZERO;
    o.filledQty = o.filledQty.add(qty);
    o.filledAvgPrice = prevNotional.add(price.mul(qty)).div(o.filledQty).roundToStep('0.0001');
    const done = o.filledQty.eq(o.qty);
    o.status = done ? 'filled' : 'partially_filled';
    o.updatedAt = iso;
    if (done) o.filledAt = iso;
    const signedQty = o.side === 'buy' ? qty : qty.neg();
    const pos = acct.positions.get(o.symbol) ?? { qty: Decimal.ZERO, avg: Decimal.ZERO };
    const newQty = pos.qty.add(signedQty);
    if (newQty.isZero()) acct.positions.delete(o.symbol);
    else {
      const adding = pos.qty.isZero() || pos.qty.sign() === signedQty.sign();
      const crossed = pos.qty.sign() !== 0 && newQty.sign() !== pos.qty.sign();
      const avg = adding ? pos.avg.mul(pos.qty.abs()).add(price.mul(qty)).div(newQty.abs()).roundToStep('0.0001') : crossed ? price : pos.avg;
      acct.positions.set(o.symbol, { qty: newQty, avg });
    }
    acct.cash = acct.cash.sub(signedQty.mul(price));
    acct.activities.push({
      activity_type: 'FILL',
      id: activityId(at),
      transaction_time: at.toISOString(),
      type: done ? 'fill' : 'partial_fill',
      price: price.toString(),
      qty: qty.toString(),
      side: o.side,
      symbol: o.symbol,
      leaves_qty: o.qty.sub(o.filledQty).toString(),
      cum_qty: o.filledQty.toString(),
      order_id: o.id,
      order_status: o.status,
    });
    const e: TradeEvent = {
      event: done ? 'fill' : 'partial_fill',
      execution_id: newId(),
      order: orderJson(o),
      timestamp: iso,
      price: price.toString(),
      qty: qty.toString(),
      position_qty: newQty.toString(),
    };
    this.publish(acct, e);
    return e;
  }

  cancel(acct: SimAccount, o: SimOrder): void {
    o.status = 'canceled';
    o.canceledAt = o.updatedAt = nowIso();
    this.publish(acct, { event: 'canceled', order: orderJson(o), timestamp: o.updatedAt });
  }

  equity(acct: SimAccount): Decimal {
    let eq = acct.cash;
    for (const [sym, p] of acct.positions) eq = eq.add(p.qty.mul(this.mid(sym)));
    return eq;
  }

  mid(symbol: string): Decimal {
    const q = this.quote(symbol);
    return q.bid.add(q.ask).div(2);
  }

  openOrders(acct: SimAccount): SimOrder[] {
    return [...acct.orders.values()].filter((o) => ['new', 'accepted', 'partially_filled', 'pending_new'].includes(o.status));
  }
}
