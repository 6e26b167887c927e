package xlsx

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"gengxin/calendar"
)

// MaxFileBytes is the largest workbook ParseImport and ReadTable accept. A
// 20,000-row import is about 3 MB; the margin covers heavy formatting.
const MaxFileBytes = 32 << 20

// maxUnzipBytes bounds the uncompressed size of a workbook (zip bomb guard).
const maxUnzipBytes = 512 << 20

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
)

// openWorkbook reads r whole (at most MaxFileBytes) and opens it as a
// workbook. Every problem with the content is a *FileError; only a failing
// reader gives another error.
func openWorkbook(r io.Reader) (*excelize.File, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("xlsx: read upload: %w", err)
	}
	switch {
	case len(b) == 0:
		return nil, fileError(nil, "上传的文件是空的，请选择填写好的 Excel 工作簿（.xlsx）")
	case len(b) > MaxFileBytes:
		return nil, fileError(nil, fmt.Sprintf("文件超过 %d MB 上限，请分批导入", MaxFileBytes>>20))
	case bytes.HasPrefix(b, []byte("%PDF")):
		return nil, fileError(nil, "上传的是 PDF 文件，不是 Excel 工作簿（.xlsx），请使用系统提供的导入模板")
	case bytes.HasPrefix(b, oleMagic):
		return nil, fileError(nil, "上传的是旧版 Excel（.xls）或设有密码的工作簿，请在 Excel 中“另存为”Excel 工作簿（.xlsx）且不设密码后再上传")
	case !bytes.HasPrefix(b, zipMagic):
		return nil, fileError(nil, "上传的文件不是 Excel 工作簿（.xlsx），请使用系统提供的导入模板")
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: maxUnzipBytes})
	if err != nil {
		return nil, fileError(err, "无法读取该 Excel 工作簿（.xlsx），文件可能已损坏或不是 Excel 格式")
	}
	if len(f.GetSheetList()) == 0 {
		_ = f.Close()
		return nil, fileError(nil, "该文件中没有工作表，不是有效的 Excel 工作簿（.xlsx）")
	}
	return f, nil
}

// date1904 reports whether the workbook counts dates from 1904 (old Mac Excel).
func date1904(f *excelize.File) bool {
	p, err := f.GetWorkbookProps()
	return err == nil && p.Date1904 != nil && *p.Date1904
}

// Excel serial day numbers. In the 1900 system serial 1 is 1900-01-01 and
// serial 60 is the non-existent 1900-02-29 (a Lotus 1-2-3 bug Excel keeps),
// so from 1900-03-01 on the serial counts days since 1899-12-30.
var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	firstOK   = calendar.NewDate(1900, time.March, 1)
)

// maxSerial is 9999-12-31, the last day Excel can show.
const maxSerial = 2958465

// dateSerial returns the 1900-system serial of d; ok is false before
// 1900-03-01, where serials are ambiguous (write those as text).
func dateSerial(d calendar.Date) (serial int, ok bool) {
	if d.Before(firstOK) {
		return 0, false
	}
	return int(d.Time().Sub(epoch1900).Hours() / 24), true
}

// timeSerial returns the 1900-system serial of the wall clock of t.
func timeSerial(t time.Time) (float64, bool) {
	y, m, d := t.Date()
	day, ok := dateSerial(calendar.NewDate(y, m, d))
	if !ok {
		return 0, false
	}
	secs := t.Hour()*3600 + t.Minute()*60 + t.Second()
	return float64(day) + float64(secs)/86400, true
}

// serialTime converts an Excel serial to a wall-clock time in UTC, rounded to
// the second; ok is false for a negative, non-finite or too large serial and
// for the fake 1900-02-29.
func serialTime(v float64, is1904 bool) (time.Time, bool) {
	if math.IsNaN(v) || v < 0 || v > maxSerial+1 {
		return time.Time{}, false
	}
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	if secs >= 86400 {
		days, secs = days+1, 0
	}
	base := epoch1900
	switch {
	case is1904:
		base = epoch1904
	case days == 60:
		return time.Time{}, false
	case days < 60:
		base = base.AddDate(0, 0, 1)
	}
	return base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), true
}

// isNumber reports whether a raw cell value is a plain number as Excel stores
// it (digits, optional sign, fraction and exponent).
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && !strings.ContainsAny(s, "xXnNiI_") // no hex, NaN, Inf, 1_000
}

// cleanText trims spaces (including the ideographic space, NBSP, zero-width
// space and BOM that pasted text carries) and normalises line ends.
func cleanText(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
	})
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return s
}

// halfWidth maps the full-width digits and punctuation of Chinese input
// methods that occur in numbers and dates to ASCII.
var halfWidth = strings.NewReplacer(
	"０", "0", "１", "1", "２", "2", "３", "3", "４", "4",
	"５", "5", "６", "6", "７", "7", "８", "8", "９", "9",
	"．", ".", "，", ",", "－", "-", "／", "/", "：", ":", "　", " ",
)

// moneyDecimals is the precision kept for 资金匡算(万元): 0.000001 万元 = 0.01 元.
const moneyDecimals = 6

// parseMoney normalises an amount in 万元: a plain or exponent number as Excel
// stores it, or text such as "1,200.50", "１２００" or "1200万元". Thousands
// separators go, the digits typed stay ("1200.50" stays "1200.50"); more than
// moneyDecimals decimals (a computed cell such as 1000/3) are rounded.
// reason is "" on success, otherwise "invalid" or "negative".
func parseMoney(s string) (norm string, reason string) {
	s = strings.TrimSpace(halfWidth.Replace(s))
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "万元"), "万"))
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if groupedDecimal(s) {
		s = strings.ReplaceAll(s, ",", "")
	}
	if plainDecimal(s) {
		intPart, frac, _ := strings.Cut(s, ".")
		if len(frac) > moneyDecimals {
			var ok bool
			if s, ok = roundMoney(s); !ok {
				return "", "invalid"
			}
		} else {
			intPart = strings.TrimLeft(intPart, "0")
			if intPart == "" {
				intPart = "0"
			}
			if frac != "" {
				s = intPart + "." + frac
			} else {
				s = intPart
			}
		}
	} else if strings.ContainsAny(s, "eE") && isNumber(s) {
		var ok bool // 1.2E+3: how Excel stores very large or tiny numbers
		if s, ok = roundMoney(s); !ok {
			return "", "invalid"
		}
	} else {
		return "", "invalid"
	}
	if neg && strings.Trim(s, "0.") != "" {
		return "", "negative"
	}
	return s, ""
}

// roundMoney rounds a non-negative number to moneyDecimals decimals and drops
// the trailing zeros; ok is false when s is not a finite number.
func roundMoney(s string) (string, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) || v < 0 {
		return "", false
	}
	out := strconv.FormatFloat(v, 'f', moneyDecimals, 64)
	return strings.TrimRight(strings.TrimRight(out, "0"), "."), true
}

// plainDecimal matches ^[0-9]+(\.[0-9]+)?$.
func plainDecimal(s string) bool {
	intPart, frac, hasDot := strings.Cut(s, ".")
	return allDigits(intPart) && (!hasDot || allDigits(frac))
}

// groupedDecimal matches ^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$.
func groupedDecimal(s string) bool {
	intPart, frac, hasDot := strings.Cut(s, ".")
	if hasDot && !allDigits(frac) {
		return false
	}
	groups := strings.Split(intPart, ",")
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Plausible years for an approval date; a serial outside them is almost
// always a typo (2024 typed as a number reads as 1905-07-16).
const (
	minYear = 1949
	maxYear = 2099
)

// parseDateCell reads a date from a raw cell value: an Excel serial (a real
// date cell), YYYYMMDD typed as a number, or text YYYY-MM-DD, YYYY/MM/DD,
// YYYY.MM.DD or YYYY年MM月DD日 (month and day may have one digit; a time of
// day after a space or "T" is ignored). reason is "" on success, "invalid"
// or "range".
func parseDateCell(raw string, is1904 bool) (calendar.Date, string) {
	s := strings.TrimSpace(halfWidth.Replace(raw))
	if isNumber(s) && !strings.ContainsAny(s, "-") {
		if len(s) == 8 && allDigits(s) {
			if d, ok := ymd(s[:4], s[4:6], s[6:]); ok {
				return checkYear(d)
			}
		}
		v, _ := strconv.ParseFloat(s, 64)
		t, ok := serialTime(v, is1904)
		if !ok {
			return calendar.Date{}, "range"
		}
		return checkYear(calendar.DateOf(t))
	}
	if i := strings.IndexAny(s, " T"); i > 0 {
		if !isClock(strings.TrimSpace(s[i+1:])) {
			return calendar.Date{}, "invalid"
		}
		s = s[:i]
	}
	s = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(s)
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return calendar.Date{}, "invalid"
	}
	d, ok := ymd(parts[0], parts[1], parts[2])
	if !ok {
		return calendar.Date{}, "invalid"
	}
	return checkYear(d)
}

func checkYear(d calendar.Date) (calendar.Date, string) {
	if d.Year < minYear || d.Year > maxYear {
		return calendar.Date{}, "range"
	}
	return d, ""
}

// ymd builds a date strictly: 2024-02-30 is not a date.
func ymd(y, m, d string) (calendar.Date, bool) {
	if !allDigits(y) || !allDigits(m) || !allDigits(d) {
		return calendar.Date{}, false
	}
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return calendar.Date{}, false
	}
	date := calendar.NewDate(yi, time.Month(mi), di)
	if date.Year != yi || int(date.Month) != mi || date.Day != di {
		return calendar.Date{}, false
	}
	return date, true
}

// isClock matches a time of day such as 00:00, 00:00:00, 00:00:00Z or
// 00:00:00.000.
func isClock(s string) bool {
	s = strings.TrimSuffix(s, "Z")
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if !allDigits(s[i+1:]) {
			return false
		}
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if len(p) < 1 || len(p) > 2 || !allDigits(p) {
			return false
		}
	}
	return true
}

// isDateFormat reports whether an Excel number format shows a date: a
// built-in date format id, or a custom code with a year or day token outside
// quoted text, escapes and [..] sections. Time-only formats are not dates.
func isDateFormat(id int, custom *string) bool {
	if custom == nil || *custom == "" {
		switch {
		case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id >= 34 && id <= 36, id >= 50 && id <= 58:
			return true
		}
		return false
	}
	code := *custom
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
		case '[':
			j := strings.IndexByte(code[i+1:], ']')
			if j < 0 {
				i = len(code)
			} else {
				i += j + 1
			}
		case '\\', '_', '*':
			i++
		default:
			b.WriteByte(c)
		}
	}
	low := strings.ToLower(b.String())
	return strings.ContainsAny(low, "yd") && !strings.Contains(low, "general")
}

// ellipsis shortens a cell value quoted in a message.
func ellipsis(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}
