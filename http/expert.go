package http

// The expert committee (京建法〔2024〕3号, issue 5): pages under /experts and
// the JSON API under /api/v1/experts. Both call the services of
// app/expert.go and app/expert_consultation.go.

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
	"gengxin/rules"
	"gengxin/store"
)

func init() {
	registerPages(map[string]string{
		"expert_home": "专家委员会", "expert_new": "推荐专家", "expert_detail": "专家档案", "expert_meetings": "专家委员会集体会议",
		"expert_consultations": "专家咨询", "expert_consultation": "专家咨询事项", "expert_reports": "专项报告",
	})
}

// expertRoutes registers the expert committee pages and API (issue 5).
func (s *Server) expertRoutes() {
	m := s.mux
	m.HandleFunc("GET /experts", s.authed(s.expertHomePage))
	m.HandleFunc("GET /experts.xlsx", s.authed(s.expertsXLSX))
	m.HandleFunc("GET /experts/new", s.authed(s.expertNewPage))
	m.HandleFunc("POST /experts/new", s.authed(s.expertNewPost))
	m.HandleFunc("GET /experts/{id}", s.authed(s.expertPage))
	m.HandleFunc("POST /experts/{id}/vet", s.authed(s.expertActPost))
	m.HandleFunc("POST /experts/{id}/appoint", s.authed(s.expertActPost))
	m.HandleFunc("POST /experts/{id}/reappoint", s.authed(s.expertActPost))
	m.HandleFunc("POST /experts/{id}/exit", s.authed(s.expertActPost))
	m.HandleFunc("POST /experts/{id}/link", s.authed(s.expertActPost))
	m.HandleFunc("GET /experts/{id}/certificates/{seq}", s.authed(s.expertCertificate))
	m.HandleFunc("GET /experts/meetings", s.authed(s.expertMeetingsPage))
	m.HandleFunc("POST /experts/meetings", s.authed(s.expertMeetingsPost))
	m.HandleFunc("GET /experts/reports", s.authed(s.expertReportsPage))
	m.HandleFunc("POST /experts/reports", s.authed(s.expertReportsPost))
	m.HandleFunc("GET /experts/consultations", s.authed(s.consultationsPage))
	m.HandleFunc("POST /experts/consultations", s.authed(s.consultationsPost))
	m.HandleFunc("GET /experts/consultations.xlsx", s.authed(s.consultationsXLSX))
	m.HandleFunc("GET /experts/consultations/{id}", s.authed(s.consultationPage))
	m.HandleFunc("POST /experts/consultations/{id}/draw", s.authed(s.consultationActPost))
	m.HandleFunc("POST /experts/consultations/{id}/assignments/{aid}/recuse", s.authed(s.consultationActPost))
	m.HandleFunc("POST /experts/consultations/{id}/assignments/{aid}/opinion", s.authed(s.consultationActPost))
	m.HandleFunc("POST /experts/consultations/{id}/assignments/{aid}/fee", s.authed(s.consultationActPost))
	m.HandleFunc("POST /experts/consultations/{id}/assignments/{aid}/require-recusal", s.authed(s.consultationActPost))

	m.HandleFunc("GET /api/v1/experts", s.authed(s.apiExperts))
	m.HandleFunc("POST /api/v1/experts", s.authed(s.apiExpertNominate))
	m.HandleFunc("GET /api/v1/experts.xlsx", s.authed(s.expertsXLSX))
	m.HandleFunc("GET /api/v1/experts/me", s.authed(s.apiExpertMe))
	m.HandleFunc("GET /api/v1/experts/{id}", s.authed(s.apiExpert))
	m.HandleFunc("POST /api/v1/experts/{id}/vet", s.authed(s.apiExpertAct))
	m.HandleFunc("POST /api/v1/experts/{id}/appoint", s.authed(s.apiExpertAct))
	m.HandleFunc("POST /api/v1/experts/{id}/reappoint", s.authed(s.apiExpertAct))
	m.HandleFunc("POST /api/v1/experts/{id}/exit", s.authed(s.apiExpertAct))
	m.HandleFunc("POST /api/v1/experts/{id}/link", s.authed(s.apiExpertAct))
	m.HandleFunc("GET /api/v1/experts/{id}/certificates/{seq}", s.authed(s.expertCertificate))
	m.HandleFunc("GET /api/v1/experts/meetings", s.authed(s.apiExpertMeetings))
	m.HandleFunc("POST /api/v1/experts/meetings", s.authed(s.apiExpertMeetingAdd))
	m.HandleFunc("GET /api/v1/experts/reports", s.authed(s.apiExpertReports))
	m.HandleFunc("POST /api/v1/experts/reports", s.authed(s.apiExpertReportAdd))
	m.HandleFunc("GET /api/v1/experts/consultations", s.authed(s.apiConsultations))
	m.HandleFunc("POST /api/v1/experts/consultations", s.authed(s.apiConsultationOpen))
	m.HandleFunc("GET /api/v1/experts/consultations.xlsx", s.authed(s.consultationsXLSX))
	m.HandleFunc("GET /api/v1/experts/consultations/{id}", s.authed(s.apiConsultation))
	m.HandleFunc("POST /api/v1/experts/consultations/{id}/draw", s.authed(s.apiConsultationAct))
	m.HandleFunc("POST /api/v1/experts/consultations/{id}/assignments/{aid}/recuse", s.authed(s.apiConsultationAct))
	m.HandleFunc("POST /api/v1/experts/consultations/{id}/assignments/{aid}/opinion", s.authed(s.apiConsultationAct))
	m.HandleFunc("POST /api/v1/experts/consultations/{id}/assignments/{aid}/fee", s.authed(s.apiConsultationAct))
	m.HandleFunc("POST /api/v1/experts/consultations/{id}/assignments/{aid}/require-recusal", s.authed(s.apiConsultationAct))
}

func lastSegment(r *http.Request) string { return r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:] }

// expertFilter reads status, field and missing_report from the query.
func expertFilter(r *http.Request) app.ExpertFilter {
	q := r.URL.Query()
	return app.ExpertFilter{Status: q.Get("status"), Field: q.Get("field"), MissingReport: q.Get("missing_report") == "1" || q.Get("missing_report") == "true",
		Committee: q.Get("committee")}
}

// ---- shared actions (one function per action, called by page and API) ----

// expertActBody is the body of the registry actions.
type expertActBody struct {
	Approve            bool   `json:"approve"`
	Note               string `json:"note"`
	Justification      string `json:"justification"`
	Ground             int    `json:"ground"`
	Reason             string `json:"reason"`
	RecommenderOpinion string `json:"recommender_opinion"`
	Username           string `json:"username"`
}

func (s *Server) expertAct(r *http.Request, u *gengxin.User, id int64, op string, in expertActBody) (*app.ExpertView, error) {
	ctx := r.Context()
	switch op {
	case "vet":
		return s.App.VetExpert(ctx, u, id, in.Approve, in.Note)
	case "appoint":
		return s.App.AppointExpert(ctx, u, id, in.Justification)
	case "reappoint":
		return s.App.ReappointExpert(ctx, u, id, in.Justification)
	case "exit":
		return s.App.ExitExpert(ctx, u, id, app.ExitInput{Ground: in.Ground, Reason: in.Reason, RecommenderOpinion: in.RecommenderOpinion})
	case "link":
		return s.App.LinkExpertAccount(ctx, u, id, in.Username)
	}
	return nil, gengxin.Errorf(gengxin.ENotFound, "无此操作")
}

// consultActBody is the body of the consultation actions.
type consultActBody struct {
	Ground  string         `json:"ground"`
	Reason  string         `json:"reason"`
	Opinion string         `json:"opinion"`
	FeeWan  app.DecimalArg `json:"fee_wan"`
	Note    string         `json:"note"`
}

func (s *Server) consultAct(r *http.Request, u *gengxin.User, op string, in consultActBody) (any, int64, error) {
	cid, err := namedID(r, "id", "咨询事项")
	if err != nil {
		return nil, 0, err
	}
	ctx := r.Context()
	if op == "draw" {
		d, err := s.App.DrawExperts(ctx, u, cid)
		return d, cid, err
	}
	aid, err := namedID(r, "aid", "专家抽取记录")
	if err != nil {
		return nil, cid, err
	}
	switch op {
	case "recuse":
		v, err := s.App.DeclareRecusal(ctx, u, cid, aid, in.Ground, in.Reason)
		return v, cid, err
	case "opinion":
		v, err := s.App.SubmitOpinion(ctx, u, cid, aid, in.Opinion)
		return v, cid, err
	case "fee":
		v, err := s.App.RecordFee(ctx, u, cid, aid, string(in.FeeWan), in.Note)
		return v, cid, err
	case "require-recusal":
		v, err := s.App.RequireRecusal(ctx, u, cid, aid, in.Ground, in.Reason)
		return v, cid, err
	}
	return nil, cid, gengxin.Errorf(gengxin.ENotFound, "无此操作")
}

// ---- JSON API ----

func (s *Server) apiExperts(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.Experts(r.Context(), u, expertFilter(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items), "fields": rules.ExpertFields})
}

func (s *Server) apiExpertNominate(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.ExpertInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.App.NominateExpert(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiExpertMe(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	v, err := s.App.MyExpert(r.Context(), u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiExpert(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "专家")
	if err == nil {
		var v *app.ExpertView
		if v, err = s.App.Expert(r.Context(), u, id); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.apiError(w, r, err)
}

func (s *Server) apiExpertAct(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "专家")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in expertActBody
	if err := decodeJSON(r, maxSmallJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.expertAct(r, u, id, lastSegment(r), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) expertCertificate(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "专家")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("seq"), ".pdf"))
	if err != nil || seq <= 0 {
		s.fail(w, r, gengxin.Errorf(gengxin.ENotFound, "没有该届聘书"))
		return
	}
	b, name, err := s.App.ExpertCertificatePDF(r.Context(), u, id, seq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, false)
}

func (s *Server) expertsXLSX(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var buf bytes.Buffer
	if err := s.App.ExportExperts(r.Context(), u, expertFilter(r), &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "专家名单-"+s.App.Today().String()+".xlsx", buf.Bytes(), true)
}

func (s *Server) consultationsXLSX(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var buf bytes.Buffer
	if err := s.App.ExportConsultations(r.Context(), u, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "专家咨询清单-"+s.App.Today().String()+".xlsx", buf.Bytes(), true)
}

func (s *Server) apiExpertMeetings(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.ExpertMeetings(r.Context(), u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiExpertMeetingAdd(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.MeetingInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	m, err := s.App.RecordExpertMeeting(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiExpertReports(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	year, err := queryYear(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	items, err := s.App.ExpertReports(r.Context(), u, year)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiExpertReportAdd(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.ReportInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	rep, err := s.App.SubmitExpertReport(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rep)
}

func (s *Server) apiConsultations(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.Consultations(r.Context(), u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiConsultationOpen(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.ConsultationInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.App.OpenConsultation(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiConsultation(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	cid, err := namedID(r, "id", "咨询事项")
	if err == nil {
		var v *app.ConsultationView
		if v, err = s.App.Consultation(r.Context(), u, cid); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.apiError(w, r, err)
}

func (s *Server) apiConsultationAct(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in consultActBody
	op := lastSegment(r)
	if op != "draw" || r.ContentLength != 0 { // the draw takes no input: an empty body is fine
		if err := decodeJSON(r, maxJSON, &in); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	v, _, err := s.consultAct(r, u, op, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// ---- pages ----

// splitList reads a textarea of names, one a line (also 、，, separated).
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(c rune) bool {
		return c == '\n' || c == '\r' || c == '、' || c == '，' || c == ',' || c == '；' || c == ';'
	})
}

type expertHomeData struct {
	Housing  bool
	District string // the district of a 区城市更新主管部门: its committee only (EX-07)
	// Committees are the committee filter's options for 市住房城乡建设委
	// (value, label): the municipal one and each district's.
	Committees [][2]string
	Statuses   [][2]string
	Filter     app.ExpertFilter
	Items      []*app.ExpertView
	Fields     []string
	Missing    int
	Year       int
	Export     string
}

func (s *Server) expertHomePage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if u.Role == gengxin.RoleExpert || (u.Role == gengxin.RoleDistrictRenewal && u.District == "") {
		http.Redirect(w, r, "/experts/consultations", http.StatusSeeOther)
		return
	}
	f := expertFilter(r)
	items, err := s.App.Experts(r.Context(), u, f)
	if err != nil {
		if gengxin.ErrorCode(err) != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		f = app.ExpertFilter{}
		items, _ = s.App.Experts(r.Context(), u, f)
	}
	d := &expertHomeData{Housing: u.Role == gengxin.RoleMunicipalHousing, Statuses: expertStatuses, Filter: f, Items: items, Fields: rules.ExpertFields, Year: s.App.Today().Year,
		Export: "/experts.xlsx?" + r.URL.RawQuery}
	if u.Role == gengxin.RoleDistrictRenewal {
		d.District = u.District
	}
	if d.Housing {
		d.Committees = committeeOptions()
	}
	for _, v := range items {
		if v.Report != nil && v.Report.Outcome == rules.Warn {
			d.Missing++
		}
	}
	v := &view{D: d}
	if err != nil {
		v.Err = s.publicError(r, err)
	}
	s.renderView(w, r, http.StatusOK, "expert_home", v)
}

// committeeOptions are the municipal committee and each district's.
func committeeOptions() [][2]string {
	out := [][2]string{{app.MunicipalCommittee, app.CommitteeLabel("")}}
	for _, d := range gengxin.Districts {
		out = append(out, [2]string{d.Name, app.CommitteeLabel(d.Name)})
	}
	return out
}

var expertStatuses = [][2]string{{"active", "在聘（任期内）"}, {"nominated", "待审核"}, {"vetted", "已审核待聘任"},
	{"lapsed", "任期届满未续聘"}, {"exited", "已退出"}, {"rejected", "审核未通过"}}

type expertNewData struct {
	In           app.ExpertInput
	Housing      bool
	District     string // a 区城市更新主管部门 registers to its district committee (EX-07)
	Recommenders []string
	Fields       []string
	Lists        map[string]string
}

func (s *Server) expertNewPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if !app.CanSeeRegistry(u) {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "专家由市级行业主管部门推荐（京建法〔2024〕3号 第三条）"))
		return
	}
	recs, err := s.App.ExpertRecommenders(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "expert_new", &expertNewData{In: app.ExpertInput{Gender: "男"}, Housing: u.Role == gengxin.RoleMunicipalHousing, District: districtOf(u), Recommenders: recs, Fields: rules.ExpertFields})
}

// districtOf is the district of a 区城市更新主管部门, else "".
func districtOf(u *gengxin.User) string {
	if u.Role == gengxin.RoleDistrictRenewal {
		return u.District
	}
	return ""
}

func (s *Server) expertNewPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	r.ParseForm()
	in := app.ExpertInput{Name: r.FormValue("name"), Gender: r.FormValue("gender"), BirthDate: r.FormValue("birth_date"), Employer: r.FormValue("employer"),
		Title: r.FormValue("title"), Fields: r.Form["fields"], Recommender: r.FormValue("recommender"), Academician: r.FormValue("academician") != "",
		Shortage: r.FormValue("shortage_field") != "", Phone: r.FormValue("phone"), IDNumber: r.FormValue("id_number"),
		Relatives: splitList(r.FormValue("relatives")), Interests: splitList(r.FormValue("interest_units")), AdminUnits: splitList(r.FormValue("admin_units"))}
	v, err := s.App.NominateExpert(r.Context(), u, in)
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		recs, _ := s.App.ExpertRecommenders(r.Context())
		d := &expertNewData{In: in, Housing: u.Role == gengxin.RoleMunicipalHousing, District: districtOf(u), Recommenders: recs, Fields: rules.ExpertFields,
			Lists: map[string]string{"relatives": r.FormValue("relatives"), "interest_units": r.FormValue("interest_units"), "admin_units": r.FormValue("admin_units")}}
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "expert_new", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/experts/%d?done=nominate", v.ID), http.StatusSeeOther)
}

type expertDetailData struct {
	*app.ExpertView
	Housing, IsRecommender bool
	Manage                 bool // u manages the expert's committee (appoint, re-appoint, exit, link)
	CommitteeName          string
	Grounds                map[int]string
	Form                   expertActBody
}

func (s *Server) showExpert(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, flash string, form expertActBody) {
	id, err := namedID(r, "id", "专家")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.App.Expert(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	manage := app.ManagesCommittee(u, v.Committee)
	d := &expertDetailData{ExpertView: v, Housing: u.Role == gengxin.RoleMunicipalHousing, Manage: manage, CommitteeName: app.CommitteeName(v.Committee),
		IsRecommender: (v.Committee == "" && u.Role == gengxin.RoleMunicipalDept && u.Dept == v.Recommender) || (v.Committee != "" && manage),
		Grounds:       rules.ExpertExitGrounds, Form: form}
	pv := &view{D: d, Title: "专家档案：" + v.Name, Active: "expert_home", Flash: flash}
	if perr != nil {
		pv.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "expert_detail", pv)
}

func (s *Server) expertPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	flash := map[string]string{"nominate": "已推荐，待推荐部门审核（第十三条）", "vet": "已记录审核结果", "appoint": "已聘任并颁发聘书",
		"reappoint": "已续聘并颁发新一届聘书", "exit": "已作出退出决定，并通知专家本人及其所在单位", "link": "已关联专家账户"}[r.URL.Query().Get("done")]
	s.showExpert(w, r, u, http.StatusOK, nil, flash, expertActBody{})
}

func (s *Server) expertActPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "专家")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ground, _ := strconv.Atoi(r.FormValue("ground"))
	in := expertActBody{Approve: r.FormValue("approve") == "1", Note: r.FormValue("note"), Justification: r.FormValue("justification"), Ground: ground,
		Reason: r.FormValue("reason"), RecommenderOpinion: r.FormValue("recommender_opinion"), Username: r.FormValue("username")}
	op := lastSegment(r)
	if _, err := s.expertAct(r, u, id, op, in); err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		s.showExpert(w, r, u, statusOf(gengxin.ErrorCode(err)), err, "", in)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/experts/%d?done=%s", id, op), http.StatusSeeOther)
}

type expertMeetingsData struct {
	Housing bool
	Items   []store.ExpertMeeting
	Names   map[int64]string
	In      app.MeetingInput
}

func (s *Server) expertMeetings(r *http.Request, u *gengxin.User, d *expertMeetingsData) error {
	items, err := s.App.ExpertMeetings(r.Context(), u)
	if err != nil {
		return err
	}
	d.Items, d.Housing, d.Names = items, u.Role == gengxin.RoleMunicipalHousing, map[int64]string{}
	if d.Housing {
		es, _ := s.App.Experts(r.Context(), u, app.ExpertFilter{})
		for _, e := range es {
			d.Names[e.ID] = e.Name
		}
	}
	return nil
}

func (s *Server) expertMeetingsPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	d := &expertMeetingsData{In: app.MeetingInput{HeldOn: s.App.Today().String()}}
	if err := s.expertMeetings(r, u, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "expert_meetings", d)
}

func (s *Server) expertMeetingsPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	r.ParseForm()
	in := app.MeetingInput{HeldOn: r.FormValue("held_on"), Title: r.FormValue("title"), Minutes: r.FormValue("minutes")}
	for _, a := range r.Form["attendees"] {
		if n, err := strconv.ParseInt(a, 10, 64); err == nil {
			in.Attendees = append(in.Attendees, n)
		}
	}
	_, err := s.App.RecordExpertMeeting(r.Context(), u, in)
	if err != nil && pageError(err) {
		s.fail(w, r, err)
		return
	}
	if err == nil {
		http.Redirect(w, r, "/experts/meetings", http.StatusSeeOther)
		return
	}
	d := &expertMeetingsData{In: in}
	if err2 := s.expertMeetings(r, u, d); err2 != nil {
		s.fail(w, r, err2)
		return
	}
	s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "expert_meetings", &view{D: d, Err: s.publicError(r, err)})
}

type expertReportsData struct {
	Me    *app.ExpertView
	Items []store.ExpertReport
	In    app.ReportInput
}

func (s *Server) expertReports(r *http.Request, u *gengxin.User, d *expertReportsData) error {
	items, err := s.App.ExpertReports(r.Context(), u, 0)
	if err != nil {
		return err
	}
	d.Items = items
	if u.Role == gengxin.RoleExpert {
		d.Me, _ = s.App.MyExpert(r.Context(), u)
	}
	return nil
}

func (s *Server) expertReportsPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	d := &expertReportsData{In: app.ReportInput{Year: s.App.Today().Year}}
	if err := s.expertReports(r, u, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "expert_reports", d)
}

func (s *Server) expertReportsPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	year, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("year")))
	in := app.ReportInput{Year: year, Title: r.FormValue("title"), Body: r.FormValue("body")}
	_, err := s.App.SubmitExpertReport(r.Context(), u, in)
	if err != nil && pageError(err) {
		s.fail(w, r, err)
		return
	}
	if err == nil {
		http.Redirect(w, r, "/experts/reports", http.StatusSeeOther)
		return
	}
	d := &expertReportsData{In: in}
	if err2 := s.expertReports(r, u, d); err2 != nil {
		s.fail(w, r, err2)
		return
	}
	s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "expert_reports", &view{D: d, Err: s.publicError(r, err)})
}

type consultationsData struct {
	Me       *app.ExpertView // the expert's own record, for experts
	Unit     bool
	District string // a 区城市更新主管部门 may draw from its district committee (EX-07)
	Items    []*store.ExpertConsultation
	Kinds    map[string]string
	Fields   []string
	In       app.ConsultationInput
	Lists    map[string]string
}

func (s *Server) consultationsPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.Consultations(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &consultationsData{Unit: app.IsUsingUnit(u), District: districtOf(u), Items: items, Kinds: app.ConsultationKinds,
		Fields: rules.ExpertFields, In: app.ConsultationInput{Kind: "project", ExpertsNeeded: 3}}
	if u.Role == gengxin.RoleExpert {
		d.Me, _ = s.App.MyExpert(r.Context(), u)
	}
	s.render(w, r, http.StatusOK, "expert_consultations", d)
}

func (s *Server) consultationsPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	r.ParseForm()
	n, _ := strconv.Atoi(strings.TrimSpace(r.FormValue("experts_needed")))
	pid, _ := strconv.ParseInt(strings.TrimSpace(r.FormValue("project_id")), 10, 64)
	in := app.ConsultationInput{Subject: r.FormValue("subject"), Kind: r.FormValue("kind"), ProjectID: pid, Fields: r.Form["fields"], ExpertsNeeded: n,
		Undertaking: r.FormValue("undertaking_unit"), Leader: r.FormValue("leader"), Participants: splitList(r.FormValue("participants")),
		Cooperating: splitList(r.FormValue("cooperating_units")), ExcludeEmployers: splitList(r.FormValue("exclude_employers")), Conditions: r.FormValue("conditions"),
		Committee: r.FormValue("committee")}
	v, err := s.App.OpenConsultation(r.Context(), u, in)
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		items, _ := s.App.Consultations(r.Context(), u)
		d := &consultationsData{Unit: true, District: districtOf(u), Items: items, Kinds: app.ConsultationKinds, Fields: rules.ExpertFields, In: in,
			Lists: map[string]string{"participants": r.FormValue("participants"), "cooperating_units": r.FormValue("cooperating_units"), "exclude_employers": r.FormValue("exclude_employers")}}
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "expert_consultations", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/experts/consultations/%d?done=open", v.ID), http.StatusSeeOther)
}

type consultationData struct {
	*app.ConsultationView
	Grounds map[string]string
	Expert  bool
}

func (s *Server) showConsultation(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, flash string) {
	cid, err := namedID(r, "id", "咨询事项")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.App.Consultation(r.Context(), u, cid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pv := &view{D: &consultationData{ConsultationView: v, Grounds: app.RecusalGrounds, Expert: u.Role == gengxin.RoleExpert},
		Title: "专家咨询：" + v.Subject, Active: "expert_consultations", Flash: flash}
	if perr != nil {
		pv.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "expert_consultation", pv)
}

func (s *Server) consultationPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	flash := map[string]string{"open": "已发起咨询，请随机抽取专家", "draw": "已随机抽取专家，抽取种子与排除情况已记录", "recuse": "已记录回避申请",
		"opinion": "已提交咨询意见", "fee": "已登记咨询服务费", "require-recusal": "已记录回避要求，可再次抽取替补"}[r.URL.Query().Get("done")]
	s.showConsultation(w, r, u, http.StatusOK, nil, flash)
}

func (s *Server) consultationActPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	in := consultActBody{Ground: r.FormValue("ground"), Reason: r.FormValue("reason"), Opinion: r.FormValue("opinion"),
		FeeWan: app.DecimalArg(strings.TrimSpace(r.FormValue("fee_wan"))), Note: r.FormValue("note")}
	op := lastSegment(r)
	_, cid, err := s.consultAct(r, u, op, in)
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		s.showConsultation(w, r, u, statusOf(gengxin.ErrorCode(err)), err, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/experts/consultations/%d?done=%s", cid, op), http.StatusSeeOther)
}
