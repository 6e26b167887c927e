package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/uscc"
	"gengxin/xlsx"
)

// greenEnv is a server with the green-award users signed in over the API.
type greenEnv struct {
	t      *testing.T
	base   string
	tokens map[string]string
}

var greenFirmUSCC = uscc.Complete("91110105MA01GRN01")

func newGreenEnv(t *testing.T, d store.Dialect) *greenEnv {
	t.Helper()
	a, srv, _ := startServer(t, d)
	e := &greenEnv{t: t, base: srv.URL, tokens: map[string]string{}}
	users := []app.NewUserInput{
		{Username: "gfirm", Role: gengxin.RoleApplicant, OrgName: "北京绿色制造有限公司", OrgUSCC: greenFirmUSCC},
		{Username: "gfirm2", Role: gengxin.RoleApplicant, OrgName: "北京另一制造有限公司", OrgUSCC: uscc.Complete("91110108MA02GRN02")},
		{Username: "jxj", Role: gengxin.RoleMunicipalDept, Dept: "经济和信息化"},
		{Username: "fgw", Role: gengxin.RoleMunicipalDept, Dept: "发展改革"},
		{Username: "gcy", Role: gengxin.RoleDistrictRenewal, District: "朝阳区"},
	}
	for _, u := range users {
		u.Password = pw
		if _, err := a.AddUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		var out struct{ Token string }
		e.req("POST", "/api/v1/login", "", "application/json", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, u.Username, pw)), 200, &out)
		e.tokens[u.Username] = out.Token
	}
	return e
}

// req sends a request as user ("" = anonymous), checks the status and
// returns the body; out, when given, receives the JSON.
func (e *greenEnv) req(method, path, user, ctype string, body io.Reader, want int, out any) string {
	e.t.Helper()
	r, _ := http.NewRequest(method, e.base+path, body)
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if user != "" {
		r.Header.Set("Authorization", "Bearer "+e.tokens[user])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		e.t.Fatalf("%s %s as %q: status %d, want %d: %.400s", method, path, user, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			e.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return string(b)
}

func (e *greenEnv) upload(path, user string, file []byte, want int) string {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "名单.xlsx")
		fw.Write(file)
	}
	mw.Close()
	return e.req("POST", path, user, mw.FormDataContentType(), &buf, want, nil)
}

func greenListFile(t *testing.T, rows [][]any) []byte {
	t.Helper()
	var buf bytes.Buffer
	cols := []xlsx.Column{{Title: "名单类别"}, {Title: "单位名称"}, {Title: "统一社会信用代码"}, {Title: "入围日期"}, {Title: "移出日期"}}
	if err := xlsx.WriteWorkbook(&buf, xlsx.Sheet{Name: "名单", Columns: cols, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const greenEnergy = `{"sector":"manufacturing","measure":"energy_saving","project_name":"电机系统节能改造","district":"朝阳区","year":2024,"energy_saved_tce":"10000","measurement_report":"审核报告2024-017","eligible_investment_wan":2000}`

func TestGreenAPI(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newGreenEnv(t, d)
			var created struct {
				ID     int64  `json:"id"`
				CapWan string `json:"cap_wan"`
			}
			e.req("POST", "/api/v1/green/applications", "gfirm", "application/json", strings.NewReader(greenEnergy), 201, &created)
			if created.CapWan != "500" {
				t.Fatalf("cap %q", created.CapWan)
			}
			base := fmt.Sprintf("/api/v1/green/applications/%d", created.ID)
			loan := `{"sector":"manufacturing","measure":"green_loan","project_name":"贴息","district":"海淀区","year":2024,"fixed_asset_investment_wan":"500","loan_amount_wan":"1000","interest_paid_wan":"30","loan_contract":"C-1"}`
			cases := []struct {
				name, method, url, user, body string
				want                          int
				contains                      string
			}{
				{"preview", "POST", "/api/v1/green/preview", "gfirm", greenEnergy, 200, `"cap_wan":"500"`},
				{"preview anonymous", "POST", "/api/v1/green/preview", "", greenEnergy, 401, "unauthorized"},
				{"preview officer", "POST", "/api/v1/green/preview", "gcy", greenEnergy, 403, "forbidden"},
				{"preview malformed", "POST", "/api/v1/green/preview", "gfirm", `{"measure":`, 400, "invalid"},
				{"preview unknown field", "POST", "/api/v1/green/preview", "gfirm", `{"listed_green_unit":true}`, 400, "未知字段"},
				{"preview wrong type", "POST", "/api/v1/green/preview", "gfirm", `{"year":"二〇二四"}`, 400, "类型错误"},
				{"apply bad measure", "POST", "/api/v1/green/applications", "gfirm", `{"sector":"manufacturing","measure":"solar","project_name":"x","district":"朝阳区","year":2024}`, 400, "measure"},
				{"apply missing figures", "POST", "/api/v1/green/applications", "gfirm", `{"sector":"manufacturing","measure":"energy_saving","project_name":"x","district":"朝阳区","year":2024}`, 400, "energy_saved_tce"},
				{"apply bad number", "POST", "/api/v1/green/applications", "gfirm", `{"sector":"manufacturing","measure":"other_retrofit","project_name":"x","district":"朝阳区","year":2024,"eligible_investment_wan":"一千"}`, 400, "数字"},
				{"apply loan at 500", "POST", "/api/v1/green/applications", "gfirm", loan, 422, "GL-10"},
				{"list own", "GET", "/api/v1/green/applications", "gfirm", "", 200, `"total":1`},
				{"list other firm", "GET", "/api/v1/green/applications", "gfirm2", "", 200, `"total":0`},
				{"list bad year", "GET", "/api/v1/green/applications?year=abc", "jxj", "", 400, "year"},
				{"list bad status", "GET", "/api/v1/green/applications?status=paid", "jxj", "", 400, "状态"},
				{"list officer", "GET", "/api/v1/green/applications", "gcy", "", 403, "forbidden"},
				{"get other firm", "GET", base, "gfirm2", "", 404, "not_found"},
				{"get non-numeric", "GET", "/api/v1/green/applications/abc", "jxj", "", 404, "not_found"},
				{"get missing", "GET", "/api/v1/green/applications/999999", "jxj", "", 404, "not_found"},
				{"approve by firm", "POST", base + "/approve", "gfirm", `{"amount_wan":"1"}`, 403, "forbidden"},
				{"approve by other dept", "POST", base + "/approve", "fgw", `{"amount_wan":"1"}`, 403, "forbidden"},
				{"approve bad amount", "POST", base + "/approve", "jxj", `{"amount_wan":"abc"}`, 400, "amount_wan"},
				{"approve empty body", "POST", base + "/approve", "jxj", ``, 400, "invalid"},
				{"approve over cap", "POST", base + "/approve", "jxj", `{"amount_wan":"500.5"}`, 422, "GL-02"},
				{"notice before approval", "GET", base + "/notice.pdf", "gfirm", "", 409, "conflict"},
				{"approve", "POST", base + "/approve", "jxj", `{"amount_wan":450}`, 200, `"approved_wan":"450"`},
				{"approve twice", "POST", base + "/approve", "jxj", `{"amount_wan":1}`, 409, "conflict"},
				{"refuse decided", "POST", base + "/refuse", "jxj", `{"reason":"x"}`, 409, "conflict"},
				{"notice", "GET", base + "/notice.pdf", "gfirm", "", 200, "%PDF"},
				{"notice other firm", "GET", base + "/notice.pdf", "gfirm2", "", 404, "not_found"},
				{"public awards", "GET", "/api/v1/green/awards?year=2024", "", "", 200, `"amount_wan":"450"`},
				{"public awards bad measure", "GET", "/api/v1/green/awards?measure=solar", "", "", 400, "invalid"},
				{"summary", "GET", "/api/v1/green/summary?year=2024", "jxj", "", 200, `"approved_wan":"450"`},
				{"summary firm", "GET", "/api/v1/green/summary", "gfirm", "", 403, "forbidden"},
				{"summary bad year", "GET", "/api/v1/green/summary?year=20x4", "jxj", "", 400, "invalid"},
				{"summary xlsx", "GET", "/api/v1/green/summary.xlsx?year=2024", "jxj", "", 200, "PK"},
				{"lists", "GET", "/api/v1/green/lists", "jxj", "", 200, `"total":0`},
				{"lists firm", "GET", "/api/v1/green/lists", "gfirm", "", 403, "forbidden"},
				{"lists bad kind", "GET", "/api/v1/green/lists?kind=gold", "jxj", "", 400, "invalid"},
				{"list template", "GET", "/api/v1/green/lists/template.xlsx", "jxj", "", 200, "PK"},
			}
			for _, c := range cases {
				var body io.Reader
				ctype := ""
				if c.body != "" || c.method == "POST" {
					body, ctype = strings.NewReader(c.body), "application/json"
				}
				got := e.req(c.method, c.url, c.user, ctype, body, c.want, nil)
				if !strings.Contains(got, c.contains) {
					t.Errorf("%s: body lacks %q: %.300s", c.name, c.contains, got)
				}
			}
			// The public list carries no credit code.
			if pub := e.req("GET", "/api/v1/green/awards", "", "", nil, 200, nil); strings.Contains(pub, greenFirmUSCC) {
				t.Errorf("public awards leak the credit code: %s", pub)
			}
			// Refusal with reasons; without reasons 400.
			var second struct{ ID int64 }
			e.req("POST", "/api/v1/green/applications", "gfirm", "application/json",
				strings.NewReader(`{"sector":"manufacturing","measure":"other_retrofit","project_name":"余热回收","district":"朝阳区","year":2024,"eligible_investment_wan":"100"}`), 201, &second)
			e.req("POST", fmt.Sprintf("/api/v1/green/applications/%d/refuse", second.ID), "jxj", "application/json", strings.NewReader(`{}`), 400, nil)
			e.req("POST", fmt.Sprintf("/api/v1/green/applications/%d/refuse", second.ID), "jxj", "application/json", strings.NewReader(`{"reason":"材料不全"}`), 200, nil)

			// List import: the uplift follows the list on the application date.
			file := greenListFile(t, [][]any{
				{"市级绿色工厂", "北京绿色制造有限公司", greenFirmUSCC, calendar.MustParseDate("2024-01-01"), nil},
				{"火星工厂", "x", "", calendar.MustParseDate("2024-01-01"), nil},
			})
			e.upload("/api/v1/green/lists/import", "gfirm", file, 403)
			e.upload("/api/v1/green/lists/import", "jxj", nil, 400)
			e.upload("/api/v1/green/lists/import", "jxj", []byte("not a workbook"), 400)
			if got := e.upload("/api/v1/green/lists/import", "jxj", file, 200); !strings.Contains(got, `"created":1`) || !strings.Contains(got, "名单类别") {
				t.Fatalf("import: %s", got)
			}
			got := e.req("POST", "/api/v1/green/preview", "gfirm", "application/json",
				strings.NewReader(`{"sector":"manufacturing","measure":"other_retrofit","project_name":"余热回收","district":"朝阳区","year":2024,"eligible_investment_wan":"1000"}`), 200, nil)
			if !strings.Contains(got, `"cap_wan":"300"`) || !strings.Contains(got, `"listed_green_unit":true`) {
				t.Fatalf("listed preview: %.500s", got)
			}
		})
	}
}

func TestGreenPages(t *testing.T) {
	e := newGreenEnv(t, store.SQLite)
	form := func(v url.Values) io.Reader { return strings.NewReader(v.Encode()) }
	const ctForm = "application/x-www-form-urlencoded"
	apply := url.Values{"sector": {"manufacturing"}, "measure": {"other_retrofit"}, "project_name": {"厂房光伏改造"}, "district": {"朝阳区"}, "year": {"2024"}, "eligible_investment_wan": {"2000"}}
	// Preview shows the cap and its rule; bad input is a 400 page, never a 500.
	if got := e.req("POST", "/green/apply", "gfirm", ctForm, form(apply), 200, nil); !strings.Contains(got, "500 万元") || !strings.Contains(got, "GL-03") {
		t.Fatalf("preview page lacks the cap: %.500s", got)
	}
	bad := url.Values{"measure": {"other_retrofit"}, "project_name": {"x"}, "district": {"火星区"}, "year": {"二〇二四"}, "eligible_investment_wan": {"abc"}}
	e.req("POST", "/green/apply", "gfirm", ctForm, form(bad), 400, nil)
	e.req("POST", "/green/apply", "gcy", ctForm, form(apply), 403, nil)
	diag := url.Values{"sector": {"diagnosis_provider"}, "measure": {"diagnosis"}, "project_name": {"诊断服务"}, "district": {"大兴区"}, "year": {"2024"},
		"served": {"企业,企业甲," + uscc.Complete("91110105MA03AAA01") + "\n园区,亦庄某园区\n"}}
	if got := e.req("POST", "/green/apply", "gfirm", ctForm, form(diag), 200, nil); !strings.Contains(got, "32 万元") {
		t.Fatalf("diagnosis preview: %.500s", got)
	}
	// Submit redirects to the application.
	apply.Set("do", "submit")
	loc := e.req("POST", "/green/apply", "gfirm", ctForm, form(apply), 303, nil)
	_ = loc
	var list struct {
		Items []struct{ ID int64 }
	}
	e.req("GET", "/api/v1/green/applications", "jxj", "", nil, 200, &list)
	if len(list.Items) != 1 {
		t.Fatalf("applications: %+v", list)
	}
	page := fmt.Sprintf("/green/applications/%d", list.Items[0].ID)
	for _, c := range []struct {
		path, user string
		want       int
		contains   string
	}{
		{"/green", "gfirm", 200, "厂房光伏改造"},
		{"/green", "jxj", 200, "名单维护"},
		{"/green?year=abc", "jxj", 400, "年份"},
		{"/green", "gcy", 403, ""},
		{"/green/apply", "gfirm", 200, "计算奖励上限"},
		{"/green/apply", "jxj", 403, ""},
		{page, "gfirm", 200, "500 万元"},
		{page, "jxj", 200, "核定并制发通知书"},
		{page, "gfirm2", 404, ""},
		{"/green/applications/abc", "jxj", 404, ""},
		{"/green/lists", "jxj", 200, "下载导入模板"},
		{"/green/lists", "gfirm", 403, ""},
		{"/green/lists/template.xlsx", "jxj", 200, "PK"},
		{"/green/summary", "jxj", 200, "合计"},
		{"/green/summary?year=x", "jxj", 400, ""},
		{"/green/summary.xlsx", "jxj", 200, "PK"},
		{"/green/awards", "", 200, "奖励公示"},
		{"/green/awards?district=火星区", "", 400, "所在区"},
	} {
		if got := e.req("GET", c.path, c.user, "", nil, c.want, nil); !strings.Contains(got, c.contains) {
			t.Errorf("GET %s as %s: lacks %q", c.path, c.user, c.contains)
		}
	}
	// Approval over the cap is refused on the page with the rule.
	if got := e.req("POST", page+"/approve", "jxj", ctForm, form(url.Values{"amount_wan": {"600"}}), 422, nil); !strings.Contains(got, "GL-03") {
		t.Fatalf("over-cap page lacks the rule: %.500s", got)
	}
	e.req("POST", page+"/approve", "jxj", ctForm, form(url.Values{"amount_wan": {"-1"}}), 400, nil)
	e.req("POST", page+"/refuse", "jxj", ctForm, form(url.Values{"reason": {""}}), 400, nil)
	e.req("POST", page+"/approve", "gfirm", ctForm, form(url.Values{"amount_wan": {"1"}}), 403, nil)
	e.req("POST", page+"/approve", "jxj", ctForm, form(url.Values{"amount_wan": {"500"}}), 303, nil)
	if got := e.req("GET", page+"?done=approve", "gfirm", "", nil, 200, nil); !strings.Contains(got, "京经信绿奖") {
		t.Fatalf("approved page lacks the notice number")
	}
	e.req("GET", page+"/notice.pdf", "gfirm", "", nil, 200, nil)
	if got := e.req("GET", "/green/awards", "", "", nil, 200, nil); !strings.Contains(got, "厂房光伏改造") || strings.Contains(got, greenFirmUSCC) {
		t.Fatalf("public awards page")
	}
	// List import through the page.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "名单.xlsx")
	fw.Write(greenListFile(t, [][]any{{"能效领跑者", "北京绿色制造有限公司", greenFirmUSCC, calendar.MustParseDate("2024-01-01"), nil}}))
	mw.Close()
	if got := e.req("POST", "/green/lists", "jxj", mw.FormDataContentType(), &buf, 200, nil); !strings.Contains(got, "新增1条") {
		t.Fatalf("list import page: %.400s", got)
	}
	e.req("POST", "/green/lists", "jxj", ctForm, strings.NewReader("x=1"), 400, nil)
}
