package app_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/uscc"
	"gengxin/xlsx"
)

type greenFixture struct {
	*app.App
	clock                *gengxin.FixedClock
	firm, firm2, bureau  *gengxin.User
	otherDept, renewal   *gengxin.User
	firmUSCC, firm2USCC  string
	servedA, servedB, sC string
}

func newGreen(t testing.TB, d store.Dialect) *greenFixture {
	t.Helper()
	db := storetest.Open(t, d)
	day := calendar.MustParseDate("2024-09-27")
	clock := &gengxin.FixedClock{T: time.Date(day.Year, day.Month, day.Day, 10, 0, 0, 0, calendar.Beijing)}
	a, err := app.New(context.Background(), db, testKey, clock, t.TempDir(), "http://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	g := &greenFixture{App: a, clock: clock, firmUSCC: uscc.Complete("91110105MA01GRN01"), firm2USCC: uscc.Complete("91110108MA02GRN02"),
		servedA: uscc.Complete("91110105MA03AAA01"), servedB: uscc.Complete("91110105MA04BBB01"), sC: uscc.Complete("91110105MA05CCC01")}
	add := func(in app.NewUserInput) *gengxin.User {
		in.Password, in.SkipPolicy = "Test-Passw0rd-123", true
		u, err := a.AddUser(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	g.firm = add(app.NewUserInput{Username: "gfirm", Role: gengxin.RoleApplicant, OrgName: "北京绿色制造有限公司", OrgUSCC: g.firmUSCC})
	g.firm2 = add(app.NewUserInput{Username: "gfirm2", Role: gengxin.RoleApplicant, OrgName: "北京诊断服务有限公司", OrgUSCC: g.firm2USCC})
	g.bureau = add(app.NewUserInput{Username: "jxj", Role: gengxin.RoleMunicipalDept, Dept: "经济和信息化"})
	g.otherDept = add(app.NewUserInput{Username: "fgw", Role: gengxin.RoleMunicipalDept, Dept: "发展改革"})
	g.renewal = add(app.NewUserInput{Username: "cy", Role: gengxin.RoleDistrictRenewal, District: "朝阳区"})
	return g
}

func (g *greenFixture) setDay(day string) {
	d := calendar.MustParseDate(day)
	g.clock.T = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Beijing)
}

func greenWant(t *testing.T, err error, code, contains string) {
	t.Helper()
	if gengxin.ErrorCode(err) != code {
		t.Fatalf("error %v: code %q, want %q", err, gengxin.ErrorCode(err), code)
	}
	e := gengxin.AsError(err)
	all := e.Message + e.Rule + e.Citation
	for _, d := range e.Details {
		all += d.Rule + d.Message
	}
	if contains != "" && !strings.Contains(all, contains) {
		t.Fatalf("error %+v does not mention %q", e, contains)
	}
}

func retrofitIn(measure, project, inv string) app.GreenInput {
	return app.GreenInput{Sector: app.GreenSectorFor(measure), Measure: measure, ProjectName: project, District: "朝阳区", Year: 2024, EligibleInvestmentWan: app.DecimalArg(inv)}
}

func loanIn(fa, loan string) app.GreenInput {
	return app.GreenInput{Sector: app.GreenSectorFor("green_loan"), Measure: "green_loan", ProjectName: "绿色信贷贴息", District: "海淀区", Year: 2024,
		FixedAssetInvestmentWan: app.DecimalArg(fa), LoanAmountWan: app.DecimalArg(loan), SubsidyRate: "0.02", InterestPaidWan: "900", LoanContract: "BJ-2024-001"}
}

func (g *greenFixture) apply(t *testing.T, u *gengxin.User, in app.GreenInput) *app.GreenApplicationView {
	t.Helper()
	v, err := g.ApplyGreen(context.Background(), u, in)
	if err != nil {
		t.Fatalf("apply %+v: %v", in, err)
	}
	return v
}

func TestGreenCapAndReview(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			g := newGreen(t, d)
			// 二(一) 节能改造: 10000 tce × 0.12 = 1200万元; 2000万元 × 25% = 500万元 binds.
			in := app.GreenInput{Sector: app.GreenSectorFor("energy_saving"), Measure: "energy_saving", ProjectName: "电机系统节能改造", District: "朝阳区", Year: 2024,
				EnergySavedTce: "10000", MeasurementReport: "节能量审核报告 2024-017", EligibleInvestmentWan: "2000"}
			p, err := g.PreviewGreen(ctx, g.firm, in)
			if err != nil {
				t.Fatal(err)
			}
			if p.CapWan != "500" || p.CapFinding == nil || p.CapFinding.Rule != "GL-02" || p.CapFinding.Values["binding"] != "ratio" || p.Refusal != nil {
				t.Fatalf("preview: cap %q finding %+v refusal %v", p.CapWan, p.CapFinding, p.Refusal)
			}
			if p.Listed || p.RemainWan != "3000" {
				t.Fatalf("preview: listed %v remaining %q", p.Listed, p.RemainWan)
			}
			// Bad input: 400 with every field named; officers cannot apply.
			_, err = g.PreviewGreen(ctx, g.firm, app.GreenInput{Sector: app.GreenSectorFor("energy_saving"), Measure: "energy_saving", ProjectName: "x", District: "火星区", Year: 2024, EnergySavedTce: "abc"})
			greenWant(t, err, gengxin.EInvalid, "")
			if e := gengxin.AsError(err); len(e.Details) < 4 {
				t.Fatalf("details: %+v", e.Details)
			}
			_, err = g.ApplyGreen(ctx, g.firm, app.GreenInput{Sector: app.GreenSectorFor("solar"), Measure: "solar", ProjectName: "x", District: "朝阳区", Year: 2024})
			greenWant(t, err, gengxin.EInvalid, "申报措施")
			_, err = g.ApplyGreen(ctx, g.bureau, in)
			greenWant(t, err, gengxin.EForbidden, "")
			// Out of the 执行期 (GL-11): 2028 is refused with the rule.
			late := in
			late.Year = 2028
			_, err = g.ApplyGreen(ctx, g.firm, late)
			greenWant(t, err, gengxin.ERuleRefused, "GL-11")

			v := g.apply(t, g.firm, in)
			if v.CapWan != "500" || v.CapRule != "GL-02" || v.Status != "submitted" || v.CapCitation != "京经信发〔2024〕20号 二(一)" {
				t.Fatalf("application: %+v", v.GreenApplication)
			}
			// Only the bureau reviews; the other firm cannot see it.
			_, err = g.ApproveGreen(ctx, g.otherDept, v.ID, "100")
			greenWant(t, err, gengxin.EForbidden, "")
			_, err = g.GreenApplication(ctx, g.firm2, v.ID)
			greenWant(t, err, gengxin.ENotFound, "")
			_, err = g.GreenApplication(ctx, g.renewal, v.ID)
			greenWant(t, err, gengxin.EForbidden, "")
			_, err = g.ApproveGreen(ctx, g.bureau, v.ID, "-3")
			greenWant(t, err, gengxin.EInvalid, "")
			// Over the cap: 422 naming GL-02.
			_, err = g.ApproveGreen(ctx, g.bureau, v.ID, "500.01")
			greenWant(t, err, gengxin.ERuleRefused, "GL-02")
			ok, err := g.ApproveGreen(ctx, g.bureau, v.ID, "500")
			if err != nil || ok.Status != "approved" || ok.ApprovedWan != "500" || ok.NoticeNo == "" {
				t.Fatalf("approve at the cap: %v %+v", err, ok)
			}
			_, err = g.ApproveGreen(ctx, g.bureau, v.ID, "1")
			greenWant(t, err, gengxin.EConflict, "")
			pdf, _, err := g.GreenNoticePDF(ctx, g.firm, v.ID)
			if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
				t.Fatalf("notice: %v", err)
			}
			if doc, err := g.Verify(ctx, ok.NoticeCode); err != nil || doc.Number != ok.NoticeNo {
				t.Fatalf("verify: %v %+v", err, doc)
			}
			// Refusal needs reasons.
			v2 := g.apply(t, g.firm, retrofitIn("env_rating", "脱硝改造", "20"))
			if v2.CapWan != "10" {
				t.Fatalf("env_rating floor: %s", v2.CapWan)
			}
			_, err = g.RefuseGreen(ctx, g.bureau, v2.ID, " ")
			greenWant(t, err, gengxin.EInvalid, "理由")
			if r, err := g.RefuseGreen(ctx, g.bureau, v2.ID, "项目未完工"); err != nil || r.Status != "refused" {
				t.Fatalf("refuse: %v", err)
			}
			_, _, err = g.GreenNoticePDF(ctx, g.firm, v2.ID)
			greenWant(t, err, gengxin.EConflict, "")
			// Public list: the award, without the credit code.
			pub, err := g.PublicGreenAwards(ctx, 2024, "", "")
			if err != nil || len(pub) != 1 || pub[0].AmountWan != "500" {
				t.Fatalf("public: %v %+v", err, pub)
			}
			sum, err := g.GreenSummary(ctx, g.bureau, 2024)
			if err != nil || len(sum) != 3 || sum[2].Applications != 2 || sum[2].ApprovedWan != "500" || sum[2].Refused != 1 {
				t.Fatalf("summary: %v %+v", err, sum)
			}
			var buf bytes.Buffer
			if err := g.ExportGreenSummary(ctx, g.bureau, 2024, &buf); err != nil {
				t.Fatal(err)
			}
			if rows, err := xlsx.ReadTable(bytes.NewReader(buf.Bytes()), "汇总"); err != nil || len(rows) != 5 {
				t.Fatalf("export: %v %d rows", err, len(rows))
			}
			_, err = g.GreenSummary(ctx, g.firm, 2024)
			greenWant(t, err, gengxin.EForbidden, "")
		})
	}
}

func TestGreenLimitsAcrossApplications(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			g := newGreen(t, d)
			// 二(一): ≤ 3000万元 per project over all its awards.
			a1 := g.apply(t, g.firm, retrofitIn("other_retrofit", "厂房光伏及储能改造", "12000"))
			a2 := g.apply(t, g.firm, retrofitIn("demonstration", " 厂房光伏及储能改造 ", "12000"))
			if a1.CapWan != "3000" || a2.CapWan != "3000" {
				t.Fatalf("caps %s %s", a1.CapWan, a2.CapWan)
			}
			if _, err := g.ApproveGreen(ctx, g.bureau, a1.ID, "2000"); err != nil {
				t.Fatal(err)
			}
			_, err := g.ApproveGreen(ctx, g.bureau, a2.ID, "1000.01")
			greenWant(t, err, gengxin.ERuleRefused, "3000万元")
			if p, _ := g.PreviewGreen(ctx, g.firm, retrofitIn("other_retrofit", "厂房光伏及储能改造", "100")); p.RemainWan != "1000" {
				t.Fatalf("remaining: %q", p.RemainWan)
			}
			if _, err := g.ApproveGreen(ctx, g.bureau, a2.ID, "1000"); err != nil {
				t.Fatal(err)
			}
			// 八: exactly 500万元 of fixed-asset investment is not "超过".
			_, err = g.ApplyGreen(ctx, g.firm, loanIn("500", "10000"))
			greenWant(t, err, gengxin.ERuleRefused, "GL-10")
			// ≤ 1000万元 of subsidy per enterprise per year over all loans.
			l1 := g.apply(t, g.firm, loanIn("600", "60000"))
			l2 := g.apply(t, g.firm, loanIn("600", "30000"))
			if l1.CapWan != "1000" || l2.CapWan != "600" || l1.CapRule != "GL-10" {
				t.Fatalf("loan caps %s %s %s", l1.CapWan, l2.CapWan, l1.CapRule)
			}
			if _, err := g.ApproveGreen(ctx, g.bureau, l1.ID, "700"); err != nil {
				t.Fatal(err)
			}
			_, err = g.ApproveGreen(ctx, g.bureau, l2.ID, "400")
			greenWant(t, err, gengxin.ERuleRefused, "GL-10")
			if _, err := g.ApproveGreen(ctx, g.bureau, l2.ID, "300"); err != nil {
				t.Fatal(err)
			}
			// Another year is another limit.
			next := loanIn("600", "10000")
			next.Year = 2025
			l3 := g.apply(t, g.firm, next)
			if _, err := g.ApproveGreen(ctx, g.bureau, l3.ID, "200"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestGreenConcurrentApprovals approves applications at the edge of a
// limit at the same time: exactly the amount the limit allows is granted.
func TestGreenConcurrentApprovals(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			g := newGreen(t, d)
			const n = 6
			var proj, loans []int64
			for i := 0; i < n; i++ {
				proj = append(proj, g.apply(t, g.firm, retrofitIn("other_retrofit", "全厂综合能效提升", "12000")).ID)
				loans = append(loans, g.apply(t, g.firm, loanIn("600", "60000")).ID)
			}
			run := func(ids []int64, amount string) (wins int) {
				var wg sync.WaitGroup
				var mu sync.Mutex
				for _, id := range ids {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, err := g.ApproveGreen(ctx, g.bureau, id, amount)
						mu.Lock()
						defer mu.Unlock()
						switch gengxin.ErrorCode(err) {
						case "":
							wins++
						case gengxin.ERuleRefused:
						default:
							t.Errorf("approve %d: %v", id, err)
						}
					}()
				}
				wg.Wait()
				return wins
			}
			// 3000万元 per project: two of 1200 fit, the third does not.
			if w := run(proj, "1200"); w != 2 {
				t.Fatalf("project: %d approvals won, want 2", w)
			}
			// 1000万元 per enterprise-year: one of 600 fits.
			if w := run(loans, "600"); w != 1 {
				t.Fatalf("loans: %d approvals won, want 1", w)
			}
			approved, err := g.GreenApplications(ctx, g.bureau, store.GreenFilter{Status: "approved"})
			if err != nil || len(approved) != 3 {
				t.Fatalf("approved: %v %d", err, len(approved))
			}
		})
	}
}

func (g *greenFixture) importList(t *testing.T, rows [][]any) *app.GreenListReport {
	t.Helper()
	var buf bytes.Buffer
	cols := []xlsx.Column{{Title: "名单类别"}, {Title: "单位名称"}, {Title: "统一社会信用代码"}, {Title: "入围日期"}, {Title: "移出日期"}}
	if err := xlsx.WriteWorkbook(&buf, xlsx.Sheet{Name: "名单", Title: "名单", Columns: cols, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	rep, err := g.ImportGreenList(context.Background(), g.bureau, &buf)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestGreenUpliftOnlyWhileListed(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			g := newGreen(t, d)
			date := calendar.MustParseDate
			rep := g.importList(t, [][]any{
				{"市级绿色工厂", "北京绿色制造有限公司", g.firmUSCC, date("2024-10-08"), date("2024-12-01")},
				{"能效领跑者", "北京绿色制造有限公司", g.firmUSCC, date("2023-01-01"), date("2024-09-01")},
				{"火星工厂", "某公司", "", date("2024-01-01"), nil},
				{"环保绩效A级企业", "某公司", "9111", date("2024-01-01"), nil},
				{"国家级绿色工业园区", "某园区", "", "2024-13-01", nil},
			})
			if rep.Created != 2 || len(rep.Errors) != 3 {
				t.Fatalf("import: %+v", rep)
			}
			// Re-import updates, never duplicates.
			if rep := g.importList(t, [][]any{{"市级绿色工厂", "北京绿色制造有限公司", g.firmUSCC, date("2024-10-08"), date("2024-11-11")}}); rep.Updated != 1 || rep.Created != 0 {
				t.Fatalf("re-import: %+v", rep)
			}
			if _, err := g.ImportGreenList(ctx, g.firm, strings.NewReader("x")); gengxin.ErrorCode(err) != gengxin.EForbidden {
				t.Fatalf("firm import: %v", err)
			}
			if _, err := g.ImportGreenList(ctx, g.bureau, strings.NewReader("not a workbook")); gengxin.ErrorCode(err) != gengxin.EInvalid {
				t.Fatalf("bad file: %v", err)
			}
			in := retrofitIn("other_retrofit", "余热回收", "1000")
			cap := func(day string) (string, bool) {
				g.setDay(day)
				p, err := g.PreviewGreen(ctx, g.firm, in)
				if err != nil {
					t.Fatal(err)
				}
				return p.CapWan, p.Listed
			}
			for _, c := range []struct {
				day    string
				cap    string
				listed bool
			}{
				{"2024-09-27", "250", false}, // 能效领跑者 delisted 2024-09-01; 绿色工厂 not yet
				{"2024-10-08", "300", true},  // listed that day: 30% (GL-07)
				{"2024-11-10", "300", true},
				{"2024-11-11", "250", false}, // the delisting day
			} {
				if got, listed := cap(c.day); got != c.cap || listed != c.listed {
					t.Errorf("%s: cap %s listed %v, want %s %v", c.day, got, listed, c.cap, c.listed)
				}
			}
			// The applicant cannot claim the uplift: the fact is derived.
			g.setDay("2024-10-08")
			v := g.apply(t, g.firm, in)
			if !v.Listed || v.Facts.ListedGreenUnit == nil || !*v.Facts.ListedGreenUnit || !strings.Contains(v.ListedNote, "市级绿色工厂") {
				t.Fatalf("listed application: %+v", v.GreenApplication)
			}
			found := false
			for _, f := range v.Result.Findings {
				found = found || (f.Rule == "GL-07" && f.Outcome == rules.Manual)
			}
			if !found {
				t.Fatalf("GL-07 missing: %+v", v.Result.Findings)
			}
			entries, err := g.GreenList(ctx, g.bureau, "")
			if err != nil || len(entries) != 2 {
				t.Fatalf("list: %v %d", err, len(entries))
			}
		})
	}
}

func TestGreenDiagnosisOncePerServed(t *testing.T) {
	ctx := context.Background()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			g := newGreen(t, d)
			diag := func(served ...app.GreenServed) app.GreenInput {
				return app.GreenInput{Sector: app.GreenSectorFor("diagnosis"), Measure: "diagnosis", ProjectName: "2024年度绿色诊断服务", District: "大兴区", Year: 2024, Served: served}
			}
			A := app.GreenServed{Kind: "enterprise", Name: "企业甲", USCC: g.servedA}
			B := app.GreenServed{Kind: "enterprise", Name: "企业乙", USCC: g.servedB}
			C := app.GreenServed{Kind: "enterprise", Name: "企业丙", USCC: g.sC}
			P := app.GreenServed{Kind: "park", Name: "亦庄某工业园区"}
			_, err := g.ApplyGreen(ctx, g.firm2, diag(A, A))
			greenWant(t, err, gengxin.EInvalid, "重复")
			_, err = g.ApplyGreen(ctx, g.firm2, diag(app.GreenServed{Kind: "enterprise", Name: "无代码企业"}))
			greenWant(t, err, gengxin.EInvalid, "统一社会信用代码")
			d1 := g.apply(t, g.firm2, diag(A, B, P))
			if d1.CapWan != "44" { // 12 × 2 + 20
				t.Fatalf("diagnosis cap %s", d1.CapWan)
			}
			// Another provider claims B (and C) while d1 is pending.
			d2 := g.apply(t, g.firm, diag(B, C))
			if _, err := g.ApproveGreen(ctx, g.bureau, d1.ID, "44"); err != nil {
				t.Fatal(err)
			}
			_, err = g.ApproveGreen(ctx, g.bureau, d2.ID, "24")
			greenWant(t, err, gengxin.ERuleRefused, "企业乙")
			// New applications naming B or the park are refused at once.
			_, err = g.ApplyGreen(ctx, g.firm, diag(C, P))
			greenWant(t, err, gengxin.ERuleRefused, "GL-01")
			if p, err := g.PreviewGreen(ctx, g.firm, diag(B, C)); err != nil || p.Refusal == nil || len(p.AlreadyUsed) != 1 {
				t.Fatalf("preview: %v %+v", err, p)
			}
			// Concurrent approvals naming the same unit: one wins.
			e1 := g.apply(t, g.firm, diag(C))
			e2 := g.apply(t, g.firm2, diag(C))
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, id := range []int64{e1.ID, e2.ID} {
				wg.Add(1)
				go func() { defer wg.Done(); _, errs[i] = g.ApproveGreen(ctx, g.bureau, id, "12") }()
			}
			wg.Wait()
			if (errs[0] == nil) == (errs[1] == nil) {
				t.Fatalf("concurrent diagnosis approvals: %v / %v", errs[0], errs[1])
			}
			for _, err := range errs {
				if err != nil && gengxin.ErrorCode(err) != gengxin.ERuleRefused {
					t.Fatalf("loser: %v", err)
				}
			}
		})
	}
}

// TestGreenSector covers who may apply under each measure (经信20号: 在京有
// 生产制造的制造业企业 and 信息软件业企业; the diagnosis reward goes to the
// service provider; data-centre saving to 信息软件业 data centres).
func TestGreenSector(t *testing.T) {
	g := newGreen(t, store.SQLite)
	ctx := context.Background()
	in := retrofitIn("other_retrofit", "余热回收改造", "800")
	in.Sector = ""
	_, err := g.ApplyGreen(ctx, g.firm, in)
	greenWant(t, err, gengxin.EInvalid, "申报单位类型")
	in.Sector = "diagnosis_provider"
	_, err = g.ApplyGreen(ctx, g.firm, in)
	greenWant(t, err, gengxin.ERuleRefused, "制造业企业和信息软件业企业")
	in.Sector = "software"
	g.apply(t, g.firm, in)
	dc := app.GreenInput{Sector: "manufacturing", Measure: "data_center", ProjectName: "机房节能", District: "朝阳区", Year: 2024,
		EnergySavedTce: "100", MeasurementReport: "R-1", EligibleInvestmentWan: "100"}
	_, err = g.ApplyGreen(ctx, g.firm, dc)
	greenWant(t, err, gengxin.ERuleRefused, "信息软件业企业的数据中心")
	diag := app.GreenInput{Sector: "manufacturing", Measure: "diagnosis", ProjectName: "绿色诊断", District: "朝阳区", Year: 2024,
		Served: []app.GreenServed{{Kind: "park", Name: "某工业园区"}}}
	_, err = g.ApplyGreen(ctx, g.firm2, diag)
	greenWant(t, err, gengxin.ERuleRefused, "服务商")
}
