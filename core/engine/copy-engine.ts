// CopyEngine: the public face of the engine; wires adapters, journal and clock to the leader flow, order flow,
// reconciler, market-hours waits, guards and kill switch, and owns start/stop and runtime changes.
import { errorMessage, ValidationError } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import type { Scope } from '../domain/trading-state.js';
import type { LinkConfig, RiskSettings } from '../domain/workspace-config.js';
import type { BrokerAdapter, Unsubscribe } from '../ports/broker-adapter.js';
import { Arming } from './arming.js';
import { EngineContext, type EngineDeps } from './context.js';
import { Copier } from './copier.js';
import type { EngineEvents, EngineSnapshot, HaltReport, ReconcileReport } from './events.js';
import { toRecord, type IntentRecord } from './follower-book.js';
import { halt, haltSteps, markHalted, type HaltOptions } from './kill-switch.js';
import { LeaderFlow } from './leader-flow.js';
import { OrderFlow } from './order-flow.js';
import { OutsideHours } from './outside-hours.js';
import { Reconciler } from './reconciler.js';
import { Resumer, type ResumeMode, type ResumePreview } from './resume.js';
import { Breaker } from './guards.js';
import { RiskBook } from './risk/risk-book.js';
import { RiskGuard, type GuardedAccount, type RiskStatus } from './risk/risk-guard.js';
import { UnfilledGuard } from './risk/unfilled-guard.js';
import { LinkStarts, type ConfirmedOrder, type LinkStart } from './link-start.js';
import { SyncDesk, type SyncApplyItem, type SyncApplyResult, type SyncView } from './sync-view.js';

export type { EngineDeps } from './context.js';

/** How long stop() waits for submits already handed to adapters. */
const STOP_TIMEOUT_MS = 5_000;

export class CopyEngine {
  private readonly ctx: EngineContext;
  private readonly copier: Copier;
  private readonly flow: OrderFlow;
  private readonly leaders: LeaderFlow;
  private readonly reconciler: Reconciler;
  private readonly hours: OutsideHours;
  private readonly arming: Arming;
  private readonly resumer: Resumer;
  private readonly guard: RiskGuard;
  private readonly unfilled: UnfilledGuard;
  private readonly starts: LinkStarts;
  private readonly sync: SyncDesk;
  private periodic = false;
  private readonly subscriptions = new Map<AccountId, Unsubscribe[]>();
  /** Copies found never placed while their link was not armed: re-planned once it is. */

  constructor(deps: EngineDeps) {
    this.ctx = new EngineContext(deps);
    this.copier = new Copier(this.ctx);
    this.flow = new OrderFlow(this.ctx, (rec) => this.leaders.notPlaced(rec));
    this.hours = new OutsideHours(this.ctx, (link, symbol, leaderSymbol, src) =>
      this.leaders.replan(link, symbol, leaderSymbol, src.sourceId, {
        purpose: src.purpose,
        ...(src.executionId ? { executionId: src.executionId } : {}),
        ...(src.orderTag !== undefined ? { orderTag: src.orderTag } : {}),
      }),
    );
    this.leaders = new LeaderFlow(this.ctx, this.copier, this.flow, this.hours);
    this.reconciler = new Reconciler(this.ctx, this.copier, this.flow, this.hours);
    this.arming = new Arming(this.ctx, this.reconciler, (ids) => this.onArmed(ids));
    this.resumer = new Resumer(this.ctx, this.copier, this.reconciler, this.leaders);
    this.guard = new RiskGuard(this.ctx, this.flow, deps.riskBook ?? new RiskBook());
    this.unfilled = new UnfilledGuard(this.ctx, this.flow, this.guard.actions);
    this.starts = new LinkStarts(this.ctx, this.copier, this.resumer);
    this.sync = new SyncDesk(this.ctx, this.copier, this.flow);
    this.ctx.events.on('state', (change) => {
      if (change.state === 'halted') this.hours.cancel(change.scope);
    });
    // A follower-side exit (bracket stop/target fill) ends that link's part of the leader's episode (journaled).
    this.ctx.events.on('followerExit', (e) => this.ctx.leaders.followerExited(e.linkId, e.leaderSymbol, e.reason));
  }

  /**
   * Restores persisted state, subscribes, starts settling the intents a previous run left open, and runs the first
   * arming pass (each link arms once its leader and follower were read; the others are retried on the clock).
   */
  async start(): Promise<void> {
    const { ctx } = this;
    if (ctx.running) return;
    ctx.states.load(ctx.journal.tradingStates());
    ctx.breaker.load(ctx.journal.breakerStates());
    ctx.running = true;
    this.hours.restore();
    for (const id of ctx.brokers.keys()) this.subscribe(id);
    this.guard.start();
    this.unfilled.sync();
    this.restoreOpenIntents();
    await this.arming.attempt('start');
  }

  /** Called with links that just armed: plans what their leaders did meanwhile; starts the periodic passes once. */
  private async onArmed(ids: ReadonlySet<string>): Promise<void> {
    const { ctx } = this;
    await this.leaders.planUnarmed(ids);
    await this.starts.armed(ids);
    this.leaders.replanDeferred(ids);
    if (this.periodic) return;
    this.periodic = true;
    this.schedule(ctx.risk.reconcileIntervalMs, () => this.reconcileLater('periodic'));
    this.schedule(ctx.risk.equityRefreshMs, () => void this.reconciler.refreshEquity());
  }

  /** Stops accepting executions, waits (bounded) for submits in progress, clears timers and unsubscribes. */
  async stop(): Promise<void> {
    const { ctx } = this;
    if (!ctx.running) return;
    ctx.running = false;
    this.periodic = false;
    this.arming.reset();
    this.leaders.dropDeferred();
    this.hours.suspend();
    this.guard.stop();
    this.unfilled.stop();
    ctx.clearTimers();
    for (const id of [...this.subscriptions.keys()]) this.unsubscribe(id);
    if (this.flow.submits.size > 0) {
      let timer: ReturnType<typeof ctx.clock.setTimer> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = ctx.clock.setTimer(STOP_TIMEOUT_MS, resolve)));
      await Promise.race([Promise.allSettled([...this.flow.submits]), timeout]);
      if (timer) ctx.clock.clearTimer(timer);
    }
    // A later start() rebuilds follower state from the journal's open intents and the brokers, as a fresh run would.
    ctx.followers.clear();
  }

  on<K extends keyof EngineEvents>(event: K, fn: (payload: EngineEvents[K]) => void): () => void {
    return this.ctx.events.on(event, fn);
  }

  /** Pause or resume (also from halted: a person decided). A tripped breaker must be reset before resuming. */
  setTradingState(scope: Scope, state: 'active' | 'paused', actor: string, reason?: string): void {
    const { ctx } = this;
    if (state === 'active' && (ctx.breaker.isTripped(scope) || (scope !== 'global' && ctx.breaker.isTripped('global')))) {
      throw new ValidationError('state', `the circuit breaker for ${ctx.breaker.isTripped(scope) ? scope : 'global'} is tripped; reset it before resuming`);
    }
    const before = ctx.states.get(scope);
    ctx.changeState(scope, state, actor, reason ?? (state === 'active' ? 'resumed' : 'paused'));
    if (state === 'active' && before !== 'active') {
      ctx.raise({ severity: 'info', code: 'resumed', message: `Copying resumed for ${scope === 'global' ? 'all followers' : scope} by ${actor}`, ...(scope === 'global' ? {} : { accountId: scope }) });
      if (ctx.armedLinks.size > 0) this.reconcileLater('resumed');
    }
  }

  /**
   * Resumes a scope with a person's choice of how its followers come back in line ('align': now, with the orders
   * resumePreview shows; 'new_only': their current positions are left alone until the leader trades the symbol again).
   */
  async resume(scope: Scope, actor: string, mode: ResumeMode): Promise<void> {
    this.setTradingState(scope, 'active', actor, mode === 'align' ? 'resumed: bring followers in line' : 'resumed: new leader trades only');
    if (mode === 'new_only') this.resumer.leaveAlone(scope);
    else await this.resumer.align(scope);
  }

  /** The orders a resume 'align' would send now (a dry plan after a fresh read of the brokers; nothing is sent). */
  resumePreview(scope: Scope): Promise<ResumePreview> {
    return this.resumer.preview(scope);
  }

  /** A link about to be added (before setLinks) starts as a person chose: 'align' now or 'new_only' (link-start.ts). */
  startLink(linkId: LinkConfig['id'], start: LinkStart, orders?: readonly ConfirmedOrder[]): void {
    this.starts.request(linkId, start, orders);
  }

  /** A removed link's start choice, left-alone symbols and unplanned leader moves go with it (journaled). */
  forgetLink(linkId: LinkConfig['id']): void {
    this.ctx.holds.forget(linkId);
    this.leaders.forget(linkId);
  }

  /** What 'align' would send for a link config not added yet (fresh reads; nothing sent or kept). */
  previewLink(link: LinkConfig): Promise<ResumePreview> {
    return this.starts.preview(link);
  }

  /** Per link and follower symbol: leader, E, target, position, working orders, drift and its repair (sync-view.ts). */
  syncView(follower?: AccountId): Promise<SyncView> {
    return this.sync.view(follower);
  }

  /** Sends the confirmed repairs of sync rows (or every drift of one follower) through the normal order path; audited. */
  syncApply(target: { items: readonly SyncApplyItem[] } | { follower: AccountId }, actor: string): Promise<SyncApplyResult> {
    return this.sync.apply(target, actor);
  }

  /** The kill switch's first step alone: the scope is halted (persisted) at once; halt() then does the rest. */
  markHalted(opts: HaltOptions): void {
    markHalted(this.ctx, opts);
  }

  /**
   * Kill switch: halted first, then waits (bounded) for orders already handed to adapters, cancels, flattens, sweeps
   * and reports per follower; afterwards the tracked follower positions are refreshed from the brokers. `alreadyMarked`:
   * the caller ran markHalted() itself (the AppHost halts at once, ahead of its command queue).
   */
  async halt(opts: HaltOptions, alreadyMarked = false): Promise<HaltReport> {
    const report = await (alreadyMarked ? haltSteps : halt)(this.ctx, this.flow, opts);
    if (this.ctx.armedLinks.size > 0 && (opts.cancelOpenOrders || opts.flattenPositions)) this.reconcileLater('kill switch');
    return report;
  }

  /** Clears a tripped breaker (a person); trading stays halted until setTradingState resumes it. */
  resetBreaker(scope: Scope, actor: string): void {
    const { ctx } = this;
    const st = ctx.breaker.reset(scope);
    ctx.journal.saveBreakerState(st);
    ctx.journal.audit({ actor, action: 'breaker_reset', details: { scope } }, ctx.clock.now());
    ctx.events.emit('breaker', st);
  }

  /**
   * Applies the workspace's links to the running engine in place: removed or disabled links disarm, new or re-enabled
   * ones arm through a reconciliation; settings of an armed link take effect with the next plan.
   */
  setLinks(links: readonly LinkConfig[]): void {
    const { ctx } = this;
    ctx.links = links;
    for (const id of [...ctx.armedLinks]) if (!ctx.link(id)?.enabled) ctx.armedLinks.delete(id);
    if (!ctx.running) return;
    for (const id of ctx.brokers.keys()) this.subscribe(id);
    this.unfilled.sync();
    this.guard.sync();
    if (ctx.unarmedLinks().length > 0) void this.arming.attempt('links changed');
    else if (ctx.armedLinks.size > 0) this.reconcileLater('links changed');
  }

  /** Adds, replaces (reconnected account) or removes (undefined) an account's adapter on the running engine. */
  setBroker(id: AccountId, adapter: BrokerAdapter | undefined): void {
    const { ctx } = this;
    this.unsubscribe(id);
    for (const key of [...ctx.instruments.keys()]) if (key.startsWith(`${id}|`)) ctx.instruments.delete(key);
    ctx.sessions.forget(id);
    this.arming.disarmAccount(id);
    if (adapter) ctx.brokers.set(id, adapter);
    else ctx.brokers.delete(id);
    if (!ctx.running) return;
    if (adapter) this.subscribe(id);
    this.guard.sync();
    void this.arming.attempt(adapter ? `account ${id} connected` : `account ${id} gone`);
  }

  /** The adapter the engine trades an account through, if any. */
  adapterOf(id: AccountId): BrokerAdapter | undefined {
    return this.ctx.brokers.get(id);
  }

  /** Replaces the risk settings; only while stopped (the breaker is rebuilt; its persisted state loads at start). */
  setRisk(risk: RiskSettings): void {
    if (this.ctx.running) throw new ValidationError('risk', 'risk settings change only while the engine is stopped');
    this.ctx.risk = risk;
    this.ctx.breaker = new Breaker(risk.breaker);
  }

  /** The workspace's accounts with their guards (the risk book is configured in place, running or not). */
  setAccounts(accounts: readonly GuardedAccount[]): void {
    this.guard.setAccounts(accounts);
  }

  riskStatus(accountId?: AccountId): RiskStatus {
    return this.guard.status(accountId);
  }

  /** A person flattens and locks an account (no orders until they unlock it); resolves once the flatten ran. */
  lockAccount(id: AccountId, reason: string, actor: string): Promise<void> {
    return this.guard.lock(id, reason, actor);
  }

  unlockAccount(id: AccountId, reason: string, actor: string): void {
    this.guard.unlock(id, reason, actor);
  }

  /** Resolves when the guards' flattens started so far have finished (tests, benchmarks). */
  async riskIdle(): Promise<void> {
    await Promise.all([...this.guard.actions.pending(), ...this.unfilled.pending()]);
  }

  reconcileNow(reason: string): Promise<ReconcileReport> {
    return this.reconciler.run(reason);
  }

  /** Copies held for the market open (link outsideHours 'wait'), one per link and follower symbol. */
  waitingCopies(): { linkId: LinkConfig['id']; symbol: string; due: number }[] {
    return this.hours.pending();
  }

  /** Resolves when every leader execution received so far has been planned and journaled (tests, shutdown). */
  idle(): Promise<void> {
    return this.leaders.idle();
  }

  snapshot(): EngineSnapshot {
    const { ctx } = this;
    const followers: Record<string, string> = {};
    for (const [id, st] of ctx.states.own) followers[id] = st;
    const effectiveStates: Record<string, string> = {};
    const followerPositions: Record<string, Record<string, string>> = {};
    const inFlight: Record<string, Record<string, string>> = {};
    let openIntents = 0;
    for (const id of ctx.followerIds()) effectiveStates[id] = ctx.states.effective(id);
    for (const [id, book] of ctx.followers) {
      followerPositions[id] = toRecord(book.positions);
      inFlight[id] = toRecord(book.inFlight);
      openIntents += book.live.size;
    }
    return {
      armed: ctx.armed,
      running: ctx.running,
      tradingStates: { global: ctx.states.global, followers: followers as EngineSnapshot['tradingStates']['followers'] },
      effectiveStates: effectiveStates as EngineSnapshot['effectiveStates'],
      breakers: [...ctx.breaker.states.values()],
      leaderPositions: ctx.leaders.toRecord(),
      followerPositions,
      inFlight,
      openIntents,
      counters: { ...ctx.counters },
      riskStates: this.guard.riskStates(),
      ...(this.reconciler.last ? { lastReconcile: this.reconciler.last } : {}),
    };
  }

  /** Tracks the intents a previous run left open and settles them; their followers' links arm once they are. */
  private restoreOpenIntents(): void {
    const { ctx, flow } = this;
    for (const intent of ctx.journal.openIntents()) {
      const rec: IntentRecord = { ...intent };
      const follower = rec.followerAccountId;
      ctx.book(follower).add(rec);
      this.arming.track(follower, rec.id);
      this.unfilled.restored(rec);
      if (rec.status !== 'planned' && rec.status !== 'unknown') {
        void flow.refresh(rec).finally(() => this.arming.settled(follower, rec.id));
      } else {
        flow.settle(rec, 0);
      }
    }
  }

  /** A background pass: a failure (e.g. the journal closing under it at shutdown) becomes an alert, never a crash. */
  private reconcileLater(reason: string): void {
    this.reconciler.run(reason).catch((err: unknown) => {
      if (this.ctx.running) this.ctx.raise({ severity: 'error', code: 'engine_error', message: `reconciliation (${reason}) failed: ${errorMessage(err)}` });
    });
  }

  private schedule(ms: number, fn: () => void): void {
    this.ctx.setTimer(ms, () => {
      if (!this.ctx.running) return;
      fn();
      this.schedule(ms, fn);
    });
  }

  private subscribe(id: AccountId): void {
    const { ctx } = this;
    const adapter = ctx.brokers.get(id);
    this.unsubscribe(id);
    if (!adapter) return;
    const subs: Unsubscribe[] = [
      adapter.on('status', (s) => {
        if (s.status === 'connected' && s.reconnected && ctx.armedLinks.size > 0) this.reconcileLater(`${id} reconnected`);
      }),
    ];
    if (ctx.linksOf(id).length > 0) {
      subs.push(
        adapter.on('execution', (e) => {
          ctx.leaderTraded(e.accountId, e.symbol);
          this.leaders.accept(e);
        }),
      );
    }
    if (ctx.links.some((l) => l.follower === id)) {
      subs.push(
        adapter.on('order', (o) => this.flow.onOrder(id, o)),
      );
    }
    this.subscriptions.set(id, subs);
  }

  private unsubscribe(id: AccountId): void {
    for (const off of this.subscriptions.get(id) ?? []) off();
    this.subscriptions.delete(id);
  }
}
