// Copy queries for the dashboard and the app: paged copies with latency and slippage, one copy in detail,
// headline counts with latency percentiles, and CSV export.
import type BetterSqlite3 from 'better-sqlite3';
import type { Decimal } from '../domain/decimal.js';
import type { AccountId, IntentId, LinkId } from '../domain/ids.js';
import type { OrderPurpose } from '../domain/order.js';
import type { OrderStatus } from '../domain/order-fsm.js';
import type { CopyIntent, FollowerFill } from '../ports/journal.js';
import { csvRow } from './csv.js';
import type { ExecutionRepo, StoredExecution } from './executions.js';
import { type IntentEvent, type IntentRepo, type IntentRow, LIVE_STATUS, OPEN_STATUSES, rowToIntent } from './intents.js';
import { type Page, type PageRequest, pageRows, Where } from './paging.js';
import { statement } from './statements.js';

export interface CopyFilter {
  readonly followerAccountId?: AccountId;
  readonly linkId?: LinkId;
  readonly symbol?: string;
  readonly status?: OrderStatus | readonly OrderStatus[];
  readonly purpose?: OrderPurpose;
  /** createdAt range, ms since epoch: from inclusive, to exclusive. */
  readonly from?: number;
  readonly to?: number;
}

export interface CopyRow extends CopyIntent {
  /** Broker ack minus leader event received, ms. */
  readonly latencyMs?: number;
  /** Follower fill minus leader event received, ms. */
  readonly fillLatencyMs?: number;
  /** Follower average fill price against the leader price, in price units; positive is worse for the follower. */
  readonly slippage?: Decimal;
}

export interface CopyDetail {
  readonly copy: CopyRow;
  readonly execution?: StoredExecution;
  readonly events: IntentEvent[];
  readonly fills: FollowerFill[];
}

export interface CopyCounts {
  readonly copies: number;
  readonly open: number;
  readonly rejects: number;
  readonly unknown: number;
  readonly today: number;
  readonly latency: LatencyStats;
}

export interface LatencyStats {
  /** Acknowledged copies the figures are computed over (the most recent ones, up to the window). */
  readonly samples: number;
  readonly avgMs?: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
}

/** Signed slippage: buys pay more than the leader, sells receive less, both positive. */
export function slippageOf(c: Pick<CopyIntent, 'side' | 'avgFillPrice' | 'leaderPrice'>): Decimal | undefined {
  if (c.avgFillPrice === undefined || c.leaderPrice === undefined) return undefined;
  return c.side === 'buy' ? c.avgFillPrice.sub(c.leaderPrice) : c.leaderPrice.sub(c.avgFillPrice);
}

export function toCopyRow(intent: CopyIntent): CopyRow {
  const row: { -readonly [K in keyof CopyRow]: CopyRow[K] } = { ...intent };
  if (intent.ackAt !== undefined) row.latencyMs = intent.ackAt - intent.leaderReceivedAt;
  if (intent.filledAt !== undefined) row.fillLatencyMs = intent.filledAt - intent.leaderReceivedAt;
  const slippage = slippageOf(intent);
  if (slippage !== undefined) row.slippage = slippage;
  return row;
}

function copyWhere(f: CopyFilter): Where {
  const where = new Where();
  if (f.followerAccountId !== undefined) where.add('follower_account_id = ?', f.followerAccountId);
  if (f.linkId !== undefined) where.add('link_id = ?', f.linkId);
  if (f.symbol !== undefined) where.add('symbol = ?', f.symbol);
  if (f.purpose !== undefined) where.add('purpose = ?', f.purpose);
  if (f.from !== undefined) where.add('created_at >= ?', f.from);
  if (f.to !== undefined) where.add('created_at < ?', f.to);
  const statuses = typeof f.status === 'string' ? [f.status] : (f.status ?? []);
  if (statuses.length > 0) where.add(`status IN (${statuses.map(() => '?').join(', ')})`, ...statuses);
  if (statuses.length > 0 && !statuses.includes('dry_run')) where.add(LIVE_STATUS);
  return where;
}

/** Nearest-rank percentile of an ascending list. */
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;

const CSV_HEADER = [
  'created_at', 'intent_id', 'link_id', 'follower_account_id', 'symbol', 'leader_symbol', 'side', 'qty', 'order_type',
  'purpose', 'status', 'filled_qty', 'avg_fill_price', 'leader_price', 'slippage', 'latency_ms', 'fill_latency_ms',
  'client_order_id', 'broker_order_id', 'source_id', 'attempt', 'dry_run', 'error',
];
const CSV_CHUNK = 2000;

export class CopyQueries {
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly intents: IntentRepo,
    private readonly executions: ExecutionRepo,
  ) {}

  list(filter: CopyFilter = {}, page: PageRequest = {}): Page<CopyRow> {
    const res = pageRows<IntentRow & Record<string, unknown>>(
      this.db,
      { columns: '*', table: 'intents', key: 'seq', where: copyWhere(filter) },
      page,
    );
    return { ...res, items: res.items.map((r) => toCopyRow(rowToIntent(r))) };
  }

  get(id: IntentId): CopyDetail | undefined {
    const intent = this.intents.byId(id);
    if (!intent) return undefined;
    const execution = intent.executionId === undefined ? undefined : this.executions.byId(intent.executionId);
    const detail = { copy: toCopyRow(intent), events: this.intents.events(id), fills: this.intents.fills(id) };
    return execution ? { ...detail, execution } : detail;
  }

  counts(dayStart: number, latencyWindow: number): CopyCounts {
    // Live statuses through the partial index; dry runs are the rest of the table (count(*) reads the smallest index).
    const sql = `SELECT status, count(*) AS n FROM intents WHERE ${LIVE_STATUS} GROUP BY status`;
    const byStatus = statement(this.db, sql).all() as { status: OrderStatus; n: number }[];
    const all = statement(this.db, 'SELECT count(*) FROM intents').pluck().get() as number;
    const n = (pred: (s: OrderStatus) => boolean) => byStatus.filter((r) => pred(r.status)).reduce((a, r) => a + r.n, 0);
    const today = statement(this.db, 'SELECT count(*) AS n FROM intents WHERE created_at >= ?').get(dayStart) as { n: number };
    return {
      copies: all,
      open: n((s) => OPEN_STATUSES.includes(s)),
      rejects: n((s) => s === 'rejected'),
      unknown: n((s) => s === 'unknown'),
      today: today.n,
      latency: this.latency(latencyWindow),
    };
  }

  private latency(window: number): LatencyStats {
    const sql = `SELECT ack_at - leader_received_at AS ms FROM intents WHERE ack_at IS NOT NULL ORDER BY seq DESC LIMIT ?`;
    const values = (statement(this.db, sql).pluck().all(window) as number[]).sort((a, b) => a - b);
    if (values.length === 0) return { samples: 0 };
    return {
      samples: values.length,
      avgMs: values.reduce((a, v) => a + v, 0) / values.length,
      p50Ms: percentile(values, 0.5),
      p99Ms: percentile(values, 0.99),
    };
  }

  /** Every matching copy, newest first, as RFC 4180 CSV with a header row. */
  csv(filter: CopyFilter = {}): string {
    const where = copyWhere(filter);
    const sql = `SELECT * FROM intents ${where.sql('seq < ?')} ORDER BY seq DESC LIMIT ${CSV_CHUNK}`;
    const chunk = statement(this.db, sql);
    const out = [csvRow(CSV_HEADER)];
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = chunk.all(...where.params, before) as IntentRow[];
      for (const r of rows) out.push(csvRow(csvValues(toCopyRow(rowToIntent(r)))));
      if (rows.length < CSV_CHUNK) break;
      before = rows[rows.length - 1]!.seq;
    }
    return out.join('');
  }
}

/** ISO time for a ms timestamp; a value outside the Date range is written as the raw number. */
const isoTime = (ms: number): string => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

function csvValues(c: CopyRow): (string | number | undefined)[] {
  return [
    isoTime(c.createdAt), c.id, c.linkId, c.followerAccountId, c.symbol, c.leaderSymbol, c.side,
    c.qty.toString(), c.orderType, c.purpose, c.status, c.filledQty.toString(), c.avgFillPrice?.toString(),
    c.leaderPrice?.toString(), c.slippage?.toString(), c.latencyMs, c.fillLatencyMs, c.clientOrderId, c.brokerOrderId,
    c.sourceId, c.attempt, c.dryRun ? 'true' : 'false', c.error,
  ];
}
