package app_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
)

// demoApp returns an App over a fresh database of dialect d whose clock
// reads 10:00 on day.
func demoApp(t *testing.T, d store.Dialect, day string) (*app.App, *gengxin.FixedClock) {
	t.Helper()
	db := storetest.Open(t, d)
	clock := at(day)
	a, err := app.New(ctx, db, testKey, clock, t.TempDir(), "http://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	return a, clock
}

func demoCounts(t *testing.T, a *app.App) (users, projects int) {
	t.Helper()
	r := a.DB.Read(ctx)
	us, err := r.Users()
	if err != nil {
		t.Fatal(err)
	}
	ids, err := r.ProjectIDs(store.ProjectFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(us), len(ids)
}

func TestSeedDemo(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			// Late enough that a plan included "over two years ago" is
			// inside the rules' validity (from 2024-05-10).
			a, _ := demoApp(t, d, "2026-09-15")
			var out bytes.Buffer
			if err := a.SeedDemo(ctx, &out); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"chaoyang-gx", "chaoyang-fg", "chaoyang-jx", "chaoyang-zf", "haidian-zf", "dongcheng-zf", "shi-zjw", "qiye1", "demo-admin", app.DemoPassword, "http://127.0.0.1/login", "区城市更新主管部门"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("logins table lacks %q:\n%s", want, out.String())
				}
			}
			if err := app.CheckPasswordPolicy(app.DemoPassword); err != nil {
				t.Fatal(err)
			}
			users, projects := demoCounts(t, a)
			if users < 30 || projects < 28 {
				t.Fatalf("users %d, projects %d", users, projects)
			}

			// Idempotent.
			out.Reset()
			if err := a.SeedDemo(ctx, &out); err != nil {
				t.Fatal(err)
			}
			if u2, p2 := demoCounts(t, a); u2 != users || p2 != projects {
				t.Fatalf("second run: users %d→%d, projects %d→%d", users, u2, projects, p2)
			}
			if !strings.Contains(out.String(), "qiye1") {
				t.Fatalf("second run prints the logins too:\n%s", out.String())
			}

			r := a.DB.Read(ctx)
			counts, err := r.CountByStatus(store.ProjectFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range gengxin.Statuses {
				if counts[s] == 0 {
					t.Errorf("no demo project in status %s (%v)", s, counts)
				}
			}
			cats := map[gengxin.Category]bool{}
			ps, _, err := r.Projects(store.ProjectFilter{PerPage: store.MaxPerPage})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				cats[p.Category] = true
			}
			if len(cats) != 5 {
				t.Errorf("categories: %v", cats)
			}
			if _, imported, err := r.Projects(store.ProjectFilter{Source: gengxin.SourceImport}); err != nil || imported < 2 {
				t.Errorf("第十一条 imports: %d %v", imported, err)
			}

			// The officers see live deadlines: some overdue, some due within two working days.
			today := a.Today()
			renewal, err := r.UserByName("chaoyang-gx")
			if err != nil {
				t.Fatal(err)
			}
			overdue, _, err := a.List(ctx, renewal, app.ListQuery{Overdue: true})
			if err != nil || len(overdue) == 0 {
				t.Fatalf("overdue list: %d %v", len(overdue), err)
			}
			all, _, err := a.List(ctx, renewal, app.ListQuery{PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			soon := 0
			for _, p := range all {
				for _, dl := range p.Deadlines {
					if dl.Kind == gengxin.DeadlineJointReview && dl.Status == gengxin.DeadlineOpen && a.Calendar().Between(today, dl.Due) <= 3 {
						soon++
					}
				}
			}
			if soon == 0 {
				t.Error("no joint review due soon")
			}
			// Partial opinions exist somewhere.
			partial := false
			for _, p := range all {
				if p.Status != gengxin.StatusInReview {
					continue
				}
				ops, _ := r.Opinions(p.ID)
				n := 0
				for _, o := range ops {
					if o.Round == p.ReviewRound {
						n++
					}
				}
				if n > 0 && n < len(p.Invited) {
					partial = true
				}
			}
			if !partial {
				t.Error("no in-review project with partial opinions")
			}

			// The applicants can sign in with the documented password.
			if _, _, _, err := a.Login(ctx, "qiye1", app.DemoPassword, "api", "127.0.0.1"); err != nil {
				t.Fatalf("login: %v", err)
			}

			lines, err := a.Sweep(ctx, today)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, l := range lines {
				got[l.Action]++
			}
			if got["auto-exit"] == 0 || got["offer-exit-4"] == 0 {
				t.Fatalf("sweep on %s: %v\n%v", today, got, lines)
			}
			if _, brk, err := r.VerifyChain(testKey); err != nil || brk != nil {
				t.Fatalf("chain: %v %v", brk, err)
			}
		})
	}
}

// SeedDemo works whatever the clock says: steps are clamped into the
// rules' validity window.
func TestSeedDemoClamps(t *testing.T) {
	for _, day := range []string{"2024-06-03", "2027-12-01"} {
		t.Run(day, func(t *testing.T) {
			a, _ := demoApp(t, store.SQLite, day)
			if err := a.SeedDemo(ctx, io.Discard); err != nil {
				t.Fatal(err)
			}
			counts, err := a.DB.Read(ctx).CountByStatus(store.ProjectFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range gengxin.Statuses {
				if counts[s] == 0 {
					t.Errorf("no demo project in status %s (%v)", s, counts)
				}
			}
		})
	}
}

func TestSeedDemoRefusesForeignAccount(t *testing.T) {
	a, _ := demoApp(t, store.SQLite, "2026-09-15")
	if _, err := a.AddUser(ctx, app.NewUserInput{Username: "chaoyang-gx", Role: gengxin.RoleDistrictRenewal, District: "海淀区", Password: app.DemoPassword}); err != nil {
		t.Fatal(err)
	}
	err := a.SeedDemo(ctx, io.Discard)
	wantCode(t, err, gengxin.EConflict)
	if _, projects := demoCounts(t, a); projects != 0 {
		t.Fatalf("projects %d", projects)
	}
}

type synthRow struct {
	Code, Name, Status, District string
}

func synthRows(t *testing.T, a *app.App) map[int64]synthRow {
	t.Helper()
	r := a.DB.Read(ctx)
	out := map[int64]synthRow{}
	for page := 1; ; page++ {
		ps, total, err := r.Projects(store.ProjectFilter{Page: page, PerPage: store.MaxPerPage})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			out[p.ID] = synthRow{p.Code, p.Name, string(p.Status), p.District}
		}
		if page*store.MaxPerPage >= total {
			return out
		}
	}
}

func TestSeedSynthetic(t *testing.T) {
	const n = 2000
	a1, _ := demoApp(t, store.SQLite, "2026-09-15")
	var out bytes.Buffer
	if err := a1.SeedSynthetic(ctx, n, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2000") {
		t.Fatalf("summary: %s", out.String())
	}
	a2, _ := demoApp(t, store.SQLite, "2026-09-15")
	if err := a2.SeedSynthetic(ctx, n, io.Discard); err != nil {
		t.Fatal(err)
	}
	rows1, rows2 := synthRows(t, a1), synthRows(t, a2)
	if len(rows1) != n || len(rows2) != n {
		t.Fatalf("rows %d %d", len(rows1), len(rows2))
	}
	districts, statuses := map[string]bool{}, map[string]bool{}
	for id, r := range rows1 {
		if rows2[id] != r {
			t.Fatalf("not deterministic at id %d: %v vs %v", id, r, rows2[id])
		}
		if !strings.HasPrefix(r.Code, app.SyntheticPrefix) {
			t.Fatalf("code %q", r.Code)
		}
		districts[r.District], statuses[r.Status] = true, true
	}
	if len(districts) != len(gengxin.Districts) || len(statuses) != len(gengxin.Statuses) {
		t.Fatalf("districts %d, statuses %v", len(districts), statuses)
	}

	r := a1.DB.Read(ctx)
	ps, total, err := r.Projects(store.ProjectFilter{Q: "厂房更新"})
	if err != nil || total == 0 || !strings.Contains(ps[0].Name, "厂房更新") {
		t.Fatalf("search 厂房更新: %d %v", total, err)
	}
	overdue, _, err := r.Projects(store.ProjectFilter{OverdueOn: a1.Today()})
	if err != nil || len(overdue) == 0 {
		t.Fatalf("overdue synthetic deadlines: %d %v", len(overdue), err)
	}
	ids, err := r.ProjectIDs(store.ProjectFilter{Status: []gengxin.Status{gengxin.StatusSubmitted, gengxin.StatusInReview}})
	if err != nil || len(ids) == 0 {
		t.Fatal(err)
	}
	dls, err := r.DeadlinesOf(ids)
	if err != nil || len(dls) == 0 {
		t.Fatalf("deadlines: %v", err)
	}
	for _, id := range ids[:10] {
		p, _ := r.Project(id)
		if gengxin.RouteOf(p) == gengxin.RouteJointReview && len(dls[id]) != 2 {
			t.Fatalf("project %d (%s) deadlines %v", id, p.Category, dls[id])
		}
	}
	// A second load continues the codes and keeps the chain intact.
	if err := a1.SeedSynthetic(ctx, 10, io.Discard); err != nil {
		t.Fatal(err)
	}
	if c, _ := r.CountProjectsWithCodePrefix(app.SyntheticPrefix); c != n+10 {
		t.Fatalf("count %d", c)
	}
	if _, brk, err := r.VerifyChain(testKey); err != nil || brk != nil {
		t.Fatalf("chain: %v %v", brk, err)
	}
}

func TestSeedSyntheticDialects(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a, _ := demoApp(t, d, "2026-09-15")
			if err := a.SeedSynthetic(ctx, 600, io.Discard); err != nil {
				t.Fatal(err)
			}
			r := a.DB.Read(ctx)
			_, total, err := r.Projects(store.ProjectFilter{})
			if err != nil || total != 600 {
				t.Fatalf("total %d %v", total, err)
			}
			_, hits, err := r.Projects(store.ProjectFilter{Q: "厂房更新"})
			if err != nil || hits == 0 {
				t.Fatalf("search: %d %v", hits, err)
			}
			_, hits2, err := r.Projects(store.ProjectFilter{Q: "厂房"})
			if err != nil || hits2 < hits {
				t.Fatalf("two-character search: %d %v", hits2, err)
			}
			if err := a.SeedSynthetic(ctx, 0, io.Discard); gengxin.ErrorCode(err) != gengxin.EInvalid {
				t.Fatalf("n=0: %v", err)
			}
			// The sweep copes with synthetic rows, and the chain stays intact.
			lines, err := a.Sweep(ctx, calendar.MustParseDate("2026-09-15"))
			if err != nil || len(lines) == 0 {
				t.Fatalf("sweep: %d lines, %v", len(lines), err)
			}
			if _, brk, err := r.VerifyChain(testKey); err != nil || brk != nil {
				t.Fatalf("chain after sweep: %v %v", brk, err)
			}
		})
	}
}
