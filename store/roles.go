package store

import (
	"context"
	"regexp"

	"github.com/jackc/pgx/v5"

	"gengxin"
)

var roleName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// GrantAppRole sets up role as the application's PostgreSQL role, separate
// from the owner that runs the migrations (GB/T 22239 8.1.4.3: the audit
// trail append-only by privilege as well as by trigger). It creates the role
// (LOGIN, no password: the DBA sets one, or the server authenticates it by
// certificate) when it does not exist, and grants in the current schema:
// SELECT, INSERT, UPDATE, DELETE on every table, except events (SELECT,
// INSERT only: never UPDATE, DELETE or TRUNCATE) and schema_migrations
// (SELECT only); USAGE and SELECT on the sequences. Run it as the owner after
// each `gengxin migrate` (new tables need their grants); it is idempotent.
func (db *DB) GrantAppRole(ctx context.Context, role string) error {
	if db.Dialect != Postgres {
		return gengxin.Errorf(gengxin.EInvalid, "应用角色只用于 PostgreSQL；SQLite 由文件权限保护")
	}
	if !roleName.MatchString(role) {
		return gengxin.Errorf(gengxin.EInvalid, "角色名应为小写字母、数字和下划线（不超过63个字符）：%q", role)
	}
	var schema string
	if err := db.sql.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return mapErr(err)
	}
	r, s := pgx.Identifier{role}.Sanitize(), pgx.Identifier{schema}.Sanitize()
	stmts := []string{
		// role matches roleName: safe inside the literal.
		`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '` + role + `') THEN CREATE ROLE ` + r + ` LOGIN; END IF; END $$`,
		`GRANT USAGE ON SCHEMA ` + s + ` TO ` + r,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + s + ` TO ` + r,
		`REVOKE UPDATE, DELETE, TRUNCATE ON ` + s + `.events FROM ` + r,
		`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ` + s + `.schema_migrations FROM ` + r,
		`REVOKE TRUNCATE ON ALL TABLES IN SCHEMA ` + s + ` FROM ` + r,
		`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ` + s + ` TO ` + r,
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return mapErr(tx.Commit())
}
