// 京规自发〔2024〕67号
// 北京市规划和自然资源委员会等5部门关于印发《老旧厂房更新改造工作实施细则(试行)》的通知
//
//	Title:     老旧厂房更新改造工作实施细则(试行)
//	Issuer:    北京市规划和自然资源委员会、北京市发展和改革委员会、北京市住房和城乡建设委员会、
//	           北京市经济和信息化局、北京市科学技术委员会、中关村科技园区管理委员会（"等5部门"）
//	Number:    京规自发〔2024〕67号
//	Issued:    2024-03-14 (date on the notice)
//	In force:  2024-03-14 (第二十九条 "本细则自印发之日起试行，有效期为五年。")
//	Validity:  5 years: 2024-03-14 … 2029-03-13 (RULES.md §1, OF-36)
//	Source:    北京市人民政府公报 2024年第25期 p.46 (OCR text; only OCR spacing normalised)
//
// Article numbers are cited as printed. The gazette has no 第十一条 and two
// 第十四条 (RULES.md I-01): 第十二条, 第十三条 and both 第十四条 are cited with
// their 【heading】 (DECISIONS.md D9), e.g. 京规自发〔2024〕67号 第十四条【未登记建筑物】.
//
// Rule ids OF-01…OF-36 are those of RULES.md §4.1; OF-01, OF-08 and OF-15 rest
// on 京经信发〔2024〕14号 alone and live in jingxin_2024_14_old_factory_guide.go.
// Every rule evaluated on a date outside the validity window gives OutOfForce
// (DECISIONS.md D7); a deadline that merely ends after it is still computed
// and flagged with Values["beyond_validity"] (RULES.md I-19).

package rules

import (
	"fmt"
	"slices"
	"strings"

	"gengxin/calendar"
)

var guiZi67From = GuiZi67.From

// Parameters of 京规自发〔2024〕67号. Shares are integers (a percentage, or a
// numerator and a denominator) so that every Param reads as an Int.
var (
	// GuiZi67ValidityYears: 第二十九条 "有效期为五年".
	GuiZi67ValidityYears = Param{Name: "GuiZi67ValidityYears", Value: "5", Unit: "年",
		Citation: "京规自发〔2024〕67号 第二十九条", From: guiZi67From}
	// OwnerConsentNumerator / OwnerConsentDenominator: 第八条 "经参与表决专有部分面积
	// 四分之三以上的业主且参与表决人数四分之三以上的业主同意"; 以上 is inclusive.
	OwnerConsentNumerator = Param{Name: "OwnerConsentNumerator", Value: "3", Unit: "（四分之三的分子）",
		Citation: "京规自发〔2024〕67号 第八条", From: guiZi67From}
	OwnerConsentDenominator = Param{Name: "OwnerConsentDenominator", Value: "4", Unit: "（四分之三的分母）",
		Citation: "京规自发〔2024〕67号 第八条", From: guiZi67From}
	// VoteQuorumNumerator / VoteQuorumDenominator: 第八条 "按照《中华人民共和国民法典》
	// 规定": 民法典 第二百七十八条 requires participation of ≥ 2/3 of the
	// exclusive area and ≥ 2/3 of the owners (external; RULES I-22, DECISIONS D12).
	VoteQuorumNumerator = Param{Name: "VoteQuorumNumerator", Value: "2", Unit: "（三分之二的分子）",
		Citation: "京规自发〔2024〕67号 第八条（民法典 第二百七十八条，DECISIONS D12）", From: guiZi67From}
	VoteQuorumDenominator = Param{Name: "VoteQuorumDenominator", Value: "3", Unit: "（三分之二的分母）",
		Citation: "京规自发〔2024〕67号 第八条（民法典 第二百七十八条，DECISIONS D12）", From: guiZi67From}
	// SupportFacilitiesMaxPercent: 第十条第三款 "配建配套服务设施地上建筑规模不超过更新改造后
	// 地上总建筑面积的15%" (also 京经信发〔2024〕14号 三(四)1); inclusive.
	SupportFacilitiesMaxPercent = Param{Name: "SupportFacilitiesMaxPercent", Value: "15", Unit: "%",
		Citation: "京规自发〔2024〕67号 第十条第三款", From: guiZi67From}
	// GreenRatioThresholdPercent: 第十条第五款 "改造前绿地率超过20%的…改造前绿地率低于20%的".
	GreenRatioThresholdPercent = Param{Name: "GreenRatioThresholdPercent", Value: "20", Unit: "%",
		Citation: "京规自发〔2024〕67号 第十条第五款", From: guiZi67From}
	// LandLeaseMaxYears: 第十五条第二款 "最长不得超过二十年"; inclusive.
	LandLeaseMaxYears = Param{Name: "LandLeaseMaxYears", Value: "20", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第二款", From: guiZi67From}
	// RentReviewMaxIntervalYears: 第十五条第二款 "时间间隔不得超过五年"; inclusive.
	RentReviewMaxIntervalYears = Param{Name: "RentReviewMaxIntervalYears", Value: "5", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第二款", From: guiZi67From}
	// LandTermMax*: 第十五条第三款 "该用途土地出让法定最高年限": the maxima are external
	// (城镇国有土地使用权出让和转让暂行条例 第十二条; RULES I-23, DECISIONS D13 ⚙).
	LandTermMaxResidential = Param{Name: "LandTermMaxResidential", Value: "70", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第三款（居住用地法定最高年限，DECISIONS D13）", From: guiZi67From}
	LandTermMaxIndustrial = Param{Name: "LandTermMaxIndustrial", Value: "50", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第三款（工业用地法定最高年限，DECISIONS D13）", From: guiZi67From}
	LandTermMaxPublicService = Param{Name: "LandTermMaxPublicService", Value: "50", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第三款（教育科技文化卫生体育用地法定最高年限，DECISIONS D13）", From: guiZi67From}
	LandTermMaxCommercial = Param{Name: "LandTermMaxCommercial", Value: "40", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第三款（商业旅游娱乐用地法定最高年限，DECISIONS D13）", From: guiZi67From}
	LandTermMaxComprehensive = Param{Name: "LandTermMaxComprehensive", Value: "50", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十五条第三款（综合或者其他用地法定最高年限，DECISIONS D13）", From: guiZi67From}
	// TransitionYears: 第十六条第一款 "可在五年内实行继续按原用途和土地权利类型使用土地的过渡期政策".
	TransitionYears = Param{Name: "TransitionYears", Value: "5", Unit: "年",
		Citation: "京规自发〔2024〕67号 第十六条第一款", From: guiZi67From}
	// OldFactoryPublicityWorkdays: 第十九条第二款 "公示时间不得少于十五个工作日".
	OldFactoryPublicityWorkdays = Param{Name: "OldFactoryPublicityWorkdays", Value: "15", Unit: "工作日",
		Citation: "京规自发〔2024〕67号 第十九条第二款", From: guiZi67From}
	// UnregisteredPublicityWorkdays: 第十四条 "不涉及违反法律规定的,经公示后可以纳入实施方案"
	// states no period. Our default (docs/OLD_FACTORY.md "未登记建筑物公示期限"): the
	// same ≥15 working days as the plan's publicity of 第十九条第二款, so that one
	// procedure has one publicity period.
	UnregisteredPublicityWorkdays = Param{Name: "UnregisteredPublicityWorkdays", Value: "15", Unit: "工作日",
		Citation: "京规自发〔2024〕67号 第十四条【未登记建筑物】（未规定公示期限，本系统口径参照第十九条第二款，docs/OLD_FACTORY.md）", From: guiZi67From}
	// FastTrackB*: 第二十一条第二款 "改造后地上建筑规模不超过10000平方米,建筑高度不超过24米,
	// 地下规模不大于2000平方米,开挖深度不大于3米"; all inclusive.
	FastTrackBMaxAboveGroundM2 = Param{Name: "FastTrackBMaxAboveGroundM2", Value: "10000", Unit: "平方米",
		Citation: "京规自发〔2024〕67号 第二十一条第二款", From: guiZi67From}
	FastTrackBMaxHeightM = Param{Name: "FastTrackBMaxHeightM", Value: "24", Unit: "米",
		Citation: "京规自发〔2024〕67号 第二十一条第二款", From: guiZi67From}
	FastTrackBMaxUndergroundM2 = Param{Name: "FastTrackBMaxUndergroundM2", Value: "2000", Unit: "平方米",
		Citation: "京规自发〔2024〕67号 第二十一条第二款", From: guiZi67From}
	FastTrackBMaxExcavationM = Param{Name: "FastTrackBMaxExcavationM", Value: "3", Unit: "米",
		Citation: "京规自发〔2024〕67号 第二十一条第二款", From: guiZi67From}
	// FirstEvaluationYears: 第二十六条 "首次评估应在更新改造项目取得建筑工程施工许可证后的五年内进行".
	FirstEvaluationYears = Param{Name: "FirstEvaluationYears", Value: "5", Unit: "年",
		Citation: "京规自发〔2024〕67号 第二十六条", From: guiZi67From}
	// EvaluationIntervalYears: 第二十六条 "每次评估时间间隔不得超过五年".
	EvaluationIntervalYears = Param{Name: "EvaluationIntervalYears", Value: "5", Unit: "年",
		Citation: "京规自发〔2024〕67号 第二十六条", From: guiZi67From}
)

// OldFactoryParams returns the Params of 京规自发〔2024〕67号 and
// 京经信发〔2024〕14号 (the OF rules), for Params().
func OldFactoryParams() []Param {
	return []Param{
		VacancyThresholdPercent, SingleStoreyWarnStoreys,
		GuiZi67ValidityYears, OwnerConsentNumerator, OwnerConsentDenominator,
		VoteQuorumNumerator, VoteQuorumDenominator,
		SupportFacilitiesMaxPercent, GreenRatioThresholdPercent,
		LandLeaseMaxYears, RentReviewMaxIntervalYears,
		LandTermMaxResidential, LandTermMaxIndustrial, LandTermMaxPublicService,
		LandTermMaxCommercial, LandTermMaxComprehensive,
		TransitionYears, OldFactoryPublicityWorkdays, UnregisteredPublicityWorkdays,
		FastTrackBMaxAboveGroundM2, FastTrackBMaxHeightM, FastTrackBMaxUndergroundM2, FastTrackBMaxExcavationM,
		FirstEvaluationYears, EvaluationIntervalYears,
	}
}

// Tracks (FACTS.md route.track) and permit routes (route.permit).
const (
	TrackStandard = "standard" // 实施方案编制 → 联合审查 → 公示 → 签订协议 → 手续 (第二十一条第三款)
	TrackFastA    = "fast_a"   // 第二十一条第一款
	TrackFastB    = "fast_b"   // 第二十一条第二款
	TrackNewBuild = "new_build"

	PermitDirectConstruction = "direct_construction"               // 第二十二条第二款
	PermitFacadeThenBuild    = "facade_planning_then_construction" // 第二十二条第二款 "其中"
	PermitMultiPlan          = "multi_plan_consultation"           // 第二十二条第三款
)

// CentralDistricts are the districts of 中心城区 (DECISIONS.md D10).
var CentralDistricts = []string{"东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区"}

func cite67(article string) string { return GuiZi67.Cite(article) }

// not67 returns an OutOfForce finding when asOf is outside 2024-03-14…2029-03-13.
func not67(rule, cite string, asOf calendar.Date, v map[string]string) (Finding, bool) {
	if GuiZi67.InForce(asOf) {
		return Finding{}, false
	}
	return outOfForce(rule, cite, GuiZi67, "评估日", asOf, v), true
}

func boolStr(b *bool) string {
	if b == nil {
		return "未填报"
	}
	return fmt.Sprint(*b)
}

// OldFactoryScope is OF-02, 第二条【适用范围】:
//
//	本细则适用于本市中心城区范围内老旧厂房的更新改造。本细则所称老旧厂房包括老旧工业厂房、仓储用房及相关工业设施。涉及不可移动文物、历史建筑、简易低风险工程建设项目、利用老旧厂房改建保障性租赁住房或租赁型职工集体宿舍项目等,按照相关规定执行。
//	中心城区以外各区可参照本细则执行,也可单独制定适合自身区域特点的实施细则。
//
// Applies for a district of 中心城区 (CentralDistricts, DECISIONS.md D10);
// Manual outside it (参照执行 or the district's own 细则, RULES.md I-04);
// NotApplicable when the new use is 保障性租赁住房 or 租赁型职工集体宿舍
// (按照相关规定执行); Manual when the district is not given. 京经信发〔2024〕14号
// 一(三) applies city-wide and is named in the message.
func OldFactoryScope(f OldFactoryFacts, asOf calendar.Date) Finding {
	const rule = "OF-02"
	cite := cite67("第二条")
	v := map[string]string{"district": f.District}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	guide := "；京经信发〔2024〕14号 一(三) 适用于全市范围（已更新为其他用途且已改变规划使用性质的再次更新项目除外）"
	use := ""
	if f.Renovation != nil {
		use = f.Renovation.UseAfter
	}
	if use == "保障性租赁住房" || strings.Contains(use, "租赁型职工集体宿舍") {
		v["use_after"] = use
		return finding(rule, NotApplicable, cite, fmt.Sprintf("利用老旧厂房改建%s项目，按照相关规定执行，不适用本细则", use)+guide, v)
	}
	d := strings.TrimSpace(f.District)
	if d == "" {
		return finding(rule, Manual, cite, "未填报所在区（district），无法判断是否位于中心城区（东城、西城、朝阳、海淀、丰台、石景山，DECISIONS D10）"+guide, v)
	}
	if !strings.HasSuffix(d, "区") {
		d += "区"
	}
	carve := "（涉及不可移动文物、历史建筑、简易低风险工程建设项目的，按照相关规定执行，需人工核实）"
	if slices.Contains(CentralDistricts, d) {
		v["central_area"] = "true"
		return finding(rule, Applies, cite, fmt.Sprintf("%s位于中心城区，适用本细则%s", d, carve)+guide, v)
	}
	v["central_area"], v["reference_only"] = "false", "true"
	return finding(rule, Manual, cite, fmt.Sprintf(
		"%s位于中心城区以外：可参照本细则执行，也可适用该区单独制定的实施细则，需确认该区适用的细则（RULES I-04）%s", d, carve)+guide, v)
}

// IndustryOrientation is OF-03, 第九条【功能业态】 with 京经信发〔2024〕14号 三(三):
//
//	第九条 …五环路以内的更新改造项目可根据规划和实际需要,补齐城市功能短板,引入符合要求的产业创新项目;五环路以外其他区域更新改造项目原则上用于发展高端制造业。…
//	三(三) 五环路以内和北京城市副中心的老旧厂房可根据规划和实际需要，引入产业创新项目，补齐城市功能短板；五环路以外其他区域的老旧厂房原则上用于发展高端制造业。
//
// Pass inside the 五环路 (any compliant industry) and in the 城市副中心, which
// follows the Guide (RULES.md I-05, DECISIONS.md D10; cited to the Guide,
// the message names the Rules' silence). Outside: Pass for 高端制造, Warn for
// another industry (原则上 → soft, D8), Manual when the industry or the
// location is not given.
func IndustryOrientation(f OldFactoryFacts, asOf calendar.Date) Finding {
	const rule = "OF-03"
	v := map[string]string{"inside_fifth_ring": boolStr(f.InsideFifthRing), "in_sub_center": boolStr(f.InSubCenter), "proposed_industry": f.ProposedIndustry}
	if isTrue(f.InSubCenter) {
		cite := cite14("三(三)")
		if !JingXin14.InForce(asOf) {
			return outOfForce(rule, cite, JingXin14, "评估日", asOf, v)
		}
		return finding(rule, Pass, cite,
			"项目位于北京城市副中心：按京经信发〔2024〕14号 三(三)，可根据规划和实际需要引入产业创新项目、补齐城市功能短板；京规自发〔2024〕67号 第九条仅规定五环路以内，未提及城市副中心，且副中心不在中心城区，两文件不一致，按导则处理（RULES I-05，DECISIONS D10）", v)
	}
	cite := cite67("第九条")
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	switch {
	case f.InsideFifthRing == nil:
		return finding(rule, Manual, cite, "未填报是否位于五环路以内（inside_fifth_ring），无法判断产业导向（五环路以内可引入产业创新项目，以外原则上发展高端制造业）", v)
	case *f.InsideFifthRing:
		return finding(rule, Pass, cite, "项目位于五环路以内：可根据规划和实际需要补齐城市功能短板，引入符合要求的产业创新项目（京经信发〔2024〕14号 三(三) 同）；具体产业业态应符合控制性详细规划", v)
	case f.ProposedIndustry == "":
		return finding(rule, Manual, cite, "项目位于五环路以外，原则上用于发展高端制造业；未填报拟引入产业（proposed_industry），需人工核实", v)
	case strings.Contains(f.ProposedIndustry, "高端制造"):
		return finding(rule, Pass, cite, "项目位于五环路以外，拟发展高端制造业，符合“原则上用于发展高端制造业”", v)
	default:
		return finding(rule, Warn, cite, fmt.Sprintf(
			"项目位于五环路以外，拟引入“%s”，不属于高端制造业：第九条（及京经信发〔2024〕14号 三(三)）规定“原则上用于发展高端制造业”，需书面说明理由并记录审批人（DECISIONS D8）", f.ProposedIndustry), v)
	}
}

// UseDecision is OF-04, 第九条【功能业态】:
//
//	功能业态分为产业业态和配套功能两部分。…具体产业业态应符合控制性详细规划要求,由相应行业主管部门结合行业发展规划和企业需求确定;配套功能由区规划自然资源部门根据控制性详细规划确定,并听取责任规划师意见。
//
// Applies: names who decides; the decisions themselves are not facts.
func UseDecision(f OldFactoryFacts, asOf calendar.Date) Finding {
	const rule = "OF-04"
	cite := cite67("第九条")
	v := map[string]string{}
	if f.ProposedIndustry != "" {
		v["proposed_industry"] = f.ProposedIndustry
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	return finding(rule, Applies, cite,
		"具体产业业态应符合控制性详细规划要求，由相应行业主管部门结合行业发展规划和企业需求确定；配套功能由区规划自然资源部门根据控制性详细规划确定，并听取责任规划师意见", v)
}

// PlanningIndicators is OF-05, 第十条第一、二款:
//
//	规划指标包含用地规模、建筑规模、建筑高度、绿地率等内容,由区规划自然资源部门根据控制性详细规划进行确定。
//	更新改造项目用地内涉及规划市政、道路、绿地等用地的,应按规划予以腾退。
//
// Manual: the 控规 indicators and any land to vacate are not facts.
func PlanningIndicators(r *RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-05"
	cite := cite67("第十条第一、二款")
	v := map[string]string{}
	if r != nil {
		if r.AboveGroundAreaAfterM2 != nil {
			v["above_ground_area_after_m2"] = r.AboveGroundAreaAfterM2.String()
		}
		if r.HeightAfterM != nil {
			v["height_after_m"] = r.HeightAfterM.String()
		}
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	return finding(rule, Manual, cite,
		"用地规模、建筑规模、建筑高度、绿地率等规划指标由区规划自然资源部门根据控制性详细规划确定；用地内涉及规划市政、道路、绿地等用地的，应按规划予以腾退：控规指标及腾退情况需人工核实", v)
}

// SupportFacilitiesCap is OF-06, 第十条第三款 (also 京经信发〔2024〕14号 三(四)1):
//
//	为解决安全、环保、便利等问题,或根据产业升级以及完善区域配套需求,更新改造项目可根据实际需求,配建配套服务设施。配建配套服务设施地上建筑规模不超过更新改造后地上总建筑面积的15%,具体功能可包含行政办公、配套商业、科研用房、员工宿舍等主要为本项目进行配套服务的功能,其用地可按照不改变规划用地性质和土地用途管理。
//
// supporting_area_m2 / above_ground_area_after_m2 — the POST-renovation
// above-ground total, support facilities included — compared exactly with
// SupportFacilitiesMaxPercent: Pass at or below 15 % (3,000 of 20,000 ㎡),
// Fail above (3,020 of 20,000 = 15.1 %; 不超过 → hard, D8). Manual when
// either area is missing or the total is not positive.
func SupportFacilitiesCap(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-06"
	cite := cite67("第十条第三款")
	v := map[string]string{"max_percent": SupportFacilitiesMaxPercent.Value}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	if r.SupportingAreaM2 == nil || r.AboveGroundAreaAfterM2 == nil {
		if r.SupportingAreaM2 != nil {
			v["supporting_area_m2"] = r.SupportingAreaM2.String()
		}
		return finding(rule, Manual, cite, "未填报配建配套服务设施地上建筑面积（supporting_area_m2）或更新改造后地上总建筑面积（above_ground_area_after_m2），无法核对“不超过15%”", v)
	}
	sup, total := *r.SupportingAreaM2, *r.AboveGroundAreaAfterM2
	v["supporting_area_m2"], v["above_ground_area_after_m2"] = sup.String(), total.String()
	if total.Sign() <= 0 || sup.Sign() < 0 {
		return finding(rule, Manual, cite, fmt.Sprintf("面积数据无效（配套 %s㎡，改造后地上总建筑面积 %s㎡），需人工核实", sup, total), v)
	}
	share := percent(sup, total)
	v["share_percent"] = share
	maxArea := total.Mul(SupportFacilitiesMaxPercent.Decimal())
	maxArea, _ = maxArea.Quo(hundred)
	v["max_area_m2"] = maxArea.String()
	if sup.Cmp(maxArea) <= 0 {
		return finding(rule, Pass, cite, fmt.Sprintf(
			"配建配套服务设施地上建筑面积 %s㎡，占更新改造后地上总建筑面积 %s㎡ 的 %s%%，不超过%s%%（上限 %s㎡）", sup, total, share, SupportFacilitiesMaxPercent.Value, maxArea), v)
	}
	return finding(rule, Fail, cite, fmt.Sprintf(
		"配建配套服务设施地上建筑面积 %s㎡，占更新改造后地上总建筑面积 %s㎡ 的 %s%%，超过%s%%（上限 %s㎡）：不符合“不超过更新改造后地上总建筑面积的15%%”（分母为改造后地上总建筑面积）", sup, total, share, SupportFacilitiesMaxPercent.Value, maxArea), v)
}

// AddingFloors is OF-07, 第十条第四款:
//
//	在符合规范要求、保障安全的基础上,可以经依法批准后合理利用厂房内部空间进行加层改造。加层层高可结合实施主体自身需求合理确定。
//
// Applies (加层 allowed with approval; no floor limit) for a single-storey
// building with more storeys after; NotApplicable when there is no 加层 (one
// storey after, or single-storey kept); Manual when the storeys before are
// unknown. Where the Guide's 不宜 fires (OF-08) the message names the
// disagreement (RULES.md I-03).
func AddingFloors(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-07"
	cite := cite67("第十条第四款")
	v := map[string]string{"single_storey_before": boolStr(r.SingleStoreyBefore)}
	if r.StoreysAfter != nil {
		v["storeys_after"] = fmt.Sprint(*r.StoreysAfter)
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	switch {
	case r.StoreysAfter == nil:
		return finding(rule, Manual, cite, "未填报改造后层数（storeys_after），无法判断是否加层改造", v)
	case *r.StoreysAfter <= 1:
		return finding(rule, NotApplicable, cite, fmt.Sprintf("改造后 %d 层，不涉及加层改造", *r.StoreysAfter), v)
	case r.SingleStoreyBefore == nil || !*r.SingleStoreyBefore:
		return finding(rule, Manual, cite, fmt.Sprintf("改造后 %d 层；未提供原有层数，是否加层需人工核实。加层改造须在符合规范要求、保障安全的基础上经依法批准，加层层高可结合实施主体自身需求合理确定", *r.StoreysAfter), v)
	}
	n := *r.StoreysAfter
	msg := fmt.Sprintf("单层厂房加层改造为 %d 层：在符合规范要求、保障安全的基础上，经依法批准后可以合理利用厂房内部空间进行加层改造，加层层高可结合实施主体自身需求合理确定，本细则未限制层数", n)
	if n >= SingleStoreyWarnStoreys.Int() {
		msg += fmt.Sprintf("；京经信发〔2024〕14号 三(四)2 提示“单层厂房不宜改造成三层及以上空间”，两文件不一致：以本细则为准不予否决，按导则提示处理（见 OF-08，RULES I-03）")
	}
	return finding(rule, Applies, cite, msg, v)
}

// AncillaryOutsideControl is OF-09, 第十二条【建筑规模管控】 (also 京经信发〔2024〕14号 三(四)3):
//
//	更新改造项目增设必要的楼梯、风道、无障碍设施、电梯、外墙保温等附属设施和室外开敞性公共空间的,增加的建筑规模可以不计入各区建筑管控规模,由各区单独备案统计。
//
// Applies when the works only add such facilities (the area goes to a
// separate district ledger); Manual otherwise, since the contract has no
// field for ancillary area inside a larger project.
func AncillaryOutsideControl(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-09"
	cite := cite67("第十二条【建筑规模管控】")
	v := map[string]string{"ancillary_only": boolStr(r.AncillaryOnly)}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	if isTrue(r.AncillaryOnly) {
		v["separate_ledger"] = "true"
		return finding(rule, Applies, cite,
			"增设楼梯、风道、无障碍设施、电梯、外墙保温等附属设施和室外开敞性公共空间：增加的建筑规模可以不计入各区建筑管控规模，由各区单独备案统计（单独台账）", v)
	}
	return finding(rule, Manual, cite,
		"项目不止增设附属设施（或未填报）：其中增设的楼梯、风道、无障碍设施、电梯、外墙保温等附属设施和室外开敞性公共空间面积可以不计入各区建筑管控规模、单独备案统计，该面积需人工填报核实", v)
}

// GreenRatio is OF-10, 第十条第五款 (first sentence):
//
//	更新改造项目改造前绿地率超过 20% 的,改造后绿地率不应低于原绿地率;改造前绿地率低于 20% 的,改造后绿地率原则上不应低于 20%。
//
// Before > 20 %: after ≥ before, else Fail (不应, hard). Before < 20 %: after
// ≥ 20 %, else Warn (原则上, soft). Before exactly 20 % is in neither branch
// (RULES.md I-21): after ≥ 20 % is applied, and a shortfall is a Warn
// because no clause covers it. Manual when a ratio is missing or outside 0…1.
func GreenRatio(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-10"
	cite := cite67("第十条第五款")
	v := map[string]string{"threshold_percent": GreenRatioThresholdPercent.Value}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	if r.GreenRatioBefore == nil || r.GreenRatioAfter == nil {
		return finding(rule, Manual, cite, "未填报改造前或改造后绿地率（green_ratio_before、green_ratio_after），无法核对绿地率要求", v)
	}
	before, after := *r.GreenRatioBefore, *r.GreenRatioAfter
	v["green_ratio_before"], v["green_ratio_after"] = before.String(), after.String()
	one := DecimalFromInt(1)
	if before.Sign() < 0 || after.Sign() < 0 || before.Cmp(one) > 0 || after.Cmp(one) > 0 {
		return finding(rule, Manual, cite, fmt.Sprintf("绿地率应为0至1之间的比例，填报值 %s、%s 无效，需人工核实", before, after), v)
	}
	thr, _ := GreenRatioThresholdPercent.Decimal().Quo(hundred)
	b, a := fracPercent(before), fracPercent(after)
	switch c := before.Cmp(thr); {
	case c > 0:
		if after.Cmp(before) >= 0 {
			return finding(rule, Pass, cite, fmt.Sprintf("改造前绿地率 %s%% 超过20%%，改造后 %s%% 不低于原绿地率", b, a), v)
		}
		return finding(rule, Fail, cite, fmt.Sprintf("改造前绿地率 %s%% 超过20%%，改造后 %s%% 低于原绿地率：不符合“改造后绿地率不应低于原绿地率”", b, a), v)
	case c < 0:
		if after.Cmp(thr) >= 0 {
			return finding(rule, Pass, cite, fmt.Sprintf("改造前绿地率 %s%% 低于20%%，改造后 %s%% 不低于20%%", b, a), v)
		}
		return finding(rule, Warn, cite, fmt.Sprintf("改造前绿地率 %s%% 低于20%%，改造后 %s%% 低于20%%：“原则上不应低于20%%”，需书面说明理由并记录审批人（DECISIONS D8）", b, a), v)
	default:
		v["exactly_threshold"] = "true"
		if after.Cmp(thr) >= 0 {
			return finding(rule, Pass, cite, fmt.Sprintf("改造前绿地率恰为20%%（两种情形均未覆盖，按不低于20%%核对，RULES I-21），改造后 %s%% 不低于20%%", a), v)
		}
		return finding(rule, Warn, cite, fmt.Sprintf("改造前绿地率恰为20%%（第十条第五款两种情形均未覆盖，按不低于20%%核对，RULES I-21），改造后 %s%% 低于20%%：原文未明确，作软性校验，需书面说明理由并记录审批人", a), v)
	}
}

// OtherStandards is OF-11, 第十条第五款 (second sentence):
//
//	在保障公共安全的前提下,人防工程、建筑退线、建筑间距、日照时间、机动车及非机动车停车数量等原则上应满足现行标准和规范要求,确实无法满足的,可以按照改造后不低于现状的标准进行审批。
//
// Manual: none of these standards is a fact; a shortfall is soft (原则上).
func OtherStandards(asOf calendar.Date) Finding {
	const rule = "OF-11"
	cite := cite67("第十条第五款")
	if o, ok := not67(rule, cite, asOf, nil); ok {
		return o
	}
	return finding(rule, Manual, cite,
		"人防工程、建筑退线、建筑间距、日照时间、机动车及非机动车停车数量等原则上应满足现行标准和规范要求；确实无法满足的，可以按照改造后不低于现状的标准审批（软性，DECISIONS D8）：需人工核实", nil)
}

// CivilDefence is OF-12, 第十三条【人防工程】:
//
//	更新改造项目不改变既有建筑结构,仅改变建筑使用功能的,或保留原有主体结构且地下基础不变,仅对地上建筑改建、改造或内部加层的,无需建设人防工程;更新改造项目涉及新建建筑物的,或建筑物整体拆除重建的,或涉及新增地下空间开发利用的,应按要求建设人防工程。
//
// Applies (人防 required, Values["civil_defence_required"]="true") for
// 拆除重建 or new underground space; NotApplicable (no 人防) when the
// structure is unchanged and the area is not increased, or the works only add
// ancillary facilities; Manual otherwise (a structural change keeping the
// foundation, or added area that may be a new building, is not in the facts).
func CivilDefence(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-12"
	cite := cite67("第十三条【人防工程】")
	v := map[string]string{
		"demolish_rebuild": boolStr(r.DemolishRebuild), "new_underground_space": boolStr(r.NewUndergroundSpace),
		"change_structure": boolStr(r.ChangeStructure),
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	switch {
	case isTrue(r.DemolishRebuild) || isTrue(r.NewUndergroundSpace):
		v["civil_defence_required"] = "true"
		what := "建筑物整体拆除重建"
		if isTrue(r.NewUndergroundSpace) {
			what = "新增地下空间开发利用"
			if isTrue(r.DemolishRebuild) {
				what = "建筑物整体拆除重建并新增地下空间开发利用"
			}
		}
		return finding(rule, Applies, cite, "项目涉及"+what+"，应按要求建设人防工程", v)
	case r.DemolishRebuild == nil || r.NewUndergroundSpace == nil:
		return finding(rule, Manual, cite, "未填报是否拆除重建（demolish_rebuild）或新增地下空间（new_underground_space），无法判断是否应建设人防工程", v)
	case r.ChangeStructure != nil && !*r.ChangeStructure && (isTrue(r.AncillaryOnly) || (r.IncreaseArea != nil && !*r.IncreaseArea)):
		v["civil_defence_required"] = "false"
		return finding(rule, NotApplicable, cite, "不改变既有建筑结构、不新建建筑物、不拆除重建、不新增地下空间：无需建设人防工程", v)
	default:
		return finding(rule, Manual, cite, "改变结构或增加建筑规模：保留原有主体结构且地下基础不变、仅对地上建筑改建改造或内部加层的无需建设人防工程；涉及新建建筑物的应按要求建设，需人工核实", v)
	}
}

// FireReview is OF-13, 第十四条【消防审核】 (and 京经信发〔2024〕14号 四(三)6):
//
//	更新改造项目应满足现行消防设计法规和技术标准要求。确实无法满足的,可按照尊重历史、因地制宜的原则,在确保不低于原建造标准的前提下,依据《北京市既有建筑改造工程消防设计指南(试行)》(京规自发〔2021〕79号)和本市相关地方标准进行审核。对于采用《北京市既有建筑改造工程消防设计指南(试行)》无法解决的其他消防技术问题,实施主体可提出设计解决方案,由规划自然资源部门组织开展更新改造项目特殊消防设计专家论证。
//
// Manual: the fire path is not a fact. The message names the two guide
// versions the documents cite (RULES.md I-10).
func FireReview(asOf calendar.Date) Finding {
	const rule = "OF-13"
	cite := cite67("第十四条【消防审核】")
	if o, ok := not67(rule, cite, asOf, nil); ok {
		return o
	}
	return finding(rule, Manual, cite,
		"应满足现行消防设计法规和技术标准；确实无法满足的，在确保不低于原建造标准的前提下依据《北京市既有建筑改造工程消防设计指南》和本市地方标准审核；仍无法解决的，由实施主体提出设计解决方案，规划自然资源部门组织特殊消防设计专家论证：需人工核实。注：本细则引用指南(试行)（京规自发〔2021〕79号），京经信发〔2024〕14号 四(三)6 引用(2023年版)，两文件不一致，默认采用最新版本（RULES I-10）", nil)
}

// UnregisteredBuildings is OF-14, 第十四条【未登记建筑物】 (and 京经信发〔2024〕14号 三(四)4):
//
//	更新改造项目包含未办理不动产登记,但已取得土地和规划审批手续的建筑物,可以纳入实施方案研究后一并办理相关手续。更新改造项目包含无审批手续、审批手续不全或者现状与原审批不符的建筑物,区人民政府应当组织项目所在地街道办事处或乡镇人民政府进行调查、认定,涉及违反法律规定的,应当依法处理,完善相关手续后再纳入更新改造项目;不涉及违反法律规定的,经公示后可以纳入实施方案研究后一并办理相关手续。其中,涉及土地有偿使用的,可以协议方式办理建设用地使用权租赁、出让、先租后让、作价出资或者入股等土地有偿使用手续。未登记建筑物办理相关手续前应做好房屋质量安全鉴定。
//
// Manual in the facts contract, which has no unregistered-building list; the
// old-factory case records the list and guards the plan and the permits with
// it (app/oldfactory_buildings.go, docs/OLD_FACTORY.md).
func UnregisteredBuildings(asOf calendar.Date) Finding {
	const rule = "OF-14"
	cite := cite67("第十四条【未登记建筑物】")
	if o, ok := not67(rule, cite, asOf, nil); ok {
		return o
	}
	return finding(rule, Manual, cite,
		"是否包含未登记建筑物未填报，需人工核实：已取得土地和规划审批手续的，可纳入实施方案研究后一并办理；无审批手续、手续不全或与原审批不符的，由区政府组织街道、乡镇调查认定，违法的依法处理并完善手续后再纳入，不违法的经公示后纳入；办理手续前应做好房屋质量安全鉴定（公示期限未规定）", nil)
}

// UnregisteredPublicity is OF-14's 公示 of a building found not to break the
// law (第十四条 "不涉及违反法律规定的,经公示后可以纳入实施方案研究后一并办理相关手续").
// The article gives no period: the end is start + UnregisteredPublicityWorkdays
// working days on the holiday calendar (our default, see the Param; the start
// day is not counted, DECISIONS D1). OutOfForce outside 67号's window.
func UnregisteredPublicity(cal *calendar.Calendar, start calendar.Date) (calendar.Date, Finding) {
	const rule = "OF-14"
	cite := cite67("第十四条【未登记建筑物】")
	v := map[string]string{"publicity_start": start.String(), "workdays": UnregisteredPublicityWorkdays.Value}
	if o, ok := not67(rule, cite, start, v); ok {
		return calendar.Date{}, o
	}
	n := UnregisteredPublicityWorkdays.Int()
	end := cal.AddWorkdays(start, n)
	v["publicity_end"] = end.String()
	msg := fmt.Sprintf("未登记建筑物经调查认定不涉及违反法律规定的，经公示后可以纳入实施方案：第十四条未规定公示期限，按本系统口径不少于%d个工作日（参照第十九条第二款），自 %s 次日起算，于 %s 届满", n, start, end)
	if cal.Provisional(end) {
		v["provisional"] = "true"
		msg += "；该年度节假日安排未载入或未核实，末日为暂定"
	}
	msg += beyond67(end, v)
	return end, finding(rule, Applies, cite, msg, v)
}

// LandSupply is OF-16, 第十五条第一款:
//
//	【供地方式】由区规划自然资源部门按照相关法规,结合更新改造后的建筑使用功能和实施主体意愿进行确定。符合划拨用地政策,或者代建配套服务设施后产权移交政府有关部门或单位的,以划拨方式办理用地手续;不符合划拨用地政策的,可以按照相关规定办理租赁、出让、先租后让、作价出资或者入股等土地有偿使用手续。
//
// Applies for a paid supply method; Manual for 划拨 (划拨 policy or hand-over
// must be certified) and when the method is not given.
func LandSupply(l LandFacts, asOf calendar.Date) Finding {
	const rule = "OF-16"
	cite := cite67("第十五条第一款")
	v := map[string]string{"supply": l.Supply}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	switch l.Supply {
	case "":
		return finding(rule, Manual, cite, "未填报供地方式（supply）：由区规划自然资源部门结合更新改造后的建筑使用功能和实施主体意愿确定", v)
	case "划拨":
		return finding(rule, Manual, cite, "拟以划拨方式供地：须符合划拨用地政策，或代建配套服务设施后产权移交政府有关部门或单位，需人工核实；由区规划自然资源部门确定", v)
	default:
		return finding(rule, Applies, cite, fmt.Sprintf("供地方式为%s（土地有偿使用），由区规划自然资源部门按照相关法规，结合更新改造后的建筑使用功能和实施主体意愿确定", l.Supply), v)
	}
}

// LandLeaseTerm is OF-17, 第十五条第二款:
//
//	鼓励更新改造项目以租赁方式使用土地,承租人取得租赁建设用地使用权后可依法办理不动产登记手续。租赁建设用地使用权的年期在土地租赁合同中约定,最长不得超过二十年。
//
// lease_years (or, failing it, lease_then_sale.lease_years) ≤
// LandLeaseMaxYears: Pass at 20, Fail at 21 (不得超过, hard). Manual for a
// 租赁 supply without a term; NotApplicable for other supply methods.
func LandLeaseTerm(l LandFacts, asOf calendar.Date) Finding {
	const rule = "OF-17"
	cite := cite67("第十五条第二款")
	v := map[string]string{"max_years": LandLeaseMaxYears.Value, "supply": l.Supply}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	years, field := l.LeaseYears, "lease_years"
	if years == nil && l.LeaseThenSale != nil && l.LeaseThenSale.LeaseYears != nil {
		years, field = l.LeaseThenSale.LeaseYears, "lease_then_sale.lease_years"
	}
	if years == nil {
		if l.Supply == "租赁" || l.Supply == "先租后让" {
			return finding(rule, Manual, cite, "以租赁方式使用土地，未填报租赁年期（lease_years），无法核对“最长不得超过二十年”", v)
		}
		return finding(rule, NotApplicable, cite, "未以租赁方式使用土地，不涉及租赁年期", v)
	}
	v[field] = years.String()
	if years.Sign() <= 0 {
		return finding(rule, Manual, cite, fmt.Sprintf("租赁年期 %s 年无效，需人工核实", years), v)
	}
	if years.Cmp(LandLeaseMaxYears.Decimal()) <= 0 {
		return finding(rule, Pass, cite, fmt.Sprintf("租赁建设用地使用权年期 %s 年，不超过%s年；承租人可依法办理不动产登记", years, LandLeaseMaxYears.Value), v)
	}
	return finding(rule, Fail, cite, fmt.Sprintf("租赁建设用地使用权年期 %s 年，超过最长%s年：不符合“最长不得超过二十年”", years, LandLeaseMaxYears.Value), v)
}

// RentReview is OF-18, 第十五条第二款:
//
//	土地租金按年支付或者分期缴纳。土地年租金按照市场租金水平定期评估后调整,时间间隔不得超过五年。租赁期内,承租人按照规定支付土地租金并完成更新改造后,符合条件的,国有建设用地租赁可以依法转为国有建设用地使用权出让。租赁期满后,可以续租,也可以依法转为国有建设用地使用权出让。
//
// rent_review_interval_years ≤ RentReviewMaxIntervalYears: Pass at 5, Fail
// above. Manual for a 租赁 supply without it; NotApplicable otherwise. The
// payment mode (按年/分期) is not a fact: the message reminds of it.
func RentReview(l LandFacts, asOf calendar.Date) Finding {
	const rule = "OF-18"
	cite := cite67("第十五条第二款")
	v := map[string]string{"max_interval_years": RentReviewMaxIntervalYears.Value, "supply": l.Supply}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	const pay = "；土地租金按年支付或者分期缴纳，租赁期内或期满后符合条件的可依法转为出让（支付方式需人工核实）"
	if l.RentReviewIntervalYears == nil {
		if l.Supply == "租赁" || l.Supply == "先租后让" {
			return finding(rule, Manual, cite, "未填报土地年租金评估调整间隔（rent_review_interval_years），无法核对“时间间隔不得超过五年”"+pay, v)
		}
		return finding(rule, NotApplicable, cite, "未以租赁方式使用土地，不涉及土地租金调整", v)
	}
	n := *l.RentReviewIntervalYears
	v["rent_review_interval_years"] = n.String()
	if n.Sign() <= 0 {
		return finding(rule, Manual, cite, fmt.Sprintf("租金调整间隔 %s 年无效，需人工核实", n), v)
	}
	if n.Cmp(RentReviewMaxIntervalYears.Decimal()) <= 0 {
		return finding(rule, Pass, cite, fmt.Sprintf("土地年租金按市场租金水平定期评估调整，间隔 %s 年，不超过%s年", n, RentReviewMaxIntervalYears.Value)+pay, v)
	}
	return finding(rule, Fail, cite, fmt.Sprintf("土地年租金评估调整间隔 %s 年，超过%s年：不符合“时间间隔不得超过五年”", n, RentReviewMaxIntervalYears.Value)+pay, v)
}

// LandTermMax returns the statutory maximum land term for a FACTS.md land
// use (DECISIONS.md D13), or false for an unknown use.
func LandTermMax(use string) (Param, bool) {
	switch use {
	case "居住":
		return LandTermMaxResidential, true
	case "工业":
		return LandTermMaxIndustrial, true
	case "教育科技文化卫生体育":
		return LandTermMaxPublicService, true
	case "商业旅游娱乐":
		return LandTermMaxCommercial, true
	case "综合":
		return LandTermMaxComprehensive, true
	}
	return Param{}, false
}

// LeaseThenSaleAndExtension is OF-19, 第十五条第三款:
//
//	采取先租后让方式的,租让年期之和不得超过该用途土地出让法定最高年限。国有建设用地使用权剩余年期不足,确需延长的,可以依法适当延长使用年限,但是剩余年期与续期之和不得超过该用途土地出让法定最高年限。
//
// One finding for both sentences: lease_then_sale lease+sale and
// remaining_years+extension_years, each ≤ LandTermMax(use) (inclusive;
// 不得超过 → Fail). Manual when the use or a needed term is missing;
// NotApplicable when neither arrangement is present.
func LeaseThenSaleAndExtension(l LandFacts, asOf calendar.Date) Finding {
	const rule = "OF-19"
	cite := cite67("第十五条第三款")
	v := map[string]string{"use": l.Use, "supply": l.Supply}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	lts := l.LeaseThenSale != nil || l.Supply == "先租后让"
	ext := l.ExtensionYears != nil
	if !lts && !ext {
		return finding(rule, NotApplicable, cite, "未采取先租后让方式，也未申请延长土地使用年限", v)
	}
	maxP, ok := LandTermMax(l.Use)
	if !ok {
		return finding(rule, Manual, cite, "未填报土地用途（use），无法确定该用途土地出让法定最高年限（DECISIONS D13）", v)
	}
	v["max_years"] = maxP.Value
	var fails, passes, unknown []string
	limit := l.Use + "用地法定最高年限" + maxP.Value + "年"
	// within checks one sum of terms (a＋b) against the maximum.
	within := func(a, b Decimal, key, label string) {
		sum := a.Add(b)
		v[key] = sum.String()
		s := fmt.Sprintf("%s %s＋%s＝%s 年", label, a, b, sum)
		if sum.Cmp(maxP.Decimal()) <= 0 {
			passes = append(passes, s+"，不超过"+limit)
		} else {
			fails = append(fails, s+"，超过"+limit)
		}
	}
	if lts {
		if ls := l.LeaseThenSale; ls == nil || ls.LeaseYears == nil || ls.SaleYears == nil {
			unknown = append(unknown, "先租后让的租赁年期或出让年期未填报（lease_then_sale）")
		} else {
			within(*ls.LeaseYears, *ls.SaleYears, "lease_then_sale_total_years", "先租后让租让年期之和")
		}
	}
	if ext {
		if l.RemainingYears == nil {
			unknown = append(unknown, "申请续期但未填报剩余年期（remaining_years）")
		} else {
			within(*l.RemainingYears, *l.ExtensionYears, "remaining_plus_extension_years", "剩余年期与续期之和")
		}
	}
	all := slices.Concat(fails, unknown, passes)
	switch {
	case len(fails) > 0:
		return finding(rule, Fail, cite, "不符合“不得超过该用途土地出让法定最高年限”："+strings.Join(all, "；")+"（法定最高年限为外部规定，DECISIONS D13）", v)
	case len(unknown) > 0:
		return finding(rule, Manual, cite, "需人工核实："+strings.Join(all, "；"), v)
	default:
		return finding(rule, Pass, cite, strings.Join(all, "；")+"（法定最高年限为外部规定，DECISIONS D13）", v)
	}
}

// SplitTransfer is OF-20, 第十五条第四款:
//
//	未经有关部门批准,更新改造项目土地使用权不得分割转让。
//
// Pass with no split transfer or an approved one; Fail for an unapproved
// split (不得, hard); Manual when unknown.
func SplitTransfer(l LandFacts, asOf calendar.Date) Finding {
	const rule = "OF-20"
	cite := cite67("第十五条第四款")
	v := map[string]string{"split_transfer": boolStr(l.SplitTransfer), "split_transfer_approved": boolStr(l.SplitTransferApproved)}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	switch {
	case l.SplitTransfer == nil:
		return finding(rule, Manual, cite, "未填报是否分割转让土地使用权（split_transfer）：未经有关部门批准不得分割转让", v)
	case !*l.SplitTransfer:
		return finding(rule, Pass, cite, "不涉及土地使用权分割转让", v)
	case l.SplitTransferApproved == nil:
		return finding(rule, Manual, cite, "拟分割转让土地使用权，未填报是否经有关部门批准（split_transfer_approved），需人工核实", v)
	case *l.SplitTransferApproved:
		return finding(rule, Pass, cite, "土地使用权分割转让已经有关部门批准", v)
	default:
		return finding(rule, Fail, cite, "土地使用权分割转让未经有关部门批准：不符合“未经有关部门批准，更新改造项目土地使用权不得分割转让”", v)
	}
}

// TransitionEligible is OF-21, 第十六条第一款:
//
//	更新改造项目是否为国家及本市鼓励和支持的产业业态由区相应行业主管部门确定,是否实行五年过渡期政策由区规划自然资源部门确定。用于发展5G、人工智能、大数据、工业互联网、物联网等新型基础设施,以及国家及本市鼓励和支持的新产业、新业态的更新改造项目,在符合控制性详细规划且不改变用地主体的条件下,可在五年内实行继续按原用途和土地权利类型使用土地的过渡期政策。
//
// The three conditions are cumulative (SCENARIOS T31): Pass when all hold,
// Fail when any is false, Manual when none is false but some are not given;
// the message names every unmet one and who decides.
func TransitionEligible(t TransitionFacts, asOf calendar.Date) Finding {
	const rule = "OF-21"
	cite := cite67("第十六条第一款")
	if o, ok := not67(rule, cite, asOf, nil); ok {
		return o
	}
	o, unmet, v := evalConditions([]condition{
		{"第十六条第一款", "属于国家及本市鼓励和支持的产业业态（5G、人工智能、大数据、工业互联网、物联网等新型基础设施及新产业、新业态），由区相应行业主管部门确定", "encouraged_industry", t.EncouragedIndustry},
		{"第十六条第一款", "符合控制性详细规划", "complies_with_regulatory_plan", t.CompliesWithRegulatoryPlan},
		{"第十六条第一款", "不改变用地主体", "land_user_unchanged", t.LandUserUnchanged},
	})
	v["years"] = TransitionYears.Value
	const who = "（是否实行过渡期政策由区规划自然资源部门确定）"
	switch o {
	case Pass:
		return finding(rule, Pass, cite, fmt.Sprintf(
			"属于鼓励和支持的产业业态、符合控制性详细规划且不改变用地主体：可在%s年内实行继续按原用途和土地权利类型使用土地的过渡期政策%s", TransitionYears.Value, who), v)
	case Fail:
		v["missing"] = strings.Join(unmet, "；")
		return finding(rule, Fail, cite, fmt.Sprintf("不符合过渡期政策条件（三项条件须同时满足），共%d项未满足：%s%s", len(unmet), v["missing"], who), v)
	default:
		v["missing"] = strings.Join(unmet, "；")
		return finding(rule, Manual, cite, fmt.Sprintf("过渡期政策条件有%d项未填报，需人工核实：%s%s", len(unmet), v["missing"], who), v)
	}
}

// permitAnchor returns the 施工许可证 date, or the 规划许可证 date when there
// is none, and which one it is ("" when neither is given).
func permitAnchor(t *TransitionFacts) (calendar.Date, string) {
	if t == nil {
		return calendar.Date{}, ""
	}
	if t.ConstructionPermitOn != nil {
		return *t.ConstructionPermitOn, "construction_permit_on"
	}
	if t.PlanningPermitOn != nil {
		return *t.PlanningPermitOn, "planning_permit_on"
	}
	return calendar.Date{}, ""
}

// beyond67 flags a last day after 2029-03-13 (RULES.md I-19).
func beyond67(d calendar.Date, v map[string]string) string {
	if GuiZi67.InForce(d) {
		return ""
	}
	v["beyond_validity"] = "true"
	return fmt.Sprintf("；%s 晚于本细则有效期末日 %s（RULES I-19），需确认细则是否延续", d, GuiZi67.To)
}

// TransitionPeriod is OF-22, 第十六条第三款:
//
//	过渡期从取得建筑工程施工许可证之日起计算;不需要办理建筑工程施工许可证的,从取得建设工程规划许可证之日起计算。
//
// It returns the last day of the TransitionYears-year period (DECISIONS.md
// D1: 施工许可证 2024-08-01 → 2029-08-01, flagged beyond validity). eligible
// is OF-21's outcome: NotApplicable (no date) when it failed. Applies from
// the 施工许可证; from the 规划许可证 alone the date is given but the outcome
// is Manual (that no 施工许可证 is needed must be confirmed). Manual (no
// date) when OF-21 is Manual; NotApplicable when no permit is given yet;
// OutOfForce when asOf or the permit date is outside 2024-03-14…2029-03-13.
func TransitionPeriod(t TransitionFacts, eligible Outcome, asOf calendar.Date) (calendar.Date, Finding) {
	const rule = "OF-22"
	cite := cite67("第十六条第三款")
	v := map[string]string{"years": TransitionYears.Value}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return calendar.Date{}, o
	}
	if eligible == Fail {
		return calendar.Date{}, finding(rule, NotApplicable, cite, "不符合过渡期政策条件（OF-21），不计算过渡期", v)
	}
	start, anchor := permitAnchor(&t)
	if anchor == "" {
		return calendar.Date{}, finding(rule, NotApplicable, cite, "尚未取得建筑工程施工许可证或建设工程规划许可证，过渡期尚未起算", v)
	}
	v[anchor], v["anchor"] = start.String(), anchor
	if !GuiZi67.InForce(start) {
		return calendar.Date{}, outOfForce(rule, cite, GuiZi67, "许可证取得日", start, v)
	}
	end := calendar.AddYears(start, TransitionYears.Int())
	v["transition_end"] = end.String()
	note := beyond67(end, v)
	from := "建筑工程施工许可证"
	if anchor == "planning_permit_on" {
		from = "建设工程规划许可证"
	}
	msg := fmt.Sprintf("过渡期自取得%s之日 %s 起计算，%s年，末日 %s%s", from, start, TransitionYears.Value, end, note)
	switch {
	case eligible != Pass:
		return calendar.Date{}, finding(rule, Manual, cite, msg+"；过渡期政策条件尚待核实（OF-21），暂不输出过渡期末日", v)
	case anchor == "planning_permit_on":
		return end, finding(rule, Manual, cite, msg+"；未填报施工许可证日期：仅当项目不需要办理建筑工程施工许可证时从规划许可证起算，需人工确认", v)
	}
	return end, finding(rule, Applies, cite, msg, v)
}

// TransitionEffects is OF-23, 第十六条第二款 and 第二十四条:
//
//	过渡期内,可以按照新用途办理建设工程规划许可证和建筑工程施工许可证,暂不办理用地手续和不动产登记;过渡期满或涉及转让时,经区人民政府组织相应行业主管部门评估,符合产业发展方向和履约监管协议要求,已经实现项目实施方案既定的使用功能和预期效果的,可按新用途和土地权利类型,以协议方式办理租赁、出让等用地手续。按新用途和土地权利类型办理用地手续时,建设用地使用权配置方式、土地使用年限、土地价款补缴等可按照经批准的项目实施方案中的有关内容和已取得的建设工程规划许可证等确定。允许用地主体提前申请按照新用途和土地权利类型办理用地手续。
//	第二十四条 …采取五年过渡期政策的,过渡期内暂不办理不动产登记手续;过渡期满或涉及转让时,先按照新用途和土地权利类型办理用地手续,再办理不动产登记手续。…
//
// Applies while the transition runs (or once it has ended: the evaluation
// is due) when OF-21 passed; NotApplicable when it failed; Manual otherwise.
func TransitionEffects(eligible Outcome, end, asOf calendar.Date) Finding {
	const rule = "OF-23"
	cite := cite67("第十六条第二款")
	v := map[string]string{}
	if !end.IsZero() {
		v["transition_end"] = end.String()
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	const during = "过渡期内可以按照新用途办理建设工程规划许可证和建筑工程施工许可证，暂不办理用地手续和不动产登记（第二十四条）；允许用地主体提前申请按新用途和土地权利类型办理用地手续"
	const after = "过渡期满或涉及转让时，经区人民政府组织相应行业主管部门评估，符合产业发展方向和履约监管协议要求、已实现实施方案既定使用功能和预期效果的，可以协议方式办理租赁、出让等用地手续，再办理不动产登记"
	switch {
	case eligible == Fail:
		return finding(rule, NotApplicable, cite, "不适用过渡期政策（OF-21），按批准的供地方式办理用地手续和不动产登记（第二十四条）", v)
	case eligible != Pass:
		return finding(rule, Manual, cite, "过渡期政策条件尚待核实（OF-21）；如适用："+during+"；"+after, v)
	case !end.IsZero() && asOf.After(end):
		v["ended"] = "true"
		return finding(rule, Applies, cite, fmt.Sprintf("过渡期已于 %s 届满：%s", end, after), v)
	}
	return finding(rule, Applies, cite, during+"；"+after+"（涉及转让时亦同）", v)
}

// Implementer is OF-24, 第八条【实施主体】:
//
//	单独产权单位(或产权人)的更新改造项目,原产权单位(或产权人)可作为实施主体,由原产权单位(或产权人)授权的运营主体也可作为实施主体。如产权关系复杂,按照《中华人民共和国民法典》规定,经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意后,可依法授权委托确定实施主体。市属国有企业更新改造项目的实施主体由市国资委确定,区属国有企业更新改造项目的实施主体由区人民政府确定。区人民政府根据实施单元范围内城市更新活动的需要,所确定的实施单元统筹主体也可以作为实施主体。
//
// For complex ownership (DECISIONS.md D12, RULES.md I-22): the vote counts
// only with participation ≥ 2/3 of the exclusive area AND ≥ 2/3 of the owners
// (民法典 第二百七十八条); then ≥ 3/4 of the participating area AND ≥ 3/4 of the
// participating owners must agree. All bounds inclusive (75.0 % passes,
// 74.9 % fails). Pass when authorised, Fail when not, Manual when a share is
// missing or outside 0…1. single: Pass; municipal_soe / district_soe: Applies
// (市国资委 / 区人民政府 decides); no kind: Manual.
func Implementer(o OwnershipFacts, asOf calendar.Date) Finding {
	const rule = "OF-24"
	cite := cite67("第八条")
	v := map[string]string{"kind": o.Kind}
	if f, ok := not67(rule, cite, asOf, v); ok {
		return f
	}
	switch o.Kind {
	case "":
		return finding(rule, Manual, cite, "未填报产权情况（ownership.kind），无法判断实施主体的确定方式", v)
	case "single":
		return finding(rule, Pass, cite, "单独产权单位（或产权人）：原产权单位（或产权人）或其授权的运营主体可作为实施主体；区政府确定的实施单元统筹主体也可作为实施主体", v)
	case "municipal_soe":
		return finding(rule, Applies, cite, "市属国有企业更新改造项目：实施主体由市国资委确定", v)
	case "district_soe":
		return finding(rule, Applies, cite, "区属国有企业更新改造项目：实施主体由区人民政府确定", v)
	}
	shares := []struct {
		field string
		val   *Decimal
	}{
		{"participation_area_share", o.ParticipationAreaShare}, {"participation_owner_share", o.ParticipationOwnerShare},
		{"yes_area_share", o.YesAreaShare}, {"yes_owner_share", o.YesOwnerShare},
	}
	var missing []string
	one := DecimalFromInt(1)
	for _, s := range shares {
		switch {
		case s.val == nil:
			missing = append(missing, s.field+" 未填报")
		case s.val.Sign() < 0 || s.val.Cmp(one) > 0:
			v[s.field] = s.val.String()
			missing = append(missing, fmt.Sprintf("%s=%s 无效（应为0至1之间的比例）", s.field, s.val))
		default:
			v[s.field] = s.val.String()
		}
	}
	qn, qd := VoteQuorumNumerator.Decimal(), VoteQuorumDenominator.Decimal()
	cn, cd := OwnerConsentNumerator.Decimal(), OwnerConsentDenominator.Decimal()
	atLeast := func(x Decimal, n, d Decimal) bool { return x.Mul(d).Cmp(n) >= 0 } // x ≥ n/d
	var fails, oks []string
	check := func(val *Decimal, n, d Decimal, label, frac string) {
		if val == nil || val.Sign() < 0 || val.Cmp(one) > 0 {
			return
		}
		s := fmt.Sprintf("%s %s%%", label, fracPercent(*val))
		if atLeast(*val, n, d) {
			oks = append(oks, s+"，达到"+frac)
		} else {
			fails = append(fails, s+"，不足"+frac)
		}
	}
	quorum := VoteQuorumNumerator.Value + "/" + VoteQuorumDenominator.Value
	consent := OwnerConsentNumerator.Value + "/" + OwnerConsentDenominator.Value
	check(o.ParticipationAreaShare, qn, qd, "参与表决专有部分面积占比", "三分之二（"+quorum+"）")
	check(o.ParticipationOwnerShare, qn, qd, "参与表决人数占比", "三分之二（"+quorum+"）")
	check(o.YesAreaShare, cn, cd, "同意的业主专有部分面积占参与表决面积", "四分之三（"+consent+"）")
	check(o.YesOwnerShare, cn, cd, "同意的业主人数占参与表决人数", "四分之三（"+consent+"）")
	const basis = "（产权关系复杂：参与表决须达专有部分面积和人数均三分之二以上，民法典 第二百七十八条，RULES I-22；同意须达参与表决面积和人数均四分之三以上，第八条，均含本数，DECISIONS D12）"
	switch {
	case len(fails) > 0:
		all := slices.Concat(fails, missing, oks)
		return finding(rule, Fail, cite, "业主表决未达到法定比例，不能据此授权委托确定实施主体："+strings.Join(all, "；")+basis, v)
	case len(missing) > 0:
		v["missing"] = strings.Join(missing, "；")
		return finding(rule, Manual, cite, "业主表决数据不全，需人工核实："+strings.Join(slices.Concat(missing, oks), "；")+basis, v)
	default:
		return finding(rule, Pass, cite, "业主表决达到法定比例，可依法授权委托确定实施主体："+strings.Join(oks, "；")+basis, v)
	}
}

// PlanInclusion is OF-25, 第七条【列入计划】:
//
//	…涉及在京中央单位或部队的更新改造项目,还应当相应征求国管局、中直管理局、军事设施建设局的意见。符合相关要求并确定实施主体、功能业态、规划指标、供地方式、监管要求的项目,纳入城市更新计划。涉及未登记建筑和过渡期政策的项目,纳入城市更新计划前还应明确未登记建筑处置的有关意见和产业业态符合过渡期政策的有关意见。
//
// Fail when central units or the military are involved and the
// consultations are known not done (应当, hard); otherwise Manual: 规划指标
// and 监管要求 (and the unregistered-building opinion) have no facts, so the
// officer confirms the requisites; the message lists what the facts show.
func PlanInclusion(f OldFactoryFacts, asOf calendar.Date) Finding {
	const rule = "OF-25"
	cite := cite67("第七条")
	v := map[string]string{"involves_central_units": boolStr(f.InvolvesCentralUnits), "central_consultations_done": boolStr(f.CentralConsultationsDone)}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	if isTrue(f.InvolvesCentralUnits) && f.CentralConsultationsDone != nil && !*f.CentralConsultationsDone {
		return finding(rule, Fail, cite, "项目涉及在京中央单位或部队，尚未征求国管局、中直管理局、军事设施建设局的意见：纳入城市更新计划前应当相应征求意见", v)
	}
	var items []string
	known := func(label string, ok bool) {
		if ok {
			items = append(items, label+"（已填报）")
		} else {
			items = append(items, label+"（未填报）")
		}
	}
	known("实施主体", f.Ownership != nil && f.Ownership.Kind != "")
	known("功能业态", f.ProposedIndustry != "")
	known("供地方式", f.Land != nil && f.Land.Supply != "")
	items = append(items, "规划指标（需人工核实）", "监管要求（需人工核实）")
	msg := "纳入城市更新计划须确定实施主体、功能业态、规划指标、供地方式、监管要求：" + strings.Join(items, "、")
	switch {
	case isTrue(f.InvolvesCentralUnits) && isTrue(f.CentralConsultationsDone):
		msg += "；涉及在京中央单位或部队，已征求国管局、中直管理局、军事设施建设局意见"
	case isTrue(f.InvolvesCentralUnits):
		msg += "；涉及在京中央单位或部队，是否已征求国管局、中直管理局、军事设施建设局意见未填报"
	case f.InvolvesCentralUnits == nil:
		msg += "；是否涉及在京中央单位或部队未填报"
	}
	if f.Transition != nil {
		msg += "；涉及过渡期政策的，纳入计划前还应明确产业业态符合过渡期政策的有关意见"
	}
	msg += "；涉及未登记建筑的，还应明确未登记建筑处置的有关意见"
	return finding(rule, Manual, cite, msg, v)
}

// FastTrackA is OF-26, 第二十一条第一款:
//
//	增设必要的楼梯、风道、无障碍设施、电梯、外墙保温等附属设施和室外开敞性公共空间的更新改造项目,或仅进行内部装修且不改变建筑使用功能的更新改造项目,经过项目申报、列入计划等两个步骤后,可直接编制规划设计方案申请办理规划建设手续。
//
// Applies for ancillary_only, or interior_only without a change of use
// (use_change_main_class false or not given); NotApplicable when neither
// holds (or the interior works change the use); Manual when both are
// unknown. The message notes no 实施方案, no 联合审查 and so no 公示 (RULES
// I-14), the default 履约监管协议 (DECISIONS D11 ⚙) and that exit ground
// 京建法〔2024〕2号 第二十条(四) is never offered (RULES I-13).
func FastTrackA(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-26"
	cite := cite67("第二十一条第一款")
	v := map[string]string{"ancillary_only": boolStr(r.AncillaryOnly), "interior_only": boolStr(r.InteriorOnly), "use_change_main_class": boolStr(r.UseChangeMainClass)}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	const effect = "经过项目申报、列入计划两个步骤后，可直接编制规划设计方案申请办理规划建设手续，无需实施方案编制和联合审查，亦无第十九条第二款公示（RULES I-14）；履约监管协议按本系统口径默认须签订（第十七条，DECISIONS D11）；不适用京建法〔2024〕2号 第二十条(四)“2年内未完成实施方案编制”出库情形（RULES I-13，DECISIONS D11）"
	switch {
	case isTrue(r.AncillaryOnly):
		v["track"] = TrackFastA
		return finding(rule, Applies, cite, "仅增设楼梯、风道、无障碍设施、电梯、外墙保温等附属设施和室外开敞性公共空间："+effect, v)
	case isTrue(r.InteriorOnly) && isTrue(r.UseChangeMainClass):
		return finding(rule, NotApplicable, cite, "内部装修但改变建筑使用功能（用地分类主类变化）：不适用第二十一条第一款", v)
	case isTrue(r.InteriorOnly):
		v["track"] = TrackFastA
		return finding(rule, Applies, cite, "仅进行内部装修且不改变建筑使用功能："+effect, v)
	case r.AncillaryOnly == nil && r.InteriorOnly == nil:
		return finding(rule, Manual, cite, "未填报是否仅增设附属设施（ancillary_only）或仅内部装修（interior_only），无法判断是否适用第二十一条第一款", v)
	default:
		return finding(rule, NotApplicable, cite, "项目不属于仅增设附属设施或仅内部装修且不改变使用功能的情形，不适用第二十一条第一款", v)
	}
}

// FastTrackB is OF-27, 第二十一条第二款:
//
//	改造后地上建筑规模不超过 10000 平方米,建筑高度不超过 24 米,地下规模不大于 2000 平方米,开挖深度不大于 3 米,功能单一的更新改造项目,经过项目申报、列入计划等两个步骤后,可直接编制规划设计方案申请办理规划建设手续,同时签订履约监管协议,不需要再经过实施方案编制、联合审查等两个步骤。
//
// All four bounds are inclusive (10,000 ㎡ / 24 m / 2,000 ㎡ / 3 m pass;
// 10,001 / 24.1 / 2,001 / 3.1 do not). Applies when all four are within and
// single_function is true (功能单一 and the measurement of 开挖深度 are
// undefined, RULES I-24: the officer certifies them); NotApplicable when a
// bound is exceeded (every one is named); Manual when a dimension is
// missing or single_function is false or unknown (two functions: manual
// certification, SCENARIOS T17).
func FastTrackB(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-27"
	cite := cite67("第二十一条第二款")
	v := map[string]string{"single_function": boolStr(r.SingleFunction)}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	dims := []struct {
		field, label, unit string
		val                *Decimal
		max                Param
	}{
		{"above_ground_area_after_m2", "改造后地上建筑规模", "㎡", r.AboveGroundAreaAfterM2, FastTrackBMaxAboveGroundM2},
		{"height_after_m", "建筑高度", "m", r.HeightAfterM, FastTrackBMaxHeightM},
		{"underground_area_m2", "地下规模", "㎡", r.UndergroundAreaM2, FastTrackBMaxUndergroundM2},
		{"excavation_depth_m", "开挖深度", "m", r.ExcavationDepthM, FastTrackBMaxExcavationM},
	}
	var within, over, missing []string
	for _, d := range dims {
		if d.val == nil {
			missing = append(missing, d.label+"（"+d.field+" 未填报）")
			continue
		}
		v[d.field] = d.val.String()
		s := fmt.Sprintf("%s %s%s", d.label, d.val, d.unit)
		if d.val.Cmp(d.max.Decimal()) <= 0 {
			within = append(within, s+"≤"+d.max.Value+d.unit)
		} else {
			over = append(over, s+">"+d.max.Value+d.unit)
		}
	}
	switch {
	case len(over) > 0:
		return finding(rule, NotApplicable, cite, "超出第二十一条第二款条件："+strings.Join(over, "，")+
			"：不适用快速通道，应经实施方案编制、联合审查、公示（不少于十五个工作日）、签订协议后办理手续", v)
	case len(missing) > 0:
		v["missing"] = strings.Join(missing, "；")
		return finding(rule, Manual, cite, "第二十一条第二款条件未填报完整，需人工核实："+v["missing"]+"；已知："+orNone(within), v)
	case r.SingleFunction == nil || !*r.SingleFunction:
		what := "未填报是否功能单一（single_function）"
		if r.SingleFunction != nil {
			what = "项目并非功能单一（如生产＋零售等多种功能）"
		}
		return finding(rule, Manual, cite, strings.Join(within, "，")+"；"+what+
			"：“功能单一”未有定义（RULES I-24），需人工认定；未认定前按一般流程（实施方案编制、联合审查、公示、签订协议）办理", v)
	}
	v["track"] = TrackFastB
	return finding(rule, Applies, cite, strings.Join(within, "，")+"，功能单一："+
		"经过项目申报、列入计划两个步骤后，可直接编制规划设计方案申请办理规划建设手续，同时签订履约监管协议，不需要再经过实施方案编制、联合审查（亦无第十九条第二款公示，RULES I-14；不适用京建法〔2024〕2号 第二十条(四)出库情形，RULES I-13）；“功能单一”及开挖深度计算口径未有定义，需经办人认定（RULES I-24）", v)
}

// Track is the track of a case from OF-26 and OF-27: fast_a when OF-26
// applies, else fast_b when OF-27 applies, else standard (第二十一条第三款
// "除上述情况外"). new_build (京经信发〔2024〕14号 四(一)) is the 实施主体's choice,
// which is not a fact: OF-28 names the option.
func Track(a, b Finding) string {
	switch {
	case a.Outcome == Applies:
		return TrackFastA
	case b.Outcome == Applies:
		return TrackFastB
	}
	return TrackStandard
}

// StandardRoute is OF-28, 第二十一条第三款:
//
//	除上述情况外的更新改造项目,在取得实施方案联合审查意见后,可直接持实施方案中的规划设计方案申请办理规划建设手续,不需要另外编制规划综合实施方案。
//
// Applies on the standard track, NotApplicable on a fast track. For 拆除重建
// without a change of use the message names the new-build option of
// 京经信发〔2024〕14号 四(一) (the 实施主体's choice; the contract has no field
// for it, so the track stays standard).
func StandardRoute(track string, r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-28"
	cite := cite67("第二十一条第三款")
	v := map[string]string{"track": track}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	if track != TrackStandard {
		return finding(rule, NotApplicable, cite, "项目适用第二十一条快速通道（"+track+"），不经实施方案编制和联合审查", v)
	}
	msg := "一般流程：实施方案编制（第十八条）→ 联合审查（第十九条第一款）→ 公示不少于十五个工作日（第十九条第二款）→ 签订履约监管协议（第二十条）；取得实施方案联合审查意见后，可直接持实施方案中的规划设计方案申请办理规划建设手续，不需要另外编制规划综合实施方案"
	if isTrue(r.DemolishRebuild) && r.UseChangeMainClass != nil && !*r.UseChangeMainClass {
		v["new_build_option"] = "true"
		msg += "；拆除重建且不改变规划用途：实施主体可选择按新建项目流程（备案、规划许可、施工、竣工验收）实施，亦按列入计划项目的监管机制监管（京经信发〔2024〕14号 四(一)、四(四)），选择需人工记录"
		return finding(rule, Manual, cite, msg, v)
	}
	return finding(rule, Applies, cite, msg, v)
}

// MajorProjectApproval is OF-29, 第十九条第一款:
//
//	由区城市更新主管部门会同相应行业主管部门对实施方案进行联合审查并出具审查意见,发展改革、规划自然资源、住房城乡建设、经济和信息化等相关部门参与。涉及国家和本市重点项目、跨行政区域项目、涉密项目等重大项目的,出具审查意见前应当报市人民政府批准。
//
// Applies (市政府批准 before the review opinion) for a major, cross-district
// or classified project on the standard track; NotApplicable for the others
// or on a fast track (no joint review).
func MajorProjectApproval(f OldFactoryFacts, track string, asOf calendar.Date) Finding {
	const rule = "OF-29"
	cite := cite67("第十九条第一款")
	v := map[string]string{"major_project": boolStr(f.MajorProject), "cross_district": boolStr(f.CrossDistrict), "classified": boolStr(f.Classified)}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	var kinds []string
	if isTrue(f.MajorProject) {
		kinds = append(kinds, "国家和本市重点项目")
	}
	if isTrue(f.CrossDistrict) {
		kinds = append(kinds, "跨行政区域项目")
	}
	if isTrue(f.Classified) {
		kinds = append(kinds, "涉密项目")
	}
	switch {
	case len(kinds) == 0:
		return finding(rule, NotApplicable, cite, "非重大项目：由区城市更新主管部门会同相应行业主管部门联合审查并出具审查意见，无需报市人民政府批准", v)
	case track == TrackFastA || track == TrackFastB:
		return finding(rule, NotApplicable, cite, strings.Join(kinds, "、")+"，但项目适用快速通道，不经联合审查（如需市政府批准，需人工核实）", v)
	}
	return finding(rule, Applies, cite, "项目属于"+strings.Join(kinds, "、")+"（重大项目）：联合审查出具审查意见前应当报市人民政府批准", v)
}

// OldFactoryPublicity is OF-30, 第十九条第二款:
//
//	审查通过的项目,在城市更新信息系统上对项目情况进行公示,公示时间不得少于十五个工作日。
//
// It returns the earliest last day of the 公示 posted on start: the
// OldFactoryPublicityWorkdays-th working day after it (DECISIONS.md D1, D3;
// posted 2024-09-25 → 2024-10-21, SCENARIOS T25), with Applies. Fast tracks
// have no mandated 公示 (RULES.md I-14): a 公示 posted anyway is still
// computed (as in the FACTS.md example), with Values["mandatory"]="false"
// and the message saying so. OutOfForce when
// asOf or the posting day is outside 2024-03-14…2029-03-13; a last day after
// it is flagged beyond validity, one in a provisional calendar year as such.
func OldFactoryPublicity(cal *calendar.Calendar, start calendar.Date, track string, asOf calendar.Date) (calendar.Date, Finding) {
	const rule = "OF-30"
	cite := cite67("第十九条第二款")
	v := map[string]string{"publicity_start": start.String(), "workdays": OldFactoryPublicityWorkdays.Value}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return calendar.Date{}, o
	}
	if !GuiZi67.InForce(start) {
		return calendar.Date{}, outOfForce(rule, cite, GuiZi67, "公示开始日", start, v)
	}
	n := OldFactoryPublicityWorkdays.Int()
	end := cal.AddWorkdays(start, n)
	v["publicity_end"] = end.String()
	msg := fmt.Sprintf("审查通过的项目在城市更新信息系统上公示，公示时间不得少于%d个工作日：自 %s 次日起算，最早于 %s 届满（公示开始当日不计入，DECISIONS D1）；早于该日结束的公示不足期限", n, start, end)
	if track == TrackFastA || track == TrackFastB {
		v["mandatory"] = "false"
		msg = fmt.Sprintf("项目适用第二十一条快速通道（%s），不经联合审查，第十九条第二款未强制公示（RULES I-14）；已于 %s 公示的，按不少于%d个工作日计算，最早于 %s 届满", track, start, n, end)
	}
	if cal.Provisional(end) {
		v["provisional"] = "true"
		msg += "；该年度节假日安排未载入或未核实，末日为暂定"
	}
	msg += beyond67(end, v)
	return end, finding(rule, Applies, cite, msg, v)
}

// PermitRoute is OF-31, 第二十二条【办理流程】 (with 京经信发〔2024〕14号 四(三)):
//
//	规划建设手续实行分类办理。
//	对于实施方案或规划设计方案中明确不改变建筑使用功能、不增加建筑规模、不改变建筑外轮廓的更新改造项目,直接办理建筑工程施工许可证。其中,位于重要大街、历史文化街区、市政府规定的特定区域外立面装修的项目,先办理外立面装修的建设工程规划许可证,再办理建筑工程施工许可证(具体参照《关于明确社会投资工程建设项目审批工作要求的通知》(京规自发〔2022〕118号)相关要求执行)。
//	除上述情况外的其他更新改造项目,包括改变建筑使用功能、或增加建筑规模、或改变建筑外轮廓、或改变建筑布局、或改变建筑主体结构引起建筑规模、层数、高度等发生变化的项目,直接纳入“多规合一”协同平台会商阶段办理规划手续,再办理建设工程规划许可证和建筑工程施工许可证。“多规合一”协同平台会商阶段不再征求前期研究阶段已参与各部门的意见。
//	建筑使用功能改变指的是按照《城乡规划用地分类标准》(DB11/996—2013),类别中主类发生了变化。
//
// It returns the permit route: multi_plan_consultation (Applies) when any of
// use (主类), area, outline or layout changes, or a structural change alters
// scale, floors or height; otherwise, once use, area and outline are known
// unchanged, direct_construction, or facade_planning_then_construction for
// façade works on a 重要大街/历史文化街区/特定区域 (Applies). A structural change
// that alters nothing else stays on the direct route by the Rules but gives
// Warn, since 京经信发〔2024〕14号 四(三)1(1) requires "不改变主体结构" (RULES.md
// I-07, SCENARIOS T29). Manual with "" when a deciding fact is missing.
func PermitRoute(r RenovationFacts, asOf calendar.Date) (string, Finding) {
	const rule = "OF-31"
	cite := cite67("第二十二条")
	v := map[string]string{
		"use_change_main_class": boolStr(r.UseChangeMainClass), "increase_area": boolStr(r.IncreaseArea),
		"change_outline": boolStr(r.ChangeOutline), "change_layout": boolStr(r.ChangeLayout),
		"change_structure": boolStr(r.ChangeStructure), "structure_change_alters_scale": boolStr(r.StructureChangeAltersScale),
		"facade_work": boolStr(r.FacadeWork), "facade_in_special_area": boolStr(r.FacadeInSpecialArea),
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return "", o
	}
	var changes []string
	for _, c := range []struct {
		b     *bool
		label string
	}{
		{r.UseChangeMainClass, "改变建筑使用功能（DB11/996—2013 主类变化）"},
		{r.IncreaseArea, "增加建筑规模"},
		{r.ChangeOutline, "改变建筑外轮廓"},
		{r.ChangeLayout, "改变建筑布局"},
	} {
		if isTrue(c.b) {
			changes = append(changes, c.label)
		}
	}
	if isTrue(r.ChangeStructure) && isTrue(r.StructureChangeAltersScale) {
		changes = append(changes, "改变建筑主体结构引起建筑规模、层数、高度等变化")
	}
	if len(changes) > 0 {
		v["permit"] = PermitMultiPlan
		return PermitMultiPlan, finding(rule, Applies, cite67("第二十二条第三款"), "项目"+strings.Join(changes, "、")+
			"：直接纳入“多规合一”协同平台会商阶段办理规划手续，再办理建设工程规划许可证和建筑工程施工许可证；会商阶段不再征求前期研究阶段已参与各部门的意见（京经信发〔2024〕14号 四(三)2 同）", v)
	}
	var unknown []string
	for _, c := range []struct {
		b     *bool
		field string
	}{{r.UseChangeMainClass, "use_change_main_class"}, {r.IncreaseArea, "increase_area"}, {r.ChangeOutline, "change_outline"}} {
		if c.b == nil {
			unknown = append(unknown, c.field)
		}
	}
	if isTrue(r.ChangeStructure) && r.StructureChangeAltersScale == nil {
		unknown = append(unknown, "structure_change_alters_scale")
	}
	if len(unknown) > 0 {
		return "", finding(rule, Manual, cite, "未填报 "+strings.Join(unknown, "、")+"，无法确定规划建设手续办理路径（第二十二条分类办理）", v)
	}
	cite2 := cite67("第二十二条第二款")
	base := "实施方案或规划设计方案明确不改变建筑使用功能、不增加建筑规模、不改变建筑外轮廓"
	permit, msg := PermitDirectConstruction, base+"：直接办理建筑工程施工许可证，无需办理规划许可"
	if isTrue(r.FacadeWork) {
		switch {
		case r.FacadeInSpecialArea == nil:
			return "", finding(rule, Manual, cite2, base+"，涉及外立面装修；未填报是否位于重要大街、历史文化街区或市政府规定的特定区域（facade_in_special_area），需人工核实是否先办理外立面装修的建设工程规划许可证", v)
		case *r.FacadeInSpecialArea:
			permit = PermitFacadeThenBuild
			msg = base + "，位于重要大街、历史文化街区或市政府规定的特定区域且涉及外立面装修：先办理外立面装修的建设工程规划许可证，再办理建筑工程施工许可证（参照京规自发〔2022〕118号）"
		}
	}
	v["permit"] = permit
	if isTrue(r.ChangeStructure) {
		return permit, finding(rule, Warn, cite2, msg+"；项目改变主体结构但不引起规模、层数、高度变化，按本细则仍属直接办理路径；京经信发〔2024〕14号 四(三)1(1)“工改工”直接办理施工许可还要求“不改变主体结构”，两文件不一致：按本细则办理，需书面说明并记录审批人（RULES I-07）", v)
	}
	return permit, finding(rule, Applies, cite2, msg+"（京经信发〔2024〕14号 四(三)1(1) 同，另要求为现状合法建筑）", v)
}

// PermitHolder is OF-32, 第二十三条【手续主体】:
//
//	更新改造项目的实施主体与产权单位不一致的情况下,规划建设手续办理给产权单位。如本市出台有关更新改造项目规划建设手续主体的新规定,按新规定执行。
//
// Manual: whether the 实施主体 and the 产权单位 differ is not a fact.
func PermitHolder(asOf calendar.Date) Finding {
	const rule = "OF-32"
	cite := cite67("第二十三条")
	if o, ok := not67(rule, cite, asOf, nil); ok {
		return o
	}
	return finding(rule, Manual, cite, "实施主体与产权单位是否一致未填报，需人工核实：不一致的，规划建设手续办理给产权单位（本市出台新规定的，按新规定执行）", nil)
}

// AgreementContent is OF-33, 第十七条【监管要求】 (and 京经信发〔2024〕14号 四(四)):
//
//	通过签订履约监管协议的方式对更新改造项目进行全过程监管。履约监管协议应包含产业类型、投资强度、产出效率(含地均产出)、创新能力、节能环保、考核机制、退出机制等内容,并对禁止项目擅自改变主要建筑使用功能、擅自转租和分割销售作出明确约定(含违约处理方式)。
//
// Manual: the agreement's content is not a fact; the message gives the
// checklist (the Rules' seven items: the Guide omits 考核机制, RULES I-06) and
// when it is signed on the case's track.
func AgreementContent(track string, asOf calendar.Date) Finding {
	const rule = "OF-33"
	cite := cite67("第十七条")
	v := map[string]string{}
	if track != "" {
		v["track"] = track
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	when := ""
	switch track {
	case TrackFastA:
		when = "快速通道A：本系统口径默认须签订（DECISIONS D11）；"
	case TrackFastB:
		when = "快速通道B：编制规划设计方案的同时签订（第二十一条第二款）；"
	case TrackStandard:
		when = "联合审查、公示后签订（第二十条），由区相应行业主管部门或区政府指定的部门与实施主体、产权单位签订并报送区城市更新主管部门；"
	}
	return finding(rule, Manual, cite, when+
		"履约监管协议应包含产业类型、投资强度、产出效率（含地均产出）、创新能力、节能环保、考核机制、退出机制等7项内容，并对禁止擅自改变主要建筑使用功能、擅自转租和分割销售作出明确约定（含违约处理方式）：协议内容需人工核对。京经信发〔2024〕14号 四(四) 所列内容缺少“考核机制”，两文件不一致，以本细则7项为准（RULES I-06）", v)
}

// EvaluationDue is OF-34, 第二十六条【评估机制】:
//
//	按照相关法律法规和履约监管协议的要求,由签订履约监管协议的部门组织对更新改造项目的产业类型、投资强度、产出效率(含地均产出)、创新能力、节能环保等进行定期评估,并将评估结果向区人民政府报告。评估结果应作为项目继续实施经营的重要依据。首次评估应在更新改造项目取得建筑工程施工许可证后的五年内进行,每次评估时间间隔不得超过五年。鼓励引入第三方专业评估机构。更新改造项目的实施主体、产权单位应制定针对入驻企业的评估方法。
//
// first is the last day for the first evaluation: 施工许可证 + 5 years (or
// the 规划许可证 when there is none, flagged, DECISIONS.md D14, RULES I-20);
// next is lastEvaluation + 5 years when an evaluation is recorded (SCENARIOS
// T33: permit 2024-08-01 → 2029-08-01; evaluated 2027-03-01 → next by
// 2032-03-01). Pass while no deadline has passed, Fail when asOf is after an
// unmet one (不得超过, hard), Manual when there is no permit or the record is
// inconsistent. OutOfForce when asOf is outside the window; a permit dated
// before 2024-03-14 is flagged (Values["anchor_before_validity"]), not
// refused: the evaluation, not the permit, is the action the rule governs.
func EvaluationDue(t *TransitionFacts, lastEvaluation *calendar.Date, asOf calendar.Date) (first, next calendar.Date, f Finding) {
	const rule = "OF-34"
	cite := cite67("第二十六条")
	v := map[string]string{"first_within_years": FirstEvaluationYears.Value, "max_interval_years": EvaluationIntervalYears.Value}
	if lastEvaluation != nil {
		v["last_evaluation_on"] = lastEvaluation.String()
	}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return first, next, o
	}
	start, anchor := permitAnchor(t)
	if anchor == "" {
		return first, next, finding(rule, Manual, cite, "未填报施工许可证或规划许可证日期，首次评估期限无法起算（RULES I-20）", v)
	}
	v[anchor], v["anchor"] = start.String(), anchor
	first = calendar.AddYears(start, FirstEvaluationYears.Int())
	v["first_evaluation_due"] = first.String()
	from := "取得建筑工程施工许可证之日 " + start.String() + " "
	if anchor == "planning_permit_on" {
		v["fallback"] = "true"
		from = "取得建设工程规划许可证之日 " + start.String() + "（无施工许可证，按过渡期口径以规划许可证起算，RULES I-20，DECISIONS D14）"
	}
	msg := fmt.Sprintf("首次评估应在%s后%s年内进行，期限末日 %s", from, FirstEvaluationYears.Value, first)
	if start.Before(GuiZi67.From) {
		v["anchor_before_validity"] = "true"
		msg += fmt.Sprintf("（许可证早于本细则印发日 %s，评估要求是否适用需经办人确认）", GuiZi67.From)
	}
	note := beyond67(first, v)
	if lastEvaluation == nil {
		if asOf.After(first) {
			return first, next, finding(rule, Fail, cite, msg+fmt.Sprintf("；截至 %s 未记录评估，已超过首次评估期限", asOf)+note, v)
		}
		return first, next, finding(rule, Pass, cite, msg+fmt.Sprintf("；截至 %s 尚在期限内", asOf)+note, v)
	}
	last := *lastEvaluation
	next = calendar.AddYears(last, EvaluationIntervalYears.Int())
	v["next_evaluation_due"] = next.String()
	msg += fmt.Sprintf("；最近一次评估 %s，下次评估间隔不得超过%s年，末日 %s", last, EvaluationIntervalYears.Value, next) + note + beyond67(next, v)
	switch {
	case last.Before(start):
		return first, calendar.Date{}, finding(rule, Manual, cite, msg+"；最近一次评估早于许可证日期，需人工核实", v)
	case asOf.After(next):
		return first, next, finding(rule, Fail, cite, msg+fmt.Sprintf("；截至 %s 已超过评估间隔", asOf), v)
	case last.After(first):
		return first, next, finding(rule, Manual, cite, msg+"；最近一次评估晚于首次评估期限，需核实此前是否按期进行首次评估", v)
	}
	return first, next, finding(rule, Pass, cite, msg+"；首次评估期限已满足，下次评估尚在期限内", v)
}

// ExitProcedure is OF-35, 第二十七条【退出机制】:
//
//	评估结果符合相关法律法规和履约监管协议要求的,更新改造项目可享受相关优惠政策继续进行经营;不符合要求的,特别是涉及擅自改变主要建筑使用功能、擅自转租和分割销售的,签订履约监管协议的部门应要求实施主体、产权单位按期整改;整改后仍不符合要求的,由签订履约监管协议的部门提请区城市更新主管部门和相应行业主管部门牵头,会同发展改革、规划自然资源、住房城乡建设、经济和信息化、市场监管等部门,依据相关法律法规和履约监管协议的要求启动项目退出程序。…
//
// Manual once an evaluation is recorded: its result is not a fact; the
// message gives the consequences.
func ExitProcedure(lastEvaluation calendar.Date, asOf calendar.Date) Finding {
	const rule = "OF-35"
	cite := cite67("第二十七条")
	v := map[string]string{"last_evaluation_on": lastEvaluation.String()}
	if o, ok := not67(rule, cite, asOf, v); ok {
		return o
	}
	return finding(rule, Manual, cite, fmt.Sprintf(
		"%s 评估结果未填报，需人工认定：符合要求的，可享受相关优惠政策继续经营；不符合要求的（特别是擅自改变主要建筑使用功能、擅自转租和分割销售），签订履约监管协议的部门应要求实施主体、产权单位按期整改；整改后仍不符合的，由该部门提请区城市更新主管部门和相应行业主管部门牵头，会同发展改革、规划自然资源、住房城乡建设、经济和信息化、市场监管等部门启动项目退出程序", lastEvaluation), v)
}

// OldFactoryRulesInForce is OF-36, 第二十九条:
//
//	第二十九条 本细则自印发之日起试行，有效期为五年。
//
// Pass when d is within 2024-03-14…2029-03-13, OutOfForce otherwise.
func OldFactoryRulesInForce(d calendar.Date) Finding { return InForce(GuiZi67, d) }
