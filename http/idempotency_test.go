package http_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"gengxin/store/storetest"
)

// idem sends a POST as user with an Idempotency-Key and returns the status,
// the body and whether the response was a replay.
func (e *env) idem(path, user, key, body string) (int, string, bool) {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.tokens[user])
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Error(err)
		return 0, "", false
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header.Get("Idempotent-Replayed") == "true"
}

func (e *env) total(user string) int {
	e.t.Helper()
	var out struct{ Total int }
	e.do("GET", "/api/v1/projects", user, "", 200, &out)
	return out.Total
}

func projectID(t *testing.T, body string) int64 {
	t.Helper()
	var p struct{ ID int64 }
	if err := json.Unmarshal([]byte(body), &p); err != nil || p.ID == 0 {
		t.Fatalf("no project id in %q: %v", body, err)
	}
	return p.ID
}

// TestIdempotencyKey: a replay with the same key and body returns the same
// project and creates nothing; the same key with another body is refused;
// keys are per user; of concurrent duplicates exactly one runs.
func TestIdempotencyKey(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			e := newEnv(t, d)
			const path = "/api/v1/projects"

			st, b1, replayed := e.idem(path, "co", "k-1", draft)
			if st != 201 || replayed {
				t.Fatalf("first: %d %v %s", st, replayed, b1)
			}
			id := projectID(t, b1)
			st, b2, replayed := e.idem(path, "co", "k-1", draft)
			if st != 201 || !replayed || b2 != b1 || projectID(t, b2) != id {
				t.Fatalf("replay: %d %v %s, want 201 replay of %s", st, replayed, b2, b1)
			}
			if n := e.total("co"); n != 1 {
				t.Fatalf("projects after a replay: %d, want 1", n)
			}

			other := strings.Replace(draft, "酒仙桥老旧厂房", "望京老旧厂房", 1)
			st, b, _ := e.idem(path, "co", "k-1", other)
			if st != 422 || !strings.Contains(b, "Idempotency-Key") || !strings.Contains(b, "不能重复使用") {
				t.Fatalf("same key, other body: %d %s, want 422", st, b)
			}
			st, b, _ = e.idem(path+"/"+fmt.Sprint(id)+"/actions/submit", "co", "k-1", draft)
			if st != 422 {
				t.Fatalf("same key, other path: %d %s, want 422", st, b)
			}
			if n := e.total("co"); n != 1 {
				t.Fatalf("projects after a refused reuse: %d, want 1", n)
			}

			// Keys are per user: co2's k-1 is its own.
			st, b, replayed = e.idem(path, "co2", "k-1", draft)
			if st != 201 || replayed || projectID(t, b) == id {
				t.Fatalf("another user's key: %d %v %s", st, replayed, b)
			}

			// An action with a key runs once; its replay answers the same.
			act := path + "/" + fmt.Sprint(id) + "/actions/submit"
			st, s1, _ := e.idem(act, "co", "submit-1", "")
			st2, s2, replayed := e.idem(act, "co", "submit-1", "")
			if st != 200 || st2 != 200 || !replayed || s1 != s2 {
				t.Fatalf("submit and replay: %d %d %v\n%s\n%s", st, st2, replayed, s1, s2)
			}

			// A refused request that did not take effect and may succeed
			// later (409) releases its key; a bad request (400) is stored.
			st, _, _ = e.idem(act, "co", "submit-2", "")
			if st != 409 {
				t.Fatalf("submit twice: %d, want 409", st)
			}
			st, b, replayed = e.idem(act, "co", "submit-2", "")
			if st != 409 || replayed {
				t.Fatalf("409 is not stored: %d %v %s", st, replayed, b)
			}
			st, _, _ = e.idem(path, "co", "bad-1", `{"name":`)
			st2, _, replayed = e.idem(path, "co", "bad-1", `{"name":`)
			if st != 400 || st2 != 400 || !replayed {
				t.Fatalf("400 replay: %d %d %v", st, st2, replayed)
			}
			if st, _, _ := e.idem(path, "co", "键-"+strings.Repeat("x", 10), draft); st != 400 {
				t.Fatalf("non-ASCII key: %d", st)
			}

			// Concurrent duplicates: exactly one runs; the others get its
			// response replayed or 409 (in progress), never a second draft.
			before := e.total("co")
			const n = 12
			var wg sync.WaitGroup
			type answer struct {
				status   int
				body     string
				replayed bool
			}
			answers := make([]answer, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					st, b, r := e.idem(path, "co", "race-1", other)
					answers[i] = answer{st, b, r}
				}()
			}
			wg.Wait()
			fresh, ids := 0, map[int64]bool{}
			for _, a := range answers {
				switch {
				case a.status == 201 && !a.replayed:
					fresh++
					ids[projectID(t, a.body)] = true
				case a.status == 201:
					ids[projectID(t, a.body)] = true
				case a.status == 409 && strings.Contains(a.body, "正在处理中"):
				default:
					t.Errorf("concurrent duplicate: %d %s", a.status, a.body)
				}
			}
			if fresh != 1 || len(ids) != 1 {
				t.Fatalf("concurrent duplicates: %d executed, ids %v; want exactly one", fresh, ids)
			}
			if got := e.total("co"); got != before+1 {
				t.Fatalf("projects after concurrent duplicates: %d, want %d", got, before+1)
			}
			// Without the header nothing changes: every POST runs.
			e.do("POST", path, "co", draft, 201, nil)
			e.do("POST", path, "co", draft, 201, nil)
			if got := e.total("co"); got != before+3 {
				t.Fatalf("projects without keys: %d, want %d", got, before+3)
			}
		})
	}
}
