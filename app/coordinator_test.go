package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/uscc"
)

type coordFixture struct {
	*fixture
	hdGov, jxj *gengxin.User
}

func newCoord(t *testing.T, d store.Dialect) *coordFixture {
	f := newFixture(t, d)
	c := &coordFixture{fixture: f}
	var err error
	if c.hdGov, err = f.AddUser(ctx, app.NewUserInput{Username: "hd-gov", Role: gengxin.RoleDistrictGov, District: "海淀区", Password: "Test-Passw0rd-123", SkipPolicy: true}); err != nil {
		t.Fatal(err)
	}
	if c.jxj, err = f.AddUser(ctx, app.NewUserInput{Username: "jxj", Role: gengxin.RoleMunicipalDept, Dept: "经济和信息化", Password: "Test-Passw0rd-123", SkipPolicy: true}); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *coordFixture) day(s string) {
	d := calendar.MustParseDate(s)
	c.clock.T = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Beijing)
}

func wantErr(t *testing.T, err error, code string, contains ...string) {
	t.Helper()
	if gengxin.ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
	e := gengxin.AsError(err)
	for _, s := range contains {
		if !strings.Contains(e.Message+" "+e.Rule+" "+e.Citation, s) {
			t.Fatalf("error %q (%s %s) lacks %q", e.Message, e.Rule, e.Citation, s)
		}
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func (c *coordFixture) unit(t *testing.T, name, sensitive string) *app.UnitView {
	t.Helper()
	return must[*app.UnitView](t)(c.CreateUnit(ctx, c.gov, app.UnitInput{Name: name, Scope: "朝阳区酒仙桥街道东至…西至…，约12公顷", Basis: "酒仙桥地区控制性详细规划",
		Projects: "老旧厂房A、老旧小区B", Conditions: "具有统筹实施能力的企业", Sensitive: sensitive}))
}

// TestCoordinatorOpenSelection walks 公开比选 from the 公告 to the 确认文件
// with the 公示 ending in the 2025 National Day holiday (D2).
func TestCoordinatorOpenSelection(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			c := newCoord(t, d)
			c.day("2025-09-01")
			u := c.unit(t, "酒仙桥片区实施单元", "")
			act := func(who *gengxin.User, step string, in app.CoordinatorInput) (*app.UnitView, error) {
				return c.CoordinatorAct(ctx, who, u.ID, step, in)
			}
			ok := func(who *gengxin.User, step string, in app.CoordinatorInput) *app.UnitView {
				t.Helper()
				return must[*app.UnitView](t)(act(who, step, in))
			}
			// Roles and districts.
			_, err := act(c.hdGov, "method", app.CoordinatorInput{})
			wantErr(t, err, gengxin.ENotFound)
			_, err = act(c.dept, "method", app.CoordinatorInput{})
			wantErr(t, err, gengxin.EForbidden)
			_, err = act(c.jxj, "method", app.CoordinatorInput{})
			wantErr(t, err, gengxin.EForbidden)
			_, err = c.CreateUnit(ctx, c.renewal, app.UnitInput{Name: "x"})
			wantErr(t, err, gengxin.EForbidden)
			_, err = c.Unit(ctx, c.hdGov, u.ID)
			wantErr(t, err, gengxin.ENotFound)
			_, err = act(c.gov, "nonsense", app.CoordinatorInput{})
			wantErr(t, err, gengxin.ENotFound)

			ok(c.gov, "method", app.CoordinatorInput{}) // 公开比选 by default
			_, err = act(c.gov, "announce", app.CoordinatorInput{})
			wantErr(t, err, gengxin.EForbidden) // the 公告 is the renewal authority's
			_, err = act(c.renewal, "announce", app.CoordinatorInput{ApplyUntil: "2025-09-10"})
			wantErr(t, err, gengxin.EInvalid)
			v := ok(c.renewal, "announce", app.CoordinatorInput{ApplyUntil: "2025-09-10", Criteria: []app.Criterion{{"统筹方案", "60"}, {"资金实力", "40"}}})
			if v.Current.Status != app.SelAnnounced || len(v.Current.Publications) != 1 || v.Current.Publications[0].Kind != app.PubAnnouncement {
				t.Fatalf("after announce: %+v", v.Current)
			}
			pubs := must[[]*app.PublicationView](t)(c.Publications(ctx, "announcement", "open", "", 0))
			if len(pubs) != 1 || pubs[0].DaysLeft != 9 || !strings.Contains(pubs[0].Body, "具有统筹实施能力的企业") {
				t.Fatalf("open announcements: %+v", pubs)
			}
			_, err = c.SubmitComment(ctx, pubs[0].ID, app.CommentInput{Body: "问"})
			wantErr(t, err, gengxin.EConflict, "公告")

			ok(c.applicant, "apply", app.CoordinatorInput{Statement: "我单位具备统筹能力"})
			_, err = act(c.applicant, "apply", app.CoordinatorInput{Statement: "again"})
			wantErr(t, err, gengxin.EConflict, "重复")
			ok(c.other, "apply", app.CoordinatorInput{Statement: "另一家"})
			// An applicant sees only its own application.
			mine := must[*app.UnitView](t)(c.Unit(ctx, c.applicant, u.ID))
			if len(mine.Current.Applications) != 1 || mine.Current.Applications[0].OrgID != c.applicant.OrgID {
				t.Fatalf("applicant sees %d applications", len(mine.Current.Applications))
			}
			first := mine.Current.Applications[0].ID
			// Materials (第七条第一款): the applying company only, type from
			// content, readable by the district's officers, not by another company.
			material := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
			_, err = c.UploadApplicationFile(ctx, c.other, u.ID, first, "方案.pdf", bytes.NewReader(material))
			wantErr(t, err, gengxin.ENotFound)
			_, err = c.UploadApplicationFile(ctx, c.applicant, u.ID, first, "方案.pdf", strings.NewReader("not a pdf at all"))
			wantErr(t, err, gengxin.EInvalid)
			file := must[*store.ApplicationFile](t)(c.UploadApplicationFile(ctx, c.applicant, u.ID, first, "统筹实施方案.pdf", bytes.NewReader(material)))
			if ov := must[*app.UnitView](t)(c.Unit(ctx, c.renewal, u.ID)); len(ov.Current.Applications[0].Files) != 1 {
				t.Fatalf("officer sees files %+v", ov.Current.Applications[0].Files)
			}
			if _, b, err := c.OpenApplicationFile(ctx, c.renewal, u.ID, file.ID); err != nil || !bytes.Equal(b, material) {
				t.Fatalf("officer reads the material: %v", err)
			}
			_, _, err = c.OpenApplicationFile(ctx, c.other, u.ID, file.ID)
			wantErr(t, err, gengxin.ENotFound)
			// Scoring only after the application period; then the deadline refuses applications.
			_, err = act(c.gov, "score", app.CoordinatorInput{ApplicationID: first, Scorer: "张专家", ScorerKind: "专家", Scores: map[string]string{"统筹方案": "50"}})
			wantErr(t, err, gengxin.EConflict, "申报期")
			c.day("2025-09-11")
			_, err = act(c.applicant, "apply", app.CoordinatorInput{Statement: "late"})
			wantErr(t, err, gengxin.EConflict, "截止")
			_, err = act(c.gov, "score", app.CoordinatorInput{ApplicationID: first, Scorer: "张专家", ScorerKind: "专家", Scores: map[string]string{"统筹方案": "61"}})
			wantErr(t, err, gengxin.EInvalid, "0至60")
			_, err = act(c.gov, "decide", app.CoordinatorInput{ApplicationID: first, Record: "区政府第12次常务会议"})
			wantErr(t, err, gengxin.ERuleRefused, "CE-01")
			ok(c.gov, "score", app.CoordinatorInput{ApplicationID: first, Scorer: "张专家", ScorerKind: "专家", Scores: map[string]string{"统筹方案": "55", "资金实力": "35"}})
			v = ok(c.gov, "score", app.CoordinatorInput{ApplicationID: first, Scorer: "区发展改革部门", ScorerKind: "部门", Scores: map[string]string{"统筹方案": "50", "资金实力": "30"}})
			if got := v.Current.Applications[0].Total; got != "85" {
				t.Fatalf("mean total %q, want 85", got)
			}
			// Decided on Friday 2025-09-26: day 7 is 2025-10-03 (国庆), the 公示 ends on 2025-10-09.
			c.day("2025-09-26")
			_, err = act(c.gov, "decide", app.CoordinatorInput{ApplicationID: first})
			wantErr(t, err, gengxin.EInvalid, "决策记录")
			v = ok(c.gov, "decide", app.CoordinatorInput{ApplicationID: first, Record: "区政府第12次常务会议纪要〔2025〕12号"})
			if v.Current.PublicityEnd.String() != "2025-10-09" || v.Current.ChosenName != c.applicant.OrgName {
				t.Fatalf("publicity end %s chosen %q", v.Current.PublicityEnd, v.Current.ChosenName)
			}
			pub := v.Current.Publications[1]
			if pub.Kind != app.PubPublicity || pub.EndsOn.String() != "2025-10-09" || !strings.Contains(pub.Citation, "第七条第三款") || pub.PeriodNote == "" {
				t.Fatalf("publicity %+v", pub.Publication)
			}
			// Comments while open, with sealed personal data kept off the public view.
			cid := must[int64](t)(c.SubmitComment(ctx, pub.ID, app.CommentInput{Name: "王某", Contact: "13800000000", Body: "请说明评分过程"}))
			must[int64](t)(c.SubmitComment(ctx, pub.ID, app.CommentInput{Body: "第二条意见"}))
			_, err = c.SubmitComment(ctx, pub.ID, app.CommentInput{Body: "  "})
			wantErr(t, err, gengxin.EInvalid)
			pv := must[*app.PublicationView](t)(c.PublicPublication(ctx, pub.ID))
			if pv.CommentCount != 2 || len(pv.Answered) != 0 {
				t.Fatalf("public view before response: %d %d", pv.CommentCount, len(pv.Answered))
			}
			err = c.RespondComment(ctx, c.otherDist, pub.ID, cid, "答")
			wantErr(t, err, gengxin.ENotFound)
			err = c.RespondComment(ctx, c.gov, pub.ID, cid, "答")
			wantErr(t, err, gengxin.EForbidden)
			err = c.RespondComment(ctx, c.renewal, pub.ID, cid, " ")
			wantErr(t, err, gengxin.EInvalid)
			if err := c.RespondComment(ctx, c.renewal, pub.ID, cid, "评分由专家和部门按公告标准进行"); err != nil {
				t.Fatal(err)
			}
			wantErr(t, c.RespondComment(ctx, c.renewal, pub.ID, cid, "again"), gengxin.EConflict)
			pv = must[*app.PublicationView](t)(c.PublicPublication(ctx, pub.ID))
			if len(pv.Answered) != 1 || pv.Answered[0].Response == "" || pv.Answered[0].Body != "请说明评分过程" {
				t.Fatalf("answered %+v", pv.Answered)
			}
			_, all, err := c.PublicationComments(ctx, c.renewal, pub.ID)
			if err != nil || len(all) != 2 || all[0].Name != "王某" || all[0].Contact != "13800000000" {
				t.Fatalf("authority comments %v %+v", err, all)
			}
			// Reading the commenters' names and contacts is audited.
			if evs, err := c.DB.Read(ctx).AuditEvents(store.AuditFilter{Action: "personal-data-read", ActorID: c.renewal.ID}); err != nil || len(evs) != 1 {
				t.Fatalf("personal-data reads audited: %d %v", len(evs), err)
			}
			// Moderation: the second comment is pending (not public) until
			// published; a hidden one is never public, even once answered.
			second := all[1].ID
			wantErr(t, c.ModerateComment(ctx, c.otherDist, pub.ID, second, "published"), gengxin.ENotFound)
			wantErr(t, c.ModerateComment(ctx, c.gov, pub.ID, second, "published"), gengxin.EForbidden)
			wantErr(t, c.ModerateComment(ctx, c.renewal, pub.ID, second, "approved"), gengxin.EInvalid)
			if err := c.ModerateComment(ctx, c.renewal, pub.ID, second, "published"); err != nil {
				t.Fatal(err)
			}
			pv = must[*app.PublicationView](t)(c.PublicPublication(ctx, pub.ID))
			if len(pv.Answered) != 2 || pv.Answered[1].Body != "第二条意见" || pv.Answered[1].Response != "" {
				t.Fatalf("published without an answer: %+v", pv.Answered)
			}
			if err := c.ModerateComment(ctx, c.renewal, pub.ID, cid, "hidden"); err != nil {
				t.Fatal(err)
			}
			pv = must[*app.PublicationView](t)(c.PublicPublication(ctx, pub.ID))
			if len(pv.Answered) != 1 || pv.Answered[0].Body != "第二条意见" || pv.CommentCount != 2 {
				t.Fatalf("hidden answered comment still public: %+v", pv.Answered)
			}
			// Confirmation refused until the 公示 is over, on its last day too.
			confirm := app.CoordinatorInput{Functions: []int{1, 3, 4}, TermYears: 3}
			c.day("2025-10-09")
			if pv := must[*app.PublicationView](t)(c.PublicPublication(ctx, pub.ID)); pv.DaysLeft != 0 || !pv.CommentsOpen {
				t.Fatalf("last day: %+v", pv)
			}
			must[int64](t)(c.SubmitComment(ctx, pub.ID, app.CommentInput{Body: "末日意见"}))
			_, err = act(c.gov, "confirm", confirm)
			wantErr(t, err, gengxin.ERuleRefused, "CE-02", "第七条第三款", "2025-10-09")
			c.day("2025-10-10")
			_, err = c.SubmitComment(ctx, pub.ID, app.CommentInput{Body: "迟到的意见"})
			wantErr(t, err, gengxin.EConflict, "已于 2025-10-09 结束")
			_, err = act(c.gov, "confirm", app.CoordinatorInput{Functions: []int{1}, TermYears: 8000, Justification: "x"})
			wantErr(t, err, gengxin.EInvalid, "1 至 10 年")
			_, err = act(c.gov, "confirm", app.CoordinatorInput{Functions: []int{5}, TermYears: 3})
			wantErr(t, err, gengxin.EInvalid, "(五)")
			_, err = act(c.gov, "confirm", app.CoordinatorInput{Functions: []int{1}, TermYears: 4})
			wantErr(t, err, gengxin.ERuleRefused, "CE-03", "理由")
			v = ok(c.gov, "confirm", confirm)
			if v.Active == nil || v.Active.TermEnd.String() != "2028-10-10" || v.Active.DocCode == "" || len(v.Active.FunctionNames) != 3 {
				t.Fatalf("active %+v", v.Active)
			}
			for who, want := range map[*gengxin.User]string{c.applicant: "统筹主体确认文件", c.renewal: "收到公示意见"} {
				ns := must[[]gengxin.Notification](t)(c.DB.Read(ctx).NotificationsFor(who, 10))
				if len(ns) == 0 || ns[0].Title != want {
					t.Fatalf("notifications of %s: %+v", who.Username, ns)
				}
			}
			doc := must[*gengxin.IssuedDocument](t)(c.Verify(ctx, v.Active.DocCode))
			if doc.Kind != "统筹主体确认文件" || doc.Number != v.Active.DocNo {
				t.Fatalf("verify %+v", doc)
			}
			pdf, _, err := c.ConfirmationPDF(ctx, c.applicant, v.Active.ID)
			if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
				t.Fatalf("pdf %v", err)
			}
			_, _, err = c.ConfirmationPDF(ctx, c.other, v.Active.ID)
			wantErr(t, err, gengxin.ENotFound)
			// Lookup (第十一条第一款) by name and by code; not for applicants.
			for _, q := range []string{"某某置业", c.applicant.OrgUSCC} {
				got := must[[]*app.CoordinatorView](t)(c.LookupCoordinators(ctx, c.jxj, q))
				if len(got) != 1 || got[0].StatusLabel != "有效" {
					t.Fatalf("lookup %q: %+v", q, got)
				}
			}
			_, err = c.LookupCoordinators(ctx, c.applicant, "某某置业")
			wantErr(t, err, gengxin.EForbidden)
			// Benefit agreement by the coordinator itself (第九条); another company may not.
			_, err = act(c.other, "agreement", app.CoordinatorInput{Text: "x", SignedOn: "2025-10-10"})
			wantErr(t, err, gengxin.EForbidden)
			v = ok(c.applicant, "agreement", app.CoordinatorInput{Text: "《权益分配协议》与物业权利人签订", SignedOn: "2025-10-10"})
			if v.Active.Agreement == "" {
				t.Fatal("agreement not recorded")
			}
			// Another company sees the announced unit, but not the
			// coordinator's agreement nor the district's decision record.
			ov, err := c.Unit(ctx, c.other, v.ID)
			if err != nil || ov.Active == nil || ov.Active.Agreement != "" || ov.Selections[0].DecisionRecord != "" {
				t.Fatalf("another company's view: %v %+v", err, ov)
			}
			// A new selection while a coordinator is active is refused.
			_, err = act(c.gov, "method", app.CoordinatorInput{})
			wantErr(t, err, gengxin.EConflict, "有效的统筹主体")
			// The term ends without extension: the sweep offers cancellation
			// ground (二) once, and cancels nothing (D15).
			end := v.Active.TermEnd
			count := func(day calendar.Date) int {
				lines, err := c.Sweep(ctx, day)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, l := range lines {
					if l.Action == "coordinator-expired" {
						n++
					}
				}
				return n
			}
			if n := count(end); n != 0 {
				t.Fatalf("flagged on its last day: %d", n)
			}
			if n := count(end.AddDays(1)); n != 1 {
				t.Fatalf("flagged %d times the day after", n)
			}
			if n := count(end.AddDays(2)); n != 0 {
				t.Fatalf("flagged again: %d", n)
			}
			if u := must[*app.UnitView](t)(c.Unit(ctx, c.renewal, v.ID)); u.Active == nil {
				t.Fatal("the sweep cancelled the coordinator")
			}
		})
	}
}

// TestCoordinatorDesignationTerm covers 指定 (basis and record required), a
// 公示 ending on the 2024 端午节 holiday, a term over 3 years (CE-03: needs
// justification and approver) and a step past the validity of 建法1号.
func TestCoordinatorDesignationTerm(t *testing.T) {
	c := newCoord(t, store.SQLite)
	c.day("2024-06-03")
	u := c.unit(t, "designated unit", "")
	act := func(step string, in app.CoordinatorInput) (*app.UnitView, error) {
		return c.CoordinatorAct(ctx, c.gov, u.ID, step, in)
	}
	_, err := act("method", app.CoordinatorInput{Method: "指定"})
	wantErr(t, err, gengxin.EInvalid, "理由")
	must[*app.UnitView](t)(act("method", app.CoordinatorInput{Method: "指定", Basis: "原产权单位统筹"}))
	_, err = act("decide", app.CoordinatorInput{Name: "北京统筹有限公司", USCC: "123", Record: "常务会议"})
	wantErr(t, err, gengxin.EInvalid, "统一社会信用代码")
	code := uscc.Complete("91110105MA0TERM01")
	v := must[*app.UnitView](t)(act("decide", app.CoordinatorInput{Name: "北京统筹有限公司", USCC: code, Record: "区政府常务会议"}))
	if v.Current.PublicityEnd.String() != "2024-06-11" { // 7 days from 06-04 end on Mon 06-10 = 端午节 → 06-11
		t.Fatalf("publicity end %s", v.Current.PublicityEnd)
	}
	// A designated unit (never announced) is not another company's business.
	_, err = c.Unit(ctx, c.applicant, u.ID)
	wantErr(t, err, gengxin.ENotFound)
	if us, err := c.UnitsFor(ctx, c.applicant); err != nil || len(us) != 0 {
		t.Fatalf("company lists %d units (%v)", len(us), err)
	}
	c.day("2024-06-12")
	_, err = act("confirm", app.CoordinatorInput{Functions: []int{2}, TermYears: 5, Justification: "片区体量大"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-03")
	v = must[*app.UnitView](t)(act("confirm", app.CoordinatorInput{Functions: []int{2}, TermYears: 4, Justification: "片区体量大", Approver: "区长"}))
	if v.Active.TermEnd.String() != "2028-06-12" || !strings.Contains(v.Active.TermNote, "区长") {
		t.Fatalf("term %s %q", v.Active.TermEnd, v.Active.TermNote)
	}
	// Extensions: from 60 days before to 30 days after the last day.
	c.day("2028-01-10")
	_, err = act("extend", app.CoordinatorInput{Months: 12, AppliedOn: "2028-01-10"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-04") // outside the validity of 建法1号 (2027-05-09)
}

// TestCoordinatorExtension runs CE-04 on a 3-year term.
func TestCoordinatorExtension(t *testing.T) {
	c := newCoord(t, store.SQLite)
	c.day("2024-05-20")
	u := c.unit(t, "ext unit", "紧急救援")
	act := func(step string, in app.CoordinatorInput) (*app.UnitView, error) {
		return c.CoordinatorAct(ctx, c.gov, u.ID, step, in)
	}
	must[*app.UnitView](t)(act("method", app.CoordinatorInput{}))
	must[*app.UnitView](t)(act("decide", app.CoordinatorInput{Name: c.applicant.OrgName, USCC: c.applicant.OrgUSCC, Record: "应急指挥部会议"}))
	v := must[*app.UnitView](t)(act("confirm", app.CoordinatorInput{Functions: []int{4}, TermYears: 1}))
	if v.Active.TermEnd.String() != "2025-05-20" {
		t.Fatalf("term end %s", v.Active.TermEnd)
	}
	c.day("2025-03-01")
	_, err := act("extend", app.CoordinatorInput{Months: 12, AppliedOn: "2025-03-01"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-04", "2025-03-21") // earliest: 60 days before
	_, err = act("extend", app.CoordinatorInput{Months: 13, AppliedOn: "2025-03-01"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-04")
	c.day("2025-04-01")
	_, err = act("extend", app.CoordinatorInput{Months: 13, AppliedOn: "2025-04-01"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-04", "理由")
	_, err = act("extend", app.CoordinatorInput{Months: 12, AppliedOn: "2025-04-02"})
	wantErr(t, err, gengxin.EInvalid) // a future application date
	// The coordinator applies online (I-33: before expiry), the district extends.
	req := func(who *gengxin.User, in app.CoordinatorInput) (*app.UnitView, error) {
		return c.CoordinatorAct(ctx, who, u.ID, "request", in)
	}
	c.day("2025-03-01")
	_, err = req(c.applicant, app.CoordinatorInput{Months: 12, Reason: "抢险收尾"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-04", "2025-03-21")
	c.day("2025-04-01")
	_, err = req(c.other, app.CoordinatorInput{Months: 12, Reason: "x"})
	wantErr(t, err, gengxin.ENotFound) // a 紧急救援 unit is hidden from other companies
	_, err = c.CoordinatorAct(ctx, c.applicant, u.ID, "confirm", app.CoordinatorInput{})
	wantErr(t, err, gengxin.EForbidden) // its coordinator sees it, but takes only its own steps
	if _, err := c.Unit(ctx, c.applicant, u.ID); err != nil {
		t.Fatalf("the coordinator of a 紧急救援 unit must see it: %v", err)
	}
	_, err = req(c.applicant, app.CoordinatorInput{Months: 12})
	wantErr(t, err, gengxin.EInvalid, "理由")
	v = must[*app.UnitView](t)(req(c.applicant, app.CoordinatorInput{Months: 12, Reason: "抢险收尾"}))
	if v.Active.Request == nil || v.Active.Request.AppliedOn.String() != "2025-04-01" {
		t.Fatalf("request %+v", v.Active.Request)
	}
	_, err = req(c.applicant, app.CoordinatorInput{Months: 6, Reason: "again"})
	wantErr(t, err, gengxin.EConflict)
	// Refused, then asked again.
	_, err = act("refuse", app.CoordinatorInput{})
	wantErr(t, err, gengxin.EInvalid)
	v = must[*app.UnitView](t)(act("refuse", app.CoordinatorInput{Reason: "材料不全"}))
	if v.Active.Request != nil {
		t.Fatal("request not cleared")
	}
	_, err = act("refuse", app.CoordinatorInput{Reason: "again"})
	wantErr(t, err, gengxin.EConflict)
	must[*app.UnitView](t)(req(c.applicant, app.CoordinatorInput{Months: 12, Reason: "补齐材料"}))
	c.day("2025-04-03")
	v = must[*app.UnitView](t)(act("extend", app.CoordinatorInput{}))
	if v.Active.TermEnd.String() != "2026-05-20" || len(v.Active.ExtensionList) != 1 || v.Active.Request != nil || v.Active.ExtensionList[0].AppliedOn.String() != "2025-04-01" {
		t.Fatalf("after 12 months: %s", v.Active.TermEnd)
	}
	// A second extension after expiry, within the 30-day grace (I-33).
	c.day("2026-06-19")
	v = must[*app.UnitView](t)(act("extend", app.CoordinatorInput{Months: 13, AppliedOn: "2026-06-19", Justification: "抢险未完", Approver: "区长"}))
	if v.Active.TermEnd.String() != "2027-06-20" || len(v.Active.ExtensionList) != 2 {
		t.Fatalf("after 13 months: %s", v.Active.TermEnd)
	}
	// Cancellation (第十二条) with liquidation costs; then a new selection may start.
	_, err = c.CoordinatorAct(ctx, c.renewal, u.ID, "cancel", app.CoordinatorInput{Ground: 4, Reason: "r", Evaluation: "e", LiquidationWan: "1"})
	wantErr(t, err, gengxin.EInvalid)
	_, err = c.CoordinatorAct(ctx, c.renewal, u.ID, "cancel", app.CoordinatorInput{Ground: 2, Reason: "自愿退出", Evaluation: "综合评估同意", LiquidationWan: "-1"})
	wantErr(t, err, gengxin.EInvalid, "清算费用")
	v = must[*app.UnitView](t)(c.CoordinatorAct(ctx, c.renewal, u.ID, "cancel", app.CoordinatorInput{Ground: 2, Reason: "自愿退出", Evaluation: "综合评估同意", LiquidationWan: "120.50"}))
	if v.Active != nil || v.Coordinators[0].Status != app.CoordCancelled || v.Coordinators[0].LiquidationWan != "120.5" {
		t.Fatalf("after cancel: %+v", v.Coordinators[0])
	}
	must[*app.UnitView](t)(act("method", app.CoordinatorInput{}))
}

// TestCoordinatorClassifiedNeverPublished: a 涉密 unit takes its own route
// (第六条第三款) and nothing of it reaches the portal or the applicants.
func TestCoordinatorClassifiedNeverPublished(t *testing.T) {
	c := newCoord(t, store.SQLite)
	c.day("2025-03-03")
	u := c.unit(t, "保密单元", "涉密")
	act := func(step string, in app.CoordinatorInput) (*app.UnitView, error) {
		return c.CoordinatorAct(ctx, c.gov, u.ID, step, in)
	}
	_, err := act("method", app.CoordinatorInput{Method: "公开比选"})
	wantErr(t, err, gengxin.ERuleRefused, "CE-01", "第六条第三款")
	must[*app.UnitView](t)(act("method", app.CoordinatorInput{}))
	_, err = c.CoordinatorAct(ctx, c.renewal, u.ID, "announce", app.CoordinatorInput{ApplyUntil: "2025-04-01", Criteria: []app.Criterion{{"a", "1"}}})
	wantErr(t, err, gengxin.EConflict)
	v := must[*app.UnitView](t)(act("decide", app.CoordinatorInput{Name: "北京保密有限公司", USCC: uscc.Complete("91110105MA0XEC001"), Record: "常务会议（涉密）"}))
	if !v.Current.PublicityEnd.IsZero() || len(v.Current.Publications) != 0 || !v.Current.Confirmable {
		t.Fatalf("classified selection %+v", v.Current.Selection)
	}
	must[*app.UnitView](t)(act("confirm", app.CoordinatorInput{Functions: []int{1}, TermYears: 2}))
	all := must[[]*app.PublicationView](t)(c.Publications(ctx, "", "", "", 0))
	if len(all) != 0 {
		t.Fatalf("classified unit published: %+v", all[0].Publication)
	}
	_, err = c.Unit(ctx, c.applicant, u.ID)
	wantErr(t, err, gengxin.ENotFound)
	if us := must[[]*app.UnitView](t)(c.UnitsFor(ctx, c.applicant)); len(us) != 0 {
		t.Fatalf("applicant sees %d units", len(us))
	}
	// The lookup shows it to its district, not to another district's officer.
	if got := must[[]*app.CoordinatorView](t)(c.LookupCoordinators(ctx, c.dept, "保密有限")); len(got) != 1 {
		t.Fatalf("own district lookup: %d", len(got))
	}
	if got := must[[]*app.CoordinatorView](t)(c.LookupCoordinators(ctx, c.otherDist, "保密有限")); len(got) != 0 {
		t.Fatalf("other district sees a classified coordinator")
	}
}

// TestCoordinatorConcurrentDecisionsOneWins: several officers decide the
// same selection at once (a double publication): exactly one decision and
// one 公示 are written, the others get 409 — on SQLite and PostgreSQL.
func TestCoordinatorConcurrentDecisionsOneWins(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			c := newCoord(t, d)
			c.day("2025-09-26")
			u := c.unit(t, "并发单元", "")
			if _, err := c.CoordinatorAct(ctx, c.gov, u.ID, "method", app.CoordinatorInput{Method: "指定", Basis: "原产权单位统筹"}); err != nil {
				t.Fatal(err)
			}
			const n = 6
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					_, err := c.CoordinatorAct(ctx, c.gov, u.ID, "decide", app.CoordinatorInput{Name: fmt.Sprintf("北京统筹%d有限公司", i),
						USCC: uscc.Complete(fmt.Sprintf("91110105MA0RACE%02d", i)), Record: "区政府常务会议"})
					errs <- err
				}(i)
			}
			wg.Wait()
			close(errs)
			won := 0
			for err := range errs {
				switch gengxin.ErrorCode(err) {
				case "":
					won++
				case gengxin.EConflict:
				default:
					t.Errorf("decide: %v", err)
				}
			}
			if won != 1 {
				t.Fatalf("%d decisions won, want exactly 1", won)
			}
			v := must[*app.UnitView](t)(c.Unit(ctx, c.gov, u.ID))
			pubs := must[[]*app.PublicationView](t)(c.PublicationsOf(ctx, app.SourceCoordinatorSelection, v.Selections[0].ID))
			if len(pubs) != 1 {
				t.Fatalf("%d publications, want 1", len(pubs))
			}
		})
	}
}
