// Workspace key/value store for the app (e.g. the current workspace JSON); values are opaque text.
import type BetterSqlite3 from 'better-sqlite3';
import { statement } from './statements.js';

export class MetaRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  get(key: string): string | undefined {
    const row = statement(this.db, 'SELECT value FROM workspace WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  set(key: string, value: string): void {
    const sql = 'INSERT INTO workspace (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
    statement(this.db, sql).run(key, value);
  }

  delete(key: string): boolean {
    return statement(this.db, 'DELETE FROM workspace WHERE key = ?').run(key).changes > 0;
  }
}
