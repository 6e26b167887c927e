package document

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// monoMeasure gives every rune outside ASCII width 2 and ASCII width 1, like
// a monospaced CJK font.
func monoMeasure(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w++
		} else {
			w += 2
		}
	}
	return w
}

func checkWrap(t *testing.T, text string, width float64, lines []string, rules bool) {
	t.Helper()
	if got := strings.Join(lines, ""); got != strings.ReplaceAll(text, "\n", "") {
		t.Errorf("characters lost:\n got %q\nwant %q", got, text)
	}
	for i, l := range lines {
		if w := monoMeasure(strings.TrimRight(l, " ")); w > width && utf8.RuneCountInString(l) > 1 {
			t.Errorf("line %d %q is %.0f wide, limit %.0f", i, l, w, width)
		}
		if i > 0 && rules {
			if r, _ := utf8.DecodeRuneInString(l); strings.ContainsRune("，。、；：？！）》」", r) {
				t.Errorf("line %d %q starts with %q", i, l, r)
			}
		}
		if i < len(lines)-1 && rules {
			if r, _ := utf8.DecodeLastRuneInString(l); strings.ContainsRune("《（「", r) {
				t.Errorf("line %d %q ends with %q", i, l, r)
			}
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string // nil: only the invariants are checked
	}{
		{"fits", "储备项目库", 20, []string{"储备项目库"}},
		{"empty", "", 10, []string{""}},
		{"plain", "一二三四五六七", 6, []string{"一二三", "四五六", "七"}},
		// "，" would start line 2: "三" moves down with it.
		{"comma-not-first", "一二三，四五", 6, []string{"一二", "三，四", "五"}},
		// "《" would end line 1: it moves down.
		{"open-title-not-last", "一二《三四", 6, []string{"一二", "《三四"}},
		{"word-broken-keeps-rules", "（2024）", 4, []string{"（20", "24）"}},
		{"closing-chain", "一二三。」四", 6, []string{"一二", "三。」", "四"}},
		{"latin-word-kept", "项目abcdef号", 8, []string{"项目", "abcdef号"}},
		{"number-kept", "第2024001号", 8, []string{"第", "2024001", "号"}},
		{"space-hangs", "ab cd ef", 5, []string{"ab cd ", "ef"}},
		{"long-word-split", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"char-wider-than-line", "一二", 1, []string{"一", "二"}},
		{"newline", "一二\n三", 10, []string{"一二", "三"}},
		{"rules-give-way", "《《《《《", 4, nil},
		{"citation", "依据：京建法〔2024〕2号 第十条(三)、第十二条、第十三条", 14, nil},
		{"url", "可在 https://gengxin.example.gov.cn/verify 输入验证码核验本文书真伪", 20, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := Wrap(monoMeasure, tt.text, tt.width)
			checkWrap(t, tt.text, tt.width, lines, tt.name != "rules-give-way")
			if tt.want != nil && strings.Join(lines, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Wrap(%q, %v) = %q, want %q", tt.text, tt.width, lines, tt.want)
			}
		})
	}
}

// TestWrapInvariants wraps a long punctuated paragraph at every width.
func TestWrapInvariants(t *testing.T) {
	text := "根据《北京市城市更新条例》（2022年11月25日北京市第十五届人民代表大会常务委员会第四十五次会议通过）" +
		"和京建法〔2024〕2号，经审查，你单位申报的“朝阳区某某老旧厂房更新项目”（项目编号：CY-2024-0012）" +
		"符合纳入储备项目库的条件。现予纳入，请于30个工作日内，按照「实施方案」要求，报送相关材料；逾期未报送的，视为放弃！"
	for width := 4.0; width <= 60; width++ {
		checkWrap(t, text, width, Wrap(monoMeasure, text, width), true)
	}
}
