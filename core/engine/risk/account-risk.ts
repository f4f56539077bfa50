// One account's risk state: settings, trading day, day P&L, start balance, highs, guard levels and locks; its checks.
import { Decimal } from '../../domain/decimal.js';
import type { GuardKind, GuardSettings } from '../../domain/guard-settings.js';
import type { AccountId } from '../../domain/ids.js';
import { tradingDayOf, type TradingDay, type TradingDayBoundary } from '../../domain/trading-day.js';
import { flattenLevel, flattenSchedule, type FlattenSchedule } from './auto-flatten.js';
import { DayPnl } from './day-pnl.js';
import { checkGuards, compileGuards, explain, higher, type CompiledGuards, type GuardCheck, type GuardInputs, type Level } from './guard-checks.js';
import { raise, trailingFloor } from './trailing.js';
import type { PersistedRiskState, RiskAccountFacts, RiskDecision, RiskLock, RiskState } from './types.js';

type Reached = 'warning' | 'breached';

export class AccountRisk {
  settings: GuardSettings | undefined;
  private compiled: CompiledGuards | undefined;
  boundary: TradingDayBoundary;
  facts: RiskAccountFacts | undefined;
  readonly pnl = new DayPnl();
  /** Set by the first evaluate(); the restored day's date waits in `restoredDay` until then. */
  day: TradingDay | undefined;
  restoredDay: string | undefined;
  startBalance: Decimal | undefined;
  /** The broker's start-of-day equity as it stood at the last reset: yesterday's figure, ignored until it changes. */
  private staleStartEquity: Decimal | undefined;
  equityHigh: Decimal | undefined;
  eodBalanceHigh: Decimal | undefined;
  peakEquity: Decimal | undefined;
  levels: Partial<Record<GuardKind, Reached>> = {};
  locks: RiskLock[] = [];
  flatten: FlattenSchedule | undefined;

  constructor(
    readonly id: AccountId,
    boundary: TradingDayBoundary,
  ) {
    this.boundary = boundary;
  }

  /** startBalance + day P&L (moves with every tick); the broker's equity until the start balance is known. */
  equity(): Decimal | undefined {
    return this.startBalance !== undefined ? this.startBalance.add(this.pnl.net) : this.facts?.equity;
  }

  /** The start balance from the broker's facts: its start-of-day equity, else equity less its day P&L, else equity. */
  seedStart(): boolean {
    const f = this.facts;
    if (!f) return false;
    const reported = f.startEquity && this.staleStartEquity?.eq(f.startEquity) ? undefined : f.startEquity;
    const start = reported ?? (this.startBalance === undefined ? (f.brokerDayPnl ? f.equity.sub(f.brokerDayPnl) : f.equity) : undefined);
    if (start === undefined || (this.startBalance && this.startBalance.eq(start))) return false;
    this.startBalance = start;
    return true;
  }

  /** Moves to the trading day of `now` if it changed: levels cleared, day P&L restarted, expired locks dropped. */
  roll(now: number): boolean {
    if (this.day && now < this.day.endMs) return false;
    const day = tradingDayOf(now, this.boundary);
    const from = this.day?.date ?? this.restoredDay;
    this.day = day;
    this.restoredDay = undefined;
    this.flatten = flattenSchedule(this.settings?.autoFlatten, day);
    if (from === undefined || from === day.date) return false;
    const closing = this.equity();
    this.eodBalanceHigh = raise(this.eodBalanceHigh ?? this.startBalance, closing);
    this.pnl.newDay();
    this.startBalance = closing;
    this.staleStartEquity = this.facts?.startEquity;
    this.levels = {};
    this.locks = this.locks.filter((l) => l.until === undefined || l.until > now);
    return true;
  }

  /** New settings (amounts parsed once here) and today's auto-flatten recomputed. */
  setSettings(settings: GuardSettings | undefined): void {
    this.settings = settings;
    this.compiled = settings && compileGuards(settings);
    if (this.day) this.flatten = flattenSchedule(settings?.autoFlatten, this.day);
  }

  /** Updates the highs from the current equity; true when a high that a configured guard reads moved (worth journaling). */
  trackHighs(): boolean {
    const equity = this.equity();
    const [equityHigh, peak, eod] = [this.equityHigh, this.peakEquity, this.eodBalanceHigh];
    this.equityHigh = raise(equityHigh, equity);
    this.peakEquity = raise(peak, equity);
    this.eodBalanceHigh ??= this.startBalance;
    const c = this.compiled;
    return (
      eod !== this.eodBalanceHigh ||
      (c?.trailing?.intraday === true && equityHigh !== this.equityHigh) ||
      (c?.maxDrawdown !== undefined && peak !== this.peakEquity)
    );
  }

  inputs(): GuardInputs {
    const c = this.compiled;
    return {
      dayPnl: this.pnl.net,
      equity: this.equity(),
      buyingPower: this.facts?.buyingPower,
      peakEquity: this.peakEquity,
      trailing: c?.trailing ? trailingFloor(c.trailing, this) : undefined,
      largest: c?.maxPosition ? this.pnl.largestPositionValue() : undefined,
    };
  }

  checks(inputs = this.inputs()): GuardCheck[] {
    return this.compiled ? checkGuards(this.compiled, inputs) : [];
  }

  /** New level transitions (each reported once a day) and the locks their breaches add. */
  transitions(now: number): RiskDecision[] {
    const out: RiskDecision[] = [];
    const inputs = this.inputs();
    for (const c of this.checks(inputs)) {
      if (!this.crossed(c.kind, c.level)) continue;
      const e = explain(c, this.compiled!, inputs);
      const pnl = { realized: this.pnl.realized.toString(), unrealized: this.pnl.unrealized.toString(), fees: this.pnl.fees.toString() };
      this.record(c.kind, c.level, c.action, e.message, { ...e.numbers, ...pnl }, now, out);
    }
    const f = this.flatten;
    const fl = flattenLevel(f, now);
    if (f && fl !== 'ok' && this.crossed('auto_flatten', fl)) {
      const message =
        fl === 'breached' ? 'auto-flatten time reached: flatten and lock until the trading day ends' : `auto-flatten in ${Math.ceil((f.at - now) / 60_000)} min`;
      this.record('auto_flatten', fl, 'flatten_lock', message, { at: String(f.at), now: String(now), dayPnl: this.pnl.net.toString() }, now, out);
    }
    return out;
  }

  private crossed(kind: GuardKind, level: Level): level is Reached {
    return level !== 'ok' && higher(level, this.levels[kind] ?? 'ok');
  }

  private record(
    kind: GuardKind,
    level: Reached,
    action: RiskDecision['action'],
    message: string,
    numbers: Record<string, string>,
    now: number,
    out: RiskDecision[],
  ): void {
    this.levels[kind] = level;
    const until = this.day?.endMs;
    const locks = level === 'breached' && action !== 'alert';
    if (locks) this.locks.push({ kind, reason: message, at: now, until, mode: action === 'block' ? 'block' : 'lock' });
    out.push({ accountId: this.id, kind, level, action, message, numbers, ...(locks ? { until } : {}) });
  }

  /** The next instant something happens without a tick: auto-flatten warning or time, the day's end. */
  nextTimed(): number {
    if (!this.day) return -Infinity;
    let next = this.day.endMs;
    const f = this.flatten;
    const done = this.levels.auto_flatten;
    if (f && done !== 'breached') next = Math.min(next, f.at);
    if (f && f.warnAt !== undefined && done === undefined) next = Math.min(next, f.warnAt);
    return next;
  }

  state(now: number): RiskState {
    let blocked = false;
    for (const l of this.locks) {
      if (l.until !== undefined && now >= l.until) continue;
      if (l.mode === 'lock') return 'locked';
      blocked = true;
    }
    if (blocked) return 'blocked';
    const current = !this.day || now < this.day.endMs;
    return current && Object.keys(this.levels).length > 0 ? 'warning' : 'ok';
  }

  persisted(): PersistedRiskState {
    const s = (d: Decimal | undefined) => d?.toString();
    return {
      accountId: this.id,
      tradingDay: this.day?.date ?? this.restoredDay ?? '',
      startBalance: s(this.startBalance),
      realized: this.pnl.realized.toString(),
      fees: this.pnl.fees.toString(),
      equityHigh: s(this.equityHigh),
      eodBalanceHigh: s(this.eodBalanceHigh),
      peakEquity: s(this.peakEquity),
      levels: { ...this.levels },
      locks: [...this.locks],
    };
  }

  restore(p: PersistedRiskState): void {
    const d = (v: string | undefined) => (v === undefined ? undefined : Decimal.from(v));
    this.day = undefined;
    this.restoredDay = p.tradingDay || undefined;
    this.startBalance = d(p.startBalance);
    this.pnl.realized = Decimal.from(p.realized);
    this.pnl.fees = Decimal.from(p.fees);
    this.equityHigh = d(p.equityHigh);
    this.eodBalanceHigh = d(p.eodBalanceHigh);
    this.peakEquity = d(p.peakEquity);
    this.levels = { ...p.levels };
    this.locks = [...p.locks];
  }
}
