package rules

import (
	"fmt"
	"strconv"

	"gengxin/calendar"
)

// Document is one gazette document (RULES.md §1): its short id, 文号 as
// printed, title, issuing body, date on the notice (印发) and validity
// window From…To, both days included. A zero To means no expiry.
// ValidityRule and ValidityCitation name the rule that states the window
// (e.g. PL-13, 京建法〔2024〕2号 第二十一条); they are empty when the document
// states none and the window is an assumption of RULES.md §1 / I-34.
type Document struct {
	ID     string
	Number string
	Title  string
	Issuer string
	Issued calendar.Date
	From   calendar.Date
	To     calendar.Date

	ValidityRule     string
	ValidityCitation string
}

// InForce reports whether d lies in the document's validity window
// (From ≤ d, and d ≤ To unless To is zero). The zero date is never in force.
func (doc Document) InForce(d calendar.Date) bool {
	if d.IsZero() || d.Before(doc.From) {
		return false
	}
	return doc.To.IsZero() || !d.After(doc.To)
}

// Window returns the validity window as "2024-05-10至2027-05-09", or
// "2024-03-25起（未规定有效期）" when there is no expiry.
func (doc Document) Window() string {
	if doc.To.IsZero() {
		return doc.From.String() + "起（未规定有效期）"
	}
	return doc.From.String() + "至" + doc.To.String()
}

// Cite returns the citation of an article of doc as printed: the 文号, a
// space, then the article, e.g. "京建法〔2024〕2号 第十条(二)".
func (doc Document) Cite(article string) string { return doc.Number + " " + article }

// The eight documents of the gazette (北京市人民政府公报 2024年第25期, RULES.md §1).
var (
	// JingXin14 is the Guide. It states no validity: applied from the date on
	// the notice with no expiry (RULES.md I-34).
	JingXin14 = Document{
		ID: "JingXin14", Number: "京经信发〔2024〕14号", Title: "北京市老旧厂房更新导则",
		Issuer: "北京市经济和信息化局",
		Issued: calendar.NewDate(2024, 3, 25), From: calendar.NewDate(2024, 3, 25),
	}
	// JingXin20: "本政策执行期至2027年底，具体措施明确执行期限的，从其规定"; no start
	// date is stated, so it applies from the date on the notice (RULES.md I-34).
	JingXin20 = Document{
		ID: "JingXin20", Number: "京经信发〔2024〕20号", Title: "北京市促进制造业和信息软件业绿色低碳发展的若干措施",
		Issuer: "北京市经济和信息化局",
		Issued: calendar.NewDate(2024, 4, 16), From: calendar.NewDate(2024, 4, 16), To: calendar.NewDate(2027, 12, 31),
		ValidityRule: "GL-11", ValidityCitation: "京经信发〔2024〕20号 文末",
	}
	// JingXin22 states no validity; its targets run to 2027 (RULES.md I-34).
	JingXin22 = Document{
		ID: "JingXin22", Number: "京经信发〔2024〕22号", Title: "北京市加快建设信息软件产业创新发展高地行动方案",
		Issuer: "北京市经济和信息化局",
		Issued: calendar.NewDate(2024, 4, 19), From: calendar.NewDate(2024, 4, 19),
	}
	// JingXin25 has no validity clause; its window is the plan period of the
	// title, 2024—2027, read as ending 2027-12-31 (assumption, RULES.md §1).
	JingXin25 = Document{
		ID: "JingXin25", Number: "京经信发〔2024〕25号", Title: "北京市算力基础设施建设实施方案(2024—2027年)",
		Issuer: "北京市经济和信息化局、北京市通信管理局",
		Issued: calendar.NewDate(2024, 4, 24), From: calendar.NewDate(2024, 4, 24), To: calendar.NewDate(2027, 12, 31),
	}
	// GuiZi67: 第二十九条 "本细则自印发之日起试行，有效期为五年".
	GuiZi67 = Document{
		ID: "GuiZi67", Number: "京规自发〔2024〕67号", Title: "老旧厂房更新改造工作实施细则(试行)",
		Issuer: "北京市规划和自然资源委员会等5部门",
		Issued: calendar.NewDate(2024, 3, 14), From: calendar.NewDate(2024, 3, 14), To: calendar.NewDate(2029, 3, 13),
		ValidityRule: "OF-36", ValidityCitation: "京规自发〔2024〕67号 第二十九条",
	}
	// JianFa1: 第十三条 "本办法自 2024 年 5 月 10 日起施行,有效期 3 年。"
	JianFa1 = Document{
		ID: "JianFa1", Number: "京建法〔2024〕1号", Title: "北京市城市更新实施单元统筹主体确定管理办法(试行)",
		Issuer: "北京市住房和城乡建设委员会",
		Issued: calendar.NewDate(2024, 3, 28), From: calendar.NewDate(2024, 5, 10), To: calendar.NewDate(2027, 5, 9),
		ValidityRule: "CE-09", ValidityCitation: "京建法〔2024〕1号 第十三条",
	}
	// JianFa2: 第二十一条 "本办法自 2024 年 5 月 10 日起施行,有效期 3 年。"
	JianFa2 = Document{
		ID: "JianFa2", Number: "京建法〔2024〕2号", Title: "北京市城市更新项目库管理办法(试行)",
		Issuer: "北京市住房和城乡建设委员会",
		Issued: calendar.NewDate(2024, 3, 28), From: calendar.NewDate(2024, 5, 10), To: calendar.NewDate(2027, 5, 9),
		ValidityRule: "PL-13", ValidityCitation: "京建法〔2024〕2号 第二十一条",
	}
	// JianFa3: 第十四条 "本办法自 2024 年 5 月 10 日起施行,有效期 3 年。" RULES.md §4.4
	// gives this clause no EX id; its findings use "EX-VAL".
	JianFa3 = Document{
		ID: "JianFa3", Number: "京建法〔2024〕3号", Title: "北京市城市更新专家委员会管理办法(试行)",
		Issuer: "北京市住房和城乡建设委员会",
		Issued: calendar.NewDate(2024, 3, 28), From: calendar.NewDate(2024, 5, 10), To: calendar.NewDate(2027, 5, 9),
		ValidityRule: "EX-VAL", ValidityCitation: "京建法〔2024〕3号 第十四条",
	}
)

// Documents returns the eight gazette documents in the order of RULES.md §1.
func Documents() []Document {
	return []Document{JingXin14, JingXin20, JingXin22, JingXin25, GuiZi67, JianFa1, JianFa2, JianFa3}
}

// InForce is the validity rule of doc (PL-13 for 京建法〔2024〕2号, CE-09,
// OF-36, GL-11, EX-VAL) evaluated on d: Pass when d is in the window,
// OutOfForce otherwise (DECISIONS.md D7). For a document that states no
// validity clause the rule id is "VAL-"+doc.ID and the citation is its 文号.
func InForce(doc Document, d calendar.Date) Finding {
	rule, cite := doc.ValidityRule, doc.ValidityCitation
	if rule == "" {
		rule, cite = "VAL-"+doc.ID, doc.Number
	}
	v := map[string]string{"date": d.String(), "valid_from": doc.From.String(), "valid_to": doc.To.String()}
	if doc.InForce(d) {
		return finding(rule, Pass, cite,
			fmt.Sprintf("%s《%s》在 %s 有效（有效期 %s）", doc.Number, doc.Title, d, doc.Window()), v)
	}
	return finding(rule, OutOfForce, cite,
		fmt.Sprintf("规则不在有效期：%s 不在 %s《%s》有效期 %s 内，不自动适用（DECISIONS D7）", dateOrNone(d), doc.Number, doc.Title, doc.Window()), v)
}

// outOfForce is the finding of a rule whose document is not in force on the
// date of the action (what, e.g. "收到申请日") or on as_of (DECISIONS.md D7):
// the rule is not applied automatically; an officer may apply it with a
// recorded reason.
func outOfForce(rule, citation string, doc Document, what string, d calendar.Date, values map[string]string) Finding {
	if values == nil {
		values = map[string]string{}
	}
	values["valid_from"] = doc.From.String()
	values["valid_to"] = doc.To.String()
	return finding(rule, OutOfForce, citation,
		fmt.Sprintf("规则不在有效期：%s %s 不在 %s 有效期 %s 内，系统不自动适用，需经办人记录理由后人工处理（DECISIONS D7）",
			what, dateOrNone(d), doc.Number, doc.Window()), values)
}

func dateOrNone(d calendar.Date) string {
	if d.IsZero() {
		return "（未提供）"
	}
	return d.String()
}

// Param is a number the rules use, with the article it comes from and the
// date it applies from (STYLE.md "Rules as code mirror the gazette"). Value
// is a plain decimal ("10", "0.15"); Unit names what it counts (工作日, 年,
// 日, 周岁). Logic reads a Param through Int or Decimal, never a bare literal.
type Param struct {
	Name     string
	Value    string
	Unit     string
	Citation string
	From     calendar.Date
}

// Int returns the value as an int. It panics if the value is not an integer:
// Params are constants of this package and a test checks them all.
func (p Param) Int() int {
	n, err := strconv.Atoi(p.Value)
	if err != nil {
		panic(fmt.Sprintf("rules: Param %s value %q is not an integer", p.Name, p.Value))
	}
	return n
}

// Decimal returns the value as an exact Decimal. It panics on a malformed
// value, like Int.
func (p Param) Decimal() Decimal { return MustDecimal(p.Value) }

// String returns e.g. "10工作日（京建法〔2024〕2号 第十条(二)）".
func (p Param) String() string { return p.Value + p.Unit + "（" + p.Citation + "）" }

// Params returns every exported Param of the package, for display to
// operators ("按本系统口径…") and for the test that each has a citation.
func Params() []Param {
	ps := []Param{
		JianFa2ValidityYears, JointReviewWorkdays, EntryNoticeWorkdays, PlanStartYears,
		AutoExitAfterYears, StalePlanExitAfterYears,
		CoordinatorPublicityDays, CoordinatorTermYears, CoordinatorExtensionMonths,
		CoordinatorExtensionEarlyDays, CoordinatorExtensionGraceDays,
		ExpertMaxAge, ExpertTermYears, ExpertReportsPerYear,
	}
	ps = append(ps, OldFactoryParams()...)
	return append(ps, GreenParams()...)
}
