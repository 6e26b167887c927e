package http

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
	"gengxin/calendar"
)

// auditRoutes registers the audit administrator's pages and API (issue 3):
// the filtered, paged trail, its .xlsx export and its JSON. app.AuditTrail
// and app.ExportAudit refuse every role but auditadmin.
func (s *Server) auditRoutes() {
	m := s.mux
	m.HandleFunc("GET /audit", s.authed(s.auditPage))
	m.HandleFunc("GET /audit.xlsx", s.authed(s.auditExport))
	m.HandleFunc("GET /api/v1/audit", s.authed(s.apiAudit))
}

// auditQuery reads the filters of the audit pages: from, to (YYYY-MM-DD,
// Beijing dates, both included), user, action, project, result, page.
func auditQuery(v url.Values) (app.AuditQuery, error) {
	q := app.AuditQuery{User: v.Get("user"), Action: v.Get("action"), Result: v.Get("result")}
	var err error
	if s := v.Get("from"); s != "" {
		if q.From, err = calendar.ParseDate(s); err != nil {
			return q, gengxin.Errorf(gengxin.EInvalid, "开始日期应为 YYYY-MM-DD：%s", s)
		}
	}
	if s := v.Get("to"); s != "" {
		if q.To, err = calendar.ParseDate(s); err != nil {
			return q, gengxin.Errorf(gengxin.EInvalid, "结束日期应为 YYYY-MM-DD：%s", s)
		}
	}
	if s := strings.TrimSpace(v.Get("project")); s != "" {
		if q.ProjectID, err = strconv.ParseInt(s, 10, 64); err != nil || q.ProjectID < 1 {
			return q, gengxin.Errorf(gengxin.EInvalid, "项目编号应为正整数：%s", s)
		}
	}
	if s := v.Get("page"); s != "" {
		if q.Page, err = strconv.Atoi(s); err != nil || q.Page < 1 || q.Page > 1_000_000 {
			return q, gengxin.Errorf(gengxin.EInvalid, "页码应为正整数：%s", s)
		}
	}
	return q, nil
}

// auditItem is one record of the audit trail as the API and page show it.
type auditItem struct {
	ID        int64  `json:"id"`
	AtUTC     string `json:"at_utc"`
	AtBeijing string `json:"at_beijing"`
	ActorID   int64  `json:"actor_id"`
	Actor     string `json:"actor"`
	Role      string `json:"role"`
	RoleLabel string `json:"role_label"`
	Action    string `json:"action"`
	ProjectID int64  `json:"project_id,omitempty"`
	Result    string `json:"result"`
	Source    string `json:"source"`
	Summary   string `json:"summary"`
	Citation  string `json:"citation,omitempty"`
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	MAC       string `json:"mac"`
}

func auditItems(evs []gengxin.Event) []auditItem {
	out := make([]auditItem, 0, len(evs))
	for _, e := range evs {
		out = append(out, auditItem{ID: e.ID, AtUTC: e.At.UTC().Format(gengxin.TimeLayout),
			AtBeijing: e.At.In(calendar.Beijing).Format("2006-01-02 15:04:05"), ActorID: e.ActorID, Actor: e.Actor,
			Role: e.Role, RoleLabel: app.RoleLabel(e.Role), Action: e.Action, ProjectID: e.ProjectID, Result: e.Result,
			Source: e.Source, Summary: e.Summary, Citation: e.Citation, From: string(e.From), To: string(e.To), MAC: e.Hash})
	}
	return out
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	q, err := auditQuery(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.App.AuditTrail(r.Context(), u, q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": auditItems(p.Items), "page": p.Page, "per_page": p.PerPage, "more": p.More})
}

type auditData struct {
	Q       app.AuditQuery
	Query   url.Values
	Items   []auditItem
	Page    int
	More    bool
	Export  string
	Results []auditResult
}

type auditResult struct{ Value, Label string }

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	v := r.URL.Query()
	q, err := auditQuery(v)
	d := &auditData{Q: q, Query: v, Page: 1,
		Results: []auditResult{{audit.ResultSuccess, "成功"}, {audit.ResultFailure, "失败"}, {audit.ResultDenied, "拒绝"}}}
	ex := url.Values{}
	for k, vs := range v {
		if k != "page" {
			ex[k] = vs
		}
	}
	d.Export = "/audit.xlsx"
	if len(ex) > 0 {
		d.Export += "?" + ex.Encode()
	}
	if err == nil {
		var p *app.AuditPage
		if p, err = s.App.AuditTrail(r.Context(), u, q); err == nil {
			d.Items, d.Page, d.More = auditItems(p.Items), p.Page, p.More
		}
	}
	if err != nil {
		if c := gengxin.ErrorCode(err); c != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderView(w, r, statusOf(gengxin.EInvalid), "audit", &view{Title: "审计记录", D: d, Err: s.publicError(r, err)})
		return
	}
	s.renderView(w, r, http.StatusOK, "audit", &view{Title: "审计记录", D: d})
}

func (s *Server) auditExport(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	q, err := auditQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.App.ExportAudit(r.Context(), u, q, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "审计记录-"+s.App.Today().String()+".xlsx", buf.Bytes(), true)
}
