package http_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"gengxin"
	"gengxin/app"
	"gengxin/store"
	"gengxin/store/storetest"
)

type auditItem struct {
	ID        int64  `json:"id"`
	AtUTC     string `json:"at_utc"`
	AtBeijing string `json:"at_beijing"`
	ActorID   int64  `json:"actor_id"`
	Actor     string `json:"actor"`
	Role      string `json:"role"`
	Action    string `json:"action"`
	ProjectID int64  `json:"project_id"`
	Result    string `json:"result"`
	Source    string `json:"source"`
	Summary   string `json:"summary"`
	MAC       string `json:"mac"`
}

type auditList struct {
	Items []auditItem `json:"items"`
	Page  int         `json:"page"`
	More  bool        `json:"more"`
}

// TestAuditTrail: only the audit administrator reads /audit, /audit.xlsx
// and /api/v1/audit (everyone else 403), and reads nothing else; denials
// are recorded with user, role, object, result and source; the chain
// verifies with the key afterwards and holds no password or token.
func TestAuditTrail(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a, srv, clock := startServer(t, d)
			if _, err := a.AddUser(context.Background(), app.NewUserInput{Username: "aud", Role: gengxin.RoleAuditAdmin, Password: pw}); err != nil {
				t.Fatal(err)
			}
			e := &env{t: t, srv: srv, tokens: map[string]string{}, clock: clock}
			for _, u := range []string{"co", "cy", "hd", "sys", "aud"} {
				var out struct{ Token string }
				e.do("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":%q,"password":%q}`, u, pw), 200, &out)
				e.tokens[u] = out.Token
			}
			var p struct{ ID int64 }
			e.do("POST", "/api/v1/projects", "co", draft, 201, &p)

			// Who may read the trail.
			for _, u := range []string{"co", "cy", "hd", "sys"} {
				e.do("GET", "/api/v1/audit", u, "", 403, nil)
				e.do("GET", "/audit", u, "", 403, nil)
				e.do("GET", "/audit.xlsx", u, "", 403, nil)
			}
			e.do("GET", "/api/v1/audit", "", "", 401, nil)
			// The audit administrator sees no business data.
			e.do("GET", "/api/v1/projects", "aud", "", 403, nil)
			e.do("GET", fmt.Sprintf("/api/v1/projects/%d", p.ID), "aud", "", 404, nil)
			// Another district's project is not found, and that is a denial too.
			e.do("GET", fmt.Sprintf("/api/v1/projects/%d", p.ID), "hd", "", 404, nil)
			// A refused token is recorded; a request without one is not.
			e.tokens["stale"] = "not-a-valid-token"
			e.do("GET", "/api/v1/me", "stale", "", 401, nil)

			var all auditList
			e.do("GET", "/api/v1/audit", "aud", "", 200, &all)
			if len(all.Items) == 0 || all.Page != 1 {
				t.Fatalf("audit list: %+v", all)
			}
			for i := 1; i < len(all.Items); i++ {
				if all.Items[i].ID >= all.Items[i-1].ID {
					t.Fatalf("not newest first: %d then %d", all.Items[i-1].ID, all.Items[i].ID)
				}
			}
			var denied auditList
			e.do("GET", "/api/v1/audit?result=denied", "aud", "", 200, &denied)
			count := map[string]int{}
			var sawProject, sawStale bool
			for _, it := range denied.Items {
				if it.Result != "denied" || it.Action != "denied" || it.Source != "127.0.0.1" || it.AtUTC == "" || it.AtBeijing == "" || len(it.MAC) != 64 {
					t.Errorf("denial record incomplete: %+v", it)
				}
				count[it.Role]++
				if it.Role == "district_renewal" && it.ProjectID == p.ID && strings.Contains(it.Summary, "GET /api/v1/projects/") {
					sawProject = true
				}
				if it.Role == "" && strings.Contains(it.Summary, "/api/v1/me") {
					sawStale = true
				}
			}
			if count["applicant"] != 3 || count["sysadmin"] != 3 || count["auditadmin"] != 2 || !sawProject || !sawStale {
				t.Errorf("denials by role %v, project %v, stale token %v:\n%+v", count, sawProject, sawStale, denied.Items)
			}
			var co auditList
			e.do("GET", "/api/v1/audit?user=co&action=denied", "aud", "", 200, &co)
			if len(co.Items) != 3 {
				t.Errorf("user=co&action=denied: %d items, want 3", len(co.Items))
			}
			var byProject auditList
			e.do("GET", fmt.Sprintf("/api/v1/audit?project=%d", p.ID), "aud", "", 200, &byProject)
			var sawCreate bool
			for _, it := range byProject.Items {
				if it.ProjectID != p.ID {
					t.Errorf("project filter returned %+v", it)
				}
				sawCreate = sawCreate || it.Result == "success"
			}
			if !sawCreate {
				t.Errorf("project %d: no successful event among %+v", p.ID, byProject.Items)
			}
			var logins auditList
			e.do("GET", "/api/v1/audit?action=login&from=2024-09-27&to=2024-09-27", "aud", "", 200, &logins)
			if len(logins.Items) != 5 {
				t.Errorf("logins on 2024-09-27: %d, want 5", len(logins.Items))
			}
			var none auditList
			e.do("GET", "/api/v1/audit?action=login&from=2024-09-28", "aud", "", 200, &none)
			if len(none.Items) != 0 {
				t.Errorf("logins from 2024-09-28: %d, want 0", len(none.Items))
			}
			e.do("GET", "/api/v1/audit?from=2024-13-01", "aud", "", 400, nil)
			e.do("GET", "/api/v1/audit?result=maybe", "aud", "", 400, nil)

			page := e.do("GET", "/audit?result=denied", "aud", "", 200, nil)
			for _, want := range []string{"审计记录", "北京", "拒绝", "127.0.0.1", `href="/audit"`, "导出 Excel"} {
				if !strings.Contains(page, want) {
					t.Errorf("/audit page lacks %q", want)
				}
			}
			req, _ := http.NewRequest("GET", srv.URL+"/audit.xlsx?result=denied", nil)
			req.Header.Set("Authorization", "Bearer "+e.tokens["aud"])
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
				t.Errorf("/audit.xlsx: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
			}

			// Reads and exports of the trail are themselves recorded.
			var reads auditList
			e.do("GET", "/api/v1/audit?action=audit-export", "aud", "", 200, &reads)
			if len(reads.Items) != 1 {
				t.Errorf("audit-export records: %d, want 1", len(reads.Items))
			}

			n, brk, err := a.VerifyAudit(context.Background())
			if err != nil || brk != nil || n == 0 {
				t.Fatalf("VerifyAudit = %d, %+v, %v", n, brk, err)
			}
			evs, err := a.DB.Read(context.Background()).AuditEvents(storeAll())
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range evs {
				for tok := range e.tokens {
					if strings.Contains(ev.Summary+ev.Data, e.tokens[tok]) {
						t.Errorf("event %d holds a session token", ev.ID)
					}
				}
				if strings.Contains(ev.Summary+ev.Data, pw) {
					t.Errorf("event %d holds a password", ev.ID)
				}
			}
		})
	}
}

func storeAll() store.AuditFilter { return store.AuditFilter{} }
