// Simulator trading logic: placing, filling, bracket legs, cancels and closes, emitting the hub sequences of §6.6.
import { Decimal } from '../../../core/domain/decimal.js';
import {
  DEFAULT_CONTRACTS, OrderStatus, OrderType, dotnetTime, wireAccount, wireOrder, wirePosition, wireTrade,
  type SimAccount, type SimAccountInput, type SimContract, type SimOrder, type SimPosition, type SimTrade,
} from './model.js';

export type UserEvent = 'GatewayUserAccount' | 'GatewayUserOrder' | 'GatewayUserPosition' | 'GatewayUserTrade';
export type EmitFn = (accountId: number, target: UserEvent, action: number, data: Record<string, unknown>) => void;

export interface PlaceInput {
  accountId: number;
  contractId: string;
  type: number;
  side: number;
  size: number;
  limitPrice?: number | null;
  stopPrice?: number | null;
  customTag?: string | null;
  stopLossBracket?: { ticks: number; type: number } | null;
  takeProfitBracket?: { ticks: number; type: number } | null;
}

export interface Envelope {
  success: boolean;
  errorCode: number;
  errorMessage: string | null;
  [k: string]: unknown;
}

const ok = (extra: Record<string, unknown> = {}): Envelope => ({ ...extra, success: true, errorCode: 0, errorMessage: null });
const fail = (errorCode: number, errorMessage: string | null, extra: Record<string, unknown> = {}): Envelope => ({
  ...extra, success: false, errorCode, errorMessage,
});

export class SimExchange {
  readonly accounts = new Map<number, SimAccount>();
  readonly contracts = new Map<string, SimContract>();
  readonly orders = new Map<number, SimOrder>();
  readonly trades: SimTrade[] = [];
  readonly positions = new Map<string, SimPosition>();
  readonly prices = new Map<string, Decimal>();
  /** Emit the extra opening-trade re-emission on every close (seen live). */
  reemitOnClose = true;
  /** Fault: that re-emission is a new record (new trade id, current time) of the opening order's fill. */
  reemitAsNewRecord = false;
  /** Accounts whose market orders rest unfilled (status Open) until taken out of the set: an illiquid market. */
  readonly holdMarket = new Set<number>();
  /** Place returns this code for the next place calls (fault injection). */
  forcedPlaceError: { code: number; message: string | null } | undefined;
  private nextOrderId = 2_934_939_000;
  private nextTradeId = 2_555_492_000;
  private nextPositionId = 703_034_000;

  constructor(private readonly emit: EmitFn, private readonly clock: () => number = Date.now) {
    for (const c of DEFAULT_CONTRACTS) this.contracts.set(c.id, c);
    this.prices.set('CON.F.US.MES.Z26', Decimal.from('6000'));
    this.prices.set('CON.F.US.EP.Z26', Decimal.from('6000'));
    this.prices.set('CON.F.US.MNQ.Z26', Decimal.from('21000'));
  }

  /** Fault: shifts the exchange's clock (negative = events that happened in the past, e.g. an overnight position). */
  clockOffsetMs = 0;

  private now(): number {
    return this.clock() + this.clockOffsetMs;
  }

  addAccount(a: SimAccountInput, defaultUser = ''): void {
    this.accounts.set(a.id, {
      id: a.id, user: (a.user ?? defaultUser).toLowerCase(), name: a.name ?? `50KTC-V2-${a.id}`, balance: Decimal.from(a.balance ?? '50000'), canTrade: a.canTrade ?? true,
      isVisible: true, simulated: a.simulated ?? true, copierFollower: a.copierFollower ?? false,
      bracketMode: a.bracketMode ?? 'position', tags: new Set(),
    });
  }

  /** True when `user` owns the account (other logins get AccountNotFound). */
  owns(user: string, accountId: unknown): boolean {
    return this.accounts.get(Number(accountId))?.user === user.toLowerCase();
  }

  position(accountId: number, contractId: string): number {
    return this.positions.get(`${accountId}|${contractId}`)?.net ?? 0;
  }

  place(req: PlaceInput): Envelope {
    const acct = this.accounts.get(req.accountId);
    if (!acct) return fail(1, 'Account not found');
    const c = this.contracts.get(req.contractId);
    if (!c) return fail(8, 'Contract not found', { orderId: null });
    if (!c.activeContract) return fail(9, 'Contract is not active', { orderId: null });
    if (!acct.canTrade) return fail(10, 'Account is not allowed to trade', { orderId: null });
    if (req.customTag) {
      if (acct.tags.has(req.customTag)) return fail(2, 'custom tag already in use', { orderId: null });
      acct.tags.add(req.customTag);
    }
    const order = this.newOrder(acct.id, c, req);
    const forced = this.forcedPlaceError;
    if (forced) return this.reject(order, forced.code, forced.message);
    const bracketError = this.checkBrackets(acct, req);
    if (bracketError) return this.reject(order, 2, bracketError);
    if (req.type === OrderType.Market && !this.holdMarket.has(acct.id)) {
      order.status = OrderStatus.Pending;
      this.emitOrder(order);
      this.fill(order, this.prices.get(c.id) ?? Decimal.ONE);
    } else {
      order.status = OrderStatus.Open;
      this.emitOrder(order);
      this.armBrackets(order, req);
      this.matchWorking(c.id);
    }
    return ok({ orderId: order.id });
  }

  cancel(accountId: number, orderId: number): Envelope {
    const acct = this.accounts.get(accountId);
    if (!acct) return fail(1, 'Account not found');
    if (acct.copierFollower) return fail(6, 'Follower accounts cannot cancel orders');
    if (!acct.simulated) return fail(6, 'Live accounts not supported');
    const o = this.orders.get(orderId);
    if (!o || o.accountId !== accountId || !isWorking(o.status)) return fail(2, 'Order not found');
    this.setStatus(o, OrderStatus.Cancelled);
    return ok();
  }

  /** Position/closeContract, or Position/partialCloseContract when size is given (its codes shift: 5 size, 9 live). */
  closeContract(accountId: number, contractId: string, size?: number): Envelope {
    const acct = this.accounts.get(accountId);
    if (!acct) return fail(1, 'Account not found');
    if (!this.contracts.has(contractId)) return fail(3, 'Contract not found');
    if (size !== undefined && !acct.simulated) return fail(9, 'Account rejected (live accounts)');
    const net = this.position(accountId, contractId);
    if (net === 0) return fail(2, 'Position not found');
    if (size !== undefined && (size <= 0 || size > Math.abs(net))) return fail(5, 'Invalid close size');
    this.place({ accountId, contractId, type: OrderType.Market, side: net > 0 ? 1 : 0, size: size ?? Math.abs(net) });
    return ok();
  }

  /** Moves the market; working limit/stop orders that become marketable fill. */
  setPrice(contractId: string, price: string): void {
    this.prices.set(contractId, Decimal.from(price));
    this.matchWorking(contractId);
  }

  private newOrder(accountId: number, c: SimContract, req: PlaceInput): SimOrder {
    const t = this.now();
    const stamp = dotnetTime(t);
    const o: SimOrder = {
      id: this.nextOrderId++, accountId, contractId: c.id, symbolId: c.symbolId, creationTimestamp: stamp, updateTimestamp: stamp,
      status: OrderStatus.Pending, type: req.type, side: req.side === 1 ? 1 : 0, size: req.size, fillVolume: 0, createdMs: t,
      ...(req.limitPrice != null ? { limitPrice: Decimal.from(req.limitPrice) } : {}),
      ...(req.stopPrice != null ? { stopPrice: Decimal.from(req.stopPrice) } : {}),
      ...(req.customTag ? { customTag: req.customTag } : {}),
    };
    this.orders.set(o.id, o);
    return o;
  }

  private reject(order: SimOrder, code: number, message: string | null): Envelope {
    this.emitOrder(order);
    this.setStatus(order, OrderStatus.Rejected);
    return fail(code, message, { orderId: order.id });
  }

  private checkBrackets(acct: SimAccount, req: PlaceInput): string | undefined {
    const sl = req.stopLossBracket;
    const tp = req.takeProfitBracket;
    if (!sl && !tp) return undefined;
    if (acct.bracketMode !== 'oco') return 'Brackets cannot be used with Position Brackets. You must enable Auto OCO Brackets.';
    const long = req.side === 0;
    if (sl && sl.type !== OrderType.Stop) return `Invalid stop loss type (${sl.type === 1 ? 'Limit' : sl.type})`;
    if (sl && (long ? sl.ticks >= 0 : sl.ticks <= 0)) {
      return `Invalid stop loss ticks (${sl.ticks}). Ticks should be ${long ? 'less' : 'greater'} than zero when ${long ? 'longing' : 'shorting'}.`;
    }
    if (tp && tp.type !== OrderType.Limit) return `Invalid take profit type (${tp.type})`;
    if (tp && (long ? tp.ticks <= 0 : tp.ticks >= 0)) {
      return `Invalid take profit ticks (${tp.ticks}). Ticks should be ${long ? 'greater' : 'less'} than zero when ${long ? 'longing' : 'shorting'}.`;
    }
    return undefined;
  }

  private armBrackets(order: SimOrder, req: PlaceInput): void {
    const c = this.contracts.get(order.contractId)!;
    const legs: { ticks: number; type: number }[] = [];
    if (req.stopLossBracket) legs.push(req.stopLossBracket);
    if (req.takeProfitBracket) legs.push(req.takeProfitBracket);
    const ids: number[] = [];
    for (const leg of legs) {
      const child = this.newOrder(order.accountId, c, { ...req, type: leg.type, side: order.side === 0 ? 1 : 0, customTag: null });
      child.status = OrderStatus.Suspended;
      child.parentOrderId = order.id;
      this.emitOrder(child);
      ids.push(child.id);
      order.brackets = { ...order.brackets, ...(leg.type === OrderType.Stop ? { sl: leg.ticks, slId: child.id } : { tp: leg.ticks, tpId: child.id }) };
    }
    if (ids.length === 2) {
      this.orders.get(ids[0]!)!.linkedOrderId = ids[1];
      this.orders.get(ids[1]!)!.linkedOrderId = ids[0];
    }
  }

  private activateBrackets(entry: SimOrder, fillPrice: Decimal): void {
    const b = entry.brackets;
    if (!b) return;
    const tick = this.contracts.get(entry.contractId)!.tickSize;
    for (const [id, ticks, isStop] of [[b.slId, b.sl, true], [b.tpId, b.tp, false]] as const) {
      const child = id === undefined ? undefined : this.orders.get(id);
      if (!child || ticks === undefined || child.status !== OrderStatus.Suspended) continue;
      const level = fillPrice.add(tick.mul(ticks));
      if (isStop) child.stopPrice = level;
      else child.limitPrice = level;
      this.setStatus(child, OrderStatus.Open);
    }
  }

  private matchWorking(contractId: string): void {
    const price = this.prices.get(contractId);
    if (!price) return;
    for (const o of [...this.orders.values()]) {
      if (o.contractId !== contractId || o.status !== OrderStatus.Open) continue;
      const buy = o.side === 0;
      const hit =
        o.type === OrderType.Limit ? (buy ? !price.gt(o.limitPrice!) : !price.lt(o.limitPrice!))
        : o.type === OrderType.Stop ? (buy ? !price.lt(o.stopPrice!) : !price.gt(o.stopPrice!))
        : false;
      if (hit) this.fill(o, o.type === OrderType.Limit ? o.limitPrice! : price);
    }
  }

  /** Fills an order completely, emitting the observed sequence (open: trade before Filled; close: Filled first). */
  private fill(o: SimOrder, price: Decimal): void {
    const c = this.contracts.get(o.contractId)!;
    const key = `${o.accountId}|${o.contractId}`;
    const t = this.now();
    const signedSize = o.side === 0 ? o.size : -o.size;
    let pos = this.positions.get(key);
    if (!pos) {
      pos = { id: this.nextPositionId++, accountId: o.accountId, contractId: o.contractId, creationTimestamp: dotnetTime(t), net: 0, avg: Decimal.ZERO };
      this.positions.set(key, pos);
    }
    const closing = pos.net !== 0 && Math.sign(pos.net) !== Math.sign(signedSize);
    const closedQty = closing ? Math.min(Math.abs(pos.net), o.size) : 0;
    const pointValue = c.tickValue.div(c.tickSize);
    const pnl = closing ? price.sub(pos.avg).mul(closedQty).mul(pointValue).mul(pos.net > 0 ? 1 : -1) : undefined;
    const trade: SimTrade = {
      id: this.nextTradeId++, accountId: o.accountId, contractId: o.contractId, creationTimestamp: dotnetTime(t), price,
      fees: Decimal.from('0.37').mul(o.size), commissions: Decimal.from('0.25').mul(o.size), side: o.side, size: o.size,
      voided: false, orderId: o.id, createdMs: t, ...(pnl ? { profitAndLoss: pnl } : {}),
    };
    this.trades.push(trade);
    o.fillVolume = o.size;
    o.filledPrice = price;
    const openingTrade = pos.openingTradeId === undefined ? undefined : this.trades.find((x) => x.id === pos.openingTradeId);
    if (closing) {
      this.setStatus(o, OrderStatus.Filled);
      this.emit(o.accountId, 'GatewayUserTrade', 0, wireTrade(trade));
      if (this.reemitOnClose && openingTrade) {
        const again = this.reemitAsNewRecord ? { ...openingTrade, id: this.nextTradeId++, creationTimestamp: dotnetTime(t) } : openingTrade;
        this.emit(o.accountId, 'GatewayUserTrade', 0, wireTrade(again));
      }
    } else {
      this.emit(o.accountId, 'GatewayUserTrade', 0, wireTrade(trade));
      this.setStatus(o, OrderStatus.Filled);
    }
    const next = pos.net + signedSize;
    if (next === 0) pos.avg = Decimal.ZERO;
    else if (!closing) pos.avg = pos.avg.mul(Math.abs(pos.net)).add(price.mul(o.size)).div(Math.abs(next));
    else if (Math.sign(next) !== Math.sign(pos.net)) pos.avg = price;
    if (pos.net === 0 || Math.sign(next) !== Math.sign(pos.net)) pos.openingTradeId = trade.id;
    pos.net = next;
    this.emit(o.accountId, 'GatewayUserPosition', 1, wirePosition(pos, c.name));
    if (next === 0) this.positions.delete(key);
    const acct = this.accounts.get(o.accountId)!;
    acct.balance = acct.balance.add(pnl ?? Decimal.ZERO).sub(trade.fees);
    for (let i = 0; i < 2; i++) this.emit(acct.id, 'GatewayUserAccount', 1, wireAccount(acct));
    this.activateBrackets(o, price);
    this.cancelSibling(o);
  }

  private cancelSibling(o: SimOrder): void {
    const sib = o.linkedOrderId === undefined ? undefined : this.orders.get(o.linkedOrderId);
    if (sib && isWorking(sib.status)) this.setStatus(sib, OrderStatus.Cancelled);
  }

  private setStatus(o: SimOrder, status: number): void {
    o.status = status;
    o.updateTimestamp = dotnetTime(this.now());
    this.emitOrder(o);
  }

  private emitOrder(o: SimOrder): void {
    this.emit(o.accountId, 'GatewayUserOrder', 1, wireOrder(o));
  }
}

export const isWorking = (status: number): boolean =>
  status === OrderStatus.Open || status === OrderStatus.Pending || status === OrderStatus.Suspended || status === OrderStatus.PendingCancel;
