// Alerts aggregate: raised alerts, paging, acknowledgement and the unacknowledged count.
import type BetterSqlite3 from 'better-sqlite3';
import type { Alert, AlertCode, AlertInput, AlertSeverity } from '../domain/alert.js';
import type { AccountId, AlertId, LinkId } from '../domain/ids.js';
import { compact, fromJson, optStr, toJson } from './codec.js';
import { StoreError } from './errors.js';
import { type Page, type PageRequest, pageRows, Where } from './paging.js';
import { statement } from './statements.js';

export interface AlertFilter {
  readonly unacknowledgedOnly?: boolean;
  readonly severity?: AlertSeverity;
  readonly accountId?: AccountId;
}

export type AlertPage = Page<Alert> & { readonly unacknowledged: number };

interface AlertRow extends Record<string, unknown> {
  id: number;
  time: number;
  severity: string;
  code: string;
  message: string;
  account_id: string | null;
  link_id: string | null;
  details: string | null;
  acknowledged: number;
}

const rowToAlert = (r: AlertRow): Alert =>
  compact<Alert>({
    id: String(r.id) as AlertId,
    time: r.time,
    severity: r.severity as AlertSeverity,
    code: r.code as AlertCode,
    message: r.message,
    accountId: optStr<AccountId>(r.account_id),
    linkId: optStr<LinkId>(r.link_id),
    details: fromJson<Record<string, unknown>>(r.details),
    acknowledged: r.acknowledged === 1,
  });

export class AlertRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  raise(a: AlertInput, time: number): Alert {
    const sql = `INSERT INTO alerts (time, severity, code, message, account_id, link_id, details)
      VALUES (?, ?, ?, ?, ?, ?, ?)`;
    const details = toJson(a.details);
    const res = statement(this.db, sql).run(time, a.severity, a.code, a.message, a.accountId ?? null, a.linkId ?? null, details);
    return compact<Alert>({ ...a, details: fromJson(details), id: String(res.lastInsertRowid) as AlertId, time, acknowledged: false });
  }

  list(filter: AlertFilter = {}, page: PageRequest = {}): AlertPage {
    const where = new Where();
    if (filter.unacknowledgedOnly) where.add('acknowledged = 0');
    if (filter.severity) where.add('severity = ?', filter.severity);
    if (filter.accountId) where.add('account_id = ?', filter.accountId);
    const res = pageRows<AlertRow>(this.db, { columns: '*', table: 'alerts', key: 'id', where }, page);
    return { ...res, items: res.items.map(rowToAlert), unacknowledged: this.unacknowledged() };
  }

  unacknowledged(): number {
    return (statement(this.db, 'SELECT count(*) AS n FROM alerts WHERE acknowledged = 0').get() as { n: number }).n;
  }

  total(): number {
    return (statement(this.db, 'SELECT count(*) AS n FROM alerts').get() as { n: number }).n;
  }

  /** Marks the alerts acknowledged; returns how many changed. Unknown ids are ignored, malformed ones refused. */
  acknowledge(ids: readonly AlertId[]): number {
    const keys = ids.map((id) => {
      if (!/^\d{1,15}$/.test(id)) throw new StoreError('bad_request', `malformed alert id ${JSON.stringify(id)}`);
      return Number(id);
    });
    const ack = statement(this.db, 'UPDATE alerts SET acknowledged = 1 WHERE id = ? AND acknowledged = 0');
    return this.db.transaction(() => keys.reduce((n, k) => n + ack.run(k).changes, 0))();
  }

  acknowledgeAll(): number {
    return statement(this.db, 'UPDATE alerts SET acknowledged = 1 WHERE acknowledged = 0').run().changes;
  }
}
