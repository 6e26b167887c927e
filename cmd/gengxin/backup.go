package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"gengxin/store"
)

// backup makes a consistent online copy of a SQLite database (VACUUM INTO,
// safe while `serve` writes) and checks its integrity. PostgreSQL is
// refused: pg_dump is the tool for it. The audit key is not in the copy:
// keep it apart, and verify a restored copy with the same key.
func backup(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flagSet("backup")
	out := fs.String("out", "", "备份文件路径（不得已存在）")
	if err := fs.Parse(args); err != nil {
		return usageErr(err.Error())
	}
	if *out == "" {
		return usageErr("用法：gengxin backup [--db DSN] --out 备份文件路径")
	}
	dsn := dsnOf(fs)
	if !strings.HasPrefix(dsn, "sqlite:") {
		return usageErr("gengxin backup 仅用于 SQLite 数据库；PostgreSQL 请使用 pg_dump 备份（例如 pg_dump -Fc -f gengxin.dump \"$DSN\"），以 pg_restore 恢复")
	}
	if _, err := os.Stat(strings.TrimPrefix(dsn, "sqlite:")); err != nil {
		return usageErr("数据库文件不存在：" + strings.TrimPrefix(dsn, "sqlite:"))
	}
	db, err := store.Open(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, *out); err != nil {
		return err
	}
	st, err := os.Stat(*out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s（%d 字节，完整性检查通过）。审计密钥不在备份中，请另行保管；恢复后用同一密钥执行 gengxin audit verify 核验\n", *out, st.Size())
	return nil
}
