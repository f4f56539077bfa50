-- 006: what holds a link back, kept across restarts: how a newly added link starts (until it arms), the follower
-- symbols a 'new_only' start or resume leaves as they are (until the leader trades them again), and the leader symbols
-- that moved while a link was not armed (planned for it once it arms). Also an index from a broker order id to our
-- intent, so a bracket child whose entry filled in an earlier run is still recognised as ours (never left working).
CREATE TABLE link_starts (
  link_id TEXT PRIMARY KEY,
  start TEXT NOT NULL CHECK (start IN ('align', 'new_only')),
  orders TEXT
);

CREATE TABLE left_alone (
  link_id TEXT NOT NULL,
  symbol TEXT NOT NULL,
  PRIMARY KEY (link_id, symbol)
) WITHOUT ROWID;

CREATE TABLE unplanned (
  link_id TEXT NOT NULL,
  leader_symbol TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  price TEXT NOT NULL,
  order_tag TEXT,
  PRIMARY KEY (link_id, leader_symbol)
) WITHOUT ROWID;

CREATE INDEX intents_broker_order ON intents (broker_order_id) WHERE broker_order_id IS NOT NULL;
