// Trading state (global and per follower) and the circuit breaker (order rate and consecutive rejects).
import type { AccountId } from '../domain/ids.js';
import { effectiveState, type BreakerState, type Scope, type TradingState } from '../domain/trading-state.js';
import type { RiskSettings } from '../domain/workspace-config.js';

export class TradingStates {
  global: TradingState = 'active';
  readonly own = new Map<AccountId, TradingState>();

  load(saved: ReadonlyMap<Scope, TradingState>): void {
    for (const [scope, state] of saved) this.set(scope, state);
  }

  get(scope: Scope): TradingState {
    return scope === 'global' ? this.global : (this.own.get(scope) ?? 'active');
  }

  set(scope: Scope, state: TradingState): void {
    if (scope === 'global') this.global = state;
    else this.own.set(scope, state);
  }

  effective(follower: AccountId): TradingState {
    return effectiveState(this.global, this.own.get(follower));
  }
}

/** Send times inside a sliding window. */
class RateWindow {
  private times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    const from = now - windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= from) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export type RateVerdict = 'ok' | 'follower' | 'global';

export class Breaker {
  private readonly perFollower = new Map<AccountId, RateWindow>();
  private readonly all = new RateWindow();
  private readonly rejects = new Map<AccountId, number>();
  readonly states = new Map<Scope, BreakerState>();

  constructor(private settings: RiskSettings['breaker']) {}

  configure(settings: RiskSettings['breaker']): void {
    this.settings = settings;
  }

  load(saved: ReadonlyMap<Scope, BreakerState>): void {
    for (const [scope, st] of saved) this.states.set(scope, st);
  }

  isTripped(scope: Scope): boolean {
    return this.states.get(scope)?.tripped ?? false;
  }

  /** Whether n more orders to follower stay within the limits (global limit = maxOrders x followers). */
  check(follower: AccountId, n: number, now: number, followerCount: number): RateVerdict {
    const { maxOrders, windowMs } = this.settings;
    if (this.window(follower).count(now, windowMs) + n > maxOrders) return 'follower';
    if (this.all.count(now, windowMs) + n > maxOrders * Math.max(1, followerCount)) return 'global';
    return 'ok';
  }

  recordSend(follower: AccountId, now: number): void {
    this.window(follower).add(now);
    this.all.add(now);
  }

  /** Counts a definite reject; true when the follower just reached maxConsecutiveRejects. */
  onReject(follower: AccountId): boolean {
    const n = (this.rejects.get(follower) ?? 0) + 1;
    this.rejects.set(follower, n);
    return n === this.settings.maxConsecutiveRejects;
  }

  onAccepted(follower: AccountId): void {
    this.rejects.delete(follower);
  }

  trip(scope: Scope, reason: string, now: number): BreakerState {
    const st: BreakerState = { scope, tripped: true, reason, trippedAt: now };
    this.states.set(scope, st);
    return st;
  }

  reset(scope: Scope): BreakerState {
    const st: BreakerState = { scope, tripped: false };
    this.states.set(scope, st);
    if (scope === 'global') this.rejects.clear();
    else this.rejects.delete(scope);
    return st;
  }

  private window(follower: AccountId): RateWindow {
    let w = this.perFollower.get(follower);
    if (!w) this.perFollower.set(follower, (w = new RateWindow()));
    return w;
  }
}
