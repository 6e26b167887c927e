package xlsx

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gengxin/calendar"
)

// Sheet names of the import template besides ImportSheet.
const (
	HelpSheet    = "填写说明"
	optionsSheet = "下拉选项" // hidden; the sources of the drop-down lists
)

// dateFormat is the number format of every date cell the package writes.
const dateFormat = "yyyy-mm-dd"

// WriteImportTemplate writes the empty import template of
// 京建法〔2024〕2号 第十一条 to w.
//
// The sheet 导入项目 holds only the header row (required columns marked "*"),
// frozen, with column widths, text format on the code and phone columns, a
// date format on 审核确认日期, and drop-down lists on 项目类别 (categories),
// 所在区 (districts) and 主体类型 (实施主体/统筹主体) for MaxRows data rows; an
// empty categories or districts leaves that column free. The sheet 填写说明
// explains each column in Chinese, cites the rule and shows one example row,
// marked as such; the example is never on the data sheet.
func WriteImportTemplate(w io.Writer, categories, districts []string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ImportSheet); err != nil {
		return err
	}
	st, err := newTemplateStyles(f)
	if err != nil {
		return err
	}

	// 导入项目: header, widths, column formats, frozen header.
	for k, c := range importColumns {
		cell := cellName(k+1, 1)
		if err := f.SetCellStr(ImportSheet, cell, c.header()); err != nil {
			return err
		}
		style := st.optional
		if c.Required {
			style = st.required
		}
		if err := f.SetCellStyle(ImportSheet, cell, cell, style); err != nil {
			return err
		}
		col := colLetters(k + 1)
		if err := f.SetColWidth(ImportSheet, col, col, c.Width); err != nil {
			return err
		}
		switch k {
		case colExternalRef, colEntityUSCC, colPhone:
			err = f.SetColStyle(ImportSheet, col, st.text)
		case colApprovedOn:
			err = f.SetColStyle(ImportSheet, col, st.date)
		}
		if err != nil {
			return err
		}
	}
	if err := f.SetRowHeight(ImportSheet, 1, 24); err != nil {
		return err
	}
	if err := f.SetPanes(ImportSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}

	// Drop-down lists, their sources on a hidden sheet: no 255-character
	// limit and no trouble with commas in names.
	if _, err := f.NewSheet(optionsSheet); err != nil {
		return err
	}
	lists := []struct {
		col   int
		items []string
		what  string
	}{
		{colCategory, categories, "项目类别"},
		{colDistrict, districts, "所在区"},
		{colEntityRole, entityRoles, "主体类型"},
	}
	for i, l := range lists {
		if len(l.items) == 0 {
			continue
		}
		src := colLetters(i + 1)
		for j, item := range l.items {
			if err := f.SetCellStr(optionsSheet, cellName(i+1, j+1), item); err != nil {
				return err
			}
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s2:%s%d", colLetters(l.col+1), colLetters(l.col+1), MaxRows+1))
		dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$1:$%s$%d", optionsSheet, src, src, len(l.items)))
		dv.SetError(excelize.DataValidationErrorStyleStop, l.what+"不在列表中", "请从下拉列表中选择"+l.what+"。")
		if err := f.AddDataValidation(ImportSheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetSheetVisible(optionsSheet, false); err != nil {
		return err
	}

	if err := writeHelpSheet(f, st, categories, districts); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

type templateStyles struct {
	required, optional, text, date, title, basis, helpHead, wrap, example, exampleDate int
}

func newTemplateStyles(f *excelize.File) (templateStyles, error) {
	var st templateStyles
	text, date := "@", dateFormat
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	defs := []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.required, excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.optional, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.text, excelize.Style{CustomNumFmt: &text}},
		{&st.date, excelize.Style{CustomNumFmt: &date}},
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.basis, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.helpHead, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}}},
		{&st.wrap, excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.example, excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}}},
		{&st.exampleDate, excelize.Style{Font: &excelize.Font{Italic: true, Color: "7F7F7F"}, Border: border,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, CustomNumFmt: &date}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return st, err
		}
		*d.dst = id
	}
	return st, nil
}

// writeHelpSheet writes 填写说明: the basis, general rules, one line per
// column, and the example row.
func writeHelpSheet(f *excelize.File, st templateStyles, categories, districts []string) error {
	const sh = HelpSheet
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	for col, w := range []float64{8, 26, 8, 70} {
		if err := f.SetColWidth(sh, colLetters(col+1), colLetters(col+1), w); err != nil {
			return err
		}
	}
	// The example row below spans all 16 columns.
	if err := f.SetColWidth(sh, "E", colLetters(numImportColumns), 16); err != nil {
		return err
	}
	type line struct {
		values []any
		style  int
	}
	lines := []line{
		{[]any{"城市更新项目批量导入模板 填写说明"}, st.title},
		{[]any{"依据：京建法〔2024〕2号 第十一条。区级行业主管部门将已审核确认的居住类、产业类、设施类、公共空间类项目直接导入储备项目库时，使用本模板。"}, st.basis},
		{[]any{fmt.Sprintf("1. 在「%s」表中从第2行起每行填写一个项目，第1行表头请勿修改、删除或调整；带 * 的列为必填。", ImportSheet)}, 0},
		{[]any{fmt.Sprintf("2. 空行会被忽略；一个文件最多 %d 行。格式有误的行不会导入，系统会逐行列出问题，修改后可重新导入这些行。", MaxRows)}, 0},
		{[]any{"3. 请保存为 Excel 工作簿（.xlsx）格式上传，不要设置密码。"}, 0},
		{nil, 0},
		{[]any{"列", "字段", "必填", "填写要求"}, st.helpHead},
	}
	for k, c := range importColumns {
		req := "否"
		if c.Required {
			req = "是"
		}
		help := c.Help
		switch k {
		case colCategory:
			if len(categories) > 0 {
				help = "从下拉列表中选择：" + strings.Join(categories, "、") + "。"
			}
		case colDistrict:
			if len(districts) > 0 {
				help = "从下拉列表中选择本区：" + strings.Join(districts, "、") + "。"
			}
		}
		lines = append(lines, line{[]any{colLetters(k + 1), c.Title, req, help}, st.wrap})
	}
	lines = append(lines, line{nil, 0},
		line{[]any{fmt.Sprintf("【填写示例】下面一行仅为示例，不会被导入，请勿复制到「%s」表（外部编号以“%s”开头的行会被拒绝）。", ImportSheet, examplePrefix)}, st.title})
	row := 0
	for _, l := range lines {
		row++
		if l.values == nil {
			continue
		}
		if err := f.SetSheetRow(sh, cellName(1, row), &l.values); err != nil {
			return err
		}
		if l.style != 0 {
			if err := f.SetCellStyle(sh, cellName(1, row), cellName(len(l.values), row), l.style); err != nil {
				return err
			}
		}
	}
	if err := f.MergeCell(sh, "A2", "D2"); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 2, 36); err != nil {
		return err
	}

	// Example: header then one row, greyed.
	row++
	headers := make([]any, numImportColumns)
	for k, c := range importColumns {
		headers[k] = c.header()
	}
	if err := f.SetSheetRow(sh, cellName(1, row), &headers); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cellName(1, row), cellName(numImportColumns, row), st.helpHead); err != nil {
		return err
	}
	row++
	category, district := "居住类", "朝阳区"
	if len(categories) > 0 {
		category = categories[0]
	}
	if len(districts) > 0 {
		district = districts[0]
	}
	serial, _ := dateSerial(calendar.NewDate(2024, 10, 16))
	example := []any{
		examplePrefix + "-朝住建审〔2024〕15号", "示例：××小区老旧小区综合整治项目", category, district, "××街道",
		"××路××号院", "完成 12 栋住宅楼节能改造和加装电梯 6 部，整治公共空间", 1200.5, "北京××城市更新有限公司",
		"91110105MA00000000", entityRoles[0], district + "住房和城乡建设委员会", serial, "张三", "010-65000000", "示例行，不会被导入",
	}
	if err := f.SetSheetRow(sh, cellName(1, row), &example); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, cellName(1, row), cellName(numImportColumns, row), st.example); err != nil {
		return err
	}
	return f.SetCellStyle(sh, cellName(colApprovedOn+1, row), cellName(colApprovedOn+1, row), st.exampleDate)
}

// GenerateImportFile writes rows as a filled import sheet (导入项目, header in
// row 1, data from row 2, Row fields ignored): dates as real date cells,
// amounts that are plain numbers as numeric cells, everything else as text.
// It is the inverse of ParseImport, for tests, benchmarks and the demo data.
func GenerateImportFile(w io.Writer, rows []ImportRow) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ImportSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(ImportSheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	date := dateFormat
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &date})
	if err != nil {
		return err
	}
	for k, c := range importColumns {
		if err := sw.SetColWidth(k+1, k+1, c.Width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, numImportColumns)
	for k, c := range importColumns {
		header[k] = excelize.Cell{StyleID: bold, Value: c.header()}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	values := make([]any, numImportColumns)
	for i, r := range rows {
		values[colExternalRef] = r.ExternalRef
		values[colName] = r.Name
		values[colCategory] = r.Category
		values[colDistrict] = r.District
		values[colStreet] = r.Street
		values[colAddress] = r.Address
		values[colGoal] = r.Goal
		values[colFund] = r.FundEstimateWan
		if plainDecimal(r.FundEstimateWan) {
			v, err := strconv.ParseFloat(r.FundEstimateWan, 64)
			if err == nil && strconv.FormatFloat(v, 'f', -1, 64) == r.FundEstimateWan {
				values[colFund] = v // "1200.50" stays text, to keep the digits typed
			}
		}
		values[colEntityName] = r.EntityName
		values[colEntityUSCC] = r.EntityUSCC
		values[colEntityRole] = r.EntityRole
		values[colApprovedBy] = r.ApprovedBy
		values[colApprovedOn] = nil
		if serial, ok := dateSerial(r.ApprovedOn); ok {
			values[colApprovedOn] = excelize.Cell{StyleID: dateStyle, Value: serial}
		} else if !r.ApprovedOn.IsZero() {
			values[colApprovedOn] = r.ApprovedOn.String()
		}
		values[colContact] = r.Contact
		values[colPhone] = r.Phone
		values[colNote] = r.Note
		for k, v := range values {
			if v == "" {
				values[k] = nil
			}
		}
		if err := sw.SetRow(cellName(1, i+2), values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// cellName returns the A1 reference of column col (1-based) and row.
func cellName(col, row int) string { return colLetters(col) + strconv.Itoa(row) }

// colLetters returns the letters of column col (1-based): 1 → A, 27 → AA.
func colLetters(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append([]byte{byte('A' + col%26)}, b...)
		col /= 26
	}
	return string(b)
}
