package app

// The old-factory renovation procedure (老旧厂房更新改造, 京规自发〔2024〕67号
// 第四条至第二十七条 and 京经信发〔2024〕14号; RULES.md §3.2, issue 4). An old-factory
// case belongs to an admitted 产业类 project of the library and adds the
// steps of §3.2 F2…F15: post-entry materials, plan-inclusion requisites,
// the route (fast track A/B or the standard route), the implementation
// plan, municipal approval, joint review, publicity, the supervision
// agreement, permits, transition, evaluations, rectification and exit.
// Each step is one transaction that checks its rule guards (422 with the
// rule and citation), writes the case and appends the project's keyed event.
// docs/OLD_FACTORY.md explains the design.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
)

// The stages of an old-factory case.
const (
	OFMaterials     = "materials"     // 已登记，待列入计划（第六条、第七条）
	OFImplPlan      = "impl_plan"     // 实施方案编制（第十八条）
	OFReview        = "review"        // 待联合审查（第十九条第一款）
	OFPublicity     = "publicity"     // 公示中（第十九条第二款）
	OFAgreement     = "agreement"     // 待签订履约监管协议（第十七条、第二十条）
	OFPermits       = "permits"       // 规划建设手续办理（第二十二条、第二十三条）
	OFSupervision   = "supervision"   // 后期监管（第二十五条、第二十六条）
	OFRectification = "rectification" // 整改（第二十七条）
	OFExited        = "exited"        // 已退出（第二十七条）
)

var ofStageLabels = map[string]string{
	OFMaterials: "已登记，待列入计划", OFImplPlan: "实施方案编制", OFReview: "待联合审查", OFPublicity: "公示中",
	OFAgreement: "待签订履约监管协议", OFPermits: "规划建设手续办理", OFSupervision: "后期监管",
	OFRectification: "整改中", OFExited: "已退出",
}

// OFStageLabel returns the Chinese name of an old-factory stage.
func OFStageLabel(s string) string { return labelOr(ofStageLabels, s) }

var ofTrackLabels = map[string]string{
	rules.TrackFastA:    "快速通道一（仅增设附属设施或内部装修，第二十一条第一款）",
	rules.TrackFastB:    "快速通道二（规模较小、功能单一，第二十一条第二款）",
	rules.TrackStandard: "一般程序（实施方案编制→联合审查→公示→签订协议，第二十一条第三款）",
}

// OFTrackLabel returns the Chinese name of a track.
func OFTrackLabel(t string) string { return labelOr(ofTrackLabels, t) }

var ofPermitLabels = map[string]string{
	rules.PermitDirectConstruction: "直接办理建筑工程施工许可证（第二十二条第二款）",
	rules.PermitFacadeThenBuild:    "先办理外立面建设工程规划许可证，再办理施工许可证（第二十二条第二款）",
	rules.PermitMultiPlan:          "纳入“多规合一”协同平台会商办理规划手续→建设工程规划许可证→施工许可证（第二十二条第三、四款）",
}

// OFPermitLabel returns the Chinese name of a permit route.
func OFPermitLabel(p string) string { return labelOr(ofPermitLabels, p) }

// The old-factory steps, as in POST /api/v1/projects/{id}/old-factory/{step}.
const (
	OFStepRegister          = "register"           // 实施主体：登记并提交完善材料（第六条）
	OFStepRequisites        = "requisites"         // 区城市更新主管部门：列入计划要件（第七条）
	OFStepPlan              = "plan"               // 实施主体：提交实施方案（第十八条）
	OFStepMunicipalApproval = "municipal-approval" // 区城市更新主管部门：记录市政府批准（第十九条第一款）
	OFStepReview            = "review"             // 区城市更新主管部门：联合审查意见（第十九条）
	OFStepAgreement         = "agreement"          // 区行业主管部门：签订履约监管协议（第十七条、第二十条）
	OFStepPermits           = "permits"            // 区城市更新主管部门：记录规划建设手续（第二十二条、第二十三条）
	OFStepEvaluate          = "evaluate"           // 区行业主管部门（签约部门）：评估（第二十六条）
	OFStepRecheck           = "recheck"            // 区行业主管部门：整改复查（第二十七条）
	OFStepLand              = "land"               // 区人民政府：过渡期满（或提前申请）评估并办理用地手续（第十六条、第二十四条）
	OFStepRegistration      = "registration"       // 实施主体：申请不动产登记（第二十四条）
)

var ofStepLabels = map[string]string{
	OFStepRegister: "登记老旧厂房改造并提交完善材料", OFStepRequisites: "确定列入计划要件",
	OFStepPlan: "提交项目实施方案", OFStepMunicipalApproval: "记录市政府批准", OFStepReview: "出具联合审查意见",
	OFStepAgreement: "签订履约监管协议", OFStepPermits: "记录规划建设手续", OFStepEvaluate: "开展评估",
	OFStepRecheck: "整改复查", OFStepLand: "过渡期评估及用地手续", OFStepRegistration: "申请不动产登记",
	OFStepBuildings: "填报未登记建筑物清单", OFStepBuildingInvestigation: "记录未登记建筑物调查认定结果",
	OFStepBuildingRegularised: "记录违法建筑物依法处理、完善手续", OFStepBuildingPublicity: "公示不涉及违法的未登记建筑物",
	OFStepBuildingAppraisal: "记录房屋质量安全鉴定",
}

// OFStepLabel returns the Chinese name of a step.
func OFStepLabel(s string) string { return labelOr(ofStepLabels, s) }

// OFMaterials is the post-entry supplement (R3, 规自67号 第六条).
type OFMaterialsDoc struct {
	Unregistered   string `json:"unregistered"`    // 无手续建筑物情况（“无”如没有）
	Industry       string `json:"industry"`        // 产业业态
	LandAndScale   string `json:"land_and_scale"`  // 用地及建筑规模
	FundingSource  string `json:"funding_source"`  // 资金来源
	ExpectedImpact string `json:"expected_impact"` // 预期效益（含经济效益、社会效益等）
	Operation      string `json:"operation"`       // 经营方式
}

// OFRequisites are the plan-inclusion requisites (规自67号 第七条).
type OFRequisites struct {
	Implementer         string `json:"implementer"`                    // 实施主体
	Function            string `json:"function"`                       // 功能业态
	Indicators          string `json:"indicators"`                     // 规划指标
	LandSupply          string `json:"land_supply"`                    // 供地方式
	Supervision         string `json:"supervision"`                    // 监管要求
	UnregisteredOpinion string `json:"unregistered_opinion,omitempty"` // 无手续建筑物处理意见
	TransitionOpinion   string `json:"transition_opinion,omitempty"`   // 过渡期政策意见
	// TransitionApplies is the 区规自's decision on the five-year transition
	// (第十六条第一款; the industry department decides "鼓励"), required when
	// the facts claim one.
	TransitionApplies    *bool         `json:"transition_applies,omitempty"`
	CentralConsultations string        `json:"central_consultations,omitempty"` // 征求国管局、中直管理局、军事设施建设局意见的记录
	PlanIncludedOn       calendar.Date `json:"plan_included_on"`
	By                   string        `json:"by"`
}

// OFPlanDoc is the implementation plan (项目实施方案, R4): the union of
// 规自67号 第十八条 and 经信14号 二(三).
type OFPlanDoc struct {
	Scope          string        `json:"scope"`          // 更新范围、内容、方式
	Design         string        `json:"design"`         // 规划设计方案（建筑规模、使用功能）
	Schedule       string        `json:"schedule"`       // 建设计划
	Cost           string        `json:"cost"`           // 成本测算
	Financing      string        `json:"financing"`      // 资金筹措方式
	Operation      string        `json:"operation"`      // 运营管理模式
	LandAcquire    string        `json:"land_acquire"`   // 土地取得方式
	Infrastructure string        `json:"infrastructure"` // 市政基础设施和公共服务设施建设
	Property       string        `json:"property"`       // 产权办理
	Expected       string        `json:"expected"`       // 既定的使用功能和预期效果（第十六条第二款）
	SubmittedOn    calendar.Date `json:"submitted_on"`
	Revision       int           `json:"revision"`
}

// OFApproval is the municipal government's approval (第十九条第一款).
type OFApproval struct {
	DocNo string        `json:"doc_no"`
	On    calendar.Date `json:"on"`
	By    string        `json:"by"`
}

// OFReviewDoc is one joint review (联合审查, R5).
type OFReviewDoc struct {
	Verdict      string        `json:"verdict"` // pass | revise
	Opinion      string        `json:"opinion"`
	Participants []string      `json:"participants"`
	On           calendar.Date `json:"on"`
	By           string        `json:"by"`
}

// OFPublicityDoc is the publicity after review (第十九条第二款).
type OFPublicityDoc struct {
	Start    calendar.Date `json:"start"`
	End      calendar.Date `json:"end"`
	Citation string        `json:"citation"`
	Public   bool          `json:"public"` // false for 涉密 projects
	Note     string        `json:"note,omitempty"`
	// PublicationID is the 公示 on the public portal (/portal/publications/{id}).
	PublicationID int64 `json:"publication_id,omitempty"`
}

// OFAgreementDoc is the 履约监管协议 (R6, 第十七条、第二十条).
type OFAgreementDoc struct {
	No                 string            `json:"no"`
	Department         string            `json:"department"`  // 签约部门
	Implementer        string            `json:"implementer"` // 实施主体
	Owner              string            `json:"owner"`       // 产权单位
	Items              map[string]string `json:"items"`       // 第十七条 七项内容
	Prohibitions       []string          `json:"prohibitions"`
	BreachHandling     string            `json:"breach_handling"`
	SignedOn           calendar.Date     `json:"signed_on"`
	ForwardedToRenewal bool              `json:"forwarded_to_renewal"`
	VerifyCode         string            `json:"verify_code,omitempty"` // of its PDF, checked on /verify
}

// The seven items and three prohibitions of 规自67号 第十七条, in order.
var (
	OFAgreementItems = []struct{ Key, Label string }{
		{"industry_type", "产业类型"}, {"investment_intensity", "投资强度"}, {"output_efficiency", "产出效率（含地均产出）"},
		{"innovation", "创新能力"}, {"energy_environment", "节能环保"}, {"assessment", "考核机制"}, {"exit", "退出机制"},
	}
	OFProhibitions = []struct{ Key, Label string }{
		{"change_use", "禁止擅自改变主要建筑使用功能"}, {"sublet", "禁止擅自转租"}, {"split_sale", "禁止分割销售"},
	}
)

// OFPermitsDoc records the permits (第二十二条、第二十三条).
type OFPermitsDoc struct {
	Route                string        `json:"route"`
	Holder               string        `json:"holder"` // 手续办理给（产权单位）
	PlanningPermitNo     string        `json:"planning_permit_no,omitempty"`
	PlanningPermitOn     calendar.Date `json:"planning_permit_on,omitzero"`
	ConstructionPermitNo string        `json:"construction_permit_no,omitempty"`
	ConstructionPermitOn calendar.Date `json:"construction_permit_on,omitzero"`
	// NoConstructionPermit records that the works need no 施工许可证: the
	// transition and the evaluations then count from the 规划许可证
	// (第十六条第三款; DECISIONS D14, flagged, RULES I-20).
	NoConstructionPermit bool   `json:"no_construction_permit,omitempty"`
	By                   string `json:"by"`
}

// OFEvaluationDoc is one evaluation (R11, 第二十六条) and, when it failed,
// its rectification (第二十七条).
type OFEvaluationDoc struct {
	On              calendar.Date     `json:"on"`
	Dimensions      map[string]string `json:"dimensions"`
	Passed          bool              `json:"passed"`
	Problems        []string          `json:"problems,omitempty"`
	Summary         string            `json:"summary"`
	RectifyBy       calendar.Date     `json:"rectify_by,omitzero"`
	RecheckOn       calendar.Date     `json:"recheck_on,omitzero"`
	RecheckPassed   *bool             `json:"recheck_passed,omitempty"`
	RecheckSummary  string            `json:"recheck_summary,omitempty"`
	By              string            `json:"by"`
	ReportedToGovOn calendar.Date     `json:"reported_to_gov_on,omitzero"`
	No              string            `json:"no,omitempty"`          // 评估报告编号
	VerifyCode      string            `json:"verify_code,omitempty"` // of its PDF, checked on /verify
}

// OFEvaluationDimensions are the R11 dimensions (第二十六条, 第十七条).
var OFEvaluationDimensions = []struct{ Key, Label string }{
	{"industry_type", "产业类型"}, {"investment_intensity", "投资强度"}, {"output_efficiency", "产出效率（含地均产出）"},
	{"innovation", "创新能力"}, {"energy_environment", "节能环保"},
}

// OFLandDoc is the land procedure at the end of the transition (or early).
type OFLandDoc struct {
	Early   bool          `json:"early"`
	Passed  bool          `json:"passed"`
	Supply  string        `json:"supply"` // 租赁 | 出让 …
	Summary string        `json:"summary"`
	On      calendar.Date `json:"on"`
	By      string        `json:"by"`
}

// OFExitDoc records the exit procedure (第二十七条).
type OFExitDoc struct {
	On     calendar.Date `json:"on"`
	Reason string        `json:"reason"`
	By     string        `json:"by"`
}

// OldFactoryDoc is the whole case.
type OldFactoryDoc struct {
	Facts              rules.OldFactoryFacts `json:"facts"`
	Findings           []rules.Finding       `json:"findings"`
	Justifications     map[string]string     `json:"justifications,omitempty"`
	WarningsApprovedBy string                `json:"warnings_approved_by,omitempty"`
	Owner              string                `json:"owner"` // 产权单位
	Materials          OFMaterialsDoc        `json:"materials"`
	// Buildings is the unregistered-building list (第十四条, OF-14); a case
	// without one keeps the free-text materials.unregistered and the
	// requisites' opinion only.
	Buildings          []OFBuilding      `json:"buildings,omitempty"`
	RegisteredOn       calendar.Date     `json:"registered_on"`
	Requisites         *OFRequisites     `json:"requisites,omitempty"`
	Plan               *OFPlanDoc        `json:"plan,omitempty"`
	MunicipalApproval  *OFApproval       `json:"municipal_approval,omitempty"`
	Reviews            []OFReviewDoc     `json:"reviews,omitempty"`
	Publicity          *OFPublicityDoc   `json:"publicity,omitempty"`
	Agreement          *OFAgreementDoc   `json:"agreement,omitempty"`
	Permits            *OFPermitsDoc     `json:"permits,omitempty"`
	TransitionEnd      calendar.Date     `json:"transition_end,omitzero"`
	Evaluations        []OFEvaluationDoc `json:"evaluations,omitempty"`
	Land               *OFLandDoc        `json:"land,omitempty"`
	RegisteredProperty calendar.Date     `json:"property_registered_on,omitzero"`
	Exit               *OFExitDoc        `json:"exit,omitempty"`
}

// OFDeadline is a computed date of the case with its citation.
type OFDeadline struct {
	Kind     string        `json:"kind"`
	Label    string        `json:"label"`
	Due      calendar.Date `json:"due"`
	Citation string        `json:"citation"`
	Status   string        `json:"status"` // open | due_soon | overdue | met
	DaysLeft int           `json:"days_left"`
}

// OldFactoryView is a case as shown to its readers (GET …/old-factory).
type OldFactoryView struct {
	ProjectID  int64          `json:"project_id"`
	Project    string         `json:"project"`
	District   string         `json:"district"`
	Stage      string         `json:"stage"`
	StageLabel string         `json:"stage_label"`
	Track      string         `json:"track"`
	TrackLabel string         `json:"track_label"`
	Permit     string         `json:"permit_route,omitempty"`
	Deadlines  []OFDeadline   `json:"deadlines"`
	Steps      []string       `json:"steps"` // the steps the reader may take now
	Case       *OldFactoryDoc `json:"case"`
	Version    int            `json:"version"`
	// Waiting names who takes the next step, e.g. "朝阳区经济和信息化部门：签订履约监管协议".
	Waiting string `json:"waiting,omitempty"`
	// Buildings is the unregistered-building list with each one's status.
	Buildings []OFBuildingRow `json:"buildings,omitempty"`
}

// OldFactoryInput is the body of a step; each step reads its own fields.
type OldFactoryInput struct {
	Facts           json.RawMessage   `json:"facts,omitempty"` // register: the FACTS.md old_factory section
	Justifications  map[string]string `json:"justifications,omitempty"`
	Owner           string            `json:"owner,omitempty"`
	Materials       *OFMaterialsDoc   `json:"materials,omitempty"`
	Requisites      *OFRequisites     `json:"requisites,omitempty"`
	ApproveWarnings bool              `json:"approve_warnings,omitempty"`
	Plan            *OFPlanDoc        `json:"plan,omitempty"`
	DocNo           string            `json:"doc_no,omitempty"`
	On              calendar.Date     `json:"on,omitzero"`
	Verdict         string            `json:"verdict,omitempty"`
	Opinion         string            `json:"opinion,omitempty"`
	Participants    []string          `json:"participants,omitempty"`
	Agreement       *OFAgreementDoc   `json:"agreement,omitempty"`
	Permits         *OFPermitsDoc     `json:"permits,omitempty"`
	Dimensions      map[string]string `json:"dimensions,omitempty"`
	Passed          *bool             `json:"passed,omitempty"`
	Problems        []string          `json:"problems,omitempty"`
	Summary         string            `json:"summary,omitempty"`
	RectifyBy       calendar.Date     `json:"rectify_by,omitzero"`
	Early           bool              `json:"early,omitempty"`
	Supply          string            `json:"supply,omitempty"`
	// The unregistered-building list (第十四条): register and buildings take
	// the list; the per-building steps name one building, the publicity any.
	Buildings     []OFBuilding     `json:"buildings,omitempty"`
	Building      int              `json:"building,omitempty"`
	BuildingNos   []int            `json:"building_nos,omitempty"`
	Investigation *OFInvestigation `json:"investigation,omitempty"`
	Appraisal     *OFAppraisal     `json:"appraisal,omitempty"`
}

// ofStep is one step's context.
type ofStep struct {
	a     *App
	tx    *store.Tx
	u     *gengxin.User
	p     *gengxin.Project
	c     *store.OldFactoryCase // nil before register
	doc   *OldFactoryDoc
	in    OldFactoryInput
	today calendar.Date
}

type ofHandler struct {
	roles  []gengxin.Role
	stages []string // "" = no case yet
	run    func(*ofStep) (summary, citation string, err error)
}

var ofHandlers map[string]ofHandler

func init() {
	ofHandlers = map[string]ofHandler{
		OFStepRegister:          {[]gengxin.Role{gengxin.RoleApplicant}, []string{""}, (*ofStep).register},
		OFStepRequisites:        {[]gengxin.Role{gengxin.RoleDistrictRenewal}, []string{OFMaterials}, (*ofStep).requisites},
		OFStepPlan:              {[]gengxin.Role{gengxin.RoleApplicant}, []string{OFImplPlan}, (*ofStep).plan},
		OFStepMunicipalApproval: {[]gengxin.Role{gengxin.RoleDistrictRenewal}, []string{OFImplPlan, OFReview}, (*ofStep).municipalApproval},
		OFStepReview:            {[]gengxin.Role{gengxin.RoleDistrictRenewal}, []string{OFReview}, (*ofStep).review},
		OFStepAgreement:         {[]gengxin.Role{gengxin.RoleDistrictDept}, []string{OFAgreement, OFPublicity}, (*ofStep).agreement},
		OFStepPermits:           {[]gengxin.Role{gengxin.RoleDistrictRenewal}, []string{OFPermits}, (*ofStep).permits},
		OFStepEvaluate:          {[]gengxin.Role{gengxin.RoleDistrictDept}, []string{OFSupervision}, (*ofStep).evaluate},
		OFStepRecheck:           {[]gengxin.Role{gengxin.RoleDistrictDept}, []string{OFRectification}, (*ofStep).recheck},
		OFStepLand:              {[]gengxin.Role{gengxin.RoleDistrictGov}, []string{OFSupervision, OFRectification}, (*ofStep).land},
		OFStepRegistration:      {[]gengxin.Role{gengxin.RoleApplicant}, []string{OFSupervision, OFRectification}, (*ofStep).registration},
		// The unregistered-building list (第十四条, app/oldfactory_buildings.go).
		OFStepBuildings:             {[]gengxin.Role{gengxin.RoleApplicant}, []string{OFMaterials, OFImplPlan}, (*ofStep).buildings},
		OFStepBuildingInvestigation: {[]gengxin.Role{gengxin.RoleDistrictRenewal, gengxin.RoleDistrictGov}, ofBuildingStages, (*ofStep).buildingInvestigation},
		OFStepBuildingRegularised:   {[]gengxin.Role{gengxin.RoleDistrictRenewal, gengxin.RoleDistrictGov}, ofBuildingStages, (*ofStep).buildingRegularised},
		OFStepBuildingPublicity:     {[]gengxin.Role{gengxin.RoleDistrictRenewal, gengxin.RoleDistrictGov}, ofBuildingStages, (*ofStep).buildingPublicity},
		OFStepBuildingAppraisal:     {[]gengxin.Role{gengxin.RoleApplicant}, ofBuildingStages, (*ofStep).buildingAppraisal},
	}
}

// OFSteps lists the steps in procedure order.
var OFSteps = []string{OFStepRegister, OFStepRequisites, OFStepPlan, OFStepMunicipalApproval, OFStepReview, OFStepAgreement,
	OFStepPermits, OFStepEvaluate, OFStepRecheck, OFStepLand, OFStepRegistration,
	OFStepBuildings, OFStepBuildingInvestigation, OFStepBuildingRegularised, OFStepBuildingPublicity, OFStepBuildingAppraisal}

// ofAllowed reports whether u may take step on p in stage (without the
// per-step rule guards): the role, the stage, and u's relation to p.
func ofAllowed(u *gengxin.User, p *gengxin.Project, stage, step string) error {
	h, ok := ofHandlers[step]
	if !ok {
		return gengxin.Errorf(gengxin.ENotFound, "未知的老旧厂房改造办理事项：%s", step)
	}
	if !slices.Contains(h.roles, u.Role) {
		return gengxin.Errorf(gengxin.EForbidden, "「%s」无权办理「%s」", u.Role.Label(), OFStepLabel(step))
	}
	switch u.Role {
	case gengxin.RoleApplicant:
		if p.OrgID != u.OrgID {
			return gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
		}
	case gengxin.RoleDistrictRenewal, gengxin.RoleDistrictGov:
		if p.District != u.District {
			return gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
		}
	case gengxin.RoleDistrictDept:
		if p.District != u.District {
			return gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
		}
		if u.Dept == "" || p.IndustryDept != u.Dept {
			return gengxin.Errorf(gengxin.EForbidden, "本项目由%s签订和监管履约监管协议（京规自发〔2024〕67号 第二十条），%s无权办理",
				gengxin.DepartmentFullName(p.District, p.IndustryDept), gengxin.DepartmentFullName(u.District, u.Dept))
		}
	}
	if !slices.Contains(h.stages, stage) {
		if stage == "" {
			return gengxin.Errorf(gengxin.EConflict, "本项目尚未登记老旧厂房改造，不能%s", OFStepLabel(step))
		}
		if step == OFStepRegister {
			return gengxin.Errorf(gengxin.EConflict, "本项目已登记老旧厂房改造")
		}
		return gengxin.Errorf(gengxin.EConflict, "老旧厂房改造当前处于「%s」阶段，不能%s", OFStageLabel(stage), OFStepLabel(step))
	}
	return nil
}

// OldFactoryStep performs step on the old-factory case of project id.
func (a *App) OldFactoryStep(ctx context.Context, u *gengxin.User, id int64, step string, in OldFactoryInput) (*OldFactoryView, error) {
	var view *OldFactoryView
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		p, err := tx.Project(id)
		if err != nil {
			return err
		}
		if !gengxin.CanView(u, p) {
			return gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
		}
		c, err := tx.OldFactoryCase(id)
		if err != nil && gengxin.ErrorCode(err) != gengxin.ENotFound {
			return err
		}
		stage := ""
		s := &ofStep{a: a, tx: tx, u: u, p: p, in: in, today: a.Today(), doc: &OldFactoryDoc{}}
		if c != nil {
			stage, s.c = c.Stage, c
			if err := json.Unmarshal([]byte(c.Doc), s.doc); err != nil {
				return fmt.Errorf("old-factory case %d: %w", id, err)
			}
		}
		if err := ofAllowed(u, p, stage, step); err != nil {
			return err
		}
		if step != OFStepRegister && !p.Status.InLibrary() {
			return gengxin.Errorf(gengxin.EConflict, "项目已%s，老旧厂房改造不再办理（京建法〔2024〕2号 第二十条）", p.Status.Label())
		}
		if !ofInputClean(in) {
			return gengxin.Errorf(gengxin.EInvalid, "输入含有不可见的控制字符或无效编码")
		}
		summary, citation, err := ofHandlers[step].run(s)
		if err != nil {
			return err
		}
		if err := s.save(); err != nil {
			return err
		}
		if err := a.event(tx, u, p, "old-factory:"+step, citation, p.Status, summary, in); err != nil {
			return err
		}
		view = a.ofView(u, p, s.c, s.doc)
		return nil
	})
	return view, err
}

// ofInputClean rejects control characters in any text of in.
func ofInputClean(in OldFactoryInput) bool {
	b, err := json.Marshal(in)
	if err != nil {
		return false
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return CleanText(x)
		case map[string]any:
			for k, e := range x {
				if !CleanText(k) || !walk(e) {
					return false
				}
			}
		case []any:
			for _, e := range x {
				if !walk(e) {
					return false
				}
			}
		}
		return true
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return false
	}
	return walk(v)
}

// save writes the case (inserting it on register) with its nearest deadline.
func (s *ofStep) save() error {
	b, err := json.Marshal(s.doc)
	if err != nil {
		return err
	}
	due, kind := calendar.Date{}, ""
	for _, d := range ofDeadlines(s.doc, s.stage(), s.today) {
		if ofEndsByItself(d.Kind) {
			continue
		}
		if d.Status != "met" && (due.IsZero() || d.Due.Before(due)) {
			due, kind = d.Due, d.Kind
		}
	}
	now := s.a.now()
	if s.c == nil {
		s.c = &store.OldFactoryCase{ProjectID: s.p.ID, District: s.p.District, IndustryDept: s.p.IndustryDept, Stage: OFMaterials,
			Track: s.track(), NextDue: due, NextDueKind: kind, Doc: string(b), CreatedAt: now, UpdatedAt: now}
		return s.tx.InsertOldFactoryCase(s.c)
	}
	s.c.IndustryDept, s.c.Track, s.c.NextDue, s.c.NextDueKind, s.c.Doc, s.c.UpdatedAt = s.p.IndustryDept, s.track(), due, kind, string(b), now
	return s.tx.UpdateOldFactoryCase(s.c)
}

func (s *ofStep) stage() string {
	if s.c == nil {
		return OFMaterials
	}
	return s.c.Stage
}

func (s *ofStep) setStage(st string) {
	if s.c != nil {
		s.c.Stage = st
	}
}

func (s *ofStep) track() string { return ofTrack(s.doc) }

// ofTrack is the case's track from its facts (OF-26, OF-27).
func ofTrack(d *OldFactoryDoc) string {
	if d.Facts.Renovation == nil {
		return rules.TrackStandard
	}
	return rules.Track(rules.FastTrackA(*d.Facts.Renovation, d.RegisteredOn), rules.FastTrackB(*d.Facts.Renovation, d.RegisteredOn))
}

func (s *ofStep) actor() string { return actorName(s.u) }

// missing collects every missing field of a step at once (一次性告知).
type missing struct {
	details  []gengxin.ErrorDetail
	rule     string
	citation string
}

func (m *missing) need(field, label string, ok bool) {
	if !ok {
		m.details = append(m.details, gengxin.ErrorDetail{Field: field, Rule: m.rule, Citation: m.citation, Message: "缺少" + label})
	}
}

func (m *missing) err(msg string) error {
	if len(m.details) == 0 {
		return nil
	}
	code := gengxin.EInvalid
	if m.rule != "" {
		code = gengxin.ERuleRefused
	}
	return &gengxin.Error{Code: code, Message: msg + "：" + joinMessages(m.details), Rule: m.rule, Citation: m.citation, Details: m.details}
}

func joinMessages(ds []gengxin.ErrorDetail) string {
	var ms []string
	for _, d := range ds {
		ms = append(ms, strings.TrimPrefix(d.Message, "缺少"))
	}
	return "缺少" + strings.Join(ms, "、")
}

func filled(s string) bool { return strings.TrimSpace(s) != "" }

// register: the 实施主体 registers the old-factory case of an admitted 产业类
// project with the factory's facts and the post-entry materials (第六条).
func (s *ofStep) register() (string, string, error) {
	cite := rules.GuiZi67.Cite("第六条")
	if s.p.Category != gengxin.Industrial {
		return "", "", gengxin.Errorf(gengxin.EConflict, "老旧厂房改造项目属于产业类项目（京建法〔2024〕2号 第五条），本项目为%s", s.p.Category)
	}
	if s.p.Status != gengxin.StatusReserve && s.p.Status != gengxin.StatusImplementation {
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-25", Citation: cite,
			Message: "项目纳入项目库后，实施主体方可提交更新改造完善材料（京规自发〔2024〕67号 第六条）；本项目当前为「" + s.p.Status.Label() + "」"}
	}
	if len(s.in.Facts) == 0 {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请填写厂房情况（facts，见 FACTS.md old_factory 一节）")
	}
	facts, err := rules.ParseFacts(strings.NewReader(`{"as_of":"`+s.today.String()+`","old_factory":`+string(s.in.Facts)+`}`), s.today)
	if err != nil {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "厂房情况有误：%s", err.Error())
	}
	if facts.OldFactory == nil {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请填写厂房情况（facts，见 FACTS.md old_factory 一节）")
	}
	f := *facts.OldFactory
	if f.District == "" {
		f.District = s.p.District
	}
	if f.District != s.p.District {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "厂房所在区（%s）与项目所在区（%s）不一致", f.District, s.p.District)
	}
	m := &missing{rule: "OF-25", citation: cite}
	mat := s.in.Materials
	if mat == nil {
		mat = &OFMaterialsDoc{}
	}
	if len(s.in.Buildings) > 0 && !filled(mat.Unregistered) {
		mat.Unregistered = fmt.Sprintf("见未登记建筑物清单（%d 栋）", len(s.in.Buildings))
	}
	m.need("materials.unregistered", "无手续建筑物情况（没有请填“无”）", filled(mat.Unregistered))
	m.need("materials.industry", "产业业态", filled(mat.Industry))
	m.need("materials.land_and_scale", "用地及建筑规模", filled(mat.LandAndScale))
	m.need("materials.funding_source", "资金来源", filled(mat.FundingSource))
	m.need("materials.expected_impact", "预期效益（含经济效益、社会效益等）", filled(mat.ExpectedImpact))
	m.need("materials.operation", "经营方式", filled(mat.Operation))
	m.need("owner", "产权单位", filled(s.in.Owner))
	// 第八条: who may be 实施主体 depends on the ownership (D12: the
	// complex-ownership vote is recorded in the facts and checked, OF-24).
	if f.Ownership == nil || f.Ownership.Kind == "" {
		m.details = append(m.details, gengxin.ErrorDetail{Field: "facts.ownership.kind", Rule: "OF-24", Citation: rules.GuiZi67.Cite("第八条"),
			Message: "缺少产权类型（single 单一产权、complex 多个产权人、municipal_soe 市属国企、district_soe 区属国企）"})
	}
	if err := m.err("更新改造完善材料不全（京规自发〔2024〕67号 第六条）"); err != nil {
		return "", "", err
	}
	res := rules.Eval(rules.Facts{AsOf: s.today, OldFactory: &f}, s.a.Calendar())
	// A factory must be a 老旧厂房 (OF-01) and every hard limit must hold.
	if err := refuse("不符合老旧厂房更新改造的规定", res.Findings); err != nil {
		return "", "", err
	}
	var unjustified []gengxin.ErrorDetail
	for _, fd := range res.Findings {
		if fd.Outcome == rules.Warn && !filled(s.in.Justifications[fd.Rule]) {
			unjustified = append(unjustified, gengxin.ErrorDetail{Field: "justifications." + fd.Rule, Rule: fd.Rule, Citation: fd.Citation,
				Message: fd.Message + "——请说明理由（DECISIONS D8：“原则上/不宜”类条款需书面说明并经审批）"})
		}
	}
	if len(unjustified) > 0 {
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Message: fmt.Sprintf("有 %d 项提示需说明理由", len(unjustified)),
			Rule: unjustified[0].Rule, Citation: unjustified[0].Citation, Details: unjustified}
	}
	just := map[string]string{}
	for _, fd := range res.Findings {
		if fd.Outcome == rules.Warn {
			just[fd.Rule] = strings.TrimSpace(s.in.Justifications[fd.Rule])
		}
	}
	*s.doc = OldFactoryDoc{Facts: f, Findings: res.Findings, Justifications: just, Owner: strings.TrimSpace(s.in.Owner),
		Materials: *mat, RegisteredOn: s.today}
	if len(s.in.Buildings) > 0 {
		if err := s.ofSetBuildings(s.in.Buildings); err != nil {
			return "", "", err
		}
	}
	s.notifyRenewal("老旧厂房改造完善材料已提交", s.p.Name+"：实施主体已提交更新改造完善材料，请确定列入计划要件（京规自发〔2024〕67号 第七条）", rules.GuiZi67.Cite("第七条"))
	if s.p.IndustryDept != "" {
		s.notifyDept(s.p.IndustryDept, "老旧厂房改造完善材料已提交", s.p.Name+"：实施主体已提交更新改造完善材料（第六条）", cite)
	}
	return "登记老旧厂房改造，提交更新改造完善材料；路径：" + OFTrackLabel(ofTrack(s.doc)), cite, nil
}

// requisites: the 区城市更新主管部门 records the plan-inclusion requisites
// (第七条) and approves the applicant's justifications; the case takes its
// track.
func (s *ofStep) requisites() (string, string, error) {
	cite := rules.GuiZi67.Cite("第七条")
	r := s.in.Requisites
	if r == nil {
		r = &OFRequisites{}
	}
	m := &missing{rule: "OF-25", citation: cite}
	m.need("requisites.implementer", "实施主体", filled(r.Implementer))
	m.need("requisites.function", "功能业态", filled(r.Function))
	m.need("requisites.indicators", "规划指标", filled(r.Indicators))
	m.need("requisites.land_supply", "供地方式", filled(r.LandSupply))
	m.need("requisites.supervision", "监管要求", filled(r.Supervision))
	if ofNeedsOpinion(s.doc) {
		m.need("requisites.unregistered_opinion", "无手续建筑物的处理意见", filled(r.UnregisteredOpinion))
	}
	if s.doc.Facts.Transition != nil {
		m.need("requisites.transition_opinion", "过渡期政策的意见", filled(r.TransitionOpinion))
		m.need("requisites.transition_applies", "是否适用过渡期政策的决定（transition_applies）", r.TransitionApplies != nil)
	}
	if isTrue(s.doc.Facts.InvolvesCentralUnits) {
		m.need("requisites.central_consultations", "征求国管局、中直管理局、军事设施建设局意见的记录", filled(r.CentralConsultations))
	}
	if err := m.err("不能列入计划（京规自发〔2024〕67号 第七条）"); err != nil {
		return "", "", err
	}
	if t := s.doc.Facts.Transition; t != nil && isTrue(r.TransitionApplies) {
		if f := rules.TransitionEligible(*t, s.today); f.Outcome == rules.Fail {
			return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: f.Rule, Citation: f.Citation, Message: "不能适用过渡期政策：" + f.Message}
		}
	}
	if len(s.doc.Justifications) > 0 && !s.in.ApproveWarnings {
		var ds []gengxin.ErrorDetail
		for rule, j := range s.doc.Justifications {
			ds = append(ds, gengxin.ErrorDetail{Field: "approve_warnings", Rule: rule, Message: "实施主体说明理由：" + j})
		}
		slices.SortFunc(ds, func(a, b gengxin.ErrorDetail) int { return strings.Compare(a.Rule, b.Rule) })
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: ds[0].Rule, Message: "有需说明理由的提示，请审核理由并确认（approve_warnings）（DECISIONS D8）", Details: ds}
	}
	if s.in.ApproveWarnings && len(s.doc.Justifications) > 0 {
		s.doc.WarningsApprovedBy = s.actor()
	}
	r.PlanIncludedOn, r.By = s.today, s.actor()
	s.doc.Requisites = r
	track := s.track()
	if track == rules.TrackStandard {
		s.setStage(OFImplPlan)
	} else {
		// Fast tracks go directly to the 规划设计方案; both sign the
		// agreement first (fast track B 第二十一条第二款 "同时签订"; A by DECISIONS D11).
		s.setStage(OFAgreement)
	}
	s.notifyOrg("老旧厂房改造已列入计划", s.p.Name+"：已确定列入计划要件，路径："+OFTrackLabel(track), cite)
	return "确定列入计划要件；路径：" + OFTrackLabel(track), cite, nil
}

// plan: the 实施主体 submits the implementation plan (第十八条).
func (s *ofStep) plan() (string, string, error) {
	cite := rules.GuiZi67.Cite("第十八条") + "；" + rules.JingXin14.Cite("二(三)")
	pl := s.in.Plan
	if pl == nil {
		pl = &OFPlanDoc{}
	}
	m := &missing{rule: "OF-28", citation: cite}
	m.need("plan.scope", "更新范围、内容、方式", filled(pl.Scope))
	m.need("plan.design", "规划设计方案（建筑规模、使用功能）", filled(pl.Design))
	m.need("plan.schedule", "建设计划", filled(pl.Schedule))
	m.need("plan.cost", "成本测算", filled(pl.Cost))
	m.need("plan.financing", "资金筹措方式", filled(pl.Financing))
	m.need("plan.operation", "运营管理模式", filled(pl.Operation))
	m.need("plan.land_acquire", "土地取得方式", filled(pl.LandAcquire))
	m.need("plan.infrastructure", "市政基础设施和公共服务设施建设", filled(pl.Infrastructure))
	m.need("plan.property", "产权办理", filled(pl.Property))
	if s.doc.Facts.Transition != nil {
		m.need("plan.expected", "既定的使用功能和预期效果（第十六条第二款）", filled(pl.Expected))
	}
	// OF-14: a building without complete approvals enters the plan only once
	// investigated and, if illegal, regularised, if not, publicised (第十四条).
	open := ofBuildingsOpen(s.doc, s.today)
	if len(m.details) == 0 && len(open) > 0 {
		return "", "", ofRefuse14("未登记建筑物尚不能纳入实施方案（京规自发〔2024〕67号 第十四条）", open)
	}
	m.details = append(m.details, open...)
	if err := m.err("实施方案内容不全"); err != nil {
		return "", "", err
	}
	rev := 1
	if s.doc.Plan != nil {
		rev = s.doc.Plan.Revision + 1
	}
	pl.SubmittedOn, pl.Revision = s.today, rev
	s.doc.Plan = pl
	s.setStage(OFReview)
	s.notifyRenewal("老旧厂房改造实施方案已提交", s.p.Name+"：实施方案（第 "+itoa(rev)+" 稿）已提交，请组织联合审查（京规自发〔2024〕67号 第十九条）")
	return fmt.Sprintf("提交项目实施方案（第 %d 稿）", rev), cite, nil
}

// ofMajor reports whether the case needs municipal approval (OF-29).
func ofMajor(f rules.OldFactoryFacts) bool {
	return isTrue(f.MajorProject) || isTrue(f.CrossDistrict) || isTrue(f.Classified)
}

// municipalApproval records the municipal government's approval (第十九条第一款).
func (s *ofStep) municipalApproval() (string, string, error) {
	cite := rules.GuiZi67.Cite("第十九条第一款")
	if !ofMajor(s.doc.Facts) {
		return "", "", gengxin.Errorf(gengxin.EConflict, "本项目不属于国家和本市重点项目、跨行政区域项目或涉密项目，无需报市人民政府批准（%s）", cite)
	}
	if a := s.doc.MunicipalApproval; a != nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "已记录市人民政府批准（%s，%s）", a.DocNo, a.On)
	}
	m := &missing{}
	m.need("doc_no", "市人民政府批准文号", filled(s.in.DocNo))
	m.need("on", "批准日期", !s.in.On.IsZero())
	if err := m.err("请填写市人民政府批准情况"); err != nil {
		return "", "", err
	}
	if s.in.On.After(s.today) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "批准日期不能晚于今天")
	}
	s.doc.MunicipalApproval = &OFApproval{DocNo: strings.TrimSpace(s.in.DocNo), On: s.in.On, By: s.actor()}
	return "记录市人民政府批准：" + s.doc.MunicipalApproval.DocNo, cite, nil
}

// OFReviewParticipants are the departments that take part in the joint
// review besides the industry department (第十九条第一款).
var OFReviewParticipants = []string{"发展改革", "规划自然资源", "住房城乡建设", "经济和信息化"}

// review: the joint review opinion (第十九条). A pass opens the publicity of
// at least 15 working days (OF-30); "revise" sends the plan back.
func (s *ofStep) review() (string, string, error) {
	cite := rules.GuiZi67.Cite("第十九条")
	switch s.in.Verdict {
	case "pass", "revise":
	default:
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请选择审查结论：pass（通过）或 revise（修改完善后重新提交）")
	}
	if !filled(s.in.Opinion) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请填写联合审查意见")
	}
	parts := s.in.Participants
	if len(parts) == 0 {
		parts = append(slices.Clone(OFReviewParticipants), s.p.IndustryDept)
	}
	for _, d := range parts {
		if !gengxin.IsDepartment(d) {
			return "", "", gengxin.Errorf(gengxin.EInvalid, "未知的部门：%s", d)
		}
	}
	if s.p.IndustryDept != "" && !slices.Contains(parts, s.p.IndustryDept) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "联合审查由区城市更新主管部门会同相应行业主管部门（%s）开展（第十九条）", gengxin.DepartmentFullName(s.p.District, s.p.IndustryDept))
	}
	if s.in.Verdict == "pass" {
		if ofMajor(s.doc.Facts) {
			f := rules.MajorProjectApproval(s.doc.Facts, s.track(), s.today)
			if s.doc.MunicipalApproval == nil {
				return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: f.Rule, Citation: f.Citation,
					Message: "国家和本市重点项目、跨行政区域项目、涉密项目出具审查意见前应当报市人民政府批准；请先记录市人民政府批准（" + f.Citation + "）"}
			}
		}
	}
	s.doc.Reviews = append(s.doc.Reviews, OFReviewDoc{Verdict: s.in.Verdict, Opinion: strings.TrimSpace(s.in.Opinion), Participants: parts, On: s.today, By: s.actor()})
	if s.in.Verdict == "revise" {
		s.setStage(OFImplPlan)
		s.notifyOrg("实施方案需修改完善", s.p.Name+"：联合审查意见——"+strings.TrimSpace(s.in.Opinion), cite)
		return "联合审查：修改完善后重新提交", cite, nil
	}
	end, f := rules.OldFactoryPublicity(s.a.Calendar(), s.today, s.track(), s.today)
	if f.Outcome == rules.OutOfForce || end.IsZero() {
		return "", "", ruleRefusal(f.Rule, f.Citation, f.Message)
	}
	pub := &OFPublicityDoc{Start: s.today, End: end, Citation: f.Citation, Public: !isTrue(s.doc.Facts.Classified)}
	if !pub.Public {
		pub.Note = "涉密项目不在公众门户公示，公示期照常计算"
	} else {
		// On the public portal, with comments while it is open (第十九条第二款:
		// "在城市更新信息系统上公示"). Public fields only: no contact, no facts
		// beyond the approved plan's outline.
		body := fmt.Sprintf("项目名称：%s\n项目位置：%s%s %s\n实施主体：%s\n产权单位：%s\n办理路径：%s\n功能业态：%s\n规划指标：%s\n供地方式：%s\n联合审查意见：%s\n\n公示期内，公众可在本页提出意见，区城市更新主管部门将答复。",
			s.p.Name, s.p.District, s.p.Street, s.p.Address, s.p.EntityName, s.doc.Owner, OFTrackLabel(s.track()),
			s.doc.Requisites.Function, s.doc.Requisites.Indicators, s.doc.Requisites.LandSupply, strings.TrimSpace(s.in.Opinion))
		id, err := s.a.publishTx(s.tx, s.u, Publication{Kind: PubPublicity, Title: "老旧厂房更新改造项目实施方案公示：" + s.p.Name, Body: body,
			District: s.p.District, Issuer: s.p.District + "城市更新主管部门", SourceKind: "old_factory", SourceID: s.p.ID,
			StartsOn: pub.Start, EndsOn: pub.End, Citation: f.Citation, PeriodNote: "不少于十五个工作日（按国务院办公厅节假日安排计算）"})
		if err != nil {
			return "", "", err
		}
		pub.PublicationID = id
	}
	s.doc.Publicity = pub
	s.setStage(OFPublicity)
	s.notifyOrg("联合审查通过，进入公示", fmt.Sprintf("%s：联合审查通过，公示期 %s 至 %s（不少于十五个工作日）", s.p.Name, pub.Start, pub.End), f.Citation)
	if s.p.IndustryDept != "" {
		s.notifyDept(s.p.IndustryDept, "老旧厂房改造项目公示中", fmt.Sprintf("%s：公示期满（%s）后可签订履约监管协议", s.p.Name, pub.End), f.Citation)
	}
	return fmt.Sprintf("联合审查通过；公示 %s 至 %s", pub.Start, pub.End), cite, nil
}

// agreement: the signing department signs the 履约监管协议 (第十七条,
// 第二十条); an agreement missing any of the seven items or three
// prohibitions is refused (OF-33).
func (s *ofStep) agreement() (string, string, error) {
	cite := rules.GuiZi67.Cite("第十七条")
	if s.c.Stage == OFPublicity {
		if pub := s.doc.Publicity; pub != nil && !s.today.After(pub.End) {
			return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-30", Citation: pub.Citation,
				Message: fmt.Sprintf("公示期至 %s，公示期满后方可签订履约监管协议（公示时间不得少于十五个工作日）", pub.End)}
		}
	}
	ag := s.in.Agreement
	if ag == nil {
		ag = &OFAgreementDoc{}
	}
	// The parties are the project's: its 实施主体 and the registered 产权单位
	// (第二十条); filled in when left out, refused when they differ.
	if !filled(ag.Implementer) {
		ag.Implementer = s.p.EntityName
	}
	if !filled(ag.Owner) {
		ag.Owner = s.doc.Owner
	}
	if strings.TrimSpace(ag.Implementer) != s.p.EntityName || strings.TrimSpace(ag.Owner) != s.doc.Owner {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "协议当事人应为本项目实施主体「%s」和产权单位「%s」（京规自发〔2024〕67号 第二十条）", s.p.EntityName, s.doc.Owner)
	}
	for k := range ag.Items {
		if !slices.ContainsFunc(OFAgreementItems, func(it struct{ Key, Label string }) bool { return it.Key == k }) {
			return "", "", gengxin.Errorf(gengxin.EInvalid, "未知的协议事项：%s", k)
		}
	}
	m := &missing{rule: "OF-33", citation: cite}
	m.need("agreement.no", "协议编号", filled(ag.No))
	m.need("agreement.implementer", "实施主体", filled(ag.Implementer))
	m.need("agreement.owner", "产权单位", filled(ag.Owner))
	for _, it := range OFAgreementItems {
		m.need("agreement.items."+it.Key, it.Label, filled(ag.Items[it.Key]))
	}
	for _, pr := range OFProhibitions {
		m.need("agreement.prohibitions", "“"+pr.Label+"”条款", slices.Contains(ag.Prohibitions, pr.Key))
	}
	m.need("agreement.breach_handling", "违约处理方式", filled(ag.BreachHandling))
	if err := m.err("履约监管协议内容不全，不予签订"); err != nil {
		return "", "", err
	}
	for _, k := range ag.Prohibitions {
		if !slices.ContainsFunc(OFProhibitions, func(p struct{ Key, Label string }) bool { return p.Key == k }) {
			return "", "", gengxin.Errorf(gengxin.EInvalid, "未知的禁止性条款：%s", k)
		}
	}
	ag.Department = gengxin.DepartmentFullName(s.p.District, s.u.Dept)
	ag.SignedOn, ag.ForwardedToRenewal = s.today, true
	ag.VerifyCode = verifyCode()
	if err := s.tx.InsertDocument(&gengxin.IssuedDocument{Code: ag.VerifyCode, Kind: "老旧厂房更新改造项目履约监管协议", Number: ag.No,
		ProjectID: s.p.ID, Project: s.p.Name, District: s.p.District, Issuer: ag.Department, IssuedOn: s.today}); err != nil {
		return "", "", err
	}
	s.doc.Agreement = ag
	s.setStage(OFPermits)
	s.notifyRenewal("履约监管协议已签订", s.p.Name+"：履约监管协议 "+ag.No+" 已签订并转送区城市更新主管部门（京规自发〔2024〕67号 第二十条）")
	s.notifyOrg("履约监管协议已签订", s.p.Name+"：可办理规划建设手续（第二十一条、第二十二条）", cite)
	return "签订履约监管协议 " + ag.No, cite + "；" + rules.GuiZi67.Cite("第二十条"), nil
}

// permits records the permits (第二十二条) issued to the 产权单位 where it
// differs from the 实施主体 (第二十三条), and computes the transition end
// (第十六条) and the first evaluation due (第二十六条).
func (s *ofStep) permits() (string, string, error) {
	cite := rules.GuiZi67.Cite("第二十二条")
	pm := s.in.Permits
	if pm == nil {
		pm = &OFPermitsDoc{}
	}
	// OF-14: every listed building appraised, and (fast tracks have no plan
	// step) none still kept out of the plan (第十四条).
	if ds := append(ofBuildingsOpen(s.doc, s.today), ofBuildingsUnappraised(s.doc)...); len(ds) > 0 {
		return "", "", ofRefuse14("未登记建筑物尚不能办理相关手续（京规自发〔2024〕67号 第十四条）", ds)
	}
	route := ""
	if r := s.doc.Facts.Renovation; r != nil {
		route, _ = rules.PermitRoute(*r, s.today)
	}
	m := &missing{}
	m.need("permits.holder", "手续办理给（单位名称）", filled(pm.Holder))
	if pm.NoConstructionPermit {
		m.need("permits.planning_permit_on", "建设工程规划许可证日期（不需要施工许可证的，过渡期和评估自规划许可证起算）", !pm.PlanningPermitOn.IsZero())
	} else {
		m.need("permits.construction_permit_on", "建筑工程施工许可证日期（不需要施工许可证的，请注明 no_construction_permit）", !pm.ConstructionPermitOn.IsZero())
	}
	if (route == rules.PermitFacadeThenBuild || route == rules.PermitMultiPlan) && !pm.NoConstructionPermit {
		m.need("permits.planning_permit_on", "建设工程规划许可证日期", !pm.PlanningPermitOn.IsZero())
	}
	if err := m.err("请填写规划建设手续"); err != nil {
		return "", "", err
	}
	for _, d := range []calendar.Date{pm.PlanningPermitOn, pm.ConstructionPermitOn} {
		if d.After(s.today) {
			return "", "", gengxin.Errorf(gengxin.EInvalid, "许可证日期不能晚于今天")
		}
	}
	if !pm.PlanningPermitOn.IsZero() && !pm.ConstructionPermitOn.IsZero() && pm.ConstructionPermitOn.Before(pm.PlanningPermitOn) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "施工许可证日期早于规划许可证日期")
	}
	// OF-32: the permits go to the 产权单位 where it differs.
	owner := s.doc.Owner
	if owner != "" && strings.TrimSpace(pm.Holder) != owner {
		f := rules.PermitHolder(s.today)
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: f.Rule, Citation: f.Citation,
			Message: fmt.Sprintf("实施主体与产权单位不一致的，规划建设手续办理给产权单位「%s」（%s）", owner, f.Citation)}
	}
	pm.Route, pm.Holder, pm.By = route, strings.TrimSpace(pm.Holder), s.actor()
	s.doc.Permits = pm
	if pm.NoConstructionPermit {
		pm.ConstructionPermitOn = calendar.Date{} // the anchor is the planning permit (D14)
	}
	if t := s.doc.Facts.Transition; t != nil && s.doc.Requisites != nil && isTrue(s.doc.Requisites.TransitionApplies) {
		tf := *t
		tf.ConstructionPermitOn, tf.PlanningPermitOn = dateOrNil(pm.ConstructionPermitOn), dateOrNil(pm.PlanningPermitOn)
		elig := rules.TransitionEligible(tf, s.today)
		end, _ := rules.TransitionPeriod(tf, elig.Outcome, s.today)
		s.doc.TransitionEnd = end
		s.doc.Facts.Transition = &tf
	}
	s.setStage(OFSupervision)
	msg := s.p.Name + "：规划建设手续已办理，进入后期监管；首次评估应在取得施工许可证后五年内进行（第二十六条）"
	if !s.doc.TransitionEnd.IsZero() {
		msg += "；过渡期至 " + s.doc.TransitionEnd.String() + "，过渡期内暂不办理用地手续和不动产登记（第二十四条）"
	}
	s.notifyOrg("规划建设手续已办理", msg, cite)
	if s.p.IndustryDept != "" {
		s.notifyDept(s.p.IndustryDept, "老旧厂房改造进入后期监管", msg, rules.GuiZi67.Cite("第二十五条"))
	}
	return "记录规划建设手续，手续办理给「" + pm.Holder + "」", cite + "；" + rules.GuiZi67.Cite("第二十三条"), nil
}

func dateOrNil(d calendar.Date) *calendar.Date {
	if d.IsZero() {
		return nil
	}
	return &d
}

// evaluate records an evaluation (第二十六条); a failed one orders
// rectification by a deadline (第二十七条).
func (s *ofStep) evaluate() (string, string, error) {
	cite := rules.GuiZi67.Cite("第二十六条")
	m := &missing{}
	for _, d := range OFEvaluationDimensions {
		m.need("dimensions."+d.Key, d.Label+"的评估情况", filled(s.in.Dimensions[d.Key]))
	}
	m.need("passed", "评估结论（passed）", s.in.Passed != nil)
	m.need("summary", "评估意见", filled(s.in.Summary))
	if s.in.Passed != nil && !*s.in.Passed {
		m.need("rectify_by", "整改期限", !s.in.RectifyBy.IsZero())
		m.need("problems", "存在的问题", len(s.in.Problems) > 0)
	}
	if err := m.err("评估记录不全"); err != nil {
		return "", "", err
	}
	for k := range s.in.Dimensions {
		if !slices.ContainsFunc(OFEvaluationDimensions, func(d struct{ Key, Label string }) bool { return d.Key == k }) {
			return "", "", gengxin.Errorf(gengxin.EInvalid, "未知的评估内容：%s", k)
		}
	}
	on := s.in.On
	if on.IsZero() {
		on = s.today
	}
	if on.After(s.today) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "评估日期不能晚于今天")
	}
	earliest := s.doc.Permits.ConstructionPermitOn
	if earliest.IsZero() {
		earliest = s.doc.Permits.PlanningPermitOn
	}
	if n := len(s.doc.Evaluations); n > 0 {
		earliest = s.doc.Evaluations[n-1].On
	}
	if on.Before(earliest) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "评估日期不能早于 %s（许可证日期或上次评估日期，第二十六条）", earliest)
	}
	ev := OFEvaluationDoc{On: on, Dimensions: s.in.Dimensions, Passed: *s.in.Passed, Problems: s.in.Problems, Summary: strings.TrimSpace(s.in.Summary),
		By: s.actor(), ReportedToGovOn: s.today, VerifyCode: verifyCode()}
	n, err := s.tx.NextCounter(fmt.Sprintf("of-evaluation:%s:%d", s.p.District, s.today.Year))
	if err != nil {
		return "", "", err
	}
	dist, _ := gengxin.LookupDistrict(s.p.District)
	ev.No = fmt.Sprintf("%s老旧厂房评〔%d〕%d号", dist.Abbr, s.today.Year, n)
	if err := s.tx.InsertDocument(&gengxin.IssuedDocument{Code: ev.VerifyCode, Kind: "老旧厂房更新改造项目评估报告", Number: ev.No,
		ProjectID: s.p.ID, Project: s.p.Name, District: s.p.District, Issuer: gengxin.DepartmentFullName(s.p.District, s.u.Dept), IssuedOn: s.today}); err != nil {
		return "", "", err
	}
	if !ev.Passed {
		if !s.in.RectifyBy.After(s.today) {
			return "", "", gengxin.Errorf(gengxin.EInvalid, "整改期限应晚于今天")
		}
		ev.RectifyBy = s.in.RectifyBy
		s.setStage(OFRectification)
		s.notifyOrg("评估不合格，限期整改", fmt.Sprintf("%s：评估不合格（%s），请于 %s 前完成整改（京规自发〔2024〕67号 第二十七条）", s.p.Name, strings.Join(ev.Problems, "、"), ev.RectifyBy), rules.GuiZi67.Cite("第二十七条"))
	} else {
		s.notifyOrg("评估合格", s.p.Name+"：评估合格，继续享受相关政策（第二十七条）；下次评估间隔不超过五年", cite)
	}
	s.doc.Evaluations = append(s.doc.Evaluations, ev)
	s.notifyGov("老旧厂房改造评估结果", fmt.Sprintf("%s：%s评估%s（评估结果报区政府，第二十六条）", s.p.Name, on, map[bool]string{true: "合格", false: "不合格"}[ev.Passed]))
	if ev.Passed {
		return "评估合格", cite, nil
	}
	return "评估不合格，责令限期整改至 " + ev.RectifyBy.String(), cite + "；" + rules.GuiZi67.Cite("第二十七条"), nil
}

// recheck: rectification re-checked; still failing starts the exit
// procedure (第二十七条).
func (s *ofStep) recheck() (string, string, error) {
	cite := rules.GuiZi67.Cite("第二十七条")
	if s.in.Passed == nil || !filled(s.in.Summary) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请填写复查结论（passed）和复查意见（summary）")
	}
	ev := &s.doc.Evaluations[len(s.doc.Evaluations)-1]
	if !*s.in.Passed && !s.today.After(ev.RectifyBy) {
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-35", Citation: cite,
			Message: fmt.Sprintf("整改期限至 %s，期满后方可认定整改不合格并启动退出程序（按期整改，第二十七条）", ev.RectifyBy)}
	}
	ev.RecheckOn, ev.RecheckPassed, ev.RecheckSummary = s.today, s.in.Passed, strings.TrimSpace(s.in.Summary)
	if *s.in.Passed {
		s.setStage(OFSupervision)
		s.notifyOrg("整改复查合格", s.p.Name+"：整改复查合格，继续后期监管", cite)
		return "整改复查合格", cite, nil
	}
	s.doc.Exit = &OFExitDoc{On: s.today, Reason: "整改后仍不合格：" + ev.RecheckSummary, By: s.actor()}
	s.setStage(OFExited)
	s.notifyOrg("启动退出程序", s.p.Name+"：整改后仍不符合要求，启动退出程序（京规自发〔2024〕67号 第二十七条）", cite)
	s.notifyRenewal("老旧厂房改造项目启动退出程序", s.p.Name+"：签约部门提请区城市更新主管部门会同行业主管部门，联合发改、规自、住建、经信、市场监管等部门依法依约启动退出程序（第二十七条）")
	return "整改后仍不合格，启动退出程序", cite, nil
}

// land: at the end of the transition (or on the land user's early
// application) the 区政府 organises the evaluation and the land procedure
// (第十六条第二款, 第二十四条).
func (s *ofStep) land() (string, string, error) {
	cite := rules.GuiZi67.Cite("第二十四条")
	if s.doc.TransitionEnd.IsZero() {
		return "", "", gengxin.Errorf(gengxin.EConflict, "本项目未适用过渡期政策（京规自发〔2024〕67号 第十六条），用地手续按批准的供地方式办理")
	}
	if s.doc.Land != nil && s.doc.Land.Passed {
		return "", "", gengxin.Errorf(gengxin.EConflict, "用地手续已办理（%s）", s.doc.Land.On)
	}
	early := !s.today.After(s.doc.TransitionEnd)
	if early && !s.in.Early {
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-23", Citation: cite,
			Message: fmt.Sprintf("过渡期至 %s 尚未届满；用地主体提前申请的，请勾选“提前申请”（early）", s.doc.TransitionEnd)}
	}
	if s.in.Passed == nil || !filled(s.in.Summary) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请填写评估结论（passed）和评估意见（summary）")
	}
	if *s.in.Passed && s.in.Supply != "租赁" && s.in.Supply != "出让" && s.in.Supply != "先租后让" {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请选择协议方式办理的用地手续：租赁、出让或先租后让")
	}
	s.doc.Land = &OFLandDoc{Early: early, Passed: *s.in.Passed, Supply: s.in.Supply, Summary: strings.TrimSpace(s.in.Summary), On: s.today, By: s.actor()}
	if *s.in.Passed {
		s.notifyOrg("过渡期评估通过", s.p.Name+"：可按协议方式办理"+s.in.Supply+"用地手续及不动产登记（第二十四条）", cite)
		return "过渡期评估通过，以协议方式办理" + s.in.Supply + "用地手续", cite + "；" + rules.GuiZi67.Cite("第十六条第二款"), nil
	}
	s.notifyOrg("过渡期评估未通过", s.p.Name+"："+s.doc.Land.Summary, cite)
	return "过渡期评估未通过", cite, nil
}

// registration: the applicant applies for 不动产登记, refused during the
// transition until the land procedure is done (第二十四条, OF-23).
func (s *ofStep) registration() (string, string, error) {
	cite := rules.GuiZi67.Cite("第二十四条")
	if s.doc.Facts.Transition != nil && (s.doc.Requisites == nil || s.doc.Requisites.TransitionApplies == nil) {
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-23", Citation: cite, Message: "本项目申请适用过渡期，尚待区规划自然资源部门确定是否适用，暂不办理不动产登记"}
	}
	if !s.doc.TransitionEnd.IsZero() && (s.doc.Land == nil || !s.doc.Land.Passed) {
		return "", "", &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-23", Citation: cite,
			Message: fmt.Sprintf("过渡期内（至 %s）暂不办理用地手续和不动产登记；过渡期满或提前申请经区政府评估、办理用地手续后方可登记", s.doc.TransitionEnd)}
	}
	if !s.doc.RegisteredProperty.IsZero() {
		return "", "", gengxin.Errorf(gengxin.EConflict, "已于 %s 申请不动产登记", s.doc.RegisteredProperty)
	}
	s.doc.RegisteredProperty = s.today
	return "申请不动产登记", cite, nil
}

func (s *ofStep) notifyOrg(title, body, citation string) {
	if s.p.OrgID != 0 {
		s.notify(&gengxin.Notification{OrgID: s.p.OrgID, ProjectID: s.p.ID, Title: title, Body: body, Citation: citation})
	}
}

func (s *ofStep) notifyDept(dept, title, body, citation string) {
	s.notify(&gengxin.Notification{District: s.p.District, Dept: dept, ProjectID: s.p.ID, Title: title, Body: body, Citation: citation})
}

func (s *ofStep) notifyRenewal(title, body string, citation ...string) {
	n := &gengxin.Notification{District: s.p.District, ProjectID: s.p.ID, Title: title, Body: body}
	if len(citation) > 0 {
		n.Citation = citation[0]
	}
	s.notify(n)
}

func (s *ofStep) notifyGov(title, body string) {
	s.notify(&gengxin.Notification{District: s.p.District, Dept: store.GovDept, ProjectID: s.p.ID, Title: title, Body: body, Citation: rules.GuiZi67.Cite("第二十六条")})
}

func (s *ofStep) notify(n *gengxin.Notification) {
	n.At = s.a.now()
	if err := s.tx.InsertNotification(n); err != nil {
		s.a.Log.Error("notification", "err", err)
	}
}

// ofDeadlines computes the case's dates with their citations.
func ofDeadlines(d *OldFactoryDoc, stage string, today calendar.Date) []OFDeadline {
	var out []OFDeadline
	add := func(kind, label string, due calendar.Date, cite string, met bool) {
		if due.IsZero() {
			return
		}
		dl := OFDeadline{Kind: kind, Label: label, Due: due, Citation: cite, DaysLeft: today.DaysUntil(due)}
		switch {
		case met:
			dl.Status = "met"
		case today.After(due):
			dl.Status = "overdue"
		case dl.DaysLeft <= OFRemindDays: // the sweep reminds from the same day
			dl.Status = "due_soon"
		default:
			dl.Status = "open"
		}
		out = append(out, dl)
	}
	if r := d.Requisites; r != nil && ofTrack(d) == rules.TrackStandard {
		done := d.Plan != nil && (stage != OFImplPlan)
		add("implementation_plan", "实施方案编制完成（纳入计划后2年内，逾期可出库）", rules.StalePlanDueDate(r.PlanIncludedOn),
			rules.GuiZi67.Cite("第十八条")+"；"+rules.JianFa2.Cite("第二十条(四)"), done)
	}
	if p := d.Publicity; p != nil {
		add("publicity", "公示期满（不少于十五个工作日）", p.End, p.Citation, today.After(p.End) || stage != OFPublicity)
	}
	for _, b := range d.Buildings {
		if p := b.Publicity; p != nil {
			add(ofBuildingPublicityKind, fmt.Sprintf("未登记建筑物 %d 号（%s）公示期满，此后可纳入实施方案", b.No, b.Name), p.End, p.Citation, today.After(p.End))
		}
	}
	if d.Permits != nil && stage != OFExited {
		anchor := d.Permits.ConstructionPermitOn
		if anchor.IsZero() {
			anchor = d.Permits.PlanningPermitOn // DECISIONS D14 (RULES I-20)
		}
		due := calendar.AddYears(anchor, rules.FirstEvaluationYears.Int())
		label := "首次评估（取得施工许可证后五年内）"
		if n := len(d.Evaluations); n > 0 {
			due = calendar.AddYears(d.Evaluations[n-1].On, rules.EvaluationIntervalYears.Int())
			label = "下次评估（间隔不超过五年）"
		}
		add("evaluation", label, due, rules.GuiZi67.Cite("第二十六条"), false)
	}
	if n := len(d.Evaluations); n > 0 && stage == OFRectification {
		add("rectification", "整改期限", d.Evaluations[n-1].RectifyBy, rules.GuiZi67.Cite("第二十七条"), false)
	}
	if !d.TransitionEnd.IsZero() && stage != OFExited {
		add("transition_end", "过渡期届满（五年）", d.TransitionEnd, rules.GuiZi67.Cite("第十六条第三款"), d.Land != nil && d.Land.Passed)
	}
	return out
}

// ofBuildingPublicityKind is the deadline kind of an unregistered
// building's 公示.
const ofBuildingPublicityKind = "building_publicity"

// ofEndsByItself reports whether a deadline of kind is the end of a 公示: it
// ends by itself and no one is late for it — no reminder, no overdue flag,
// never the case's next due date.
func ofEndsByItself(kind string) bool { return kind == "publicity" || kind == ofBuildingPublicityKind }

// ofNextSteps lists the steps u may take now.
// The list's steps (ofSideSteps) are left out: the view adds them by the
// case's list, and the workbench does not count them.
func ofNextSteps(u *gengxin.User, p *gengxin.Project, stage string) []string {
	var out []string
	for _, st := range OFSteps {
		if slices.Contains(ofSideSteps, st) {
			continue
		}
		if ofAllowed(u, p, stage, st) == nil {
			out = append(out, st)
		}
	}
	return out
}

func (a *App) ofView(u *gengxin.User, p *gengxin.Project, c *store.OldFactoryCase, d *OldFactoryDoc) *OldFactoryView {
	v := &OldFactoryView{ProjectID: p.ID, Project: p.Name, District: p.District}
	stage := ""
	if c != nil {
		stage, v.Version = c.Stage, c.Version
		v.Case = d
		v.Stage, v.StageLabel = c.Stage, OFStageLabel(c.Stage)
		v.Track = ofTrack(d)
		v.TrackLabel = OFTrackLabel(v.Track)
		if r := d.Facts.Renovation; r != nil {
			v.Permit, _ = rules.PermitRoute(*r, d.RegisteredOn)
		}
		v.Deadlines = ofDeadlines(d, c.Stage, a.Today())
	}
	if v.Deadlines == nil {
		v.Deadlines = []OFDeadline{}
	}
	v.Steps = ofNextSteps(u, p, stage)
	if c != nil {
		for _, st := range ofSideSteps {
			if ofAllowed(u, p, stage, st) == nil && ofSideStepUseful(d, st, a.Today()) {
				v.Steps = append(v.Steps, st)
			}
		}
		for _, b := range d.Buildings {
			v.Buildings = append(v.Buildings, OFBuildingRow{OFBuilding: b, Status: b.Status(a.Today()), ApprovalsLabel: OFApprovalLabel(b.Approvals)})
		}
	}
	v.Waiting = ofWaiting(p, stage)
	if v.Steps == nil {
		v.Steps = []string{}
	}
	return v
}

// OldFactory returns the old-factory case of project id as u sees it; a
// project without a case returns a view with Case nil and the steps u may
// take (register).
func (a *App) OldFactory(ctx context.Context, u *gengxin.User, id int64) (*OldFactoryView, error) {
	r := a.DB.Read(ctx)
	p, err := r.Project(id)
	if err != nil {
		return nil, err
	}
	if !gengxin.CanView(u, p) {
		return nil, gengxin.Errorf(gengxin.ENotFound, "项目不存在或无权查看")
	}
	c, err := r.OldFactoryCase(id)
	if err != nil && gengxin.ErrorCode(err) != gengxin.ENotFound {
		return nil, err
	}
	d := &OldFactoryDoc{}
	if c != nil {
		if err := json.Unmarshal([]byte(c.Doc), d); err != nil {
			return nil, err
		}
	}
	return a.ofView(u, p, c, d), nil
}

// OldFactoryCaseRow is one row of the old-factory case list.
type OldFactoryCaseRow struct {
	ProjectID   int64         `json:"project_id"`
	Project     string        `json:"project"`
	District    string        `json:"district"`
	Stage       string        `json:"stage"`
	StageLabel  string        `json:"stage_label"`
	Track       string        `json:"track"`
	NextDue     calendar.Date `json:"next_due,omitzero"`
	NextDueKind string        `json:"next_due_kind,omitempty"`
	Overdue     bool          `json:"overdue"`
}

// OldFactoryCases lists the cases u may see: a district's officers their
// district's (an industry department its own), municipal roles all.
func (a *App) OldFactoryCases(ctx context.Context, u *gengxin.User, stage string) ([]OldFactoryCaseRow, error) {
	rows, _, err := a.ofCaseRows(ctx, u, stage)
	return rows, err
}

// ofCaseRows is OldFactoryCases with each row's project, for the callers
// that need more of it than its name.
func (a *App) ofCaseRows(ctx context.Context, u *gengxin.User, stage string) ([]OldFactoryCaseRow, []*gengxin.Project, error) {
	f := store.OldFactoryFilter{Stage: stage}
	switch u.Role {
	case gengxin.RoleDistrictRenewal, gengxin.RoleDistrictGov:
		f.District = u.District
	case gengxin.RoleDistrictDept:
		f.District, f.IndustryDept = u.District, u.Dept
	case gengxin.RoleMunicipalHousing, gengxin.RoleMunicipalDept:
	default:
		return nil, nil, gengxin.Errorf(gengxin.EForbidden, "「%s」无权查看老旧厂房改造案件清单", u.Role.Label())
	}
	if stage != "" {
		if _, ok := ofStageLabels[stage]; !ok {
			return nil, nil, gengxin.Errorf(gengxin.EInvalid, "未知的阶段：%s", stage)
		}
	}
	r := a.DB.Read(ctx)
	cs, err := r.OldFactoryCases(f)
	if err != nil {
		return nil, nil, err
	}
	today := a.Today()
	out := []OldFactoryCaseRow{}
	var ps []*gengxin.Project
	for _, c := range cs {
		p, err := r.Project(c.ProjectID)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, OldFactoryCaseRow{ProjectID: c.ProjectID, Project: p.Name, District: c.District, Stage: c.Stage, StageLabel: OFStageLabel(c.Stage),
			Track: c.Track, NextDue: c.NextDue, NextDueKind: c.NextDueKind, Overdue: !c.NextDue.IsZero() && today.After(c.NextDue)})
		ps = append(ps, p)
	}
	return out, ps, nil
}

func isTrue(b *bool) bool { return b != nil && *b }

// OFStages lists the stages in procedure order.
var OFStages = []string{OFMaterials, OFImplPlan, OFReview, OFPublicity, OFAgreement, OFPermits, OFSupervision, OFRectification, OFExited}

var ofDueLabels = map[string]string{"implementation_plan": "实施方案编制", "publicity": "公示期满", "evaluation": "评估",
	"rectification": "整改期限", "transition_end": "过渡期届满"}

// OFDueLabel names the kind of a case's nearest deadline.
func OFDueLabel(k string) string { return ofDueLabels[k] }

// ofWaiting names who takes the next step in stage.
func ofWaiting(p *gengxin.Project, stage string) string {
	renewal := p.District + "城市更新主管部门"
	industry := gengxin.DepartmentFullName(p.District, p.IndustryDept)
	switch stage {
	case "":
		return "实施主体：登记老旧厂房改造并提交更新改造完善材料（第六条）"
	case OFMaterials:
		return renewal + "：确定列入计划要件（第七条）"
	case OFImplPlan:
		return "实施主体：编制并提交项目实施方案（第十八条）"
	case OFReview:
		return renewal + "：组织联合审查（第十九条）"
	case OFPublicity:
		return "公示期满后，" + industry + "：签订履约监管协议（第十九条第二款、第二十条）"
	case OFAgreement:
		return industry + "：签订履约监管协议（第十七条、第二十条）"
	case OFPermits:
		return renewal + "：记录规划建设手续（第二十二条、第二十三条）"
	case OFSupervision:
		return industry + "：全过程监管，按期评估（第二十五条、第二十六条）"
	case OFRectification:
		return industry + "：整改期满后复查（第二十七条）"
	}
	return ""
}

// labelOr returns the label of k in m, or k itself when it has none.
func labelOr(m map[string]string, k string) string {
	if l, ok := m[k]; ok {
		return l
	}
	return k
}

// OldFactoryTodo lists the old-factory cases in which u may take a step now
// or which have a deadline passed, nearest deadline first (the workbench).
// Roles without a case list get none.
func (a *App) OldFactoryTodo(ctx context.Context, u *gengxin.User) ([]OldFactoryCaseRow, error) {
	rows, ps, err := a.ofCaseRows(ctx, u, "")
	if gengxin.ErrorCode(err) == gengxin.EForbidden {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []OldFactoryCaseRow
	for i, r := range rows {
		if r.Overdue || len(ofNextSteps(u, ps[i], r.Stage)) > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}
