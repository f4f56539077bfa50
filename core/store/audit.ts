// Audit aggregate: an append-only log of every user action (who, what, when, details).
import type BetterSqlite3 from 'better-sqlite3';
import type { AuditEntry } from '../ports/journal.js';
import { compact, fromJson, toJson } from './codec.js';
import { type Page, type PageRequest, pageRows, Where } from './paging.js';
import { statement } from './statements.js';

export interface AuditRecord extends AuditEntry {
  readonly id: number;
  readonly time: number;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
}

interface AuditRow extends Record<string, unknown> {
  id: number;
  time: number;
  actor: string;
  action: string;
  details: string | null;
}

export class AuditRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  append(e: AuditEntry, time: number): void {
    const sql = 'INSERT INTO audit_log (time, actor, action, details) VALUES (?, ?, ?, ?)';
    statement(this.db, sql).run(time, e.actor, e.action, toJson(e.details));
  }

  list(filter: AuditFilter = {}, page: PageRequest = {}): Page<AuditRecord> {
    const where = new Where();
    if (filter.actor !== undefined) where.add('actor = ?', filter.actor);
    if (filter.action !== undefined) where.add('action = ?', filter.action);
    const res = pageRows<AuditRow>(this.db, { columns: '*', table: 'audit_log', key: 'id', where }, page);
    return {
      ...res,
      items: res.items.map((r) =>
        compact<AuditRecord>({
          id: r.id,
          time: r.time,
          actor: r.actor,
          action: r.action,
          details: fromJson<Record<string, unknown>>(r.details),
        }),
      ),
    };
  }
}
