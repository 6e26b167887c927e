package xlsx

import (
	"testing"
	"time"

	"gengxin/calendar"
)

func TestParseMoney(t *testing.T) {
	cases := []struct{ in, want, reason string }{
		{"1200.5", "1200.5", ""},
		{"1,200.50", "1200.50", ""},
		{"1,234,567", "1234567", ""},
		{"１，２００．５", "1200.5", ""},
		{"1200万元", "1200", ""},
		{" 0012 ", "12", ""},
		{"0", "0", ""},
		{"0.30000000000000004", "0.3", ""},
		{"333.33333333333331", "333.333333", ""},
		{"1.2E+3", "1200", ""},
		{"1.5E-7", "0", ""},
		{"-5", "", "negative"},
		{"abc", "", "invalid"},
		{"1,20.5", "", "invalid"},
		{"12,00", "", "invalid"},
		{"1.2.3", "", "invalid"},
		{"1e400", "", "invalid"},
		{"NaN", "", "invalid"},
		{"", "", "invalid"},
		{"¥100", "", "invalid"},
	}
	for _, c := range cases {
		got, reason := parseMoney(c.in)
		if got != c.want || reason != c.reason {
			t.Errorf("parseMoney(%q) = %q, %q; want %q, %q", c.in, got, reason, c.want, c.reason)
		}
	}
}

func TestParseDateCell(t *testing.T) {
	d := calendar.NewDate
	cases := []struct {
		in     string
		is1904 bool
		want   calendar.Date
		reason string
	}{
		{"45581", false, d(2024, 10, 16), ""},
		{"45581.75", false, d(2024, 10, 16), ""},
		{"44119", true, d(2024, 10, 16), ""},
		{"2024-10-16", false, d(2024, 10, 16), ""},
		{"2024/10/16", false, d(2024, 10, 16), ""},
		{"2024/1/5", false, d(2024, 1, 5), ""},
		{"2024.01.05", false, d(2024, 1, 5), ""},
		{"2024年1月5日", false, d(2024, 1, 5), ""},
		{"２０２４－１０－１６", false, d(2024, 10, 16), ""},
		{"2024-10-16 00:00:00", false, d(2024, 10, 16), ""},
		{"2024-10-16T00:00:00Z", false, d(2024, 10, 16), ""},
		{"20241016", false, d(2024, 10, 16), ""},
		{"2024-02-29", false, d(2024, 2, 29), ""},
		{"2023-02-29", false, calendar.Date{}, "invalid"},
		{"2024-02-30", false, calendar.Date{}, "invalid"},
		{"2024-13-01", false, calendar.Date{}, "invalid"},
		{"16/10/2024", false, calendar.Date{}, "invalid"},
		{"2024-10-16 午后", false, calendar.Date{}, "invalid"},
		{"明天", false, calendar.Date{}, "invalid"},
		{"2024", false, calendar.Date{}, "range"},
		{"-1", false, calendar.Date{}, "invalid"},
		{"1e9", false, calendar.Date{}, "range"},
		{"1900-01-01", false, calendar.Date{}, "range"},
	}
	for _, c := range cases {
		got, reason := parseDateCell(c.in, c.is1904)
		if got != c.want || reason != c.reason {
			t.Errorf("parseDateCell(%q, %v) = %v, %q; want %v, %q", c.in, c.is1904, got, reason, c.want, c.reason)
		}
	}
}

func TestSerials(t *testing.T) {
	for _, c := range []struct {
		serial float64
		want   string
	}{
		{1, "1900-01-01"}, {59, "1900-02-28"}, {61, "1900-03-01"}, {45581, "2024-10-16"}, {2958465, "9999-12-31"},
	} {
		got, ok := serialTime(c.serial, false)
		if !ok || got.Format(calendar.Layout) != c.want {
			t.Errorf("serialTime(%v) = %v, %v; want %s", c.serial, got, ok, c.want)
		}
	}
	if _, ok := serialTime(60, false); ok {
		t.Error("serial 60 (1900-02-29) accepted")
	}
	if s, ok := dateSerial(calendar.NewDate(2024, 10, 16)); !ok || s != 45581 {
		t.Errorf("dateSerial = %d, %v", s, ok)
	}
	if _, ok := dateSerial(calendar.NewDate(1900, 2, 28)); ok {
		t.Error("dateSerial before 1900-03-01 should refuse")
	}
	ts, _ := timeSerial(time.Date(2024, 10, 16, 18, 0, 0, 0, time.UTC))
	if ts != 45581.75 {
		t.Errorf("timeSerial = %v", ts)
	}
}

func TestIsDateFormat(t *testing.T) {
	s := func(v string) *string { return &v }
	cases := []struct {
		id     int
		custom *string
		want   bool
	}{
		{0, nil, false}, {2, nil, false}, {14, nil, true}, {22, nil, true}, {20, nil, false}, {57, nil, true},
		{164, s("yyyy-mm-dd"), true}, {164, s(`[$-804]yyyy"年"m"月"d"日"`), true}, {164, s("#,##0.00"), false},
		{164, s(`0.00"d"`), false}, {164, s("h:mm:ss"), false}, {164, s("General"), false},
	}
	for _, c := range cases {
		if got := isDateFormat(c.id, c.custom); got != c.want {
			t.Errorf("isDateFormat(%d, %v) = %v", c.id, c.custom, got)
		}
	}
}
