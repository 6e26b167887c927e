package http_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gengxin/store"
	"gengxin/store/storetest"
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
		if !strings.Contains(page, "更新改造完善材料") || !strings.Contains(page, "登记老旧厂房改造并提交完善材料") || !strings.Contains(page, `name="buildings.0.name"`) {
			t.Fatalf("register form (with the unregistered-building rows) missing: %.300s", page)
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
		// One unregistered building on the register form itself (blank rows skipped).
		v.Set("buildings.0.name", "门卫室")
		v.Set("buildings.0.area_m2", "30")
		v.Set("buildings.0.approvals", "complete")
		v.Set("buildings.1.approvals", "none")
		if st, body = e.form(base+"/register", "co", v); st != 303 {
			t.Fatalf("register: %d %.600s", st, body)
		}
		var of struct {
			Stage, Track string
			Steps        []string
			Case         struct {
				Owner     string
				Buildings []struct{ Name string }
			}
		}
		e.do("GET", "/api/v1"+base, "cy", "", 200, &of)
		if of.Stage != "materials" || of.Track != "fast_a" || of.Case.Owner != "北京某某机械厂" || len(of.Steps) != 1 || of.Steps[0] != "requisites" {
			t.Fatalf("after register: %+v", of)
		}
		if len(of.Case.Buildings) != 1 || of.Case.Buildings[0].Name != "门卫室" {
			t.Fatalf("the register form's building list: %+v", of.Case.Buildings)
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

// neverFails posts each body to each old-factory step of project id as each
// user: never a 5xx, never throttled.
func (e *env) neverFails(id int64, steps, users, bodies []string) {
	e.t.Helper()
	for _, step := range steps {
		for _, user := range users {
			for _, b := range bodies {
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/projects/%d/old-factory/%s", e.srv.URL, id, step), strings.NewReader(b))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens[user])
				res, err := testClient.Do(req)
				if err != nil {
					e.t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode >= 500 || res.StatusCode == http.StatusTooManyRequests {
					e.t.Errorf("%s as %s with %.40q: %d", step, user, b, res.StatusCode)
				}
			}
		}
	}
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
	try := func() { e.neverFails(id, steps, []string{"co", "cy", "cy-jx"}, bodies) }
	try()
	facts := `{"inside_fifth_ring":true,"building_area_m2":8000,"vacant_area_m2":5000,"proposed_industry":"产业创新","renovation":{"interior_only":true,"use_change_main_class":false},"ownership":{"kind":"single"}}`
	e.do("POST", fmt.Sprintf("/api/v1/projects/%d/old-factory/register", id), "co", `{"facts":`+facts+`,"owner":"北京某某机械厂","materials":{"unregistered":"无","industry":"研发","land_and_scale":"1公顷","funding_source":"自筹","expected_impact":"产值","operation":"自持"}}`, 200, nil)
	try()
}

// TestOldFactoryUnregisteredBuildingsAPI drives the list of 第十四条 over the
// API and the page forms: the permits refuse (OF-14) until the building
// without approvals is investigated and publicised on the portal (15 working
// days on the holiday calendar) and every building is appraised.
func TestOldFactoryUnregisteredBuildingsAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			id := admitOverAPI(e)
			base := fmt.Sprintf("/projects/%d/old-factory", id)
			api := "/api/v1" + base
			facts := `{"inside_fifth_ring":true,"building_area_m2":8000,"vacant_area_m2":5000,"proposed_industry":"产业创新","renovation":{"interior_only":true,"use_change_main_class":false},"ownership":{"kind":"single"}}`
			e.do("POST", api+"/register", "co", `{"facts":`+facts+`,"owner":"北京某某置业有限公司","materials":{"industry":"研发","land_and_scale":"1公顷","funding_source":"自筹","expected_impact":"产值","operation":"自持"},
				"buildings":[{"name":"门卫室","area_m2":30,"approvals":"none"},{"name":"锅炉房","area_m2":200,"approvals":"complete"}]}`, 200, nil)
			page := e.do("GET", base, "co", "", 200, nil)
			for _, want := range []string{"未登记建筑物清单", "楼栋名称或位置", "房屋质量安全鉴定", "待区人民政府组织街道办事处或乡镇人民政府调查、认定", "第十四条【未登记建筑物】", "记录房屋质量安全鉴定"} {
				if !strings.Contains(page, want) {
					t.Errorf("case page lacks %q", want)
				}
			}
			e.do("POST", api+"/requisites", "cy", `{"requisites":{"implementer":"北京某某置业有限公司","function":"研发","indicators":"8000㎡","land_supply":"租赁","supervision":"协议","unregistered_opinion":"调查认定"},"approve_warnings":true}`, 200, nil)
			e.do("POST", api+"/agreement", "cy-jx", `{"agreement":{"no":"朝经信监〔2024〕9号","breach_handling":"收回政策","prohibitions":["change_use","sublet","split_sale"],
				"items":{"industry_type":"a","investment_intensity":"a","output_efficiency":"a","innovation":"a","energy_environment":"a","assessment":"a","exit":"a"}}}`, 200, nil)
			permits := `{"permits":{"holder":"北京某某置业有限公司","construction_permit_on":"2024-09-26"}}`
			refused := func(fields ...string) {
				t.Helper()
				var er struct {
					Error struct {
						Code, Rule, Citation string
						Details              []struct{ Field, Rule string }
					}
				}
				e.do("POST", api+"/permits", "cy", permits, 422, &er)
				var got []string
				for _, d := range er.Error.Details {
					got = append(got, d.Field)
				}
				if er.Error.Code != "rule_refused" || er.Error.Rule != "OF-14" || er.Error.Citation != "京规自发〔2024〕67号 第十四条【未登记建筑物】" || strings.Join(got, ",") != strings.Join(fields, ",") {
					t.Fatalf("permits refusal %+v, want %v", er.Error, fields)
				}
			}
			refused("buildings.1.investigation", "buildings.1.appraisal", "buildings.2.appraisal")

			// The district records the investigation with the page form; the applicant may not.
			inv := url.Values{"building": {"1"}, "investigation.body": {"酒仙桥街道办事处"}, "investigation.on": {"2024-09-26"},
				"investigation.illegal": {"no"}, "investigation.text": {"历史遗留，不涉及违法"}}
			if st, body := e.form(base+"/building-investigation", "co", inv); st != 403 {
				t.Fatalf("applicant investigation: %d %.300s", st, body)
			}
			if st, body := e.form(base+"/building-investigation", "cy", inv); st != 303 {
				t.Fatalf("investigation: %d %.600s", st, body)
			}
			// The 公示 on the portal: from Fri 2024-09-27, 15 working days on the
			// holiday calendar (Sun 09-29 and Sat 10-12 worked, 10-01…07 off) → 2024-10-23.
			var v struct {
				Case struct {
					Buildings []struct {
						Publicity *struct {
							End           string
							PublicationID int64 `json:"publication_id"`
						}
					}
				}
			}
			e.do("POST", api+"/building-publicity", "cy", `{}`, 200, &v)
			pb := v.Case.Buildings[0].Publicity
			if pb == nil || pb.End != "2024-10-23" || v.Case.Buildings[1].Publicity != nil {
				t.Fatalf("publicity %+v", v.Case.Buildings)
			}
			if pub := e.do("GET", fmt.Sprintf("/portal/publications/%d", pb.PublicationID), "", "", 200, nil); !strings.Contains(pub, "门卫室") || !strings.Contains(pub, "2024-10-23") {
				t.Fatalf("portal page: %.600s", pub)
			}
			// The applicant records both appraisals with the page form.
			for _, no := range []string{"1", "2"} {
				if st, body := e.form(base+"/building-appraisal", "co", url.Values{"building": {no}, "appraisal.body": {"某某房屋安全鉴定所"},
					"appraisal.on": {"2024-09-20"}, "appraisal.result": {"满足安全使用要求"}}); st != 303 {
					t.Fatalf("appraisal %s: %d %.600s", no, st, body)
				}
			}
			refused("buildings.1.publicity")
			e.clock.T = e.clock.T.AddDate(0, 0, 27) // 2024-10-24: the session timed out, sign in again
			var tok struct{ Token string }
			e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":"cy","password":%q}`, pw), 200, &tok)
			e.tokens["cy"] = tok.Token
			e.do("POST", api+"/permits", "cy", permits, 200, nil)
			if page = e.do("GET", base, "cy", "", 200, nil); !strings.Contains(page, "不涉及违反法律规定，已公示（2024-09-27 至 2024-10-23）") {
				t.Fatalf("status after the 公示: %.2000s", page)
			}
		})
	}
}

// TestOldFactoryBuildingsBadInput: malformed bodies to the list's steps
// never give a 500.
func TestOldFactoryBuildingsBadInput(t *testing.T) {
	e := newEnv(t, store.SQLite)
	id := admitOverAPI(e)
	bodies := []string{``, `{`, `null`, `{"buildings":{}}`, `{"buildings":[{"no":"x"}]}`, `{"buildings":[{"no":99,"name":"a","area_m2":1,"approvals":"none"}]}`,
		`{"building":"1"}`, `{"building":-1,"investigation":{"illegal":"no"}}`, `{"building_nos":[0,0]}`, `{"appraisal":{"on":"2024-13-01"}}`, `{"building":1,"on":"2024-01-01","summary":"x"}`}
	steps := []string{"buildings", "building-investigation", "building-regularised", "building-publicity", "building-appraisal"}
	try := func() { e.neverFails(id, steps, []string{"co", "cy"}, bodies) }
	try()
	facts := `{"inside_fifth_ring":true,"building_area_m2":8000,"vacant_area_m2":5000,"proposed_industry":"产业创新","renovation":{"interior_only":true,"use_change_main_class":false},"ownership":{"kind":"single"}}`
	e.do("POST", fmt.Sprintf("/api/v1/projects/%d/old-factory/register", id), "co", `{"facts":`+facts+`,"owner":"北京某某机械厂","materials":{"unregistered":"无","industry":"研发","land_and_scale":"1公顷","funding_source":"自筹","expected_impact":"产值","operation":"自持"},"buildings":[{"name":"门卫室","area_m2":30,"approvals":"none"}]}`, 200, nil)
	try()
	// The page's list form: blank rows are skipped, a bad area is named.
	base := fmt.Sprintf("/projects/%d/old-factory", id)
	if st, body := e.form(base+"/buildings", "co", url.Values{"buildings.0.no": {"1"}, "buildings.0.name": {"门卫室"}, "buildings.0.area_m2": {"三十"}, "buildings.0.approvals": {"none"}}); st != 400 || !strings.Contains(body, "建筑面积应为数字") {
		t.Fatalf("bad area: %d %.300s", st, body)
	}
	if st, body := e.form(base+"/buildings", "co", url.Values{"buildings.0.no": {"1"}, "buildings.0.name": {"门卫室"}, "buildings.0.area_m2": {"30"}, "buildings.0.approvals": {"none"},
		"buildings.1.name": {"配电室"}, "buildings.1.area_m2": {"45.5"}, "buildings.1.approvals": {"incomplete"}, "buildings.2.name": {""}, "buildings.2.approvals": {"none"}}); st != 303 {
		i := strings.Index(body, `role="alert"`)
		t.Fatalf("list form: %d %.800s", st, body[max(i, 0):])
	}
	var v struct{ Buildings []struct{ No int } }
	e.do("GET", "/api/v1"+base, "co", "", 200, &v)
	if len(v.Buildings) != 2 || v.Buildings[1].No != 2 {
		t.Fatalf("list after the form: %+v", v.Buildings)
	}
}
