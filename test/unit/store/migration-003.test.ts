// Issue 11 (journal throughput): migration 003 moves the intents status index off dry-run rows (born terminal, never
// updated) and the upgrade from a 002 journal file keeps every row; reads of open intents and counts use that index.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { accountId, linkId } from '../../../core/domain/ids.js';
import { openDatabase, openJournal } from '../../../core/store/index.js';
import { OPEN_INTENTS_SQL } from '../../../core/store/intents.js';
import { loadMigrations, MIGRATIONS_DIR } from '../../../core/store/migrate.js';
import { statement } from '../../../core/store/statements.js';
import { execution, intent, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const TABLES = ['executions', 'intents', 'fills', 'intent_events', 'alerts', 'trading_state_changes', 'trading_state',
  'breaker_state', 'audit_log', 'workspace', 'episodes', 'waits'];

/** Migrations 001 and 002 only: the schema a 002-era Mirrordesk wrote. */
function dir002(): string {
  const dir = join(tmp.dir, 'migrations-002');
  mkdirSync(dir, { recursive: true });
  for (const f of ['001-initial.sql', '002-episodes.sql']) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}

function dump(path: string, migrationsDir?: string): Record<string, unknown[]> {
  const db = openDatabase(path, migrationsDir ? { migrationsDir } : {});
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = statement(db, `SELECT * FROM ${t} ORDER BY rowid`).all();
  db.close();
  return out;
}

/** A 002-era journal file with rows in every table: live, dry-run and terminal intents, events, fills, state. */
function seed002(path: string): void {
  const j = openJournal(path, { migrationsDir: dir002(), now: () => 1_700_000_000_500 });
  j.recordExecution(execution('e1'), 1_700_000_000_100, [
    intent('i1'),
    intent('i2', { followerAccountId: accountId('f2'), dryRun: true, status: 'dry_run' }),
  ]);
  j.recordExecution(execution('e2', { side: 'sell' }), 1_700_000_000_200, [intent('i3', { sourceId: 'e2', status: 'planned' })]);
  j.updateIntent(intent('i1').id, { status: 'filled', filledQty: dec('5'), avgFillPrice: dec('190.3'), raw: { fill: 1 } });
  j.updateIntent(intent('i3').id, { status: 'rejected', error: 'no buying power' });
  j.recordFill({ intentId: intent('i1').id, accountId: accountId('f1'), symbol: 'AAPL', side: 'buy', qty: dec('5'), price: dec('190.3'), time: 5 });
  j.raiseAlert({ severity: 'warning', code: 'engine_error', message: 'x' }, 7);
  j.saveTradingState({ scope: 'global', state: 'paused', reason: 'r', actor: 'user', time: 8 });
  j.saveBreakerState({ scope: 'global', tripped: false });
  j.audit({ actor: 'user', action: 'engine:halt' }, 9);
  j.saveWait({ linkId: linkId('link-f1'), symbol: 'AAPL', leaderSymbol: 'AAPL', purpose: 'copy', sourceId: 'e1', due: 10 });
  j.close();
}

const indexSql = (path: string, name: string): string | undefined => {
  const db = openDatabase(path);
  const sql = statement(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(name) as string | undefined;
  db.close();
  return sql;
};

describe('issue 11 #journal: migration 003', () => {
  it('issue 11 #journal: upgrading a real 002 journal file keeps every row of every table', () => {
    const path = tmp.path();
    seed002(path);
    const before = dump(path, dir002());
    expect(before['intents']).toHaveLength(3);
    const after = dump(path);
    expect(after).toEqual(before);
    const db = openDatabase(path);
    expect(statement(db, 'SELECT max(version) FROM schema_migrations').pluck().get()).toBe(loadMigrations().length);
    db.close();
  });

  it('issue 11 #journal: the status index holds no dry-run rows after the upgrade and on a new journal', () => {
    const path = tmp.path();
    seed002(path);
    const j = openJournal(path);
    j.recordExecution(execution('e3'), 1, [intent('i4', { sourceId: 'e3', dryRun: true, status: 'dry_run' })]);
    j.close();
    expect(indexSql(path, 'intents_status')).toBeUndefined();
    expect(indexSql(path, 'intents_status_live')).toMatch(/WHERE status <> 'dry_run'/);
    const db = openDatabase(path);
    const indexed = statement(db, "SELECT count(*) FROM intents INDEXED BY intents_status_live WHERE status <> 'dry_run'").pluck().get();
    expect(indexed).toBe(2);
    db.close();
  });

  it('issue 11 #journal: open intents and the status counts read through the live-status index, with the right numbers', () => {
    const path = tmp.path();
    seed002(path);
    const j = openJournal(path);
    expect(j.openIntents().map((i) => i.id)).toEqual([]);
    j.recordExecution(execution('e4'), 1, [intent('i5', { sourceId: 'e4' }), intent('i6', { sourceId: 'e4', followerAccountId: accountId('f2'), status: 'unknown' })]);
    expect(j.openIntents().map((i) => i.id)).toEqual(['i5', 'i6']);
    const counts = j.queries.counts({ dayStart: 0 });
    expect({ copies: counts.copies, open: counts.open, rejects: counts.rejects, unknown: counts.unknown }).toEqual({ copies: 5, open: 2, rejects: 1, unknown: 1 });
    const plan = (sql: string) => (statement(j.db, `EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan(OPEN_INTENTS_SQL)).toContain('intents_status_live');
    expect(j.queries.listCopies({ status: 'rejected' }).items.map((c) => c.id)).toEqual(['i3']);
    expect(j.queries.listCopies({ status: ['dry_run'] }).items.map((c) => c.id)).toEqual(['i2']);
    j.close();
  });
});
