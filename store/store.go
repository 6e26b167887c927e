// Package store keeps gengxin's data in SQLite (embedded, the default) or
// PostgreSQL (given a DSN). SQL is written by hand with `?` placeholders and
// rebound to `$n` for PostgreSQL; where the dialects differ (identity columns,
// full-text search, append-only triggers) each has its own migration file
// with the same number. Every write happens in one transaction per service
// call (DB.Tx); reads may use the DB directly.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"gengxin"
	"gengxin/audit"
	"gengxin/crypt"
)

//go:embed migrations
var migrations embed.FS

// Dialect names the SQL dialect of a DB.
type Dialect string

// Dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database. It is safe for concurrent use.
type DB struct {
	sql     *sql.DB
	Dialect Dialect
	DSN     string

	// stmts caches prepared statements by query text (SQLite only: pgx
	// caches its own per connection). database/sql prepares each lazily on
	// every pooled connection and reuses it inside transactions.
	mu    sync.Mutex
	stmts map[string]*sql.Stmt

	writer *groupWriter // SQLite only

	keys audit.Keyring // the audit key (SetKeyring); never stored in the database

	sealer crypt.Sealer // the data key (SetSealer); nil: personal data stored as it is
}

// SetSealer sets the Sealer that encrypts personal data at rest (the
// project contact, the TOTP secrets). Without one (nil, old callers) values
// are written as they are; values already sealed then fail to read. Set it
// before the first use of db.
func (db *DB) SetSealer(s crypt.Sealer) { db.sealer = s }

// seal encrypts a personal-data value for storage; "" stays "" (no value).
func (db *DB) seal(v string) (string, error) {
	if db.sealer == nil || v == "" {
		return v, nil
	}
	return db.sealer.Seal(v)
}

// open decrypts a stored personal-data value; legacy plaintext reads as it is.
func (db *DB) open(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	if db.sealer == nil {
		if crypt.Sealed(v) {
			return "", fmt.Errorf("数据库中的个人信息已加密，但未配置数据密钥")
		}
		return v, nil
	}
	return db.sealer.Open(v)
}

// maxCachedStmts bounds the statement cache; queries built from filters
// beyond it run unprepared.
const maxCachedStmts = 512

// cached returns the cached statement for query, or nil.
func (db *DB) cached(query string) *sql.Stmt {
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.stmts[query]
}

// prepared returns the cached statement for query, preparing it on the
// pool when needed. It must not be called while holding a connection of a
// transaction: preparing takes a connection from the pool, and with every
// other connection waiting for the write lock that would deadlock.
func (db *DB) prepared(ctx context.Context, query string) *sql.Stmt {
	db.mu.Lock()
	defer db.mu.Unlock()
	if s, ok := db.stmts[query]; ok {
		return s
	}
	if len(db.stmts) >= maxCachedStmts {
		return nil
	}
	s, err := db.sql.PrepareContext(ctx, query)
	if err != nil {
		return nil // the caller runs it unprepared and reports the error
	}
	if db.stmts == nil {
		db.stmts = map[string]*sql.Stmt{}
	}
	db.stmts[query] = s
	return s
}

// Open opens the database named by dsn: "sqlite:PATH" (PATH may be
// ":memory:"-less; use a file) or "postgres://…". It does not migrate.
func Open(dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, gengxin.Errorf(gengxin.EInvalid, "数据库地址缺少文件路径：%q", dsn)
		}
		// busy_timeout first, then WAL and foreign keys (STYLE.md); pragmas in the
		// DSN so that every pooled connection gets them. temp_store(MEMORY)
		// keeps the statement and savepoint sub-journals in memory: with a
		// temporary file each step of the group commit (a SAVEPOINT each)
		// wrote and read a file beside the fsync — half the step's time. Write transactions take
		// the write lock at BEGIN (_txlock=immediate) so that a read-modify-write
		// never fails half-way with SQLITE_BUSY.
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "temp_store(MEMORY)")
		q.Set("_txlock", "immediate")
		db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(8)
		db.SetConnMaxIdleTime(0)
		d := &DB{sql: db, Dialect: SQLite, DSN: dsn}
		d.writer = newGroupWriter(d)
		return d, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		return &DB{sql: db, Dialect: Postgres, DSN: dsn}, nil
	}
	return nil, gengxin.Errorf(gengxin.EInvalid, "无法识别的数据库地址 %q：应为 sqlite:路径 或 postgres://…", dsn)
}

// Close stops the group writer and closes the database and its prepared
// statements.
func (db *DB) Close() error {
	if db.writer != nil {
		db.writer.stop()
	}
	db.mu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = nil
	db.mu.Unlock()
	return db.sql.Close()
}

// Ping reports whether the database answers (GET /healthz).
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.sql.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Migrations returns the migration file names of a dialect, in order.
func Migrations(d Dialect) ([]string, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+string(d))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies the migrations not yet applied, each in its own transaction.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := Migrations(db.Dialect)
	if err != nil {
		return err
	}
	for _, name := range names {
		var n int
		if err := db.sql.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE name = ?`), name).Scan(&n); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile("migrations/" + string(db.Dialect) + "/" + name)
		if err != nil {
			return err
		}
		tx, err := db.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if db.Dialect == Postgres {
			// Serialise concurrent migrators (several `serve` processes on one PostgreSQL).
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(424242)`); err != nil {
				tx.Rollback()
				return err
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
				tx.Rollback()
				if err != nil {
					return err
				}
				continue
			}
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, db.rebind(`INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)`), name, ts(time.Now())); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", name, err)
		}
	}
	return nil
}

// Tx is a write transaction. Its methods are the store's operations.
type Tx struct {
	q
}

// Tx runs fn in one transaction: committed when fn returns nil, rolled back
// otherwise (and on panic). It is the only way to write. When Tx returns nil
// the change is durable. On SQLite, concurrent calls are group-committed
// (see batch.go): each fn runs in a shared transaction, all but the first
// in a savepoint of their own, so its effects are all-or-nothing exactly as
// in a transaction of its own, and one fsync covers the batch. fn runs
// with ctx's values; once it has begun, ctx's cancellation does not
// interrupt it (it would roll back the others' work too).
func (db *DB) Tx(ctx context.Context, fn func(*Tx) error) error {
	if db.writer != nil {
		return db.writer.run(ctx, fn)
	}
	return db.directTx(ctx, fn)
}

// directTx runs fn in a transaction of its own.
func (db *DB) directTx(ctx context.Context, fn func(*Tx) error) (err error) {
	stx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
		}
	}()
	var missed []string
	tx := db.txOn(ctx, stx, &missed)
	defer func() { db.prepareMissed(ctx, missed) }()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.lost(); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return mapErr(err)
	}
	return nil
}

// txOn returns the Tx that runs on stx; the queries it runs unprepared
// are appended to missed.
func (db *DB) txOn(ctx context.Context, stx *sql.Tx, missed *[]string) *Tx {
	t := &Tx{q{ex: stx, dialect: db.Dialect, ctx: ctx, db: db, tx: stx, missed: missed}}
	if db.Dialect == SQLite {
		t.st = &txState{}
	}
	return t
}

// txState is shared by the statements of one SQLite transaction: the first
// error after which SQLite may have rolled the transaction back by itself
// (a full disk, an I/O error, an interrupt…). Every later statement of the
// transaction fails with it instead of running — outside a transaction it
// would commit on its own: half a step — and the transaction is not
// committed even if its function swallowed the error (lost). A constraint
// violation or "no rows" leaves the transaction intact. PostgreSQL aborts
// a transaction after any error by itself.
type txState struct{ err error }

// lost returns the error after which the transaction may be gone, if any.
func (q q) lost() error {
	if q.st == nil {
		return nil
	}
	return q.st.err
}

// note records err as the transaction's loss unless it is one SQLite
// recovers from within the transaction.
func (q q) note(err error) {
	if q.st == nil || err == nil || q.st.err != nil || errors.Is(err, sql.ErrNoRows) {
		return
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && sqErr.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return
	}
	q.st.err = err
}

// prepareMissed prepares, once the transaction's connection is released,
// the statements it ran unprepared, for the next transactions.
func (db *DB) prepareMissed(ctx context.Context, missed []string) {
	for _, query := range missed {
		db.prepared(ctx, query)
	}
}

// Read returns a reader over the database outside any transaction.
func (db *DB) Read(ctx context.Context) *Reader {
	return &Reader{q{ex: db.sql, dialect: db.Dialect, ctx: ctx, db: db}}
}

// Reader runs read queries outside a transaction.
type Reader struct{ q }

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// q holds the queries shared by Tx and Reader.
type q struct {
	ex      execer
	dialect Dialect
	ctx     context.Context
	db      *DB
	tx      *sql.Tx
	missed  *[]string // queries a transaction ran unprepared
	st      *txState  // SQLite transactions only
}

// on returns what runs query: a cached prepared statement (bound to the
// transaction when there is one) on SQLite, else the plain executor.
func (q q) on(query string) execer {
	if q.db == nil || q.dialect != SQLite {
		return q.ex
	}
	if q.tx == nil {
		if s := q.db.prepared(q.ctx, query); s != nil {
			return stmtExecer{s}
		}
		return q.ex
	}
	s := q.db.cached(query)
	if s == nil {
		*q.missed = append(*q.missed, query)
		return q.ex
	}
	return stmtExecer{q.tx.StmtContext(q.ctx, s)}
}

// stmtExecer runs a prepared statement through the execer interface; the
// query text is ignored (it is the statement's own).
type stmtExecer struct{ s *sql.Stmt }

func (e stmtExecer) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return e.s.ExecContext(ctx, args...)
}
func (e stmtExecer) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return e.s.QueryContext(ctx, args...)
}
func (e stmtExecer) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return e.s.QueryRowContext(ctx, args...)
}

func (q q) exec(query string, args ...any) (sql.Result, error) {
	if err := q.lost(); err != nil {
		return nil, err
	}
	query = rebind(q.dialect, query)
	r, err := q.on(query).ExecContext(q.ctx, query, args...)
	q.note(err)
	return r, mapErr(err)
}

func (q q) query(query string, args ...any) (*sql.Rows, error) {
	if err := q.lost(); err != nil {
		return nil, err
	}
	query = rebind(q.dialect, query)
	r, err := q.on(query).QueryContext(q.ctx, query, args...)
	q.note(err)
	return r, mapErr(err)
}

// row is a single-row query's result (sql.Row, minding the transaction's
// state).
type row struct {
	r   *sql.Row
	err error
	q   q
}

// Scan is sql.Row's Scan.
func (r *row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	err := r.r.Scan(dest...)
	r.q.note(err)
	return err
}

func (q q) row(query string, args ...any) *row {
	if err := q.lost(); err != nil {
		return &row{err: err}
	}
	query = rebind(q.dialect, query)
	return &row{r: q.on(query).QueryRowContext(q.ctx, query, args...), q: q}
}

// lockSuffix is " FOR UPDATE" inside a transaction on PostgreSQL, which
// locks the rows read until the end of it; "" elsewhere (SQLite serialises
// writers anyway).
func (q q) lockSuffix() string {
	if q.tx != nil && q.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// insert runs an INSERT … RETURNING id and returns the id.
func (q q) insert(query string, args ...any) (int64, error) {
	var id int64
	err := q.row(query+" RETURNING id", args...).Scan(&id)
	return id, mapErr(err)
}

func (db *DB) rebind(query string) string { return rebind(db.Dialect, query) }

// rebind turns `?` placeholders into `$1, $2, …` for PostgreSQL, leaving
// question marks inside quoted strings alone.
func rebind(d Dialect, query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	inQuote := false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mapErr turns driver errors into domain errors by driver error code, never
// by message text (STYLE.md): unique violations are conflicts, sql.ErrNoRows
// is left for callers (they know what was not found).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return &gengxin.Error{Code: gengxin.EConflict, Message: "记录已存在（唯一性冲突）"}
		case "40001", "40P01":
			return &gengxin.Error{Code: gengxin.EConflict, Message: "并发操作冲突，请重试"}
		case "22021", "22P05":
			// Text PostgreSQL cannot store (a NUL byte): bad input, refused
			// whole, not a server error. SQLite stores it as given.
			return &gengxin.Error{Code: gengxin.EInvalid, Message: "输入含有不能保存的字符（如 NUL 控制字符），请删除后重试"}
		}
		return err
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) {
		switch sqErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &gengxin.Error{Code: gengxin.EConflict, Message: "记录已存在（唯一性冲突）"}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &gengxin.Error{Code: gengxin.EConflict, Message: "数据库繁忙，请重试"}
		}
	}
	return err
}

// ts formats an instant for storage.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(gengxin.TimeLayout)
}

// parseTS reads an instant stored by ts.
func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(gengxin.TimeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

// scanAll reads every row of rows with scan, and closes rows. It returns
// an empty (non-nil) slice when there is none.
func scanAll[T any](rows *sql.Rows, scan func(*sql.Rows) (*T, error)) ([]*T, error) {
	defer rows.Close()
	out := []*T{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// one returns the only row scan reads from the result of a query (rows,
// err), or ENotFound naming what.
func one[T any](rows *sql.Rows, err error, scan func(*sql.Rows) ([]*T, error), what string) (*T, error) {
	if err != nil {
		return nil, err
	}
	xs, err := scan(rows)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, notFound(what)
	}
	return xs[0], nil
}

func notFound(what string) error {
	return gengxin.Errorf(gengxin.ENotFound, "%s不存在或无权查看", what)
}

// conflict is an EConflict with msg, for a write that lost a race.
func conflict(msg string) error { return gengxin.Errorf(gengxin.EConflict, "%s", msg) }
