package http_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/store"
	"gengxin/totp"
)

// browser is a cookie client that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string, string) {
	b.t.Helper()
	res, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	res, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field in %.300s", page)
	}
	return m[1]
}

func TestTOTPPages(t *testing.T) {
	a, srv, clock := startServer(t, store.SQLite)
	if _, err := a.AddUser(context.Background(), app.NewUserInput{Username: "cy-new", Role: gengxin.RoleDistrictRenewal, District: "朝阳区", Password: pw, RequireTOTP: true}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv.URL)
	login := func() (int, string, string) {
		_, _, page := b.get("/login")
		return b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "username": {"cy-new"}, "password": {pw}, "next": {"/projects"}})
	}
	// A staff account without a second factor is sent to bind one first.
	st, loc, _ := login()
	if st != 303 || !strings.HasPrefix(loc, "/account/totp") {
		t.Fatalf("login: %d %s", st, loc)
	}
	if st, loc, _ := b.get("/workbench"); st != 303 || !strings.HasPrefix(loc, "/account/totp") {
		t.Fatalf("workbench before binding: %d %s", st, loc)
	}
	st, _, page := b.get(loc)
	if st != 200 || !strings.Contains(page, "须先绑定动态口令") || !strings.Contains(page, "otpauth://totp/") {
		t.Fatalf("binding page: %d %.500s", st, page)
	}
	// Nothing else may be posted, but the user may sign out.
	if st, _, _ := b.post("/projects/new", url.Values{"csrf": {csrfOf(t, page)}}); st != 403 {
		t.Fatalf("post before binding: %d", st)
	}
	if st, loc, _ := b.post("/logout", url.Values{"csrf": {csrfOf(t, page)}}); st != 303 || loc != "/" {
		t.Fatalf("logout before binding: %d %s", st, loc)
	}
	if st, _, _ := b.get("/account/totp"); st != 303 {
		t.Fatalf("binding page after logout: %d", st)
	}
	if st, loc, _ = login(); st != 303 || !strings.HasPrefix(loc, "/account/totp") {
		t.Fatalf("login again: %d %s", st, loc)
	}
	st, _, page = b.get(loc)
	if st != 200 {
		t.Fatalf("binding page: %d", st)
	}
	m := regexp.MustCompile(`secret=([A-Z2-7]+)`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no secret on the page")
	}
	secret, _ := totp.DecodeSecret(m[1])
	csrf := csrfOf(t, page)
	if st, _, body := b.post("/account/totp", url.Values{"csrf": {csrf}, "code": {totp.Code(secret, clock.T.Add(5*time.Minute))}, "next": {"/projects"}}); st != 400 || !strings.Contains(body, "动态口令不正确") {
		t.Fatalf("wrong code: %d", st)
	}
	if st, _, _ := b.post("/account/totp", url.Values{"code": {totp.Code(secret, clock.T)}}); st != 403 {
		t.Fatalf("binding without csrf: %d", st)
	}
	st, loc, _ = b.post("/account/totp", url.Values{"csrf": {csrf}, "code": {totp.Code(secret, clock.T)}, "next": {"/projects"}})
	if st != 303 || loc != "/projects" {
		t.Fatalf("bind: %d %s", st, loc)
	}
	if st, _, body := b.get("/workbench"); st != 200 || !strings.Contains(body, "工作台") {
		t.Fatalf("workbench after binding: %d", st)
	}
	if st, _, body := b.get("/account/totp"); st != 200 || !strings.Contains(body, "已绑定动态口令") || strings.Contains(body, "otpauth://") {
		t.Fatalf("bound page: %d", st)
	}
	_, _, wb := b.get("/workbench")
	b.post("/logout", url.Values{"csrf": {csrfOf(t, wb)}})

	// Signing in again: password, then the code on a second page.
	clock.T = clock.T.Add(30 * time.Second)
	st, _, page = login()
	if st != 200 || !strings.Contains(page, `action="/login/totp"`) {
		t.Fatalf("step 1: %d %.300s", st, page)
	}
	if st, _, _ := b.get("/login/totp"); st != 200 {
		t.Fatalf("GET /login/totp: %d", st)
	}
	csrf = csrfOf(t, page)
	if st, _, body := b.post("/login/totp", url.Values{"csrf": {csrf}, "code": {"000000"}, "next": {"/projects"}}); st != 401 || !strings.Contains(body, "动态口令错误") {
		t.Fatalf("wrong code: %d", st)
	}
	st, loc, _ = b.post("/login/totp", url.Values{"csrf": {csrf}, "code": {totp.Code(secret, clock.T)}, "next": {"/projects"}})
	if st != 303 || loc != "/projects" {
		t.Fatalf("step 2: %d %s", st, loc)
	}
	if st, _, _ := b.get("/workbench"); st != 200 {
		t.Fatalf("workbench: %d", st)
	}
	// A pending sign-in opens nothing else.
	b2 := newBrowser(t, srv.URL)
	_, _, page = b2.get("/login")
	b2.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "username": {"cy-new"}, "password": {pw}})
	if st, loc, _ := b2.get("/workbench"); st != 303 || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("pending session passes: %d %s", st, loc)
	}

	// The API takes the code with the password.
	e := &env{t: t, srv: srv, tokens: map[string]string{}, clock: clock}
	body := e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":"cy-new","password":%q}`, pw), 401, nil)
	if !strings.Contains(body, "缺少动态口令") {
		t.Fatalf("api without code: %s", body)
	}
	e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":"cy-new","password":%q,"totp":%q}`, pw, totp.Code(secret, clock.T)), 401, nil) // already used
	clock.T = clock.T.Add(30 * time.Second)
	e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":"cy-new","password":%q,"totp":%q}`, pw, totp.Code(secret, clock.T)), 200, nil)
}

func TestAdminPages(t *testing.T) {
	a, srv, clock := startServer(t, store.SQLite)
	if _, err := a.AddUser(context.Background(), app.NewUserInput{Username: "sec", Role: gengxin.RoleSecAdmin, Password: pw}); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, tokens: map[string]string{}, clock: clock}
	for _, u := range []string{"sys", "sec", "cy", "hd"} {
		var out struct{ Token string }
		e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":%q,"password":%q}`, u, pw), 200, &out)
		e.tokens[u] = out.Token
	}
	form := func(method, path, user string, v url.Values, want int) string {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			t.Fatalf("%s %s as %s: %d, want %d: %.400s", method, path, user, res.StatusCode, want, b)
		}
		return string(b)
	}
	hd, _ := a.DB.Read(context.Background()).UserByName("hd")
	sys, _ := a.DB.Read(context.Background()).UserByName("sys")
	cases := []struct {
		name, method, path, user string
		form                     url.Values
		want                     int
		contains                 string
	}{
		{"sysadmin users page", "GET", "/admin/users", "sys", nil, 200, "新增账户"},
		{"sysadmin nav", "GET", "/admin/users", "sys", nil, 200, `href="/admin/users"`},
		{"secadmin users page", "GET", "/admin/users", "sec", nil, 403, "系统管理员"},
		{"officer users page", "GET", "/admin/users", "cy", nil, 403, ""},
		{"security page", "GET", "/admin/security", "sec", nil, 200, "安全策略"},
		{"security page sysadmin", "GET", "/admin/security", "sys", nil, 403, "安全管理员"},
		{"create invalid", "POST", "/admin/users", "sys", url.Values{"username": {"x"}, "role": {"district_dept"}, "district": {"朝阳区"}, "password": {"short"}}, 400, "区级行业主管部门须指定部门"},
		{"create administrator refused", "POST", "/admin/users", "sys", url.Values{"username": {"aud"}, "role": {"auditadmin"}, "password": {pw}}, 403, "gengxin user add"},
		{"create", "POST", "/admin/users", "sys", url.Values{"username": {"hd-fg"}, "name": {"王芳"}, "role": {"district_dept"}, "district": {"海淀区"}, "dept": {"发展改革"}, "password": {pw}, "expires": {"2025-12-31"}}, 303, ""},
		{"created listed", "GET", "/admin/users", "sys", nil, 200, "hd-fg"},
		{"sysadmin cannot reset totp", "POST", fmt.Sprintf("/admin/users/%d/reset-totp", hd.ID), "sys", url.Values{}, 403, "安全管理员"},
		{"sysadmin cannot disable self", "POST", fmt.Sprintf("/admin/users/%d/disable", sys.ID), "sys", url.Values{}, 403, "本人"},
		{"secadmin may disable sysadmin", "GET", "/admin/security", "sec", nil, 200, fmt.Sprintf("/admin/users/%d/disable", sys.ID)},
		{"bad expiry", "POST", fmt.Sprintf("/admin/users/%d/expiry", hd.ID), "sys", url.Values{"expires": {"2024-02-30"}}, 400, "有效期"},
		{"disable", "POST", fmt.Sprintf("/admin/users/%d/disable", hd.ID), "sys", url.Values{}, 303, ""},
		{"disabled session dead", "GET", "/workbench", "hd", nil, 303, ""},
		{"enable", "POST", fmt.Sprintf("/admin/users/%d/enable", hd.ID), "sec", url.Values{}, 303, ""},
		{"unknown op", "POST", fmt.Sprintf("/admin/users/%d/promote", hd.ID), "sec", url.Values{}, 404, ""},
		{"policy weaker refused", "POST", "/admin/security", "sec", url.Values{"lockout_threshold": {"10"}, "lockout_minutes": {"30"}, "password_min_length": {"12"}, "admin_idle_minutes": {"15"}, "idle_minutes": {"30"}, "absolute_hours": {"12"}}, 400, "锁定阈值"},
		{"policy", "POST", "/admin/security", "sec", url.Values{"lockout_threshold": {"4"}, "lockout_minutes": {"60"}, "password_min_length": {"14"}, "admin_idle_minutes": {"10"}, "idle_minutes": {"20"}, "absolute_hours": {"8"}}, 303, ""},
		{"policy by sysadmin", "POST", "/admin/security", "sys", url.Values{"lockout_threshold": {"4"}, "lockout_minutes": {"60"}, "password_min_length": {"14"}, "admin_idle_minutes": {"10"}, "idle_minutes": {"20"}, "absolute_hours": {"8"}}, 403, ""},
		{"policy shown", "GET", "/admin/security", "sec", nil, 200, `value="14"`},
		{"officer nav has no admin link", "GET", "/workbench", "cy", nil, 200, "工作台"},
	}
	for _, c := range cases {
		body := form(c.method, c.path, c.user, c.form, c.want)
		if !strings.Contains(body, c.contains) {
			t.Errorf("%s: body lacks %q: %.400s", c.name, c.contains, body)
		}
	}
	if body := form("GET", "/workbench", "cy", nil, 200); strings.Contains(body, "/admin/") {
		t.Error("officer sees administrator links")
	}
	acc, err := a.DB.Read(context.Background()).AccountByName("hd-fg")
	if err != nil || !acc.TOTPRequired || acc.ExpiresAt.IsZero() {
		t.Fatalf("created account: %+v %v", acc, err)
	}
	// The API answers with the idle limit of the policy in force.
	var out struct {
		ExpiresIn int `json:"expires_in"`
	}
	e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":"sys","password":%q}`, pw), 200, &out)
	if out.ExpiresIn != 600 {
		t.Errorf("sysadmin expires_in %d, want 600", out.ExpiresIn)
	}
}
