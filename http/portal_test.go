package http_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
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
	"gengxin/calendar"
	"gengxin/store"
)

// portalEnv starts the server with testUsers plus the district
// governments of 朝阳区 and 海淀区, all signed in over the API.
func portalEnv(t *testing.T) (*env, *app.App) {
	a, srv, clock := startServer(t, store.SQLite)
	for _, u := range []app.NewUserInput{
		{Username: "cy-gov", Role: gengxin.RoleDistrictGov, District: "朝阳区"},
		{Username: "hd-gov", Role: gengxin.RoleDistrictGov, District: "海淀区"},
	} {
		u.Password = pw
		if _, err := a.AddUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, srv: srv, tokens: map[string]string{}, clock: clock}
	return e, a
}

// day moves the clock to 10:00 on day and signs every user in again (the
// sessions of the day before have timed out).
func (e *env) day(a *app.App, s string) {
	d := calendar.MustParseDate(s)
	e.clock.T = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Beijing)
	for _, u := range append(testUsers, app.NewUserInput{Username: "cy-gov"}, app.NewUserInput{Username: "hd-gov"}) {
		tok, _, _, err := a.Login(context.Background(), u.Username, pw, "api", "127.0.0.1")
		if err != nil {
			e.t.Fatalf("login %s: %v", u.Username, err)
		}
		e.tokens[u.Username] = tok
	}
}

// TestPortalCoordinatorFlow drives a designation through the API to its
// 公示 on the portal, comments through the public page (with its form
// token) and the API, responses, the Atom feed, the home page and the
// confirmation after the 公示.
func TestPortalCoordinatorFlow(t *testing.T) {
	e, a := portalEnv(t)
	e.day(a, "2025-09-26")
	var unit struct{ ID int64 }
	e.do("POST", "/api/v1/coordinator/units", "cy", `{"name":"x","scope":"y","basis":"z"}`, 403, nil)
	e.do("POST", "/api/v1/coordinator/units", "cy-gov", `{"name":"酒仙桥片区","scope":"东至…","basis":"控规","conditions":"具备统筹能力"}`, 201, &unit)
	base := fmt.Sprintf("/api/v1/coordinator/units/%d", unit.ID)
	e.do("GET", base, "hd-gov", "", 404, nil)
	e.do("GET", base, "hd", "", 404, nil)
	e.do("POST", base+"/actions/method", "cy-jx", `{}`, 403, nil)
	e.do("POST", base+"/actions/method", "cy-gov", `{"method":"指定","basis":"原产权单位"}`, 200, nil)
	var v struct {
		Selections []struct {
			PublicityEnd string `json:"publicity_end"`
			Publications []struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
			} `json:"publications"`
		} `json:"selections"`
	}
	e.do("POST", base+"/actions/decide", "cy-gov", `{"name":"北京统筹有限公司","uscc":"91110105MA01ABCD1X","record":"常务会议"}`, 400, nil)
	e.do("POST", base+"/actions/decide", "cy-gov", `{"name":"北京某某置业有限公司","uscc":"`+testUsers[0].OrgUSCC+`","record":"区政府常务会议纪要"}`, 200, &v)
	if v.Selections[0].PublicityEnd != "2025-10-09" || len(v.Selections[0].Publications) != 1 {
		t.Fatalf("publicity: %+v", v.Selections)
	}
	pid := v.Selections[0].Publications[0].ID
	pub := fmt.Sprintf("/portal/publications/%d", pid)

	// The public page with its comment form, anonymously.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		res, err := c.Get(e.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	st, page := get(pub)
	if st != 200 || !strings.Contains(page, "2025-10-09") || !strings.Contains(page, "剩余13天") || !strings.Contains(page, `name="ctoken"`) {
		t.Fatalf("publication page %d", st)
	}
	tok := regexp.MustCompile(`name="ctoken" value="([0-9a-f]+)"`).FindStringSubmatch(page)[1]
	post := func(form url.Values) *http.Response {
		res, err := c.PostForm(e.srv.URL+pub+"/comments", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if res := post(url.Values{"body": {"没有令牌"}}); res.StatusCode != 400 {
		t.Fatalf("comment without the form token: %d", res.StatusCode)
	}
	if res := post(url.Values{"ctoken": {tok}, "body": {"请公开评分过程"}, "name": {"王小明"}, "contact": {"13900000000"}}); res.StatusCode != 303 {
		t.Fatalf("comment: %d", res.StatusCode)
	}
	var cm struct{ ID int64 }
	e.do("POST", fmt.Sprintf("/api/v1/public/publications/%d/comments", pid), "", `{"body":"API 意见","name":"李四"}`, 201, &cm)
	e.do("POST", fmt.Sprintf("/api/v1/public/publications/%d/comments", pid), "", `{"body":""}`, 400, nil)
	e.do("POST", "/api/v1/public/publications/999/comments", "", `{"body":"x"}`, 404, nil)

	// Responses: the district renewal authority only.
	var all struct {
		Comments []struct {
			ID   int64
			Name string
		}
	}
	e.do("GET", fmt.Sprintf("/api/v1/publications/%d/comments", pid), "hd", "", 404, nil)
	e.do("GET", fmt.Sprintf("/api/v1/publications/%d/comments", pid), "cy-gov", "", 403, nil)
	e.do("GET", fmt.Sprintf("/api/v1/publications/%d/comments", pid), "cy", "", 200, &all)
	if len(all.Comments) != 2 || all.Comments[0].Name != "王小明" {
		t.Fatalf("authority sees %+v", all.Comments)
	}
	resp := fmt.Sprintf("/api/v1/publications/%d/comments/%d/response", pid, all.Comments[0].ID)
	e.do("POST", resp, "cy-jx", `{"response":"x"}`, 403, nil)
	e.do("POST", resp, "cy", `{"response":"评分由专家和部门按公告标准进行，已存档备查"}`, 200, nil)
	e.do("POST", resp, "cy", `{"response":"again"}`, 409, nil)
	_, page = get(pub)
	if !strings.Contains(page, "已存档备查") || !strings.Contains(page, "请公开评分过程") || strings.Contains(page, "王小明") || strings.Contains(page, "13900000000") || strings.Contains(page, "API 意见") {
		t.Fatal("public page must show answered comments only, without personal data")
	}
	body := e.do("GET", fmt.Sprintf("/api/v1/public/publications/%d", pid), "", "", 200, nil)
	if strings.Contains(body, "王小明") || !strings.Contains(body, `"comment_count":2`) {
		t.Fatalf("public API: %s", body)
	}
	// The page shows the publication's own text (the 公示 content of 第七条第三款).
	var pv struct{ Body string }
	json.Unmarshal([]byte(body), &pv)
	if first, _, _ := strings.Cut(pv.Body, "\n"); first == "" || !strings.Contains(page, first) {
		t.Fatalf("public page lacks the publication text %q", first)
	}
	// A comment published without an answer appears (the cached page expires
	// with the change); the answered one stays.
	e.do("POST", fmt.Sprintf("/api/v1/publications/%d/comments/%d/moderation", pid, all.Comments[1].ID), "cy", `{"moderation":"published"}`, 200, nil)
	if _, page = get(pub); !strings.Contains(page, "API 意见") || !strings.Contains(page, "尚未答复") || strings.Contains(page, "李四") {
		t.Fatal("published comment not on the page")
	}

	// Lists, home, feed.
	lst := e.do("GET", "/api/v1/public/publications?kind=publicity&status=open", "", "", 200, nil)
	if !strings.Contains(lst, `"days_left":13`) {
		t.Fatalf("list: %s", lst)
	}
	e.do("GET", "/api/v1/public/publications?status=bogus", "", "", 400, nil)
	if _, home := get("/"); !strings.Contains(home, "统筹主体确定结果公示") {
		t.Fatal("home lacks the publicity")
	}
	if st, _ := get("/portal?kind=publicity&status=open"); st != 200 {
		t.Fatalf("portal list %d", st)
	}
	if st, p := get("/portal/projects?q=厂房"); st != 200 || !strings.Contains(p, "项目公开查询") {
		t.Fatalf("project search page %d", st)
	}
	st, feed := get("/feed.atom")
	var doc struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if st != 200 || xml.Unmarshal([]byte(feed), &doc) != nil || len(doc.Entries) != 1 || !strings.Contains(doc.Entries[0].Title, "【公示】") {
		t.Fatalf("feed %d: %s", st, feed)
	}

	// Confirmation refused on the last day of the 公示, comments refused after it.
	e.day(a, "2025-10-09")
	out := e.do("POST", base+"/actions/confirm", "cy-gov", `{"functions":[1,2],"term_years":3}`, 422, nil)
	if !strings.Contains(out, `"rule":"CE-02"`) || !strings.Contains(out, "第七条第三款") {
		t.Fatalf("early confirmation: %s", out)
	}
	e.day(a, "2025-10-10")
	out = e.do("POST", fmt.Sprintf("/api/v1/public/publications/%d/comments", pid), "", `{"body":"迟到"}`, 409, nil)
	if !strings.Contains(out, "已于 2025-10-09 结束") {
		t.Fatalf("late comment: %s", out)
	}
	if st, p := get(pub); st != 200 || !strings.Contains(p, "不再接收意见") || strings.Contains(p, `name="ctoken"`) {
		t.Fatalf("closed publication page %d", st)
	}
	var done struct {
		Coordinators []struct {
			ID      int64  `json:"id"`
			DocCode string `json:"doc_code"`
			TermEnd string `json:"term_end"`
		} `json:"coordinators"`
	}
	e.do("POST", base+"/actions/confirm", "cy-gov", `{"functions":[1,2],"term_years":3}`, 200, &done)
	if len(done.Coordinators) != 1 || done.Coordinators[0].TermEnd != "2028-10-10" {
		t.Fatalf("confirmed: %+v", done)
	}
	pdf := e.do("GET", fmt.Sprintf("/api/v1/coordinator/coordinators/%d/confirmation.pdf", done.Coordinators[0].ID), "co", "", 200, nil)
	if !strings.HasPrefix(pdf, "%PDF") {
		t.Fatal("not a PDF")
	}
	e.do("GET", fmt.Sprintf("/api/v1/coordinator/coordinators/%d/confirmation.pdf", done.Coordinators[0].ID), "co2", "", 404, nil)
	e.do("GET", "/api/v1/verify/"+done.Coordinators[0].DocCode, "", "", 200, nil)
	look := e.do("GET", "/api/v1/coordinator/lookup?q="+url.QueryEscape(testUsers[0].OrgUSCC), "cy-jx", "", 200, nil)
	if !strings.Contains(look, "北京某某置业有限公司") {
		t.Fatalf("lookup: %s", look)
	}
	e.do("GET", "/api/v1/coordinator/lookup?q=x", "cy-jx", "", 400, nil)
	e.do("GET", "/api/v1/coordinator/lookup?q=某某", "co", "", 403, nil)
	// Pages of the unit and the lookup render; the coordinator is offered the extension request.
	for _, p := range [][2]string{{fmt.Sprintf("/coordinator/units/%d", unit.ID), "cy"}, {"/coordinator", "cy"}, {"/coordinator/lookup?q=某某置业", "cy"},
		{fmt.Sprintf("/coordinator/units/%d", unit.ID), "co"}} {
		req, _ := http.NewRequest("GET", e.srv.URL+p[0], nil)
		req.AddCookie(&http.Cookie{Name: "gengxin_session", Value: e.tokens[p[1]]})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), "北京某某置业有限公司") || (p[1] == "co" && !strings.Contains(string(b), "申请有效期延期")) {
			t.Fatalf("GET %s as %s: %d", p[0], p[1], res.StatusCode)
		}
	}
}

// TestPortalCommentRateLimit: public comments are limited per address.
func TestPortalCommentRateLimit(t *testing.T) {
	e, a := portalEnv(t)
	e.day(a, "2025-03-03")
	var unit struct{ ID int64 }
	e.do("POST", "/api/v1/coordinator/units", "cy-gov", `{"name":"限频单元","scope":"y","basis":"z","conditions":"c"}`, 201, &unit)
	base := fmt.Sprintf("/api/v1/coordinator/units/%d/actions/", unit.ID)
	e.do("POST", base+"method", "cy-gov", `{"method":"招标","basis":"招标投标法"}`, 200, nil)
	var v struct {
		Selections []struct {
			PublicationID int64 `json:"publicity_id"`
		} `json:"selections"`
	}
	e.do("POST", base+"decide", "cy-gov", `{"name":"北京另一家有限公司","uscc":"`+testUsers[1].OrgUSCC+`","record":"招标结果"}`, 200, &v)
	path := fmt.Sprintf("/api/v1/public/publications/%d/comments", v.Selections[0].PublicationID)
	for i := 0; i < 10; i++ {
		e.do("POST", path, "", `{"body":"意见"}`, 201, nil)
	}
	e.do("POST", path, "", `{"body":"意见"}`, 429, nil)
}

// TestCoordinatorPages drives the open selection through the HTML forms
// (cookie session + CSRF token): unit, method, 公告 with criteria lines,
// an application, a bad step re-showing the form with the message.
func TestCoordinatorPages(t *testing.T) {
	e, a := portalEnv(t)
	e.day(a, "2025-03-03")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	session := map[string][2]string{}
	for _, u := range []string{"cy-gov", "cy", "co"} {
		tok, csrf, _, err := a.Login(context.Background(), u, pw, "cookie", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		session[u] = [2]string{tok, csrf}
	}
	post := func(user, path string, form url.Values) (int, string, string) {
		t.Helper()
		form.Set("csrf", session[user][1])
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "gengxin_session", Value: session[user][0]})
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Location"), string(b)
	}
	st, loc, _ := post("cy-gov", "/coordinator/units", url.Values{"name": {"页面单元"}, "scope": {"范围"}, "basis": {"控规"}, "conditions": {"基本条件"}})
	if st != 303 || !strings.HasPrefix(loc, "/coordinator/units/") {
		t.Fatalf("create: %d %s", st, loc)
	}
	unit := strings.TrimSuffix(strings.TrimPrefix(loc, "/coordinator/units/"), "?done=create")
	base := "/coordinator/units/" + unit
	if st, _, body := post("cy-gov", "/coordinator/units", url.Values{"name": {""}}); st != 400 || !strings.Contains(body, "实施单元名称") {
		t.Fatalf("bad create: %d", st)
	}
	if st, _, _ := post("cy-gov", base+"/method", url.Values{"method": {"公开比选"}}); st != 303 {
		t.Fatalf("method: %d", st)
	}
	if st, _, _ := post("cy-gov", base+"/announce", url.Values{}); st != 403 {
		t.Fatalf("announce by the government: %d", st)
	}
	if st, _, body := post("cy", base+"/announce", url.Values{"apply_until": {"2025-03-20"}, "criteria": {"方案\n资金,40"}}); st != 400 || !strings.Contains(body, "评分标准") {
		t.Fatalf("announce with a criterion lacking its maximum: %d", st)
	}
	if st, _, _ := post("cy", base+"/announce", url.Values{"apply_until": {"2025-03-20"}, "criteria": {"统筹方案,60\n资金实力，40"}}); st != 303 {
		t.Fatalf("announce: %d", st)
	}
	if st, _, _ := post("co", base+"/apply", url.Values{"statement": {"我单位申报"}}); st != 303 {
		t.Fatalf("apply: %d", st)
	}
	if st, _, _ := post("co", base+"/bogus", url.Values{}); st != 404 {
		t.Fatalf("unknown step: %d", st)
	}
	get := func(user, path string) (int, string) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: "gengxin_session", Value: session[user][0]})
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for user, want := range map[string]string{"cy-gov": "区人民政府办理", "cy": "统筹方案", "co": "我单位申报"} {
		if st, body := get(user, base); st != 200 || !strings.Contains(body, want) {
			t.Fatalf("unit page as %s: %d", user, st)
		}
	}
	e.day(a, "2025-03-21")
	for _, u := range []string{"cy-gov", "co"} {
		tok, csrf, _, _ := a.Login(context.Background(), u, pw, "cookie", "127.0.0.1")
		session[u] = [2]string{tok, csrf}
	}
	if st, body := get("cy-gov", base); st != 200 || !strings.Contains(body, "记录综合评估评分") {
		t.Fatalf("unit page after the deadline: %d", st)
	}
	if st, _, _ := post("cy-gov", base+"/score", url.Values{"application_id": {"1"}, "scorer": {"张专家"}, "scorer_kind": {"专家"}, "score:统筹方案": {"50"}, "score:资金实力": {"30"}}); st != 303 {
		t.Fatalf("score: %d", st)
	}
	var v struct {
		Selections []struct {
			Criteria     []app.Criterion `json:"criteria"`
			Applications []struct {
				OrgName string `json:"org_name"`
				Total   string `json:"total"`
			} `json:"applications"`
		} `json:"selections"`
	}
	e.do("GET", "/api/v1/coordinator/units/"+unit, "cy", "", 200, &v)
	if len(v.Selections[0].Criteria) != 2 || v.Selections[0].Criteria[1].Max != "40" || len(v.Selections[0].Applications) != 1 || v.Selections[0].Applications[0].Total != "80" {
		t.Fatalf("after the forms: %+v", v.Selections)
	}
}

// TestCoordinatorBadInput sends malformed bodies to every coordinator step
// of a unit in each of its stages (new, open selection announced) as each
// role that takes steps: never a 500.
func TestCoordinatorBadInput(t *testing.T) {
	e, a := portalEnv(t)
	e.day(a, "2025-09-01")
	var unit struct{ ID int64 }
	e.do("POST", "/api/v1/coordinator/units", "cy-gov", `{"name":"鲁棒性单元","scope":"范围","basis":"控规","conditions":"条件"}`, 201, &unit)
	bodies := []string{``, `{`, `null`, `{"method":7}`, `{"criteria":"x"}`, `{"criteria":[{"name":"a","max":"-1"}]}`, `{"apply_until":"2025-02-30"}`,
		`{"application_id":"x"}`, `{"scores":{"a":"1e999"}}`, `{"functions":[0,9]}`, `{"term_years":1e9}`, `{"months":-5}`, `{"ground":"二"}`,
		`{"liquidation_wan":"abc"}`, `{"signed_on":"x"}`, `{"uscc":"` + strings.Repeat("9", 40) + `"}`}
	try := func() {
		for step := range app.CoordinatorSteps {
			for _, user := range []string{"cy-gov", "cy", "co"} {
				for _, b := range bodies {
					req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/coordinator/units/%d/actions/%s", e.srv.URL, unit.ID, step), strings.NewReader(b))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+e.tokens[user])
					res, err := testClient.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					res.Body.Close()
					if res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests {
						t.Errorf("%s as %s with %.40q: %d", step, user, b, res.StatusCode)
					}
				}
			}
		}
	}
	try()
	// The first round chose the default method (公开比选) with a body that
	// carried none; now the selection is announced and the round repeated.
	e.do("POST", fmt.Sprintf("/api/v1/coordinator/units/%d/actions/announce", unit.ID), "cy", `{"apply_until":"2025-09-10","criteria":[{"name":"统筹方案","max":"100"}]}`, 200, nil)
	try()
}
