-- 002: the chain head also carries the last event id, so that appending an
-- event needs no MAX(id) scan.
ALTER TABLE chain_head ADD COLUMN last_id INTEGER NOT NULL DEFAULT 0;
UPDATE chain_head SET last_id = (SELECT COALESCE(MAX(id), 0) FROM events) WHERE id = 1;
