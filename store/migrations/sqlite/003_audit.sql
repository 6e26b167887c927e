-- 003: the keyed audit trail (issue 3). Each event records its result and
-- source address; its hash column now holds HMAC-SM3 over the previous
-- event's MAC and its canonical content (key outside the database). The
-- chain head carries its own keyed MAC, and keyed_from, the first event id
-- of the keyed chain: events before it (written by an older version) keep
-- their unkeyed SM3 hashes and are verified as such. Events are never
-- deleted (retention ≥ 183 days, 网络安全法 第二十一条).
ALTER TABLE events ADD COLUMN result TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX events_at ON events(at);
CREATE INDEX events_actor ON events(actor_id, id);
ALTER TABLE chain_head ADD COLUMN mac TEXT NOT NULL DEFAULT '';
ALTER TABLE chain_head ADD COLUMN keyed_from INTEGER NOT NULL DEFAULT 1;
UPDATE chain_head SET keyed_from = last_id + 1, mac = '' WHERE id = 1;
