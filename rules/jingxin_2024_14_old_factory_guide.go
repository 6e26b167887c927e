// 京经信发〔2024〕14号
// 北京市经济和信息化局关于印发《北京市老旧厂房更新导则》的通知
//
//	Title:     北京市老旧厂房更新导则
//	Issuer:    北京市经济和信息化局
//	Number:    京经信发〔2024〕14号
//	Issued:    2024-03-25 (date on the notice: "请结合实际执行")
//	Validity:  none stated: applied from 2024-03-25 with no expiry (RULES.md §1, I-34)
//	Source:    北京市人民政府公报 2024年第25期 p.6 (OCR text; only OCR spacing normalised)
//
// The Guide has no articles: it is cited by its printed section numbers, e.g.
// 京经信发〔2024〕14号 三(四)2 (RULES.md §0). This file holds the OF rules
// that rest on the Guide alone (OF-01, OF-08, OF-15); the rules the Guide
// shares with 京规自发〔2024〕67号 cite the Rules and name the Guide in their
// messages where the two disagree (RULES.md I-03, I-05, I-06, I-07, I-10).
// A rule evaluated before 2024-03-25 gives OutOfForce (DECISIONS.md D7).

package rules

import (
	"fmt"
	"slices"
	"strings"

	"gengxin/calendar"
)

var jingXin14From = JingXin14.From

// Parameters of 京经信发〔2024〕14号.
var (
	// VacancyThresholdPercent: 二(一) "空置、闲置面积超过建筑面积的50%"; 超过 is
	// strict (RULES.md §0): exactly 50 % does not qualify.
	VacancyThresholdPercent = Param{Name: "VacancyThresholdPercent", Value: "50", Unit: "%",
		Citation: "京经信发〔2024〕14号 二(一)", From: jingXin14From}
	// SingleStoreyWarnStoreys: 三(四)2 "单层厂房不宜改造成三层及以上空间" (soft, D8).
	SingleStoreyWarnStoreys = Param{Name: "SingleStoreyWarnStoreys", Value: "3", Unit: "层",
		Citation: "京经信发〔2024〕14号 三(四)2", From: jingXin14From}
)

func cite14(section string) string { return JingXin14.Cite(section) }

// hundred converts a fraction to a percentage (a unit conversion, not a rule number).
var hundred = DecimalFromInt(100)

// percent renders num/den as a percentage for messages: exact when it has at
// most 4 decimal places, else rounded to 4 places and marked "约". Rules
// compare the exact values, never this string (DECISIONS.md D18).
func percent(num, den Decimal) string {
	q, err := num.Mul(hundred).Quo(den)
	if err != nil {
		return "—"
	}
	return fracString(q)
}

// fracPercent renders a fraction (0.75) as a percentage ("75").
func fracPercent(x Decimal) string { return fracString(x.Mul(hundred)) }

func fracString(q Decimal) string {
	r := q.rat()
	if places, exact := decimalPlaces(r.Denom()); exact && places <= 4 {
		return q.String()
	}
	return "约" + strings.TrimRight(strings.TrimRight(r.FloatString(4), "0"), ".")
}

// OldFactoryDefinition is OF-01, 京经信发〔2024〕14号 二(一):
//
//	北京市老旧厂房是指存在消防安全环保隐患等问题，或利用效率较低或者闲置的工业厂房、仓储用房及相关存量设施。利用效率较低是指当前老旧厂房空置、闲置面积超过建筑面积的50%，或者当前的产出水平低于所属区产业项目准入标准。
//
// The test is an OR of three prongs: safety_hazard; vacant_area_m2 strictly
// more than VacancyThresholdPercent of building_area_m2 (exactly 50 % does
// not qualify; a wholly idle factory is 100 %); output_below_standard (the
// district's 准入标准 is applied by the officer who fills in the fact). Pass
// when any prong holds, Fail when all three are known not to, Manual when
// none holds and some are unknown. 京规自发〔2024〕67号 第二条 covers "老旧工业厂房、
// 仓储用房及相关工业设施" without the efficiency test: the Fail message says so.
func OldFactoryDefinition(f OldFactoryFacts, asOf calendar.Date) Finding {
	const rule = "OF-01"
	cite := cite14("二(一)")
	v := map[string]string{"vacancy_threshold_percent": VacancyThresholdPercent.Value}
	if !JingXin14.InForce(asOf) {
		return outOfForce(rule, cite, JingXin14, "评估日", asOf, v)
	}
	var met, notMet, unknown []string
	// yesNo files a yes/no prong under met, notMet or unknown.
	yesNo := func(b *bool, key, ifUnknown, ifMet, ifNotMet string) {
		switch {
		case b == nil:
			unknown = append(unknown, ifUnknown)
		case *b:
			v[key] = "true"
			met = append(met, ifMet)
		default:
			v[key] = "false"
			notMet = append(notMet, ifNotMet)
		}
	}
	yesNo(f.SafetyHazard, "safety_hazard", "是否存在消防安全环保隐患（safety_hazard 未填报）", "存在消防安全环保隐患等问题", "不存在消防安全环保隐患")
	switch {
	case f.VacantAreaM2 == nil || f.BuildingAreaM2 == nil:
		unknown = append(unknown, "空置、闲置面积与建筑面积（vacant_area_m2、building_area_m2 未填报）")
	case f.BuildingAreaM2.Sign() <= 0 || f.VacantAreaM2.Sign() < 0 || f.VacantAreaM2.Cmp(*f.BuildingAreaM2) > 0:
		v["vacant_area_m2"], v["building_area_m2"] = f.VacantAreaM2.String(), f.BuildingAreaM2.String()
		unknown = append(unknown, fmt.Sprintf("面积数据无效（空置、闲置面积 %s㎡，建筑面积 %s㎡）", f.VacantAreaM2, f.BuildingAreaM2))
	default:
		vac, bld := *f.VacantAreaM2, *f.BuildingAreaM2
		share := percent(vac, bld)
		v["vacant_area_m2"], v["building_area_m2"], v["vacant_share_percent"] = vac.String(), bld.String(), share
		// vac/bld > 50/100  ⇔  vac·100 > bld·50
		if vac.Mul(hundred).Cmp(bld.Mul(VacancyThresholdPercent.Decimal())) > 0 {
			met = append(met, fmt.Sprintf("空置、闲置面积 %s㎡ 占建筑面积 %s㎡ 的 %s%%，超过%s%%", vac, bld, share, VacancyThresholdPercent.Value))
		} else {
			notMet = append(notMet, fmt.Sprintf("空置、闲置面积 %s㎡ 占建筑面积 %s㎡ 的 %s%%，未超过%s%%（“超过”不含本数）", vac, bld, share, VacancyThresholdPercent.Value))
		}
	}
	yesNo(f.OutputBelowStandard, "output_below_standard", "产出水平是否低于所属区产业项目准入标准（output_below_standard 未填报）",
		"当前产出水平低于所属区产业项目准入标准", "产出水平不低于所属区产业项目准入标准")
	switch {
	case len(met) > 0:
		return finding(rule, Pass, cite, "符合老旧厂房界定标准："+strings.Join(met, "；"), v)
	case len(unknown) > 0:
		v["missing"] = strings.Join(unknown, "；")
		return finding(rule, Manual, cite, "尚不能判断是否符合老旧厂房界定标准，需人工核实："+v["missing"]+
			"；已知："+orNone(notMet), v)
	default:
		return finding(rule, Fail, cite, "不符合老旧厂房界定标准（消防安全环保隐患、空置闲置面积超过50%、产出水平低于准入标准三项均不满足）："+
			strings.Join(notMet, "；")+"。注：京规自发〔2024〕67号 第二条所称老旧厂房未设利用效率标准，是否按该细则推进由区主管部门认定", v)
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "无"
	}
	return strings.Join(s, "；")
}

// Uses named in 京经信发〔2024〕14号 三(四)2 (FACTS.md renovation.use_after).
var (
	// LowFireRiskUses: "使用功能宜定位于保障性租赁住房、便民服务等火灾风险相对较低的公共服务设施".
	LowFireRiskUses = []string{"保障性租赁住房", "便民服务"}
	// CrowdedUses: "不宜改造为餐饮、歌舞娱乐、劳动密集型企业的员工集体宿舍等人员密集场所".
	CrowdedUses = []string{"餐饮", "歌舞娱乐", "劳动密集型企业员工集体宿舍"}
)

func isCrowdedUse(use string) bool {
	return slices.Contains(CrowdedUses, use) || strings.Contains(use, "餐饮") ||
		strings.Contains(use, "歌舞娱乐") || strings.Contains(use, "员工集体宿舍")
}

// SingleStoreyConversion is OF-08, 京经信发〔2024〕14号 三(四)2:
//
//	在符合规范要求、保障安全的基础上,可以经依法批准后合理利用厂房内部空间进行加层改造。单层厂房不宜改造成三层及以上空间,特殊情况下,确需改造成三层或以上空间的,使用功能宜定位于保障性租赁住房、便民服务等火灾风险相对较低的公共服务设施,不宜改造为餐饮、歌舞娱乐、劳动密集型企业的员工集体宿舍等人员密集场所,避免“三合一”使用,保证后期使用消防安全。
//
// A Guide warning, never a block (不宜/宜 → soft, DECISIONS.md D8; RULES.md
// I-03: 京规自发〔2024〕67号 第十条第四款 sets no floor limit). NotApplicable for a
// building that was not single-storey; Pass below SingleStoreyWarnStoreys
// storeys, or at three or more for a preferred low-fire-risk use
// (LowFireRiskUses, SCENARIOS T21); Warn at three or more for a crowded use
// (CrowdedUses) or any other or unstated use; Manual when the storeys are
// not given.
func SingleStoreyConversion(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-08"
	cite := cite14("三(四)2")
	v := map[string]string{"warn_from_storeys": SingleStoreyWarnStoreys.Value}
	if !JingXin14.InForce(asOf) {
		return outOfForce(rule, cite, JingXin14, "评估日", asOf, v)
	}
	if r.SingleStoreyBefore != nil {
		v["single_storey_before"] = fmt.Sprint(*r.SingleStoreyBefore)
	}
	if r.UseAfter != "" {
		v["use_after"] = r.UseAfter
	}
	if r.SingleStoreyBefore != nil && !*r.SingleStoreyBefore {
		return finding(rule, NotApplicable, cite, "原厂房非单层厂房，不涉及“单层厂房不宜改造成三层及以上空间”的提示", v)
	}
	if r.StoreysAfter == nil {
		return finding(rule, Manual, cite, "未填报改造后层数（storeys_after），无法核对“单层厂房不宜改造成三层及以上空间”", v)
	}
	n, warnAt := *r.StoreysAfter, SingleStoreyWarnStoreys.Int()
	v["storeys_after"] = fmt.Sprint(n)
	if r.SingleStoreyBefore == nil {
		if n < warnAt {
			return finding(rule, Pass, cite, fmt.Sprintf("改造后 %d 层，少于%d层，无需提示", n, warnAt), v)
		}
		return finding(rule, Manual, cite, fmt.Sprintf("改造后 %d 层；未填报原厂房是否为单层（single_storey_before），需人工核实是否适用“单层厂房不宜改造成三层及以上空间”", n), v)
	}
	if n < warnAt {
		return finding(rule, Pass, cite, fmt.Sprintf("单层厂房改造为 %d 层，少于%d层，不触发导则提示", n, warnAt), v)
	}
	rulesNote := "；规自67号 第十条第四款仅规定“加层层高可结合实施主体自身需求合理确定”，未限制层数，本提示不构成否决（RULES I-03）"
	switch {
	case slices.Contains(LowFireRiskUses, r.UseAfter):
		return finding(rule, Pass, cite, fmt.Sprintf(
			"单层厂房改造为 %d 层，使用功能为%s，属导则所列火灾风险相对较低的公共服务设施（特殊情况下确需改造成三层及以上的，宜定位于此类功能）", n, r.UseAfter), v)
	case isCrowdedUse(r.UseAfter):
		return finding(rule, Warn, cite, fmt.Sprintf(
			"单层厂房改造为 %d 层（不少于%d层）并用作%s：导则提示“不宜改造为餐饮、歌舞娱乐、劳动密集型企业的员工集体宿舍等人员密集场所，避免‘三合一’使用”，需书面说明理由并记录审批人（DECISIONS D8）%s",
			n, warnAt, r.UseAfter, rulesNote), v)
	default:
		use := r.UseAfter
		if use == "" {
			use = "（未填报）"
		}
		return finding(rule, Warn, cite, fmt.Sprintf(
			"单层厂房改造为 %d 层（不少于%d层），使用功能%s：导则提示“单层厂房不宜改造成三层及以上空间”，确需改造的，使用功能宜定位于保障性租赁住房、便民服务等火灾风险相对较低的公共服务设施；需书面说明理由并记录审批人（DECISIONS D8）%s",
			n, warnAt, use, rulesNote), v)
	}
}

// SafetyBaseline is OF-15, 京经信发〔2024〕14号 三(五):
//
//  1. 不得破坏地形地貌、自然山水格局,不得损害和砍伐古树名木、不得侵占和破坏古树名木保护范围,不得擅自占用城市绿化用地,不得对周边城市环境产生负面影响。
//  2. 既有建筑改造不得降低原有建筑主体结构安全和消防安全标准,涉及既有建筑结构改造或改变建筑设计用途的,应当开展建筑安全检测。
//
// Applies (a 建筑安全检测 is required, Values["safety_inspection_required"])
// when the works change the structure or the 主类 of use; NotApplicable when
// both are known not to (a change of use within a 主类 is not in the facts, so
// the message asks the officer to check it); Manual when unknown. The other
// baseline items (古树名木, 绿化用地, 规划, 历史文化) have no facts: the
// message lists them for the officer.
func SafetyBaseline(r RenovationFacts, asOf calendar.Date) Finding {
	const rule = "OF-15"
	cite := cite14("三(五)")
	v := map[string]string{}
	if !JingXin14.InForce(asOf) {
		return outOfForce(rule, cite, JingXin14, "评估日", asOf, v)
	}
	const baseline = "；底线要求：不得降低原有建筑主体结构安全和消防安全标准，不得破坏地形地貌、损害古树名木、擅自占用城市绿化用地，须符合国土空间规划、生态保护和历史文化管控要求（需人工核实）"
	structural, useChange := r.ChangeStructure, r.UseChangeMainClass
	if structural != nil {
		v["change_structure"] = fmt.Sprint(*structural)
	}
	if useChange != nil {
		v["use_change_main_class"] = fmt.Sprint(*useChange)
	}
	switch {
	case isTrue(structural) || isTrue(useChange):
		v["safety_inspection_required"] = "true"
		what := "既有建筑结构改造"
		if isTrue(useChange) {
			what = "改变建筑设计用途"
			if isTrue(structural) {
				what = "既有建筑结构改造和改变建筑设计用途"
			}
		}
		return finding(rule, Applies, cite, "涉及"+what+"，应当开展建筑安全检测"+baseline, v)
	case structural != nil && useChange != nil:
		v["safety_inspection_required"] = "false"
		return finding(rule, NotApplicable, cite,
			"不涉及既有建筑结构改造，也不改变用地分类主类：无须因此开展建筑安全检测（如主类内改变设计用途，仍应检测，需人工核实）"+baseline, v)
	default:
		return finding(rule, Manual, cite,
			"未填报是否改变结构（change_structure）或建筑使用功能（use_change_main_class），无法判断是否应当开展建筑安全检测"+baseline, v)
	}
}
