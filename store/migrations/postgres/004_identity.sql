-- 004: identity (issue 3) — second factor (TOTP), account expiry, the stage
-- and idle limit of each session, and the security administrator's settings.
-- totp_secret is stored as it is for now; SM4 encryption follows
-- (docs/SECURITY.md).
ALTER TABLE users ADD COLUMN totp_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';

-- stage: '' signed in; 'totp' password checked, code due; 'enroll' password
-- checked, the account must bind TOTP first.
ALTER TABLE sessions ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN idle_seconds INTEGER NOT NULL DEFAULT 1800;
UPDATE sessions SET idle_seconds = 900
  WHERE user_id IN (SELECT id FROM users WHERE role IN ('sysadmin', 'secadmin', 'auditadmin'));

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
