// Link holds aggregate: new links' start choices (until they arm), the follower symbols left alone by a 'new_only'
// start or resume (until the leader trades them) and the leader moves a link missed while not armed (planned when it
// arms), so a restart keeps what the person chose and copies what it would have copied.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { ExecutionId, LinkId } from '../domain/ids.js';
import type { LeftAloneRecord, LinkStartRecord, UnplannedRecord } from '../ports/journal.js';
import { compact, fromJson, optStr, toJson } from './codec.js';
import { statement } from './statements.js';

interface StartRow {
  link_id: string;
  start: string;
  orders: string | null;
}

type ConfirmedOrders = NonNullable<LinkStartRecord['orders']>;

/** The stored confirmed orders; an unreadable column confirms nothing (the start then sends nothing unseen). */
function confirmedOrders(value: unknown): ConfirmedOrders {
  if (!Array.isArray(value)) return [];
  const ok = value.every(
    (o: unknown) =>
      typeof o === 'object' && o !== null && typeof (o as { symbol?: unknown }).symbol === 'string' &&
      ((o as { side?: unknown }).side === 'buy' || (o as { side?: unknown }).side === 'sell') && typeof (o as { qty?: unknown }).qty === 'string',
  );
  return ok ? (value as ConfirmedOrders) : [];
}

interface UnplannedRow {
  link_id: string;
  leader_symbol: string;
  execution_id: string;
  price: string;
  order_tag: string | null;
}

const UPSERT_UNPLANNED = `INSERT INTO unplanned (link_id, leader_symbol, execution_id, price, order_tag) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (link_id, leader_symbol) DO UPDATE SET execution_id = excluded.execution_id, price = excluded.price,
  order_tag = excluded.order_tag`;

const UPSERT_START = `INSERT INTO link_starts (link_id, start, orders) VALUES (?, ?, ?)
  ON CONFLICT (link_id) DO UPDATE SET start = excluded.start, orders = excluded.orders`;

export class LinkHoldRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  saveStart(s: LinkStartRecord): void {
    statement(this.db, UPSERT_START).run(s.linkId, s.start, s.orders ? toJson(s.orders) : null);
  }

  deleteStart(linkId: LinkId): void {
    statement(this.db, 'DELETE FROM link_starts WHERE link_id = ?').run(linkId);
  }

  starts(): LinkStartRecord[] {
    const rows = statement(this.db, 'SELECT * FROM link_starts ORDER BY link_id').all() as StartRow[];
    return rows.map((r) => {
      const orders = r.orders === null ? undefined : confirmedOrders(fromJson(r.orders));
      return { linkId: r.link_id as LinkId, start: r.start === 'align' ? 'align' : 'new_only', ...(orders ? { orders } : {}) };
    });
  }

  leaveAlone(r: LeftAloneRecord): void {
    statement(this.db, 'INSERT OR IGNORE INTO left_alone (link_id, symbol) VALUES (?, ?)').run(r.linkId, r.symbol);
  }

  release(r: LeftAloneRecord): void {
    statement(this.db, 'DELETE FROM left_alone WHERE link_id = ? AND symbol = ?').run(r.linkId, r.symbol);
  }

  leftAlone(): LeftAloneRecord[] {
    const rows = statement(this.db, 'SELECT link_id, symbol FROM left_alone ORDER BY link_id, symbol').all() as { link_id: string; symbol: string }[];
    return rows.map((r) => ({ linkId: r.link_id as LinkId, symbol: r.symbol }));
  }

  saveUnplanned(u: UnplannedRecord): void {
    statement(this.db, UPSERT_UNPLANNED).run(u.linkId, u.leaderSymbol, u.executionId, u.price.toString(), u.orderTag ?? null);
  }

  deleteUnplanned(linkId: LinkId, leaderSymbol: string): void {
    statement(this.db, 'DELETE FROM unplanned WHERE link_id = ? AND leader_symbol = ?').run(linkId, leaderSymbol);
  }

  unplanned(): UnplannedRecord[] {
    const rows = statement(this.db, 'SELECT * FROM unplanned ORDER BY link_id, leader_symbol').all() as UnplannedRow[];
    return rows.map((r) =>
      compact<UnplannedRecord>({
        linkId: r.link_id as LinkId,
        leaderSymbol: r.leader_symbol,
        executionId: r.execution_id as ExecutionId,
        price: Decimal.from(r.price),
        orderTag: optStr(r.order_tag),
      }),
    );
  }
}
