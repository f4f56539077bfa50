// Trading state and circuit-breaker aggregate: the current state per scope plus the history of changes.
import type BetterSqlite3 from 'better-sqlite3';
import type { BreakerState, Scope, TradingState, TradingStateChange } from '../domain/trading-state.js';
import { compact, optNum, optStr } from './codec.js';
import { type Page, type PageRequest, pageRows, Where } from './paging.js';
import { statement } from './statements.js';

interface ChangeRow extends Record<string, unknown> {
  seq: number;
  scope: string;
  state: string;
  reason: string;
  actor: string;
  time: number;
}

const rowToChange = (r: ChangeRow): TradingStateChange => ({
  scope: r.scope as Scope,
  state: r.state as TradingState,
  reason: r.reason,
  actor: r.actor,
  time: r.time,
});

export class StateRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  saveTradingState(c: TradingStateChange): void {
    const history = statement(
      this.db,
      'INSERT INTO trading_state_changes (scope, state, reason, actor, time) VALUES (?, ?, ?, ?, ?)',
    );
    const current = statement(
      this.db,
      `INSERT INTO trading_state (scope, state, reason, actor, time) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET state = excluded.state, reason = excluded.reason, actor = excluded.actor, time = excluded.time`,
    );
    this.db.transaction(() => {
      history.run(c.scope, c.state, c.reason, c.actor, c.time);
      current.run(c.scope, c.state, c.reason, c.actor, c.time);
    })();
  }

  tradingStates(): Map<Scope, TradingState> {
    const rows = statement(this.db, 'SELECT scope, state FROM trading_state').all() as { scope: string; state: string }[];
    return new Map(rows.map((r) => [r.scope as Scope, r.state as TradingState]));
  }

  /** The latest change per scope (who, why, when). */
  currentTradingStates(): TradingStateChange[] {
    const sql = 'SELECT scope, state, reason, actor, time FROM trading_state ORDER BY scope';
    const rows = statement(this.db, sql).all() as ChangeRow[];
    return rows.map(rowToChange);
  }

  history(scope?: Scope, page: PageRequest = {}): Page<TradingStateChange> {
    const where = new Where();
    if (scope !== undefined) where.add('scope = ?', scope);
    const res = pageRows<ChangeRow>(this.db, { columns: '*', table: 'trading_state_changes', key: 'seq', where }, page);
    return { ...res, items: res.items.map(rowToChange) };
  }

  saveBreakerState(b: BreakerState): void {
    const sql = `INSERT INTO breaker_state (scope, tripped, reason, tripped_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (scope) DO UPDATE SET tripped = excluded.tripped, reason = excluded.reason, tripped_at = excluded.tripped_at`;
    statement(this.db, sql).run(b.scope, b.tripped ? 1 : 0, b.reason ?? null, b.trippedAt ?? null);
  }

  breakerStates(): Map<Scope, BreakerState> {
    const sql = 'SELECT scope, tripped, reason, tripped_at FROM breaker_state';
    const rows = statement(this.db, sql).all() as { scope: string; tripped: number; reason: string | null; tripped_at: number | null }[];
    return new Map(
      rows.map((r) => [
        r.scope as Scope,
        compact<BreakerState>({
          scope: r.scope as Scope,
          tripped: r.tripped === 1,
          reason: optStr(r.reason),
          trippedAt: optNum(r.tripped_at),
        }),
      ]),
    );
  }
}
