package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDataKey: SQLite gets <db>.datakey (0600) beside the database on first
// use and reuses it; PostgreSQL without a data key is refused before any
// connection; a key file others may read is refused; GENGXIN_DATA_KEY works.
func TestDataKey(t *testing.T) {
	t.Setenv("GENGXIN_DATA_KEY_FILE", "")
	t.Setenv("GENGXIN_DATA_KEY", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	if code, out, errs := run(t, "", "migrate", "--db", "sqlite:"+db); code != 0 {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	st, err := os.Stat(db + ".datakey")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("datakey beside the database: %v %v", st, err)
	}
	key, _ := os.ReadFile(db + ".datakey")
	if code, _, errs := run(t, "", "migrate", "--db", "sqlite:"+db); code != 0 {
		t.Fatalf("second migrate: %d %s", code, errs)
	}
	if again, _ := os.ReadFile(db + ".datakey"); string(again) != string(key) {
		t.Fatal("the data key changed on the second start")
	}

	code, _, errs := run(t, "", "migrate", "--db", "postgres://nobody@127.0.0.1:1/none")
	if code != 2 || !strings.Contains(errs, "数据密钥") {
		t.Fatalf("PostgreSQL without a data key: %d %s", code, errs)
	}

	loose := filepath.Join(dir, "loose.key")
	os.WriteFile(loose, []byte("000102030405060708090a0b0c0d0e0f\n"), 0o644)
	if code, _, errs := run(t, "", "migrate", "--db", "sqlite:"+db, "--data-key-file", loose); code == 0 || !strings.Contains(errs, "0644") {
		t.Fatalf("world-readable key file: %d %s", code, errs)
	}
	t.Setenv("GENGXIN_DATA_KEY", "zz")
	if code, _, _ := run(t, "", "migrate", "--db", "sqlite:"+db); code == 0 {
		t.Fatal("bad GENGXIN_DATA_KEY accepted")
	}
	t.Setenv("GENGXIN_DATA_KEY", strings.TrimSpace(string(key)))
	if code, _, errs := run(t, "", "migrate", "--db", "sqlite:"+db); code != 0 {
		t.Fatalf("GENGXIN_DATA_KEY: %d %s", code, errs)
	}
}
