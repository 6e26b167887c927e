package calendar

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date (年月日) without a time of day or a time zone.
// The zero Date is "no date"; IsZero reports it. Dates compare with
// Before/After/Equal or with == (the struct is comparable).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Layout is the one textual form of a Date: YYYY-MM-DD.
const Layout = "2006-01-02"

// Beijing is China Standard Time (UTC+8), the zone in which every civil date
// of the gazette is read. It is a fixed zone so that no tzdata is needed.
var Beijing = time.FixedZone("CST", 8*3600)

// NewDate returns the normalised date y-m-d (time.Date rules: 2024-02-30 → 2024-03-01).
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// DateIn returns the civil date of t as seen in Beijing.
func DateIn(t time.Time) Date { return DateOf(t.In(Beijing)) }

// ParseDate parses YYYY-MM-DD strictly: 2024-02-30 is an error, not March 1st.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil {
		return Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD 且为有效日期：%q", s)
	}
	return DateOf(t), nil
}

// MustParseDate is ParseDate for constants and tests; it panics on bad input.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Time returns midnight UTC of d, for arithmetic.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(Layout)
}

// AddDays returns d plus n calendar days (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// DaysUntil returns the number of calendar days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.Time().Sub(d.Time()).Hours() / 24) }

// MarshalJSON writes "YYYY-MM-DD", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("日期应为字符串 YYYY-MM-DD")
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores a Date as TEXT YYYY-MM-DD (NULL for the zero Date) in both databases.
// A year outside 1…9999 is refused: it would not read back as YYYY-MM-DD.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	if d.Year < 1 || d.Year > 9999 {
		return nil, fmt.Errorf("日期 %s 超出可存储的范围（公元1至9999年）", d)
	}
	return d.String(), nil
}

// Scan reads a Date from TEXT, []byte, time.Time or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		if v == "" {
			*d = Date{}
			return nil
		}
		p, err := ParseDate(v[:min(len(v), 10)])
		if err != nil {
			return err
		}
		*d = p
		return nil
	case []byte:
		return d.Scan(string(v))
	case time.Time:
		*d = DateOf(v)
		return nil
	}
	return fmt.Errorf("calendar.Date: cannot scan %T", src)
}
