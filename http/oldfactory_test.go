package http_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gengxin/store"
)

// admitOverAPI takes a new 产业类 draft of co into the reserve library with
// 经济和信息化 as its industry department and returns its id.
func admitOverAPI(e *env) int64 {
	var p struct{ ID int64 }
	e.do("POST", "/api/v1/projects", "co", draft, 201, &p)
	act := func(user, action, body string) {
		e.do("POST", fmt.Sprintf("/api/v1/projects/%d/actions/%s", p.ID, action), user, body, 200, nil)
	}
	act("co", "submit", "{}")
	act("cy", "open-review", `{"departments":["发展改革"]}`)
	act("cy-fg", "opinion", `{"verdict":"approve","text":"同意"}`)
	act("cy", "admit", `{"industry_dept":"经济和信息化"}`)
	return p.ID
}

// form posts a form as user (Bearer) without following redirects.
func (e *env) form(path, user string, v url.Values) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestOldFactoryPagesAndAPI(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite} {
		e := newEnv(t, d)
		id := admitOverAPI(e)
		base := fmt.Sprintf("/projects/%d/old-factory", id)

		// Before registration the page explains the step and offers the form.
		page := e.do("GET", base, "co", "", 200, nil)
		if !strings.Contains(page, "更新改造完善材料") || !strings.Contains(page, "登记老旧厂房改造并提交完善材料") {
			t.Fatalf("register form missing: %.300s", page)
		}
		// A form with the materials but a green ratio under 20 % (OF-10, soft):
		// 422, the Chinese message, and a justification box for OF-10.
		v := url.Values{"owner": {"北京某某机械厂"}, "materials.unregistered": {"无"}, "materials.industry": {"研发"},
			"materials.land_and_scale": {"1 公顷"}, "materials.funding_source": {"自筹"}, "materials.expected_impact": {"产值"},
			"materials.operation": {"自持"}, "building_area_m2": {"8000"}, "vacant_area_m2": {"5000"}, "inside_fifth_ring": {"yes"},
			"proposed_industry": {"产业创新"}, "renovation.interior_only": {"yes"}, "renovation.use_change_main_class": {"no"},
			"renovation.green_ratio_before": {"0.1"}, "renovation.green_ratio_after": {"0.1"}, "ownership.kind": {"single"}}
		st, body := e.form(base+"/register", "co", v)
		if st != 422 || !strings.Contains(body, "说明理由") || !strings.Contains(body, `name="justifications.OF-10"`) {
			t.Fatalf("register without justification: %d %.600s", st, body)
		}
		v.Set("justifications.OF-10", "厂区绿地由市政代建")
		if st, body = e.form(base+"/register", "co", v); st != 303 {
			t.Fatalf("register: %d %.600s", st, body)
		}
		var of struct {
			Stage, Track string
			Steps        []string
			Case         struct{ Owner string }
		}
		e.do("GET", "/api/v1"+base, "cy", "", 200, &of)
		if of.Stage != "materials" || of.Track != "fast_a" || of.Case.Owner != "北京某某机械厂" || len(of.Steps) != 1 || of.Steps[0] != "requisites" {
			t.Fatalf("after register: %+v", of)
		}
		// The officer's page shows the finding, the justification and the requisites form.
		page = e.do("GET", base, "cy", "", 200, nil)
		for _, want := range []string{"快速通道一", "实施主体说明理由：厂区绿地由市政代建", "确定列入计划要件", "OF-10"} {
			if !strings.Contains(page, want) {
				t.Errorf("officer page lacks %q", want)
			}
		}
		// Over the API: missing requisites → 422 naming each field with the rule.
		body = e.do("POST", "/api/v1"+base+"/requisites", "cy", `{"requisites":{"implementer":"北京某某置业有限公司"}}`, 422, nil)
		if !strings.Contains(body, `"rule":"OF-25"`) || !strings.Contains(body, "requisites.supervision") {
			t.Fatalf("requisites refusal: %s", body)
		}
		e.do("POST", "/api/v1"+base+"/requisites", "cy", `{"requisites":{"implementer":"北京某某置业有限公司","function":"研发","indicators":"8000㎡",
			"land_supply":"租赁","supervision":"协议"},"approve_warnings":true}`, 200, &of)
		if of.Stage != "agreement" {
			t.Fatalf("fast track A goes to the agreement: %s", of.Stage)
		}
		// The wrong industry department is refused; an unknown step is 404; bad JSON is 400.
		e.do("POST", "/api/v1"+base+"/agreement", "cy-fg", `{}`, 403, nil)
		e.do("POST", "/api/v1"+base+"/nope", "cy", `{}`, 404, nil)
		e.do("POST", "/api/v1"+base+"/agreement", "cy-jx", `{"agreement":`, 400, nil)
		// The agreement form: all seven items and three prohibitions.
		av := url.Values{"agreement.no": {"朝经信监〔2024〕7号"}, "agreement.implementer": {"北京某某置业有限公司"}, "agreement.owner": {"北京某某机械厂"},
			"agreement.breach_handling": {"收回政策"}, "agreement.prohibitions": {"change_use", "sublet"}}
		for _, k := range []string{"industry_type", "investment_intensity", "output_efficiency", "innovation", "energy_environment", "assessment", "exit"} {
			av.Set("agreement.items."+k, "按方案")
		}
		if st, body = e.form(base+"/agreement", "cy-jx", av); st != 422 || !strings.Contains(body, "禁止分割销售") {
			t.Fatalf("agreement without 分割销售: %d %.400s", st, body)
		}
		av.Add("agreement.prohibitions", "split_sale")
		if st, body = e.form(base+"/agreement", "cy-jx", av); st != 303 {
			t.Fatalf("agreement: %d %.400s", st, body)
		}
		// Lists: the district and the municipal commission see the case; an applicant may not list.
		var list struct{ Total int }
		e.do("GET", "/api/v1/old-factory", "cy", "", 200, &list)
		if list.Total != 1 {
			t.Fatalf("district list %d", list.Total)
		}
		e.do("GET", "/api/v1/old-factory", "hd", "", 200, &list)
		if list.Total != 0 {
			t.Fatalf("other district sees %d", list.Total)
		}
		e.do("GET", "/api/v1/old-factory", "co", "", 403, nil)
		if page = e.do("GET", "/old-factory", "shi", "", 200, nil); !strings.Contains(page, "待签订履约监管协议") && !strings.Contains(page, "规划建设手续办理") {
			t.Fatalf("municipal list page: %.300s", page)
		}
		// Another district's officer cannot see the case.
		e.do("GET", "/api/v1"+base, "hd", "", 404, nil)
	}
}

func TestFactoryInventory(t *testing.T) {
	e := newEnv(t, store.SQLite)
	// Exactly 50 % vacant does not meet the definition (OF-01, strict >); 50.01 % does.
	var c struct {
		ID        int64
		Qualifies string
		Finding   string
	}
	e.do("POST", "/api/v1/old-factory/inventory", "co", `{"name":"一号厂房","district":"朝阳区","address":"酒仙桥路1号","building_area_m2":"10000","vacant_area_m2":"5000"}`, 201, &c)
	if c.Qualifies != "fail" {
		t.Fatalf("50%% vacant: %+v", c)
	}
	e.do("POST", "/api/v1/old-factory/inventory", "co", `{"name":"二号厂房","district":"朝阳区","address":"酒仙桥路2号","building_area_m2":"10000","vacant_area_m2":"5001"}`, 201, &c)
	if c.Qualifies != "pass" || !strings.Contains(c.Finding, "二(一)") {
		t.Fatalf("50.01%% vacant: %+v", c)
	}
	// The same factory twice is a conflict; bad numbers are named.
	e.do("POST", "/api/v1/old-factory/inventory", "co", `{"name":"二号厂房","district":"朝阳区","address":"酒仙桥路2号","building_area_m2":"10000","vacant_area_m2":"5001"}`, 409, nil)
	body := e.do("POST", "/api/v1/old-factory/inventory", "co", `{"name":"三号","district":"朝阳区","address":"x","building_area_m2":"100","vacant_area_m2":"200"}`, 400, nil)
	if !strings.Contains(body, "vacant_area_m2") {
		t.Fatal(body)
	}
	// Only the district's 经济和信息化 department or renewal authority confirms; another district cannot.
	e.do("POST", fmt.Sprintf("/api/v1/old-factory/inventory/%d/review", c.ID), "cy-fg", `{"decision":"listed"}`, 403, nil)
	e.do("POST", fmt.Sprintf("/api/v1/old-factory/inventory/%d/review", c.ID), "hd", `{"decision":"listed"}`, 404, nil)
	e.do("POST", fmt.Sprintf("/api/v1/old-factory/inventory/%d/review", c.ID), "cy-jx", `{"decision":"not_listed"}`, 400, nil)
	e.do("POST", fmt.Sprintf("/api/v1/old-factory/inventory/%d/review", c.ID), "cy-jx", `{"decision":"listed"}`, 200, nil)
	// The roll-up: the municipal level sees every district.
	var inv struct {
		Total      int
		ByDistrict []struct {
			District                  string
			Reported, Listed, Qualify int
		} `json:"by_district"`
	}
	e.do("GET", "/api/v1/old-factory/inventory", "shi", "", 200, &inv)
	if inv.Total != 2 || len(inv.ByDistrict) != 1 || inv.ByDistrict[0].Listed != 1 || inv.ByDistrict[0].Qualify != 1 {
		t.Fatalf("roll-up %+v", inv)
	}
	e.do("GET", "/api/v1/old-factory/inventory", "co2", "", 200, &inv)
	if inv.Total != 0 {
		t.Fatalf("another owner sees %d", inv.Total)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/old-factory/inventory.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+e.tokens["cy"])
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("xlsx: %v %v", err, res)
	}
	res.Body.Close()
}

// TestOldFactoryBadInput sends malformed bodies to every old-factory step of
// an admitted 产业类 project, before and after registration, as each role
// that may take a step: never a 500.
func TestOldFactoryBadInput(t *testing.T) {
	e := newEnv(t, store.SQLite)
	id := admitOverAPI(e)
	// 11 steps × 3 users × 17 bodies × 2 rounds stays under the API's 1,200 requests a minute.
	bodies := []string{``, `{`, `null`, `{"facts":null}`, `{"facts":1}`, `{"facts":{"renovation":null,"ownership":{"kind":7}}}`,
		`{"facts":{"building_area_m2":"1e999999"}}`, `{"materials":[]}`, `{"requisites":{"transition_applies":"yes"}}`, `{"plan":{"revision":"x"}}`,
		`{"on":"2024-02-30"}`, `{"passed":"no"}`, `{"dimensions":{"x":1}}`, `{"agreement":{"prohibitions":"change_use"}}`, `{"permits":{"construction_permit_on":"9999-99-99"}}`,
		`{"justifications":{"OF-10":["x"]}}`, `{"rectify_by":"2030-01-01","passed":false,"problems":[1]}`}
	steps := []string{"register", "requisites", "plan", "municipal-approval", "review", "agreement", "permits", "evaluate", "recheck", "land", "registration"}
	try := func() {
		for _, step := range steps {
			for _, user := range []string{"co", "cy", "cy-jx"} {
				for _, b := range bodies {
					req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/projects/%d/old-factory/%s", e.srv.URL, id, step), strings.NewReader(b))
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
	facts := `{"inside_fifth_ring":true,"building_area_m2":8000,"vacant_area_m2":5000,"proposed_industry":"产业创新","renovation":{"interior_only":true,"use_change_main_class":false},"ownership":{"kind":"single"}}`
	e.do("POST", fmt.Sprintf("/api/v1/projects/%d/old-factory/register", id), "co", `{"facts":`+facts+`,"owner":"北京某某机械厂","materials":{"unregistered":"无","industry":"研发","land_and_scale":"1公顷","funding_source":"自筹","expected_impact":"产值","operation":"自持"}}`, 200, nil)
	try()
}
