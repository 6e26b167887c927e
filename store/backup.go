package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"

	"gengxin"
)

// Backup writes a consistent copy of a SQLite database to path while the
// database stays in use: VACUUM INTO reads one snapshot (WAL mode lets
// writers go on meanwhile) and writes a compact, self-contained file, which
// is then checked with PRAGMA integrity_check. path must not exist. A
// PostgreSQL database is refused: use pg_dump.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return gengxin.Errorf(gengxin.EInvalid, "PostgreSQL 数据库请使用 pg_dump 备份（例如 pg_dump -Fc -f gengxin.dump \"$DSN\"），并以 pg_restore 恢复；gengxin backup 仅用于 SQLite")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if _, err := os.Stat(abs); err == nil {
		return gengxin.Errorf(gengxin.EInvalid, "备份文件已存在：%s；请指定新的文件名", abs)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs)
		return mapErr(err)
	}
	if err := IntegrityCheck(ctx, abs); err != nil {
		return err
	}
	return nil
}

// IntegrityCheck opens the SQLite file at path read-only and runs PRAGMA
// integrity_check; any answer other than "ok" is an error.
func IntegrityCheck(ctx context.Context, path string) error {
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return gengxin.Errorf(gengxin.EInternal, "数据库文件 %s 完整性检查未通过：%s", path, res)
	}
	return nil
}
