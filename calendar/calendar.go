package calendar

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// DayKind classifies a day for working-day counting (DECISIONS.md D3).
type DayKind uint8

// The kinds of day. Only Workday and MakeupWorkday are working days.
const (
	// Workday is a Monday–Friday that is not a holiday.
	Workday DayKind = iota + 1
	// Weekend is a Saturday or Sunday that is not a make-up working day.
	Weekend
	// StatutoryHoliday is a day off of the State Council notice (法定节假日
	// and the days joined to it), whatever its day of the week. (It is not
	// named Holiday because that is the type of a block of days off.)
	StatutoryHoliday
	// MakeupWorkday is a Saturday or Sunday the notice makes a working day
	// (调休上班日).
	MakeupWorkday
)

// Label returns the Chinese name of the kind, as shown to users.
func (k DayKind) Label() string {
	switch k {
	case Workday:
		return "工作日"
	case Weekend:
		return "休息日"
	case StatutoryHoliday:
		return "法定节假日"
	case MakeupWorkday:
		return "调休上班日"
	}
	return "未知"
}

// String returns the Chinese label (see Label).
func (k DayKind) String() string { return k.Label() }

// MarshalText writes a stable English key (workday, weekend, holiday,
// makeup) so that JSON consumers need not match Chinese text.
func (k DayKind) MarshalText() ([]byte, error) {
	switch k {
	case Workday:
		return []byte("workday"), nil
	case Weekend:
		return []byte("weekend"), nil
	case StatutoryHoliday:
		return []byte("holiday"), nil
	case MakeupWorkday:
		return []byte("makeup"), nil
	}
	return nil, fmt.Errorf("calendar: unknown DayKind %d", k)
}

// IsWorking reports whether a day of this kind counts as a working day.
func (k DayKind) IsWorking() bool { return k == Workday || k == MakeupWorkday }

// Calendar answers working-day questions from a set of loaded years.
// It is immutable and safe for concurrent use.
//
// Internally every loaded day is precomputed: the kind of each day, the
// running count of working days and the position of each working day, so
// that AddWorkdays and Between cost O(1) whatever n is. They run for every
// project of lists of 100,000.
type Calendar struct {
	years map[int]Year // by year number
	order []int        // loaded year numbers, ascending

	// The table covers day numbers [lo, hi): from January 1 of the first
	// loaded year to December 31 of the last. Days outside it are counted
	// Monday–Friday (DECISIONS.md D3: "dates past the last loaded year count
	// weekends only").
	lo, hi int
	kind   []DayKind // kind[dn-lo]
	// cum[i] is the number of working days in [lo, lo+i); len(cum) = hi-lo+1.
	cum []int32
	// pos[k] is the day number of the (k+1)-th working day of the table.
	pos   []int32
	names map[int]string // holiday name or make-up "for", by day number
}

// New builds a calendar from the given years. When two have the same Year
// number the later one wins: that is how an operator loads a corrected or a
// newly published year on top of the embedded data, e.g.
// New(append(Embedded(), uploaded...)...). Each year is validated again.
func New(years ...Year) (*Calendar, error) {
	c := &Calendar{years: map[int]Year{}, names: map[int]string{}}
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		c.years[y.Year] = y
	}
	for n := range c.years {
		c.order = append(c.order, n)
	}
	slices.Sort(c.order)
	if len(c.order) == 0 {
		return c, nil
	}
	c.lo = dayNumber(Date{c.order[0], time.January, 1})
	c.hi = dayNumber(Date{c.order[len(c.order)-1], time.December, 31}) + 1
	c.kind = make([]DayKind, c.hi-c.lo)
	for dn := c.lo; dn < c.hi; dn++ {
		c.kind[dn-c.lo] = weekdayKind(dn)
	}
	for _, n := range c.order {
		y := c.years[n]
		for _, h := range y.Holidays {
			for dn := dayNumber(h.From); dn <= dayNumber(h.To); dn++ {
				c.kind[dn-c.lo] = StatutoryHoliday
				c.names[dn] = h.Name
			}
		}
		for _, w := range y.Workdays {
			dn := dayNumber(w.Date)
			c.kind[dn-c.lo] = MakeupWorkday
			c.names[dn] = w.For
		}
	}
	c.cum = make([]int32, len(c.kind)+1)
	for i, k := range c.kind {
		c.cum[i+1] = c.cum[i]
		if k.IsWorking() {
			c.cum[i+1]++
			c.pos = append(c.pos, int32(c.lo+i))
		}
	}
	return c, nil
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := New(Embedded()...)
	if err != nil {
		panic("calendar: embedded holiday data: " + err.Error())
	}
	return c
})

// Default returns the calendar of the embedded years (see Embedded). It is
// built once. It panics if the embedded data are invalid, which a test
// guards against.
func Default() *Calendar { return defaultCalendar() }

// Years returns the loaded years, sorted by year.
func (c *Calendar) Years() []Year {
	ys := make([]Year, 0, len(c.order))
	for _, n := range c.order {
		ys = append(ys, c.years[n])
	}
	return ys
}

// Year returns the loaded arrangement of year n, if any.
func (c *Calendar) Year(n int) (Year, bool) {
	y, ok := c.years[n]
	return y, ok
}

// LastYear returns the last loaded year (verified or not), or 0 when none
// is loaded. Dates after it count weekends only and are provisional.
func (c *Calendar) LastYear() int {
	if len(c.order) == 0 {
		return 0
	}
	return c.order[len(c.order)-1]
}

// LastVerifiedYear returns the last loaded year checked against its notice,
// or 0 when there is none.
func (c *Calendar) LastVerifiedYear() int {
	for i := len(c.order) - 1; i >= 0; i-- {
		if c.years[c.order[i]].Verified {
			return c.order[i]
		}
	}
	return 0
}

// Provisional reports whether results involving d are provisional (暂定):
// the year of d is not loaded, or is loaded but not verified against the
// State Council notice (DECISIONS.md D3).
func (c *Calendar) Provisional(d Date) bool {
	y, ok := c.years[d.Year]
	return !ok || !y.Verified
}

// IsWorkday reports whether d is a working day: Monday–Friday minus the
// holidays, plus the make-up working days (DECISIONS.md D3). Outside the
// loaded years it is Monday–Friday.
func (c *Calendar) IsWorkday(d Date) bool { return c.kindOf(dayNumber(d)).IsWorking() }

// DayKind classifies d. For StatutoryHoliday and MakeupWorkday, name is the
// holiday concerned (e.g. "国庆节"); otherwise it is "".
func (c *Calendar) DayKind(d Date) (kind DayKind, name string) {
	dn := dayNumber(d)
	return c.kindOf(dn), c.names[dn]
}

func (c *Calendar) kindOf(dn int) DayKind {
	if dn >= c.lo && dn < c.hi {
		return c.kind[dn-c.lo]
	}
	return weekdayKind(dn)
}

// count returns the number of working days on or before day dn, counted from
// an arbitrary fixed origin; only differences of count are meaningful.
// Inside the table it uses the precomputed sums, outside Monday–Friday, and
// the pieces are joined so that count is continuous.
func (c *Calendar) count(dn int) int {
	switch {
	case dn < c.lo || len(c.kind) == 0:
		return weekdaysThrough(dn)
	case dn < c.hi:
		return weekdaysThrough(c.lo-1) + int(c.cum[dn-c.lo+1])
	default:
		return weekdaysThrough(c.lo-1) + int(c.cum[len(c.kind)]) + weekdaysThrough(dn) - weekdaysThrough(c.hi-1)
	}
}

// nth returns the first day dn with count(dn) >= k, which is a working day:
// the inverse of count.
func (c *Calendar) nth(k int) int {
	if len(c.kind) == 0 {
		return nthWeekday(k)
	}
	base := weekdaysThrough(c.lo - 1)
	switch {
	case k <= base:
		return nthWeekday(k)
	case k <= base+len(c.pos):
		return int(c.pos[k-base-1])
	default:
		rest := k - base - len(c.pos)
		return nthWeekday(weekdaysThrough(c.hi-1) + rest)
	}
}

// AddWorkdays returns the due date of a period of n working days starting
// with the event on start: the n-th working day after start, start itself
// never counting (DECISIONS.md D1, D3; 民法典 第二百零一条 "开始的当日不计入").
// So received Fri 2024-09-27, 10 working days → 2024-10-16.
// For n < 1 it returns start.
func (c *Calendar) AddWorkdays(start Date, n int) Date {
	if n < 1 {
		return start
	}
	return dateOf(c.nth(c.count(dayNumber(start)) + n))
}

// Between returns the number of working days d with a < d ≤ b, 0 when
// b ≤ a. It is the inverse of AddWorkdays: Between(s, AddWorkdays(s, n)) == n,
// and it tells how many working days of a period have been used by b.
func (c *Calendar) Between(a, b Date) int {
	an, bn := dayNumber(a), dayNumber(b)
	if bn <= an {
		return 0
	}
	return c.count(bn) - c.count(an)
}

// NextWorkday returns the first working day after d.
func (c *Calendar) NextWorkday(d Date) Date { return c.AddWorkdays(d, 1) }

// ReceiptDate returns the day an online filing made on filed is received:
// filed itself on a working day, otherwise the next working day
// (DECISIONS.md D4: "An online filing made on a non-working day is received
// on the next working day; its clocks start from that day"). Filed Sat
// 2024-10-05 → received Tue 2024-10-08.
func (c *Calendar) ReceiptDate(filed Date) Date {
	if c.IsWorkday(filed) {
		return filed
	}
	return c.NextWorkday(filed)
}

// CalendarDaysEnd returns the last day of a period of n calendar days (日)
// starting the day after start (DECISIONS.md D1), moved to the next working
// day when it is a statutory holiday or rest day (DECISIONS.md D2; 民法典
// 第二百零三条 "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日").
// Posted 2024-09-30, 7 days → 2024-10-07 is 国庆节 → 2024-10-08.
// For n < 1 it returns start.
func (c *Calendar) CalendarDaysEnd(start Date, n int) Date {
	if n < 1 {
		return start
	}
	end := start.AddDays(n)
	if !c.IsWorkday(end) {
		end = c.NextWorkday(end)
	}
	return end
}

// MissingNextYear reports whether operators must be warned that next year's
// arrangement is not loaded: true from November 1 of today's year when year
// today.Year+1 is not loaded. The State Council publishes the notice around
// November; until it is loaded, deadlines in that year count weekends only.
func (c *Calendar) MissingNextYear(today Date) bool {
	if today.Month < time.November {
		return false
	}
	_, ok := c.years[today.Year+1]
	return !ok
}

// Warnings returns the operator warnings for today, in Chinese: next year
// missing (from November 1), and this or next year loaded but unverified.
func (c *Calendar) Warnings(today Date) []string {
	var w []string
	if c.MissingNextYear(today) {
		w = append(w, fmt.Sprintf("尚未载入%d年节假日安排：请在国务院办公厅通知发布后载入，否则%d年的期限只按周六、周日计算（暂定）。", today.Year+1, today.Year+1))
	}
	for _, n := range []int{today.Year, today.Year + 1} {
		if y, ok := c.years[n]; ok && !y.Verified {
			w = append(w, fmt.Sprintf("%d年节假日安排尚未与国务院办公厅通知核对（暂定）：%s", n, y.Note))
		}
	}
	return w
}

// Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar,
// computed arithmetically (H. Hinnant's days_from_civil) because time.Date
// would dominate the cost of AddWorkdays.

func dayNumber(d Date) int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dateOf(dn int) Date {
	z := dn + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// weekdayKind is the kind of day dn by its day of the week alone.
// Day 0 (1970-01-01) was a Thursday.
func weekdayKind(dn int) DayKind {
	if wd := ((dn+4)%7 + 7) % 7; wd == 0 || wd == 6 {
		return Weekend
	}
	return Workday
}

// weekdaysThrough returns the number of Mondays–Fridays on or before dn,
// counted from Monday 1970-01-05 (day 4): 1 for day 4, 0 for days 0–3, and
// negative before. Only differences matter.
func weekdaysThrough(dn int) int {
	m := dn - 3 // days in [Monday 1970-01-05, dn] = m
	w := floorDiv(m, 7)
	r := m - 7*w
	return 5*w + min(r, 5)
}

// nthWeekday is the inverse of weekdaysThrough: the first day dn with
// weekdaysThrough(dn) >= k.
func nthWeekday(k int) int {
	j := k - 1
	w := floorDiv(j, 5)
	return 4 + 7*w + (j - 5*w)
}
