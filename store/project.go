package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
)

const projectColumns = `id, code, name, category, district, street, address, goal, fund_estimate_wan,
 land_area_m2, building_area_m2, entity_name, entity_uscc, entity_role, contact, major, cross_district,
 complies_with_plans, org_id, source, external_ref, status, submitted_at, received_on, review_round, invited,
 notice_no, notice_on, notice_code, admitted_on, industry_dept, confirmation_doc, promoted_on, plan_year,
 plan_included_on, expected_start_year, needs_impl_plan, impl_plan_done_on, completion_on, exit_ground,
 exit_on, exit_reason, reject_reason, version, created_at, updated_at`

type scanner interface{ Scan(dest ...any) error }

// scanProject reads one row of projectColumns; the contact (personal data)
// is opened with the DB's Sealer.
func (q q) scanProject(s scanner) (*gengxin.Project, error) {
	var p gengxin.Project
	var orgID sql.NullInt64
	var submittedAt, invited, createdAt, updatedAt, category, role, status string
	err := s.Scan(&p.ID, &p.Code, &p.Name, &category, &p.District, &p.Street, &p.Address, &p.Goal,
		&p.FundEstimateWan, &p.LandAreaM2, &p.BuildingAreaM2, &p.EntityName, &p.EntityUSCC, &role,
		&p.Contact, &p.Major, &p.CrossDistrict, &p.CompliesWithPlans, &orgID, &p.Source, &p.ExternalRef,
		&status, &submittedAt, &p.ReceivedOn, &p.ReviewRound, &invited, &p.NoticeNo, &p.NoticeOn,
		&p.NoticeCode, &p.AdmittedOn, &p.IndustryDept, &p.ConfirmationDoc, &p.PromotedOn, &p.PlanYear,
		&p.PlanIncludedOn, &p.ExpectedStartYear, &p.NeedsImplPlan, &p.ImplPlanDoneOn, &p.CompletionOn,
		&p.ExitGround, &p.ExitOn, &p.ExitReason, &p.RejectReason, &p.Version, &createdAt, &updatedAt)
	if err != nil {
		return nil, err
	}
	p.Category, p.EntityRole, p.Status = gengxin.Category(category), gengxin.EntityRole(role), gengxin.Status(status)
	p.OrgID = orgID.Int64
	p.SubmittedAt, p.CreatedAt, p.UpdatedAt = parseTS(submittedAt), parseTS(createdAt), parseTS(updatedAt)
	if invited != "" {
		p.Invited = strings.Split(invited, ",")
	}
	if p.Contact, err = q.db.open(p.Contact); err != nil {
		return nil, fmt.Errorf("项目 %d 的联系人：%w", p.ID, err)
	}
	return &p, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// projectArgs are the stored fields of p in column order, the contact as it
// is (BulkInsertProjects: synthetic load data, which has none).
func projectArgs(p *gengxin.Project) []any { return projectArgsContact(p, p.Contact) }

// sealedProjectArgs are projectArgs with the contact sealed by the DB's
// Sealer (personal data encrypted at rest).
func (q q) sealedProjectArgs(p *gengxin.Project) ([]any, error) {
	c, err := q.db.seal(p.Contact)
	if err != nil {
		return nil, err
	}
	return projectArgsContact(p, c), nil
}

func projectArgsContact(p *gengxin.Project, contact string) []any {
	return []any{p.Code, p.Name, string(p.Category), p.District, p.Street, p.Address, p.Goal,
		p.FundEstimateWan, p.LandAreaM2, p.BuildingAreaM2, p.EntityName, p.EntityUSCC, string(p.EntityRole),
		contact, p.Major, p.CrossDistrict, p.CompliesWithPlans, nullID(p.OrgID), p.Source, p.ExternalRef,
		string(p.Status), ts(p.SubmittedAt), p.ReceivedOn, p.ReviewRound, strings.Join(p.Invited, ","),
		p.NoticeNo, p.NoticeOn, p.NoticeCode, p.AdmittedOn, p.IndustryDept, p.ConfirmationDoc, p.PromotedOn,
		p.PlanYear, p.PlanIncludedOn, p.ExpectedStartYear, p.NeedsImplPlan, p.ImplPlanDoneOn, p.CompletionOn,
		p.ExitGround, p.ExitOn, p.ExitReason, p.RejectReason}
}

// InsertProject stores a new project and sets p.ID and p.Version (1).
// A second import of the same (district, external_ref) is a conflict.
func (tx *Tx) InsertProject(p *gengxin.Project) error {
	args, err := tx.sealedProjectArgs(p)
	if err != nil {
		return err
	}
	args = append(args, ts(p.CreatedAt), ts(p.UpdatedAt))
	id, err := tx.insert(`INSERT INTO projects (code, name, category, district, street, address, goal,
 fund_estimate_wan, land_area_m2, building_area_m2, entity_name, entity_uscc, entity_role, contact, major,
 cross_district, complies_with_plans, org_id, source, external_ref, status, submitted_at, received_on,
 review_round, invited, notice_no, notice_on, notice_code, admitted_on, industry_dept, confirmation_doc,
 promoted_on, plan_year, plan_included_on, expected_start_year, needs_impl_plan, impl_plan_done_on,
 completion_on, exit_ground, exit_on, exit_reason, reject_reason, version, created_at, updated_at)
 VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)`, args...)
	if err != nil {
		return err
	}
	p.ID, p.Version = id, 1
	return nil
}

// UpdateProject writes every field of p if its stored version is still
// p.Version, and increments p.Version. A lost race is an EConflict (409):
// exactly one of two concurrent conflicting steps wins.
func (tx *Tx) UpdateProject(p *gengxin.Project) error {
	args, err := tx.sealedProjectArgs(p)
	if err != nil {
		return err
	}
	args = append(args, ts(p.UpdatedAt), p.ID, p.Version)
	return tx.updateProject(p, updateAllProject, args)
}

// updateAllProject writes every field (projectSetColumns, in order).
var updateAllProject = `UPDATE projects SET ` + strings.Join(projectSetColumns, "=?, ") + `=?, updated_at=?, version=version+1 WHERE id=? AND version=?`

// projectSetColumns are the columns of projectArgsContact, in its order:
// projectColumns without id, version, created_at and updated_at.
var projectSetColumns = func() []string {
	cols := strings.Split(strings.NewReplacer("\n", "", " ", "").Replace(projectColumns), ",")
	return cols[1 : len(cols)-3]
}()

// ProjectSnapshot is a project's stored fields as read, kept apart from the
// project itself (nothing shared with it) so that a step may change the
// project freely and UpdateProjectFrom still knows what was there.
type ProjectSnapshot struct {
	id      int64
	version int
	args    []any
}

// Snapshot returns p's stored fields as they are now.
func Snapshot(p *gengxin.Project) ProjectSnapshot {
	return ProjectSnapshot{id: p.ID, version: p.Version, args: projectArgsContact(p, p.Contact)}
}

// UpdateProjectFrom is UpdateProject writing only the fields in which p
// differs from was, its snapshot as read (same id and version): a step that
// changes the status leaves the row's other columns, and the indexes over
// them, untouched — fewer pages for SQLite's one writer to write.
func (tx *Tx) UpdateProjectFrom(was ProjectSnapshot, p *gengxin.Project) error {
	if was.id != p.ID || was.version != p.Version {
		return fmt.Errorf("UpdateProjectFrom: project %d v%d is not the one read (%d v%d)", p.ID, p.Version, was.id, was.version)
	}
	now := projectArgsContact(p, p.Contact)
	var set strings.Builder
	var args []any
	for i, col := range projectSetColumns {
		if was.args[i] == now[i] {
			continue
		}
		if col == "contact" {
			c, err := tx.db.seal(p.Contact)
			if err != nil {
				return err
			}
			now[i] = c
		}
		set.WriteString(col)
		set.WriteString("=?, ")
		args = append(args, now[i])
	}
	args = append(args, ts(p.UpdatedAt), p.ID, p.Version)
	return tx.updateProject(p, `UPDATE projects SET `+set.String()+`updated_at=?, version=version+1 WHERE id=? AND version=?`, args)
}

// updateProject runs an UPDATE of p guarded by its version (the last two
// arguments are its id and version) and increments p.Version.
func (tx *Tx) updateProject(p *gengxin.Project, query string, args []any) error {
	res, err := tx.exec(query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return gengxin.Errorf(gengxin.EConflict, "项目已被他人同时办理，本次操作未生效，请刷新后重试")
	}
	p.Version++
	return nil
}

// Project returns the project with id, or ENotFound. It does not load
// deadlines or events.
func (q q) Project(id int64) (*gengxin.Project, error) {
	p, err := q.scanProject(q.row(`SELECT `+projectColumns+` FROM projects WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("项目")
	}
	return p, mapErr(err)
}

// ProjectAsRead returns read — the project as read before the transaction
// began, on a reader — if its stored version is still read.Version, or the
// project read again otherwise (ENotFound if it is gone). On PostgreSQL the
// row stays locked until the transaction ends. The check is one indexed
// read instead of the whole row's, inside a writer SQLite serialises.
func (q q) ProjectAsRead(read *gengxin.Project) (*gengxin.Project, error) {
	var v int
	err := q.row(`SELECT version FROM projects WHERE id = ?`+q.lockSuffix(), read.ID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("项目")
	}
	if err != nil {
		return nil, mapErr(err)
	}
	if v == read.Version {
		return read, nil
	}
	return q.Project(read.ID)
}

// ProjectByImportRef returns the project imported with (district, ref), or ENotFound.
func (q q) ProjectByImportRef(district, ref string) (*gengxin.Project, error) {
	p, err := q.scanProject(q.row(`SELECT `+projectColumns+` FROM projects WHERE district = ? AND external_ref = ? AND external_ref <> ''`, district, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("项目")
	}
	return p, mapErr(err)
}

// ProjectFilter selects projects for lists and search. Zero fields do not
// filter. Scope fields (Districts, OrgID, ExcludeDrafts) are set by the
// application from the actor, never from the request.
type ProjectFilter struct {
	Districts     []string // scope: only these districts (nil = all)
	OrgID         int64    // scope: only this organisation's projects
	ExcludeDrafts bool     // scope: officers never see drafts
	District      string
	Status        []gengxin.Status
	Category      string
	Dept          string // industry department the project was pushed to
	// AwaitingOpinionOf selects projects in joint review that invited this
	// department and have no opinion of it in the current round: its queue.
	AwaitingOpinionOf string
	Q                 string // Chinese substring of name, address or entity
	PlanYear          int
	OverdueOn         calendar.Date // only projects with a deadline overdue on this day
	Source            string
	// Pending selects library projects the sweep may act on: those with a
	// completion date or a plan year.
	Pending       bool
	Page, PerPage int
	Order         string // "id" (newest first, default) or "due"
}

func (f *ProjectFilter) where(dialect Dialect) (string, []any) {
	var conds []string
	var args []any
	if f.Districts != nil {
		if len(f.Districts) == 0 {
			conds = append(conds, "1 = 0")
		} else {
			conds = append(conds, "district IN ("+placeholders(len(f.Districts))+")")
			for _, d := range f.Districts {
				args = append(args, d)
			}
		}
	}
	if f.OrgID != 0 {
		conds = append(conds, "org_id = ?")
		args = append(args, f.OrgID)
	}
	if f.ExcludeDrafts {
		conds = append(conds, "status <> 'draft'")
	}
	if f.District != "" {
		conds = append(conds, "district = ?")
		args = append(args, f.District)
	}
	if len(f.Status) > 0 {
		conds = append(conds, "status IN ("+placeholders(len(f.Status))+")")
		for _, s := range f.Status {
			args = append(args, string(s))
		}
	}
	if f.Category != "" {
		conds = append(conds, "category = ?")
		args = append(args, f.Category)
	}
	if f.Dept != "" {
		conds = append(conds, "industry_dept = ?")
		args = append(args, f.Dept)
	}
	if f.AwaitingOpinionOf != "" {
		conds = append(conds, "status = 'in_review' AND (',' || invited || ',') LIKE ? ESCAPE '\\' AND NOT EXISTS (SELECT 1 FROM opinions o WHERE o.project_id = projects.id AND o.round = projects.review_round AND o.dept = ?)")
		args = append(args, "%,"+escapeLike(f.AwaitingOpinionOf)+",%", f.AwaitingOpinionOf)
	}
	if f.Source != "" {
		conds = append(conds, "source = ?")
		args = append(args, f.Source)
	}
	if f.Pending {
		conds = append(conds, "(completion_on IS NOT NULL OR plan_year <> 0)")
	}
	if f.PlanYear != 0 {
		conds = append(conds, "plan_year = ?")
		args = append(args, f.PlanYear)
	}
	if !f.OverdueOn.IsZero() {
		conds = append(conds, "EXISTS (SELECT 1 FROM deadlines d WHERE d.project_id = projects.id AND d.status IN ('open','overdue') AND d.due_on < ?)")
		args = append(args, f.OverdueOn)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + escapeLike(q) + "%"
		switch {
		case dialect == SQLite && utf8.RuneCountInString(q) >= 3:
			// The trigram tokenizer answers substrings of 3 characters or more
			// (ECOSYSTEM.md); the phrase is quoted so that nothing in it is syntax.
			conds = append(conds, "id IN (SELECT rowid FROM project_fts WHERE project_fts MATCH ?)")
			args = append(args, `"`+strings.ReplaceAll(q, `"`, `""`)+`"`)
		case dialect == Postgres:
			conds = append(conds, `search_text LIKE ? ESCAPE '\'`)
			args = append(args, like)
		default:
			conds = append(conds, `(name LIKE ? ESCAPE '\' OR address LIKE ? ESCAPE '\' OR entity_name LIKE ? ESCAPE '\')`)
			args = append(args, like, like, like)
		}
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// MaxPerPage bounds a page of a list.
const MaxPerPage = 200

// Projects returns one page of the projects matching f, newest first, and
// the total count.
func (q q) Projects(f ProjectFilter) ([]*gengxin.Project, int, error) {
	where, args := f.where(q.dialect)
	var total int
	if err := q.row(`SELECT COUNT(*) FROM projects`+where, args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	per := f.PerPage
	if per <= 0 {
		per = 20
	}
	if per > MaxPerPage {
		per = MaxPerPage
	}
	page := max(f.Page, 1)
	order := " ORDER BY id DESC"
	if f.Order == "due" {
		order = " ORDER BY (SELECT MIN(d.due_on) FROM deadlines d WHERE d.project_id = projects.id AND d.status = 'open') IS NULL, (SELECT MIN(d.due_on) FROM deadlines d WHERE d.project_id = projects.id AND d.status = 'open'), id DESC"
	}
	rows, err := q.query(`SELECT `+projectColumns+` FROM projects`+where+order+` LIMIT ? OFFSET ?`,
		append(args, per, (page-1)*per)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*gengxin.Project
	for rows.Next() {
		p, err := q.scanProject(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, mapErr(rows.Err())
}

// ProjectIDs returns the ids of every project matching f (no paging), for
// sweeps and exports.
func (q q) ProjectIDs(f ProjectFilter) ([]int64, error) {
	where, args := f.where(q.dialect)
	rows, err := q.query(`SELECT id FROM projects`+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, mapErr(rows.Err())
}

// CountByStatus returns the number of projects per status within the scope of f.
func (q q) CountByStatus(f ProjectFilter) (map[gengxin.Status]int, error) {
	where, args := f.where(q.dialect)
	rows, err := q.query(`SELECT status, COUNT(*) FROM projects`+where+` GROUP BY status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[gengxin.Status]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[gengxin.Status(s)] = n
	}
	return out, mapErr(rows.Err())
}
