-- 010: moderation of public comments (issue 5): a comment is pending until
-- the authority publishes or hides it; an answered comment is published
-- with its answer unless hidden. Comments stored before this migration that
-- were answered stay public; the others wait for moderation.
ALTER TABLE publication_comments ADD COLUMN moderation TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE publication_comments ADD COLUMN moderated_by TEXT NOT NULL DEFAULT '';
UPDATE publication_comments SET moderation = 'published' WHERE response <> '';
