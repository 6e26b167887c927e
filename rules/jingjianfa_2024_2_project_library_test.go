package rules

import (
	"strings"
	"testing"

	"gengxin/calendar"
)

func bp(b bool) *bool { return &b }
func ip(n int) *int   { return &n }

func fullLibrary() LibraryFacts {
	return LibraryFacts{
		Category: CategoryIndustrial, EntityIdentified: bp(true), GoalStated: bp(true), FundEstimateDone: bp(true),
		CompliesWithPlans: bp(true), ConfirmationDocument: bp(true), PlanningAndUseClear: bp(true),
		IndustryDeptCertified: bp(true), StableFunding: bp(true), PlanYear: ip(2024), ExpectedStartYear: ip(2025),
	}
}

var asOf = d("2024-09-01")

func TestEntryEligibility(t *testing.T) {
	t.Run("2号/第九条/all-met", func(t *testing.T) {
		fs := EntryEligibility(fullLibrary(), asOf)
		checkFindings(t, "PL-01", fs...)
		if len(fs) != 1 || fs[0].Outcome != Pass || fs[0].Citation != "京建法〔2024〕2号 第九条" {
			t.Errorf("%+v", fs)
		}
	})
	t.Run("2号/第九条/lists-every-missing-condition", func(t *testing.T) {
		l := fullLibrary()
		l.EntityIdentified = bp(false)
		l.FundEstimateDone = bp(false)
		l.GoalStated = nil
		fs := EntryEligibility(l, asOf)
		if len(fs) != 1 || fs[0].Outcome != Fail {
			t.Fatalf("%+v", fs)
		}
		for _, want := range []string{"共3项", "第九条(二)", "entity_identified=false", "fund_estimate_done=false", "goal_stated 未填报"} {
			if !strings.Contains(fs[0].Message, want) {
				t.Errorf("message %q lacks %q", fs[0].Message, want)
			}
		}
	})
	t.Run("2号/第九条/only-unknown-is-manual", func(t *testing.T) {
		l := fullLibrary()
		l.CompliesWithPlans = nil
		if fs := EntryEligibility(l, asOf); fs[0].Outcome != Manual || !strings.Contains(fs[0].Message, "complies_with_plans") {
			t.Errorf("%+v", fs)
		}
	})
	t.Run("2号/第九条/unknown-category-fails", func(t *testing.T) {
		l := fullLibrary()
		l.Category = "商业类"
		if fs := EntryEligibility(l, asOf); fs[0].Outcome != Fail {
			t.Errorf("%+v", fs)
		}
	})
	t.Run("2号/第二十一条/before-in-force", func(t *testing.T) {
		if fs := EntryEligibility(fullLibrary(), d("2024-05-09")); len(fs) != 1 || fs[0].Outcome != OutOfForce {
			t.Errorf("%+v", fs)
		}
	})
}

func TestDeadlines(t *testing.T) {
	cal := calendar.Default()
	for _, tc := range []struct {
		name              string
		received          string
		wantReview, wantN string
	}{
		{"2号/第十条/T01-national-day", "2024-09-27", "2024-10-16", "2024-11-13"},
		{"2号/第十条/T03-first-day-in-force", "2024-05-10", "2024-05-23", "2024-06-21"},
		{"2号/第十条/T05-year-end", "2024-12-20", "2025-01-06", "2025-02-08"},
		{"2号/第十条/D4-filed-on-saturday", "2024-10-05", "2024-10-21", "2024-11-18"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			due, f := JointReviewDue(cal, d(tc.received))
			checkFindings(t, tc.name, f)
			if due != d(tc.wantReview) || f.Outcome != Applies || f.Rule != "PL-02" || f.Citation != "京建法〔2024〕2号 第十条(二)" {
				t.Errorf("JointReviewDue = %s %+v, want %s", due, f, tc.wantReview)
			}
			if f.Values["due"] != tc.wantReview {
				t.Errorf("values %v", f.Values)
			}
			due, f = EntryNoticeDue(cal, d(tc.received))
			checkFindings(t, tc.name, f)
			if due != d(tc.wantN) || f.Outcome != Applies || f.Rule != "PL-03" || f.Citation != "京建法〔2024〕2号 第十条(三)" {
				t.Errorf("EntryNoticeDue = %s %+v, want %s", due, f, tc.wantN)
			}
		})
	}
	t.Run("2号/第二十一条/T03-received-before-in-force", func(t *testing.T) {
		for _, fn := range []func(*calendar.Calendar, calendar.Date) (calendar.Date, Finding){JointReviewDue, EntryNoticeDue} {
			due, f := fn(cal, d("2024-05-09"))
			checkFindings(t, "T03", f)
			if !due.IsZero() || f.Outcome != OutOfForce || !strings.Contains(f.Message, "2024-05-09") {
				t.Errorf("due %s, %+v: want no clock and out_of_force", due, f)
			}
		}
	})
	t.Run("2号/第二十一条/received-on-last-day", func(t *testing.T) {
		due, f := JointReviewDue(cal, d("2027-05-07"))
		if due.IsZero() || f.Outcome != Applies || f.Values["beyond_validity"] != "true" {
			t.Errorf("due %s, %+v: want a date flagged beyond validity", due, f)
		}
	})
	t.Run("2号/第二十一条/received-after-expiry", func(t *testing.T) {
		if due, f := JointReviewDue(cal, d("2027-05-10")); !due.IsZero() || f.Outcome != OutOfForce {
			t.Errorf("due %s, %+v", due, f)
		}
	})
}

func TestReviewRoute(t *testing.T) {
	for _, tc := range []struct {
		name          string
		category      string
		major, cross  bool
		route, citeAt string
		outcome       Outcome
	}{
		{"2号/第十条(二)/居住类", CategoryResidential, false, false, RouteDistrictJointReview, "第十条(二)", Applies},
		{"2号/第十条(二)/产业类", CategoryIndustrial, false, false, RouteDistrictJointReview, "第十条(二)", Applies},
		{"2号/第十条(二)/设施类", CategoryFacility, false, false, RouteDistrictJointReview, "第十条(二)", Applies},
		{"2号/第十条(二)/公共空间类", CategoryPublicSpace, false, false, RouteDistrictJointReview, "第十条(二)", Applies},
		{"2号/第十条(二)第二款/区域综合性", CategoryAreaWide, false, false, RouteDistrictGovernment, "第十条(二)第二款", Applies},
		{"2号/第十条(二)第三款/major", CategoryResidential, true, false, RouteMunicipal, "第十条(二)第三款", Applies},
		{"2号/第十条(二)第三款/cross-district", CategoryAreaWide, false, true, RouteMunicipal, "第十条(二)第三款", Applies},
		{"2号/第十条(二)/unknown", "商业类", false, false, "", "第十条(二)", Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			route, f := ReviewRoute(tc.category, tc.major, tc.cross)
			checkFindings(t, tc.name, f)
			if route != tc.route || f.Outcome != tc.outcome || f.Citation != "京建法〔2024〕2号 "+tc.citeAt || f.Rule != "PL-02" {
				t.Errorf("ReviewRoute = %q %+v", route, f)
			}
		})
	}
	if _, f := ReviewRoute(CategoryAreaWide, false, true); !strings.Contains(f.Message, "指定应纳入的区级项目库") {
		t.Errorf("cross-district message: %s", f.Message)
	}
}

func TestImportEligible(t *testing.T) {
	for _, tc := range []struct {
		name, category string
		want           Outcome
	}{
		{"2号/第十一条/T07-设施类", CategoryFacility, Pass},
		{"2号/第十一条/居住类", CategoryResidential, Pass},
		{"2号/第十一条/T07-区域综合性", CategoryAreaWide, Fail},
		{"2号/第十一条/unknown", "商业类", Fail},
		{"2号/第十一条/missing", "", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ImportEligible(tc.category, asOf)
			checkFindings(t, tc.name, f)
			if f.Outcome != tc.want || f.Rule != "PL-05" || f.Citation != "京建法〔2024〕2号 第十一条" {
				t.Errorf("%+v", f)
			}
		})
	}
	if f := ImportEligible(CategoryFacility, d("2027-05-10")); f.Outcome != OutOfForce {
		t.Errorf("after expiry: %+v", f)
	}
}

func TestImplementationReady(t *testing.T) {
	t.Run("2号/第十五条/T09-no-confirmation-document", func(t *testing.T) {
		l := fullLibrary()
		l.ConfirmationDocument = bp(false)
		fs := ImplementationReady(l, asOf)
		checkFindings(t, "T09", fs...)
		if len(fs) != 1 || fs[0].Outcome != Fail || !strings.Contains(fs[0].Message, "确认文件") || strings.Contains(fs[0].Message, "industry_dept_certified") {
			t.Errorf("%+v", fs)
		}
	})
	t.Run("2号/第十五条/T09-all-three", func(t *testing.T) {
		if fs := ImplementationReady(fullLibrary(), asOf); fs[0].Outcome != Pass || fs[0].Citation != "京建法〔2024〕2号 第十五条" {
			t.Errorf("%+v", fs)
		}
	})
	t.Run("2号/第十五条/each-missing-named", func(t *testing.T) {
		l := fullLibrary()
		l.ConfirmationDocument, l.PlanningAndUseClear, l.IndustryDeptCertified = bp(false), nil, bp(false)
		fs := ImplementationReady(l, asOf)
		for _, want := range []string{"共3项", "confirmation_document=false", "planning_and_use_clear 未填报", "industry_dept_certified=false"} {
			if !strings.Contains(fs[0].Message, want) {
				t.Errorf("message %q lacks %q", fs[0].Message, want)
			}
		}
	})
}

func TestPlanEligible(t *testing.T) {
	item5 := func(l LibraryFacts, on calendar.Date) Finding {
		fs := PlanEligible(l, on)
		checkFindings(t, "PL-07", fs...)
		if len(fs) != 5 {
			t.Fatalf("%d findings", len(fs))
		}
		return fs[4]
	}
	for _, tc := range []struct {
		name        string
		plan, start *int
		on          string
		want        Outcome
	}{
		{"2号/第十六条(五)/same-year", ip(2024), ip(2024), "2024-09-01", Pass},
		{"2号/第十六条(五)/plan_year+1", ip(2024), ip(2025), "2024-09-01", Pass},
		{"2号/第十六条(五)/plan_year+2", ip(2024), ip(2026), "2024-09-01", Fail},
		{"2号/第十六条(五)/earlier", ip(2025), ip(2024), "2024-09-01", Manual},
		{"2号/第十六条(五)/no-plan-year-uses-as_of", nil, ip(2026), "2025-03-01", Pass},
		{"2号/第十六条(五)/no-plan-year-as_of+2", nil, ip(2027), "2025-03-01", Fail},
		{"2号/第十六条(五)/no-start-year", ip(2024), nil, "2024-09-01", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := fullLibrary()
			l.PlanYear, l.ExpectedStartYear = tc.plan, tc.start
			f := item5(l, d(tc.on))
			if f.Outcome != tc.want || f.Citation != "京建法〔2024〕2号 第十六条(五)" {
				t.Errorf("%+v", f)
			}
		})
	}
	t.Run("2号/第十六条/items", func(t *testing.T) {
		l := fullLibrary()
		l.StableFunding = bp(false)
		fs := PlanEligible(l, asOf)
		want := []Outcome{Pass, Manual, Fail, Manual, Pass}
		for i, f := range fs {
			if f.Outcome != want[i] || f.Rule != "PL-07" {
				t.Errorf("item %d: %+v", i+1, f)
			}
		}
		if Worst(fs) != Fail {
			t.Errorf("Worst = %s", Worst(fs))
		}
	})
}

func TestAutoExit(t *testing.T) {
	for _, tc := range []struct {
		name, accepted, on string
		want               Outcome
	}{
		{"2号/第二十条(一)/T11-last-day-of-year", "2025-03-20", "2026-03-20", NotApplicable},
		{"2号/第二十条(一)/T11-exit-day-after", "2025-03-20", "2026-03-21", Applies},
		{"2号/第二十条(一)/T11-later", "2025-03-20", "2026-09-01", Applies},
		{"2号/第二十条(一)/T13-exit-after-expiry", "2026-06-30", "2026-08-01", OutOfForce},
		{"2号/第二十条(一)/exit-on-last-valid-day", "2026-05-08", "2027-05-09", Applies},
		{"2号/第二十条(一)/exit-one-day-after-expiry", "2026-05-09", "2027-05-09", OutOfForce},
		{"2号/第二十条(一)/as_of-after-expiry", "2025-03-20", "2027-05-10", OutOfForce},
		{"2号/第二十条(一)/not-accepted", "", "2026-03-21", NotApplicable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var acc calendar.Date
			if tc.accepted != "" {
				acc = d(tc.accepted)
			}
			f := AutoExit(acc, d(tc.on))
			checkFindings(t, tc.name, f)
			if f.Outcome != tc.want || f.Rule != "PL-10" || f.Citation != "京建法〔2024〕2号 第二十条(一)" {
				t.Errorf("%+v", f)
			}
		})
	}
	if got := AutoExitDate(d("2025-03-20")); got != d("2026-03-21") {
		t.Errorf("T11 AutoExitDate = %s", got)
	}
	if got := AutoExitDate(d("2026-06-30")); got != d("2027-07-01") {
		t.Errorf("T13 AutoExitDate = %s", got)
	}
	// 02-29: the corresponding date does not exist, so the month's last day (D1).
	if got := AutoExitDate(d("2024-02-29")); got != d("2025-03-01") {
		t.Errorf("leap AutoExitDate = %s", got)
	}
	f := AutoExit(d("2026-06-30"), d("2026-08-01"))
	if f.Values["auto_exit_on"] != "2027-07-01" || !strings.Contains(f.Message, "2027-07-01") {
		t.Errorf("T13 must name the computed exit date: %+v", f)
	}
}

func TestStalePlanExitOffered(t *testing.T) {
	var none calendar.Date
	for _, tc := range []struct {
		name           string
		included, done string
		needs          bool
		on             string
		want           Outcome
	}{
		{"2号/第二十条(四)/within-period", "2024-07-15", "", true, "2026-07-15", Pass},
		{"2号/第二十条(四)/day-after-period", "2024-07-15", "", true, "2026-07-16", Applies},
		{"2号/第二十条(四)/done-on-last-day", "2024-07-15", "2026-07-15", true, "2026-09-01", Pass},
		{"2号/第二十条(四)/done-late", "2024-07-15", "2026-07-16", true, "2026-09-01", Applies},
		{"2号/第二十条(四)/D11-fast-track", "2024-07-15", "", false, "2026-09-01", NotApplicable},
		{"2号/第二十条(四)/not-in-plan", "", "", true, "2026-09-01", NotApplicable},
		{"2号/第二十条(四)/period-ends-after-expiry", "2025-06-01", "", true, "2027-05-09", Pass},
		{"2号/第二十条(四)/offered-on-last-valid-day", "2025-05-01", "", true, "2027-05-09", Applies},
		{"2号/第二十条(四)/as_of-after-expiry", "2025-01-01", "", true, "2027-05-10", OutOfForce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inc, done := none, none
			if tc.included != "" {
				inc = d(tc.included)
			}
			if tc.done != "" {
				done = d(tc.done)
			}
			f := StalePlanExitOffered(inc, done, tc.needs, d(tc.on))
			checkFindings(t, tc.name, f)
			if f.Outcome != tc.want || f.Rule != "PL-11" || f.Citation != "京建法〔2024〕2号 第二十条(四)" {
				t.Errorf("%+v", f)
			}
			if f.Outcome == Applies && !strings.Contains(f.Message, "不自动出库") {
				t.Errorf("exit (四) must be offered, never automatic: %s", f.Message)
			}
		})
	}
}

func TestExitGrounds(t *testing.T) {
	if len(ExitGrounds) != 5 {
		t.Fatalf("%d grounds", len(ExitGrounds))
	}
	for n := 1; n <= 5; n++ {
		g, err := ExitGround(n)
		if err != nil || g.N != n || !strings.HasPrefix(g.Citation, "京建法〔2024〕2号 第二十条(") || g.Text == "" {
			t.Errorf("ExitGround(%d) = %+v, %v", n, g, err)
		}
		if g.Automatic != (n == 1) {
			t.Errorf("ground %d automatic = %v", n, g.Automatic)
		}
	}
	for _, n := range []int{0, 6, -1} {
		if _, err := ExitGround(n); err == nil {
			t.Errorf("ExitGround(%d) succeeded", n)
		}
	}
	for _, n := range []int{2, 3, 5} {
		f, err := ManualExit(n, asOf)
		checkFindings(t, "PL-12", f)
		if err != nil || f.Outcome != Manual || f.Rule != "PL-12" {
			t.Errorf("ManualExit(%d) = %+v, %v", n, f, err)
		}
	}
	for _, n := range []int{1, 4} {
		if _, err := ManualExit(n, asOf); err != ErrNotManualExit {
			t.Errorf("ManualExit(%d) err = %v", n, err)
		}
	}
}

func TestOneShotCorrection(t *testing.T) {
	f := OneShotCorrection([]string{"a", "b"}, asOf)
	checkFindings(t, "PL-04", f)
	if f.Outcome != Applies || f.Values["count"] != "2" || f.Citation != "京建法〔2024〕2号 第十二条" {
		t.Errorf("%+v", f)
	}
	if f := OneShotCorrection(nil, asOf); f.Outcome != NotApplicable {
		t.Errorf("%+v", f)
	}
}

func TestPlanEffects(t *testing.T) {
	for _, fn := range []func(calendar.Date, calendar.Date) Finding{PlanInclusionEffect, PlanBenefits} {
		f := fn(d("2024-07-15"), asOf)
		checkFindings(t, "PL-08/09", f)
		if f.Outcome != Applies {
			t.Errorf("%+v", f)
		}
		if f := fn(calendar.Date{}, asOf); f.Outcome != NotApplicable {
			t.Errorf("%+v", f)
		}
		if f := fn(d("2024-05-01"), asOf); f.Outcome != OutOfForce {
			t.Errorf("plan inclusion before 施行: %+v", f)
		}
	}
}

func TestWorst(t *testing.T) {
	if Worst(nil) != NotApplicable {
		t.Error("empty")
	}
	fs := []Finding{{Outcome: Pass}, {Outcome: Manual}, {Outcome: Warn}}
	if Worst(fs) != Warn {
		t.Errorf("Worst = %s", Worst(fs))
	}
}
