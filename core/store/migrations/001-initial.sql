-- 001: the journal's first schema (executions, intents, fills, intent events, alerts, state, breaker, audit, workspace).
CREATE TABLE executions (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty TEXT NOT NULL,
  price TEXT NOT NULL,
  time INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  broker_order_id TEXT,
  order_tag TEXT,
  position_after TEXT,
  raw TEXT
);

CREATE TABLE intents (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  link_id TEXT NOT NULL,
  leader_account_id TEXT NOT NULL,
  follower_account_id TEXT NOT NULL,
  source_id TEXT NOT NULL,
  execution_id TEXT,
  attempt INTEGER NOT NULL,
  client_order_id TEXT NOT NULL,
  leader_symbol TEXT NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty TEXT NOT NULL,
  order_type TEXT NOT NULL,
  limit_price TEXT,
  purpose TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  target TEXT NOT NULL,
  leader_price TEXT,
  status TEXT NOT NULL,
  broker_order_id TEXT,
  filled_qty TEXT NOT NULL,
  avg_fill_price TEXT,
  error TEXT,
  leader_received_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  ack_at INTEGER,
  filled_at INTEGER,
  plan_latency_ms REAL
);
CREATE INDEX intents_status ON intents (status);
-- (follower, source, attempt) determines the client order id, so this index also keeps client ids unique; a second
-- UNIQUE index on the random client id cost 40% of recordExecution's throughput (test/bench/engine-bench.ts). Source first: the intents of
-- one execution share it and land on one index page, which keeps recordExecution's commit small.
CREATE UNIQUE INDEX intents_source_follower_attempt ON intents (source_id, follower_account_id, attempt);
CREATE INDEX intents_created ON intents (created_at);

CREATE TABLE fills (
  seq INTEGER PRIMARY KEY,
  intent_id TEXT NOT NULL REFERENCES intents (id),
  account_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  qty TEXT NOT NULL,
  price TEXT NOT NULL,
  time INTEGER NOT NULL
);
CREATE INDEX fills_intent ON fills (intent_id);

CREATE TABLE intent_events (
  seq INTEGER PRIMARY KEY,
  intent_id TEXT NOT NULL REFERENCES intents (id),
  time INTEGER NOT NULL,
  status TEXT,
  error TEXT,
  raw TEXT
);
CREATE INDEX intent_events_intent ON intent_events (intent_id);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  severity TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  account_id TEXT,
  link_id TEXT,
  details TEXT,
  acknowledged INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alerts_unacknowledged ON alerts (id) WHERE acknowledged = 0;

CREATE TABLE trading_state_changes (
  seq INTEGER PRIMARY KEY,
  scope TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'halted')),
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL
);

CREATE TABLE trading_state (
  scope TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('active', 'paused', 'halted')),
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  time INTEGER NOT NULL
);

CREATE TABLE breaker_state (
  scope TEXT PRIMARY KEY,
  tripped INTEGER NOT NULL,
  reason TEXT,
  tripped_at INTEGER
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  details TEXT
);

CREATE TABLE workspace (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
