package gengxin

import "slices"

// Action is a procedure step (DESIGN.md §4 `POST /api/v1/projects/{id}/actions/{action}`).
type Action string

// Procedure steps of 京建法〔2024〕2号.
const (
	ActSubmit            Action = "submit"             // 网上申报, 第十条(一)
	ActOpenReview        Action = "open-review"        // 联合审查, 第十条(二)
	ActOpinion           Action = "opinion"            // 部门审查意见, 第十条(二)
	ActRequestCorrection Action = "request-correction" // 一次性告知补正, 第十二条
	ActResubmit          Action = "resubmit"           // 补正后重新提交 (D6)
	ActAdmit             Action = "admit"              // 入库确认, 第十条(三)
	ActReject            Action = "reject"             // 不予入库, 第十二条
	ActPromote           Action = "promote"            // 调整至实施项目库, 第十五条
	ActPlan              Action = "plan"               // 纳入城市更新计划, 第十六条
	ActPlanDone          Action = "plan-done"          // 实施方案编制完成, 第十八条
	ActComplete          Action = "complete"           // 竣工验收合格, 第二十条(一)
	ActExit              Action = "exit"               // 出库, 第二十条
	ActRecord            Action = "record"             // 日常管理/定期查验/信息维护, 第十三条
)

// Label returns the Chinese name of the step.
func (a Action) Label() string {
	switch a {
	case ActSubmit:
		return "提交申报"
	case ActOpenReview:
		return "启动联合审查"
	case ActOpinion:
		return "提出审查意见"
	case ActRequestCorrection:
		return "一次性告知补正"
	case ActResubmit:
		return "补正后重新提交"
	case ActAdmit:
		return "纳入储备项目库"
	case ActReject:
		return "不予入库"
	case ActPromote:
		return "调整至实施项目库"
	case ActPlan:
		return "纳入城市更新计划"
	case ActPlanDone:
		return "登记实施方案编制完成"
	case ActComplete:
		return "登记竣工验收合格"
	case ActExit:
		return "出库"
	case ActRecord:
		return "登记管理记录"
	}
	return string(a)
}

// Route is how a project's entry is decided (京建法〔2024〕2号 第十条(二)).
type Route string

// Routes.
const (
	RouteJointReview Route = "district_joint_review" // 居住/产业/设施/公共空间: 区城市更新主管部门 + 13 departments
	RouteDistrictGov Route = "district_government"   // 区域综合性: 区政府
	RouteMunicipal   Route = "municipal"             // 国家或本市重大项目, 跨区项目: 市住房城乡建设部门
)

// RouteOf returns the entry route of a project.
func RouteOf(p *Project) Route {
	switch {
	case p.Major || p.CrossDistrict:
		return RouteMunicipal
	case p.Category == Comprehensive:
		return RouteDistrictGov
	}
	return RouteJointReview
}

// Label returns the Chinese description of the route.
func (r Route) Label() string {
	switch r {
	case RouteDistrictGov:
		return "区政府组织研究确定（区域综合性项目）"
	case RouteMunicipal:
		return "市住房城乡建设部门审核（重大或跨区项目）"
	}
	return "区城市更新主管部门会同区级行业主管部门联合审查"
}

// Transition is one row of the state machine: in a state From, the step
// Action by one of Roles leads to To. Guards that need facts (the gazette's
// conditions) are checked by the application with the rules package and
// cite Citation. To == "" means the state does not change.
type Transition struct {
	Action   Action
	From     Status
	To       Status
	Roles    []Role
	Routes   []Route // empty = any route
	Citation string
}

// Transitions is the project-library state machine (RULES.md §3.1).
var Transitions = []Transition{
	{ActSubmit, StatusDraft, StatusSubmitted, []Role{RoleApplicant}, nil, "京建法〔2024〕2号 第九条、第十条(一)"},

	{ActOpenReview, StatusSubmitted, StatusInReview, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十条(二)"},
	{ActOpinion, StatusInReview, "", []Role{RoleDistrictDept}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十条(二)"},

	{ActRequestCorrection, StatusSubmitted, StatusCorrectionRequested, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十二条"},
	{ActRequestCorrection, StatusSubmitted, StatusCorrectionRequested, []Role{RoleDistrictGov}, []Route{RouteDistrictGov}, "京建法〔2024〕2号 第十二条"},
	{ActRequestCorrection, StatusSubmitted, StatusCorrectionRequested, []Role{RoleMunicipalHousing}, []Route{RouteMunicipal}, "京建法〔2024〕2号 第十二条"},
	{ActRequestCorrection, StatusInReview, StatusCorrectionRequested, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十二条"},
	{ActResubmit, StatusCorrectionRequested, StatusSubmitted, []Role{RoleApplicant}, nil, "京建法〔2024〕2号 第十二条"},

	{ActAdmit, StatusInReview, StatusReserve, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十条(三)、第十二条、第十三条"},
	{ActAdmit, StatusSubmitted, StatusReserve, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十条(三)、第十一条"},
	{ActAdmit, StatusSubmitted, StatusReserve, []Role{RoleDistrictGov}, []Route{RouteDistrictGov}, "京建法〔2024〕2号 第十条(二)第二款"},
	{ActAdmit, StatusSubmitted, StatusReserve, []Role{RoleMunicipalHousing}, []Route{RouteMunicipal}, "京建法〔2024〕2号 第十条(二)第三款"},
	{ActReject, StatusInReview, StatusRejected, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十二条"},
	{ActReject, StatusSubmitted, StatusRejected, []Role{RoleDistrictRenewal}, []Route{RouteJointReview}, "京建法〔2024〕2号 第十二条"},
	{ActReject, StatusSubmitted, StatusRejected, []Role{RoleDistrictGov}, []Route{RouteDistrictGov}, "京建法〔2024〕2号 第十条(二)第二款"},
	{ActReject, StatusSubmitted, StatusRejected, []Role{RoleMunicipalHousing}, []Route{RouteMunicipal}, "京建法〔2024〕2号 第十条(二)第三款"},

	{ActPromote, StatusReserve, StatusImplementation, []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第十五条"},
	{ActPlan, StatusImplementation, "", []Role{RoleDistrictGov}, nil, "京建法〔2024〕2号 第十六条、第十七条"},
	{ActPlanDone, StatusImplementation, "", []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第十八条"},
	{ActComplete, StatusImplementation, "", []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第二十条(一)"},

	{ActExit, StatusReserve, StatusExited, []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第二十条"},
	{ActExit, StatusImplementation, StatusExited, []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第二十条"},

	{ActRecord, StatusReserve, "", []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第十三条"},
	{ActRecord, StatusImplementation, "", []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第十三条"},
	{ActRecord, StatusExited, "", []Role{RoleDistrictDept}, nil, "京建法〔2024〕2号 第十三条"},
}

// Actions lists every action of Transitions once, in order.
func Actions() []Action {
	var out []Action
	seen := map[Action]bool{}
	for _, t := range Transitions {
		if !seen[t.Action] {
			seen[t.Action] = true
			out = append(out, t.Action)
		}
	}
	return out
}

// FindTransition returns the transition for action a in state from on route
// r, preferring the row of role (another role's row is returned when there is
// none, for the caller to refuse with a reason).
// It returns an EConflict error naming the state when there is none.
func FindTransition(a Action, from Status, r Route, role Role) (Transition, error) {
	known := false
	var candidate *Transition
	for _, t := range Transitions {
		if t.Action != a {
			continue
		}
		known = true
		if t.From != from {
			continue
		}
		if len(t.Routes) > 0 && !containsRoute(t.Routes, r) {
			continue
		}
		if slices.Contains(t.Roles, role) {
			return t, nil
		}
		if candidate == nil {
			candidate = &t
		}
	}
	if candidate != nil {
		return *candidate, nil
	}
	if !known {
		return Transition{}, Errorf(ENotFound, "未知的办理事项：%s", a)
	}
	return Transition{}, Errorf(EConflict, "项目当前状态为「%s」，不能办理「%s」", from.Label(), a.Label())
}

func containsRoute(rs []Route, r Route) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// ExitGroundSystem is the ground of 第二十条(一), applied only by the sweep.
const ExitGroundSystem = 1
