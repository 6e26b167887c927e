package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"gengxin/calendar"
)

// ImportSheet is the name of the data sheet of the import template (导入项目).
// ParseImport falls back to the first sheet when no sheet has this name.
const ImportSheet = "导入项目"

// MaxRows is the largest number of data rows (blank rows not counted) that
// one import file may hold; a larger file is refused as a whole.
const MaxRows = 20000

// headerScanRows is how many leading rows ParseImport searches for the
// header, so that a title line above it (as WriteWorkbook writes) is tolerated.
const headerScanRows = 5

// Column indexes of the import sheet, in template order.
const (
	colExternalRef = iota
	colName
	colCategory
	colDistrict
	colStreet
	colAddress
	colGoal
	colFund
	colEntityName
	colEntityUSCC
	colEntityRole
	colApprovedBy
	colApprovedOn
	colContact
	colPhone
	colNote
	numImportColumns
)

// importColumn describes one column of the import sheet.
type importColumn struct {
	Title    string   // canonical title, without "*"
	Required bool     // marked "*" in the template; empty is a RowError
	Aliases  []string // other accepted titles (normalised form)
	Hint     bool     // a trailing "(…)" hint after the title is tolerated
	Width    float64  // template column width
	Help     string   // 填写要求, for the 填写说明 sheet
}

// Entity roles accepted in 主体类型 (京建法〔2024〕2号 第十条(一)).
var entityRoles = []string{"实施主体", "统筹主体"}

var importColumns = [numImportColumns]importColumn{
	colExternalRef: {Title: "外部编号(审核确认文号)", Required: true, Aliases: []string{"外部编号", "审核确认文号"}, Width: 26,
		Help: "区级行业主管部门审核确认文件的文号或本部门的项目编号；同一文件内不得重复。请按文本填写。"},
	colName: {Title: "项目名称", Required: true, Hint: true, Width: 30,
		Help: "项目全称，与审核确认文件一致。"},
	colCategory: {Title: "项目类别", Required: true, Hint: true, Width: 12,
		Help: "从下拉列表中选择。"},
	colDistrict: {Title: "所在区", Required: true, Hint: true, Width: 12,
		Help: "从下拉列表中选择。"},
	colStreet: {Title: "街道/乡镇", Required: true, Aliases: []string{"街道(乡镇)", "街道乡镇", "街乡", "街道"}, Hint: true, Width: 14,
		Help: "项目所在街道或乡镇的全称，如“朝外街道”。"},
	colAddress: {Title: "项目地址", Required: true, Hint: true, Width: 30,
		Help: "项目的具体地址或四至范围。"},
	colGoal: {Title: "更新目标", Required: true, Hint: true, Width: 36,
		Help: "简述更新目标和主要内容。"},
	colFund: {Title: "资金匡算(万元)", Required: true, Width: 16,
		Help: "单位为万元，填写数字，可带小数，如 1200.5；也可写作 1,200.50。不能为负数。"},
	colEntityName: {Title: "实施主体名称", Required: true, Hint: true, Width: 28,
		Help: "实施主体或统筹主体的单位全称，与营业执照或登记证书一致。"},
	colEntityUSCC: {Title: "统一社会信用代码", Required: true, Hint: true, Width: 22,
		Help: "18 位统一社会信用代码。请按文本填写，以免 Excel 把它改写成科学计数法。"},
	colEntityRole: {Title: "主体类型", Required: true, Hint: true, Width: 12,
		Help: "从下拉列表中选择“实施主体”或“统筹主体”。"},
	colApprovedBy: {Title: "审核确认部门", Required: true, Hint: true, Width: 24,
		Help: "作出审核确认的区级行业主管部门名称，如“朝阳区住房和城乡建设委员会”。"},
	colApprovedOn: {Title: "审核确认日期", Required: true, Hint: true, Width: 14,
		Help: "审核确认文件的日期：Excel 日期，或文本 YYYY-MM-DD、YYYY/MM/DD，如 2024-10-16。"},
	colContact: {Title: "联系人", Hint: true, Width: 10,
		Help: "选填。"},
	colPhone: {Title: "联系电话", Hint: true, Width: 16,
		Help: "选填。手机或座机号码，请按文本填写。"},
	colNote: {Title: "备注", Hint: true, Width: 30,
		Help: "选填。"},
}

// header returns the title written in the template: required columns end in "*".
func (c importColumn) header() string {
	if c.Required {
		return c.Title + "*"
	}
	return c.Title
}

// normHeader folds what people do to a header cell: spaces, the "*" mark
// (half or full width) and full-width brackets.
func normHeader(s string) string {
	s = strings.NewReplacer("＊", "", "*", "", "（", "(", "）", ")", "／", "/").Replace(s)
	return strings.Join(strings.Fields(cleanText(s)), "")
}

// matches reports whether the normalised header h names column c. A hint in
// brackets is tolerated only where the title has no bracket of its own, so
// that "资金匡算(元)" is never taken for "资金匡算(万元)".
func (c importColumn) matches(h string) bool {
	names := append([]string{normHeader(c.Title)}, c.Aliases...)
	for _, n := range names {
		if h == n || c.Hint && strings.HasPrefix(h, n+"(") {
			return true
		}
	}
	return false
}

// ImportRow is one project of an import file (京建法〔2024〕2号 第十一条), with
// every text trimmed. The caller validates the domain: Category against the
// categories that may be imported, District, EntityUSCC's check digit,
// ExternalRef against the database.
type ImportRow struct {
	Row int // 1-based sheet row number

	ExternalRef, Name, Category, District, Street, Address, Goal string

	// FundEstimateWan is 资金匡算 in 万元 as a decimal string: thousands
	// separators removed, the decimals typed kept, computed values rounded
	// to 6 decimals (0.01 元). Never negative.
	FundEstimateWan string

	EntityName, EntityUSCC string
	EntityRole             string // 实施主体 or 统筹主体
	ApprovedBy             string
	ApprovedOn             calendar.Date

	Contact, Phone, Note string
}

// ParseImport reads an import file made from WriteImportTemplate.
//
// It takes the sheet 导入项目 (or the first sheet), finds the header in row 1
// (a title line above it is tolerated), and matches the columns by title, in
// any order, tolerating the "*" mark, spaces and full-width brackets. A second
// header row starting with "说明" or "填写说明" is skipped, and so are fully
// empty rows.
//
// It returns an error only when the file cannot be used as a whole: a
// *FileError when it is not a readable .xlsx, a required header is missing
// (the message names it), or it has more than MaxRows data rows; any other
// error comes from r. Each row with a format problem (a required cell empty, a
// bad amount or date, an unknown 主体类型, a repeated 外部编号, the example row
// of the template) gives one RowError per problem and is left out of the rows.
func ParseImport(r io.Reader) ([]ImportRow, []RowError, error) {
	return parseImport(r, MaxRows)
}

func parseImport(r io.Reader, maxRows int) ([]ImportRow, []RowError, error) {
	f, err := openWorkbook(r)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()

	sheet := ImportSheet
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		sheet = f.GetSheetList()[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, fileError(err, fmt.Sprintf("无法读取工作表「%s」，文件可能已损坏", sheet))
	}
	defer rows.Close()

	p := importParser{is1904: date1904(f), seenRef: map[string]int{}}
	var (
		rowNum, headerRow, dataRows int
		best                        headerMatch
		raw                         = excelize.Options{RawCellValue: true}
	)
	for rows.Next() {
		rowNum++
		cells, err := rows.Columns(raw)
		if err != nil {
			return nil, nil, fileError(err, fmt.Sprintf("无法读取工作表「%s」第%d行，文件可能已损坏", sheet, rowNum))
		}
		if headerRow == 0 {
			if !isBlank(cells) {
				m := matchHeader(cells)
				if m.dup != "" {
					return nil, nil, fileError(nil, fmt.Sprintf("工作表「%s」第%d行的表头「%s」出现了两次，请使用系统提供的导入模板", sheet, rowNum, m.dup))
				}
				if len(m.missing) == 0 {
					headerRow, p.col = rowNum, m.col
					continue
				}
				if m.found > best.found {
					best, best.row = m, rowNum
				}
			}
			if rowNum >= headerScanRows {
				break
			}
			continue
		}
		if isBlank(cells) {
			continue
		}
		if rowNum == headerRow+1 && isNoteRow(cells) {
			continue
		}
		if dataRows++; dataRows > maxRows {
			return nil, nil, fileError(nil, fmt.Sprintf("工作表「%s」的数据超过 %d 行上限，请分批导入", sheet, maxRows))
		}
		p.parseRow(rowNum, cells)
	}
	if err := rows.Error(); err != nil {
		return nil, nil, fileError(err, fmt.Sprintf("无法读取工作表「%s」，文件可能已损坏或行数超过 Excel 上限", sheet))
	}
	if headerRow == 0 {
		return nil, nil, headerError(sheet, best)
	}
	return p.rows, p.errs, nil
}

// headerMatch is the result of matching one row against the import columns.
type headerMatch struct {
	row     int
	col     [numImportColumns]int // cell index of each column, -1 when absent
	found   int
	missing []string // titles of missing required columns
	dup     string   // title of a column found twice
}

func matchHeader(cells []string) headerMatch {
	var m headerMatch
	for i := range m.col {
		m.col[i] = -1
	}
	for ci, cell := range cells {
		h := normHeader(cell)
		if h == "" {
			continue
		}
		for k, c := range importColumns {
			if !c.matches(h) {
				continue
			}
			if m.col[k] >= 0 {
				m.dup = c.Title
				return m
			}
			m.col[k] = ci
			m.found++
			break
		}
	}
	for k, c := range importColumns {
		if c.Required && m.col[k] < 0 {
			m.missing = append(m.missing, "「"+c.Title+"」")
		}
	}
	return m
}

func headerError(sheet string, best headerMatch) error {
	if best.row == 0 {
		if best.missing == nil {
			best = matchHeader(nil)
		}
		return fileError(nil, fmt.Sprintf("工作表「%s」的第1行不是导入模板的表头，缺少表头：%s。请从系统下载导入模板填写",
			sheet, strings.Join(best.missing, "、")))
	}
	return fileError(nil, fmt.Sprintf("工作表「%s」第%d行的表头缺少：%s。请从系统下载最新的导入模板填写",
		sheet, best.row, strings.Join(best.missing, "、")))
}

func isBlank(cells []string) bool {
	for _, c := range cells {
		if cleanText(c) != "" {
			return false
		}
	}
	return true
}

// isNoteRow reports whether a row is a second header row of explanations.
func isNoteRow(cells []string) bool {
	for _, c := range cells {
		if c = cleanText(c); c != "" {
			return strings.HasPrefix(c, "说明") || strings.HasPrefix(c, "填写说明")
		}
	}
	return false
}

// examplePrefix starts the 外部编号 of the example row on the 填写说明 sheet,
// so that an example copied into the data sheet is caught.
const examplePrefix = "示例"

// importParser accumulates rows and row errors.
type importParser struct {
	col     [numImportColumns]int
	is1904  bool
	seenRef map[string]int // 外部编号 → first row
	rows    []ImportRow
	errs    []RowError
}

func (p *importParser) fail(row, col int, format string, args ...any) {
	title := importColumns[col].Title
	msg := fmt.Sprintf("第%d行「%s」", row, title) + fmt.Sprintf(format, args...)
	p.errs = append(p.errs, RowError{Row: row, Column: title, Message: msg})
}

func (p *importParser) parseRow(row int, cells []string) {
	var v [numImportColumns]string
	for k, i := range p.col {
		if i >= 0 && i < len(cells) {
			v[k] = cleanText(cells[i])
		}
	}
	nErr := len(p.errs)
	if strings.HasPrefix(v[colExternalRef], examplePrefix) {
		p.errs = append(p.errs, RowError{Row: row, Column: importColumns[colExternalRef].Title,
			Message: fmt.Sprintf("第%d行是导入模板中的填写示例，请删除后再导入", row)})
		return
	}
	for k, c := range importColumns {
		if c.Required && v[k] == "" {
			p.fail(row, k, "不能为空")
		}
	}
	out := ImportRow{
		Row:         row,
		ExternalRef: v[colExternalRef], Name: v[colName], Category: v[colCategory],
		District: v[colDistrict], Street: v[colStreet], Address: v[colAddress], Goal: v[colGoal],
		EntityName: v[colEntityName], EntityUSCC: strings.ToUpper(v[colEntityUSCC]),
		EntityRole: v[colEntityRole], ApprovedBy: v[colApprovedBy],
		Contact: v[colContact], Phone: v[colPhone], Note: v[colNote],
	}
	if s := v[colFund]; s != "" {
		switch norm, reason := parseMoney(s); reason {
		case "":
			out.FundEstimateWan = norm
		case "negative":
			p.fail(row, colFund, "不能为负数：%s", ellipsis(s))
		default:
			p.fail(row, colFund, "不是有效金额：%s", ellipsis(s))
		}
	}
	if s := v[colEntityRole]; s != "" && s != entityRoles[0] && s != entityRoles[1] {
		p.fail(row, colEntityRole, "应为「%s」或「%s」：%s", entityRoles[0], entityRoles[1], ellipsis(s))
	}
	if s := v[colApprovedOn]; s != "" {
		switch d, reason := parseDateCell(s, p.is1904); reason {
		case "":
			out.ApprovedOn = d
		case "range":
			p.fail(row, colApprovedOn, "超出合理范围（%d—%d年）：%s", minYear, maxYear, ellipsis(s))
		default:
			p.fail(row, colApprovedOn, "不是有效日期（应为 YYYY-MM-DD）：%s", ellipsis(s))
		}
	}
	if ref := out.ExternalRef; ref != "" {
		if first, dup := p.seenRef[ref]; dup {
			p.fail(row, colExternalRef, "与第%d行重复：%s", first, ellipsis(ref))
		} else {
			p.seenRef[ref] = row
		}
	}
	if len(p.errs) == nErr {
		p.rows = append(p.rows, out)
	}
}
