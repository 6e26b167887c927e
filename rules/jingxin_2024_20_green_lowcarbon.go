// 京经信发〔2024〕20号
// 北京市经济和信息化局关于印发《北京市促进制造业和信息软件业绿色低碳发展的若干措施》的通知
//
//	Title:     北京市促进制造业和信息软件业绿色低碳发展的若干措施
//	Issuer:    北京市经济和信息化局
//	Number:    京经信发〔2024〕20号
//	Issued:    2024-04-16 (date on the notice)
//	In force:  2024-04-16 (no start date stated; the date on the notice, RULES.md I-34)
//	Validity:  文末 "本政策执行期至 2027 年底,具体措施明确执行期限的,从其规定。"
//	           2024-04-16 … 2027-12-31 (RULES.md §1, GL-11)
//	Source:    北京市人民政府公报 2024年第25期 p.17 (OCR text; quoted as printed)
//
// Rule ids GL-01…GL-12 are those of RULES.md §4.5. Every amount is in 万元
// as an exact Decimal (DECISIONS.md D18) and is an upper limit (上限): the
// text says "不超过" (DECISIONS.md D17). Implemented through Eval:
//
//   - GL-01 一(二) diagnosis reward cap, GL-02 二(一) energy-saving retrofit,
//     GL-03 二(一) other retrofit, GL-04 二(二) 环保绩效 (10万元 floor, I-26),
//     GL-05 二(三) data-centre energy saving, GL-06 二(五) demonstration
//     (as GL-03), GL-07 三(三) 30% uplift for listed units (I-25),
//     GL-10 八 green-loan interest subsidy, GL-11 文末 validity (GreenAwardCap,
//     GreenLoanSubsidyCap, GreenPolicyInForce);
//   - GL-09 五 green-power target, for new and expanded data centres of the
//     compute_center section (GreenPowerTarget; RULES.md I-27: it is 20号's,
//     not 25号's).
//
// GL-08 三(一)(二) (green grading levels) and GL-12 六 (津冀 factories
// nominated through Beijing) have no facts in FACTS.md and are not evaluated.

package rules

import (
	"fmt"
	"strconv"
	"strings"

	"gengxin/calendar"
)

var jingXin20From = JingXin20.From

// Green-award measures (FACTS.md green_award.measure).
const (
	MeasureDiagnosis     = "diagnosis"      // 一(二) 绿色诊断, GL-01
	MeasureEnergySaving  = "energy_saving"  // 二(一) 节能改造项目, GL-02
	MeasureOtherRetrofit = "other_retrofit" // 二(一) 其他绿色低碳改造升级项目, GL-03
	MeasureEnvRating     = "env_rating"     // 二(二) 环保绩效评级提升项目, GL-04
	MeasureDataCenter    = "data_center"    // 二(三) 数据中心节能改造项目, GL-05
	MeasureDemonstration = "demonstration"  // 二(五) 绿色低碳先进技术示范应用, GL-06
	MeasureGreenLoan     = "green_loan"     // 八 绿色信贷贴息, GL-10
)

// Parameters of 京经信发〔2024〕20号. Money in 万元.
var (
	// DiagnosisPerEnterpriseWan: 一(二) "每服务1家企业给予不超过12万元的奖励资金".
	DiagnosisPerEnterpriseWan = Param{Name: "DiagnosisPerEnterpriseWan", Value: "12", Unit: "万元/家企业",
		Citation: "京经信发〔2024〕20号 一(二)", From: jingXin20From}
	// DiagnosisPerParkWan: 一(二) "每服务1个工业园区给予不超过20万元的奖励资金".
	DiagnosisPerParkWan = Param{Name: "DiagnosisPerParkWan", Value: "20", Unit: "万元/个工业园区",
		Citation: "京经信发〔2024〕20号 一(二)", From: jingXin20From}
	// EnergySavingPerTceWan: 二(一) and 二(三) "按照项目节能量给予不超过1200元/吨标准煤的资金奖励":
	// 1200元 = 0.12万元 per 吨标准煤 saved.
	EnergySavingPerTceWan = Param{Name: "EnergySavingPerTceWan", Value: "0.12", Unit: "万元/吨标准煤",
		Citation: "京经信发〔2024〕20号 二(一)", From: jingXin20From}
	// RetrofitRatio: 二(一), 二(二), 二(三) "不超过纳入奖励范围的项目总投资的25%".
	RetrofitRatio = Param{Name: "RetrofitRatio", Value: "0.25", Unit: "（占纳入奖励范围的项目总投资的比例）",
		Citation: "京经信发〔2024〕20号 二(一)", From: jingXin20From}
	// ProjectAwardCapWan: 二(一), 二(二), 二(三) "单个项目奖励资金最高不超过3000万元".
	ProjectAwardCapWan = Param{Name: "ProjectAwardCapWan", Value: "3000", Unit: "万元/项目",
		Citation: "京经信发〔2024〕20号 二(一)", From: jingXin20From}
	// EnvRatingFloorWan: 二(二) "奖励金额不足10万元项目的给予10万元奖励资金".
	EnvRatingFloorWan = Param{Name: "EnvRatingFloorWan", Value: "10", Unit: "万元/项目",
		Citation: "京经信发〔2024〕20号 二(二)", From: jingXin20From}
	// ListedUnitRatio: 三(三) "奖励资金支持比例提高至不超过项目总投资的 30%"
	// (replaces RetrofitRatio, DECISIONS.md D17).
	ListedUnitRatio = Param{Name: "ListedUnitRatio", Value: "0.3", Unit: "（占项目总投资的比例）",
		Citation: "京经信发〔2024〕20号 三(三)", From: jingXin20From}
	// GreenPowerShare: 五 "对于新建和改建数据中心,力争到 2025 年绿电使用比例达到 50%".
	GreenPowerShare = Param{Name: "GreenPowerShare", Value: "0.5", Unit: "（绿电使用比例）",
		Citation: "京经信发〔2024〕20号 五", From: jingXin20From}
	// GreenPowerTargetYear: 五 "力争到 2025 年".
	GreenPowerTargetYear = Param{Name: "GreenPowerTargetYear", Value: "2025", Unit: "年",
		Citation: "京经信发〔2024〕20号 五", From: jingXin20From}
	// GreenLoanMinFixedAssetWan: 八 "当年固定资产投资超过 500 万元" (strict: "超过").
	GreenLoanMinFixedAssetWan = Param{Name: "GreenLoanMinFixedAssetWan", Value: "500", Unit: "万元",
		Citation: "京经信发〔2024〕20号 八", From: jingXin20From}
	// GreenLoanMaxRate: 八 "按照不超过 2% 的贴息率给予贴息".
	GreenLoanMaxRate = Param{Name: "GreenLoanMaxRate", Value: "0.02", Unit: "（贴息率）",
		Citation: "京经信发〔2024〕20号 八", From: jingXin20From}
	// GreenLoanAnnualCapWan: 八 "单个企业年度贴息金额最高不超过 1000 万元".
	GreenLoanAnnualCapWan = Param{Name: "GreenLoanAnnualCapWan", Value: "1000", Unit: "万元/企业/年",
		Citation: "京经信发〔2024〕20号 八", From: jingXin20From}
)

// GreenParams returns the Params of 京经信发〔2024〕20号 and 京经信发〔2024〕25号,
// for Params (document.go appends them).
func GreenParams() []Param {
	return []Param{
		DiagnosisPerEnterpriseWan, DiagnosisPerParkWan, EnergySavingPerTceWan, RetrofitRatio,
		ProjectAwardCapWan, EnvRatingFloorWan, ListedUnitRatio, GreenPowerShare, GreenPowerTargetYear,
		GreenLoanMinFixedAssetWan, GreenLoanMaxRate, GreenLoanAnnualCapWan,
		NewCenterPUEMax, LargeCenterEnergyTce, LargeCenterPUEMax, ExistingCenterPUEMax,
		NetworkBandwidthMinGbps, IntraCityRttMaxMs, Ring200kmRttMaxMs, WestRttMaxMs,
	}
}

func cite20(article string) string { return JingXin20.Cite(article) }

// pct formats a ratio (0.25) as printed ("25%").
func pct(r Decimal) string { return r.Mul(hundred).String() + "%" }

// decStr returns the canonical string of d, or "未填报" when d is nil.
func decStr(d *Decimal) string {
	if d == nil {
		return "未填报"
	}
	return d.String()
}

// greenWindow checks GL-11 for a claim: asOf and, when given, the project
// year must lie in the 执行期 (a year counts when it overlaps
// 2024-04-16…2027-12-31, i.e. 2024…2027). It returns "" when in force, else
// the Chinese reason for the out-of-force message.
func greenWindow(projectYear *int, asOf calendar.Date) string {
	if projectYear != nil && (*projectYear < JingXin20.From.Year || *projectYear > JingXin20.To.Year) {
		return fmt.Sprintf("项目年度 %d 年", *projectYear)
	}
	if !JingXin20.InForce(asOf) {
		return "评估日 " + dateOrNone(asOf)
	}
	return ""
}

// greenOutOfForce turns a computed finding into the out-of-force finding of
// DECISIONS.md D7, keeping the computed values for the officer.
func greenOutOfForce(f Finding, reason string) Finding {
	f.Values["valid_from"] = JingXin20.From.String()
	f.Values["valid_to"] = JingXin20.To.String()
	f.Outcome = OutOfForce
	f.Message = fmt.Sprintf("规则不在有效期：%s不在 %s 执行期 %s 内（“本政策执行期至 2027 年底”），系统不自动适用，需经办人记录理由后人工处理（DECISIONS D7）；按规则计算：%s",
		reason, JingXin20.Number, JingXin20.Window(), f.Message)
	return f
}

// GreenPolicyInForce is GL-11, 文末:
//
//	本政策执行期至 2027 年底,具体措施明确执行期限的,从其规定。
//
// Pass when asOf lies in 2024-04-16…2027-12-31 and projectYear (when given)
// in 2024…2027; OutOfForce otherwise (a 2028 claim, SCENARIOS T39). No
// measure of the document states its own 执行期限 (GL-09's "到 2025 年" is a
// target year, not a term), so the closing line governs every measure.
func GreenPolicyInForce(projectYear *int, asOf calendar.Date) Finding {
	const rule = "GL-11"
	cite := JingXin20.ValidityCitation
	v := map[string]string{"date": asOf.String(), "valid_from": JingXin20.From.String(), "valid_to": JingXin20.To.String()}
	if projectYear != nil {
		v["project_year"] = strconv.Itoa(*projectYear)
	}
	if reason := greenWindow(projectYear, asOf); reason != "" {
		return finding(rule, OutOfForce, cite, fmt.Sprintf(
			"规则不在有效期：%s不在 %s《%s》执行期 %s 内（“本政策执行期至 2027 年底”），不自动适用（DECISIONS D7）",
			reason, JingXin20.Number, JingXin20.Title, JingXin20.Window()), v)
	}
	msg := fmt.Sprintf("%s《%s》在评估日 %s 处于执行期 %s 内", JingXin20.Number, JingXin20.Title, asOf, JingXin20.Window())
	if projectYear != nil {
		msg += fmt.Sprintf("，项目年度 %d 年在执行期内", *projectYear)
	}
	return finding(rule, Pass, cite, msg, v)
}

// term is one limb of an award cap: its key in Values ("per_tce",
// "ratio", "project_cap"), its Chinese label and its amount.
type term struct {
	key, label string
	wan        Decimal
}

// bind returns the smallest amount among ts and the terms that reach it
// (keys joined by ",", labels by "、", in the order given).
func bind(ts ...term) (Decimal, string, string) {
	low := ts[0].wan
	for _, t := range ts[1:] {
		low = low.Min(t.wan)
	}
	var keys, labels []string
	for _, t := range ts {
		if t.wan.Cmp(low) == 0 {
			keys = append(keys, t.key)
			labels = append(labels, t.label)
		}
	}
	return low, strings.Join(keys, ","), strings.Join(labels, "、")
}

// awardRule is the rule id, citation and Chinese name of a retrofit measure.
type awardRule struct {
	rule, article, name string
	perTce              bool // the 1200元/吨标准煤 term applies (二(一) 节能改造, 二(三))
	floor               bool // the 10万元 floor applies (二(二))
}

var awardRules = map[string]awardRule{
	MeasureEnergySaving:  {"GL-02", "二(一)", "节能改造项目", true, false},
	MeasureOtherRetrofit: {"GL-03", "二(一)", "其他绿色低碳改造升级项目", false, false},
	MeasureEnvRating:     {"GL-04", "二(二)", "企业环保绩效评级提升项目", false, true},
	MeasureDataCenter:    {"GL-05", "二(三)", "信息软件业企业数据中心节能改造项目", true, false},
	MeasureDemonstration: {"GL-06", "二(五)", "绿色低碳先进技术示范应用项目（按照绿色低碳改造项目给予资金奖励，适用二(一)）", false, false},
}

// GreenAwardCap evaluates the reward rule of f.Measure on asOf and returns
// the award cap in 万元 (nil when the facts do not allow it, the measure has
// no award, or the rule is out of force) with its findings: the measure's
// rule, then GL-07 when listed_green_unit is given.
//
// GL-01, 一(二) 全面实施绿色诊断:
//
//	根据被服务对象的规模和服务质量,对绿色诊断服务商给予资金奖励。其中每服务1家企业给予不超过12万元的奖励资金,每服务1个工业园区给予不超过20万元的奖励资金。
//
// Cap = 12万元 × diagnosed_enterprises + 20万元 × diagnosed_parks (3 firms
// and 1 park → 56万元, SCENARIOS T39); the reward within it depends on the
// size of those served and the quality of service (manual).
//
// GL-02 and GL-03, 二(一) 支持制造业企业绿色低碳改造升级:
//
//	其中,对符合要求的节能改造项目,按照项目节能量给予不超过1200元/吨标准煤的资金奖励,且奖励金额不超过纳入奖励范围的项目总投资的25%;对符合要求的其他绿色低碳改造升级项目,给予不超过纳入奖励范围的项目总投资25%的奖励资金。单个项目奖励资金最高不超过3000万元。
//
// GL-04, 二(二) 推动空气重污染应急重点行业企业提升环保绩效评级:
//
//	对符合要求的企业环保绩效评级提升项目给予资金奖励,奖励金额不超过纳入奖励范围的项目总投资的25%,奖励金额不足10万元项目的给予10万元奖励资金,单个项目奖励资金最高不超过 3000 万元。
//
// GL-05, 二(三) 引导数据中心节能降碳绿色发展:
//
//	对符合要求的信息软件业企业数据中心节能改造项目,按照项目节能量给予不超过 1200 元/吨标准煤的资金奖励,且奖励金额不超过纳入奖励范围的项目总投资的 25%,单个项目奖励资金最高不超过 3000 万元。
//
// GL-06, 二(五) 开展绿色低碳先进技术示范应用:
//
//	对符合要求的项目按照绿色低碳改造项目给予资金奖励。
//
// GL-07, 三(三) 鼓励企业开展其他绿色低碳示范创建:
//
//	对入围国家和市级绿色制造单位名单和国家能效水效领跑者名单的企业,以及空气重污染应急环保绩效评级 A 级、B 级和绩效引领型企业,实施的绿色低碳改造升级项目,奖励资金支持比例提高至不超过项目总投资的 30%。
//
// Caps (DECISIONS.md D17): GL-02 and GL-05 min(0.12万元 × energy_saved_tce,
// 25% × eligible_investment_wan, 3000万元); GL-03 and GL-06 min(25% ×
// investment, 3000万元); GL-04 min(25% × investment, 3000万元), raised to
// 10万元 when below it ("不足" is strict: exactly 10万元 is not raised).
// With listed_green_unit the ratio is 30% instead of 25% and the other
// limbs stay. Values["binding"] names the limb(s) that set the cap
// (per_tce, ratio, project_cap, floor). The finding is Applies, or Manual
// when the uplift (RULES I-25) or the floor (I-26) set or changed the
// result — the amount is still given, labelled 上限 — or when a fact is
// missing or negative (then no amount). OutOfForce, with the computed values
// but no amount, when GreenPolicyInForce is not Pass. Measure green_loan is
// GreenLoanSubsidyCap's: for it, and for an empty measure, only GL-07 (not
// applicable) is returned when listed_green_unit is given; an unknown
// measure gives no findings.
func GreenAwardCap(f GreenAwardFacts, asOf calendar.Date) (*Decimal, []Finding) {
	var capWan *Decimal
	var fs []Finding
	switch f.Measure {
	case MeasureDiagnosis:
		c, df := diagnosisCap(f)
		capWan, fs = c, []Finding{df}
	case MeasureGreenLoan, "":
	default:
		ar, ok := awardRules[f.Measure]
		if !ok {
			return nil, nil
		}
		c, rf := retrofitCap(ar, f)
		capWan, fs = c, []Finding{rf}
	}
	if f.ListedGreenUnit != nil {
		fs = append(fs, listedUplift(f))
	}
	if reason := greenWindow(f.ProjectYear, asOf); reason != "" {
		for i := range fs {
			fs[i] = greenOutOfForce(fs[i], reason)
		}
		capWan = nil
	}
	return capWan, fs
}

func diagnosisCap(f GreenAwardFacts) (*Decimal, Finding) {
	const rule = "GL-01"
	cite := cite20("一(二)")
	v := map[string]string{"measure": f.Measure,
		"per_enterprise_wan": DiagnosisPerEnterpriseWan.Value, "per_park_wan": DiagnosisPerParkWan.Value}
	if f.DiagnosedEnterprises == nil && f.DiagnosedParks == nil {
		return nil, finding(rule, Manual, cite,
			"未提供服务企业数（diagnosed_enterprises）和服务工业园区数（diagnosed_parks），无法计算绿色诊断奖励资金上限", v)
	}
	n, p := 0, 0
	if f.DiagnosedEnterprises != nil {
		n = *f.DiagnosedEnterprises
	}
	if f.DiagnosedParks != nil {
		p = *f.DiagnosedParks
	}
	v["diagnosed_enterprises"], v["diagnosed_parks"] = strconv.Itoa(n), strconv.Itoa(p)
	if n < 0 || p < 0 {
		return nil, finding(rule, Manual, cite,
			fmt.Sprintf("服务企业数 %d、工业园区数 %d 无效（不应为负），需人工核实", n, p), v)
	}
	ent := DiagnosisPerEnterpriseWan.Decimal().Mul(DecimalFromInt(int64(n)))
	park := DiagnosisPerParkWan.Decimal().Mul(DecimalFromInt(int64(p)))
	total := ent.Add(park)
	v["enterprise_term_wan"], v["park_term_wan"], v["award_cap_wan"] = ent.String(), park.String(), total.String()
	return &total, finding(rule, Applies, cite, fmt.Sprintf(
		"绿色诊断服务商奖励资金上限 %s万元：服务企业 %d 家 × 不超过%s万元 = %s万元，服务工业园区 %d 个 × 不超过%s万元 = %s万元；具体金额根据被服务对象的规模和服务质量确定（上限，DECISIONS D17）",
		total, n, DiagnosisPerEnterpriseWan.Value, ent, p, DiagnosisPerParkWan.Value, park), v)
}

func retrofitCap(ar awardRule, f GreenAwardFacts) (*Decimal, Finding) {
	cite := cite20(ar.article)
	listed := isTrue(f.ListedGreenUnit)
	ratio, ratioCite := RetrofitRatio, "纳入奖励范围的项目总投资"
	if listed {
		ratio, ratioCite = ListedUnitRatio, "项目总投资"
	}
	v := map[string]string{
		"measure": f.Measure, "eligible_investment_wan": decStr(f.EligibleInvestmentWan),
		"ratio": ratio.Value, "project_cap_wan": ProjectAwardCapWan.Value,
	}
	if ar.perTce {
		v["energy_saved_tce"] = decStr(f.EnergySavedTce)
		v["per_tce_rate_wan"] = EnergySavingPerTceWan.Value
	}
	if ar.floor {
		v["floor_wan"] = EnvRatingFloorWan.Value
	}
	if listed {
		v["listed_green_unit"] = "true"
	}
	var missing, negative []string
	need := func(name string, d *Decimal) {
		switch {
		case d == nil:
			missing = append(missing, name)
		case d.Sign() < 0:
			negative = append(negative, name+"="+d.String())
		}
	}
	if ar.perTce {
		need("energy_saved_tce", f.EnergySavedTce)
	}
	need("eligible_investment_wan", f.EligibleInvestmentWan)
	if len(missing) > 0 {
		return nil, finding(ar.rule, Manual, cite, fmt.Sprintf("%s：未提供 %s，无法计算奖励资金上限", ar.name, strings.Join(missing, "、")), v)
	}
	if len(negative) > 0 {
		return nil, finding(ar.rule, Manual, cite, fmt.Sprintf("%s：%s 无效（不应为负），需人工核实", ar.name, strings.Join(negative, "、")), v)
	}

	inv := *f.EligibleInvestmentWan
	ratioTerm := inv.Mul(ratio.Decimal())
	projectCap := ProjectAwardCapWan.Decimal()
	v["ratio_term_wan"] = ratioTerm.String()
	terms := []term{}
	var parts []string
	if ar.perTce {
		perTce := f.EnergySavedTce.Mul(EnergySavingPerTceWan.Decimal())
		v["per_tce_term_wan"] = perTce.String()
		terms = append(terms, term{"per_tce", "按节能量每吨标准煤上限", perTce})
		parts = append(parts, fmt.Sprintf("节能量 %s吨标准煤 × %s万元/吨标准煤 = %s万元", f.EnergySavedTce, EnergySavingPerTceWan.Value, perTce))
	}
	terms = append(terms,
		term{"ratio", "不超过" + ratioCite + pct(ratio.Decimal()), ratioTerm},
		term{"project_cap", "单个项目最高不超过" + ProjectAwardCapWan.Value + "万元", projectCap})
	parts = append(parts,
		fmt.Sprintf("%s %s万元 × %s = %s万元", ratioCite, inv, pct(ratio.Decimal()), ratioTerm),
		fmt.Sprintf("单个项目最高 %s万元", projectCap))
	capWan, binding, label := bind(terms...)

	var review []string
	outcome := Applies
	msg := fmt.Sprintf("%s奖励资金上限 %s万元：%s；取最小值，由%s约束（上限，DECISIONS D17）", ar.name, capWan, strings.Join(parts, "，"), label)
	floor := EnvRatingFloorWan.Decimal()
	if ar.floor && capWan.Cmp(floor) < 0 {
		v["computed_wan"] = capWan.String()
		msg = fmt.Sprintf("%s奖励资金 %s万元：%s；按上述计算为 %s万元，不足%s万元，按“奖励金额不足10万元项目的给予10万元奖励资金”给予 %s万元，保底高于投资比例上限（RULES I-26，需人工复核）",
			ar.name, floor, strings.Join(parts, "，"), capWan, EnvRatingFloorWan.Value, floor)
		capWan, binding = floor, "floor"
		review = append(review, "I-26")
	}
	if listed {
		review = append([]string{"I-25"}, review...)
		msg += fmt.Sprintf("；入围绿色制造单位等名单企业，支持比例由%s提高至%s（三(三)），按%s计算并保留其他上限（DECISIONS D17；RULES I-25，需人工复核）",
			pct(RetrofitRatio.Decimal()), pct(ratio.Decimal()), pct(ratio.Decimal()))
	}
	if len(review) > 0 {
		outcome = Manual
		v["manual_review"] = strings.Join(review, ",")
	}
	v["binding"], v["award_cap_wan"] = binding, capWan.String()
	return &capWan, finding(ar.rule, outcome, cite, msg, v)
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "未填报"
	}
	return s
}

// listedUplift is the GL-07 finding for a claim with listed_green_unit given:
// Manual (RULES I-25) for a listed unit's retrofit measure, NotApplicable
// for an unlisted unit or a measure that is not a retrofit (diagnosis,
// green_loan).
func listedUplift(f GreenAwardFacts) Finding {
	const rule = "GL-07"
	cite := cite20("三(三)")
	v := map[string]string{"measure": f.Measure, "listed_green_unit": strconv.FormatBool(*f.ListedGreenUnit)}
	_, retrofit := awardRules[f.Measure]
	switch {
	case !retrofit:
		return finding(rule, NotApplicable, cite, fmt.Sprintf(
			"比例提高至%s仅适用于绿色低碳改造升级项目，不适用于本措施（%s）", pct(ListedUnitRatio.Decimal()), dashIfEmpty(f.Measure)), v)
	case !*f.ListedGreenUnit:
		return finding(rule, NotApplicable, cite, fmt.Sprintf(
			"企业未入围绿色制造单位、能效水效领跑者名单，亦非环保绩效A级、B级或绩效引领型企业：奖励比例按%s计算", pct(RetrofitRatio.Decimal())), v)
	}
	v["ratio"], v["base_ratio"], v["manual_review"] = ListedUnitRatio.Value, RetrofitRatio.Value, "I-25"
	return finding(rule, Manual, cite, fmt.Sprintf(
		"入围名单企业实施的绿色低碳改造升级项目，奖励资金支持比例提高至不超过项目总投资的%s（原%s）；按系统口径以%s替代%s，保留%s万元/吨标准煤及单个项目%s万元上限；“项目总投资”与“纳入奖励范围的项目总投资”口径不一致，需人工复核（RULES I-25，DECISIONS D17）",
		pct(ListedUnitRatio.Decimal()), pct(RetrofitRatio.Decimal()), pct(ListedUnitRatio.Decimal()), pct(RetrofitRatio.Decimal()),
		EnergySavingPerTceWan.Value, ProjectAwardCapWan.Value), v)
}

// GreenLoanSubsidyCap is GL-10, 八 强化绿色金融支撑作用:
//
//	对于当年固定资产投资超过 500 万元的制造业和信息软件业企业用于在京投资建设的绿色信贷固定资产投资贷款,按照不超过 2% 的贴息率给予贴息,单个企业年度贴息金额最高不超过 1000 万元。
//
// Eligibility needs fixed_asset_investment_wan strictly above 500万元
// ("超过": exactly 500万元 is ineligible → Fail, SCENARIOS T39). The cap is
// loan_amount_wan × min(subsidy_rate, 2%), at most 1000万元 (8亿 × 2% =
// 1600万元 → 1000万元; 3亿 → 600万元). A rate above 2% is not refused: the
// cap is computed at 2% and Values["rate_capped"] says so; without
// subsidy_rate the cap uses the maximum rate of 2%. The 1000万元 is per
// enterprise per year, across all its loans: the caller adds the year's
// other subsidies. That the firm is a manufacturing or software firm and the
// loan a 绿色信贷 for investment in Beijing are checked by the officer.
// Missing or negative facts give Manual and no amount; out of the 执行期,
// OutOfForce and no amount.
func GreenLoanSubsidyCap(f GreenAwardFacts, asOf calendar.Date) (*Decimal, Finding) {
	c, fd := greenLoan(f)
	if reason := greenWindow(f.ProjectYear, asOf); reason != "" {
		return nil, greenOutOfForce(fd, reason)
	}
	return c, fd
}

func greenLoan(f GreenAwardFacts) (*Decimal, Finding) {
	const rule = "GL-10"
	cite := cite20("八")
	minFA := GreenLoanMinFixedAssetWan.Decimal()
	v := map[string]string{
		"fixed_asset_investment_wan": decStr(f.FixedAssetInvestmentWan), "loan_amount_wan": decStr(f.LoanAmountWan),
		"subsidy_rate": decStr(f.SubsidyRate), "min_fixed_asset_investment_wan": GreenLoanMinFixedAssetWan.Value,
		"max_rate": GreenLoanMaxRate.Value, "annual_cap_wan": GreenLoanAnnualCapWan.Value,
	}
	if f.ProjectYear != nil {
		v["project_year"] = strconv.Itoa(*f.ProjectYear)
	}
	fa := f.FixedAssetInvestmentWan
	switch {
	case fa == nil:
		return nil, finding(rule, Manual, cite, "未提供当年固定资产投资（fixed_asset_investment_wan），无法判断是否“超过 500 万元”", v)
	case fa.Cmp(minFA) <= 0:
		v["eligible"] = "false"
		return nil, finding(rule, Fail, cite, fmt.Sprintf(
			"当年固定资产投资 %s万元 未超过 %s万元（“超过”不含本数），不符合绿色信贷贴息条件", fa, minFA), v)
	}
	v["eligible"] = "true"
	loan, rate := f.LoanAmountWan, f.SubsidyRate
	switch {
	case loan == nil:
		return nil, finding(rule, Manual, cite, fmt.Sprintf(
			"当年固定资产投资 %s万元 超过 %s万元，符合贴息条件；未提供贷款金额（loan_amount_wan），无法计算贴息上限", fa, minFA), v)
	case loan.Sign() < 0 || (rate != nil && rate.Sign() < 0):
		return nil, finding(rule, Manual, cite, fmt.Sprintf(
			"贷款金额 %s万元 或贴息率 %s 无效（不应为负），需人工核实", loan, decStr(rate)), v)
	}
	maxRate := GreenLoanMaxRate.Decimal()
	used, rateNote := maxRate, fmt.Sprintf("未填报贴息率，按最高 %s 计算", pct(maxRate))
	if rate != nil {
		used, rateNote = rate.Min(maxRate), "贴息率 "+pct(*rate)
		if rate.Cmp(maxRate) > 0 {
			v["rate_capped"] = "true"
			rateNote = fmt.Sprintf("申报贴息率 %s 超过“不超过 2%%”，按 %s 计算", pct(*rate), pct(maxRate))
		}
	}
	v["rate_used"] = used.String()
	byRate := loan.Mul(used)
	annual := GreenLoanAnnualCapWan.Decimal()
	capWan, binding, _ := bind(term{"rate", "", byRate}, term{"annual_cap", "", annual})
	v["rate_term_wan"], v["binding"], v["interest_subsidy_cap_wan"] = byRate.String(), binding, capWan.String()
	msg := fmt.Sprintf("当年固定资产投资 %s万元 超过 %s万元，符合贴息条件；贷款 %s万元 × %s = %s万元（%s）",
		fa, minFA, loan, pct(used), byRate, rateNote)
	if byRate.Cmp(annual) > 0 {
		msg += fmt.Sprintf("，超过单个企业年度贴息金额最高 %s万元，贴息上限 %s万元", annual, capWan)
	} else {
		msg += fmt.Sprintf("，未超过单个企业年度最高 %s万元，贴息上限 %s万元", annual, capWan)
	}
	msg += "；年度上限按企业全部贷款合计，企业类型（制造业和信息软件业）及贷款用途（在京投资建设的绿色信贷固定资产投资贷款）由经办人核实（上限，DECISIONS D17）"
	return &capWan, finding(rule, Applies, cite, msg, v)
}

// GreenPowerTarget is GL-09, 五 引导提升可再生能源电力消纳水平 (RULES I-27:
// the target is 20号's, not 25号's):
//
//	落实《关于进一步加强数据中心节能项目审查的若干规定》,对于新建和改建数据中心,力争到 2025 年绿电使用比例达到 50%。
//
// For a new or expanded (改扩建) data centre it returns Applies: an
// aspiration ("力争"), never a condition; for an existing one NotApplicable.
// FACTS.md carries no green-power share, so nothing is compared. OutOfForce
// when asOf is outside 2024-04-16…2027-12-31.
func GreenPowerTarget(kind string, asOf calendar.Date) Finding {
	const rule = "GL-09"
	cite := cite20("五")
	v := map[string]string{"kind": kind, "green_power_share": GreenPowerShare.Value, "target_year": GreenPowerTargetYear.Value}
	if !JingXin20.InForce(asOf) {
		return outOfForce(rule, cite, JingXin20, "评估日", asOf, v)
	}
	if kind != CenterNew && kind != CenterExpanded {
		return finding(rule, NotApplicable, cite, "绿电使用比例目标仅针对新建和改建数据中心", v)
	}
	return finding(rule, Applies, cite, fmt.Sprintf(
		"新建和改建数据中心：力争到 %s 年绿电使用比例达到 %s（“力争”为目标，不作为审批条件；该目标出自%s 五，非%s，RULES I-27）",
		GreenPowerTargetYear.Value, pct(GreenPowerShare.Decimal()), JingXin20.Number, JingXin25.Number), v)
}
