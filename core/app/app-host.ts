// AppHost: the composition root shared by desktop and headless: config -> accounts -> adapters -> engine, plus commands.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { accountConfigSchema, type AccountConfig, type AccountConfigInput } from '../domain/account-config.js';
import type { Alert, AlertInput } from '../domain/alert.js';
import type { AccountId, AlertId, LinkId } from '../domain/ids.js';
import {
  defaultLinkId,
  linkConfigSchema,
  type LinkConfig,
  type LinkConfigInput,
  type WorkspaceConfig,
} from '../domain/workspace-config.js';
import type { Scope, TradingState } from '../domain/trading-state.js';
import { ValidationError, errorMessage } from '../domain/errors.js';
import type { BrokerAdapter, StatusEvent } from '../ports/broker-adapter.js';
import type { Clock } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { CopyIntent } from '../ports/journal.js';
import { CopyEngine, type ExecutionEvent, type HaltReport } from '../engine/index.js';
import { DemoTrader, type SimExchange } from '../brokers/sim/index.js';
import { MAX_DEMO_BURST } from '../brokers/sim/demo-trader.js';
import { openJournal, type SqliteJournal } from '../store/index.js';
import { AccountRuntime } from './account-runtime.js';
import { createAdapter, credentialsRequired, newSimExchange } from './adapter-factory.js';
import { findCredentials } from './credentials.js';
import { demoWorkspace, DEMO_LEADER } from './demo-workspace.js';
import { createLogger, type Logger } from './logger.js';
import { buildSnapshot } from './snapshot-builder.js';
import type { Counters, PositionView, WorkspaceSnapshot } from './snapshot.js';
import { SystemClock } from './system-clock.js';
import { emptyWorkspace, isDemo, loadWorkspace, savePositions, saveWorkspace, setDemo } from './workspace-store.js';
import type { TimerHandle } from '../ports/clock.js';
import { parseConfig } from './config-file.js';

export interface AppHostOptions {
  readonly dataDir: string;
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  readonly notifier?: Notifier;
  readonly log?: Logger;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Replaces the stored workspace (headless --config). */
  readonly config?: WorkspaceConfig;
  /** Installs the simulated demo workspace and its trading bot. */
  readonly demo?: boolean;
  /** Seed of the simulated venue and the demo bot. */
  readonly seed?: number;
  /** How often account equity and positions are re-read, ms. */
  readonly accountRefreshMs?: number;
}

export interface AppHostEvents {
  snapshot: [];
  intent: [CopyIntent];
  execution: [ExecutionEvent];
  alert: [Alert];
  state: [{ scope: Scope; state: TradingState }];
  'account-status': [{ accountId: string; status: StatusEvent }];
}

const SIM_PRICE_STEP_MS = 250;
const NOTIFY_CODES = new Set(['disconnected', 'auth_failed', 'order_rejected', 'drift']);

export class AppHost {
  readonly dataDir: string;
  readonly journal: SqliteJournal;
  readonly log: Logger;
  readonly clock: Clock;
  private workspace: WorkspaceConfig;
  private demo: boolean;
  private readonly emitter = new EventEmitter();
  private readonly runtimes = new Map<string, AccountRuntime>();
  private engine: CopyEngine | undefined;
  private engineUnsubs: (() => void)[] = [];
  private simExchange: SimExchange | undefined;
  private demoTrader: DemoTrader | undefined;
  private running = false;
  /** Accounts with credentials (env or store); refreshed on connect and on credential changes. */
  private readonly credentialed = new Set<string>();
  private positionsDirty = false;
  private positionsTimer: TimerHandle | undefined;

  private constructor(
    private readonly opts: AppHostOptions,
    journal: SqliteJournal,
    log: Logger,
    clock: Clock,
  ) {
    this.dataDir = opts.dataDir;
    this.journal = journal;
    this.log = log;
    this.clock = clock;
    this.emitter.setMaxListeners(100);
    if (opts.demo) {
      this.workspace = demoWorkspace();
      this.demo = true;
    } else {
      this.workspace = opts.config ?? loadWorkspace(journal.queries) ?? emptyWorkspace();
      this.demo = opts.config ? false : isDemo(journal.queries);
    }
    saveWorkspace(journal.queries, this.workspace);
    setDemo(journal.queries, this.demo);
  }

  static async open(opts: AppHostOptions): Promise<AppHost> {
    mkdirSync(opts.dataDir, { recursive: true });
    const log = opts.log ?? createLogger({ file: join(opts.dataDir, 'mirrordesk.log') });
    const clock = opts.clock ?? new SystemClock();
    const journal = openJournal(join(opts.dataDir, 'journal.sqlite'), { now: () => clock.now() });
    return new AppHost(opts, journal, log, clock);
  }

  get config(): WorkspaceConfig {
    return this.workspace;
  }

  on<K extends keyof AppHostEvents>(event: K, fn: (...args: AppHostEvents[K]) => void): () => void {
    this.emitter.on(event, fn as (...a: unknown[]) => void);
    return () => this.emitter.off(event, fn as (...a: unknown[]) => void);
  }

  private emit<K extends keyof AppHostEvents>(event: K, ...args: AppHostEvents[K]): void {
    this.emitter.emit(event, ...args);
  }

  // ---- lifecycle -------------------------------------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connectAccounts(this.workspace.accounts);
    await this.startEngine();
    if (this.demo) this.startDemoTrader();
    this.schedulePositionsSave();
    this.log.info(`workspace running: ${this.workspace.accounts.length} accounts, ${this.workspace.links.length} links`);
    this.emit('snapshot');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.demoTrader?.stop();
    this.demoTrader = undefined;
    if (this.positionsTimer) this.clock.clearTimer(this.positionsTimer);
    this.savePositions();
    await this.stopEngine();
    await Promise.all([...this.runtimes.values()].map((r) => r.disconnect()));
    this.runtimes.clear();
    this.simExchange?.stopPriceWalk();
    this.simExchange = undefined;
    this.journal.flush();
    this.emit('snapshot');
  }

  /** Stops and closes the journal; the host cannot be started again. */
  async close(): Promise<void> {
    await this.stop();
    this.journal.close();
  }

  private async connectAccounts(accounts: readonly AccountConfig[]): Promise<void> {
    await Promise.all(accounts.map((a) => this.connectAccount(a)));
  }

  private async connectAccount(account: AccountConfig): Promise<void> {
    let adapter: BrokerAdapter | undefined;
    let reason: string | undefined;
    if (!account.enabled) reason = 'disabled';
    else {
      try {
        const creds = await findCredentials(account.id, this.opts.env ?? process.env, this.opts.secrets);
        if (creds) this.credentialed.add(account.id);
        else this.credentialed.delete(account.id);
        if (!creds && credentialsRequired(account)) reason = 'no credentials';
        else {
          for (const s of creds?.secrets ?? []) this.log.addSecret(s);
          adapter = createAdapter(account, creds?.value, {
            clock: this.clock,
            log: this.log,
            simExchange: () => this.sim(),
          });
        }
      } catch (err) {
        reason = errorMessage(err);
      }
    }
    const runtime = new AccountRuntime(
      account,
      adapter,
      this.clock,
      {
        onStatus: (id, status) => {
          this.emit('account-status', { accountId: id, status });
          this.emit('snapshot');
        },
        onAlert: (a) => this.raiseAlert(a),
        onChange: () => {
          this.positionsDirty = true;
          this.emit('snapshot');
        },
      },
      this.opts.accountRefreshMs ?? 5_000,
      reason,
    );
    this.runtimes.set(account.id, runtime);
    if (reason && account.enabled) {
      this.raiseAlert({ severity: 'error', code: 'auth_failed', accountId: account.id, message: `${account.label}: ${reason}` });
    }
    await runtime.connect();
  }

  private async startEngine(): Promise<void> {
    const brokers = new Map<AccountId, BrokerAdapter>();
    for (const [id, r] of this.runtimes) if (r.adapter && r.view().connection.status === 'connected') brokers.set(id as AccountId, r.adapter);
    const engine = new CopyEngine({
      clock: this.clock,
      journal: this.journal,
      notifier: this.opts.notifier ?? { notify: () => undefined },
      brokers,
      links: this.workspace.links.filter((l) => brokers.has(l.leader) && brokers.has(l.follower)),
      risk: this.workspace.risk,
    });
    this.engineUnsubs = [
      engine.on('intent', (i) => this.emit('intent', i)),
      engine.on('execution', (e) => this.emit('execution', e)),
      engine.on('alert', (a) => {
        // The engine notifies critical alerts itself (breaker trips, halts); rejects and drift are ours to surface.
        if (a.severity !== 'critical' && NOTIFY_CODES.has(a.code)) this.opts.notifier?.notify(a);
        this.emit('alert', a);
        this.emit('snapshot');
      }),
      engine.on('state', (s) => {
        this.emit('state', { scope: s.scope, state: s.state });
        this.emit('snapshot');
      }),
      engine.on('breaker', () => this.emit('snapshot')),
      engine.on('reconciled', () => this.emit('snapshot')),
    ];
    this.engine = engine;
    await engine.start();
  }

  private async stopEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    for (const u of this.engineUnsubs.splice(0)) u();
    if (engine) await engine.stop();
  }

  /**
   * Applies a workspace change: validates the whole workspace (a refused change leaves everything as it was), runs
   * `accepted` (audit), persists it and restarts what depends on it.
   */
  private async applyWorkspace(next: WorkspaceConfig, changedAccounts: readonly string[], accepted: () => void): Promise<void> {
    const parsed = parseConfig(JSON.parse(JSON.stringify(next)), 'workspace');
    accepted();
    this.workspace = parsed;
    saveWorkspace(this.journal.queries, this.workspace);
    if (this.running) {
      await this.stopEngine();
      for (const id of changedAccounts) {
        await this.runtimes.get(id)?.disconnect();
        this.runtimes.delete(id);
        const cfg = this.workspace.accounts.find((a) => a.id === id);
        if (cfg) await this.connectAccount(cfg);
      }
      await this.startEngine();
      if (this.demo && changedAccounts.includes(DEMO_LEADER)) this.restartDemoTrader();
    }
    this.emit('snapshot');
  }

  /** Keeps the last known broker positions in the journal (at most once a second) for `status`. */
  private schedulePositionsSave(): void {
    this.positionsTimer = this.clock.setTimer(1_000, () => {
      if (this.positionsDirty) this.savePositions();
      if (this.running) this.schedulePositionsSave();
    });
  }

  private savePositions(): void {
    this.positionsDirty = false;
    const accounts: Record<string, PositionView[]> = {};
    for (const [id, r] of this.runtimes) accounts[id] = r.view().positions;
    savePositions(this.journal.queries, { savedAt: this.clock.now(), accounts });
  }

  private startDemoTrader(): void {
    const leader = this.runtimes.get(DEMO_LEADER)?.adapter;
    if (!leader) return;
    this.demoTrader = new DemoTrader({
      adapter: leader,
      clock: this.clock,
      seed: this.opts.seed ?? 7,
      onError: (err) => this.log.warn(`demo bot: ${errorMessage(err)}`),
    });
    this.demoTrader.start();
  }

  /** The demo leader was reconnected: the bot trades through its new adapter. */
  private restartDemoTrader(): void {
    this.demoTrader?.stop();
    this.demoTrader = undefined;
    this.startDemoTrader();
  }

  // ---- alerts ----------------------------------------------------------------------------------------------------

  private raiseAlert(input: AlertInput): void {
    const alert = this.journal.raiseAlert(input, this.clock.now());
    if (NOTIFY_CODES.has(alert.code)) this.opts.notifier?.notify(alert);
    this.emit('alert', alert);
    this.emit('snapshot');
  }

  // ---- snapshot --------------------------------------------------------------------------------------------------

  snapshot(): WorkspaceSnapshot {
    return buildSnapshot({
      workspace: this.workspace,
      runtimes: this.runtimes,
      engine: this.engine?.snapshot(),
      persistedStates: this.journal.tradingStates(),
      persistedBreakers: this.journal.breakerStates(),
      counts: this.counters(),
      hasCredentials: this.credentialed,
      running: this.running,
      demo: this.demo,
    });
  }

  private counters(): Counters {
    const c = this.journal.queries.counts();
    return {
      copies: c.copies,
      copiesToday: c.today,
      rejects: c.rejects,
      unknown: c.unknown,
      alertsUnread: c.unacknowledgedAlerts,
      ...(c.latency.avgMs !== undefined ? { avgLatencyMs: c.latency.avgMs } : {}),
    };
  }

  /** True when any follower holds a position (the tray asks before quitting). */
  followersHavePositions(): boolean {
    const followers = new Set(this.workspace.links.map((l) => l.follower as string));
    return [...this.runtimes.entries()].some(([id, r]) => followers.has(id) && r.hasOpenPositions());
  }

  // ---- commands: trading state -------------------------------------------------------------------------------------

  private requireEngine(): CopyEngine {
    if (!this.engine) throw new ValidationError('engine', 'the workspace is not running');
    return this.engine;
  }

  private audit(actor: string, action: string, details?: Record<string, unknown>): void {
    this.journal.audit({ actor, action, ...(details ? { details } : {}) }, this.clock.now());
  }

  private checkScope(scope: Scope): void {
    if (scope !== 'global' && !this.workspace.links.some((l) => l.follower === scope)) {
      throw new ValidationError('scope', `"${scope}" is not a follower`);
    }
  }

  setTradingState(scope: Scope, state: 'active' | 'paused', actor: string): void {
    this.checkScope(scope);
    this.audit(actor, state === 'active' ? 'resume' : 'pause', { scope });
    this.requireEngine().setTradingState(scope, state, actor);
  }

  async halt(opts: { scope: Scope; cancelOpenOrders: boolean; flattenPositions: boolean; actor: string }): Promise<HaltReport> {
    this.checkScope(opts.scope);
    this.audit(opts.actor, 'halt', { scope: opts.scope, cancelOpenOrders: opts.cancelOpenOrders, flatten: opts.flattenPositions });
    return this.requireEngine().halt({ ...opts, reason: 'kill switch' });
  }

  resetBreaker(scope: Scope, actor: string): void {
    this.checkScope(scope);
    this.audit(actor, 'reset-breaker', { scope });
    this.requireEngine().resetBreaker(scope, actor);
  }

  async reconcileNow(actor: string): Promise<void> {
    this.audit(actor, 'reconcile');
    await this.requireEngine().reconcileNow(`requested by ${actor}`);
  }

  // ---- commands: accounts and credentials ------------------------------------------------------------------------

  async addAccount(input: AccountConfigInput, actor: string): Promise<AccountConfig> {
    const account = accountConfigSchema.parse(input);
    if (this.workspace.accounts.some((a) => a.id === account.id)) {
      throw new ValidationError('id', `an account "${account.id}" already exists`);
    }
    await this.applyWorkspace({ ...this.workspace, accounts: [...this.workspace.accounts, account] }, [account.id], () =>
      this.audit(actor, 'account-add', { id: account.id, broker: account.broker, environment: account.environment }),
    );
    return account;
  }

  async updateAccount(id: string, patch: Partial<AccountConfigInput>, actor: string): Promise<AccountConfig> {
    const current = this.workspace.accounts.find((a) => a.id === id);
    if (!current) throw new ValidationError('id', `no account "${id}"`);
    const account = accountConfigSchema.parse({ ...current, ...patch, id: current.id });
    await this.applyWorkspace({ ...this.workspace, accounts: this.workspace.accounts.map((a) => (a.id === id ? account : a)) }, [id], () =>
      this.audit(actor, 'account-update', { id, fields: Object.keys(patch) }),
    );
    return account;
  }

  async removeAccount(id: string, actor: string): Promise<void> {
    if (!this.workspace.accounts.some((a) => a.id === id)) throw new ValidationError('id', `no account "${id}"`);
    if (this.workspace.links.some((l) => l.leader === id || l.follower === id)) {
      throw new ValidationError('id', `"${id}" is used by a link; remove the link first`);
    }
    await this.applyWorkspace({ ...this.workspace, accounts: this.workspace.accounts.filter((a) => a.id !== id) }, [id], () => {
      this.audit(actor, 'account-remove', { id });
      this.forgetScope(id as AccountId, actor);
    });
  }

  /**
   * A removed account takes its follower trading state and breaker with it: both are reset in the journal (the change
   * history keeps what happened) so an account added later under the same id starts clean.
   */
  private forgetScope(id: AccountId, actor: string): void {
    const state = this.journal.tradingStates().get(id);
    if (state !== undefined && state !== 'active') {
      this.journal.saveTradingState({ scope: id, state: 'active', reason: 'account removed', actor, time: this.clock.now() });
    }
    if (this.journal.breakerStates().get(id)?.tripped) this.journal.saveBreakerState({ scope: id, tripped: false });
  }

  async setCredentials(id: string, secret: unknown, actor: string): Promise<void> {
    if (!this.workspace.accounts.some((a) => a.id === id)) throw new ValidationError('id', `no account "${id}"`);
    if (!secret || typeof secret !== 'object' || Array.isArray(secret)) {
      throw new ValidationError('credentials', 'expected the broker credential object');
    }
    const text = JSON.stringify(secret);
    for (const v of Object.values(secret)) if (typeof v === 'string') this.log.addSecret(v);
    await this.opts.secrets.set(id, text);
    this.credentialed.add(id);
    await this.applyWorkspace(this.workspace, [id], () => this.audit(actor, 'credentials-set', { id }));
  }

  async deleteCredentials(id: string, actor: string): Promise<boolean> {
    const removed = await this.opts.secrets.delete(id);
    this.credentialed.delete(id);
    await this.applyWorkspace(this.workspace, [id], () => this.audit(actor, 'credentials-delete', { id, removed }));
    return removed;
  }

  /** Connects a throwaway adapter for the account and reads its balance: proves credentials and endpoints. */
  async testConnection(id: string): Promise<{ ok: boolean; message: string; latencyMs?: number }> {
    const account = this.workspace.accounts.find((a) => a.id === id);
    if (!account) throw new ValidationError('id', `no account "${id}"`);
    const running = this.runtimes.get(id)?.adapter;
    const started = this.clock.monotonic();
    try {
      const adapter = running ?? (await this.throwawayAdapter(account));
      try {
        if (!running) await adapter.connect();
        const snap = await adapter.account();
        const latencyMs = Math.round((this.clock.monotonic() - started) * 10) / 10;
        return { ok: true, message: `connected; equity ${snap.equity.toFixed(2)} ${snap.currency}`, latencyMs };
      } finally {
        if (!running) await adapter.disconnect().catch(() => undefined);
      }
    } catch (err) {
      return { ok: false, message: errorMessage(err) };
    }
  }

  private async throwawayAdapter(account: AccountConfig): Promise<BrokerAdapter> {
    const creds = await findCredentials(account.id, this.opts.env ?? process.env, this.opts.secrets);
    if (!creds && credentialsRequired(account)) throw new ValidationError('credentials', 'no credentials stored for this account');
    return createAdapter(account, creds?.value, {
      clock: this.clock,
      log: this.log,
      simExchange: () => this.sim(),
    });
  }

  /** The in-process simulated venue shared by every sim account; its prices move while the app runs. */
  private sim(): SimExchange {
    if (!this.simExchange) {
      this.simExchange = newSimExchange(this.clock, this.opts.seed ?? 7);
      this.simExchange.startPriceWalk(SIM_PRICE_STEP_MS);
    }
    return this.simExchange;
  }

  // ---- commands: links -------------------------------------------------------------------------------------------

  async addLink(input: LinkConfigInput, actor: string): Promise<LinkConfig> {
    const parsed = linkConfigSchema.parse(input);
    const link: LinkConfig = { ...parsed, id: parsed.id ?? defaultLinkId(parsed.leader, parsed.follower) };
    await this.applyWorkspace({ ...this.workspace, links: [...this.workspace.links, link] }, [], () => this.audit(actor, 'link-add', { id: link.id }));
    return link;
  }

  async updateLink(id: LinkId, patch: Partial<LinkConfigInput>, actor: string): Promise<LinkConfig> {
    const current = this.workspace.links.find((l) => l.id === id);
    if (!current) throw new ValidationError('id', `no link "${id}"`);
    const merged = linkConfigSchema.parse({ ...JSON.parse(JSON.stringify(current)), ...patch, id, leader: current.leader, follower: current.follower });
    const link: LinkConfig = { ...merged, id };
    await this.applyWorkspace({ ...this.workspace, links: this.workspace.links.map((l) => (l.id === id ? link : l)) }, [], () =>
      this.audit(actor, 'link-update', { id, fields: Object.keys(patch) }),
    );
    return link;
  }

  async removeLink(id: LinkId, actor: string): Promise<void> {
    if (!this.workspace.links.some((l) => l.id === id)) throw new ValidationError('id', `no link "${id}"`);
    await this.applyWorkspace({ ...this.workspace, links: this.workspace.links.filter((l) => l.id !== id) }, [], () => this.audit(actor, 'link-remove', { id }));
  }

  // ---- commands: alerts and demo ---------------------------------------------------------------------------------

  acknowledgeAlerts(ids: readonly AlertId[] | 'all', actor: string): number {
    const n = ids === 'all' ? this.journal.queries.acknowledgeAllAlerts() : this.journal.queries.acknowledgeAlerts(ids);
    this.audit(actor, 'alerts-ack', { count: n });
    this.emit('snapshot');
    return n;
  }

  /** Installs the demo workspace when nothing is configured, and starts its bot. */
  async startDemo(actor: string): Promise<void> {
    if (this.workspace.accounts.length > 0 && !this.demo) {
      throw new ValidationError('workspace', 'a workspace is already configured; the demo only starts on an empty one');
    }
    this.audit(actor, 'demo-start');
    const wasRunning = this.running;
    if (wasRunning) await this.stop();
    this.workspace = demoWorkspace();
    this.demo = true;
    saveWorkspace(this.journal.queries, this.workspace);
    setDemo(this.journal.queries, true);
    if (wasRunning) await this.start();
    else this.emit('snapshot');
  }

  /** Demo tool: the demo bot sends `trades` leader orders back to back (to watch the circuit breaker trip). */
  async demoBurst(trades: number, actor: string): Promise<{ sent: number }> {
    if (!Number.isInteger(trades) || trades < 1 || trades > MAX_DEMO_BURST) {
      throw new ValidationError('trades', `expected a whole number of trades from 1 to ${MAX_DEMO_BURST}`);
    }
    if (!this.demo) throw new ValidationError('workspace', 'the trade burst is a demo tool: it only runs in the demo workspace');
    const bot = this.demoTrader;
    if (!this.running || !bot) throw new ValidationError('workspace', 'the demo is not running (its leader is not connected)');
    this.audit(actor, 'demo-burst', { trades });
    const sent = await bot.burst(trades);
    return { sent: sent.length };
  }
}
