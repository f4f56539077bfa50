-- 004: risk guards. The risk day per account (day start balance, highs, guard levels, locks; JSON so the book can grow)
-- restored after a restart, and every guard action with the numbers that triggered it.
CREATE TABLE risk_state (
  account_id TEXT PRIMARY KEY,
  trading_day TEXT NOT NULL,
  state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE risk_actions (
  seq INTEGER PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  level TEXT NOT NULL,
  action TEXT NOT NULL,
  message TEXT NOT NULL,
  numbers TEXT NOT NULL,
  actor TEXT,
  time INTEGER NOT NULL
);
CREATE INDEX risk_actions_account ON risk_actions (account_id, seq);
