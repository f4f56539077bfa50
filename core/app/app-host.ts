// AppHost: the composition root shared by desktop and headless: config -> accounts -> adapters -> engine, plus commands.
// One CopyEngine lives as long as the host; every command goes through one serialized queue and edits are applied to
// the running engine in place (accounts, brokers and links added or removed), never by building another engine.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import type { AccountConfig, AccountConfigInput } from '../domain/account-config.js';
import type { AlertInput } from '../domain/alert.js';
import type { AccountId, AlertId, LinkId } from '../domain/ids.js';
import type { LinkConfig, LinkConfigInput, WorkspaceConfig } from '../domain/workspace-config.js';
import { errorMessage, ValidationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ConfirmedOrder, CopyEngine, LinkStart, ResumePreview, SyncApplyResult, SyncView } from '../engine/index.js';
import { openJournal, type SqliteJournal } from '../store/index.js';
import { redactValue } from '../brokers/shared/redact.js';
import { AccountPool } from './account-pool.js';
import { throttledAlerts } from './alert-throttle.js';
import { CommandQueue } from './command-queue.js';
import { createHostEngine, NOTIFY_CODES } from './host-engine.js';
import { DemoRunner } from './demo-runner.js';
import { demoWorkspace, DEMO_LEADER } from './demo-workspace.js';
import { createLogger, type Logger } from './logger.js';
import { buildSnapshot } from './snapshot-builder.js';
import type { WorkspaceSnapshot } from './snapshot.js';
import { SystemClock } from './system-clock.js';
import { emptyWorkspace, isDemo, loadWorkspace, saveWorkspace, setDemo } from './workspace-store.js';
import { parseConfig } from './config-file.js';
import { describeStorage } from '../secrets/index.js';
import type { AppHostEvents, AppHostOptions } from './app-host-types.js';
import { StatsService } from './stats-commands.js';

import * as edits from './workspace-edits.js';
import { CredentialCommands } from './credential-commands.js';
import { RiskCommands } from './risk-commands.js';
import { TradingCommands } from './trading-commands.js';
import * as sync from './sync-commands.js';

export type { AppHostEvents, AppHostOptions } from './app-host-types.js';

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
  private readonly engine: CopyEngine;
  /** Per-follower statistics and the day P&L history (recorded from every account snapshot). */
  readonly stats: StatsService;
  private readonly queue = new CommandQueue();
  private running = false;
  readonly risk: RiskCommands;
  /** Pause, resume, kill switch, breaker reset, reconcile. */
  readonly trading: TradingCommands;
  readonly credentials: CredentialCommands;

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
      ...(opts.reconnectMs !== undefined ? { reconnectMs: opts.reconnectMs } : {}),
      onReady: (id, adapter) => {
        this.queue.run(() => this.attach(id, adapter)).catch((err: unknown) => log.warn(`${id}: not handed to the engine: ${errorMessage(err)}`));
      },
      ...(opts.simExchange ? { simExchange: opts.simExchange } : {}),
      events: {
        onStatus: (id, status) => {
          this.emit('account-status', { accountId: id, status });
          this.emit('snapshot');
        },
        onAlert: throttledAlerts(clock, (a) => this.raiseAlert(a)),
        onChange: (id) => {
          this.stats.observe(id, this.accounts.runtimes.get(id)?.view().account);
          this.emit('snapshot');
        },
      },
    });
    this.stats = new StatsService({
      journal, clock,
      account: (id) => this.workspace.accounts.find((a) => a.id === id),
      followerIds: () => this.workspace.links.map((l) => l.follower as string),
      adapter: (id) => this.accounts.adapter(id),
    });
    this.demoRunner = new DemoRunner(clock, log, opts.seed ?? 7);
    const stored = opts.config ? undefined : loadWorkspace(journal.queries);
    if (opts.demo && !stored) {
      this.workspace = demoWorkspace();
      this.demo = true;
    } else {
      this.workspace = opts.config ?? stored ?? emptyWorkspace();
      this.demo = opts.config ? false : isDemo(journal.queries);
    }
    saveWorkspace(journal.queries, this.workspace);
    setDemo(journal.queries, this.demo);
    this.engine = createHostEngine({ opts, journal, clock, workspace: this.workspace, emit: (event, ...args) => this.emit(event, ...args) });
    const [queue, workspace] = [this.queue, () => this.workspace];
    this.credentials = new CredentialCommands({
      queue, accounts: this.accounts, secrets: opts.secrets, log, workspace, running: () => this.running,
      reconnect: (ids) => this.applyToEngine(ids), audit: (a, act, d) => this.audit(a, act, d),
      raiseAlert: (a) => this.raiseAlert(a), changed: () => this.emit('snapshot'),
    });
    this.trading = new TradingCommands({ queue, workspace, running: () => this.requireRunning(), audit: (a, act, d) => this.audit(a, act, d) });
    this.risk = new RiskCommands({ engine: this.engine, queue, workspace, edit: (make, actor) => this.edit(make, actor), audit: (a, act, d) => this.audit(a, act, d) });
  }

  static async open(opts: AppHostOptions): Promise<AppHost> {
    mkdirSync(opts.dataDir, { recursive: true });
    const log = opts.log ?? createLogger({ file: join(opts.dataDir, 'mirrordesk.log') });
    const clock = opts.clock ?? new SystemClock();
    // Every alert (the engine's, the adapters', the app's) is redacted where it is written: one place, none missed.
    const journal = openJournal(join(opts.dataDir, 'journal.sqlite'), { now: () => clock.now(), redactAlert: (a) => redactValue(a), backgroundCheckpoints: true });
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

  start(): Promise<void> {
    return this.queue.run(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.queue.run(() => this.stopNow());
  }

  /** Stops and closes the journal; the host cannot be started again. */
  async close(): Promise<void> {
    await this.stop();
    await this.queue.idle();
    this.journal.close();
  }

  private async startNow(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await Promise.all(this.workspace.accounts.map((a) => this.accounts.connect(a)));
    for (const a of this.workspace.accounts) {
      const adapter = this.accounts.readyAdapter(a.id);
      if (adapter) this.engine.setBroker(a.id as AccountId, adapter);
    }
    this.engine.setLinks(this.engineLinks());
    await this.engine.start();
    if (this.demo) this.demoRunner.start(this.accounts.adapter(DEMO_LEADER));
    this.accounts.startSavingPositions();
    this.log.info(`workspace running: ${this.workspace.accounts.length} accounts, ${this.workspace.links.length} links`);
    this.emit('snapshot');
  }

  private async stopNow(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.demoRunner.stop();
    await this.engine.stop();
    for (const a of this.workspace.accounts) this.engine.setBroker(a.id as AccountId, undefined);
    await this.accounts.disconnectAll();
    this.journal.flush();
    this.emit('snapshot');
  }

  /**
   * The links the engine runs: every link between enabled accounts, connected or not (an account that cannot be
   * reached keeps its links; they arm when it connects). Links of an account a person disabled are left out.
   */
  private engineLinks(): LinkConfig[] {
    const enabled = new Set(this.workspace.accounts.filter((a) => a.enabled).map((a) => a.id));
    return this.workspace.links.filter((l) => enabled.has(l.leader) && enabled.has(l.follower));
  }

  /** An account connected after start (retries succeeded): its adapter joins the running engine, its links arm. */
  private attach(id: string, adapter: Parameters<CopyEngine['setBroker']>[1]): void {
    if (!this.running || !adapter || this.accounts.readyAdapter(id) !== adapter || this.engine.adapterOf(id as AccountId) === adapter) return;
    this.engine.setBroker(id as AccountId, adapter);
    if (this.demo && id === DEMO_LEADER) this.demoRunner.start(adapter);
    this.emit('snapshot');
  }

  /**
   * Applies a workspace edit as one queued command: the edit is computed from the workspace as it is when its turn
   * comes (so quick successive edits compose), the whole result validated (a refused change leaves everything as it
   * was), `accepted` runs (audit), it is saved and applied to the running engine in place.
   */
  private edit<T>(make: () => edits.Edit<T>, actor: string, also?: () => void): Promise<T> {
    return this.queue.run(async () => {
      const e = make();
      const parsed = parseConfig(JSON.parse(JSON.stringify(e.next)), 'workspace');
      this.audit(actor, e.action, e.details);
      also?.();
      this.workspace = parsed;
      saveWorkspace(this.journal.queries, this.workspace);
      this.engine.setAccounts(this.workspace.accounts);
      if (this.running) await this.applyToEngine(e.changedAccounts);
      this.emit('snapshot');
      return e.result;
    });
  }

  /** Reconnects changed accounts and hands the engine the current links and adapters (no engine restart). */
  private async applyToEngine(changedAccounts: readonly string[]): Promise<void> {
    this.engine.setLinks(this.engineLinks());
    for (const id of changedAccounts) {
      this.engine.setBroker(id as AccountId, undefined);
      await this.accounts.disconnect(id);
      const cfg = this.workspace.accounts.find((a) => a.id === id);
      if (!cfg) continue;
      await this.accounts.connect(cfg);
      const adapter = this.accounts.readyAdapter(id);
      if (adapter) this.engine.setBroker(id as AccountId, adapter);
    }
    // The demo leader was reconnected: the bot trades through its new adapter.
    if (this.demo && changedAccounts.includes(DEMO_LEADER)) this.demoRunner.start(this.accounts.adapter(DEMO_LEADER));
  }

  /**
   * After the machine slept every connection is presumed stale: all links disarm, every account reconnects, and a link
   * arms again only once the engine read its leader and follower through the new connections (copies wait until then).
   */
  resumeFromSleep(): Promise<{ accounts: number }> {
    return this.queue.run(async () => {
      if (!this.running) return { accounts: 0 };
      const cfgs = this.workspace.accounts.filter((a) => a.enabled);
      this.raiseAlert({ severity: 'info', code: 'reconnected', message: `resumed from sleep: reconnecting ${cfgs.length} accounts` });
      this.demoRunner.stop();
      for (const a of cfgs) this.engine.setBroker(a.id as AccountId, undefined);
      await Promise.all(cfgs.map((a) => this.accounts.disconnect(a.id)));
      await Promise.all(cfgs.map((a) => this.accounts.connect(a)));
      for (const a of cfgs) {
        const adapter = this.accounts.readyAdapter(a.id);
        if (adapter) this.engine.setBroker(a.id as AccountId, adapter);
      }
      if (this.demo) this.demoRunner.start(this.accounts.adapter(DEMO_LEADER));
      this.emit('snapshot');
      return { accounts: cfgs.length };
    });
  }

  // ---- alerts ----------------------------------------------------------------------------------------------------

  /** An internal error the process guard caught (process-guard.ts): a critical alert, notified on the desktop. */
  reportInternalError(message: string): void {
    this.raiseAlert({ severity: 'critical', code: 'engine_error', message }, true);
  }

  private raiseAlert(input: AlertInput, notify = NOTIFY_CODES.has(input.code)): void {
    const alert = this.journal.raiseAlert(input, this.clock.now());
    if (notify) this.opts.notifier?.notify(alert);
    this.emit('alert', alert);
    this.emit('snapshot');
  }

  // ---- snapshot --------------------------------------------------------------------------------------------------

  snapshot(): WorkspaceSnapshot {
    const snap = buildSnapshot({
      workspace: this.workspace,
      runtimes: this.accounts.runtimes,
      engine: this.running ? this.engine.snapshot() : undefined,
      persistedStates: this.journal.tradingStates(),
      persistedBreakers: this.journal.breakerStates(),
      counts: this.journal.queries.counts(),
      hasCredentials: this.accounts.credentialed,
      running: this.running,
      demo: this.demo,
    });
    return { ...snap, credentialStorage: describeStorage(this.opts.secrets) };
  }

  followerStats(range: { from?: number; to?: number } = {}): Promise<unknown> {
    return this.stats.followers(range);
  }

  dayPnlHistory(accountId: string, days: number): unknown {
    edits.requireAccount(this.workspace, accountId);
    return this.stats.dayPnl(accountId, days);
  }

  /** True when any follower holds a position (the tray asks before quitting). */
  followersHavePositions(): boolean {
    return this.accounts.followersHavePositions(new Set(this.workspace.links.map((l) => l.follower as string)));
  }

  // ---- commands (trading state: trading-commands.ts) -----------------------------------------------------------

  private requireRunning(): CopyEngine {
    if (!this.running) throw new ValidationError('engine', 'the workspace is not running');
    return this.engine;
  }

  private audit(actor: string, action: string, details?: Record<string, unknown>): void {
    this.journal.audit({ actor, action, ...(details ? { details } : {}) }, this.clock.now());
  }

  // ---- commands: accounts (credentials: credential-commands.ts) ------------------------------------------------------------------------

  addAccount(input: AccountConfigInput, actor: string): Promise<AccountConfig> {
    return this.edit(() => edits.addAccount(this.workspace, input), actor);
  }

  updateAccount(id: string, patch: Partial<AccountConfigInput>, actor: string): Promise<AccountConfig> {
    return this.edit(() => edits.updateAccount(this.workspace, id, patch), actor);
  }

  removeAccount(id: string, actor: string): Promise<void> {
    // Its credentials go with it (credentials:delete refuses accounts that do not exist).
    return this.edit(() => edits.removeAccount(this.workspace, id), actor, () => this.forgetScope(id as AccountId, actor)).then(
      () => this.queue.run(() => this.credentials.forget(id)),
    );
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

  // ---- commands: links -------------------------------------------------------------------------------------------

  /**
   * start: how the link begins when its leader holds positions; 'new_only' by default (nothing is sent unseen). orders:
   * the 'align' orders the person confirmed from previewLink (only those are sent).
   */
  addLink(input: LinkConfigInput, actor: string, start: LinkStart = 'new_only', orders?: readonly ConfirmedOrder[]): Promise<LinkConfig> {
    let id: LinkConfig['id'] | undefined;
    const make = (): edits.Edit<LinkConfig> => {
      const e = sync.withStart(edits.addLink(this.workspace, input), start, orders);
      id = e.result.id;
      return e;
    };
    return this.edit(make, actor, () => this.engine.startLink(id!, start, orders));
  }

  /** What adding this link with start 'align' would send now (fresh reads; nothing is sent or kept). */
  previewLink(input: LinkConfigInput): Promise<ResumePreview> {
    return this.queue.run(() => sync.previewNewLink(this.requireRunning(), this.workspace, input));
  }

  /** Per link and follower symbol: target, position, working orders, drift and the repair (sync-commands.ts). */
  syncView(follower?: AccountId): Promise<SyncView> {
    return this.queue.run(() => sync.viewSync(this.requireRunning(), this.workspace, follower));
  }

  /** Sends confirmed sync repairs through the engine's order path; audited by the engine. */
  syncApply(req: sync.SyncApplyRequest, actor: string): Promise<SyncApplyResult> {
    return this.queue.run(() => sync.applySync(this.requireRunning(), this.workspace, req, actor));
  }

  updateLink(id: LinkId, patch: Partial<LinkConfigInput>, actor: string): Promise<LinkConfig> {
    return this.edit(() => edits.updateLink(this.workspace, id, patch), actor);
  }

  removeLink(id: LinkId, actor: string): Promise<void> {
    return this.edit(() => edits.removeLink(this.workspace, id), actor, () => this.engine.forgetLink(id));
  }

  // ---- commands: alerts and demo ---------------------------------------------------------------------------------

  acknowledgeAlerts(ids: readonly AlertId[] | 'all', actor: string): number {
    const n = ids === 'all' ? this.journal.queries.acknowledgeAllAlerts() : this.journal.queries.acknowledgeAlerts(ids);
    this.audit(actor, 'alerts-ack', { count: n });
    this.emit('snapshot');
    return n;
  }

  /** Installs the demo workspace when nothing is configured, and starts its bot. */
  startDemo(actor: string): Promise<void> {
    return this.queue.run(async () => {
      if (this.workspace.accounts.length > 0 && !this.demo) {
        throw new ValidationError('workspace', 'a workspace is already configured; the demo only starts on an empty one');
      }
      await this.replaceWorkspace(demoWorkspace(), true, actor, 'demo-start');
    });
  }

  /** Leaves the demo: its bot stops and the workspace becomes empty (stored, so a restart does not bring the demo back). */
  leaveDemo(actor: string): Promise<void> {
    return this.queue.run(async () => {
      if (!this.demo) throw new ValidationError('workspace', 'the demo is not running: there is nothing to leave');
      await this.replaceWorkspace(emptyWorkspace(), false, actor, 'demo-leave');
    });
  }

  /** Swaps the whole workspace (demo in or out), audited and stored; a running workspace stops and starts around it. */
  private async replaceWorkspace(next: WorkspaceConfig, demo: boolean, actor: string, action: string): Promise<void> {
    this.audit(actor, action);
    const wasRunning = this.running;
    if (wasRunning) await this.stopNow();
    for (const l of this.workspace.links) if (!next.links.some((n) => n.id === l.id)) this.engine.forgetLink(l.id);
    this.workspace = next;
    this.demo = demo;
    saveWorkspace(this.journal.queries, this.workspace);
    setDemo(this.journal.queries, demo);
    this.engine.setRisk(this.workspace.risk);
    this.engine.setAccounts(this.workspace.accounts);
    this.engine.setLinks(this.engineLinks());
    if (wasRunning) await this.startNow();
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
