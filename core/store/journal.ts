// SqliteJournal: the engine's Journal port on SQLite. Executions, their intents and the leader episode are written
// synchronously in one transaction (in a group commit, each episode once, before the commit); intent patches and
// fills are write-behind (see write-behind.ts) and flushed before every read; episodes and waits are upserted per row.
// The app's journal checkpoints its WAL in a worker thread (checkpointer.ts).
import type { Alert, AlertInput } from '../domain/alert.js';
import type { AccountId, BrokerOrderId, ExecutionId, IntentId, LinkId } from '../domain/ids.js';
import type { Execution } from '../domain/order.js';
import type { BreakerState, Scope, TradingState, TradingStateChange } from '../domain/trading-state.js';
import type { AuditEntry, CopyIntent, EpisodeRecord, FollowerFill, IntentPatch, Journal, LeftAloneRecord, LinkStartRecord, RiskActionRecord, RiskStateRecord, UnplannedRecord, WaitRecord } from '../ports/journal.js';
import { AlertRepo } from './alerts.js';
import { AuditRepo } from './audit.js';
import { toJson } from './codec.js';
import { Checkpointer } from './checkpointer.js';
import { type Database, isMemory, openDatabase, type OpenOptions } from './database.js';
import { StoreError } from './errors.js';
import { EpisodeRepo } from './episodes.js';
import { ExecutionRepo } from './executions.js';
import { IntentRepo } from './intents.js';
import { JournalQueries } from './queries.js';
import { RiskRepo } from './risk.js';
import { StateRepo } from './state.js';
import { WaitRepo } from './waits.js';
import { LinkHoldRepo } from './link-holds.js';
import { WriteBehind } from './write-behind.js';

export interface JournalOptions {
  /** Time stamped on intent events (raw broker messages, status changes); defaults to Date.now. */
  readonly now?: () => number;
  /** Queued write-behind rows that force an immediate flush (default 1000). */
  readonly maxQueued?: number;
  /** Called when a background flush fails; the writes stay queued and the next flush retries them. */
  readonly onFlushError?: (err: Error) => void;
  /**
   * Applied to every alert before it is written (and to the alert returned, which the engine and the app publish):
   * the app passes its secret redaction, so no alert raised anywhere carries a known secret into SQLite or the UI.
   */
  readonly redactAlert?: (alert: AlertInput) => AlertInput;
  /**
   * WAL checkpoints in a worker thread (checkpointer.ts), off the copy path; the app turns this on. Without it, or when
   * the worker fails, the connection checkpoints by itself on commit as SQLite does by default.
   */
  readonly backgroundCheckpoints?: boolean | { readonly intervalMs: number };
}

/** How many recently journaled intent ids are remembered in memory. */
const KNOWN_LIMIT = 100_000;

export class SqliteJournal implements Journal {
  readonly queries: JournalQueries;
  private readonly executions: ExecutionRepo;
  private readonly intents: IntentRepo;
  private readonly alerts: AlertRepo;
  private readonly state: StateRepo;
  private readonly auditLog: AuditRepo;
  private readonly episodeRepo: EpisodeRepo;
  private readonly waitRepo: WaitRepo;
  private readonly holds: LinkHoldRepo;
  readonly risk: RiskRepo;
  private readonly pending: WriteBehind;
  private readonly now: () => number;
  private readonly redactAlert: (alert: AlertInput) => AlertInput;
  /** Returns the seq of the first intent, or undefined when the execution was already recorded. */
  private readonly recordTx: (exec: Execution, receivedAt: number, intents: readonly CopyIntent[], episode?: EpisodeRecord) => number | undefined;
  private readonly insertTx: (intents: readonly CopyIntent[]) => number;
  private closed = false;
  /** The background checkpoint worker, when the journal runs one (openJournal). */
  checkpointer: Checkpointer | undefined;
  /** Live intents journaled by this process (bounded), with their seq: updates skip the existence SELECT and find the row by rowid. */
  private readonly known = new Map<IntentId, number>();
  /** Inside batch(): the live intents remembered so far, forgotten again if the batch rolls back. */
  private batchIntents: IntentId[] | undefined;
  /** Inside batch(): the latest episode per leader and symbol, written once before the commit. */
  private deferredEpisodes: Map<string, EpisodeRecord> | undefined;

  constructor(
    readonly db: Database,
    options: JournalOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.redactAlert = options.redactAlert ?? ((a) => a);
    this.executions = new ExecutionRepo(db);
    this.intents = new IntentRepo(db);
    this.alerts = new AlertRepo(db);
    this.state = new StateRepo(db);
    this.auditLog = new AuditRepo(db);
    this.episodeRepo = new EpisodeRepo(db);
    this.waitRepo = new WaitRepo(db);
    this.holds = new LinkHoldRepo(db);
    this.risk = new RiskRepo(db, this.now);
    const onError = options.onFlushError ?? ((err: Error) => console.error(`journal: write-behind flush failed: ${err.message}`));
    this.pending = new WriteBehind(db, this.intents, options.maxQueued ?? 1000, onError, (id) => this.known.get(id));
    this.queries = new JournalQueries(db, () => this.flush());
    this.recordTx = db.transaction((exec: Execution, receivedAt: number, intents: readonly CopyIntent[], episode?: EpisodeRecord) => {
      if (!this.executions.insert(exec, receivedAt)) return undefined;
      const firstSeq = this.intents.insert(intents);
      if (episode && !this.deferredEpisodes) this.episodeRepo.save(episode);
      return firstSeq;
    });
    this.insertTx = db.transaction((intents: readonly CopyIntent[]) => this.intents.insert(intents));
  }

  recordExecution(exec: Execution, receivedAt: number, intents: readonly CopyIntent[], episode?: EpisodeRecord): boolean {
    const firstSeq = this.recordTx(exec, receivedAt, intents, episode);
    if (firstSeq === undefined) return false;
    this.remember(intents, firstSeq);
    if (episode) this.deferredEpisodes?.set(episodeKey(episode), episode);
    return true;
  }

  /**
   * Group commit: runs fn inside one outer transaction, so a burst of recordExecution calls shares one commit. Each
   * call inside is its own savepoint (a failing one rolls back alone); if fn throws, everything in it rolls back.
   * Episodes saved inside are kept in memory and only the last one per leader and symbol is written, before commit.
   */
  batch<T>(fn: () => T): T {
    const outer = this.batchIntents === undefined;
    const mark = this.batchIntents?.length ?? 0;
    this.batchIntents ??= [];
    if (outer) this.deferredEpisodes = new Map();
    try {
      if (!outer) return this.db.transaction(fn)();
      return this.db.transaction(() => {
        const result = fn();
        this.writeDeferredEpisodes();
        return result;
      })();
    } catch (err) {
      // Rolled back: the intents remembered inside are not journaled after all.
      for (const id of this.batchIntents.splice(mark)) this.known.delete(id);
      throw err;
    } finally {
      if (outer) {
        this.deferredEpisodes = undefined;
        this.batchIntents = undefined;
      }
    }
  }

  hasExecution(id: ExecutionId): boolean {
    return this.executions.has(id);
  }

  insertIntents(intents: readonly CopyIntent[]): void {
    this.remember(intents, this.insertTx(intents));
  }

  updateIntent(id: IntentId, patch: IntentPatch): void {
    this.requireIntent(id);
    const { raw, ...fields } = patch;
    const event =
      raw !== undefined || fields.status !== undefined || fields.error !== undefined
        ? { id, time: this.now(), status: fields.status, error: fields.error, raw: toJson(raw) }
        : undefined;
    this.pending.patch(id, fields, event);
  }

  openIntents(): CopyIntent[] {
    this.flush();
    return this.intents.open();
  }

  intentByBrokerOrder(accountId: AccountId, brokerOrderId: BrokerOrderId): CopyIntent | undefined {
    this.flush();
    return this.intents.byBrokerOrder(accountId, brokerOrderId);
  }

  lastAttempt(followerAccountId: AccountId, sourceId: string): number {
    this.flush();
    return this.intents.lastAttempt(followerAccountId, sourceId);
  }

  recordFill(fill: FollowerFill): void {
    this.requireIntent(fill.intentId);
    this.pending.fill(fill);
  }

  raiseAlert(alert: AlertInput, time: number): Alert {
    return this.alerts.raise(this.redactAlert(alert), time);
  }

  saveTradingState(change: TradingStateChange): void {
    this.state.saveTradingState(change);
  }

  tradingStates(): Map<Scope, TradingState> {
    return this.state.tradingStates();
  }

  saveBreakerState(state: BreakerState): void {
    this.state.saveBreakerState(state);
  }

  breakerStates(): Map<Scope, BreakerState> {
    return this.state.breakerStates();
  }

  audit(entry: AuditEntry, time: number): void {
    this.auditLog.append(entry, time);
  }

  saveEpisode(episode: EpisodeRecord): void {
    if (this.deferredEpisodes) this.deferredEpisodes.set(episodeKey(episode), episode);
    else this.episodeRepo.save(episode);
  }

  episodes(): EpisodeRecord[] {
    this.writeDeferredEpisodes();
    return this.episodeRepo.all();
  }

  saveWait(wait: WaitRecord): void {
    this.waitRepo.save(wait);
  }

  deleteWait(linkId: LinkId, symbol: string): void {
    this.waitRepo.delete(linkId, symbol);
  }

  waits(): WaitRecord[] {
    return this.waitRepo.all();
  }

  saveLinkStart(start: LinkStartRecord): void {
    this.holds.saveStart(start);
  }

  deleteLinkStart(linkId: LinkId): void {
    this.holds.deleteStart(linkId);
  }

  linkStarts(): LinkStartRecord[] {
    return this.holds.starts();
  }

  saveLeftAlone(record: LeftAloneRecord): void {
    this.holds.leaveAlone(record);
  }

  deleteLeftAlone(record: LeftAloneRecord): void {
    this.holds.release(record);
  }

  leftAlone(): LeftAloneRecord[] {
    return this.holds.leftAlone();
  }

  saveUnplanned(record: UnplannedRecord): void {
    this.holds.saveUnplanned(record);
  }

  deleteUnplanned(linkId: LinkId, leaderSymbol: string): void {
    this.holds.deleteUnplanned(linkId, leaderSymbol);
  }

  unplanned(): UnplannedRecord[] {
    return this.holds.unplanned();
  }

  saveRiskState(state: RiskStateRecord): void {
    this.risk.save(state);
  }

  riskStates(): RiskStateRecord[] {
    return this.risk.all();
  }

  deleteRiskState(accountId: AccountId): void {
    this.risk.delete(accountId);
  }

  recordRiskAction(action: RiskActionRecord): void {
    this.risk.record(action);
  }

  /** Writes every queued intent patch, event and fill now. */
  flush(): void {
    if (!this.closed) this.pending.flush();
  }

  /** Flushes and closes the database; later calls are no-ops. */
  close(): void {
    if (this.closed) return;
    this.checkpointer?.stop();
    try {
      this.pending.flush();
    } finally {
      this.pending.cancel();
      this.closed = true;
      this.db.close();
    }
  }

  private writeDeferredEpisodes(): void {
    if (!this.deferredEpisodes) return;
    for (const e of this.deferredEpisodes.values()) this.episodeRepo.save(e);
    this.deferredEpisodes.clear();
  }

  private remember(intents: readonly CopyIntent[], firstSeq: number): void {
    // A dry run is born terminal and never patched: only live intents need the fast existence check.
    intents.forEach((i, k) => {
      if (i.dryRun) return;
      this.known.set(i.id, firstSeq + k);
      this.batchIntents?.push(i.id);
    });
    if (this.known.size <= KNOWN_LIMIT) return;
    for (const id of this.known.keys()) {
      this.known.delete(id);
      if (this.known.size <= KNOWN_LIMIT / 2) break;
    }
  }

  private requireIntent(id: IntentId): void {
    if (!this.known.has(id) && !this.pending.has(id) && !this.intents.exists(id)) {
      throw new StoreError('unknown_intent', `no journaled intent ${id}`);
    }
  }
}

const episodeKey = (e: EpisodeRecord) => `${e.leaderAccountId}\u0000${e.leaderSymbol}`;

/** Opens (creating and migrating) the journal at path. */
export function openJournal(path: string, options: JournalOptions & OpenOptions = {}): SqliteJournal {
  const journal = new SqliteJournal(openDatabase(path, options), options);
  if (options.backgroundCheckpoints && !isMemory(path)) {
    const stopped = (err: unknown) =>
      console.error(`journal: background checkpoints stopped (${(err as Error).message}); the journal checkpoints on commit again`);
    try {
      const every = typeof options.backgroundCheckpoints === 'object' ? { intervalMs: options.backgroundCheckpoints.intervalMs } : {};
      journal.checkpointer = new Checkpointer(journal.db, path, { onError: stopped, ...every });
    } catch (err) {
      // No worker (the driver not resolvable from here, threads unavailable): the connection checkpoints by itself.
      stopped(err);
    }
  }
  return journal;
}
