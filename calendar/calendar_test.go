package calendar

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func d(s string) Date { return MustParseDate(s) }

func dates(ss ...string) []Date {
	var out []Date
	for _, s := range ss {
		out = append(out, d(s))
	}
	return out
}

// TestEmbedded guards the data shipped in the binary: Default panics if it
// is bad.
func TestEmbedded(t *testing.T) {
	ys, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, y := range ys {
		got = append(got, y.Year)
	}
	if want := []int{2024, 2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Fatalf("embedded years = %v, want %v", got, want)
	}
	notices := map[int]string{2024: "国办发明电〔2023〕7号", 2025: "国办发明电〔2024〕12号"}
	for _, y := range ys {
		if want, ok := notices[y.Year]; ok && y.Notice != want {
			t.Errorf("%d notice = %q, want %q", y.Year, y.Notice, want)
		}
		if wantVerified := y.Year <= 2026; y.Verified != wantVerified {
			t.Errorf("%d verified = %v, want %v", y.Year, y.Verified, wantVerified)
		}
	}
	if y := ys[3]; y.Note != "取自公开数据，尚未与国务院办公厅通知核对" {
		t.Errorf("2027 note = %q", y.Note)
	}
	c := Default()
	if c.LastYear() != 2027 || c.LastVerifiedYear() != 2026 {
		t.Errorf("LastYear = %d, LastVerifiedYear = %d", c.LastYear(), c.LastVerifiedYear())
	}
	// A year must round-trip through its own JSON format.
	b, err := json.Marshal(ys[0])
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseYear(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Year != 2024 || len(back.Holidays) != 7 || len(back.Workdays) != 8 || back.Workdays[4].Date != d("2024-05-11") {
		t.Errorf("round trip: %+v", back)
	}
}

// TestRulesSection0 checks the 2024 and 2025 data day by day against the
// lists of RULES.md §0.
func TestRulesSection0(t *testing.T) {
	c := Default()
	ranges := [][2]string{
		{"2024-01-01", "2024-01-01"}, {"2024-02-10", "2024-02-17"}, {"2024-04-04", "2024-04-06"},
		{"2024-05-01", "2024-05-05"}, {"2024-06-10", "2024-06-10"}, {"2024-09-15", "2024-09-17"},
		{"2024-10-01", "2024-10-07"},
		{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
		{"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
	}
	off := map[Date]bool{}
	for _, r := range ranges {
		for x := d(r[0]); !x.After(d(r[1])); x = x.AddDays(1) {
			off[x] = true
		}
	}
	on := map[Date]bool{}
	for _, x := range dates("2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11",
		"2024-09-14", "2024-09-29", "2024-10-12",
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11") {
		on[x] = true
	}
	for x := d("2024-01-01"); x.Year <= 2025; x = x.AddDays(1) {
		wd := x.Weekday()
		want := (wd != time.Saturday && wd != time.Sunday && !off[x]) || on[x]
		if got := c.IsWorkday(x); got != want {
			t.Errorf("IsWorkday(%s %s) = %v, want %v", x, wd, got, want)
		}
	}
}

func TestAddWorkdays(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		start string
		n     int
		want  string
	}{
		{"T01/joint-review-10WD", "2024-09-27", 10, "2024-10-16"},
		{"T01/entry-notice-30WD", "2024-09-27", 30, "2024-11-13"},
		{"T03/joint-review-10WD-makeup-Sat-0511", "2024-05-10", 10, "2024-05-23"},
		{"T03/entry-notice-30WD-skips-0610", "2024-05-10", 30, "2024-06-21"},
		{"T05/joint-review-10WD-skips-2025-0101", "2024-12-20", 10, "2025-01-06"},
		{"T05/entry-notice-30WD-ends-on-makeup-Sat", "2024-12-20", 30, "2025-02-08"},
		{"D4/received-2024-10-08-10WD", "2024-10-08", 10, "2024-10-21"},
		{"D4/received-2024-10-08-30WD", "2024-10-08", 30, "2024-11-18"},
		{"T25/publicity-15WD", "2024-09-25", 15, "2024-10-21"},
		{"D1/start-day-never-counts-1WD", "2024-10-16", 1, "2024-10-17"},
		{"D3/Fri-to-Mon", "2024-10-18", 1, "2024-10-21"},
		{"D3/from-a-holiday", "2024-10-03", 1, "2024-10-08"},
		{"D3/2026-new-year-makeup-Sun-0104", "2025-12-31", 1, "2026-01-04"},
		{"D3/2026-spring-festival", "2026-02-13", 1, "2026-02-14"},
		{"D3/2026-spring-festival-off", "2026-02-14", 1, "2026-02-24"},
		{"D3/2026-national-day", "2026-09-30", 1, "2026-10-08"},
		{"D3/beyond-loaded-years-weekends-only", "2027-12-31", 1, "2028-01-03"},
		{"D3/beyond-loaded-years-2028-1001-counts", "2028-09-29", 1, "2028-10-02"},
		{"D3/before-loaded-years", "2023-12-29", 1, "2024-01-02"},
		{"D3/before-loaded-years-weekdays", "2023-06-01", 2, "2023-06-05"},
		{"n-0-returns-start", "2024-10-05", 0, "2024-10-05"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.AddWorkdays(d(tc.start), tc.n); got != d(tc.want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tc.start, tc.n, got, tc.want)
			}
		})
	}
}

func counted(tr Trace) []Date {
	var out []Date
	for _, td := range tr.Days {
		if td.Counted {
			out = append(out, td.Date)
		}
	}
	return out
}

func TestExplain(t *testing.T) {
	c := Default()
	t.Run("T01/counted-days", func(t *testing.T) {
		tr := c.Explain(d("2024-09-27"), 10)
		want := dates("2024-09-29", "2024-09-30", "2024-10-08", "2024-10-09", "2024-10-10",
			"2024-10-11", "2024-10-12", "2024-10-14", "2024-10-15", "2024-10-16")
		if got := counted(tr); !slices.Equal(got, want) {
			t.Errorf("counted = %v, want %v", got, want)
		}
		if tr.Due != d("2024-10-16") || tr.N != 10 || tr.Provisional {
			t.Errorf("trace = %+v", tr)
		}
		if len(tr.Days) != 19 || tr.Days[0].Date != d("2024-09-28") {
			t.Errorf("days = %d, first %s; want 19 from 2024-09-28", len(tr.Days), tr.Days[0].Date)
		}
		labels := map[string]string{
			"2024-09-28": "周六",
			"2024-09-29": "调休上班日（国庆节）",
			"2024-09-30": "工作日",
			"2024-10-01": "法定节假日（国庆节）",
			"2024-10-05": "法定节假日（国庆节）",
			"2024-10-12": "调休上班日（国庆节）",
			"2024-10-13": "周日",
		}
		for _, td := range tr.Days {
			if want, ok := labels[td.Date.String()]; ok && td.Label != want {
				t.Errorf("%s label = %q, want %q", td.Date, td.Label, want)
			}
			if td.Counted != td.Kind.IsWorking() || (td.Ordinal > 0) != td.Counted {
				t.Errorf("%s inconsistent: %+v", td.Date, td)
			}
		}
		if last := tr.Days[len(tr.Days)-1]; last.Ordinal != 10 || !last.Counted {
			t.Errorf("last day = %+v", last)
		}
		if want := []string{"2024年：国办发明电〔2023〕7号"}; !slices.Equal(tr.Notices, want) {
			t.Errorf("notices = %q, want %q", tr.Notices, want)
		}
	})
	t.Run("T25/counted-days", func(t *testing.T) {
		want := dates("2024-09-26", "2024-09-27", "2024-09-29", "2024-09-30", "2024-10-08",
			"2024-10-09", "2024-10-10", "2024-10-11", "2024-10-12", "2024-10-14", "2024-10-15",
			"2024-10-16", "2024-10-17", "2024-10-18", "2024-10-21")
		if got := counted(c.Explain(d("2024-09-25"), 15)); !slices.Equal(got, want) {
			t.Errorf("counted = %v, want %v", got, want)
		}
	})
	t.Run("T05/two-notices", func(t *testing.T) {
		tr := c.Explain(d("2024-12-20"), 30)
		want := []string{"2024年：国办发明电〔2023〕7号", "2025年：国办发明电〔2024〕12号"}
		if !slices.Equal(tr.Notices, want) || tr.Provisional {
			t.Errorf("notices = %q provisional = %v", tr.Notices, tr.Provisional)
		}
		if last := tr.Days[len(tr.Days)-1]; last.Label != "调休上班日（春节）" {
			t.Errorf("last label = %q", last.Label)
		}
	})
	t.Run("D3/provisional-2027-unverified", func(t *testing.T) {
		tr := c.Explain(d("2026-12-25"), 10)
		if !tr.Provisional || len(tr.Notices) != 3 || !strings.Contains(tr.Notices[2], "暂定") ||
			!strings.HasPrefix(tr.Notices[0], "2026年：国务院办公厅关于2026年部分节假日安排的通知") {
			t.Errorf("trace notices = %q provisional = %v", tr.Notices, tr.Provisional)
		}
	})
	t.Run("D3/provisional-2028-not-loaded", func(t *testing.T) {
		tr := c.Explain(d("2028-03-01"), 5)
		if !tr.Provisional || len(tr.Notices) != 2 || !strings.Contains(tr.Notices[1], "尚未载入") {
			t.Errorf("trace notices = %q provisional = %v", tr.Notices, tr.Provisional)
		}
	})
	t.Run("n-0", func(t *testing.T) {
		if tr := c.Explain(d("2024-10-05"), 0); tr.Due != d("2024-10-05") || len(tr.Days) != 0 {
			t.Errorf("trace = %+v", tr)
		}
	})
	t.Run("json", func(t *testing.T) {
		b, err := json.Marshal(c.Explain(d("2024-09-28"), 1))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `"kind":"makeup"`) || !strings.Contains(string(b), `"date":"2024-09-29"`) {
			t.Errorf("json = %s", b)
		}
	})
}

func TestReceiptDate(t *testing.T) {
	c := Default()
	for _, tc := range []struct{ name, filed, want string }{
		{"D4/filed-Sat-2024-10-05", "2024-10-05", "2024-10-08"},
		{"D4/filed-Fri-2024-09-27-working-day", "2024-09-27", "2024-09-27"},
		{"D4/filed-makeup-Sun-2024-09-29", "2024-09-29", "2024-09-29"},
		{"D4/filed-Sun-2024-10-13", "2024-10-13", "2024-10-14"},
		{"D4/filed-holiday-2025-01-01", "2025-01-01", "2025-01-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.ReceiptDate(d(tc.filed)); got != d(tc.want) {
				t.Errorf("ReceiptDate(%s) = %s, want %s", tc.filed, got, tc.want)
			}
		})
	}
	t.Run("D4/filed-Sat-2024-10-05-clocks", func(t *testing.T) {
		r := c.ReceiptDate(d("2024-10-05"))
		if got := c.AddWorkdays(r, 10); got != d("2024-10-21") {
			t.Errorf("joint review due %s, want 2024-10-21", got)
		}
		if got := c.AddWorkdays(r, 30); got != d("2024-11-18") {
			t.Errorf("entry notice due %s, want 2024-11-18", got)
		}
	})
}

func TestCalendarDaysEnd(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		name  string
		start string
		n     int
		want  string
	}{
		{"D2/T35/posted-2024-09-30-7d-ends-on-holiday", "2024-09-30", 7, "2024-10-08"},
		{"D2/T35/posted-2024-07-01-7d", "2024-07-01", 7, "2024-07-08"},
		{"D2/ends-on-Sat-moves-to-Mon", "2024-07-06", 7, "2024-07-15"},
		{"D2/ends-on-makeup-Sat-stays", "2024-10-05", 7, "2024-10-12"},
		{"D2/n-0", "2024-07-01", 0, "2024-07-01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.CalendarDaysEnd(d(tc.start), tc.n); got != d(tc.want) {
				t.Errorf("CalendarDaysEnd(%s, %d) = %s, want %s", tc.start, tc.n, got, tc.want)
			}
		})
	}
}

func TestAddYearsMonths(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  Date
		want string
	}{
		{"D1/T11/accepted-2025-03-20-plus-1y", AddYears(d("2025-03-20"), 1), "2026-03-20"},
		{"D1/T37/term-2024-06-01-plus-3y", AddYears(d("2024-06-01"), 3), "2027-06-01"},
		{"D1/leap-day-plus-1y-month-end", AddYears(d("2024-02-29"), 1), "2025-02-28"},
		{"D1/leap-day-plus-4y", AddYears(d("2024-02-29"), 4), "2028-02-29"},
		{"D1/jan-31-plus-1m-leap", AddMonths(d("2024-01-31"), 1), "2024-02-29"},
		{"D1/jan-31-plus-1m", AddMonths(d("2025-01-31"), 1), "2025-02-28"},
		{"D1/aug-31-plus-1m", AddMonths(d("2024-08-31"), 1), "2024-09-30"},
		{"D1/nov-30-plus-2m", AddMonths(d("2024-11-30"), 2), "2025-01-30"},
		{"D1/dec-plus-1m", AddMonths(d("2024-12-15"), 1), "2025-01-15"},
		{"D1/minus-1m", AddMonths(d("2024-03-31"), -1), "2024-02-29"},
		{"D1/minus-13m", AddMonths(d("2024-01-15"), -13), "2022-12-15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != d(tc.want) {
				t.Errorf("got %s, want %s", tc.got, tc.want)
			}
		})
	}
	t.Run("D1/T11/auto-exit-day-after", func(t *testing.T) {
		if got := AddYears(d("2025-03-20"), 1).AddDays(1); got != d("2026-03-21") {
			t.Errorf("auto-exit %s, want 2026-03-21", got)
		}
	})
}

func TestDayKind2026Notice(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		date string
		kind DayKind
		name string
	}{
		{"2026-01-01", StatutoryHoliday, "元旦"},
		{"2026-01-03", StatutoryHoliday, "元旦"},
		{"2026-01-04", MakeupWorkday, "元旦"}, // a working Sunday
		{"2026-02-14", MakeupWorkday, "春节"}, // Saturday works
		{"2026-02-15", StatutoryHoliday, "春节"},
		{"2026-02-23", StatutoryHoliday, "春节"},
		{"2026-02-24", Workday, ""},
		{"2026-02-28", MakeupWorkday, "春节"},
		{"2026-04-06", StatutoryHoliday, "清明节"},
		{"2026-05-05", StatutoryHoliday, "劳动节"},
		{"2026-05-09", MakeupWorkday, "劳动节"},
		{"2026-06-19", StatutoryHoliday, "端午节"},
		{"2026-09-20", MakeupWorkday, "国庆节"},
		{"2026-09-25", StatutoryHoliday, "中秋节"},
		{"2026-10-07", StatutoryHoliday, "国庆节"},
		{"2026-10-08", Workday, ""}, // Thursday after 10/1–7
		{"2026-10-10", MakeupWorkday, "国庆节"},
		{"2026-10-11", Weekend, ""},
		{"2028-01-01", Weekend, ""},
		{"2028-10-02", Workday, ""}, // not loaded: weekdays only
	} {
		t.Run("D3/2026-notice/"+tc.date, func(t *testing.T) {
			k, name := c.DayKind(d(tc.date))
			if k != tc.kind || name != tc.name {
				t.Errorf("DayKind(%s) = %v %q, want %v %q", tc.date, k, name, tc.kind, tc.name)
			}
			if c.IsWorkday(d(tc.date)) != tc.kind.IsWorking() {
				t.Errorf("IsWorkday(%s) disagrees with DayKind", tc.date)
			}
		})
	}
}

// TestBetweenInverse checks the property Between(s, AddWorkdays(s, n)) == n,
// and AddWorkdays against a plain day-by-day count, for every start day of
// 2023–2028 (inside, before and after the loaded years) and many n.
func TestBetweenInverse(t *testing.T) {
	c := Default()
	naive := func(s Date, n int) Date {
		x := s
		for n > 0 {
			x = x.AddDays(1)
			if c.IsWorkday(x) {
				n--
			}
		}
		return x
	}
	for s := d("2023-01-01"); s.Year <= 2028; s = s.AddDays(1) {
		for _, n := range []int{1, 2, 5, 10, 15, 30, 61, 250} {
			due := c.AddWorkdays(s, n)
			if got := c.Between(s, due); got != n {
				t.Fatalf("Between(%s, AddWorkdays(%s, %d) = %s) = %d", s, s, n, due, got)
			}
			if !c.IsWorkday(due) {
				t.Fatalf("AddWorkdays(%s, %d) = %s is not a working day", s, n, due)
			}
			if n <= 30 {
				if want := naive(s, n); due != want {
					t.Fatalf("AddWorkdays(%s, %d) = %s, naive %s", s, n, due, want)
				}
			}
			if c.Between(due, s) != 0 || c.Between(s, s) != 0 {
				t.Fatalf("Between backwards not 0 at %s", s)
			}
		}
	}
	if got := c.Between(d("2024-09-27"), d("2024-10-16")); got != 10 {
		t.Errorf("T01 Between = %d, want 10", got)
	}
	// An empty calendar counts Monday–Friday everywhere.
	empty, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if got := empty.AddWorkdays(d("2024-09-27"), 10); got != d("2024-10-11") {
		t.Errorf("empty calendar: %s, want 2024-10-11", got)
	}
	if got := empty.Between(d("2024-09-27"), d("2024-10-11")); got != 10 {
		t.Errorf("empty calendar Between: %d", got)
	}
}

func TestDayNumber(t *testing.T) {
	for x := d("1899-12-25"); x.Year < 2101; x = x.AddDays(1) {
		dn := dayNumber(x)
		if want := int(x.Time().Unix() / 86400); dn != want && x.Year >= 1970 {
			t.Fatalf("dayNumber(%s) = %d, want %d", x, dn, want)
		}
		if back := dateOf(dn); back != x {
			t.Fatalf("dateOf(dayNumber(%s)) = %s", x, back)
		}
		wantKind := Workday
		if wd := x.Weekday(); wd == time.Saturday || wd == time.Sunday {
			wantKind = Weekend
		}
		if weekdayKind(dn) != wantKind {
			t.Fatalf("weekdayKind(%s) wrong", x)
		}
	}
}

func TestProvisional(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		date string
		want bool
	}{
		{"2023-12-31", true}, // not loaded
		{"2024-10-08", false},
		{"2025-06-30", false},
		{"2026-12-31", false},
		{"2027-01-04", true}, // loaded, unverified
		{"2028-03-01", true}, // not loaded
	} {
		t.Run("D3/provisional/"+tc.date, func(t *testing.T) {
			if got := c.Provisional(d(tc.date)); got != tc.want {
				t.Errorf("Provisional(%s) = %v, want %v", tc.date, got, tc.want)
			}
		})
	}
}

func TestMissingNextYear(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		today string
		want  bool
	}{
		{"2026-11-01", false}, // 2027 loaded (unverified)
		{"2027-10-31", false},
		{"2027-11-01", true},
		{"2027-12-31", true},
	} {
		t.Run("D3/november-warning/"+tc.today, func(t *testing.T) {
			if got := c.MissingNextYear(d(tc.today)); got != tc.want {
				t.Errorf("MissingNextYear(%s) = %v, want %v", tc.today, got, tc.want)
			}
		})
	}
	if w := c.Warnings(d("2027-11-01")); len(w) != 2 || !strings.Contains(w[0], "2028") {
		t.Errorf("Warnings(2027-11-01) = %q", w)
	}
	if w := c.Warnings(d("2025-06-01")); len(w) != 0 {
		t.Errorf("Warnings(2025-06-01) = %q", w)
	}
}

func TestParseYearRejects(t *testing.T) {
	const good = `{"year":2024,"notice":"N","verified":true,
		"holidays":[{"name":"国庆节","from":"2024-10-01","to":"2024-10-07"}],
		"workdays":[{"date":"2024-10-12","for":"国庆节"}],"note":""}`
	if _, err := ParseYear([]byte(good)); err != nil {
		t.Fatalf("good data rejected: %v", err)
	}
	for _, tc := range []struct{ name, json, want string }{
		{"unknown-field", `{"year":2024,"notice":"N","verified":true,"holidays":[],"workday":[],"note":""}`, "workday"},
		{"unknown-nested-field", `{"year":2024,"notice":"N","verified":true,"holidays":[{"name":"x","from":"2024-10-01","to":"2024-10-01","days":1}]}`, "days"},
		{"trailing-data", good + `{}`, "多余"},
		{"not-json", `year: 2024`, "格式错误"},
		{"missing-year", `{"notice":"N","verified":true}`, "年份"},
		{"bad-date", `{"year":2024,"holidays":[{"name":"x","from":"2024-02-30","to":"2024-03-01"}]}`, "2024-02-30"},
		{"holiday-outside-year", `{"year":2024,"holidays":[{"name":"元旦","from":"2025-01-01","to":"2025-01-01"}]}`, "不在2024年内"},
		{"from-after-to", `{"year":2024,"holidays":[{"name":"国庆节","from":"2024-10-07","to":"2024-10-01"}]}`, "早于"},
		{"missing-to", `{"year":2024,"holidays":[{"name":"国庆节","from":"2024-10-01"}]}`, "缺少起止日期"},
		{"missing-name", `{"year":2024,"holidays":[{"from":"2024-10-01","to":"2024-10-01"}]}`, "缺少名称"},
		{"overlap", `{"year":2024,"holidays":[{"name":"a","from":"2024-10-01","to":"2024-10-03"},{"name":"b","from":"2024-10-03","to":"2024-10-04"}]}`, "同时属于"},
		{"makeup-on-weekday", `{"year":2024,"workdays":[{"date":"2024-10-08","for":"国庆节"}]}`, "应为周六或周日"},
		{"makeup-outside-year", `{"year":2024,"workdays":[{"date":"2023-12-30","for":"元旦"}]}`, "不在2024年内"},
		{"makeup-inside-holiday", `{"year":2024,"holidays":[{"name":"国庆节","from":"2024-10-01","to":"2024-10-07"}],"workdays":[{"date":"2024-10-05","for":"国庆节"}]}`, "既是假期"},
		{"makeup-duplicate", `{"year":2024,"workdays":[{"date":"2024-10-12","for":"国庆节"},{"date":"2024-10-12","for":"国庆节"}]}`, "重复"},
		{"makeup-missing-for", `{"year":2024,"workdays":[{"date":"2024-10-12"}]}`, "缺少所属节日"},
		{"verified-without-notice", `{"year":2024,"verified":true}`, "通知"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseYear([]byte(tc.json))
			if err == nil {
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestNewReplacesYear(t *testing.T) {
	// An operator corrects 2024: suppose 10-12 was wrongly listed as a make-up day.
	fixed, err := ParseYear([]byte(`{"year":2024,"notice":"更正","verified":true,
		"holidays":[{"name":"国庆节","from":"2024-10-01","to":"2024-10-07"}],"workdays":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(append(Embedded(), fixed)...)
	if err != nil {
		t.Fatal(err)
	}
	if k, _ := c.DayKind(d("2024-10-12")); k != Weekend {
		t.Errorf("2024-10-12 after correction = %v, want 休息日", k)
	}
	if y, _ := c.Year(2024); y.Notice != "更正" || len(c.Years()) != 4 {
		t.Errorf("year 2024 not replaced: %+v, %d years", y, len(c.Years()))
	}
	if got := c.AddWorkdays(d("2024-09-27"), 10); got != d("2024-10-18") { // no make-up days left
		t.Errorf("after correction T01 due %s, want 2024-10-18", got)
	}
	if !Default().IsWorkday(d("2024-10-12")) {
		t.Error("Default changed")
	}
	// Loading a new year extends the table, and a bad Year is refused.
	y2028 := Year{Year: 2028, Notice: "测试", Verified: true,
		Holidays: []Holiday{{Name: "元旦", From: d("2028-01-03"), To: d("2028-01-03")}}}
	c, err = New(append(Embedded(), y2028)...)
	if err != nil {
		t.Fatal(err)
	}
	if c.LastYear() != 2028 || c.IsWorkday(d("2028-01-03")) || c.Provisional(d("2028-01-03")) {
		t.Error("2028 not loaded")
	}
	if _, err := New(Year{Year: 2028, Workdays: []MakeupDay{{Date: d("2028-01-03"), For: "x"}}}); err == nil {
		t.Error("New accepted a weekday make-up day")
	}
}

func TestDayKindLabels(t *testing.T) {
	for k, want := range map[DayKind]string{Workday: "工作日", Weekend: "休息日", StatutoryHoliday: "法定节假日", MakeupWorkday: "调休上班日", 0: "未知"} {
		if k.Label() != want || k.String() != want {
			t.Errorf("%d label = %q, want %q", k, k.Label(), want)
		}
	}
}

func BenchmarkAddWorkdays(b *testing.B) {
	c := Default()
	starts := make([]Date, 0, 1500)
	for s := d("2023-06-01"); s.Before(d("2027-07-01")); s = s.AddDays(1) {
		starts = append(starts, s)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := starts[i%len(starts)]
		_ = c.AddWorkdays(s, 10+i%30)
		i++
	}
}
