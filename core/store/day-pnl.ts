// Day P&L history: one row per account and trading day (the broker's day P&L and equity as last seen that day).
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId } from '../domain/ids.js';
import { compact, optDec } from './codec.js';
import { statement } from './statements.js';

export interface DayPnlRecord {
  readonly accountId: AccountId;
  /** The trading day's date (YYYY-MM-DD) and its bounds, ms since epoch. */
  readonly tradingDay: string;
  readonly dayStart: number;
  readonly dayEnd: number;
  readonly dayPnl: Decimal;
  readonly equity: Decimal;
  readonly startEquity?: Decimal;
  readonly currency: string;
  /** First and latest snapshot of the day that was recorded. */
  readonly firstAt: number;
  readonly updatedAt: number;
}

interface DayPnlRow {
  account_id: string;
  trading_day: string;
  day_start: number;
  day_end: number;
  day_pnl: string;
  equity: string;
  start_equity: string | null;
  currency: string;
  first_at: number;
  updated_at: number;
}

const UPSERT_SQL = `INSERT INTO day_pnl
  (account_id, trading_day, day_start, day_end, day_pnl, equity, start_equity, currency, first_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (account_id, trading_day) DO UPDATE SET
    day_pnl = excluded.day_pnl, equity = excluded.equity, start_equity = coalesce(excluded.start_equity, start_equity),
    currency = excluded.currency, updated_at = excluded.updated_at
  WHERE excluded.updated_at >= day_pnl.updated_at`;

const HISTORY_SQL = `SELECT * FROM day_pnl WHERE account_id = ? ORDER BY trading_day DESC LIMIT ?`;

export class DayPnlRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  /** Upserts the account's row for the day; an older snapshot never overwrites a newer one. */
  record(r: Omit<DayPnlRecord, 'firstAt' | 'updatedAt'>, at: number): void {
    statement(this.db, UPSERT_SQL).run(
      r.accountId, r.tradingDay, r.dayStart, r.dayEnd, r.dayPnl.toString(), r.equity.toString(),
      r.startEquity?.toString() ?? null, r.currency, at, at,
    );
  }

  /** The account's latest `days` trading days, oldest first. */
  history(accountId: AccountId, days: number): DayPnlRecord[] {
    const rows = statement(this.db, HISTORY_SQL).all(accountId, days) as DayPnlRow[];
    return rows.reverse().map((r) =>
      compact<DayPnlRecord>({
        accountId: r.account_id as AccountId,
        tradingDay: r.trading_day,
        dayStart: r.day_start,
        dayEnd: r.day_end,
        dayPnl: Decimal.from(r.day_pnl),
        equity: Decimal.from(r.equity),
        startEquity: optDec(r.start_equity),
        currency: r.currency,
        firstAt: r.first_at,
        updatedAt: r.updated_at,
      }),
    );
  }
}
