-- 005: day P&L history, one row per account and trading day, upserted from the broker's account snapshots; an index
-- on fills by account for the per-follower statistics.
CREATE TABLE day_pnl (
  account_id TEXT NOT NULL,
  trading_day TEXT NOT NULL,
  day_start INTEGER NOT NULL,
  day_end INTEGER NOT NULL,
  day_pnl TEXT NOT NULL,
  equity TEXT NOT NULL,
  start_equity TEXT,
  currency TEXT NOT NULL,
  first_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, trading_day)
);

-- Per-follower statistics replay the fills of an account journaled since their last read (realized P&L by average cost).
CREATE INDEX fills_account ON fills (account_id, seq);
