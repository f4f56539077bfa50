// Orders as the engine asks for them and as brokers report them; executions and positions.
import type { Decimal } from './decimal.js';
import type { AccountId, BrokerOrderId, ClientOrderId, ExecutionId } from './ids.js';
import type { Side } from './side.js';
import type { OrderStatus } from './order-fsm.js';

export type OrderType = 'market' | 'limit';
export type TimeInForce = 'day' | 'gtc' | 'ioc';
/** Why an order exists; also its rate-limit priority (flatten first, then copies, then queries). */
export type OrderPurpose = 'copy' | 'repair' | 'flatten';

export interface OrderRequest {
  readonly accountId: AccountId;
  readonly clientOrderId: ClientOrderId;
  readonly symbol: string;
  /** The contract to trade (a close goes to the contract held); absent means the symbol's active contract. */
  readonly instrumentId?: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly type: OrderType;
  readonly limitPrice?: Decimal;
  readonly timeInForce: TimeInForce;
  readonly extendedHours?: boolean;
  readonly purpose: OrderPurpose;
  /** Optional protective bracket in signed ticks (brokers that support it). */
  readonly bracket?: { readonly stopLossTicks?: number; readonly takeProfitTicks?: number };
}

/** What an order is within a bracket: the entry, or a child the broker placed for it. */
export type OrderRole = 'entry' | 'stop_loss' | 'take_profit';

/** A broker's view of one order; filledQty is cumulative. */
export interface BrokerOrder {
  readonly accountId: AccountId;
  readonly brokerOrderId: BrokerOrderId;
  readonly clientOrderId?: ClientOrderId;
  readonly symbol: string;
  /** The broker's tradable instrument (futures: the contract id, e.g. CON.F.US.MES.Z26); absent means `symbol`. */
  readonly instrumentId?: string;
  /** Bracket children: the entry order they protect (they count as ours when the entry is ours). */
  readonly parentOrderId?: BrokerOrderId;
  readonly role?: OrderRole;
  readonly side: Side;
  readonly qty: Decimal;
  readonly filledQty: Decimal;
  readonly avgFillPrice?: Decimal;
  readonly type: OrderType;
  readonly limitPrice?: Decimal;
  readonly status: OrderStatus;
  readonly rejectReason?: string;
  /** Broker time of the last change, ms since epoch. */
  readonly updatedAt: number;
  readonly raw?: unknown;
}

/** One fill on the leader account; id is the broker's stable execution/trade id. */
export interface Execution {
  readonly id: ExecutionId;
  readonly accountId: AccountId;
  readonly symbol: string;
  /** The broker's tradable instrument (futures: the contract id); absent means `symbol`. */
  readonly instrumentId?: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly price: Decimal;
  /** Broker time of the fill, ms since epoch. */
  readonly time: number;
  readonly brokerOrderId?: BrokerOrderId;
  /** The leader order's client id or tag, for strategy-tag filters. */
  readonly orderTag?: string;
  /** Signed net position after this fill, when the broker reports it. */
  readonly positionAfter?: Decimal;
  /** Realized P&L of this fill, net of nothing, when the broker reports it (ProjectX trades: profitAndLoss). */
  readonly realizedPnl?: Decimal;
  /** Fees and commissions of this fill when the broker reports them (ProjectX trades: fees). */
  readonly fees?: Decimal;
  readonly raw?: unknown;
}

export interface Position {
  readonly accountId: AccountId;
  /** The instrument's symbol or futures root (what links map). */
  readonly symbol: string;
  /** The broker's tradable instrument the position is held in (futures: the contract id); absent means `symbol`. */
  readonly instrumentId?: string;
  /** Signed: positive long, negative short. */
  readonly qty: Decimal;
  readonly avgPrice?: Decimal;
  readonly raw?: unknown;
}

export interface AccountSnapshot {
  readonly accountId: AccountId;
  readonly equity: Decimal;
  readonly cash?: Decimal;
  readonly buyingPower?: Decimal;
  readonly dayPnl: Decimal;
  /** Equity at the broker's own start of day when it reports one (Alpaca last_equity). */
  readonly startEquity?: Decimal;
  readonly currency: string;
  readonly canTrade: boolean;
  readonly raw?: unknown;
}
