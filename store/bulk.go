package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"gengxin"
)

// Bulk loading sizes: rows per transaction, and rows per multi-row INSERT
// statement (SQLite allows 32,766 bound variables, PostgreSQL 65,535; a
// project row binds 45).
const (
	BulkTxRows        = 5000
	bulkStmtRows      = 200
	bulkDeadlineStmts = 500
)

// BulkInsertProjects stores many projects at once (`gengxin demo --projects
// N`, scale tests): BulkTxRows rows per transaction, multi-row INSERTs through
// statements prepared once per transaction. It sets each p.ID and p.Version
// (1); ids are taken in advance (the sequence on PostgreSQL, above the
// largest id on SQLite under the write lock) so that deadlines(i), when not
// nil, can be stored for ps[i] in the same transaction. The search index
// stays in sync: SQLite's FTS trigger fires on every row, PostgreSQL's
// search_text is a generated column.
//
// It writes no events: bulk rows are load data, not procedure history, and
// the SM3 event chain is left untouched (the caller records the load itself
// with one AppendEvent if it wishes). Codes are the caller's: use a prefix
// that real codes never take (e.g. "DM").
func (db *DB) BulkInsertProjects(ctx context.Context, ps []*gengxin.Project, deadlines func(i int) []gengxin.Deadline) error {
	for start := 0; start < len(ps); start += BulkTxRows {
		end := min(start+BulkTxRows, len(ps))
		if err := db.bulkTx(ctx, ps, start, end, deadlines); err != nil {
			return err
		}
	}
	return nil
}

const bulkProjectColumns = `id, code, name, category, district, street, address, goal,
 fund_estimate_wan, land_area_m2, building_area_m2, entity_name, entity_uscc, entity_role, contact, major,
 cross_district, complies_with_plans, org_id, source, external_ref, status, submitted_at, received_on,
 review_round, invited, notice_no, notice_on, notice_code, admitted_on, industry_dept, confirmation_doc,
 promoted_on, plan_year, plan_included_on, expected_start_year, needs_impl_plan, impl_plan_done_on,
 completion_on, exit_ground, exit_on, exit_reason, reject_reason, version, created_at, updated_at`

// bulkProjectRow is one row's VALUES tuple: id, the 42 fields of
// projectArgs, version 1, created_at, updated_at.
var bulkProjectRow = "(" + strings.Repeat("?,", 43) + "1,?,?)"

const bulkDeadlineColumns = `project_id, kind, round, start_on, amount, unit, due_on, citation, status, closed_on, provisional`

var bulkDeadlineRow = "(" + placeholders(11) + ")"

func multiRow(head, row string, n int) string {
	var b strings.Builder
	b.Grow(len(head) + n*(len(row)+1))
	b.WriteString(head)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}

// stmtCache prepares a multi-row statement once per row count within a
// transaction (only the full size and one tail size are ever used).
type stmtCache struct {
	ctx     context.Context
	tx      *sql.Tx
	dialect Dialect
	head    string
	row     string
	stmts   map[int]*sql.Stmt
}

func (c *stmtCache) get(n int) (*sql.Stmt, error) {
	if s, ok := c.stmts[n]; ok {
		return s, nil
	}
	s, err := c.tx.PrepareContext(c.ctx, rebind(c.dialect, multiRow(c.head, c.row, n)))
	if err != nil {
		return nil, mapErr(err)
	}
	c.stmts[n] = s
	return s, nil
}

func (c *stmtCache) close() {
	for _, s := range c.stmts {
		s.Close()
	}
}

func (db *DB) bulkTx(ctx context.Context, ps []*gengxin.Project, start, end int, deadlines func(int) []gengxin.Deadline) error {
	return db.Tx(ctx, func(tx *Tx) error {
		stx, ok := tx.ex.(*sql.Tx)
		if !ok {
			return fmt.Errorf("bulk insert: not in a transaction")
		}
		ids, err := tx.reserveProjectIDs(end - start)
		if err != nil {
			return err
		}
		projects := &stmtCache{ctx: ctx, tx: stx, dialect: db.Dialect, head: `INSERT INTO projects (` + bulkProjectColumns + `) VALUES `, row: bulkProjectRow, stmts: map[int]*sql.Stmt{}}
		defer projects.close()
		dls := &stmtCache{ctx: ctx, tx: stx, dialect: db.Dialect, head: `INSERT INTO deadlines (` + bulkDeadlineColumns + `) VALUES `, row: bulkDeadlineRow, stmts: map[int]*sql.Stmt{}}
		defer dls.close()

		var dlArgs []any
		dlRows := 0
		flushDeadlines := func() error {
			if dlRows == 0 {
				return nil
			}
			s, err := dls.get(dlRows)
			if err != nil {
				return err
			}
			if _, err := s.ExecContext(ctx, dlArgs...); err != nil {
				return mapErr(err)
			}
			dlArgs, dlRows = dlArgs[:0], 0
			return nil
		}

		args := make([]any, 0, bulkStmtRows*45)
		for i := start; i < end; i += bulkStmtRows {
			j := min(i+bulkStmtRows, end)
			args = args[:0]
			for k := i; k < j; k++ {
				p := ps[k]
				p.ID, p.Version = ids[k-start], 1
				args = append(args, p.ID)
				pa, err := tx.sealedProjectArgs(p)
				if err != nil {
					return err
				}
				args = append(args, pa...)
				args = append(args, ts(p.CreatedAt), ts(p.UpdatedAt))
			}
			s, err := projects.get(j - i)
			if err != nil {
				return err
			}
			if _, err := s.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("bulk insert projects: %w", mapErr(err))
			}
			if deadlines == nil {
				continue
			}
			for k := i; k < j; k++ {
				for _, d := range deadlines(k) {
					dlArgs = append(dlArgs, ps[k].ID, string(d.Kind), d.Round, d.StartOn, d.Amount, d.Unit, d.Due, d.Citation, d.Status, d.ClosedOn, d.Provisional)
					if dlRows++; dlRows == bulkDeadlineStmts {
						if err := flushDeadlines(); err != nil {
							return err
						}
					}
				}
			}
		}
		return flushDeadlines()
	})
}

// reserveProjectIDs returns n unused project ids. On PostgreSQL they are
// drawn from the identity sequence; on SQLite the transaction holds the
// write lock, so the ids above both the largest id and the AUTOINCREMENT
// high-water mark are free (SQLite moves the mark past explicit ids).
func (tx *Tx) reserveProjectIDs(n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if tx.dialect == Postgres {
		rows, err := tx.query(`SELECT nextval(pg_get_serial_sequence('projects', 'id')) FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
		if len(ids) != n {
			return nil, fmt.Errorf("bulk insert: reserved %d ids, want %d", len(ids), n)
		}
		return ids, nil
	}
	var maxID, seq int64
	if err := tx.row(`SELECT COALESCE(MAX(id), 0) FROM projects`).Scan(&maxID); err != nil {
		return nil, mapErr(err)
	}
	if err := tx.row(`SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'projects'`).Scan(&seq); err != nil {
		return nil, mapErr(err)
	}
	base := max(maxID, seq)
	for i := 1; i <= n; i++ {
		ids = append(ids, base+int64(i))
	}
	return ids, nil
}

// CountProjectsWithCodePrefix returns the number of projects whose code
// starts with prefix (e.g. the "DM" synthetic rows).
func (q q) CountProjectsWithCodePrefix(prefix string) (int, error) {
	var n int
	err := q.row(`SELECT COUNT(*) FROM projects WHERE code LIKE ? ESCAPE '\'`, escapeLike(prefix)+"%").Scan(&n)
	return n, mapErr(err)
}
