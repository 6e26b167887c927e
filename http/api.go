package http

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/rules"
)

// maxJSON bounds a JSON request body that carries a record (a project, an
// application, a step with its facts); maxSmallJSON one that carries a
// decision, a note or a comment.
const (
	maxJSON      = 1 << 20
	maxSmallJSON = 64 << 10
)

// pathID reads the project id of the path ({id}).
func pathID(r *http.Request) (int64, error) { return namedID(r, "id", "项目") }

// namedID reads the positive id in the path value name; any other value is
// "what 不存在或无权查看" (not found), so a bad id reads as a missing record.
func namedID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, gengxin.Errorf(gengxin.ENotFound, "%s不存在或无权查看", what)
	}
	return id, nil
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	if !s.limiter.allow("login:"+s.clientIP(r), 20, time.Minute) {
		s.apiError(w, r, gengxin.Errorf(gengxin.ETooMany, "登录尝试过于频繁，请一分钟后再试"))
		return
	}
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
		TOTP     string `json:"totp"` // the dynamic code, for accounts with a second factor
	}
	if err := decodeJSON(r, 4096, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	res, err := s.App.SignIn(r.Context(), in.Username, in.Password, in.TOTP, "api", s.clientIP(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	pol, err := s.App.Policy(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": res.Token, "user": res.User, "expires_in": int(pol.IdleFor(res.User.Role).Seconds())})
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	tok, _ := token(r)
	s.App.Logout(r.Context(), tok)
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	writeJSON(w, http.StatusOK, u)
}

func listQuery(v url.Values) (app.ListQuery, error) {
	q := app.ListQuery{District: v.Get("district"), Status: v.Get("status"), Category: v.Get("category"), Q: v.Get("q"),
		Library: v.Get("library"), Dept: v.Get("dept"), Source: v.Get("source"), Order: v.Get("order")}
	var err error
	num := func(name string) int {
		s := v.Get(name)
		if s == "" || err != nil {
			return 0
		}
		n, e := strconv.Atoi(s)
		if e != nil || n < 0 {
			err = gengxin.Errorf(gengxin.EInvalid, "参数 %s 应为非负整数", name)
		}
		return n
	}
	q.Page, q.PerPage, q.PlanYear = num("page"), num("per_page"), num("plan_year")
	q.Queue = v.Get("queue") == "1" || v.Get("queue") == "true"
	switch v.Get("overdue") {
	case "", "0", "false":
	case "1", "true":
		q.Overdue = true
	default:
		return q, gengxin.Errorf(gengxin.EInvalid, "参数 overdue 应为 true 或 false")
	}
	return q, err
}

func (s *Server) apiProjects(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	q, err := listQuery(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	items, total, err := s.App.List(r.Context(), u, q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if items == nil {
		items = []*gengxin.Project{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total, "page": max(q.Page, 1)})
}

func (s *Server) apiCreateProject(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.ProjectInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.App.CreateDraft(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiUpdateProject(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in app.ProjectInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.App.UpdateDraft(r.Context(), u, id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiProject(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.App.Detail(r.Context(), u, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, projectJSON(d))
}

// projectJSON is the project of DESIGN.md §4 plus the page's extra content.
func projectJSON(d *app.ProjectDetail) map[string]any {
	return map[string]any{
		"id": d.ID, "code": d.Code, "name": d.Name, "category": d.Category, "district": d.District, "street": d.Street,
		"address": d.Address, "goal": d.Goal, "fund_estimate_wan": d.FundEstimateWan, "entity_name": d.EntityName,
		"entity_uscc": d.EntityUSCC, "entity_role": d.EntityRole, "status": d.Status, "status_label": d.Status.Label(),
		"library": d.Library(), "route": d.Route, "source": d.Source, "received_on": d.ReceivedOn, "plan_year": d.PlanYear,
		"plan_included_on": d.PlanIncludedOn, "notice_no": d.NoticeNo, "notice_on": d.NoticeOn, "industry_dept": d.IndustryDept,
		"invited_departments": d.Invited, "review_round": d.ReviewRound, "confirmation_document": d.ConfirmationDoc,
		"completion_accepted_on": d.CompletionOn, "implementation_plan_done_on": d.ImplPlanDoneOn,
		"exit_ground": d.ExitGround, "exit_on": d.ExitOn, "exit_reason": d.ExitReason, "reject_reason": d.RejectReason,
		"major": d.Major, "cross_district": d.CrossDistrict, "version": d.Version,
		"deadlines": d.Deadlines, "events": d.Events, "opinions": d.Opinions, "corrections": d.Corrections,
		"attachments": d.Attachments, "records": d.Records, "allowed_actions": d.Allowed, "findings": d.Findings,
	}
}

func (s *Server) apiAction(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in app.ActionInput
	if r.ContentLength != 0 {
		if err := decodeJSON(r, maxJSON, &in); err != nil && !isEmptyBody(err) {
			s.apiError(w, r, err)
			return
		}
	}
	// The project as DESIGN.md §4 describes it (with deadlines and events);
	// GET /api/v1/projects/{id} adds opinions, corrections, materials and more.
	p, err := s.App.Act(r.Context(), u, id, gengxin.Action(r.PathValue("action")), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func isEmptyBody(err error) bool {
	e := gengxin.AsError(err)
	return e != nil && strings.HasPrefix(e.Message, "请求体为空")
}

func (s *Server) apiEntryNotice(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, name, err := s.App.EntryNoticePDF(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, r.URL.Query().Get("download") == "1")
}

func (s *Server) apiCorrectionNotice(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seq, _ := strconv.Atoi(r.PathValue("seq"))
	b, name, err := s.App.CorrectionPDF(r.Context(), u, id, seq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, r.URL.Query().Get("download") == "1")
}

// sendFile writes a generated or stored file; attachment forces a download.
func sendFile(w http.ResponseWriter, ctype, name string, b []byte, attachment bool) {
	disp := "inline"
	if attachment {
		disp = "attachment"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("%s; filename=\"%s\"; filename*=UTF-8''%s", disp, asciiName(name), url.PathEscape(name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(b)
}

func asciiName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && r > 31 && r != '"' && r != '\\' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	att, err := s.upload(r, u, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, att)
}

func (s *Server) upload(r *http.Request, u *gengxin.User, id int64) (*gengxin.Attachment, error) {
	// Who may upload is decided before the body is read.
	if _, err := s.App.Project(r.Context(), u, id); err != nil {
		return nil, err
	}
	if u.Role != gengxin.RoleApplicant {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有申报主体可以上传申报材料")
	}
	f, hdr, err := s.uploadedFile(r, u)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.App.Upload(r.Context(), u, id, r.FormValue("kind"), hdr.Filename, f)
}

// uploadedFile reads the multipart field "file" of u's upload of a
// material, its body limited to app.MaxUploadBytes and 1 MB of form; u
// may upload 60 files an hour (ETooMany beyond).
func (s *Server) uploadedFile(r *http.Request, u *gengxin.User) (multipart.File, *multipart.FileHeader, error) {
	if !s.limiter.allow("upload:"+strconv.FormatInt(u.ID, 10), 60, time.Hour) {
		return nil, nil, gengxin.Errorf(gengxin.ETooMany, "上传过于频繁，请稍后再试")
	}
	mb := app.MaxUploadBytes >> 20
	return formFile(r, app.MaxUploadBytes+1<<20, fmt.Sprintf("单个文件不超过 %d MB", mb),
		fmt.Sprintf("请选择要上传的文件（表单字段 file，不超过 %d MB）", mb))
}

// formFile reads the multipart field "file", the body limited to limit:
// too large is ETooLarge (413) with tooLarge, a missing or malformed form
// EInvalid with missing. The file's name and the form's text fields must
// be clean (http/clean.go).
func formFile(r *http.Request, limit int64, tooLarge, missing string) (multipart.File, *multipart.FileHeader, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, limit)
	f, hdr, err := r.FormFile("file")
	if err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over || errors.Is(err, multipart.ErrMessageTooLarge) {
			return nil, nil, gengxin.Errorf(gengxin.ETooLarge, "%s", tooLarge)
		}
		return nil, nil, gengxin.Errorf(gengxin.EInvalid, "%s", missing)
	}
	if err := cleanValues(r.MultipartForm.Value); err != nil {
		f.Close()
		return nil, nil, err
	}
	if !app.CleanText(hdr.Filename) {
		f.Close()
		return nil, nil, uncleanErr("文件名")
	}
	return f, hdr, nil
}

func (s *Server) apiAttachment(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	aid, _ := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	a, b, err := s.App.OpenAttachment(r.Context(), u, id, aid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, a.ContentType, a.Filename, b, true)
}

func (s *Server) apiExplain(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tr, d, err := s.explain(r, u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deadline": d, "trace": tr})
}

// explain returns the day-by-day count of a project's deadline (?round= to
// pick an earlier round; default the latest).
func (s *Server) explain(r *http.Request, u *gengxin.User, id int64) (calendar.Trace, *gengxin.Deadline, error) {
	p, err := s.App.Project(r.Context(), u, id)
	if err != nil {
		return calendar.Trace{}, nil, err
	}
	kind := gengxin.DeadlineKind(r.PathValue("kind"))
	var found *gengxin.Deadline
	for i := range p.Deadlines {
		d := &p.Deadlines[i]
		if d.Kind == kind && (r.URL.Query().Get("round") == "" || strconv.Itoa(d.Round) == r.URL.Query().Get("round")) {
			found = d
		}
	}
	if found == nil {
		return calendar.Trace{}, nil, gengxin.Errorf(gengxin.ENotFound, "该项目没有此时限")
	}
	return s.App.Calendar().Explain(found.StartOn, found.Amount), found, nil
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) {
	d, err := s.App.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"valid": true, "document": d})
}

func (s *Server) apiNotifications(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	ns, err := s.App.DB.Read(r.Context()).NotificationsFor(u, 100)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": ns})
}

// apiRulesEval answers POST /api/v1/rules/eval like `gengxin rules eval`.
func (s *Server) apiRulesEval(w http.ResponseWriter, r *http.Request) {
	if !s.limiter.allow("eval:"+s.clientIP(r), 600, time.Minute) {
		s.apiError(w, r, gengxin.Errorf(gengxin.ETooMany, "请求过于频繁"))
		return
	}
	var buf bytes.Buffer
	body := http.MaxBytesReader(nil, r.Body, rules.MaxFactsBytes)
	if err := rules.EvalJSON(body, &buf, s.App.Calendar(), s.App.Today()); err != nil {
		if ie, ok := err.(*rules.InputError); ok {
			s.apiError(w, r, gengxin.Errorf(gengxin.EInvalid, "%s", ie.Message))
			return
		}
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	io.Copy(w, &buf)
}

func (s *Server) apiWorkdays(w http.ResponseWriter, r *http.Request) {
	d, err := calendar.ParseDate(r.URL.Query().Get("date"))
	if err != nil {
		s.apiError(w, r, gengxin.Errorf(gengxin.EInvalid, "%s", err.Error()))
		return
	}
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 1 || n > 1000 {
		s.apiError(w, r, gengxin.Errorf(gengxin.EInvalid, "n 应为1至1000的整数"))
		return
	}
	writeJSON(w, http.StatusOK, s.App.Calendar().Explain(d, n))
}
