// Waits aggregate: copies and repairs held for the follower's market open, one per link and follower symbol.
import type BetterSqlite3 from 'better-sqlite3';
import type { ExecutionId, LinkId } from '../domain/ids.js';
import type { WaitRecord } from '../ports/journal.js';
import { compact, optStr } from './codec.js';
import { statement } from './statements.js';

interface WaitRow {
  link_id: string;
  symbol: string;
  leader_symbol: string;
  purpose: string;
  source_id: string;
  execution_id: string | null;
  order_tag: string | null;
  due: number;
}

const UPSERT = `INSERT INTO waits (link_id, symbol, leader_symbol, purpose, source_id, execution_id, order_tag, due)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (link_id, symbol) DO UPDATE SET leader_symbol = excluded.leader_symbol, purpose = excluded.purpose,
  source_id = excluded.source_id, execution_id = excluded.execution_id, order_tag = excluded.order_tag, due = excluded.due`;

export class WaitRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  save(w: WaitRecord): void {
    statement(this.db, UPSERT).run(w.linkId, w.symbol, w.leaderSymbol, w.purpose, w.sourceId, w.executionId ?? null, w.orderTag ?? null, w.due);
  }

  delete(linkId: LinkId, symbol: string): void {
    statement(this.db, 'DELETE FROM waits WHERE link_id = ? AND symbol = ?').run(linkId, symbol);
  }

  all(): WaitRecord[] {
    const rows = statement(this.db, 'SELECT * FROM waits ORDER BY due, link_id, symbol').all() as WaitRow[];
    return rows.map((r) =>
      compact<WaitRecord>({
        linkId: r.link_id as LinkId,
        symbol: r.symbol,
        leaderSymbol: r.leader_symbol,
        purpose: r.purpose === 'repair' ? 'repair' : 'copy',
        sourceId: r.source_id,
        executionId: optStr<ExecutionId>(r.execution_id),
        orderTag: optStr(r.order_tag),
        due: r.due,
      }),
    );
  }
}
