package store_test

// The store contract suite (STYLE.md, Tests): written once, run on every
// dialect of storetest.Dialects. PostgreSQL skips with a message when the
// server is absent (and fails under CI).

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx" for the raw connection
	_ "modernc.org/sqlite"             // driver "sqlite" for the raw connection

	"gengxin"
	"gengxin/audit"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
)

var ctx = context.Background()

// testKey is the fixed audit key of the tests; otherKey is another one, as an
// attacker without the key would have to use.
var testKey, otherKey = mustKey("gengxin store test audit key: 32+ bytes"), mustKey("an attacker's guess at the key, 32+ bytes")

func mustKey(s string) *audit.HMAC {
	k, err := audit.NewHMAC([]byte(s))
	if err != nil {
		panic(err)
	}
	return k
}

// eachDialect runs fn once per dialect, as a subtest named by the dialect.
func eachDialect(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	t.Helper()
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}

// openWithRaw opens a migrated store and a second, plain database/sql
// connection to the same database, as an attacker with database access
// would have.
func openWithRaw(t *testing.T, d store.Dialect) (*store.DB, *rawDB) {
	t.Helper()
	dsn := storetest.DSN(t, d)
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.SetKeyring(testKey)
	var raw *sql.DB
	if d == store.SQLite {
		raw, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)")
	} else {
		raw, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return db, &rawDB{raw, d}
}

type rawDB struct {
	*sql.DB
	d store.Dialect
}

// bind turns ? into $n for PostgreSQL (no ? inside literals in these tests).
func (r *rawDB) bind(q string) string {
	if r.d != store.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (r *rawDB) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := r.ExecContext(ctx, r.bind(q), args...); err != nil {
		t.Fatalf("raw %s: %v", q, err)
	}
}

// dropAppendOnly removes the triggers that make events append-only.
func (r *rawDB) dropAppendOnly(t *testing.T) {
	t.Helper()
	if r.d == store.SQLite {
		r.exec(t, `DROP TRIGGER events_no_update`)
		r.exec(t, `DROP TRIGGER events_no_delete`)
	} else {
		r.exec(t, `DROP TRIGGER events_no_update ON events`)
	}
}

func tx(t *testing.T, db *store.DB, fn func(*store.Tx) error) {
	t.Helper()
	if err := db.Tx(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if gengxin.ErrorCode(err) != code {
		t.Fatalf("error = %v, want code %q", err, code)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var t0 = time.Date(2024, 9, 27, 2, 0, 0, 123456000, time.UTC)

// ---------------------------------------------------------------- migrations

func TestMigrationsSameFilesInBothDialects(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	if !slices.Equal(lite, pg) {
		t.Fatalf("migration files differ:\n sqlite   %v\n postgres %v", lite, pg)
	}
	if !slices.IsSorted(lite) {
		t.Errorf("Migrations is not in order: %v", lite)
	}
}

func TestMigrateTwice(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, raw := openWithRaw(t, d)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		// A second process on the same database migrates too.
		db2, err := store.Open(db.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		if err := db2.Migrate(ctx); err != nil {
			t.Fatalf("Migrate from a second handle: %v", err)
		}
		names, _ := store.Migrations(d)
		var n int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(names) {
			t.Fatalf("schema_migrations has %d rows, want %d", n, len(names))
		}
		var head int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM chain_head`).Scan(&head); err != nil || head != 1 {
			t.Fatalf("chain_head rows = %d, %v; want 1", head, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

// ---------------------------------------------------------------- projects

// fullProject returns a project with every stored field set.
func fullProject(orgID int64) *gengxin.Project {
	return &gengxin.Project{
		Code: "GX-110105-2024-000012", Name: "酒仙桥老旧厂房更新改造项目", Category: gengxin.Industrial,
		District: "朝阳区", Street: "酒仙桥街道", Address: "朝阳区酒仙桥路10号（原798厂区）", Goal: "将闲置厂房改造为科技创新空间，补齐“三大设施”短板",
		FundEstimateWan: "12000.50", LandAreaM2: "10000.00", BuildingAreaM2: "23456.789",
		EntityName: "北京某某置业有限公司", EntityUSCC: "91110105MA01ABCD1X", EntityRole: gengxin.Implementer, Contact: "张三 13800000000",
		Major: true, CrossDistrict: true, CompliesWithPlans: true,
		OrgID: orgID, Source: gengxin.SourceImport, ExternalRef: "朝发改〔2024〕88号",
		Status: gengxin.StatusImplementation, SubmittedAt: t0, ReceivedOn: calendar.NewDate(2024, 9, 27),
		ReviewRound: 2, Invited: []string{"发展改革", "规划自然资源", "经济和信息化"},
		NoticeNo: "朝更新储〔2024〕12号", NoticeOn: calendar.NewDate(2024, 10, 8), NoticeCode: "A7K9-3QXZ",
		AdmittedOn: calendar.NewDate(2024, 10, 9), IndustryDept: "经济和信息化", ConfirmationDoc: "朝更新确〔2024〕3号",
		PromotedOn: calendar.NewDate(2024, 11, 1), PlanYear: 2025, PlanIncludedOn: calendar.NewDate(2024, 12, 31),
		ExpectedStartYear: 2026, NeedsImplPlan: true, ImplPlanDoneOn: calendar.NewDate(2025, 3, 3),
		CompletionOn: calendar.NewDate(2027, 6, 30), ExitGround: 2, ExitOn: calendar.NewDate(2027, 7, 1),
		ExitReason: "实施主体申请退出", RejectReason: "不符合国土空间规划",
		CreatedAt: t0, UpdatedAt: t0.Add(time.Hour),
	}
}

// diffProjects names the fields in which a and b differ (instants compared
// with Equal).
func diffProjects(a, b *gengxin.Project) []string {
	var out []string
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		fa, fb := va.Field(i).Interface(), vb.Field(i).Interface()
		if ta, ok := fa.(time.Time); ok {
			if !ta.Equal(fb.(time.Time)) {
				out = append(out, fmt.Sprintf("%s: %v vs %v", va.Type().Field(i).Name, fa, fb))
			}
			continue
		}
		if !reflect.DeepEqual(fa, fb) {
			out = append(out, fmt.Sprintf("%s: %#v vs %#v", va.Type().Field(i).Name, fa, fb))
		}
	}
	return out
}

func getProject(t *testing.T, db *store.DB, id int64) *gengxin.Project {
	t.Helper()
	p, err := db.Read(ctx).Project(id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProjectRoundTrip(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		var org, org2 int64
		tx(t, db, func(tx *store.Tx) (err error) {
			if org, err = tx.UpsertOrg("北京某某置业有限公司", "91110105MA01ABCD1X"); err != nil {
				return err
			}
			org2, err = tx.UpsertOrg("北京另一家有限公司", "91110108MA02XYHW1Y")
			return err
		})
		in := fullProject(org)
		// The fixture must set every field, so that each is round-tripped.
		v := reflect.ValueOf(in).Elem()
		for i := range v.NumField() {
			switch name := v.Type().Field(i).Name; name {
			case "ID", "Version", "Deadlines", "Events":
			default:
				if v.Field(i).IsZero() {
					t.Errorf("fixture leaves %s unset: extend fullProject", name)
				}
			}
		}
		tx(t, db, func(tx *store.Tx) error { return tx.InsertProject(in) })
		if in.ID == 0 || in.Version != 1 {
			t.Fatalf("after insert: ID %d, Version %d", in.ID, in.Version)
		}
		got := getProject(t, db, in.ID)
		if diff := diffProjects(in, got); diff != nil {
			t.Fatalf("insert/get round trip differs:\n%s", strings.Join(diff, "\n"))
		}

		// Update every field to another value: booleans to false, dates to
		// zero (NULL), the invited list to empty, decimals to new strings.
		up := *got
		up.Code, up.Name, up.Category, up.District = "GX-110108-2024-000001", "海淀区某小区综合整治", gengxin.Residential, "海淀区"
		up.Street, up.Address, up.Goal = "学院路街道", "海淀区学院路1号", "老旧小区综合整治"
		up.FundEstimateWan, up.LandAreaM2, up.BuildingAreaM2 = "0.0001", "123456789012345.678901", "0"
		up.EntityName, up.EntityUSCC, up.EntityRole, up.Contact = "北京另一家有限公司", "91110108MA02XYHW1Y", gengxin.Coordinator, "李四"
		up.Major, up.CrossDistrict, up.CompliesWithPlans, up.NeedsImplPlan = false, false, false, false
		up.OrgID, up.Source, up.ExternalRef = org2, gengxin.SourceOnline, ""
		up.Status, up.SubmittedAt, up.ReceivedOn = gengxin.StatusReserve, time.Time{}, calendar.Date{}
		up.ReviewRound, up.Invited = 0, nil
		up.NoticeNo, up.NoticeOn, up.NoticeCode, up.AdmittedOn = "", calendar.Date{}, "", calendar.NewDate(2024, 12, 2)
		up.IndustryDept, up.ConfirmationDoc, up.PromotedOn = "住房城乡建设", "", calendar.Date{}
		up.PlanYear, up.PlanIncludedOn, up.ExpectedStartYear = 0, calendar.Date{}, 0
		up.ImplPlanDoneOn, up.CompletionOn, up.ExitGround, up.ExitOn = calendar.Date{}, calendar.Date{}, 0, calendar.Date{}
		up.ExitReason, up.RejectReason = "", ""
		up.UpdatedAt = t0.Add(48 * time.Hour)
		tx(t, db, func(tx *store.Tx) error { return tx.UpdateProject(&up) })
		if up.Version != 2 {
			t.Fatalf("Version after update = %d, want 2", up.Version)
		}
		got2 := getProject(t, db, in.ID)
		if diff := diffProjects(&up, got2); diff != nil {
			t.Fatalf("update/get round trip differs:\n%s", strings.Join(diff, "\n"))
		}
		if !got2.CreatedAt.Equal(in.CreatedAt) {
			t.Errorf("CreatedAt changed on update")
		}

		// A stale version loses and writes nothing.
		stale := *got // Version 1
		stale.Name = "不应写入"
		err := db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateProject(&stale) })
		wantCode(t, err, gengxin.EConflict)
		if stale.Version != 1 {
			t.Errorf("a lost update moved Version to %d", stale.Version)
		}
		if diff := diffProjects(got2, getProject(t, db, in.ID)); diff != nil {
			t.Fatalf("a stale update wrote:\n%s", strings.Join(diff, "\n"))
		}

		// UpdateProjectFrom writes what differs from the project as read,
		// the contact sealed, under the same version guard.
		was := getProject(t, db, in.ID)
		asRead := *was
		var seen *gengxin.Project
		next := *was
		next.Status, next.Contact, next.Name, next.Invited = gengxin.StatusImplementation, "王五 13900000000", "改名后的项目", []string{"发展改革", "规划自然资源"}
		next.UpdatedAt = t0.Add(72 * time.Hour)
		tx(t, db, func(tx *store.Tx) error {
			var err error
			if seen, err = tx.ProjectAsRead(&asRead); err != nil {
				return err
			}
			return tx.UpdateProjectFrom(store.Snapshot(was), &next)
		})
		if seen != &asRead {
			t.Errorf("ProjectAsRead of an unchanged project read it again")
		}
		if next.Version != was.Version+1 {
			t.Errorf("Version after UpdateProjectFrom = %d, want %d", next.Version, was.Version+1)
		}
		got3 := getProject(t, db, in.ID)
		if diff := diffProjects(&next, got3); diff != nil {
			t.Fatalf("UpdateProjectFrom/get round trip differs:\n%s", strings.Join(diff, "\n"))
		}
		// Read before that update, the project is read again.
		tx(t, db, func(tx *store.Tx) error {
			var err error
			seen, err = tx.ProjectAsRead(&asRead)
			return err
		})
		if seen == &asRead || seen.Version != got3.Version || seen.Name != "改名后的项目" {
			t.Errorf("ProjectAsRead of a changed project = v%d %q, want the stored v%d", seen.Version, seen.Name, got3.Version)
		}
		// From a stale read: a conflict, nothing written.
		staleNext := *was
		staleNext.Name = "不应写入"
		err = db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateProjectFrom(store.Snapshot(was), &staleNext) })
		wantCode(t, err, gengxin.EConflict)
		if diff := diffProjects(got3, getProject(t, db, in.ID)); diff != nil {
			t.Fatalf("a stale UpdateProjectFrom wrote:\n%s", strings.Join(diff, "\n"))
		}
		// Nothing changed: only the version and time move.
		same := *got3
		same.UpdatedAt = t0.Add(96 * time.Hour)
		tx(t, db, func(tx *store.Tx) error { return tx.UpdateProjectFrom(store.Snapshot(got3), &same) })
		if diff := diffProjects(&same, getProject(t, db, in.ID)); diff != nil {
			t.Fatalf("an empty UpdateProjectFrom differs:\n%s", strings.Join(diff, "\n"))
		}
		// The pair must be the same project at the same version.
		other := same
		other.Version++
		if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.UpdateProjectFrom(store.Snapshot(got3), &other) }); err == nil {
			t.Error("UpdateProjectFrom accepted a pair of different versions")
		}

		_, err = db.Read(ctx).Project(in.ID + 1000)
		wantCode(t, err, gengxin.ENotFound)
	})
}

func TestInsertProjectImportRefUnique(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		mk := func(district, ref string) *gengxin.Project {
			return &gengxin.Project{Name: "导入项目", Category: gengxin.Industrial, District: district, Source: gengxin.SourceImport,
				ExternalRef: ref, Status: gengxin.StatusSubmitted, CreatedAt: t0, UpdatedAt: t0}
		}
		first := mk("朝阳区", "朝发改〔2024〕88号")
		tx(t, db, func(tx *store.Tx) error { return tx.InsertProject(first) })
		err := db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertProject(mk("朝阳区", "朝发改〔2024〕88号")) })
		wantCode(t, err, gengxin.EConflict)
		// The same reference in another district, and projects without a
		// reference, are not conflicts.
		tx(t, db, func(tx *store.Tx) error {
			for _, p := range []*gengxin.Project{mk("海淀区", "朝发改〔2024〕88号"), mk("朝阳区", ""), mk("朝阳区", "")} {
				if err := tx.InsertProject(p); err != nil {
					return err
				}
			}
			return nil
		})
		p, err := db.Read(ctx).ProjectByImportRef("朝阳区", "朝发改〔2024〕88号")
		if err != nil || p.ID != first.ID {
			t.Fatalf("ProjectByImportRef = %v, %v; want project %d", p, err, first.ID)
		}
		_, err = db.Read(ctx).ProjectByImportRef("朝阳区", "没有这个文号")
		wantCode(t, err, gengxin.ENotFound)
		_, total, err := db.Read(ctx).Projects(store.ProjectFilter{})
		if err != nil || total != 4 {
			t.Fatalf("total = %d, %v; want 4 (the conflicting insert must leave nothing)", total, err)
		}
	})
}

// corpus is the fixture of the list and search tests.
type corpus struct {
	db            *store.DB
	orgA, orgB    int64
	factory       int64 // 老旧厂房更新改造项目, 朝阳区, reserve
	draft         int64 // 朝阳区 draft of orgA
	haidian       int64 // 海淀区 submitted, orgB, open deadline due 2024-10-10
	planned       int64 // 海淀区 implementation, plan 2025, 发展改革
	exited        int64 // 东城区 exited
	percent, unde int64 // names with % and _
}

func newCorpus(t *testing.T, d store.Dialect) *corpus {
	t.Helper()
	c := &corpus{db: storetest.Open(t, d)}
	add := func(tx *store.Tx, p *gengxin.Project) int64 {
		p.CreatedAt, p.UpdatedAt = t0, t0
		if p.Source == "" {
			p.Source = gengxin.SourceOnline
		}
		if err := tx.InsertProject(p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	tx(t, c.db, func(tx *store.Tx) error {
		var err error
		if c.orgA, err = tx.UpsertOrg("北京某某置业有限公司", "91110105MA01ABCD1X"); err != nil {
			return err
		}
		if c.orgB, err = tx.UpsertOrg("北京另一家有限公司", "91110108MA02XYHW1Y"); err != nil {
			return err
		}
		c.factory = add(tx, &gengxin.Project{Name: "老旧厂房更新改造项目", Category: gengxin.Industrial, District: "朝阳区",
			Address: "朝阳区酒仙桥路10号", EntityName: "北京某某置业有限公司", OrgID: c.orgA, Status: gengxin.StatusReserve,
			IndustryDept: "经济和信息化"})
		c.draft = add(tx, &gengxin.Project{Name: "三里屯平房院落更新", Category: gengxin.Residential, District: "朝阳区",
			Address: "朝阳区三里屯路1号", EntityName: "北京某某置业有限公司", OrgID: c.orgA, Status: gengxin.StatusDraft})
		c.haidian = add(tx, &gengxin.Project{Name: "学院路小区综合整治", Category: gengxin.Residential, District: "海淀区",
			Address: "海淀区学院路1号", EntityName: "北京另一家有限公司", OrgID: c.orgB, Status: gengxin.StatusSubmitted})
		c.planned = add(tx, &gengxin.Project{Name: "中关村公共服务设施提升", Category: gengxin.Facility, District: "海淀区",
			Address: "海淀区中关村大街27号", EntityName: "北京另一家有限公司", OrgID: c.orgB, Status: gengxin.StatusImplementation,
			IndustryDept: "发展改革", PlanYear: 2025, Source: gengxin.SourceImport, ExternalRef: "海发改〔2024〕1号"})
		c.exited = add(tx, &gengxin.Project{Name: "东城区口袋公园", Category: gengxin.PublicSpace, District: "东城区",
			Address: "东城区东四北大街", EntityName: "北京东城城市更新公司", Status: gengxin.StatusExited, IndustryDept: "城市管理"})
		c.percent = add(tx, &gengxin.Project{Name: "容积率提高5%的试点项目", Category: gengxin.Industrial, District: "西城区",
			Address: "西城区金融街", EntityName: "北京西城建设公司", Status: gengxin.StatusSubmitted})
		c.unde = add(tx, &gengxin.Project{Name: "A_B地块更新", Category: gengxin.Industrial, District: "西城区",
			Address: "西城区广安门内", EntityName: "北京西城建设公司", Status: gengxin.StatusSubmitted})

		dl := func(pid int64, due, status string) error {
			return tx.InsertDeadline(pid, &gengxin.Deadline{Kind: gengxin.DeadlineJointReview, StartOn: calendar.NewDate(2024, 9, 1),
				Amount: 10, Unit: "working_days", Due: calendar.MustParseDate(due), Citation: "京建法〔2024〕2号 第十条(二)", Status: status, Round: 1})
		}
		if err := dl(c.factory, "2024-09-15", gengxin.DeadlineOverdue); err != nil {
			return err
		}
		if err := dl(c.haidian, "2024-10-10", gengxin.DeadlineOpen); err != nil {
			return err
		}
		if err := dl(c.planned, "2024-09-01", gengxin.DeadlineMet); err != nil {
			return err
		}
		return dl(c.exited, "2024-08-01", gengxin.DeadlineStopped)
	})
	return c
}

func (c *corpus) ids(t *testing.T, f store.ProjectFilter) ([]int64, int) {
	t.Helper()
	ps, total, err := c.db.Read(ctx).Projects(f)
	if err != nil {
		t.Fatalf("Projects(%+v): %v", f, err)
	}
	var ids []int64
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	return ids, total
}

// desc sorts ids newest first, the order of Projects.
func desc(ids ...int64) []int64 {
	slices.Sort(ids)
	slices.Reverse(ids)
	return ids
}

func TestProjectsFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		c := newCorpus(t, d)
		all := desc(c.factory, c.draft, c.haidian, c.planned, c.exited, c.percent, c.unde)
		cases := []struct {
			name string
			f    store.ProjectFilter
			want []int64
		}{
			{"none", store.ProjectFilter{PerPage: 100}, all},
			{"district", store.ProjectFilter{District: "海淀区"}, desc(c.haidian, c.planned)},
			{"district-unknown", store.ProjectFilter{District: "火星区"}, nil},
			{"status-one", store.ProjectFilter{Status: []gengxin.Status{gengxin.StatusReserve}}, desc(c.factory)},
			{"status-list", store.ProjectFilter{Status: []gengxin.Status{gengxin.StatusReserve, gengxin.StatusImplementation, gengxin.StatusExited}},
				desc(c.factory, c.planned, c.exited)},
			{"category", store.ProjectFilter{Category: string(gengxin.Residential)}, desc(c.draft, c.haidian)},
			{"scope-districts", store.ProjectFilter{Districts: []string{"朝阳区", "东城区"}}, desc(c.factory, c.draft, c.exited)},
			{"scope-districts-empty-sees-nothing", store.ProjectFilter{Districts: []string{}}, nil},
			{"scope-org", store.ProjectFilter{OrgID: c.orgA}, desc(c.factory, c.draft)},
			{"scope-exclude-drafts", store.ProjectFilter{ExcludeDrafts: true, District: "朝阳区"}, desc(c.factory)},
			{"scope-and-district-disjoint", store.ProjectFilter{Districts: []string{"朝阳区"}, District: "海淀区"}, nil},
			{"overdue-on-2024-10-01", store.ProjectFilter{OverdueOn: calendar.NewDate(2024, 10, 1)}, desc(c.factory)},
			{"overdue-on-due-day-is-not-overdue", store.ProjectFilter{OverdueOn: calendar.NewDate(2024, 10, 10)}, desc(c.factory)},
			{"overdue-on-2024-10-11", store.ProjectFilter{OverdueOn: calendar.NewDate(2024, 10, 11)}, desc(c.factory, c.haidian)},
			{"plan-year", store.ProjectFilter{PlanYear: 2025}, desc(c.planned)},
			{"plan-year-other", store.ProjectFilter{PlanYear: 2024}, nil},
			{"dept", store.ProjectFilter{Dept: "发展改革"}, desc(c.planned)},
			{"dept-and-district", store.ProjectFilter{Dept: "经济和信息化", District: "朝阳区"}, desc(c.factory)},
			{"source", store.ProjectFilter{Source: gengxin.SourceImport}, desc(c.planned)},
			{"combined", store.ProjectFilter{Districts: []string{"海淀区"}, OrgID: c.orgB, ExcludeDrafts: true,
				Status: []gengxin.Status{gengxin.StatusSubmitted}, Category: string(gengxin.Residential)}, desc(c.haidian)},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, total := c.ids(t, tc.f)
				if !slices.Equal(got, tc.want) {
					t.Errorf("ids = %v, want %v", got, tc.want)
				}
				if total != len(tc.want) {
					t.Errorf("total = %d, want %d", total, len(tc.want))
				}
				counts, err := c.db.Read(ctx).CountByStatus(tc.f)
				if err != nil {
					t.Fatal(err)
				}
				sum := 0
				for _, n := range counts {
					sum += n
				}
				if sum != len(tc.want) {
					t.Errorf("CountByStatus sums to %d, want %d", sum, len(tc.want))
				}
				ids, err := c.db.Read(ctx).ProjectIDs(tc.f)
				if err != nil {
					t.Fatal(err)
				}
				asc := slices.Clone(tc.want)
				slices.Sort(asc)
				if !slices.Equal(ids, asc) {
					t.Errorf("ProjectIDs = %v, want %v", ids, asc)
				}
			})
		}
	})
}

func TestProjectsPaging(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		c := newCorpus(t, d)
		all := desc(c.factory, c.draft, c.haidian, c.planned, c.exited, c.percent, c.unde)
		var seen []int64
		for page := 1; page <= 4; page++ {
			got, total := c.ids(t, store.ProjectFilter{Page: page, PerPage: 2})
			if total != len(all) {
				t.Errorf("page %d: total = %d, want %d", page, total, len(all))
			}
			lo, hi := min((page-1)*2, len(all)), min(page*2, len(all))
			if !slices.Equal(got, all[lo:hi]) {
				t.Errorf("page %d = %v, want %v", page, got, all[lo:hi])
			}
			seen = append(seen, got...)
		}
		if !slices.Equal(seen, all) {
			t.Errorf("pages together = %v, want %v", seen, all)
		}
		// Page 0 is page 1; PerPage is bounded.
		got, _ := c.ids(t, store.ProjectFilter{Page: 0, PerPage: 2})
		if !slices.Equal(got, all[:2]) {
			t.Errorf("page 0 = %v, want %v", got, all[:2])
		}
		got, _ = c.ids(t, store.ProjectFilter{PerPage: store.MaxPerPage * 10})
		if !slices.Equal(got, all) {
			t.Errorf("huge PerPage = %v, want %v", got, all)
		}
	})
}

func TestProjectsChineseSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		c := newCorpus(t, d)
		cases := []struct {
			q    string
			want []int64
		}{
			{"厂房更新", desc(c.factory)},          // in the name, ≥3 characters
			{"老旧厂房更新改造项目", desc(c.factory)},    // the whole name
			{"酒仙桥", desc(c.factory)},           // by address
			{"厂房", desc(c.factory)},            // 2 characters (LIKE path)
			{"桥", desc(c.factory)},             // 1 character
			{"置业有限", desc(c.factory, c.draft)}, // by entity
			{"  酒仙桥  ", desc(c.factory)},       // trimmed
			{"海淀区", desc(c.haidian, c.planned)},
			{"%", desc(c.percent)}, // literal, not a wildcard
			{"5%", desc(c.percent)},
			{"5%的", desc(c.percent)},
			{"_", desc(c.unde)}, // literal, not a wildcard
			{"A_B", desc(c.unde)},
			{"A_B地块", desc(c.unde)},
			{"厂_", nil},
			{"厂%更新", nil},
			{"不存在的项目名称", nil},
			{`"`, nil},
			{`'`, nil},
			{`厂房"更新`, nil},
			{`"厂房更新"`, nil},
			{`'厂房更新'`, nil},
			{`老旧' OR '1'='1`, nil},
			{`\`, nil},
			{`厂房 OR 学院`, nil},
			{`NEAR(厂房 学院)`, nil},
			{`厂房*`, nil},
			{`-厂房`, nil},
			{`name:厂房`, nil},
			{`(厂房)`, nil},
		}
		for _, tc := range cases {
			t.Run(tc.q, func(t *testing.T) {
				got, total := c.ids(t, store.ProjectFilter{Q: tc.q})
				if !slices.Equal(got, tc.want) || total != len(tc.want) {
					t.Errorf("Q=%q: ids %v (total %d), want %v", tc.q, got, total, tc.want)
				}
			})
		}
		// The index follows a rename.
		tx(t, c.db, func(tx *store.Tx) error {
			p, err := tx.Project(c.factory)
			if err != nil {
				return err
			}
			p.Name = "首钢园区工业遗存活化项目"
			return tx.UpdateProject(p)
		})
		if got, _ := c.ids(t, store.ProjectFilter{Q: "厂房更新"}); got != nil {
			t.Errorf("after rename, 厂房更新 still finds %v", got)
		}
		if got, _ := c.ids(t, store.ProjectFilter{Q: "工业遗存"}); !slices.Equal(got, []int64{c.factory}) {
			t.Errorf("after rename, 工业遗存 finds %v, want [%d]", got, c.factory)
		}
		// Search within scope.
		if got, _ := c.ids(t, store.ProjectFilter{Q: "置业有限", ExcludeDrafts: true}); !slices.Equal(got, []int64{c.factory}) {
			t.Errorf("search with ExcludeDrafts = %v, want [%d]", got, c.factory)
		}
	})
}

// ---------------------------------------------------------------- events

// appendEvents appends n events over two projects and returns them.
func appendEvents(t *testing.T, db *store.DB, n int) []gengxin.Event {
	t.Helper()
	db.SetKeyring(testKey)
	var out []gengxin.Event
	for i := range n {
		e := gengxin.Event{ProjectID: int64(1 + i%2), At: t0.Add(time.Duration(i) * time.Minute).Add(789 * time.Nanosecond),
			ActorID: int64(10 + i), Actor: "朝阳区城市更新主管部门", Role: "district_renewal", Action: "admit",
			Citation: "京建法〔2024〕2号 第十条(三)", From: gengxin.StatusInReview, To: gengxin.StatusReserve,
			Summary: fmt.Sprintf("第%d个事件：纳入储备项目库", i+1), Data: fmt.Sprintf(`{"n":%d,"text":"中文"}`, i)}
		tx(t, db, func(tx *store.Tx) error { return tx.AppendEvent(&e) })
		if e.ID == 0 || len(e.Hash) != 64 {
			t.Fatalf("AppendEvent left ID %d, Hash %q", e.ID, e.Hash)
		}
		out = append(out, e)
	}
	return out
}

func verify(t *testing.T, db *store.DB) (int, *store.ChainBreak) {
	t.Helper()
	n, brk, err := db.Read(ctx).VerifyChain(testKey)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	return n, brk
}

func TestEventChain(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		if n, brk := verify(t, db); n != 0 || brk != nil {
			t.Fatalf("empty chain: %d, %+v", n, brk)
		}
		evs := appendEvents(t, db, 5)
		prev := ""
		for i, e := range evs {
			if e.ID != int64(i+1) {
				t.Errorf("event %d has id %d", i+1, e.ID)
			}
			if want := gengxin.EventMAC(testKey, prev, e); e.Hash != want {
				t.Errorf("event %d: hash %s, want %s", e.ID, e.Hash, want)
			}
			prev = e.Hash
		}
		if n, brk := verify(t, db); n != 5 || brk != nil {
			t.Fatalf("VerifyChain = %d, %+v; want 5, nil", n, brk)
		}
		stored, err := db.Read(ctx).Events(1)
		if err != nil {
			t.Fatal(err)
		}
		var want []gengxin.Event
		for _, e := range evs {
			if e.ProjectID == 1 {
				want = append(want, e)
			}
		}
		if len(stored) != len(want) {
			t.Fatalf("Events(1) = %d events, want %d", len(stored), len(want))
		}
		for i := range want {
			if !stored[i].At.Equal(want[i].At) {
				t.Errorf("event %d: At %v, want %v", want[i].ID, stored[i].At, want[i].At)
			}
			stored[i].At = want[i].At
			if !reflect.DeepEqual(stored[i], want[i]) {
				t.Errorf("event %d round trip:\n got %+v\nwant %+v", want[i].ID, stored[i], want[i])
			}
		}
		// A failed transaction leaves the chain as it was.
		boom := fmt.Errorf("boom")
		err = db.Tx(ctx, func(tx *store.Tx) error {
			e := gengxin.Event{ProjectID: 1, At: t0, Actor: "x", Role: "x", Action: "x"}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("Tx = %v, want boom", err)
		}
		more := appendEvents(t, db, 1)
		if n, brk := verify(t, db); n != 6 || brk != nil {
			t.Fatalf("after a rolled-back append: VerifyChain = %d, %+v (new event %d)", n, brk, more[0].ID)
		}
	})
}

func TestEventChainConcurrentAppends(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		const workers, each = 8, 5
		db.SetKeyring(testKey)
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					e := gengxin.Event{ProjectID: int64(w + 1), At: t0, Actor: fmt.Sprintf("用户%d", w), Role: "applicant",
						Action: "submit", Summary: fmt.Sprintf("%d-%d", w, i)}
					if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.AppendEvent(&e) }); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent AppendEvent: %v", err)
		}
		if n, brk := verify(t, db); n != workers*each || brk != nil {
			t.Fatalf("VerifyChain = %d, %+v; want %d, nil", n, brk, workers*each)
		}
	})
}

func TestEventsAppendOnly(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, raw := openWithRaw(t, d)
		appendEvents(t, db, 3)
		if _, err := raw.ExecContext(ctx, `UPDATE events SET summary = 'x' WHERE id = 2`); err == nil {
			t.Error("UPDATE on events succeeded with the append-only trigger in place")
		}
		if _, err := raw.ExecContext(ctx, `DELETE FROM events WHERE id = 3`); err == nil {
			t.Error("DELETE on events succeeded with the append-only trigger in place")
		}
		if n, brk := verify(t, db); n != 3 || brk != nil {
			t.Fatalf("VerifyChain = %d, %+v; want 3, nil", n, brk)
		}
	})
}

const eventContent = `project_id, at, actor_id, actor, role, action, citation, from_status, to_status, summary, data, prev_hash, hash`

// TestVerifyChainNamesFirstBrokenEvent tampers with the stored events as an
// attacker with database access would (dropping the append-only triggers
// first) and checks that VerifyChain names the first broken event.
func TestVerifyChainNamesFirstBrokenEvent(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, raw *rawDB, evs []gengxin.Event)
		want   int64
	}{
		{"edited-summary", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `UPDATE events SET summary = ? WHERE id = 3`, "不予入库（已篡改）")
		}, 3},
		{"edited-at", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `UPDATE events SET at = ? WHERE id = 2`, "2023-01-01T00:00:00.000000Z")
		}, 2},
		{"edited-and-rehashed-without-the-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// An attacker without the key can compute the unkeyed SM3 hash
			// or a MAC under a guessed key, neither of which is the MAC.
			e := evs[2]
			e.Summary = "不予入库（已篡改）"
			raw.exec(t, `UPDATE events SET summary = ?, hash = ? WHERE id = 3`, e.Summary, gengxin.EventHash(evs[1].Hash, e))
		}, 3},
		{"edited-and-remaced-with-another-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			e := evs[2]
			e.Summary = "不予入库（已篡改）"
			raw.exec(t, `UPDATE events SET summary = ?, hash = ? WHERE id = 3`, e.Summary, gengxin.EventMAC(otherKey, evs[1].Hash, e))
		}, 3},
		{"edited-and-remaced-with-the-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// Even with the key, the edited event's MAC no longer matches
			// the following event's prev_hash unless the rest is rewritten.
			e := evs[2]
			e.Summary = "不予入库（已篡改）"
			raw.exec(t, `UPDATE events SET summary = ?, hash = ? WHERE id = 3`, e.Summary, gengxin.EventMAC(testKey, evs[1].Hash, e))
		}, 4},
		{"edited-result", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `UPDATE events SET result = 'failure' WHERE id = 4`)
		}, 4},
		{"edited-source", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `UPDATE events SET source = '10.0.0.1' WHERE id = 1`)
		}, 1},
		{"whole-chain-rewritten-with-another-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			prev := ""
			for _, e := range evs {
				e.Summary += "（改）"
				mac := gengxin.EventMAC(otherKey, prev, e)
				raw.exec(t, `UPDATE events SET summary = ?, prev_hash = ?, hash = ? WHERE id = ?`, e.Summary, prev, mac, e.ID)
				prev = mac
			}
			raw.exec(t, `UPDATE chain_head SET hash = ?, mac = ? WHERE id = 1`, prev, otherKey.MAC(prev, gengxin.ChainHeadCanonical(5, 1)))
		}, 1},
		{"downgraded-to-unkeyed", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// The attacker declares every event pre-migration (keyed_from)
			// and rewrites the chain with public SM3: the head's MAC covers
			// keyed_from and cannot be redone without the key.
			prev := ""
			for _, e := range evs {
				e.Summary += "（改）"
				h := gengxin.EventHash(prev, e)
				raw.exec(t, `UPDATE events SET summary = ?, prev_hash = ?, hash = ? WHERE id = ?`, e.Summary, prev, h, e.ID)
				prev = h
			}
			raw.exec(t, `UPDATE chain_head SET hash = ?, keyed_from = 100 WHERE id = 1`, prev)
		}, 6},
		{"head-rewritten-without-the-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// Cutting the tail and moving the head back to event 4.
			raw.exec(t, `DELETE FROM events WHERE id = 5`)
			raw.exec(t, `UPDATE chain_head SET hash = ?, last_id = 4 WHERE id = 1`, evs[3].Hash)
		}, 5},
		{"head-remaced-with-another-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			raw.exec(t, `DELETE FROM events WHERE id = 5`)
			raw.exec(t, `UPDATE chain_head SET hash = ?, last_id = 4, mac = ? WHERE id = 1`, evs[3].Hash, otherKey.MAC(evs[3].Hash, gengxin.ChainHeadCanonical(4, 1)))
		}, 5},
		{"head-mac-erased", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `UPDATE chain_head SET mac = '' WHERE id = 1`)
		}, 6},
		{"deleted-middle-event", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `DELETE FROM events WHERE id = 3`)
		}, 4},
		{"deleted-first-event", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `DELETE FROM events WHERE id = 1`)
		}, 2},
		{"deleted-last-event", func(t *testing.T, raw *rawDB, _ []gengxin.Event) {
			raw.exec(t, `DELETE FROM events WHERE id = 5`)
		}, 5},
		{"swapped-contents", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// Reordering: events 2 and 3 exchange everything but their ids.
			swap := func(id int64, e gengxin.Event, prev string) {
				raw.exec(t, `UPDATE events SET project_id = ?, at = ?, actor_id = ?, actor = ?, role = ?, action = ?, citation = ?,
 from_status = ?, to_status = ?, summary = ?, data = ?, prev_hash = ?, hash = ? WHERE id = ?`,
					e.ProjectID, e.At.UTC().Format(gengxin.TimeLayout), e.ActorID, e.Actor, e.Role, e.Action, e.Citation,
					string(e.From), string(e.To), e.Summary, e.Data, prev, e.Hash, id)
			}
			swap(2, evs[2], evs[1].Hash)
			swap(3, evs[1], evs[0].Hash)
		}, 2},
		{"swapped-summaries", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			raw.exec(t, `UPDATE events SET summary = ? WHERE id = 2`, evs[2].Summary)
			raw.exec(t, `UPDATE events SET summary = ? WHERE id = 3`, evs[1].Summary)
		}, 2},
		{"inserted-forged-event-in-the-middle", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			raw.exec(t, `UPDATE events SET id = id + 1000 WHERE id >= 3`)
			raw.exec(t, `UPDATE events SET id = id - 999 WHERE id >= 1000`)
			raw.exec(t, `INSERT INTO events (id, `+eventContent+`) VALUES (3, 1, ?, 0, '朝阳区城市更新主管部门', 'district_renewal', 'admit', '', 'in_review', 'reserve', '纳入储备项目库（伪造）', '', ?, ?)`,
				t0.Format(gengxin.TimeLayout), evs[1].Hash, strings.Repeat("ab", 32))
		}, 3},
		{"appended-forged-event", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// A forged event that follows the chain with the public SM3
			// hash, without moving the chain head: the forged event is the break.
			f := gengxin.Event{ID: 6, ProjectID: 1, At: t0.Add(time.Hour), Actor: "朝阳区城市更新主管部门", Role: "district_renewal",
				Action: "admit", From: gengxin.StatusInReview, To: gengxin.StatusReserve, Summary: "纳入储备项目库（伪造）"}
			f.Hash = gengxin.EventHash(evs[4].Hash, f)
			raw.exec(t, `INSERT INTO events (id, `+eventContent+`) VALUES (?, ?, ?, 0, ?, ?, ?, '', ?, ?, ?, '', ?, ?)`,
				f.ID, f.ProjectID, f.At.Format(gengxin.TimeLayout), f.Actor, f.Role, f.Action, string(f.From), string(f.To), f.Summary, evs[4].Hash, f.Hash)
		}, 6},
		{"appended-forged-event-with-the-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			// Even a correct MAC appended without moving the (keyed) head.
			f := gengxin.Event{ID: 6, ProjectID: 1, At: t0.Add(time.Hour), Actor: "朝阳区城市更新主管部门", Role: "district_renewal",
				Action: "admit", From: gengxin.StatusInReview, To: gengxin.StatusReserve, Summary: "纳入储备项目库（伪造）"}
			f.Hash = gengxin.EventMAC(testKey, evs[4].Hash, f)
			raw.exec(t, `INSERT INTO events (id, `+eventContent+`) VALUES (?, ?, ?, 0, ?, ?, ?, '', ?, ?, ?, '', ?, ?)`,
				f.ID, f.ProjectID, f.At.Format(gengxin.TimeLayout), f.Actor, f.Role, f.Action, string(f.From), string(f.To), f.Summary, evs[4].Hash, f.Hash)
		}, 6},
		{"appended-forged-event-moving-the-head-without-the-key", func(t *testing.T, raw *rawDB, evs []gengxin.Event) {
			f := gengxin.Event{ID: 6, ProjectID: 1, At: t0.Add(time.Hour), Actor: "朝阳区城市更新主管部门", Role: "district_renewal",
				Action: "admit", From: gengxin.StatusInReview, To: gengxin.StatusReserve, Summary: "纳入储备项目库（伪造）"}
			f.Hash = gengxin.EventMAC(otherKey, evs[4].Hash, f)
			raw.exec(t, `INSERT INTO events (id, `+eventContent+`) VALUES (?, ?, ?, 0, ?, ?, ?, '', ?, ?, ?, '', ?, ?)`,
				f.ID, f.ProjectID, f.At.Format(gengxin.TimeLayout), f.Actor, f.Role, f.Action, string(f.From), string(f.To), f.Summary, evs[4].Hash, f.Hash)
			raw.exec(t, `UPDATE chain_head SET hash = ?, last_id = 6 WHERE id = 1`, f.Hash)
		}, 6},
	}
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				db, raw := openWithRaw(t, d)
				evs := appendEvents(t, db, 5)
				if _, brk := verify(t, db); brk != nil {
					t.Fatalf("intact chain reported broken: %+v", brk)
				}
				raw.dropAppendOnly(t)
				tc.tamper(t, raw, evs)
				_, brk := verify(t, db)
				if brk == nil {
					t.Fatal("VerifyChain accepted a tampered chain")
				}
				if brk.EventID != tc.want || brk.Reason == "" || !hasHan(brk.Reason) {
					t.Errorf("VerifyChain break = %+v, want event %d with a Chinese reason", brk, tc.want)
				}
			})
		}
	})
}

// TestAppendEventNeedsKey: without a keyring nothing can be recorded, and
// so nothing can be changed.
func TestAppendEventNeedsKey(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	err := db.Tx(ctx, func(tx *store.Tx) error {
		return tx.AppendEvent(&gengxin.Event{At: t0, Actor: "x", Role: "x", Action: "x"})
	})
	if err == nil {
		t.Fatal("AppendEvent without a keyring succeeded")
	}
}

// TestVerifyChainWrongKey: verifying with another key fails on the first
// record; with the right key the same chain verifies.
func TestVerifyChainWrongKey(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		appendEvents(t, db, 3)
		n, brk, err := db.Read(ctx).VerifyChain(otherKey)
		if err != nil || brk == nil || brk.EventID != 1 || n != 1 {
			t.Fatalf("VerifyChain(wrong key) = %d, %+v, %v; want a break at event 1", n, brk, err)
		}
		if n, brk := verify(t, db); n != 3 || brk != nil {
			t.Fatalf("VerifyChain(right key) = %d, %+v", n, brk)
		}
	})
}

// TestVerifyChainLegacyPrefix: events written before migration 003 keep
// their unkeyed SM3 hashes; the head is unsigned until AnchorChain, after
// which the keyed chain continues from them.
func TestVerifyChainLegacyPrefix(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, raw := openWithRaw(t, d)
		prev := ""
		for i := int64(1); i <= 2; i++ {
			e := gengxin.Event{ID: i, ProjectID: 1, At: t0, Actor: "系统", Role: "system", Action: "demo-load", Summary: fmt.Sprint("旧事件", i)}
			e.Hash = gengxin.EventHash(prev, e)
			raw.exec(t, `INSERT INTO events (id, `+eventContent+`) VALUES (?, ?, ?, 0, ?, ?, ?, '', '', '', ?, '', ?, ?)`,
				e.ID, e.ProjectID, e.At.Format(gengxin.TimeLayout), e.Actor, e.Role, e.Action, e.Summary, prev, e.Hash)
			prev = e.Hash
		}
		if d == store.Postgres {
			raw.exec(t, `SELECT setval(pg_get_serial_sequence('events', 'id'), 2)`)
		}
		raw.exec(t, `UPDATE chain_head SET hash = ?, last_id = 2, keyed_from = 3, mac = '' WHERE id = 1`, prev)
		if _, brk := verify(t, db); brk == nil || brk.EventID != 3 {
			t.Fatalf("unsigned head: break %+v, want at 3", brk)
		}
		tx(t, db, func(tx *store.Tx) error { return tx.AnchorChain(testKey) })
		if n, brk := verify(t, db); n != 2 || brk != nil {
			t.Fatalf("anchored legacy chain: %d, %+v", n, brk)
		}
		appendEvents(t, db, 2)
		if n, brk := verify(t, db); n != 4 || brk != nil {
			t.Fatalf("legacy + keyed chain: %d, %+v", n, brk)
		}
		// The legacy events are still covered: editing one breaks the chain.
		raw.dropAppendOnly(t)
		raw.exec(t, `UPDATE events SET summary = '改' WHERE id = 2`)
		if _, brk := verify(t, db); brk == nil || brk.EventID != 2 {
			t.Fatalf("edited legacy event: break %+v, want at 2", brk)
		}
	})
}

// ---------------------------------------------------------------- counters

func TestNextCounterConcurrent(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		const workers, each = 8, 10
		var mu sync.Mutex
		var got []int
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range each {
					var v int
					err := db.Tx(ctx, func(tx *store.Tx) (err error) {
						v, err = tx.NextCounter("朝更新储-2024")
						return err
					})
					if err != nil {
						t.Errorf("NextCounter: %v", err)
						return
					}
					mu.Lock()
					got = append(got, v)
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		slices.Sort(got)
		for i, v := range got {
			if v != i+1 {
				t.Fatalf("counter values %v are not 1..%d without duplicates", got, workers*each)
			}
		}
		if len(got) != workers*each {
			t.Fatalf("%d values, want %d", len(got), workers*each)
		}
		// Counters are independent, and a rolled-back increment is not used.
		var other int
		tx(t, db, func(tx *store.Tx) (err error) { other, err = tx.NextCounter("海更新储-2024"); return err })
		if other != 1 {
			t.Errorf("a second counter starts at %d, want 1", other)
		}
		db.Tx(ctx, func(tx *store.Tx) error { tx.NextCounter("海更新储-2024"); return fmt.Errorf("rollback") })
		tx(t, db, func(tx *store.Tx) (err error) { other, err = tx.NextCounter("海更新储-2024"); return err })
		if other != 2 {
			t.Errorf("after a rolled-back increment the counter gives %d, want 2", other)
		}
	})
}

// ---------------------------------------------------------------- users and sessions

func TestUsersAndSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		u := &gengxin.User{Username: "cy-jx", DisplayName: "王五", Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "经济和信息化", PasswordHash: "pbkdf2$x"}
		var co *gengxin.User
		tx(t, db, func(tx *store.Tx) error {
			if err := tx.InsertUser(u, t0); err != nil {
				return err
			}
			org, err := tx.UpsertOrg("北京某某置业有限公司", "91110105MA01ABCD1X")
			if err != nil {
				return err
			}
			co = &gengxin.User{Username: "co", Role: gengxin.RoleApplicant, OrgID: org, PasswordHash: "h"}
			return tx.InsertUser(co, t0)
		})
		got, err := db.Read(ctx).UserByName("cy-jx")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, u) {
			t.Errorf("UserByName = %+v, want %+v", got, u)
		}
		gotCo, err := db.Read(ctx).User(co.ID)
		if err != nil || gotCo.OrgName != "北京某某置业有限公司" || gotCo.OrgUSCC != "91110105MA01ABCD1X" {
			t.Errorf("User(applicant) = %+v, %v", gotCo, err)
		}
		_, err = db.Read(ctx).UserByName("nobody")
		wantCode(t, err, gengxin.ENotFound)

		dup := &gengxin.User{Username: "cy-jx", Role: gengxin.RoleExpert, PasswordHash: "h"}
		err = db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertUser(dup, t0) })
		wantCode(t, err, gengxin.EConflict)
		if msg := gengxin.ErrorMessage(err); !hasHan(msg) || !strings.Contains(msg, "cy-jx") {
			t.Errorf("duplicate username message %q should be Chinese and name the username", msg)
		}
		users, err := db.Read(ctx).Users()
		if err != nil || len(users) != 2 {
			t.Fatalf("Users = %d, %v; want 2", len(users), err)
		}

		s := &store.Session{TokenHash: "abc123", UserID: u.ID, CSRF: "csrf-token", Kind: "cookie",
			CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(8 * time.Hour)}
		tx(t, db, func(tx *store.Tx) error { return tx.InsertSession(s) })
		gs, err := db.Read(ctx).SessionByHash("abc123")
		if err != nil {
			t.Fatal(err)
		}
		if gs.UserID != s.UserID || gs.CSRF != s.CSRF || gs.Kind != s.Kind || !gs.CreatedAt.Equal(s.CreatedAt) ||
			!gs.LastSeen.Equal(s.LastSeen) || !gs.ExpiresAt.Equal(s.ExpiresAt) {
			t.Errorf("SessionByHash = %+v, want %+v", gs, s)
		}
		if err := db.Read(ctx).TouchSession("abc123", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if gs, _ := db.Read(ctx).SessionByHash("abc123"); !gs.LastSeen.Equal(t0.Add(time.Hour)) {
			t.Errorf("LastSeen after touch = %v", gs.LastSeen)
		}
		err = db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertSession(s) })
		wantCode(t, err, gengxin.EConflict)
		if err := db.Read(ctx).DeleteSession("abc123"); err != nil {
			t.Fatal(err)
		}
		_, err = db.Read(ctx).SessionByHash("abc123")
		wantCode(t, err, gengxin.EUnauthorized)
	})
}

// ---------------------------------------------------------------- opinions

func TestOpinionsUniquePerRoundAndDept(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		p := &gengxin.Project{Name: "项目", Category: gengxin.Industrial, District: "朝阳区", Source: gengxin.SourceOnline,
			Status: gengxin.StatusInReview, CreatedAt: t0, UpdatedAt: t0}
		tx(t, db, func(tx *store.Tx) error { return tx.InsertProject(p) })
		op := func(round int, dept, verdict string) *gengxin.Opinion {
			return &gengxin.Opinion{ProjectID: p.ID, Round: round, Dept: dept, Verdict: verdict, Text: "同意入库", Actor: "朝阳区" + dept + "部门", At: t0}
		}
		tx(t, db, func(tx *store.Tx) error {
			for _, o := range []*gengxin.Opinion{op(1, "发展改革", "correct"), op(1, "规划自然资源", "approve"), op(2, "发展改革", "approve")} {
				if err := tx.InsertOpinion(o); err != nil {
					return err
				}
			}
			return nil
		})
		err := db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertOpinion(op(1, "发展改革", "approve")) })
		wantCode(t, err, gengxin.EConflict)
		ops, err := db.Read(ctx).Opinions(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) != 3 || ops[0].Round != 1 || ops[0].Verdict != "correct" || ops[2].Round != 2 || !ops[0].At.Equal(t0) {
			t.Errorf("Opinions = %+v", ops)
		}
	})
}

// ---------------------------------------------------------------- notifications

func TestNotificationsRouting(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		tx(t, db, func(tx *store.Tx) error {
			for _, n := range []*gengxin.Notification{
				{OrgID: 7, ProjectID: 1, Title: "出库通知", Body: "你单位的项目已出库", Citation: "京建法〔2024〕2号 第二十条"},
				{District: "朝阳区", Dept: "经济和信息化", ProjectID: 1, Title: "计划到期提醒", Body: "请核查"},
				{District: "朝阳区", ProjectID: 1, Title: "时限逾期", Body: "联合审查已逾期"},
				{UserID: 42, Title: "密码即将过期", Body: "请修改密码"},
				{District: "海淀区", ProjectID: 2, Title: "时限逾期", Body: "海淀"},
			} {
				n.At = t0
				if err := tx.InsertNotification(n); err != nil {
					return err
				}
			}
			return nil
		})
		all, err := db.Read(ctx).NotificationsFor(&gengxin.User{ID: 42, Role: gengxin.RoleSysAdmin}, 10)
		if err != nil || len(all) != 1 {
			t.Fatalf("NotificationsFor(user 42) = %+v, %v", all, err)
		}
		toUser := all[0]
		cases := []struct {
			name string
			u    *gengxin.User
			want []string // titles, newest first
		}{
			{"applicant-of-the-org", &gengxin.User{ID: 1, Role: gengxin.RoleApplicant, OrgID: 7}, []string{"出库通知"}},
			{"applicant-of-another-org", &gengxin.User{ID: 2, Role: gengxin.RoleApplicant, OrgID: 8}, nil},
			{"applicant-without-org", &gengxin.User{ID: 3, Role: gengxin.RoleApplicant}, nil},
			{"the-district-dept", &gengxin.User{ID: 4, Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "经济和信息化"}, []string{"计划到期提醒"}},
			{"another-dept-same-district", &gengxin.User{ID: 5, Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "发展改革"}, nil},
			{"same-dept-another-district", &gengxin.User{ID: 6, Role: gengxin.RoleDistrictDept, District: "海淀区", Dept: "经济和信息化"}, nil},
			{"district-renewal", &gengxin.User{ID: 7, Role: gengxin.RoleDistrictRenewal, District: "朝阳区"}, []string{"时限逾期"}},
			{"district-renewal-other-district", &gengxin.User{ID: 8, Role: gengxin.RoleDistrictRenewal, District: "海淀区"}, []string{"时限逾期"}},
			// Messages to the renewal authority (dept empty) are not the
			// district government's.
			{"district-gov-not-renewal", &gengxin.User{ID: 9, Role: gengxin.RoleDistrictGov, District: "朝阳区"}, nil},
			{"municipal", &gengxin.User{ID: 10, Role: gengxin.RoleMunicipalHousing}, nil},
			{"the-user", &gengxin.User{ID: 42, Role: gengxin.RoleSysAdmin}, []string{"密码即将过期"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ns, err := db.Read(ctx).NotificationsFor(tc.u, 50)
				if err != nil {
					t.Fatal(err)
				}
				var titles []string
				for _, n := range ns {
					titles = append(titles, n.Title)
				}
				if !slices.Equal(titles, tc.want) {
					t.Errorf("titles = %q, want %q", titles, tc.want)
				}
			})
		}
		if toUser.Body != "请修改密码" || !toUser.At.Equal(t0) || toUser.Read {
			t.Errorf("notification round trip = %+v", toUser)
		}
		// Newest first, and the limit holds.
		tx(t, db, func(tx *store.Tx) error {
			return tx.InsertNotification(&gengxin.Notification{OrgID: 7, Title: "第二条", Body: "b", At: t0})
		})
		ns, err := db.Read(ctx).NotificationsFor(&gengxin.User{ID: 1, Role: gengxin.RoleApplicant, OrgID: 7}, 1)
		if err != nil || len(ns) != 1 || ns[0].Title != "第二条" {
			t.Errorf("limit 1 = %+v, %v; want the newest only", ns, err)
		}
	})
}

// ---------------------------------------------------------------- documents and calendar

func TestDocuments(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		doc := &gengxin.IssuedDocument{Code: "A7K9-3QXZ", Kind: "入库通知书", Number: "朝更新储〔2024〕12号", ProjectID: 3,
			Project: "酒仙桥老旧厂房更新改造项目", District: "朝阳区", Issuer: "朝阳区城市更新主管部门",
			IssuedOn: calendar.NewDate(2024, 10, 8), SHA256: strings.Repeat("0f", 32)}
		tx(t, db, func(tx *store.Tx) error { return tx.InsertDocument(doc) })
		got, err := db.Read(ctx).Document("A7K9-3QXZ")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, doc) {
			t.Errorf("Document = %+v, want %+v", got, doc)
		}
		_, err = db.Read(ctx).Document("NOPE-0000")
		wantCode(t, err, gengxin.ENotFound)
		if !hasHan(gengxin.ErrorMessage(err)) {
			t.Errorf("not-found message %q is not Chinese", gengxin.ErrorMessage(err))
		}
		err = db.Tx(ctx, func(tx *store.Tx) error { return tx.InsertDocument(doc) })
		wantCode(t, err, gengxin.EConflict)
	})
}

func TestCalendarYearsReplace(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		first, second := []byte(`{"year":2025,"holidays":[]}`), []byte(`{"year":2025,"holidays":[{"name":"春节"}]}`)
		tx(t, db, func(tx *store.Tx) error { return tx.PutCalendarYear(2025, first, "sysadmin", t0) })
		tx(t, db, func(tx *store.Tx) error { return tx.PutCalendarYear(2026, first, "sysadmin", t0) })
		tx(t, db, func(tx *store.Tx) error { return tx.PutCalendarYear(2025, second, "sysadmin2", t0.Add(time.Hour)) })
		years, err := db.Read(ctx).CalendarYears()
		if err != nil {
			t.Fatal(err)
		}
		if len(years) != 2 || string(years[2025]) != string(second) || string(years[2026]) != string(first) {
			t.Errorf("CalendarYears = %v", years)
		}
	})
}

// TestAppRoleAppendOnly: on PostgreSQL the application runs as a role that
// does not own the tables (GrantAppRole): it writes projects and appends
// events, but UPDATE, DELETE and TRUNCATE on events are refused by
// privilege (SQLSTATE 42501) before any trigger runs, and it cannot rewrite
// the migration history.
func TestAppRoleAppendOnly(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	owner, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { owner.Close() })
	if err := owner.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	rand.Read(b)
	role := "gx_app_" + hex.EncodeToString(b)
	if err := owner.GrantAppRole(ctx, "Bad-Name"); gengxin.ErrorCode(err) != gengxin.EInvalid {
		t.Fatalf("bad role name: %v", err)
	}
	if err := owner.GrantAppRole(ctx, role); err != nil {
		t.Fatal(err)
	}
	if err := owner.GrantAppRole(ctx, role); err != nil { // idempotent
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP OWNED BY ` + role)
		admin.Exec(`DROP ROLE ` + role)
		admin.Close()
	})
	u, _ := url.Parse(dsn)
	u.User = url.User(role)
	app, err := store.Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	app.SetKeyring(testKey)
	appendEvents(t, app, 2) // the application appends events as its own role
	raw, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	for _, q := range []string{`UPDATE events SET summary = 'x' WHERE id = 1`, `DELETE FROM events WHERE id = 2`, `TRUNCATE events`,
		`DELETE FROM schema_migrations`} {
		_, err := raw.ExecContext(ctx, q)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("%s as the application role: %v, want permission denied (42501)", q, err)
		}
	}
	if n, brk, err := owner.Read(ctx).VerifyChain(testKey); err != nil || n != 2 || brk != nil {
		t.Fatalf("chain after the attempts: %d %+v %v", n, brk, err)
	}
}

// A department's queue (AwaitingOpinionOf) matches its name literally in
// both dialects, LIKE metacharacters included.
func TestAwaitingOpinionOfLiteralName(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		p := &gengxin.Project{Name: "项目", Category: gengxin.Industrial, District: "朝阳区", Source: gengxin.SourceOnline,
			Status: gengxin.StatusInReview, ReviewRound: 1, Invited: []string{"规划_自然资源", "100%住建"}, CreatedAt: t0, UpdatedAt: t0}
		tx(t, db, func(tx *store.Tx) error { return tx.InsertProject(p) })
		for _, tc := range []struct {
			dept string
			want int
		}{{"规划_自然资源", 1}, {"100%住建", 1}, {"规划x自然资源", 0}, {"100", 0}} {
			ps, _, err := db.Read(ctx).Projects(store.ProjectFilter{AwaitingOpinionOf: tc.dept})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != tc.want {
				t.Errorf("AwaitingOpinionOf %q: %d projects, want %d", tc.dept, len(ps), tc.want)
			}
		}
	})
}

// SetSessionIdle changes the signed-in sessions of the roles named, and
// only those: not other roles, not sessions still at the second factor.
func TestSetSessionIdleByRoles(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db := storetest.Open(t, d)
		roles := []gengxin.Role{gengxin.RoleDistrictDept, gengxin.RoleDistrictGov, gengxin.RoleApplicant}
		tx(t, db, func(tx *store.Tx) error {
			for i, r := range roles {
				u := &gengxin.User{Username: fmt.Sprintf("u%d", i), Role: r, PasswordHash: "h"}
				if err := tx.InsertUser(u, t0); err != nil {
					return err
				}
				for _, stage := range []string{"", "totp"} {
					s := &store.Session{TokenHash: fmt.Sprintf("%d%s", i, stage), UserID: u.ID, Kind: "web", Stage: stage,
						Idle: 30 * time.Minute, CreatedAt: t0, LastSeen: t0, ExpiresAt: t0.Add(time.Hour)}
					if err := tx.InsertSession(s); err != nil {
						return err
					}
				}
			}
			return tx.SetSessionIdle(roles[:2], 15*time.Minute)
		})
		for hash, want := range map[string]time.Duration{"0": 15 * time.Minute, "1": 15 * time.Minute, "2": 30 * time.Minute,
			"0totp": 30 * time.Minute, "1totp": 30 * time.Minute, "2totp": 30 * time.Minute} {
			s, err := db.Read(ctx).SessionByHash(hash)
			if err != nil {
				t.Fatal(err)
			}
			if s.Idle != want {
				t.Errorf("session %s: idle %v, want %v", hash, s.Idle, want)
			}
		}
	})
}

// Every single-row read of the registers answers ENotFound, naming what,
// for an id that is not there.
func TestSingleReadsNotFound(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		r := storetest.Open(t, d).Read(ctx)
		reads := map[string]func() error{
			"Expert":             func() error { _, err := r.Expert(999); return err },
			"ExpertByUser":       func() error { _, err := r.ExpertByUser(999); return err },
			"ExpertConsultation": func() error { _, err := r.ExpertConsultation(999); return err },
			"ExpertAssignment":   func() error { _, err := r.ExpertAssignment(999, 999); return err },
			"Unit":               func() error { _, err := r.Unit(999); return err },
			"Coordinator":        func() error { _, err := r.Coordinator(999); return err },
			"GreenApplication":   func() error { _, err := r.GreenApplication(999); return err },
			"OldFactoryCase":     func() error { _, err := r.OldFactoryCase(999); return err },
			"FactoryCandidate":   func() error { _, err := r.FactoryCandidate(999); return err },
			"Publication":        func() error { _, err := r.Publication(999); return err },
		}
		for name, read := range reads {
			err := read()
			wantCode(t, err, gengxin.ENotFound)
			if err == nil || !strings.Contains(err.Error(), "不存在") {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}

// TestNULTextIsBadInput: text PostgreSQL cannot store (a NUL byte) is a 400
// with a Chinese message, never a server error, and nothing is written.
func TestNULTextIsBadInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, d store.Dialect) {
		db, _ := openWithRaw(t, d)
		err := db.Tx(ctx, func(tx *store.Tx) error {
			return tx.InsertNotification(&gengxin.Notification{District: "朝阳区", Title: "a\x00b", Body: "x", At: time.Now()})
		})
		if d == store.Postgres && gengxin.ErrorCode(err) != gengxin.EInvalid {
			t.Fatalf("NUL on PostgreSQL: %v, want invalid", err)
		}
		if d == store.SQLite && err != nil {
			t.Fatalf("NUL on SQLite: %v", err)
		}
	})
}
