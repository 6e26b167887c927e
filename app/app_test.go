package app_test

import (
	"context"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/uscc"
)

func init() { app.PasswordIterations = 1000 }

// at returns a clock fixed at 10:00 Beijing time on day.
func at(day string) *gengxin.FixedClock {
	d := calendar.MustParseDate(day)
	return &gengxin.FixedClock{T: time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Beijing)}
}

type fixture struct {
	*app.App
	clock                       *gengxin.FixedClock
	applicant, other, renewal   *gengxin.User
	dept, dept2, gov, otherDist *gengxin.User
	industry                    *gengxin.User
}

var ctx = context.Background()

// testKey is the fixed audit key of the app tests.
var testKey = func() *audit.HMAC {
	k, err := audit.NewHMAC([]byte("gengxin app test audit key, 32+ bytes"))
	if err != nil {
		panic(err)
	}
	return k
}()

func newFixture(t testing.TB, d store.Dialect) *fixture {
	t.Helper()
	db := storetest.Open(t, d)
	clock := at("2024-09-27")
	a, err := app.New(ctx, db, testKey, clock, t.TempDir(), "http://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{App: a, clock: clock}
	add := func(in app.NewUserInput) *gengxin.User {
		in.Password, in.SkipPolicy = "Test-Passw0rd-123", true
		u, err := a.AddUser(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.applicant = add(app.NewUserInput{Username: "co", Role: gengxin.RoleApplicant, OrgName: "北京某某置业有限公司", OrgUSCC: uscc.Complete("91110105MA01ABCD1")})
	f.other = add(app.NewUserInput{Username: "co2", Role: gengxin.RoleApplicant, OrgName: "北京另一家有限公司", OrgUSCC: uscc.Complete("91110108MA02XYHW1")})
	f.renewal = add(app.NewUserInput{Username: "cy", Role: gengxin.RoleDistrictRenewal, District: "朝阳区"})
	f.dept = add(app.NewUserInput{Username: "cy-fg", Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "发展改革"})
	f.dept2 = add(app.NewUserInput{Username: "cy-gh", Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "规划自然资源"})
	f.industry = add(app.NewUserInput{Username: "cy-jx", Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "经济和信息化"})
	f.gov = add(app.NewUserInput{Username: "cy-gov", Role: gengxin.RoleDistrictGov, District: "朝阳区"})
	f.otherDist = add(app.NewUserInput{Username: "hd", Role: gengxin.RoleDistrictRenewal, District: "海淀区"})
	return f
}

func validInput() app.ProjectInput {
	yes := true
	return app.ProjectInput{Name: "酒仙桥老旧厂房更新改造项目", Category: "产业类", District: "朝阳区", Street: "酒仙桥街道",
		Address: "朝阳区酒仙桥路10号", Goal: "将闲置厂房改造为科技创新空间", FundEstimateWan: "12000.50", EntityRole: "实施主体", CompliesWithPlans: &yes}
}

func mustAct(t *testing.T, f *fixture, u *gengxin.User, id int64, act gengxin.Action, in app.ActionInput) *gengxin.Project {
	t.Helper()
	if _, err := f.Act(ctx, u, id, act, in); err != nil {
		t.Fatalf("%s by %s: %v", act, u.Username, err)
	}
	p, err := f.Project(ctx, u, id)
	if err != nil {
		t.Fatalf("reading back after %s: %v", act, err)
	}
	return p
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if gengxin.ErrorCode(err) != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, newFixture(t, d)) })
	}
}

func TestMainFlow(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		p, err := f.CreateDraft(ctx, f.applicant, validInput())
		if err != nil {
			t.Fatal(err)
		}
		if p.EntityUSCC != f.applicant.OrgUSCC {
			t.Fatalf("entity defaults to the org: %q", p.EntityUSCC)
		}
		// T01: received Fri 2024-09-27 → joint review 2024-10-16, entry notice 2024-11-13.
		p = mustAct(t, f, f.applicant, p.ID, gengxin.ActSubmit, app.ActionInput{})
		if p.Status != gengxin.StatusSubmitted || p.ReceivedOn.String() != "2024-09-27" {
			t.Fatalf("after submit: %s %s", p.Status, p.ReceivedOn)
		}
		if len(p.Deadlines) != 2 || p.Deadlines[0].Due.String() != "2024-10-16" || p.Deadlines[1].Due.String() != "2024-11-13" {
			t.Fatalf("deadlines = %+v", p.Deadlines)
		}
		// Another district cannot see it; another company cannot either.
		_, err = f.Project(ctx, f.otherDist, p.ID)
		wantCode(t, err, gengxin.ENotFound)
		_, err = f.Project(ctx, f.other, p.ID)
		wantCode(t, err, gengxin.ENotFound)

		p = mustAct(t, f, f.renewal, p.ID, gengxin.ActOpenReview, app.ActionInput{Departments: []string{"发展改革", "规划自然资源"}})
		// Not invited → forbidden.
		_, err = f.Act(ctx, f.industry, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "approve"})
		wantCode(t, err, gengxin.EForbidden)
		mustAct(t, f, f.dept, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "correct", Text: "缺少资金来源说明"})
		// Same department twice → conflict.
		_, err = f.Act(ctx, f.dept, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "approve"})
		wantCode(t, err, gengxin.EConflict)
		// Admission before all opinions → refused by PL-02.
		_, err = f.Act(ctx, f.renewal, p.ID, gengxin.ActAdmit, app.ActionInput{})
		wantCode(t, err, gengxin.ERuleRefused)

		f.clock.T = f.clock.T.AddDate(0, 0, 3) // Mon 2024-09-30
		p = mustAct(t, f, f.renewal, p.ID, gengxin.ActRequestCorrection, app.ActionInput{Items: []string{"资金来源说明", "产权证明"}})
		for _, d := range p.Deadlines {
			if d.Status != gengxin.DeadlineStopped {
				t.Fatalf("correction stops the clocks: %+v", d)
			}
		}
		// A second notice needs a reason.
		// (the project is no longer in review; request again after resubmission)
		f.clock.T = at("2024-10-05").T // Saturday: received on 2024-10-08 (D4)
		p = mustAct(t, f, f.applicant, p.ID, gengxin.ActResubmit, app.ActionInput{})
		if p.Status != gengxin.StatusInReview || p.ReceivedOn.String() != "2024-10-08" {
			t.Fatalf("after resubmit: %s %s", p.Status, p.ReceivedOn)
		}
		var open []gengxin.Deadline
		for _, d := range p.Deadlines {
			if d.Status == gengxin.DeadlineOpen {
				open = append(open, d)
			}
		}
		if len(open) != 2 || open[0].Due.String() != "2024-10-21" || open[1].Due.String() != "2024-11-18" {
			t.Fatalf("D4/D6 deadlines = %+v", open)
		}
		_, err = f.Act(ctx, f.renewal, p.ID, gengxin.ActRequestCorrection, app.ActionInput{Items: []string{"再补"}})
		wantCode(t, err, gengxin.ERuleRefused)

		f.clock.T = at("2024-10-09").T
		mustAct(t, f, f.dept, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "approve"})
		p = mustAct(t, f, f.dept2, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "approve", Text: "符合规划"})
		p = mustAct(t, f, f.renewal, p.ID, gengxin.ActAdmit, app.ActionInput{})
		if p.Status != gengxin.StatusReserve || p.NoticeNo == "" || p.IndustryDept != "经济和信息化" {
			t.Fatalf("after admit: %+v", p)
		}
		// Promotion needs all three conditions of 第十五条.
		_, err = f.Act(ctx, f.industry, p.ID, gengxin.ActPromote, app.ActionInput{})
		wantCode(t, err, gengxin.ERuleRefused)
		yes := true
		p = mustAct(t, f, f.industry, p.ID, gengxin.ActPromote, app.ActionInput{ConfirmationDocument: "朝更新确〔2024〕3号", PlanningAndUseClear: &yes, IndustryDeptCertified: &yes})
		if p.Status != gengxin.StatusImplementation {
			t.Fatal(p.Status)
		}
		// Plan: works must start this year or next (第十六条(五)).
		_, err = f.Act(ctx, f.gov, p.ID, gengxin.ActPlan, app.ActionInput{Year: 2024, ExpectedStartYear: 2026, StableFunding: &yes, CompliesWithPlans: &yes})
		wantCode(t, err, gengxin.ERuleRefused)
		p = mustAct(t, f, f.gov, p.ID, gengxin.ActPlan, app.ActionInput{Year: 2024, ExpectedStartYear: 2025, StableFunding: &yes, CompliesWithPlans: &yes})
		if p.PlanYear != 2024 {
			t.Fatal(p.PlanYear)
		}
		f.clock.T = at("2025-03-20").T
		mustAct(t, f, f.industry, p.ID, gengxin.ActComplete, app.ActionInput{})
		// T11: accepted 2025-03-20 → still in the library on 2026-03-20, exited on 2026-03-21.
		lines, err := f.Sweep(ctx, calendar.MustParseDate("2026-03-20"))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if l.Action == "auto-exit" {
				t.Fatalf("exited too early: %v", l)
			}
		}
		lines, err = f.Sweep(ctx, calendar.MustParseDate("2026-03-21"))
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1 || lines[0].Action != "auto-exit" {
			t.Fatalf("sweep lines = %v", lines)
		}
		p, err = f.Project(ctx, f.applicant, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != gengxin.StatusExited || p.ExitGround != 1 {
			t.Fatalf("after sweep: %s %d", p.Status, p.ExitGround)
		}
		ns, err := f.DB.Read(ctx).NotificationsFor(f.applicant, 50)
		if err != nil || len(ns) == 0 || ns[0].Title != "项目出库告知："+p.Name {
			t.Fatalf("exit notice to the applicant: %v %v", ns, err)
		}
		// Sweeping again changes nothing.
		if lines, _ = f.Sweep(ctx, calendar.MustParseDate("2026-03-22")); len(lines) != 0 {
			t.Fatalf("second sweep: %v", lines)
		}
		n, brk, err := f.DB.Read(ctx).VerifyChain(testKey)
		if err != nil || brk != nil || n < 15 {
			t.Fatalf("chain: n=%d break=%v err=%v", n, brk, err)
		}
	})
}

func TestSubmitReportsEverythingMissing(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		p, err := f.CreateDraft(ctx, f.applicant, app.ProjectInput{Name: "某项目", Category: "居住类", District: "朝阳区"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.Act(ctx, f.applicant, p.ID, gengxin.ActSubmit, app.ActionInput{})
		e := gengxin.AsError(err)
		if e == nil || e.Code != gengxin.ERuleRefused || len(e.Details) < 5 {
			t.Fatalf("err = %#v", err)
		}
		p, _ = f.Project(ctx, f.applicant, p.ID)
		if p.Status != gengxin.StatusDraft || len(p.Deadlines) != 0 {
			t.Fatalf("nothing half-written: %s %v", p.Status, p.Deadlines)
		}
	})
}

func TestBadInput(t *testing.T) {
	f := newFixture(t, store.SQLite)
	in := validInput()
	in.EntityUSCC, in.EntityName = "91110105MA01ABCD1X", "某公司"
	in.FundEstimateWan = "abc"
	in.Category = "商业类"
	_, err := f.CreateDraft(ctx, f.applicant, in)
	e := gengxin.AsError(err)
	if e == nil || e.Code != gengxin.EInvalid || len(e.Details) != 3 {
		t.Fatalf("err = %#v", err)
	}
	_, err = f.CreateDraft(ctx, f.renewal, validInput())
	wantCode(t, err, gengxin.EForbidden)
}

func TestSpecialRoutes(t *testing.T) {
	f := newFixture(t, store.SQLite)
	in := validInput()
	in.Category = "区域综合性"
	p, err := f.CreateDraft(ctx, f.applicant, in)
	if err != nil {
		t.Fatal(err)
	}
	p = mustAct(t, f, f.applicant, p.ID, gengxin.ActSubmit, app.ActionInput{})
	if len(p.Deadlines) != 0 {
		t.Fatalf("区域综合性 has no joint-review clock: %v", p.Deadlines)
	}
	_, err = f.Act(ctx, f.renewal, p.ID, gengxin.ActOpenReview, app.ActionInput{})
	wantCode(t, err, gengxin.EConflict)
	_, err = f.Act(ctx, f.renewal, p.ID, gengxin.ActAdmit, app.ActionInput{})
	wantCode(t, err, gengxin.EForbidden)
	p = mustAct(t, f, f.gov, p.ID, gengxin.ActAdmit, app.ActionInput{})
	if p.Status != gengxin.StatusReserve {
		t.Fatal(p.Status)
	}
}

func TestConcurrentAdmitOneWins(t *testing.T) {
	forEachDialect(t, func(t *testing.T, f *fixture) {
		p, _ := f.CreateDraft(ctx, f.applicant, validInput())
		mustAct(t, f, f.applicant, p.ID, gengxin.ActSubmit, app.ActionInput{})
		mustAct(t, f, f.renewal, p.ID, gengxin.ActOpenReview, app.ActionInput{Departments: []string{"发展改革"}})
		mustAct(t, f, f.dept, p.ID, gengxin.ActOpinion, app.ActionInput{Verdict: "approve"})
		const n = 6
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			go func(i int) {
				if i%2 == 0 {
					_, err := f.Act(ctx, f.renewal, p.ID, gengxin.ActAdmit, app.ActionInput{})
					errs <- err
				} else {
					_, err := f.Act(ctx, f.renewal, p.ID, gengxin.ActReject, app.ActionInput{Reason: "不符合"})
					errs <- err
				}
			}(i)
		}
		wins := 0
		for i := 0; i < n; i++ {
			err := <-errs
			if err == nil {
				wins++
			} else if gengxin.ErrorCode(err) != gengxin.EConflict {
				t.Errorf("loser got %v, want conflict", err)
			}
		}
		if wins != 1 {
			t.Fatalf("wins = %d, want exactly 1", wins)
		}
	})
}
