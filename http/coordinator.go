package http

// Coordinator entities (统筹主体, 京建法〔2024〕1号, issue 5 part 2): pages
// under /coordinator and the JSON API under /api/v1/coordinator. Both call
// app/coordinator.go; the 公告 and 公示 appear on the portal.

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
	"gengxin/store"
)

func init() {
	registerPages(map[string]string{"coord_home": "统筹主体", "coord_unit": "实施单元", "coord_lookup": "统筹主体信息查询"})
}

// coordinatorRoutes registers the coordinator pages and API (issue 5).
func (s *Server) coordinatorRoutes() {
	m := s.mux
	m.HandleFunc("GET /coordinator", s.authed(s.coordHomePage))
	m.HandleFunc("POST /coordinator/units", s.authed(s.coordCreatePost))
	m.HandleFunc("GET /coordinator/units/{id}", s.authed(s.coordUnitPage))
	m.HandleFunc("POST /coordinator/units/{id}/{op}", s.authed(s.coordStepPost))
	m.HandleFunc("GET /coordinator/coordinators/{id}/confirmation.pdf", s.authed(s.coordPDF))
	m.HandleFunc("GET /coordinator/lookup", s.authed(s.coordLookupPage))
	m.HandleFunc("POST /coordinator/units/{id}/applications/{aid}/files", s.authed(s.coordFilePost))
	m.HandleFunc("GET /coordinator/units/{id}/files/{fid}", s.authed(s.coordFile))

	m.HandleFunc("GET /api/v1/coordinator/units", s.authed(s.apiCoordUnits))
	m.HandleFunc("POST /api/v1/coordinator/units", s.authed(s.apiCoordCreate))
	m.HandleFunc("GET /api/v1/coordinator/units/{id}", s.authed(s.apiCoordUnit))
	m.HandleFunc("POST /api/v1/coordinator/units/{id}/actions/{action}", s.authed(s.apiCoordAct))
	m.HandleFunc("GET /api/v1/coordinator/coordinators/{id}/confirmation.pdf", s.authed(s.coordPDF))
	m.HandleFunc("GET /api/v1/coordinator/lookup", s.authed(s.apiCoordLookup))
	m.HandleFunc("POST /api/v1/coordinator/units/{id}/applications/{aid}/files", s.authed(s.apiCoordFile))
	m.HandleFunc("GET /api/v1/coordinator/units/{id}/files/{fid}", s.authed(s.coordFile))
}

// coordUpload reads a multipart upload (field file) of a material of
// application aid of unit id; who may upload is decided before the body.
func (s *Server) coordUpload(r *http.Request, u *gengxin.User) (*store.ApplicationFile, int64, error) {
	id, err := namedID(r, "id", "实施单元")
	if err != nil {
		return nil, 0, err
	}
	aid, err := namedID(r, "aid", "申报")
	if err != nil {
		return nil, id, err
	}
	if u.Role != gengxin.RoleApplicant {
		return nil, id, gengxin.Errorf(gengxin.EForbidden, "申报材料由申报企业上传")
	}
	f, hdr, err := s.uploadedFile(r, u)
	if err != nil {
		return nil, id, err
	}
	defer f.Close()
	af, err := s.App.UploadApplicationFile(r.Context(), u, id, aid, hdr.Filename, f)
	return af, id, err
}

func (s *Server) apiCoordFile(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	f, _, err := s.coordUpload(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, f)
}

func (s *Server) coordFilePost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	_, id, err := s.coordUpload(r, u)
	if err != nil {
		s.fail(w, r, err) // the error page names the problem and links back
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/coordinator/units/%d?done=file", id), http.StatusSeeOther)
}

func (s *Server) coordFile(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "实施单元")
	if err == nil {
		var fid int64
		if fid, err = namedID(r, "fid", "申报材料"); err == nil {
			var f *store.ApplicationFile
			var b []byte
			if f, b, err = s.App.OpenApplicationFile(r.Context(), u, id, fid); err == nil {
				sendFile(w, f.ContentType, f.Filename, b, true)
				return
			}
		}
	}
	s.fail(w, r, err)
}

// ---- JSON API ----

func (s *Server) apiCoordUnits(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.UnitsFor(r.Context(), u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiCoordCreate(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.UnitInput
	if err := decodeJSON(r, 256<<10, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.App.CreateUnit(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiCoordUnit(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "实施单元")
	if err == nil {
		var v *app.UnitView
		if v, err = s.App.Unit(r.Context(), u, id); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.apiError(w, r, err)
}

func (s *Server) apiCoordAct(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "实施单元")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in app.CoordinatorInput
	if err := decodeJSON(r, 256<<10, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.App.CoordinatorAct(r.Context(), u, id, r.PathValue("action"), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiCoordLookup(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.LookupCoordinators(r.Context(), u, r.URL.Query().Get("q"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items),
		"note": "依据京建法〔2024〕1号 第十一条第一款，有关部门通过本系统查询统筹主体信息，无需审查书面确认文件"})
}

func (s *Server) coordPDF(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "确认文件")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, name, err := s.App.ConfirmationPDF(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, false)
}

// ---- pages ----

type coordHomeData struct {
	Units []*app.UnitView
	Gov   bool
	In    app.UnitInput
}

func (s *Server) coordHome(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, in app.UnitInput) {
	units, err := s.App.UnitsFor(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &view{D: &coordHomeData{Units: units, Gov: u.Role == gengxin.RoleDistrictGov, In: in}}
	if perr != nil {
		v.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "coord_home", v)
}

func (s *Server) coordHomePage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.coordHome(w, r, u, http.StatusOK, nil, app.UnitInput{})
}

func (s *Server) coordCreatePost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	in := app.UnitInput{Name: r.FormValue("name"), Scope: r.FormValue("scope"), Basis: r.FormValue("basis"), Projects: r.FormValue("projects"),
		Conditions: r.FormValue("conditions"), Sensitive: r.FormValue("sensitive")}
	v, err := s.App.CreateUnit(r.Context(), u, in)
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.EForbidden || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		s.coordHome(w, r, u, statusOf(gengxin.ErrorCode(err)), err, in)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/coordinator/units/%d?done=create", v.ID), http.StatusSeeOther)
}

type coordUnitData struct {
	*app.UnitView
	Functions []string
	Grounds   []string
	Form      map[string]string
}

func (s *Server) coordUnit(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, flash string) {
	id, err := namedID(r, "id", "实施单元")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	uv, err := s.App.Unit(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := map[string]string{}
	for k := range r.PostForm {
		form[k] = r.PostForm.Get(k)
	}
	v := &view{D: &coordUnitData{UnitView: uv, Functions: app.CoordinatorFunctions, Grounds: app.CoordinatorCancelGrounds, Form: form},
		Title: uv.Name, Active: "coord_home", Flash: flash}
	if perr != nil {
		v.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "coord_unit", v)
}

// coordStepLabels names each coordinator step for the flash after it.
var coordStepLabels = map[string]string{"create": "划定实施单元", "conditions": "设定基本条件", "method": "确定方式", "announce": "发布比选公告",
	"apply": "提交申报", "score": "记录评分", "decide": "确定统筹主体", "confirm": "制发确认文件", "extend": "延期", "cancel": "取消统筹主体",
	"agreement": "记录权益分配协议"}

func (s *Server) coordUnitPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	flash := ""
	if d := r.URL.Query().Get("done"); d != "" {
		flash = "已办理：" + coordStepLabels[d]
	}
	s.coordUnit(w, r, u, http.StatusOK, nil, flash)
}

// coordForm reads a step's form into the API input.
func coordForm(r *http.Request) app.CoordinatorInput {
	r.ParseForm()
	atoi := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue(k))); return n }
	in := app.CoordinatorInput{Conditions: r.FormValue("conditions"), Method: r.FormValue("method"), Basis: r.FormValue("basis"),
		ApplyUntil: r.FormValue("apply_until"), Text: r.FormValue("text"), Statement: r.FormValue("statement"),
		Scorer: r.FormValue("scorer"), ScorerKind: r.FormValue("scorer_kind"), Name: r.FormValue("name"), USCC: r.FormValue("uscc"),
		Record: r.FormValue("record"), OtherFunction: r.FormValue("other_function"), TermYears: atoi("term_years"),
		Justification: r.FormValue("justification"), Approver: r.FormValue("approver"), Months: atoi("months"), AppliedOn: r.FormValue("applied_on"),
		Ground: atoi("ground"), Reason: r.FormValue("reason"), Evaluation: r.FormValue("evaluation"), LiquidationWan: r.FormValue("liquidation_wan"),
		SignedOn: r.FormValue("signed_on")}
	in.ApplicationID, _ = strconv.ParseInt(r.FormValue("application_id"), 10, 64)
	for _, f := range r.PostForm["functions"] {
		if n, err := strconv.Atoi(f); err == nil {
			in.Functions = append(in.Functions, n)
		}
	}
	for _, line := range strings.Split(r.FormValue("criteria"), "\n") {
		parts := strings.FieldsFunc(line, func(c rune) bool { return c == ',' || c == '，' || c == '\t' })
		if len(parts) == 2 {
			in.Criteria = append(in.Criteria, app.Criterion{Name: strings.TrimSpace(parts[0]), Max: strings.TrimSpace(parts[1])})
		} else if strings.TrimSpace(line) != "" {
			in.Criteria = append(in.Criteria, app.Criterion{Name: strings.TrimSpace(line)})
		}
	}
	for k := range r.PostForm {
		if name, ok := strings.CutPrefix(k, "score:"); ok && strings.TrimSpace(r.PostForm.Get(k)) != "" {
			if in.Scores == nil {
				in.Scores = map[string]string{}
			}
			in.Scores[name] = r.PostForm.Get(k)
		}
	}
	return in
}

func (s *Server) coordStepPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "实施单元")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	op := r.PathValue("op")
	_, err = s.App.CoordinatorAct(r.Context(), u, id, op, coordForm(r))
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		s.coordUnit(w, r, u, statusOf(gengxin.ErrorCode(err)), err, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/coordinator/units/%d?done=%s", id, op), http.StatusSeeOther)
}

type coordLookupData struct {
	Q     string
	Items []*app.CoordinatorView
}

func (s *Server) coordLookupPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	q := r.URL.Query().Get("q")
	items, err := s.App.LookupCoordinators(r.Context(), u, q)
	d := &coordLookupData{Q: q, Items: items}
	if err != nil {
		if gengxin.ErrorCode(err) != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderView(w, r, http.StatusBadRequest, "coord_lookup", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	s.render(w, r, http.StatusOK, "coord_lookup", d)
}
