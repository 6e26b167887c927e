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
// CE-02, CE-03 and CE-04 are computed here; the procedure steps of the other
// CE rules (CE-01 method, CE-05 cancellation grounds, CE-06 agreement, CE-07
// lookup, CE-08 liquidation costs) are recorded by app/coordinator.go.

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
	// CoordinatorExtensionMonths: 第十一条第二款 "原则上每次延期不超过1年" (soft, D8).
	CoordinatorExtensionMonths = Param{Name: "CoordinatorExtensionMonths", Value: "12", Unit: "个月",
		Citation: "京建法〔2024〕1号 第十一条第二款", From: jianFa1From}
	// CoordinatorExtensionEarlyDays: an extension may be requested from this
	// many days before the term's last day (RULES I-33, DECISIONS D15 ⚙).
	CoordinatorExtensionEarlyDays = Param{Name: "CoordinatorExtensionEarlyDays", Value: "60", Unit: "日",
		Citation: "京建法〔2024〕1号 第十一条第二款（DECISIONS D15）", From: jianFa1From}
	// CoordinatorExtensionGraceDays: …until this many days after it (D15 ⚙).
	CoordinatorExtensionGraceDays = Param{Name: "CoordinatorExtensionGraceDays", Value: "30", Unit: "日",
		Citation: "京建法〔2024〕1号 第十一条第二款（DECISIONS D15）", From: jianFa1From}
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

// CoordinatorExtension is CE-04, 第十一条第二款:
//
//	统筹主体有效期原则上不超过3年,具体在确认文件中予以明确,有效期满后可以申请延期,原则上每次延期不超过1年。
//
// termEnd is the last day of the term in force (with earlier extensions),
// months the extension asked for and appliedOn the day of the request. The
// request is accepted from CoordinatorExtensionEarlyDays before termEnd until
// CoordinatorExtensionGraceDays after it (RULES I-33, DECISIONS D15);
// outside that window, or for months < 1, it is Fail. It returns the new
// last day, termEnd + months (DECISIONS D1), with Pass when months ≤
// CoordinatorExtensionMonths and Warn above (原则上: a written justification
// and an approver, D8). A zero termEnd or appliedOn is Manual; an appliedOn
// or asOf outside 2024-05-10…2027-05-09 is OutOfForce.
func CoordinatorExtension(termEnd calendar.Date, months int, appliedOn, asOf calendar.Date) (calendar.Date, Finding) {
	const rule = "CE-04"
	cite := JianFa1.Cite("第十一条第二款")
	v := map[string]string{"months": strconv.Itoa(months), "max_months": CoordinatorExtensionMonths.Value}
	if termEnd.IsZero() || appliedOn.IsZero() {
		return calendar.Date{}, finding(rule, Manual, cite, "未提供有效期末日或延期申请日期，无法判断延期", v)
	}
	v["term_end"], v["applied_on"] = termEnd.String(), appliedOn.String()
	if months < 1 {
		return calendar.Date{}, finding(rule, Fail, cite, fmt.Sprintf("延期 %d 个月无效，应为正整数个月", months), v)
	}
	if !JianFa1.InForce(asOf) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa1, "评估日", asOf, v)
	}
	if !JianFa1.InForce(appliedOn) {
		return calendar.Date{}, outOfForce(rule, cite, JianFa1, "延期申请日", appliedOn, v)
	}
	early := termEnd.AddDays(-CoordinatorExtensionEarlyDays.Int())
	late := termEnd.AddDays(CoordinatorExtensionGraceDays.Int())
	if appliedOn.Before(early) {
		return calendar.Date{}, finding(rule, Fail, cite, fmt.Sprintf(
			"有效期末日为 %s，延期申请最早可于 %s 提出（有效期届满前%s日，DECISIONS D15）", termEnd, early, CoordinatorExtensionEarlyDays.Value), v)
	}
	if appliedOn.After(late) {
		return calendar.Date{}, finding(rule, Fail, cite, fmt.Sprintf(
			"有效期已于 %s 届满，延期申请最迟应于 %s 提出（届满后%s日内，DECISIONS D15）；届满未延期的，可按第十二条(二)取消统筹主体", termEnd, late, CoordinatorExtensionGraceDays.Value), v)
	}
	end := calendar.AddMonths(termEnd, months)
	v["new_term_end"] = end.String()
	maxMonths := CoordinatorExtensionMonths.Int()
	if months > maxMonths {
		return end, finding(rule, Warn, cite, fmt.Sprintf(
			"本次延期 %d 个月，超过“原则上每次延期不超过1年”：需书面说明理由并记录审批人（DECISIONS D8）；延期后末日 %s", months, end), v)
	}
	return end, finding(rule, Pass, cite, fmt.Sprintf("本次延期 %d 个月，不超过%s；有效期末日由 %s 延至 %s", months, monthsText(maxMonths), termEnd, end), v)
}

// monthsText says a number of months as the text does: whole years in 年
// ("1年"), else 个月.
func monthsText(m int) string {
	if m%12 == 0 {
		return strconv.Itoa(m/12) + "年"
	}
	return strconv.Itoa(m) + "个月"
}
