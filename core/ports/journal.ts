// Journal: the engine's durable record (executions, intents, fills, alerts, state, audit); SQLite implements it.
import type { Decimal } from '../domain/decimal.js';
import type { Alert, AlertInput } from '../domain/alert.js';
import type { AccountId, BrokerOrderId, ClientOrderId, ExecutionId, IntentId, LinkId } from '../domain/ids.js';
import type { Execution, OrderPurpose, OrderType } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-fsm.js';
import type { Side } from '../domain/side.js';
import type { BreakerState, Scope, TradingState, TradingStateChange } from '../domain/trading-state.js';
import type { GuardAction, GuardKind } from '../domain/guard-settings.js';

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

/** One link's part of a leader episode: the eligible signed qty E, its peak |E|, and a follower-side exit if any. */
export interface EpisodePartRecord {
  readonly eligible: Decimal;
  readonly peak: Decimal;
  /** Why the follower's part ended (bracket stop, exit rule, guard); its target stays 0 until the next episode. */
  readonly exited?: string;
}

/** The facts of a leader's episode on one symbol (flat to flat) that sizing needs after a restart or an edit. */
export interface EpisodeRecord {
  readonly leaderAccountId: AccountId;
  readonly leaderSymbol: string;
  /** Increments each time the leader opens a new episode on the symbol. */
  readonly episode: number;
  readonly qty: Decimal;
  readonly peak: Decimal;
  readonly entryPrice?: Decimal;
  readonly lastPrice?: Decimal;
  /** By link id. */
  readonly parts: Readonly<Record<string, EpisodePartRecord>>;
}

/** A copy or repair held for the follower's market open (LinkSettings.outsideHours 'wait'). */
export interface WaitRecord {
  readonly linkId: LinkId;
  readonly symbol: string;
  readonly leaderSymbol: string;
  readonly purpose: 'copy' | 'repair';
  readonly sourceId: string;
  readonly executionId?: ExecutionId;
  readonly orderTag?: string;
  /** When it is re-planned (ms since epoch). */
  readonly due: number;
}

/** How a link a person just added starts (engine link-start.ts), kept until the link arms. */
export interface LinkStartRecord {
  readonly linkId: LinkId;
  readonly start: 'align' | 'new_only';
  /** The 'align' orders the person confirmed from the preview (only those are sent). */
  readonly orders?: readonly { readonly symbol: string; readonly side: 'buy' | 'sell'; readonly qty: string }[];
}

/** A follower symbol a 'new_only' start or resume leaves as it is until the leader trades it again. */
export interface LeftAloneRecord {
  readonly linkId: LinkId;
  readonly symbol: string;
}

/** The latest leader execution on a symbol that moved while a link was not armed: planned for it once it arms. */
export interface UnplannedRecord {
  readonly linkId: LinkId;
  readonly leaderSymbol: string;
  readonly executionId: ExecutionId;
  readonly price: Decimal;
  readonly orderTag?: string;
}

/** A lock or block a guard (or a person) put on an account. */
export interface RiskLockRecord {
  readonly kind: GuardKind;
  readonly reason: string;
  readonly at: number;
  readonly until?: number;
  readonly mode: 'block' | 'lock';
}

/** An account's risk day as the risk book keeps it (PersistedRiskState): restored after a restart, locks included. */
export interface RiskStateRecord {
  readonly accountId: AccountId;
  readonly tradingDay: string;
  readonly startBalance?: string;
  readonly realized: string;
  readonly fees: string;
  readonly equityHigh?: string;
  readonly eodBalanceHigh?: string;
  readonly peakEquity?: string;
  readonly levels: Readonly<Partial<Record<GuardKind, 'warning' | 'breached'>>>;
  readonly locks: readonly RiskLockRecord[];
}

/** One thing a guard did (or a person did to a lock), with the numbers that triggered it. */
export interface RiskActionRecord {
  readonly accountId: AccountId;
  readonly kind: GuardKind;
  readonly level: 'warning' | 'breached' | 'cleared';
  /** What was done: a guard action, or 'lock'/'unlock' by a person, 'reset' at the trading day's start. */
  readonly action: GuardAction | 'lock' | 'unlock' | 'reset' | 'flatten';
  readonly message: string;
  readonly numbers: Readonly<Record<string, string>>;
  readonly time: number;
  readonly actor?: string;
}

export interface Journal {
  /**
   * In one transaction: records the leader execution (deduplicated by id), the intents it produced and the leader
   * episode as it is after the execution. Returns false, writing nothing, when the execution id was already recorded.
   */
  recordExecution(exec: Execution, receivedAt: number, intents: readonly CopyIntent[], episode?: EpisodeRecord): boolean;
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
  /** The intent (any status) whose order on that account has this broker order id: a bracket child's parent. */
  intentByBrokerOrder(accountId: AccountId, brokerOrderId: BrokerOrderId): CopyIntent | undefined;
  /** The highest attempt number used for a (follower, source) pair, or -1. */
  lastAttempt(followerAccountId: AccountId, sourceId: string): number;
  recordFill(fill: FollowerFill): void;

  raiseAlert(alert: AlertInput, time: number): Alert;

  saveTradingState(change: TradingStateChange): void;
  tradingStates(): Map<Scope, TradingState>;
  saveBreakerState(state: BreakerState): void;
  breakerStates(): Map<Scope, BreakerState>;

  audit(entry: AuditEntry, time: number): void;

  /** Upserts a leader episode (one row per leader account and symbol). */
  saveEpisode(episode: EpisodeRecord): void;
  episodes(): EpisodeRecord[];
  /** Upserts the wait of a link and follower symbol (one per pair). */
  saveWait(wait: WaitRecord): void;
  deleteWait(linkId: LinkId, symbol: string): void;
  waits(): WaitRecord[];
  /** Upserts a new link's start choice; deleted once the link armed. */
  saveLinkStart(start: LinkStartRecord): void;
  deleteLinkStart(linkId: LinkId): void;
  linkStarts(): LinkStartRecord[];
  saveLeftAlone(record: LeftAloneRecord): void;
  deleteLeftAlone(record: LeftAloneRecord): void;
  leftAlone(): LeftAloneRecord[];
  /** Upserts by link and leader symbol (the latest execution wins). */
  saveUnplanned(record: UnplannedRecord): void;
  deleteUnplanned(linkId: LinkId, leaderSymbol: string): void;
  unplanned(): UnplannedRecord[];

  /** Upserts an account's risk state (one row per account). */
  saveRiskState(state: RiskStateRecord): void;
  riskStates(): RiskStateRecord[];
  deleteRiskState(accountId: AccountId): void;
  recordRiskAction(action: RiskActionRecord): void;
}
