package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
	"gengxin/calendar"
	gxhttp "gengxin/http"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/uscc"
)

func init() { app.PasswordIterations = 1000 }

// testKey is the fixed audit key of the http tests.
var testKey = func() *audit.HMAC {
	k, err := audit.NewHMAC([]byte("gengxin http test audit key, 32+ bytes"))
	if err != nil {
		panic(err)
	}
	return k
}()

type env struct {
	victim int64 // a user the matrix test may administer
	t      testing.TB
	srv    *httptest.Server
	tokens map[string]string
	clock  *gengxin.FixedClock
}

const pw = "Test-Passw0rd-123"

// testUsers are the accounts of the API, page, browser and benchmark tests.
var testUsers = []app.NewUserInput{
	{Username: "co", Role: gengxin.RoleApplicant, OrgName: "北京某某置业有限公司", OrgUSCC: uscc.Complete("91110105MA01ABCD1")},
	{Username: "co2", Role: gengxin.RoleApplicant, OrgName: "北京另一家有限公司", OrgUSCC: uscc.Complete("91110108MA02XYHW1")},
	{Username: "cy", Role: gengxin.RoleDistrictRenewal, District: "朝阳区"},
	{Username: "cy-fg", Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "发展改革"},
	{Username: "cy-jx", Role: gengxin.RoleDistrictDept, District: "朝阳区", Dept: "经济和信息化"},
	{Username: "hd", Role: gengxin.RoleDistrictRenewal, District: "海淀区"},
	{Username: "shi", Role: gengxin.RoleMunicipalHousing},
	{Username: "sys", Role: gengxin.RoleSysAdmin},
}

// startServer starts the whole application on a fresh database of the
// dialect, with testUsers and a clock fixed at 2024-09-27 10:00 Beijing time.
func startServer(tb testing.TB, d store.Dialect) (*app.App, *httptest.Server, *gengxin.FixedClock) {
	tb.Helper()
	db := storetest.Open(tb, d)
	day := calendar.MustParseDate("2024-09-27")
	clock := &gengxin.FixedClock{T: time.Date(day.Year, day.Month, day.Day, 10, 0, 0, 0, calendar.Beijing)}
	a, err := app.New(context.Background(), db, testKey, clock, tb.TempDir(), "http://example.test", nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range testUsers {
		u.Password = pw
		if _, err := a.AddUser(context.Background(), u); err != nil {
			tb.Fatal(err)
		}
	}
	s, err := gxhttp.NewServer(a)
	if err != nil {
		tb.Fatal(err)
	}
	if _, bench := tb.(*testing.B); bench {
		s.APIPerMinute = 1 << 30 // benchmarks measure throughput, not the limiter
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return a, srv, clock
}

// newEnv starts the server and signs every test user in over the API.
func newEnv(tb testing.TB, d store.Dialect) *env {
	tb.Helper()
	_, srv, clock := startServer(tb, d)
	e := &env{t: tb, srv: srv, tokens: map[string]string{}, clock: clock}
	for _, u := range testUsers {
		var out struct{ Token string }
		e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":%q,"password":%q}`, u.Username, pw), 200, &out)
		e.tokens[u.Username] = out.Token
	}
	return e
}

// testClient keeps a connection per concurrent client alive (the default
// keeps two per host, so concurrent benchmarks would measure TCP set-up).
var testClient = &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}}

// do sends a request as user (by username; "" = anonymous) and checks the status.
func (e *env) do(method, path, user, body string, want int, out any) string {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	res, err := testClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		e.t.Fatalf("%s %s as %q: status %d, want %d: %s", method, path, user, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return string(b)
}

const draft = `{"name":"酒仙桥老旧厂房更新改造项目","category":"产业类","district":"朝阳区","street":"酒仙桥街道","address":"朝阳区酒仙桥路10号","goal":"闲置厂房改造为科创空间","fund_estimate_wan":"12000.5","entity_role":"实施主体","complies_with_plans":true}`

func TestAPIScenarios(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			var p struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			}
			e.do("POST", "/api/v1/projects", "co", draft, 201, &p)
			id := fmt.Sprint(p.ID)
			base := "/api/v1/projects/" + id
			cases := []struct {
				name, method, url, user, body string
				want                          int
				contains                      string
			}{
				{"healthz", "GET", "/healthz", "", "", 200, `"ok"`},
				{"openapi", "GET", "/openapi.json", "", "", 200, `"/api/v1/projects/{id}/actions/{action}"`},
				{"no token", "GET", "/api/v1/projects", "", "", 401, `"unauthorized"`},
				{"bad token", "GET", "/api/v1/projects", "nobody", "", 401, `"unauthorized"`},
				{"wrong password", "POST", "/api/v1/login", "", `{"username":"co","password":"x"}`, 401, "用户名或密码错误"},
				{"malformed json", "POST", "/api/v1/projects", "co", `{"name":`, 400, `"invalid"`},
				{"unknown field", "POST", "/api/v1/projects", "co", `{"name":"x","category":"居住类","district":"朝阳区","colour":"red"}`, 400, "未知字段"},
				{"wrong type", "POST", "/api/v1/projects", "co", `{"name":123}`, 400, "类型错误"},
				{"bad uscc", "POST", "/api/v1/projects", "co", `{"name":"x","category":"居住类","district":"朝阳区","entity_name":"某公司","entity_uscc":"911101050000000000"}`, 400, "统一社会信用代码"},
				{"bad district", "POST", "/api/v1/projects", "co", `{"name":"x","category":"居住类","district":"火星区"}`, 400, "所在区"},
				{"officer cannot apply", "POST", "/api/v1/projects", "cy", draft, 403, "forbidden"},
				{"draft invisible to officer", "GET", base, "cy", "", 404, "not_found"},
				{"other company 404", "GET", base, "co2", "", 404, "not_found"},
				{"non-numeric id", "GET", "/api/v1/projects/abc", "co", "", 404, "not_found"},
				{"unknown action", "POST", base + "/actions/fly", "co", "{}", 404, "not_found"},
				{"sysadmin sees no business data", "GET", "/api/v1/projects", "sys", "", 403, "forbidden"},
				{"submit", "POST", base + "/actions/submit", "co", "", 200, `"submitted"`},
				{"submit twice", "POST", base + "/actions/submit", "co", "", 409, "conflict"},
				{"other district 404", "GET", base, "hd", "", 404, "not_found"},
				{"other district action 404", "POST", base + "/actions/open-review", "hd", "{}", 404, "not_found"},
				{"applicant cannot review", "POST", base + "/actions/open-review", "co", "{}", 403, "forbidden"},
				{"admit before review", "POST", base + "/actions/admit", "cy", "{}", 409, "联合审查"},
				{"bad department", "POST", base + "/actions/open-review", "cy", `{"departments":["宣传"]}`, 400, "宣传"},
				{"open review", "POST", base + "/actions/open-review", "cy", `{"departments":["发展改革"]}`, 200, `"in_review"`},
				{"not invited", "POST", base + "/actions/opinion", "cy-jx", `{"verdict":"approve"}`, 403, "未被邀请"},
				{"bad verdict", "POST", base + "/actions/opinion", "cy-fg", `{"verdict":"maybe"}`, 400, "invalid"},
				{"opinion", "POST", base + "/actions/opinion", "cy-fg", `{"verdict":"approve","text":"同意"}`, 200, `审查意见：同意`},
				{"correction without items", "POST", base + "/actions/request-correction", "cy", `{"items":[]}`, 400, "一次性告知"},
				{"list in district", "GET", "/api/v1/projects?district=朝阳区&status=in_review", "cy", "", 200, `"total":1`},
				{"list bad status", "GET", "/api/v1/projects?status=flying", "cy", "", 400, "状态无效"},
				{"search 3 chars", "GET", "/api/v1/projects?q=" + "厂房更新", "cy", "", 200, `"total":1`},
				{"search 2 chars", "GET", "/api/v1/projects?q=" + "厂房", "cy", "", 200, `"total":1`},
				{"search other district", "GET", "/api/v1/projects?q=" + "厂房更新", "hd", "", 200, `"total":0`},
				{"admit", "POST", base + "/actions/admit", "cy", "{}", 200, `"reserve"`},
				{"notice pdf", "GET", base + "/documents/entry-notice.pdf", "co", "", 200, "%PDF"},
				{"notice pdf other company", "GET", base + "/documents/entry-notice.pdf", "co2", "", 404, "not_found"},
				{"promote missing conditions", "POST", base + "/actions/promote", "cy-jx", `{}`, 422, "PL-06"},
				{"promote wrong dept", "POST", base + "/actions/promote", "cy-fg", `{}`, 403, "第十三条"},
				{"exit ground 1 is automatic", "POST", base + "/actions/exit", "cy-jx", `{"ground":1,"reason":"x"}`, 422, "自动"},
				{"exit bad ground", "POST", base + "/actions/exit", "cy-jx", `{"ground":9,"reason":"x"}`, 400, "1至5"},
				{"explain deadline", "GET", base + "/deadlines/joint_review", "cy", "", 200, `"due":"2024-10-16"`},
				{"rules eval", "POST", "/api/v1/rules/eval", "", `{"as_of":"2024-09-01","library":{"category":"产业类","entity_identified":true,"goal_stated":true,"fund_estimate_done":true,"complies_with_plans":true}}`, 200, `"PL-01"`},
				{"rules eval unknown field", "POST", "/api/v1/rules/eval", "", `{"library":{"colour":1}}`, 400, "colour"},
				{"workdays", "GET", "/api/v1/workdays?date=2024-09-27&n=10", "", "", 200, `"2024-10-16"`},
				{"workdays bad date", "GET", "/api/v1/workdays?date=2024-02-30&n=10", "", "", 400, "invalid"},
				{"public search", "GET", "/api/v1/public/projects?q=" + "酒仙桥", "", "", 200, `"total":1`},
				{"unknown api", "GET", "/api/v1/nothing", "co", "", 404, "接口不存在"},
			}
			for _, c := range cases {
				body := e.do(c.method, c.url, c.user, c.body, c.want, nil)
				if !strings.Contains(body, c.contains) {
					t.Errorf("%s: body does not contain %q: %.300s", c.name, c.contains, body)
				}
			}
			// The public search never exposes contacts or credit codes.
			body := e.do("GET", "/api/v1/public/projects?q="+"酒仙桥", "", "", 200, nil)
			if strings.Contains(body, uscc.Complete("91110105MA01ABCD1")) {
				t.Errorf("public search leaks the credit code: %s", body)
			}
			// The verification code printed on the notice verifies publicly.
			var full struct{ Events []gengxin.Event }
			e.do("GET", base, "co", "", 200, &full)
			if len(full.Events) < 5 {
				t.Fatalf("events: %d", len(full.Events))
			}
		})
	}
}

func TestPagesAndCSRF(t *testing.T) {
	e := newEnv(t, store.SQLite)
	for _, path := range []string{"/", "/login", "/verify", "/verify?code=AAAA-BBBB-CCCC-DDDD", "/static/style.css", "/?q=厂房"} {
		res, err := http.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
		if res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: security headers missing", path)
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && !bytes.Contains(b, []byte("北京市城市更新信息系统")) {
			t.Errorf("GET %s: not the Chinese page", path)
		}
	}
	// A signed-in page redirects to the login page.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, _ := c.Get(e.srv.URL + "/workbench")
	if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("workbench anonymous: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// A login form post without the form's token is refused.
	res, _ = c.PostForm(e.srv.URL+"/login", map[string][]string{"username": {"co"}, "password": {pw}})
	if res.StatusCode != 403 {
		t.Fatalf("login without csrf: %d", res.StatusCode)
	}
	// A cookie-session POST without the CSRF token is refused.
	req, _ := http.NewRequest("POST", e.srv.URL+"/projects/new", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "gengxin_session", Value: e.tokens["co"]})
	res, _ = c.Do(req)
	if res.StatusCode != 403 {
		t.Fatalf("post without csrf: %d", res.StatusCode)
	}
}

// TestEveryRouteAnswers replays each documented API route anonymously: none
// may answer 500, and every one needing a user answers 401.
func TestEveryRouteAnswers(t *testing.T) {
	e := newEnv(t, store.SQLite)
	for _, op := range gxhttp.APIOps() {
		path := strings.NewReplacer("{id}", "1", "{action}", "submit", "{aid}", "1", "{seq}", "1", "{kind}", "joint_review", "{code}", "AAAA-BBBB-CCCC-DDDD").Replace(op.Path)
		req, _ := http.NewRequest(op.Method, e.srv.URL+path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Errorf("%s %s: %d", op.Method, path, res.StatusCode)
		}
		if op.Auth && res.StatusCode != 401 {
			t.Errorf("%s %s anonymous: %d, want 401", op.Method, path, res.StatusCode)
		}
	}
}
