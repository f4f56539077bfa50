// SimMatcher: accepts orders, fills them (slippage, partial pieces, latency) and books fills with their events.
import { Decimal } from '../../domain/decimal.js';
import { errorMessage } from '../../domain/errors.js';
import { brokerOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, Execution, OrderRequest } from '../../domain/order.js';
import type { Clock } from '../../ports/clock.js';
import type { RandomSource } from '../shared/random.js';
import { keepExecution, type SimAccount } from './account.js';
import { bracketChildren } from './brackets.js';
import type { SimFeed } from './feed.js';
import { fillPrice, isMarketable, isOpen, planPieces, snapshot, type SimOrder } from './orders.js';
import type { PriceWalk } from './price-walk.js';

export interface MatcherDeps {
  readonly clock: Clock;
  readonly walk: PriceWalk;
  readonly feed: SimFeed;
  readonly fillRandom: RandomSource;
  readonly slippageTicks: number;
  readonly partialFillProbability: number;
  readonly latencyMs: number;
  readonly snapshotOf: (acct: SimAccount) => AccountSnapshot;
  /** Tags execution and order ids so a new venue (an app restart) never reuses the ids of an earlier one. */
  readonly idTag?: string;
}

export class SimMatcher {
  private readonly d: MatcherDeps;
  private latencyMs: number;
  private orderSeq = 0;
  private readonly tag: string;

  constructor(deps: MatcherDeps) {
    this.d = deps;
    this.latencyMs = deps.latencyMs;
    this.tag = deps.idTag ? `${deps.idTag}.` : '';
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** Records an accepted order, announces it and schedules its first fill attempt. */
  place(acct: SimAccount, inst: Instrument, key: string, req: OrderRequest): SimOrder {
    const order: SimOrder = {
      accountId: acct.id, id: brokerOrderId(`sim-ord-${this.tag}${++this.orderSeq}`), clientOrderId: req.clientOrderId, inst, key,
      side: req.side, qty: req.qty, type: req.type, ...(req.type === 'limit' ? { limitPrice: req.limitPrice! } : {}),
      timeInForce: req.timeInForce, purpose: req.purpose, filledQty: Decimal.ZERO, filledValue: Decimal.ZERO,
      status: 'accepted', updatedAt: this.d.clock.now(), working: true, ...(req.bracket ? { bracket: req.bracket } : {}),
    };
    acct.orders.set(order.id, order);
    acct.open.set(order.id, order);
    acct.byClientId.set(req.clientOrderId, order);
    this.d.feed.emit(acct.id, { kind: 'order', order: snapshot(order) });
    this.schedule(acct, order);
    return order;
  }

  /** Cancels an open order (the remaining pieces too) and announces it. */
  cancel(acct: SimAccount, order: SimOrder): void {
    order.status = 'cancelled';
    order.updatedAt = this.d.clock.now();
    delete order.pieces;
    acct.open.delete(order.id);
    this.d.feed.emit(acct.id, { kind: 'order', order: snapshot(order) });
    this.protect(acct, order);
  }

  /** A finished entry with a bracket gets its children for what filled (ProjectX activates them on the fill). */
  private protect(acct: SimAccount, entry: SimOrder): void {
    if (!entry.bracket || entry.filledQty.isZero()) return;
    const avg = entry.filledValue.div(entry.filledQty);
    const nextId = () => brokerOrderId(`sim-ord-${++this.orderSeq}`);
    for (const child of bracketChildren(entry, entry.filledQty, avg, nextId, this.d.clock.now())) {
      acct.orders.set(child.id, child);
      acct.open.set(child.id, child);
      this.d.feed.emit(acct.id, { kind: 'order', order: snapshot(child) });
      this.schedule(acct, child);
    }
  }

  /** One-cancels-other: a bracket child that fills cancels its open siblings. */
  private cancelSiblings(acct: SimAccount, child: SimOrder): void {
    for (const o of [...acct.open.values()]) if (o.parentId === child.parentId && o.id !== child.id) this.cancel(acct, o);
  }

  /** After a price change: works every resting order that became marketable. */
  matchResting(accounts: Iterable<SimAccount>): void {
    for (const acct of accounts) {
      for (const order of [...acct.open.values()]) {
        if (!order.working && isMarketable(order, this.d.walk.last(order.inst.symbol)!)) {
          this.work(acct, order);
        }
      }
    }
  }

  private schedule(acct: SimAccount, order: SimOrder): void {
    order.working = true;
    const run = () => {
      try {
        this.work(acct, order);
      } catch (err) {
        this.d.feed.emit(acct.id, {
          kind: 'alert',
          alert: { severity: 'error', code: 'broker_notice', message: `sim: order ${order.id} failed: ${errorMessage(err)}` },
        });
      }
    };
    if (this.latencyMs <= 0) queueMicrotask(run);
    else this.d.clock.setTimer(this.latencyMs, run);
  }

  /** Fills the next piece of a marketable order; rests (or cancels an IOC) otherwise. */
  private work(acct: SimAccount, order: SimOrder): void {
    order.working = false;
    if (!isOpen(order)) return;
    const last = this.d.walk.last(order.inst.symbol)!;
    if (!order.pieces && !isMarketable(order, last)) {
      if (order.timeInForce === 'ioc') this.cancel(acct, order);
      return;
    }
    order.pieces ??= planPieces(order, order.qty.sub(order.filledQty), this.d.partialFillProbability, this.d.fillRandom);
    const piece = order.pieces.shift()!;
    this.fill(acct, order, piece, fillPrice(order, last, this.d.slippageTicks));
    if (order.pieces.length > 0) this.schedule(acct, order);
  }

  private fill(acct: SimAccount, order: SimOrder, qty: Decimal, price: Decimal): void {
    const now = this.d.clock.now();
    order.filledQty = order.filledQty.add(qty);
    order.filledValue = order.filledValue.add(qty.mul(price));
    order.status = order.filledQty.eq(order.qty) ? 'filled' : 'partially_filled';
    order.updatedAt = now;
    if (order.status === 'filled') acct.open.delete(order.id);
    acct.ledger.applyFill(order.inst, order.side === 'buy' ? qty : qty.neg(), price, order.key);
    const held = acct.ledger.position(order.key);
    const after = acct.ledger.net(order.inst.symbol);
    const instrumentId = order.key !== order.inst.symbol ? { instrumentId: order.key } : {};
    const execution: Execution = {
      id: `sim-${acct.id}-${this.tag}${++acct.execSeq}` as Execution['id'], accountId: acct.id as Execution['accountId'],
      symbol: order.inst.symbol, ...instrumentId, side: order.side, qty, price, time: now, brokerOrderId: order.id,
      ...(order.clientOrderId !== undefined ? { orderTag: order.clientOrderId } : {}), positionAfter: after,
    };
    keepExecution(acct, execution);
    const feed = this.d.feed;
    feed.emit(acct.id, { kind: 'execution', execution });
    feed.emit(acct.id, { kind: 'order', order: snapshot(order) });
    feed.emit(acct.id, {
      kind: 'position',
      position: {
        accountId: execution.accountId, symbol: order.inst.symbol, ...instrumentId, qty: held?.qty ?? Decimal.ZERO,
        ...(held ? { avgPrice: held.avgPrice } : {}),
      },
    });
    feed.emit(acct.id, { kind: 'account', account: this.d.snapshotOf(acct) });
    if (order.parentId !== undefined) this.cancelSiblings(acct, order);
    if (order.status === 'filled') this.protect(acct, order);
  }
}
