package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/uscc"
	"gengxin/xlsx"
)

// DemoPassword is the one password of every demo account (`serve --demo`).
// It satisfies CheckPasswordPolicy. Demo accounts belong in training and
// demonstration environments only.
const DemoPassword = "Demo-Gengxin-2024"

// demoMarker is the demo account created last: when it exists the demo has
// been loaded completely and SeedDemo creates nothing.
const demoMarker = "demo-admin"

// The validity window of 京建法〔2024〕2号 (DECISIONS D7): every demo step is
// dated inside it.
var (
	demoWindowStart = calendar.NewDate(2024, 5, 10)
	demoWindowEnd   = calendar.NewDate(2027, 5, 9)
)

type demoOrg struct {
	user, name, uscc17, contact string
}

// demoOrgs are invented companies; their codes are valid (uscc.Complete).
var demoOrgs = []demoOrg{
	{"qiye1", "北京京朝城市更新投资有限公司", "91110105MA01R3KP7", "王建国 010-85961234"},
	{"qiye2", "北京海科城市运营管理有限公司", "91110108MA02C6NU5", "李晓梅 010-62587412"},
	{"qiye3", "北京东华胡同文化发展有限公司", "91110101MA03HT2W8", "赵文博 010-65123698"},
	{"qiye4", "北京燕都产业园区运营有限公司", "91110000MA04BFGL3", "孙立新 010-84356721"},
}

type demoDistrict struct {
	slug, name string
}

var demoDistricts = []demoDistrict{{"chaoyang", "朝阳区"}, {"haidian", "海淀区"}, {"dongcheng", "东城区"}}

// demoDepts are the district departments that get demo accounts, with the
// username suffix of each.
var demoDepts = []struct{ suffix, dept string }{
	{"fg", "发展改革"}, {"gh", "规划自然资源"}, {"cz", "财政"}, {"zj", "住房城乡建设"}, {"jx", "经济和信息化"}, {"cg", "城市管理"},
	// The other departments of the default joint-review sets (project.go
	// DefaultReviewDepartments), so that a review opened with the defaults
	// can be completed in the demo.
	{"jt", "交通"}, {"kj", "科技"}, {"sw", "商务"}, {"mz", "民政"}, {"jy", "教育"}, {"wl", "文化旅游"}, {"wj", "卫生健康"},
}

func demoDeptSuffix(dept string) string {
	for _, d := range demoDepts {
		if d.dept == dept {
			return d.suffix
		}
	}
	return ""
}

var demoPeople = []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴倩", "徐斌", "孙丽",
	"马超", "朱琳", "胡军", "郭涛", "何平", "高洁", "林峰", "罗红", "郑凯", "梁燕", "谢明", "宋佳", "唐亮", "韩雪", "冯刚", "董慧"}

// demoAccounts lists every demo account in display order; the marker is last.
func demoAccounts() []NewUserInput {
	var out []NewUserInput
	person := 0
	next := func() string { p := demoPeople[person%len(demoPeople)]; person++; return p }
	for _, o := range demoOrgs {
		out = append(out, NewUserInput{Username: o.user, DisplayName: strings.Fields(o.contact)[0], Role: gengxin.RoleApplicant,
			OrgName: o.name, OrgUSCC: uscc.Complete(o.uscc17)})
	}
	for _, d := range demoDistricts {
		out = append(out, NewUserInput{Username: d.slug + "-gx", DisplayName: next(), Role: gengxin.RoleDistrictRenewal, District: d.name})
		for _, dp := range demoDepts {
			out = append(out, NewUserInput{Username: d.slug + "-" + dp.suffix, DisplayName: next(), Role: gengxin.RoleDistrictDept, District: d.name, Dept: dp.dept})
		}
		out = append(out, NewUserInput{Username: d.slug + "-zf", DisplayName: next(), Role: gengxin.RoleDistrictGov, District: d.name})
	}
	out = append(out,
		NewUserInput{Username: "shi-zjw", DisplayName: next(), Role: gengxin.RoleMunicipalHousing},
		NewUserInput{Username: "shi-jxj", DisplayName: next(), Role: gengxin.RoleMunicipalDept, Dept: "经济和信息化"},
		NewUserInput{Username: "shi-ghw", DisplayName: "程远", Role: gengxin.RoleMunicipalDept, Dept: "规划自然资源"},
		NewUserInput{Username: "expert1", DisplayName: "周文博", Role: gengxin.RoleExpert},
		NewUserInput{Username: "expert2", DisplayName: "钱思源", Role: gengxin.RoleExpert},
		NewUserInput{Username: "demo-sec", DisplayName: next(), Role: gengxin.RoleSecAdmin},
		NewUserInput{Username: "demo-audit", DisplayName: next(), Role: gengxin.RoleAuditAdmin},
		NewUserInput{Username: demoMarker, DisplayName: next(), Role: gengxin.RoleSysAdmin},
	)
	for i := range out {
		out[i].Password = DemoPassword
	}
	return out
}

// SeedDemo loads the demonstration data of `gengxin serve --demo` and prints
// the demo logins to w. It is idempotent: once the account "demo-admin"
// exists (it is created last) it only prints the logins.
//
// It creates the demo companies and officers of 朝阳区, 海淀区 and 东城区, the
// municipal housing commission and the three administrators, all with the
// password DemoPassword; then about thirty projects in every status, driven
// through the real services (CreateDraft, UpdateDraft, Act) by a second App
// on the same database whose fixed clock walks through past dates, so that
// events, deadlines, notices, documents and notifications are genuine. The
// dates are laid out backwards from a.Clock's today (clamped into
// 2024-05-10…2027-05-09, the validity of 京建法〔2024〕2号), so the demo looks
// current whenever it runs: some joint reviews are overdue, some due within
// two working days, one project's completion was accepted more than a year
// ago (the sweep exits it) and, when today allows it, one was included in a
// plan more than two years ago without an implementation plan (the sweep
// offers exit ground (四)).
//
// A run that failed half-way is not repaired: start again from a fresh
// database.
func (a *App) SeedDemo(ctx context.Context, w io.Writer) error {
	accounts := demoAccounts()
	if _, err := a.DB.Read(ctx).UserByName(demoMarker); err == nil {
		fmt.Fprintln(w, "演示数据已存在，本次未重复创建。")
		printDemoLogins(w, accounts, a.BaseURL)
		return nil
	} else if gengxin.ErrorCode(err) != gengxin.ENotFound {
		return err
	}

	// A same-named account that is not the demo's (another role, district,
	// department or company) must not receive demo projects.
	for _, in := range accounts {
		u, err := a.DB.Read(ctx).UserByName(in.Username)
		if err != nil {
			continue
		}
		if u.Role != in.Role || u.District != in.District || u.Dept != in.Dept || u.OrgUSCC != in.OrgUSCC {
			return gengxin.Errorf(gengxin.EConflict, "账户 %s 已存在且不是演示账户，未载入演示数据", in.Username)
		}
	}

	tl := newDemoTimeline(a.Calendar(), a.Today())
	clock := &gengxin.FixedClock{}
	s := &App{DB: a.DB, Clock: clock, Files: a.Files, BaseURL: a.BaseURL, Log: a.Log}
	s.cal.Store(a.Calendar())
	b := &demoBuilder{s: s, tl: tl, users: map[string]*gengxin.User{}, last: map[*demoProject]calendar.Date{}, confirm: map[string]int{},
		admitted: map[*demoProject]calendar.Date{}}
	for _, spec := range demoSpecs {
		b.scenario(spec)
	}
	sort.SliceStable(b.steps, func(i, j int) bool { return b.steps[i].on.Before(b.steps[j].on) })

	// Accounts first, dated the day before the first step.
	first := tl.ref
	if len(b.steps) > 0 {
		first = b.steps[0].on
	}
	clock.T = demoTime(first, -1)
	if err := s.addDemoUsers(ctx, accounts[:len(accounts)-1]); err != nil {
		return err
	}
	for _, in := range accounts[:len(accounts)-1] {
		u, err := a.DB.Read(ctx).UserByName(in.Username)
		if err != nil {
			return err
		}
		b.users[in.Username] = u
	}

	day, k := calendar.Date{}, 0
	for i, st := range b.steps {
		if st.on != day {
			day, k = st.on, 0
		}
		clock.T = demoTime(st.on, k)
		k++
		if err := st.run(ctx); err != nil {
			return fmt.Errorf("演示数据第%d步（项目「%s」%s，%s）失败：%w", i+1, st.p.spec.name, st.label, st.on, err)
		}
	}

	if err := b.demoInventory(ctx); err != nil {
		return fmt.Errorf("演示数据（老旧厂房摸底清单）失败：%w", err)
	}
	if err := a.seedDemoExperts(ctx); err != nil {
		return fmt.Errorf("演示专家数据：%w", err)
	}
	if err := s.seedCoordinatorDemo(ctx, clock, b.users, tl.ref); err != nil {
		return err
	}

	// The marker last, on the App's own clock.
	if _, err := a.AddUser(ctx, accounts[len(accounts)-1]); err != nil {
		return err
	}
	fmt.Fprintf(w, "已载入演示数据：%d 个账户，%d 个项目（办理记录按 %s 前的日期生成）。\n", len(accounts), len(b.projects), tl.ref)
	printDemoLogins(w, accounts, a.BaseURL)
	return nil
}

// addDemoUsers creates the accounts not yet present, hashing in parallel
// (a PBKDF2 hash takes a fraction of a second).
func (a *App) addDemoUsers(ctx context.Context, accounts []NewUserInput) error {
	work := make(chan NewUserInput)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range work {
				if _, err := a.DB.Read(ctx).UserByName(in.Username); err == nil {
					continue
				}
				if _, err := a.AddUser(ctx, in); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("演示账户 %s：%w", in.Username, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, in := range accounts {
		work <- in
	}
	close(work)
	wg.Wait()
	return firstErr
}

// demoTime returns the instant of the k-th demo step on day d (k = -1: the
// evening before): office hours, three minutes apart.
func demoTime(d calendar.Date, k int) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, calendar.Beijing)
	if k < 0 {
		return t.Add(-12 * time.Hour)
	}
	if k < 200 {
		return t.Add(time.Duration(k) * 3 * time.Minute)
	}
	return t.Add(10*time.Hour + time.Duration(k)*time.Second)
}

// printDemoLogins prints the demo accounts as a table and where to sign in
// (baseURL, by default http://127.0.0.1:8080).
func printDemoLogins(w io.Writer, accounts []NewUserInput, baseURL string) {
	rows := [][]string{{"用户名", "角色", "所属区 / 部门 / 单位", "密码"}}
	for _, in := range accounts {
		scope := "—"
		switch {
		case in.Role == gengxin.RoleApplicant:
			scope = in.OrgName
		case in.Role == gengxin.RoleDistrictDept:
			scope = gengxin.DepartmentFullName(in.District, in.Dept)
		case in.Role.IsDistrictRole():
			scope = in.District
		case in.Role == gengxin.RoleMunicipalHousing:
			scope = "北京市住房和城乡建设委员会"
		case in.Role == gengxin.RoleMunicipalDept && in.Dept == "经济和信息化":
			scope = "北京市经济和信息化局"
		case in.Role == gengxin.RoleMunicipalDept && in.Dept == "规划自然资源":
			scope = "北京市规划和自然资源委员会"
		case in.Role == gengxin.RoleExpert:
			scope = "北京市城市更新专家委员会"
		}
		rows = append(rows, []string{in.Username, in.Role.Label(), scope, in.Password})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	fmt.Fprintln(w, "演示账户（密码均为 "+DemoPassword+"）：")
	for n, r := range rows {
		var sb strings.Builder
		for i, c := range r {
			sb.WriteString(c)
			if i < len(r)-1 {
				sb.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, sb.String())
		if n == 0 {
			total := 0
			for _, x := range widths {
				total += x + 2
			}
			fmt.Fprintln(w, strings.Repeat("-", total-2))
		}
	}
	if baseURL == "" {
		baseURL = "http://127.0.0.1:8080"
	}
	fmt.Fprintln(w, "请在浏览器中打开 "+strings.TrimRight(baseURL, "/")+"/login ，用上表任一账户登录。")
}

// displayWidth is the terminal width of s: East Asian wide characters take two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// demoTimeline computes step dates relative to today, inside the window.
type demoTimeline struct {
	cal    *calendar.Calendar
	ref    calendar.Date // today, clamped into the window
	lo, hi calendar.Date
}

func newDemoTimeline(cal *calendar.Calendar, today calendar.Date) *demoTimeline {
	t := &demoTimeline{cal: cal, lo: demoWindowStart, hi: today}
	if t.hi.After(demoWindowEnd) {
		t.hi = demoWindowEnd
	}
	t.ref = t.clamp(today)
	return t
}

func (t *demoTimeline) clamp(d calendar.Date) calendar.Date {
	if d.After(t.hi) {
		d = t.hi
	}
	if d.Before(t.lo) {
		d = t.lo
	}
	return d
}

// wd returns the working day n working days before the reference day.
func (t *demoTimeline) wd(n int) calendar.Date {
	d := t.ref
	for k := 0; k < n; {
		d = d.AddDays(-1)
		if t.cal.IsWorkday(d) {
			k++
		}
	}
	return t.clamp(d)
}

// ago returns the working day on or before n calendar days before the reference day.
func (t *demoTimeline) ago(n int) calendar.Date {
	d := t.ref.AddDays(-n)
	for !t.cal.IsWorkday(d) {
		d = d.AddDays(-1)
	}
	return t.clamp(d)
}

// after returns the date n working days after d.
func (t *demoTimeline) after(d calendar.Date, n int) calendar.Date {
	return t.clamp(t.cal.AddWorkdays(d, n))
}

type demoSpec struct {
	path                            string
	ago                             int // calendar days before today the story starts (long paths)
	org                             int // index into demoOrgs
	district                        string
	name, category, street, address string
	goal, fund, land, building      string
	role                            gengxin.EntityRole
	major, cross                    bool
}

type demoProject struct {
	spec demoSpec
	slug string // district slug of the officers' usernames
	id   int64
	in   ProjectInput
}

type demoStep struct {
	on    calendar.Date
	p     *demoProject
	label string
	run   func(ctx context.Context) error
}

type demoBuilder struct {
	s        *App
	tl       *demoTimeline
	users    map[string]*gengxin.User
	steps    []demoStep
	projects []*demoProject
	last     map[*demoProject]calendar.Date
	confirm  map[string]int
	admitted map[*demoProject]calendar.Date // the day a project entered the reserve library
}

// add schedules a step; a project's steps never go back in time.
func (b *demoBuilder) add(p *demoProject, on calendar.Date, label string, run func(ctx context.Context) error) calendar.Date {
	on = b.tl.clamp(on)
	if last, ok := b.last[p]; ok && on.Before(last) {
		on = last
	}
	b.last[p] = on
	b.steps = append(b.steps, demoStep{on: on, p: p, label: label, run: run})
	return on
}

func (b *demoBuilder) user(name string) (*gengxin.User, error) {
	u := b.users[name]
	if u == nil {
		return nil, fmt.Errorf("演示账户 %s 不存在", name)
	}
	return u, nil
}

func (b *demoBuilder) act(p *demoProject, on calendar.Date, who string, act gengxin.Action, in ActionInput) calendar.Date {
	return b.add(p, on, act.Label(), func(ctx context.Context) error {
		u, err := b.user(who)
		if err != nil {
			return err
		}
		_, err = b.s.Act(ctx, u, p.id, act, in)
		return err
	})
}

func (b *demoBuilder) create(p *demoProject, on calendar.Date) calendar.Date {
	return b.add(p, on, "创建申报草稿", func(ctx context.Context) error {
		u, err := b.user(demoOrgs[p.spec.org].user)
		if err != nil {
			return err
		}
		np, err := b.s.CreateDraft(ctx, u, p.in)
		if err != nil {
			return err
		}
		p.id = np.ID
		return nil
	})
}

func (b *demoBuilder) applicant(p *demoProject) string { return demoOrgs[p.spec.org].user }
func (b *demoBuilder) renewal(p *demoProject) string   { return p.slug + "-gx" }
func (b *demoBuilder) gov(p *demoProject) string       { return p.slug + "-zf" }
func (b *demoBuilder) dept(p *demoProject, dept string) string {
	return p.slug + "-" + demoDeptSuffix(dept)
}
func (b *demoBuilder) industry(p *demoProject) string {
	return b.dept(p, gengxin.Category(p.spec.category).DefaultIndustryDept())
}

// reviewDepts are the departments invited to a demo joint review: the core
// four of 第十六条 plus the category's own department among the demo ones.
func reviewDepts(c gengxin.Category) []string {
	ds := []string{"发展改革", "规划自然资源", "财政", "住房城乡建设"}
	switch c {
	case gengxin.Industrial:
		ds = append(ds, "经济和信息化")
	case gengxin.Residential, gengxin.PublicSpace:
		ds = append(ds, "城市管理")
	}
	return ds
}

var demoApprovals = []string{
	"符合区域发展定位和国土空间规划要求，同意纳入储备项目库。",
	"资金匡算依据基本充分，同意。",
	"项目符合行业发展规划，同意。",
	"原则同意，请在实施方案编制阶段进一步细化建设内容。",
	"",
}

func (b *demoBuilder) submit(p *demoProject, on calendar.Date) calendar.Date {
	return b.act(p, on, b.applicant(p), gengxin.ActSubmit, ActionInput{})
}

func (b *demoBuilder) openReview(p *demoProject, on calendar.Date) calendar.Date {
	return b.act(p, on, b.renewal(p), gengxin.ActOpenReview, ActionInput{Departments: reviewDepts(gengxin.Category(p.spec.category))})
}

func (b *demoBuilder) opinion(p *demoProject, on calendar.Date, dept, verdict, text string) calendar.Date {
	return b.act(p, on, b.dept(p, dept), gengxin.ActOpinion, ActionInput{Verdict: verdict, Text: text})
}

// opinions has the first n invited departments give their opinions,
// approving unless a verdict is given for them, from day on.
func (b *demoBuilder) opinions(p *demoProject, on calendar.Date, n int, verdicts map[string][2]string) calendar.Date {
	depts := reviewDepts(gengxin.Category(p.spec.category))
	for i, d := range depts[:min(n, len(depts))] {
		v, text := "approve", demoApprovals[i%len(demoApprovals)]
		if x, ok := verdicts[d]; ok {
			v, text = x[0], x[1]
		}
		on = b.opinion(p, b.tl.after(on, i%2), d, v, text)
	}
	return on
}

// toReserve files the project on day start and has it admitted by its
// route's authority; it returns the admission day.
func (b *demoBuilder) toReserve(p *demoProject, start calendar.Date, objection bool) calendar.Date {
	b.create(p, start)
	sub := b.submit(p, b.tl.after(start, 1))
	switch {
	case p.spec.major || p.spec.cross:
		in := ActionInput{}
		if p.spec.cross {
			in.District = p.spec.district // 市住房城乡建设部门指定纳入的区级项目库
		}
		return b.act(p, b.tl.after(sub, 15), "shi-zjw", gengxin.ActAdmit, in)
	case gengxin.Category(p.spec.category) == gengxin.Comprehensive:
		return b.act(p, b.tl.after(sub, 10), b.gov(p), gengxin.ActAdmit, ActionInput{})
	}
	rv := b.openReview(p, b.tl.after(sub, 1))
	var verdicts map[string][2]string
	in := ActionInput{}
	if objection {
		verdicts = map[string][2]string{"财政": {"correct", "资金筹措方案中社会资本出资比例依据不足，建议在实施方案阶段予以明确。"}}
		in.Reason = "财政部门意见涉及资金筹措细节，不影响入库条件，已要求申报主体在实施方案阶段落实。"
	}
	last := b.opinions(p, b.tl.after(rv, 2), 9, verdicts)
	adm := b.act(p, b.tl.after(last, 2), b.renewal(p), gengxin.ActAdmit, in)
	b.admitted[p] = adm
	return adm
}

func (b *demoBuilder) promote(p *demoProject, on calendar.Date) calendar.Date {
	d, _ := gengxin.LookupDistrict(p.spec.district)
	var doc string
	on = b.tl.clamp(on)
	b.confirm[p.spec.district]++
	doc = fmt.Sprintf("%s更新确〔%d〕%d号", d.Abbr, on.Year, b.confirm[p.spec.district])
	yes := true
	return b.act(p, on, b.industry(p), gengxin.ActPromote, ActionInput{ConfirmationDocument: doc, PlanningAndUseClear: &yes, IndustryDeptCertified: &yes})
}

func (b *demoBuilder) plan(p *demoProject, on calendar.Date, startNextYear bool) calendar.Date {
	on = b.tl.clamp(on)
	if last := b.last[p]; on.Before(last) {
		on = last
	}
	start := on.Year
	if startNextYear {
		start++
	}
	yes := true
	return b.act(p, on, b.gov(p), gengxin.ActPlan, ActionInput{Year: on.Year, ExpectedStartYear: start, StableFunding: &yes, CompliesWithPlans: &yes})
}

func (b *demoBuilder) record(p *demoProject, on calendar.Date, kind, text string) calendar.Date {
	return b.act(p, on, b.industry(p), gengxin.ActRecord, ActionInput{Kind: kind, Text: text})
}

func (b *demoBuilder) scenario(spec demoSpec) {
	p := &demoProject{spec: spec}
	for _, d := range demoDistricts {
		if d.name == spec.district {
			p.slug = d.slug
		}
	}
	yes := true
	o := demoOrgs[spec.org]
	role := spec.role
	if role == "" {
		role = gengxin.Implementer
	}
	p.in = ProjectInput{Name: spec.name, Category: spec.category, District: spec.district, Street: spec.street, Address: spec.address,
		Goal: spec.goal, FundEstimateWan: DecimalArg(spec.fund), LandAreaM2: DecimalArg(spec.land), BuildingAreaM2: DecimalArg(spec.building),
		EntityName: o.name, EntityUSCC: uscc.Complete(o.uscc17), EntityRole: string(role), Contact: o.contact,
		Major: spec.major, CrossDistrict: spec.cross, CompliesWithPlans: &yes}
	b.projects = append(b.projects, p)
	tl := b.tl
	items := []string{"项目用地权属证明材料（不动产权证书或土地使用证明）", "资金筹措方案及资金匡算编制依据", "产权单位及相关权利人同意更新的书面意见"}

	switch spec.path {
	case "draft":
		b.create(p, tl.ago(2))

	case "submitted-overdue": // 联合审查时限已过
		b.create(p, tl.wd(14))
		b.submit(p, tl.wd(12))
	case "submitted-due-soon": // 还剩2个工作日
		b.create(p, tl.wd(9))
		b.submit(p, tl.wd(8))
	case "submitted-new":
		b.create(p, tl.wd(2))
		b.submit(p, tl.wd(1))
	case "submitted-gov": // 区域综合性：区政府研究确定，不计联合审查时限
		b.create(p, tl.ago(24))
		b.submit(p, tl.ago(20))

	case "review-partial-soon":
		b.create(p, tl.wd(8))
		b.submit(p, tl.wd(7))
		b.openReview(p, tl.wd(6))
		b.opinion(p, tl.wd(4), "发展改革", "approve", demoApprovals[0])
		b.opinion(p, tl.wd(3), "规划自然资源", "approve", "项目位于规划城镇建设用地范围内，符合街区控制性详细规划，同意。")
	case "review-partial-overdue":
		b.create(p, tl.wd(15))
		b.submit(p, tl.wd(13))
		b.openReview(p, tl.wd(12))
		b.opinion(p, tl.wd(10), "财政", "approve", "资金匡算依据基本充分，同意。")
	case "review-partial-fresh":
		b.create(p, tl.wd(6))
		b.submit(p, tl.wd(5))
		b.openReview(p, tl.wd(4))
		b.opinion(p, tl.wd(2), "住房城乡建设", "approve", "同意。请在实施阶段落实质量安全监管要求。")
	case "review-complete": // 意见已齐，待作出入库决定
		b.create(p, tl.wd(10))
		b.submit(p, tl.wd(9))
		b.openReview(p, tl.wd(8))
		b.opinions(p, tl.wd(6), 9, nil)
	case "review-round2": // 补正后重新提交，第二轮联合审查
		b.create(p, tl.wd(27))
		b.submit(p, tl.wd(25))
		b.openReview(p, tl.wd(24))
		b.opinions(p, tl.wd(22), 9, map[string][2]string{"规划自然资源": {"correct", "请补充项目用地权属证明材料及现状建筑测绘报告。"}})
		b.act(p, tl.wd(20), b.renewal(p), gengxin.ActRequestCorrection, ActionInput{Items: items[:2]})
		b.add(p, tl.wd(5), "补正申报信息", func(ctx context.Context) error {
			u, err := b.user(b.applicant(p))
			if err != nil {
				return err
			}
			in := p.in
			if f, err := strconv.ParseFloat(spec.fund, 64); err == nil {
				in.FundEstimateWan = DecimalArg(strconv.FormatFloat(f*1.12, 'f', 2, 64)) // 补充配套工程后的资金匡算
			}
			in.Goal = spec.goal + "资金来源为实施主体自有资金、银行贷款及市区两级补助资金。"
			_, err = b.s.UpdateDraft(ctx, u, p.id, in)
			return err
		})
		b.act(p, tl.wd(4), b.applicant(p), gengxin.ActResubmit, ActionInput{})
		b.opinion(p, tl.wd(2), "规划自然资源", "approve", "补正材料齐全，符合规划要求，同意。")

	case "correction-review":
		b.create(p, tl.wd(11))
		b.submit(p, tl.wd(10))
		b.openReview(p, tl.wd(9))
		b.opinion(p, tl.wd(7), "规划自然资源", "correct", "请补充项目用地权属证明材料。")
		b.act(p, tl.wd(6), b.renewal(p), gengxin.ActRequestCorrection, ActionInput{Items: items})
	case "correction-gov":
		b.create(p, tl.ago(40))
		b.submit(p, tl.ago(35))
		b.act(p, tl.ago(21), b.gov(p), gengxin.ActRequestCorrection, ActionInput{Items: []string{"片区更新范围示意图及现状调查报告", "各类更新单元的实施时序安排", "资金平衡测算"}})

	case "rejected":
		start := tl.ago(spec.ago)
		b.create(p, start)
		sub := b.submit(p, tl.after(start, 1))
		rv := b.openReview(p, tl.after(sub, 1))
		last := b.opinions(p, tl.after(rv, 2), 9, map[string][2]string{
			"规划自然资源": {"reject", "项目部分用地位于规划绿地范围内，拟建内容不符合国土空间规划要求，不同意纳入。"},
			"发展改革":   {"correct", "建议进一步论证项目必要性和资金平衡方案。"},
		})
		b.act(p, tl.after(last, 2), b.renewal(p), gengxin.ActReject, ActionInput{Reason: "经联合审查，项目拟建内容与国土空间规划确定的用地性质不符，不符合《北京市城市更新项目库管理办法（试行）》第九条(一)的要求，不予纳入储备项目库。"})

	case "reserve":
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		b.record(p, tl.after(adm, 15), "定期查验", "现场查验：项目前期工作正常推进，已完成现状测绘和居民意愿征询。")
	case "reserve-objection":
		adm := b.toReserve(p, tl.ago(spec.ago), true)
		b.record(p, tl.after(adm, 10), "日常管理", "已督促实施主体补充完善资金筹措方案。")
	case "reserve-plain":
		b.toReserve(p, tl.ago(spec.ago), false)

	case "impl": // 已调整至实施项目库，尚未纳入计划
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		b.promote(p, tl.after(adm, 40))
	case "impl-plan": // 纳入本年度计划
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		pr := b.promote(p, tl.after(adm, 15))
		b.plan(p, tl.after(pr, 10), false)
		b.record(p, tl.ago(12), "定期查验", "项目已完成施工招标，计划下月开工。")
	case "impl-plan-done":
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		pr := b.promote(p, tl.after(adm, 20))
		b.plan(p, tl.after(pr, 15), true)
		b.act(p, tl.ago(30), b.industry(p), gengxin.ActPlanDone, ActionInput{})
	case "impl-plan-last-year":
		planDay := tl.clamp(calendar.NewDate(tl.ref.Year-1, 11, 20))
		adm := b.toReserve(p, planDay.AddDays(-110), false)
		pr := b.promote(p, tl.after(adm, 20))
		b.plan(p, maxDate(planDay, pr), true)
		b.record(p, tl.ago(45), "信息维护", "更新项目联系人及实施进度信息。")
	case "impl-completed-recent": // 竣工验收合格未满一年
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		pr := b.promote(p, tl.after(adm, 15))
		b.plan(p, tl.after(pr, 10), true)
		b.act(p, tl.ago(200), b.industry(p), gengxin.ActPlanDone, ActionInput{})
		b.act(p, tl.ago(60), b.industry(p), gengxin.ActComplete, ActionInput{})
	case "impl-auto-exit": // 竣工验收合格满一年：sweep 自动出库（第二十条(一)）
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		pr := b.promote(p, tl.after(adm, 10))
		b.plan(p, tl.after(pr, 10), false)
		b.act(p, tl.ago(480), b.industry(p), gengxin.ActPlanDone, ActionInput{})
		b.act(p, tl.ago(400), b.industry(p), gengxin.ActComplete, ActionInput{})
	case "impl-stale-plan": // 纳入计划满2年未完成实施方案编制：sweep 提示第二十条(四)
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		pr := b.promote(p, tl.after(adm, 5))
		b.plan(p, maxDate(pr, tl.ago(745)), true)
		b.record(p, tl.ago(100), "定期查验", "实施方案仍在编制中，已督促实施主体加快推进。")

	case "exit-voluntary": // 第二十条(二)
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		b.act(p, maxDate(tl.after(adm, 10), tl.ago(25)), b.industry(p), gengxin.ActExit, ActionInput{Ground: 2,
			Reason: "实施主体因投资计划调整书面申请自愿退出项目库，经区级行业主管部门认定同意。"})
	case "exit-infeasible": // 第二十条(三)
		adm := b.toReserve(p, tl.ago(spec.ago), false)
		pr := b.promote(p, tl.after(adm, 20))
		b.act(p, maxDate(tl.after(pr, 10), tl.ago(15)), b.industry(p), gengxin.ActExit, ActionInput{Ground: 3,
			Reason: "项目用地涉及权属争议，经行业主管部门组织核查，短期内无法解决，确属不具备可实施性。"})
	case "import", "import-admit": // 第十一条：已经行业主管部门审核确认的项目直接导入
		on := tl.ago(spec.ago)
		b.add(p, on, "直接导入", func(ctx context.Context) error { return b.importProject(ctx, p) })
		if spec.path == "import-admit" {
			b.act(p, tl.after(on, 3), b.renewal(p), gengxin.ActAdmit, ActionInput{})
		}
	default:
		panic("demo: unknown path " + spec.path)
	}
	b.oldFactoryDemo(p)
}

// importProject imports the project as a one-row file by the category's
// industry department (京建法〔2024〕2号 第十一条).
func (b *demoBuilder) importProject(ctx context.Context, p *demoProject) error {
	dept := gengxin.Category(p.spec.category).DefaultIndustryDept()
	u, err := b.user(b.dept(p, dept))
	if err != nil {
		return err
	}
	today := b.s.Today()
	approved := b.s.Calendar().ReceiptDate(today.AddDays(-21))
	d, _ := gengxin.LookupDistrict(p.spec.district)
	contact := strings.Fields(p.in.Contact)
	row := xlsx.ImportRow{ExternalRef: fmt.Sprintf("%s%s审〔%d〕%d号", d.Abbr, map[string]string{"住房城乡建设": "住建", "经济和信息化": "经信", "发展改革": "发改", "城市管理": "城管"}[dept], approved.Year, 10+len(p.spec.name)%30),
		Name: p.in.Name, Category: p.in.Category, District: p.in.District, Street: p.in.Street, Address: p.in.Address, Goal: p.in.Goal,
		FundEstimateWan: string(p.in.FundEstimateWan), EntityName: p.in.EntityName, EntityUSCC: p.in.EntityUSCC, EntityRole: p.in.EntityRole,
		ApprovedBy: gengxin.DepartmentFullName(p.spec.district, dept), ApprovedOn: approved}
	if len(contact) == 2 {
		row.Contact, row.Phone = contact[0], contact[1]
	}
	var buf bytes.Buffer
	if err := xlsx.GenerateImportFile(&buf, []xlsx.ImportRow{row}); err != nil {
		return err
	}
	rep, err := b.s.Import(ctx, u, &buf)
	if err != nil {
		return err
	}
	if rep.Created != 1 || len(rep.Created_) != 1 {
		return fmt.Errorf("直接导入未创建项目：%+v", rep.Errors)
	}
	p.id = rep.Created_[0].ID
	return nil
}

func maxDate(a, b calendar.Date) calendar.Date {
	if a.After(b) {
		return a
	}
	return b
}

// demoSpecs are the demo projects: invented but plausible projects on real
// streets, one story each.
var demoSpecs = []demoSpec{
	// 朝阳区
	{path: "impl-plan", ago: 230, org: 3, district: "朝阳区", name: "酒仙桥电子城老旧厂房更新改造项目", category: "产业类", street: "酒仙桥街道",
		address: "朝阳区酒仙桥路4号院", goal: "盘活原电子工业老旧厂房存量空间，实施结构加固和节能改造，植入科技研发、数字创意等产业功能，打造高精尖产业空间。",
		fund: "28650.00", land: "36520.5", building: "58210.0"},
	{path: "reserve", ago: 160, org: 0, district: "朝阳区", name: "劲松北社区老旧小区综合整治项目", category: "居住类", street: "劲松街道",
		address: "朝阳区劲松北路劲松一区、二区", goal: "对1980年代建成的老旧住宅楼实施节能改造、管线更新和加装电梯，完善社区养老、托育和便民服务设施，改善居民居住条件。",
		fund: "12680.50", land: "52300", building: "186400"},
	{path: "review-partial-soon", org: 0, district: "朝阳区", name: "双井街道背街小巷环境整治提升项目", category: "公共空间类", street: "双井街道",
		address: "朝阳区双井街道广渠路南侧九龙山路沿线", goal: "整治背街小巷环境，规范停车秩序，优化慢行系统和绿化景观，增设街头休憩设施，提升街巷公共空间品质。",
		fund: "1860.00", land: "24500"},
	{path: "submitted-overdue", org: 3, district: "朝阳区", name: "呼家楼老旧商务楼宇更新改造项目", category: "产业类", street: "呼家楼街道",
		address: "朝阳区东三环中路39号", goal: "对建成超过25年的商务楼宇实施外立面、机电系统和智能化改造，提升楼宇能效和服务品质，吸引总部及专业服务企业入驻。",
		fund: "45300.00", land: "8960", building: "72400"},
	{path: "submitted-due-soon", org: 0, district: "朝阳区", name: "望京西园社区综合服务设施更新项目", category: "设施类", street: "望京街道",
		address: "朝阳区望京西园三区", goal: "利用社区闲置配套用房建设社区综合服务中心，补齐养老助餐、社区卫生和文化活动设施短板。",
		fund: "2350.00", land: "3200", building: "5600"},
	{path: "submitted-gov", org: 0, district: "朝阳区", name: "朝外大街片区综合性城市更新项目", category: "区域综合性", street: "朝外街道",
		address: "朝阳区朝阳门外大街沿线", goal: "以朝外大街片区为单元统筹存量楼宇、老旧小区和公共空间，一体化推进商业街区提质、居住环境改善和公共空间更新。",
		fund: "186000.00", land: "423000"},
	{path: "rejected", ago: 90, org: 3, district: "朝阳区", name: "高碑店地区传统商业设施转型升级项目", category: "产业类", street: "高碑店地区",
		address: "朝阳区高碑店乡西店村", goal: "将现状传统商业设施改造为文化创意和商务办公空间。",
		fund: "15800.00", land: "21000", building: "26500"},
	{path: "correction-review", org: 0, district: "朝阳区", name: "左家庄北里危旧楼房改建项目", category: "居住类", street: "左家庄街道",
		address: "朝阳区左家庄北里8号楼、9号楼", goal: "对经鉴定为C级、D级的危旧楼房实施原址改建，适当增加厨卫面积，完善市政配套，消除住房安全隐患。",
		fund: "9860.00", land: "6800", building: "14200"},
	{path: "draft", org: 0, district: "朝阳区", name: "幸福三村老旧小区综合整治项目", category: "居住类", street: "三里屯街道",
		address: "朝阳区幸福三村", goal: "实施楼本体改造和小区公共环境整治。", fund: "5400.00"},
	{path: "impl-auto-exit", ago: 640, org: 0, district: "朝阳区", name: "潘家园路市政管网更新改造项目", category: "设施类", street: "潘家园街道",
		address: "朝阳区潘家园路沿线", goal: "更新改造老旧供水、排水和燃气管线，实施雨污分流，消除管网运行安全隐患。",
		fund: "6420.00", land: "18600"},
	{path: "impl-stale-plan", ago: 800, org: 3, district: "朝阳区", name: "东坝地区老旧厂房更新利用项目", category: "产业类", street: "东坝地区",
		address: "朝阳区东坝乡东坝中路甲1号", goal: "盘活原建材企业老旧厂房，改造为智能制造中试基地和配套服务空间，推动产业转型升级。",
		fund: "32100.00", land: "64800", building: "41200"},
	{path: "exit-voluntary", ago: 270, org: 0, district: "朝阳区", name: "团结湖公园周边公共空间更新项目", category: "公共空间类", street: "团结湖街道",
		address: "朝阳区团结湖路16号周边", goal: "打通公园周边慢行通道，整治沿街界面，增设口袋公园和全龄友好活动场地。",
		fund: "2680.00", land: "15600"},
	{path: "reserve-plain", ago: 190, org: 0, district: "朝阳区", name: "亚运村片区综合性城市更新项目", category: "区域综合性", street: "亚运村街道",
		address: "朝阳区安立路以东、北四环以北区域", goal: "统筹片区内老旧小区、低效楼宇和体育设施资源，实施居住、产业、设施、公共空间一体化更新，推动片区功能完善和品质提升。",
		fund: "256000.00", land: "860000", role: gengxin.Coordinator},
	{path: "review-partial-overdue", org: 0, district: "朝阳区", name: "十里堡北里老旧小区综合整治项目", category: "居住类", street: "八里庄街道",
		address: "朝阳区十里堡北里", goal: "对小区实施楼本体节能改造、屋面防水和管线更新，增设无障碍设施和电动自行车充电设施。",
		fund: "7850.00", land: "41200", building: "132600"},

	// 海淀区
	{path: "impl", ago: 300, org: 1, district: "海淀区", name: "中关村东路老旧商务楼宇更新改造项目", category: "产业类", street: "中关村街道",
		address: "海淀区中关村东路18号", goal: "对老旧商务楼宇实施结构加固、机电更新和绿色低碳改造，打造科技企业孵化和研发办公空间。",
		fund: "38900.00", land: "12600", building: "68500"},
	{path: "reserve-objection", ago: 140, org: 1, district: "海淀区", name: "二里庄老旧小区综合整治项目", category: "居住类", street: "学院路街道",
		address: "海淀区学院路二里庄小区", goal: "实施老旧住宅楼节能改造、加装电梯和管线更新，整治小区停车和绿化环境，完善社区服务设施。",
		fund: "10260.00", land: "48500", building: "156300"},
	{path: "review-complete", org: 1, district: "海淀区", name: "交大东路背街小巷环境整治提升项目", category: "公共空间类", street: "北下关街道",
		address: "海淀区北下关街道交大东路沿线", goal: "整治街巷环境，实施架空线入地和立面整治，优化步行和骑行空间，增补街道家具和绿化。",
		fund: "1420.00", land: "16800"},
	{path: "submitted-new", org: 1, district: "海淀区", name: "安宁庄社区综合服务设施更新项目", category: "设施类", street: "清河街道",
		address: "海淀区清河街道安宁庄路11号", goal: "改造社区闲置用房为综合服务设施，设置养老驿站、社区食堂和便民服务网点。",
		fund: "1980.00", land: "2600", building: "4300"},
	{path: "impl-plan-done", ago: 330, org: 1, district: "海淀区", name: "增光路危旧楼房改建项目", category: "居住类", street: "甘家口街道",
		address: "海淀区甘家口街道增光路33号院", goal: "对危旧楼房实施原址改建，完善户型功能和市政配套设施，同步建设地下停车设施。",
		fund: "16750.00", land: "9800", building: "23600"},
	{path: "impl-plan-last-year", org: 3, district: "海淀区", name: "上地信息路老旧厂房更新改造项目", category: "产业类", street: "上地街道",
		address: "海淀区上地信息路2号", goal: "将老旧厂房改造为人工智能和软件信息产业研发空间，完善园区配套服务设施。",
		fund: "42600.00", land: "38700", building: "61500"},
	{path: "exit-infeasible", ago: 420, org: 1, district: "海淀区", name: "四季青镇低效产业园区转型升级项目", category: "产业类", street: "四季青镇",
		address: "海淀区四季青镇西四环北路以西", goal: "对低效产业园区实施整体改造，引入科技服务和文化创意产业。",
		fund: "56800.00", land: "102000", building: "86400"},
	{path: "reserve-plain", ago: 210, org: 3, major: true, district: "海淀区", name: "中关村大街沿线区域综合性城市更新项目", category: "区域综合性", street: "中关村街道",
		address: "海淀区中关村大街沿线（白颐路段）", goal: "统筹中关村大街沿线存量楼宇、公共空间和交通设施，建设科技创新街区，提升城市功能和空间品质。列入本市重大项目。",
		fund: "480000.00", land: "1250000", role: gengxin.Coordinator},
	{path: "draft", org: 1, district: "海淀区", name: "车道沟桥周边公共空间更新项目", category: "公共空间类", street: "紫竹院街道",
		address: "海淀区车道沟桥东南角", goal: "利用桥下及周边闲置空间建设口袋公园和健身场地。", fund: "860.00"},
	{path: "review-round2", org: 1, district: "海淀区", name: "马连洼北路老旧小区综合整治项目", category: "居住类", street: "马连洼街道",
		address: "海淀区马连洼北路1号院", goal: "实施老旧小区综合整治，完成楼本体改造、加装电梯和小区环境整治。",
		fund: "6120.00", land: "35200", building: "98600"},

	// 东城区
	{path: "reserve", ago: 120, org: 2, district: "东城区", name: "东四六条至八条胡同平房院落修缮更新项目", category: "居住类", street: "东四街道",
		address: "东城区东四六条、七条、八条", goal: "以申请式退租和保护性修缮为主要方式，恢复传统院落格局，改善居民居住条件，延续历史文化街区风貌。",
		fund: "23600.00", land: "42000", building: "31800"},
	{path: "correction-gov", org: 2, district: "东城区", name: "前门东区历史文化街区综合性城市更新项目", category: "区域综合性", street: "前门街道",
		address: "东城区前门东区草厂三条至十条", goal: "统筹历史文化街区保护与更新，实施院落修缮、市政设施改造和公共空间提升，推动文商旅融合发展。",
		fund: "168000.00", land: "380000", role: gengxin.Coordinator},
	{path: "review-partial-fresh", org: 2, district: "东城区", name: "崇文门外大街老旧商务楼宇更新改造项目", category: "产业类", street: "崇文门外街道",
		address: "东城区崇文门外大街3号", goal: "对老旧商务楼宇实施绿色低碳改造和功能提升，引入金融科技和专业服务企业。",
		fund: "26300.00", land: "7600", building: "48900"},
	{path: "impl-completed-recent", ago: 520, org: 2, district: "东城区", name: "天坛东里社区综合服务设施更新项目", category: "设施类", street: "天坛街道",
		address: "东城区天坛东里北区", goal: "改造社区配套用房，建设社区养老服务驿站、社区卫生服务站和居民活动中心。",
		fund: "3260.00", land: "4100", building: "6800"},
	{path: "rejected", ago: 150, org: 2, district: "东城区", name: "和平里北街背街小巷环境整治提升项目", category: "公共空间类", street: "和平里街道",
		address: "东城区和平里北街沿线", goal: "整治街巷环境，拓宽人行道，增设停车设施。", fund: "980.00", land: "9600"},
	{path: "reserve-plain", ago: 100, org: 2, cross: true, district: "东城区", name: "南中轴永定门外段公共空间更新项目", category: "公共空间类", street: "永定门外街道",
		address: "东城区永定门外大街沿线（东城区、西城区段）", goal: "落实中轴线申遗保护要求，整治沿线公共空间和街道界面，建设连续贯通的慢行系统和景观绿带。",
		fund: "35800.00", land: "126000"},
	{path: "submitted-overdue", org: 2, district: "东城区", name: "交道口南大街老旧小区综合整治项目", category: "居住类", street: "交道口街道",
		address: "东城区交道口南大街板厂胡同以南", goal: "对老旧小区实施节能改造、管线更新和环境整治，完善社区公共服务设施。",
		fund: "4380.00", land: "18600", building: "42300"},
	{path: "draft", org: 2, district: "东城区", name: "景山后街平房院落更新项目", category: "居住类", street: "景山街道",
		address: "东城区景山后街", goal: "", fund: ""},

	// 第十一条 直接导入
	{path: "import-admit", ago: 75, org: 0, district: "朝阳区", name: "垡头翠城老旧小区综合整治项目", category: "居住类", street: "垡头街道",
		address: "朝阳区垡头翠城馨园", goal: "经区住房城乡建设部门审核确认，实施老旧小区综合整治，完成楼本体节能改造、管线更新和小区环境整治。",
		fund: "8960.00"},
	{path: "import", ago: 6, org: 1, district: "海淀区", name: "花园路街道停车设施更新改造项目", category: "设施类", street: "花园路街道",
		address: "海淀区花园路街道北三环西路沿线", goal: "经区发展改革部门审核确认，利用边角空间建设立体停车设施，缓解周边居住区停车难问题。",
		fund: "4650.00"},
}

// synthetic projects ---------------------------------------------------------

// syntheticSeed fixes the generator: the same N gives the same projects.
const syntheticSeed = 20240510

// SyntheticPrefix starts the code of every synthetic project; real codes
// start with "GX".
const SyntheticPrefix = "DM"

// SeedSynthetic inserts n synthetic projects (`gengxin demo --projects N`,
// scale tests and training) spread over the 17 districts, the five
// categories and every status, with Chinese names built from parts so that
// substring search has realistic hits ("厂房更新" finds "…老旧厂房更新改造项目").
// Names, categories, districts, statuses and entities depend only on n and
// on how many synthetic projects the database already holds (the same n on
// a fresh database gives the same rows); dates are laid out backwards from
// the App's today inside 2024-05-10…2027-05-09, and submitted or in-review
// projects get their joint-review and entry-notice deadlines, some overdue.
//
// The rows are load data written by store.BulkInsertProjects: codes start
// with SyntheticPrefix, they belong to no organisation, and they have no
// events of their own; one event records the load, so the SM3 chain stays
// intact. Progress goes to w every 10,000 projects.
func (a *App) SeedSynthetic(ctx context.Context, n int, w io.Writer) error {
	if n < 1 || n > 10_000_000 {
		return gengxin.Errorf(gengxin.EInvalid, "合成项目数量应为1至10000000，实际为%d", n)
	}
	begin := time.Now() // elapsed time of the load, not a domain date
	offset, err := a.DB.Read(ctx).CountProjectsWithCodePrefix(SyntheticPrefix)
	if err != nil {
		return err
	}
	g := newSynth(a.Calendar(), a.Today(), offset)
	const chunk = 10_000
	for done := 0; done < n; {
		m := min(chunk, n-done)
		ps, dls := g.batch(m, a.now())
		if err := a.DB.BulkInsertProjects(ctx, ps, func(i int) []gengxin.Deadline { return dls[i] }); err != nil {
			return err
		}
		done += m
		if done%chunk == 0 || done == n {
			fmt.Fprintf(w, "已生成 %d / %d 个合成项目（%.1f 秒）\n", done, n, time.Since(begin).Seconds())
		}
	}
	summary := fmt.Sprintf("载入合成演示项目 %d 个（编号 %s…%07d 至 %s…%07d），为负载数据，无逐项办理记录", n, SyntheticPrefix, offset+1, SyntheticPrefix, offset+n)
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		return a.globalEvent(tx, "demo-load", "", summary)
	})
	if err != nil {
		return err
	}
	el := time.Since(begin)
	fmt.Fprintf(w, "完成：共生成 %d 个合成项目，用时 %.1f 秒（每秒 %.0f 个）。\n", n, el.Seconds(), float64(n)/max(el.Seconds(), 1e-9))
	return nil
}

// synthStreets are real 街道/乡镇 of each district.
var synthStreets = map[string][]string{
	"东城区":       {"东华门街道", "景山街道", "交道口街道", "安定门街道", "北新桥街道", "东四街道", "朝阳门街道", "建国门街道", "东直门街道", "和平里街道", "前门街道", "崇文门外街道", "东花市街道", "龙潭街道", "体育馆路街道", "天坛街道", "永定门外街道"},
	"西城区":       {"西长安街街道", "新街口街道", "月坛街道", "展览路街道", "德胜街道", "金融街街道", "什刹海街道", "大栅栏街道", "天桥街道", "椿树街道", "陶然亭街道", "广安门内街道", "牛街街道", "白纸坊街道", "广安门外街道"},
	"朝阳区":       {"建外街道", "朝外街道", "呼家楼街道", "三里屯街道", "左家庄街道", "香河园街道", "和平街街道", "安贞街道", "亚运村街道", "小关街道", "酒仙桥街道", "麦子店街道", "团结湖街道", "六里屯街道", "八里庄街道", "双井街道", "劲松街道", "潘家园街道", "垡头街道", "望京街道", "大屯街道", "高碑店地区", "东坝地区", "十八里店地区"},
	"丰台区":       {"右安门街道", "太平桥街道", "西罗园街道", "大红门街道", "南苑街道", "东高地街道", "东铁匠营街道", "卢沟桥街道", "丰台街道", "新村街道", "长辛店街道", "方庄街道", "宛平街道", "马家堡街道"},
	"石景山区":      {"八宝山街道", "老山街道", "八角街道", "古城街道", "苹果园街道", "金顶街街道", "广宁街道", "五里坨街道", "鲁谷街道"},
	"海淀区":       {"万寿路街道", "永定路街道", "羊坊店街道", "甘家口街道", "八里庄街道", "紫竹院街道", "北下关街道", "北太平庄街道", "学院路街道", "中关村街道", "海淀街道", "青龙桥街道", "清华园街道", "燕园街道", "香山街道", "清河街道", "花园路街道", "西三旗街道", "马连洼街道", "田村路街道", "上地街道", "四季青镇", "温泉镇"},
	"门头沟区":      {"大峪街道", "城子街道", "东辛房街道", "大台街道", "王平镇", "永定镇", "龙泉镇", "潭柘寺镇"},
	"房山区":       {"城关街道", "新镇街道", "向阳街道", "东风街道", "迎风街道", "星城街道", "良乡镇", "长阳镇", "窦店镇", "琉璃河镇"},
	"通州区":       {"中仓街道", "新华街道", "北苑街道", "玉桥街道", "永顺镇", "梨园镇", "宋庄镇", "张家湾镇", "台湖镇", "潞城镇"},
	"顺义区":       {"胜利街道", "光明街道", "石园街道", "空港街道", "双丰街道", "旺泉街道", "仁和镇", "后沙峪镇", "天竺镇", "南法信镇"},
	"昌平区":       {"城北街道", "城南街道", "回龙观街道", "天通苑北街道", "天通苑南街道", "霍营街道", "沙河镇", "南口镇", "北七家镇", "小汤山镇"},
	"大兴区":       {"兴丰街道", "林校路街道", "清源街道", "观音寺街道", "天宫院街道", "黄村镇", "西红门镇", "旧宫镇", "瀛海镇"},
	"怀柔区":       {"泉河街道", "龙山街道", "怀柔镇", "雁栖镇", "庙城镇", "杨宋镇", "桥梓镇"},
	"平谷区":       {"滨河街道", "兴谷街道", "渔阳地区", "峪口地区", "马坊地区", "金海湖地区", "东高村镇"},
	"密云区":       {"鼓楼街道", "果园街道", "檀营地区", "密云镇", "溪翁庄镇", "西田各庄镇", "十里堡镇"},
	"延庆区":       {"儒林街道", "百泉街道", "香水园街道", "延庆镇", "康庄镇", "八达岭镇", "永宁镇"},
	"北京经济技术开发区": {"荣华街道", "博兴街道", "亦庄镇", "马驹桥镇", "瀛海镇", "台湖镇"},
}

// synthNouns and synthSuffixes make the project names of each category.
var synthNouns = map[gengxin.Category][]string{
	gengxin.Residential:   {"老旧小区", "危旧楼房", "简易楼", "平房院落", "老旧住宅楼"},
	gengxin.Industrial:    {"老旧厂房", "低效产业园区", "老旧商务楼宇", "传统商业设施", "低效楼宇"},
	gengxin.Facility:      {"市政管网", "社区综合服务设施", "停车设施", "老旧供热管线", "公共服务设施"},
	gengxin.PublicSpace:   {"背街小巷", "公共空间", "街头绿地", "滨水空间", "口袋公园"},
	gengxin.Comprehensive: {"片区", "街区", "历史文化街区", "站城融合片区"},
}

var synthSuffixes = map[gengxin.Category][]string{
	gengxin.Residential:   {"综合整治项目", "更新改造项目", "改建项目"},
	gengxin.Industrial:    {"更新改造项目", "转型升级项目", "更新利用项目"},
	gengxin.Facility:      {"更新改造项目", "提升改造项目"},
	gengxin.PublicSpace:   {"环境整治提升项目", "更新改造项目", "品质提升项目"},
	gengxin.Comprehensive: {"综合性城市更新项目", "城市更新项目"},
}

var synthGoals = map[gengxin.Category]string{
	gengxin.Residential:   "实施楼本体节能改造、管线更新和加装电梯，整治小区公共环境，完善社区养老、托育等公共服务设施，改善居民居住条件。",
	gengxin.Industrial:    "盘活存量空间，推动功能转换和业态升级，引入科技创新、文化创意等产业，提升土地利用效率和产业综合效益。",
	gengxin.Facility:      "更新改造市政基础设施和公共服务设施，补齐停车、消防、社区服务短板，提升设施运行安全和服务水平。",
	gengxin.PublicSpace:   "整治街巷环境，优化慢行系统和绿化景观，增加街头游园和休憩空间，提升公共空间品质。",
	gengxin.Comprehensive: "以街区为单元统筹存量资源，实施居住、产业、设施、公共空间一体化更新，推动街区功能完善和品质提升。",
}

var (
	synthRoads     = []string{"路", "北路", "南路", "东路", "西路", "大街", "东街", "西街", "中路", "南里", "北里"}
	synthPhases    = []string{"", "", "", "", "", "（一期）", "（二期）", "（三期）"}
	synthFirms     = []string{"京华", "燕山", "盛和", "恒信", "安和", "宏远", "泰和", "瑞丰", "长青", "兴业", "华城", "中和", "嘉禾", "润泽", "京源", "博远", "鼎新", "汇通", "锦程", "同创"}
	synthTrades    = []string{"城市更新投资", "置业", "建设发展", "物业管理", "文化发展", "科技园区运营", "城市服务", "产业发展", "房地产开发"}
	synthRejects   = []string{"项目拟建内容与国土空间规划确定的用地性质不符", "项目资金来源不明确，资金匡算依据不足", "申报主体不具备相应实施能力", "项目不属于《北京市城市更新条例》第二条明确的城市更新类型"}
	synthUSCCChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
)

// synthStatuses are the statuses with their weights (per 100).
var synthStatuses = []struct {
	s gengxin.Status
	w int
}{
	{gengxin.StatusDraft, 8}, {gengxin.StatusSubmitted, 12}, {gengxin.StatusInReview, 12}, {gengxin.StatusCorrectionRequested, 6},
	{gengxin.StatusRejected, 5}, {gengxin.StatusReserve, 27}, {gengxin.StatusImplementation, 20}, {gengxin.StatusExited, 10},
}

type synth struct {
	cal       *calendar.Calendar
	rng       *rand.Rand
	lo, hi    calendar.Date
	span      int
	seq       int
	streets   [][]string // by district index
	jrCite    string
	enCite    string
	recentWds []calendar.Date // recentWds[k]: k working days before hi
}

func newSynth(cal *calendar.Calendar, today calendar.Date, offset int) *synth {
	g := &synth{cal: cal, rng: rand.New(rand.NewPCG(syntheticSeed, uint64(offset))), lo: demoWindowStart, hi: today, seq: offset}
	if g.hi.After(demoWindowEnd) {
		g.hi = demoWindowEnd
	}
	if g.hi.Before(g.lo) {
		g.hi = g.lo
	}
	g.span = g.lo.DaysUntil(g.hi)
	for _, d := range gengxin.Districts {
		g.streets = append(g.streets, synthStreets[d.Name])
	}
	_, f1 := rules.JointReviewDue(cal, g.hi)
	_, f2 := rules.EntryNoticeDue(cal, g.hi)
	g.jrCite, g.enCite = f1.Citation, f2.Citation
	d := g.hi
	for k := 0; k < 60; k++ {
		g.recentWds = append(g.recentWds, g.clamp(d))
		for d = d.AddDays(-1); !cal.IsWorkday(d); d = d.AddDays(-1) {
		}
	}
	return g
}

func (g *synth) clamp(d calendar.Date) calendar.Date {
	if d.After(g.hi) {
		return g.hi
	}
	if d.Before(g.lo) {
		return g.lo
	}
	return d
}

// day returns the day a fraction f (0…1) into the window.
func (g *synth) day(f float64) calendar.Date { return g.clamp(g.lo.AddDays(int(f * float64(g.span)))) }

func (g *synth) wdAfter(d calendar.Date, n int) calendar.Date {
	return g.clamp(g.cal.AddWorkdays(d, n))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func streetBase(s string) string {
	for _, suf := range []string{"街道", "地区", "镇", "乡"} {
		if t, ok := strings.CutSuffix(s, suf); ok {
			return t
		}
	}
	return s
}

func synthAt(d calendar.Date, hour int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, calendar.Beijing).UTC()
}

// batch generates the next m projects and their deadlines. Every project
// draws the same quantity of random numbers, so names never depend on dates.
func (g *synth) batch(m int, now time.Time) ([]*gengxin.Project, [][]gengxin.Deadline) {
	ps := make([]*gengxin.Project, m)
	dls := make([][]gengxin.Deadline, m)
	for i := range ps {
		r := g.rng
		g.seq++
		di := r.IntN(len(gengxin.Districts))
		dist := gengxin.Districts[di]
		street := pick(r, g.streets[di])
		cat := gengxin.Categories[r.IntN(len(gengxin.Categories))]
		noun, suffix, phase := pick(r, synthNouns[cat]), pick(r, synthSuffixes[cat]), pick(r, synthPhases)
		road, no := pick(r, synthRoads), 1+r.IntN(199)
		firm, trade := pick(r, synthFirms), pick(r, synthTrades)
		var code17 [9]byte
		for k := range code17 {
			code17[k] = synthUSCCChars[r.IntN(len(synthUSCCChars))]
		}
		role := gengxin.Implementer
		if r.IntN(4) == 0 || cat == gengxin.Comprehensive {
			role = gengxin.Coordinator
		}
		w := r.IntN(100)
		status := synthStatuses[0].s
		for _, x := range synthStatuses {
			if w < x.w {
				status = x.s
				break
			}
			w -= x.w
		}
		fund := fmt.Sprintf("%d.%02d", 200+r.IntN(60000), r.IntN(100))
		land := fmt.Sprintf("%d", 1000+r.IntN(120000))
		building := fmt.Sprintf("%d", 800+r.IntN(200000))
		f1, f2, f3, f4 := r.Float64(), r.Float64(), r.Float64(), r.Float64()
		k1, k2, k3 := r.IntN(60), r.IntN(40), r.IntN(100)
		ground := []int{2, 3, 5}[r.IntN(3)]
		reject := pick(r, synthRejects)

		base := streetBase(street)
		if strings.HasSuffix(base, "路") || strings.HasSuffix(base, "街") {
			road = "" // 林校路街道 → 林校路112号, not 林校路路
		}
		p := &gengxin.Project{
			Code:            fmt.Sprintf("%s%s-%07d", SyntheticPrefix, dist.Code, g.seq),
			Name:            dist.Name + base + noun + suffix + phase,
			Category:        cat,
			District:        dist.Name,
			Street:          street,
			Address:         fmt.Sprintf("%s%s%s%d号", dist.Name, base, road, no),
			Goal:            synthGoals[cat],
			FundEstimateWan: fund, LandAreaM2: land, BuildingAreaM2: building,
			EntityName:        "北京" + firm + trade + "有限公司",
			EntityUSCC:        uscc.Complete("91" + dist.Code + string(code17[:])),
			EntityRole:        role,
			CompliesWithPlans: true,
			Source:            gengxin.SourceOnline,
			Status:            status,
			NeedsImplPlan:     true,
		}
		created := g.day(f1 * 0.9)
		last := created
		open := func(received calendar.Date, st string, closed calendar.Date) []gengxin.Deadline {
			jr := g.cal.AddWorkdays(received, 10)
			en := g.cal.AddWorkdays(received, 30)
			return []gengxin.Deadline{
				{Kind: gengxin.DeadlineJointReview, StartOn: received, Amount: 10, Unit: "working_days", Due: jr, Citation: g.jrCite, Status: st, ClosedOn: closed, Round: 1, Provisional: g.cal.Provisional(jr)},
				{Kind: gengxin.DeadlineEntryNotice, StartOn: received, Amount: 30, Unit: "working_days", Due: en, Citation: g.enCite, Status: st, ClosedOn: closed, Round: 1, Provisional: g.cal.Provisional(en)},
			}
		}
		receive := func(d calendar.Date) {
			p.ReceivedOn, p.SubmittedAt = d, synthAt(d, 10)
			if d.Before(created) {
				created = d
			}
			last = maxDate(last, d)
		}
		admit := func(received calendar.Date) calendar.Date {
			receive(received)
			adm := g.wdAfter(received, 5+k2%20)
			p.ReviewRound, p.Invited = 1, cat.DefaultReviewDepartments()
			p.NoticeNo = fmt.Sprintf("%s更新储〔%d〕%s%d号", dist.Abbr, adm.Year, SyntheticPrefix, g.seq)
			p.NoticeOn, p.AdmittedOn, p.IndustryDept = adm, adm, cat.DefaultIndustryDept()
			last = maxDate(last, adm)
			return adm
		}
		switch status {
		case gengxin.StatusDraft:
			created = g.clamp(g.hi.AddDays(-k1))
			last = created
		case gengxin.StatusSubmitted, gengxin.StatusInReview:
			// Received 0…19 working days ago: about half are past the
			// 10-working-day joint review.
			receive(g.recentWds[k1%20])
			if status == gengxin.StatusInReview {
				p.ReviewRound, p.Invited = 1, cat.DefaultReviewDepartments()
			}
			if gengxin.RouteOf(p) == gengxin.RouteJointReview {
				dls[i] = open(p.ReceivedOn, gengxin.DeadlineOpen, calendar.Date{})
			}
		case gengxin.StatusCorrectionRequested:
			received := g.recentWds[10+k2]
			receive(received)
			p.ReviewRound, p.Invited = 1, cat.DefaultReviewDepartments()
			stopped := g.wdAfter(received, 1+k3%8)
			last = maxDate(last, stopped)
			dls[i] = open(received, gengxin.DeadlineStopped, stopped)
		case gengxin.StatusRejected:
			receive(g.day(f2 * 0.95))
			p.ReviewRound, p.Invited = 1, cat.DefaultReviewDepartments()
			p.RejectReason = reject
			last = maxDate(last, g.wdAfter(p.ReceivedOn, 5+k2%15))
		case gengxin.StatusReserve:
			admit(g.day(f2 * 0.95))
		case gengxin.StatusImplementation, gengxin.StatusExited:
			adm := admit(g.day(f2 * 0.7))
			promoted := g.clamp(adm.AddDays(20 + k3))
			if status == gengxin.StatusImplementation || ground != 2 {
				p.PromotedOn = promoted
				p.ConfirmationDoc = fmt.Sprintf("%s更新确〔%d〕%s%d号", dist.Abbr, promoted.Year, SyntheticPrefix, g.seq)
				last = maxDate(last, promoted)
				if f3 < 0.6 {
					p.PlanIncludedOn = g.clamp(promoted.AddDays(10 + int(f4*200)))
					p.PlanYear = p.PlanIncludedOn.Year
					p.ExpectedStartYear = p.PlanYear + k2%2
					last = maxDate(last, p.PlanIncludedOn)
					if f4 < 0.5 {
						p.ImplPlanDoneOn = g.clamp(p.PlanIncludedOn.AddDays(30 + k3*3))
						last = maxDate(last, p.ImplPlanDoneOn)
						if f3 < 0.15 {
							p.CompletionOn = g.clamp(p.ImplPlanDoneOn.AddDays(60 + k1*5))
							last = maxDate(last, p.CompletionOn)
						}
					}
				}
			}
			if status == gengxin.StatusExited {
				p.ExitGround = ground
				p.ExitOn = g.clamp(last.AddDays(15 + k1))
				info, _ := rules.ExitGround(ground)
				p.ExitReason = info.Text
				last = p.ExitOn
			}
		}
		p.CreatedAt, p.UpdatedAt = synthAt(created, 9), synthAt(last, 16)
		if p.UpdatedAt.After(now) {
			p.UpdatedAt = now
		}
		if p.CreatedAt.After(p.UpdatedAt) {
			p.CreatedAt = p.UpdatedAt
		}
		ps[i] = p
	}
	return ps, dls
}
