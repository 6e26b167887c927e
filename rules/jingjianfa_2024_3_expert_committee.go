// 京建法〔2024〕3号
// 北京市住房和城乡建设委员会关于印发《北京市城市更新专家委员会管理办法（试行）》的通知
//
//	Title:     北京市城市更新专家委员会管理办法(试行)
//	Issuer:    北京市住房和城乡建设委员会
//	Number:    京建法〔2024〕3号
//	Issued:    2024-03-28 (date on the notice)
//	In force:  2024-05-10 (第十四条 "本办法自 2024 年 5 月 10 日起施行,有效期 3 年。")
//	Validity:  3 years: 2024-05-10 … 2027-05-09 (RULES.md §1)
//	Source:    北京市人民政府公报 2024年第25期 p.76 (OCR text; only OCR spacing normalised)
//
// The printed numbering has no 第十一条 (RULES.md I-02); citations follow the
// print. EX-01 (age), EX-02 (term), EX-03 (annual report), EX-04 (recusal),
// EX-05 (exit grounds) and EX-06 (fields) are implemented here.

package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gengxin/calendar"
)

var jianFa3From = JianFa3.From

// Parameters of 京建法〔2024〕3号.
var (
	// ExpertMaxAge: 第五条(二) "申请时年龄原则上不超过 70 周岁" (inclusive: eligible
	// until the day before the 71st birthday; soft, D8, D16).
	ExpertMaxAge = Param{Name: "ExpertMaxAge", Value: "70", Unit: "周岁",
		Citation: "京建法〔2024〕3号 第五条(二)", From: jianFa3From}
	// ExpertTermYears: 第六条 "每届任期 3 年，可以连聘连任".
	ExpertTermYears = Param{Name: "ExpertTermYears", Value: "3", Unit: "年",
		Citation: "京建法〔2024〕3号 第六条", From: jianFa3From}
	// ExpertReportsPerYear: 第八条(三) "每年至少提交一份具有建设性的专项报告".
	ExpertReportsPerYear = Param{Name: "ExpertReportsPerYear", Value: "1", Unit: "份",
		Citation: "京建法〔2024〕3号 第八条(三)", From: jianFa3From}
)

// AgeOn returns the age in completed years (周岁) on d of a person born on
// birth: the number of birthdays reached by d, where a 02-29 birthday falls
// on 02-28 in common years (calendar.AddYears, DECISIONS.md D1).
func AgeOn(birth, d calendar.Date) int {
	age := d.Year - birth.Year
	if calendar.AddYears(birth, age).After(d) {
		age--
	}
	return age
}

// ExpertAgeEligible is EX-01, 第五条(二):
//
//	(二)具备良好的职业道德和严谨的工作态度,身体健康,申请时年龄原则上不超过70周岁,院士或特别紧缺行业(学科)专家可不受年龄限制。
//
// Pass when the age on applicationDate is at most ExpertMaxAge (the
// candidate has not reached the 71st birthday), or when the candidate is an
// 院士 or a 特别紧缺行业(学科) expert; Warn otherwise (原则上: soft, D8, D16).
// Manual when a date is missing; OutOfForce when applicationDate or asOf is
// outside 2024-05-10…2027-05-09.
func ExpertAgeEligible(birth, applicationDate calendar.Date, academician, shortageField bool, asOf calendar.Date) Finding {
	const rule = "EX-01"
	cite := JianFa3.Cite("第五条(二)")
	if birth.IsZero() || applicationDate.IsZero() {
		return finding(rule, Manual, cite, "未提供出生日期或申请日期，无法核对申请时年龄", nil)
	}
	maxAge := ExpertMaxAge.Int()
	age := AgeOn(birth, applicationDate)
	v := map[string]string{
		"birth_date": birth.String(), "application_date": applicationDate.String(),
		"age": strconv.Itoa(age), "max_age": ExpertMaxAge.Value,
		"academician": strconv.FormatBool(academician), "shortage_field": strconv.FormatBool(shortageField),
	}
	if !JianFa3.InForce(asOf) {
		return outOfForce(rule, cite, JianFa3, "评估日", asOf, v)
	}
	if !JianFa3.InForce(applicationDate) {
		return outOfForce(rule, cite, JianFa3, "申请日", applicationDate, v)
	}
	switch {
	case age <= maxAge:
		return finding(rule, Pass, cite, fmt.Sprintf("申请时（%s）年龄 %d 周岁，不超过%d周岁", applicationDate, age, maxAge), v)
	case academician || shortageField:
		who := "院士"
		if !academician {
			who = "特别紧缺行业(学科)专家"
		}
		return finding(rule, Pass, cite, fmt.Sprintf("申请时（%s）年龄 %d 周岁，超过%d周岁，但为%s，可不受年龄限制", applicationDate, age, maxAge, who), v)
	default:
		return finding(rule, Warn, cite, fmt.Sprintf(
			"申请时（%s）年龄 %d 周岁，超过“原则上不超过%d周岁”：需书面说明理由并记录审批人（DECISIONS D8、D16）", applicationDate, age, maxAge), v)
	}
}

// ExpertTerm is EX-02, 第六条:
//
//	第六条 市住房城乡建设委向受聘专家颁发聘书,每届任期3年,可以连聘连任。
//
// It returns the last day of the term that starts with the 聘书 dated
// appointedOn: appointedOn + ExpertTermYears years (DECISIONS.md D1;
// 2024-06-01 → 2027-06-01), with an Applies finding. Manual when
// appointedOn is missing; OutOfForce (zero Date) when appointedOn or asOf is
// outside 2024-05-10…2027-05-09. A last day after the expiry is flagged in
// Values["beyond_validity"] (RULES I-19).
func ExpertTerm(appointedOn, asOf calendar.Date) (calendar.Date, Finding) {
	const rule = "EX-02"
	cite := JianFa3.Cite("第六条")
	if appointedOn.IsZero() {
		return calendar.Date{}, finding(rule, Manual, cite, "未提供聘书日期，无法计算任期", nil)
	}
	v := map[string]string{"appointed_on": appointedOn.String(), "term_years": ExpertTermYears.Value}
	if !JianFa3.InForce(asOf) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa3, "评估日", asOf, v)
	}
	if !JianFa3.InForce(appointedOn) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa3, "聘书日期", appointedOn, v)
	}
	n := ExpertTermYears.Int()
	end := calendar.AddYears(appointedOn, n)
	v["term_end"] = end.String()
	msg := fmt.Sprintf("每届任期%d年，可以连聘连任：聘书日期 %s，本届任期末日 %s；未续聘的，任期届满即终止（DECISIONS D16）", n, appointedOn, end)
	if !JianFa3.InForce(end) {
		v["beyond_validity"] = "true"
		msg += fmt.Sprintf("；任期末日晚于本办法有效期末日 %s（RULES I-19），需确认办法是否延续", JianFa3.To)
	}
	return end, finding(rule, Applies, cite, msg, v)
}

// ExpertFields is EX-06, 第二条: the 14 专业领域 of the committee, in the
// printed order ("…政策法律、咨询策划" counted as two fields, RULES EX-06).
//
//	专家委员会由土地及规划、城市设计、建筑设计、工程建设、产业研究、市政交通、风景园林、生态环境、城市安全、历史文化、社会治理、金融投资、政策法律和咨询策划等领域专家组成。
var ExpertFields = []string{"土地及规划", "城市设计", "建筑设计", "工程建设", "产业研究", "市政交通", "风景园林",
	"生态环境", "城市安全", "历史文化", "社会治理", "金融投资", "政策法律", "咨询策划"}

// IsExpertField reports whether f is one of ExpertFields.
func IsExpertField(f string) bool { return slices.Contains(ExpertFields, f) }

// ExpertAnnualReport is EX-03, 第八条(三) (and 第四条(四)):
//
//	(三)定期参加专家委员会集体会议,每年至少提交一份具有建设性的专项报告。
//
// Pass when the expert submitted at least ExpertReportsPerYear 专项报告 for year; Warn
// otherwise. Missing a report is a compliance warning, never an exit
// ground (RULES I-32, DECISIONS D16).
func ExpertAnnualReport(year, submitted int) Finding {
	const rule = "EX-03"
	cite := JianFa3.Cite("第八条(三)")
	v := map[string]string{"year": strconv.Itoa(year), "submitted": strconv.Itoa(submitted)}
	least := ExpertReportsPerYear.Int()
	v["required"] = ExpertReportsPerYear.Value
	if submitted >= least {
		return finding(rule, Pass, cite, fmt.Sprintf("%d年度已提交专项报告 %d 份（每年至少 %d 份）", year, submitted, least), v)
	}
	return finding(rule, Warn, cite, fmt.Sprintf("%d年度已提交专项报告 %d 份，不足每年至少 %d 份；未提交不是退出情形，仅作履职提示（DECISIONS D16）", year, submitted, least), v)
}

// RecusalFacts are what the recusal rule (EX-04) compares: what the
// registry knows of the expert, what the 专家使用方案 says of the matter
// consulted on, and the 使用单位's own conditions.
type RecusalFacts struct {
	ExpertName string
	Employer   string   // 所在单位
	Relatives  []string // 近亲属 (names)
	Interests  []string // units the expert has 经济利益等利害关系 with
	AdminUnits []string // units administratively superior or subordinate to the employer (行政隶属关系)

	Leader       string   // 被咨询工作的负责人
	Participants []string // 参与人员
	Undertaking  string   // 承担单位
	Cooperating  []string // 协作单位

	ExcludeEmployers []string // 使用单位提出的回避条件：不得抽取其所在单位的专家
}

func norm(s string) string { return strings.Join(strings.Fields(s), "") }

// sameName reports whether a and b name the same person or unit: equal
// after removing white space, and not blank.
func sameName(a, b string) bool {
	b = norm(b)
	return b != "" && norm(a) == b
}

// containsName reports whether list holds a name that is sameName as s.
func containsName(list []string, s string) bool {
	s = norm(s)
	return s != "" && slices.ContainsFunc(list, func(x string) bool { return norm(x) == s })
}

// ExpertRecusal is EX-04, 第十条:
//
//	第十条 有以下情形之一的,专家应当主动回避:
//	(一)专家是被咨询评估重大城市更新项目、重大城市更新规划、政策制定工作的负责人或参与人员。
//	(二)与被咨询工作的负责人有近亲属关系,或与承担单位及协作单位有经济利益等利害关系。
//	(三)专家所在单位与被咨询工作的承担单位及协作单位有行政隶属关系。
//	使用单位可根据实际工作需求提出更加具体的回避条件。
//
// It returns one Fail finding per ground that applies (the expert must
// recuse and is not drawn), each citing its item; an expert employed by the
// undertaking or a cooperating unit counts under (二) (利害关系). The last
// paragraph (perhaps the missing 第十一条, RULES I-02) is cited as
// 第十条第二款. With no ground it returns a single Pass. Names are compared
// after removing white space.
func ExpertRecusal(f RecusalFacts) []Finding {
	const rule = "EX-04"
	var out []Finding
	fail := func(item, msg string) {
		out = append(out, finding(rule, Fail, JianFa3.Cite("第十条"+item), msg, map[string]string{"expert": f.ExpertName}))
	}
	if sameName(f.Leader, f.ExpertName) {
		fail("(一)", fmt.Sprintf("专家%s是被咨询工作的负责人，应当回避", f.ExpertName))
	} else if containsName(f.Participants, f.ExpertName) {
		fail("(一)", fmt.Sprintf("专家%s是被咨询工作的参与人员，应当回避", f.ExpertName))
	}
	units := append([]string{f.Undertaking}, f.Cooperating...)
	if containsName(f.Relatives, f.Leader) {
		fail("(二)", fmt.Sprintf("专家%s与被咨询工作的负责人%s有近亲属关系，应当回避", f.ExpertName, f.Leader))
	}
	for _, u := range units {
		if containsName(f.Interests, u) {
			fail("(二)", fmt.Sprintf("专家%s与承担单位或协作单位“%s”有经济利益等利害关系，应当回避", f.ExpertName, u))
		} else if sameName(f.Employer, u) {
			fail("(二)", fmt.Sprintf("专家%s的所在单位“%s”即被咨询工作的承担单位或协作单位（利害关系），应当回避", f.ExpertName, u))
		}
	}
	for _, u := range units {
		if containsName(f.AdminUnits, u) {
			fail("(三)", fmt.Sprintf("专家%s的所在单位“%s”与承担单位或协作单位“%s”有行政隶属关系，应当回避", f.ExpertName, f.Employer, u))
		}
	}
	if containsName(f.ExcludeEmployers, f.Employer) {
		fail("第二款", fmt.Sprintf("使用单位提出的回避条件：不抽取“%s”的专家", f.Employer))
	}
	if len(out) == 0 {
		return []Finding{finding(rule, Pass, JianFa3.Cite("第十条"), fmt.Sprintf("专家%s无第十条所列应当回避的情形", f.ExpertName), map[string]string{"expert": f.ExpertName})}
	}
	return out
}

// ExpertExitGrounds are the two exit grounds of EX-05, 第十二条, by number.
//
//	第十二条 专家有下列情况之一的,由市住房城乡建设委征求推荐部门意见后作出退出决定,并通知专家本人及其所在单位:
//	(一)专家本人主动申请退出的。
//	(二)因违反相关法律法规等,受到行政处分、行政处罚、刑事处罚的;严重违反职业操守、学术失范、徇私舞弊、弄虚作假、谋取私利的。
//	已退出的专家不得再以专家委员会专家身份从事城市更新相关活动。
var ExpertExitGrounds = map[int]string{
	1: "专家本人主动申请退出",
	2: "因违反相关法律法规等受到行政处分、行政处罚、刑事处罚，或严重违反职业操守、学术失范、徇私舞弊、弄虚作假、谋取私利",
}

// ExpertExit is EX-05, 第十二条: Pass when ground is (一) or (二) and the
// recommending department's opinion was sought (recommenderOpinion is not
// blank); Fail otherwise, naming what is missing.
func ExpertExit(ground int, recommenderOpinion string) Finding {
	const rule = "EX-05"
	label, ok := ExpertExitGrounds[ground]
	if !ok {
		return finding(rule, Fail, JianFa3.Cite("第十二条"), "退出情形应为第十二条(一)或(二)", map[string]string{"ground": strconv.Itoa(ground)})
	}
	cite := JianFa3.Cite(fmt.Sprintf("第十二条(%s)", []string{"", "一", "二"}[ground]))
	v := map[string]string{"ground": strconv.Itoa(ground)}
	if strings.TrimSpace(recommenderOpinion) == "" {
		return finding(rule, Fail, cite, "作出退出决定前应当征求推荐部门意见：请先记录推荐部门的意见", v)
	}
	return finding(rule, Pass, cite, "退出情形："+label+"；已征求推荐部门意见", v)
}

// ExpertRelationsFindings is EX-04 for the FACTS.md `expert.relations`
// codes: one Fail per relation, citing its item of 第十条 —
// leads_or_participates (一), close_relative_of_leader and economic_interest
// (二), employer_subordinate (三), custom:… the using unit's own condition
// (第十条第二款) — or a single Pass when the list is empty. OutOfForce when
// asOf is outside the document's validity.
func ExpertRelationsFindings(relations []string, asOf calendar.Date) []Finding {
	const rule = "EX-04"
	if !JianFa3.InForce(asOf) {
		return []Finding{outOfForce(rule, JianFa3.Cite("第十条"), JianFa3, "评估日", asOf, nil)}
	}
	var out []Finding
	for _, r := range relations {
		v := map[string]string{"relation": r}
		switch {
		case r == "leads_or_participates":
			out = append(out, finding(rule, Fail, JianFa3.Cite("第十条(一)"), "专家是被咨询工作的负责人或参与人员，应当回避，不得参加", v))
		case r == "close_relative_of_leader":
			out = append(out, finding(rule, Fail, JianFa3.Cite("第十条(二)"), "专家与被咨询工作的负责人有近亲属关系，应当回避，不得参加", v))
		case r == "economic_interest":
			out = append(out, finding(rule, Fail, JianFa3.Cite("第十条(二)"), "专家与承担单位或协作单位有经济利益等利害关系，应当回避，不得参加", v))
		case r == "employer_subordinate":
			out = append(out, finding(rule, Fail, JianFa3.Cite("第十条(三)"), "专家所在单位与承担单位或协作单位有行政隶属关系，应当回避，不得参加", v))
		case strings.HasPrefix(r, "custom:"):
			out = append(out, finding(rule, Fail, JianFa3.Cite("第十条第二款"), "使用单位提出的回避条件："+strings.TrimPrefix(r, "custom:"), v))
		}
	}
	if len(out) == 0 {
		return []Finding{finding(rule, Pass, JianFa3.Cite("第十条"), "无第十条所列应当回避的情形", nil)}
	}
	return out
}

// ExpertSanctionFinding is EX-05 for the FACTS.md `expert.sanction`: "none"
// is Pass (no exit ground); 行政处分, 行政处罚, 刑事处罚 or misconduct is
// Applies — ground (二) of 第十二条: the 市住房城乡建设委 may decide the exit
// after consulting the recommending department, and an exited expert may no
// longer act as one.
func ExpertSanctionFinding(sanction string, asOf calendar.Date) Finding {
	const rule = "EX-05"
	cite := JianFa3.Cite("第十二条(二)")
	v := map[string]string{"sanction": sanction}
	if !JianFa3.InForce(asOf) {
		return outOfForce(rule, cite, JianFa3, "评估日", asOf, v)
	}
	if sanction == "" || sanction == "none" {
		return finding(rule, Pass, cite, "无第十二条(二)所列退出情形", v)
	}
	what := sanction
	if sanction == "misconduct" {
		what = "严重违反职业操守、学术失范、徇私舞弊、弄虚作假或谋取私利"
	}
	return finding(rule, Applies, cite, "存在第十二条(二)退出情形（"+what+"）：由市住房城乡建设委征求推荐部门意见后作出退出决定，通知专家本人及其所在单位；已退出的专家不得再以专家委员会专家身份从事城市更新相关活动", v)
}
