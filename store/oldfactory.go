package store

import (
	"database/sql"
	"strings"
	"time"

	"gengxin/calendar"
)

// OldFactoryCase is the old-factory renovation case (老旧厂房更新改造) of one
// 产业类 project as stored: Doc is the case document written by package app;
// the other fields are what queues, reminders and the sweep filter on.
type OldFactoryCase struct {
	ProjectID    int64
	District     string
	IndustryDept string
	Stage        string
	Track        string
	NextDue      calendar.Date // the nearest open deadline (zero: none)
	NextDueKind  string
	Doc          string
	Version      int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const oldFactoryCols = `project_id, district, industry_dept, stage, track, next_due, next_due_kind, doc, version, created_at, updated_at`

func scanOldFactory(rows *sql.Rows) ([]*OldFactoryCase, error) {
	return scanAll(rows, func(rows *sql.Rows) (*OldFactoryCase, error) {
		c := &OldFactoryCase{}
		var created, updated string
		if err := rows.Scan(&c.ProjectID, &c.District, &c.IndustryDept, &c.Stage, &c.Track, &c.NextDue, &c.NextDueKind, &c.Doc, &c.Version, &created, &updated); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = parseTS(created), parseTS(updated)
		return c, nil
	})
}

// InsertOldFactoryCase stores a new case (version 1). A second case for the
// same project is an EConflict.
func (tx *Tx) InsertOldFactoryCase(c *OldFactoryCase) error {
	c.Version = 1
	_, err := tx.exec(`INSERT INTO old_factory_cases (`+oldFactoryCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?)`,
		c.ProjectID, c.District, c.IndustryDept, c.Stage, c.Track, c.NextDue, c.NextDueKind, c.Doc, c.Version, ts(c.CreatedAt), ts(c.UpdatedAt))
	return mapErr(err)
}

// UpdateOldFactoryCase writes c if its stored version is still c.Version and
// increments it; a lost race is an EConflict.
func (tx *Tx) UpdateOldFactoryCase(c *OldFactoryCase) error {
	res, err := tx.exec(`UPDATE old_factory_cases SET industry_dept = ?, stage = ?, track = ?, next_due = ?, next_due_kind = ?, doc = ?,
 updated_at = ?, version = version + 1 WHERE project_id = ? AND version = ?`,
		c.IndustryDept, c.Stage, c.Track, c.NextDue, c.NextDueKind, c.Doc, ts(c.UpdatedAt), c.ProjectID, c.Version)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return conflict("老旧厂房改造案件已被他人更新，请刷新后重试")
	}
	c.Version++
	return nil
}

// OldFactoryCase returns the case of project pid; inside a transaction on
// PostgreSQL the row is locked until the end of it.
func (q q) OldFactoryCase(pid int64) (*OldFactoryCase, error) {
	rows, err := q.query(`SELECT `+oldFactoryCols+` FROM old_factory_cases WHERE project_id = ?`+q.lockSuffix(), pid)
	return one(rows, err, scanOldFactory, "老旧厂房改造案件")
}

// OldFactoryFilter selects cases: District ("" = all), IndustryDept,
// Stage, and DueBy (non-zero: only cases with a deadline on or before it).
type OldFactoryFilter struct {
	District     string
	IndustryDept string
	Stage        string
	DueBy        calendar.Date
}

// OldFactoryCases returns the cases of f, nearest deadline first.
func (q q) OldFactoryCases(f OldFactoryFilter) ([]*OldFactoryCase, error) {
	var where []string
	var args []any
	if f.District != "" {
		where, args = append(where, "district = ?"), append(args, f.District)
	}
	if f.IndustryDept != "" {
		where, args = append(where, "industry_dept = ?"), append(args, f.IndustryDept)
	}
	if f.Stage != "" {
		where, args = append(where, "stage = ?"), append(args, f.Stage)
	}
	if !f.DueBy.IsZero() {
		where, args = append(where, "next_due IS NOT NULL AND next_due <= ?"), append(args, f.DueBy.String())
	}
	query := `SELECT ` + oldFactoryCols + ` FROM old_factory_cases`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := q.query(query+` ORDER BY next_due IS NULL, next_due, project_id`, args...)
	if err != nil {
		return nil, err
	}
	return scanOldFactory(rows)
}

// FactoryCandidate is one factory reported for the old-factory inventory
// (经信14号 三(一)). Qualifies is the OF-01 outcome at reporting time.
type FactoryCandidate struct {
	ID                  int64         `json:"id"`
	OrgID               int64         `json:"-"`
	Owner               string        `json:"owner"`
	USCC                string        `json:"uscc"`
	Name                string        `json:"name"`
	District            string        `json:"district"`
	Address             string        `json:"address"`
	BuildingAreaM2      string        `json:"building_area_m2"`
	VacantAreaM2        string        `json:"vacant_area_m2"`
	SafetyHazard        bool          `json:"safety_hazard"`
	OutputBelowStandard bool          `json:"output_below_standard"`
	Qualifies           string        `json:"qualifies"`
	Finding             string        `json:"finding"`
	Status              string        `json:"status"`
	Note                string        `json:"note,omitempty"`
	ReportedOn          calendar.Date `json:"reported_on"`
	ReviewedBy          string        `json:"reviewed_by,omitempty"`
	ReviewedOn          calendar.Date `json:"reviewed_on,omitzero"`
}

const candidateCols = `id, org_id, owner, uscc, name, district, address, building_area_m2, vacant_area_m2, safety_hazard, output_below_standard, qualifies, finding, status, note, reported_on, reviewed_by, reviewed_on`

func scanCandidates(rows *sql.Rows) ([]*FactoryCandidate, error) {
	return scanAll(rows, func(rows *sql.Rows) (*FactoryCandidate, error) {
		c := &FactoryCandidate{}
		if err := rows.Scan(&c.ID, &c.OrgID, &c.Owner, &c.USCC, &c.Name, &c.District, &c.Address, &c.BuildingAreaM2, &c.VacantAreaM2,
			&c.SafetyHazard, &c.OutputBelowStandard, &c.Qualifies, &c.Finding, &c.Status, &c.Note, &c.ReportedOn, &c.ReviewedBy, &c.ReviewedOn); err != nil {
			return nil, err
		}
		return c, nil
	})
}

// InsertFactoryCandidate stores c; the same (信用代码, name, address) twice
// is an EConflict.
func (tx *Tx) InsertFactoryCandidate(c *FactoryCandidate) error {
	var err error
	c.ID, err = tx.insert(`INSERT INTO factory_inventory (org_id, owner, uscc, name, district, address, building_area_m2, vacant_area_m2,
 safety_hazard, output_below_standard, qualifies, finding, status, note, reported_on, reviewed_by, reviewed_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.OrgID, c.Owner, c.USCC, c.Name, c.District, c.Address, c.BuildingAreaM2, c.VacantAreaM2, c.SafetyHazard, c.OutputBelowStandard,
		c.Qualifies, c.Finding, c.Status, c.Note, c.ReportedOn, c.ReviewedBy, c.ReviewedOn)
	return err
}

// ReviewFactoryCandidate records the district's decision on candidate id.
func (tx *Tx) ReviewFactoryCandidate(id int64, status, note, by string, on calendar.Date) error {
	res, err := tx.exec(`UPDATE factory_inventory SET status = ?, note = ?, reviewed_by = ?, reviewed_on = ? WHERE id = ?`, status, note, by, on, id)
	if err != nil {
		return mapErr(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return notFound("厂房")
	}
	return nil
}

// FactoryCandidate returns candidate id.
func (q q) FactoryCandidate(id int64) (*FactoryCandidate, error) {
	rows, err := q.query(`SELECT `+candidateCols+` FROM factory_inventory WHERE id = ?`, id)
	return one(rows, err, scanCandidates, "厂房")
}

// FactoryCandidates returns the inventory of a district ("" = all) and of an
// owner (0 = all), by district then id.
func (q q) FactoryCandidates(district string, orgID int64) ([]*FactoryCandidate, error) {
	query, args := `SELECT `+candidateCols+` FROM factory_inventory WHERE 1 = 1`, []any{}
	if district != "" {
		query, args = query+` AND district = ?`, append(args, district)
	}
	if orgID != 0 {
		query, args = query+` AND org_id = ?`, append(args, orgID)
	}
	rows, err := q.query(query+` ORDER BY district, id`, args...)
	if err != nil {
		return nil, err
	}
	return scanCandidates(rows)
}
