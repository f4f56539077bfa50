// Simulated orders: the mutable record, request validation, fill pricing and partial-fill planning.
import { MAX_CLIENT_ID_LENGTH } from '../../domain/client-id.js';
import { Decimal } from '../../domain/decimal.js';
import type { BrokerOrderId, ClientOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { BrokerOrder, OrderPurpose, OrderRequest, OrderRole, OrderType, TimeInForce } from '../../domain/order.js';
import { isTerminal, type OrderStatus } from '../../domain/order-fsm.js';
import type { Side } from '../../domain/side.js';
import { randomInt, type RandomSource } from '../shared/random.js';
import { simErrors } from './errors.js';

export interface SimOrder {
  readonly accountId: string;
  readonly id: BrokerOrderId;
  readonly clientOrderId?: ClientOrderId;
  readonly inst: Instrument;
  /** Ledger key the order trades: the symbol, or for futures the contract id (the active one unless asked). */
  readonly key: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly type: OrderType;
  readonly limitPrice?: Decimal;
  /** Stop-market trigger (bracket stop-loss children): works as a market order once the last price reaches it. */
  readonly stopPrice?: Decimal;
  readonly timeInForce: TimeInForce;
  /** Bracket children: the entry they protect and their role; an entry with a bracket asks for children on fill. */
  readonly parentId?: BrokerOrderId;
  readonly role?: OrderRole;
  readonly bracket?: OrderRequest['bracket'];
  readonly purpose: OrderPurpose;
  filledQty: Decimal;
  /** Sum of fill qty * price, for the average fill price. */
  filledValue: Decimal;
  status: OrderStatus;
  updatedAt: number;
  /** Remaining planned fill pieces once the order is marketable. */
  pieces?: Decimal[];
  /** A fill piece is scheduled: price moves must not fill it early. */
  working: boolean;
}

export function snapshot(o: SimOrder): BrokerOrder {
  return {
    accountId: o.accountId as BrokerOrder['accountId'],
    brokerOrderId: o.id,
    ...(o.clientOrderId !== undefined ? { clientOrderId: o.clientOrderId } : {}),
    symbol: o.inst.symbol,
    ...(o.key !== o.inst.symbol ? { instrumentId: o.key } : {}),
    side: o.side,
    qty: o.qty,
    filledQty: o.filledQty,
    ...(o.filledQty.isZero() ? {} : { avgFillPrice: o.filledValue.div(o.filledQty) }),
    type: o.type,
    ...(o.limitPrice !== undefined ? { limitPrice: o.limitPrice } : {}),
    ...(o.parentId !== undefined ? { parentOrderId: o.parentId } : {}),
    ...(o.role !== undefined ? { role: o.role } : {}),
    status: o.status,
    updatedAt: o.updatedAt,
  };
}

export const isOpen = (o: SimOrder): boolean => !isTerminal(o.status);

/** Throws a definite 'invalid' BrokerError for anything the venue would refuse on arrival. */
export function validateRequest(inst: Instrument | undefined, req: OrderRequest): Instrument {
  if (!inst) throw simErrors.unknownSymbol(req.symbol);
  if (typeof req.clientOrderId !== 'string' || req.clientOrderId.length === 0 || req.clientOrderId.length > MAX_CLIENT_ID_LENGTH) {
    throw simErrors.invalid(`client order id must be 1-${MAX_CLIENT_ID_LENGTH} characters`);
  }
  if (req.side !== 'buy' && req.side !== 'sell') throw simErrors.invalid(`bad side ${JSON.stringify(req.side)}`);
  if (!(req.qty instanceof Decimal) || req.qty.sign() <= 0) throw simErrors.invalid(`qty must be positive, got ${String(req.qty)}`);
  const step = inst.fractionable && inst.fractionalStep ? inst.fractionalStep : inst.lotSize;
  if (!req.qty.isMultipleOf(step)) throw simErrors.invalid(`qty ${req.qty} of ${inst.symbol} is not a multiple of ${step}`);
  if (req.type === 'limit') {
    const p = req.limitPrice;
    if (!p || p.sign() <= 0) throw simErrors.invalid('a limit order needs a positive limit price');
    if (!p.isMultipleOf(inst.tickSize)) throw simErrors.invalid(`limit ${p} is not a multiple of the tick ${inst.tickSize}`);
  } else if (req.type !== 'market') {
    throw simErrors.invalid(`unsupported order type ${JSON.stringify(req.type)}`);
  }
  if (!['day', 'gtc', 'ioc'].includes(req.timeInForce)) throw simErrors.invalid(`bad time in force ${JSON.stringify(req.timeInForce)}`);
  return inst;
}

/**
 * Like Alpaca: an order opposite to a resting limit order of the same account on the same instrument could trade with
 * it, so the venue refuses it ("potential wash trade"). Bracket children are exempt (complex orders).
 */
export function washTradeWith(acct: { readonly open: ReadonlyMap<unknown, SimOrder> }, inst: Instrument, req: OrderRequest): SimOrder | undefined {
  for (const o of acct.open.values()) {
    if (o.inst.symbol === inst.symbol && o.side !== req.side && o.type === 'limit' && o.parentId === undefined) return o;
  }
  return undefined;
}

/** The market price a taker gets: `slippageTicks` ticks worse than last, never below one tick. */
export function takerPrice(inst: Instrument, side: Side, last: Decimal, slippageTicks: number): Decimal {
  const slip = inst.tickSize.mul(slippageTicks);
  return (side === 'buy' ? last.add(slip) : last.sub(slip)).max(inst.tickSize);
}

export function isMarketable(o: SimOrder, last: Decimal): boolean {
  if (o.stopPrice) return o.side === 'buy' ? last.cmp(o.stopPrice) >= 0 : last.cmp(o.stopPrice) <= 0;
  if (o.type === 'market' || !o.limitPrice) return true;
  return o.side === 'buy' ? o.limitPrice.cmp(last) >= 0 : o.limitPrice.cmp(last) <= 0;
}

/** A limit order never fills worse than its limit. */
export function fillPrice(o: SimOrder, last: Decimal, slippageTicks: number): Decimal {
  const taker = takerPrice(o.inst, o.side, last, slippageTicks);
  if (o.type === 'market' || !o.limitPrice) return taker;
  return o.side === 'buy' ? taker.min(o.limitPrice) : taker.max(o.limitPrice);
}

/** Splits a remaining quantity into 2-3 whole-step pieces with the given probability, else one piece. */
export function planPieces(o: SimOrder, remaining: Decimal, probability: number, random: RandomSource): Decimal[] {
  if (probability <= 0 || random() >= probability) return [remaining];
  const step = remaining.isMultipleOf(o.inst.lotSize) ? o.inst.lotSize : (o.inst.fractionalStep ?? o.inst.lotSize);
  const units = remaining.units / step.units;
  const k = BigInt(Math.min(randomInt(random, 2, 3), Number(units < 3n ? units : 3n)));
  if (k < 2n) return [remaining];
  const piece = Decimal.fromUnits((units / k) * step.units);
  const pieces: Decimal[] = [];
  for (let i = 1n; i < k; i++) pieces.push(piece);
  pieces.push(remaining.sub(piece.mul(Number(k - 1n))));
  return pieces;
}
