package app

// Demo old-factory cases (issue 4): four of the demo's 产业类 projects carry
// an old-factory case at different stages, and the owners have reported a
// few factories for the inventory. The steps are dated relative to the
// project's own story so that every deadline is real.

import (
	"context"
	"encoding/json"

	"gengxin/calendar"
)

// demoOldFactory is the old-factory story of one demo project: its facts,
// and how far the case goes.
type demoOldFactory struct {
	project string // demo project name
	owner   string // 产权单位 (the permits go to it, 第二十三条)
	facts   string
	upto    string // the last stage reached
	start   int    // register this many calendar days before today
}

var demoOldFactories = []demoOldFactory{
	// Standard route, through publicity and the agreement to supervision.
	{project: "酒仙桥电子城老旧厂房更新改造项目", owner: "北京电子城集团有限责任公司", upto: OFSupervision, start: 170, facts: `{"inside_fifth_ring":true,"building_area_m2":42000,
 "vacant_area_m2":26500,"proposed_industry":"产业创新（人工智能研发）","renovation":{"use_change_main_class":true,"increase_area":false,
 "change_outline":false,"above_ground_area_after_m2":40500,"supporting_area_m2":5200,"height_after_m":28,"underground_area_m2":0,
 "excavation_depth_m":0,"single_function":false,"green_ratio_before":0.22,"green_ratio_after":0.25,"change_structure":false,
 "demolish_rebuild":false,"new_underground_space":false},"transition":{"encouraged_industry":true,"complies_with_regulatory_plan":true,
 "land_user_unchanged":true},"ownership":{"kind":"single"},"involves_central_units":false,"major_project":false,"cross_district":false,"classified":false}`},
	// Standard route in publicity now (15 working days).
	{project: "上地信息路老旧厂房更新改造项目", owner: "北京上地电子元件厂", upto: OFPublicity, start: 200, facts: `{"inside_fifth_ring":false,"building_area_m2":18000,
 "vacant_area_m2":9800,"proposed_industry":"高端制造（智能装备）","renovation":{"use_change_main_class":false,"increase_area":true,
 "change_outline":true,"above_ground_area_after_m2":21000,"supporting_area_m2":2400,"height_after_m":23.5,"underground_area_m2":0,
 "excavation_depth_m":0,"single_function":true,"green_ratio_before":0.2,"green_ratio_after":0.2},"ownership":{"kind":"district_soe"},
 "major_project":false,"cross_district":false,"classified":false}`},
	// Fast track A (interior only): waiting for the agreement.
	{project: "中关村东路老旧商务楼宇更新改造项目", upto: OFAgreement, start: 250, facts: `{"inside_fifth_ring":true,"building_area_m2":9600,
 "vacant_area_m2":6100,"safety_hazard":true,"proposed_industry":"产业创新（科技服务）","renovation":{"interior_only":true,
 "use_change_main_class":false,"increase_area":false,"change_outline":false},"ownership":{"kind":"single"}}`},
	// Standard route, plan included more than 2 years ago, plan still missing (第十八条; 建法2号 第二十条(四)).
	{project: "东坝地区老旧厂房更新利用项目", upto: OFImplPlan, start: 760, facts: `{"inside_fifth_ring":false,"building_area_m2":25000,
 "vacant_area_m2":21000,"proposed_industry":"高端制造","renovation":{"use_change_main_class":false,"demolish_rebuild":true,
 "increase_area":false,"change_outline":true,"above_ground_area_after_m2":24000,"supporting_area_m2":3000,"height_after_m":30,
 "underground_area_m2":5000,"excavation_depth_m":8,"new_underground_space":true,"single_function":false,"green_ratio_before":0.15,
 "green_ratio_after":0.21},"ownership":{"kind":"single"}}`},
}

var demoOFMaterials = OFMaterialsDoc{Unregistered: "无", Industry: "人工智能、智能装备研发及中试", LandAndScale: "见现状测绘报告",
	FundingSource: "企业自有资金 60%，银行贷款 40%", ExpectedImpact: "预计年产值 5 亿元、税收 3000 万元，新增就业岗位 1200 个", Operation: "实施主体自持运营，整体招商"}

// oldFactoryDemo schedules the old-factory steps of p when the demo has a
// story for it.
func (b *demoBuilder) oldFactoryDemo(p *demoProject) {
	for _, s := range demoOldFactories {
		if s.project == p.spec.name {
			b.oldFactoryStory(p, s)
		}
	}
}

func (b *demoBuilder) oldFactoryStory(p *demoProject, s demoOldFactory) {
	tl := b.tl
	// The case's steps keep their own order (b.add never lets a project's
	// steps go back in time): a shadow key, the same project.
	shadow := &demoProject{spec: p.spec, slug: p.slug}
	step := func(on calendar.Date, who, name string, in OldFactoryInput) calendar.Date {
		return b.add(shadow, on, "老旧厂房改造："+OFStepLabel(name), func(ctx context.Context) error {
			u, err := b.user(who)
			if err != nil {
				return err
			}
			_, err = b.s.OldFactoryStep(ctx, u, p.id, name, in)
			return err
		})
	}
	adm, ok := b.admitted[p]
	if !ok {
		return
	}
	// A story that does not fit between the admission and today (a demo
	// loaded on an early date) stops at the last step that fits.
	fits := func(d calendar.Date) bool { return !d.After(tl.hi) }
	implementer, owner := demoOrgs[p.spec.org].name, s.owner
	if owner == "" {
		owner = implementer
	}
	yes := true
	reg := step(maxDate(tl.ago(s.start), tl.after(adm, 2)), b.applicant(p), OFStepRegister, OldFactoryInput{Facts: json.RawMessage(s.facts), Materials: &demoOFMaterials,
		Owner: owner, Justifications: map[string]string{"OF-10": "原厂区绿地率较低，改造后通过屋顶绿化和口袋公园补足，已征求区园林绿化部门意见。",
			"OF-03": "项目位于五环路以外，引入高端制造业的研发中试环节，符合导则方向。"}})
	req := step(tl.after(reg, 6), b.renewal(p), OFStepRequisites, OldFactoryInput{ApproveWarnings: true, Requisites: &OFRequisites{
		Implementer: implementer, Function: "人工智能研发、科技服务及配套", Indicators: "按街区控规：地上建筑规模、高度、绿地率见实施方案",
		LandSupply: "租赁（先租后让）", Supervision: "签订履约监管协议，明确产业类型、投资强度、产出效率等", TransitionOpinion: "属鼓励类新产业，同意适用过渡期政策",
		TransitionApplies: &yes}})
	if s.upto == OFImplPlan && fits(tl.after(req, 9)) {
		// The unregistered-building list (第十四条): one building with its
		// approvals, one without, found lawful by the 街道 and put to 公示.
		no := false
		blist := step(tl.after(req, 2), b.applicant(p), OFStepBuildings, OldFactoryInput{Buildings: []OFBuilding{
			{Name: "3号厂房东侧加建库房", AreaM2: 420, Approvals: OFApprovalsComplete},
			{Name: "厂区北门传达室及连廊", AreaM2: 86.5, Approvals: OFApprovalsNone}}})
		inv := step(tl.after(blist, 5), b.renewal(p), OFStepBuildingInvestigation, OldFactoryInput{Building: 2, Investigation: &OFInvestigation{
			Body: "东坝地区办事处", On: tl.after(blist, 4), Illegal: &no, Text: "经现场调查和档案核查，该建筑为厂区原有配套用房，不涉及违反法律规定。"}})
		step(tl.after(inv, 1), b.renewal(p), OFStepBuildingPublicity, OldFactoryInput{BuildingNos: []int{2}})
	}
	if s.upto == OFAgreement || s.upto == OFImplPlan || !fits(b.s.Calendar().AddWorkdays(req, 21)) {
		return
	}
	plan := step(tl.after(req, 20), b.applicant(p), OFStepPlan, OldFactoryInput{Plan: &OFPlanDoc{Scope: "厂区 6 栋厂房及附属用房，保留主体结构改造", Design: "规划设计方案见附件",
		Schedule: "开工后 18 个月竣工", Cost: "总投资约 3.2 亿元", Financing: "自有资金及银行贷款", Operation: "自持运营、整体招商",
		LandAcquire: "租赁（先租后让）", Infrastructure: "完善市政道路、停车及公共服务设施", Property: "不分割销售", Expected: "建成人工智能研发及中试基地"}})
	var review calendar.Date
	if s.upto == OFPublicity {
		review = maxDate(tl.wd(5), tl.after(plan, 1))
	} else {
		review = tl.after(plan, 15)
	}
	review = step(review, b.renewal(p), OFStepReview, OldFactoryInput{Verdict: "pass", Opinion: "经区城市更新主管部门会同发展改革、规划自然资源、住房城乡建设、经济和信息化等部门联合审查，实施方案符合要求，同意。"})
	if s.upto == OFPublicity || !fits(b.s.Calendar().AddWorkdays(review, 16+10+2)) {
		return
	}
	end := tl.after(review, 16) // the publicity of 15 working days is over
	items := map[string]string{}
	for _, it := range OFAgreementItems {
		items[it.Key] = "按实施方案及监管要求执行"
	}
	ag := step(end, b.industry(p), OFStepAgreement, OldFactoryInput{Agreement: &OFAgreementDoc{No: "朝经信监〔" + itoa(end.Year) + "〕3号",
		Implementer: implementer, Owner: owner, Items: items, Prohibitions: []string{"change_use", "sublet", "split_sale"}, BreachHandling: "违约的，取消相关支持政策，依约收回并承担违约责任"}})
	permit := tl.after(ag, 10)
	step(tl.after(permit, 1), b.renewal(p), OFStepPermits, OldFactoryInput{Permits: &OFPermitsDoc{Holder: owner,
		PlanningPermitNo: "建字第110105" + itoa(permit.Year) + "GG0031号", PlanningPermitOn: tl.after(ag, 5),
		ConstructionPermitNo: "[" + itoa(permit.Year) + "]施[朝]建字0187号", ConstructionPermitOn: permit}})
}

// demoInventory is the factories the demo owners reported (经信14号 三(一)).
func (b *demoBuilder) demoInventory(ctx context.Context) error {
	reports := []struct {
		user string
		in   FactoryReport
	}{
		{"qiye4", FactoryReport{Name: "原北京第三机床厂二号车间", District: "朝阳区", Address: "朝阳区东坝南二街 18 号", BuildingAreaM2: "12600", VacantAreaM2: "8200"}},
		{"qiye4", FactoryReport{Name: "原北京纺织仓储库房", District: "朝阳区", Address: "朝阳区王四营乡观音堂村", BuildingAreaM2: "6800", VacantAreaM2: "3400", OutputBelowStandard: true}},
		{"qiye2", FactoryReport{Name: "原海淀电子元件厂", District: "海淀区", Address: "海淀区上地东路 9 号", BuildingAreaM2: "9300", VacantAreaM2: "2100", SafetyHazard: true}},
		{"qiye1", FactoryReport{Name: "原朝阳印刷厂", District: "朝阳区", Address: "朝阳区酒仙桥北路甲 10 号", BuildingAreaM2: "5400", VacantAreaM2: "2700"}},
	}
	for _, r := range reports {
		u, err := b.user(r.user)
		if err != nil {
			return err
		}
		if _, err := b.s.ReportFactory(ctx, u, r.in); err != nil {
			return err
		}
	}
	jx, err := b.user("chaoyang-jx")
	if err != nil {
		return err
	}
	items, _, err := b.s.Inventory(ctx, jx)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Name == "原北京第三机床厂二号车间" {
			if _, err := b.s.ReviewFactory(ctx, jx, it.ID, InvListed, "现场核实，空置率约 65%，纳入区级清单"); err != nil {
				return err
			}
		}
	}
	return nil
}
