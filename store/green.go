package store

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"gengxin"
	"gengxin/calendar"
)

// GreenListEntry is one unit on a reference list of 京经信发〔2024〕20号
// 三(三) (绿色工厂、绿色供应链管理企业、绿色工业园区、能效/水效领跑者、环保绩效
// A/B/绩效引领型): listed from ListedOn, until DelistedOn (exclusive) when set.
type GreenListEntry struct {
	ID         int64         `json:"id"`
	Kind       string        `json:"kind"`
	Name       string        `json:"name"`
	USCC       string        `json:"uscc,omitempty"`
	ListedOn   calendar.Date `json:"listed_on"`
	DelistedOn calendar.Date `json:"delisted_on,omitzero"`
	ImportedAt time.Time     `json:"imported_at"`
	ImportedBy string        `json:"imported_by"`
}

// GreenApplication is an application for a green low-carbon award
// (绿色低碳资金奖励申请) as stored. Money is decimal text in 万元; Facts,
// Detail and Findings are JSON documents written by package app.
type GreenApplication struct {
	ID          int64         `json:"id"`
	OrgID       int64         `json:"-"`
	Enterprise  string        `json:"enterprise"`
	USCC        string        `json:"uscc"`
	ProjectName string        `json:"project_name"`
	ProjectKey  string        `json:"-"`
	District    string        `json:"district"`
	Measure     string        `json:"measure"`
	Year        int           `json:"year"`
	Facts       string        `json:"-"`
	Detail      string        `json:"-"`
	Listed      bool          `json:"listed_green_unit"`
	ListedNote  string        `json:"listed_note,omitempty"`
	CapWan      string        `json:"cap_wan"`
	CapRule     string        `json:"cap_rule"`
	CapCitation string        `json:"cap_citation"`
	Findings    string        `json:"-"`
	Status      string        `json:"status"`
	AppliedOn   calendar.Date `json:"applied_on"`
	CreatedAt   time.Time     `json:"created_at"`
	ApprovedWan string        `json:"approved_wan,omitempty"`
	DecidedOn   calendar.Date `json:"decided_on,omitzero"`
	DecidedBy   string        `json:"decided_by,omitempty"`
	Reason      string        `json:"reason,omitempty"`
	NoticeNo    string        `json:"notice_no,omitempty"`
	NoticeCode  string        `json:"notice_code,omitempty"`
}

// InsertGreenListEntry stores e unless the same (kind, 信用代码, name,
// listed_on) is already listed, in which case it updates delisted_on. It
// reports whether a new row was created and sets e.ID.
func (tx *Tx) InsertGreenListEntry(e *GreenListEntry) (bool, error) {
	var id int64
	err := tx.row(`SELECT id FROM green_list_entries WHERE kind = ? AND uscc = ? AND name = ? AND listed_on = ?`,
		e.Kind, e.USCC, e.Name, e.ListedOn).Scan(&id)
	switch {
	case err == nil:
		e.ID = id
		_, err = tx.exec(`UPDATE green_list_entries SET delisted_on = ?, imported_at = ?, imported_by = ? WHERE id = ?`,
			e.DelistedOn, ts(e.ImportedAt), e.ImportedBy, id)
		return false, err
	case !errors.Is(err, sql.ErrNoRows):
		return false, mapErr(err)
	}
	e.ID, err = tx.insert(`INSERT INTO green_list_entries (kind, name, uscc, listed_on, delisted_on, imported_at, imported_by) VALUES (?,?,?,?,?,?,?)`,
		e.Kind, e.Name, e.USCC, e.ListedOn, e.DelistedOn, ts(e.ImportedAt), e.ImportedBy)
	return err == nil, err
}

const greenListCols = `id, kind, name, uscc, listed_on, delisted_on, imported_at, imported_by`

func scanGreenList(rows *sql.Rows) ([]GreenListEntry, error) {
	defer rows.Close()
	out := []GreenListEntry{}
	for rows.Next() {
		var e GreenListEntry
		var at string
		if err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.USCC, &e.ListedOn, &e.DelistedOn, &at, &e.ImportedBy); err != nil {
			return nil, err
		}
		e.ImportedAt = parseTS(at)
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// GreenListEntries returns the list entries, by kind then name; kind ""
// means every kind.
func (q q) GreenListEntries(kind string) ([]GreenListEntry, error) {
	rows, err := q.query(`SELECT `+greenListCols+` FROM green_list_entries WHERE (? = '' OR kind = ?) ORDER BY kind, name, listed_on`, kind, kind)
	if err != nil {
		return nil, err
	}
	return scanGreenList(rows)
}

// GreenListingsOf returns the list entries of the unit with the 信用代码
// uscc, or, for entries without one, the exact name.
func (q q) GreenListingsOf(uscc, name string) ([]GreenListEntry, error) {
	rows, err := q.query(`SELECT `+greenListCols+` FROM green_list_entries WHERE (uscc <> '' AND uscc = ?) OR (uscc = '' AND name = ?) ORDER BY listed_on, id`, uscc, name)
	if err != nil {
		return nil, err
	}
	return scanGreenList(rows)
}

const greenAppCols = `id, org_id, enterprise, uscc, project_name, project_key, district, measure, year, facts, detail, listed, listed_note,
 cap_wan, cap_rule, cap_citation, findings, status, applied_on, created_at, approved_wan, decided_on, decided_by, reason, notice_no, notice_code`

// InsertGreenApplication stores a and sets a.ID.
func (tx *Tx) InsertGreenApplication(a *GreenApplication) error {
	id, err := tx.insert(`INSERT INTO green_applications (org_id, enterprise, uscc, project_name, project_key, district, measure, year, facts, detail,
 listed, listed_note, cap_wan, cap_rule, cap_citation, findings, status, applied_on, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		a.OrgID, a.Enterprise, a.USCC, a.ProjectName, a.ProjectKey, a.District, a.Measure, a.Year, a.Facts, a.Detail,
		a.Listed, a.ListedNote, a.CapWan, a.CapRule, a.CapCitation, a.Findings, a.Status, a.AppliedOn, ts(a.CreatedAt))
	a.ID = id
	return err
}

// DecideGreenApplication records the bureau's decision on a submitted
// application: it moves a from status "submitted" to a.Status. EConflict
// when the application was decided meanwhile (the loser of two concurrent
// decisions).
func (tx *Tx) DecideGreenApplication(a *GreenApplication) error {
	r, err := tx.exec(`UPDATE green_applications SET status = ?, approved_wan = ?, decided_on = ?, decided_by = ?, reason = ?, notice_no = ?, notice_code = ?
 WHERE id = ? AND status = 'submitted'`, a.Status, a.ApprovedWan, a.DecidedOn, a.DecidedBy, a.Reason, a.NoticeNo, a.NoticeCode, a.ID)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n != 1 {
		return gengxin.Errorf(gengxin.EConflict, "该申请已办结，不能重复审核")
	}
	return nil
}

func scanGreenApps(rows *sql.Rows) ([]*GreenApplication, error) {
	return scanAll(rows, func(rows *sql.Rows) (*GreenApplication, error) {
		var a GreenApplication
		var at string
		if err := rows.Scan(&a.ID, &a.OrgID, &a.Enterprise, &a.USCC, &a.ProjectName, &a.ProjectKey, &a.District, &a.Measure, &a.Year,
			&a.Facts, &a.Detail, &a.Listed, &a.ListedNote, &a.CapWan, &a.CapRule, &a.CapCitation, &a.Findings, &a.Status,
			&a.AppliedOn, &at, &a.ApprovedWan, &a.DecidedOn, &a.DecidedBy, &a.Reason, &a.NoticeNo, &a.NoticeCode); err != nil {
			return nil, err
		}
		a.CreatedAt = parseTS(at)
		return &a, nil
	})
}

// GreenApplication returns application id, or ENotFound. On PostgreSQL
// inside a transaction the row is locked (FOR UPDATE) until the end of it.
func (q q) GreenApplication(id int64) (*GreenApplication, error) {
	rows, err := q.query(`SELECT `+greenAppCols+` FROM green_applications WHERE id = ?`+q.lockSuffix(), id)
	return one(rows, err, scanGreenApps, "奖励申请")
}

// GreenFilter selects applications: OrgID (0 = all), Status ("" = all),
// Measure, District, Year (0 = all).
type GreenFilter struct {
	OrgID    int64
	Status   string
	Measure  string
	District string
	Year     int
	Limit    int // 0 = 1000
}

// GreenApplications returns the applications matching f, newest first.
func (q q) GreenApplications(f GreenFilter) ([]*GreenApplication, error) {
	var where []string
	var args []any
	if f.OrgID != 0 {
		where, args = append(where, "org_id = ?"), append(args, f.OrgID)
	}
	for _, c := range []struct{ col, v string }{{"status", f.Status}, {"measure", f.Measure}, {"district", f.District}} {
		if c.v != "" {
			where, args = append(where, c.col+" = ?"), append(args, c.v)
		}
	}
	if f.Year != 0 {
		where, args = append(where, "year = ?"), append(args, f.Year)
	}
	query := `SELECT ` + greenAppCols + ` FROM green_applications`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 || limit > 100000 {
		limit = 1000
	}
	query += " ORDER BY id DESC LIMIT ?"
	args = append(args, limit)
	rows, err := q.query(query, args...)
	if err != nil {
		return nil, err
	}
	return scanGreenApps(rows)
}

// GreenServedBy returns, of keys, those already rewarded by an approved
// diagnosis award, with the application that holds each.
func (q q) GreenServedBy(keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(keys) == 0 {
		return out, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := q.query(`SELECT served_key, application_id FROM green_served WHERE served_key IN (`+placeholders(len(keys))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var id int64
		if err := rows.Scan(&k, &id); err != nil {
			return nil, err
		}
		out[k] = id
	}
	return out, mapErr(rows.Err())
}

// ClaimGreenServed records that application app rewards the diagnosis of
// the unit with key. It reports false, writing nothing, when the unit was
// already claimed (on PostgreSQL a concurrent claim waits for the other
// transaction and then loses).
func (tx *Tx) ClaimGreenServed(key, name string, app int64) (bool, error) {
	r, err := tx.exec(`INSERT INTO green_served (served_key, name, application_id) VALUES (?,?,?) ON CONFLICT (served_key) DO NOTHING`, key, name, app)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n == 1, mapErr(err)
}

// LockGreenLimit returns the money already used against the limit key
// ("0" for a new key), locking its row until the end of the transaction on
// PostgreSQL (SELECT … FOR UPDATE); SQLite serialises writers anyway.
func (tx *Tx) LockGreenLimit(key string) (string, error) {
	if _, err := tx.exec(`INSERT INTO green_limits (key, used_wan) VALUES (?, '0') ON CONFLICT (key) DO NOTHING`, key); err != nil {
		return "", err
	}
	var used string
	err := tx.row(`SELECT used_wan FROM green_limits WHERE key = ?`+tx.lockSuffix(), key).Scan(&used)
	return used, mapErr(err)
}

// SetGreenLimit sets the money used against a limit locked by LockGreenLimit.
func (tx *Tx) SetGreenLimit(key, used string) error {
	_, err := tx.exec(`UPDATE green_limits SET used_wan = ? WHERE key = ?`, used, key)
	return err
}

// GreenLimitUsed returns the money already approved against the limit key
// ("0" when none), without locking (previews).
func (q q) GreenLimitUsed(key string) (string, error) {
	var used string
	err := q.row(`SELECT used_wan FROM green_limits WHERE key = ?`, key).Scan(&used)
	if errors.Is(err, sql.ErrNoRows) {
		return "0", nil
	}
	return used, mapErr(err)
}
