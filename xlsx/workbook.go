package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"gengxin/calendar"
)

// Column is one column of an exported sheet. A Width of 0 sizes the column
// from its title.
type Column struct {
	Title string
	Width float64
}

// Sheet is one exported list.
//
// Title, when set, is a line above the header, e.g.
// "朝阳区城市更新项目清单（导出时间 2024-10-16 10:00）". Rows hold, per cell:
// string; any integer type; float32, float64; calendar.Date and *calendar.Date
// (a real date cell formatted yyyy-mm-dd; the zero Date and nil are empty);
// time.Time (a date-time cell, in Beijing time); bool (是/否); nil (empty);
// a fmt.Stringer, or a named string, integer, float or bool type (such as a
// domain enum), by its underlying value. Any other type is an error.
type Sheet struct {
	Name    string
	Title   string
	Columns []Column
	Rows    [][]any
}

// WriteWorkbook writes sheets to w as one .xlsx workbook, in order, with the
// StreamWriter: an optional bold title line merged over the columns, a bold
// header row that is frozen and carries an autofilter, and the column widths.
// A sheet without Name is called Sheet1, Sheet2, …; names must be unique and
// valid Excel sheet names (at most 31 characters, none of : \ / ? * [ ]).
// At least one sheet is required.
func WriteWorkbook(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return errors.New("xlsx: WriteWorkbook needs at least one sheet")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newExportStyles(f)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, s := range sheets {
		name := s.Name
		if name == "" {
			name = "Sheet" + strconv.Itoa(i+1)
		}
		if seen[name] {
			return fmt.Errorf("xlsx: duplicate sheet name %q", name)
		}
		seen[name] = true
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", name, err)
		}
		if err := writeSheet(f, name, s, st); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", name, err)
		}
	}
	// No SetActiveSheet: the first sheet is active already, and touching a
	// streamed sheet makes excelize parse it back into memory (5× slower).
	return f.Write(w)
}

type exportStyles struct{ title, header, date, dateTime int }

func newExportStyles(f *excelize.File) (exportStyles, error) {
	var st exportStyles
	date, dateTime := dateFormat, "yyyy-mm-dd hh:mm:ss"
	defs := []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Border:    []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&st.date, excelize.Style{CustomNumFmt: &date}},
		{&st.dateTime, excelize.Style{CustomNumFmt: &dateTime}},
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

func writeSheet(f *excelize.File, name string, s Sheet, st exportStyles) error {
	ncol := len(s.Columns)
	headerRow := 1
	if s.Title != "" {
		headerRow = 2
	}
	// The autofilter must be on the worksheet before the StreamWriter takes
	// it over: Flush writes it out with the streamed rows.
	if ncol > 0 {
		ref := fmt.Sprintf("A%d:%s%d", headerRow, colLetters(ncol), headerRow+len(s.Rows))
		if err := f.AutoFilter(name, ref, nil); err != nil {
			return err
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, c := range s.Columns {
		width := c.Width
		if width <= 0 {
			width = autoWidth(c.Title)
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow,
		TopLeftCell: cellName(1, headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if s.Title != "" {
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: s.Title}}, excelize.RowOpts{Height: 24}); err != nil {
			return err
		}
		if ncol > 1 {
			if err := sw.MergeCell("A1", cellName(ncol, 1)); err != nil {
				return err
			}
		}
	}
	if ncol > 0 {
		header := make([]any, ncol)
		for i, c := range s.Columns {
			header[i] = excelize.Cell{StyleID: st.header, Value: c.Title}
		}
		if err := sw.SetRow(cellName(1, headerRow), header); err != nil {
			return err
		}
	}
	var values []any
	for r, row := range s.Rows {
		values = values[:0]
		for c, v := range row {
			cv, err := exportValue(v, st)
			if err != nil {
				return fmt.Errorf("row %d column %d: %w", r+1, c+1, err)
			}
			values = append(values, cv)
		}
		if err := sw.SetRow(cellName(1, headerRow+1+r), values); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// autoWidth sizes a column from its title: CJK characters count double.
func autoWidth(title string) float64 {
	w := 0.0
	for _, r := range title {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return math.Min(math.Max(w+4, 10), 50)
}

// exportValue converts a Sheet cell to what the StreamWriter takes.
func exportValue(v any, st exportStyles) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return nilIfEmpty(v), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return v, nil
	case float32:
		return exportFloat(float64(v)), nil
	case float64:
		return exportFloat(v), nil
	case bool:
		if v {
			return "是", nil
		}
		return "否", nil
	case calendar.Date:
		return exportDate(v, st), nil
	case *calendar.Date:
		if v == nil {
			return nil, nil
		}
		return exportDate(*v, st), nil
	case time.Time:
		if v.IsZero() {
			return nil, nil
		}
		t := v.In(calendar.Beijing)
		if serial, ok := timeSerial(t); ok {
			return excelize.Cell{StyleID: st.dateTime, Value: serial}, nil
		}
		return t.Format("2006-01-02 15:04:05"), nil
	case fmt.Stringer:
		return nilIfEmpty(v.String()), nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return nilIfEmpty(rv.String()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return rv.Uint(), nil
	case reflect.Float32, reflect.Float64:
		return exportFloat(rv.Float()), nil
	case reflect.Bool:
		return exportValue(rv.Bool(), st)
	}
	return nil, fmt.Errorf("unsupported cell type %T", v)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// exportFloat writes NaN and infinities, which a cell cannot hold, as text.
func exportFloat(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return v
}

func exportDate(d calendar.Date, st exportStyles) any {
	if d.IsZero() {
		return nil
	}
	if serial, ok := dateSerial(d); ok {
		return excelize.Cell{StyleID: st.date, Value: serial}
	}
	return d.String()
}

// ReadTable returns the cells of a sheet (the first sheet when sheet is
// empty) as strings, row by row from row 1, each row as long as its last
// non-empty cell. Values are raw, not as displayed: numbers as Excel stores
// them, except that a number in a cell with a date format comes back as
// YYYY-MM-DD (YYYY-MM-DD HH:MM:SS when it has a time of day). It is meant for
// tests and round trips, not for 10,000-row imports. Errors are as for
// ParseImport; a missing sheet is a *FileError.
func ReadTable(r io.Reader, sheet string) ([][]string, error) {
	f, err := openWorkbook(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetList()[0]
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, fileError(err, fmt.Sprintf("工作簿中没有工作表「%s」", sheet))
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fileError(err, fmt.Sprintf("无法读取工作表「%s」，文件可能已损坏", sheet))
	}
	is1904 := date1904(f)
	dateStyle := map[int]bool{}
	for ri, row := range rows {
		for ci, v := range row {
			if !isNumber(v) {
				continue
			}
			sid, err := f.GetCellStyle(sheet, cellName(ci+1, ri+1))
			if err != nil || sid == 0 {
				continue
			}
			isDate, known := dateStyle[sid]
			if !known {
				if s, err := f.GetStyle(sid); err == nil {
					isDate = isDateFormat(s.NumFmt, s.CustomNumFmt)
				}
				dateStyle[sid] = isDate
			}
			if !isDate {
				continue
			}
			fv, _ := strconv.ParseFloat(v, 64)
			t, ok := serialTime(fv, is1904)
			if !ok {
				continue
			}
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				row[ci] = t.Format(calendar.Layout)
			} else {
				row[ci] = t.Format("2006-01-02 15:04:05")
			}
		}
	}
	return rows, nil
}
