-- 002: leader episodes (peak, entry price, per-link eligible part and follower-side exits) and outside-hours waits,
-- so sizing and held copies survive a restart.
CREATE TABLE episodes (
  leader_account_id TEXT NOT NULL,
  leader_symbol TEXT NOT NULL,
  episode INTEGER NOT NULL,
  qty TEXT NOT NULL,
  peak TEXT NOT NULL,
  entry_price TEXT,
  last_price TEXT,
  parts TEXT NOT NULL,
  PRIMARY KEY (leader_account_id, leader_symbol)
);

CREATE TABLE waits (
  link_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  leader_symbol TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('copy', 'repair')),
  source_id TEXT NOT NULL,
  execution_id TEXT,
  order_tag TEXT,
  due INTEGER NOT NULL,
  PRIMARY KEY (link_id, symbol)
);
