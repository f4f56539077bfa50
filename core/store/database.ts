// Opening the journal database: pragmas (WAL, synchronous=NORMAL, foreign keys, busy timeout) and migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AUTOCHECKPOINT_PAGES } from './checkpointer.js';
import { StoreError } from './errors.js';
import { loadMigrations, migrate, MIGRATIONS_DIR } from './migrate.js';
import { readPragma } from './statements.js';

export type Database = BetterSqlite3.Database;

export interface OpenOptions {
  /** Where the NNN-name.sql files live; defaults to core/store/migrations beside this module. */
  readonly migrationsDir?: string;
  /** How long a writer waits for another connection's lock, ms. */
  readonly busyTimeoutMs?: number;
}

export const isMemory = (path: string): boolean => path === ':memory:' || path === '';

/** Opens (creating if needed) and migrates the journal database at path; ':memory:' gives a private in-memory one. */
export function openDatabase(path: string, options: OpenOptions = {}): Database {
  if (!isMemory(path)) mkdirSync(dirname(path), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(path);
  } catch (err) {
    throw new StoreError('open_failed', `cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    configure(db, path, options.busyTimeoutMs ?? 5000);
    migrate(db, loadMigrations(options.migrationsDir ?? MIGRATIONS_DIR));
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('open_failed', `cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

function configure(db: Database, path: string, busyTimeoutMs: number): void {
  db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  db.exec('PRAGMA journal_mode = WAL');
  if (!isMemory(path) && readPragma(db, 'journal_mode') !== 'wal') {
    throw new StoreError('open_failed', `database ${path} could not be switched to WAL mode`);
  }
  db.exec(`
    PRAGMA synchronous = NORMAL;
    PRAGMA foreign_keys = ON;
    PRAGMA cache_size = -65536;
    PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES};
    PRAGMA temp_store = MEMORY;
  `);
}
