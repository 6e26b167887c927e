package xlsx

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gengxin/calendar"
)

type testStatus string

type testStringer struct{}

func (testStringer) String() string { return "储备项目库" }

func TestWriteWorkbookReadTable(t *testing.T) {
	approved := calendar.NewDate(2024, 10, 16)
	projects := Sheet{
		Name:  "项目清单",
		Title: "朝阳区城市更新项目清单（导出时间 2024-10-16 10:00）",
		Columns: []Column{{"项目名称", 30}, {"项目类别", 0}, {"资金匡算(万元)", 14}, {"审核确认日期", 14},
			{"入库日期", 14}, {"是否老旧厂房", 0}, {"楼栋数", 0}, {"状态", 0}, {"库", 0}, {"提交时间", 20}},
		Rows: [][]any{
			{"劲松北社区老旧小区综合整治", "居住类", 1200.5, approved, &approved, false, 12, testStatus("reserve"), testStringer{},
				time.Date(2024, 10, 16, 2, 30, 0, 0, time.UTC)},
			{"首钢老工业区（北区）更新", "产业类", int64(98000), calendar.Date{}, (*calendar.Date)(nil), true, nil, "", nil, time.Time{}},
		},
	}
	other := Sheet{Columns: []Column{{"部门", 20}}, Rows: [][]any{{"朝阳区住房和城乡建设委员会"}}}
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf, projects, other); err != nil {
		t.Fatalf("WriteWorkbook: %v", err)
	}
	b := buf.Bytes()

	got, err := ReadTable(bytes.NewReader(b), "项目清单")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"朝阳区城市更新项目清单（导出时间 2024-10-16 10:00）"},
		{"项目名称", "项目类别", "资金匡算(万元)", "审核确认日期", "入库日期", "是否老旧厂房", "楼栋数", "状态", "库", "提交时间"},
		{"劲松北社区老旧小区综合整治", "居住类", "1200.5", "2024-10-16", "2024-10-16", "否", "12", "reserve", "储备项目库", "2024-10-16 10:30:00"},
		{"首钢老工业区（北区）更新", "产业类", "98000", "", "", "是"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadTable:\n got %q\nwant %q", got, want)
	}
	got2, err := ReadTable(bytes.NewReader(b), "Sheet2")
	if err != nil || !reflect.DeepEqual(got2, [][]string{{"部门"}, {"朝阳区住房和城乡建设委员会"}}) {
		t.Errorf("second sheet = %q, %v", got2, err)
	}
	if _, err := ReadTable(bytes.NewReader(b), "没有"); err == nil || !strings.Contains(err.Error(), "没有工作表「没有」") {
		t.Errorf("missing sheet err = %v", err)
	}

	// Presentation: frozen header, autofilter, merged title, widths, date format.
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	panes, _ := f.GetPanes("项目清单")
	if !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
		t.Errorf("panes = %+v", panes)
	}
	var filter string
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.Scope == "项目清单" {
			filter = dn.RefersTo
		}
	}
	if filter != "'项目清单'!$A$2:$J$4" {
		t.Errorf("autofilter = %q", filter)
	}
	merged, _ := f.GetMergeCells("项目清单")
	if len(merged) != 1 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "J1" {
		t.Errorf("merged = %v", merged)
	}
	if w, _ := f.GetColWidth("项目清单", "A"); w != 30 {
		t.Errorf("width A = %v", w)
	}
	if w, _ := f.GetColWidth("项目清单", "B"); w != 12 {
		t.Errorf("auto width B = %v", w)
	}
	sid, _ := f.GetCellStyle("项目清单", "D3")
	st, _ := f.GetStyle(sid)
	if st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("date cell format = %+v", st)
	}
	if typ, _ := f.GetCellType("项目清单", "D3"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("date written as text")
	}
	hs, _ := f.GetCellStyle("项目清单", "A2")
	if h, _ := f.GetStyle(hs); h.Font == nil || !h.Font.Bold {
		t.Errorf("header not bold")
	}
}

func TestWriteWorkbookErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf); err == nil {
		t.Error("no sheets accepted")
	}
	if err := WriteWorkbook(&buf, Sheet{Name: "a"}, Sheet{Name: "a"}); err == nil {
		t.Error("duplicate names accepted")
	}
	if err := WriteWorkbook(&buf, Sheet{Name: "bad/name"}); err == nil {
		t.Error("invalid name accepted")
	}
	err := WriteWorkbook(&buf, Sheet{Columns: []Column{{"x", 0}}, Rows: [][]any{{struct{}{}}}})
	if err == nil || !strings.Contains(err.Error(), "row 1 column 1") {
		t.Errorf("unsupported type: %v", err)
	}
	// An empty sheet is fine.
	buf.Reset()
	if err := WriteWorkbook(&buf, Sheet{Name: "空"}); err != nil {
		t.Fatal(err)
	}
	if rows, err := ReadTable(&buf, ""); err != nil || len(rows) != 0 {
		t.Errorf("empty sheet: %q %v", rows, err)
	}
}
