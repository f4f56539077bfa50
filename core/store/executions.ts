// Executions aggregate: leader fills, deduplicated by the broker's execution id.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId, BrokerOrderId, ExecutionId } from '../domain/ids.js';
import type { Execution } from '../domain/order.js';
import type { Side } from '../domain/side.js';
import { compact, decText, fromJson, optDec, optStr, toJson } from './codec.js';
import { statement } from './statements.js';

/** A leader execution as journaled, with the time we received it. */
export interface StoredExecution extends Execution {
  readonly receivedAt: number;
}

interface ExecutionRow {
  id: string;
  account_id: string;
  symbol: string;
  side: string;
  qty: string;
  price: string;
  time: number;
  received_at: number;
  broker_order_id: string | null;
  order_tag: string | null;
  position_after: string | null;
  raw: string | null;
}

const INSERT_SQL = `INSERT INTO executions
  (id, account_id, symbol, side, qty, price, time, received_at, broker_order_id, order_tag, position_after, raw)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;

export class ExecutionRepo {
  private readonly insertStmt: BetterSqlite3.Statement;
  private readonly hasStmt: BetterSqlite3.Statement;

  constructor(private readonly db: BetterSqlite3.Database) {
    this.insertStmt = statement(db, INSERT_SQL);
    this.hasStmt = statement(db, 'SELECT 1 FROM executions WHERE id = ?').pluck();
  }

  /** Inserts the execution; false when its id is already journaled. */
  insert(e: Execution, receivedAt: number): boolean {
    const params = [
      e.id, e.accountId, e.symbol, e.side, e.qty.toString(), e.price.toString(), e.time, receivedAt,
      e.brokerOrderId ?? null, e.orderTag ?? null, decText(e.positionAfter), toJson(e.raw),
    ];
    return this.insertStmt.run(...params).changes > 0;
  }

  has(id: ExecutionId): boolean {
    return this.hasStmt.get(id) !== undefined;
  }

  byId(id: ExecutionId): StoredExecution | undefined {
    const r = statement(this.db, 'SELECT * FROM executions WHERE id = ?').get(id) as ExecutionRow | undefined;
    if (!r) return undefined;
    return compact<StoredExecution>({
      id: r.id as ExecutionId,
      accountId: r.account_id as AccountId,
      symbol: r.symbol,
      side: r.side as Side,
      qty: Decimal.from(r.qty),
      price: Decimal.from(r.price),
      time: r.time,
      receivedAt: r.received_at,
      brokerOrderId: optStr<BrokerOrderId>(r.broker_order_id),
      orderTag: optStr(r.order_tag),
      positionAfter: optDec(r.position_after),
      raw: fromJson(r.raw),
    });
  }
}
