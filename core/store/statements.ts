// Prepared-statement cache per database (held weakly: a closed, unreachable database takes its statements with it).
import type BetterSqlite3 from 'better-sqlite3';

type Statement = BetterSqlite3.Statement;

const caches = new WeakMap<BetterSqlite3.Database, Map<string, Statement>>();

/**
 * The cached prepared statement for this SQL on this database (prepared on first use). pluck()/raw()/expand()
 * change the cached statement itself, so a use that needs them must have SQL text of its own.
 */
export function statement(db: BetterSqlite3.Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** Reads a pragma through a cached statement (db.pragma() would create a throwaway one each call). */
export function readPragma(db: BetterSqlite3.Database, name: string): unknown {
  const row = statement(db, `PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}
