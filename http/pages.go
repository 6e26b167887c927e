package http

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
)

// view is what every page template receives; D is the page's own typed data.
type view struct {
	Title       string
	Active      string
	User        *gengxin.User
	CSRF        string
	Today       calendar.Date
	Flash       string
	Err         *gengxin.Error
	D           any
	Provisional bool
}

// featureTitles are the page templates registered by feature files (init
// functions), so that a procedure's pages live in its own files, with their
// page titles.
var featureTitles = map[string]string{}

// registerPages adds a feature's page templates (name → title).
func registerPages(pages map[string]string) {
	maps.Copy(featureTitles, pages)
}

type errorPage struct {
	Err       *gengxin.Error
	RequestID string
}

var pageNames = []string{"home", "login", "error", "workbench", "projects", "project", "form", "trace", "verify", "import", "plan", "calendar", "precheck", "login_totp", "account_totp", "admin_users", "admin_security", "audit"}

func (s *Server) parseTemplates() error {
	funcs := template.FuncMap{
		"statusLabel":   func(st gengxin.Status) string { return st.Label() },
		"actionLabel":   func(a gengxin.Action) string { return a.Label() },
		"roleLabel":     func(r gengxin.Role) string { return r.Label() },
		"kindLabel":     func(k gengxin.DeadlineKind) string { return k.Label() },
		"verdictLabel":  gengxin.VerdictLabel,
		"deptName":      gengxin.DepartmentFullName,
		"categories":    func() []gengxin.Category { return gengxin.Categories },
		"districts":     gengxin.DistrictNames,
		"departments":   func() []string { return gengxin.Departments },
		"statuses":      func() []gengxin.Status { return gengxin.Statuses },
		"recordKinds":   func() []string { return gengxin.RecordKinds },
		"exitGrounds":   func() []rules.ExitGroundInfo { return rules.ExitGrounds },
		"dlStatusLabel": deadlineStatusLabel,
		"time": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(calendar.Beijing).Format("2006-01-02 15:04")
		},
		"has": func(list []gengxin.Action, a string) bool {
			for _, x := range list {
				if string(x) == a {
					return true
				}
			}
			return false
		},
		"contains":       slices.Contains[[]string, string],
		"committeeLabel": app.CommitteeLabel,
		"add":            func(a, b int) int { return a + b },
		"deref":          func(b *bool) bool { return b != nil && *b },
		"outcomeLabel":   outcomeLabel,
		"ofStepLabel":    app.OFStepLabel,
		"inc":            func(i int) int { return i + 1 },
		"ofStageLabel":   app.OFStageLabel,
		"ofStages":       func() []string { return app.OFStages },
		"ofDueLabel":     app.OFDueLabel,
		"trackLabel":     trackLabel,
		"permitLabel":    permitLabel,
		"dateLabel":      dateLabel,
		"urgency":        func(d gengxin.Deadline, today calendar.Date) string { return urgency(s.App.Calendar(), d, today) },
		"pageURL": func(v url.Values, page int) string {
			c := url.Values{}
			for k, vs := range v {
				c[k] = vs
			}
			c.Set("page", strconv.Itoa(page))
			return "?" + c.Encode()
		},
	}
	s.pages = map[string]*template.Template{}
	for _, name := range slices.Concat(pageNames, slices.Collect(maps.Keys(featureTitles))) {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

// outcomeLabel names a finding's outcome in Chinese (the API keeps the codes).
func outcomeLabel(o string) string {
	switch o {
	case "pass":
		return "符合"
	case "fail":
		return "尚不满足"
	case "warn":
		return "需说明理由"
	case "applies":
		return "适用"
	case "not_applicable":
		return "不适用"
	case "manual":
		return "需人工核实"
	case "out_of_force":
		return "规则不在有效期"
	}
	return o
}

func deadlineStatusLabel(st string) string {
	switch st {
	case gengxin.DeadlineOpen:
		return "进行中"
	case gengxin.DeadlineMet:
		return "已办结"
	case gengxin.DeadlineOverdue:
		return "已逾期"
	case gengxin.DeadlineStopped:
		return "补正中止"
	}
	return st
}

// urgency returns "overdue", "soon" (due within 3 working days) or "".
func urgency(cal *calendar.Calendar, d gengxin.Deadline, today calendar.Date) string {
	if d.Status == gengxin.DeadlineOverdue {
		return "overdue"
	}
	if d.Status == gengxin.DeadlineOpen && cal.Between(today, d.Due) <= 3 {
		return "soon"
	}
	return ""
}

// render writes a page with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d any) {
	s.renderView(w, r, status, name, &view{D: d})
}

// publicView returns a view for a public page, with the signed-in user
// when there is one (for the navigation).
func (s *Server) publicView(r *http.Request, d any) *view {
	v := &view{D: d}
	if u, sess := s.optionalUser(r); u != nil {
		v.User, v.CSRF = u, sess.CSRF
	}
	return v
}

func (s *Server) renderView(w http.ResponseWriter, r *http.Request, status int, name string, v *view) {
	if v.User == nil {
		if u, ok := r.Context().Value(userKey{}).(*gengxin.User); ok {
			v.User = u
		}
	}
	if sess := sessionOf(r); sess != nil {
		v.CSRF = sess.CSRF
	}
	v.Today = s.App.Today()
	if v.Title == "" {
		v.Title = titles[name]
	}
	if v.Title == "" {
		v.Title = featureTitles[name]
	}
	if v.Active == "" {
		v.Active = name
	}
	b, err := s.renderBytes(name, v)
	if err != nil {
		s.Log.Error("template", "name", name, "err", err, "rid", requestID(r))
		http.Error(w, "页面生成失败（请求编号 "+requestID(r)+"）", http.StatusInternalServerError)
		return
	}
	writeHTML(w, status, b)
}

// renderBytes executes page name with v (already completed by renderView).
func (s *Server) renderBytes(name string, v *view) ([]byte, error) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeHTML(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

var titles = map[string]string{"home": "首页", "login": "登录", "error": "出错了", "workbench": "工作台", "projects": "项目库",
	"project": "项目", "form": "网上申报", "trace": "时限计算过程", "verify": "文书核验", "import": "直接导入", "plan": "城市更新计划", "calendar": "工作日历", "precheck": "老旧厂房预审",
	"login_totp": "动态口令验证", "account_totp": "动态口令", "admin_users": "用户管理", "admin_security": "安全管理"}

// ---- public pages ----

type homeData struct {
	Q, District, Category string
	Items                 []app.PublicProject
	Total                 int
	Searched              bool
	Pubs                  []*app.PublicationView // latest open or upcoming publications (portal)
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		s.fail(w, r, gengxin.Errorf(gengxin.ENotFound, "页面不存在"))
		return
	}
	q := r.URL.Query()
	d := &homeData{Q: q.Get("q"), District: q.Get("district"), Category: q.Get("category")}
	page, _ := strconv.Atoi(q.Get("page"))
	items, total, err := s.App.PublicSearch(r.Context(), d.Q, d.District, d.Category, page)
	v := s.publicView(r, d)
	if err != nil {
		v.Err = s.publicError(r, err)
	}
	d.Items, d.Total, d.Searched = items, total, d.Q != "" || d.District != "" || d.Category != ""
	d.Pubs = s.latestPublications(r)
	s.renderView(w, r, http.StatusOK, "home", v)
}

type loginData struct {
	Next, Username, LoginCSRF string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	tok := newID() + newID()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: tok, Path: "/login", HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.render(w, r, http.StatusOK, "login", &loginData{Next: safeNext(r.URL.Query().Get("next")), LoginCSRF: tok})
}

func safeNext(n string) string {
	if n == "" || !strings.HasPrefix(n, "/") || strings.HasPrefix(n, "//") || strings.HasPrefix(n, "/\\") {
		return "/workbench"
	}
	return n
}

func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	d := &loginData{Next: safeNext(r.FormValue("next")), Username: r.FormValue("username")}
	c, err := r.Cookie(loginCSRFCookie)
	if err != nil || c.Value == "" || c.Value != r.FormValue("csrf") || !sameOrigin(r) {
		tok := newID() + newID()
		http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: tok, Path: "/login", HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
		d.LoginCSRF = tok
		s.renderView(w, r, http.StatusForbidden, "login", &view{D: d, Err: gengxin.Errorf(gengxin.EForbidden, "登录页面已过期，请重新输入")})
		return
	}
	d.LoginCSRF = c.Value
	if !s.limiter.allow("login:"+s.clientIP(r), 20, time.Minute) {
		s.renderView(w, r, http.StatusTooManyRequests, "login", &view{D: d, Err: gengxin.Errorf(gengxin.ETooMany, "登录尝试过于频繁，请一分钟后再试")})
		return
	}
	res, err := s.App.SignIn(r.Context(), r.FormValue("username"), r.FormValue("password"), "", "cookie", s.clientIP(r))
	if err != nil {
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "login", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	setSessionCookie(w, r, res.Token)
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: "", Path: "/login", MaxAge: -1})
	switch res.Stage {
	case app.StageTOTP: // the code is due: second step (POST /login/totp)
		s.render(w, r, http.StatusOK, "login_totp", &loginTOTPData{Next: d.Next, CSRF: res.CSRF})
	case app.StageEnroll: // a staff account binds its second factor before anything else
		http.Redirect(w, r, "/account/totp?next="+url.QueryEscape(d.Next), http.StatusSeeOther)
	default:
		http.Redirect(w, r, d.Next, http.StatusSeeOther)
	}
}

func (s *Server) logoutPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	tok, _ := token(r)
	s.App.Logout(r.Context(), tok)
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure(r)})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type verifyData struct {
	Code string
	Doc  *gengxin.IssuedDocument
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	d := &verifyData{Code: strings.TrimSpace(r.URL.Query().Get("code"))}
	v := &view{D: d}
	v.User, _ = s.optionalUser(r)
	status := http.StatusOK
	if d.Code != "" {
		if !s.limiter.allow("verify:"+s.clientIP(r), 60, time.Minute) {
			v.Err, status = gengxin.Errorf(gengxin.ETooMany, "查询过于频繁，请稍后再试"), http.StatusTooManyRequests
		} else if doc, err := s.App.Verify(r.Context(), d.Code); err != nil {
			v.Err, status = s.publicError(r, err), statusOf(gengxin.ErrorCode(err))
		} else {
			d.Doc = doc
		}
	}
	s.renderView(w, r, status, "verify", v)
}

// ---- signed-in pages ----

type workbenchData struct {
	Counts        map[gengxin.Status]int
	Due           []*gengxin.Project
	Overdue       int
	Notifications []gengxin.Notification
	Scoped        bool
	Warnings      []string
	OldFactory    []app.OldFactoryCaseRow     // cases awaiting this user's step, or overdue
	Consultations []*store.ExpertConsultation // an expert's consultations
}

func (s *Server) workbench(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	d := &workbenchData{Warnings: s.App.Calendar().Warnings(s.App.Today())}
	if f, err := app.Scope(u); err == nil {
		d.Scoped = true
		rd := s.App.DB.Read(r.Context())
		var err error
		if d.Counts, err = rd.CountByStatus(f); err != nil {
			s.fail(w, r, err)
			return
		}
		lq := app.ListQuery{Status: "submitted,in_review", Order: "due", PerPage: 15}
		if u.Role == gengxin.RoleDistrictDept {
			lq = app.ListQuery{Queue: true, Order: "due", PerPage: 15}
		}
		ps, _, err := s.App.List(r.Context(), u, lq)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Due = ps
		_, d.Overdue, _ = s.App.List(r.Context(), u, app.ListQuery{Overdue: true, PerPage: 1})
	}
	var err error
	if d.OldFactory, err = s.App.OldFactoryTodo(r.Context(), u); err != nil {
		s.fail(w, r, err)
		return
	}
	if u.Role == gengxin.RoleExpert {
		if d.Consultations, err = s.App.Consultations(r.Context(), u); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	ns, err := s.App.DB.Read(r.Context()).NotificationsFor(u, 20)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Notifications = ns
	s.render(w, r, http.StatusOK, "workbench", d)
}

type projectsData struct {
	Q      app.ListQuery
	Query  url.Values
	Items  []*gengxin.Project
	Total  int
	Page   int
	Pages  int
	Export string
}

func (s *Server) projectsPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	q, err := listQuery(r.URL.Query())
	d := &projectsData{Q: q, Query: r.URL.Query(), Page: max(q.Page, 1)}
	if err == nil {
		d.Items, d.Total, err = s.App.List(r.Context(), u, q)
	}
	if err != nil {
		if gengxin.ErrorCode(err) != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderView(w, r, http.StatusBadRequest, "projects", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	per := q.PerPage
	if per <= 0 {
		per = 20
	}
	d.Pages = (d.Total + per - 1) / per
	d.Export = "/projects.xlsx?" + r.URL.RawQuery
	s.render(w, r, http.StatusOK, "projects", d)
}

type projectData struct {
	*app.ProjectDetail
	Cal *calendar.Calendar
}

func (s *Server) projectPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.showProject(w, r, u, http.StatusOK, nil, r.URL.Query().Get("done"))
}

func (s *Server) showProject(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, done string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.App.Detail(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &view{D: &projectData{ProjectDetail: d, Cal: s.App.Calendar()}, Title: d.Name, Active: "projects"}
	if perr != nil {
		v.Err = s.publicError(r, perr)
	}
	if done != "" {
		v.Flash = "已办理：" + gengxin.Action(done).Label()
	}
	s.renderView(w, r, status, "project", v)
}

func formBool(r *http.Request, name string) *bool {
	if _, ok := r.Form[name]; !ok {
		return nil
	}
	v := r.FormValue(name) == "on" || r.FormValue(name) == "true" || r.FormValue(name) == "1"
	return &v
}

func formInt(r *http.Request, name string) (int, error) {
	s := strings.TrimSpace(r.FormValue(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, gengxin.Errorf(gengxin.EInvalid, "「%s」应为整数", name)
	}
	return n, nil
}

func (s *Server) actionPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	action := gengxin.Action(r.PathValue("action"))
	r.ParseForm()
	in := app.ActionInput{Departments: r.Form["departments"], Verdict: r.FormValue("verdict"), Text: r.FormValue("text"),
		Reason: r.FormValue("reason"), District: r.FormValue("district"), IndustryDept: r.FormValue("industry_dept"),
		ConfirmationDocument: r.FormValue("confirmation_document"), PlanningAndUseClear: formBool(r, "planning_and_use_clear"),
		IndustryDeptCertified: formBool(r, "industry_dept_certified"), StableFunding: formBool(r, "stable_funding"),
		CompliesWithPlans: formBool(r, "complies_with_plans"), Kind: r.FormValue("kind"), OverrideReason: r.FormValue("override_reason")}
	if action == gengxin.ActPlan {
		needs := r.FormValue("no_implementation_plan") == ""
		in.NeedsImplementationPlan = &needs
		if in.StableFunding == nil {
			f := false
			in.StableFunding = &f
		}
	}
	if action == gengxin.ActPromote {
		for _, p := range []**bool{&in.PlanningAndUseClear, &in.IndustryDeptCertified} {
			if *p == nil {
				f := false
				*p = &f
			}
		}
	}
	for _, line := range strings.Split(r.FormValue("items"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			in.Items = append(in.Items, line)
		}
	}
	var ferr error
	if in.Year, ferr = formInt(r, "year"); ferr == nil {
		if in.ExpectedStartYear, ferr = formInt(r, "expected_start_year"); ferr == nil {
			in.Ground, ferr = formInt(r, "ground")
		}
	}
	if ferr == nil && r.FormValue("on") != "" {
		if in.On, ferr = calendar.ParseDate(r.FormValue("on")); ferr != nil {
			ferr = gengxin.Errorf(gengxin.EInvalid, "%s", ferr.Error())
		}
	}
	if ferr == nil {
		_, ferr = s.App.Act(r.Context(), u, id, action, in)
	}
	if ferr != nil {
		if c := gengxin.ErrorCode(ferr); c == gengxin.ENotFound || c == gengxin.EInternal {
			s.fail(w, r, ferr)
			return
		}
		s.showProject(w, r, u, statusOf(gengxin.ErrorCode(ferr)), ferr, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/projects/%d?done=%s#top", id, url.QueryEscape(string(action))), http.StatusSeeOther)
}

func (s *Server) uploadPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.upload(r, u, id); err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.ENotFound || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		s.showProject(w, r, u, statusOf(gengxin.ErrorCode(err)), err, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/projects/%d?done=upload#materials", id), http.StatusSeeOther)
}

type formData struct {
	ID   int64
	In   app.ProjectInput
	Edit bool
}

func (s *Server) newProjectPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if u.Role != gengxin.RoleApplicant {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "只有申报主体（统筹主体或实施主体）可以网上申报（京建法〔2024〕2号 第十条(一)）"))
		return
	}
	yes := false
	s.render(w, r, http.StatusOK, "form", &formData{In: app.ProjectInput{EntityName: u.OrgName, EntityUSCC: u.OrgUSCC, EntityRole: "实施主体", CompliesWithPlans: &yes}})
}

func projectForm(r *http.Request) app.ProjectInput {
	c := r.FormValue("complies_with_plans") != ""
	return app.ProjectInput{Name: r.FormValue("name"), Category: r.FormValue("category"), District: r.FormValue("district"),
		Street: r.FormValue("street"), Address: r.FormValue("address"), Goal: r.FormValue("goal"),
		FundEstimateWan: app.DecimalArg(strings.TrimSpace(r.FormValue("fund_estimate_wan"))), LandAreaM2: app.DecimalArg(strings.TrimSpace(r.FormValue("land_area_m2"))),
		BuildingAreaM2: app.DecimalArg(strings.TrimSpace(r.FormValue("building_area_m2"))), EntityName: r.FormValue("entity_name"),
		EntityUSCC: r.FormValue("entity_uscc"), EntityRole: r.FormValue("entity_role"), Contact: r.FormValue("contact"),
		Major: r.FormValue("major") != "", CrossDistrict: r.FormValue("cross_district") != "", CompliesWithPlans: &c}
}

func (s *Server) newProjectPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	in := projectForm(r)
	p, err := s.App.CreateDraft(r.Context(), u, in)
	if err != nil {
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "form", &view{D: &formData{In: in}, Err: s.publicError(r, err), Active: "form"})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/projects/%d?done=create", p.ID), http.StatusSeeOther)
}

func (s *Server) editProjectPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.App.Project(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if u.Role != gengxin.RoleApplicant {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "只有申报主体可以修改申报信息"))
		return
	}
	c := p.CompliesWithPlans
	in := app.ProjectInput{Name: p.Name, Category: string(p.Category), District: p.District, Street: p.Street, Address: p.Address,
		Goal: p.Goal, FundEstimateWan: app.DecimalArg(p.FundEstimateWan), LandAreaM2: app.DecimalArg(p.LandAreaM2),
		BuildingAreaM2: app.DecimalArg(p.BuildingAreaM2), EntityName: p.EntityName, EntityUSCC: p.EntityUSCC,
		EntityRole: string(p.EntityRole), Contact: p.Contact, Major: p.Major, CrossDistrict: p.CrossDistrict, CompliesWithPlans: &c}
	s.render(w, r, http.StatusOK, "form", &formData{ID: id, In: in, Edit: true})
}

func (s *Server) editProjectPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := projectForm(r)
	if _, err := s.App.UpdateDraft(r.Context(), u, id, in); err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.ENotFound || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "form", &view{D: &formData{ID: id, In: in, Edit: true}, Err: s.publicError(r, err), Active: "form"})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/projects/%d?done=edit", id), http.StatusSeeOther)
}

type traceData struct {
	ProjectID int64
	Deadline  *gengxin.Deadline
	Trace     calendar.Trace
}

func (s *Server) tracePage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tr, d, err := s.explain(r, u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "trace", &traceData{ProjectID: id, Deadline: d, Trace: tr})
}

type calendarData struct {
	Years []calendar.Year
	Calc  *calendar.Trace
	Date  string
	N     string
	Saved string
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	d := &calendarData{Years: s.App.Calendar().Years(), Date: r.URL.Query().Get("date"), N: r.URL.Query().Get("n")}
	v := &view{D: d}
	if d.Date != "" {
		day, err := calendar.ParseDate(d.Date)
		n, nerr := strconv.Atoi(d.N)
		if err != nil || nerr != nil || n < 1 || n > 1000 {
			v.Err = gengxin.Errorf(gengxin.EInvalid, "请输入有效日期（YYYY-MM-DD）和1至1000的工作日数")
		} else {
			tr := s.App.Calendar().Explain(day, n)
			d.Calc = &tr
		}
	}
	s.renderView(w, r, http.StatusOK, "calendar", v)
}

func (s *Server) calendarPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	y, err := s.App.LoadCalendarYear(r.Context(), u, []byte(r.FormValue("data")))
	d := &calendarData{}
	v := &view{D: d}
	if err != nil {
		v.Err = s.publicError(r, err)
	} else {
		v.Flash = fmt.Sprintf("已载入%d年节假日安排", y.Year)
	}
	d.Years = s.App.Calendar().Years()
	status := http.StatusOK
	if err != nil {
		status = statusOf(gengxin.ErrorCode(err))
	}
	s.renderView(w, r, status, "calendar", v)
}
