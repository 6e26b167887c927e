-- 006: Idempotency-Key of the JSON API's POSTs (issue 3, faults survived).
-- A key is reserved (status 0, 'pending') before the action runs, then the
-- response is stored; a replay with the same key and body gets the stored
-- response, another body is refused. Keys are per user; rows older than
-- 24 hours may be purged.
CREATE TABLE idempotency_keys (
  user_id BIGINT NOT NULL,
  key TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  body_sha256 TEXT NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  response TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
