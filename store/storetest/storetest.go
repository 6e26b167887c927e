// Package storetest opens migrated, throw-away databases for tests: a
// SQLite file in t.TempDir(), or a fresh schema in the PostgreSQL named by
// GENGXIN_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/test).
// PostgreSQL tests skip with a clear message when the server is absent,
// except under CI (CI=true), where its absence fails the test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gengxin/crypt"
	"gengxin/store"
)

// DefaultPostgres is the DSN used when GENGXIN_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Dialects are the dialects every contract test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// TestDataKey is the fixed SM4 data key of the tests (16 bytes).
var TestDataKey = []byte("gengxin test key")

// Sealer is the SM4-GCM Sealer over TestDataKey that Open sets on every
// test database, so personal data is encrypted at rest in the tests too.
var Sealer = func() *crypt.SM4GCM {
	s, err := crypt.NewSM4GCM(TestDataKey)
	if err != nil {
		panic(err)
	}
	return s
}()

// Open returns a migrated database of the dialect, closed and removed at
// the end of the test.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	dsn := DSN(t, d)
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetSealer(Sealer)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// DSN returns a fresh database address of the dialect: a new SQLite file, or
// a new PostgreSQL schema (dropped at cleanup) reached through search_path.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	base := os.Getenv("GENGXIN_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	admin, err := sql.Open("pgx", base)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL is required under CI but unreachable at %s: %v", base, err)
		}
		t.Skipf("PostgreSQL not reachable at %s (set GENGXIN_TEST_POSTGRES; start it with `pg_ctlcluster 15 main start`): %v", base, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "gx_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}
