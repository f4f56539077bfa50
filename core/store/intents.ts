// Intents aggregate: copy intents, their write-behind patches, raw broker events and follower fills.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId, BrokerOrderId, ClientOrderId, ExecutionId, IntentId, LinkId } from '../domain/ids.js';
import type { OrderPurpose, OrderType } from '../domain/order.js';
import { isTerminal, ORDER_STATUSES, type OrderStatus } from '../domain/order-fsm.js';
import type { Side } from '../domain/side.js';
import type { CopyIntent, FollowerFill, IntentPatch } from '../ports/journal.js';
import { compact, fromJson, optDec, optNum, optStr } from './codec.js';
import { EVENT_COLUMNS, type EventRecord, FILL_COLUMNS, INTENT_COLUMNS } from './intent-insert.js';
import { ShapedInsert } from './shaped-insert.js';
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

const PATCHED = [
  'status', 'broker_order_id', 'filled_qty', 'avg_fill_price', 'error', 'sent_at', 'ack_at', 'filled_at', 'plan_latency_ms',
] as const;

type SqlValue = string | number | null;

/** UPDATE of the patched columns present in mask (bit k: PATCHED[k]) of the row where `where` holds. */
function updateSql(mask: number, where: string): string {
  const set = PATCHED.filter((_, k) => mask & (1 << k)).map((c) => `${c} = ?`);
  return `UPDATE intents SET ${set.join(', ')} WHERE ${where}`;
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
  private readonly inserts: ShapedInsert<CopyIntent>;
  private readonly eventInserts: ShapedInsert<EventRecord>;
  private readonly fillInserts: ShapedInsert<FollowerFill>;
  /** UPDATEs by the mask of patched columns, prepared on first use: finding the row by id, and by seq and id. */
  private readonly updateById: BetterSqlite3.Statement[] = [];
  private readonly updateBySeq: BetterSqlite3.Statement[] = [];
  private readonly existsStmt: BetterSqlite3.Statement;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.inserts = new ShapedInsert(db, 'intents', INTENT_COLUMNS);
    this.eventInserts = new ShapedInsert(db, 'intent_events', EVENT_COLUMNS);
    this.fillInserts = new ShapedInsert(db, 'fills', FILL_COLUMNS);
    this.existsStmt = statement(db, 'SELECT 1 FROM intents WHERE id = ?').pluck();
  }

  /** Inserts the intents in order; returns the seq of the first (the others follow it one by one). */
  insert(intents: readonly CopyIntent[]): number {
    return this.inserts.run(intents);
  }

  exists(id: IntentId): boolean {
    return this.existsStmt.get(id) !== undefined;
  }

  /**
   * Applies the fields present in patch; returns whether the intent exists. With the intent's seq the row is found by
   * rowid (a b-tree search less than by id); the id is still checked, and a seq that does not match falls back to it.
   */
  patch(id: IntentId, patch: IntentPatch, seq?: number): boolean {
    const values = patchValues(patch);
    const params: SqlValue[] = [];
    let mask = 0;
    values.forEach((v, k) => {
      if (v === undefined || v === null) return;
      mask |= 1 << k;
      params.push(v);
    });
    if (mask === 0) return this.exists(id);
    if (seq !== undefined) {
      const bySeq = (this.updateBySeq[mask] ??= this.db.prepare(updateSql(mask, 'seq = ? AND id = ?')));
      if (bySeq.run(...params, seq, id).changes > 0) return true;
    }
    const byId = (this.updateById[mask] ??= this.db.prepare(updateSql(mask, 'id = ?')));
    return byId.run(...params, id).changes > 0;
  }

  /** Appends events in order (their seq follows the array). */
  appendEvents(events: readonly EventRecord[]): void {
    this.eventInserts.run(events);
  }

  /** Appends follower fills in order. */
  insertFills(fills: readonly FollowerFill[]): void {
    this.fillInserts.run(fills);
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

  /** The newest intent of the account whose broker order this is, any status. */
  byBrokerOrder(account: AccountId, brokerOrderId: BrokerOrderId): CopyIntent | undefined {
    const sql = 'SELECT * FROM intents WHERE broker_order_id = ? AND follower_account_id = ? ORDER BY seq DESC LIMIT 1';
    const row = statement(this.db, sql).get(brokerOrderId, account) as IntentRow | undefined;
    return row && rowToIntent(row);
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
