// The risk book: every account's day P&L and guards, indexed by instrument so a tick re-checks only the accounts it marks.
import { Decimal } from '../../domain/decimal.js';
import type { GuardSettings } from '../../domain/guard-settings.js';
import type { AccountId } from '../../domain/ids.js';
import { FUTURES_DAY, type TradingDayBoundary } from '../../domain/trading-day.js';
import type { AccountRiskView } from '../../contract/risk.js';
import { AccountRisk } from './account-risk.js';
import { riskView } from './risk-view.js';
import type {
  PersistedRiskState,
  RiskAccountFacts,
  RiskBookPort,
  RiskDecision,
  RiskFill,
  RiskLock,
  RiskPosition,
  RiskState,
} from './types.js';

export class RiskBook implements RiskBookPort {
  private readonly accounts = new Map<AccountId, AccountRisk>();
  /** instrumentId -> accounts holding it. */
  private readonly holders = new Map<string, Set<AccountRisk>>();
  private readonly lastPrice = new Map<string, Decimal>();
  /** Accounts whose numbers or settings changed since the last evaluate(). */
  private readonly changed = new Set<AccountRisk>();
  private readonly dirty = new Set<AccountId>();
  /** Earliest timed event of any account (day end, auto-flatten): evaluate() re-checks all accounts once it passes. */
  private nextTimed = -Infinity;

  configure(accountId: AccountId, settings: GuardSettings | undefined, boundary: TradingDayBoundary): void {
    const a = this.account(accountId, boundary);
    const b = settings?.tradingDay ?? boundary;
    if (a.day && (b.time !== a.boundary.time || b.timeZone !== a.boundary.timeZone)) {
      a.restoredDay = a.day.date;
      a.day = undefined;
    }
    a.boundary = b;
    a.setSettings(settings);
    this.touch(a);
  }

  remove(accountId: AccountId): void {
    const a = this.accounts.get(accountId);
    if (!a) return;
    for (const instrumentId of a.pnl.instruments()) this.holders.get(instrumentId)?.delete(a);
    this.accounts.delete(accountId);
    this.changed.delete(a);
    this.dirty.delete(accountId);
  }

  restore(saved: readonly PersistedRiskState[]): void {
    for (const p of saved) {
      const a = this.account(p.accountId);
      a.restore(p);
      this.touch(a);
    }
  }

  onAccount(accountId: AccountId, facts: RiskAccountFacts): void {
    const a = this.account(accountId);
    a.facts = facts;
    this.touch(a);
  }

  onPosition(accountId: AccountId, position: RiskPosition): void {
    const a = this.account(accountId);
    a.pnl.setPosition(position, this.lastPrice.get(position.instrumentId));
    let set = this.holders.get(position.instrumentId);
    if (position.qty.isZero()) set?.delete(a);
    else {
      if (!set) this.holders.set(position.instrumentId, (set = new Set()));
      set.add(a);
    }
    this.touch(a);
  }

  onFill(accountId: AccountId, fill: RiskFill): void {
    const a = this.account(accountId);
    a.pnl.applyFill(fill);
    this.dirty.add(a.id);
    this.touch(a);
  }

  onQuote(instrumentId: string, price: Decimal, _at?: number): void {
    this.lastPrice.set(instrumentId, price);
    const set = this.holders.get(instrumentId);
    if (!set) return;
    for (const a of set) if (a.pnl.mark(instrumentId, price)) this.changed.add(a);
  }

  evaluate(now: number): RiskDecision[] {
    const out: RiskDecision[] = [];
    if (now >= this.nextTimed) {
      this.nextTimed = Infinity;
      for (const a of this.accounts.values()) this.check(a, now, out);
      this.changed.clear();
      return out;
    }
    for (const a of this.changed) this.check(a, now, out);
    this.changed.clear();
    return out;
  }

  nextWake(now: number): number | undefined {
    let next = Infinity;
    for (const a of this.accounts.values()) next = Math.min(next, a.day ? a.nextTimed() : now);
    return Number.isFinite(next) ? next : undefined;
  }

  state(accountId: AccountId, now: number): RiskState {
    return this.accounts.get(accountId)?.state(now) ?? 'ok';
  }

  lock(accountId: AccountId, lock: RiskLock): void {
    const a = this.account(accountId);
    a.locks.push(lock);
    this.dirty.add(accountId);
  }

  unlock(accountId: AccountId): void {
    const a = this.accounts.get(accountId);
    if (!a || a.locks.length === 0) return;
    a.locks = [];
    this.dirty.add(accountId);
  }

  view(accountId: AccountId, now: number): AccountRiskView | undefined {
    const a = this.accounts.get(accountId);
    return a && riskView(a, now);
  }

  persisted(accountId: AccountId): PersistedRiskState | undefined {
    return this.accounts.get(accountId)?.persisted();
  }

  takeDirty(): AccountId[] {
    const ids = [...this.dirty];
    this.dirty.clear();
    return ids;
  }

  private check(a: AccountRisk, now: number, out: RiskDecision[]): void {
    let dirty = a.roll(now);
    if (a.seedStart()) dirty = true;
    if (a.trackHighs()) dirty = true;
    const decisions = a.transitions(now);
    if (decisions.length > 0) {
      dirty = true;
      out.push(...decisions);
    }
    if (dirty) this.dirty.add(a.id);
    this.nextTimed = Math.min(this.nextTimed, a.nextTimed());
  }

  private account(id: AccountId, boundary?: TradingDayBoundary): AccountRisk {
    let a = this.accounts.get(id);
    if (!a) {
      a = new AccountRisk(id, boundary ?? FUTURES_DAY);
      this.accounts.set(id, a);
      this.changed.add(a);
    }
    return a;
  }

  private touch(a: AccountRisk): void {
    this.changed.add(a);
  }
}
