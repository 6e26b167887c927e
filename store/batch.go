package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"gengxin"
)

// maxBatch bounds how many concurrent write transactions share one commit.
const maxBatch = 64

// groupWriter group-commits SQLite write transactions. SQLite has one
// writer at a time and, with synchronous=FULL, one fsync per commit; under
// concurrent load most of a step's time is that fsync. The writer goroutine
// takes every transaction waiting at that moment, runs them one after
// another in one BEGIN IMMEDIATE transaction — the first as it is, each
// later one inside its own SAVEPOINT (a failing one is rolled back to its
// savepoint, leaving the others intact; when the first fails the
// transaction is rolled back and begun again) — commits once, and only then
// answers each caller. A lone caller gets a batch of one: exactly a
// transaction of its own. A job runs with its caller's context values but
// not its cancellation: SQLite interrupts a cancelled statement by rolling
// back the whole transaction, the other callers' steps with it.
type groupWriter struct {
	db    *DB
	jobs  chan *writeJob
	quit  chan struct{}
	done  chan struct{}
	once  sync.Once
	mu    sync.RWMutex
	ended bool
}

type writeJob struct {
	ctx    context.Context
	fn     func(*Tx) error
	err    error
	panicV any
	done   chan struct{}
}

func newGroupWriter(db *DB) *groupWriter {
	w := &groupWriter{db: db, jobs: make(chan *writeJob, maxBatch), quit: make(chan struct{}), done: make(chan struct{})}
	go w.loop()
	return w
}

// run queues fn and waits for its batch to commit. A panic in fn is
// re-raised in the caller's goroutine after its savepoint is rolled back.
func (w *groupWriter) run(ctx context.Context, fn func(*Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan struct{})}
	w.mu.RLock()
	if w.ended {
		w.mu.RUnlock()
		return w.db.directTx(ctx, fn)
	}
	select {
	case w.jobs <- j:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	<-j.done
	if j.panicV != nil {
		panic(j.panicV)
	}
	return j.err
}

func (w *groupWriter) stop() {
	w.once.Do(func() {
		w.mu.Lock()
		w.ended = true
		w.mu.Unlock()
		close(w.quit)
		<-w.done
	})
}

func (w *groupWriter) loop() {
	defer close(w.done)
	for {
		var first *writeJob
		select {
		case first = <-w.jobs:
		case <-w.quit:
			// Answer whatever is still queued before stopping.
			for {
				select {
				case j := <-w.jobs:
					w.commit([]*writeJob{j})
				default:
					return
				}
			}
		}
		batch := []*writeJob{first}
	fill:
		for len(batch) < maxBatch {
			select {
			case j := <-w.jobs:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		w.commit(batch)
	}
}

// commit runs a batch in one transaction and answers every job. The
// first job of the transaction runs without a savepoint — if it fails, the
// transaction is rolled back and begun again for the rest — so that a lone
// job costs no more than a transaction of its own, and a batch one
// savepoint less (each savepoint copies every page its job changes).
func (w *groupWriter) commit(batch []*writeJob) {
	db := w.db
	var missed []string
	defer func() { db.prepareMissed(context.Background(), missed) }()
	answer := func(j *writeJob, err error) {
		if j.err == nil && j.panicV == nil {
			j.err = err
		}
		close(j.done)
	}
	var stx *sql.Tx
	var ok []*writeJob
	// runJob runs j on stx; a job that swallowed an error after which SQLite
	// may have dropped the transaction has failed (txState).
	runJob := func(j *writeJob) (error, any) {
		tx := db.txOn(context.WithoutCancel(j.ctx), stx, &missed)
		ferr, pv := call(j.fn, tx)
		if ferr == nil && pv == nil {
			ferr = tx.lost()
		}
		return ferr, pv
	}
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			answer(j, err)
			continue
		}
		if stx == nil {
			var err error
			if stx, err = db.sql.BeginTx(context.Background(), nil); err != nil {
				for _, j := range batch[i:] {
					answer(j, mapErr(err))
				}
				return
			}
		}
		if len(ok) == 0 {
			// Nothing of the transaction to keep yet: no savepoint.
			ferr, pv := runJob(j)
			if ferr == nil && pv == nil {
				ok = append(ok, j)
				continue
			}
			j.err, j.panicV = ferr, pv
			stx.Rollback()
			stx = nil
			close(j.done)
			continue
		}
		sp := fmt.Sprintf("gx%d", i)
		if _, err := stx.Exec("SAVEPOINT " + sp); err != nil {
			w.abort(stx, batch[i:], ok, err)
			return
		}
		ferr, pv := runJob(j)
		if ferr == nil && pv == nil {
			if _, err := stx.Exec("RELEASE " + sp); err != nil {
				w.abort(stx, batch[i:], ok, err)
				return
			}
			ok = append(ok, j)
			continue
		}
		// Undo this job only; if SQLite cannot (the transaction itself was
		// lost), nothing of the batch is kept and every job is told so.
		if _, err := stx.Exec("ROLLBACK TO " + sp); err != nil {
			j.err, j.panicV = ferr, pv
			w.abort(stx, batch[i:], ok, err)
			return
		}
		if _, err := stx.Exec("RELEASE " + sp); err != nil {
			j.err, j.panicV = ferr, pv
			w.abort(stx, batch[i:], ok, err)
			return
		}
		j.err, j.panicV = ferr, pv
		close(j.done)
	}
	if stx == nil {
		return
	}
	err := mapErr(stx.Commit())
	for _, j := range ok {
		answer(j, err)
	}
}

// abort rolls the batch back and answers the jobs already run and those
// not yet run with a retryable conflict.
func (w *groupWriter) abort(stx interface{ Rollback() error }, rest, ok []*writeJob, cause error) {
	stx.Rollback()
	e := &gengxin.Error{Code: gengxin.EConflict, Message: "数据库暂时无法写入，本次操作未生效，请重试"}
	if ge := gengxin.AsError(mapErr(cause)); ge != nil {
		e = ge
	}
	for _, j := range ok {
		j.err = e
		close(j.done)
	}
	for _, j := range rest {
		if j.err == nil && j.panicV == nil {
			j.err = e
		}
		close(j.done)
	}
}

// call runs fn, turning a panic into a value.
func call(fn func(*Tx) error, tx *Tx) (err error, pv any) {
	defer func() {
		if p := recover(); p != nil {
			pv = p
		}
	}()
	return fn(tx), nil
}
