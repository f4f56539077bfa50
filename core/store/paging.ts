// Keyset paging shared by the list queries: newest first, an opaque cursor (or an offset), and a total count.
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';
import { statement } from './statements.js';

export interface PageRequest {
  /** Rows per page, 1..1000 (default 50). */
  readonly limit?: number;
  /** nextCursor from the previous page; takes precedence over offset. */
  readonly cursor?: string;
  readonly offset?: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Rows matching the filters, across all pages. */
  readonly total: number;
  /** Present when more rows follow. */
  readonly nextCursor?: string;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

/** A WHERE clause built from optional filters: each condition with its parameters. */
export class Where {
  private readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  add(condition: string, ...params: unknown[]): this {
    this.conditions.push(condition);
    this.params.push(...params);
    return this;
  }

  sql(extra?: string): string {
    const all = extra ? [...this.conditions, extra] : this.conditions;
    return all.length ? `WHERE ${all.join(' AND ')}` : '';
  }
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new StoreError('bad_request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

function checkCursor(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor)) throw new StoreError('bad_request', 'malformed page cursor');
  return Number(cursor);
}

function checkOffset(offset: number | undefined): number {
  if (offset === undefined) return 0;
  if (!Number.isInteger(offset) || offset < 0) throw new StoreError('bad_request', 'offset must be a non-negative integer');
  return offset;
}

/** Pages `SELECT columns FROM table` by its integer key, descending. */
export function pageRows<R extends Record<string, unknown>>(
  db: BetterSqlite3.Database,
  q: { readonly columns: string; readonly table: string; readonly key: string; readonly where: Where },
  req: PageRequest = {},
): Page<R> {
  const limit = checkLimit(req.limit);
  const cursor = req.cursor === undefined ? undefined : checkCursor(req.cursor);
  const offset = cursor === undefined ? checkOffset(req.offset) : 0;
  const keyed = cursor === undefined ? undefined : `${q.key} < ?`;
  const params = cursor === undefined ? q.where.params : [...q.where.params, cursor];
  const sql = `SELECT ${q.columns} FROM ${q.table} ${q.where.sql(keyed)} ORDER BY ${q.key} DESC LIMIT ? OFFSET ?`;
  const rows = statement(db, sql).all(...params, limit + 1, offset) as R[];
  const total = (statement(db, `SELECT count(*) AS n FROM ${q.table} ${q.where.sql()}`).get(...q.where.params) as { n: number }).n;
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return more && last ? { items, total, nextCursor: String(last[q.key]) } : { items, total };
}
