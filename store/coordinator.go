package store

import (
	"database/sql"
	"strings"
	"time"

	"gengxin/calendar"
)

// ImplUnit is an 实施单元 (京建法〔2024〕1号 第二条) with its 基本条件
// (第五条). Sensitive is "" or the 第六条第三款 case (涉密 / 紧急救援).
type ImplUnit struct {
	ID         int64         `json:"id"`
	District   string        `json:"district"`
	Name       string        `json:"name"`
	Scope      string        `json:"scope"`
	Basis      string        `json:"basis"`
	Projects   string        `json:"projects,omitempty"`
	Conditions string        `json:"conditions,omitempty"`
	Sensitive  string        `json:"sensitive,omitempty"`
	CreatedOn  calendar.Date `json:"created_on"`
	CreatedBy  string        `json:"created_by"`
}

// Selection is one 统筹主体确定 of a unit (第六条、第七条). Criteria is the
// JSON of the announced scoring criteria.
type Selection struct {
	ID                  int64         `json:"id"`
	UnitID              int64         `json:"unit_id"`
	District            string        `json:"district"`
	Method              string        `json:"method"`
	MethodBasis         string        `json:"method_basis,omitempty"`
	Status              string        `json:"status"`
	Criteria            string        `json:"-"`
	ApplyUntil          calendar.Date `json:"apply_until,omitzero"`
	AnnouncementID      int64         `json:"announcement_id,omitempty"`
	ChosenName          string        `json:"chosen_name,omitempty"`
	ChosenUSCC          string        `json:"chosen_uscc,omitempty"`
	ChosenOrgID         int64         `json:"-"`
	ChosenApplicationID int64         `json:"chosen_application_id,omitempty"`
	DecisionRecord      string        `json:"decision_record,omitempty"`
	DecidedOn           calendar.Date `json:"decided_on,omitzero"`
	PublicityID         int64         `json:"publicity_id,omitempty"`
	PublicityStart      calendar.Date `json:"publicity_start,omitzero"`
	PublicityEnd        calendar.Date `json:"publicity_end,omitzero"`
	CreatedOn           calendar.Date `json:"created_on"`
	CreatedBy           string        `json:"created_by"`
}

// SelectionApplication is a company's application in an open selection.
type SelectionApplication struct {
	ID          int64         `json:"id"`
	SelectionID int64         `json:"selection_id"`
	OrgID       int64         `json:"-"`
	OrgName     string        `json:"org_name"`
	USCC        string        `json:"uscc"`
	Statement   string        `json:"statement"`
	AppliedOn   calendar.Date `json:"applied_on"`
}

// SelectionScore is one score of the 综合评估 (第七条第一款).
type SelectionScore struct {
	ID            int64         `json:"id"`
	ApplicationID int64         `json:"application_id"`
	Scorer        string        `json:"scorer"`
	ScorerKind    string        `json:"scorer_kind"`
	Criterion     string        `json:"criterion"`
	Score         string        `json:"score"`
	RecordedOn    calendar.Date `json:"recorded_on"`
	RecordedBy    string        `json:"recorded_by"`
}

// Coordinator is a confirmed 统筹主体 (第八条) as stored; Functions is the
// comma-separated items (1–5) granted, Extensions the JSON list of
// extensions (第十一条第二款).
type Coordinator struct {
	ID               int64         `json:"id"`
	UnitID           int64         `json:"unit_id"`
	SelectionID      int64         `json:"selection_id"`
	District         string        `json:"district"`
	Name             string        `json:"name"`
	USCC             string        `json:"uscc"`
	OrgID            int64         `json:"-"`
	Functions        string        `json:"-"`
	OtherFunction    string        `json:"other_function,omitempty"`
	TermYears        int           `json:"term_years"`
	TermNote         string        `json:"term_note,omitempty"`
	ConfirmedOn      calendar.Date `json:"confirmed_on"`
	TermEnd          calendar.Date `json:"term_end"`
	DocNo            string        `json:"doc_no"`
	DocCode          string        `json:"doc_code"`
	Extensions       string        `json:"-"`
	Status           string        `json:"status"`
	CancelGround     int           `json:"cancel_ground,omitempty"`
	CancelReason     string        `json:"cancel_reason,omitempty"`
	CancelEvaluation string        `json:"cancel_evaluation,omitempty"`
	LiquidationWan   string        `json:"liquidation_wan,omitempty"`
	CancelledOn      calendar.Date `json:"cancelled_on,omitzero"`
	Agreement        string        `json:"agreement,omitempty"`
	AgreementOn      calendar.Date `json:"agreement_on,omitzero"`
	ExtensionRequest string        `json:"-"` // JSON of the coordinator's pending request, "" = none
	Version          int           `json:"-"`
}

// InsertUnit stores u and sets u.ID.
func (tx *Tx) InsertUnit(u *ImplUnit) error {
	id, err := tx.insert(`INSERT INTO impl_units (district, name, scope, basis, projects, conditions, sensitive, created_on, created_by) VALUES (?,?,?,?,?,?,?,?,?)`,
		u.District, u.Name, u.Scope, u.Basis, u.Projects, u.Conditions, u.Sensitive, u.CreatedOn, u.CreatedBy)
	u.ID = id
	return err
}

// UpdateUnitConditions sets the 基本条件 of unit id.
func (tx *Tx) UpdateUnitConditions(id int64, conditions string) error {
	_, err := tx.exec(`UPDATE impl_units SET conditions = ? WHERE id = ?`, conditions, id)
	return err
}

const unitCols = `id, district, name, scope, basis, projects, conditions, sensitive, created_on, created_by`

func scanUnits(rows *sql.Rows) ([]*ImplUnit, error) {
	return scanAll(rows, func(rows *sql.Rows) (*ImplUnit, error) {
		var u ImplUnit
		if err := rows.Scan(&u.ID, &u.District, &u.Name, &u.Scope, &u.Basis, &u.Projects, &u.Conditions, &u.Sensitive, &u.CreatedOn, &u.CreatedBy); err != nil {
			return nil, err
		}
		return &u, nil
	})
}

// Unit returns unit id, or ENotFound. In a PostgreSQL transaction the row
// is locked (FOR UPDATE), which serialises the steps of one unit.
func (q q) Unit(id int64) (*ImplUnit, error) {
	rows, err := q.query(`SELECT `+unitCols+` FROM impl_units WHERE id = ?`+q.lockSuffix(), id)
	return one(rows, err, scanUnits, "实施单元")
}

// Units returns the units of district ("" = all), newest first.
func (q q) Units(district string) ([]*ImplUnit, error) {
	rows, err := q.query(`SELECT `+unitCols+` FROM impl_units WHERE (? = '' OR district = ?) ORDER BY id DESC LIMIT 1000`, district, district)
	if err != nil {
		return nil, err
	}
	return scanUnits(rows)
}

const selCols = `id, unit_id, district, method, method_basis, status, criteria, apply_until, announcement_id, chosen_name, chosen_uscc, chosen_org_id,
 chosen_application_id, decision_record, decided_on, publicity_id, publicity_start, publicity_end, created_on, created_by`

// InsertSelection stores s and sets s.ID.
func (tx *Tx) InsertSelection(s *Selection) error {
	id, err := tx.insert(`INSERT INTO coordinator_selections (unit_id, district, method, method_basis, status, criteria, apply_until, announcement_id,
 chosen_name, chosen_uscc, chosen_org_id, chosen_application_id, decision_record, decided_on, publicity_id, publicity_start, publicity_end, created_on, created_by)
 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, s.UnitID, s.District, s.Method, s.MethodBasis, s.Status, s.Criteria, s.ApplyUntil, s.AnnouncementID,
		s.ChosenName, s.ChosenUSCC, s.ChosenOrgID, s.ChosenApplicationID, s.DecisionRecord, s.DecidedOn, s.PublicityID, s.PublicityStart, s.PublicityEnd,
		s.CreatedOn, s.CreatedBy)
	s.ID = id
	return err
}

// UpdateSelection writes s, which must still be in status from: EConflict
// otherwise (a concurrent step won).
func (tx *Tx) UpdateSelection(s *Selection, from string) error {
	r, err := tx.exec(`UPDATE coordinator_selections SET method_basis = ?, status = ?, criteria = ?, apply_until = ?, announcement_id = ?, chosen_name = ?,
 chosen_uscc = ?, chosen_org_id = ?, chosen_application_id = ?, decision_record = ?, decided_on = ?, publicity_id = ?, publicity_start = ?, publicity_end = ?
 WHERE id = ? AND status = ?`, s.MethodBasis, s.Status, s.Criteria, s.ApplyUntil, s.AnnouncementID, s.ChosenName, s.ChosenUSCC, s.ChosenOrgID,
		s.ChosenApplicationID, s.DecisionRecord, s.DecidedOn, s.PublicityID, s.PublicityStart, s.PublicityEnd, s.ID, from)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n != 1 {
		return conflict("确定程序已被他人推进，请刷新后重试")
	}
	return nil
}

func scanSels(rows *sql.Rows) ([]*Selection, error) {
	return scanAll(rows, func(rows *sql.Rows) (*Selection, error) {
		var s Selection
		if err := rows.Scan(&s.ID, &s.UnitID, &s.District, &s.Method, &s.MethodBasis, &s.Status, &s.Criteria, &s.ApplyUntil, &s.AnnouncementID,
			&s.ChosenName, &s.ChosenUSCC, &s.ChosenOrgID, &s.ChosenApplicationID, &s.DecisionRecord, &s.DecidedOn, &s.PublicityID,
			&s.PublicityStart, &s.PublicityEnd, &s.CreatedOn, &s.CreatedBy); err != nil {
			return nil, err
		}
		return &s, nil
	})
}

// Selections returns the selections of unit (0 = every unit) with the
// status in statuses (none = any), newest first.
func (q q) Selections(unit int64, statuses ...string) ([]*Selection, error) {
	query := `SELECT ` + selCols + ` FROM coordinator_selections WHERE (? = 0 OR unit_id = ?)`
	args := []any{unit, unit}
	if len(statuses) > 0 {
		query += ` AND status IN (` + placeholders(len(statuses)) + `)`
		for _, s := range statuses {
			args = append(args, s)
		}
	}
	rows, err := q.query(query+` ORDER BY id DESC LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	return scanSels(rows)
}

// InsertSelectionApplication stores a; a second application of the same
// company is a conflict.
func (tx *Tx) InsertSelectionApplication(a *SelectionApplication) error {
	id, err := tx.insert(`INSERT INTO coordinator_applications (selection_id, org_id, org_name, uscc, statement, applied_on) VALUES (?,?,?,?,?,?)`,
		a.SelectionID, a.OrgID, a.OrgName, a.USCC, a.Statement, a.AppliedOn)
	a.ID = id
	return err
}

const selAppCols = `id, selection_id, org_id, org_name, uscc, statement, applied_on`

func scanSelApps(rows *sql.Rows) ([]*SelectionApplication, error) {
	return scanAll(rows, func(rows *sql.Rows) (*SelectionApplication, error) {
		var a SelectionApplication
		if err := rows.Scan(&a.ID, &a.SelectionID, &a.OrgID, &a.OrgName, &a.USCC, &a.Statement, &a.AppliedOn); err != nil {
			return nil, err
		}
		return &a, nil
	})
}

// SelectionApplications returns the applications of selection sel in order.
func (q q) SelectionApplications(sel int64) ([]*SelectionApplication, error) {
	rows, err := q.query(`SELECT `+selAppCols+` FROM coordinator_applications WHERE selection_id = ? ORDER BY id`, sel)
	if err != nil {
		return nil, err
	}
	return scanSelApps(rows)
}

// SelectionApplication returns application id, or ENotFound.
func (q q) SelectionApplication(id int64) (*SelectionApplication, error) {
	rows, err := q.query(`SELECT `+selAppCols+` FROM coordinator_applications WHERE id = ?`, id)
	return one(rows, err, scanSelApps, "申报")
}

// UpsertScore records a score, replacing the same scorer's earlier score
// of the same criterion for the same application.
func (tx *Tx) UpsertScore(s *SelectionScore) error {
	_, err := tx.exec(`INSERT INTO coordinator_scores (application_id, scorer, scorer_kind, criterion, score, recorded_on, recorded_by) VALUES (?,?,?,?,?,?,?)
 ON CONFLICT (application_id, scorer, criterion) DO UPDATE SET scorer_kind = excluded.scorer_kind, score = excluded.score, recorded_on = excluded.recorded_on, recorded_by = excluded.recorded_by`,
		s.ApplicationID, s.Scorer, s.ScorerKind, s.Criterion, s.Score, s.RecordedOn, s.RecordedBy)
	return err
}

// SelectionScores returns the scores of the applications of selection sel.
func (q q) SelectionScores(sel int64) ([]*SelectionScore, error) {
	rows, err := q.query(`SELECT s.id, s.application_id, s.scorer, s.scorer_kind, s.criterion, s.score, s.recorded_on, s.recorded_by
 FROM coordinator_scores s JOIN coordinator_applications a ON a.id = s.application_id WHERE a.selection_id = ? ORDER BY s.application_id, s.scorer, s.id`, sel)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (*SelectionScore, error) {
		var s SelectionScore
		if err := rows.Scan(&s.ID, &s.ApplicationID, &s.Scorer, &s.ScorerKind, &s.Criterion, &s.Score, &s.RecordedOn, &s.RecordedBy); err != nil {
			return nil, err
		}
		return &s, nil
	})
}

const coordCols = `id, unit_id, selection_id, district, name, uscc, org_id, functions, other_function, term_years, term_note, confirmed_on, term_end,
 doc_no, doc_code, extensions, status, cancel_ground, cancel_reason, cancel_evaluation, liquidation_wan, cancelled_on, agreement, agreement_on, extension_request, version`

// InsertCoordinator stores c and sets c.ID and c.Version (1).
func (tx *Tx) InsertCoordinator(c *Coordinator) error {
	id, err := tx.insert(`INSERT INTO coordinators (unit_id, selection_id, district, name, uscc, org_id, functions, other_function, term_years, term_note,
 confirmed_on, term_end, doc_no, doc_code, extensions, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, c.UnitID, c.SelectionID, c.District, c.Name, c.USCC,
		c.OrgID, c.Functions, c.OtherFunction, c.TermYears, c.TermNote, c.ConfirmedOn, c.TermEnd, c.DocNo, c.DocCode, c.Extensions, c.Status)
	c.ID, c.Version = id, 1
	return err
}

// UpdateCoordinator writes the mutable fields of c if its stored version is
// still c.Version (EConflict otherwise) and increments c.Version.
func (tx *Tx) UpdateCoordinator(c *Coordinator) error {
	r, err := tx.exec(`UPDATE coordinators SET term_end = ?, extensions = ?, status = ?, cancel_ground = ?, cancel_reason = ?, cancel_evaluation = ?,
 liquidation_wan = ?, cancelled_on = ?, agreement = ?, agreement_on = ?, extension_request = ?, version = version + 1 WHERE id = ? AND version = ?`,
		c.TermEnd, c.Extensions, c.Status, c.CancelGround, c.CancelReason, c.CancelEvaluation, c.LiquidationWan, c.CancelledOn, c.Agreement, c.AgreementOn,
		c.ExtensionRequest, c.ID, c.Version)
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return mapErr(err)
	} else if n != 1 {
		return conflict("统筹主体信息已被他人修改，请刷新后重试")
	}
	c.Version++
	return nil
}

func scanCoords(rows *sql.Rows) ([]*Coordinator, error) {
	return scanAll(rows, func(rows *sql.Rows) (*Coordinator, error) {
		var c Coordinator
		if err := rows.Scan(&c.ID, &c.UnitID, &c.SelectionID, &c.District, &c.Name, &c.USCC, &c.OrgID, &c.Functions, &c.OtherFunction, &c.TermYears,
			&c.TermNote, &c.ConfirmedOn, &c.TermEnd, &c.DocNo, &c.DocCode, &c.Extensions, &c.Status, &c.CancelGround, &c.CancelReason,
			&c.CancelEvaluation, &c.LiquidationWan, &c.CancelledOn, &c.Agreement, &c.AgreementOn, &c.ExtensionRequest, &c.Version); err != nil {
			return nil, err
		}
		return &c, nil
	})
}

// Coordinator returns coordinator id, or ENotFound.
func (q q) Coordinator(id int64) (*Coordinator, error) {
	rows, err := q.query(`SELECT `+coordCols+` FROM coordinators WHERE id = ?`, id)
	return one(rows, err, scanCoords, "统筹主体")
}

// CoordinatorsOfUnit returns the coordinators of unit, newest first.
func (q q) CoordinatorsOfUnit(unit int64) ([]*Coordinator, error) {
	rows, err := q.query(`SELECT `+coordCols+` FROM coordinators WHERE unit_id = ? ORDER BY id DESC`, unit)
	if err != nil {
		return nil, err
	}
	return scanCoords(rows)
}

// ExpiredCoordinators returns the coordinators with status active whose
// term ended before day (their last day is earlier than day), oldest first.
func (q q) ExpiredCoordinators(active string, day calendar.Date) ([]*Coordinator, error) {
	rows, err := q.query(`SELECT `+coordCols+` FROM coordinators WHERE status = ? AND term_end < ? ORDER BY term_end, id`, active, day.String())
	if err != nil {
		return nil, err
	}
	return scanCoords(rows)
}

// FindCoordinators returns the coordinators whose 统一社会信用代码 is
// exactly code, or whose name contains name (a substring), newest first.
func (q q) FindCoordinators(name, code string) ([]*Coordinator, error) {
	// LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's
	// does not; the two databases answer alike.
	like := "%" + escapeLike(strings.ToLower(strings.TrimSpace(name))) + "%"
	rows, err := q.query(`SELECT `+coordCols+` FROM coordinators WHERE (? <> '' AND uscc = ?) OR (? <> '' AND LOWER(name) LIKE ? ESCAPE '\') ORDER BY id DESC LIMIT 200`,
		code, code, name, like)
	if err != nil {
		return nil, err
	}
	return scanCoords(rows)
}

// ApplicationFile is one material of a coordinator application.
type ApplicationFile struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Filename      string    `json:"filename"`
	ContentType   string    `json:"content_type"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	StorageName   string    `json:"-"`
	UploadedBy    string    `json:"uploaded_by"`
	At            time.Time `json:"at"`
}

const appFileCols = `id, application_id, filename, content_type, size, sha256, storage_name, uploaded_by, at`

// InsertApplicationFile stores f and sets f.ID.
func (tx *Tx) InsertApplicationFile(f *ApplicationFile) error {
	var err error
	f.ID, err = tx.insert(`INSERT INTO coordinator_application_files (application_id, filename, content_type, size, sha256, storage_name, uploaded_by, at)
 VALUES (?,?,?,?,?,?,?,?)`, f.ApplicationID, f.Filename, f.ContentType, f.Size, f.SHA256, f.StorageName, f.UploadedBy, ts(f.At))
	return err
}

func scanAppFiles(rows *sql.Rows) ([]*ApplicationFile, error) {
	return scanAll(rows, func(rows *sql.Rows) (*ApplicationFile, error) {
		var f ApplicationFile
		var at string
		if err := rows.Scan(&f.ID, &f.ApplicationID, &f.Filename, &f.ContentType, &f.Size, &f.SHA256, &f.StorageName, &f.UploadedBy, &at); err != nil {
			return nil, err
		}
		f.At = parseTS(at)
		return &f, nil
	})
}

// ApplicationFiles returns the files of the applications of selection sel,
// by application id.
func (q q) ApplicationFiles(sel int64) (map[int64][]ApplicationFile, error) {
	rows, err := q.query(`SELECT f.id, f.application_id, f.filename, f.content_type, f.size, f.sha256, f.storage_name, f.uploaded_by, f.at
 FROM coordinator_application_files f JOIN coordinator_applications a ON a.id = f.application_id WHERE a.selection_id = ? ORDER BY f.id`, sel)
	if err != nil {
		return nil, err
	}
	fs, err := scanAppFiles(rows)
	if err != nil {
		return nil, err
	}
	out := map[int64][]ApplicationFile{}
	for _, f := range fs {
		out[f.ApplicationID] = append(out[f.ApplicationID], *f)
	}
	return out, nil
}

// ApplicationFile returns file id with its application, or ENotFound.
func (q q) ApplicationFile(id int64) (*ApplicationFile, *SelectionApplication, error) {
	rows, err := q.query(`SELECT `+appFileCols+` FROM coordinator_application_files WHERE id = ?`, id)
	f, err := one(rows, err, scanAppFiles, "申报材料")
	if err != nil {
		return nil, nil, err
	}
	ap, err := q.SelectionApplication(f.ApplicationID)
	if err != nil {
		return nil, nil, err
	}
	return f, ap, nil
}
