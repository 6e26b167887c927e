package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
)

// admitted takes a new 产业类 project of f.applicant into the reserve
// library with 经济和信息化 as its industry department.
func admitted(t *testing.T, f *fixture, in app.ProjectInput) *gengxin.Project {
	t.Helper()
	p, err := f.CreateDraft(ctx, f.applicant, in)
	if err != nil {
		t.Fatal(err)
	}
	mustAct(t, f, f.applicant, p.ID, gengxin.ActSubmit, app.ActionInput{})
	mustAct(t, f, f.renewal, p.ID, gengxin.ActOpenReview, app.ActionInput{Departments: []string{"发展改革"}})
	mustAct(t, f, f.dept, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "approve", Text: "同意"})
	return mustAct(t, f, f.renewal, p.ID, gengxin.ActAdmit, app.ActionInput{IndustryDept: "经济和信息化"})
}

// standardFacts is a factory on the standard route: a change of main use
// class, 18,000 ㎡ above ground after renovation, with a transition period.
const standardFacts = `{"inside_fifth_ring":true,"building_area_m2":20000,"vacant_area_m2":12000,"proposed_industry":"产业创新",
 "renovation":{"use_change_main_class":true,"increase_area":false,"change_outline":false,"above_ground_area_after_m2":18000,
  "supporting_area_m2":2000,"height_after_m":30,"underground_area_m2":0,"excavation_depth_m":0,"single_function":false,
  "green_ratio_before":0.25,"green_ratio_after":0.25,"demolish_rebuild":false,"new_underground_space":false,"change_structure":false},
 "transition":{"encouraged_industry":true,"complies_with_regulatory_plan":true,"land_user_unchanged":true},
 "ownership":{"kind":"single"},"involves_central_units":false,"major_project":true}`

func materials() *app.OFMaterialsDoc {
	return &app.OFMaterialsDoc{Unregistered: "无", Industry: "人工智能研发", LandAndScale: "用地 1.2 公顷，建筑 20000 ㎡",
		FundingSource: "企业自筹", ExpectedImpact: "年产值 3 亿元，就业 800 人", Operation: "自持运营"}
}

func ofStep(t *testing.T, f *fixture, u *gengxin.User, id int64, step string, in app.OldFactoryInput) *app.OldFactoryView {
	t.Helper()
	v, err := f.OldFactoryStep(ctx, u, id, step, in)
	if err != nil {
		t.Fatalf("%s by %s: %v", step, u.Username, err)
	}
	return v
}

func details(err error) []string {
	var out []string
	if e, ok := err.(*gengxin.Error); ok {
		for _, d := range e.Details {
			out = append(out, d.Field)
		}
	}
	return out
}

func fullAgreement() *app.OFAgreementDoc {
	items := map[string]string{}
	for _, it := range app.OFAgreementItems {
		items[it.Key] = it.Label + "：按实施方案"
	}
	var pro []string
	for _, p := range app.OFProhibitions {
		pro = append(pro, p.Key)
	}
	// The parties are left out: the server fills in the project's.
	return &app.OFAgreementDoc{No: "朝经信监〔2024〕1号", Items: items, Prohibitions: pro, BreachHandling: "违约的，收回优惠政策并承担违约金"}
}

func TestOldFactoryStandardRoute(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		f.clock.T = at("2024-09-02").T
		p := admitted(t, f, validInput())

		// Register: every missing material is named at once (第六条).
		_, err := f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(standardFacts)})
		wantCode(t, err, gengxin.ERuleRefused)
		if got := details(err); len(got) != 7 || !slices.Contains(got, "materials.operation") || !slices.Contains(got, "owner") || slices.Contains(got, "facts.ownership.kind") {
			t.Fatalf("missing materials = %v", got)
		}
		// JSON null is no facts (400, not a crash).
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(`null`), Materials: materials(), Owner: "x"})
		wantCode(t, err, gengxin.EInvalid)
		// Another company's applicant cannot register it.
		_, err = f.OldFactoryStep(ctx, f.other, p.ID, app.OFStepRegister, app.OldFactoryInput{})
		wantCode(t, err, gengxin.ENotFound)
		v := ofStep(t, f, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(standardFacts), Materials: materials(), Owner: "北京某某机械厂"})
		if v.Stage != app.OFMaterials || v.Track != "standard" {
			t.Fatalf("after register: %s %s", v.Stage, v.Track)
		}
		// Twice → conflict.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{})
		wantCode(t, err, gengxin.EConflict)
		// The workbench: the 区城市更新主管部门 has the next step; a company has no case list.
		if todo, err := f.OldFactoryTodo(ctx, f.renewal); err != nil || len(todo) != 1 || todo[0].ProjectID != p.ID || todo[0].Project != p.Name {
			t.Fatalf("renewal todo: %v %v", todo, err)
		}
		if todo, err := f.OldFactoryTodo(ctx, f.applicant); err != nil || todo != nil {
			t.Fatalf("applicant todo: %v %v", todo, err)
		}

		// Requisites (第七条): all five plus the transition opinion.
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: &app.OFRequisites{Implementer: "北京某某置业有限公司"}})
		wantCode(t, err, gengxin.ERuleRefused)
		if got := details(err); len(got) != 6 || !slices.Contains(got, "requisites.transition_opinion") || !slices.Contains(got, "requisites.transition_applies") {
			t.Fatalf("missing requisites = %v", got)
		}
		// Not the applicant's step; not another district's.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRequisites, app.OldFactoryInput{})
		wantCode(t, err, gengxin.EForbidden)
		_, err = f.OldFactoryStep(ctx, f.otherDist, p.ID, app.OFStepRequisites, app.OldFactoryInput{})
		wantCode(t, err, gengxin.ENotFound)
		yesT := true
		req := &app.OFRequisites{Implementer: "北京某某置业有限公司", Function: "人工智能研发", Indicators: "地上 18000 ㎡，高度 30 m", LandSupply: "租赁",
			Supervision: "签订履约监管协议", TransitionOpinion: "属鼓励类产业，适用过渡期", TransitionApplies: &yesT}
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: req})
		if v.Stage != app.OFImplPlan {
			t.Fatalf("standard route goes to the plan: %s", v.Stage)
		}
		// The 2-year plan deadline (第十八条): 2024-09-02 → last day 2026-09-02.
		if len(v.Deadlines) != 1 || v.Deadlines[0].Kind != "implementation_plan" || v.Deadlines[0].Due.String() != "2026-09-02" ||
			!strings.Contains(v.Deadlines[0].Citation, "第十八条") {
			t.Fatalf("deadlines = %+v", v.Deadlines)
		}

		// Plan (R4): every item, plus the expected effect with a transition.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: &app.OFPlanDoc{Scope: "厂房 3 栋"}})
		if got := details(err); len(got) != 9 || !slices.Contains(got, "plan.expected") {
			t.Fatalf("missing plan items = %v (%v)", got, err)
		}
		plan := &app.OFPlanDoc{Scope: "厂房 3 栋", Design: "规划设计方案", Schedule: "2025 年开工", Cost: "1.2 亿元", Financing: "自筹",
			Operation: "自持", LandAcquire: "租赁", Infrastructure: "配套停车", Property: "不分割", Expected: "研发办公"}
		v = ofStep(t, f, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: plan})
		if v.Stage != app.OFReview {
			t.Fatal(v.Stage)
		}

		// Review: a major project needs the municipal approval first (OF-29).
		f.clock.T = at("2024-09-25").T
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepReview, app.OldFactoryInput{Verdict: "pass", Opinion: "同意"})
		wantCode(t, err, gengxin.ERuleRefused)
		if e := err.(*gengxin.Error); e.Rule != "OF-29" || !strings.Contains(e.Citation, "第十九条第一款") {
			t.Fatalf("%+v", e)
		}
		ofStep(t, f, f.renewal, p.ID, app.OFStepMunicipalApproval, app.OldFactoryInput{DocNo: "京政字〔2024〕88号", On: calendar.MustParseDate("2024-09-20")})
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepMunicipalApproval, app.OldFactoryInput{DocNo: "京政字〔2024〕89号", On: calendar.MustParseDate("2024-09-21")})
		wantCode(t, err, gengxin.EConflict) // recorded once, never overwritten
		// The joint review is held with the industry department (第十九条).
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepReview, app.OldFactoryInput{Verdict: "pass", Opinion: "同意", Participants: []string{"发展改革"}})
		wantCode(t, err, gengxin.EInvalid)
		// "revise" sends the plan back; the second submission is revision 2.
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepReview, app.OldFactoryInput{Verdict: "revise", Opinion: "补充消防方案"})
		if v.Stage != app.OFImplPlan {
			t.Fatal(v.Stage)
		}
		v = ofStep(t, f, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: plan})
		if v.Case.Plan.Revision != 2 {
			t.Fatal(v.Case.Plan.Revision)
		}
		// Pass on 2024-09-25 → publicity of 15 working days to 2024-10-21 (OF-30).
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepReview, app.OldFactoryInput{Verdict: "pass", Opinion: "同意"})
		if v.Stage != app.OFPublicity || v.Case.Publicity.End.String() != "2024-10-21" {
			t.Fatalf("publicity: %s %+v", v.Stage, v.Case.Publicity)
		}
		// …published on the public portal for the same period, without the contact.
		pubs, err := f.PublicationsOf(ctx, "old_factory", p.ID)
		if err != nil || len(pubs) != 1 || pubs[0].ID != v.Case.Publicity.PublicationID || pubs[0].EndsOn.String() != "2024-10-21" ||
			!strings.Contains(pubs[0].Title, p.Name) || strings.Contains(pubs[0].Body, "1380") {
			t.Fatalf("portal publicity: %v %+v", err, pubs)
		}

		// Agreement: not before the publicity has ended; only the industry department.
		f.clock.T = at("2024-10-21").T
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: fullAgreement()})
		wantCode(t, err, gengxin.ERuleRefused)
		f.clock.T = at("2024-10-22").T
		_, err = f.OldFactoryStep(ctx, f.dept, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: fullAgreement()})
		wantCode(t, err, gengxin.EForbidden)
		// Missing 考核机制 and the 分割销售 prohibition → refused, both named (OF-33).
		bad := fullAgreement()
		delete(bad.Items, "assessment")
		bad.Prohibitions = bad.Prohibitions[:2]
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: bad})
		wantCode(t, err, gengxin.ERuleRefused)
		if got := details(err); len(got) != 2 || err.(*gengxin.Error).Rule != "OF-33" {
			t.Fatalf("agreement refusal = %v", err)
		}
		wrong := fullAgreement()
		wrong.Owner = "另一家公司"
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: wrong})
		wantCode(t, err, gengxin.EInvalid)
		v = ofStep(t, f, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: fullAgreement()})
		if v.Case.Agreement.Owner != "北京某某机械厂" || v.Case.Agreement.Implementer != p.EntityName {
			t.Fatalf("parties %q %q", v.Case.Agreement.Implementer, v.Case.Agreement.Owner)
		}
		if v.Stage != app.OFPermits || v.Permit != "multi_plan_consultation" {
			t.Fatalf("%s %s", v.Stage, v.Permit)
		}
		// The agreement is a numbered PDF anyone can verify by its code.
		if doc, err := f.Verify(ctx, v.Case.Agreement.VerifyCode); err != nil || doc.Number != "朝经信监〔2024〕1号" || !strings.Contains(doc.Kind, "履约监管协议") {
			t.Fatalf("verify the agreement: %+v %v", doc, err)
		}
		if pdf, _, err := f.OldFactoryAgreementPDF(ctx, f.applicant, p.ID); err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
			t.Fatalf("agreement PDF: %v", err)
		}
		_, _, err = f.OldFactoryAgreementPDF(ctx, f.other, p.ID)
		wantCode(t, err, gengxin.ENotFound)

		// Permits go to the 产权单位 (OF-32); the multi-plan route needs the planning permit.
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: &app.OFPermitsDoc{Holder: "北京某某置业有限公司",
			PlanningPermitOn: calendar.MustParseDate("2024-10-20"), ConstructionPermitOn: calendar.MustParseDate("2024-10-22")}})
		wantCode(t, err, gengxin.ERuleRefused)
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: &app.OFPermitsDoc{Holder: "北京某某机械厂",
			ConstructionPermitOn: calendar.MustParseDate("2024-10-22")}})
		if got := details(err); len(got) != 1 || got[0] != "permits.planning_permit_on" {
			t.Fatalf("%v", err)
		}
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: &app.OFPermitsDoc{Holder: "北京某某机械厂",
			PlanningPermitOn: calendar.MustParseDate("2024-10-20"), ConstructionPermitOn: calendar.MustParseDate("2024-10-22")}})
		if v.Stage != app.OFSupervision || v.Case.TransitionEnd.IsZero() {
			t.Fatalf("%s transition %s", v.Stage, v.Case.TransitionEnd)
		}
		var eval app.OFDeadline
		for _, d := range v.Deadlines {
			if d.Kind == "evaluation" {
				eval = d
			}
		}
		if eval.Due.String() != "2029-10-22" {
			t.Fatalf("first evaluation due %+v, want 5 years after the construction permit", eval)
		}

		// Registration is refused during the transition (第二十四条).
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegistration, app.OldFactoryInput{})
		wantCode(t, err, gengxin.ERuleRefused)
		// The land procedure before the end needs an early application.
		f.clock.T = at("2025-06-03").T
		yes, no := true, false
		_, err = f.OldFactoryStep(ctx, f.gov, p.ID, app.OFStepLand, app.OldFactoryInput{Passed: &yes, Summary: "达到预期", Supply: "出让"})
		wantCode(t, err, gengxin.ERuleRefused)

		// Evaluation fails → rectification; the re-check fails → exit (第二十七条).
		dims := map[string]string{}
		for _, d := range app.OFEvaluationDimensions {
			dims[d.Key] = "一般"
		}
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepEvaluate, app.OldFactoryInput{Dimensions: dims, Passed: &yes, Summary: "合格", On: calendar.MustParseDate("2024-01-01")})
		wantCode(t, err, gengxin.EInvalid) // before the construction permit
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepEvaluate, app.OldFactoryInput{Dimensions: dims, Passed: &no, Summary: "擅自转租"})
		if got := details(err); len(got) != 2 {
			t.Fatalf("failed evaluation needs a deadline and problems: %v", err)
		}
		v = ofStep(t, f, f.industry, p.ID, app.OFStepEvaluate, app.OldFactoryInput{Dimensions: dims, Passed: &no, Summary: "擅自转租",
			Problems: []string{"擅自转租"}, RectifyBy: calendar.MustParseDate("2025-09-30")})
		if v.Stage != app.OFRectification {
			t.Fatal(v.Stage)
		}
		// The sweep reminds 30 days ahead and flags the overdue rectification, once.
		sweepKinds := func(day string) []string {
			lines, err := f.Sweep(ctx, calendar.MustParseDate(day))
			if err != nil {
				t.Fatal(err)
			}
			var ks []string
			for _, l := range lines {
				if l.ProjectID == p.ID {
					ks = append(ks, l.Action)
				}
			}
			return ks
		}
		if ks := sweepKinds("2025-09-05"); !slices.Equal(ks, []string{"of-reminder"}) {
			t.Fatalf("sweep 25 days ahead: %v", ks)
		}
		if ks := sweepKinds("2025-09-05"); len(ks) != 0 {
			t.Fatalf("second sweep: %v", ks)
		}
		if ks := sweepKinds("2025-10-01"); !slices.Equal(ks, []string{"of-overdue"}) {
			t.Fatalf("sweep after the deadline: %v", ks)
		}
		// Not before the rectification deadline (按期整改).
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepRecheck, app.OldFactoryInput{Passed: &no, Summary: "仍未收回转租部分"})
		wantCode(t, err, gengxin.ERuleRefused)
		f.clock.T = at("2025-10-08").T
		v = ofStep(t, f, f.industry, p.ID, app.OFStepRecheck, app.OldFactoryInput{Passed: &no, Summary: "仍未收回转租部分"})
		if v.Stage != app.OFExited || v.Case.Exit == nil {
			t.Fatal(v.Stage)
		}
		// The applicant was told at every step; the events are on the chain.
		ns, err := f.DB.Read(ctx).NotificationsFor(f.applicant, 50)
		if err != nil || len(ns) < 6 {
			t.Fatalf("notifications %d %v", len(ns), err)
		}
		d, err := f.Detail(ctx, f.renewal, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range d.Events {
			if strings.HasPrefix(e.Action, "old-factory:") {
				n++
			}
		}
		if n != 11 { // register, requisites, plan ×2, approval, review ×2, agreement, permits, evaluate, recheck
			t.Fatalf("old-factory events = %d", n)
		}
	})
}

func TestOldFactoryFastTrackAndGuards(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		f.clock.T = at("2024-09-02").T
		// Not an 产业类 project → conflict.
		in := validInput()
		in.Category = "居住类"
		res := admitted(t, f, in)
		_, err := f.OldFactoryStep(ctx, f.applicant, res.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(`{}`), Materials: materials(), Owner: "x"})
		wantCode(t, err, gengxin.EConflict)

		p := admitted(t, f, validInput())
		// The ownership decides who may be 实施主体 (第八条): required.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(`{"building_area_m2":10000,"vacant_area_m2":6000}`), Materials: materials(), Owner: "x"})
		if got := details(err); len(got) != 1 || got[0] != "facts.ownership.kind" {
			t.Fatalf("ownership missing: %v", err)
		}
		// Not a 老旧厂房: exactly 50 % vacant, no hazard, output fine (OF-01, strict >).
		notOld := `{"building_area_m2":10000,"vacant_area_m2":5000,"safety_hazard":false,"output_below_standard":false,"ownership":{"kind":"single"}}`
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(notOld), Materials: materials(), Owner: "x"})
		wantCode(t, err, gengxin.ERuleRefused)
		if e := err.(*gengxin.Error); e.Rule != "OF-01" {
			t.Fatalf("%+v", e)
		}
		// Fast track B: ≤10,000 ㎡, ≤24 m, ≤2,000 ㎡ underground, ≤3 m, single function;
		// the green ratio 0.18 (<20 %) is a warning needing a justification (OF-10, D8).
		fastB := `{"building_area_m2":10000,"vacant_area_m2":5001,"inside_fifth_ring":true,"proposed_industry":"产业创新",
 "renovation":{"use_change_main_class":false,"increase_area":false,"change_outline":false,"change_layout":false,"change_structure":false,
  "above_ground_area_after_m2":10000,"height_after_m":24,"underground_area_m2":2000,"excavation_depth_m":3,"single_function":true,
  "supporting_area_m2":1500,"green_ratio_before":0.18,"green_ratio_after":0.18},"ownership":{"kind":"single"}}`
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(fastB), Materials: materials(), Owner: "北京某某置业有限公司"})
		wantCode(t, err, gengxin.ERuleRefused)
		if got := details(err); !slices.Contains(got, "justifications.OF-10") {
			t.Fatalf("warning needs a justification: %v", err)
		}
		v := ofStep(t, f, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(fastB), Materials: materials(),
			Owner: "北京某某置业有限公司", Justifications: map[string]string{"OF-10": "用地狭小，屋顶绿化补足"}})
		if v.Track != "fast_b" {
			t.Fatalf("track %s", v.Track)
		}
		req := &app.OFRequisites{Implementer: "北京某某置业有限公司", Function: "研发", Indicators: "10000 ㎡", LandSupply: "租赁", Supervision: "协议"}
		// The officer must approve the justification (D8: the approver recorded).
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: req})
		wantCode(t, err, gengxin.ERuleRefused)
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: req, ApproveWarnings: true})
		if v.Stage != app.OFAgreement || v.Case.WarningsApprovedBy == "" {
			t.Fatalf("fast track B goes to the agreement: %s %q", v.Stage, v.Case.WarningsApprovedBy)
		}
		// No plan, no review on fast track B.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{})
		wantCode(t, err, gengxin.EConflict)
		v = ofStep(t, f, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: fullAgreement()})
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: &app.OFPermitsDoc{Holder: "北京某某置业有限公司",
			ConstructionPermitOn: calendar.MustParseDate("2024-09-01")}})
		if v.Stage != app.OFSupervision || v.Permit != "direct_construction" {
			t.Fatalf("%s %s", v.Stage, v.Permit)
		}
		// No transition → registration allowed; a pass keeps supervising.
		ofStep(t, f, f.applicant, p.ID, app.OFStepRegistration, app.OldFactoryInput{})
		yes := true
		dims := map[string]string{}
		for _, d := range app.OFEvaluationDimensions {
			dims[d.Key] = "良好"
		}
		v = ofStep(t, f, f.industry, p.ID, app.OFStepEvaluate, app.OldFactoryInput{Dimensions: dims, Passed: &yes, Summary: "合格", On: calendar.MustParseDate("2024-09-02")})
		for _, d := range v.Deadlines {
			if d.Kind == "evaluation" && d.Due.String() != "2029-09-02" {
				t.Fatalf("next evaluation %+v", d)
			}
		}
		// The lists: the district sees it, another district does not.
		rows, err := f.OldFactoryCases(ctx, f.renewal, "")
		if err != nil || len(rows) != 1 {
			t.Fatalf("%v %v", rows, err)
		}
		rows, err = f.OldFactoryCases(ctx, f.otherDist, "")
		if err != nil || len(rows) != 0 {
			t.Fatalf("%v %v", rows, err)
		}
		_, err = f.OldFactoryCases(ctx, f.applicant, "")
		wantCode(t, err, gengxin.EForbidden)
		// Once the project has left the library, the case takes no more steps.
		mustAct(t, f, f.industry, p.ID, gengxin.ActExit, app.ActionInput{Ground: 2, Reason: "实施主体申请自愿退出"})
		_, err = f.OldFactoryStep(ctx, f.industry, p.ID, app.OFStepEvaluate, app.OldFactoryInput{Dimensions: dims, Passed: &yes, Summary: "合格"})
		wantCode(t, err, gengxin.EConflict)
	})
}

// TestContactReadIsAudited: an officer's read of the applicant's contact is
// recorded; the applicant's own is not; lists carry no contact at all.
func TestContactReadIsAudited(t *testing.T) {
	f := newFixture(t, "sqlite")
	in := validInput()
	in.Contact = "王建国 13800000000"
	p, err := f.CreateDraft(ctx, f.applicant, in)
	if err != nil {
		t.Fatal(err)
	}
	mustAct(t, f, f.applicant, p.ID, gengxin.ActSubmit, app.ActionInput{})
	count := func() int {
		evs, err := f.DB.Read(ctx).Events(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Action == "personal-data-read" {
				n++
			}
		}
		return n
	}
	if n := count(); n != 0 {
		t.Fatalf("the applicant's own reads are not audited: %d", n)
	}
	got, err := f.Project(ctx, f.renewal, p.ID)
	if err != nil || got.Contact != in.Contact {
		t.Fatalf("officer sees the contact: %v %q", err, got.Contact)
	}
	if n := count(); n != 1 {
		t.Fatalf("officer read audited %d times, want 1", n)
	}
	ps, _, err := f.List(ctx, f.renewal, app.ListQuery{})
	if err != nil || len(ps) != 1 || ps[0].Contact != "" {
		t.Fatalf("list carries the contact: %v %+v", err, ps)
	}
}

// rule14 asserts err is OF-14's refusal with its citation and exactly the
// fields want, in order.
func rule14(t *testing.T, err error, want ...string) {
	t.Helper()
	wantCode(t, err, gengxin.ERuleRefused)
	e := err.(*gengxin.Error)
	if e.Rule != "OF-14" || e.Citation != "京规自发〔2024〕67号 第十四条【未登记建筑物】" || !slices.Equal(details(err), want) {
		t.Fatalf("want OF-14 with %v, got %s %q %v: %s", want, e.Rule, e.Citation, details(err), e.Message)
	}
	for _, d := range e.Details {
		if d.Rule != "OF-14" || d.Citation != e.Citation {
			t.Fatalf("detail %+v", d)
		}
	}
}

// TestOldFactoryUnregisteredBuildings: the list of 第十四条 keeps the plan back
// until every building without complete approvals is investigated and then
// regularised (illegal) or publicised on the portal (not illegal), and the
// permits until every building has its safety appraisal (OF-14).
func TestOldFactoryUnregisteredBuildings(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		f.clock.T = at("2024-09-02").T
		p := admitted(t, f, validInput())
		list := []app.OFBuilding{
			{Name: "1号仓库", AreaM2: 800, Approvals: app.OFApprovalsComplete},
			{Name: "东侧加建平房", AreaM2: 120.5, Approvals: app.OFApprovalsNone},
			{Name: "2号车间夹层", AreaM2: 300, Approvals: app.OFApprovalsDiffers},
		}
		mat := materials()
		mat.Unregistered = ""
		// Each building needs its name, area and approval status, all named at once.
		bad := []app.OFBuilding{{AreaM2: 0, Approvals: "maybe"}}
		_, err := f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(standardFacts), Materials: mat, Owner: "北京某某机械厂", Buildings: bad})
		if got := details(err); !slices.Equal(got, []string{"buildings.1.name", "buildings.1.area_m2", "buildings.1.approvals"}) {
			t.Fatalf("bad list: %v", err)
		}
		v := ofStep(t, f, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(standardFacts), Materials: mat, Owner: "北京某某机械厂", Buildings: list})
		if len(v.Buildings) != 3 || v.Buildings[2].No != 3 || !v.Buildings[1].Status.Open || v.Buildings[0].Status.Open || v.Case.Materials.Unregistered == "" {
			t.Fatalf("list after register: %+v", v.Buildings)
		}
		// The requisites need the opinion on them (第七条).
		yesT := true
		req := &app.OFRequisites{Implementer: "北京某某置业有限公司", Function: "人工智能研发", Indicators: "地上 18000 ㎡", LandSupply: "租赁",
			Supervision: "签订履约监管协议", TransitionOpinion: "适用", TransitionApplies: &yesT}
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: req})
		if got := details(err); !slices.Equal(got, []string{"requisites.unregistered_opinion"}) {
			t.Fatalf("opinion: %v", err)
		}
		req.UnregisteredOpinion = "由区政府组织调查认定"
		ofStep(t, f, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: req})

		plan := &app.OFPlanDoc{Scope: "厂房 3 栋", Design: "规划设计方案", Schedule: "2025 年开工", Cost: "1.2 亿元", Financing: "自筹",
			Operation: "自持", LandAcquire: "租赁", Infrastructure: "配套停车", Property: "不分割", Expected: "研发办公"}
		// Not investigated: both buildings without approvals named at once.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: plan})
		rule14(t, err, "buildings.2.investigation", "buildings.3.investigation")
		// An incomplete plan names its own items and the buildings together.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: &app.OFPlanDoc{Scope: "x"}})
		if got := details(err); len(got) != 11 || !slices.Contains(got, "buildings.3.investigation") {
			t.Fatalf("incomplete plan: %v", got)
		}

		// Who: the applicant may not record the investigation; the district may.
		no, yes := false, true
		inv := &app.OFInvestigation{Body: "朝阳区某某街道办事处", On: calendar.MustParseDate("2024-08-30"), Illegal: &yes, Text: "未批先建"}
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 2, Investigation: inv})
		wantCode(t, err, gengxin.EForbidden)
		_, err = f.OldFactoryStep(ctx, f.otherDist, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 2, Investigation: inv})
		wantCode(t, err, gengxin.ENotFound)
		_, err = f.OldFactoryStep(ctx, f.gov, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 2, Investigation: &app.OFInvestigation{Body: "街道"}})
		if got := details(err); len(got) != 3 {
			t.Fatalf("incomplete investigation: %v", err)
		}
		_, err = f.OldFactoryStep(ctx, f.gov, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 1, Investigation: inv})
		wantCode(t, err, gengxin.EConflict) // complete approvals: nothing to investigate
		ofStep(t, f, f.gov, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 2, Investigation: inv})
		lawful := &app.OFInvestigation{Body: "朝阳区某某街道办事处", On: calendar.MustParseDate("2024-08-30"), Illegal: &no, Text: "历史遗留，不涉及违法"}
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 3, Investigation: lawful})
		if !slices.Contains(v.Steps, app.OFStepBuildingPublicity) || !slices.Contains(v.Steps, app.OFStepBuildingRegularised) {
			t.Fatalf("district steps %v", v.Steps)
		}
		// An investigated building stays on the list.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepBuildings, app.OldFactoryInput{Buildings: []app.OFBuilding{{No: 1, Name: "1号仓库", AreaM2: 800, Approvals: app.OFApprovalsComplete}}})
		wantCode(t, err, gengxin.EConflict)

		// Illegal and not regularised; not illegal and not publicised.
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: plan})
		rule14(t, err, "buildings.2.regularised", "buildings.3.publicity")
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepBuildingRegularised, app.OldFactoryInput{Building: 3, On: calendar.MustParseDate("2024-09-01"), Summary: "x"})
		wantCode(t, err, gengxin.EConflict) // not illegal
		ofStep(t, f, f.renewal, p.ID, app.OFStepBuildingRegularised, app.OldFactoryInput{Building: 2, On: calendar.MustParseDate("2024-09-01"), Summary: "已补办规划许可"})

		// The 公示 on the portal: 15 working days on the holiday calendar from
		// Mon 2024-09-02 → 2024-09-24 (Sat 09-14 is a working day, 09-16/17 are
		// 中秋 holidays; weekdays only would give 09-23).
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepBuildingPublicity, app.OldFactoryInput{})
		pb := v.Case.Buildings[2].Publicity
		if pb == nil || pb.End.String() != "2024-09-24" || v.Case.Buildings[1].Publicity != nil || !strings.Contains(pb.Citation, "第十四条") {
			t.Fatalf("publicity %+v", pb)
		}
		pubs, err := f.PublicationsOf(ctx, app.SourceOldFactoryBuildings, p.ID)
		if err != nil || len(pubs) != 1 || pubs[0].ID != pb.PublicationID || pubs[0].EndsOn.String() != "2024-09-24" || pubs[0].StartsOn.String() != "2024-09-02" ||
			!strings.Contains(pubs[0].Body, "2号车间夹层") || strings.Contains(pubs[0].Body, "东侧加建平房") {
			t.Fatalf("portal: %v %+v", err, pubs)
		}
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepBuildingPublicity, app.OldFactoryInput{})
		wantCode(t, err, gengxin.EConflict) // nothing left to publicise
		// The 公示's end is among the case's key dates, and never its next due
		// date (it ends by itself).
		var seen bool
		for _, dl := range v.Deadlines {
			if dl.Kind == "building_publicity" {
				seen = dl.Due.String() == "2024-09-24" && strings.Contains(dl.Label, "3 号") && strings.Contains(dl.Citation, "第十四条") && dl.Status != "met"
			}
		}
		if !seen {
			t.Errorf("the building 公示 is not among the key dates: %+v", v.Deadlines)
		}
		if c, err := f.DB.Read(ctx).OldFactoryCase(p.ID); err != nil || c.NextDueKind == "building_publicity" {
			t.Errorf("next due: %+v %v", c, err)
		}

		// Not before the 公示 has ended.
		f.clock.T = at("2024-09-24").T
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: plan})
		rule14(t, err, "buildings.3.publicity")
		f.clock.T = at("2024-09-25").T
		v = ofStep(t, f, f.applicant, p.ID, app.OFStepPlan, app.OldFactoryInput{Plan: plan})
		if v.Stage != app.OFReview || v.Buildings[2].Status.Open {
			t.Fatalf("after plan: %s %+v", v.Stage, v.Buildings[2].Status)
		}

		// On to the permits.
		ofStep(t, f, f.renewal, p.ID, app.OFStepMunicipalApproval, app.OldFactoryInput{DocNo: "京政字〔2024〕88号", On: calendar.MustParseDate("2024-09-20")})
		ofStep(t, f, f.renewal, p.ID, app.OFStepReview, app.OldFactoryInput{Verdict: "pass", Opinion: "同意"})
		if pubs, _ := f.PublicationsOf(ctx, "old_factory", p.ID); len(pubs) != 1 {
			t.Fatalf("the plan's own publicity: %+v", pubs)
		}
		f.clock.T = at("2024-10-28").T
		ofStep(t, f, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: fullAgreement()})
		permits := &app.OFPermitsDoc{Holder: "北京某某机械厂", PlanningPermitOn: calendar.MustParseDate("2024-10-20"), ConstructionPermitOn: calendar.MustParseDate("2024-10-22")}
		// Every listed building needs its 房屋质量安全鉴定 first, all named.
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: permits})
		rule14(t, err, "buildings.1.appraisal", "buildings.2.appraisal", "buildings.3.appraisal")
		ap := &app.OFAppraisal{Body: "北京某某房屋安全鉴定所", On: calendar.MustParseDate("2024-10-10"), Result: "满足安全使用要求"}
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepBuildingAppraisal, app.OldFactoryInput{Building: 1, Appraisal: ap})
		wantCode(t, err, gengxin.EForbidden) // the applicant's record
		_, err = f.OldFactoryStep(ctx, f.applicant, p.ID, app.OFStepBuildingAppraisal, app.OldFactoryInput{Building: 1, Appraisal: &app.OFAppraisal{Body: "x"}})
		if got := details(err); len(got) != 2 {
			t.Fatalf("incomplete appraisal: %v", err)
		}
		ofStep(t, f, f.applicant, p.ID, app.OFStepBuildingAppraisal, app.OldFactoryInput{Building: 1, Appraisal: ap})
		ofStep(t, f, f.applicant, p.ID, app.OFStepBuildingAppraisal, app.OldFactoryInput{Building: 3, Appraisal: ap})
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: permits})
		rule14(t, err, "buildings.2.appraisal")
		ofStep(t, f, f.applicant, p.ID, app.OFStepBuildingAppraisal, app.OldFactoryInput{Building: 2, Appraisal: ap})
		v = ofStep(t, f, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: permits})
		if v.Stage != app.OFSupervision {
			t.Fatal(v.Stage)
		}
		// The list's steps are on the chain with their citation.
		d, err := f.Detail(ctx, f.renewal, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range d.Events {
			if strings.HasPrefix(e.Action, "old-factory:building") && strings.Contains(e.Citation, "第十四条") {
				n++
			}
		}
		if n != 7 { // investigation ×2, regularised, publicity, appraisal ×3
			t.Fatalf("building events = %d", n)
		}
	})
}

// TestOldFactoryBuildingsFastTrack: without a plan step, the permits also
// refuse a building still kept out (OF-14); a case without a list behaves as
// before (the other tests).
func TestOldFactoryBuildingsFastTrack(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		f.clock.T = at("2024-09-02").T
		p := admitted(t, f, validInput())
		fastB := `{"building_area_m2":10000,"vacant_area_m2":5001,"inside_fifth_ring":true,"proposed_industry":"产业创新",
 "renovation":{"use_change_main_class":false,"increase_area":false,"change_outline":false,"change_layout":false,"change_structure":false,
  "above_ground_area_after_m2":10000,"height_after_m":24,"underground_area_m2":2000,"excavation_depth_m":3,"single_function":true,
  "supporting_area_m2":1500,"green_ratio_before":0.3,"green_ratio_after":0.3},"ownership":{"kind":"single"}}`
		ofStep(t, f, f.applicant, p.ID, app.OFStepRegister, app.OldFactoryInput{Facts: json.RawMessage(fastB), Materials: materials(), Owner: "北京某某置业有限公司"})
		v := ofStep(t, f, f.applicant, p.ID, app.OFStepBuildings, app.OldFactoryInput{Buildings: []app.OFBuilding{{Name: "门卫室", AreaM2: 30, Approvals: app.OFApprovalsIncomplete}}})
		if len(v.Case.Buildings) != 1 || v.Case.Buildings[0].No != 1 {
			t.Fatalf("%+v", v.Case.Buildings)
		}
		req := &app.OFRequisites{Implementer: "北京某某置业有限公司", Function: "研发", Indicators: "10000 ㎡", LandSupply: "租赁", Supervision: "协议", UnregisteredOpinion: "调查认定"}
		ofStep(t, f, f.renewal, p.ID, app.OFStepRequisites, app.OldFactoryInput{Requisites: req})
		ofStep(t, f, f.industry, p.ID, app.OFStepAgreement, app.OldFactoryInput{Agreement: fullAgreement()})
		permits := &app.OFPermitsDoc{Holder: "北京某某置业有限公司", ConstructionPermitOn: calendar.MustParseDate("2024-09-01")}
		_, err := f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: permits})
		rule14(t, err, "buildings.1.investigation", "buildings.1.appraisal")
		yes := true
		ofStep(t, f, f.gov, p.ID, app.OFStepBuildingInvestigation, app.OldFactoryInput{Building: 1,
			Investigation: &app.OFInvestigation{Body: "某某镇人民政府", On: calendar.MustParseDate("2024-09-02"), Illegal: &yes, Text: "超出审批范围"}})
		ofStep(t, f, f.applicant, p.ID, app.OFStepBuildingAppraisal, app.OldFactoryInput{Building: 1,
			Appraisal: &app.OFAppraisal{Body: "鉴定所", On: calendar.MustParseDate("2024-09-02"), Result: "合格"}})
		_, err = f.OldFactoryStep(ctx, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: permits})
		rule14(t, err, "buildings.1.regularised")
		ofStep(t, f, f.gov, p.ID, app.OFStepBuildingRegularised, app.OldFactoryInput{Building: 1, On: calendar.MustParseDate("2024-09-02"), Summary: "已补办手续"})
		if v := ofStep(t, f, f.renewal, p.ID, app.OFStepPermits, app.OldFactoryInput{Permits: permits}); v.Stage != app.OFSupervision {
			t.Fatal(v.Stage)
		}
	})
}
