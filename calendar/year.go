package calendar

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"
)

// Holiday is one block of days off (放假) of a State Council notice, for
// example 国庆节 2024-10-01 to 2024-10-07. Both ends are included.
type Holiday struct {
	Name string `json:"name"`
	From Date   `json:"from"`
	To   Date   `json:"to"`
}

// MakeupDay is a Saturday or Sunday that the notice turns into a working day
// (调休上班日). For names the holiday it pays for, e.g. "国庆节".
type MakeupDay struct {
	Date Date   `json:"date"`
	For  string `json:"for"`
}

// Year is one year's holiday arrangement as published by 国务院办公厅. It is
// the unit an operator loads or corrects (DECISIONS.md D3 ⚙), and the format
// of the files under data/.
type Year struct {
	// Year is the calendar year the arrangement covers.
	Year int `json:"year"`
	// Notice cites the notice, by its 文号 where known
	// (e.g. "国办发明电〔2023〕7号"). Required when Verified is true.
	Notice string `json:"notice"`
	// Verified reports that the data were checked against the notice.
	// Unverified years are provisional (暂定), like years not loaded at all.
	Verified bool `json:"verified"`
	// Holidays are the blocks of days off.
	Holidays []Holiday `json:"holidays"`
	// Workdays are the make-up working days (调休上班日).
	Workdays []MakeupDay `json:"workdays"`
	// Note says where the data come from and anything odd about them.
	Note string `json:"note"`
}

// ParseYear decodes and validates one year's arrangement in the format of
// the files under data/. Decoding is strict: an unknown field is an error,
// because a misspelt "workday" would otherwise silently drop make-up days
// and shift every deadline. Errors are in Chinese, for the operator.
func ParseYear(b []byte) (Year, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var y Year
	if err := dec.Decode(&y); err != nil {
		return Year{}, fmt.Errorf("节假日数据格式错误：%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Year{}, errors.New("节假日数据格式错误：JSON 对象之后还有多余内容")
	}
	if err := y.Validate(); err != nil {
		return Year{}, err
	}
	return y, nil
}

// Validate checks the rules every arrangement obeys: all dates lie in the
// year, each holiday runs forward (from ≤ to), holiday blocks do not overlap,
// a make-up day is a Saturday or Sunday (a weekday is a working day anyway,
// so a weekday "make-up day" is a typing error), and no day is both off and
// on. ParseYear and New call it; it is exported so that an upload form can
// check a year before saving it.
func (y Year) Validate() error {
	if y.Year < 1900 || y.Year > 9999 {
		return fmt.Errorf("节假日数据：年份 %d 无效", y.Year)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("节假日数据（%d年）："+format, append([]any{y.Year}, args...)...)
	}
	if y.Verified && strings.TrimSpace(y.Notice) == "" {
		return bad("已核对（verified）的年份必须注明所依据的通知")
	}
	off := map[Date]string{}
	for i, h := range y.Holidays {
		if strings.TrimSpace(h.Name) == "" {
			return bad("第%d个假期缺少名称", i+1)
		}
		if h.From.IsZero() || h.To.IsZero() {
			return bad("假期“%s”缺少起止日期（from/to）", h.Name)
		}
		if h.From.Year != y.Year || h.To.Year != y.Year {
			return bad("假期“%s”的日期 %s 至 %s 不在%d年内", h.Name, h.From, h.To, y.Year)
		}
		if h.To.Before(h.From) {
			return bad("假期“%s”的结束日期 %s 早于开始日期 %s", h.Name, h.To, h.From)
		}
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			if other, dup := off[d]; dup {
				return bad("%s 同时属于假期“%s”和“%s”", d, other, h.Name)
			}
			off[d] = h.Name
		}
	}
	on := map[Date]bool{}
	for i, w := range y.Workdays {
		if w.Date.IsZero() {
			return bad("第%d个调休上班日缺少日期", i+1)
		}
		if strings.TrimSpace(w.For) == "" {
			return bad("调休上班日 %s 缺少所属节日（for）", w.Date)
		}
		if w.Date.Year != y.Year {
			return bad("调休上班日 %s 不在%d年内", w.Date, y.Year)
		}
		if wd := w.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return bad("调休上班日 %s 是%s，应为周六或周日", w.Date, weekdayName(wd))
		}
		if name, clash := off[w.Date]; clash {
			return bad("%s 既是假期“%s”又是调休上班日", w.Date, name)
		}
		if on[w.Date] {
			return bad("调休上班日 %s 重复", w.Date)
		}
		on[w.Date] = true
	}
	return nil
}

// Provisional reports whether the year's data are not yet checked against
// the State Council notice (暂定).
func (y Year) Provisional() bool { return !y.Verified }

//go:embed data/*.json
var dataFS embed.FS

// embedded parses every data/*.json file and checks that each file's name
// matches the year inside it, so that 2027.json cannot hold 2026 by mistake.
func embedded() ([]Year, error) {
	entries, err := dataFS.ReadDir("data")
	if err != nil {
		return nil, err
	}
	var ys []Year
	for _, e := range entries {
		b, err := dataFS.ReadFile(path.Join("data", e.Name()))
		if err != nil {
			return nil, err
		}
		y, err := ParseYear(b)
		if err != nil {
			return nil, fmt.Errorf("%s：%w", e.Name(), err)
		}
		if want := fmt.Sprintf("%d.json", y.Year); e.Name() != want {
			return nil, fmt.Errorf("%s：文件名应为 %s", e.Name(), want)
		}
		ys = append(ys, y)
	}
	slices.SortFunc(ys, func(a, b Year) int { return a.Year - b.Year })
	return ys, nil
}

// Embedded returns the arrangements shipped in the binary (data/*.json),
// sorted by year. It panics if they are invalid: they are part of the
// program, and a test (TestEmbedded) guards them.
func Embedded() []Year {
	ys, err := embedded()
	if err != nil {
		panic("calendar: embedded holiday data: " + err.Error())
	}
	return ys
}

// weekdayName is the Chinese name of a day of the week (周一…周日).
func weekdayName(wd time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[wd]
}
