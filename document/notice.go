package document

import (
	"fmt"
	"time"
)

// Notice is one official notice (文书) as printed: the 发文机关 heading, the
// 文号, the title, the 主送 line, the body, a table of key facts, a numbered
// list, the legal basis, the 落款 and the verification footer. Fields left
// empty are omitted from the page, except Issuer and Title, which Render
// requires. Strings are printed as given: Render adds no punctuation.
type Notice struct {
	Issuer     string   // 发文机关, e.g. "北京市朝阳区城市更新主管部门"; printed red at the top and again in the 落款
	Number     string   // 文号, e.g. "朝更新储〔2024〕第0012号"
	Title      string   // e.g. "北京市城市更新项目纳入储备项目库通知书"
	Addressee  string   // 主送, e.g. "北京某某置业有限公司："
	Paragraphs []string // body paragraphs, printed with a two-character first-line indent
	Fields     []Field  // key facts (项目名称, 项目类别, 所在区 …), a bordered two-column table after the body
	Items      []string // numbered list after the table (需补正事项 1. 2. 3.), without the numbers
	Closing    []string // paragraphs after the table and the list (期限, 救济途径 …)
	Citation   string   // basis line, e.g. "依据：京建法〔2024〕2号 第十条(三)、第十二条、第十三条"
	Date       string   // 落款日期 as printed, e.g. "2024年10月16日"; see ChineseDate
	VerifyCode string   // 验证码, e.g. "7K3Q-9XWD-2M4P-H8RT"
	VerifyURL  string   // where the 验证码 is checked
	Footer     string   // optional small print inside the footer box

	// CreatedAt, when non-zero, is written as the PDF creation and
	// modification date, so that the same Notice renders to the same bytes.
	// When zero, fpdf stamps the current time.
	CreatedAt time.Time
}

// Field is one row of a Notice's table of key facts: a label such as
// "项目名称" and its value. Long values wrap inside their cell.
type Field struct{ Label, Value string }

// ChineseDate returns the date as printed in a 落款, with Arabic numerals and
// no leading zeros: ChineseDate(2024, 10, 6) is "2024年10月6日". It does not
// check that the date exists.
func ChineseDate(y, m, d int) string {
	return fmt.Sprintf("%d年%d月%d日", y, m, d)
}
