package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gengxin"
	"gengxin/app"
	gxhttp "gengxin/http"
	"gengxin/store"
	"gengxin/store/storetest"
)

// newExpertEnv is a server with the expert-committee users signed in: zjw
// (市住房城乡建设委), ghw (市规划自然资源委, recommender), exp1/exp2 (experts),
// and from testUsers cy/hd (区城市更新主管部门) and co (applicant).
func newExpertEnv(t *testing.T, d store.Dialect) *greenEnv {
	t.Helper()
	a, srv, _ := startServer(t, d)
	e := &greenEnv{t: t, base: srv.URL, tokens: map[string]string{}}
	for _, u := range []app.NewUserInput{
		{Username: "zjw", Role: gengxin.RoleMunicipalHousing},
		{Username: "ghw", Role: gengxin.RoleMunicipalDept, Dept: "规划自然资源"},
		{Username: "cy"}, {Username: "hd"}, {Username: "co"},
		{Username: "exp1", Role: gengxin.RoleExpert},
		{Username: "exp2", Role: gengxin.RoleExpert},
	} {
		u.Password = pw
		if u.Role != "" {
			if _, err := a.AddUser(context.Background(), u); err != nil {
				t.Fatal(err)
			}
		}
		var out struct{ Token string }
		e.req("POST", "/api/v1/login", "", "application/json", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, u.Username, pw)), 200, &out)
		e.tokens[u.Username] = out.Token
	}
	return e
}

func (e *greenEnv) js(method, path, user, body string, want int, out any) string {
	e.t.Helper()
	return e.req(method, path, user, "application/json", strings.NewReader(body), want, out)
}

func (e *greenEnv) form(path, user string, v url.Values, want int) string {
	e.t.Helper()
	return e.req("POST", path, user, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), want, nil)
}

func TestExpertAPIAndPages(t *testing.T) {
	e := newExpertEnv(t, store.SQLite)
	type ev struct {
		ID      int64
		Phone   string
		Current struct {
			CertCode string `json:"cert_code"`
			CertNo   string `json:"cert_no"`
		} `json:"current_term"`
	}
	// Nomination: a recommending department may, an applicant may not.
	nominate := func(name, phone string) ev {
		var x ev
		e.js("POST", "/api/v1/experts", "ghw", fmt.Sprintf(`{"name":%q,"gender":"女","birth_date":"1966-03-01","employer":"%s院","title":"研究员","fields":["城市设计"],"phone":%q}`, name, name, phone), 201, &x)
		e.js("POST", fmt.Sprintf("/api/v1/experts/%d/vet", x.ID), "ghw", `{"approve":true}`, 200, nil)
		e.js("POST", fmt.Sprintf("/api/v1/experts/%d/appoint", x.ID), "zjw", `{}`, 200, &x)
		return x
	}
	e.js("POST", "/api/v1/experts", "co", `{"name":"某"}`, 403, nil)
	body := e.js("POST", "/api/v1/experts", "ghw", `{"name":"某","gender":"男","birth_date":"1960-01-01","employer":"某院","title":"高工","fields":["园艺"],"phone":"13800000000"}`, 400, nil)
	if !strings.Contains(body, "第二条") {
		t.Fatalf("field error: %s", body)
	}
	a := nominate("甲专家", "13911112222")
	b := nominate("乙专家", "13933334444")
	e.js("POST", fmt.Sprintf("/api/v1/experts/%d/link", a.ID), "zjw", `{"username":"exp1"}`, 200, nil)
	e.js("POST", fmt.Sprintf("/api/v1/experts/%d/link", b.ID), "zjw", `{"username":"exp2"}`, 200, nil)
	e.js("POST", fmt.Sprintf("/api/v1/experts/%d/appoint", a.ID), "ghw", `{}`, 403, nil)

	// Personal data: 市住建委 sees the phone; other roles cannot read the record; public pages never show it.
	var got ev
	e.js("GET", fmt.Sprintf("/api/v1/experts/%d", a.ID), "zjw", "", 200, &got)
	if got.Phone != "13911112222" || a.Current.CertCode == "" {
		t.Fatalf("record: %+v", got)
	}
	e.js("GET", fmt.Sprintf("/api/v1/experts/%d", a.ID), "co", "", 404, nil)
	e.js("GET", fmt.Sprintf("/api/v1/experts/%d", a.ID), "exp2", "", 404, nil)
	e.js("GET", fmt.Sprintf("/api/v1/experts/%d", a.ID), "cy", "", 404, nil)
	// A 区城市更新主管部门 sees its district committee only: none of the municipal experts (EX-07).
	if b := e.js("GET", "/api/v1/experts", "cy", "", 200, nil); !strings.Contains(b, `"total":0`) {
		t.Fatalf("cy sees municipal experts: %s", b)
	}
	for _, pub := range []string{"/", "/verify?code=" + url.QueryEscape(a.Current.CertCode), "/api/v1/verify/" + url.PathEscape(a.Current.CertCode)} {
		if b := e.req("GET", pub, "", "", nil, 200, nil); strings.Contains(b, "13911112222") {
			t.Fatalf("%s shows the phone", pub)
		}
	}
	if b := e.req("GET", "/api/v1/verify/"+url.PathEscape(a.Current.CertCode), "", "", nil, 200, nil); !strings.Contains(b, a.Current.CertNo) {
		t.Fatalf("certificate not verifiable: %s", b)
	}
	if b := e.req("GET", fmt.Sprintf("/api/v1/experts/%d/certificates/1", a.ID), "exp1", "", nil, 200, nil); !strings.HasPrefix(b, "%PDF") {
		t.Fatal("certificate pdf")
	}
	e.req("GET", fmt.Sprintf("/api/v1/experts/%d/certificates/1", a.ID), "co", "", nil, 404, nil)
	e.req("GET", "/api/v1/experts.xlsx", "zjw", "", nil, 200, nil)

	// Registry page with the annual-report warning; detail page with the phone for 市住建委.
	page := e.req("GET", "/experts", "zjw", "", nil, 200, nil)
	if !strings.Contains(page, "甲专家") || !strings.Contains(page, "履职提示") || !strings.Contains(page, "第八条(三)") {
		t.Fatalf("registry page: %.600s", page)
	}
	if p := e.req("GET", fmt.Sprintf("/experts/%d", a.ID), "zjw", "", nil, 200, nil); !strings.Contains(p, "13911112222") || !strings.Contains(p, "规划自然资源（推荐人") {
		t.Fatal("detail page lacks the phone or the recommender for 市住建委")
	}
	// Exit without the recommender's opinion: the form answers 422 with the rule.
	p := e.form(fmt.Sprintf("/experts/%d/exit", b.ID), "zjw", url.Values{"ground": {"1"}, "reason": {"本人申请"}}, 422)
	if !strings.Contains(p, "EX-05") || !strings.Contains(p, "第十二条") {
		t.Fatalf("exit refusal page: %.400s", p)
	}

	// Consultation: 朝阳区 opens and draws; 海淀区 cannot see it.
	var c struct{ ID int64 }
	e.js("POST", "/api/v1/experts/consultations", "co", `{}`, 403, nil)
	e.js("POST", "/api/v1/experts/consultations", "cy", `{"subject":"酒仙桥片区更新规划论证","kind":"plan","fields":["城市设计"],"experts_needed":2,"undertaking_unit":"某承担单位","leader":"张三"}`, 201, &c)
	cpath := fmt.Sprintf("/api/v1/experts/consultations/%d", c.ID)
	e.js("GET", cpath, "hd", "", 404, nil)
	e.js("POST", cpath+"/draw", "hd", "", 404, nil)
	e.js("POST", cpath+"/draw", "zjw", "", 403, nil)
	var d struct {
		Seed   string
		Picked []struct {
			ExpertID int64 `json:"expert_id"`
		}
	}
	e.js("POST", cpath+"/draw", "cy", "", 200, &d)
	if d.Seed == "" || len(d.Picked) != 2 {
		t.Fatalf("draw %+v", d)
	}
	var v struct {
		Assignments []struct {
			ID       int64
			ExpertID int64 `json:"expert_id"`
		}
		Draws []struct {
			Replayed bool `json:"replay_matches"`
		}
	}
	e.js("GET", cpath, "cy", "", 200, &v)
	if len(v.Draws) != 1 || !v.Draws[0].Replayed {
		t.Fatalf("draw record %+v", v)
	}
	aid := map[int64]int64{}
	for _, as := range v.Assignments {
		aid[as.ExpertID] = as.ID
	}
	// Independent opinions: exp2 cannot see exp1's before submitting (API and page), nor act on exp1's row.
	e.js("POST", fmt.Sprintf("%s/assignments/%d/opinion", cpath, aid[a.ID]), "exp1", `{"opinion":"甲的独立意见XYZ"}`, 200, nil)
	e.js("POST", fmt.Sprintf("%s/assignments/%d/opinion", cpath, aid[a.ID]), "exp2", `{"opinion":"冒名"}`, 404, nil)
	e.js("POST", fmt.Sprintf("%s/assignments/%d/opinion", cpath, aid[b.ID]), "cy", `{"opinion":"代填"}`, 403, nil)
	if b := e.js("GET", cpath, "exp2", "", 200, nil); strings.Contains(b, "XYZ") {
		t.Fatal("exp2 saw exp1's opinion via the API")
	}
	if b := e.req("GET", fmt.Sprintf("/experts/consultations/%d", c.ID), "exp2", "", nil, 200, nil); strings.Contains(b, "XYZ") || !strings.Contains(b, "提交本人意见前") {
		t.Fatal("exp2's page shows exp1's opinion")
	}
	if b := e.js("GET", cpath, "cy", "", 200, nil); !strings.Contains(b, "XYZ") {
		t.Fatal("the using unit sees the opinions")
	}
	e.js("POST", fmt.Sprintf("%s/assignments/%d/fee", cpath, aid[a.ID]), "cy", `{"fee_wan":"0.3"}`, 200, nil)
	var mine struct{ Items []json.RawMessage }
	e.js("GET", "/api/v1/experts/consultations", "exp2", "", 200, &mine)
	if len(mine.Items) != 1 {
		t.Fatalf("exp2 lists %d", len(mine.Items))
	}
	// Annual report by the expert; a non-expert cannot submit.
	e.js("POST", "/api/v1/experts/reports", "zjw", `{"title":"t","body":"b"}`, 403, nil)
	e.js("POST", "/api/v1/experts/reports", "exp1", `{"title":"城市设计专项报告","body":"建议"}`, 201, nil)
	// Exit with the recommender consulted; the exited expert is left out of the next draw.
	e.js("POST", fmt.Sprintf("/api/v1/experts/%d/exit", b.ID), "zjw", `{"ground":1,"reason":"本人申请","recommender_opinion":"同意"}`, 200, nil)
	var c2 struct{ ID int64 }
	e.js("POST", "/api/v1/experts/consultations", "cy", `{"subject":"二","kind":"policy","fields":["城市设计"],"experts_needed":2,"undertaking_unit":"某单位","leader":"李四"}`, 201, &c2)
	var d2 struct {
		Picked []struct {
			ExpertID int64 `json:"expert_id"`
		}
		Excluded []struct {
			ExpertID int64 `json:"expert_id"`
			Rule     string
		}
	}
	e.js("POST", fmt.Sprintf("/api/v1/experts/consultations/%d/draw", c2.ID), "cy", "", 200, &d2)
	if len(d2.Picked) != 1 || d2.Picked[0].ExpertID != a.ID || len(d2.Excluded) != 1 || d2.Excluded[0].Rule != "EX-05" {
		t.Fatalf("after exit: %+v", d2)
	}
}

// TestExpertPagesWithoutJavaScript drives the whole procedure through the
// HTML forms with cookie sessions and CSRF tokens: nominate, vet, appoint,
// link, open a consultation, draw, give the opinion, submit a report.
func TestExpertPagesWithoutJavaScript(t *testing.T) {
	e := newExpertEnv(t, store.SQLite)
	login := func(user string) *browser {
		b := newBrowser(t, e.base)
		_, _, page := b.get("/login")
		if st, _, _ := b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "username": {user}, "password": {pw}}); st != 303 {
			t.Fatalf("login %s: %d", user, st)
		}
		return b
	}
	submit := func(b *browser, form, action string, v url.Values, want int) (string, string) {
		t.Helper()
		_, _, page := b.get(form)
		v.Set("csrf", csrfOf(t, page))
		st, loc, body := b.post(action, v)
		if st != want {
			t.Fatalf("POST %s: %d, want %d: %.500s", action, st, want, body)
		}
		return loc, body
	}
	ghw, zjw, cy, exp1 := login("ghw"), login("zjw"), login("cy"), login("exp1")
	// A bad form answers 400 on the form, keeping what was typed.
	_, body := submit(ghw, "/experts/new", "/experts/new", url.Values{"name": {"王五"}, "gender": {"男"}, "birth_date": {"1960-02-30"}}, 400)
	if !strings.Contains(body, "出生日期") || !strings.Contains(body, `value="王五"`) {
		t.Fatalf("bad form: %.400s", body)
	}
	loc, _ := submit(ghw, "/experts/new", "/experts/new", url.Values{"name": {"王五"}, "gender": {"男"}, "birth_date": {"1960-02-01"}, "employer": {"某院"},
		"title": {"研究员"}, "fields": {"城市设计", "历史文化"}, "phone": {"13812345678"}, "relatives": {"王六\n王七"}}, 303)
	if !strings.HasPrefix(loc, "/experts/") {
		t.Fatalf("nominate: %s", loc)
	}
	detail := strings.TrimSuffix(loc, "?done=nominate")
	submit(ghw, detail, detail+"/vet", url.Values{"approve": {"1"}}, 303)
	submit(zjw, detail, detail+"/appoint", url.Values{}, 303)
	submit(zjw, detail, detail+"/link", url.Values{"username": {"exp1"}}, 303)
	_, _, page := zjw.get(detail)
	if !strings.Contains(page, "京建更新专聘〔2024〕") || !strings.Contains(page, "王六") {
		t.Fatalf("detail after appointment: %.600s", page)
	}
	loc, _ = submit(cy, "/experts/consultations", "/experts/consultations", url.Values{"subject": {"某项目论证"}, "kind": {"project"}, "experts_needed": {"1"},
		"fields": {"城市设计"}, "undertaking_unit": {"某单位"}, "leader": {"张三"}}, 303)
	cpage := strings.TrimSuffix(loc, "?done=open")
	submit(cy, cpage, cpage+"/draw", url.Values{}, 303)
	_, _, page = exp1.get(cpage)
	m := regexp.MustCompile(`/assignments/(\d+)/opinion`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("expert page has no opinion form: %.600s", page)
	}
	submit(exp1, cpage, cpage+"/assignments/"+m[1]+"/opinion", url.Values{"opinion": {"同意该方案"}}, 303)
	if _, _, page := cy.get(cpage); !strings.Contains(page, "同意该方案") || !strings.Contains(page, "结果一致") {
		t.Fatalf("unit page: %.600s", page)
	}
	if _, _, page := exp1.get("/experts/consultations"); !strings.Contains(page, "我的专家档案（在聘）") || !strings.Contains(page, "某项目论证") {
		t.Fatalf("expert's consultations page: %.600s", page)
	}
	submit(exp1, "/experts/reports", "/experts/reports", url.Values{"year": {"2024"}, "title": {"专项报告"}, "body": {"内容"}}, 303)
	if _, _, page := zjw.get("/experts/reports"); !strings.Contains(page, "专项报告") {
		t.Fatal("reports page")
	}
	submit(zjw, "/experts/meetings", "/experts/meetings", url.Values{"held_on": {"2024-09-27"}, "title": {"集体会议"}, "minutes": {"纪要"}}, 303)
}

// TestExpertRoutesAsExpert replays every expert-committee route as an
// expert account ("zj" of routeMatrix, not among matrixRoles): the routes
// naming zj let it through (404 for ids it may not see is fine), the others
// refuse it, and none answers 5xx.
func TestExpertRoutesAsExpert(t *testing.T) {
	a, srv, clock := startServer(t, store.SQLite)
	if _, err := a.AddUser(context.Background(), app.NewUserInput{Username: "zj", Role: gengxin.RoleExpert, Password: pw}); err != nil {
		t.Fatal(err)
	}
	tok, _, _, err := a.Login(context.Background(), "zj", pw, "api", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, srv: srv, tokens: map[string]string{"zj": tok}, clock: clock}
	n := 0
	for _, pat := range routePatterns(t) {
		if !strings.Contains(pat, " /experts") && !strings.Contains(pat, " /api/v1/experts") {
			continue
		}
		n++
		class := routeMatrix[pat]
		st := e.replay(pat, "zj", 1)
		allowed := strings.Contains(","+strings.TrimPrefix(class, "roles:")+",", ",zj,")
		switch {
		case st >= 500:
			t.Errorf("%s as expert: %d", pat, st)
		case allowed && (st == 401 || st == 403):
			t.Errorf("%s as expert: %d, want allowed", pat, st)
		case !allowed && !(st == 401 || st == 403 || st == 404 || st == 303):
			t.Errorf("%s as expert: %d, want refused", pat, st)
		}
	}
	if n < 40 {
		t.Fatalf("only %d expert routes replayed", n)
	}
}

// TestExpertBadInput sends malformed bodies to every expert POST route as
// the 市住房城乡建设委, a recommending department and an expert, with an
// expert and a consultation in place: never a 500.
func TestExpertBadInput(t *testing.T) {
	e := newExpertEnv(t, store.SQLite)
	var ex struct{ ID int64 }
	e.req("POST", "/api/v1/experts", "ghw", "application/json", strings.NewReader(`{"name":"鲁棒","gender":"男","birth_date":"1970-01-01","employer":"某院","title":"教授","fields":["城市设计"],"phone":"13800001111"}`), 201, &ex)
	var c struct{ ID int64 }
	e.req("POST", "/api/v1/experts/consultations", "zjw", "application/json", strings.NewReader(`{"subject":"咨询","kind":"project","fields":["城市设计"],"experts_needed":1,"undertaking_unit":"承担单位","leader":"负责人"}`), 201, &c)
	bodies := []string{``, `{`, `null`, `[]`, `{"fields":"城市设计"}`, `{"birth_date":"1970-02-30"}`, `{"experts_needed":-1}`, `{"experts_needed":1e12}`,
		`{"ground":"一"}`, `{"seed":"x"}`, `{"fee_yuan":"-1"}`, `{"year":99999}`, `{"approve":"yes"}`, `{"username":7}`}
	n := 0
	for _, op := range gxhttp.APIOps() {
		if op.Method != "POST" || !strings.HasPrefix(op.Path, "/api/v1/experts") {
			continue
		}
		path := strings.NewReplacer("{id}", fmt.Sprint(ex.ID), "{aid}", "1", "{seq}", "1").Replace(op.Path)
		if strings.Contains(op.Path, "/consultations/{id}") {
			path = strings.NewReplacer("{id}", fmt.Sprint(c.ID), "{aid}", "1").Replace(op.Path)
		}
		for _, user := range []string{"zjw", "ghw", "exp1"} {
			for _, b := range bodies {
				n++
				r, _ := http.NewRequest("POST", e.base+path, strings.NewReader(b))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", "Bearer "+e.tokens[user])
				res, err := testClient.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests {
					t.Errorf("%s as %s with %.40q: %d", path, user, b, res.StatusCode)
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d requests: the expert routes were not found", n)
	}
}

// TestDistrictExpertCommitteeHTTP: a 区城市更新主管部门 sets up its district
// committee through the forms (no JavaScript) and the API (EX-07); another
// district answers 404, the municipal committee is refused to it for
// writes, 市住房城乡建设委 reads it (committee filter) without managing it,
// and a district consultation draws its experts only.
func TestDistrictExpertCommitteeHTTP(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newExpertEnv(t, d)
			type ev struct {
				ID        int64
				Committee string
			}
			var mun ev
			e.js("POST", "/api/v1/experts", "ghw", `{"name":"市专家","gender":"女","birth_date":"1966-03-01","employer":"市院","title":"研究员","fields":["城市设计"],"phone":"13800000001"}`, 201, &mun)
			e.js("POST", fmt.Sprintf("/api/v1/experts/%d/vet", mun.ID), "ghw", `{"approve":true}`, 200, nil)
			e.js("POST", fmt.Sprintf("/api/v1/experts/%d/appoint", mun.ID), "zjw", `{}`, 200, nil)

			// The district registers through the form, vets and appoints.
			b := newBrowser(t, e.base)
			_, _, page := b.get("/login")
			if st, _, _ := b.post("/login", url.Values{"csrf": {csrfOf(t, page)}, "username": {"cy"}, "password": {pw}}); st != 303 {
				t.Fatalf("login cy: %d", st)
			}
			_, _, page = b.get("/experts/new")
			if !strings.Contains(page, "登记朝阳区专家委员会专家") {
				t.Fatalf("district form: %.400s", page)
			}
			st, loc, body := b.post("/experts/new", url.Values{"csrf": {csrfOf(t, page)}, "name": {"区专家"}, "gender": {"男"}, "birth_date": {"1965-01-01"},
				"employer": {"区甲院"}, "title": {"研究员"}, "fields": {"城市设计"}, "phone": {"13800000002"}})
			if st != 303 {
				t.Fatalf("district nomination: %d %.400s", st, body)
			}
			detail := strings.TrimSuffix(loc, "?done=nominate")
			for _, act := range []string{"vet", "appoint"} {
				_, _, page = b.get(detail)
				if st, _, body := b.post(detail+"/"+act, url.Values{"csrf": {csrfOf(t, page)}, "approve": {"1"}}); st != 303 {
					t.Fatalf("district %s: %d %.400s", act, st, body)
				}
			}
			_, _, page = b.get(detail)
			if !strings.Contains(page, "北京市朝阳区城市更新专家委员会") || !strings.Contains(page, "朝阳区更新专聘") {
				t.Fatalf("district detail: %.600s", page)
			}
			_, _, page = b.get("/experts")
			if !strings.Contains(page, "区专家") || strings.Contains(page, "市专家") {
				t.Fatalf("district registry page lists the wrong committee")
			}
			id := strings.TrimPrefix(detail, "/experts/")

			// Another district: 404; the municipal committee: refused for writes.
			e.js("GET", "/api/v1/experts/"+id, "hd", "", 404, nil)
			e.js("POST", "/api/v1/experts/"+id+"/exit", "hd", `{"ground":1,"reason":"x","recommender_opinion":"同意"}`, 404, nil)
			e.js("POST", fmt.Sprintf("/api/v1/experts/%d/reappoint", mun.ID), "cy", `{}`, 404, nil)
			e.js("POST", "/api/v1/experts", "cy", `{"name":"某","gender":"男","birth_date":"1960-01-01","employer":"某院","title":"高工","fields":["城市设计"],"phone":"13800000000","committee":"municipal"}`, 403, nil)
			// 市住房城乡建设委 reads every committee, manages the municipal one only.
			if body := e.js("GET", "/api/v1/experts?committee="+url.QueryEscape("朝阳区"), "zjw", "", 200, nil); !strings.Contains(body, `"total":1`) || !strings.Contains(body, "区专家") {
				t.Fatalf("committee filter: %.300s", body)
			}
			e.js("POST", "/api/v1/experts/"+id+"/exit", "zjw", `{"ground":1,"reason":"x","recommender_opinion":"同意"}`, 403, nil)

			// A district consultation (form) draws its committee's experts only.
			_, _, page = b.get("/experts/consultations")
			st, loc, body = b.post("/experts/consultations", url.Values{"csrf": {csrfOf(t, page)}, "committee": {"朝阳区"}, "subject": {"街区更新论证"}, "kind": {"plan"},
				"experts_needed": {"2"}, "undertaking_unit": {"某承担单位"}, "leader": {"王某"}, "fields": {"城市设计"}})
			if st != 303 {
				t.Fatalf("district consultation: %d %.400s", st, body)
			}
			cid := strings.TrimSuffix(strings.TrimPrefix(loc, "/experts/consultations/"), "?done=open")
			var draw struct {
				Picked []struct {
					ExpertID int64 `json:"expert_id"`
				}
			}
			e.js("POST", "/api/v1/experts/consultations/"+cid+"/draw", "cy", "", 200, &draw)
			if len(draw.Picked) != 1 || fmt.Sprint(draw.Picked[0].ExpertID) != id {
				t.Fatalf("district draw: %+v, want only %s", draw.Picked, id)
			}
			if _, _, page = b.get("/experts/consultations/" + cid); !strings.Contains(page, "朝阳区专家委员会") {
				t.Fatalf("consultation page: %.400s", page)
			}
		})
	}
}
