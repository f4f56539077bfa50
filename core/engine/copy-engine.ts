// CopyEngine: the public face of the engine; wires adapters, journal and clock to the leader flow, order flow,
// reconciler, market-hours waits, guards and kill switch, and owns start/stop and runtime changes.
import { ValidationError } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import type { Scope } from '../domain/trading-state.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { BrokerAdapter, Unsubscribe } from '../ports/broker-adapter.js';
import { EngineContext, type EngineDeps } from './context.js';
import { Copier } from './copier.js';
import type { EngineEvents, EngineSnapshot, HaltReport, ReconcileReport } from './events.js';
import { toRecord, type IntentRecord } from './follower-book.js';
import { halt, type HaltOptions } from './kill-switch.js';
import { LeaderFlow } from './leader-flow.js';
import { OrderFlow } from './order-flow.js';
import { OutsideHours } from './outside-hours.js';
import { Reconciler } from './reconciler.js';

export type { EngineDeps } from './context.js';

/** First and longest wait before the start reconciliation is retried when a leader cannot be read. */
const ARM_RETRY_MS = 2_000;
const ARM_RETRY_MAX_MS = 60_000;
/** How long stop() waits for submits already handed to adapters. */
const STOP_TIMEOUT_MS = 5_000;

export class CopyEngine {
  private readonly ctx: EngineContext;
  private readonly copier: Copier;
  private readonly flow: OrderFlow;
  private readonly leaders: LeaderFlow;
  private readonly reconciler: Reconciler;
  private readonly hours: OutsideHours;
  private readonly subscriptions = new Map<AccountId, Unsubscribe[]>();
  /** Copies found never placed while settling a previous run's intents: re-planned once the engine is armed. */
  private readonly deferredReplans: IntentRecord[] = [];
  /** Resolves when stop() runs, so a start() still settling open intents does not wait forever. */
  private stopped: Promise<void> = Promise.resolve();
  private signalStop: () => void = () => undefined;

  constructor(deps: EngineDeps) {
    this.ctx = new EngineContext(deps);
    this.copier = new Copier(this.ctx);
    this.flow = new OrderFlow(this.ctx, (rec) => this.onNotPlaced(rec));
    this.hours = new OutsideHours(this.ctx, (link, symbol, leaderSymbol, src) =>
      this.leaders.replan(link, symbol, leaderSymbol, src.sourceId, {
        purpose: src.purpose,
        ...(src.executionId ? { executionId: src.executionId } : {}),
        ...(src.orderTag !== undefined ? { orderTag: src.orderTag } : {}),
      }),
    );
    this.leaders = new LeaderFlow(this.ctx, this.copier, this.flow, this.hours);
    this.reconciler = new Reconciler(this.ctx, this.copier, this.flow, this.hours);
    this.ctx.events.on('state', (change) => {
      if (change.state === 'halted') this.hours.cancel(change.scope);
    });
  }

  /** Restores persisted state, subscribes, settles open intents from a previous run, reconciles once, then arms. */
  async start(): Promise<void> {
    const { ctx } = this;
    if (ctx.running) return;
    ctx.states.load(ctx.journal.tradingStates());
    ctx.breaker.load(ctx.journal.breakerStates());
    ctx.running = true;
    this.hours.restore();
    this.stopped = new Promise<void>((resolve) => (this.signalStop = resolve));
    for (const id of ctx.brokers.keys()) this.subscribe(id);
    await Promise.race([this.settleOpenIntents(), this.stopped]);
    if (!ctx.running) return;
    await this.reconcileAndArm(ARM_RETRY_MS);
  }

  /**
   * Arms only after a reconciliation that could read every leader: without the leader's positions the targets are
   * unknown. Until then executions are journaled, the pass is retried on the clock (backing off), and an alert says why.
   */
  private async reconcileAndArm(retryMs: number): Promise<void> {
    const { ctx } = this;
    const report = await this.reconciler.run('start');
    if (!ctx.running || ctx.armed) return;
    const unread = report.errors.filter((e) => ctx.links.some((l) => l.leader === e.accountId));
    if (unread.length > 0) {
      ctx.raise({
        severity: 'error',
        code: 'engine_error',
        message: `copying not armed: cannot read leader ${unread.map((e) => `${e.accountId} (${e.message})`).join(', ')}; retrying in ${Math.round(retryMs / 1000)} s`,
      });
      ctx.setTimer(retryMs, () => {
        if (ctx.running) void this.reconcileAndArm(Math.min(retryMs * 2, ARM_RETRY_MAX_MS));
      });
      return;
    }
    ctx.armed = true;
    await this.leaders.planUnarmed();
    for (const rec of this.deferredReplans.splice(0)) this.onNotPlaced(rec);
    this.schedule(ctx.risk.reconcileIntervalMs, () => void this.reconciler.run('periodic'));
    this.schedule(ctx.risk.equityRefreshMs, () => void this.reconciler.refreshEquity());
  }

  /** Stops accepting executions, waits (bounded) for submits in progress, clears timers and unsubscribes. */
  async stop(): Promise<void> {
    const { ctx } = this;
    if (!ctx.running) return;
    ctx.running = false;
    ctx.armed = false;
    this.signalStop();
    this.hours.suspend();
    ctx.clearTimers();
    for (const id of [...this.subscriptions.keys()]) this.unsubscribe(id);
    if (this.flow.submits.size > 0) {
      let timer: ReturnType<typeof ctx.clock.setTimer> | undefined;
      const timeout = new Promise<void>((resolve) => (timer = ctx.clock.setTimer(STOP_TIMEOUT_MS, resolve)));
      await Promise.race([Promise.allSettled([...this.flow.submits]), timeout]);
      if (timer) ctx.clock.clearTimer(timer);
    }
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
      if (ctx.armed) void this.reconciler.run('resumed');
    }
  }

  /** Kill switch; after a cancel/flatten the tracked follower positions are refreshed from the brokers. */
  async halt(opts: HaltOptions): Promise<HaltReport> {
    const report = await halt(this.ctx, opts);
    if (this.ctx.armed && (opts.cancelOpenOrders || opts.flattenPositions)) void this.reconciler.run('kill switch');
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

  setLinks(links: readonly LinkConfig[]): void {
    const { ctx } = this;
    ctx.links = links;
    for (const id of ctx.brokers.keys()) if (ctx.running) this.subscribe(id);
    if (ctx.armed) void this.reconciler.run('links changed');
  }

  setBroker(id: AccountId, adapter: BrokerAdapter | undefined): void {
    const { ctx } = this;
    this.unsubscribe(id);
    for (const key of [...ctx.instruments.keys()]) if (key.startsWith(`${id}|`)) ctx.instruments.delete(key);
    ctx.sessions.forget(id);
    if (!adapter) {
      ctx.brokers.delete(id);
      return;
    }
    ctx.brokers.set(id, adapter);
    if (ctx.running) this.subscribe(id);
    if (ctx.armed) void this.reconciler.run(`account ${id} changed`);
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
      ...(this.reconciler.last ? { lastReconcile: this.reconciler.last } : {}),
    };
  }

  private async settleOpenIntents(): Promise<void> {
    const { ctx, flow } = this;
    const open = ctx.journal.openIntents();
    const waits: Promise<void>[] = [];
    for (const intent of open) {
      const rec: IntentRecord = { ...intent };
      ctx.book(rec.followerAccountId).add(rec);
      if (rec.status !== 'planned' && rec.status !== 'unknown') {
        waits.push(flow.refresh(rec));
        continue;
      }
      waits.push(
        new Promise<void>((resolve) => {
          const off = ctx.events.on('intent', (i) => {
            if (i.id === rec.id && i.status !== 'planned' && i.status !== 'unknown') {
              off();
              resolve();
            }
          });
          flow.settle(rec, 0);
        }),
      );
    }
    await Promise.all(waits);
  }

  private onNotPlaced(rec: IntentRecord): void {
    const link = this.ctx.link(rec.linkId);
    if (!link) return;
    if (!this.ctx.armed) {
      if (this.ctx.running) this.deferredReplans.push(rec);
      return;
    }
    this.leaders.replan(link, rec.symbol, rec.leaderSymbol, rec.sourceId, {
      purpose: rec.purpose === 'repair' ? 'repair' : 'copy',
      // The first attempt already passed the tag filter; the retry carries on the same leader order.
      orderTag: link.filters.tagPrefix,
      ...(rec.executionId ? { executionId: rec.executionId } : {}),
      ...(rec.leaderPrice ? { leaderPrice: rec.leaderPrice } : {}),
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
        if (s.status === 'connected' && s.reconnected && ctx.armed) void this.reconciler.run(`${id} reconnected`);
      }),
    ];
    if (ctx.linksOf(id).length > 0) subs.push(adapter.on('execution', (e) => this.leaders.accept(e)));
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
