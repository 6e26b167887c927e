package calendar

import (
	"fmt"
	"time"
)

// Trace explains how a working-day due date was computed, for the page
// "这个日期是怎么算出来的" and for audit records: every calendar day from the
// day after Start up to Due, whether it counted, and why.
type Trace struct {
	// Start is the event day (e.g. the receipt date); it never counts.
	Start Date `json:"start"`
	// Due is the N-th working day after Start (see Calendar.AddWorkdays).
	Due Date `json:"due"`
	// N is the number of working days of the period.
	N int `json:"n"`
	// Provisional reports that a day examined lies in a year that is not
	// loaded or not verified, so Due may still change (暂定).
	Provisional bool `json:"provisional"`
	// Notices cite the holiday notices of the years examined, e.g.
	// "2024年：国办发明电〔2023〕7号", followed by a 暂定 line for each
	// provisional year.
	Notices []string `json:"notices"`
	// Days are the calendar days Start+1 … Due, in order.
	Days []TraceDay `json:"days"`
}

// TraceDay is one calendar day of a Trace.
type TraceDay struct {
	// Date is the calendar day.
	Date Date `json:"date"`
	// Counted reports that the day is a working day and so counts.
	Counted bool `json:"counted"`
	// Ordinal is the day's number among the counted days (1…N), 0 if not
	// counted.
	Ordinal int `json:"ordinal"`
	// Kind classifies the day (see Calendar.DayKind).
	Kind DayKind `json:"kind"`
	// Label says why, in Chinese: "工作日", "周六", "周日",
	// "法定节假日（国庆节）", "调休上班日（国庆节）".
	Label string `json:"label"`
}

// Explain returns the computation of AddWorkdays(start, n) day by day.
// For n < 1 the trace has no days and Due is start.
func (c *Calendar) Explain(start Date, n int) Trace {
	t := Trace{Start: start, N: n, Due: c.AddWorkdays(start, n)}
	if n < 1 {
		return t
	}
	var years []int
	seen := map[int]bool{}
	ord := 0
	for d := start.AddDays(1); !d.After(t.Due); d = d.AddDays(1) {
		if !seen[d.Year] {
			seen[d.Year] = true
			years = append(years, d.Year)
		}
		k, name := c.DayKind(d)
		td := TraceDay{Date: d, Kind: k, Label: dayLabel(d, k, name)}
		if k.IsWorking() {
			ord++
			td.Counted, td.Ordinal = true, ord
		}
		t.Days = append(t.Days, td)
	}
	var provisional []string
	for _, n := range years {
		y, ok := c.years[n]
		switch {
		case !ok:
			t.Notices = append(t.Notices, fmt.Sprintf("%d年：未载入节假日安排", n))
			provisional = append(provisional, fmt.Sprintf("暂定：%d年节假日安排尚未载入，只按周六、周日休息计算，结果可能变动。", n))
		case y.Notice != "":
			t.Notices = append(t.Notices, fmt.Sprintf("%d年：%s", n, y.Notice))
		default:
			t.Notices = append(t.Notices, fmt.Sprintf("%d年：%s", n, y.Note))
		}
		if ok && !y.Verified {
			provisional = append(provisional, fmt.Sprintf("暂定：%d年节假日安排尚未与国务院办公厅通知核对，结果可能变动。", n))
		}
	}
	t.Provisional = len(provisional) > 0
	t.Notices = append(t.Notices, provisional...)
	return t
}

// dayLabel is the Chinese explanation of one day.
func dayLabel(d Date, k DayKind, name string) string {
	switch k {
	case StatutoryHoliday:
		return fmt.Sprintf("法定节假日（%s）", name)
	case MakeupWorkday:
		return fmt.Sprintf("调休上班日（%s）", name)
	case Weekend:
		if d.Weekday() == time.Saturday {
			return "周六"
		}
		return "周日"
	}
	return "工作日"
}
