package http_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	gxhttp "gengxin/http"
	"gengxin/store"
	"gengxin/store/storetest"
)

// TestNoServerErrorOnBadInput sends malformed bodies to every documented
// POST and PUT route as a signed-in applicant and officer: never a 500.
func TestNoServerErrorOnBadInput(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { noServerError(t, d) })
	}
}

func noServerError(t *testing.T, d store.Dialect) {
	e := newEnv(t, d)
	var p struct{ ID int64 }
	e.do("POST", "/api/v1/projects", "co", draft, 201, &p)
	bodies := []string{
		``, `{`, `[]`, `null`, `"x"`, `12`, `{"name":null}`, `{"departments":"发展改革"}`, `{"items":[1,2]}`,
		`{"ground":"一"}`, `{"on":"2024-13-01"}`, `{"year":1e99}`, `{"verdict":{"x":1}}`, strings.Repeat(`{"a":`, 2000),
		`{"fund_estimate_wan":"1e5"}`, `{"fund_estimate_wan":"-1"}`, `{"category":"居住类","district":"朝阳区","name":"` + strings.Repeat("长", 500) + `"}`,
		"{\"name\":\"\u0000\"}", `{"entity_uscc":"ＡＢＣ"}`, `{"facts":null}`, `{"facts":1}`, `{"facts":{"renovation":[]}}`,
		`{"requisites":null,"plan":7}`, `{"agreement":{"items":{"x":1}}}`, `{"moderation":true}`, `{"body":` + strings.Repeat(`"长`, 1) + `"}`,
	}
	for _, op := range gxhttp.APIOps() {
		if op.Method != "POST" && op.Method != "PUT" {
			continue
		}
		for _, user := range []string{"co", "cy"} {
			for _, b := range bodies {
				path := strings.NewReplacer("{id}", fmt.Sprint(p.ID), "{action}", "submit", "{aid}", "1", "{seq}", "1", "{kind}", "joint_review", "{code}", "X",
					"{step}", "register", "{cid}", "1", "{fid}", "1").Replace(op.Path)
				req, _ := http.NewRequest(op.Method, e.srv.URL+path, strings.NewReader(b))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.tokens[user])
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode >= 500 {
					t.Errorf("%s %s as %s with %.40q: %d %s", op.Method, path, user, b, res.StatusCode, body)
				}
				if res.StatusCode >= 400 && !strings.Contains(string(body), `"code"`) {
					t.Errorf("%s %s: error without a code: %s", op.Method, path, body)
				}
			}
		}
	}
	for _, action := range []string{"submit", "open-review", "opinion", "request-correction", "resubmit", "admit", "reject", "promote", "plan", "plan-done", "complete", "exit", "record"} {
		for _, b := range bodies {
			req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/projects/%d/actions/%s", e.srv.URL, p.ID, action), strings.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens["cy"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode >= 500 {
				t.Errorf("action %s with %.40q: %d", action, b, res.StatusCode)
			}
		}
	}
}
