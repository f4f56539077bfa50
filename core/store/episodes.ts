// Episodes aggregate: one row per leader account and symbol with the episode facts sizing needs (parts as JSON).
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId } from '../domain/ids.js';
import type { EpisodePartRecord, EpisodeRecord } from '../ports/journal.js';
import { compact, decText, optDec } from './codec.js';
import { StoreError } from './errors.js';
import { statement } from './statements.js';

interface EpisodeRow {
  leader_account_id: string;
  leader_symbol: string;
  episode: number;
  qty: string;
  peak: string;
  entry_price: string | null;
  last_price: string | null;
  parts: string;
}

type PartJson = { e: string; p: string; x?: string };

const UPSERT = `INSERT INTO episodes (leader_account_id, leader_symbol, episode, qty, peak, entry_price, last_price, parts)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (leader_account_id, leader_symbol) DO UPDATE SET episode = excluded.episode, qty = excluded.qty,
  peak = excluded.peak, entry_price = excluded.entry_price, last_price = excluded.last_price, parts = excluded.parts`;

function partsJson(parts: Readonly<Record<string, EpisodePartRecord>>): string {
  const out: Record<string, PartJson> = {};
  for (const [id, p] of Object.entries(parts)) out[id] = { e: p.eligible.toString(), p: p.peak.toString(), ...(p.exited ? { x: p.exited } : {}) };
  return JSON.stringify(out);
}

function partsOf(row: EpisodeRow): Record<string, EpisodePartRecord> {
  let json: Record<string, PartJson>;
  try {
    json = JSON.parse(row.parts) as Record<string, PartJson>;
  } catch (err) {
    throw new StoreError('corrupt', `episode ${row.leader_account_id} ${row.leader_symbol} has unreadable parts`, { cause: err });
  }
  const out: Record<string, EpisodePartRecord> = {};
  for (const [id, p] of Object.entries(json)) {
    out[id] = { eligible: Decimal.from(p.e), peak: Decimal.from(p.p), ...(p.x ? { exited: p.x } : {}) };
  }
  return out;
}

export class EpisodeRepo {
  constructor(private readonly db: BetterSqlite3.Database) {}

  save(e: EpisodeRecord): void {
    statement(this.db, UPSERT).run(
      e.leaderAccountId, e.leaderSymbol, e.episode, e.qty.toString(), e.peak.toString(), decText(e.entryPrice), decText(e.lastPrice), partsJson(e.parts),
    );
  }

  all(): EpisodeRecord[] {
    const rows = statement(this.db, 'SELECT * FROM episodes ORDER BY leader_account_id, leader_symbol').all() as EpisodeRow[];
    return rows.map((r) =>
      compact<EpisodeRecord>({
        leaderAccountId: r.leader_account_id as AccountId,
        leaderSymbol: r.leader_symbol,
        episode: r.episode,
        qty: Decimal.from(r.qty),
        peak: Decimal.from(r.peak),
        entryPrice: optDec(r.entry_price),
        lastPrice: optDec(r.last_price),
        parts: partsOf(r),
      }),
    );
  }
}
