package http_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"gengxin/store"
)

// FuzzDecode posts arbitrary bodies through the real server (SQLite) to the
// JSON decoders of project creation, rules evaluation and a project action,
// as a signed-in applicant and officer: never a 5xx.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		draft, ``, `{`, `[]`, `null`, `"x"`, `12`, `{"name":null}`, `{"departments":"发展改革"}`,
		`{"items":[1,2]}`, `{"ground":"一"}`, `{"on":"2024-13-01"}`, `{"year":1e99}`, `{"verdict":{"x":1}}`,
		strings.Repeat(`{"a":`, 2000), `{"fund_estimate_wan":"1e5"}`, `{"fund_estimate_wan":"-1"}`,
		"{\"name\":\"\u0000\"}", `{"entity_uscc":"ＡＢＣ"}`, `{"as_of":"2024-09-01"}`, `{"note":"x"} {}`,
		`{"category":"居住类","district":"朝阳区","name":"` + strings.Repeat("长", 500) + `"}`,
		`{"departments":["发展改革","经济和信息化"],"deadline_days":-5}`, `{"reason":"` + strings.Repeat("x", 70000) + `"}`,
	} {
		for route := uint8(0); route < 3; route++ {
			f.Add(route, []byte(s))
		}
	}
	e := newEnv(f, store.SQLite)
	var p struct{ ID int64 }
	e.do("POST", "/api/v1/projects", "co", draft, 201, &p)
	actions := []string{"submit", "open-review", "opinion", "request-correction", "resubmit", "admit", "reject", "promote", "plan", "plan-done", "complete", "exit", "record"}
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		var path, user string
		switch route % 3 {
		case 0:
			path, user = "/api/v1/projects", "co"
		case 1:
			path, user = "/api/v1/rules/eval", ""
		default:
			a := actions[int(route/3)%len(actions)]
			path, user = fmt.Sprintf("/api/v1/projects/%d/actions/%s", p.ID, a), "cy"
			if route&0x80 != 0 {
				user = "co"
			}
		}
		req, err := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if user != "" {
			req.Header.Set("Authorization", "Bearer "+e.tokens[user])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("POST %s as %q with %.80q: %d %s", path, user, body, res.StatusCode, b)
		}
	})
}
