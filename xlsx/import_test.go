package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gengxin/calendar"
)

var (
	testCategories = []string{"居住类", "产业类", "设施类", "公共空间类"}
	testDistricts  = []string{"东城区", "西城区", "朝阳区", "海淀区"}
)

func sampleRow(i int) ImportRow {
	return ImportRow{
		ExternalRef:     fmt.Sprintf("朝住建审〔2024〕%d号", i),
		Name:            fmt.Sprintf("朝阳区第%d号老旧小区综合整治项目", i),
		Category:        testCategories[i%len(testCategories)],
		District:        "朝阳区",
		Street:          "朝外街道",
		Address:         fmt.Sprintf("朝阳门外大街%d号院", i),
		Goal:            "完成住宅楼节能改造、加装电梯，整治公共空间和地下管线",
		FundEstimateWan: fmt.Sprintf("%d.5", 1000+i),
		EntityName:      "北京朝阳城市更新有限公司",
		EntityUSCC:      "91110105MA01ABCD2X",
		EntityRole:      "实施主体",
		ApprovedBy:      "朝阳区住房和城乡建设委员会",
		ApprovedOn:      calendar.NewDate(2024, 10, 16).AddDays(i % 300),
		Contact:         "张三",
		Phone:           "010-65000000",
		Note:            "备注：第" + fmt.Sprint(i) + "个",
	}
}

// fillTemplate writes the template, then fills it as a person would in Excel.
func fillTemplate(t *testing.T, fill func(f *excelize.File)) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteImportTemplate(&buf, testCategories, testDistricts); err != nil {
		t.Fatalf("WriteImportTemplate: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open template: %v", err)
	}
	defer f.Close()
	fill(f)
	out, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func setRow(t *testing.T, f *excelize.File, row int, values []any) {
	t.Helper()
	if err := f.SetSheetRow(ImportSheet, cellName(1, row), &values); err != nil {
		t.Fatal(err)
	}
}

func TestTemplateRoundTrip(t *testing.T) {
	b := fillTemplate(t, func(f *excelize.File) {
		dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		// Row 2: date as a serial number in a date cell, money as a number.
		setRow(t, f, 2, []any{"朝住建审〔2024〕15号", "  劲松北社区老旧小区综合整治  ", "居住类", "朝阳区", "劲松街道",
			"劲松北路1号院", "节能改造、加装电梯", 1200.5, "北京劲松城市更新有限公司", "91110105ma01abcd2x", "实施主体",
			"朝阳区住房和城乡建设委员会", 45581, "李四", 13800138000, ""})
		if err := f.SetCellStyle(ImportSheet, "M2", "M2", dateStyle); err != nil {
			t.Fatal(err)
		}
		// Row 3: money as text with a thousands separator, date as text with slashes, a time.Time cell would also do.
		setRow(t, f, 3, []any{"海发改审〔2024〕3号", "中关村老旧厂房更新", "产业类", "海淀区", "中关村街道",
			"中关村大街27号", "改造为科技孵化空间", "1,200.5", "北京中关村更新投资有限公司", "91110108MA02XYZW3K", "统筹主体",
			"海淀区发展和改革委员会", "2024/10/17", "", "", "首批"})
		// Row 4: blank (spaces only count as blank).
		setRow(t, f, 4, []any{"", "   ", nil})
		// Row 5: bad date.
		setRow(t, f, 5, []any{"东城审〔2024〕1号", "南锣鼓巷公共空间提升", "公共空间类", "东城区", "交道口街道",
			"南锣鼓巷", "整治街巷公共空间", "300", "北京东城更新有限公司", "91110101MA03AAAA1A", "实施主体",
			"东城区城市管理委员会", "2024-02-30"})
		// Row 6: 项目名称 missing.
		setRow(t, f, 6, []any{"西城审〔2024〕2号", "", "设施类", "西城区", "金融街街道",
			"金融街1号", "补齐社区养老设施", "88.25", "北京西城更新有限公司", "91110102MA04BBBB2B", "实施主体",
			"西城区发展和改革委员会", time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)})
		// Row 7: money as full-width text with trailing zero kept, date in Chinese.
		setRow(t, f, 7, []any{"朝住建审〔2024〕16号", "双井街道危旧楼房改建", "居住类", "朝阳区", "双井街道",
			"双井路2号", "危旧楼房改建", "１,２００.50", "北京双井更新有限公司", "91110105MA05CCCC3C", "实施主体",
			"朝阳区住房和城乡建设委员会", "2024年1月5日"})
		// Row 8: bad money, bad role, repeated 外部编号.
		setRow(t, f, 8, []any{"朝住建审〔2024〕15号", "重复项目", "居住类", "朝阳区", "劲松街道",
			"劲松北路2号", "节能改造", "abc", "北京劲松城市更新有限公司", "91110105MA01ABCD2X", "建设单位",
			"朝阳区住房和城乡建设委员会", "2024-10-16"})
	})

	rows, rowErrs, err := ParseImport(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("ParseImport: %v", err)
	}
	want := []ImportRow{
		{Row: 2, ExternalRef: "朝住建审〔2024〕15号", Name: "劲松北社区老旧小区综合整治", Category: "居住类", District: "朝阳区",
			Street: "劲松街道", Address: "劲松北路1号院", Goal: "节能改造、加装电梯", FundEstimateWan: "1200.5",
			EntityName: "北京劲松城市更新有限公司", EntityUSCC: "91110105MA01ABCD2X", EntityRole: "实施主体",
			ApprovedBy: "朝阳区住房和城乡建设委员会", ApprovedOn: calendar.NewDate(2024, 10, 16), Contact: "李四", Phone: "13800138000"},
		{Row: 3, ExternalRef: "海发改审〔2024〕3号", Name: "中关村老旧厂房更新", Category: "产业类", District: "海淀区",
			Street: "中关村街道", Address: "中关村大街27号", Goal: "改造为科技孵化空间", FundEstimateWan: "1200.5",
			EntityName: "北京中关村更新投资有限公司", EntityUSCC: "91110108MA02XYZW3K", EntityRole: "统筹主体",
			ApprovedBy: "海淀区发展和改革委员会", ApprovedOn: calendar.NewDate(2024, 10, 17), Note: "首批"},
		{Row: 7, ExternalRef: "朝住建审〔2024〕16号", Name: "双井街道危旧楼房改建", Category: "居住类", District: "朝阳区",
			Street: "双井街道", Address: "双井路2号", Goal: "危旧楼房改建", FundEstimateWan: "1200.50",
			EntityName: "北京双井更新有限公司", EntityUSCC: "91110105MA05CCCC3C", EntityRole: "实施主体",
			ApprovedBy: "朝阳区住房和城乡建设委员会", ApprovedOn: calendar.NewDate(2024, 1, 5)},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
	wantErrs := []RowError{
		{5, "审核确认日期", "第5行「审核确认日期」不是有效日期（应为 YYYY-MM-DD）：2024-02-30"},
		{6, "项目名称", "第6行「项目名称」不能为空"},
		{8, "资金匡算(万元)", "第8行「资金匡算(万元)」不是有效金额：abc"},
		{8, "主体类型", "第8行「主体类型」应为「实施主体」或「统筹主体」：建设单位"},
		{8, "外部编号(审核确认文号)", "第8行「外部编号(审核确认文号)」与第2行重复：朝住建审〔2024〕15号"},
	}
	if !reflect.DeepEqual(rowErrs, wantErrs) {
		t.Errorf("row errors:\n got %q\nwant %q", rowErrs, wantErrs)
	}
}

func TestWriteImportTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteImportTemplate(&buf, testCategories, testDistricts); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); got[0] != ImportSheet || !contains(got, HelpSheet) {
		t.Errorf("sheets = %v", got)
	}
	rows, err := f.GetRows(ImportSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Errorf("data sheet has %d rows, want only the header (the example belongs on %s)", len(rows), HelpSheet)
	}
	for k, c := range importColumns {
		if got := rows[0][k]; got != c.header() {
			t.Errorf("header %d = %q, want %q", k+1, got, c.header())
		}
	}
	if !strings.HasSuffix(rows[0][colName], "*") || strings.HasSuffix(rows[0][colNote], "*") {
		t.Errorf("required marks wrong: %q", rows[0])
	}
	panes, err := f.GetPanes(ImportSheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, %v; want header frozen", panes, err)
	}
	dvs, err := f.GetDataValidations(ImportSheet)
	if err != nil {
		t.Fatal(err)
	}
	gotDV := map[string]string{}
	for _, dv := range dvs {
		gotDV[dv.Sqref] = dv.Formula1
	}
	wantDV := map[string]string{
		"C2:C20001": "'下拉选项'!$A$1:$A$4",
		"D2:D20001": "'下拉选项'!$B$1:$B$4",
		"K2:K20001": "'下拉选项'!$C$1:$C$2",
	}
	if !reflect.DeepEqual(gotDV, wantDV) {
		t.Errorf("data validations = %v, want %v", gotDV, wantDV)
	}
	opts, _ := f.GetRows(optionsSheet)
	if len(opts) != 4 || opts[0][0] != "居住类" || opts[3][1] != "海淀区" || opts[1][2] != "统筹主体" {
		t.Errorf("drop-down sources = %q", opts)
	}
	help, err := f.GetRows(HelpSheet)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, r := range help {
		all.WriteString(strings.Join(r, "|") + "\n")
	}
	for _, want := range []string{"京建法〔2024〕2号 第十一条", "【填写示例】", "示例-朝住建审〔2024〕15号", "资金匡算(万元)", "居住类、产业类、设施类、公共空间类"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("填写说明 lacks %q:\n%s", want, all.String())
		}
	}

	// The empty template parses to nothing, without error.
	rs, errs, err := ParseImport(bytes.NewReader(buf.Bytes()))
	if err != nil || len(rs) != 0 || len(errs) != 0 {
		t.Errorf("empty template: %v %v %v", rs, errs, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestGenerateParseRoundTrip(t *testing.T) {
	var in []ImportRow
	for i := 1; i <= 50; i++ {
		r := sampleRow(i)
		r.Row = i + 1
		in = append(in, r)
	}
	in[3].FundEstimateWan = "1200.50" // written as text to keep the digits
	in[4].Contact, in[4].Phone, in[4].Note = "", "", ""
	var buf bytes.Buffer
	if err := GenerateImportFile(&buf, in); err != nil {
		t.Fatal(err)
	}
	out, errs, err := ParseImport(&buf)
	if err != nil || len(errs) != 0 {
		t.Fatalf("ParseImport: %v %v", errs, err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", out, in)
	}
}

func TestParseImportHeaders(t *testing.T) {
	gen := func(edit func(f *excelize.File)) []byte {
		var buf bytes.Buffer
		if err := GenerateImportFile(&buf, []ImportRow{sampleRow(1)}); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		edit(f)
		out, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	t.Run("wrong header names it", func(t *testing.T) {
		b := gen(func(f *excelize.File) { f.SetCellStr(ImportSheet, "B1", "名称") })
		_, _, err := ParseImport(bytes.NewReader(b))
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, "「项目名称」") {
			t.Fatalf("err = %v, want a FileError naming 项目名称", err)
		}
		if strings.Contains(fe.Message, "「所在区」") {
			t.Errorf("message names a header that is present: %s", fe.Message)
		}
	})
	t.Run("money in yuan is not money in wan", func(t *testing.T) {
		b := gen(func(f *excelize.File) { f.SetCellStr(ImportSheet, "H1", "资金匡算(元)*") })
		_, _, err := ParseImport(bytes.NewReader(b))
		if err == nil || !strings.Contains(err.Error(), "「资金匡算(万元)」") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("duplicate header", func(t *testing.T) {
		b := gen(func(f *excelize.File) { f.SetCellStr(ImportSheet, "P1", "项目名称") })
		_, _, err := ParseImport(bytes.NewReader(b))
		if err == nil || !strings.Contains(err.Error(), "「项目名称」出现了两次") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("tolerant spelling, order, note row, other sheet name", func(t *testing.T) {
		b := gen(func(f *excelize.File) {
			f.SetCellStr(ImportSheet, "B1", "  项目名称 ＊ ")
			f.SetCellStr(ImportSheet, "H1", "资金匡算（万元）*")
			f.SetCellStr(ImportSheet, "K1", "主体类型*(实施主体|统筹主体)")
			f.SetCellStr(ImportSheet, "M1", "审核确认日期*(YYYY-MM-DD)")
			f.InsertRows(ImportSheet, 2, 1)
			f.SetCellStr(ImportSheet, "A2", "填写说明：带*为必填")
			// Swap two columns.
			a1, _ := f.GetCellValue(ImportSheet, "N1")
			f.SetCellStr(ImportSheet, "N1", "备注")
			f.SetCellStr(ImportSheet, "P1", a1)
			n3, _ := f.GetCellValue(ImportSheet, "N3")
			p3, _ := f.GetCellValue(ImportSheet, "P3")
			f.SetCellStr(ImportSheet, "N3", p3)
			f.SetCellStr(ImportSheet, "P3", n3)
			f.SetSheetName(ImportSheet, "Sheet1")
		})
		rows, errs, err := ParseImport(bytes.NewReader(b))
		if err != nil || len(errs) != 0 || len(rows) != 1 {
			t.Fatalf("rows %v errs %v err %v", rows, errs, err)
		}
		want := sampleRow(1)
		want.Row = 3
		if rows[0] != want {
			t.Errorf("got %+v\nwant %+v", rows[0], want)
		}
	})
	t.Run("title line above header", func(t *testing.T) {
		b := gen(func(f *excelize.File) {
			f.InsertRows(ImportSheet, 1, 1)
			f.SetCellStr(ImportSheet, "A1", "朝阳区城市更新项目清单（导出时间 2024-10-16 10:00）")
		})
		rows, errs, err := ParseImport(bytes.NewReader(b))
		if err != nil || len(errs) != 0 || len(rows) != 1 || rows[0].Row != 3 {
			t.Fatalf("rows %v errs %v err %v", rows, errs, err)
		}
	})
	t.Run("example row copied in", func(t *testing.T) {
		b := gen(func(f *excelize.File) { f.SetCellStr(ImportSheet, "A2", "示例-朝住建审〔2024〕15号") })
		rows, errs, err := ParseImport(bytes.NewReader(b))
		if err != nil || len(rows) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Message, "填写示例") {
			t.Fatalf("rows %v errs %v err %v", rows, errs, err)
		}
	})
	t.Run("empty sheet", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		buf, _ := f.WriteToBuffer()
		_, _, err := ParseImport(buf)
		if err == nil || !strings.Contains(err.Error(), "「外部编号(审核确认文号)」") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestParseImportMaxRows(t *testing.T) {
	in := make([]ImportRow, 6)
	for i := range in {
		in[i] = sampleRow(i)
	}
	var buf bytes.Buffer
	if err := GenerateImportFile(&buf, in); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if _, _, err := parseImport(bytes.NewReader(b), 6); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	_, _, err := parseImport(bytes.NewReader(b), 5)
	var fe *FileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "超过 5 行上限") {
		t.Fatalf("over the limit: %v", err)
	}
}

func TestParseImportNotXLSX(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "PDF"},
		{"text", []byte("外部编号,项目名称\n朝住建审〔2024〕15号,劲松\n"), "不是 Excel 工作簿"},
		{"empty", nil, "空的"},
		{"xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), ".xls"},
		{"broken zip", []byte("PK\x03\x04garbage that is no zip at all"), "无法读取"},
		{"truncated xlsx", func() []byte {
			var buf bytes.Buffer
			if err := GenerateImportFile(&buf, []ImportRow{sampleRow(1)}); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()[:buf.Len()/2]
		}(), "无法读取"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, errs, err := ParseImport(bytes.NewReader(c.data))
			var fe *FileError
			if !errors.As(err, &fe) || !strings.Contains(fe.Message, c.want) {
				t.Fatalf("err = %v, want a FileError containing %q", err, c.want)
			}
			if rows != nil || errs != nil {
				t.Errorf("rows %v errs %v on a bad file", rows, errs)
			}
			if _, err := ReadTable(bytes.NewReader(c.data), ""); !errors.As(err, &fe) {
				t.Errorf("ReadTable err = %v, want a FileError", err)
			}
		})
	}
}
