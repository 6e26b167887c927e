package http

// Green low-carbon awards (绿色低碳发展资金奖励, 京经信发〔2024〕20号, issue 6):
// pages under /green and the JSON API under /api/v1/green. Both call the
// services of app/green.go.

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/app"
	"gengxin/store"
)

func init() {
	registerPages(map[string]string{
		"green_home": "绿色低碳奖励", "green_apply": "申报绿色低碳奖励", "green_application": "绿色低碳奖励申请",
		"green_lists": "绿色低碳名单", "green_summary": "绿色低碳奖励汇总", "green_awards": "绿色低碳奖励公示",
	})
}

// greenRoutes registers the green low-carbon award pages and API (issue 6).
func (s *Server) greenRoutes() {
	m := s.mux
	m.HandleFunc("GET /green", s.authed(s.greenHomePage))
	m.HandleFunc("GET /green/apply", s.authed(s.greenApplyPage))
	m.HandleFunc("POST /green/apply", s.authed(s.greenApplyPost))
	m.HandleFunc("GET /green/applications/{id}", s.authed(s.greenApplicationPage))
	m.HandleFunc("POST /green/applications/{id}/approve", s.authed(s.greenDecidePost))
	m.HandleFunc("POST /green/applications/{id}/refuse", s.authed(s.greenDecidePost))
	m.HandleFunc("GET /green/applications/{id}/notice.pdf", s.authed(s.greenNotice))
	m.HandleFunc("GET /green/lists", s.authed(s.greenListsPage))
	m.HandleFunc("POST /green/lists", s.authed(s.greenListsPost))
	m.HandleFunc("GET /green/lists/template.xlsx", s.authed(s.greenListTemplate))
	m.HandleFunc("GET /green/summary", s.authed(s.greenSummaryPage))
	m.HandleFunc("GET /green/summary.xlsx", s.authed(s.greenSummaryXLSX))
	m.HandleFunc("GET /green/awards", s.greenAwardsPage)

	m.HandleFunc("POST /api/v1/green/preview", s.authed(s.apiGreenPreview))
	m.HandleFunc("GET /api/v1/green/applications", s.authed(s.apiGreenApplications))
	m.HandleFunc("POST /api/v1/green/applications", s.authed(s.apiGreenApply))
	m.HandleFunc("GET /api/v1/green/applications/{id}", s.authed(s.apiGreenApplication))
	m.HandleFunc("POST /api/v1/green/applications/{id}/approve", s.authed(s.apiGreenApprove))
	m.HandleFunc("POST /api/v1/green/applications/{id}/refuse", s.authed(s.apiGreenRefuse))
	m.HandleFunc("GET /api/v1/green/applications/{id}/notice.pdf", s.authed(s.greenNotice))
	m.HandleFunc("GET /api/v1/green/lists", s.authed(s.apiGreenLists))
	m.HandleFunc("POST /api/v1/green/lists/import", s.authed(s.apiGreenListImport))
	m.HandleFunc("GET /api/v1/green/lists/template.xlsx", s.authed(s.greenListTemplate))
	m.HandleFunc("GET /api/v1/green/summary", s.authed(s.apiGreenSummary))
	m.HandleFunc("GET /api/v1/green/summary.xlsx", s.authed(s.greenSummaryXLSX))
	m.HandleFunc("GET /api/v1/green/awards", s.apiGreenAwards)
}

func greenID(r *http.Request) (int64, error) { return namedID(r, "id", "奖励申请") }

// greenFilter reads status, measure, district and year from a query.
func greenFilter(v url.Values) (store.GreenFilter, error) {
	f := store.GreenFilter{Status: v.Get("status"), Measure: v.Get("measure"), District: v.Get("district")}
	if y := strings.TrimSpace(v.Get("year")); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return f, gengxin.Errorf(gengxin.EInvalid, "参数 year 应为四位年份")
		}
		f.Year = n
	}
	return f, nil
}

func queryYear(r *http.Request) (int, error) {
	f, err := greenFilter(url.Values{"year": {r.URL.Query().Get("year")}})
	return f.Year, err
}

// ---- JSON API ----

func (s *Server) apiGreenPreview(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.GreenInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.App.PreviewGreen(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGreenApply(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in app.GreenInput
	if err := decodeJSON(r, maxJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	v, err := s.App.ApplyGreen(r.Context(), u, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (s *Server) apiGreenApplications(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	f, err := greenFilter(r.URL.Query())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	items, err := s.App.GreenApplications(r.Context(), u, f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiGreenApplication(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := greenID(r)
	if err == nil {
		var v *app.GreenApplicationView
		if v, err = s.App.GreenApplication(r.Context(), u, id); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.apiError(w, r, err)
}

// greenDecision is the body of approve (amount_wan) and refuse (reason).
type greenDecision struct {
	AmountWan app.DecimalArg `json:"amount_wan"`
	Reason    string         `json:"reason"`
}

func (s *Server) apiGreenApprove(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.apiGreenDecide(w, r, u, true)
}

func (s *Server) apiGreenRefuse(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.apiGreenDecide(w, r, u, false)
}

func (s *Server) apiGreenDecide(w http.ResponseWriter, r *http.Request, u *gengxin.User, approve bool) {
	id, err := greenID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in greenDecision
	if err := decodeJSON(r, maxSmallJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var v *app.GreenApplicationView
	if approve {
		v, err = s.App.ApproveGreen(r.Context(), u, id, string(in.AmountWan))
	} else {
		v, err = s.App.RefuseGreen(r.Context(), u, id, in.Reason)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) greenNotice(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := greenID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, name, err := s.App.GreenNoticePDF(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, "application/pdf", name, b, false)
}

func (s *Server) apiGreenLists(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	items, err := s.App.GreenList(r.Context(), u, r.URL.Query().Get("kind"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items), "kinds": app.GreenListKinds})
}

func (s *Server) readGreenList(r *http.Request, u *gengxin.User) (*app.GreenListReport, error) {
	if !app.IsGreenBureau(u) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有市经济和信息化局可以维护绿色低碳名单（京经信发〔2024〕20号）")
	}
	f, err := importFile(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.App.ImportGreenList(r.Context(), u, f)
}

func (s *Server) apiGreenListImport(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	rep, err := s.readGreenList(r, u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) greenListTemplate(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var buf bytes.Buffer
	if err := s.App.GreenListTemplate(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "绿色低碳名单导入模板.xlsx", buf.Bytes(), true)
}

func (s *Server) apiGreenSummary(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	year, err := queryYear(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rows, err := s.App.GreenSummary(r.Context(), u, year)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "rows": rows})
}

func (s *Server) greenSummaryXLSX(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	year, err := queryYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.App.ExportGreenSummary(r.Context(), u, year, &buf); err != nil {
		s.fail(w, r, err)
		return
	}
	sendFile(w, xlsxType, "绿色低碳奖励汇总-"+s.App.Today().String()+".xlsx", buf.Bytes(), true)
}

func (s *Server) greenAwards(r *http.Request) ([]app.PublicGreenAward, store.GreenFilter, error) {
	f, err := greenFilter(r.URL.Query())
	if err != nil {
		return nil, f, err
	}
	items, err := s.App.PublicGreenAwards(r.Context(), f.Year, f.Measure, f.District)
	if items == nil {
		items = []app.PublicGreenAward{}
	}
	return items, f, err
}

func (s *Server) apiGreenAwards(w http.ResponseWriter, r *http.Request) {
	items, _, err := s.greenAwards(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

// ---- pages ----

type greenHomeData struct {
	Bureau bool
	Filter store.GreenFilter
	Items  []*app.GreenApplicationView
}

func (s *Server) greenHomePage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	f, err := greenFilter(r.URL.Query())
	d := &greenHomeData{Bureau: app.IsGreenBureau(u), Filter: f}
	if err == nil {
		d.Items, err = s.App.GreenApplications(r.Context(), u, f)
	}
	if err != nil {
		if gengxin.ErrorCode(err) != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		s.renderView(w, r, http.StatusBadRequest, "green_home", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	s.render(w, r, http.StatusOK, "green_home", d)
}

type greenApplyData struct {
	In       app.GreenInput
	Served   string
	Preview  *app.GreenPreview
	Measures []app.GreenMeasure
	Year     int
}

func (s *Server) greenApplyPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if u.Role != gengxin.RoleApplicant {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "只有企业（申报主体）可以申报绿色低碳资金奖励"))
		return
	}
	in := app.GreenInput{Measure: r.URL.Query().Get("measure"), Year: s.App.Today().Year}
	in.Sector = app.GreenSectorFor(in.Measure)
	s.render(w, r, http.StatusOK, "green_apply", &greenApplyData{In: in, Measures: app.GreenMeasures})
}

// greenForm reads the application form. Served units are one a line:
// "企业,名称,统一社会信用代码" or "园区,名称[,统一社会信用代码]".
func greenForm(r *http.Request) (app.GreenInput, error) {
	in := app.GreenInput{Sector: r.FormValue("sector"), Measure: r.FormValue("measure"), ProjectName: r.FormValue("project_name"), District: r.FormValue("district"),
		EnergySavedTce: app.DecimalArg(strings.TrimSpace(r.FormValue("energy_saved_tce"))), MeasurementReport: r.FormValue("measurement_report"),
		EligibleInvestmentWan:   app.DecimalArg(strings.TrimSpace(r.FormValue("eligible_investment_wan"))),
		FixedAssetInvestmentWan: app.DecimalArg(strings.TrimSpace(r.FormValue("fixed_asset_investment_wan"))),
		LoanAmountWan:           app.DecimalArg(strings.TrimSpace(r.FormValue("loan_amount_wan"))),
		SubsidyRate:             app.DecimalArg(strings.TrimSpace(r.FormValue("subsidy_rate"))),
		InterestPaidWan:         app.DecimalArg(strings.TrimSpace(r.FormValue("interest_paid_wan"))), LoanContract: r.FormValue("loan_contract")}
	year, err := formInt(r, "year")
	in.Year = year
	for _, line := range strings.Split(r.FormValue("served"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.FieldsFunc(line, func(c rune) bool { return c == ',' || c == '，' || c == '\t' })
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		sv := app.GreenServed{Kind: parts[0]}
		switch sv.Kind {
		case "企业":
			sv.Kind = "enterprise"
		case "园区", "工业园区":
			sv.Kind = "park"
		}
		if len(parts) > 1 {
			sv.Name = parts[1]
		}
		if len(parts) > 2 {
			sv.USCC = parts[2]
		}
		in.Served = append(in.Served, sv)
	}
	return in, err
}

func (s *Server) greenApplyPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	in, err := greenForm(r)
	d := &greenApplyData{In: in, Served: r.FormValue("served"), Measures: app.GreenMeasures}
	if err == nil {
		if r.FormValue("do") == "submit" {
			var v *app.GreenApplicationView
			if v, err = s.App.ApplyGreen(r.Context(), u, in); err == nil {
				http.Redirect(w, r, fmt.Sprintf("/green/applications/%d?done=apply", v.ID), http.StatusSeeOther)
				return
			}
		} else {
			d.Preview, err = s.App.PreviewGreen(r.Context(), u, in)
		}
	}
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.EForbidden || c == gengxin.EInternal || c == gengxin.EUnauthorized {
			s.fail(w, r, err)
			return
		}
		// A refusal shows the preview with its reasons.
		if gengxin.ErrorCode(err) == gengxin.ERuleRefused && d.Preview == nil {
			d.Preview, _ = s.App.PreviewGreen(r.Context(), u, in)
		}
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "green_apply", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	s.render(w, r, http.StatusOK, "green_apply", d)
}

type greenApplicationData struct {
	*app.GreenApplicationView
	Bureau bool
	Amount string
	Reason string
}

func (s *Server) showGreenApplication(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, flash string) {
	id, err := greenID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.App.GreenApplication(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &greenApplicationData{GreenApplicationView: v, Bureau: app.IsGreenBureau(u), Amount: r.FormValue("amount_wan"), Reason: r.FormValue("reason")}
	if d.Amount == "" {
		d.Amount = v.CapWan
	}
	pv := &view{D: d, Title: v.ProjectName, Active: "green_home", Flash: flash}
	if perr != nil {
		pv.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "green_application", pv)
}

// greenDoneFlash is the flash after each step on an application.
var greenDoneFlash = map[string]string{"apply": "已提交申报，等待市经济和信息化局审核", "approve": "已核定奖励并制发核定通知书", "refuse": "已作出不予奖励决定"}

func (s *Server) greenApplicationPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.showGreenApplication(w, r, u, http.StatusOK, nil, greenDoneFlash[r.URL.Query().Get("done")])
}

func (s *Server) greenDecidePost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := greenID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "refuse"
	if strings.HasSuffix(r.URL.Path, "/approve") {
		done = "approve"
		_, err = s.App.ApproveGreen(r.Context(), u, id, r.FormValue("amount_wan"))
	} else {
		_, err = s.App.RefuseGreen(r.Context(), u, id, r.FormValue("reason"))
	}
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		s.showGreenApplication(w, r, u, statusOf(gengxin.ErrorCode(err)), err, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/green/applications/%d?done=%s", id, done), http.StatusSeeOther)
}

type greenListRow struct {
	store.GreenListEntry
	KindLabel string
	InForce   bool
}

type greenListsData struct {
	Kind   string
	Kinds  []app.GreenListKind
	Items  []greenListRow
	Report *app.GreenListReport
}

func (s *Server) greenLists(r *http.Request, u *gengxin.User, d *greenListsData) error {
	items, err := s.App.GreenList(r.Context(), u, d.Kind)
	if err != nil {
		return err
	}
	today := s.App.Today()
	for _, e := range items {
		d.Items = append(d.Items, greenListRow{GreenListEntry: e, KindLabel: app.GreenListKindLabel(e.Kind),
			InForce: !e.ListedOn.After(today) && (e.DelistedOn.IsZero() || today.Before(e.DelistedOn))})
	}
	return nil
}

func (s *Server) greenListsPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	d := &greenListsData{Kind: r.URL.Query().Get("kind"), Kinds: app.GreenListKinds}
	if err := s.greenLists(r, u, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "green_lists", d)
}

func (s *Server) greenListsPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	rep, err := s.readGreenList(r, u)
	if c := gengxin.ErrorCode(err); c == gengxin.EForbidden || c == gengxin.EInternal {
		s.fail(w, r, err)
		return
	}
	d := &greenListsData{Kinds: app.GreenListKinds, Report: rep}
	v := &view{D: d}
	status := http.StatusOK
	if err != nil {
		v.Err, status = s.publicError(r, err), statusOf(gengxin.ErrorCode(err))
	} else {
		v.Flash = fmt.Sprintf("导入完成：新增%d条，更新%d条，错误%d处", rep.Created, rep.Updated, len(rep.Errors))
	}
	if err := s.greenLists(r, u, d); err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderView(w, r, status, "green_lists", v)
}

type greenSummaryData struct {
	Year   int
	Rows   []app.GreenSummaryRow
	Export string
}

func (s *Server) greenSummaryPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	year, err := queryYear(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.App.GreenSummary(r.Context(), u, year)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	exp := "/green/summary.xlsx"
	if year != 0 {
		exp += "?year=" + strconv.Itoa(year)
	}
	s.render(w, r, http.StatusOK, "green_summary", &greenSummaryData{Year: year, Rows: rows, Export: exp})
}

type greenAwardsData struct {
	Filter   store.GreenFilter
	Items    []app.PublicGreenAward
	Measures []app.GreenMeasure
}

func (s *Server) greenAwardsPage(w http.ResponseWriter, r *http.Request) {
	items, f, err := s.greenAwards(r)
	d := &greenAwardsData{Filter: f, Items: items, Measures: app.GreenMeasures}
	v := s.publicView(r, d)
	v.Active = "green_awards"
	status := http.StatusOK
	if err != nil {
		if gengxin.ErrorCode(err) != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		v.Err, status = s.publicError(r, err), http.StatusBadRequest
	}
	s.renderView(w, r, status, "green_awards", v)
}
