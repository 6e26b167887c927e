package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
	"gengxin/store"
	"gengxin/uscc"
)

// TestBackupRestoreDrill: `gengxin backup` copies a SQLite database while
// writers keep creating drafts; the copy passes integrity_check, its counts
// are those of one instant (every seeded project, and exactly the drafts
// whose create event is in it) and its audit chain verifies with the key.
func TestBackupRestoreDrill(t *testing.T) {
	app.PasswordIterations = 1000
	t.Setenv("GENGXIN_AUDIT_KEY_FILE", "")
	t.Setenv("GENGXIN_AUDIT_KEY", "")
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "live.db")
	dsn := "sqlite:" + path
	key := filepath.Join(dir, "audit.key")
	os.WriteFile(key, []byte(strings.Repeat("0123456789abcdef", 4)+"\n"), 0o600)
	const seeded = 2000
	if code, out, errs := run(t, "", "demo", "--projects", fmt.Sprint(seeded), "--db", dsn, "--audit-key-file", key); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}

	// The running server: an App over the live database, writing concurrently.
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k, err := audit.LoadKeyFile(key)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, db, k, gengxin.SystemClock{}, filepath.Join(dir, "files"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.AddUser(ctx, app.NewUserInput{Username: "co", Password: "Strong-Passw0rd-2024", Role: gengxin.RoleApplicant,
		OrgName: "北京某某置业有限公司", OrgUSCC: uscc.Complete("91110105MA01ABCD1")})
	if err != nil {
		t.Fatal(err)
	}
	var acked atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				in := app.ProjectInput{Name: fmt.Sprintf("备份演练老旧厂房更新项目%d-%d", w, i), Category: "产业类", District: "朝阳区"}
				if _, err := a.CreateDraft(ctx, u, in); err != nil {
					t.Error(err)
					return
				}
				acked.Add(1)
			}
		}()
	}
	for acked.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	before := acked.Load()
	copyPath := filepath.Join(dir, "backup", "copy.db")
	os.MkdirAll(filepath.Dir(copyPath), 0o700)
	code, out, errs := run(t, "", "backup", "--db", dsn, "--out", copyPath)
	time.Sleep(50 * time.Millisecond) // writers go on after the copy
	close(stop)
	wg.Wait()
	after := acked.Load()
	if code != 0 || !strings.Contains(out, "完整性检查通过") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "", "backup", "--db", dsn, "--out", copyPath); code != 2 || !strings.Contains(errs, "已存在") {
		t.Fatalf("backup over an existing file: %d %s", code, errs)
	}

	// Restore: open the copy as a database of its own.
	c, err := sql.Open("sqlite", "file:"+copyPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var integrity string
	if err := c.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("integrity_check: %q %v", integrity, err)
	}
	count := func(q string) int64 {
		var n int64
		if err := c.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	projects := count(`SELECT COUNT(*) FROM projects`)
	creates := count(`SELECT COUNT(*) FROM events WHERE action = 'create'`)
	matched := count(`SELECT COUNT(*) FROM projects p WHERE EXISTS (SELECT 1 FROM events e WHERE e.project_id = p.id AND e.action = 'create')`)
	if projects != seeded+creates || matched != creates {
		t.Fatalf("copy: %d projects, %d create events (%d matched), want %d seeded + one per create event", projects, creates, matched, seeded)
	}
	if creates < before || creates > after {
		t.Fatalf("copy holds %d drafts; %d were acknowledged before the backup began and %d by its end", creates, before, after)
	}
	if users := count(`SELECT COUNT(*) FROM users WHERE username = 'co'`); users != 1 {
		t.Fatalf("copy: user co %d times", users)
	}
	// The restored copy's audit chain verifies with the same key.
	restored := filepath.Join(dir, "restored.db")
	b, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(restored, b, 0o600)
	code, out, errs = run(t, "", "audit", "verify", "--db", "sqlite:"+restored, "--audit-key-file", key)
	if code != 0 || !strings.Contains(out, "校验通过") {
		t.Fatalf("audit verify on the restored copy: %d %s %s", code, out, errs)
	}
	t.Logf("backup while writing: %d drafts acknowledged before, %d after; the copy holds %d projects (%d seeded + %d drafts)", before, after, projects, seeded, creates)

	// PostgreSQL is refused with a pointer to pg_dump.
	code, _, errs = run(t, "", "backup", "--db", "postgres://x@127.0.0.1:1/none", "--out", filepath.Join(dir, "pg.db"))
	if code != 2 || !strings.Contains(errs, "pg_dump") {
		t.Fatalf("backup of PostgreSQL: %d %s", code, errs)
	}
	if code, _, errs := run(t, "", "backup", "--db", dsn); code != 2 || !strings.Contains(errs, "--out") {
		t.Fatalf("backup without --out: %d %s", code, errs)
	}
}
