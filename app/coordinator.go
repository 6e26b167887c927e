package app

// Coordinator entities (统筹主体) of 京建法〔2024〕1号 (issue 5, part 2): the
// district government delineates implementation units (实施单元, 第二条) and
// sets their basic conditions (第五条), chooses the method (第六条), the
// district renewal authority announces an open selection on the portal
// (第七条第一款), companies apply online, the district records the experts'
// and departments' scores and decides, the result is published for at least
// 7 calendar days (第七条第三款, RULES CE-02; never for 涉密/紧急救援 units),
// and only then confirms the coordinator with a numbered, verifiable
// 确认文件 (第八条) that grants functions and a term (第十一条第二款, CE-03).
// Extensions (CE-04), cancellation (第十二条, CE-05/CE-08), the benefit
// agreement of a coordinator acting as 实施主体 (第九条, CE-06) and the
// paperless lookup for departments (第十一条第一款, CE-07) complete it.
// Every step runs in one transaction with its audit event.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/document"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/uscc"
)

// SourceCoordinatorSelection is the SourceKind of the coordinator
// announcements and publicity on the portal.
const SourceCoordinatorSelection = "coordinator_selection"

// Selection statuses.
const (
	SelMethodChosen = "method_chosen" // 已确定方式（公开比选待发布公告；指定等待决策）
	SelAnnounced    = "announced"     // 已发布比选公告（申报、综合评估）
	SelDecided      = "decided"       // 已确定统筹主体（公示中或无需公示），待确认
	SelConfirmed    = "confirmed"     // 已制发确认文件
)

// Coordinator statuses.
const (
	CoordActive    = "active"    // 有效
	CoordCancelled = "cancelled" // 已取消（第十二条）
)

// SelectionStatusLabel names a selection status in Chinese.
func SelectionStatusLabel(s string) string {
	return map[string]string{SelMethodChosen: "已确定方式", SelAnnounced: "比选公告中", SelDecided: "已确定人选，待确认", SelConfirmed: "已确认"}[s]
}

// CoordinatorFunctions are the functions of 第八条 a 确认文件 may grant,
// numbered 1–5 as (一)–(五).
var CoordinatorFunctions = []string{
	"(一) 推动达成区域更新意愿", "(二) 整合市场资源", "(三) 推动项目统筹组合", "(四) 推进更新项目实施", "(五) 其他经市、区政府明确的事项",
}

// Cancellation grounds of 第十二条, numbered 1–3.
var CoordinatorCancelGrounds = []string{
	"(一) 因规划调整、政策变化等原因导致项目无法实施",
	"(二) 统筹主体自愿退出，或有效期届满未申请延期",
	"(三) 违反法律法规或未履行职责，损害国家、社会公共利益或第三人合法权益，发生安全、质量事故或群访群诉等",
}

var jf1 = rules.JianFa1.Cite

// ---- inputs and views ----

// UnitInput delineates an implementation unit (第二条) and may set its
// basic conditions (第五条). Sensitive is "" or 涉密 / 紧急救援 (第六条第三款).
type UnitInput struct {
	Name       string `json:"name"`
	Scope      string `json:"scope"`
	Basis      string `json:"basis"`
	Projects   string `json:"projects"`
	Conditions string `json:"conditions"`
	Sensitive  string `json:"sensitive"`
}

// Criterion is one announced scoring criterion with its maximum score.
type Criterion struct {
	Name string `json:"name"`
	Max  string `json:"max"`
}

// CoordinatorInput is the body of every step on a unit; each step reads
// the fields it needs (see CoordinatorAct).
type CoordinatorInput struct {
	Conditions     string            `json:"conditions,omitempty"`
	Method         string            `json:"method,omitempty"`
	Basis          string            `json:"basis,omitempty"`
	Criteria       []Criterion       `json:"criteria,omitempty"`
	ApplyUntil     string            `json:"apply_until,omitempty"`
	Text           string            `json:"text,omitempty"`
	Statement      string            `json:"statement,omitempty"`
	ApplicationID  int64             `json:"application_id,omitempty"`
	Scorer         string            `json:"scorer,omitempty"`
	ScorerKind     string            `json:"scorer_kind,omitempty"`
	Scores         map[string]string `json:"scores,omitempty"`
	Name           string            `json:"name,omitempty"`
	USCC           string            `json:"uscc,omitempty"`
	Record         string            `json:"record,omitempty"`
	Functions      []int             `json:"functions,omitempty"`
	OtherFunction  string            `json:"other_function,omitempty"`
	TermYears      int               `json:"term_years,omitempty"`
	Justification  string            `json:"justification,omitempty"`
	Approver       string            `json:"approver,omitempty"`
	Months         int               `json:"months,omitempty"`
	AppliedOn      string            `json:"applied_on,omitempty"`
	Ground         int               `json:"ground,omitempty"`
	Reason         string            `json:"reason,omitempty"`
	Evaluation     string            `json:"evaluation,omitempty"`
	LiquidationWan string            `json:"liquidation_wan,omitempty"`
	SignedOn       string            `json:"signed_on,omitempty"`
}

// Extension is one extension of a coordinator's term (第十一条第二款).
type Extension struct {
	AppliedOn     calendar.Date `json:"applied_on"`
	Months        int           `json:"months"`
	OldEnd        calendar.Date `json:"old_end"`
	NewEnd        calendar.Date `json:"new_end"`
	Justification string        `json:"justification,omitempty"`
	Approver      string        `json:"approver,omitempty"`
	RecordedOn    calendar.Date `json:"recorded_on"`
	RecordedBy    string        `json:"recorded_by"`
}

// CoordinatorView is a coordinator with its functions and extensions decoded.
type CoordinatorView struct {
	*store.Coordinator
	UnitName      string            `json:"unit_name"`
	FunctionNos   []int             `json:"functions"`
	FunctionNames []string          `json:"function_labels"`
	ExtensionList []Extension       `json:"extensions"`
	StatusLabel   string            `json:"status_label"`
	Expired       bool              `json:"expired"`
	Request       *ExtensionRequest `json:"extension_request,omitempty"`
}

// ExtensionRequest is a coordinator's pending request for an extension
// (第十一条第二款 "有效期满后可以申请延期"; accepted from 60 days before the
// last day until 30 days after, RULES I-33, DECISIONS D15).
type ExtensionRequest struct {
	AppliedOn calendar.Date `json:"applied_on"`
	Months    int           `json:"months"`
	Reason    string        `json:"reason"`
	By        string        `json:"by"`
}

// ApplicationView is an application with its scores and mean total.
type ApplicationView struct {
	*store.SelectionApplication
	Files  []store.ApplicationFile `json:"files"` // materials (第七条第一款)
	Scores []*store.SelectionScore `json:"scores"`
	Total  string                  `json:"total,omitempty"` // mean over scorers of each scorer's sum
}

// SelectionView is a selection with its criteria, applications and
// portal publications.
type SelectionView struct {
	*store.Selection
	StatusLabel  string             `json:"status_label"`
	CriteriaList []Criterion        `json:"criteria"`
	Applications []*ApplicationView `json:"applications"`
	Publications []*PublicationView `json:"publications"`
	Confirmable  bool               `json:"confirmable"`
}

// UnitView is a unit as u may see it.
type UnitView struct {
	*store.ImplUnit
	Selections   []*SelectionView   `json:"selections"`
	Coordinators []*CoordinatorView `json:"coordinators"`
	Current      *SelectionView     `json:"-"`
	Active       *CoordinatorView   `json:"-"`
	Gov          bool               `json:"-"` // u is the unit's district government
	Renewal      bool               `json:"-"` // u is the unit's district renewal authority
	Applicant    bool               `json:"-"`
	Applied      bool               `json:"-"`
}

// ---- authorization ----

// The sane bounds of a term and an extension as entered: beyond them the
// input is a typing error, not a soft finding (the rule itself asks ≤3 years
// and ≤12 months "原则上").
const (
	MaxCoordinatorTermYears       = 10
	MaxCoordinatorExtensionMonths = 60
)

func isSensitive(m string) bool { return m == rules.MethodClassified || m == rules.MethodEmergency }

// seeUnit decides whether u may read unit un: the unit's district officers
// and the municipal housing commission; applicants only units that are not
// 涉密/紧急 (their announcements are public anyway). Another district's
// officer and an applicant shown a sensitive unit get ENotFound; roles with
// no part in the procedure EForbidden.
func seeUnit(u *gengxin.User, un *store.ImplUnit) error {
	if u == nil {
		return gengxin.Errorf(gengxin.EUnauthorized, "请先登录")
	}
	switch u.Role {
	case gengxin.RoleDistrictGov, gengxin.RoleDistrictRenewal, gengxin.RoleDistrictDept:
		if u.District == un.District {
			return nil
		}
		return gengxin.Errorf(gengxin.ENotFound, "实施单元不存在或无权查看")
	case gengxin.RoleMunicipalHousing:
		return nil
	case gengxin.RoleApplicant:
		if un.Sensitive == "" {
			return nil
		}
		return gengxin.Errorf(gengxin.ENotFound, "实施单元不存在或无权查看")
	}
	return gengxin.Errorf(gengxin.EForbidden, "「%s」无权查看统筹主体确定事项", u.Role.Label())
}

// needRole checks that u holds one of roles in the unit's district
// (ENotFound for another district, EForbidden for another role).
func needRole(u *gengxin.User, un *store.ImplUnit, what string, roles ...gengxin.Role) error {
	if err := seeUnit(u, un); err != nil {
		return err
	}
	if !slices.Contains(roles, u.Role) {
		var names []string
		for _, r := range roles {
			names = append(names, r.Label())
		}
		return gengxin.Errorf(gengxin.EForbidden, "「%s」无权%s，应由%s办理", u.Role.Label(), what, strings.Join(names, "或"))
	}
	return nil
}

// ---- reads ----

func coordView(c *store.Coordinator, unitName string, today calendar.Date) *CoordinatorView {
	v := &CoordinatorView{Coordinator: c, UnitName: unitName, ExtensionList: []Extension{}}
	for _, s := range strings.Split(c.Functions, ",") {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 5 {
			v.FunctionNos = append(v.FunctionNos, n)
			name := CoordinatorFunctions[n-1]
			if n == 5 && c.OtherFunction != "" {
				name += "：" + c.OtherFunction
			}
			v.FunctionNames = append(v.FunctionNames, name)
		}
	}
	json.Unmarshal([]byte(c.Extensions), &v.ExtensionList)
	if c.ExtensionRequest != "" {
		v.Request = &ExtensionRequest{}
		json.Unmarshal([]byte(c.ExtensionRequest), v.Request)
	}
	v.Expired = c.Status == CoordActive && today.After(c.TermEnd)
	switch {
	case c.Status == CoordCancelled:
		v.StatusLabel = "已取消"
	case v.Expired:
		v.StatusLabel = "有效期已届满（未延期）"
	default:
		v.StatusLabel = "有效"
	}
	return v
}

// UnitsFor lists the units u may see: a district's officers those of the
// district, the municipal housing commission all (municipal departments
// none: they use LookupCoordinators), an applicant those with
// an open selection announced and those it applied to or coordinates.
func (a *App) UnitsFor(ctx context.Context, u *gengxin.User) ([]*UnitView, error) {
	if u == nil {
		return nil, gengxin.Errorf(gengxin.EUnauthorized, "请先登录")
	}
	district := ""
	switch u.Role {
	case gengxin.RoleDistrictGov, gengxin.RoleDistrictRenewal, gengxin.RoleDistrictDept:
		district = u.District
	case gengxin.RoleMunicipalHousing, gengxin.RoleApplicant:
	case gengxin.RoleMunicipalDept:
		return []*UnitView{}, nil // departments use the lookup (第十一条第一款)
	default:
		return nil, gengxin.Errorf(gengxin.EForbidden, "「%s」无权查看统筹主体确定事项", u.Role.Label())
	}
	units, err := a.DB.Read(ctx).Units(district)
	if err != nil {
		return nil, err
	}
	out := []*UnitView{}
	for _, un := range units {
		if seeUnit(u, un) != nil && !ownsUnit(a.DB.Read(ctx), u, un) {
			continue
		}
		v, err := a.unitView(ctx, u, un)
		if gengxin.ErrorCode(err) == gengxin.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Role == gengxin.RoleApplicant && !v.Applied && (v.Current == nil || v.Current.Status != SelAnnounced) &&
			(v.Active == nil || v.Active.OrgID != u.OrgID) {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

// Unit returns unit id as u may see it (see seeUnit for the errors).
func (a *App) Unit(ctx context.Context, u *gengxin.User, id int64) (*UnitView, error) {
	rd := a.DB.Read(ctx)
	un, err := rd.Unit(id)
	if err != nil {
		return nil, err
	}
	if err := seeUnit(u, un); err != nil && !ownsUnit(rd, u, un) {
		return nil, err
	}
	return a.unitView(ctx, u, un)
}

type coordinatorReader interface {
	CoordinatorsOfUnit(unit int64) ([]*store.Coordinator, error)
}

// ownsUnit reports whether u is the company of the unit's active
// coordinator: it sees and acts on its unit even when the unit is 涉密 or
// 紧急救援 (its 确认文件, extension requests, agreement).
func ownsUnit(rd coordinatorReader, u *gengxin.User, un *store.ImplUnit) bool {
	if u == nil || u.Role != gengxin.RoleApplicant || u.OrgID == 0 {
		return false
	}
	cs, err := rd.CoordinatorsOfUnit(un.ID)
	if err != nil {
		return false
	}
	for _, c := range cs {
		if c.Status == CoordActive && c.OrgID == u.OrgID {
			return true
		}
	}
	return false
}

func (a *App) unitView(ctx context.Context, u *gengxin.User, un *store.ImplUnit) (*UnitView, error) {
	rd := a.DB.Read(ctx)
	today := a.Today()
	v := &UnitView{ImplUnit: un, Selections: []*SelectionView{}, Coordinators: []*CoordinatorView{},
		Gov: u.Role == gengxin.RoleDistrictGov && u.District == un.District, Renewal: u.Role == gengxin.RoleDistrictRenewal && u.District == un.District,
		Applicant: u.Role == gengxin.RoleApplicant}
	sels, err := rd.Selections(un.ID)
	if err != nil {
		return nil, err
	}
	officer := u.Role != gengxin.RoleApplicant
	announced := false
	for _, s := range sels {
		if !officer {
			// The district's working records are not the companies'.
			s.MethodBasis, s.DecisionRecord = "", ""
		}
		announced = announced || s.AnnouncementID != 0
		sv := &SelectionView{Selection: s, StatusLabel: SelectionStatusLabel(s.Status), CriteriaList: []Criterion{}, Applications: []*ApplicationView{}}
		json.Unmarshal([]byte(s.Criteria), &sv.CriteriaList)
		apps, err := rd.SelectionApplications(s.ID)
		if err != nil {
			return nil, err
		}
		files, err := rd.ApplicationFiles(s.ID)
		if err != nil {
			return nil, err
		}
		var scores []*store.SelectionScore
		if officer {
			if scores, err = rd.SelectionScores(s.ID); err != nil {
				return nil, err
			}
		}
		for _, ap := range apps {
			if !officer && ap.OrgID != u.OrgID {
				continue
			}
			if !officer {
				v.Applied = true
			}
			av := &ApplicationView{SelectionApplication: ap, Files: files[ap.ID], Scores: []*store.SelectionScore{}}
			if av.Files == nil {
				av.Files = []store.ApplicationFile{}
			}
			for _, sc := range scores {
				if sc.ApplicationID == ap.ID {
					av.Scores = append(av.Scores, sc)
				}
			}
			av.Total = meanTotal(av.Scores)
			sv.Applications = append(sv.Applications, av)
		}
		if sv.Publications, err = a.PublicationsOf(ctx, SourceCoordinatorSelection, s.ID); err != nil {
			return nil, err
		}
		sv.Confirmable = s.Status == SelDecided && (s.PublicityEnd.IsZero() || today.After(s.PublicityEnd))
		v.Selections = append(v.Selections, sv)
		if v.Current == nil && s.Status != SelConfirmed {
			v.Current = sv
		}
	}
	cs, err := rd.CoordinatorsOfUnit(un.ID)
	if err != nil {
		return nil, err
	}
	own := false
	for _, c := range cs {
		if !officer && c.OrgID != u.OrgID {
			// Another company's agreement, cancellation and costs are not public.
			c.Agreement, c.AgreementOn, c.CancelReason, c.CancelEvaluation, c.LiquidationWan = "", calendar.Date{}, "", "", ""
		}
		own = own || (!officer && c.OrgID == u.OrgID)
	}
	if !officer && !announced && !v.Applied && !own {
		// A company sees units with an announced open selection, and the
		// ones it applied to or coordinates; a designated unit is not its business.
		return nil, gengxin.Errorf(gengxin.ENotFound, "实施单元不存在或无权查看")
	}
	for _, c := range cs {
		cv := coordView(c, un.Name, today)
		v.Coordinators = append(v.Coordinators, cv)
		if v.Active == nil && c.Status == CoordActive {
			v.Active = cv
		}
	}
	return v, nil
}

// meanTotal is the mean over scorers of each scorer's sum, "" without scores.
func meanTotal(scores []*store.SelectionScore) string {
	sums := map[string]rules.Decimal{}
	for _, s := range scores {
		d, err := rules.ParseDecimal(s.Score)
		if err != nil {
			continue
		}
		if cur, ok := sums[s.Scorer]; ok {
			sums[s.Scorer] = cur.Add(d)
		} else {
			sums[s.Scorer] = d
		}
	}
	if len(sums) == 0 {
		return ""
	}
	total := rules.DecimalFromInt(0)
	for _, d := range sums {
		total = total.Add(d)
	}
	m, err := total.Quo(rules.DecimalFromInt(int64(len(sums))))
	if err != nil {
		return ""
	}
	return m.String()
}

// ---- steps ----

// clean trims s and reports whether it is neither empty nor longer than
// max characters.
func clean(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	return s, s != "" && utf8.RuneCountInString(s) <= max
}

func ruleRefusal(rule, citation, msg string) error {
	return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: rule, Citation: citation, Message: msg}
}

// CreateUnit delineates an implementation unit in u's district (第二条),
// with its basic conditions when given (第五条). Only a district government
// (district_gov) may (EForbidden otherwise); EInvalid for bad fields.
func (a *App) CreateUnit(ctx context.Context, u *gengxin.User, in UnitInput) (*UnitView, error) {
	if u == nil || u.Role != gengxin.RoleDistrictGov {
		return nil, gengxin.Errorf(gengxin.EForbidden, "实施单元由区人民政府划定（京建法〔2024〕1号 第二条）")
	}
	var bad []gengxin.ErrorDetail
	var ok bool
	if in.Name, ok = clean(in.Name, 100); !ok {
		bad = append(bad, gengxin.ErrorDetail{Field: "name", Message: "实施单元名称不能为空且不超过100字"})
	}
	if in.Scope, ok = clean(in.Scope, 2000); !ok {
		bad = append(bad, gengxin.ErrorDetail{Field: "scope", Message: "请填写实施单元范围（四至、面积等，不超过2000字）"})
	}
	if in.Basis, ok = clean(in.Basis, 1000); !ok {
		bad = append(bad, gengxin.ErrorDetail{Field: "basis", Message: "请填写划定依据（控制性详细规划、专项规划，第二条）"})
	}
	in.Projects, in.Conditions = strings.TrimSpace(in.Projects), strings.TrimSpace(in.Conditions)
	if utf8.RuneCountInString(in.Projects) > 2000 || utf8.RuneCountInString(in.Conditions) > 5000 {
		bad = append(bad, gengxin.ErrorDetail{Field: "conditions", Message: "所含项目不超过2000字，基本条件不超过5000字"})
	}
	if in.Sensitive != "" && !isSensitive(in.Sensitive) {
		bad = append(bad, gengxin.ErrorDetail{Field: "sensitive", Message: "特殊情形应为空、涉密或紧急救援（第六条第三款）"})
	}
	if len(bad) > 0 {
		return nil, &gengxin.Error{Code: gengxin.EInvalid, Message: bad[0].Message, Details: bad}
	}
	un := &store.ImplUnit{District: u.District, Name: in.Name, Scope: in.Scope, Basis: in.Basis, Projects: in.Projects,
		Conditions: in.Conditions, Sensitive: in.Sensitive, CreatedOn: a.Today(), CreatedBy: actorName(u)}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertUnit(un); err != nil {
			return err
		}
		return a.userEvent(tx, u, "unit-create", jf1("第二条"), "划定城市更新实施单元「"+un.Name+"」",
			map[string]any{"unit": un.ID, "input": in})
	})
	if err != nil {
		return nil, err
	}
	return a.unitView(ctx, u, un)
}

// CoordinatorSteps are the steps of CoordinatorAct with the roles that may
// take them.
var CoordinatorSteps = map[string][]gengxin.Role{
	"conditions": {gengxin.RoleDistrictGov},
	"method":     {gengxin.RoleDistrictGov},
	"announce":   {gengxin.RoleDistrictRenewal},
	"apply":      {gengxin.RoleApplicant},
	"score":      {gengxin.RoleDistrictGov},
	"decide":     {gengxin.RoleDistrictGov},
	"confirm":    {gengxin.RoleDistrictGov},
	"request":    {gengxin.RoleApplicant},
	"extend":     {gengxin.RoleDistrictGov},
	"refuse":     {gengxin.RoleDistrictGov},
	"cancel":     {gengxin.RoleDistrictGov, gengxin.RoleDistrictRenewal},
	"agreement":  {gengxin.RoleDistrictGov, gengxin.RoleApplicant},
}

var stepLabels = map[string]string{"conditions": "设定统筹主体基本条件", "method": "确定统筹主体确定方式", "announce": "发布公开比选公告",
	"apply": "申报统筹主体", "score": "记录综合评估评分", "decide": "确定统筹主体", "confirm": "制发确认文件", "request": "申请有效期延期", "extend": "办理有效期延期", "refuse": "不予延期",
	"cancel": "取消统筹主体", "agreement": "记录权益分配协议"}

// CoordinatorAct performs step on unit id as u, in one transaction with its
// audit event, and returns the unit. Steps (see CoordinatorSteps for roles):
//
//   - conditions {conditions}: 基本条件 (第五条), before a method is chosen.
//   - method {method, basis}: 公开比选 (default), 指定 or 招标 (basis required
//     for these two); a 涉密/紧急救援 unit takes its own route (第六条).
//   - announce {criteria, apply_until, text}: 公开比选 公告 on the portal
//     from today to apply_until (第七条第一款).
//   - apply {statement}: a company applies while the 公告 is open.
//   - score {application_id, scorer, scorer_kind, scores}: after the
//     application period, per announced criterion (0…max).
//   - decide {application_id | name+uscc, record}: the district decides; the
//     result goes on 公示 for ≥7 calendar days ending on a working day
//     (第七条第三款, DECISIONS D2), except 涉密/紧急救援.
//   - confirm {functions, other_function, term_years, justification,
//     approver}: only after the 公示 ended (422 CE-02 otherwise); issues the
//     确认文件 (第八条); a term over 3 years needs justification and approver (CE-03).
//   - request {months, reason}: the coordinator's own company applies for an
//     extension (CE-04 window: from 60 days before the last day to 30 after).
//   - extend {months, applied_on, justification, approver}: CE-04; without
//     applied_on the pending request's date and months are used.
//   - refuse {reason}: the district refuses the pending extension request.
//   - cancel {ground 1–3, reason, evaluation, liquidation_wan}: 第十二条.
//   - agreement {text, signed_on}: 第九条, by the district or the coordinator.
//
// ENotFound for an unknown step or a unit u may not see; EForbidden for a
// role that may not take the step; EConflict for the wrong state;
// ERuleRefused (422, naming the rule) when the gazette refuses it.
func (a *App) CoordinatorAct(ctx context.Context, u *gengxin.User, id int64, step string, in CoordinatorInput) (*UnitView, error) {
	roles, ok := CoordinatorSteps[step]
	if !ok {
		return nil, gengxin.Errorf(gengxin.ENotFound, "办理事项「%s」不存在", step)
	}
	var un *store.ImplUnit
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if un, err = tx.Unit(id); err != nil {
			return err
		}
		if err := needRole(u, un, stepLabels[step], roles...); err != nil {
			// A 涉密/紧急 unit is hidden from companies, except from its coordinator.
			if gengxin.ErrorCode(err) != gengxin.ENotFound || !ownsUnit(tx, u, un) {
				return err
			}
			if !slices.Contains(roles, u.Role) {
				return gengxin.Errorf(gengxin.EForbidden, "「%s」无权%s", u.Role.Label(), stepLabels[step])
			}
		}
		c := &coordStep{a: a, tx: tx, u: u, un: un, in: in, today: a.Today()}
		if c.sels, err = tx.Selections(un.ID); err != nil {
			return err
		}
		for _, s := range c.sels {
			if s.Status != SelConfirmed {
				c.cur = s
				break
			}
		}
		cs, err := tx.CoordinatorsOfUnit(un.ID)
		if err != nil {
			return err
		}
		for _, co := range cs {
			if co.Status == CoordActive {
				c.active = co
				break
			}
		}
		var summary, cite string
		switch step {
		case "conditions":
			summary, cite, err = c.conditions()
		case "method":
			summary, cite, err = c.method()
		case "announce":
			summary, cite, err = c.announce()
		case "apply":
			summary, cite, err = c.apply()
		case "score":
			summary, cite, err = c.score()
		case "decide":
			summary, cite, err = c.decide()
		case "confirm":
			summary, cite, err = c.confirm()
		case "request":
			summary, cite, err = c.request()
		case "extend":
			summary, cite, err = c.extend()
		case "refuse":
			summary, cite, err = c.refuse()
		case "cancel":
			summary, cite, err = c.cancel()
		case "agreement":
			summary, cite, err = c.agreement()
		}
		if err != nil {
			return err
		}
		return a.userEvent(tx, u, "coordinator-"+step, cite, "「"+un.Name+"」"+summary,
			map[string]any{"unit": un.ID, "step": step, "input": in})
	})
	if err != nil {
		return nil, err
	}
	return a.unitView(ctx, u, un)
}

type coordStep struct {
	a      *App
	tx     *store.Tx
	u      *gengxin.User
	un     *store.ImplUnit
	in     CoordinatorInput
	today  calendar.Date
	sels   []*store.Selection
	cur    *store.Selection // the selection in progress, if any
	active *store.Coordinator
}

func (c *coordStep) conditions() (string, string, error) {
	cond, ok := clean(c.in.Conditions, 5000)
	if !ok {
		return "", "", badField("conditions", "请填写统筹主体基本条件（不超过5000字，第五条）")
	}
	if c.cur != nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "确定程序已开始，基本条件不能再修改")
	}
	c.un.Conditions = cond
	return "设定统筹主体基本条件", jf1("第五条"), c.tx.UpdateUnitConditions(c.un.ID, cond)
}

func (c *coordStep) method() (string, string, error) {
	if c.cur != nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "本实施单元已有进行中的统筹主体确定程序（%s）", SelectionStatusLabel(c.cur.Status))
	}
	if c.active != nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "本实施单元已有有效的统筹主体「%s」；取消后方可重新确定（第十二条）", c.active.Name)
	}
	m := strings.TrimSpace(c.in.Method)
	basis := strings.TrimSpace(c.in.Basis)
	if c.un.Sensitive != "" {
		if m != "" && m != c.un.Sensitive {
			return "", "", ruleRefusal("CE-01", jf1("第六条第三款"), fmt.Sprintf("本实施单元属%s情形，应当按照相关规定明确的方式确定统筹主体，不适用%s", c.un.Sensitive, m))
		}
		m = c.un.Sensitive
	} else {
		if m == "" {
			m = rules.MethodOpenSelection
		}
		switch m {
		case rules.MethodOpenSelection:
		case rules.MethodDesignation, rules.MethodTender:
			if basis == "" {
				what := "指定的理由"
				if m == rules.MethodTender {
					what = "依法必须招标的法律依据"
				}
				return "", "", badField("basis", "请填写"+what+"（第六条）")
			}
		case rules.MethodClassified, rules.MethodEmergency:
			return "", "", badField("method", "涉密、紧急救援情形须在划定实施单元时注明（第六条第三款）")
		default:
			return "", "", badField("method", "确定方式应为公开比选、指定或招标（第六条）")
		}
		if strings.TrimSpace(c.un.Conditions) == "" {
			return "", "", ruleRefusal("CE-01", jf1("第五条"), "请先设定统筹主体基本条件（第五条），再确定方式")
		}
	}
	if utf8.RuneCountInString(basis) > 2000 {
		return "", "", badField("basis", "依据不超过2000字")
	}
	s := &store.Selection{UnitID: c.un.ID, District: c.un.District, Method: m, MethodBasis: basis, Status: SelMethodChosen, Criteria: "[]",
		CreatedOn: c.today, CreatedBy: actorName(c.u)}
	cite := jf1("第六条")
	if m == rules.MethodOpenSelection {
		cite += "第一款"
	}
	return "确定统筹主体确定方式：" + m, cite, c.tx.InsertSelection(s)
}

func (c *coordStep) announce() (string, string, error) {
	s := c.cur
	if s == nil || s.Method != rules.MethodOpenSelection || s.Status != SelMethodChosen {
		return "", "", gengxin.Errorf(gengxin.EConflict, "只有已确定为公开比选、尚未发布公告的程序可以发布比选公告")
	}
	until, err := calendar.ParseDate(strings.TrimSpace(c.in.ApplyUntil))
	if err != nil || !until.After(c.today) {
		return "", "", badField("apply_until", "申报截止日期应为今天之后的日期（YYYY-MM-DD）")
	}
	if len(c.in.Criteria) == 0 || len(c.in.Criteria) > 20 {
		return "", "", badField("criteria", "请列明1至20项评分标准（名称及满分）")
	}
	var lines []string
	seen := map[string]bool{}
	for _, cr := range c.in.Criteria {
		name, ok := clean(cr.Name, 100)
		max, err := rules.ParseDecimal(strings.TrimSpace(cr.Max))
		if !ok || err != nil || max.Sign() <= 0 || seen[name] {
			return "", "", badField("criteria", "评分标准须有不重复的名称（不超过100字）和大于0的满分")
		}
		seen[name] = true
		lines = append(lines, fmt.Sprintf("%d. %s（满分 %s）", len(lines)+1, name, max))
	}
	text := strings.TrimSpace(c.in.Text)
	if utf8.RuneCountInString(text) > 10000 {
		return "", "", badField("text", "公告说明不超过10000字")
	}
	crit, _ := json.Marshal(c.in.Criteria)
	body := fmt.Sprintf("%s拟通过公开比选方式确定城市更新实施单元「%s」的统筹主体，现将有关事项公告如下。\n\n一、实施单元范围：%s\n划定依据：%s\n", c.un.District+"人民政府", c.un.Name, c.un.Scope, c.un.Basis)
	if c.un.Projects != "" {
		body += "所含项目：" + c.un.Projects + "\n"
	}
	body += "\n二、统筹主体基本条件（第五条）：\n" + c.un.Conditions + "\n\n三、评分标准（综合评估）：\n" + strings.Join(lines, "\n") +
		fmt.Sprintf("\n\n四、申报方式：符合条件的企业请于 %s 前（含当日）登录北京市城市更新信息系统在线申报。", until)
	if text != "" {
		body += "\n\n五、其他事项：\n" + text
	}
	pid, err := c.a.publishTx(c.tx, c.u, Publication{Kind: PubAnnouncement, Title: "「" + c.un.Name + "」统筹主体公开比选公告", Body: body,
		District: c.un.District, Issuer: c.un.District + "城市更新主管部门", SourceKind: SourceCoordinatorSelection, SourceID: s.ID,
		StartsOn: c.today, EndsOn: until, Citation: jf1("第七条第一款"), PeriodNote: "申报期由公告确定"})
	if err != nil {
		return "", "", err
	}
	s.Criteria, s.ApplyUntil, s.AnnouncementID, s.Status = string(crit), until, pid, SelAnnounced
	return fmt.Sprintf("发布统筹主体公开比选公告，申报截止 %s", until), jf1("第七条第一款"), c.tx.UpdateSelection(s, SelMethodChosen)
}

func (c *coordStep) apply() (string, string, error) {
	s := c.cur
	if s == nil || s.Status != SelAnnounced {
		return "", "", gengxin.Errorf(gengxin.EConflict, "本实施单元当前没有接受申报的公开比选公告")
	}
	if c.today.After(s.ApplyUntil) {
		return "", "", gengxin.Errorf(gengxin.EConflict, "申报已于 %s 截止", s.ApplyUntil)
	}
	if c.u.OrgID == 0 || uscc.Validate(c.u.OrgUSCC) != nil {
		return "", "", gengxin.Errorf(gengxin.EForbidden, "账户未关联有效统一社会信用代码的企业，不能申报")
	}
	st, ok := clean(c.in.Statement, 5000)
	if !ok {
		return "", "", badField("statement", "请填写申报说明（满足基本条件的情况、统筹方案要点，不超过5000字）")
	}
	ap := &store.SelectionApplication{SelectionID: s.ID, OrgID: c.u.OrgID, OrgName: c.u.OrgName, USCC: c.u.OrgUSCC, Statement: st, AppliedOn: c.today}
	if err := c.tx.InsertSelectionApplication(ap); err != nil {
		if gengxin.ErrorCode(err) == gengxin.EConflict {
			return "", "", gengxin.Errorf(gengxin.EConflict, "本单位已申报，不能重复申报")
		}
		return "", "", err
	}
	return c.u.OrgName + "（" + c.u.OrgUSCC + "）申报统筹主体", jf1("第七条第一款"), nil
}

func (c *coordStep) score() (string, string, error) {
	s := c.cur
	if s == nil || s.Status != SelAnnounced {
		return "", "", gengxin.Errorf(gengxin.EConflict, "本实施单元当前没有待综合评估的公开比选")
	}
	if !c.today.After(s.ApplyUntil) {
		return "", "", gengxin.Errorf(gengxin.EConflict, "申报期至 %s 结束，结束后方可综合评估", s.ApplyUntil)
	}
	apps, err := c.tx.SelectionApplications(s.ID)
	if err != nil {
		return "", "", err
	}
	var ap *store.SelectionApplication
	for _, x := range apps {
		if x.ID == c.in.ApplicationID {
			ap = x
		}
	}
	if ap == nil {
		return "", "", badField("application_id", "申报不存在")
	}
	scorer, ok := clean(c.in.Scorer, 50)
	if !ok {
		return "", "", badField("scorer", "请填写评分人（专家姓名或部门名称）")
	}
	if c.in.ScorerKind != "专家" && c.in.ScorerKind != "部门" {
		return "", "", badField("scorer_kind", "评分人类别应为专家或部门（第七条第一款）")
	}
	var crit []Criterion
	json.Unmarshal([]byte(s.Criteria), &crit)
	if len(c.in.Scores) == 0 {
		return "", "", badField("scores", "请按公告的评分标准逐项评分")
	}
	for name, v := range c.in.Scores {
		i := slices.IndexFunc(crit, func(x Criterion) bool { return x.Name == name })
		if i < 0 {
			return "", "", badField("scores", "评分标准「"+name+"」不在公告中")
		}
		d, err := rules.ParseDecimal(strings.TrimSpace(v))
		if err != nil || d.Sign() < 0 || d.Cmp(rules.MustDecimal(crit[i].Max)) > 0 {
			return "", "", badField("scores", fmt.Sprintf("「%s」的评分应在0至%s之间", name, crit[i].Max))
		}
		if err := c.tx.UpsertScore(&store.SelectionScore{ApplicationID: ap.ID, Scorer: scorer, ScorerKind: c.in.ScorerKind, Criterion: name,
			Score: d.String(), RecordedOn: c.today, RecordedBy: actorName(c.u)}); err != nil {
			return "", "", err
		}
	}
	return fmt.Sprintf("记录%s「%s」对%s的评分", c.in.ScorerKind, scorer, ap.OrgName), jf1("第七条第一款"), nil
}

func (c *coordStep) decide() (string, string, error) {
	s := c.cur
	if s == nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "请先确定统筹主体确定方式（第六条）")
	}
	record, ok := clean(c.in.Record, 5000)
	if !ok {
		return "", "", badField("record", "请填写决策记录（区政府常务会议等集体决策的会议名称、日期、纪要编号，第七条第二款）")
	}
	from := s.Status
	cite := jf1("第七条第二款")
	switch {
	case s.Method == rules.MethodOpenSelection:
		if s.Status != SelAnnounced || !c.today.After(s.ApplyUntil) {
			return "", "", gengxin.Errorf(gengxin.EConflict, "公开比选须在申报期结束并完成综合评估后确定统筹主体")
		}
		apps, err := c.tx.SelectionApplications(s.ID)
		if err != nil {
			return "", "", err
		}
		i := slices.IndexFunc(apps, func(x *store.SelectionApplication) bool { return x.ID == c.in.ApplicationID })
		if i < 0 {
			return "", "", badField("application_id", "请选择一个申报企业")
		}
		scores, err := c.tx.SelectionScores(s.ID)
		if err != nil {
			return "", "", err
		}
		if !slices.ContainsFunc(scores, func(x *store.SelectionScore) bool { return x.ApplicationID == apps[i].ID }) {
			return "", "", ruleRefusal("CE-01", jf1("第七条第一款"), "该申报尚无专家或部门的综合评估评分，不能确定为统筹主体")
		}
		s.ChosenName, s.ChosenUSCC, s.ChosenOrgID, s.ChosenApplicationID = apps[i].OrgName, apps[i].USCC, apps[i].OrgID, apps[i].ID
		cite = jf1("第七条第一款")
	default:
		if s.Status != SelMethodChosen {
			return "", "", gengxin.Errorf(gengxin.EConflict, "统筹主体已确定")
		}
		name, ok := clean(c.in.Name, 100)
		if !ok {
			return "", "", badField("name", "请填写统筹主体名称")
		}
		code := uscc.Normalize(c.in.USCC)
		if err := uscc.Validate(code); err != nil {
			return "", "", badField("uscc", "统一社会信用代码无效："+err.Error())
		}
		s.ChosenName, s.ChosenUSCC = name, code
		if id, err := c.tx.OrgIDByUSCC(code); err == nil {
			s.ChosenOrgID = id
		}
		if isSensitive(s.Method) {
			cite = jf1("第六条第三款")
		}
	}
	s.DecisionRecord, s.DecidedOn, s.Status = record, c.today, SelDecided
	summary := fmt.Sprintf("确定统筹主体：%s（%s，%s）", s.ChosenName, s.ChosenUSCC, s.Method)
	end, f := rules.CoordinatorPublicity(c.a.Calendar(), s.Method, c.today, c.today)
	switch f.Outcome {
	case rules.NotApplicable:
		summary += "；属第六条第三款情形，不予公示"
	case rules.Applies:
		note := ""
		if end != c.today.AddDays(rules.CoordinatorPublicityDays.Int()) {
			note = "第7日为法定休假日或休息日，顺延至其后第一个工作日（民法典第二百零三条，DECISIONS D2）"
		}
		body := fmt.Sprintf("经%s决定，拟确定 %s（统一社会信用代码 %s）为城市更新实施单元「%s」的统筹主体（确定方式：%s）。\n\n实施单元范围：%s\n\n本公示于 %s 发布，公示期自次日起算不少于7日，至 %s 止。公示期间，如有意见，可在本页提出，%s城市更新主管部门将及时予以反馈。",
			c.un.District+"人民政府", s.ChosenName, s.ChosenUSCC, c.un.Name, s.Method, c.un.Scope, c.today, end, c.un.District)
		pid, err := c.a.publishTx(c.tx, c.u, Publication{Kind: PubPublicity, Title: "「" + c.un.Name + "」统筹主体确定结果公示", Body: body,
			District: c.un.District, Issuer: c.un.District + "人民政府", SourceKind: SourceCoordinatorSelection, SourceID: s.ID,
			StartsOn: c.today, EndsOn: end, Citation: f.Citation, PeriodNote: note})
		if err != nil {
			return "", "", err
		}
		s.PublicityID, s.PublicityStart, s.PublicityEnd = pid, c.today, end
		summary += fmt.Sprintf("；公示至 %s", end)
	default:
		return "", "", ruleRefusal(f.Rule, f.Citation, f.Message)
	}
	if err := c.notifyOrg(s.ChosenOrgID, "统筹主体确定结果", fmt.Sprintf("你单位已被确定为城市更新实施单元「%s」的统筹主体（%s）。%s", c.un.Name, s.Method,
		map[bool]string{true: fmt.Sprintf("确定结果公示至 %s，公示期满后制发确认文件。", s.PublicityEnd), false: "将制发确认文件。"}[!s.PublicityEnd.IsZero()]), cite); err != nil {
		return "", "", err
	}
	return summary, cite, c.tx.UpdateSelection(s, from)
}

// notifyOrg puts a message in the inbox of company org (none when 0).
func (c *coordStep) notifyOrg(org int64, title, body, cite string) error {
	if org == 0 {
		return nil
	}
	return c.tx.InsertNotification(&gengxin.Notification{OrgID: org, Title: title, Body: body, Citation: cite, At: c.a.now()})
}

func (c *coordStep) confirm() (string, string, error) {
	s := c.cur
	if s == nil || s.Status != SelDecided {
		return "", "", gengxin.Errorf(gengxin.EConflict, "尚未确定统筹主体，不能制发确认文件")
	}
	if !s.PublicityEnd.IsZero() && !c.today.After(s.PublicityEnd) {
		return "", "", ruleRefusal("CE-02", jf1("第七条第三款"), fmt.Sprintf(
			"统筹主体确定结果公示期至 %s 结束（不少于7日），公示期满后方可制发确认文件", s.PublicityEnd))
	}
	fs := slices.Clone(c.in.Functions)
	slices.Sort(fs)
	fs = slices.Compact(fs)
	if len(fs) == 0 || fs[0] < 1 || fs[len(fs)-1] > 5 {
		return "", "", badField("functions", "请从第八条(一)至(五)中选择赋予的职能")
	}
	other := strings.TrimSpace(c.in.OtherFunction)
	if slices.Contains(fs, 5) && other == "" {
		return "", "", badField("other_function", "选择第八条(五)的，请写明经市、区政府明确的具体事项")
	}
	if c.in.TermYears < 1 || c.in.TermYears > MaxCoordinatorTermYears {
		return "", "", badField("term_years", fmt.Sprintf("有效期应为 1 至 %d 年的整数（原则上不超过3年，第十一条第二款）", MaxCoordinatorTermYears))
	}
	end, f := rules.CoordinatorTerm(c.today, c.in.TermYears, c.today)
	note := ""
	switch f.Outcome {
	case rules.Pass:
	case rules.Warn:
		just, approver := strings.TrimSpace(c.in.Justification), strings.TrimSpace(c.in.Approver)
		if just == "" || approver == "" {
			return "", "", ruleRefusal(f.Rule, f.Citation, f.Message+"；请填写理由（justification）和审批人（approver）")
		}
		note = fmt.Sprintf("超过3年的理由：%s（审批人：%s）", just, approver)
	default:
		return "", "", ruleRefusal(f.Rule, f.Citation, f.Message)
	}
	var nos []string
	for _, n := range fs {
		nos = append(nos, strconv.Itoa(n))
	}
	d, _ := gengxin.LookupDistrict(c.un.District)
	n, err := c.tx.NextCounter(fmt.Sprintf("coordinator-confirm:%s:%d", d.Code, c.today.Year))
	if err != nil {
		return "", "", err
	}
	co := &store.Coordinator{UnitID: c.un.ID, SelectionID: s.ID, District: c.un.District, Name: s.ChosenName, USCC: s.ChosenUSCC, OrgID: s.ChosenOrgID,
		Functions: strings.Join(nos, ","), OtherFunction: other, TermYears: c.in.TermYears, TermNote: note, ConfirmedOn: c.today, TermEnd: end,
		DocNo: fmt.Sprintf("%s统筹确〔%d〕%d号", d.Abbr, c.today.Year, n), DocCode: verifyCode(), Extensions: "[]", Status: CoordActive}
	if err := c.tx.InsertCoordinator(co); err != nil {
		return "", "", err
	}
	if err := c.tx.InsertDocument(&gengxin.IssuedDocument{Code: co.DocCode, Kind: "统筹主体确认文件", Number: co.DocNo, Project: c.un.Name,
		District: c.un.District, Issuer: c.un.District + "人民政府", IssuedOn: c.today}); err != nil {
		return "", "", err
	}
	from := s.Status
	s.Status = SelConfirmed
	if err := c.tx.UpdateSelection(s, from); err != nil {
		return "", "", err
	}
	if err := c.notifyOrg(co.OrgID, "统筹主体确认文件", fmt.Sprintf("%s已制发「%s」统筹主体确认文件 %s，有效期至 %s，可在本系统下载打印。", c.un.District+"人民政府", c.un.Name, co.DocNo, end), jf1("第八条")); err != nil {
		return "", "", err
	}
	return fmt.Sprintf("制发统筹主体确认文件 %s：%s，有效期%d年至 %s", co.DocNo, co.Name, co.TermYears, end), jf1("第八条") + "、第十一条第二款", nil
}

func (c *coordStep) needActive() error {
	if c.active == nil {
		return gengxin.Errorf(gengxin.EConflict, "本实施单元没有有效的统筹主体")
	}
	return nil
}

func (c *coordStep) extend() (string, string, error) {
	if err := c.needActive(); err != nil {
		return "", "", err
	}
	if strings.TrimSpace(c.in.AppliedOn) == "" && c.active.ExtensionRequest != "" {
		var req ExtensionRequest
		json.Unmarshal([]byte(c.active.ExtensionRequest), &req)
		c.in.AppliedOn = req.AppliedOn.String()
		if c.in.Months == 0 {
			c.in.Months = req.Months
		}
	}
	if c.in.Months < 1 || c.in.Months > MaxCoordinatorExtensionMonths {
		return "", "", badField("months", fmt.Sprintf("延期应为 1 至 %d 个月（原则上每次不超过1年，第十一条第二款）", MaxCoordinatorExtensionMonths))
	}
	applied, err := calendar.ParseDate(strings.TrimSpace(c.in.AppliedOn))
	if err != nil || applied.After(c.today) {
		return "", "", badField("applied_on", "请填写统筹主体提出延期申请的日期（YYYY-MM-DD，不晚于今天）")
	}
	end, f := rules.CoordinatorExtension(c.active.TermEnd, c.in.Months, applied, c.today)
	ext := Extension{AppliedOn: applied, Months: c.in.Months, OldEnd: c.active.TermEnd, NewEnd: end, RecordedOn: c.today, RecordedBy: actorName(c.u)}
	switch f.Outcome {
	case rules.Pass:
	case rules.Warn:
		ext.Justification, ext.Approver = strings.TrimSpace(c.in.Justification), strings.TrimSpace(c.in.Approver)
		if ext.Justification == "" || ext.Approver == "" {
			return "", "", ruleRefusal(f.Rule, f.Citation, f.Message+"；请填写理由（justification）和审批人（approver）")
		}
	default:
		return "", "", ruleRefusal(f.Rule, f.Citation, f.Message)
	}
	var list []Extension
	json.Unmarshal([]byte(c.active.Extensions), &list)
	list = append(list, ext)
	b, _ := json.Marshal(list)
	c.active.Extensions, c.active.TermEnd, c.active.ExtensionRequest = string(b), end, ""
	return fmt.Sprintf("统筹主体 %s 有效期延期%d个月，至 %s", c.active.Name, c.in.Months, end), f.Citation, c.tx.UpdateCoordinator(c.active)
}

func (c *coordStep) request() (string, string, error) {
	if err := c.needActive(); err != nil {
		return "", "", err
	}
	if c.active.OrgID == 0 || c.active.OrgID != c.u.OrgID {
		return "", "", gengxin.Errorf(gengxin.EForbidden, "只有本实施单元的统筹主体可以申请延期")
	}
	if c.active.ExtensionRequest != "" {
		return "", "", gengxin.Errorf(gengxin.EConflict, "已有待办理的延期申请")
	}
	reason, ok := clean(c.in.Reason, 2000)
	if !ok {
		return "", "", badField("reason", "请说明延期理由（不超过2000字）")
	}
	if c.in.Months < 1 || c.in.Months > MaxCoordinatorExtensionMonths {
		return "", "", badField("months", fmt.Sprintf("延期应为 1 至 %d 个月（原则上每次不超过1年，第十一条第二款）", MaxCoordinatorExtensionMonths))
	}
	_, f := rules.CoordinatorExtension(c.active.TermEnd, c.in.Months, c.today, c.today)
	if f.Outcome != rules.Pass && f.Outcome != rules.Warn {
		return "", "", ruleRefusal(f.Rule, f.Citation, f.Message)
	}
	b, _ := json.Marshal(ExtensionRequest{AppliedOn: c.today, Months: c.in.Months, Reason: reason, By: actorName(c.u)})
	c.active.ExtensionRequest = string(b)
	return fmt.Sprintf("统筹主体 %s 申请有效期延期%d个月（有效期末日 %s）", c.active.Name, c.in.Months, c.active.TermEnd), f.Citation, c.tx.UpdateCoordinator(c.active)
}

func (c *coordStep) refuse() (string, string, error) {
	if err := c.needActive(); err != nil {
		return "", "", err
	}
	if c.active.ExtensionRequest == "" {
		return "", "", gengxin.Errorf(gengxin.EConflict, "没有待办理的延期申请")
	}
	reason, ok := clean(c.in.Reason, 2000)
	if !ok {
		return "", "", badField("reason", "请说明不予延期的理由（不超过2000字）")
	}
	c.active.ExtensionRequest = ""
	if err := c.notifyOrg(c.active.OrgID, "延期申请未获同意", fmt.Sprintf("「%s」统筹主体有效期延期申请未获同意，理由：%s", c.un.Name, reason), jf1("第十一条第二款")); err != nil {
		return "", "", err
	}
	return fmt.Sprintf("不予延期统筹主体 %s 的有效期，理由：%s", c.active.Name, reason), jf1("第十一条第二款"), c.tx.UpdateCoordinator(c.active)
}

func (c *coordStep) cancel() (string, string, error) {
	if err := c.needActive(); err != nil {
		return "", "", err
	}
	if c.in.Ground < 1 || c.in.Ground > 3 {
		return "", "", badField("ground", "取消情形应为第十二条(一)、(二)或(三)（1、2、3）")
	}
	reason, ok := clean(c.in.Reason, 2000)
	if !ok {
		return "", "", badField("reason", "请写明取消的具体事实（不超过2000字）")
	}
	eval, ok := clean(c.in.Evaluation, 5000)
	if !ok {
		return "", "", badField("evaluation", "请填写城市更新主管部门会同有关行业主管部门的综合评估意见（第十二条）")
	}
	liq, err := rules.ParseDecimal(strings.TrimSpace(c.in.LiquidationWan))
	if err != nil || liq.Sign() < 0 {
		return "", "", badField("liquidation_wan", "请填写评估确定的清算费用（万元，无则填0；计入项目成本，第十二条）")
	}
	co := c.active
	co.Status, co.CancelGround, co.CancelReason, co.CancelEvaluation, co.LiquidationWan, co.CancelledOn = CoordCancelled, c.in.Ground, reason, eval, liq.String(), c.today
	co.ExtensionRequest = ""
	return fmt.Sprintf("取消统筹主体 %s（第十二条%s），清算费用 %s万元计入项目成本", co.Name, CoordinatorCancelGrounds[c.in.Ground-1][:strings.Index(CoordinatorCancelGrounds[c.in.Ground-1], ")")+1], co.LiquidationWan),
		jf1("第十二条"), c.tx.UpdateCoordinator(co)
}

func (c *coordStep) agreement() (string, string, error) {
	if err := c.needActive(); err != nil {
		return "", "", err
	}
	if c.u.Role == gengxin.RoleApplicant && (c.active.OrgID == 0 || c.active.OrgID != c.u.OrgID) {
		return "", "", gengxin.Errorf(gengxin.EForbidden, "只有本实施单元的统筹主体或区人民政府可以记录权益分配协议")
	}
	text, ok := clean(c.in.Text, 5000)
	if !ok {
		return "", "", badField("text", "请填写书面协议的名称、编号、签订各方和权益分配要点（第九条）")
	}
	on, err := calendar.ParseDate(strings.TrimSpace(c.in.SignedOn))
	if err != nil || on.After(c.today) {
		return "", "", badField("signed_on", "请填写协议签订日期（YYYY-MM-DD，不晚于今天）")
	}
	c.active.Agreement, c.active.AgreementOn = text, on
	return "记录统筹主体作为实施主体与物业权利人的书面权益分配协议", jf1("第九条"), c.tx.UpdateCoordinator(c.active)
}

// ---- lookup and document ----

// LookupCoordinators is the paperless check of 第十一条第一款: a signed-in
// department (district or municipal officers) looks up coordinators by
// name (a substring of at least 2 characters) or 统一社会信用代码 (exact),
// instead of reviewing the paper 确认文件. Coordinators of 涉密/紧急救援
// units are shown only to their district and the municipal housing
// commission. EForbidden for applicants and administrators; EInvalid for a
// query too short or too long; an empty query finds nothing.
func (a *App) LookupCoordinators(ctx context.Context, u *gengxin.User, query string) ([]*CoordinatorView, error) {
	if u == nil {
		return nil, gengxin.Errorf(gengxin.EUnauthorized, "请先登录")
	}
	switch u.Role {
	case gengxin.RoleDistrictGov, gengxin.RoleDistrictRenewal, gengxin.RoleDistrictDept, gengxin.RoleMunicipalHousing, gengxin.RoleMunicipalDept:
	default:
		return nil, gengxin.Errorf(gengxin.EForbidden, "统筹主体信息查询供各部门办理审批时使用（京建法〔2024〕1号 第十一条第一款）")
	}
	query = strings.TrimSpace(query)
	if query == "" {
		return []*CoordinatorView{}, nil
	}
	if n := utf8.RuneCountInString(query); n < 2 || n > 100 {
		return nil, gengxin.Errorf(gengxin.EInvalid, "请输入统筹主体名称（至少2个字）或统一社会信用代码")
	}
	name, code := query, ""
	if uscc.Validate(uscc.Normalize(query)) == nil {
		name, code = "", uscc.Normalize(query)
	}
	rd := a.DB.Read(ctx)
	cs, err := rd.FindCoordinators(name, code)
	if err != nil {
		return nil, err
	}
	out := []*CoordinatorView{}
	units := map[int64]*store.ImplUnit{}
	for _, c := range cs {
		un, ok := units[c.UnitID]
		if !ok {
			if un, err = rd.Unit(c.UnitID); err != nil {
				return nil, err
			}
			units[c.UnitID] = un
		}
		if un.Sensitive != "" && u.Role != gengxin.RoleMunicipalHousing && u.District != un.District {
			continue
		}
		out = append(out, coordView(c, un.Name, a.Today()))
	}
	return out, nil
}

// ConfirmationPDF renders the 确认文件 (第八条) of coordinator id: for the
// unit's officers, the municipal housing commission and the coordinator's
// own company (ENotFound for anyone else).
func (a *App) ConfirmationPDF(ctx context.Context, u *gengxin.User, id int64) ([]byte, string, error) {
	rd := a.DB.Read(ctx)
	c, err := rd.Coordinator(id)
	if err != nil {
		return nil, "", err
	}
	un, err := rd.Unit(c.UnitID)
	if err != nil {
		return nil, "", err
	}
	if u != nil && u.Role == gengxin.RoleApplicant {
		if c.OrgID == 0 || c.OrgID != u.OrgID {
			return nil, "", gengxin.Errorf(gengxin.ENotFound, "确认文件不存在或无权查看")
		}
	} else if err := seeUnit(u, un); err != nil {
		return nil, "", err
	}
	v := coordView(c, un.Name, a.Today())
	how := "依规定程序确定"
	if sels, err := rd.Selections(un.ID); err == nil {
		for _, s := range sels {
			if s.ID == c.SelectionID && !s.PublicityEnd.IsZero() {
				how = "确定结果公示期满"
			}
		}
	}
	fields := []document.Field{
		{Label: "统筹主体", Value: c.Name + "（统一社会信用代码 " + c.USCC + "）"},
		{Label: "实施单元", Value: un.Name},
		{Label: "单元范围", Value: un.Scope},
		{Label: "有效期", Value: fmt.Sprintf("%d年，自%s至%s", c.TermYears, chineseDate(c.ConfirmedOn), chineseDate(calendar.AddYears(c.ConfirmedOn, c.TermYears)))},
	}
	if c.TermNote != "" {
		fields = append(fields, document.Field{Label: "有效期说明", Value: c.TermNote})
	}
	n := document.Notice{
		Issuer:    un.District + "人民政府",
		Number:    c.DocNo,
		Title:     "北京市城市更新实施单元统筹主体确认文件",
		Addressee: c.Name + "：",
		Paragraphs: []string{
			fmt.Sprintf("根据《北京市城市更新实施单元统筹主体确定管理办法（试行）》（京建法〔2024〕1号），经%s，确认你单位为城市更新实施单元「%s」的统筹主体。", how, un.Name),
			"你单位作为统筹主体，具有以下职能（第八条）：",
		},
		Items:  v.FunctionNames,
		Fields: fields,
		Closing: []string{
			"有效期满后可以申请延期，原则上每次延期不超过1年（第十一条第二款）。统筹主体同时作为项目实施主体的，应当与物业权利人依法签订书面协议，明确权益分配等事项（第九条）。",
			"有关部门可通过北京市城市更新信息系统查询统筹主体信息，无需审查本书面确认文件（第十一条第一款）。",
		},
		Citation:   "依据：京建法〔2024〕1号 第七条、第八条、第十一条",
		Date:       chineseDate(c.ConfirmedOn),
		VerifyCode: c.DocCode,
		VerifyURL:  a.verifyURL(),
		Footer:     "本确认文件由北京市城市更新信息系统生成，可下载打印。",
		CreatedAt:  noticeTime(c.ConfirmedOn),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "统筹主体确认文件-" + strconv.FormatInt(c.ID, 10) + ".pdf", nil
}
