package app

// The expert committee of 京建法〔2024〕3号《北京市城市更新专家委员会管理办法
// （试行）》 (issue 5): the registry kept by 市住房城乡建设委 with nomination by
// the recommending department (第三、五条) and its vetting (第十三条); the
// 聘书 and terms (第六条); plenary meetings (第九条); consultations with the
// 使用单位's 专家使用方案, a recorded reproducible random draw that leaves
// out exited experts, lapsed terms and the recusal grounds of 第十条, the
// experts' recusals, independent opinions (第七条(三)) and fees (第七条(一));
// the annual 专项报告 (第八条(三)); and exit (第十二条).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/document"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/xlsx"
)

// ExpertCommission is the issuer of 聘书 and exit decisions (第六、十二条).
const ExpertCommission = "北京市住房和城乡建设委员会"

const jf3 = "京建法〔2024〕3号"

// Statuses of an expert record. A term whose last day has passed without
// re-appointment ends membership (DECISIONS D16); that is derived (Lapsed),
// not stored.
const (
	ExpertNominated = "nominated" // 已推荐，待推荐部门审核
	ExpertVetted    = "vetted"    // 推荐部门已审核，待聘任
	ExpertRejected  = "rejected"  // 审核未通过
	ExpertAppointed = "appointed" // 已聘任
	ExpertExited    = "exited"    // 已退出
)

// Statuses of an expert drawn for a consultation.
const (
	AssignInvited  = "invited"  // 已抽取，待出具意见
	AssignRecused  = "recused"  // 已回避
	AssignAnswered = "answered" // 已出具意见
)

// ConsultationKinds are what a consultation is about (第九条: 重要政策制定、
// 重大项目实施、更新规划论证).
var ConsultationKinds = map[string]string{"project": "重大项目实施", "plan": "更新规划论证", "policy": "重要政策制定"}

// ExpertStatusLabel names a status in Chinese.
func ExpertStatusLabel(s string) string {
	return map[string]string{ExpertNominated: "待审核", ExpertVetted: "已审核待聘任", ExpertRejected: "审核未通过",
		ExpertAppointed: "在聘", ExpertExited: "已退出", "lapsed": "任期届满未续聘"}[s]
}

// AssignStatusLabel names an assignment status in Chinese.
func AssignStatusLabel(s string) string {
	return map[string]string{AssignInvited: "待出具意见", AssignRecused: "已回避", AssignAnswered: "已出具意见"}[s]
}

func isHousing(u *gengxin.User) bool { return u != nil && u.Role == gengxin.RoleMunicipalHousing }

// IsUsingUnit reports whether u may open consultations as a 使用单位:
// 市住房城乡建设委, a 市级行业主管部门 or a 区城市更新主管部门.
// A 市级行业主管部门 account without its department is none of them.
func IsUsingUnit(u *gengxin.User) bool {
	return u != nil && (u.Role == gengxin.RoleMunicipalHousing || (u.Role == gengxin.RoleMunicipalDept && u.Dept != "") || u.Role == gengxin.RoleDistrictRenewal)
}

// CanSeeRegistry reports whether u may read the registry: 市住房城乡建设委
// (all of it), a 市级行业主管部门 (the experts it recommended) or a
// 区城市更新主管部门 (its district committee, EX-07).
func CanSeeRegistry(u *gengxin.User) bool {
	return u != nil && (u.Role == gengxin.RoleMunicipalHousing || (u.Role == gengxin.RoleMunicipalDept && u.Dept != "") || isDistrictAuthority(u))
}

func needHousing(u *gengxin.User, what string) error {
	if !isHousing(u) {
		return gengxin.Errorf(gengxin.EForbidden, "只有市住房城乡建设委可以%s（%s）", what, jf3)
	}
	return nil
}

func ruleRefused(f rules.Finding, msg string) error {
	if msg == "" {
		msg = f.Message
	}
	return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: f.Rule, Citation: f.Citation, Message: msg,
		Details: []gengxin.ErrorDetail{{Rule: f.Rule, Citation: f.Citation, Message: f.Message}}}
}

// ---- registry ----

// ExpertInput is a nomination (POST /api/v1/experts): the record fields of
// RULES R10 and the declared relations the recusal rule compares.
type ExpertInput struct {
	Name        string   `json:"name"`
	Gender      string   `json:"gender"` // 男 | 女
	BirthDate   string   `json:"birth_date"`
	Employer    string   `json:"employer"`
	Title       string   `json:"title"` // 职称
	Fields      []string `json:"fields"`
	Recommender string   `json:"recommender"` // 推荐部门; a municipal_dept user's own department
	Academician bool     `json:"academician"`
	Shortage    bool     `json:"shortage_field"`
	Phone       string   `json:"phone"`
	IDNumber    string   `json:"id_number"`
	Relatives   []string `json:"relatives"`      // 近亲属
	Interests   []string `json:"interest_units"` // 有经济利益等利害关系的单位
	AdminUnits  []string `json:"admin_units"`    // 与所在单位有行政隶属关系的单位
	// Committee is the committee the expert is nominated to: "" or
	// "municipal" the municipal one, a district name that district's (EX-07;
	// a 区城市更新主管部门 always nominates to its own).
	Committee string `json:"committee"`
}

var phoneRe = regexp.MustCompile(`^[0-9+\-() ]{7,20}$`)
var idRe = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)

func cleanList(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// checkList bounds a list of names: at most 50 items of at most 100 characters.
func checkList(field, label string, xs []string) error {
	if len(xs) > 50 {
		return badField(field, label+"最多50项")
	}
	for _, x := range xs {
		if utf8.RuneCountInString(x) > 100 {
			return badField(field, fmt.Sprintf("%s“%.20s…”超过100个字", label, x))
		}
	}
	return nil
}

// textField is clean with the field's EInvalid error.
func textField(field, label, v string, max int) (string, error) {
	v, ok := clean(v, max)
	if !ok {
		return "", badField(field, fmt.Sprintf("%s不能为空，且不超过%d个字", label, max))
	}
	return v, nil
}

func (in ExpertInput) record() (*store.Expert, error) {
	e := &store.Expert{Gender: in.Gender, Academician: in.Academician, Shortage: in.Shortage,
		Phone: strings.TrimSpace(in.Phone), IDNumber: strings.ToUpper(strings.TrimSpace(in.IDNumber)),
		Relatives: cleanList(in.Relatives), Interests: cleanList(in.Interests), AdminUnits: cleanList(in.AdminUnits), Fields: cleanList(in.Fields)}
	var err error
	if e.Name, err = textField("name", "姓名", in.Name, 50); err != nil {
		return nil, err
	}
	if e.Gender != "男" && e.Gender != "女" {
		return nil, badField("gender", "性别应为“男”或“女”")
	}
	if e.BirthDate, err = calendar.ParseDate(strings.TrimSpace(in.BirthDate)); err != nil || e.BirthDate.Year < 1900 {
		return nil, badField("birth_date", "出生日期应为 YYYY-MM-DD 格式的日期")
	}
	if e.Employer, err = textField("employer", "所在单位", in.Employer, 100); err != nil {
		return nil, err
	}
	if e.Title, err = textField("title", "职称", in.Title, 50); err != nil {
		return nil, err
	}
	if len(e.Fields) == 0 {
		return nil, badField("fields", "请至少选择一个专业领域（"+jf3+" 第二条）")
	}
	for _, f := range e.Fields {
		if !rules.IsExpertField(f) {
			return nil, badField("fields", fmt.Sprintf("专业领域“%s”不在第二条所列14个领域之内：%s", f, strings.Join(rules.ExpertFields, "、")))
		}
	}
	for _, l := range []struct {
		field, label string
		xs           []string
	}{{"relatives", "近亲属", e.Relatives}, {"interest_units", "利害关系单位", e.Interests}, {"admin_units", "行政隶属单位", e.AdminUnits}} {
		if err := checkList(l.field, l.label, l.xs); err != nil {
			return nil, err
		}
	}
	if !phoneRe.MatchString(e.Phone) {
		return nil, badField("phone", "联系电话应为7至20位数字（可含 +、-、括号）")
	}
	if e.IDNumber != "" && !idRe.MatchString(e.IDNumber) {
		return nil, badField("id_number", "身份证号应为18位（末位可为X），或留空")
	}
	return e, nil
}

// ExpertView is an expert record as u may see it: personal data (phone, ID
// number) only for 市住房城乡建设委 and the recommending department; the
// terms; the EX-01 finding at the application date; whether the expert is
// a member today (Active); the EX-03 finding of the current year.
type ExpertView struct {
	*store.Expert
	StatusKey   string             `json:"status_key"` // the status, or "lapsed" when the term ended
	StatusLabel string             `json:"status_label"`
	Age         int                `json:"age_at_application"`
	AgeFinding  rules.Finding      `json:"age_finding"`
	Terms       []store.ExpertTerm `json:"terms"`
	Current     *store.ExpertTerm  `json:"current_term,omitempty"`
	Active      bool               `json:"active"`
	ReportYear  int                `json:"report_year"`
	Reports     int                `json:"reports_this_year"`
	Report      *rules.Finding     `json:"report_finding,omitempty"`
	Account     string             `json:"account,omitempty"`
	TermNote    string             `json:"term_note,omitempty"` // RULES I-19 / D16 notes on the current term
}

func (a *App) expertView(e *store.Expert, terms []store.ExpertTerm, reports int, u *gengxin.User) *ExpertView {
	today := a.Today()
	cp := *e
	if !(isHousing(u) || (u != nil && u.Role == gengxin.RoleMunicipalDept && u.Dept == e.Recommender && e.Committee == "") ||
		(e.Committee != "" && ManagesCommittee(u, e.Committee)) || (u != nil && u.ID == e.UserID && e.UserID != 0)) {
		cp.Phone, cp.IDNumber = "", ""
	}
	v := &ExpertView{Expert: &cp, StatusKey: e.Status, Terms: terms, ReportYear: today.Year, Reports: reports}
	if v.Terms == nil {
		v.Terms = []store.ExpertTerm{}
	}
	v.Age = rules.AgeOn(e.BirthDate, e.AppliedOn)
	v.AgeFinding = rules.ExpertAgeEligible(e.BirthDate, e.AppliedOn, e.Academician, e.Shortage, clampJF3(today))
	if n := len(terms); n > 0 {
		v.Current = &v.Terms[n-1]
	}
	if e.Status == ExpertAppointed && v.Current != nil {
		if today.After(v.Current.TermEnd) {
			v.StatusKey = "lapsed"
			v.TermNote = fmt.Sprintf("任期已于 %s 届满且未续聘，成员资格终止（%s 第六条；DECISIONS D16）", v.Current.TermEnd, jf3)
		} else {
			v.Active = true
			if v.Current.TermEnd.After(rules.JianFa3.To) {
				v.TermNote = fmt.Sprintf("任期末日 %s 晚于%s有效期末日 %s（RULES I-19），需确认办法是否延续", v.Current.TermEnd, jf3, rules.JianFa3.To)
			}
		}
	}
	if v.Active {
		f := rules.ExpertAnnualReport(today.Year, reports)
		v.Report = &f
	}
	v.StatusLabel = ExpertStatusLabel(v.StatusKey)
	return v
}

// clampJF3 keeps an evaluation date inside the validity of 京建法〔2024〕3号
// for findings that are shown, not decided on (the registry page).
func clampJF3(d calendar.Date) calendar.Date {
	if d.Before(rules.JianFa3.From) {
		return rules.JianFa3.From
	}
	if d.After(rules.JianFa3.To) {
		return rules.JianFa3.To
	}
	return d
}

// NominateExpert records a nomination (推荐, 第三、五条). A 市级行业主管部门
// nominates for itself (Recommender is its department); 市住房城乡建设委 may
// enter a nomination naming the recommending department. The application
// date is today; the age rule is evaluated at appointment. EForbidden for
// other roles; EInvalid for bad fields.
func (a *App) NominateExpert(ctx context.Context, u *gengxin.User, in ExpertInput) (*ExpertView, error) {
	committee := parseCommittee(in.Committee)
	switch {
	case isDistrictAuthority(u):
		// A district committee (EX-07): the 区城市更新主管部门 registers the
		// expert, naming the recommending unit (itself when none is named).
		if committee != "" && committee != u.District {
			return nil, gengxin.Errorf(gengxin.EForbidden, "区城市更新主管部门只能为本区专家委员会登记专家（%s）", jf3District)
		}
		if in.Committee != "" && committee == "" {
			return nil, gengxin.Errorf(gengxin.EForbidden, "市级专家委员会的专家由市级行业主管部门推荐（%s 第三条）", jf3)
		}
		committee = u.District
		if in.Recommender = strings.TrimSpace(in.Recommender); in.Recommender == "" {
			in.Recommender = u.Title()
		}
		if utf8.RuneCountInString(in.Recommender) > 100 {
			return nil, badField("recommender", "推荐单位不超过100个字")
		}
	case committee != "":
		return nil, gengxin.Errorf(gengxin.EForbidden, "%s由%s城市更新主管部门组建，专家由其登记（%s）", CommitteeLabel(committee), committee, jf3District)
	case u != nil && u.Role == gengxin.RoleMunicipalDept:
		in.Recommender = u.Dept
	case isHousing(u):
		in.Recommender = strings.TrimSpace(in.Recommender)
		depts, err := a.ExpertRecommenders(ctx)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(depts, in.Recommender) {
			return nil, badField("recommender", "推荐部门应为已开通账户的市级行业主管部门（由其审核，第十三条）："+strings.Join(depts, "、"))
		}
	default:
		return nil, gengxin.Errorf(gengxin.EForbidden, "专家由市级行业主管部门推荐（%s 第三条）", jf3)
	}
	e, err := in.record()
	if err != nil {
		return nil, err
	}
	e.Recommender, e.Status, e.AppliedOn, e.NominatedBy, e.CreatedAt = in.Recommender, ExpertNominated, a.Today(), actorName(u), a.now()
	e.Committee = committee
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertExpert(e); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-nominate", committeeCite(e.Committee, jf3+" 第三条、第五条"),
			fmt.Sprintf("推荐专家：%s（%s，%s），推荐部门：%s，%s", e.Name, e.Employer, strings.Join(e.Fields, "、"), e.Recommender, CommitteeLabel(e.Committee)),
			map[string]any{"expert": e.ID, "fields": e.Fields, "recommender": e.Recommender, "committee": e.Committee})
	})
	if err != nil {
		return nil, err
	}
	return a.expertView(e, nil, 0, u), nil
}

// ExpertRecommenders returns the departments of the municipal_dept accounts, who
// may recommend and vet experts.
func (a *App) ExpertRecommenders(ctx context.Context) ([]string, error) {
	us, err := a.DB.Read(ctx).Users()
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, x := range us {
		if x.Role == gengxin.RoleMunicipalDept && x.Dept != "" && !slices.Contains(out, x.Dept) {
			out = append(out, x.Dept)
		}
	}
	slices.Sort(out)
	return out, nil
}

// readExpert returns expert id if u may see it: 市住房城乡建设委 any, a
// 市级行业主管部门 those it recommended, an expert its own; ENotFound
// otherwise.
func (a *App) readExpert(rd interface {
	Expert(int64) (*store.Expert, error)
}, u *gengxin.User, id int64) (*store.Expert, error) {
	e, err := rd.Expert(id)
	if err != nil {
		return nil, err
	}
	switch {
	case isHousing(u):
	case u != nil && u.Role == gengxin.RoleMunicipalDept && u.Dept == e.Recommender && e.Committee == "":
	case e.Committee != "" && ManagesCommittee(u, e.Committee):
	case u != nil && u.Role == gengxin.RoleExpert && e.UserID == u.ID:
	default:
		return nil, gengxin.Errorf(gengxin.ENotFound, "专家不存在或无权查看")
	}
	return e, nil
}

// Expert returns one registry record as u may see it (see readExpert).
func (a *App) Expert(ctx context.Context, u *gengxin.User, id int64) (*ExpertView, error) {
	rd := a.DB.Read(ctx)
	e, err := a.readExpert(rd, u, id)
	if err != nil {
		return nil, err
	}
	terms, err := rd.ExpertTerms(e.ID)
	if err != nil {
		return nil, err
	}
	reps, err := rd.ExpertReports(e.ID, a.Today().Year)
	if err != nil {
		return nil, err
	}
	v := a.expertView(e, terms[e.ID], len(reps), u)
	if (v.Phone != "" || v.IDNumber != "") && u.ID != e.UserID {
		// Someone other than the expert reads the phone and ID number:
		// personal data, so the read is audited (GB/T 22239 8.1.4.3).
		a.RecordRead(ctx, u, 0, "专家联系电话、身份证号（专家 "+fmt.Sprint(e.ID)+" "+e.Name+"）")
	}
	if e.UserID != 0 && (isHousing(u) || u.ID == e.UserID) {
		if acc, err := rd.User(e.UserID); err == nil {
			v.Account = acc.Username
		}
	}
	return v, nil
}

// MyExpert returns the registry record linked to the expert account u;
// ENotFound when none is linked, EForbidden for other roles.
func (a *App) MyExpert(ctx context.Context, u *gengxin.User) (*ExpertView, error) {
	if u == nil || u.Role != gengxin.RoleExpert {
		return nil, gengxin.Errorf(gengxin.EForbidden, "仅专家本人可以办理")
	}
	e, err := a.DB.Read(ctx).ExpertByUser(u.ID)
	if err != nil {
		return nil, gengxin.Errorf(gengxin.ENotFound, "本账户尚未关联专家档案，请联系市住房城乡建设委")
	}
	return a.Expert(ctx, u, e.ID)
}

// ExpertFilter selects registry records: Status (a stored status or
// "lapsed"/"active"), Field, MissingReport (active experts without a 专项报告
// this year).
type ExpertFilter struct {
	Status        string
	Field         string
	MissingReport bool
	// Committee: "" every committee u may see, "municipal" the municipal
	// one, a district name that district's (EX-07).
	Committee string
}

// Experts lists the registry as u may see it (市住房城乡建设委 all; a
// 市级行业主管部门 its own nominations), with terms and this year's report
// counts. EForbidden for other roles; EInvalid for an unknown field.
func (a *App) Experts(ctx context.Context, u *gengxin.User, f ExpertFilter) ([]*ExpertView, error) {
	if !CanSeeRegistry(u) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "专家库由市住房城乡建设委和推荐部门查看")
	}
	if f.Field != "" && !rules.IsExpertField(f.Field) {
		return nil, badField("field", "专业领域无效")
	}
	switch f.Status {
	case "", "active", "lapsed", ExpertNominated, ExpertVetted, ExpertRejected, ExpertAppointed, ExpertExited:
	default:
		return nil, badField("status", "状态无效：应为 active、nominated、vetted、rejected、appointed、lapsed 或 exited")
	}
	rec := ""
	if !isHousing(u) && !isDistrictAuthority(u) {
		if rec = u.Dept; rec == "" {
			return nil, gengxin.Errorf(gengxin.EForbidden, "账户未关联市级行业主管部门，无法查看专家库")
		}
	}
	rd := a.DB.Read(ctx)
	es, err := rd.Experts(rec)
	if err != nil {
		return nil, err
	}
	terms, err := rd.ExpertTerms(0)
	if err != nil {
		return nil, err
	}
	reps, err := rd.ExpertReports(0, a.Today().Year)
	if err != nil {
		return nil, err
	}
	count := map[int64]int{}
	for _, r := range reps {
		count[r.ExpertID]++
	}
	out := []*ExpertView{}
	for _, e := range es {
		switch {
		case isDistrictAuthority(u) && e.Committee != u.District: // its own committee only (EX-07)
			continue
		case u.Role == gengxin.RoleMunicipalDept && e.Committee != "":
			continue
		case f.Committee != "" && e.Committee != parseCommittee(f.Committee):
			continue
		}
		v := a.expertView(e, terms[e.ID], count[e.ID], u)
		v.Phone, v.IDNumber = "", "" // personal data: on the record page only, where its reading is audited
		switch {
		case f.Field != "" && !slices.Contains(e.Fields, f.Field):
		case f.Status == "active" && !v.Active:
		case f.Status != "" && f.Status != "active" && f.Status != v.StatusKey:
		case f.MissingReport && (v.Report == nil || v.Report.Outcome != rules.Warn):
		default:
			out = append(out, v)
		}
	}
	return out, nil
}

// VetExpert records the recommending department's vetting of a nomination
// (信息审核, 第十三条): a 市级行业主管部门 of the recommending department
// approves (→ vetted) or rejects with a note. ENotFound when u may not see
// it, EForbidden for another department, EConflict unless nominated.
func (a *App) VetExpert(ctx context.Context, u *gengxin.User, id int64, approve bool, note string) (*ExpertView, error) {
	if u == nil || (u.Role != gengxin.RoleMunicipalDept && !isDistrictAuthority(u)) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "专家信息由推荐部门审核（%s 第十三条）", jf3)
	}
	note = strings.TrimSpace(note)
	if !approve && note == "" {
		return nil, badField("note", "审核不通过须说明理由")
	}
	var e *store.Expert
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if e, err = a.readExpert(tx, u, id); err != nil {
			return err
		}
		switch {
		case e.Committee != "" && !ManagesCommittee(u, e.Committee):
			return gengxin.Errorf(gengxin.EForbidden, "%s的专家信息由%s城市更新主管部门审核（%s）", CommitteeLabel(e.Committee), e.Committee, jf3District)
		case e.Committee == "" && (u.Role != gengxin.RoleMunicipalDept || u.Dept != e.Recommender):
			return gengxin.Errorf(gengxin.EForbidden, "专家信息由推荐部门（%s）审核（%s 第十三条）", e.Recommender, jf3)
		}
		if e.Status != ExpertNominated {
			return gengxin.Errorf(gengxin.EConflict, "该专家当前为“%s”，不在待审核状态", ExpertStatusLabel(e.Status))
		}
		e.Status = ExpertVetted
		if !approve {
			e.Status = ExpertRejected
		}
		e.VettedOn, e.VettedBy, e.VetNote = a.Today(), actorName(u), note
		if err := tx.UpdateExpert(e); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-vet", committeeCite(e.Committee, jf3+" 第十三条"), fmt.Sprintf("推荐部门审核专家%s：%s", e.Name, ExpertStatusLabel(e.Status)),
			map[string]any{"expert": e.ID, "approve": approve, "note": note})
	})
	if err != nil {
		return nil, err
	}
	return a.Expert(ctx, u, id)
}

// appointTerm checks EX-01 (a warning needs justification, D8/D16) and EX-02
// and stores the 聘书 of term seq starting on start.
// A term runs from start; its last day is the date corresponding to anchor
// three years on (DECISIONS D1): anchor is start for a first appointment and
// the last day of the term before for a re-appointment, which then begins
// the day after it. A rule out of force (DECISIONS D7; 京建法〔2024〕3号 ends
// 2027-05-09, RULES I-19) is applied only with a written reason, recorded
// with the officer, as is an age over 70 (D16).
func (a *App) appointTerm(tx *store.Tx, u *gengxin.User, e *store.Expert, seq int, start, anchor, ageDate calendar.Date, justification string) (*store.ExpertTerm, error) {
	today := a.Today()
	justified := utf8.RuneCountInString(justification) >= 4
	age := rules.ExpertAgeEligible(e.BirthDate, ageDate, e.Academician, e.Shortage, today)
	override := false
	switch age.Outcome {
	case rules.Pass:
	case rules.Warn:
		if !justified {
			return nil, ruleRefused(age, age.Message+"。请填写书面理由（聘任理由）后再聘任")
		}
	case rules.OutOfForce:
		if !justified {
			return nil, ruleRefused(age, age.Message+"。如确需聘任，请填写书面理由（DECISIONS D7）")
		}
		override = true
	default:
		return nil, ruleRefused(age, "")
	}
	end, term := rules.ExpertTerm(anchor, today)
	switch term.Outcome {
	case rules.Applies:
	case rules.OutOfForce:
		if !justified {
			return nil, ruleRefused(term, term.Message+"。如确需聘任，请填写书面理由（DECISIONS D7）")
		}
		end, override = calendar.AddYears(anchor, rules.ExpertTermYears.Int()), true
	default:
		return nil, ruleRefused(term, "")
	}
	switch {
	case override:
		justification = "（规则有效期外，按 DECISIONS D7 经办人记录理由后适用）" + justification
	case age.Outcome == rules.Pass:
		justification = ""
	}
	counter, prefix := fmt.Sprintf("expert-cert:%d", today.Year), "京建更新专聘"
	if e.Committee != "" {
		counter, prefix = fmt.Sprintf("expert-cert:%s:%d", e.Committee, today.Year), e.Committee+"更新专聘"
	}
	n, err := tx.NextCounter(counter)
	if err != nil {
		return nil, err
	}
	t := &store.ExpertTerm{ExpertID: e.ID, Seq: seq, AppointedOn: start, TermEnd: end, CertNo: fmt.Sprintf("%s〔%d〕%d号", prefix, today.Year, n),
		CertCode: verifyCode(), AgeOutcome: string(age.Outcome), Justification: justification, IssuedBy: actorName(u), CreatedAt: a.now()}
	if err := tx.InsertExpertTerm(t); err != nil {
		return nil, err
	}
	if err := tx.InsertDocument(&gengxin.IssuedDocument{Code: t.CertCode, Kind: CommitteeName(e.Committee) + "专家聘书", Number: t.CertNo,
		Project: fmt.Sprintf("受聘专家 %s（第%d届任期 %s 至 %s）", e.Name, seq, t.AppointedOn, t.TermEnd), Issuer: committeeIssuer(e.Committee), IssuedOn: today}); err != nil {
		return nil, err
	}
	if e.UserID != 0 {
		if err := tx.InsertNotification(&gengxin.Notification{UserID: e.UserID, Title: "专家聘书已颁发",
			Body: fmt.Sprintf("您已受聘为%s专家，聘书 %s，任期 %s 至 %s。", CommitteeName(e.Committee), t.CertNo, t.AppointedOn, t.TermEnd), Citation: committeeCite(e.Committee, jf3+" 第六条"), At: a.now()}); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// AppointExpert appoints a vetted expert (入选 and 聘任, 第五、六条): EX-01
// at the application date (over 70 without 院士/特别紧缺 needs a written
// justification, recorded with the approver), the 3-year term of EX-02, and
// a numbered, verifiable 聘书. EForbidden unless 市住房城乡建设委; EConflict
// unless vetted; ERuleRefused naming the rule.
func (a *App) AppointExpert(ctx context.Context, u *gengxin.User, id int64, justification string) (*ExpertView, error) {
	if err := needSomeManager(u, "聘任专家"); err != nil {
		return nil, err
	}
	justification = strings.TrimSpace(justification)
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, err := a.readExpert(tx, u, id)
		if err != nil {
			return err
		}
		if err := needManager(u, e, "聘任专家"); err != nil {
			return err
		}
		if e.Status != ExpertVetted {
			return gengxin.Errorf(gengxin.EConflict, "该专家当前为“%s”，须经推荐部门审核后方可聘任（%s 第十三条）", ExpertStatusLabel(e.Status), jf3)
		}
		t, err := a.appointTerm(tx, u, e, 1, a.Today(), a.Today(), e.AppliedOn, justification)
		if err != nil {
			return err
		}
		e.Status = ExpertAppointed
		if err := tx.UpdateExpert(e); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-appoint", committeeCite(e.Committee, jf3+" 第五条、第六条"),
			fmt.Sprintf("聘任专家%s，颁发聘书 %s，任期 %s 至 %s", e.Name, t.CertNo, t.AppointedOn, t.TermEnd),
			map[string]any{"expert": e.ID, "cert_no": t.CertNo, "term_end": t.TermEnd, "age_outcome": t.AgeOutcome, "justification": t.Justification})
	})
	if err != nil {
		return nil, err
	}
	return a.Expert(ctx, u, id)
}

// ReappointExpert re-appoints an expert whose term has not ended (连聘连任,
// 第六条): the new term starts the day after the current last day; the
// age is re-checked at today's date as a warning (RULES I-32, D16).
// EConflict when the expert is not in a running term (a lapsed membership
// needs a new nomination).
func (a *App) ReappointExpert(ctx context.Context, u *gengxin.User, id int64, justification string) (*ExpertView, error) {
	if err := needSomeManager(u, "续聘专家"); err != nil {
		return nil, err
	}
	justification = strings.TrimSpace(justification)
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, err := a.readExpert(tx, u, id)
		if err != nil {
			return err
		}
		if err := needManager(u, e, "续聘专家"); err != nil {
			return err
		}
		terms, err := tx.ExpertTerms(e.ID)
		if err != nil {
			return err
		}
		ts := terms[e.ID]
		if e.Status != ExpertAppointed || len(ts) == 0 {
			return gengxin.Errorf(gengxin.EConflict, "该专家当前为“%s”，不能续聘", ExpertStatusLabel(e.Status))
		}
		cur := ts[len(ts)-1]
		if a.Today().After(cur.TermEnd) {
			return gengxin.Errorf(gengxin.EConflict, "该专家任期已于 %s 届满，成员资格已终止（DECISIONS D16）；如需再次聘任，应重新推荐", cur.TermEnd)
		}
		if cur.AppointedOn.After(a.Today()) {
			return gengxin.Errorf(gengxin.EConflict, "该专家已续聘（下一届任期自 %s 起）", cur.AppointedOn)
		}
		t, err := a.appointTerm(tx, u, e, cur.Seq+1, cur.TermEnd.AddDays(1), cur.TermEnd, a.Today(), justification)
		if err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-reappoint", committeeCite(e.Committee, jf3+" 第六条"),
			fmt.Sprintf("续聘专家%s（第%d届），颁发聘书 %s，任期 %s 至 %s", e.Name, t.Seq, t.CertNo, t.AppointedOn, t.TermEnd),
			map[string]any{"expert": e.ID, "seq": t.Seq, "cert_no": t.CertNo, "term_end": t.TermEnd, "age_outcome": t.AgeOutcome, "justification": t.Justification})
	})
	if err != nil {
		return nil, err
	}
	return a.Expert(ctx, u, id)
}

// ExitInput is an exit decision (第十二条): the ground (1 or 2), the facts,
// and the recommending department's opinion sought beforehand.
type ExitInput struct {
	Ground             int    `json:"ground"`
	Reason             string `json:"reason"`
	RecommenderOpinion string `json:"recommender_opinion"`
}

// ExitExpert decides an expert's exit (第十二条): only on ground (一) or
// (二) and only after the recommending department's opinion is recorded
// (ERuleRefused EX-05 otherwise); the expert (in-app, when an account is
// linked) and the employer (recorded notice) are notified. An exited expert
// is never drawn again. EForbidden unless 市住房城乡建设委; EConflict when
// already exited.
func (a *App) ExitExpert(ctx context.Context, u *gengxin.User, id int64, in ExitInput) (*ExpertView, error) {
	if err := needSomeManager(u, "作出专家退出决定"); err != nil {
		return nil, err
	}
	if f := rules.ExpertExit(in.Ground, in.RecommenderOpinion); f.Outcome != rules.Pass {
		return nil, ruleRefused(f, "")
	}
	reason, err := textField("reason", "退出事由", in.Reason, 1000)
	if err != nil {
		return nil, err
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, err := a.readExpert(tx, u, id)
		if err != nil {
			return err
		}
		if err := needManager(u, e, "作出专家退出决定"); err != nil {
			return err
		}
		if e.Status == ExpertExited {
			return gengxin.Errorf(gengxin.EConflict, "该专家已于 %s 退出", e.ExitedOn)
		}
		today := a.Today()
		ground := rules.ExpertExit(in.Ground, in.RecommenderOpinion)
		e.Status, e.ExitGround, e.ExitReason, e.ExitOpinion, e.ExitedOn, e.ExitedBy = ExpertExited, in.Ground, reason, strings.TrimSpace(in.RecommenderOpinion), today, actorName(u)
		e.ExitEmployerNotice = fmt.Sprintf("%s 已书面通知专家所在单位“%s”：%s 因%s退出%s，已退出的专家不得再以专家委员会专家身份从事城市更新相关活动（%s）",
			today, e.Employer, e.Name, rules.ExpertExitGrounds[in.Ground], CommitteeName(e.Committee), committeeCite(e.Committee, ground.Citation))
		if err := tx.UpdateExpert(e); err != nil {
			return err
		}
		// Invitations still open lapse, so that the 使用单位 may draw a replacement.
		open, err := tx.ExpertAssignments(0, e.ID)
		if err != nil {
			return err
		}
		for _, as := range open {
			if as.Status == AssignInvited {
				as.Status, as.RecusalGround, as.RecusedOn = AssignRecused, "第十二条 专家已退出", today
				if err := tx.UpdateExpertAssignment(as); err != nil {
					return err
				}
			}
		}
		if e.UserID != 0 {
			if err := tx.InsertNotification(&gengxin.Notification{UserID: e.UserID, Title: "专家退出决定",
				Body: fmt.Sprintf("经征求推荐部门（%s）意见，%s决定您退出%s。退出情形：%s。事由：%s。已退出的专家不得再以专家委员会专家身份从事城市更新相关活动。",
					e.Recommender, committeeIssuer(e.Committee), CommitteeName(e.Committee), rules.ExpertExitGrounds[in.Ground], reason), Citation: committeeCite(e.Committee, ground.Citation), At: a.now()}); err != nil {
				return err
			}
		}
		return a.userEvent(tx, u, "expert-exit", committeeCite(e.Committee, ground.Citation), fmt.Sprintf("专家%s退出%s（%s），已通知本人及所在单位%s", e.Name, CommitteeLabel(e.Committee), ground.Citation, e.Employer),
			map[string]any{"expert": e.ID, "ground": in.Ground, "reason": reason, "recommender_opinion": e.ExitOpinion, "employer_notice": e.ExitEmployerNotice})
	})
	if err != nil {
		return nil, err
	}
	return a.Expert(ctx, u, id)
}

// LinkExpertAccount links the expert account username to registry record
// id, so that the expert sees its consultations and submits reports.
// EForbidden unless 市住房城乡建设委; EInvalid when the account is not an
// expert account; EConflict when it is linked to another record.
func (a *App) LinkExpertAccount(ctx context.Context, u *gengxin.User, id int64, username string) (*ExpertView, error) {
	if err := needSomeManager(u, "关联专家账户"); err != nil {
		return nil, err
	}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, err := a.readExpert(tx, u, id)
		if err != nil {
			return err
		}
		if err := needManager(u, e, "关联专家账户"); err != nil {
			return err
		}
		acc, err := tx.UserByName(strings.TrimSpace(username))
		if err != nil || acc.Role != gengxin.RoleExpert {
			return badField("username", "账户不存在或不是专家账户（角色 expert）")
		}
		if other, err := tx.ExpertByUser(acc.ID); err == nil && other.ID != e.ID {
			return gengxin.Errorf(gengxin.EConflict, "该账户已关联专家档案 %d", other.ID)
		}
		e.UserID = acc.ID
		if err := tx.UpdateExpert(e); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-link", jf3, fmt.Sprintf("专家%s关联账户 %s", e.Name, acc.Username), map[string]any{"expert": e.ID, "user": acc.ID})
	})
	if err != nil {
		return nil, err
	}
	return a.Expert(ctx, u, id)
}

// ExpertCertificatePDF renders the 聘书 of term seq of expert id, for
// 市住房城乡建设委, the recommending department and the expert.
func (a *App) ExpertCertificatePDF(ctx context.Context, u *gengxin.User, id int64, seq int) ([]byte, string, error) {
	v, err := a.Expert(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	var t *store.ExpertTerm
	for i := range v.Terms {
		if v.Terms[i].Seq == seq {
			t = &v.Terms[i]
		}
	}
	if t == nil {
		return nil, "", gengxin.Errorf(gengxin.ENotFound, "没有该届聘书")
	}
	issued := calendar.DateIn(t.CreatedAt)
	n := document.Notice{
		Issuer:    committeeIssuer(v.Committee),
		Number:    t.CertNo,
		Title:     CommitteeName(v.Committee) + "专家聘书",
		Addressee: v.Name + "：",
		Paragraphs: []string{
			certIntro(v),
			fmt.Sprintf("任期自%s起至%s止（每届任期3年，可以连聘连任）。受聘期间请遵守回避制度，每年至少提交一份具有建设性的专项报告。", chineseDate(t.AppointedOn), chineseDate(t.TermEnd)),
		},
		Fields: []document.Field{{Label: "姓名", Value: v.Name}, {Label: "所在单位", Value: v.Employer}, {Label: "职称", Value: v.Title},
			{Label: "专业领域", Value: strings.Join(v.Fields, "、")}, {Label: "届次", Value: fmt.Sprintf("第%d届（%s）", t.Seq, map[bool]string{true: "首次聘任", false: "连聘"}[t.Seq == 1])},
			{Label: "任期", Value: fmt.Sprintf("%s 至 %s", t.AppointedOn, t.TermEnd)}},
		Citation:   "依据：" + committeeCite(v.Committee, jf3+" 第五条、第六条"),
		Date:       chineseDate(issued),
		VerifyCode: t.CertCode,
		VerifyURL:  a.verifyURL(),
		Footer:     "本聘书由北京市城市更新信息系统生成，可在验证页面核验。",
		CreatedAt:  noticeTime(issued),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), fmt.Sprintf("专家聘书-%d-%d.pdf", v.ID, t.Seq), nil
}

// ExportExperts writes the registry u may see as .xlsx (no phone or ID
// number).
func (a *App) ExportExperts(ctx context.Context, u *gengxin.User, f ExpertFilter, w io.Writer) error {
	vs, err := a.Experts(ctx, u, f)
	if err != nil {
		return err
	}
	var rows [][]any
	for _, v := range vs {
		var cert, start, end any
		if v.Current != nil {
			cert, start, end = v.Current.CertNo, v.Current.AppointedOn, v.Current.TermEnd
		}
		rep := any(nil)
		if v.Active {
			rep = v.Reports
		}
		rows = append(rows, []any{v.ID, CommitteeLabel(v.Committee), v.Name, v.Gender, v.BirthDate, v.Age, v.Employer, v.Title, strings.Join(v.Fields, "、"), v.Recommender,
			v.Academician, v.Shortage, v.StatusLabel, cert, start, end, rep, v.ExitedOn})
	}
	when := a.now().In(calendar.Beijing).Format("2006-01-02 15:04")
	return xlsx.WriteWorkbook(w, xlsx.Sheet{Name: "专家库", Title: "北京市城市更新专家委员会专家名单（" + jf3 + "；导出时间 " + when + "）", Columns: []xlsx.Column{
		{Title: "编号", Width: 8}, {Title: "委员会", Width: 16}, {Title: "姓名", Width: 12}, {Title: "性别", Width: 6}, {Title: "出生日期", Width: 12}, {Title: "申请时年龄", Width: 10},
		{Title: "所在单位", Width: 30}, {Title: "职称", Width: 14}, {Title: "专业领域", Width: 24}, {Title: "推荐部门", Width: 14}, {Title: "院士", Width: 6},
		{Title: "特别紧缺", Width: 8}, {Title: "状态", Width: 14}, {Title: "聘书编号", Width: 24}, {Title: "任期起", Width: 12}, {Title: "任期末日", Width: 12},
		{Title: fmt.Sprintf("%d年专项报告", a.Today().Year), Width: 14}, {Title: "退出日期", Width: 12}}, Rows: rows})
}

// ---- meetings ----

// MeetingInput records a plenary meeting (第九条).
type MeetingInput struct {
	HeldOn    string  `json:"held_on"`
	Title     string  `json:"title"`
	Attendees []int64 `json:"attendees"`
	Minutes   string  `json:"minutes"`
}

// RecordExpertMeeting records a plenary meeting with its minutes
// (集体会议, 第八条(三)、第九条). EForbidden unless 市住房城乡建设委; EInvalid
// for bad input or an attendee not in the registry.
func (a *App) RecordExpertMeeting(ctx context.Context, u *gengxin.User, in MeetingInput) (*store.ExpertMeeting, error) {
	if err := needHousing(u, "组织专家委员会集体会议"); err != nil {
		return nil, err
	}
	m := &store.ExpertMeeting{RecordedBy: actorName(u), CreatedAt: a.now(), Attendees: []int64{}}
	var err error
	if m.HeldOn, err = calendar.ParseDate(strings.TrimSpace(in.HeldOn)); err != nil {
		return nil, badField("held_on", "会议日期应为 YYYY-MM-DD")
	}
	if m.Title, err = textField("title", "会议议题", in.Title, 200); err != nil {
		return nil, err
	}
	if m.Minutes, err = textField("minutes", "会议纪要", in.Minutes, 20000); err != nil {
		return nil, err
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		for _, id := range in.Attendees {
			e, err := tx.Expert(id)
			if err != nil || e.Committee != "" {
				return badField("attendees", fmt.Sprintf("参会专家 %d 不在市级专家委员会专家库中", id))
			}
			if !slices.Contains(m.Attendees, e.ID) {
				m.Attendees = append(m.Attendees, e.ID)
			}
		}
		if err := tx.InsertExpertMeeting(m); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-meeting", jf3+" 第九条", fmt.Sprintf("专家委员会集体会议（%s）：%s，参会专家%d人", m.HeldOn, m.Title, len(m.Attendees)), map[string]any{"meeting": m.ID})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ExpertMeetings returns the plenary meetings, for 市住房城乡建设委 and experts.
func (a *App) ExpertMeetings(ctx context.Context, u *gengxin.User) ([]store.ExpertMeeting, error) {
	if !isHousing(u) && (u == nil || u.Role != gengxin.RoleExpert) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "集体会议纪要供市住房城乡建设委和专家查看")
	}
	return a.DB.Read(ctx).ExpertMeetings()
}

// ---- annual reports ----

// ReportInput is a 专项报告.
type ReportInput struct {
	Year  int    `json:"year"`
	Title string `json:"title"`
	Body  string `json:"body"`
}

// SubmitExpertReport stores a 专项报告 of the expert linked to u (第八条(三)).
// Year 0 means this year; a year before the 办法 came into force (2024,
// 第十四条) or after this year is EInvalid. EForbidden unless an expert account with a record; EConflict
// for an exited expert.
func (a *App) SubmitExpertReport(ctx context.Context, u *gengxin.User, in ReportInput) (*store.ExpertReport, error) {
	me, err := a.MyExpert(ctx, u)
	if err != nil {
		return nil, err
	}
	today := a.Today()
	if in.Year == 0 {
		in.Year = today.Year
	}
	// The first report year is the year the 办法 came into force (第十四条).
	if first := rules.JianFa3.From.Year; in.Year < first || in.Year > today.Year {
		return nil, badField("year", fmt.Sprintf("年度应在 %d 至 %d 之间", first, today.Year))
	}
	r := &store.ExpertReport{ExpertID: me.ID, Year: in.Year, SubmittedOn: today, CreatedAt: a.now()}
	if r.Title, err = textField("title", "报告题目", in.Title, 200); err != nil {
		return nil, err
	}
	if r.Body, err = textField("body", "报告内容", in.Body, 50000); err != nil {
		return nil, err
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, err := tx.Expert(me.ID)
		if err != nil {
			return err
		}
		if e.Status == ExpertExited {
			return gengxin.Errorf(gengxin.EConflict, "已退出的专家不得再以专家委员会专家身份从事城市更新相关活动（%s 第十二条）", jf3)
		}
		if err := tx.InsertExpertReport(r); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-report", jf3+" 第八条(三)", fmt.Sprintf("专家%s提交%d年度专项报告：%s", e.Name, r.Year, r.Title), map[string]any{"report": r.ID, "year": r.Year})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ExpertReports returns the reports u may see: an expert its own,
// 市住房城乡建设委 everyone's (year 0 = all years).
func (a *App) ExpertReports(ctx context.Context, u *gengxin.User, year int) ([]store.ExpertReport, error) {
	switch {
	case isHousing(u):
		return a.DB.Read(ctx).ExpertReports(0, year)
	case isDistrictAuthority(u): // its own committee's (EX-07)
		return a.DB.Read(ctx).ExpertReportsOfCommittee(u.District, year)
	case u != nil && u.Role == gengxin.RoleExpert:
		me, err := a.MyExpert(ctx, u)
		if err != nil {
			return nil, err
		}
		return a.DB.Read(ctx).ExpertReports(me.ID, year)
	}
	return nil, gengxin.Errorf(gengxin.EForbidden, "专项报告供市住房城乡建设委、区城市更新主管部门（本区专家委员会）和专家本人查看")
}
