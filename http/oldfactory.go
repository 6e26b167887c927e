package http

// Old-factory renovation (老旧厂房更新改造, 京规自发〔2024〕67号, issue 4): the case
// page /projects/{id}/old-factory with one form per step, the case list
// /old-factory, the factory inventory /old-factory/inventory (经信14号
// 三(一)), and the JSON API. Both call app/oldfactory.go and
// app/inventory.go.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
)

func init() {
	registerPages(map[string]string{
		"oldfactory": "老旧厂房改造", "oldfactory_list": "老旧厂房改造案件", "oldfactory_inventory": "老旧厂房摸底清单",
	})
}

// oldFactoryRoutes registers the old-factory pages and API (issue 4).
func (s *Server) oldFactoryRoutes() {
	m := s.mux
	m.HandleFunc("GET /old-factory", s.authed(s.oldFactoryListPage))
	m.HandleFunc("GET /projects/{id}/old-factory", s.authed(s.oldFactoryPage))
	m.HandleFunc("POST /projects/{id}/old-factory/{step}", s.authed(s.oldFactoryPost))
	m.HandleFunc("GET /projects/{id}/old-factory/agreement.pdf", s.authed(s.oldFactoryAgreementPDF))
	m.HandleFunc("GET /projects/{id}/old-factory/evaluations/{seq}", s.authed(s.oldFactoryEvaluationPDF))
	m.HandleFunc("GET /old-factory/inventory", s.authed(s.inventoryPage))
	m.HandleFunc("POST /old-factory/inventory", s.authed(s.inventoryPost))
	m.HandleFunc("POST /old-factory/inventory/{cid}/review", s.authed(s.inventoryReviewPost))
	m.HandleFunc("GET /old-factory/inventory.xlsx", s.authed(s.inventoryXLSX))

	m.HandleFunc("GET /api/v1/old-factory", s.authed(s.apiOldFactoryList))
	m.HandleFunc("GET /api/v1/projects/{id}/old-factory", s.authed(s.apiOldFactory))
	m.HandleFunc("POST /api/v1/projects/{id}/old-factory/{step}", s.authed(s.apiOldFactoryStep))
	m.HandleFunc("GET /api/v1/projects/{id}/old-factory/agreement.pdf", s.authed(s.oldFactoryAgreementPDF))
	m.HandleFunc("GET /api/v1/projects/{id}/old-factory/evaluations/{seq}", s.authed(s.oldFactoryEvaluationPDF))
	m.HandleFunc("GET /api/v1/old-factory/inventory", s.authed(s.apiInventory))
	m.HandleFunc("POST /api/v1/old-factory/inventory", s.authed(s.apiInventoryReport))
	m.HandleFunc("POST /api/v1/old-factory/inventory/{cid}/review", s.authed(s.apiInventoryReview))
	m.HandleFunc("GET /api/v1/old-factory/inventory.xlsx", s.authed(s.inventoryXLSX))
}

// ---- JSON API ----

func (s *Server) apiOldFactory(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err == nil {
		var v *app.OldFactoryView
		if v, err = s.App.OldFactory(r.Context(), u, id); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.apiError(w, r, err)
}

func (s *Server) apiOldFactoryStep(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in app.OldFactoryInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.App.OldFactoryStep(r.Context(), u, id, r.PathValue("step"), in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiOldFactoryList(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.OldFactoryCases(r.Context(), u, r.URL.Query().Get("stage"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

// ---- pages ----

type oldFactoryData struct {
	V            *app.OldFactoryView
	P            *gengxin.Project
	Groups       []precheckGroup
	Values       map[string]string
	Justify      []gengxin.ErrorDetail // warnings awaiting a justification
	Items        any
	Prohibitions any
	Dimensions   any
	Participants []string
	Warnings     []string
	Approvals    any
	BlankRows    []int // blank rows of the building table
}

func (s *Server) showOldFactory(w http.ResponseWriter, r *http.Request, u *gengxin.User, id int64, status int, err error, values map[string]string) {
	v, verr := s.App.OldFactory(r.Context(), u, id)
	if verr != nil {
		s.fail(w, r, verr)
		return
	}
	p, perr := s.App.Project(r.Context(), u, id)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	if values == nil {
		values = map[string]string{}
	}
	d := &oldFactoryData{V: v, P: p, Groups: precheckGroups, Values: values, Items: app.OFAgreementItems, Prohibitions: app.OFProhibitions,
		Dimensions: app.OFEvaluationDimensions, Participants: append(append([]string{}, app.OFReviewParticipants...), p.IndustryDept),
		Approvals: app.OFApprovalOptions}
	for i := range 3 {
		d.BlankRows = append(d.BlankRows, len(v.Buildings)+i)
	}
	if v.Case != nil {
		for _, f := range v.Case.Findings {
			if f.Outcome == "warn" {
				d.Warnings = append(d.Warnings, f.Rule)
			}
		}
	}
	pv := &view{D: d, Title: "老旧厂房改造：" + p.Name, Active: "projects"}
	if err != nil {
		pv.Err = s.publicError(r, err)
		for _, det := range pv.Err.Details {
			if strings.HasPrefix(det.Field, "justifications.") {
				d.Justify = append(d.Justify, det)
			}
		}
	}
	if done := r.URL.Query().Get("done"); done != "" && err == nil {
		pv.Flash = "已办理：" + app.OFStepLabel(done)
	}
	s.renderView(w, r, status, "oldfactory", pv)
}

func (s *Server) oldFactoryPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showOldFactory(w, r, u, id, http.StatusOK, nil, nil)
}

// oldFactoryForm reads a step's form into the API's input: fields are named
// by their JSON path ("materials.industry", "agreement.items.exit");
// multi-valued fields (prohibitions, participants) are repeated; problems
// are one per line; yes/no selects are booleans.
func oldFactoryForm(r *http.Request, step string) (app.OldFactoryInput, map[string]string, error) {
	var in app.OldFactoryInput
	values := map[string]string{}
	doc := map[string]any{}
	set := func(path string, val any) { setPath(doc, path, val) }
	if err := r.ParseForm(); err != nil {
		return in, values, gengxin.Errorf(gengxin.EInvalid, "表单无法读取")
	}
	rows := map[int]map[string]string{} // buildings.<row>.<field>
	for key, vs := range r.PostForm {
		if key == "csrf" || len(vs) == 0 || strings.Contains(key, "/") {
			continue
		}
		if len(key) > 64 {
			return in, values, gengxin.Errorf(gengxin.EInvalid, "表单字段名过长")
		}
		first := strings.TrimSpace(vs[0])
		values[key] = first
		switch {
		case key == "agreement.prohibitions" || key == "participants":
			set(key, vs)
		case key == "problems":
			var lines []string
			for _, l := range strings.Split(first, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			set(key, lines)
		case key == "passed" || key == "early" || key == "approve_warnings" || key == "requisites.transition_applies" || key == "permits.no_construction_permit":
			if first != "" {
				set(key, first == "yes" || first == "on")
			}
		case key == "building":
			if first != "" {
				n, err := strconv.Atoi(first)
				if err != nil {
					return in, values, gengxin.Errorf(gengxin.EInvalid, "请选择清单中的未登记建筑物")
				}
				set(key, n)
			}
		case key == "building_nos":
			var ns []int
			for _, v := range vs {
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					return in, values, gengxin.Errorf(gengxin.EInvalid, "请选择清单中的未登记建筑物")
				}
				ns = append(ns, n)
			}
			set(key, ns)
		case key == "investigation.illegal":
			if first != "" {
				set(key, first == "yes")
			}
		case strings.HasPrefix(key, "investigation.") || strings.HasPrefix(key, "appraisal."):
			if first != "" {
				set(key, first)
			}
		case strings.HasPrefix(key, "buildings."):
			parts := strings.Split(key, ".")
			row, err := strconv.Atoi(parts[1])
			if len(parts) != 3 || err != nil || row < 0 || row >= ofMaxBuildingRows {
				continue
			}
			if rows[row] == nil {
				rows[row] = map[string]string{}
			}
			rows[row][parts[2]] = first
		case strings.HasPrefix(key, "justifications."):
			set("justifications", mergeMap(doc["justifications"], strings.TrimPrefix(key, "justifications."), first))
		case strings.HasPrefix(key, "materials.") || strings.HasPrefix(key, "requisites.") || strings.HasPrefix(key, "plan.") ||
			strings.HasPrefix(key, "agreement.") || strings.HasPrefix(key, "permits.") || strings.HasPrefix(key, "dimensions.") ||
			key == "owner" || key == "doc_no" || key == "on" || key == "verdict" || key == "opinion" || key == "summary" ||
			key == "rectify_by" || key == "supply":
			if first != "" {
				set(key, first)
			}
		}
	}
	if len(rows) > 0 {
		bs, err := ofFormBuildings(rows)
		if err != nil {
			return in, values, err
		}
		doc["buildings"] = bs
	}
	if step == app.OFStepRegister {
		facts, fv, err := precheckFacts(r)
		if err != nil {
			return in, values, gengxin.Errorf(gengxin.EInvalid, "厂房情况无法读取")
		}
		for k, v := range fv {
			values[k] = v
		}
		var wrapper struct {
			OldFactory json.RawMessage `json:"old_factory"`
		}
		json.Unmarshal(facts, &wrapper)
		doc["facts"] = wrapper.OldFactory
	}
	b, _ := json.Marshal(doc)
	if err := json.Unmarshal(b, &in); err != nil {
		return in, values, gengxin.Errorf(gengxin.EInvalid, "表单内容有误：%s", plainJSONError(err))
	}
	return in, values, nil
}

// ofMaxBuildingRows bounds the rows of the building table a form may send.
const ofMaxBuildingRows = 200

// ofFormBuildings turns the building table's rows into the list, in row
// order; a row with neither a name nor a number is an unused blank row.
func ofFormBuildings(rows map[int]map[string]string) ([]app.OFBuilding, error) {
	var idx []int
	for i := range rows {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	out := []app.OFBuilding{}
	for _, i := range idx {
		r := rows[i]
		if r["name"] == "" && r["no"] == "" {
			continue
		}
		b := app.OFBuilding{Name: r["name"], Approvals: r["approvals"]}
		if v := r["no"]; v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, gengxin.Errorf(gengxin.EInvalid, "第 %d 行的序号格式不正确", i+1)
			}
			b.No = n
		}
		if v := r["area_m2"]; v != "" {
			a, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, gengxin.Errorf(gengxin.EInvalid, "第 %d 行的建筑面积应为数字（平方米）", i+1)
			}
			b.AreaM2 = a
		}
		out = append(out, b)
	}
	return out, nil
}

func mergeMap(cur any, k, v string) map[string]any {
	m, _ := cur.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	m[k] = v
	return m
}

// plainJSONError names the field of a decode error in Chinese.
func plainJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "字段 " + te.Field + " 格式不正确"
	}
	return "日期应为 YYYY-MM-DD"
}

func (s *Server) oldFactoryPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	step := r.PathValue("step")
	in, values, err := oldFactoryForm(r, step)
	if err == nil {
		_, err = s.App.OldFactoryStep(r.Context(), u, id, step, in)
	}
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.ENotFound || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		values["_step"] = step
		s.showOldFactory(w, r, u, id, statusOf(gengxin.ErrorCode(err)), err, values)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/projects/%d/old-factory?done=%s", id, step), http.StatusSeeOther)
}

type oldFactoryListData struct {
	Stage string
	Items []app.OldFactoryCaseRow
}

func (s *Server) oldFactoryListPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	stage := r.URL.Query().Get("stage")
	items, err := s.App.OldFactoryCases(r.Context(), u, stage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "oldfactory_list", &oldFactoryListData{Stage: stage, Items: items})
}

// ---- the factory inventory (经信14号 三(一)) ----

func (s *Server) apiInventory(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, sum, err := s.App.Inventory(r.Context(), u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items), "by_district": sum})
}

func (s *Server) apiInventoryReport(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.FactoryReport
	if err := decodeJSON(r, maxSmallJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.App.ReportFactory(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

type inventoryDecision struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

func (s *Server) apiInventoryReview(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "cid", "厂房")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in inventoryDecision
	if err := decodeJSON(r, maxSmallJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	c, err := s.App.ReviewFactory(r.Context(), u, id, in.Decision, in.Note)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) inventoryXLSX(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var buf bytes.Buffer
	if err := s.App.ExportInventory(r.Context(), u, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "老旧厂房摸底清单-"+s.App.Today().String()+".xlsx", buf.Bytes(), true)
}

type inventoryData struct {
	Items   []app.InventoryItem
	Summary []app.InventoryDistrict
	Officer bool
	Owner   bool
	Values  map[string]string
}

func (s *Server) showInventory(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, err error, values map[string]string, flash string) {
	items, sum, lerr := s.App.Inventory(r.Context(), u)
	if lerr != nil {
		s.fail(w, r, lerr)
		return
	}
	if values == nil {
		values = map[string]string{}
	}
	d := &inventoryData{Items: items, Summary: sum, Officer: app.IsInventoryOfficer(u),
		Owner: u.Role == gengxin.RoleApplicant, Values: values}
	v := &view{D: d, Flash: flash}
	if err != nil {
		v.Err = s.publicError(r, err)
	}
	s.renderView(w, r, status, "oldfactory_inventory", v)
}

func (s *Server) inventoryPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.showInventory(w, r, u, http.StatusOK, nil, nil, "")
}

func (s *Server) inventoryPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	in := app.FactoryReport{Name: r.FormValue("name"), District: r.FormValue("district"), Address: r.FormValue("address"),
		BuildingAreaM2: app.DecimalArg(strings.TrimSpace(r.FormValue("building_area_m2"))), VacantAreaM2: app.DecimalArg(strings.TrimSpace(r.FormValue("vacant_area_m2"))),
		SafetyHazard: r.FormValue("safety_hazard") == "yes", OutputBelowStandard: r.FormValue("output_below_standard") == "yes"}
	c, err := s.App.ReportFactory(r.Context(), u, in)
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.EForbidden || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		values := map[string]string{}
		for _, k := range []string{"name", "district", "address", "building_area_m2", "vacant_area_m2", "safety_hazard", "output_below_standard"} {
			values[k] = r.FormValue(k)
		}
		s.showInventory(w, r, u, statusOf(gengxin.ErrorCode(err)), err, values, "")
		return
	}
	s.showInventory(w, r, u, http.StatusOK, nil, nil, "已上报："+c.Name+"。"+c.Finding)
}

func (s *Server) inventoryReviewPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "cid", "厂房")
	if err == nil {
		_, err = s.App.ReviewFactory(r.Context(), u, id, r.FormValue("decision"), r.FormValue("note"))
	}
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		s.showInventory(w, r, u, statusOf(gengxin.ErrorCode(err)), err, nil, "")
		return
	}
	http.Redirect(w, r, "/old-factory/inventory", http.StatusSeeOther)
}

func (s *Server) oldFactoryAgreementPDF(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, name, err := s.App.OldFactoryAgreementPDF(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, r.URL.Query().Get("download") != "")
}

func (s *Server) oldFactoryEvaluationPDF(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	seq, err := strconv.Atoi(strings.TrimSuffix(r.PathValue("seq"), ".pdf"))
	if err != nil {
		s.fail(w, r, gengxin.Errorf(gengxin.ENotFound, "评估报告不存在"))
		return
	}
	b, name, err := s.App.OldFactoryEvaluationPDF(r.Context(), u, id, seq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, r.URL.Query().Get("download") != "")
}
