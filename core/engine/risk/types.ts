// The risk book's interface: what the engine tells it (account facts, positions, fills, prices, time) and what it
// answers (guard decisions, account risk state, the view the dashboard shows, the state the journal keeps).
import type { Decimal } from '../../domain/decimal.js';
import type { GuardAction, GuardKind, GuardSettings } from '../../domain/guard-settings.js';
import type { AccountId } from '../../domain/ids.js';
import type { TradingDayBoundary } from '../../domain/trading-day.js';
import type { AccountRiskView } from '../../contract/risk.js';
import type { RiskLockRecord, RiskStateRecord } from '../../ports/journal.js';

export type RiskState = 'ok' | 'warning' | 'blocked' | 'locked';

export interface RiskAccountFacts {
  readonly equity: Decimal;
  readonly cash?: Decimal;
  readonly buyingPower?: Decimal;
  /** The broker's own day P&L and start-of-day equity, when reported (used to seed the day after a restart). */
  readonly brokerDayPnl?: Decimal;
  readonly startEquity?: Decimal;
  readonly currency: string;
}

export interface RiskPosition {
  readonly instrumentId: string;
  readonly symbol: string;
  /** Signed quantity; 0 removes the position. */
  readonly qty: Decimal;
  readonly avgPrice?: Decimal;
  /** Money per point per unit (instrument multiplier: 1 equities, 5 MES). */
  readonly multiplier: Decimal;
}

export interface RiskFill {
  readonly instrumentId: string;
  readonly time: number;
  /** As the broker reports it; absent: the book computes realized P&L from its own average price. */
  readonly realizedPnl?: Decimal;
  readonly fees?: Decimal;
  /** Signed quantity of the fill (buy +, sell -) and its price, for the book's own realized P&L. */
  readonly qty: Decimal;
  readonly price: Decimal;
  readonly multiplier: Decimal;
}

/** A guard crossing a level, or a scheduled action coming due: the engine acts on each, once. */
export interface RiskDecision {
  readonly accountId: AccountId;
  readonly kind: GuardKind;
  readonly level: 'warning' | 'breached';
  readonly action: GuardAction;
  /** Plain words with the numbers ("day P&L -1,012.50 reached the daily loss limit 1,000"). */
  readonly message: string;
  /** The numbers that triggered it, journaled with the action. */
  readonly numbers: Readonly<Record<string, string>>;
  /** For flatten_lock and block: when the lock lifts on its own (the trading day's reset). */
  readonly until?: number;
}

/** A lock or block on an account, and what the journal keeps per account so a restart resumes the same day, highs,
 * levels (guards already warned or breached today, so a restart does not warn again) and locks: the journal port's
 * records, one definition. */
export type RiskLock = RiskLockRecord;
export type PersistedRiskState = RiskStateRecord;

export interface RiskBookPort {
  configure(accountId: AccountId, settings: GuardSettings | undefined, boundary: TradingDayBoundary): void;
  remove(accountId: AccountId): void;
  restore(saved: readonly PersistedRiskState[]): void;
  onAccount(accountId: AccountId, facts: RiskAccountFacts): void;
  onPosition(accountId: AccountId, position: RiskPosition): void;
  onFill(accountId: AccountId, fill: RiskFill): void;
  /** A price for an instrument: marks every account holding it. */
  onQuote(instrumentId: string, price: Decimal, at: number): void;
  /** New transitions since the last call (and day resets applied); cheap enough to call on every tick. */
  evaluate(now: number): RiskDecision[];
  /** The next instant evaluate() must run even without a tick (auto-flatten warning/time, day reset). */
  nextWake(now: number): number | undefined;
  state(accountId: AccountId, now: number): RiskState;
  lock(accountId: AccountId, lock: RiskLock): void;
  unlock(accountId: AccountId): void;
  view(accountId: AccountId, now: number): AccountRiskView | undefined;
  persisted(accountId: AccountId): PersistedRiskState | undefined;
  /** Accounts whose persisted state changed since the last call (the engine journals them). */
  takeDirty(): AccountId[];
}
