// AppHost: the composition root shared by desktop and headless: config -> accounts -> adapters -> engine, plus commands.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import type { AccountConfig, AccountConfigInput } from '../domain/account-config.js';
import type { AlertInput } from '../domain/alert.js';
import type { AccountId, AlertId, LinkId } from '../domain/ids.js';
import type { LinkConfig, LinkConfigInput, WorkspaceConfig } from '../domain/workspace-config.js';
import type { Scope } from '../domain/trading-state.js';
import { ValidationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import { CopyEngine, type HaltReport } from '../engine/index.js';
import { openJournal, type SqliteJournal } from '../store/index.js';
import { AccountPool } from './account-pool.js';
import { throttledAlerts } from './alert-throttle.js';
import { DemoRunner } from './demo-runner.js';
import { demoWorkspace, DEMO_LEADER } from './demo-workspace.js';
import { createLogger, type Logger } from './logger.js';
import { buildSnapshot } from './snapshot-builder.js';
import type { WorkspaceSnapshot } from './snapshot.js';
import { SystemClock } from './system-clock.js';
import { emptyWorkspace, isDemo, loadWorkspace, saveWorkspace, setDemo } from './workspace-store.js';
import { parseConfig } from './config-file.js';
import type { AppHostEvents, AppHostOptions } from './app-host-types.js';

export type { AppHostEvents, AppHostOptions } from './app-host-types.js';
import * as edits from './workspace-edits.js';

const NOTIFY_CODES = new Set(['disconnected', 'auth_failed', 'order_rejected', 'drift']);

export class AppHost {
  readonly dataDir: string;
  readonly journal: SqliteJournal;
  readonly log: Logger;
  readonly clock: Clock;
  private workspace: WorkspaceConfig;
  private demo: boolean;
  private readonly emitter = new EventEmitter();
  private readonly accounts: AccountPool;
  private readonly demoRunner: DemoRunner;
  private engine: CopyEngine | undefined;
  private engineUnsubs: (() => void)[] = [];
  private running = false;

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
    this.accounts = new AccountPool({
      clock,
      log,
      secrets: opts.secrets,
      env: opts.env ?? process.env,
      seed: opts.seed ?? 7,
      refreshMs: opts.accountRefreshMs ?? 5_000,
      meta: journal.queries,
      events: {
        onStatus: (id, status) => {
          this.emit('account-status', { accountId: id, status });
          this.emit('snapshot');
        },
        onAlert: throttledAlerts(clock, (a) => this.raiseAlert(a)),
        onChange: () => this.emit('snapshot'),
      },
    });
    this.demoRunner = new DemoRunner(clock, log, opts.seed ?? 7);
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
    await Promise.all(this.workspace.accounts.map((a) => this.accounts.connect(a)));
    await this.startEngine();
    if (this.demo) this.demoRunner.start(this.accounts.adapter(DEMO_LEADER));
    this.accounts.startSavingPositions();
    this.log.info(`workspace running: ${this.workspace.accounts.length} accounts, ${this.workspace.links.length} links`);
    this.emit('snapshot');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.demoRunner.stop();
    await this.stopEngine();
    await this.accounts.disconnectAll();
    this.journal.flush();
    this.emit('snapshot');
  }

  /** Stops and closes the journal; the host cannot be started again. */
  async close(): Promise<void> {
    await this.stop();
    this.journal.close();
  }

  private async startEngine(): Promise<void> {
    const brokers = this.accounts.connected();
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
        await this.accounts.disconnect(id);
        const cfg = this.workspace.accounts.find((a) => a.id === id);
        if (cfg) await this.accounts.connect(cfg);
      }
      await this.startEngine();
      // The demo leader was reconnected: the bot trades through its new adapter.
      if (this.demo && changedAccounts.includes(DEMO_LEADER)) this.demoRunner.start(this.accounts.adapter(DEMO_LEADER));
    }
    this.emit('snapshot');
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
      runtimes: this.accounts.runtimes,
      engine: this.engine?.snapshot(),
      persistedStates: this.journal.tradingStates(),
      persistedBreakers: this.journal.breakerStates(),
      counts: this.journal.queries.counts(),
      hasCredentials: this.accounts.credentialed,
      running: this.running,
      demo: this.demo,
    });
  }

  /** True when any follower holds a position (the tray asks before quitting). */
  followersHavePositions(): boolean {
    return this.accounts.followersHavePositions(new Set(this.workspace.links.map((l) => l.follower as string)));
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

  addAccount(input: AccountConfigInput, actor: string): Promise<AccountConfig> {
    return this.edit(edits.addAccount(this.workspace, input), actor);
  }

  updateAccount(id: string, patch: Partial<AccountConfigInput>, actor: string): Promise<AccountConfig> {
    return this.edit(edits.updateAccount(this.workspace, id, patch), actor);
  }

  removeAccount(id: string, actor: string): Promise<void> {
    return this.edit(edits.removeAccount(this.workspace, id), actor, () => this.forgetScope(id as AccountId, actor));
  }

  /** Applies an edit: validated as a whole, then audited (with `also`), saved and applied. */
  private async edit<T>(e: edits.Edit<T>, actor: string, also?: () => void): Promise<T> {
    await this.applyWorkspace(e.next, e.changedAccounts, () => {
      this.audit(actor, e.action, e.details);
      also?.();
    });
    return e.result;
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
    edits.requireAccount(this.workspace, id);
    if (!secret || typeof secret !== 'object' || Array.isArray(secret)) {
      throw new ValidationError('credentials', 'expected the broker credential object');
    }
    await this.accounts.setCredentials(id, secret);
    await this.applyWorkspace(this.workspace, [id], () => this.audit(actor, 'credentials-set', { id }));
  }

  async deleteCredentials(id: string, actor: string): Promise<boolean> {
    const removed = await this.accounts.deleteCredentials(id);
    await this.applyWorkspace(this.workspace, [id], () => this.audit(actor, 'credentials-delete', { id, removed }));
    return removed;
  }

  /** Connects a throwaway adapter for the account and reads its balance: proves credentials and endpoints. */
  async testConnection(id: string): Promise<{ ok: boolean; message: string; latencyMs?: number }> {
    return this.accounts.testConnection(edits.requireAccount(this.workspace, id));
  }

  // ---- commands: links -------------------------------------------------------------------------------------------

  addLink(input: LinkConfigInput, actor: string): Promise<LinkConfig> {
    return this.edit(edits.addLink(this.workspace, input), actor);
  }

  updateLink(id: LinkId, patch: Partial<LinkConfigInput>, actor: string): Promise<LinkConfig> {
    return this.edit(edits.updateLink(this.workspace, id, patch), actor);
  }

  removeLink(id: LinkId, actor: string): Promise<void> {
    return this.edit(edits.removeLink(this.workspace, id), actor);
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
    if (!this.demo) throw new ValidationError('workspace', 'the trade burst is a demo tool: it only runs in the demo workspace');
    const result = await this.demoRunner.burst(trades);
    this.audit(actor, 'demo-burst', { trades, sent: result.sent });
    return result;
  }
}
