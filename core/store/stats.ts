// Per-follower statistics from the journal: copies, failures grouped by reason, realized P&L and win rate of the
// copier's own fills (average cost, flat to flat; pnl-replay.ts), average latency (leader event -> sent, -> broker ack)
// and slippage. Each figure is one pass over the range's intents for every follower at once.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId } from '../domain/ids.js';
import type { Side } from '../domain/side.js';
import { PnlReplay } from './pnl-replay.js';
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

interface SlipRow {
  follower: string;
  side: Side;
  filled_qty: string;
  avg_fill_price: string;
  leader_price: string;
}

const COUNTS_SQL = (where: string) => `SELECT follower_account_id AS follower, sum(dry_run = 0) AS copies, sum(dry_run) AS dry_runs,
    sum(status = 'filled') AS filled, sum(status IN (${inList(FAILED)})) AS failures, sum(status = 'unknown') AS unknown,
    avg(sent_at - leader_received_at) AS send_ms, avg(ack_at - leader_received_at) AS ack_ms, count(ack_at) AS latency_n
  FROM intents WHERE 1 = 1${where} GROUP BY follower_account_id`;
const REASONS_SQL = (where: string) => `SELECT follower_account_id AS follower, coalesce(substr(error, 1, 200), status) AS reason,
    count(*) AS count, max(created_at) AS lastAt
  FROM intents WHERE status IN (${inList(FAILED)})${where} GROUP BY follower, reason ORDER BY count DESC, lastAt DESC`;
const SLIP_SQL = (where: string) => `SELECT follower_account_id AS follower, side, filled_qty, avg_fill_price, leader_price
  FROM intents WHERE dry_run = 0 AND avg_fill_price IS NOT NULL AND leader_price IS NOT NULL${where}`;
const MAX_REASONS = 20;

export class StatsQueries {
  /** Realized P&L replays per account, advanced with the fills journaled since the last read. */
  private readonly replays = new Map<AccountId, PnlReplay>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  /** Statistics of the given followers (every follower with a journaled copy when absent), in the range. */
  followers(range: StatsRange, multiplierOf: MultiplierOf, accountIds?: readonly AccountId[]): FollowerStats[] {
    const r = rangeSql(range, 'created_at');
    const counts = statement(this.db, COUNTS_SQL(r.sql)).all(...r.params) as CountRow[];
    const byId = new Map(counts.map((c) => [c.follower, c]));
    const reasons = new Map<string, FailureReason[]>();
    for (const row of statement(this.db, REASONS_SQL(r.sql)).all(...r.params) as (FailureReason & { follower: string })[]) {
      const list = reasons.get(row.follower) ?? [];
      reasons.set(row.follower, list);
      if (list.length < MAX_REASONS) list.push({ reason: row.reason, count: row.count, lastAt: row.lastAt });
    }
    const slips = this.slippage(r);
    const ids = accountIds ?? [...byId.keys()].sort().map((id) => id as AccountId);
    return ids.map((id) => this.one(id, byId.get(id), reasons.get(id) ?? [], slips.get(id), range, multiplierOf));
  }

  /** The symbols the account has copier fills in (to resolve their multipliers before followers()). */
  fillSymbols(id: AccountId): string[] {
    return this.replay(id).symbols();
  }

  private replay(id: AccountId): PnlReplay {
    let replay = this.replays.get(id);
    if (!replay) this.replays.set(id, (replay = new PnlReplay(id)));
    replay.catchUp(this.db);
    return replay;
  }

  private one(
    id: AccountId, c: CountRow | undefined, failureReasons: FailureReason[], slip: { weighted: Decimal; qty: Decimal; n: number } | undefined,
    r: StatsRange, multiplierOf: MultiplierOf,
  ): FollowerStats {
    const pnl = this.replay(id).summary(r.from, r.to);
    let realized = Decimal.ZERO;
    for (const [symbol, points] of pnl.bySymbol) realized = realized.add(points.mul(multiplierOf(id, symbol)));
    const stats: { -readonly [K in keyof FollowerStats]: FollowerStats[K] } = {
      accountId: id,
      copies: c?.copies ?? 0,
      dryRuns: c?.dry_runs ?? 0,
      filled: c?.filled ?? 0,
      failures: c?.failures ?? 0,
      unknown: c?.unknown ?? 0,
      failureReasons,
      realizedPnl: realized,
      trades: pnl.trades,
      wins: pnl.wins,
      latencySamples: c?.latency_n ?? 0,
      slippageSamples: slip?.n ?? 0,
    };
    if (pnl.trades > 0) stats.winRate = pnl.wins / pnl.trades;
    if (c?.send_ms != null) stats.avgSendMs = c.send_ms;
    if (c?.ack_ms != null) stats.avgAckMs = c.ack_ms;
    if (slip && !slip.qty.isZero()) stats.avgSlippage = slip.weighted.div(slip.qty);
    return stats;
  }

  /** Per follower: slippage x filled qty summed (buys paying more and sells receiving less both positive), and the qty. */
  private slippage(r: { sql: string; params: number[] }): Map<string, { weighted: Decimal; qty: Decimal; n: number }> {
    const out = new Map<string, { weighted: Decimal; qty: Decimal; n: number }>();
    for (const row of statement(this.db, SLIP_SQL(r.sql)).all(...r.params) as SlipRow[]) {
      const acc = out.get(row.follower) ?? { weighted: Decimal.ZERO, qty: Decimal.ZERO, n: 0 };
      out.set(row.follower, acc);
      const q = Decimal.from(row.filled_qty).abs();
      const diff = Decimal.from(row.avg_fill_price).sub(row.leader_price);
      acc.weighted = acc.weighted.add((row.side === 'buy' ? diff : diff.neg()).mul(q));
      acc.qty = acc.qty.add(q);
      acc.n++;
    }
    return out;
  }
}
