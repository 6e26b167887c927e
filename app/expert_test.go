package app_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
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

type expertFixture struct {
	*app.App
	t                       *testing.T
	clock                   *gengxin.FixedClock
	zjw, ghw, fgw, cy, hd   *gengxin.User
	co                      *gengxin.User
	exp1, exp2, exp3, other *gengxin.User
}

func newExperts(t *testing.T, d store.Dialect) *expertFixture {
	t.Helper()
	db := storetest.Open(t, d)
	clock := at("2024-06-03")
	a, err := app.New(context.Background(), db, testKey, clock, t.TempDir(), "http://127.0.0.1", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &expertFixture{App: a, t: t, clock: clock}
	add := func(in app.NewUserInput) *gengxin.User {
		in.Password, in.SkipPolicy = "Test-Passw0rd-123", true
		u, err := a.AddUser(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.zjw = add(app.NewUserInput{Username: "zjw", Role: gengxin.RoleMunicipalHousing})
	f.ghw = add(app.NewUserInput{Username: "ghw", Role: gengxin.RoleMunicipalDept, Dept: "规划自然资源"})
	f.fgw = add(app.NewUserInput{Username: "fgw", Role: gengxin.RoleMunicipalDept, Dept: "发展改革"})
	f.cy = add(app.NewUserInput{Username: "cy", Role: gengxin.RoleDistrictRenewal, District: "朝阳区"})
	f.hd = add(app.NewUserInput{Username: "hd", Role: gengxin.RoleDistrictRenewal, District: "海淀区"})
	f.co = add(app.NewUserInput{Username: "co", Role: gengxin.RoleApplicant, OrgName: "北京某某置业有限公司", OrgUSCC: uscc.Complete("91110105MA01ABCD1")})
	f.exp1 = add(app.NewUserInput{Username: "exp1", Role: gengxin.RoleExpert})
	f.exp2 = add(app.NewUserInput{Username: "exp2", Role: gengxin.RoleExpert})
	f.exp3 = add(app.NewUserInput{Username: "exp3", Role: gengxin.RoleExpert})
	f.other = add(app.NewUserInput{Username: "exp9", Role: gengxin.RoleExpert})
	return f
}

func (f *expertFixture) setDay(day string) {
	d := calendar.MustParseDate(day)
	f.clock.T = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Beijing)
}

func expertIn(name, birth, employer string, fields ...string) app.ExpertInput {
	return app.ExpertInput{Name: name, Gender: "男", BirthDate: birth, Employer: employer, Title: "教授级高级工程师", Fields: fields, Phone: "13800001111"}
}

// appointed nominates (as 规划自然资源), vets and appoints an expert.
func (f *expertFixture) appointed(in app.ExpertInput, justification string) *app.ExpertView {
	f.t.Helper()
	v, err := f.NominateExpert(ctx, f.ghw, in)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.VetExpert(ctx, f.ghw, v.ID, true, ""); err != nil {
		f.t.Fatal(err)
	}
	v, err = f.AppointExpert(ctx, f.zjw, v.ID, justification)
	if err != nil {
		f.t.Fatalf("appoint %s: %v", in.Name, err)
	}
	return v
}

func TestExpertEligibilityAndTerm(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newExperts(t, d)
			// 第五条(二): applied 2024-06-03; born 1953-06-04 is 70 (day before the 71st birthday).
			v := f.appointed(expertIn("甲七十", "1953-06-04", "某设计院", "城市设计"), "")
			if v.Age != 70 || v.AgeFinding.Outcome != rules.Pass || v.Current == nil || v.Current.Justification != "" {
				t.Fatalf("age 70: %+v", v)
			}
			// D1: term from 2024-06-03 → last day 2027-06-03.
			if v.Current.TermEnd.String() != "2027-06-03" || !v.Active || !strings.HasPrefix(v.Current.CertNo, "京建更新专聘〔2024〕") || !strings.Contains(v.TermNote, "I-19") {
				t.Fatalf("term: %+v", v.Current)
			}
			// On the 71st birthday: a warning that needs a justification.
			n, err := f.NominateExpert(ctx, f.ghw, expertIn("乙七一", "1953-06-03", "某大学", "历史文化"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.VetExpert(ctx, f.ghw, n.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			_, err = f.AppointExpert(ctx, f.zjw, n.ID, "")
			greenWant(t, err, gengxin.ERuleRefused, "EX-01")
			if e := gengxin.AsError(err); e.Citation != "京建法〔2024〕3号 第五条(二)" {
				t.Fatalf("citation %q", e.Citation)
			}
			v2, err := f.AppointExpert(ctx, f.zjw, n.ID, "历史文化街区保护领域急需，经主任办公会研究同意")
			if err != nil || v2.Current.AgeOutcome != "warn" || v2.Current.Justification == "" || v2.Current.IssuedBy == "" {
				t.Fatalf("justified: %+v %v", v2, err)
			}
			// 院士 aged 75: exempt, no justification.
			in := expertIn("丙院士", "1949-01-01", "中国工程院", "建筑设计")
			in.Academician = true
			if v := f.appointed(in, ""); v.Current.AgeOutcome != "pass" || v.Age != 75 {
				t.Fatalf("academician: %+v", v.Current)
			}
			// Only the recommending department vets; only 市住建委 appoints.
			n3, _ := f.NominateExpert(ctx, f.ghw, expertIn("丁", "1970-01-01", "某院", "产业研究"))
			_, err = f.VetExpert(ctx, f.fgw, n3.ID, true, "")
			wantCode(t, err, gengxin.ENotFound)
			_, err = f.VetExpert(ctx, f.zjw, n3.ID, true, "")
			wantCode(t, err, gengxin.EForbidden)
			_, err = f.AppointExpert(ctx, f.zjw, n3.ID, "")
			wantCode(t, err, gengxin.EConflict)
			// A 区城市更新主管部门 may not nominate to the municipal committee (EX-07: only to its own).
			mun := expertIn("戊", "1970-01-01", "某院", "产业研究")
			mun.Committee = app.MunicipalCommittee
			_, err = f.NominateExpert(ctx, f.cy, mun)
			wantCode(t, err, gengxin.EForbidden)
			_, err = f.NominateExpert(ctx, f.ghw, expertIn("戊", "1970-01-01", "某院", "园艺"))
			wantCode(t, err, gengxin.EInvalid)
			long := expertIn("戊", "1970-01-01", "某院", "产业研究")
			long.Interests = []string{strings.Repeat("长", 101)}
			_, err = f.NominateExpert(ctx, f.ghw, long)
			greenWant(t, err, gengxin.EInvalid, "利害关系单位")
			// 市住建委 may enter a nomination for an existing recommending department only.
			in5 := expertIn("己", "1970-01-01", "某院", "产业研究")
			in5.Recommender = "市规划委"
			_, err = f.NominateExpert(ctx, f.zjw, in5)
			greenWant(t, err, gengxin.EInvalid, "发展改革、规划自然资源")
			in5.Recommender = "发展改革"
			if v5, err := f.NominateExpert(ctx, f.zjw, in5); err != nil || v5.Recommender != "发展改革" {
				t.Fatalf("on behalf of 发展改革: %v", err)
			}
			// Personal data: the recommender and 市住建委 see the phone; the registry of another department is empty.
			if got, _ := f.Expert(ctx, f.zjw, v.ID); got.Phone != "13800001111" {
				t.Fatalf("phone hidden from 市住建委")
			}
			if list, err := f.Experts(ctx, f.fgw, app.ExpertFilter{}); err != nil || len(list) != 1 || list[0].Name != "己" {
				t.Fatalf("fgw sees %d, %v", len(list), err)
			}
			// A 区城市更新主管部门 sees its district committee only, not the municipal one (EX-07).
			if list, err := f.Experts(ctx, f.cy, app.ExpertFilter{}); err != nil || len(list) != 0 {
				t.Fatalf("cy sees %d municipal experts, %v", len(list), err)
			}
			_, err = f.Expert(ctx, f.cy, v.ID)
			wantCode(t, err, gengxin.ENotFound)

			// Re-appointment: new term from the day after the last day; a lapsed term ends membership.
			f.setDay("2027-06-03")
			if got, _ := f.Expert(ctx, f.zjw, v.ID); !got.Active {
				t.Fatalf("the last day is inside the term: %+v", got)
			}
			f.setDay("2027-06-04")
			got, _ := f.Expert(ctx, f.zjw, v.ID)
			if got.Active || got.StatusKey != "lapsed" {
				t.Fatalf("after the last day: %+v", got)
			}
			_, err = f.ReappointExpert(ctx, f.zjw, v.ID, "")
			wantCode(t, err, gengxin.EConflict)

			// The certificate is a PDF whose code the public verify page knows.
			pdf, _, err := f.ExpertCertificatePDF(ctx, f.zjw, v.ID, 1)
			if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
				t.Fatalf("pdf: %v", err)
			}
			if doc, err := f.Verify(ctx, v.Current.CertCode); err != nil || doc.Number != v.Current.CertNo {
				t.Fatalf("verify: %+v %v", doc, err)
			}
		})
	}
}

func TestExpertReappointBeforeValidityEnds(t *testing.T) {
	f := newExperts(t, storetest.Dialects[0])
	v := f.appointed(expertIn("甲", "1960-01-01", "某设计院", "城市设计"), "")
	f.setDay("2025-01-10")
	// The next term would start 2027-06-04, after 京建法〔2024〕3号 expires (I-19): refused, citing EX-02.
	_, err := f.ReappointExpert(ctx, f.zjw, v.ID, "")
	greenWant(t, err, gengxin.ERuleRefused, "EX-02")
	// With a written reason the officer applies it (DECISIONS D7): the next
	// term starts the day after the last and ends on the date three years
	// after that last day (D1) — not a day later.
	r, err := f.ReappointExpert(ctx, f.zjw, v.ID, "办法有效期届满后按市住建委通知继续实施")
	if err != nil {
		t.Fatal(err)
	}
	last := r.Terms[len(r.Terms)-1]
	prev := r.Terms[len(r.Terms)-2]
	if last.AppointedOn != prev.TermEnd.AddDays(1) || last.TermEnd != calendar.AddYears(prev.TermEnd, 3) || !strings.Contains(last.Justification, "D7") {
		t.Fatalf("re-appointment term %+v after %+v", last, prev)
	}
}

// consultationFixture: experts covering every exclusion ground, two clean
// ones linked to accounts, and an open consultation of 朝阳区.
func TestExpertDrawRecusalOpinions(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newExperts(t, d)
			mk := func(name, employer string, edit func(*app.ExpertInput)) *app.ExpertView {
				in := expertIn(name, "1965-05-05", employer, "城市设计")
				if edit != nil {
					edit(&in)
				}
				return f.appointed(in, "")
			}
			leader := mk("李负责", "甲院", nil)                                                               // (一)
			rel := mk("关亲属", "乙院", func(in *app.ExpertInput) { in.Relatives = []string{"李负责"} })         // (二)
			intr := mk("利益方", "丙院", func(in *app.ExpertInput) { in.Interests = []string{"北京协作设计有限公司"} }) // (二)
			adm := mk("隶属方", "丁院", func(in *app.ExpertInput) { in.AdminUnits = []string{"北京城市更新承担集团"} }) // (三)
			excl := mk("排除单位", "戊院", nil)                                                                // 使用单位条件
			gone := mk("已退出", "己院", nil)                                                                 // 第十二条
			c1 := mk("清白一", "庚院", nil)
			c2 := mk("清白二", "辛院", nil)
			c3 := mk("清白三", "壬院", nil)
			for u, v := range map[*gengxin.User]*app.ExpertView{f.exp1: c1, f.exp2: c2, f.exp3: c3, f.other: gone} {
				if _, err := f.LinkExpertAccount(ctx, f.zjw, v.ID, u.Username); err != nil {
					t.Fatal(err)
				}
			}
			// Exit needs the recommender's opinion first (EX-05).
			_, err := f.ExitExpert(ctx, f.zjw, gone.ID, app.ExitInput{Ground: 1, Reason: "本人申请"})
			greenWant(t, err, gengxin.ERuleRefused, "EX-05")
			_, err = f.ExitExpert(ctx, f.ghw, gone.ID, app.ExitInput{Ground: 1, Reason: "本人申请", RecommenderOpinion: "同意"})
			wantCode(t, err, gengxin.EForbidden)
			g, err := f.ExitExpert(ctx, f.zjw, gone.ID, app.ExitInput{Ground: 1, Reason: "本人申请", RecommenderOpinion: "市规划自然资源委：同意退出"})
			if err != nil || g.Status != app.ExpertExited || !strings.Contains(g.ExitEmployerNotice, "己院") {
				t.Fatalf("exit: %+v %v", g, err)
			}
			if ns, _ := f.DB.Read(ctx).NotificationsFor(f.other, 10); len(ns) == 0 || !strings.Contains(ns[0].Title+ns[0].Body, "退出") {
				t.Fatalf("exit notice to the expert: %+v", ns)
			}

			in := app.ConsultationInput{Subject: "某片区城市更新实施方案论证", Kind: "plan", Fields: []string{"城市设计"}, ExpertsNeeded: 2,
				Undertaking: "北京城市更新承担集团", Leader: "李负责", Cooperating: []string{"北京协作设计有限公司"}, ExcludeEmployers: []string{"戊院"}}
			_, err = f.OpenConsultation(ctx, f.co, in)
			wantCode(t, err, gengxin.EForbidden)
			c, err := f.OpenConsultation(ctx, f.cy, in)
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.DrawExperts(ctx, f.hd, c.ID)
			wantCode(t, err, gengxin.ENotFound)
			draw, err := f.DrawExperts(ctx, f.cy, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			why := map[int64]string{}
			for _, x := range draw.Excluded {
				why[x.ExpertID] += x.Rule + " " + x.Citation + ";"
			}
			for id, want := range map[int64]string{leader.ID: "第十条(一)", rel.ID: "第十条(二)", intr.ID: "第十条(二)", adm.ID: "第十条(三)",
				excl.ID: "第十条第二款", gone.ID: "EX-05 京建法〔2024〕3号 第十二条"} {
				if !strings.Contains(why[id], want) {
					t.Errorf("expert %d excluded for %q, want %q", id, why[id], want)
				}
			}
			clean := []int64{c1.ID, c2.ID, c3.ID}
			if len(draw.Picked) != 2 || !slices.Equal(draw.Pool["城市设计"], clean) {
				t.Fatalf("pool %v picked %v", draw.Pool, draw.Picked)
			}
			for _, p := range draw.Picked {
				if !slices.Contains(clean, p.ExpertID) {
					t.Fatalf("picked an excluded expert %d", p.ExpertID)
				}
			}
			// Reproducible: the recorded seed on the recorded pool gives the same picks.
			var seed uint64
			fmt.Sscan(draw.Seed, &seed)
			if again := app.DrawFromPool(seed, draw.Pool, []string{"城市设计"}, 2); !slices.Equal(again, draw.Picked) {
				t.Fatalf("replay %v != %v", again, draw.Picked)
			}
			cv, err := f.Consultation(ctx, f.cy, c.ID)
			if err != nil || len(cv.Draws) != 1 || !cv.Draws[0].Replayed || len(cv.Assignments) != 2 {
				t.Fatalf("view: %+v %v", cv, err)
			}
			_, err = f.DrawExperts(ctx, f.cy, c.ID)
			wantCode(t, err, gengxin.EConflict)

			byExpert := map[int64]*gengxin.User{c1.ID: f.exp1, c2.ID: f.exp2, c3.ID: f.exp3}
			var drawn []*gengxin.User
			var aids []int64
			for _, as := range cv.Assignments {
				drawn, aids = append(drawn, byExpert[as.ExpertID]), append(aids, as.ID)
			}
			var idle *gengxin.User
			for id, u := range byExpert {
				if !slices.Contains(clean[:0], id) && !slices.Contains(drawn, u) {
					idle = u
				}
			}
			// The expert not drawn does not see it.
			_, err = f.Consultation(ctx, idle, c.ID)
			wantCode(t, err, gengxin.ENotFound)
			if list, _ := f.Consultations(ctx, idle); len(list) != 0 {
				t.Fatalf("idle expert lists %d", len(list))
			}
			// Opinions are independent: the second expert does not see the first's before submitting its own.
			if _, err := f.SubmitOpinion(ctx, drawn[0], c.ID, aids[0], "第一位专家的意见：同意"); err != nil {
				t.Fatal(err)
			}
			v2, err := f.Consultation(ctx, drawn[1], c.ID)
			if err != nil || len(v2.Assignments) != 1 || v2.Assignments[0].ID != aids[1] || v2.Mine == nil {
				t.Fatalf("before submitting: %+v %v", v2, err)
			}
			for _, as := range v2.Assignments {
				if strings.Contains(as.Opinion, "第一位") {
					t.Fatal("saw the other opinion")
				}
			}
			_, err = f.SubmitOpinion(ctx, drawn[1], c.ID, aids[0], "冒名")
			wantCode(t, err, gengxin.ENotFound)
			// The second expert recuses; a replacement is drawn: the idle expert.
			if _, err := f.DeclareRecusal(ctx, drawn[1], c.ID, aids[1], "2", "与承担单位有合作"); err != nil {
				t.Fatal(err)
			}
			_, err = f.SubmitOpinion(ctx, drawn[1], c.ID, aids[1], "晚了")
			wantCode(t, err, gengxin.EConflict)
			_, err = f.RequireRecusal(ctx, f.hd, c.ID, aids[1], "1", "x")
			wantCode(t, err, gengxin.ENotFound)
			_, err = f.RequireRecusal(ctx, f.cy, c.ID, aids[1], "2", "x")
			wantCode(t, err, gengxin.EConflict) // already recused by the expert
			d2, err := f.DrawExperts(ctx, f.cy, c.ID)
			if err != nil || len(d2.Picked) != 1 || byExpert[d2.Picked[0].ExpertID] != idle || d2.Round != 2 {
				t.Fatalf("replacement: %+v %v", d2, err)
			}
			found := false
			for _, x := range d2.Excluded {
				found = found || (x.ExpertID != 0 && byExpert[x.ExpertID] == drawn[1] && x.Rule == "EX-04")
			}
			if !found {
				t.Fatalf("the recused expert is recorded as excluded: %+v", d2.Excluded)
			}
			// The unit requires the replacement to recuse: recorded with its ground; a third draw finds nobody left.
			rv, err := f.RequireRecusal(ctx, f.cy, c.ID, func() int64 {
				cv, _ := f.Consultation(ctx, f.cy, c.ID)
				return cv.Assignments[len(cv.Assignments)-1].ID
			}(), "3", "其所在单位系承担单位的下属单位")
			if err != nil || !strings.Contains(rv.Assignments[len(rv.Assignments)-1].RecusalGround, "使用单位要求：第十条(三)") {
				t.Fatalf("required recusal: %v", err)
			}
			if ns, _ := f.DB.Read(ctx).NotificationsFor(idle, 10); len(ns) == 0 || ns[0].Title != "使用单位要求回避" {
				t.Fatalf("notice of the required recusal: %+v", ns)
			}
			_, err = f.DrawExperts(ctx, f.cy, c.ID)
			greenWant(t, err, gengxin.ERuleRefused, "EX-04")
			// After submitting, the first expert sees answered opinions only.
			v1, _ := f.Consultation(ctx, drawn[0], c.ID)
			if len(v1.Assignments) != 1 {
				t.Fatalf("after submitting: %+v", v1.Assignments)
			}
			// Fee, by the using unit only, after the opinion.
			_, err = f.RecordFee(ctx, f.zjw, c.ID, aids[0], "0.2", "")
			wantCode(t, err, gengxin.EForbidden)
			_, err = f.RecordFee(ctx, f.cy, c.ID, aids[1], "0.2", "")
			wantCode(t, err, gengxin.EConflict)
			if v, err := f.RecordFee(ctx, f.cy, c.ID, aids[0], "0.20", "按市级标准"); err != nil || v.Assignments[0].FeeWan != "0.2" {
				t.Fatalf("fee: %v", err)
			}
			_, err = f.RecordFee(ctx, f.cy, c.ID, aids[0], "abc", "")
			wantCode(t, err, gengxin.EInvalid)
			var buf bytes.Buffer
			if err := f.ExportConsultations(ctx, f.cy, &buf); err != nil {
				t.Fatal(err)
			}
			if tab, err := xlsx.ReadTable(bytes.NewReader(buf.Bytes()), ""); err != nil || len(tab) != 2+3 || !strings.Contains(strings.Join(tab[2], "|"), "0.2") {
				t.Fatalf("consultation export: %v %v", tab, err)
			}
			if err := f.ExportConsultations(ctx, f.exp1, &buf); gengxin.ErrorCode(err) != gengxin.EForbidden {
				t.Fatalf("expert export: %v", err)
			}
		})
	}
}

func TestExitedAndLapsedNeverDrawn(t *testing.T) {
	f := newExperts(t, storetest.Dialects[0])
	a := f.appointed(expertIn("甲", "1960-01-01", "某院", "金融投资"), "")
	b := f.appointed(expertIn("乙", "1960-01-01", "某院二", "金融投资"), "")
	if _, err := f.ExitExpert(ctx, f.zjw, a.ID, app.ExitInput{Ground: 2, Reason: "受到行政处罚", RecommenderOpinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	in := app.ConsultationInput{Subject: "政策", Kind: "policy", Fields: []string{"金融投资"}, ExpertsNeeded: 3, Undertaking: "某单位", Leader: "某人"}
	c, err := f.OpenConsultation(ctx, f.zjw, in)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ { // every draw: never the exited expert
		d, err := f.DrawExperts(ctx, f.zjw, c.ID)
		if i == 0 {
			if err != nil || len(d.Picked) != 1 || d.Picked[0].ExpertID != b.ID {
				t.Fatalf("draw %v %v", d, err)
			}
			continue
		}
		greenWant(t, err, gengxin.ERuleRefused, "EX-04")
	}
	// An expert invited when exiting: the invitation lapses, a replacement may be drawn.
	c3 := f.appointed(expertIn("丙", "1960-01-01", "某院三", "金融投资"), "")
	in.ExpertsNeeded = 1
	cc, _ := f.OpenConsultation(ctx, f.zjw, in)
	d, err := f.DrawExperts(ctx, f.zjw, cc.ID)
	if err != nil {
		t.Fatal(err)
	}
	first := d.Picked[0].ExpertID
	if _, err := f.ExitExpert(ctx, f.zjw, first, app.ExitInput{Ground: 1, Reason: "本人申请", RecommenderOpinion: "同意"}); err != nil {
		t.Fatal(err)
	}
	d, err = f.DrawExperts(ctx, f.zjw, cc.ID)
	if err != nil || len(d.Picked) != 1 || d.Picked[0].ExpertID == first || (d.Picked[0].ExpertID != b.ID && d.Picked[0].ExpertID != c3.ID) {
		t.Fatalf("replacement after exit: %+v %v", d, err)
	}
	// After the last day 2027-06-03 (D1) membership has lapsed: not drawn, no opinion.
	f.LinkExpertAccount(ctx, f.zjw, d.Picked[0].ExpertID, f.exp1.Username)
	cv, _ := f.Consultation(ctx, f.zjw, cc.ID)
	var aid int64
	for _, as := range cv.Assignments {
		if as.ExpertID == d.Picked[0].ExpertID {
			aid = as.ID
		}
	}
	f.setDay("2027-06-04")
	_, err = f.SubmitOpinion(ctx, f.exp1, cc.ID, aid, "意见")
	greenWant(t, err, gengxin.EConflict, "任期已届满")
	c2, _ := f.OpenConsultation(ctx, f.zjw, in)
	_, err = f.DrawExperts(ctx, f.zjw, c2.ID)
	greenWant(t, err, gengxin.ERuleRefused, "EX-04")
	_, err = f.Experts(ctx, f.zjw, app.ExpertFilter{Status: "bogus"})
	wantCode(t, err, gengxin.EInvalid)
}

func TestDrawFromPoolReproducible(t *testing.T) {
	pool := map[string][]int64{"城市设计": {1, 2, 3, 4, 5, 6, 7, 8}, "历史文化": {9, 10, 11}}
	fields := []string{"城市设计", "历史文化"}
	a := app.DrawFromPool(42, pool, fields, 4)
	if b := app.DrawFromPool(42, pool, fields, 4); !slices.Equal(a, b) || len(a) != 4 {
		t.Fatalf("same seed: %v vs %v", a, b)
	}
	differs := false
	for s := uint64(1); s < 20 && !differs; s++ {
		differs = !slices.Equal(a, app.DrawFromPool(s+100, pool, fields, 4))
	}
	if !differs {
		t.Fatal("the seed does not matter")
	}
	if a[0].Field != "城市设计" || a[1].Field != "历史文化" {
		t.Fatalf("round robin over fields: %v", a)
	}
	if got := app.DrawFromPool(1, pool, fields, 20); len(got) != 11 {
		t.Fatalf("exhausted pools: %d", len(got))
	}
}

func TestExpertAnnualReportsAndMeetings(t *testing.T) {
	f := newExperts(t, storetest.Dialects[0])
	v := f.appointed(expertIn("甲", "1960-01-01", "某院", "社会治理"), "")
	f.appointed(expertIn("乙", "1960-01-01", "某院", "社会治理"), "")
	if _, err := f.LinkExpertAccount(ctx, f.zjw, v.ID, f.exp1.Username); err != nil {
		t.Fatal(err)
	}
	_, err := f.LinkExpertAccount(ctx, f.zjw, v.ID, f.cy.Username)
	wantCode(t, err, gengxin.EInvalid)
	missing, _ := f.Experts(ctx, f.zjw, app.ExpertFilter{MissingReport: true})
	if len(missing) != 2 || missing[0].Report.Rule != "EX-03" || missing[0].Report.Outcome != rules.Warn {
		t.Fatalf("missing: %d", len(missing))
	}
	_, err = f.SubmitExpertReport(ctx, f.exp1, app.ReportInput{Year: 2030, Title: "t", Body: "b"})
	wantCode(t, err, gengxin.EInvalid)
	// The first report year is the 办法's own (京建法〔2024〕3号 第十四条).
	_, err = f.SubmitExpertReport(ctx, f.exp1, app.ReportInput{Year: 2023, Title: "t", Body: "b"})
	wantErr(t, err, gengxin.EInvalid, "年度应在 2024 至")
	_, err = f.SubmitExpertReport(ctx, f.exp2, app.ReportInput{Title: "t", Body: "b"})
	wantCode(t, err, gengxin.ENotFound)
	if _, err := f.SubmitExpertReport(ctx, f.exp1, app.ReportInput{Title: "老旧小区更新中的社会治理", Body: "建议……"}); err != nil {
		t.Fatal(err)
	}
	missing, _ = f.Experts(ctx, f.zjw, app.ExpertFilter{MissingReport: true})
	if len(missing) != 1 || missing[0].Name != "乙" {
		t.Fatalf("after the report: %+v", missing)
	}
	if reps, _ := f.ExpertReports(ctx, f.exp1, 0); len(reps) != 1 {
		t.Fatalf("own reports %d", len(reps))
	}
	_, err = f.RecordExpertMeeting(ctx, f.ghw, app.MeetingInput{HeldOn: "2024-06-03", Title: "x", Minutes: "y"})
	wantCode(t, err, gengxin.EForbidden)
	m, err := f.RecordExpertMeeting(ctx, f.zjw, app.MeetingInput{HeldOn: "2024-06-03", Title: "年度集体会议", Attendees: []int64{v.ID}, Minutes: "研讨重大议题"})
	if err != nil || len(m.Attendees) != 1 {
		t.Fatal(err)
	}
	if ms, err := f.ExpertMeetings(ctx, f.exp1); err != nil || len(ms) != 1 {
		t.Fatalf("meetings %v", err)
	}
	var buf bytes.Buffer
	if err := f.ExportExperts(ctx, f.zjw, app.ExpertFilter{}, &buf); err != nil {
		t.Fatal(err)
	}
	table, err := xlsx.ReadTable(&buf, "")
	if err != nil || len(table) < 4 || strings.Contains(strings.Join(table[2], ""), "13800001111") {
		t.Fatalf("export: %v %v", table, err)
	}
}

// TestSeedDemoExperts: the demo has an expert aged 71 (appointed with a
// justification), a 院士 aged 75, an exited expert never drawn, and a
// consultation where expert1 has answered and expert2 cannot yet see it.
func TestSeedDemoExperts(t *testing.T) {
	a, _ := demoApp(t, storetest.Dialects[0], "2024-09-27")
	var out bytes.Buffer
	if err := a.SeedDemo(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "expert1") || !strings.Contains(out.String(), "shi-ghw") {
		t.Fatalf("logins: %s", out.String())
	}
	zjw, _ := a.DB.Read(ctx).UserByName("shi-zjw")
	list, err := a.Experts(ctx, zjw, app.ExpertFilter{Committee: app.MunicipalCommittee})
	if err != nil {
		t.Fatal(err)
	}
	cy, _ := a.DB.Read(ctx).UserByName("chaoyang-gx")
	if dl, err := a.Experts(ctx, cy, app.ExpertFilter{Status: "active"}); err != nil || len(dl) != 3 || dl[0].Committee != "朝阳区" {
		t.Fatalf("demo 朝阳区 committee: %d %v", len(dl), err)
	}
	var over70, academician, exited bool
	for _, v := range list {
		over70 = over70 || (v.Age == 71 && v.Current != nil && v.Current.AgeOutcome == "warn" && v.Current.Justification != "")
		academician = academician || (v.Age == 75 && v.Academician && v.Current.AgeOutcome == "pass")
		exited = exited || v.Status == app.ExpertExited
	}
	if !over70 || !academician || !exited || len(list) != 7 {
		t.Fatalf("demo experts: 71 %v, 院士 %v, exited %v, %d", over70, academician, exited, len(list))
	}
	e2, _ := a.DB.Read(ctx).UserByName("expert2")
	cs, _ := a.Consultations(ctx, e2)
	if len(cs) != 1 {
		t.Fatalf("expert2 consultations %d", len(cs))
	}
	v, err := a.Consultation(ctx, e2, cs[0].ID)
	if err != nil || v.Mine == nil || len(v.Assignments) != 1 || v.Assignments[0].Opinion != "" {
		t.Fatalf("expert2 view: %+v %v", v, err)
	}
	full, _ := a.Consultation(ctx, zjw, cs[0].ID)
	if len(full.Draws) != 1 || len(full.Draws[0].Excluded) != 2 {
		t.Fatalf("demo draw: %+v", full.Draws)
	}
}

// TestConcurrentDrawsNeverOverdraw: concurrent draws of one consultation
// serialise on its row; together they never draw more experts than the plan
// asks, and the losers get EConflict.
func TestConcurrentDrawsNeverOverdraw(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newExperts(t, d)
			for i := range 5 {
				f.appointed(expertIn(fmt.Sprintf("专家%d", i), "1965-01-01", fmt.Sprintf("单位%d", i), "工程建设"), "")
			}
			c, err := f.OpenConsultation(ctx, f.cy, app.ConsultationInput{Subject: "并发", Kind: "project", Fields: []string{"工程建设"}, ExpertsNeeded: 2, Undertaking: "某", Leader: "某"})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range errs {
				wg.Add(1)
				go func() { defer wg.Done(); _, errs[i] = f.DrawExperts(ctx, f.cy, c.ID) }()
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil && gengxin.ErrorCode(err) != gengxin.EConflict {
					t.Fatalf("draw: %v", err)
				}
			}
			v, _ := f.Consultation(ctx, f.cy, c.ID)
			if v.Active != 2 || len(v.Assignments) != 2 {
				t.Fatalf("%d experts drawn for a plan of 2 (%d draws)", len(v.Assignments), len(v.Draws))
			}
		})
	}
}

// TestExpertReportReminder: from November the sweep reminds, once a year,
// each expert in office without the year's 专项报告 (EX-03, D16: a warning,
// never an exit); one who has reported is not reminded.
func TestExpertReportReminder(t *testing.T) {
	f := newExperts(t, storetest.Dialects[0])
	a := f.appointed(expertIn("报告甲", "1970-01-01", "甲院", "城市设计"), "")
	b := f.appointed(expertIn("报告乙", "1971-01-01", "乙院", "城市设计"), "")
	if _, err := f.LinkExpertAccount(ctx, f.zjw, a.ID, f.exp1.Username); err != nil {
		t.Fatal(err)
	}
	if _, err := f.LinkExpertAccount(ctx, f.zjw, b.ID, f.exp2.Username); err != nil {
		t.Fatal(err)
	}
	if _, err := f.SubmitExpertReport(ctx, f.exp2, app.ReportInput{Year: 2024, Title: "城市更新专项报告", Body: "关于老旧厂房更新的建议"}); err != nil {
		t.Fatal(err)
	}
	reminders := func(day string) int {
		lines, err := f.Sweep(ctx, calendar.MustParseDate(day))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, l := range lines {
			if l.Action == "expert-report-reminder" {
				n++
			}
		}
		return n
	}
	if n := reminders("2024-10-31"); n != 0 {
		t.Fatalf("reminded in October: %d", n)
	}
	if n := reminders("2024-11-01"); n != 1 {
		t.Fatalf("reminders on 11-01: %d, want 1 (the expert without a report)", n)
	}
	if n := reminders("2024-11-15"); n != 0 {
		t.Fatalf("reminded twice: %d", n)
	}
	ns, _ := f.DB.Read(ctx).NotificationsFor(f.exp1, 10)
	if len(ns) == 0 || !strings.Contains(ns[0].Body, "2024年度专项报告") {
		t.Fatalf("the expert's inbox: %+v", ns)
	}
	if v, _ := f.Expert(ctx, f.zjw, a.ID); v.Status != app.ExpertAppointed {
		t.Fatal("a missing report is not an exit ground")
	}
}
