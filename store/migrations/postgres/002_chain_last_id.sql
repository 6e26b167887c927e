-- 002: the chain head also carries the last event id (SQLite uses it to
-- avoid a MAX(id) scan; PostgreSQL keeps it for symmetry and checks).
ALTER TABLE chain_head ADD COLUMN last_id BIGINT NOT NULL DEFAULT 0;
UPDATE chain_head SET last_id = (SELECT COALESCE(MAX(id), 0) FROM events) WHERE id = 1;
