// 京建法〔2024〕2号
// 北京市住房和城乡建设委员会关于印发《北京市城市更新项目库管理办法（试行）》的通知
//
//	Title:     北京市城市更新项目库管理办法(试行)
//	Issuer:    北京市住房和城乡建设委员会
//	Number:    京建法〔2024〕2号
//	Issued:    2024-03-28 (date on the notice)
//	In force:  2024-05-10 (第二十一条 "本办法自 2024 年 5 月 10 日起施行,有效期 3 年。")
//	Validity:  3 years: 2024-05-10 … 2027-05-09 (RULES.md §1, PL-13)
//	Source:    北京市人民政府公报 2024年第25期 p.66 (OCR text; only OCR spacing normalised)
//
// Rule ids PL-01…PL-13 are those of RULES.md §4.2. Every rule evaluated on a
// date outside the validity window gives OutOfForce (DECISIONS.md D7).

package rules

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gengxin/calendar"
)

// Project categories (项目类别) of 第十条(二), as FACTS.md spells them.
const (
	CategoryResidential   = "居住类"
	CategoryIndustrial    = "产业类"
	CategoryFacility      = "设施类"
	CategoryPublicSpace   = "公共空间类"
	CategoryAreaWide      = "区域综合性" // 区域综合性项目
	categoryFourJointText = "居住类、产业类、设施类、公共空间类"
)

// JointReviewCategories are the four categories reviewed jointly by the
// district (第十条(二)第一款) and eligible for direct import (第十一条).
var JointReviewCategories = []string{CategoryResidential, CategoryIndustrial, CategoryFacility, CategoryPublicSpace}

// Categories are all the project categories of 第十条(二).
var Categories = append(slices.Clone(JointReviewCategories), CategoryAreaWide)

// Review routes returned by ReviewRoute (第十条(二)).
const (
	RouteDistrictJointReview = "district_joint_review" // 区城市更新主管部门会同13个区级部门联合审查
	RouteDistrictGovernment  = "district_government"   // 区政府组织共同研究确定
	RouteMunicipal           = "municipal"             // 市住房城乡建设部门会同市级行业主管部门审核
)

var jianFa2From = JianFa2.From

// Parameters of 京建法〔2024〕2号.
var (
	// JianFa2ValidityYears: 第二十一条 "有效期 3 年".
	JianFa2ValidityYears = Param{Name: "JianFa2ValidityYears", Value: "3", Unit: "年",
		Citation: "京建法〔2024〕2号 第二十一条", From: jianFa2From}
	// JointReviewWorkdays: 第十条(二) "在收到申请之日起10个工作日内…开展项目联合审查";
	// read as finished within the period (DECISIONS.md D5).
	JointReviewWorkdays = Param{Name: "JointReviewWorkdays", Value: "10", Unit: "工作日",
		Citation: "京建法〔2024〕2号 第十条(二)", From: jianFa2From}
	// EntryNoticeWorkdays: 第十条(三) "在收到入库申请之日起30个工作日内制发《入库通知书》".
	EntryNoticeWorkdays = Param{Name: "EntryNoticeWorkdays", Value: "30", Unit: "工作日",
		Citation: "京建法〔2024〕2号 第十条(三)", From: jianFa2From}
	// PlanStartYears: 第十六条(五) "本年度或下一年度能够实现开工": the start year may
	// be the plan year or up to this many years after it.
	PlanStartYears = Param{Name: "PlanStartYears", Value: "1", Unit: "年",
		Citation: "京建法〔2024〕2号 第十六条(五)", From: jianFa2From}
	// AutoExitAfterYears: 第二十条(一) "自竣工验收合格之日起满一年".
	AutoExitAfterYears = Param{Name: "AutoExitAfterYears", Value: "1", Unit: "年",
		Citation: "京建法〔2024〕2号 第二十条(一)", From: jianFa2From}
	// StalePlanExitAfterYears: 第二十条(四) "纳入城市更新计划 2 年内未完成项目实施方案编制".
	StalePlanExitAfterYears = Param{Name: "StalePlanExitAfterYears", Value: "2", Unit: "年",
		Citation: "京建法〔2024〕2号 第二十条(四)", From: jianFa2From}
)

func cite2(article string) string { return JianFa2.Cite(article) }

// condition is one requirement of an article backed by one boolean fact.
type condition struct {
	item  string // "第九条(二)"
	label string // "项目统筹主体或实施主体明确"
	field string // FACTS.md field name
	val   *bool
}

// evalConditions returns Pass when every condition is true, Fail when any is
// false, Manual when none is false but some are not given; unmet lists every
// condition not shown true, so that one notice can name them all (第十二条).
func evalConditions(conds []condition) (o Outcome, unmet []string, values map[string]string) {
	values = map[string]string{}
	o = Pass
	for _, c := range conds {
		switch {
		case c.val == nil:
			values[c.field] = "未填报"
			unmet = append(unmet, fmt.Sprintf("%s %s（%s 未填报）", c.item, c.label, c.field))
			if o == Pass {
				o = Manual
			}
		case !*c.val:
			values[c.field] = "false"
			unmet = append(unmet, fmt.Sprintf("%s %s（%s=false）", c.item, c.label, c.field))
			o = Fail
		default:
			values[c.field] = "true"
		}
	}
	return o, unmet, values
}

func ptr[T any](v T) *T { return &v }

// categoryKnown returns nil when category is empty, else whether it is one
// of the five categories.
func categoryKnown(category string) *bool {
	if category == "" {
		return nil
	}
	return ptr(slices.Contains(Categories, category))
}

// entryConditions are the conditions of 第九条 for f.
func entryConditions(f LibraryFacts) []condition {
	return []condition{
		{"第九条(一)", "属于《北京市城市更新条例》第二条明确的项目类型（项目类别）", "category", categoryKnown(f.Category)},
		{"第九条(一)", "符合相关国土空间规划、法律法规和政策要求、区域发展定位", "complies_with_plans", f.CompliesWithPlans},
		{"第九条(二)", "项目统筹主体或实施主体明确", "entity_identified", f.EntityIdentified},
		{"第九条(三)", "有明确的更新目标", "goal_stated", f.GoalStated},
		{"第九条(三)", "完成资金匡算", "fund_estimate_done", f.FundEstimateDone},
	}
}

// EntryEligibility is PL-01, 第九条:
//
//	第九条 符合以下条件的城市更新项目,可以申请纳入储备项目库管理:
//	(一)属于《北京市城市更新条例》第二条明确的项目类型,符合相关国土空间规划,符合国家及本市城市更新法律法规和政策要求,符合区域发展定位。
//	(二)项目统筹主体或实施主体明确。
//	(三)有明确的更新目标,完成资金匡算。
//
// It returns one PL-01 finding: Pass when every condition holds, Fail when
// any is false, Manual when none is false but some are not given. The
// message lists every unmet condition at once (第十二条 一次性告知), and
// Values["missing"] joins them with "；". (一) is met by a known category
// plus complies_with_plans. OutOfForce when asOf is outside 2024-05-10…2027-05-09.
func EntryEligibility(f LibraryFacts, asOf calendar.Date) []Finding {
	const rule = "PL-01"
	cite := cite2("第九条")
	if !JianFa2.InForce(asOf) {
		return []Finding{outOfForce(rule, cite, JianFa2, "评估日", asOf, nil)}
	}
	o, unmet, v := evalConditions(entryConditions(f))
	if f.Category != "" {
		v["category"] = f.Category
	}
	switch o {
	case Pass:
		return []Finding{finding(rule, Pass, cite,
			fmt.Sprintf("符合第九条(一)(二)(三)全部入库条件（项目类别：%s），可以申请纳入储备项目库", f.Category), v)}
	case Fail:
		v["missing"] = strings.Join(unmet, "；")
		return []Finding{finding(rule, Fail, cite,
			fmt.Sprintf("不符合入库条件，共%d项未满足：%s", len(unmet), v["missing"]), v)}
	default:
		v["missing"] = strings.Join(unmet, "；")
		return []Finding{finding(rule, Manual, cite,
			fmt.Sprintf("入库条件有%d项未填报，需人工核实：%s", len(unmet), v["missing"]), v)}
	}
}

// dueFinding is the common part of PL-02 and PL-03.
func dueFinding(cal *calendar.Calendar, rule, cite string, p Param, what string, filed calendar.Date) (calendar.Date, Finding) {
	received := cal.ReceiptDate(filed)
	v := map[string]string{"received": received.String(), "workdays": p.Value}
	if received != filed {
		v["filed"] = filed.String()
	}
	if !JianFa2.InForce(received) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa2, "收到申请日", received, v)
	}
	n := p.Int()
	due := cal.AddWorkdays(received, n)
	v["due"] = due.String()
	msg := fmt.Sprintf("自收到申请之日 %s 起%d个工作日内%s，截止日 %s（收到当日不计入，DECISIONS D1）", received, n, what, due)
	if received != filed {
		msg += fmt.Sprintf("；%s 为非工作日提交，以下一工作日 %s 为收到日（DECISIONS D4）", filed, received)
	}
	if cal.Provisional(due) {
		v["provisional"] = "true"
		msg += "；该年度节假日安排未载入或未核实，截止日为暂定"
	}
	if !JianFa2.InForce(due) {
		v["beyond_validity"] = "true"
		msg += fmt.Sprintf("；截止日晚于本办法有效期末日 %s（RULES I-19），需确认办法是否延续", JianFa2.To)
	}
	return due, finding(rule, Applies, cite, msg, v)
}

// JointReviewDue is PL-02, 第十条(二)第一款:
//
//	(二)联合审查。属于居住类、产业类、设施类、公共空间类项目的,区城市更新主管部门应当在收到申请之日起10个工作日内,会同区发展改革、规划自然资源、财政、住房城乡建设、城市管理、交通、经济和信息化、科技、商务、民政、教育、文化、卫生健康等行业主管部门开展项目联合审查。
//
// It returns the last day by which the joint review must be finished
// (DECISIONS.md D5): the JointReviewWorkdays-th working day after the receipt
// day, where a filing on a non-working day is received on the next working
// day (D4). After a correction notice the complete resubmission is a new
// receipt (D6): call it again with that date. Outcome Applies; when the
// receipt day is outside 2024-05-10…2027-05-09 it returns the zero Date and
// OutOfForce (no statutory clock from this 办法, SCENARIOS T03). A due date
// after the expiry or in a provisional calendar year is flagged in Values.
func JointReviewDue(cal *calendar.Calendar, received calendar.Date) (calendar.Date, Finding) {
	return dueFinding(cal, "PL-02", cite2("第十条(二)"), JointReviewWorkdays, "完成项目联合审查", received)
}

// EntryNoticeDue is PL-03, 第十条(三):
//
//	(三)入库确认。经审查,项目符合入库条件的,区城市更新主管部门应当在收到入库申请之日起30个工作日内制发《北京市城市更新项目纳入储备项目库通知书》(以下简称《入库通知书》)。
//
// It returns the last day for issuing the 《入库通知书》: the
// EntryNoticeWorkdays-th working day after the receipt day, counted from the
// receipt, so the review time is included. Same conventions as
// JointReviewDue. For 区域综合性 and 重大/跨区 projects the clock is shown but
// not enforced (RULES.md I-16).
func EntryNoticeDue(cal *calendar.Calendar, received calendar.Date) (calendar.Date, Finding) {
	return dueFinding(cal, "PL-03", cite2("第十条(三)"), EntryNoticeWorkdays, "制发《入库通知书》", received)
}

// ReviewRoute is the routing part of PL-02, 第十条(二):
//
//	属于居住类、产业类、设施类、公共空间类项目的,区城市更新主管部门应当在收到申请之日起10个工作日内,会同……行业主管部门开展项目联合审查。
//	属于区域综合性项目的,由各区政府组织区发展改革、规划自然资源、财政、住房城乡建设等部门共同研究确定纳入项目库管理。
//	属于国家或本市重大项目的,由市住房城乡建设部门会同相关市级行业主管部门审核后,纳入项目所在区城市更新项目库。跨区项目由市住房城乡建设部门指定应纳入的区级项目库。
//
// It returns RouteMunicipal for a national or municipal major project or a
// cross-district project (whatever the category; for cross-district the
// municipal housing commission names the district library),
// RouteDistrictGovernment for 区域综合性, and RouteDistrictJointReview for the
// four other categories, with an Applies finding citing the paragraph. An
// empty or unknown category without major/cross-district gives "" and Fail.
func ReviewRoute(category string, major, crossDistrict bool) (route string, f Finding) {
	const rule = "PL-02"
	v := map[string]string{"category": category, "major": strconv.FormatBool(major), "cross_district": strconv.FormatBool(crossDistrict)}
	switch {
	case major || crossDistrict:
		v["route"] = RouteMunicipal
		msg := "国家或本市重大项目：由市住房城乡建设部门会同相关市级行业主管部门审核后，纳入项目所在区城市更新项目库"
		if crossDistrict {
			msg = "跨区项目：由市住房城乡建设部门会同相关市级行业主管部门审核，并由市住房城乡建设部门指定应纳入的区级项目库"
		}
		return RouteMunicipal, finding(rule, Applies, cite2("第十条(二)第三款"),
			msg+"；10个工作日联合审查时限不适用，入库通知书时限仅作提示（RULES I-16）", v)
	case category == CategoryAreaWide:
		v["route"] = RouteDistrictGovernment
		return RouteDistrictGovernment, finding(rule, Applies, cite2("第十条(二)第二款"),
			"区域综合性项目：由区政府组织区发展改革、规划自然资源、财政、住房城乡建设等部门共同研究确定纳入项目库管理；入库通知书时限仅作提示（RULES I-16）", v)
	case slices.Contains(JointReviewCategories, category):
		v["route"] = RouteDistrictJointReview
		return RouteDistrictJointReview, finding(rule, Applies, cite2("第十条(二)"),
			fmt.Sprintf("%s项目：区城市更新主管部门在收到申请之日起%s个工作日内会同区级行业主管部门完成联合审查", category, JointReviewWorkdays.Value), v)
	default:
		return "", finding(rule, Fail, cite2("第十条(二)"),
			fmt.Sprintf("项目类别 %q 无效，应为 %s、%s 之一", category, categoryFourJointText, CategoryAreaWide), v)
	}
}

// OneShotCorrection is PL-04, 第十二条:
//
//	第十二条 区城市更新主管部门通过城市更新信息系统及时将项目入库审核结果告知申报主体。需要补正材料的，应当一次性告知。申报主体可通过城市更新信息系统下载打印《入库通知书》。
//
// Given every item to correct, it returns Applies with all of them in one
// notice (a second notice needs a recorded reason, DECISIONS.md D6), or
// NotApplicable when nothing is missing.
func OneShotCorrection(missing []string, asOf calendar.Date) Finding {
	const rule = "PL-04"
	cite := cite2("第十二条")
	if !JianFa2.InForce(asOf) {
		return outOfForce(rule, cite, JianFa2, "评估日", asOf, nil)
	}
	if len(missing) == 0 {
		return finding(rule, NotApplicable, cite, "无需补正材料", nil)
	}
	v := map[string]string{"count": strconv.Itoa(len(missing)), "items": strings.Join(missing, "；")}
	return finding(rule, Applies, cite,
		fmt.Sprintf("需要补正材料的，应当一次性告知：共%d项：%s", len(missing), v["items"]), v)
}

// ImportEligible is PL-05, 第十一条:
//
//	第十一条 符合本办法第九条规定,已经市、区行业主管部门审核确认的居住类、产业类、设施类、公共空间类城市更新项目，无须进行网上申报，应当由该类项目的区级行业主管部门将项目信息直接导入或录入城市更新储备项目库，并由区城市更新主管部门制发《入库通知书》。
//
// It answers whether a project already approved by a municipal or district
// industry department may be imported without an online application: Pass
// for the four categories, Fail for 区域综合性 or an unknown category, Manual
// when the category is not given. The 第九条 conditions are PL-01's.
func ImportEligible(category string, asOf calendar.Date) Finding {
	const rule = "PL-05"
	cite := cite2("第十一条")
	if !JianFa2.InForce(asOf) {
		return outOfForce(rule, cite, JianFa2, "评估日", asOf, nil)
	}
	v := map[string]string{"category": category}
	switch {
	case slices.Contains(JointReviewCategories, category):
		return finding(rule, Pass, cite, fmt.Sprintf(
			"%s项目经市、区行业主管部门审核确认的，无须网上申报，由区级行业主管部门直接导入或录入储备项目库，并由区城市更新主管部门制发《入库通知书》（须同时符合第九条）", category), v)
	case category == CategoryAreaWide:
		return finding(rule, Fail, cite,
			"区域综合性项目不适用直接导入：第十一条仅适用于"+categoryFourJointText+"项目；应由区政府组织共同研究确定纳入项目库管理（第十条(二)第二款）", v)
	case category == "":
		return finding(rule, Manual, cite, "未提供项目类别，无法判断能否直接导入", v)
	default:
		return finding(rule, Fail, cite, fmt.Sprintf("项目类别 %q 无效，第十一条仅适用于%s项目", category, categoryFourJointText), v)
	}
}

// ImplementationReady is PL-06, 第十五条:
//
//	第十五条 储备项目取得统筹或实施主体确认文件,规划、功能业态及监管要求等基本明确,经行业主管部门认定具备实施条件的,由区级行业主管部门通过城市更新信息系统将项目调整至实施项目库进行管理。
//
// It returns one PL-06 finding: Pass when confirmation_document,
// planning_and_use_clear and industry_dept_certified are all true, Fail when
// any is false, Manual when none is false but some are not given; the
// message names every missing one (SCENARIOS T09).
func ImplementationReady(f LibraryFacts, asOf calendar.Date) []Finding {
	const rule = "PL-06"
	cite := cite2("第十五条")
	if !JianFa2.InForce(asOf) {
		return []Finding{outOfForce(rule, cite, JianFa2, "评估日", asOf, nil)}
	}
	o, unmet, v := evalConditions([]condition{
		{"第十五条", "取得统筹或实施主体确认文件", "confirmation_document", f.ConfirmationDocument},
		{"第十五条", "规划、功能业态及监管要求等基本明确", "planning_and_use_clear", f.PlanningAndUseClear},
		{"第十五条", "经行业主管部门认定具备实施条件", "industry_dept_certified", f.IndustryDeptCertified},
	})
	switch o {
	case Pass:
		return []Finding{finding(rule, Pass, cite,
			"已取得确认文件，规划、功能业态及监管要求基本明确，经行业主管部门认定具备实施条件：由区级行业主管部门通过城市更新信息系统调整至实施项目库", v)}
	case Fail:
		v["missing"] = strings.Join(unmet, "；")
		return []Finding{finding(rule, Fail, cite,
			fmt.Sprintf("不能调整至实施项目库，共%d项未满足：%s", len(unmet), v["missing"]), v)}
	default:
		v["missing"] = strings.Join(unmet, "；")
		return []Finding{finding(rule, Manual, cite,
			fmt.Sprintf("调整至实施项目库的条件有%d项未填报，需人工核实：%s", len(unmet), v["missing"]), v)}
	}
}

// PlanEligible is PL-07, 第十六条:
//
//	第十六条 各区政府应当将具备实施条件的项目及时纳入城市更新计划,并加快组织实施。具备以下条件的项目,可纳入本市城市更新计划。
//	(一)落实相关国土空间规划要求,结合行业发展规划及准入标准,项目产业业态、用地及建筑规模需求、规划指标等符合相关要求。
//	(二)涉及未登记建筑和过渡期政策的项目,应明确未登记建筑处置的有关意见和产业业态符合过渡期政策的有关意见。
//	(三)项目有稳定的资金来源。
//	(四)更新目标及更新过程符合《北京市城市更新条例》第四条等有关要求。
//	(五)本年度或下一年度能够实现开工。
//
// It returns five PL-07 findings, one per item, each citing its item:
// (一) from complies_with_plans, (三) from stable_funding, (五) from
// expected_start_year against plan_year (or as_of's year when plan_year is
// not given): Pass for plan_year … plan_year+PlanStartYears, Fail when later,
// Manual when earlier or not given. (二) and (四) have no fact in FACTS.md
// and are always Manual. Use Worst to combine them into one verdict.
func PlanEligible(f LibraryFacts, asOf calendar.Date) []Finding {
	const rule = "PL-07"
	if !JianFa2.InForce(asOf) {
		return []Finding{outOfForce(rule, cite2("第十六条"), JianFa2, "评估日", asOf, nil)}
	}
	boolItem := func(item, label, field string, val *bool) Finding {
		o, _, v := evalConditions([]condition{{item, label, field, val}})
		msg := map[Outcome]string{
			Pass:   label + "：是",
			Fail:   label + "：否，不具备纳入城市更新计划的条件",
			Manual: label + "：未填报，需人工核实",
		}[o]
		return finding(rule, o, cite2("第十六条"+item), msg, v)
	}
	out := []Finding{
		boolItem("(一)", "项目产业业态、用地及建筑规模需求、规划指标等符合国土空间规划及相关要求", "complies_with_plans", f.CompliesWithPlans),
		finding(rule, Manual, cite2("第十六条(二)"),
			"涉及未登记建筑和过渡期政策的项目，应明确未登记建筑处置的有关意见和产业业态符合过渡期政策的有关意见：是否涉及及意见是否明确，需人工核实", nil),
		boolItem("(三)", "项目有稳定的资金来源", "stable_funding", f.StableFunding),
		finding(rule, Manual, cite2("第十六条(四)"),
			"更新目标及更新过程符合《北京市城市更新条例》第四条等有关要求：需人工核实", nil),
		startYearItem(f, asOf),
	}
	return out
}

func startYearItem(f LibraryFacts, asOf calendar.Date) Finding {
	const rule = "PL-07"
	cite := cite2("第十六条(五)")
	planYear, source := asOf.Year, "as_of"
	if f.PlanYear != nil {
		planYear, source = *f.PlanYear, "plan_year"
	}
	last := planYear + PlanStartYears.Int()
	v := map[string]string{"plan_year": strconv.Itoa(planYear), "plan_year_source": source, "latest_start_year": strconv.Itoa(last)}
	if f.ExpectedStartYear == nil {
		return finding(rule, Manual, cite, fmt.Sprintf("未填报预计开工年度，无法判断能否在本年度（%d）或下一年度（%d）开工", planYear, last), v)
	}
	start := *f.ExpectedStartYear
	v["expected_start_year"] = strconv.Itoa(start)
	switch {
	case start < planYear:
		return finding(rule, Manual, cite, fmt.Sprintf("预计开工年度 %d 早于计划年度 %d，需人工核实", start, planYear), v)
	case start <= last:
		return finding(rule, Pass, cite, fmt.Sprintf("预计开工年度 %d 在本年度（%d）或下一年度（%d）内", start, planYear, last), v)
	default:
		return finding(rule, Fail, cite, fmt.Sprintf("预计开工年度 %d 晚于下一年度（%d），不符合“本年度或下一年度能够实现开工”", start, last), v)
	}
}

// PlanInclusionEffect is PL-08, 第十八条第一款:
//
//	第十八条 城市更新项目纳入本市城市更新计划后，视同已完成“多规合一”初审，规划自然资源部门不再出具“多规合一”初审意见。项目统筹主体、实施主体按相关要求编制实施方案或设计方案。
//
// Applies once the project is in the plan (planIncludedOn non-zero);
// NotApplicable otherwise. The action date is planIncludedOn.
func PlanInclusionEffect(planIncludedOn, asOf calendar.Date) Finding {
	const rule = "PL-08"
	cite := cite2("第十八条")
	if planIncludedOn.IsZero() {
		return finding(rule, NotApplicable, cite, "项目尚未纳入城市更新计划", nil)
	}
	v := map[string]string{"plan_included_on": planIncludedOn.String()}
	if !JianFa2.InForce(asOf) {
		return outOfForce(rule, cite, JianFa2, "评估日", asOf, v)
	}
	if !JianFa2.InForce(planIncludedOn) {
		return outOfForce(rule, cite, JianFa2, "纳入计划日", planIncludedOn, v)
	}
	return finding(rule, Applies, cite, fmt.Sprintf(
		"项目于 %s 纳入城市更新计划，视同已完成“多规合一”初审，规划自然资源部门不再出具初审意见；统筹主体、实施主体按要求编制实施方案或设计方案", planIncludedOn), v)
}

// PlanBenefits is PL-09, 第十九条:
//
//	第十九条 城市更新项目纳入计划后,市、区城市更新主管部门和行业主管部门应当主动指导统筹主体、实施主体编制项目实施方案,及时协调解决项目实施推进过程中遇到的问题,提供专项服务保障。纳入本市城市更新计划的项目,可以享受以下政策支持:
//	依法享受行政事业性收费减免,优先纳入市级资金支持范围,相关纳税人依法享受税收优惠政策。
//	按照本市城市更新项目土地价款管理规定、建筑功能混合管理规定,享受相关政策支持。
//	在项目主体、招标内容和资金来源等条件基本确定的前提下,区人民政府或者实施主体可以依法开展勘察设计招标等工作。
//	鼓励金融机构对纳入本市城市更新计划的项目给予基金、信贷等金融支持,开展住房公积金支持城市更新项目试点。
//
// Applies once the project is in the plan, listing the support it may claim.
func PlanBenefits(planIncludedOn, asOf calendar.Date) Finding {
	const rule = "PL-09"
	cite := cite2("第十九条")
	if planIncludedOn.IsZero() {
		return finding(rule, NotApplicable, cite, "项目尚未纳入城市更新计划", nil)
	}
	v := map[string]string{"plan_included_on": planIncludedOn.String()}
	if !JianFa2.InForce(asOf) {
		return outOfForce(rule, cite, JianFa2, "评估日", asOf, v)
	}
	if !JianFa2.InForce(planIncludedOn) {
		return outOfForce(rule, cite, JianFa2, "纳入计划日", planIncludedOn, v)
	}
	return finding(rule, Applies, cite,
		"纳入本市城市更新计划的项目可享受：行政事业性收费减免、优先纳入市级资金支持范围、税收优惠；土地价款及建筑功能混合政策支持；项目主体、招标内容和资金来源等条件基本确定后可依法开展勘察设计招标；基金、信贷等金融支持及住房公积金试点", v)
}

// AutoExitDate is the day the system takes a project out of the library
// under 第二十条(一): the one-year period starts the day after
// completionAccepted, its last day is the corresponding date a year later
// (DECISIONS.md D1), and the exit happens the day after that last day.
// Accepted 2025-03-20 → last day 2026-03-20 → exit 2026-03-21. It is
// arithmetic only: AutoExit says whether the rule applies.
func AutoExitDate(completionAccepted calendar.Date) calendar.Date {
	return autoExitLastDay(completionAccepted).AddDays(1)
}

func autoExitLastDay(completionAccepted calendar.Date) calendar.Date {
	return calendar.AddYears(completionAccepted, AutoExitAfterYears.Int())
}

// AutoExit is PL-10, 第二十条(一):
//
//	第二十条 对存在以下情况的城市更新项目,应当按程序退出市、区两级项目库,并在操作出库后通过城市更新信息系统告知原申报主体。
//	(一)竣工且自竣工验收合格之日起满一年的项目,系统自动操作出库。
//
// It returns Applies when asOf is on or after AutoExitDate (the system exits
// the project and notifies the original applicant), NotApplicable before it
// or when there is no 竣工验收合格 date (a project 竣工 but not accepted is
// never auto-exited), and OutOfForce when asOf or the exit date itself is
// outside 2024-05-10…2027-05-09: an exit due after the expiry is flagged,
// never performed silently (SCENARIOS T13, RULES I-19).
func AutoExit(completionAccepted, asOf calendar.Date) Finding {
	const rule = "PL-10"
	cite := cite2("第二十条(一)")
	if completionAccepted.IsZero() {
		return finding(rule, NotApplicable, cite, "无竣工验收合格日期：未竣工验收合格的项目不自动出库", nil)
	}
	last, exit := autoExitLastDay(completionAccepted), AutoExitDate(completionAccepted)
	v := map[string]string{
		"completion_accepted_on": completionAccepted.String(),
		"period_last_day":        last.String(),
		"auto_exit_on":           exit.String(),
		"as_of":                  asOf.String(),
	}
	if !JianFa2.InForce(asOf) {
		return outOfForce(rule, cite, JianFa2, "评估日", asOf, v)
	}
	if !JianFa2.InForce(exit) {
		return outOfForce(rule, cite, JianFa2, "应自动出库日", exit, v)
	}
	if asOf.Before(exit) {
		return finding(rule, NotApplicable, cite, fmt.Sprintf(
			"竣工验收合格日 %s 起满一年的末日为 %s，截至 %s 尚未届满；届满后于 %s 由系统自动出库", completionAccepted, last, asOf, exit), v)
	}
	return finding(rule, Applies, cite, fmt.Sprintf(
		"竣工验收合格日 %s 起已满一年（末日 %s）：系统于 %s 自动操作出库，并通过城市更新信息系统告知原申报主体", completionAccepted, last, exit), v)
}

// StalePlanDueDate is the last day of the two-year period of 第二十条(四) for
// finishing the 实施方案: plan inclusion + StalePlanExitAfterYears (D1).
func StalePlanDueDate(planIncludedOn calendar.Date) calendar.Date {
	return calendar.AddYears(planIncludedOn, StalePlanExitAfterYears.Int())
}

// StalePlanExitOffered is PL-11, 第二十条(四):
//
//	(四)纳入城市更新计划 2 年内未完成项目实施方案编制的,由区级行业主管部门操作出库。
//
// Applies means: offer exit ground (四) to the 区级行业主管部门, who decides;
// it is never automatic (DECISIONS.md D11). NotApplicable when the project
// needs no 实施方案 (fast tracks, 简易低风险; RULES I-13) or is not in the
// plan. Pass when the plan was finished on or before the last day
// (StalePlanDueDate), or when that day has not passed yet. Applies when asOf
// is after the last day and the plan was not finished by then (a late
// completion is named in the message). OutOfForce when asOf, or the first
// day the ground holds, is outside 2024-05-10…2027-05-09.
func StalePlanExitOffered(planIncludedOn calendar.Date, planDoneOn calendar.Date, needsPlan bool, asOf calendar.Date) Finding {
	const rule = "PL-11"
	cite := cite2("第二十条(四)")
	if !needsPlan {
		return finding(rule, NotApplicable, cite,
			"项目无需编制实施方案（快速通道或简易低风险项目），不适用第二十条(四)出库情形（DECISIONS D11）", map[string]string{"needs_implementation_plan": "false"})
	}
	if planIncludedOn.IsZero() {
		return finding(rule, NotApplicable, cite, "项目尚未纳入城市更新计划", nil)
	}
	last := StalePlanDueDate(planIncludedOn)
	v := map[string]string{"plan_included_on": planIncludedOn.String(), "period_last_day": last.String(), "as_of": asOf.String()}
	if !planDoneOn.IsZero() {
		v["implementation_plan_done_on"] = planDoneOn.String()
	}
	if !JianFa2.InForce(asOf) {
		return outOfForce(rule, cite, JianFa2, "评估日", asOf, v)
	}
	if !planDoneOn.IsZero() && !planDoneOn.After(last) {
		return finding(rule, Pass, cite, fmt.Sprintf(
			"纳入计划日 %s，实施方案已于 %s 完成编制，未超过2年期限末日 %s", planIncludedOn, planDoneOn, last), v)
	}
	if !asOf.After(last) {
		return finding(rule, Pass, cite, fmt.Sprintf(
			"纳入计划日 %s，实施方案尚未完成编制，2年期限末日为 %s，截至 %s 尚在期限内", planIncludedOn, last, asOf), v)
	}
	from := last.AddDays(1)
	if !JianFa2.InForce(from) {
		return outOfForce(rule, cite, JianFa2, "出库情形成立日", from, v)
	}
	late := "未完成"
	if !planDoneOn.IsZero() {
		late = fmt.Sprintf("未完成（实际于 %s 完成）", planDoneOn)
	}
	return finding(rule, Applies, cite, fmt.Sprintf(
		"纳入计划日 %s 起2年内（末日 %s）%s项目实施方案编制：提示区级行业主管部门可操作出库，不自动出库（DECISIONS D11）", planIncludedOn, last, late), v)
}

// ExitGroundInfo is one exit ground of 第二十条: its item number 1–5, the
// item as printed, its Chinese text, citation, rule id, who performs the exit
// and whether the system does it automatically.
type ExitGroundInfo struct {
	N         int
	Item      string
	Text      string
	Citation  string
	Rule      string
	Actor     string
	Automatic bool
}

// ExitGrounds are the five exit grounds of 第二十条, in order. After any
// exit the original applicant is notified through the system (第二十条 序言).
var ExitGrounds = []ExitGroundInfo{
	{1, "(一)", "竣工且自竣工验收合格之日起满一年的项目,系统自动操作出库。", cite2("第二十条(一)"), "PL-10", "系统", true},
	{2, "(二)", "统筹主体、实施主体向区级行业主管部门申请自愿退出项目库,经区级行业主管部门认定后操作出库。", cite2("第二十条(二)"), "PL-12", "区级行业主管部门", false},
	{3, "(三)", "经行业主管部门认定,确属不具备可实施性的项目,由区级行业主管部门操作出库。", cite2("第二十条(三)"), "PL-12", "区级行业主管部门", false},
	{4, "(四)", "纳入城市更新计划2年内未完成项目实施方案编制的,由区级行业主管部门操作出库。", cite2("第二十条(四)"), "PL-11", "区级行业主管部门", false},
	{5, "(五)", "统筹主体、实施主体实施城市更新项目过程中有违反相关法律法规规定行为的,经区级行业主管部门组织核实后操作出库。", cite2("第二十条(五)"), "PL-12", "区级行业主管部门", false},
}

// ExitGround returns exit ground n (1–5) of 第二十条, or an error for any
// other n.
func ExitGround(n int) (ExitGroundInfo, error) {
	if n < 1 || n > len(ExitGrounds) {
		return ExitGroundInfo{}, fmt.Errorf("出库情形编号 %d 无效，应为 1—%d（第二十条(一)至(五)）", n, len(ExitGrounds))
	}
	return ExitGrounds[n-1], nil
}

// ErrNotManualExit is returned by ManualExit for grounds (一) and (四), which
// AutoExit and StalePlanExitOffered evaluate.
var ErrNotManualExit = errors.New("第二十条(一)由系统自动出库、(四)由 StalePlanExitOffered 判断，不属于人工认定出库情形")

// ManualExit is PL-12, 第二十条(二)(三)(五):
//
//	(二)统筹主体、实施主体向区级行业主管部门申请自愿退出项目库,经区级行业主管部门认定后操作出库。
//	(三)经行业主管部门认定,确属不具备可实施性的项目,由区级行业主管部门操作出库。
//	(五)统筹主体、实施主体实施城市更新项目过程中有违反相关法律法规规定行为的,经区级行业主管部门组织核实后操作出库。
//
// For ground 2, 3 or 5 it returns Manual: the 区级行业主管部门 certifies (or
// verifies) and performs the exit, then the original applicant is notified.
// Other n give an error (ErrNotManualExit for 1 and 4).
func ManualExit(n int, asOf calendar.Date) (Finding, error) {
	g, err := ExitGround(n)
	if err != nil {
		return Finding{}, err
	}
	if g.Rule != "PL-12" {
		return Finding{}, ErrNotManualExit
	}
	if !JianFa2.InForce(asOf) {
		return outOfForce(g.Rule, g.Citation, JianFa2, "评估日", asOf, nil), nil
	}
	return finding(g.Rule, Manual, g.Citation,
		"出库情形"+g.Item+"："+g.Text+"操作出库后通过城市更新信息系统告知原申报主体", map[string]string{"ground": strconv.Itoa(n)}), nil
}

// ProjectLibraryInForce is PL-13, 第二十一条:
//
//	第二十一条 本办法自2024年5月10日起施行,有效期3年。
//
// Pass when d is within 2024-05-10…2027-05-09, OutOfForce otherwise.
func ProjectLibraryInForce(d calendar.Date) Finding { return InForce(JianFa2, d) }
