package document

import (
	"strings"
	"unicode/utf8"
)

// noStart holds the characters that must never begin a line (行首禁则):
// closing brackets and quotes, and sentence or clause punctuation, in both
// full-width and ASCII forms.
const noStart = "，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}"

// noEnd holds the characters that must never end a line (行尾禁则): opening
// brackets and quotes.
const noEnd = "《（「『【〔〈“‘([{"

// Wrap breaks text into lines whose measured width does not exceed width,
// following the Chinese line-breaking rules: a character of noStart
// (，。、；：？！）》」 …) never begins a line and one of noEnd (《（「 …) never
// ends one; the character before such punctuation moves to the next line with
// it. A run of ASCII letters, digits and ASCII punctuation (a word, a number,
// a URL) is kept whole when it fits on a line, and spaces hang at the end of a
// line without counting towards its width.
//
// No character is lost: the concatenation of the returned lines equals text
// with its '\n' characters removed; each '\n' forces a line break. When a
// single character is wider than width it is placed alone on its line, and
// when a group that the rules keep together cannot fit on an empty line, the
// rules give way so that nothing overflows. measure returns the width of a
// string in the same unit as width; Wrap assumes widths add up (no kerning).
// An empty text gives one empty line.
func Wrap(measure func(string) float64, text string, width float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, wrapLine(measure, para, width)...)
	}
	return lines
}

func wrapLine(measure func(string) float64, text string, width float64) []string {
	if text == "" {
		return []string{""}
	}
	var lines []string
	var cur strings.Builder
	fits := func(s string) bool { return measure(strings.TrimRight(s, " ")) <= width }
	flush := func() {
		if cur.Len() > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
		}
	}
	// place adds unit to the current line, breaking before it if needed;
	// it reports false when unit does not fit even on an empty line.
	place := func(unit string) bool {
		if fits(cur.String() + unit) {
			cur.WriteString(unit)
			return true
		}
		flush()
		if fits(unit) {
			cur.WriteString(unit)
			return true
		}
		return false
	}
	for _, cl := range clusters(tokenize(text)) {
		if place(cl) {
			continue
		}
		// Too wide for a line: break inside words, still keeping the
		// punctuation rules, and give them up only when even that fails.
		var runes []string
		for _, r := range cl {
			runes = append(runes, string(r))
		}
		for _, rc := range clusters(runes) {
			if place(rc) {
				continue
			}
			for _, r := range rc {
				if !place(string(r)) {
					// A single character wider than the line: alone on it.
					cur.WriteRune(r)
					flush()
				}
			}
		}
	}
	flush()
	return lines
}

// clusters joins tokens into the units the line-breaking rules forbid to
// split: a token of noStart or a run of spaces joins the token before it, and
// a token ending in noEnd joins the token after it.
func clusters(toks []string) []string {
	var cls []string
	glueNext := false
	for _, tok := range toks {
		if len(cls) > 0 && (glueNext || isSpace(tok) || isNoStart(tok)) {
			cls[len(cls)-1] += tok
		} else {
			cls = append(cls, tok)
		}
		glueNext = isNoEnd(tok)
	}
	return cls
}

// tokenize splits text into single characters, runs of ASCII spaces and runs
// of other printable ASCII (words, numbers, URLs).
func tokenize(text string) []string {
	var toks []string
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		j := i + n
		switch {
		case r == ' ':
			for j < len(text) && text[j] == ' ' {
				j++
			}
		case isWordByte(r):
			for j < len(text) && isWordByte(rune(text[j])) {
				j++
			}
		}
		toks = append(toks, text[i:j])
		i = j
	}
	return toks
}

func isWordByte(r rune) bool { return r > ' ' && r < 0x7f }

func isSpace(tok string) bool { return tok != "" && tok[0] == ' ' }

func isNoStart(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return strings.ContainsRune(noStart, r)
}

func isNoEnd(tok string) bool {
	r, _ := utf8.DecodeLastRuneInString(tok)
	return strings.ContainsRune(noEnd, r)
}
