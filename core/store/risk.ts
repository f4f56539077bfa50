// Risk aggregate: each account's risk day (the risk book's persisted state, as JSON) and the log of guard actions.
import type BetterSqlite3 from 'better-sqlite3';
import type { AccountId } from '../domain/ids.js';
import type { RiskActionRecord, RiskStateRecord } from '../ports/journal.js';
import { StoreError } from './errors.js';
import { statement } from './statements.js';

const UPSERT = `INSERT INTO risk_state (account_id, trading_day, state, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (account_id) DO UPDATE SET trading_day = excluded.trading_day, state = excluded.state, updated_at = excluded.updated_at`;

interface ActionRow {
  account_id: string;
  kind: string;
  level: string;
  action: string;
  message: string;
  numbers: string;
  actor: string | null;
  time: number;
}

export class RiskRepo {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly now: () => number,
  ) {}

  save(state: RiskStateRecord): void {
    statement(this.db, UPSERT).run(state.accountId, state.tradingDay, JSON.stringify(state), this.now());
  }

  all(): RiskStateRecord[] {
    const rows = statement(this.db, 'SELECT account_id, state FROM risk_state ORDER BY account_id').all() as { account_id: string; state: string }[];
    return rows.map((r) => {
      try {
        return { ...(JSON.parse(r.state) as RiskStateRecord), accountId: r.account_id as AccountId };
      } catch (err) {
        throw new StoreError('corrupt', `risk state of ${r.account_id} is unreadable`, { cause: err });
      }
    });
  }

  delete(accountId: AccountId): void {
    statement(this.db, 'DELETE FROM risk_state WHERE account_id = ?').run(accountId);
  }

  record(a: RiskActionRecord): void {
    const sql = 'INSERT INTO risk_actions (account_id, kind, level, action, message, numbers, actor, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
    statement(this.db, sql).run(a.accountId, a.kind, a.level, a.action, a.message, JSON.stringify(a.numbers), a.actor ?? null, a.time);
  }

  /** The newest actions first (optionally of one account). */
  actions(accountId?: AccountId, limit = 100): RiskActionRecord[] {
    const rows = (
      accountId === undefined
        ? statement(this.db, 'SELECT * FROM risk_actions ORDER BY seq DESC LIMIT ?').all(limit)
        : statement(this.db, 'SELECT * FROM risk_actions WHERE account_id = ? ORDER BY seq DESC LIMIT ?').all(accountId, limit)
    ) as ActionRow[];
    return rows.map((r) => ({
      accountId: r.account_id as AccountId,
      kind: r.kind as RiskActionRecord['kind'],
      level: r.level as RiskActionRecord['level'],
      action: r.action as RiskActionRecord['action'],
      message: r.message,
      numbers: JSON.parse(r.numbers) as Record<string, string>,
      time: r.time,
      ...(r.actor !== null ? { actor: r.actor } : {}),
    }));
  }
}
