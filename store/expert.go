package store

import (
	"database/sql"
	"encoding/json"
	"time"

	"gengxin/calendar"
)

// Expert is a record of the expert registry (专家库) of 京建法〔2024〕3号
// as stored: the fields of RULES R10, the declared relations the recusal
// rule compares (近亲属、利害关系单位、行政隶属单位), the vetting by the
// recommending department (第十三条) and the exit decision (第十二条). Phone
// and IDNumber are personal data, sealed at rest and opened on read.
type Expert struct {
	ID                 int64         `json:"id"`
	Name               string        `json:"name"`
	Gender             string        `json:"gender"`
	BirthDate          calendar.Date `json:"birth_date"`
	Employer           string        `json:"employer"`
	Title              string        `json:"title"`
	Fields             []string      `json:"fields"`
	Recommender        string        `json:"recommender"`
	Academician        bool          `json:"academician"`
	Shortage           bool          `json:"shortage_field"`
	Phone              string        `json:"phone,omitempty"`
	IDNumber           string        `json:"id_number,omitempty"`
	Relatives          []string      `json:"relatives,omitempty"`
	Interests          []string      `json:"interest_units,omitempty"`
	AdminUnits         []string      `json:"admin_units,omitempty"`
	Status             string        `json:"status"`
	AppliedOn          calendar.Date `json:"applied_on"`
	NominatedBy        string        `json:"nominated_by"`
	VettedOn           calendar.Date `json:"vetted_on,omitzero"`
	VettedBy           string        `json:"vetted_by,omitempty"`
	VetNote            string        `json:"vet_note,omitempty"`
	UserID             int64         `json:"user_id,omitempty"`
	ExitGround         int           `json:"exit_ground,omitempty"`
	ExitReason         string        `json:"exit_reason,omitempty"`
	ExitOpinion        string        `json:"exit_recommender_opinion,omitempty"`
	ExitEmployerNotice string        `json:"exit_employer_notice,omitempty"`
	ExitedOn           calendar.Date `json:"exited_on,omitzero"`
	ExitedBy           string        `json:"exited_by,omitempty"`
	Committee          string        `json:"committee"` // "" the municipal committee, else the district (EX-07)
	CreatedAt          time.Time     `json:"created_at"`
}

// ExpertTerm is one 聘书 (第六条): the term's sequence (1 = first
// appointment, then 连聘), its first and last day, the certificate number
// and verification code, and the EX-01 outcome with the justification
// recorded when it warned.
type ExpertTerm struct {
	ID            int64         `json:"id"`
	ExpertID      int64         `json:"expert_id"`
	Seq           int           `json:"seq"`
	AppointedOn   calendar.Date `json:"appointed_on"`
	TermEnd       calendar.Date `json:"term_end"`
	CertNo        string        `json:"cert_no"`
	CertCode      string        `json:"cert_code"`
	AgeOutcome    string        `json:"age_outcome"`
	Justification string        `json:"justification,omitempty"`
	IssuedBy      string        `json:"issued_by"`
	CreatedAt     time.Time     `json:"created_at"`
}

// ExpertMeeting is a plenary meeting (集体会议, 第九条) with its minutes.
type ExpertMeeting struct {
	ID         int64         `json:"id"`
	HeldOn     calendar.Date `json:"held_on"`
	Title      string        `json:"title"`
	Attendees  []int64       `json:"attendees"`
	Minutes    string        `json:"minutes"`
	RecordedBy string        `json:"recorded_by"`
	CreatedAt  time.Time     `json:"created_at"`
}

// ExpertConsultation is a consultation with its 专家使用方案 (第九条).
type ExpertConsultation struct {
	ID               int64         `json:"id"`
	Subject          string        `json:"subject"`
	Kind             string        `json:"kind"`
	ProjectID        int64         `json:"project_id,omitempty"`
	UsingUnit        string        `json:"using_unit"`
	UsingRole        string        `json:"using_role"`
	UsingDept        string        `json:"using_dept,omitempty"`
	UsingDistrict    string        `json:"using_district,omitempty"`
	Fields           []string      `json:"fields"`
	ExpertsNeeded    int           `json:"experts_needed"`
	Undertaking      string        `json:"undertaking_unit"`
	Leader           string        `json:"leader"`
	Participants     []string      `json:"participants"`
	Cooperating      []string      `json:"cooperating_units"`
	ExcludeEmployers []string      `json:"exclude_employers"`
	Conditions       string        `json:"conditions,omitempty"`
	OpenedOn         calendar.Date `json:"opened_on"`
	Committee        string        `json:"committee"` // the committee drawn from: "" municipal, else the district (EX-07)
	CreatedBy        string        `json:"created_by"`
	CreatedAt        time.Time     `json:"created_at"`
}

// ExpertExclusion is one expert left out of a draw, with the rule, its
// citation and the reason.
type ExpertExclusion struct {
	ExpertID int64  `json:"expert_id"`
	Name     string `json:"name"`
	Rule     string `json:"rule"`
	Citation string `json:"citation"`
	Message  string `json:"message"`
}

// ExpertDraw is one recorded random draw: the seed, the ordered pool of
// eligible experts (ids by field), the experts picked and those excluded.
type ExpertDraw struct {
	ID             int64              `json:"id"`
	ConsultationID int64              `json:"consultation_id"`
	Round          int                `json:"round"`
	Seed           string             `json:"seed"`
	Wanted         int                `json:"wanted"`
	Pool           map[string][]int64 `json:"pool"`
	Picked         []ExpertPick       `json:"picked"`
	Excluded       []ExpertExclusion  `json:"excluded"`
	DrawnOn        calendar.Date      `json:"drawn_on"`
	DrawnBy        string             `json:"drawn_by"`
	CreatedAt      time.Time          `json:"created_at"`
}

// ExpertPick is an expert drawn for a field.
type ExpertPick struct {
	ExpertID int64  `json:"expert_id"`
	Field    string `json:"field"`
}

// ExpertAssignment is an expert drawn for a consultation: status invited,
// recused or answered; the recusal ground, the opinion and the fee.
type ExpertAssignment struct {
	ID             int64         `json:"id"`
	ConsultationID int64         `json:"consultation_id"`
	ExpertID       int64         `json:"expert_id"`
	Round          int           `json:"round"`
	Field          string        `json:"field"`
	Status         string        `json:"status"`
	RecusalGround  string        `json:"recusal_ground,omitempty"`
	RecusalReason  string        `json:"recusal_reason,omitempty"`
	RecusedOn      calendar.Date `json:"recused_on,omitzero"`
	Opinion        string        `json:"opinion,omitempty"`
	OpinionAt      time.Time     `json:"opinion_at,omitzero"`
	FeeWan         string        `json:"fee_wan,omitempty"`
	FeeNote        string        `json:"fee_note,omitempty"`
}

// ExpertReport is a 专项报告 (第八条(三)).
type ExpertReport struct {
	ID          int64         `json:"id"`
	ExpertID    int64         `json:"expert_id"`
	Year        int           `json:"year"`
	Title       string        `json:"title"`
	Body        string        `json:"body"`
	SubmittedOn calendar.Date `json:"submitted_on"`
	CreatedAt   time.Time     `json:"created_at"`
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func fromJSON[T any](s string) T {
	var v T
	json.Unmarshal([]byte(s), &v)
	return v
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

const expertCols = `id, name, gender, birth_date, employer, title, fields, recommender, academician, shortage, phone, id_number,
 relatives, interests, admin_units, status, applied_on, nominated_by, vetted_on, vetted_by, vet_note, user_id,
 exit_ground, exit_reason, exit_opinion, exit_employer_notice, exited_on, exited_by, committee, created_at`

func (q q) expertArgs(e *Expert) ([]any, error) {
	phone, err := q.db.seal(e.Phone)
	if err != nil {
		return nil, err
	}
	idn, err := q.db.seal(e.IDNumber)
	if err != nil {
		return nil, err
	}
	return []any{e.Name, e.Gender, e.BirthDate, e.Employer, e.Title, jsonText(strs(e.Fields)), e.Recommender, e.Academician, e.Shortage, phone, idn,
		jsonText(strs(e.Relatives)), jsonText(strs(e.Interests)), jsonText(strs(e.AdminUnits)), e.Status, e.AppliedOn, e.NominatedBy,
		e.VettedOn, e.VettedBy, e.VetNote, e.UserID, e.ExitGround, e.ExitReason, e.ExitOpinion, e.ExitEmployerNotice, e.ExitedOn, e.ExitedBy, e.Committee, ts(e.CreatedAt)}, nil
}

// InsertExpert stores e (phone and ID number sealed) and sets e.ID.
func (tx *Tx) InsertExpert(e *Expert) error {
	args, err := tx.expertArgs(e)
	if err != nil {
		return err
	}
	e.ID, err = tx.insert(`INSERT INTO experts (name, gender, birth_date, employer, title, fields, recommender, academician, shortage, phone, id_number,
 relatives, interests, admin_units, status, applied_on, nominated_by, vetted_on, vetted_by, vet_note, user_id,
 exit_ground, exit_reason, exit_opinion, exit_employer_notice, exited_on, exited_by, committee, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, args...)
	return err
}

// UpdateExpert writes every field of e back (the caller read it in the
// same transaction).
func (tx *Tx) UpdateExpert(e *Expert) error {
	args, err := tx.expertArgs(e)
	if err != nil {
		return err
	}
	_, err = tx.exec(`UPDATE experts SET name = ?, gender = ?, birth_date = ?, employer = ?, title = ?, fields = ?, recommender = ?, academician = ?, shortage = ?,
 phone = ?, id_number = ?, relatives = ?, interests = ?, admin_units = ?, status = ?, applied_on = ?, nominated_by = ?, vetted_on = ?, vetted_by = ?, vet_note = ?,
 user_id = ?, exit_ground = ?, exit_reason = ?, exit_opinion = ?, exit_employer_notice = ?, exited_on = ?, exited_by = ?, committee = ?, created_at = ? WHERE id = ?`, append(args, e.ID)...)
	return err
}

func (q q) scanExperts(rows *sql.Rows) ([]*Expert, error) {
	return scanAll(rows, func(rows *sql.Rows) (*Expert, error) {
		var e Expert
		var fields, rel, intr, adm, at string
		if err := rows.Scan(&e.ID, &e.Name, &e.Gender, &e.BirthDate, &e.Employer, &e.Title, &fields, &e.Recommender, &e.Academician, &e.Shortage,
			&e.Phone, &e.IDNumber, &rel, &intr, &adm, &e.Status, &e.AppliedOn, &e.NominatedBy, &e.VettedOn, &e.VettedBy, &e.VetNote, &e.UserID,
			&e.ExitGround, &e.ExitReason, &e.ExitOpinion, &e.ExitEmployerNotice, &e.ExitedOn, &e.ExitedBy, &e.Committee, &at); err != nil {
			return nil, err
		}
		var err error
		if e.Phone, err = q.db.open(e.Phone); err != nil {
			return nil, err
		}
		if e.IDNumber, err = q.db.open(e.IDNumber); err != nil {
			return nil, err
		}
		e.Fields, e.Relatives, e.Interests, e.AdminUnits = fromJSON[[]string](fields), fromJSON[[]string](rel), fromJSON[[]string](intr), fromJSON[[]string](adm)
		e.CreatedAt = parseTS(at)
		return &e, nil
	})
}

// Expert returns expert id, or ENotFound. Inside a transaction on
// PostgreSQL the row is locked until the end of it.
func (q q) Expert(id int64) (*Expert, error) {
	rows, err := q.query(`SELECT `+expertCols+` FROM experts WHERE id = ?`+q.lockSuffix(), id)
	return one(rows, err, q.scanExperts, "专家")
}

// ExpertByUser returns the registry record linked to the account userID,
// or ENotFound.
func (q q) ExpertByUser(userID int64) (*Expert, error) {
	rows, err := q.query(`SELECT `+expertCols+` FROM experts WHERE user_id = ? AND user_id <> 0 ORDER BY id LIMIT 1`, userID)
	return one(rows, err, q.scanExperts, "专家档案")
}

// Experts returns the registry, by id; recommender "" means every
// recommending department.
func (q q) Experts(recommender string) ([]*Expert, error) {
	rows, err := q.query(`SELECT `+expertCols+` FROM experts WHERE (? = '' OR recommender = ?) ORDER BY id`, recommender, recommender)
	if err != nil {
		return nil, err
	}
	return q.scanExperts(rows)
}

const termCols = `id, expert_id, seq, appointed_on, term_end, cert_no, cert_code, age_outcome, justification, issued_by, created_at`

// InsertExpertTerm stores a 聘书 and sets t.ID. EConflict (unique seq)
// when a concurrent appointment took the same sequence.
func (tx *Tx) InsertExpertTerm(t *ExpertTerm) error {
	var err error
	t.ID, err = tx.insert(`INSERT INTO expert_terms (expert_id, seq, appointed_on, term_end, cert_no, cert_code, age_outcome, justification, issued_by, created_at)
 VALUES (?,?,?,?,?,?,?,?,?,?)`, t.ExpertID, t.Seq, t.AppointedOn, t.TermEnd, t.CertNo, t.CertCode, t.AgeOutcome, t.Justification, t.IssuedBy, ts(t.CreatedAt))
	return err
}

// ExpertTerms returns the terms of every expert (expertID 0) or of one,
// grouped by expert in sequence order.
func (q q) ExpertTerms(expertID int64) (map[int64][]ExpertTerm, error) {
	rows, err := q.query(`SELECT `+termCols+` FROM expert_terms WHERE (? = 0 OR expert_id = ?) ORDER BY expert_id, seq`, expertID, expertID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]ExpertTerm{}
	for rows.Next() {
		var t ExpertTerm
		var at string
		if err := rows.Scan(&t.ID, &t.ExpertID, &t.Seq, &t.AppointedOn, &t.TermEnd, &t.CertNo, &t.CertCode, &t.AgeOutcome, &t.Justification, &t.IssuedBy, &at); err != nil {
			return nil, err
		}
		t.CreatedAt = parseTS(at)
		out[t.ExpertID] = append(out[t.ExpertID], t)
	}
	return out, mapErr(rows.Err())
}

// InsertExpertMeeting stores a plenary meeting and sets m.ID.
func (tx *Tx) InsertExpertMeeting(m *ExpertMeeting) error {
	var err error
	m.ID, err = tx.insert(`INSERT INTO expert_meetings (held_on, title, attendees, minutes, recorded_by, created_at) VALUES (?,?,?,?,?,?)`,
		m.HeldOn, m.Title, jsonText(m.Attendees), m.Minutes, m.RecordedBy, ts(m.CreatedAt))
	return err
}

// ExpertMeetings returns the plenary meetings, newest first.
func (q q) ExpertMeetings() ([]ExpertMeeting, error) {
	rows, err := q.query(`SELECT id, held_on, title, attendees, minutes, recorded_by, created_at FROM expert_meetings ORDER BY held_on DESC, id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExpertMeeting{}
	for rows.Next() {
		var m ExpertMeeting
		var att, at string
		if err := rows.Scan(&m.ID, &m.HeldOn, &m.Title, &att, &m.Minutes, &m.RecordedBy, &at); err != nil {
			return nil, err
		}
		m.Attendees, m.CreatedAt = fromJSON[[]int64](att), parseTS(at)
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

const consultCols = `id, subject, kind, project_id, using_unit, using_role, using_dept, using_district, fields, experts_needed, undertaking, leader,
 participants, cooperating, exclude_employers, conditions, opened_on, committee, created_by, created_at`

// InsertExpertConsultation stores c and sets c.ID.
func (tx *Tx) InsertExpertConsultation(c *ExpertConsultation) error {
	var err error
	c.ID, err = tx.insert(`INSERT INTO expert_consultations (subject, kind, project_id, using_unit, using_role, using_dept, using_district, fields, experts_needed,
 undertaking, leader, participants, cooperating, exclude_employers, conditions, opened_on, committee, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		c.Subject, c.Kind, c.ProjectID, c.UsingUnit, c.UsingRole, c.UsingDept, c.UsingDistrict, jsonText(strs(c.Fields)), c.ExpertsNeeded,
		c.Undertaking, c.Leader, jsonText(strs(c.Participants)), jsonText(strs(c.Cooperating)), jsonText(strs(c.ExcludeEmployers)), c.Conditions,
		c.OpenedOn, c.Committee, c.CreatedBy, ts(c.CreatedAt))
	return err
}

func scanConsultations(rows *sql.Rows) ([]*ExpertConsultation, error) {
	return scanAll(rows, func(rows *sql.Rows) (*ExpertConsultation, error) {
		var c ExpertConsultation
		var fields, parts, coop, excl, at string
		if err := rows.Scan(&c.ID, &c.Subject, &c.Kind, &c.ProjectID, &c.UsingUnit, &c.UsingRole, &c.UsingDept, &c.UsingDistrict, &fields, &c.ExpertsNeeded,
			&c.Undertaking, &c.Leader, &parts, &coop, &excl, &c.Conditions, &c.OpenedOn, &c.Committee, &c.CreatedBy, &at); err != nil {
			return nil, err
		}
		c.Fields, c.Participants, c.Cooperating, c.ExcludeEmployers = fromJSON[[]string](fields), fromJSON[[]string](parts), fromJSON[[]string](coop), fromJSON[[]string](excl)
		c.CreatedAt = parseTS(at)
		return &c, nil
	})
}

// ExpertConsultation returns consultation id, or ENotFound; locked on
// PostgreSQL inside a transaction (draws of one consultation serialise).
func (q q) ExpertConsultation(id int64) (*ExpertConsultation, error) {
	rows, err := q.query(`SELECT `+consultCols+` FROM expert_consultations WHERE id = ?`+q.lockSuffix(), id)
	return one(rows, err, scanConsultations, "咨询事项")
}

// ExpertConsultations returns every consultation, newest first.
func (q q) ExpertConsultations() ([]*ExpertConsultation, error) {
	rows, err := q.query(`SELECT ` + consultCols + ` FROM expert_consultations ORDER BY id DESC LIMIT 5000`)
	if err != nil {
		return nil, err
	}
	return scanConsultations(rows)
}

// InsertExpertDraw stores a draw and sets d.ID; EConflict when the round
// was taken concurrently.
func (tx *Tx) InsertExpertDraw(d *ExpertDraw) error {
	var err error
	d.ID, err = tx.insert(`INSERT INTO expert_draws (consultation_id, round, seed, wanted, pool, picked, excluded, drawn_on, drawn_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		d.ConsultationID, d.Round, d.Seed, d.Wanted, jsonText(d.Pool), jsonText(d.Picked), jsonText(d.Excluded), d.DrawnOn, d.DrawnBy, ts(d.CreatedAt))
	return err
}

// ExpertDraws returns the draws of a consultation in round order.
func (q q) ExpertDraws(cid int64) ([]ExpertDraw, error) {
	rows, err := q.query(`SELECT id, consultation_id, round, seed, wanted, pool, picked, excluded, drawn_on, drawn_by, created_at FROM expert_draws WHERE consultation_id = ? ORDER BY round`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExpertDraw{}
	for rows.Next() {
		var d ExpertDraw
		var pool, picked, excl, at string
		if err := rows.Scan(&d.ID, &d.ConsultationID, &d.Round, &d.Seed, &d.Wanted, &pool, &picked, &excl, &d.DrawnOn, &d.DrawnBy, &at); err != nil {
			return nil, err
		}
		d.Pool, d.Picked, d.Excluded, d.CreatedAt = fromJSON[map[string][]int64](pool), fromJSON[[]ExpertPick](picked), fromJSON[[]ExpertExclusion](excl), parseTS(at)
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

const assignCols = `id, consultation_id, expert_id, round, field, status, recusal_ground, recusal_reason, recused_on, opinion, opinion_at, fee_wan, fee_note`

// InsertExpertAssignment stores a and sets a.ID.
func (tx *Tx) InsertExpertAssignment(a *ExpertAssignment) error {
	var err error
	a.ID, err = tx.insert(`INSERT INTO expert_assignments (consultation_id, expert_id, round, field, status) VALUES (?,?,?,?,?)`,
		a.ConsultationID, a.ExpertID, a.Round, a.Field, a.Status)
	return err
}

// UpdateExpertAssignment writes back the status, recusal, opinion and fee of a.
func (tx *Tx) UpdateExpertAssignment(a *ExpertAssignment) error {
	_, err := tx.exec(`UPDATE expert_assignments SET status = ?, recusal_ground = ?, recusal_reason = ?, recused_on = ?, opinion = ?, opinion_at = ?, fee_wan = ?, fee_note = ? WHERE id = ?`,
		a.Status, a.RecusalGround, a.RecusalReason, a.RecusedOn, a.Opinion, ts(a.OpinionAt), a.FeeWan, a.FeeNote, a.ID)
	return err
}

func scanAssignments(rows *sql.Rows) ([]*ExpertAssignment, error) {
	return scanAll(rows, func(rows *sql.Rows) (*ExpertAssignment, error) {
		var a ExpertAssignment
		var at string
		if err := rows.Scan(&a.ID, &a.ConsultationID, &a.ExpertID, &a.Round, &a.Field, &a.Status, &a.RecusalGround, &a.RecusalReason, &a.RecusedOn,
			&a.Opinion, &at, &a.FeeWan, &a.FeeNote); err != nil {
			return nil, err
		}
		a.OpinionAt = parseTS(at)
		return &a, nil
	})
}

// ExpertAssignments returns the experts drawn for consultation cid (cid
// 0: every consultation), or those of one expert (expertID ≠ 0), by id.
func (q q) ExpertAssignments(cid, expertID int64) ([]*ExpertAssignment, error) {
	rows, err := q.query(`SELECT `+assignCols+` FROM expert_assignments WHERE (? = 0 OR consultation_id = ?) AND (? = 0 OR expert_id = ?) ORDER BY id`, cid, cid, expertID, expertID)
	if err != nil {
		return nil, err
	}
	return scanAssignments(rows)
}

// ExpertAssignment returns assignment id of consultation cid, or ENotFound;
// locked on PostgreSQL inside a transaction.
func (q q) ExpertAssignment(cid, id int64) (*ExpertAssignment, error) {
	rows, err := q.query(`SELECT `+assignCols+` FROM expert_assignments WHERE id = ? AND consultation_id = ?`+q.lockSuffix(), id, cid)
	return one(rows, err, scanAssignments, "专家抽取记录")
}

// InsertExpertReport stores a 专项报告 and sets r.ID.
func (tx *Tx) InsertExpertReport(r *ExpertReport) error {
	var err error
	r.ID, err = tx.insert(`INSERT INTO expert_reports (expert_id, year, title, body, submitted_on, created_at) VALUES (?,?,?,?,?,?)`,
		r.ExpertID, r.Year, r.Title, r.Body, r.SubmittedOn, ts(r.CreatedAt))
	return err
}

// ExpertReports returns the reports of one expert (expertID ≠ 0) or of
// everyone, for one year (0 = all years), newest first.
func (q q) ExpertReports(expertID int64, year int) ([]ExpertReport, error) {
	return scanExpertReports(q.query(`SELECT `+expertReportColumns+` FROM expert_reports r
 WHERE (? = 0 OR r.expert_id = ?) AND (? = 0 OR r.year = ?) ORDER BY r.year DESC, r.id DESC`, expertID, expertID, year, year))
}

// ExpertReportsOfCommittee returns the reports of the experts of a
// committee ("" the municipal one, else a district's; EX-07), of year (0:
// all years), newest first.
func (q q) ExpertReportsOfCommittee(committee string, year int) ([]ExpertReport, error) {
	return scanExpertReports(q.query(`SELECT `+expertReportColumns+` FROM expert_reports r JOIN experts e ON e.id = r.expert_id
 WHERE e.committee = ? AND (? = 0 OR r.year = ?) ORDER BY r.year DESC, r.id DESC`, committee, year, year))
}

const expertReportColumns = `r.id, r.expert_id, r.year, r.title, r.body, r.submitted_on, r.created_at`

func scanExpertReports(rows *sql.Rows, err error) ([]ExpertReport, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExpertReport{}
	for rows.Next() {
		var r ExpertReport
		var at string
		if err := rows.Scan(&r.ID, &r.ExpertID, &r.Year, &r.Title, &r.Body, &r.SubmittedOn, &at); err != nil {
			return nil, err
		}
		r.CreatedAt = parseTS(at)
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}
