// 京建法〔2024〕1号
// 北京市住房和城乡建设委员会关于印发《北京市城市更新实施单元统筹主体确定管理办法（试行）》的通知
//
//	Title:     北京市城市更新实施单元统筹主体确定管理办法(试行)
//	Issuer:    北京市住房和城乡建设委员会
//	Number:    京建法〔2024〕1号
//	Issued:    2024-03-28 (date on the notice)
//	In force:  2024-05-10 (第十三条 "本办法自 2024 年 5 月 10 日起施行,有效期 3 年。")
//	Validity:  3 years: 2024-05-10 … 2027-05-09 (RULES.md §1, CE-09)
//	Source:    北京市人民政府公报 2024年第25期 p.60 (OCR text; only OCR spacing normalised)
//
// Only CE-02 and CE-03 are implemented so far; the other CE rules of
// RULES.md §4.3 belong to later issues.

package rules

import (
	"fmt"
	"strconv"

	"gengxin/calendar"
)

var jianFa1From = JianFa1.From

// Parameters of 京建法〔2024〕1号.
var (
	// CoordinatorPublicityDays: 第七条第三款 "公示期不少于7日" (calendar days,
	// ending on the next working day when the 7th day is a holiday, DECISIONS D2).
	CoordinatorPublicityDays = Param{Name: "CoordinatorPublicityDays", Value: "7", Unit: "日",
		Citation: "京建法〔2024〕1号 第七条第三款", From: jianFa1From}
	// CoordinatorTermYears: 第十一条第二款 "统筹主体有效期原则上不超过3年" (soft, D8).
	CoordinatorTermYears = Param{Name: "CoordinatorTermYears", Value: "3", Unit: "年",
		Citation: "京建法〔2024〕1号 第十一条第二款", From: jianFa1From}
)

// Coordinator methods (确定方式) of 第六条 as FACTS.md spells them; the last
// two are the 第六条第三款 cases, which have no 公示.
const (
	MethodOpenSelection = "公开比选"
	MethodDesignation   = "指定"
	MethodTender        = "招标"
	MethodClassified    = "涉密"
	MethodEmergency     = "紧急救援"
)

// CoordinatorPublicity is CE-02, 第七条第三款:
//
//	除本办法第六条第三款所列情形外，统筹主体确定结果应当通过北京市城市更新信息系统公示，公示期不少于7日。各区域市更新主管部门应当对公示期间收到的意见及时予以反馈。
//
// (第六条第三款: "城市更新实施单元内含有涉密项目等法规明确不得公开的情形，或者发生紧急救援情形的，应当按照相关规定明确的方式确定统筹主体。")
//
// It returns the last day of the 公示 posted on publicityStart: 7 calendar
// days from the day after, moved to the next working day when that day is a
// holiday or rest day (DECISIONS.md D2; posted 2024-09-30 → 2024-10-08), with
// an Applies finding. Methods 涉密 and 紧急救援 need no 公示: zero Date and
// NotApplicable. A missing start gives Manual; a start or asOf outside
// 2024-05-10…2027-05-09 gives the zero Date and OutOfForce.
func CoordinatorPublicity(cal *calendar.Calendar, method string, publicityStart, asOf calendar.Date) (calendar.Date, Finding) {
	const rule = "CE-02"
	cite := JianFa1.Cite("第七条第三款")
	v := map[string]string{"method": method}
	if method == MethodClassified || method == MethodEmergency {
		return calendar.Date{}, finding(rule, NotApplicable, cite,
			fmt.Sprintf("确定方式为%s，属第六条第三款情形，统筹主体确定结果不公示", method), v)
	}
	if publicityStart.IsZero() {
		return calendar.Date{}, finding(rule, Manual, cite, "未提供公示开始日期，无法计算公示期（不少于7日）", v)
	}
	v["publicity_start"] = publicityStart.String()
	if !JianFa1.InForce(asOf) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa1, "评估日", asOf, v)
	}
	if !JianFa1.InForce(publicityStart) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa1, "公示开始日", publicityStart, v)
	}
	n := CoordinatorPublicityDays.Int()
	plain := publicityStart.AddDays(n)
	end := cal.CalendarDaysEnd(publicityStart, n)
	v["days"] = CoordinatorPublicityDays.Value
	v["publicity_end"] = end.String()
	msg := fmt.Sprintf("统筹主体确定结果应通过北京市城市更新信息系统公示，公示期不少于%d日：自 %s 次日起算，末日 %s", n, publicityStart, end)
	if end != plain {
		msg += fmt.Sprintf("（第%d日 %s 为法定休假日或休息日，顺延至其后第一个工作日，DECISIONS D2）", n, plain)
	}
	if cal.Provisional(end) {
		v["provisional"] = "true"
		msg += "；该年度节假日安排未载入或未核实，末日为暂定"
	}
	return end, finding(rule, Applies, cite, msg, v)
}

// CoordinatorTerm is CE-03, 第十一条第二款:
//
//	统筹主体有效期原则上不超过3年,具体在确认文件中予以明确,有效期满后可以申请延期,原则上每次延期不超过1年。
//
// It returns the term's last day, confirmedOn + termYears years (DECISIONS.md
// D1, extensions not included), with Pass when termYears ≤
// CoordinatorTermYears and Warn above it (原则上: soft, needs a written
// justification and an approver, D8). termYears < 1 is Fail; a missing
// confirmedOn is Manual. OutOfForce when confirmedOn or asOf is outside
// 2024-05-10…2027-05-09. A last day after the expiry stays valid and is
// flagged in Values["beyond_validity"] (RULES I-19).
func CoordinatorTerm(confirmedOn calendar.Date, termYears int, asOf calendar.Date) (calendar.Date, Finding) {
	const rule = "CE-03"
	cite := JianFa1.Cite("第十一条第二款")
	v := map[string]string{"term_years": strconv.Itoa(termYears), "max_years": CoordinatorTermYears.Value}
	if confirmedOn.IsZero() {
		return calendar.Date{}, finding(rule, Manual, cite, "未提供确认文件日期，无法计算统筹主体有效期", v)
	}
	v["confirmed_on"] = confirmedOn.String()
	if termYears < 1 {
		return calendar.Date{}, finding(rule, Fail, cite, fmt.Sprintf("确认文件载明的有效期 %d 年无效，应为正整数年", termYears), v)
	}
	if !JianFa1.InForce(asOf) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa1, "评估日", asOf, v)
	}
	if !JianFa1.InForce(confirmedOn) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa1, "确认文件日期", confirmedOn, v)
	}
	end := calendar.AddYears(confirmedOn, termYears)
	v["term_end"] = end.String()
	note := ""
	if !JianFa1.InForce(end) {
		v["beyond_validity"] = "true"
		note = fmt.Sprintf("；有效期末日晚于本办法有效期末日 %s（RULES I-19），需确认办法是否延续", JianFa1.To)
	}
	maxYears := CoordinatorTermYears.Int()
	if termYears > maxYears {
		return end, finding(rule, Warn, cite, fmt.Sprintf(
			"统筹主体有效期 %d 年，超过“原则上不超过%d年”：需书面说明理由并记录审批人（DECISIONS D8）；自 %s 起算，末日 %s%s", termYears, maxYears, confirmedOn, end, note), v)
	}
	return end, finding(rule, Pass, cite, fmt.Sprintf(
		"统筹主体有效期 %d 年，不超过%d年；自确认文件日期 %s 起算，末日 %s%s", termYears, maxYears, confirmedOn, end, note), v)
}
