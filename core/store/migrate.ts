// Schema migrations: numbered NNN-name.sql files applied in order, once, inside one transaction at open.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';
import { statement } from './statements.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The migrations shipped beside this module (works from source, under tsx and under vitest). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_RE = /^(\d{3})-([a-z0-9][a-z0-9-]*)\.sql$/;

/** Reads and checks the migration files: well named, numbered 1..n without gaps or duplicates. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.sql'));
  } catch (err) {
    throw new StoreError('bad_migration', `cannot read migrations directory ${dir}`, { cause: err });
  }
  const migrations = names.map((file) => {
    const m = FILE_RE.exec(file);
    if (!m) throw new StoreError('bad_migration', `migration file ${file} is not named NNN-name.sql`);
    return { version: Number(m[1]), name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') };
  });
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError('bad_migration', `migrations must be numbered 001..${migrations.length}; found ${m.version} at ${i + 1}`);
    }
  });
  return migrations;
}

export interface MigrationResult {
  readonly applied: readonly number[];
  readonly version: number;
}

/** Brings the schema up to the newest migration; refuses a database written by a newer version. */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[]): MigrationResult {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const run = db.transaction((): MigrationResult => {
    const current = (statement(db, 'SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
    if (current > latest) {
      throw new StoreError(
        'schema_too_new',
        `database schema version ${current} is newer than this Mirrordesk supports (${latest}); upgrade Mirrordesk or use another data directory`,
      );
    }
    const pending = migrations.filter((m) => m.version > current);
    const record = statement(db, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of pending) {
      try {
        db.exec(m.sql);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw new StoreError('bad_migration', `migration ${m.version}-${m.name} failed: ${why}`, { cause: err });
      }
      record.run(m.version, m.name, Date.now());
    }
    return { applied: pending.map((m) => m.version), version: Math.max(current, latest) };
  });
  return run.immediate();
}
