package document

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"gengxin"
)

// Page geometry in millimetres, after GB/T 9704-2012 (党政机关公文格式):
// A4, 28 mm left and 26 mm right margins, a 156 mm type area.
const (
	pageW   = 210.0
	marginL = 28.0
	marginR = 26.0
	marginT = 20.0
	bodyW   = pageW - marginL - marginR
	right   = pageW - marginR

	footBottom = 283.0 // bottom edge of the footer box
)

// Type sizes in points and line heights in millimetres.
const (
	sizeIssuer   = 26.0
	sizeNumber   = 14.0
	sizeTitle    = 20.0
	sizeBody     = 14.0
	sizeTable    = 11.5
	sizeCitation = 11.0
	sizeFoot     = 9.0

	lhBody  = 7.6
	lhTitle = 10.0
	lhTable = 5.4
	lhFoot  = 4.4
	cellPad = 1.8
)

type rgb struct{ r, g, b int }

var (
	black = rgb{0, 0, 0}
	red   = rgb{220, 0, 0}
	grey  = rgb{90, 90, 90}
	shade = rgb{242, 242, 242}
	rule  = rgb{150, 150, 150}
)

// op is one drawing operation on a page. Layout produces ops first, so that
// the total page count is known before any page is drawn.
type op struct {
	kind       byte // 't' text at baseline (x, y); 'l' line (x, y)-(w, h); 'r' rectangle
	x, y, w, h float64
	size       float64 // font size for text, line width for lines and rectangles
	spacing    float64 // extra space after each character of text (PDF Tc), in mm
	color      rgb     // text or stroke colour
	fill       *rgb    // rectangle fill, nil for none
	text       string
}

// layout places a Notice's content onto pages of ops.
type layout struct {
	pdf    *fpdf.Fpdf
	pages  [][]op
	y      float64 // top of the next line on the current page
	bottom float64 // lowest y the body may reach
}

func (l *layout) measure(size float64) func(string) float64 {
	return func(s string) float64 {
		l.pdf.SetFontSize(size)
		return l.pdf.GetStringWidth(s)
	}
}

func (l *layout) width(size float64, s string) float64 { return l.measure(size)(s) }

func (l *layout) newPage() {
	l.pages = append(l.pages, nil)
	l.y = marginT
}

// ensure starts a new page unless h more millimetres fit on this one.
func (l *layout) ensure(h float64) {
	if l.y+h > l.bottom {
		l.newPage()
	}
}

func (l *layout) add(o op) { l.pages[len(l.pages)-1] = append(l.pages[len(l.pages)-1], o) }

// text places s in a line box whose top is top and height lh, with the
// glyphs' em box centred vertically in it.
func (l *layout) text(x, top, lh, size float64, c rgb, s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	em := size * 25.4 / 72
	l.add(op{kind: 't', x: x, y: top + lh/2 + em*0.36, size: size, color: c, text: s})
}

// justified places s from x and, when justify is set, spreads its characters
// so that it ends at x+w, as Chinese body text is set. A line that would
// need more than a quarter em between characters (one shortened by a long
// Latin word moving down) stays ragged rather than look gapped.
func (l *layout) justified(x, w, top, lh, size float64, c rgb, s string, justify bool) {
	l.text(x, top, lh, size, c, s)
	t := strings.TrimRight(s, " ")
	n := utf8.RuneCountInString(t)
	if !justify || n < 2 || strings.TrimSpace(s) == "" {
		return
	}
	gap := (w - l.width(size, t)) / float64(n-1)
	if gap > 0 && gap <= size*25.4/72/4 {
		ops := l.pages[len(l.pages)-1]
		ops[len(ops)-1].spacing = gap
	}
}

// align: 'L' left at x0, 'C' centred in [x0, x0+w], 'R' right-aligned at x0+w.
func (l *layout) aligned(align byte, x0, w, top, lh, size float64, c rgb, s string) {
	x := x0
	switch align {
	case 'C':
		x = x0 + (w-l.width(size, s))/2
	case 'R':
		x = x0 + w - l.width(size, strings.TrimRight(s, " "))
	}
	l.text(x, top, lh, size, c, s)
}

// flow wraps s to w and prints its lines from x, breaking pages as needed.
// Align 'J' justifies every line but the last.
func (l *layout) flow(align byte, x, w, size, lh float64, c rgb, s string) {
	lines := Wrap(l.measure(size), s, w)
	for i, line := range lines {
		l.ensure(lh)
		if align == 'J' {
			l.justified(x, w, l.y, lh, size, c, line, i < len(lines)-1)
		} else {
			l.aligned(align, x, w, l.y, lh, size, c, line)
		}
		l.y += lh
	}
}

// balanced wraps s into as few lines as Wrap gives at width w, but of
// even lengths, as a centred title is set.
func (l *layout) balanced(size float64, s string, w float64) []string {
	m := l.measure(size)
	lines := Wrap(m, s, w)
	if len(lines) < 2 {
		return lines
	}
	lo, hi := 0.0, w
	for range 24 {
		mid := (lo + hi) / 2
		if len(Wrap(m, s, mid)) > len(lines) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return Wrap(m, s, hi)
}

// Render writes n as a PDF document to w. Every character of n is printed:
// long lines wrap, long content continues on further pages, each numbered
// "第 i 页 共 n 页". It returns an *gengxin.Error with code EInvalid when
// n has no Issuer or Title, and other errors (font, PDF or write failures)
// as internal errors.
func Render(w io.Writer, n Notice) error {
	if strings.TrimSpace(n.Issuer) == "" || strings.TrimSpace(n.Title) == "" {
		return gengxin.Errorf(gengxin.EInvalid, "文书缺少发文机关或标题")
	}
	pdf, err := newPDF()
	if err != nil {
		return err
	}
	pdf.SetTitle(n.Title, true)
	pdf.SetSubject(strings.TrimSpace(n.Issuer+" "+n.Number), true)
	pdf.SetAuthor(n.Issuer, true)
	pdf.SetCreator("gengxin 北京市城市更新信息系统", true)
	pdf.SetLang("zh-CN")
	if !n.CreatedAt.IsZero() {
		pdf.SetCreationDate(n.CreatedAt.UTC()) // fpdf writes no time zone: readers take UTC
		pdf.SetModificationDate(n.CreatedAt.UTC())
	}
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginL, marginT, marginR)

	l := &layout{pdf: pdf}
	foot := l.footer(n)
	l.bottom = footBottom - foot.h - 5
	l.newPage()
	l.body(n)

	total := len(l.pages)
	for i, ops := range l.pages {
		pdf.AddPage()
		for _, o := range ops {
			draw(pdf, o)
		}
		for _, o := range foot.ops {
			draw(pdf, o)
		}
		pageNo := fmt.Sprintf("第 %d 页 共 %d 页", i+1, total)
		pdf.SetFontSize(sizeFoot)
		x := right - cellPad - pdf.GetStringWidth(pageNo)
		y := footBottom - foot.h/2 - lhFoot/2
		draw(pdf, op{kind: 't', x: x, y: y + lhFoot/2 + sizeFoot*25.4/72*0.36, size: sizeFoot, color: black, text: pageNo})
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("document: render %q: %w", n.Title, err)
	}
	return nil
}

func draw(pdf *fpdf.Fpdf, o op) {
	switch o.kind {
	case 't':
		pdf.SetFontSize(o.size)
		pdf.SetTextColor(o.color.r, o.color.g, o.color.b)
		if o.spacing != 0 {
			pdf.RawWriteStr(fmt.Sprintf("%.3f Tc", o.spacing*pdf.GetConversionRatio()))
		}
		pdf.Text(o.x, o.y, o.text)
		if o.spacing != 0 {
			pdf.RawWriteStr("0 Tc")
		}
	case 'l':
		pdf.SetDrawColor(o.color.r, o.color.g, o.color.b)
		pdf.SetLineWidth(o.size)
		pdf.Line(o.x, o.y, o.w, o.h)
	case 'r':
		pdf.SetDrawColor(o.color.r, o.color.g, o.color.b)
		pdf.SetLineWidth(o.size)
		style := "D"
		if o.fill != nil {
			pdf.SetFillColor(o.fill.r, o.fill.g, o.fill.b)
			style = "FD"
		}
		pdf.Rect(o.x, o.y, o.w, o.h, style)
	}
}

// footerBox is the verification box repeated at the bottom of every page;
// the page number is added to its right side when each page is drawn.
type footerBox struct {
	h   float64
	ops []op
}

func (l *layout) footer(n Notice) footerBox {
	type line struct {
		size float64
		c    rgb
		s    string
	}
	var lines []line
	inner := bodyW - 3*cellPad - l.width(sizeFoot, "第 99 页 共 99 页")
	if n.VerifyCode != "" {
		lines = append(lines, line{sizeFoot + 1, black, "验证码：" + n.VerifyCode})
		if n.VerifyURL != "" {
			for _, s := range Wrap(l.measure(sizeFoot), "可在 "+n.VerifyURL+" 输入验证码核验本文书真伪", inner) {
				lines = append(lines, line{sizeFoot, black, s})
			}
		}
	}
	if n.Footer != "" {
		for _, s := range Wrap(l.measure(sizeFoot-1), n.Footer, inner) {
			lines = append(lines, line{sizeFoot - 1, grey, s})
		}
	}
	if len(lines) == 0 {
		lines = append(lines, line{sizeFoot, black, ""}) // room for the page number
	}
	h := float64(len(lines))*lhFoot + 2*1.6
	top := footBottom - h
	saved := l.pages
	l.pages = [][]op{nil}
	l.add(op{kind: 'r', x: marginL, y: top, w: bodyW, h: h, size: 0.3, color: rule})
	y := top + 1.6
	for _, ln := range lines {
		l.text(marginL+cellPad, y, lhFoot, ln.size, ln.c, ln.s)
		y += lhFoot
	}
	ops := l.pages[0]
	l.pages = saved
	return footerBox{h: h, ops: ops}
}

func (l *layout) body(n Notice) {
	// 发文机关标志: red, centred, shrunk to fit the type area, wrapped if
	// even the smallest size is too wide.
	size := sizeIssuer
	for size > 18 && l.width(size, n.Issuer) > bodyW {
		size--
	}
	l.flow('C', marginL, bodyW, size, size*25.4/72*1.45, red, n.Issuer)
	l.y += 2
	if n.Number != "" {
		l.flow('C', marginL, bodyW, sizeNumber, lhBody, black, n.Number)
	}
	l.y += 2
	l.add(op{kind: 'l', x: marginL, y: l.y, w: right, h: l.y, size: 0.7, color: red})
	l.y += 8

	for _, s := range l.balanced(sizeTitle, n.Title, bodyW-16) {
		l.aligned('C', marginL, bodyW, l.y, lhTitle, sizeTitle, black, s)
		l.y += lhTitle
	}
	l.y += 4

	if n.Addressee != "" {
		l.flow('L', marginL, bodyW, sizeBody, lhBody, black, n.Addressee)
	}
	l.paragraphs(n.Paragraphs)
	if len(n.Fields) > 0 {
		l.y += 2
		l.table(n.Fields)
		l.y += 3
	}
	if len(n.Items) > 0 {
		l.items(n.Items)
		l.y += 2
	}
	l.paragraphs(n.Closing)
	if n.Citation != "" {
		l.y += 2
		l.flow('L', marginL, bodyW, sizeCitation, lhBody*0.8, grey, n.Citation)
	}
	l.signature(n)
}

const indent = "　　" // two ideographic spaces: the first-line indent of a paragraph

func (l *layout) paragraphs(ps []string) {
	for _, p := range ps {
		l.flow('J', marginL, bodyW, sizeBody, lhBody, black, indent+p)
	}
}

// items prints a numbered list with a hanging indent: the number two
// characters in, continuation lines aligned with the text after it.
func (l *layout) items(items []string) {
	if len(items) == 0 {
		return
	}
	numX := marginL + l.width(sizeBody, indent)
	numW := l.width(sizeBody, fmt.Sprintf("%d.", len(items))) + l.width(sizeBody, "　")/2
	textX := numX + numW
	for i, it := range items {
		lines := Wrap(l.measure(sizeBody), it, right-textX)
		for j, s := range lines {
			l.ensure(lhBody)
			if j == 0 {
				l.text(numX, l.y, lhBody, sizeBody, black, fmt.Sprintf("%d.", i+1))
			}
			l.justified(textX, right-textX, l.y, lhBody, sizeBody, black, s, j < len(lines)-1)
			l.y += lhBody
		}
	}
}

// table draws fields as a bordered two-column table. A row that does not
// fit moves to the next page; a row taller than a page is split.
func (l *layout) table(fields []Field) {
	labelW := 0.0
	for _, f := range fields {
		labelW = math.Max(labelW, l.width(sizeTable, f.Label))
	}
	labelW = math.Min(math.Max(labelW+2*cellPad, 28), bodyW/3)
	valueW := bodyW - labelW
	m := l.measure(sizeTable)
	for _, f := range fields {
		labels := Wrap(m, f.Label, labelW-2*cellPad)
		values := Wrap(m, f.Value, valueW-2*cellPad)
		for len(labels) > 0 || len(values) > 0 {
			rows := max(len(labels), len(values))
			fit := int((l.bottom - l.y - 2*cellPad) / lhTable)
			if fit < min(rows, 2) {
				l.newPage()
				continue
			}
			k := min(rows, fit)
			h := float64(k)*lhTable + 2*cellPad
			l.add(op{kind: 'r', x: marginL, y: l.y, w: labelW, h: h, size: 0.3, color: black, fill: &shade})
			l.add(op{kind: 'r', x: marginL + labelW, y: l.y, w: valueW, h: h, size: 0.3, color: black})
			// Labels sit centred vertically when the value takes more lines.
			lk := min(k, len(labels))
			ly := l.y + cellPad + (float64(k-lk)*lhTable)/2
			for _, s := range labels[:lk] {
				l.text(marginL+cellPad, ly, lhTable, sizeTable, black, s)
				ly += lhTable
			}
			vy := l.y + cellPad
			for j, s := range values[:min(k, len(values))] {
				l.justified(marginL+labelW+cellPad, valueW-2*cellPad, vy, lhTable, sizeTable, black, s, j < len(values)-1)
				vy += lhTable
			}
			labels = labels[lk:]
			values = values[min(k, len(values)):]
			l.y += h
		}
	}
}

// signature prints the 落款 after GB/T 9704: the date four characters in
// from the right margin, the issuer centred over it, kept together on one
// page with some space above for the seal.
func (l *layout) signature(n Notice) {
	em := l.width(sizeBody, "　")
	date := n.Date
	dateW := l.width(sizeBody, date)
	issuerLines := Wrap(l.measure(sizeBody), n.Issuer, bodyW/2+2*em)
	issuerW := 0.0
	for _, s := range issuerLines {
		issuerW = math.Max(issuerW, l.width(sizeBody, s))
	}
	centre := right - 4*em - dateW/2
	if date == "" {
		centre = right - 2*em - issuerW/2
	}
	if centre+issuerW/2 > right {
		centre = right - issuerW/2
	}
	l.y += 10
	l.ensure(float64(len(issuerLines)+1) * lhBody)
	for _, s := range issuerLines {
		l.aligned('C', centre-issuerW/2, issuerW, l.y, lhBody, sizeBody, black, s)
		l.y += lhBody
	}
	if date != "" {
		l.text(centre-dateW/2, l.y, lhBody, sizeBody, black, date)
		l.y += lhBody
	}
}
