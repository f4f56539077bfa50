// Shared engine state and services: dependencies, books, market sessions, guards, counters, alerts, intent events,
// state changes and the timers stop() clears.
import type { Alert, AlertInput } from '../domain/alert.js';
import { Decimal } from '../domain/decimal.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Instrument } from '../domain/instrument.js';
import type { Scope, TradingState } from '../domain/trading-state.js';
import type { LinkConfig, RiskSettings } from '../domain/workspace-config.js';
import type { BrokerAdapter } from '../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { CopyIntent, Journal } from '../ports/journal.js';
import type { Notifier } from '../ports/notifier.js';
import { Emitter, type EngineCounters, type EngineEvents } from './events.js';
import { toIntent } from './intent-records.js';
import { FollowerBook, type IntentRecord } from './follower-book.js';
import { Breaker, TradingStates } from './guards.js';
import { LeaderBook } from './leader-book.js';
import { MarketSessions } from './market-sessions.js';
import { LinkHolds } from './state/link-holds.js';
import type { RiskGate } from './risk/risk-gate.js';
import type { RiskBookPort } from './risk/types.js';

export { toIntent } from './intent-records.js';

export interface EngineDeps {
  clock: Clock;
  journal: Journal;
  notifier: Notifier;
  /** Leader and follower adapters by account id. */
  brokers: ReadonlyMap<AccountId, BrokerAdapter>;
  links: readonly LinkConfig[];
  risk: RiskSettings;
  /** How long the kill switch waits for submits already handed to adapters and unknown outcomes (default 10 s). */
  haltWaitMs?: number;
  /** First wait before links that could not be armed are tried again (doubling up to a minute; default 2 s). */
  armRetryMs?: number;
  /** The risk book the guards run on (default: the engine's RiskBook). */
  riskBook?: RiskBookPort;
}

/** Repeated info/warning alerts with the same key are shown at most once per this interval. */
const ALERT_THROTTLE_MS = 60_000;
/** Expired throttle keys are pruned once this many are remembered. */
const MAX_THROTTLE_KEYS = 4096;

export class EngineContext {
  readonly clock: Clock;
  readonly journal: Journal;
  readonly notifier: Notifier;
  risk: RiskSettings;
  readonly brokers: Map<AccountId, BrokerAdapter>;
  private linkList: readonly LinkConfig[] = [];
  private readonly linkById = new Map<string, LinkConfig>();
  private readonly linksByLeader = new Map<AccountId, LinkConfig[]>();
  private readonly linkIdsByLeader = new Map<AccountId, string[]>();
  private followerList: AccountId[] = [];
  readonly events = new Emitter<EngineEvents>();
  /** New intents' events held while their orders are written (holdIntent). */
  private heldIntents: CopyIntent[] = [];
  readonly leaders = new LeaderBook();
  readonly followers = new Map<AccountId, FollowerBook>();
  readonly states = new TradingStates();
  breaker: Breaker;
  readonly instruments = new Map<string, Instrument>();
  private readonly instrumentKeys = new Map<AccountId, Map<string, string>>();
  readonly sessions: MarketSessions = new MarketSessions(this);
  readonly equity = new Map<AccountId, Decimal>();
  readonly timers = new Set<TimerHandle>();
  readonly counters: EngineCounters = {
    executions: 0,
    duplicatesIgnored: 0,
    copies: 0,
    repairs: 0,
    dryRuns: 0,
    fills: 0,
    rejects: 0,
    unknownOutcomes: 0,
    notPlaced: 0,
  };
  /** Links armed: their leader and follower were read (and the follower's orders from a previous run settled). */
  readonly armedLinks = new Set<string>();
  /**
   * Links just added that arm the way a person chose (link-start.ts; the reconciler leaves them alone until then) and
   * follower symbols a 'new_only' start or resume left alone (not repaired until the leader trades the symbol again).
   */
  readonly holds: LinkHolds;
  readonly haltWaitMs: number;
  readonly armRetryMs: number;
  running = false;
  /** The risk guards' verdicts on plans and sends (set by the engine's RiskGuard). */
  riskGate: RiskGate | undefined;
  private readonly lastAlert = new Map<string, number>();

  constructor(deps: EngineDeps) {
    this.clock = deps.clock;
    this.journal = deps.journal;
    this.notifier = deps.notifier;
    this.risk = deps.risk;
    this.brokers = new Map(deps.brokers);
    this.links = deps.links;
    this.breaker = new Breaker(deps.risk.breaker);
    this.haltWaitMs = deps.haltWaitMs ?? 10_000;
    this.armRetryMs = deps.armRetryMs ?? 2_000;
    this.holds = new LinkHolds(deps.journal);
  }

  /** Whether a link may copy: armed by a reconciliation that read its leader and follower. */
  isArmed(link: LinkConfig): boolean {
    return this.armedLinks.has(link.id);
  }

  /** Running, and every enabled link armed. */
  get armed(): boolean {
    return this.running && this.linkList.every((l) => !l.enabled || this.armedLinks.has(l.id));
  }

  /** Enabled links not armed yet. */
  unarmedLinks(): LinkConfig[] {
    return this.linkList.filter((l) => l.enabled && !this.armedLinks.has(l.id));
  }

  leaveAlone(linkId: LinkId, symbol: string): void {
    this.holds.leaveAlone(linkId, symbol);
  }

  /** True while the link is starting or a 'new_only' choice leaves this follower symbol as it is. */
  isLeftAlone(linkId: string, symbol: string): boolean {
    return this.holds.isLeftAlone(linkId, symbol);
  }

  /** A leader execution on a symbol ends 'new_only' for the follower symbols it maps to. */
  leaderTraded(leader: AccountId, leaderSymbol: string): void {
    if (!this.holds.anyLeftAlone) return;
    for (const l of this.linksOf(leader)) {
      const m = Object.hasOwn(l.symbolMap, leaderSymbol) ? l.symbolMap[leaderSymbol] : undefined;
      this.holds.release(l.id, m ? m.symbol : leaderSymbol);
    }
  }

  get links(): readonly LinkConfig[] {
    return this.linkList;
  }

  /** Replaces the links and rebuilds the lookups planning uses on every execution. */
  set links(links: readonly LinkConfig[]) {
    this.linkList = links;
    this.linkById.clear();
    this.linksByLeader.clear();
    this.linkIdsByLeader.clear();
    for (const l of links) {
      this.linkById.set(l.id, l);
      if (!l.enabled) continue;
      const list = this.linksByLeader.get(l.leader);
      if (list) list.push(l);
      else this.linksByLeader.set(l.leader, [l]);
      const ids = this.linkIdsByLeader.get(l.leader);
      if (ids) ids.push(l.id);
      else this.linkIdsByLeader.set(l.leader, [l.id]);
    }
    this.followerList = [...new Set(links.filter((l) => l.enabled).map((l) => l.follower))];
  }

  link(id: string): LinkConfig | undefined {
    return this.linkById.get(id);
  }

  /** Enabled links led by this account. */
  linksOf(leader: AccountId): readonly LinkConfig[] {
    return this.linksByLeader.get(leader) ?? [];
  }

  /** Ids of the enabled links led by this account. */
  linkIdsOf(leader: AccountId): readonly string[] {
    return this.linkIdsByLeader.get(leader) ?? [];
  }

  book(follower: AccountId): FollowerBook {
    let b = this.followers.get(follower);
    if (!b) this.followers.set(follower, (b = new FollowerBook()));
    return b;
  }

  /** Followers of enabled links. */
  followerIds(): readonly AccountId[] {
    return this.followerList;
  }

  /** The instruments key of an account's symbol (`account|symbol`), kept once built: planning asks on every copy. */
  instrumentKey(account: AccountId, symbol: string): string {
    let bySymbol = this.instrumentKeys.get(account);
    if (!bySymbol) this.instrumentKeys.set(account, (bySymbol = new Map()));
    let key = bySymbol.get(symbol);
    if (key === undefined) bySymbol.set(symbol, (key = `${account}|${symbol}`));
    return key;
  }

  /** True when an alert raised now with this throttle key would be dropped (so its text need not be written). */
  throttled(throttleKey: string): boolean {
    const last = this.lastAlert.get(throttleKey);
    return last !== undefined && this.clock.now() - last < ALERT_THROTTLE_MS;
  }

  /** Journals and publishes an alert. With throttleKey, repeats within a minute are dropped. */
  raise(input: AlertInput, throttleKey?: string): Alert | undefined {
    const now = this.clock.now();
    if (throttleKey !== undefined) {
      const last = this.lastAlert.get(throttleKey);
      if (last !== undefined && now - last < ALERT_THROTTLE_MS) return undefined;
      if (this.lastAlert.size >= MAX_THROTTLE_KEYS) {
        for (const [key, t] of this.lastAlert) if (now - t >= ALERT_THROTTLE_MS) this.lastAlert.delete(key);
      }
      this.lastAlert.set(throttleKey, now);
    }
    try {
      const alert = this.journal.raiseAlert(input, now);
      this.events.emit('alert', alert);
      if (input.severity === 'critical') this.notifier.notify(alert);
      return alert;
    } catch {
      return undefined;
    }
  }

  emitIntent(rec: IntentRecord): void {
    this.releaseIntents();
    if (this.events.has('intent')) this.events.emit('intent', toIntent(rec));
  }

  /**
   * Keeps a new intent's event (as it is now, when anyone listens) until releaseIntents: listeners run after the orders
   * of the batch are written. Any other intent event releases the held ones first, so listeners see them in order.
   */
  holdIntent(rec: IntentRecord): void {
    if (this.events.has('intent')) this.heldIntents.push(toIntent(rec));
  }

  releaseIntents(): void {
    if (this.heldIntents.length === 0) return;
    const held = this.heldIntents;
    this.heldIntents = [];
    for (const i of held) this.events.emit('intent', i);
  }

  /** Persists and publishes a trading-state change. */
  changeState(scope: Scope, state: TradingState, actor: string, reason: string): void {
    const change = { scope, state, actor, reason, time: this.clock.now() };
    this.states.set(scope, state);
    this.journal.saveTradingState(change);
    this.journal.audit({ actor, action: 'trading_state', details: { scope, state, reason } }, change.time);
    this.events.emit('state', change);
  }

  /** Trips the breaker for a scope: halts it (persisted), saves the breaker state, alerts and notifies. */
  trip(scope: Scope, reason: string): void {
    if (this.breaker.isTripped(scope)) return;
    const st = this.breaker.trip(scope, reason, this.clock.now());
    this.journal.saveBreakerState(st);
    this.changeState(scope, 'halted', 'breaker', reason);
    this.events.emit('breaker', st);
    this.raise({
      severity: 'critical',
      code: 'breaker_tripped',
      message: `Circuit breaker tripped for ${scope === 'global' ? 'all followers' : scope}: ${reason}. Copying halted until a person resets it.`,
      ...(scope === 'global' ? {} : { accountId: scope }),
    });
  }

  /** Whether n more orders may go to follower; trips the follower or global breaker when they would exceed the rate. */
  admit(follower: AccountId, n: number): boolean {
    const verdict = this.breaker.check(follower, n, this.clock.now(), this.followerList.length);
    if (verdict === 'ok') return true;
    const { maxOrders, windowMs } = this.risk.breaker;
    const limit = verdict === 'global' ? maxOrders * Math.max(1, this.followerList.length) : maxOrders;
    this.trip(verdict === 'global' ? 'global' : follower, `more than ${limit} orders within ${windowMs} ms`);
    return false;
  }

  /** A Clock timer that stop() clears. */
  setTimer(ms: number, fn: () => void): TimerHandle {
    const handle = this.clock.setTimer(ms, () => {
      this.timers.delete(handle);
      fn();
    });
    this.timers.add(handle);
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    if (this.timers.delete(handle)) this.clock.clearTimer(handle);
  }

  clearTimers(): void {
    for (const t of this.timers) this.clock.clearTimer(t);
    this.timers.clear();
  }
}
