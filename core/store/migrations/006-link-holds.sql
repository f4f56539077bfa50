-- 006: a person's choices that hold a link back, kept across restarts: how a newly added link starts (until it arms)
-- and the follower symbols a 'new_only' start or resume leaves as they are (until the leader trades them again).
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
