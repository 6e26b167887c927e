package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"gengxin/calendar"
)

// BenchmarkParseImport10000 parses a 10,000-row Chinese import file. The
// issue asks for a 10,000-row import within 5 s end to end; parsing must be
// well under 1 s of that.
func BenchmarkParseImport10000(b *testing.B) {
	b.StopTimer()
	rows := make([]ImportRow, 10000)
	for i := range rows {
		rows[i] = sampleRow(i)
	}
	var buf bytes.Buffer
	if err := GenerateImportFile(&buf, rows); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.StartTimer()
	for b.Loop() {
		got, errs, err := ParseImport(bytes.NewReader(data))
		if err != nil || len(errs) != 0 || len(got) != len(rows) {
			b.Fatalf("%d rows, %d errors, %v", len(got), len(errs), err)
		}
	}
}

// BenchmarkWriteWorkbook10000 exports a 10,000-row project list.
func BenchmarkWriteWorkbook10000(b *testing.B) {
	s := Sheet{
		Name:  "项目清单",
		Title: "北京市城市更新项目清单（导出时间 2024-10-16 10:00）",
		Columns: []Column{{"外部编号", 24}, {"项目名称", 30}, {"项目类别", 0}, {"所在区", 0}, {"街道/乡镇", 0},
			{"资金匡算(万元)", 14}, {"实施主体", 28}, {"审核确认日期", 14}, {"状态", 0}, {"老旧厂房", 0}},
	}
	d := calendar.NewDate(2024, 1, 1)
	for i := 0; i < 10000; i++ {
		s.Rows = append(s.Rows, []any{fmt.Sprintf("朝住建审〔2024〕%d号", i), fmt.Sprintf("朝阳区第%d号老旧小区综合整治项目", i),
			"居住类", "朝阳区", "朝外街道", 1000.5 + float64(i), "北京朝阳城市更新有限公司", d.AddDays(i % 365), "储备项目库", i%7 == 0})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteWorkbook(io.Discard, s); err != nil {
			b.Fatal(err)
		}
	}
}
