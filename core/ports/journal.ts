// Journal: the engine's durable record (executions, intents, fills, alerts, state, audit); SQLite implements it.
import type { Decimal } from '../domain/decimal.js';
import type { Alert, AlertInput } from '../domain/alert.js';
import type { AccountId, BrokerOrderId, ClientOrderId, ExecutionId, IntentId, LinkId } from '../domain/ids.js';
import type { Execution, OrderPurpose, OrderType } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-fsm.js';
import type { Side } from '../domain/side.js';
import type { BreakerState, Scope, TradingState, TradingStateChange } from '../domain/trading-state.js';

/** One order the engine decided to send (or would send, in dry run), with its lifecycle and timestamps. */
export interface CopyIntent {
  readonly id: IntentId;
  readonly linkId: LinkId;
  readonly leaderAccountId: AccountId;
  readonly followerAccountId: AccountId;
  /** The leader execution that caused it, or a repair/flatten key. */
  readonly sourceId: string;
  readonly executionId?: ExecutionId;
  readonly attempt: number;
  readonly clientOrderId: ClientOrderId;
  readonly leaderSymbol: string;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly orderType: OrderType;
  readonly limitPrice?: Decimal;
  readonly purpose: OrderPurpose;
  readonly dryRun: boolean;
  /** Signed follower target position this order works toward. */
  readonly target: Decimal;
  /** Leader fill price, for slippage. */
  readonly leaderPrice?: Decimal;
  readonly status: OrderStatus;
  readonly brokerOrderId?: BrokerOrderId;
  readonly filledQty: Decimal;
  readonly avgFillPrice?: Decimal;
  readonly error?: string;
  /** Leader event received by us (ms since epoch). */
  readonly leaderReceivedAt: number;
  readonly createdAt: number;
  readonly sentAt?: number;
  readonly ackAt?: number;
  readonly filledAt?: number;
  /** Monotonic planning latency, leader event received -> order handed to the adapter, in ms (fractional). */
  readonly planLatencyMs?: number;
}

export type IntentPatch = Partial<
  Pick<
    CopyIntent,
    'status' | 'brokerOrderId' | 'filledQty' | 'avgFillPrice' | 'error' | 'sentAt' | 'ackAt' | 'filledAt' | 'planLatencyMs'
  >
> & { readonly raw?: unknown };

export interface FollowerFill {
  readonly intentId: IntentId;
  readonly accountId: AccountId;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Decimal;
  readonly price: Decimal;
  readonly time: number;
}

export interface AuditEntry {
  readonly actor: string;
  readonly action: string;
  readonly details?: Record<string, unknown>;
}

export interface Journal {
  /**
   * In one transaction: records the leader execution (deduplicated by id) and the intents it produced.
   * Returns false, writing nothing, when the execution id was already recorded.
   */
  recordExecution(exec: Execution, receivedAt: number, intents: readonly CopyIntent[]): boolean;
  /**
   * Group commit: runs fn inside one outer transaction so a burst of recordExecution calls shares one
   * commit (each call stays its own savepoint: a failing one rolls back alone). Throws if the commit fails.
   */
  batch<T>(fn: () => T): T;
  hasExecution(id: ExecutionId): boolean;
  /** Intents not tied to a new leader execution (repairs, flattens, retries after not_placed). */
  insertIntents(intents: readonly CopyIntent[]): void;
  updateIntent(id: IntentId, patch: IntentPatch): void;
  /** Intents whose status is not terminal: after a restart these are settled before anything is armed. */
  openIntents(): CopyIntent[];
  /** The highest attempt number used for a (follower, source) pair, or -1. */
  lastAttempt(followerAccountId: AccountId, sourceId: string): number;
  recordFill(fill: FollowerFill): void;

  raiseAlert(alert: AlertInput, time: number): Alert;

  saveTradingState(change: TradingStateChange): void;
  tradingStates(): Map<Scope, TradingState>;
  saveBreakerState(state: BreakerState): void;
  breakerStates(): Map<Scope, BreakerState>;

  audit(entry: AuditEntry, time: number): void;
}
