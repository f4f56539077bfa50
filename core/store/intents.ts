// Intents aggregate: copy intents, their write-behind patches, raw broker events and follower fills.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId, BrokerOrderId, ClientOrderId, ExecutionId, IntentId, LinkId } from '../domain/ids.js';
import type { OrderPurpose, OrderType } from '../domain/order.js';
import { isTerminal, ORDER_STATUSES, type OrderStatus } from '../domain/order-fsm.js';
import type { Side } from '../domain/side.js';
import type { CopyIntent, FollowerFill, IntentPatch } from '../ports/journal.js';
import { compact, decText, fromJson, optDec, optNum, optStr } from './codec.js';
import { statement } from './statements.js';

export interface IntentRow {
  seq: number;
  id: string;
  link_id: string;
  leader_account_id: string;
  follower_account_id: string;
  source_id: string;
  execution_id: string | null;
  attempt: number;
  client_order_id: string;
  leader_symbol: string;
  symbol: string;
  side: string;
  qty: string;
  order_type: string;
  limit_price: string | null;
  purpose: string;
  dry_run: number;
  target: string;
  leader_price: string | null;
  status: string;
  broker_order_id: string | null;
  filled_qty: string;
  avg_fill_price: string | null;
  error: string | null;
  leader_received_at: number;
  created_at: number;
  sent_at: number | null;
  ack_at: number | null;
  filled_at: number | null;
  plan_latency_ms: number | null;
}

/** One journaled broker message or status change of an intent (the dashboard's detail drawer). */
export interface IntentEvent {
  readonly seq: number;
  readonly intentId: IntentId;
  readonly time: number;
  readonly status?: OrderStatus;
  readonly error?: string;
  readonly raw?: unknown;
}

export const OPEN_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => !isTerminal(s));
const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
/** The partial status index (migration 003) holds every status but 'dry_run'; a status filter adds this term to use it. */
export const LIVE_STATUS = "status <> 'dry_run'";
/** Non-terminal intents in journal order, through the live-status index. */
export const OPEN_INTENTS_SQL = `SELECT * FROM intents WHERE status IN (${OPEN_SQL}) AND ${LIVE_STATUS} ORDER BY seq`;

const COLUMNS = [
  'id', 'link_id', 'leader_account_id', 'follower_account_id', 'source_id', 'execution_id', 'attempt',
  'client_order_id', 'leader_symbol', 'symbol', 'side', 'qty', 'order_type', 'limit_price', 'purpose', 'dry_run',
  'target', 'leader_price', 'status', 'broker_order_id', 'filled_qty', 'avg_fill_price', 'error',
  'leader_received_at', 'created_at', 'sent_at', 'ack_at', 'filled_at', 'plan_latency_ms',
] as const;
/** Most rows per multi-row INSERT: one statement for all the followers of an execution (one native call). */
const ROWS_PER_INSERT = 16;
/** Most INSERT shapes (row count x column modes) kept prepared; past it the cache starts over. */
const MAX_INSERT_SHAPES = 256;
const PATCHED = [
  'status', 'broker_order_id', 'filled_qty', 'avg_fill_price', 'error', 'sent_at', 'ack_at', 'filled_at', 'plan_latency_ms',
] as const;

type SqlValue = string | number | null;

/** The column values of one intent, in COLUMNS order. */
function rowValues(i: CopyIntent): SqlValue[] {
  return [
    i.id, i.linkId, i.leaderAccountId, i.followerAccountId, i.sourceId, i.executionId ?? null, i.attempt,
    i.clientOrderId, i.leaderSymbol, i.symbol, i.side, i.qty.toString(), i.orderType, decText(i.limitPrice), i.purpose,
    i.dryRun ? 1 : 0, i.target.toString(), decText(i.leaderPrice), i.status, i.brokerOrderId ?? null,
    i.filledQty.toString(), decText(i.avgFillPrice), i.error ?? null, i.leaderReceivedAt, i.createdAt,
    i.sentAt ?? null, i.ackAt ?? null, i.filledAt ?? null, i.planLatencyMs ?? null,
  ];
}

/**
 * How each column is written by one multi-row INSERT, one letter per column: 'n' NULL in every row (a literal, nothing
 * bound), 's' one value shared by every row (bound once), 'r' a value per row. Binding is most of the insert's cost
 * (better-sqlite3 spends ~0.3-0.5 us per parameter, the b-tree writes far less), and most of an execution's intents
 * share everything but their follower, link, ids and sizes, so this binds ~6 values per intent instead of 29.
 */
function columnModes(rows: readonly SqlValue[][]): string {
  let modes = '';
  for (let c = 0; c < COLUMNS.length; c++) {
    const first = rows[0]![c];
    let same = true;
    for (let r = 1; same && r < rows.length; r++) same = rows[r]![c] === first;
    modes += !same ? 'r' : first === null ? 'n' : 's';
  }
  return modes;
}

/** INSERT ... SELECT over a VALUES list (SQLite scans it in order: seq follows the array); shared values bound once. */
function insertSql(rows: number, modes: string): string {
  const select: string[] = [];
  let perRow = 0;
  for (let c = 0; c < COLUMNS.length; c++) {
    const mode = modes[c];
    select.push(mode === 'n' ? 'NULL' : mode === 's' ? '?' : `column${++perRow}`);
  }
  const row = perRow === 0 ? '(NULL)' : `(${Array<string>(perRow).fill('?').join(', ')})`;
  return `INSERT INTO intents (${COLUMNS.join(', ')}) SELECT ${select.join(', ')} FROM (VALUES ${Array<string>(rows).fill(row).join(', ')})`;
}

/** UPDATE of the patched columns present in mask (bit k: PATCHED[k]), by intent id. */
function updateSql(mask: number): string {
  const set = PATCHED.filter((_, k) => mask & (1 << k)).map((c) => `${c} = ?`);
  return `UPDATE intents SET ${set.join(', ')} WHERE id = ?`;
}

/** The patch's values in PATCHED order (undefined: the column keeps its value). */
function patchValues(p: IntentPatch): (SqlValue | undefined)[] {
  return [
    p.status, p.brokerOrderId, p.filledQty?.toString(), p.avgFillPrice?.toString(), p.error, p.sentAt, p.ackAt, p.filledAt,
    p.planLatencyMs,
  ];
}

export function rowToIntent(r: IntentRow): CopyIntent {
  return compact<CopyIntent>({
    id: r.id as IntentId,
    linkId: r.link_id as LinkId,
    leaderAccountId: r.leader_account_id as AccountId,
    followerAccountId: r.follower_account_id as AccountId,
    sourceId: r.source_id,
    executionId: optStr<ExecutionId>(r.execution_id),
    attempt: r.attempt,
    clientOrderId: r.client_order_id as ClientOrderId,
    leaderSymbol: r.leader_symbol,
    symbol: r.symbol,
    side: r.side as Side,
    qty: Decimal.from(r.qty),
    orderType: r.order_type as OrderType,
    limitPrice: optDec(r.limit_price),
    purpose: r.purpose as OrderPurpose,
    dryRun: r.dry_run === 1,
    target: Decimal.from(r.target),
    leaderPrice: optDec(r.leader_price),
    status: r.status as OrderStatus,
    brokerOrderId: optStr<BrokerOrderId>(r.broker_order_id),
    filledQty: Decimal.from(r.filled_qty),
    avgFillPrice: optDec(r.avg_fill_price),
    error: optStr(r.error),
    leaderReceivedAt: r.leader_received_at,
    createdAt: r.created_at,
    sentAt: optNum(r.sent_at),
    ackAt: optNum(r.ack_at),
    filledAt: optNum(r.filled_at),
    planLatencyMs: optNum(r.plan_latency_ms),
  });
}

interface EventRow {
  seq: number;
  intent_id: string;
  time: number;
  status: string | null;
  error: string | null;
  raw: string | null;
}

interface FillRow {
  intent_id: string;
  account_id: string;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  time: number;
}

export class IntentRepo {
  /** Multi-row INSERTs by row count and column modes, prepared on first use. */
  private readonly insertStmts = new Map<string, BetterSqlite3.Statement>();
  /** UPDATEs by the mask of patched columns, prepared on first use. */
  private readonly updateStmts: BetterSqlite3.Statement[] = [];
  private readonly existsStmt: BetterSqlite3.Statement;
  private readonly eventStmt: BetterSqlite3.Statement;
  private readonly fillStmt: BetterSqlite3.Statement;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.existsStmt = statement(db, 'SELECT 1 FROM intents WHERE id = ?').pluck();
    this.eventStmt = statement(db, 'INSERT INTO intent_events (intent_id, time, status, error, raw) VALUES (?, ?, ?, ?, ?)');
    this.fillStmt = statement(
      db,
      'INSERT INTO fills (intent_id, account_id, symbol, side, qty, price, time) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Inserts the intents in order, up to ROWS_PER_INSERT rows per statement. */
  insert(intents: readonly CopyIntent[]): void {
    for (let at = 0; at < intents.length; at += ROWS_PER_INSERT) {
      const rows = intents.slice(at, at + ROWS_PER_INSERT).map(rowValues);
      const modes = columnModes(rows);
      const params: SqlValue[] = [];
      for (let c = 0; c < COLUMNS.length; c++) if (modes[c] === 's') params.push(rows[0]![c]!);
      for (const row of rows) for (let c = 0; c < COLUMNS.length; c++) if (modes[c] === 'r') params.push(row[c]!);
      this.insertStatement(rows.length, modes).run(params);
    }
  }

  private insertStatement(rows: number, modes: string): BetterSqlite3.Statement {
    const key = `${rows}${modes}`;
    let stmt = this.insertStmts.get(key);
    if (!stmt) {
      if (this.insertStmts.size >= MAX_INSERT_SHAPES) this.insertStmts.clear();
      stmt = this.db.prepare(insertSql(rows, modes));
      this.insertStmts.set(key, stmt);
    }
    return stmt;
  }

  exists(id: IntentId): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  /** Applies the fields present in patch; returns whether the intent exists. */
  patch(id: IntentId, patch: IntentPatch): boolean {
    const values = patchValues(patch);
    const params: SqlValue[] = [];
    let mask = 0;
    values.forEach((v, k) => {
      if (v === undefined || v === null) return;
      mask |= 1 << k;
      params.push(v);
    });
    if (mask === 0) return this.exists(id);
    params.push(id);
    return (this.updateStmts[mask] ??= this.db.prepare(updateSql(mask))).run(params).changes > 0;
  }

  appendEvent(id: IntentId, time: number, status: OrderStatus | undefined, error: string | undefined, raw: string | null): void {
    this.eventStmt.run(id, time, status ?? null, error ?? null, raw);
  }

  insertFill(f: FollowerFill): void {
    this.fillStmt.run(f.intentId, f.accountId, f.symbol, f.side, f.qty.toString(), f.price.toString(), f.time);
  }

  open(): CopyIntent[] {
    const rows = statement(this.db, OPEN_INTENTS_SQL).all() as IntentRow[];
    return rows.map(rowToIntent);
  }

  lastAttempt(follower: AccountId, sourceId: string): number {
    const sql = 'SELECT max(attempt) AS a FROM intents WHERE follower_account_id = ? AND source_id = ?';
    const row = statement(this.db, sql).get(follower, sourceId) as { a: number | null };
    return row.a ?? -1;
  }

  byId(id: IntentId): CopyIntent | undefined {
    const row = statement(this.db, 'SELECT * FROM intents WHERE id = ?').get(id) as IntentRow | undefined;
    return row && rowToIntent(row);
  }

  events(id: IntentId): IntentEvent[] {
    const sql = 'SELECT * FROM intent_events WHERE intent_id = ? ORDER BY seq';
    return (statement(this.db, sql).all(id) as EventRow[]).map((r) =>
      compact<IntentEvent>({
        seq: r.seq,
        intentId: r.intent_id as IntentId,
        time: r.time,
        status: optStr<OrderStatus>(r.status),
        error: optStr(r.error),
        raw: fromJson(r.raw),
      }),
    );
  }

  fills(id: IntentId): FollowerFill[] {
    const sql = 'SELECT intent_id, account_id, symbol, side, qty, price, time FROM fills WHERE intent_id = ? ORDER BY seq';
    return (statement(this.db, sql).all(id) as FillRow[]).map((r) => ({
      intentId: r.intent_id as IntentId,
      accountId: r.account_id as AccountId,
      symbol: r.symbol,
      side: r.side as Side,
      qty: Decimal.from(r.qty),
      price: Decimal.from(r.price),
      time: r.time,
    }));
  }
}
