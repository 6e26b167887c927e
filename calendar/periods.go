package calendar

import "time"

// AddMonths returns the last day of a period of n months starting with the
// event on d: the corresponding date n months later, or that month's last
// day when there is none (DECISIONS.md D1; 民法典 第二百零二条 "按照年、月计算期间的，
// 到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日").
// 2024-01-31 + 1 month → 2024-02-29. n may be negative.
func AddMonths(d Date, n int) Date {
	m0 := d.Year*12 + int(d.Month) - 1 + n
	y, m := floorDiv(m0, 12), time.Month(m0-12*floorDiv(m0, 12)+1)
	return Date{y, m, min(d.Day, daysIn(y, m))}
}

// AddYears returns the last day of a period of n years starting with the
// event on d: the corresponding date, or the month's last day when there is
// none (DECISIONS.md D1). 2025-03-20 + 1 year → 2026-03-20 (the project
// auto-exits on the day after, 2026-03-21); 2024-02-29 + 1 year → 2025-02-28.
func AddYears(d Date, n int) Date { return AddMonths(d, 12*n) }

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
