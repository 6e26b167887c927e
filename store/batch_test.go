package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// openBatchDB opens a fresh SQLite database with one table of unique values.
func openBatchDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open("sqlite:" + filepath.Join(t.TempDir(), "batch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.sql.Exec(`CREATE TABLE bt (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func (db *DB) batchValues(t *testing.T) map[string]bool {
	t.Helper()
	rows, err := db.sql.Query(`SELECT v FROM bt`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var v string
		rows.Scan(&v)
		out[v] = true
	}
	return out
}

var errJob = errors.New("job refused")

// runBatch holds the writer with a first transaction until every job has
// been queued behind it, so that the jobs commit as one batch, in order.
func runBatch(t *testing.T, db *DB, jobs []func(*Tx) error) []any {
	t.Helper()
	bj := make([]batchJob, len(jobs))
	for i, fn := range jobs {
		bj[i] = batchJob{context.Background(), fn}
	}
	return runJobs(t, db, bj, nil)
}

// batchJob is a job with its caller's context.
type batchJob struct {
	ctx context.Context
	fn  func(*Tx) error
}

// runJobs is runBatch with each job's context, and beforeRelease (if any)
// called once every job is queued, before the writer is released. It
// returns each job's error or panic value.
func runJobs(t *testing.T, db *DB, jobs []batchJob, beforeRelease func()) []any {
	t.Helper()
	release := make(chan struct{})
	var once sync.Once
	// Even when the test fails before the end, the writer is released so
	// that the database closes (cleanups run last in, first out).
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	holding := make(chan struct{})
	go db.Tx(context.Background(), func(tx *Tx) error {
		close(holding)
		<-release
		_, err := tx.exec(`INSERT INTO bt (v) VALUES ('holder')`)
		return err
	})
	<-holding
	out := make([]any, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					out[i] = p
				}
			}()
			if err := db.Tx(j.ctx, j.fn); err != nil {
				out[i] = err
			}
		}()
		// Queue in order: wait until the job is in the writer's channel.
		for deadline := time.Now().Add(5 * time.Second); len(db.writer.jobs) < i+1; {
			if time.Now().After(deadline) {
				t.Fatal("job not queued")
			}
			time.Sleep(time.Millisecond)
		}
	}
	if beforeRelease != nil {
		beforeRelease()
	}
	once.Do(func() { close(release) })
	wg.Wait()
	return out
}

func insertV(v string, fail error) func(*Tx) error {
	return func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO bt (v) VALUES (?)`, v); err != nil {
			return err
		}
		return fail
	}
}

// A failing job of a batch leaves nothing behind and the others intact,
// whether it runs first (no savepoint: the transaction is begun again) or
// later (rolled back to its savepoint); a panic is re-raised in its caller.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	cases := []struct {
		name string
		jobs []func(*Tx) error
		want []string // kept values
		errs []string // "", "err", "panic", "conflict"
	}{
		{"first fails", []func(*Tx) error{insertV("a", errJob), insertV("b", nil), insertV("c", nil)}, []string{"b", "c"}, []string{"err", "", ""}},
		{"middle fails", []func(*Tx) error{insertV("a", nil), insertV("b", errJob), insertV("c", nil)}, []string{"a", "c"}, []string{"", "err", ""}},
		{"first and second fail", []func(*Tx) error{insertV("a", errJob), insertV("b", errJob), insertV("c", nil)}, []string{"c"}, []string{"err", "err", ""}},
		{"first panics", []func(*Tx) error{func(tx *Tx) error { insertV("a", nil)(tx); panic("boom") }, insertV("b", nil)}, []string{"b"}, []string{"panic", ""}},
		{"later panics", []func(*Tx) error{insertV("a", nil), func(tx *Tx) error { insertV("b", nil)(tx); panic("boom") }, insertV("c", nil)}, []string{"a", "c"}, []string{"", "panic", ""}},
		{"duplicate in batch", []func(*Tx) error{insertV("a", nil), insertV("a", nil), insertV("c", nil)}, []string{"a", "c"}, []string{"", "conflict", ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := openBatchDB(t)
			got := runBatch(t, db, c.jobs)
			for i, g := range got {
				var kind string
				switch {
				case g == nil:
				case g == "boom":
					kind = "panic"
				case errors.Is(g.(error), errJob):
					kind = "err"
				default:
					kind = "conflict"
				}
				if kind != c.errs[i] {
					t.Errorf("job %d: %v, want %q", i, g, c.errs[i])
				}
			}
			vals := db.batchValues(t)
			if !vals["holder"] {
				t.Error("the holding transaction was lost")
			}
			delete(vals, "holder")
			if len(vals) != len(c.want) {
				t.Errorf("kept %v, want %v", vals, c.want)
			}
			for _, v := range c.want {
				if !vals[v] {
					t.Errorf("kept %v, want %v", vals, c.want)
				}
			}
		})
	}
}

// A job that swallows an error after which SQLite may have dropped the
// transaction has failed, even as the first job (no savepoint): its rows
// are not kept, later statements of it do not run on their own, and the
// next job is answered as it ends — kept and told so.
func TestGroupCommitLostTransaction(t *testing.T) {
	db := openBatchDB(t)
	got := runBatch(t, db, []func(*Tx) error{
		func(tx *Tx) error {
			insertV("a", nil)(tx)
			tx.exec(`ROLLBACK`) // as SQLite does by itself on a full disk
			if _, err := tx.exec(`INSERT INTO nowhere (v) VALUES ('x')`); err == nil {
				t.Error("a statement on a missing table passed")
			}
			if _, err := tx.exec(`INSERT INTO bt (v) VALUES ('after')`); err == nil {
				t.Error("a statement after the loss ran")
			}
			return nil // swallowed
		},
		insertV("b", nil),
	})
	vals := db.batchValues(t)
	if got[0] == nil {
		t.Error("the job that lost its transaction was told it succeeded")
	}
	if vals["a"] || vals["after"] {
		t.Errorf("kept %v of the lost job", vals)
	}
	if (got[1] == nil) != vals["b"] {
		t.Errorf("job 2: answered %v, kept %v", got[1], vals["b"])
	}
}

// One caller's cancellation does not interrupt its job once the job runs:
// SQLite would roll back the whole shared transaction, the other callers'
// steps with it.
func TestGroupCommitCancelledCallerDoesNotAbortBatch(t *testing.T) {
	db := openBatchDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow := func(tx *Tx) error {
		if _, err := tx.exec(`INSERT INTO bt (v) VALUES ('slow')`); err != nil {
			return err
		}
		go func() { time.Sleep(time.Millisecond); cancel() }()
		_, err := tx.exec(`WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 30000) INSERT INTO bt (v) SELECT 'z' || x FROM c WHERE x < 0`)
		return err
	}
	got := runJobs(t, db, []batchJob{{context.Background(), insertV("a", nil)}, {ctx, slow}}, nil)
	errInnocent, errSlow := got[0], got[1]
	vals := db.batchValues(t)
	if errInnocent != nil || !vals["a"] {
		t.Errorf("the other caller's step: %v, kept %v", errInnocent, vals["a"])
	}
	if errSlow != nil || !vals["slow"] {
		t.Errorf("the cancelled caller's step, already running: %v, kept %v", errSlow, vals["slow"])
	}
}

// A caller that gave up before its job ran is answered with its context's
// error and nothing of the job is written; the batch goes on.
func TestGroupCommitCallerGoneBeforeItsTurn(t *testing.T) {
	db := openBatchDB(t)
	gone, cancel := context.WithCancel(context.Background())
	got := runJobs(t, db, []batchJob{{gone, insertV("gone", nil)}, {context.Background(), insertV("next", nil)}}, cancel)
	errGone, errNext := got[0], got[1]
	vals := db.batchValues(t)
	if err, _ := errGone.(error); !errors.Is(err, context.Canceled) || vals["gone"] {
		t.Errorf("the caller gone before its turn: %v, written %v", errGone, vals["gone"])
	}
	if errNext != nil || !vals["next"] {
		t.Errorf("the next caller: %v, written %v", errNext, vals["next"])
	}
}
