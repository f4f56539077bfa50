// openDatabase and migrations: pragmas, apply-once, re-open, newer schema refusal, bad migration sets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, StoreError } from '../../../core/store/index.js';
import { loadMigrations, MIGRATIONS_DIR } from '../../../core/store/migrate.js';
import { readPragma, statement } from '../../../core/store/statements.js';
import { tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const versions = (db: ReturnType<typeof openDatabase>) =>
  statement(db, 'SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];

function migrationsDir(files: Record<string, string>): string {
  const dir = join(tmp.dir, `migrations-${Object.keys(files).length}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('openDatabase', () => {
  it('turns on WAL, synchronous=NORMAL, foreign keys and a busy timeout', () => {
    const db = openDatabase(tmp.path());
    expect(readPragma(db, 'journal_mode')).toBe('wal');
    expect(readPragma(db, 'synchronous')).toBe(1);
    expect(readPragma(db, 'foreign_keys')).toBe(1);
    expect(readPragma(db, 'busy_timeout')).toBe(5000);
    db.close();
  });

  it('applies every shipped migration once and re-opens as a no-op', () => {
    const shipped = loadMigrations(MIGRATIONS_DIR);
    expect(shipped.length).toBeGreaterThan(0);
    const first = openDatabase(tmp.path());
    const applied = versions(first);
    expect(applied.map((v) => v.version)).toEqual(shipped.map((m) => m.version));
    statement(first, 'INSERT INTO workspace (key, value) VALUES (?, ?)').run('k', 'v');
    first.close();

    const again = openDatabase(tmp.path());
    expect(versions(again)).toEqual(applied);
    expect(statement(again, 'SELECT value FROM workspace WHERE key = ?').pluck().get('k')).toBe('v');
    again.close();
  });

  it('creates the parent directory and accepts :memory:', () => {
    const nested = openDatabase(join(tmp.dir, 'a', 'b', 'journal.sqlite'));
    expect(versions(nested).length).toBeGreaterThan(0);
    nested.close();
    const mem = openDatabase(':memory:');
    expect(readPragma(mem, 'foreign_keys')).toBe(1);
    expect(versions(mem).length).toBeGreaterThan(0);
    mem.close();
  });

  it('refuses a database written by a newer version with a clear error', () => {
    const db = openDatabase(tmp.path());
    statement(db, 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'future', 0);
    db.close();
    const attempt = () => openDatabase(tmp.path());
    expect(attempt).toThrow(StoreError);
    expect(attempt).toThrow(/schema version 999 is newer/);
  });

  it('applies only the pending migrations of a newer set', () => {
    const v1 = migrationsDir({ '001-one.sql': 'CREATE TABLE one (x INTEGER);' });
    openDatabase(tmp.path(), { migrationsDir: v1 }).close();
    const v2 = migrationsDir({
      '001-one.sql': 'CREATE TABLE one (x INTEGER);',
      '002-two.sql': 'CREATE TABLE two (y INTEGER); INSERT INTO one VALUES (1);',
    });
    const db = openDatabase(tmp.path(), { migrationsDir: v2 });
    expect(versions(db)).toEqual([
      { version: 1, name: 'one' },
      { version: 2, name: 'two' },
    ]);
    expect(statement(db, 'SELECT count(*) FROM one').pluck().get()).toBe(1);
    db.close();
  });

  it('rolls a failing migration back entirely and names it', () => {
    const dir = migrationsDir({
      '001-one.sql': 'CREATE TABLE one (x INTEGER);',
      '002-broken.sql': 'CREATE TABLE two (y INTEGER); INSERT INTO nowhere VALUES (1);',
    });
    expect(() => openDatabase(tmp.path(), { migrationsDir: dir })).toThrow(/migration 2-broken failed: no such table: nowhere/);
    const ok = migrationsDir({ '001-one.sql': 'CREATE TABLE one (x INTEGER);' });
    const db = openDatabase(tmp.path(), { migrationsDir: ok });
    expect(versions(db)).toEqual([{ version: 1, name: 'one' }]);
    expect(statement(db, "SELECT count(*) FROM sqlite_master WHERE name = 'two'").pluck().get()).toBe(0);
    db.close();
  });

  it('rejects misnamed, duplicated or gapped migration files', () => {
    const bad: Record<string, string>[] = [
      { 'one.sql': 'SELECT 1;' },
      { '001-a.sql': 'SELECT 1;', '001-b.sql': 'SELECT 1;' },
      { '001-a.sql': 'SELECT 1;', '003-c.sql': 'SELECT 1;' },
    ];
    for (const files of bad) {
      const err = (() => {
        try {
          loadMigrations(migrationsDir(files));
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('bad_migration');
    }
  });

  it('reports a file that is not a database as open_failed', () => {
    writeFileSync(tmp.path('junk.sqlite'), 'this is not a sqlite database at all, just some text'.repeat(100));
    let err: unknown;
    try {
      openDatabase(tmp.path('junk.sqlite'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('open_failed');
    expect((err as Error).message).toMatch(/not a database/);
  });
});
