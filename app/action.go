package app

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
)

// ActionInput is the body of POST /api/v1/projects/{id}/actions/{action}.
// Each action reads the fields it needs; the others must be absent.
type ActionInput struct {
	Departments  []string `json:"departments,omitempty"`   // open-review
	Verdict      string   `json:"verdict,omitempty"`       // opinion: approve|reject|correct
	Text         string   `json:"text,omitempty"`          // opinion, record
	Items        []string `json:"items,omitempty"`         // request-correction
	Reason       string   `json:"reason,omitempty"`        // reject, exit, second correction, admit over objections
	District     string   `json:"district,omitempty"`      // admit: the library a cross-district project joins (第十条(二)第三款)
	IndustryDept string   `json:"industry_dept,omitempty"` // admit: 区级行业主管部门 (第十三条)
	// promote (第十五条)
	ConfirmationDocument  string `json:"confirmation_document,omitempty"`
	PlanningAndUseClear   *bool  `json:"planning_and_use_clear,omitempty"`
	IndustryDeptCertified *bool  `json:"industry_dept_certified,omitempty"`
	// plan (第十六条)
	Year                    int   `json:"year,omitempty"`
	ExpectedStartYear       int   `json:"expected_start_year,omitempty"`
	StableFunding           *bool `json:"stable_funding,omitempty"`
	CompliesWithPlans       *bool `json:"complies_with_plans,omitempty"`
	NeedsImplementationPlan *bool `json:"needs_implementation_plan,omitempty"`
	// complete, plan-done
	On calendar.Date `json:"on,omitzero"`
	// exit (第二十条)
	Ground int `json:"ground,omitempty"`
	// record (第十三条)
	Kind string `json:"kind,omitempty"`
	// OverrideReason applies a step although its rules are out of force
	// (DECISIONS D7): recorded with the officer's name.
	OverrideReason string `json:"override_reason,omitempty"`
}

// Act performs a procedure step on project id for u in one transaction —
// authorisation, the rules' guards, the state change, its deadlines,
// documents and notifications, and its event — and returns the project as
// committed, with its deadlines and events (the applicant's contact only to
// the applicant). Of concurrent conflicting steps exactly one is done: the
// others find the project moved on (on PostgreSQL they wait for its row
// and then judge the new state) and are refused — EConflict, or the rule
// that the new state no longer allows.
func (a *App) Act(ctx context.Context, u *gengxin.User, id int64, action gengxin.Action, in ActionInput) (*gengxin.Project, error) {
	// The project is read before the transaction and, inside it, only
	// checked to be unchanged: SQLite's one writer does the least it must.
	read, err := a.DB.Read(ctx).Project(id)
	if err != nil {
		return nil, err
	}
	var p *gengxin.Project
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		p, err = tx.ProjectAsRead(read)
		if err != nil {
			return err
		}
		was := store.Snapshot(p)
		t, err := gengxin.Authorize(u, action, p)
		if err != nil {
			return err
		}
		if !in.clean() {
			return gengxin.Errorf(gengxin.EInvalid, "输入含有不可见的控制字符或无效编码")
		}
		s := &step{a: a, tx: tx, u: u, p: p, t: t, in: in, today: a.Today(), from: p.Status}
		if err := s.validity(); err != nil {
			return err
		}
		h, ok := handlers[action]
		if !ok {
			return gengxin.Errorf(gengxin.ENotFound, "未知的办理事项：%s", action)
		}
		if t.To != "" {
			p.Status = t.To
		}
		summary, err := h(s)
		if err != nil {
			return err
		}
		p.UpdatedAt = a.now()
		if err := tx.UpdateProjectFrom(was, p); err != nil {
			return err
		}
		if s.in.OverrideReason != "" {
			summary += "（规则不在有效期，经办人说明理由后办理：" + s.in.OverrideReason + "）"
		}
		return a.event(tx, u, p, string(action), t.Citation, s.from, summary, in)
	})
	if err != nil {
		return nil, err
	}
	// The answer's deadlines and events, read once committed, outside the
	// writer (no second read of the project). The step is done whatever
	// happens here: a failed read leaves them out of the answer (logged)
	// rather than telling the caller the step failed.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := a.loadRecord(a.DB.Read(rctx), p); err != nil {
		a.Log.Error("reading a done step's deadlines and events", "project", id, "action", action, "err", err)
		p.Deadlines, p.Events = nil, nil
	}
	if p.Contact != "" && !isApplicantOf(u, p) {
		// Personal data: an officer reads it on the project itself, where the
		// read is audited (Project), not in a step's answer.
		p.Contact = ""
	}
	return p, nil
}

// clean reports whether every text of the input is clean (CleanText).
func (in ActionInput) clean() bool {
	texts := append([]string{in.Verdict, in.Text, in.Reason, in.District, in.IndustryDept, in.ConfirmationDocument, in.Kind, in.OverrideReason}, in.Items...)
	texts = append(texts, in.Departments...)
	for _, t := range texts {
		if !CleanText(t) {
			return false
		}
	}
	return true
}

type step struct {
	a     *App
	tx    *store.Tx
	u     *gengxin.User
	p     *gengxin.Project
	t     gengxin.Transition
	in    ActionInput
	today calendar.Date
	from  gengxin.Status
}

var handlers map[gengxin.Action]func(*step) (string, error)

func init() {
	handlers = map[gengxin.Action]func(*step) (string, error){
		gengxin.ActSubmit:            (*step).submit,
		gengxin.ActOpenReview:        (*step).openReview,
		gengxin.ActOpinion:           (*step).opinion,
		gengxin.ActRequestCorrection: (*step).requestCorrection,
		gengxin.ActResubmit:          (*step).resubmit,
		gengxin.ActAdmit:             (*step).admit,
		gengxin.ActReject:            (*step).reject,
		gengxin.ActPromote:           (*step).promote,
		gengxin.ActPlan:              (*step).plan,
		gengxin.ActPlanDone:          (*step).planDone,
		gengxin.ActComplete:          (*step).complete,
		gengxin.ActExit:              (*step).exit,
		gengxin.ActRecord:            (*step).record,
	}
}

// validity applies DECISIONS D7: a step of 京建法〔2024〕2号 dated outside
// 2024-05-10…2027-05-09 is refused unless the officer records a reason.
func (s *step) validity() error {
	f := rules.ProjectLibraryInForce(s.today)
	if f.Outcome != rules.OutOfForce {
		return nil
	}
	if strings.TrimSpace(s.in.OverrideReason) != "" && s.u.Role != gengxin.RoleApplicant {
		return nil
	}
	return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: f.Rule, Citation: f.Citation,
		Message: "规则不在有效期：" + f.Message + "。如确需办理，请由经办人填写理由（override_reason）。"}
}

func (s *step) need(field, msg string, ok bool) error {
	if ok {
		return nil
	}
	return &gengxin.Error{Code: gengxin.EInvalid, Message: msg, Details: []gengxin.ErrorDetail{{Field: field, Message: msg}}}
}

// libraryFacts describes the project to the rules engine (FACTS.md `library`).
func libraryFacts(p *gengxin.Project) rules.LibraryFacts {
	b := func(v bool) *bool { return &v }
	i := func(v int) *int {
		if v == 0 {
			return nil
		}
		return &v
	}
	d := func(v calendar.Date) *calendar.Date {
		if v.IsZero() {
			return nil
		}
		return &v
	}
	return rules.LibraryFacts{
		Category:                  string(p.Category),
		EntityIdentified:          b(p.EntityName != "" && p.EntityUSCC != "" && p.EntityRole != ""),
		GoalStated:                b(strings.TrimSpace(p.Goal) != ""),
		FundEstimateDone:          b(p.FundEstimateWan != ""),
		CompliesWithPlans:         b(p.CompliesWithPlans),
		PreapprovedByIndustryDept: b(p.Source == gengxin.SourceImport),
		ConfirmationDocument:      b(p.ConfirmationDoc != ""),
		PlanYear:                  i(p.PlanYear),
		ExpectedStartYear:         i(p.ExpectedStartYear),
		PlanIncludedOn:            d(p.PlanIncludedOn),
		ImplementationPlanDoneOn:  d(p.ImplPlanDoneOn),
		NeedsImplementationPlan:   b(p.NeedsImplPlan),
		CompletionAcceptedOn:      d(p.CompletionOn),
	}
}

// MissingForSubmission lists, in Chinese and all at once, what 第九条 and
// the online form require that p lacks (DESIGN: "reported at once, naming
// each field").
func MissingForSubmission(p *gengxin.Project) []gengxin.ErrorDetail {
	var ds []gengxin.ErrorDetail
	miss := func(field, cite string) {
		ds = append(ds, gengxin.ErrorDetail{Field: field, Rule: "PL-01", Citation: "京建法〔2024〕2号 " + cite, Message: "缺少「" + fieldLabels[field] + "」"})
	}
	if p.Street == "" {
		miss("street", "第十条(一)")
	}
	if p.Address == "" {
		miss("address", "第十条(一)")
	}
	if p.EntityName == "" {
		miss("entity_name", "第九条(二)")
	}
	if p.EntityUSCC == "" {
		miss("entity_uscc", "第九条(二)")
	}
	if p.EntityRole == "" {
		miss("entity_role", "第九条(二)")
	}
	if strings.TrimSpace(p.Goal) == "" {
		miss("goal", "第九条(三)")
	}
	if p.FundEstimateWan == "" {
		miss("fund_estimate_wan", "第九条(三)")
	}
	if !p.CompliesWithPlans {
		ds = append(ds, gengxin.ErrorDetail{Field: "complies_with_plans", Rule: "PL-01", Citation: "京建法〔2024〕2号 第九条(一)",
			Message: "未声明项目属于《北京市城市更新条例》第二条明确的类型，符合国土空间规划、法律法规政策和区域发展定位"})
	}
	return ds
}

func (s *step) submit() (string, error) {
	if ds := MissingForSubmission(s.p); len(ds) > 0 {
		msgs := make([]string, len(ds))
		for i, d := range ds {
			msgs[i] = d.Message
		}
		return "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "PL-01", Citation: "京建法〔2024〕2号 第九条",
			Message: "申报信息不完整，请一次性补齐：" + strings.Join(msgs, "；"), Details: ds}
	}
	if err := refuse("不符合申请纳入储备项目库的条件", rules.EntryEligibility(libraryFacts(s.p), s.today)); err != nil {
		return "", err
	}
	s.p.SubmittedAt = s.a.now()
	s.notifyRenewal("新的入库申请："+s.p.Name, fmt.Sprintf("%s通过网上申报提交了%s项目「%s」，请在时限内开展联合审查。", s.p.EntityName, s.p.Category, s.p.Name))
	return s.receive("网上申报")
}

// receive sets the receipt date of a (re)submission (D4) and starts the
// clocks of 第十条(二)(三) (D5, D6). Projects decided by the district
// government or the municipal commission have no statutory clock (RULES I-16).
func (s *step) receive(how string) (string, error) {
	cal := s.a.Calendar()
	s.p.ReceivedOn = cal.ReceiptDate(s.today)
	summary := fmt.Sprintf("%s，收到申请日期 %s", how, s.p.ReceivedOn)
	if s.p.ReceivedOn != s.today {
		summary += "（非工作日提交，顺延至下一工作日受理，DECISIONS D4）"
	}
	if gengxin.RouteOf(s.p) != gengxin.RouteJointReview {
		return summary + "；按「" + gengxin.RouteOf(s.p).Label() + "」办理，不计联合审查时限", nil
	}
	// Each receipt is a round of the clocks: the first submission is round 1,
	// each resubmission after a correction notice the next (D6).
	round := 1
	if s.from == gengxin.StatusCorrectionRequested {
		cs, err := s.tx.Corrections(s.p.ID)
		if err != nil {
			return "", err
		}
		round = len(cs) + 1
	}
	jr, f1 := rules.JointReviewDue(cal, s.p.ReceivedOn)
	en, f2 := rules.EntryNoticeDue(cal, s.p.ReceivedOn)
	for _, d := range []gengxin.Deadline{
		{Kind: gengxin.DeadlineJointReview, StartOn: s.p.ReceivedOn, Amount: rules.JointReviewWorkdays.Int(), Unit: "working_days", Due: jr, Citation: f1.Citation, Status: gengxin.DeadlineOpen, Round: round, Provisional: cal.Provisional(jr)},
		{Kind: gengxin.DeadlineEntryNotice, StartOn: s.p.ReceivedOn, Amount: rules.EntryNoticeWorkdays.Int(), Unit: "working_days", Due: en, Citation: f2.Citation, Status: gengxin.DeadlineOpen, Round: round, Provisional: cal.Provisional(en)},
	} {
		if err := s.tx.InsertDeadline(s.p.ID, &d); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%s；联合审查应于 %s 前完成，入库通知书应于 %s 前制发", summary, jr, en), nil
}

// closeDeadlines sets every open deadline of the project to status.
func (s *step) closeDeadlines(status string, kinds ...gengxin.DeadlineKind) error {
	dls, err := s.tx.Deadlines(s.p.ID)
	if err != nil {
		return err
	}
	for _, d := range dls {
		if d.Status != gengxin.DeadlineOpen || (len(kinds) > 0 && !slices.Contains(kinds, d.Kind)) {
			continue
		}
		d.Status, d.ClosedOn = status, s.today
		if err := s.tx.UpdateDeadline(&d); err != nil {
			return err
		}
	}
	return nil
}

func (s *step) openReview() (string, error) {
	depts := s.in.Departments
	if len(depts) == 0 {
		depts = s.p.Category.DefaultReviewDepartments()
	}
	seen := map[string]bool{}
	var clean []string
	for _, d := range depts {
		d = strings.TrimSpace(d)
		if !gengxin.IsDepartment(d) {
			return "", gengxin.Errorf(gengxin.EInvalid, "「%s」不是第十条(二)所列的区级行业主管部门；可选：%s", d, strings.Join(gengxin.Departments, "、"))
		}
		if !seen[d] {
			seen[d] = true
			clean = append(clean, d)
		}
	}
	s.p.Invited = clean
	s.p.ReviewRound++
	for _, d := range clean {
		s.notifyDept(d, "联合审查邀请："+s.p.Name, fmt.Sprintf("%s邀请贵部门参加项目「%s」联合审查，请在 %s 前提出意见。", s.u.Title(), s.p.Name, s.dueOf(gengxin.DeadlineJointReview)), s.t.Citation)
	}
	return "启动联合审查，邀请部门：" + strings.Join(clean, "、"), nil
}

func (s *step) dueOf(k gengxin.DeadlineKind) string {
	dls, _ := s.tx.Deadlines(s.p.ID)
	for _, d := range dls {
		if d.Kind == k && d.Status == gengxin.DeadlineOpen {
			return d.Due.String()
		}
	}
	return "时限内"
}

func (s *step) opinion() (string, error) {
	v := s.in.Verdict
	if v != "approve" && v != "reject" && v != "correct" {
		return "", s.need("verdict", "审查意见应为 approve（同意）、reject（不同意）或 correct（需补正）", false)
	}
	text := strings.TrimSpace(s.in.Text)
	if v != "approve" && text == "" {
		return "", s.need("text", "不同意或需补正时须填写意见内容", false)
	}
	if utf8.RuneCountInString(text) > 2000 {
		return "", s.need("text", "意见内容不超过2000字", false)
	}
	o := &gengxin.Opinion{ProjectID: s.p.ID, Round: s.p.ReviewRound, Dept: s.u.Dept, Verdict: v, Text: text, Actor: actorName(s.u), At: s.a.now()}
	if err := s.tx.InsertOpinion(o); err != nil {
		if gengxin.ErrorCode(err) == gengxin.EConflict {
			return "", gengxin.Errorf(gengxin.EConflict, "%s已在本轮审查中提出意见", gengxin.DepartmentFullName(s.u.District, s.u.Dept))
		}
		return "", err
	}
	done, err := s.allOpinionsIn()
	if err != nil {
		return "", err
	}
	summary := fmt.Sprintf("%s审查意见：%s", gengxin.DepartmentFullName(s.u.District, s.u.Dept), gengxin.VerdictLabel(v))
	if text != "" {
		summary += "（" + text + "）"
	}
	if done {
		// D5: the joint review is finished when every opinion is in.
		if err := s.closeDeadlines(gengxin.DeadlineMet, gengxin.DeadlineJointReview); err != nil {
			return "", err
		}
		summary += "；全部受邀部门意见已齐，联合审查完成"
		s.notifyRenewal(fmt.Sprintf("联合审查意见已齐（第%d轮）：%s", s.p.ReviewRound, s.p.Name), "全部受邀部门已提出审查意见，请作出入库决定或一次性告知补正。")
	}
	return summary, nil
}

// allOpinionsIn reports whether every invited department has an opinion in
// the current round.
func (s *step) allOpinionsIn() (bool, error) {
	ops, err := s.tx.Opinions(s.p.ID)
	if err != nil {
		return false, err
	}
	got := map[string]bool{}
	for _, o := range ops {
		if o.Round == s.p.ReviewRound {
			got[o.Dept] = true
		}
	}
	for _, d := range s.p.Invited {
		if !got[d] {
			return false, nil
		}
	}
	return true, nil
}

func (s *step) requestCorrection() (string, error) {
	var items []string
	for _, it := range s.in.Items {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		return "", s.need("items", "请逐项列明需补正的全部材料（一次性告知，京建法〔2024〕2号 第十二条）", false)
	}
	if len(items) > 50 {
		return "", s.need("items", "补正事项不超过50项", false)
	}
	prev, err := s.tx.Corrections(s.p.ID)
	if err != nil {
		return "", err
	}
	reason := strings.TrimSpace(s.in.Reason)
	if len(prev) > 0 && reason == "" {
		return "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "PL-04", Citation: "京建法〔2024〕2号 第十二条",
			Message: fmt.Sprintf("需要补正材料的，应当一次性告知；本项目已于 %s 发出第1次补正告知，再次告知须记录理由（DECISIONS D6）", prev[0].IssuedOn)}
	}
	d, _ := gengxin.LookupDistrict(s.p.District)
	n, err := s.tx.NextCounter(fmt.Sprintf("correction:%s:%d", d.Code, s.today.Year))
	if err != nil {
		return "", err
	}
	c := &gengxin.Correction{ProjectID: s.p.ID, Seq: len(prev) + 1, Number: fmt.Sprintf("%s更新补〔%d〕%d号", d.Abbr, s.today.Year, n),
		Items: items, Reason: reason, IssuedOn: s.today, IssuedBy: actorName(s.u), VerifyCode: verifyCode()}
	if err := s.tx.InsertCorrection(c); err != nil {
		return "", err
	}
	if err := s.tx.InsertDocument(&gengxin.IssuedDocument{Code: c.VerifyCode, Kind: "补正材料告知书", Number: c.Number, ProjectID: s.p.ID,
		Project: s.p.Name, District: s.p.District, Issuer: issuerOf(s.p), IssuedOn: s.today}); err != nil {
		return "", err
	}
	// D6: a correction notice stops both clocks.
	if err := s.closeDeadlines(gengxin.DeadlineStopped); err != nil {
		return "", err
	}
	s.notifyOrg("补正材料告知："+s.p.Name, fmt.Sprintf("请按《补正材料告知书》（%s）一次性补正以下材料后重新提交：%s", c.Number, strings.Join(items, "；")), "京建法〔2024〕2号 第十二条")
	summary := fmt.Sprintf("发出第%d次补正材料告知书 %s，共%d项；联合审查及入库通知时限中止", c.Seq, c.Number, len(items))
	if reason != "" {
		summary += "；再次告知理由：" + reason
	}
	return summary, nil
}

func (s *step) resubmit() (string, error) {
	if ds := MissingForSubmission(s.p); len(ds) > 0 {
		return "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "PL-01", Citation: "京建法〔2024〕2号 第九条", Message: "申报信息仍不完整", Details: ds}
	}
	cs, err := s.tx.Corrections(s.p.ID)
	if err != nil {
		return "", err
	}
	for _, c := range cs {
		if c.ResolvedOn.IsZero() {
			if err := s.tx.ResolveCorrection(c.ID, s.today); err != nil {
				return "", err
			}
		}
	}
	if s.p.ReviewRound > 0 && gengxin.RouteOf(s.p) == gengxin.RouteJointReview {
		// The joint review resumes with the same departments, in a new round.
		s.p.Status = gengxin.StatusInReview
		s.p.ReviewRound++
		for _, d := range s.p.Invited {
			s.notifyDept(d, "补正材料已提交："+s.p.Name, "申报主体已补正材料，请在新一轮联合审查中提出意见。", "京建法〔2024〕2号 第十条(二)")
		}
	}
	s.p.SubmittedAt = s.a.now()
	s.notifyRenewal(fmt.Sprintf("补正材料已提交（第%d轮审查）：%s", max(s.p.ReviewRound, 1), s.p.Name), "申报主体已按补正告知书补正材料并重新提交，联合审查及入库通知时限重新起算。")
	return s.receive("补正后重新提交（视为重新收到申请，两项时限重新起算，DECISIONS D6）")
}

func issuerOf(p *gengxin.Project) string { return p.District + "城市更新主管部门" }

func (s *step) admit() (string, error) {
	route := gengxin.RouteOf(s.p)
	var notes []string
	if s.from == gengxin.StatusSubmitted && route == gengxin.RouteJointReview && s.p.Source != gengxin.SourceImport {
		return "", gengxin.Errorf(gengxin.EConflict, "网上申报的项目须先经联合审查（京建法〔2024〕2号 第十条(二)），请先启动联合审查")
	}
	if s.p.Source == gengxin.SourceImport {
		if err := refuse("不符合直接导入入库的条件", []rules.Finding{rules.ImportEligible(string(s.p.Category), s.today)}); err != nil {
			return "", err
		}
	}
	if err := refuse("不符合纳入储备项目库的条件", rules.EntryEligibility(libraryFacts(s.p), s.today)); err != nil {
		return "", err
	}
	if s.from == gengxin.StatusInReview {
		done, err := s.allOpinionsIn()
		if err != nil {
			return "", err
		}
		if !done {
			return "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "PL-02", Citation: "京建法〔2024〕2号 第十条(二)",
				Message: "尚有受邀部门未提出审查意见，联合审查未完成，不能作出入库决定"}
		}
		ops, err := s.tx.Opinions(s.p.ID)
		if err != nil {
			return "", err
		}
		var objections []string
		for _, o := range ops {
			if o.Round == s.p.ReviewRound && o.Verdict != "approve" {
				objections = append(objections, o.Dept+gengxin.VerdictLabel(o.Verdict))
			}
		}
		if len(objections) > 0 {
			if strings.TrimSpace(s.in.Reason) == "" {
				return "", s.need("reason", "以下部门意见为不同意或需补正："+strings.Join(objections, "、")+"；如仍决定入库，须填写理由", false)
			}
			notes = append(notes, "对部门意见（"+strings.Join(objections, "、")+"）的处理理由："+s.in.Reason)
		}
	}
	if route == gengxin.RouteMunicipal && s.p.CrossDistrict {
		if _, ok := gengxin.LookupDistrict(s.in.District); !ok {
			return "", s.need("district", "跨区项目须由市住房城乡建设部门指定纳入的区级项目库（京建法〔2024〕2号 第十条(二)第三款）", false)
		}
		if s.in.District != s.p.District {
			notes = append(notes, "指定纳入"+s.in.District+"项目库（原申报区："+s.p.District+"）")
			s.p.District = s.in.District
		}
	}
	dept := s.p.Category.DefaultIndustryDept()
	if s.p.IndustryDept != "" {
		dept = s.p.IndustryDept // the importing department (第十一条)
	}
	if s.in.IndustryDept != "" {
		if !gengxin.IsDepartment(s.in.IndustryDept) {
			return "", s.need("industry_dept", "区级行业主管部门无效："+s.in.IndustryDept, false)
		}
		dept = s.in.IndustryDept
	}
	s.p.IndustryDept = dept
	if err := s.issueEntryNotice(); err != nil {
		return "", err
	}
	if err := s.closeDeadlines(gengxin.DeadlineMet); err != nil {
		return "", err
	}
	s.notifyOrg("项目已纳入储备项目库："+s.p.Name, fmt.Sprintf("《北京市城市更新项目纳入储备项目库通知书》（%s）已制发，可在项目页面下载打印。", s.p.NoticeNo), "京建法〔2024〕2号 第十二条")
	s.notifyDept(dept, "入库项目推送："+s.p.Name, fmt.Sprintf("项目「%s」（%s）已纳入储备项目库，按第十三条推送贵部门负责日常管理、定期查验、信息维护、出库管理。", s.p.Name, s.p.Category), "京建法〔2024〕2号 第十三条")
	summary := fmt.Sprintf("纳入储备项目库，制发入库通知书 %s，推送%s", s.p.NoticeNo, gengxin.DepartmentFullName(s.p.District, dept))
	if len(notes) > 0 {
		summary += "；" + strings.Join(notes, "；")
	}
	return summary, nil
}

func (s *step) issueEntryNotice() error {
	d, _ := gengxin.LookupDistrict(s.p.District)
	n, err := s.tx.NextCounter(fmt.Sprintf("notice:%s:%d", d.Code, s.today.Year))
	if err != nil {
		return err
	}
	s.p.NoticeNo = fmt.Sprintf("%s更新储〔%d〕%d号", d.Abbr, s.today.Year, n)
	s.p.NoticeOn, s.p.AdmittedOn, s.p.NoticeCode = s.today, s.today, verifyCode()
	return s.tx.InsertDocument(&gengxin.IssuedDocument{Code: s.p.NoticeCode, Kind: "北京市城市更新项目纳入储备项目库通知书", Number: s.p.NoticeNo,
		ProjectID: s.p.ID, Project: s.p.Name, District: s.p.District, Issuer: issuerOf(s.p), IssuedOn: s.today})
}

func (s *step) reject() (string, error) {
	reason := strings.TrimSpace(s.in.Reason)
	if err := s.need("reason", "不予入库须说明理由（京建法〔2024〕2号 第十二条）", reason != ""); err != nil {
		return "", err
	}
	s.p.RejectReason = reason
	if err := s.closeDeadlines(gengxin.DeadlineMet); err != nil {
		return "", err
	}
	s.notifyOrg("项目不予入库："+s.p.Name, "经审查，项目不予纳入储备项目库。理由："+reason, "京建法〔2024〕2号 第十二条")
	return "不予入库：" + reason, nil
}

func (s *step) promote() (string, error) {
	f := libraryFacts(s.p)
	doc := strings.TrimSpace(s.in.ConfirmationDocument)
	if doc == "" {
		doc = s.p.ConfirmationDoc
	}
	has := doc != ""
	f.ConfirmationDocument = &has
	f.PlanningAndUseClear = s.in.PlanningAndUseClear
	f.IndustryDeptCertified = s.in.IndustryDeptCertified
	if err := refuse("不具备调整至实施项目库的条件", rules.ImplementationReady(f, s.today)); err != nil {
		return "", err
	}
	s.p.ConfirmationDoc, s.p.PromotedOn = doc, s.today
	return "调整至实施项目库（确认文件：" + doc + "；规划、功能业态及监管要求基本明确；经认定具备实施条件）", nil
}

func (s *step) plan() (string, error) {
	if s.p.PlanYear != 0 {
		return "", gengxin.Errorf(gengxin.EConflict, "项目已纳入%d年度城市更新计划", s.p.PlanYear)
	}
	if s.in.Year < 2024 || s.in.Year > s.today.Year+1 {
		return "", s.need("year", fmt.Sprintf("计划年度无效：应为2024至%d年", s.today.Year+1), false)
	}
	f := libraryFacts(s.p)
	f.PlanYear = &s.in.Year
	if s.in.ExpectedStartYear != 0 {
		f.ExpectedStartYear = &s.in.ExpectedStartYear
	}
	f.StableFunding = s.in.StableFunding
	if s.in.CompliesWithPlans != nil {
		f.CompliesWithPlans = s.in.CompliesWithPlans
	}
	if err := refuse("不符合纳入城市更新计划的条件", rules.PlanEligible(f, s.today)); err != nil {
		return "", err
	}
	s.p.PlanYear, s.p.PlanIncludedOn, s.p.ExpectedStartYear = s.in.Year, s.today, s.in.ExpectedStartYear
	if s.in.NeedsImplementationPlan != nil {
		s.p.NeedsImplPlan = *s.in.NeedsImplementationPlan
	}
	summary := fmt.Sprintf("纳入%s%d年度城市更新计划，预计%d年开工；视同已完成“多规合一”初审（第十八条）", s.p.District, s.p.PlanYear, s.p.ExpectedStartYear)
	if !s.p.NeedsImplPlan {
		summary += "；无需编制实施方案（简易低风险或快速通道，DECISIONS D11）"
	}
	s.notifyOrg("项目已纳入城市更新计划："+s.p.Name, summary, "京建法〔2024〕2号 第十六条")
	return summary, nil
}

func (s *step) dateArg(what string) (calendar.Date, error) {
	d := s.in.On
	if d.IsZero() {
		d = s.today
	}
	if d.After(s.today) {
		return d, s.need("on", what+"日期不能晚于今天", false)
	}
	if d.Before(calendar.NewDate(2000, 1, 1)) {
		return d, s.need("on", what+"日期无效", false)
	}
	return d, nil
}

func (s *step) planDone() (string, error) {
	d, err := s.dateArg("实施方案编制完成")
	if err != nil {
		return "", err
	}
	s.p.ImplPlanDoneOn = d
	return "登记实施方案（或设计方案）编制完成：" + d.String(), nil
}

func (s *step) complete() (string, error) {
	d, err := s.dateArg("竣工验收合格")
	if err != nil {
		return "", err
	}
	s.p.CompletionOn = d
	return fmt.Sprintf("登记竣工验收合格日期 %s；满一年后（%s 起）由系统自动出库（第二十条(一)）", d, rules.AutoExitDate(d)), nil
}

func (s *step) exit() (string, error) {
	g := s.in.Ground
	info, err := rules.ExitGround(g)
	if err != nil {
		return "", s.need("ground", "出库情形应为1至5（京建法〔2024〕2号 第二十条）", false)
	}
	if g == gengxin.ExitGroundSystem {
		f := rules.AutoExit(s.p.CompletionOn, s.today)
		return "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "PL-10", Citation: info.Citation,
			Message: "第二十条(一)竣工满一年的项目由系统自动操作出库，无需人工办理。" + f.Message}
	}
	if g == 4 {
		f := rules.StalePlanExitOffered(s.p.PlanIncludedOn, s.p.ImplPlanDoneOn, s.p.NeedsImplPlan, s.today)
		if f.Outcome != rules.Applies {
			return "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: f.Rule, Citation: f.Citation, Message: "不符合第二十条(四)出库情形：" + f.Message}
		}
	}
	reason := strings.TrimSpace(s.in.Reason)
	if err := s.need("reason", "出库须说明认定情况", reason != ""); err != nil {
		return "", err
	}
	return s.doExit(g, reason, info)
}

// doExit leaves the library and tells the original applicant (第二十条).
func (s *step) doExit(g int, reason string, info rules.ExitGroundInfo) (string, error) {
	s.p.Status, s.p.ExitGround, s.p.ExitOn, s.p.ExitReason = gengxin.StatusExited, g, s.today, reason
	if err := s.closeDeadlines(gengxin.DeadlineMet); err != nil {
		return "", err
	}
	s.notifyOrg("项目出库告知："+s.p.Name, fmt.Sprintf("项目已于 %s 退出城市更新项目库。出库情形：%s。%s", s.today, info.Text, reason), info.Citation)
	return fmt.Sprintf("出库（%s %s）：%s；已告知原申报主体", info.Citation, info.Text, reason), nil
}

func (s *step) record() (string, error) {
	if !slices.Contains(gengxin.RecordKinds, s.in.Kind) {
		return "", s.need("kind", "记录类型应为 日常管理、定期查验 或 信息维护（京建法〔2024〕2号 第十三条）", false)
	}
	text := strings.TrimSpace(s.in.Text)
	if text == "" || utf8.RuneCountInString(text) > 2000 {
		return "", s.need("text", "记录内容不能为空，且不超过2000字", false)
	}
	r := &gengxin.Record{ProjectID: s.p.ID, Kind: s.in.Kind, Text: text, Actor: actorName(s.u), At: s.a.now()}
	if err := s.tx.InsertRecord(r); err != nil {
		return "", err
	}
	return s.in.Kind + "：" + text, nil
}

func (s *step) notifyOrg(title, body, citation string) {
	if s.p.OrgID == 0 {
		return
	}
	s.notify(&gengxin.Notification{OrgID: s.p.OrgID, ProjectID: s.p.ID, Title: title, Body: body, Citation: citation})
}

func (s *step) notifyDept(dept, title, body, citation string) {
	s.notify(&gengxin.Notification{District: s.p.District, Dept: dept, ProjectID: s.p.ID, Title: title, Body: body, Citation: citation})
}

func (s *step) notifyRenewal(title, body string) {
	s.notify(&gengxin.Notification{District: s.p.District, ProjectID: s.p.ID, Title: title, Body: body})
}

func (s *step) notify(n *gengxin.Notification) {
	n.At = s.a.now()
	if err := s.tx.InsertNotification(n); err != nil {
		s.a.Log.Error("notification", "err", err)
	}
}

// verifyCode returns a random 16-character verification code
// XXXX-XXXX-XXXX-XXXX without look-alike characters.
func verifyCode() string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return sb.String()
}
