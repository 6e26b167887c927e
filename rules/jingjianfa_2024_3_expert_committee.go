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
// print. Only EX-01 and EX-02 are implemented so far.

package rules

import (
	"fmt"
	"strconv"

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
