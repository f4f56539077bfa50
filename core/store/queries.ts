// JournalQueries: the read side for the app and the dashboard (copies, alerts, audit, state history, counts, CSV,
// workspace key/value). Every read first flushes the journal's write-behind queue so it sees every write.
import type { AlertId, IntentId } from '../domain/ids.js';
import type { Scope, TradingStateChange } from '../domain/trading-state.js';
import { type AlertFilter, type AlertPage, AlertRepo } from './alerts.js';
import { type AuditFilter, type AuditRecord, AuditRepo } from './audit.js';
import { type CopyCounts, type CopyDetail, type CopyFilter, CopyQueries, type CopyRow } from './copies.js';
import type { Database } from './database.js';
import { ExecutionRepo } from './executions.js';
import { IntentRepo } from './intents.js';
import { MetaRepo } from './meta.js';
import type { Page, PageRequest } from './paging.js';
import { StateRepo } from './state.js';

export interface JournalCounts extends CopyCounts {
  readonly alerts: number;
  readonly unacknowledgedAlerts: number;
}

export interface CountsOptions {
  /** Start of "today", ms since epoch; defaults to local midnight. */
  readonly dayStart?: number;
  /** How many of the most recent acknowledged copies the latency figures cover (default 1000). */
  readonly latencyWindow?: number;
}

function localMidnight(): number {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export class JournalQueries {
  private readonly copies: CopyQueries;
  private readonly alerts: AlertRepo;
  private readonly auditLog: AuditRepo;
  private readonly state: StateRepo;
  private readonly meta: MetaRepo;

  constructor(
    db: Database,
    private readonly beforeRead: () => void = () => {},
  ) {
    this.copies = new CopyQueries(db, new IntentRepo(db), new ExecutionRepo(db));
    this.alerts = new AlertRepo(db);
    this.auditLog = new AuditRepo(db);
    this.state = new StateRepo(db);
    this.meta = new MetaRepo(db);
  }

  listCopies(filter: CopyFilter = {}, page: PageRequest = {}): Page<CopyRow> {
    this.beforeRead();
    return this.copies.list(filter, page);
  }

  getCopy(id: IntentId): CopyDetail | undefined {
    this.beforeRead();
    return this.copies.get(id);
  }

  exportCopiesCsv(filter: CopyFilter = {}): string {
    this.beforeRead();
    return this.copies.csv(filter);
  }

  counts(options: CountsOptions = {}): JournalCounts {
    this.beforeRead();
    return {
      ...this.copies.counts(options.dayStart ?? localMidnight(), options.latencyWindow ?? 1000),
      alerts: this.alerts.total(),
      unacknowledgedAlerts: this.alerts.unacknowledged(),
    };
  }

  listAlerts(filter: AlertFilter = {}, page: PageRequest = {}): AlertPage {
    return this.alerts.list(filter, page);
  }

  acknowledgeAlerts(ids: readonly AlertId[]): number {
    return this.alerts.acknowledge(ids);
  }

  acknowledgeAllAlerts(): number {
    return this.alerts.acknowledgeAll();
  }

  listAudit(filter: AuditFilter = {}, page: PageRequest = {}): Page<AuditRecord> {
    return this.auditLog.list(filter, page);
  }

  /** The latest trading-state change per scope (who set it, why, when). */
  currentTradingStates(): TradingStateChange[] {
    return this.state.currentTradingStates();
  }

  tradingStateHistory(scope?: Scope, page: PageRequest = {}): Page<TradingStateChange> {
    return this.state.history(scope, page);
  }

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.meta.set(key, value);
  }

  deleteMeta(key: string): boolean {
    return this.meta.delete(key);
  }
}
