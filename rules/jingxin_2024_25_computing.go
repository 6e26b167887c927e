// 京经信发〔2024〕25号
// 北京市经济和信息化局 北京市通信管理局关于印发《北京市算力基础设施建设实施方案(2024—2027 年)》的通知
//
//	Title:     北京市算力基础设施建设实施方案(2024—2027年)
//	Issuer:    北京市经济和信息化局、北京市通信管理局
//	Number:    京经信发〔2024〕25号
//	Issued:    2024-04-24 (date on the notice)
//	In force:  2024-04-24 (no clause; the date on the notice, RULES.md I-34)
//	Validity:  no clause; the plan period of the title, 2024—2027, read as
//	           2024-04-24 … 2027-12-31; 规划期末 = 2027-12-31 (RULES.md §1, I-28)
//	Source:    北京市人民政府公报 2024年第25期 p.37 (OCR text; quoted as printed)
//
// Rule ids CP-01…CP-11 are those of RULES.md §4.6. Implemented through Eval
// for the compute_center section: CP-03 (manual: 通用算力 or 智算),
// CP-04 PUE (PUETarget), CP-07 network (NetworkTargets), CP-09 and CP-11 for
// existing data centres, and the document's window as VAL-JingXin25.
// CP-01, CP-02, CP-05, CP-06 and CP-08 are city-level targets (45EFLOPS,
// two 10EFLOPS clusters, 100% self-reliance, >200 cases, the corridor) with
// no facts of a single data centre: not evaluated. CP-10 (双节点、双路由)
// has no fact in FACTS.md: not evaluated. CP-11's "一定比例" has no number
// (RULES I-29): no amount is ever computed.
//
// A rule gives OutOfForce when as_of, or measured_on when given, is outside
// 2024-04-24…2027-12-31 (DECISIONS D7).

package rules

import (
	"fmt"
	"strings"

	"gengxin/calendar"
)

var jingXin25From = JingXin25.From

// Data-centre kinds (FACTS.md compute_center.kind).
const (
	CenterNew      = "new"      // 新建
	CenterExpanded = "expanded" // 改扩建
	CenterExisting = "existing" // 存量
)

// Parameters of 京经信发〔2024〕25号.
var (
	// NewCenterPUEMax: 二(四) "本市新建和改扩建智算中心 PUE 值一般不超过 1.25" (soft: 一般).
	NewCenterPUEMax = Param{Name: "NewCenterPUEMax", Value: "1.25", Unit: "（PUE）",
		Citation: "京经信发〔2024〕25号 二(四)", From: jingXin25From}
	// LargeCenterEnergyTce: 二(四) "年能耗超过 3 万吨标煤" (strict: exactly
	// 30000 吨标准煤 falls under the 1.25 band).
	LargeCenterEnergyTce = Param{Name: "LargeCenterEnergyTce", Value: "30000", Unit: "吨标准煤/年",
		Citation: "京经信发〔2024〕25号 二(四)", From: jingXin25From}
	// LargeCenterPUEMax: 二(四) "年能耗超过 3 万吨标煤的大规模先进智算中心 PUE 值一般不超过 1.15".
	LargeCenterPUEMax = Param{Name: "LargeCenterPUEMax", Value: "1.15", Unit: "（PUE）",
		Citation: "京经信发〔2024〕25号 二(四)", From: jingXin25From}
	// ExistingCenterPUEMax: 二(四) "到规划期末所有存量数据中心 PUE 值均不高于 1.35".
	ExistingCenterPUEMax = Param{Name: "ExistingCenterPUEMax", Value: "1.35", Unit: "（PUE）",
		Citation: "京经信发〔2024〕25号 二(四)", From: jingXin25From}
	// NetworkBandwidthMinGbps: 三(三) "网络通信带宽达到400G以上" (以上: inclusive).
	NetworkBandwidthMinGbps = Param{Name: "NetworkBandwidthMinGbps", Value: "400", Unit: "Gbps",
		Citation: "京经信发〔2024〕25号 三(三)", From: jingXin25From}
	// IntraCityRttMaxMs: 三(三) "往返网络时延控制在1毫秒以内" (以内: inclusive).
	IntraCityRttMaxMs = Param{Name: "IntraCityRttMaxMs", Value: "1", Unit: "毫秒",
		Citation: "京经信发〔2024〕25号 三(三)", From: jingXin25From}
	// Ring200kmRttMaxMs: 三(三) "环京 200 公里内重点算力中心间往返网络时延不高于 3 毫秒".
	Ring200kmRttMaxMs = Param{Name: "Ring200kmRttMaxMs", Value: "3", Unit: "毫秒",
		Citation: "京经信发〔2024〕25号 三(三)", From: jingXin25From}
	// WestRttMaxMs: 三(三) "北京至内蒙古和林格尔等西部节点往返网络时延不高于 5 毫秒".
	WestRttMaxMs = Param{Name: "WestRttMaxMs", Value: "5", Unit: "毫秒",
		Citation: "京经信发〔2024〕25号 三(三)", From: jingXin25From}
)

func cite25(article string) string { return JingXin25.Cite(article) }

// computeWindow returns the date a compute-centre rule is judged on
// (measured_on when given, else asOf) and, when asOf or that date is outside
// the plan period, the out-of-force finding builder's "what" and date.
func computeWindow(measuredOn *calendar.Date, asOf calendar.Date) (on calendar.Date, what string, bad calendar.Date) {
	on = asOf
	if measuredOn != nil {
		on = *measuredOn
	}
	switch {
	case !JingXin25.InForce(asOf):
		return on, "评估日", asOf
	case measuredOn != nil && !JingXin25.InForce(*measuredOn):
		return on, "测量日", *measuredOn
	}
	return on, "", calendar.Date{}
}

// PUETarget is CP-04, 二(四) 智算中心运营绿色化:
//
//	本市新建和改扩建智算中心 PUE 值一般不超过 1.25,年能耗超过 3 万吨标煤的大规模先进智算中心 PUE 值一般不超过 1.15。推进本市存量数据中心升级改造,到规划期末所有存量数据中心 PUE 值均不高于 1.35。
//
// New and expanded centres: PUE ≤ 1.25, or ≤ 1.15 when annual_energy_tce is
// strictly above 30000 吨标准煤 (exactly 3.0万 falls under 1.25); both bounds
// inclusive; "一般" makes a miss Warn (DECISIONS D8). Without
// annual_energy_tce a PUE ≤ 1.15 passes, > 1.25 warns, and one in between is
// Manual. Existing centres: PUE ≤ 1.35 passes; above it, measured before
// 规划期末 (2027-12-31, RULES I-28) it is Warn (the target is due by
// 2027-12-31), measured on 2027-12-31 itself Fail ("均不高于" with no
// softener, the deadline reached). The date is measured_on, else asOf.
// Missing kind or PUE, or a PUE or energy not above zero, gives Manual.
func PUETarget(f ComputeCenterFacts, asOf calendar.Date) Finding {
	const rule = "CP-04"
	cite := cite25("二(四)")
	on, what, bad := computeWindow(f.MeasuredOn, asOf)
	v := map[string]string{"kind": f.Kind, "pue": decStr(f.PUE), "annual_energy_tce": decStr(f.AnnualEnergyTce), "date": on.String()}
	if what != "" {
		return outOfForce(rule, cite, JingXin25, what, bad, v)
	}
	switch {
	case f.Kind == "":
		return finding(rule, Manual, cite, "未提供数据中心类型（kind：new/expanded/existing），无法确定适用的 PUE 标准", v)
	case f.PUE == nil:
		return finding(rule, Manual, cite, "未提供 PUE 值，无法核对 PUE 标准", v)
	case f.PUE.Sign() <= 0 || (f.AnnualEnergyTce != nil && f.AnnualEnergyTce.Sign() < 0):
		return finding(rule, Manual, cite, fmt.Sprintf("PUE %s 或年能耗 %s 无效，需人工核实", f.PUE, decStr(f.AnnualEnergyTce)), v)
	}
	pue := *f.PUE
	if f.Kind == CenterExisting {
		limit, deadline := ExistingCenterPUEMax.Decimal(), JingXin25.To
		v["limit"], v["deadline"] = limit.String(), deadline.String()
		switch {
		case pue.Cmp(limit) <= 0:
			return finding(rule, Pass, cite, fmt.Sprintf(
				"存量数据中心 PUE %s ≤ %s（到规划期末 %s 均不高于 %s），达标", pue, limit, deadline, limit), v)
		case on.Before(deadline):
			return finding(rule, Warn, cite, fmt.Sprintf(
				"存量数据中心 PUE %s（%s 测量）高于 %s：须在规划期末 %s 前升级改造至不高于 %s（RULES I-28）；未完成节能改造且未向智算中心转型的，引导其疏解迁移、关闭退出（三(四)）",
				pue, on, limit, deadline, limit), v)
		default:
			return finding(rule, Fail, cite, fmt.Sprintf(
				"存量数据中心 PUE %s（%s 测量）高于 %s：规划期末 %s 已到，未达到“所有存量数据中心 PUE 值均不高于 %s”",
				pue, on, limit, deadline, limit), v)
		}
	}
	if f.Kind != CenterNew && f.Kind != CenterExpanded {
		return finding(rule, Manual, cite, fmt.Sprintf("数据中心类型 %q 无效，需人工核实", f.Kind), v)
	}
	kind := map[string]string{CenterNew: "新建", CenterExpanded: "改扩建"}[f.Kind]
	base, large, threshold := NewCenterPUEMax.Decimal(), LargeCenterPUEMax.Decimal(), LargeCenterEnergyTce.Decimal()
	var limit Decimal
	var band string
	switch {
	case f.AnnualEnergyTce == nil:
		switch {
		case pue.Cmp(large) <= 0:
			limit, band = large, fmt.Sprintf("未提供年能耗；PUE %s ≤ %s，两档标准均满足", pue, large)
		case pue.Cmp(base) > 0:
			limit, band = base, fmt.Sprintf("未提供年能耗；PUE %s 已高于一般标准 %s", pue, base)
		default:
			v["limit"] = base.String() + "|" + large.String()
			return finding(rule, Manual, cite, fmt.Sprintf(
				"%s智算中心 PUE %s：未提供年能耗，无法判断适用 %s（年能耗不超过 %s吨标准煤）还是 %s（超过 %s吨标准煤）", kind, pue, base, threshold, large, threshold), v)
		}
	case f.AnnualEnergyTce.Cmp(threshold) > 0:
		limit, band = large, fmt.Sprintf("年能耗 %s吨标准煤 超过 %s吨标准煤，为大规模先进智算中心，PUE 一般不超过 %s", f.AnnualEnergyTce, threshold, large)
	default:
		limit, band = base, fmt.Sprintf("年能耗 %s吨标准煤 未超过 %s吨标准煤（“超过”不含本数），PUE 一般不超过 %s", f.AnnualEnergyTce, threshold, base)
	}
	v["limit"] = limit.String()
	if pue.Cmp(limit) <= 0 {
		return finding(rule, Pass, cite, fmt.Sprintf("%s智算中心 PUE %s ≤ %s，达标（%s）", kind, pue, limit, band), v)
	}
	return finding(rule, Warn, cite, fmt.Sprintf(
		"%s智算中心 PUE %s 高于 %s（%s）：“一般不超过”为软性要求，须书面说明理由并经审批人确认（DECISIONS D8）", kind, pue, limit, band), v)
}

// NetworkTargets is CP-07, 三(三) 加快提升算力基础设施运载力:
//
//	推动大带宽、低时延的全光接入网络广泛覆盖,统筹建设重点算力中心直连网络,联通全市主要算力资源,网络通信带宽达到400G以上、往返网络时延控制在1毫秒以内。按需建设北京至京津冀枢纽的一跳直达直连网络,
//	优化光缆路由,减少绕转时延,推动实现环京 200 公里内重点算力中心间往返网络时延不高于 3 毫秒、北京至内蒙古和林格尔等西部节点往返网络时延不高于 5 毫秒。
//
// Each measured figure given is compared: bandwidth_gbps ≥ 400 ("以上"),
// intra_city_rtt_ms ≤ 1 ("以内"), ring_200km_rtt_ms ≤ 3 and west_rtt_ms ≤ 5
// ("不高于"), all inclusive. These are targets the city builds towards
// ("统筹建设", "推动实现"), not conditions on one data centre: a miss is Warn,
// all met is Pass, no figure is Manual. How the 200 km is measured is
// undefined (RULES I-24): the caller's ring_200km figure is taken as given.
func NetworkTargets(n NetworkFacts, measuredOn *calendar.Date, asOf calendar.Date) Finding {
	const rule = "CP-07"
	cite := cite25("三(三)")
	on, what, bad := computeWindow(measuredOn, asOf)
	v := map[string]string{"date": on.String()}
	if what != "" {
		return outOfForce(rule, cite, JingXin25, what, bad, v)
	}
	type check struct {
		key, label string
		val        *Decimal
		p          Param
		atLeast    bool
		printed    string // the target as printed
	}
	checks := []check{
		{"bandwidth_gbps", "重点算力中心直连网络带宽", n.BandwidthGbps, NetworkBandwidthMinGbps, true,
			NetworkBandwidthMinGbps.Value + "G以上"},
		{"intra_city_rtt_ms", "全市往返网络时延", n.IntraCityRttMs, IntraCityRttMaxMs, false,
			"控制在" + IntraCityRttMaxMs.Value + "毫秒以内"},
		{"ring_200km_rtt_ms", "环京200公里内重点算力中心间往返网络时延", n.Ring200kmRttMs, Ring200kmRttMaxMs, false,
			"不高于" + Ring200kmRttMaxMs.Value + "毫秒"},
		{"west_rtt_ms", "北京至内蒙古和林格尔等西部节点往返网络时延", n.WestRttMs, WestRttMaxMs, false,
			"不高于" + WestRttMaxMs.Value + "毫秒"},
	}
	var parts, missed []string
	for _, c := range checks {
		if c.val == nil {
			continue
		}
		v[c.key] = c.val.String()
		v[c.key+"_limit"] = c.p.Value
		cmp := c.val.Cmp(c.p.Decimal())
		ok := cmp <= 0
		if c.atLeast {
			ok = cmp >= 0
		}
		state := "达标"
		if !ok {
			state = "未达标"
			missed = append(missed, c.key)
		}
		parts = append(parts, fmt.Sprintf("%s %s%s，目标%s，%s", c.label, c.val, c.p.Unit, c.printed, state))
	}
	if len(parts) == 0 {
		return finding(rule, Manual, cite, "未提供带宽或往返时延实测值，无法核对网络目标", v)
	}
	if len(missed) > 0 {
		v["missed"] = strings.Join(missed, ",")
		return finding(rule, Warn, cite, strings.Join(parts, "；")+
			"；网络目标为本市统筹建设、推动实现的规划目标，未达标需说明理由并经审批人确认（DECISIONS D8）", v)
	}
	return finding(rule, Pass, cite, strings.Join(parts, "；"), v)
}

// GeneralComputeCheck is CP-03, 一 总体思路 (需求牵引,区域协同):
//
//	本市原则上不再新增通用算力,不足部分由津冀蒙及西部地区满足。
//
// For a new or expanded centre it returns Manual: FACTS.md does not say
// whether the new capacity is 智算 or 通用算力, and "原则上" makes a new
// general-purpose centre a soft finding (DECISIONS D8) once an officer
// knows. NotApplicable for an existing centre.
func GeneralComputeCheck(kind string, asOf calendar.Date) Finding {
	const rule = "CP-03"
	cite := cite25("一")
	v := map[string]string{"kind": kind}
	if !JingXin25.InForce(asOf) {
		return outOfForce(rule, cite, JingXin25, "评估日", asOf, v)
	}
	if kind != CenterNew && kind != CenterExpanded {
		return finding(rule, NotApplicable, cite, "存量数据中心不新增算力，不适用“原则上不再新增通用算力”", v)
	}
	return finding(rule, Manual, cite,
		"本市原则上不再新增通用算力，不足部分由津冀蒙及西部地区满足：需人工确认新建或改扩建部分为智算中心而非通用算力；PUE 标准按智算中心口径核对", v)
}

// ExistingCenterUpgrade is CP-09, 三(四) 提升智算中心绿色低碳水平:
//
//	鼓励存量数据中心在能耗总量不增加的前提下,改造升级为智算中心,或采用液冷、模块化电源、模块化机房等高效系统设计降低 PUE、CUE 指标,无法完成节能改造且未向智算中心转型的,引导其疏解迁移、关闭退出。
//
// For an existing centre it returns Applies, naming the two paths and the
// consequence; NotApplicable for a new or expanded one.
func ExistingCenterUpgrade(f ComputeCenterFacts, asOf calendar.Date) Finding {
	const rule = "CP-09"
	cite := cite25("三(四)")
	v := map[string]string{"kind": f.Kind, "pue": decStr(f.PUE)}
	if !JingXin25.InForce(asOf) {
		return outOfForce(rule, cite, JingXin25, "评估日", asOf, v)
	}
	if f.Kind != CenterExisting {
		return finding(rule, NotApplicable, cite, "仅适用于存量数据中心", v)
	}
	msg := "存量数据中心：鼓励在能耗总量不增加的前提下改造升级为智算中心，或采用液冷、模块化电源、模块化机房等高效系统设计降低 PUE、CUE 指标；无法完成节能改造且未向智算中心转型的，引导其疏解迁移、关闭退出"
	if f.PUE != nil && f.PUE.Cmp(ExistingCenterPUEMax.Decimal()) > 0 {
		msg += fmt.Sprintf("（当前 PUE %s 高于规划期末目标 %s）", f.PUE, ExistingCenterPUEMax.Value)
	}
	return finding(rule, Applies, cite, msg, v)
}

// ExistingCenterFunding is CP-11, 四(三) 扩大资金支持:
//
//	对主动进行绿色节能改造的存量数据中心,按照投资额的一定比例给予支持。
//
// The ratio is not stated (RULES I-29): Manual, and no amount, for an
// existing centre; NotApplicable otherwise. (The other support of 四(三),
// for buying self-controllable GPUs, has no fact in FACTS.md.)
func ExistingCenterFunding(kind string, asOf calendar.Date) Finding {
	const rule = "CP-11"
	cite := cite25("四(三)")
	v := map[string]string{"kind": kind}
	if !JingXin25.InForce(asOf) {
		return outOfForce(rule, cite, JingXin25, "评估日", asOf, v)
	}
	if kind != CenterExisting {
		return finding(rule, NotApplicable, cite, "绿色节能改造支持仅针对存量数据中心", v)
	}
	return finding(rule, Manual, cite,
		"主动进行绿色节能改造的存量数据中心按照投资额的“一定比例”给予支持：比例未规定（RULES I-29），系统不计算金额，由管理部门确定", v)
}
