// The engine's risk guards: configures the risk book per account, feeds it (risk-feed.ts), evaluates it on every fact
// and tick and at its next wake on the Clock, acts on its decisions (risk-actions.ts), journals its state, answers the
// risk gate (risk-gate.ts) from a cache kept current by every evaluation, and publishes each account's risk view.
import type { AccountId } from '../../domain/ids.js';
import type { BrokerKind } from '../../domain/instrument.js';
import type { GuardSettings } from '../../domain/guard-settings.js';
import { tradingDayBoundary, type TradingDayBoundary } from '../../domain/trading-day.js';
import type { AccountRiskView } from '../../contract/risk.js';
import type { TimerHandle } from '../../ports/clock.js';
import type { EngineContext } from '../context.js';
import type { OrderFlow } from '../order-flow.js';
import { RiskActions } from './risk-actions.js';
import { RiskFeed } from './risk-feed.js';
import type { GateState, RiskGate } from './risk-gate.js';
import type { RiskBookPort, RiskState } from './types.js';

export interface GuardedAccount {
  readonly id: AccountId;
  readonly broker: BrokerKind;
  readonly guards?: GuardSettings;
}

export interface RiskStatus {
  readonly at: number;
  readonly accounts: AccountRiskView[];
}

/** Risk views whose values (not state) changed are published at most this often per account. */
const VIEW_COALESCE_MS = 1_000;

export const boundaryOf = (a: GuardedAccount): TradingDayBoundary => tradingDayBoundary(a.broker, a.guards?.tradingDay);

export class RiskGuard implements RiskGate {
  readonly actions: RiskActions;
  private readonly feed: RiskFeed;
  private readonly accounts = new Map<AccountId, GuardedAccount>();
  private readonly standings = new Map<AccountId, { state: GateState; reason: string }>();
  private readonly states = new Map<AccountId, RiskState>();
  private readonly viewsDue = new Set<AccountId>();
  private viewTimer: TimerHandle | undefined;
  private wake: { at: number; handle: TimerHandle } | undefined;
  /** The account a person is unlocking (its lift is alerted by unlock() itself). */
  private unlocking: AccountId | undefined;

  constructor(
    private readonly ctx: EngineContext,
    flow: OrderFlow,
    readonly book: RiskBookPort,
  ) {
    this.actions = new RiskActions(ctx, flow, book);
    this.feed = new RiskFeed(ctx, book, (id) => this.onFact(id));
    book.restore(ctx.journal.riskStates());
    ctx.riskGate = this;
  }

  engaged(): boolean {
    return this.standings.size > 0;
  }

  standing(id: AccountId): { state: GateState; reason: string } | undefined {
    return this.standings.get(id);
  }

  /** The workspace's accounts and their guards (every account is configured: a person may lock any of them). */
  setAccounts(list: readonly GuardedAccount[]): void {
    const next = new Set(list.map((a) => a.id));
    for (const id of [...this.accounts.keys()]) {
      if (next.has(id)) continue;
      this.accounts.delete(id);
      this.book.remove(id);
      // A removed account's day and locks go with it (an account added later under the id starts clean).
      this.ctx.journal.deleteRiskState(id);
      this.standings.delete(id);
      this.states.delete(id);
    }
    for (const a of list) {
      this.accounts.set(a.id, a);
      this.book.configure(a.id, a.guards, boundaryOf(a));
    }
    this.check();
    this.sync();
  }

  /** Subscribes the feed of every connected account with guards or a lock (after start, links or brokers changed). */
  sync(): void {
    if (!this.ctx.running) return;
    const ids = new Set<AccountId>();
    for (const a of this.accounts.values()) if (a.guards || this.states.get(a.id) === 'locked') ids.add(a.id);
    this.feed.sync(ids);
  }

  /** Evaluates at once; a follower still locked from the last run has whatever it holds closed again (a crash may
   * have cut its flatten short, or someone traded it meanwhile). */
  start(): void {
    this.check();
    this.sync();
    for (const [id, st] of this.states) {
      if (st !== 'locked') continue;
      const kind = this.book.persisted(id)?.locks.find((l) => l.mode === 'lock')?.kind ?? 'manual';
      void this.actions.flatten(id, kind, 'still locked at start: closing what is open', 'risk guard');
    }
  }

  stop(): void {
    this.feed.stop();
    if (this.viewTimer) this.ctx.clearTimer(this.viewTimer);
    if (this.wake) this.ctx.clearTimer(this.wake.handle);
    this.viewTimer = undefined;
    this.wake = undefined;
  }

  /** The risk state of every configured account, as of the last evaluation. */
  riskStates(): Record<string, RiskState> {
    const out: Record<string, RiskState> = {};
    for (const id of this.accounts.keys()) out[id] = this.states.get(id) ?? 'ok';
    return out;
  }

  status(accountId?: AccountId): RiskStatus {
    const now = this.ctx.clock.now();
    const ids = accountId ? [accountId] : [...this.accounts.keys()];
    const accounts: AccountRiskView[] = [];
    for (const id of ids) {
      const v = this.book.view(id, now);
      if (v) accounts.push(v);
    }
    return { at: now, accounts };
  }

  /** A person flattens and locks an account until they unlock it. */
  async lock(id: AccountId, reason: string, actor: string): Promise<void> {
    const { ctx } = this;
    this.actions.ensureLock(id, { kind: 'manual', reason, at: ctx.clock.now(), mode: 'lock' });
    this.actions.record({ accountId: id, kind: 'manual', level: 'breached', action: 'lock', message: `locked by ${actor}: ${reason}`, numbers: {}, actor });
    ctx.raise({ severity: 'critical', code: 'risk_locked', message: `${id} locked by ${actor}: ${reason}. Positions are being closed; no orders until a person unlocks it.`, accountId: id });
    this.check([id]);
    this.sync();
    await this.actions.flatten(id, 'manual', reason, actor);
  }

  /** A person lifts every lock and block of an account. */
  unlock(id: AccountId, reason: string, actor: string): void {
    const { ctx } = this;
    this.book.unlock(id);
    this.actions.record({ accountId: id, kind: 'manual', level: 'cleared', action: 'unlock', message: `unlocked by ${actor}: ${reason}`, numbers: {}, actor });
    ctx.raise({ severity: 'info', code: 'risk_unlocked', message: `${id} unlocked by ${actor}: ${reason}`, accountId: id });
    this.unlocking = id;
    try {
      this.check([id]);
    } finally {
      this.unlocking = undefined;
    }
  }

  /** Evaluates the book now: acts on its decisions, journals changed state, refreshes the gate, reschedules the wake. */
  check(touched: readonly AccountId[] = []): void {
    const { ctx, book } = this;
    const now = ctx.clock.now();
    const urgent = new Set<AccountId>(touched);
    // Decisions act on brokers: only while running (start() evaluates at once); locks answer the gate regardless.
    for (const d of ctx.running ? book.evaluate(now) : []) {
      this.actions.act(d);
      urgent.add(d.accountId);
    }
    for (const id of book.takeDirty()) {
      const saved = book.persisted(id);
      if (saved) ctx.journal.saveRiskState(saved);
      this.viewsDue.add(id);
    }
    // Touched accounts too: a person may lock an account the workspace has not (yet) given guards.
    for (const id of new Set([...this.accounts.keys(), ...urgent])) this.refreshStanding(id, now, urgent);
    for (const id of urgent) this.publish(id, now);
    this.schedule(now);
    this.publishLater();
  }

  private refreshStanding(id: AccountId, now: number, urgent: Set<AccountId>): void {
    const state = this.book.state(id, now);
    const before = this.states.get(id);
    if (state === before) return;
    this.states.set(id, state);
    urgent.add(id);
    if (state === 'blocked' || state === 'locked') {
      const locks = this.book.persisted(id)?.locks ?? [];
      const lock = locks.find((l) => l.mode === (state === 'locked' ? 'lock' : 'block')) ?? locks[0];
      this.standings.set(id, { state, reason: lock ? `${lock.kind.replace('_', ' ')}: ${lock.reason}` : 'risk guard' });
    } else {
      this.standings.delete(id);
      if ((before === 'blocked' || before === 'locked') && this.unlocking !== id) {
        this.ctx.raise({ severity: 'info', code: 'risk_unlocked', message: `${id}: the ${before === 'locked' ? 'lock' : 'block'} has lifted; copying new leader trades again`, accountId: id });
      }
    }
  }

  /** A fact or a tick: evaluated at once; the account's view (values only) is published coalesced. */
  private onFact(id: AccountId): void {
    this.viewsDue.add(id);
    this.check();
  }

  private publishLater(): void {
    if (this.viewsDue.size > 0 && !this.viewTimer && this.ctx.running) {
      this.viewTimer = this.ctx.setTimer(VIEW_COALESCE_MS, () => {
        this.viewTimer = undefined;
        const now = this.ctx.clock.now();
        for (const due of [...this.viewsDue]) this.publish(due, now);
      });
    }
  }

  private publish(id: AccountId, now: number): void {
    this.viewsDue.delete(id);
    if (!this.ctx.events.has('risk')) return;
    const view = this.book.view(id, now);
    if (view) this.ctx.events.emit('risk', view);
  }

  private schedule(now: number): void {
    if (!this.ctx.running) return;
    const at = this.book.nextWake(now);
    if (this.wake && this.wake.at === at) return;
    if (this.wake) this.ctx.clearTimer(this.wake.handle);
    this.wake = undefined;
    if (at === undefined) return;
    const handle = this.ctx.setTimer(Math.max(0, at - now), () => {
      this.wake = undefined;
      this.check();
    });
    this.wake = { at, handle };
  }
}
