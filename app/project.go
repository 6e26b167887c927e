package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/uscc"
)

// ProjectInput is the applicant's project form (DESIGN.md §4 POST
// /api/v1/projects). Every field is optional in a draft except name,
// category and district; 第九条's requirements are checked at submission.
type ProjectInput struct {
	Name              string     `json:"name"`
	Category          string     `json:"category"`
	District          string     `json:"district"`
	Street            string     `json:"street"`
	Address           string     `json:"address"`
	Goal              string     `json:"goal"`
	FundEstimateWan   DecimalArg `json:"fund_estimate_wan"`
	LandAreaM2        DecimalArg `json:"land_area_m2"`
	BuildingAreaM2    DecimalArg `json:"building_area_m2"`
	EntityName        string     `json:"entity_name"`
	EntityUSCC        string     `json:"entity_uscc"`
	EntityRole        string     `json:"entity_role"`
	Contact           string     `json:"contact"`
	Major             bool       `json:"major"`
	CrossDistrict     bool       `json:"cross_district"`
	CompliesWithPlans *bool      `json:"complies_with_plans"`
}

// DecimalArg is a decimal given as a JSON string ("1200.50") or number.
type DecimalArg string

// UnmarshalJSON accepts a string or a number and keeps its text.
func (d *DecimalArg) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*d = ""
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*d = DecimalArg(strings.TrimSpace(v))
		return nil
	}
	*d = DecimalArg(s)
	return nil
}

// fieldLabels are the Chinese names of the form's fields, used in messages.
var fieldLabels = map[string]string{
	"name": "项目名称", "category": "项目类别", "district": "所在区", "street": "街道/乡镇", "address": "项目地址",
	"goal": "更新目标", "fund_estimate_wan": "资金匡算（万元）", "entity_name": "统筹/实施主体名称",
	"entity_uscc": "统一社会信用代码", "entity_role": "主体类型", "land_area_m2": "用地面积（㎡）",
	"building_area_m2": "建筑面积（㎡）", "complies_with_plans": "符合规划与政策的声明",
}

// normalise trims the input and checks the format of what is given. It
// returns every problem at once.
func (in *ProjectInput) normalise() []gengxin.ErrorDetail {
	var ds []gengxin.ErrorDetail
	bad := func(f, msg string) { ds = append(ds, gengxin.ErrorDetail{Field: f, Message: fieldLabels[f] + msg}) }
	for _, s := range []*string{&in.Name, &in.Category, &in.District, &in.Street, &in.Address, &in.Goal, &in.EntityName, &in.EntityUSCC, &in.EntityRole, &in.Contact} {
		*s = strings.TrimSpace(*s)
	}
	in.EntityUSCC = uscc.Normalize(in.EntityUSCC)
	for f, v := range map[string]string{"name": in.Name, "category": in.Category, "district": in.District, "street": in.Street,
		"address": in.Address, "goal": in.Goal, "entity_name": in.EntityName, "entity_uscc": in.EntityUSCC, "entity_role": in.EntityRole,
		"contact": in.Contact, "fund_estimate_wan": string(in.FundEstimateWan), "land_area_m2": string(in.LandAreaM2), "building_area_m2": string(in.BuildingAreaM2)} {
		if !CleanText(v) {
			ds = append(ds, gengxin.ErrorDetail{Field: f, Message: fieldLabels[f] + "含有不可见的控制字符或无效编码"})
		}
	}
	if in.Name == "" {
		bad("name", "不能为空")
	} else if utf8.RuneCountInString(in.Name) > 100 {
		bad("name", "不超过100个字")
	}
	if !gengxin.Category(in.Category).Valid() {
		bad("category", "应为 居住类、产业类、设施类、公共空间类、区域综合性 之一")
	}
	if _, ok := gengxin.LookupDistrict(in.District); !ok {
		bad("district", "应为北京市16个区或北京经济技术开发区之一（如 朝阳区）")
	}
	for f, s := range map[string]string{"street": in.Street, "address": in.Address, "entity_name": in.EntityName} {
		if utf8.RuneCountInString(s) > 200 {
			bad(f, "不超过200个字")
		}
	}
	if utf8.RuneCountInString(in.Goal) > 2000 {
		bad("goal", "不超过2000个字")
	}
	for f, d := range map[string]*DecimalArg{"fund_estimate_wan": &in.FundEstimateWan, "land_area_m2": &in.LandAreaM2, "building_area_m2": &in.BuildingAreaM2} {
		if *d == "" {
			continue
		}
		v, err := rules.ParseDecimal(strings.ReplaceAll(string(*d), ",", ""))
		if err != nil || v.Sign() < 0 {
			bad(f, "应为不小于0的数字（如 1200.50），实际为 "+string(*d))
			continue
		}
		*d = DecimalArg(v.String())
	}
	if in.EntityUSCC != "" {
		if err := uscc.Validate(in.EntityUSCC); err != nil {
			ds = append(ds, gengxin.ErrorDetail{Field: "entity_uscc", Message: err.Error()})
		}
	}
	if in.EntityRole != "" && in.EntityRole != string(gengxin.Implementer) && in.EntityRole != string(gengxin.Coordinator) {
		bad("entity_role", "应为 实施主体 或 统筹主体")
	}
	return ds
}

// CleanText reports whether s is valid UTF-8 without control characters
// other than tab and line breaks (PostgreSQL refuses NUL in text, and such
// characters have no place in a government record).
func CleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return false
		}
	}
	return true
}

func invalid(ds []gengxin.ErrorDetail) error {
	if len(ds) == 0 {
		return nil
	}
	msgs := make([]string, len(ds))
	for i, d := range ds {
		msgs[i] = d.Message
	}
	return &gengxin.Error{Code: gengxin.EInvalid, Message: "填报信息有误：" + strings.Join(msgs, "；"), Details: ds}
}

func (in *ProjectInput) apply(p *gengxin.Project) {
	p.Name, p.Category, p.District, p.Street, p.Address, p.Goal = in.Name, gengxin.Category(in.Category), in.District, in.Street, in.Address, in.Goal
	p.FundEstimateWan, p.LandAreaM2, p.BuildingAreaM2 = string(in.FundEstimateWan), string(in.LandAreaM2), string(in.BuildingAreaM2)
	p.EntityName, p.EntityUSCC, p.EntityRole, p.Contact = in.EntityName, in.EntityUSCC, gengxin.EntityRole(in.EntityRole), in.Contact
	p.Major, p.CrossDistrict = in.Major, in.CrossDistrict
	if in.CompliesWithPlans != nil {
		p.CompliesWithPlans = *in.CompliesWithPlans
	}
}

// CreateDraft creates a draft project for the applicant's organisation.
// The entity defaults to the organisation itself.
func (a *App) CreateDraft(ctx context.Context, u *gengxin.User, in ProjectInput) (*gengxin.Project, error) {
	if u.Role != gengxin.RoleApplicant {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有申报主体（统筹主体或实施主体）可以网上申报（京建法〔2024〕2号 第十条(一)）")
	}
	if in.EntityName == "" && in.EntityUSCC == "" {
		in.EntityName, in.EntityUSCC = u.OrgName, u.OrgUSCC
	}
	if err := invalid(in.normalise()); err != nil {
		return nil, err
	}
	now := a.now()
	p := &gengxin.Project{Status: gengxin.StatusDraft, Source: gengxin.SourceOnline, OrgID: u.OrgID, NeedsImplPlan: true, CreatedAt: now, UpdatedAt: now}
	in.apply(p)
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := a.assignCode(tx, p); err != nil {
			return err
		}
		if err := tx.InsertProject(p); err != nil {
			return err
		}
		return a.event(tx, u, p, "create", "", "", "创建申报草稿", in)
	})
	if err != nil {
		return nil, err
	}
	return a.Project(ctx, u, p.ID)
}

// UpdateDraft replaces the form fields of a draft or of a project awaiting
// correction. The version guards against a concurrent edit.
func (a *App) UpdateDraft(ctx context.Context, u *gengxin.User, id int64, in ProjectInput) (*gengxin.Project, error) {
	// Who may edit is decided before the input is judged.
	if p, err := a.DB.Read(ctx).Project(id); err != nil || !gengxin.CanView(u, p) {
		return nil, gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
	} else if u.Role != gengxin.RoleApplicant {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有申报主体可以修改申报信息")
	}
	if err := invalid(in.normalise()); err != nil {
		return nil, err
	}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		p, err := tx.Project(id)
		if err != nil {
			return err
		}
		if !gengxin.CanView(u, p) || u.Role != gengxin.RoleApplicant {
			if gengxin.CanView(u, p) {
				return gengxin.Errorf(gengxin.EForbidden, "只有申报主体可以修改申报信息")
			}
			return gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
		}
		if p.Status != gengxin.StatusDraft && p.Status != gengxin.StatusCorrectionRequested {
			return gengxin.Errorf(gengxin.EConflict, "项目当前状态为「%s」，不能修改申报信息", p.Status.Label())
		}
		if p.Status == gengxin.StatusCorrectionRequested && (in.District != p.District) {
			return gengxin.Errorf(gengxin.EConflict, "补正期间不能更改项目所在区")
		}
		in.apply(p)
		p.UpdatedAt = a.now()
		if err := tx.UpdateProject(p); err != nil {
			return err
		}
		return a.event(tx, u, p, "edit", "", "", "修改申报信息", in)
	})
	if err != nil {
		return nil, err
	}
	return a.Project(ctx, u, id)
}

func (a *App) assignCode(tx *store.Tx, p *gengxin.Project) error {
	d, _ := gengxin.LookupDistrict(p.District)
	year := calendar.DateIn(a.Clock.Now()).Year
	n, err := tx.NextCounter(fmt.Sprintf("project:%s:%d", d.Code, year))
	if err != nil {
		return err
	}
	p.Code = fmt.Sprintf("GX%s-%d-%05d", d.Code, year, n)
	return nil
}

// event appends the project's event in the running transaction.
func (a *App) event(tx *store.Tx, u *gengxin.User, p *gengxin.Project, action, citation string, from gengxin.Status, summary string, data any) error {
	var js string
	if data != nil {
		b, _ := json.Marshal(data)
		js = string(b)
	}
	return tx.AppendEvent(&gengxin.Event{ProjectID: p.ID, At: a.now(), ActorID: actorID(u), Actor: actorName(u), Role: actorRole(u),
		Action: action, Citation: citation, From: from, To: p.Status, Summary: summary, Data: js})
}

// userEvent appends u's event that belongs to no project (a registry,
// unit, publication or list change) in the running transaction.
func (a *App) userEvent(tx *store.Tx, u *gengxin.User, action, citation, summary string, data any) error {
	b, _ := json.Marshal(data)
	return tx.AppendEvent(&gengxin.Event{At: a.now(), ActorID: actorID(u), Actor: actorName(u), Role: actorRole(u),
		Action: action, Citation: citation, Data: string(b), Summary: summary})
}

// Project returns the project with its deadlines and events if u may see
// it; otherwise ENotFound.
func (a *App) Project(ctx context.Context, u *gengxin.User, id int64) (*gengxin.Project, error) {
	r := a.DB.Read(ctx)
	p, err := r.Project(id)
	if err != nil {
		return nil, err
	}
	if !gengxin.CanView(u, p) {
		return nil, gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
	}
	if p.Contact != "" && !isApplicantOf(u, p) {
		// An officer reads the applicant's contact (name and phone): personal
		// data, so the read is audited (GB/T 22239 8.1.4.3).
		a.RecordRead(ctx, u, p.ID, "项目联系人（"+p.Name+"）")
	}
	if err := a.loadRecord(r, p); err != nil {
		return nil, err
	}
	return p, nil
}

// isApplicantOf reports whether u is p's applicant, the one who reads p's
// contact without an audited read.
func isApplicantOf(u *gengxin.User, p *gengxin.Project) bool {
	return u.Role == gengxin.RoleApplicant && u.OrgID == p.OrgID
}

// loadRecord reads p's deadlines, each with its status as of today, and
// its events.
func (a *App) loadRecord(r *store.Reader, p *gengxin.Project) error {
	var err error
	if p.Deadlines, err = r.Deadlines(p.ID); err != nil {
		return err
	}
	today := a.Today()
	for i := range p.Deadlines {
		p.Deadlines[i].Status = p.Deadlines[i].Effective(today)
	}
	p.Events, err = r.Events(p.ID)
	return err
}

// ProjectDetail is everything the project page shows.
type ProjectDetail struct {
	*gengxin.Project
	Route       gengxin.Route
	Opinions    []gengxin.Opinion
	Corrections []gengxin.Correction
	Attachments []gengxin.Attachment
	Records     []gengxin.Record
	Allowed     []gengxin.Action // steps u may take now
	Findings    []rules.Finding  // the gazette's view of the project today
}

// Detail returns the project page's content for u.
func (a *App) Detail(ctx context.Context, u *gengxin.User, id int64) (*ProjectDetail, error) {
	p, err := a.Project(ctx, u, id)
	if err != nil {
		return nil, err
	}
	r := a.DB.Read(ctx)
	d := &ProjectDetail{Project: p, Route: gengxin.RouteOf(p)}
	if d.Opinions, err = r.Opinions(id); err != nil {
		return nil, err
	}
	if d.Corrections, err = r.Corrections(id); err != nil {
		return nil, err
	}
	if d.Attachments, err = r.Attachments(id); err != nil {
		return nil, err
	}
	if d.Records, err = r.Records(id); err != nil {
		return nil, err
	}
	for _, act := range gengxin.Actions() {
		if _, err := gengxin.Authorize(u, act, p); err == nil {
			d.Allowed = append(d.Allowed, act)
		}
	}
	d.Findings = a.findings(p)
	return d, nil
}

// Scope returns the filter that limits what u may list (DESIGN.md §4: an
// officer sees his district; an applicant his organisation's projects).
func Scope(u *gengxin.User) (store.ProjectFilter, error) {
	var f store.ProjectFilter
	switch u.Role {
	case gengxin.RoleApplicant:
		if u.OrgID == 0 {
			return f, gengxin.Errorf(gengxin.EForbidden, "账户未关联申报单位")
		}
		f.OrgID = u.OrgID
	case gengxin.RoleDistrictRenewal, gengxin.RoleDistrictDept, gengxin.RoleDistrictGov:
		f.Districts = []string{u.District}
		f.ExcludeDrafts = true
	case gengxin.RoleMunicipalHousing, gengxin.RoleMunicipalDept:
		f.ExcludeDrafts = true
	default:
		return f, gengxin.Errorf(gengxin.EForbidden, "「%s」不查看业务数据", u.Role.Label())
	}
	return f, nil
}

// ListQuery is a list or search request (GET /api/v1/projects).
type ListQuery struct {
	District, Status, Category, Q, Library, Dept, Source string
	Overdue                                              bool
	PlanYear, Page, PerPage                              int
	// Queue: for a district department, only the reviews awaiting its opinion.
	Queue bool
	Order string
}

// List returns one page of the projects u may see that match q, with
// their deadlines, and the total.
func (a *App) List(ctx context.Context, u *gengxin.User, q ListQuery) ([]*gengxin.Project, int, error) {
	f, err := Scope(u)
	if err != nil {
		return nil, 0, err
	}
	if q.District != "" {
		if _, ok := gengxin.LookupDistrict(q.District); !ok {
			return nil, 0, gengxin.Errorf(gengxin.EInvalid, "所在区无效：%s", q.District)
		}
		f.District = q.District
	}
	if q.Status != "" {
		for _, s := range strings.Split(q.Status, ",") {
			if !gengxin.Status(s).Valid() {
				return nil, 0, gengxin.Errorf(gengxin.EInvalid, "状态无效：%s", s)
			}
			f.Status = append(f.Status, gengxin.Status(s))
		}
	}
	switch q.Library {
	case "":
	case "reserve":
		f.Status = append(f.Status, gengxin.StatusReserve)
	case "implementation":
		f.Status = append(f.Status, gengxin.StatusImplementation)
	case "exited":
		f.Status = append(f.Status, gengxin.StatusExited)
	default:
		return nil, 0, gengxin.Errorf(gengxin.EInvalid, "项目库无效：%s（应为 reserve、implementation、exited）", q.Library)
	}
	if q.Category != "" && !gengxin.Category(q.Category).Valid() {
		return nil, 0, gengxin.Errorf(gengxin.EInvalid, "项目类别无效：%s", q.Category)
	}
	if utf8.RuneCountInString(q.Q) > 50 {
		return nil, 0, gengxin.Errorf(gengxin.EInvalid, "搜索词不超过50个字")
	}
	if q.Page < 0 || q.Page > 100000 {
		return nil, 0, gengxin.Errorf(gengxin.EInvalid, "页码无效")
	}
	f.Category, f.Q, f.Dept, f.Source, f.PlanYear, f.Page, f.PerPage, f.Order = q.Category, q.Q, q.Dept, q.Source, q.PlanYear, q.Page, q.PerPage, q.Order
	if q.Overdue {
		f.OverdueOn = a.Today()
	}
	if q.Queue && u.Role == gengxin.RoleDistrictDept {
		f.AwaitingOpinionOf = u.Dept
	}
	r := a.DB.Read(ctx)
	ps, total, err := r.Projects(f)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
		p.Contact = "" // personal data: shown (and its reading audited) on the project only
	}
	dls, err := r.DeadlinesOf(ids)
	if err != nil {
		return nil, 0, err
	}
	today := a.Today()
	for _, p := range ps {
		p.Deadlines = dls[p.ID]
		if p.Deadlines == nil {
			p.Deadlines = []gengxin.Deadline{}
		}
		for i := range p.Deadlines {
			p.Deadlines[i].Status = p.Deadlines[i].Effective(today)
		}
	}
	return ps, total, nil
}
