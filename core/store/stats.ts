// Per-follower statistics from the journal: copies, failures grouped by reason, realized P&L and win rate of the
// copier's own fills (average cost, flat to flat), average latency (leader event -> sent, -> broker ack) and slippage.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId } from '../domain/ids.js';
import type { Side } from '../domain/side.js';
import { statement } from './statements.js';

export interface StatsRange {
  /** createdAt (copies) and fill time (P&L) range, ms since epoch: from inclusive, to exclusive. */
  readonly from?: number;
  readonly to?: number;
}

export interface FailureReason {
  readonly reason: string;
  readonly count: number;
  readonly lastAt: number;
}

export interface FollowerStats {
  readonly accountId: AccountId;
  /** Orders the copier decided for this follower (copies, repairs, flattens; dry runs apart). */
  readonly copies: number;
  readonly dryRuns: number;
  readonly filled: number;
  /** Definite failures: rejected, never placed, expired. */
  readonly failures: number;
  /** Outcomes still unknown (being settled). */
  readonly unknown: number;
  readonly failureReasons: readonly FailureReason[];
  /** Realized P&L of the copier's fills in the account's money (price move x qty x instrument multiplier). */
  readonly realizedPnl: Decimal;
  /** Round trips (flat to flat) closed in the range, and how many made money. */
  readonly trades: number;
  readonly wins: number;
  /** wins / trades, 0..1; absent without a closed trade. */
  readonly winRate?: number;
  /** Leader event received -> order sent / -> broker ack, mean ms over the copies that have them. */
  readonly avgSendMs?: number;
  readonly avgAckMs?: number;
  readonly latencySamples: number;
  /** Fill-quantity-weighted mean slippage per unit in price units (positive = worse than the leader). */
  readonly avgSlippage?: Decimal;
  readonly slippageSamples: number;
}

/** Money per point per unit of a follower symbol (1 for equities); the caller resolves instruments. */
export type MultiplierOf = (accountId: AccountId, symbol: string) => Decimal;

const FAILED = ['rejected', 'not_placed', 'expired'];
const inList = (xs: readonly string[]) => xs.map((s) => `'${s}'`).join(', ');

function rangeSql(r: StatsRange, column: string): { sql: string; params: number[] } {
  const parts: string[] = [];
  const params: number[] = [];
  if (r.from !== undefined) {
    parts.push(`${column} >= ?`);
    params.push(r.from);
  }
  if (r.to !== undefined) {
    parts.push(`${column} < ?`);
    params.push(r.to);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

interface CountRow {
  follower: string;
  copies: number;
  dry_runs: number;
  filled: number;
  failures: number;
  unknown: number;
  send_ms: number | null;
  ack_ms: number | null;
  latency_n: number;
}

interface FillRow {
  symbol: string;
  side: Side;
  qty: string;
  price: string;
  time: number;
}

export class StatsQueries {
  constructor(private readonly db: BetterSqlite3.Database) {}

  /** Statistics of the given followers (every follower with a journaled copy when absent), in the range. */
  followers(range: StatsRange, multiplierOf: MultiplierOf, accountIds?: readonly AccountId[]): FollowerStats[] {
    const r = rangeSql(range, 'created_at');
    const counts = statement(
      this.db,
      `SELECT follower_account_id AS follower, sum(dry_run = 0) AS copies, sum(dry_run) AS dry_runs,
        sum(status = 'filled') AS filled, sum(status IN (${inList(FAILED)})) AS failures, sum(status = 'unknown') AS unknown,
        avg(sent_at - leader_received_at) AS send_ms, avg(ack_at - leader_received_at) AS ack_ms,
        count(ack_at) AS latency_n
       FROM intents WHERE 1 = 1${r.sql} GROUP BY follower_account_id`,
    ).all(...r.params) as CountRow[];
    const byId = new Map(counts.map((c) => [c.follower, c]));
    const ids = accountIds ?? [...byId.keys()].sort().map((id) => id as AccountId);
    return ids.map((id) => this.one(id, byId.get(id), range, multiplierOf));
  }

  /** The symbols the account has copier fills in (to resolve their multipliers before followers()). */
  fillSymbols(id: AccountId): string[] {
    return statement(this.db, 'SELECT DISTINCT symbol FROM fills WHERE account_id = ? ORDER BY symbol').pluck().all(id) as string[];
  }

  private one(id: AccountId, c: CountRow | undefined, r: StatsRange, multiplierOf: MultiplierOf): FollowerStats {
    const pnl = this.realized(id, r, multiplierOf);
    const slip = this.slippage(id, r);
    const stats: { -readonly [K in keyof FollowerStats]: FollowerStats[K] } = {
      accountId: id,
      copies: c?.copies ?? 0,
      dryRuns: c?.dry_runs ?? 0,
      filled: c?.filled ?? 0,
      failures: c?.failures ?? 0,
      unknown: c?.unknown ?? 0,
      failureReasons: this.reasons(id, r),
      realizedPnl: pnl.realized,
      trades: pnl.trades,
      wins: pnl.wins,
      latencySamples: c?.latency_n ?? 0,
      slippageSamples: slip.samples,
    };
    if (pnl.trades > 0) stats.winRate = pnl.wins / pnl.trades;
    if (c?.send_ms != null) stats.avgSendMs = c.send_ms;
    if (c?.ack_ms != null) stats.avgAckMs = c.ack_ms;
    if (slip.avg) stats.avgSlippage = slip.avg;
    return stats;
  }

  private reasons(id: AccountId, range: StatsRange): FailureReason[] {
    const r = rangeSql(range, 'created_at');
    const sql = `SELECT coalesce(substr(error, 1, 200), status) AS reason, count(*) AS count, max(created_at) AS lastAt
      FROM intents WHERE follower_account_id = ? AND status IN (${inList(FAILED)})${r.sql}
      GROUP BY reason ORDER BY count DESC, lastAt DESC LIMIT 20`;
    return statement(this.db, sql).all(id, ...r.params) as FailureReason[];
  }

  private slippage(id: AccountId, range: StatsRange): { avg?: Decimal; samples: number } {
    const r = rangeSql(range, 'created_at');
    const sql = `SELECT side, filled_qty, avg_fill_price, leader_price FROM intents
      WHERE follower_account_id = ? AND dry_run = 0 AND avg_fill_price IS NOT NULL AND leader_price IS NOT NULL${r.sql}`;
    const rows = statement(this.db, sql).all(id, ...r.params) as { side: Side; filled_qty: string; avg_fill_price: string; leader_price: string }[];
    let weighted = Decimal.ZERO;
    let qty = Decimal.ZERO;
    for (const row of rows) {
      const q = Decimal.from(row.filled_qty).abs();
      const diff = Decimal.from(row.avg_fill_price).sub(row.leader_price);
      weighted = weighted.add((row.side === 'buy' ? diff : diff.neg()).mul(q));
      qty = qty.add(q);
    }
    return qty.isZero() ? { samples: rows.length } : { avg: weighted.div(qty), samples: rows.length };
  }

  /**
   * Realized P&L by average cost over every fill of the account up to `to` (earlier fills set the cost basis); only
   * what closes inside the range counts. A round trip ends when the position returns to flat (or reverses).
   */
  private realized(id: AccountId, r: StatsRange, multiplierOf: MultiplierOf): { realized: Decimal; trades: number; wins: number } {
    const to = r.to === undefined ? '' : ' AND time < ?';
    const sql = `SELECT symbol, side, qty, price, time FROM fills WHERE account_id = ?${to} ORDER BY time, seq`;
    const fills = statement(this.db, sql).all(id, ...(r.to === undefined ? [] : [r.to])) as FillRow[];
    const books = new Map<string, { qty: Decimal; avg: Decimal; trip: Decimal }>();
    let realized = Decimal.ZERO;
    let trades = 0;
    let wins = 0;
    for (const f of fills) {
      const book = books.get(f.symbol) ?? { qty: Decimal.ZERO, avg: Decimal.ZERO, trip: Decimal.ZERO };
      books.set(f.symbol, book);
      const signed = f.side === 'buy' ? Decimal.from(f.qty) : Decimal.from(f.qty).neg();
      const price = Decimal.from(f.price);
      const inRange = r.from === undefined || f.time >= r.from;
      if (book.qty.isZero() || book.qty.sign() === signed.sign()) {
        const total = book.qty.add(signed);
        book.avg = book.avg.mul(book.qty.abs()).add(price.mul(signed.abs())).div(total.abs());
        book.qty = total;
        continue;
      }
      const closed = signed.abs().min(book.qty.abs());
      const pnl = price.sub(book.avg).mul(closed).mul(book.qty.sign()).mul(multiplierOf(id, f.symbol));
      book.trip = book.trip.add(pnl);
      if (inRange) realized = realized.add(pnl);
      const rest = book.qty.add(signed);
      if (rest.isZero() || rest.sign() !== book.qty.sign()) {
        if (inRange) {
          trades++;
          if (book.trip.gt(0)) wins++;
        }
        book.trip = Decimal.ZERO;
        book.avg = price;
      }
      book.qty = rest;
    }
    return { realized, trades, wins };
  }
}
