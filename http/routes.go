package http

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"

	"gengxin"
	"gengxin/app"
)

// routes registers every route; the route test replays them all.
func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(staticFS)))
	m.HandleFunc("GET /healthz", s.health)
	m.HandleFunc("GET /openapi.json", s.openAPI)

	// Public pages.
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, gengxin.Errorf(gengxin.ENotFound, "页面不存在"))
	})
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.loginPost)
	m.HandleFunc("GET /verify", s.verifyPage)
	m.HandleFunc("GET /precheck", s.precheckPage)
	m.HandleFunc("POST /precheck", s.precheckPost)

	// Signed-in pages.
	m.HandleFunc("POST /logout", s.authed(s.logoutPost))
	m.HandleFunc("GET /workbench", s.authed(s.workbench))
	m.HandleFunc("GET /projects", s.authed(s.projectsPage))
	m.HandleFunc("GET /projects.xlsx", s.authed(s.exportXLSX))
	m.HandleFunc("GET /projects/new", s.authed(s.newProjectPage))
	m.HandleFunc("POST /projects/new", s.authed(s.newProjectPost))
	m.HandleFunc("GET /projects/{id}", s.authed(s.projectPage))
	m.HandleFunc("GET /projects/{id}/edit", s.authed(s.editProjectPage))
	m.HandleFunc("POST /projects/{id}/edit", s.authed(s.editProjectPost))
	m.HandleFunc("POST /projects/{id}/actions/{action}", s.authed(s.actionPost))
	m.HandleFunc("POST /projects/{id}/attachments", s.authed(s.uploadPost))
	m.HandleFunc("GET /projects/{id}/attachments/{aid}", s.authed(s.apiAttachment))
	m.HandleFunc("GET /projects/{id}/entry-notice.pdf", s.authed(s.apiEntryNotice))
	m.HandleFunc("GET /projects/{id}/corrections/{seq}", s.authed(s.apiCorrectionNotice))
	m.HandleFunc("GET /projects/{id}/deadlines/{kind}", s.authed(s.tracePage))
	m.HandleFunc("GET /import", s.authed(s.importPage))
	m.HandleFunc("POST /import", s.authed(s.importPost))
	m.HandleFunc("GET /import/template.xlsx", s.authed(s.importTemplate))
	m.HandleFunc("GET /plan", s.authed(s.planPage))
	m.HandleFunc("GET /calendar", s.authed(s.calendarPage))
	m.HandleFunc("POST /calendar", s.authed(s.calendarPost))

	// JSON API (DESIGN.md §4).
	m.HandleFunc("POST /api/v1/login", s.apiLogin)
	m.HandleFunc("POST /api/v1/logout", s.authed(s.apiLogout))
	m.HandleFunc("GET /api/v1/me", s.authed(s.apiMe))
	m.HandleFunc("GET /api/v1/projects", s.authed(s.apiProjects))
	m.HandleFunc("POST /api/v1/projects", s.authed(s.apiCreateProject))
	m.HandleFunc("GET /api/v1/projects.xlsx", s.authed(s.exportXLSX))
	m.HandleFunc("GET /api/v1/projects/{id}", s.authed(s.apiProject))
	m.HandleFunc("PUT /api/v1/projects/{id}", s.authed(s.apiUpdateProject))
	m.HandleFunc("POST /api/v1/projects/{id}/actions/{action}", s.authed(s.apiAction))
	m.HandleFunc("POST /api/v1/projects/{id}/attachments", s.authed(s.apiUpload))
	m.HandleFunc("GET /api/v1/projects/{id}/attachments/{aid}", s.authed(s.apiAttachment))
	m.HandleFunc("GET /api/v1/projects/{id}/documents/entry-notice.pdf", s.authed(s.apiEntryNotice))
	m.HandleFunc("GET /api/v1/projects/{id}/documents/corrections/{seq}", s.authed(s.apiCorrectionNotice))
	m.HandleFunc("GET /api/v1/projects/{id}/deadlines/{kind}", s.authed(s.apiExplain))
	m.HandleFunc("POST /api/v1/import", s.authed(s.apiImport))
	m.HandleFunc("GET /api/v1/import/template.xlsx", s.authed(s.importTemplate))
	m.HandleFunc("GET /api/v1/notifications", s.authed(s.apiNotifications))
	m.HandleFunc("GET /api/v1/verify/{code}", s.apiVerify)
	m.HandleFunc("POST /api/v1/rules/eval", s.apiRulesEval)
	m.HandleFunc("GET /api/v1/workdays", s.apiWorkdays)
	m.HandleFunc("GET /api/v1/public/projects", s.apiPublicProjects)
	s.auditRoutes()
	s.accountRoutes()
	s.greenRoutes()
	s.oldFactoryRoutes()
	s.expertRoutes()
	s.portalRoutes()
	s.coordinatorRoutes()
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.apiError(w, r, gengxin.Errorf(gengxin.ENotFound, "接口不存在：%s %s", r.Method, r.URL.Path))
	})
}

func (s *Server) exportXLSX(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	q, err := listQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.App.ExportProjects(r.Context(), u, q, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "城市更新项目清单-"+s.App.Today().String()+".xlsx", buf.Bytes(), true)
}

func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var buf bytes.Buffer
	if err := s.App.ImportTemplate(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "城市更新项目直接导入模板.xlsx", buf.Bytes(), true)
}

// xlsxType is the media type of the .xlsx files the system sends.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// maxImportBytes bounds the body of a spreadsheet import (project import,
// green lists).
const maxImportBytes = 30 << 20

// importFile opens the .xlsx of an import form (field file, body at most
// maxImportBytes); the caller closes it.
func importFile(r *http.Request) (multipart.File, error) {
	f, _, err := formFile(r, maxImportBytes, fmt.Sprintf("导入文件不超过 %d MB", maxImportBytes>>20), "请选择要导入的 .xlsx 文件（表单字段 file）")
	return f, err
}

func (s *Server) readImport(r *http.Request, u *gengxin.User) (*app.ImportReport, error) {
	if u.Role != gengxin.RoleDistrictDept {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有区级行业主管部门可以直接导入已审核确认的项目（京建法〔2024〕2号 第十一条）")
	}
	f, err := importFile(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.App.Import(r.Context(), u, f)
}

func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	rep, err := s.readImport(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

type importData struct {
	Report *app.ImportReport
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if u.Role != gengxin.RoleDistrictDept {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "只有区级行业主管部门可以直接导入已审核确认的项目（京建法〔2024〕2号 第十一条）"))
		return
	}
	s.render(w, r, http.StatusOK, "import", &importData{})
}

func (s *Server) importPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	rep, err := s.readImport(r, u)
	v := &view{D: &importData{Report: rep}}
	status := http.StatusOK
	if err != nil {
		v.Err, status = s.publicError(r, err), statusOf(gengxin.ErrorCode(err))
	}
	s.renderView(w, r, status, "import", v)
}

type planData struct {
	Year       int
	ByDistrict map[string][]*gengxin.Project
	Districts  []string
	Total      int
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2024 || year > 2100 {
		year = s.App.Today().Year
	}
	by, total, err := s.App.Plan(r.Context(), u, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &planData{Year: year, ByDistrict: by, Total: total}
	for _, name := range gengxin.DistrictNames() {
		if len(by[name]) > 0 {
			d.Districts = append(d.Districts, name)
		}
	}
	s.render(w, r, http.StatusOK, "plan", d)
}

func (s *Server) apiPublicProjects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	items, total, err := s.App.PublicSearch(r.Context(), q.Get("q"), q.Get("district"), q.Get("category"), page)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if items == nil {
		items = []app.PublicProject{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": total})
}
