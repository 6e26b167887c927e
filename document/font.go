package document

import (
	_ "embed"
	"errors"
	"fmt"

	"github.com/go-pdf/fpdf"
)

// fontTTF is the first face of WenQuanYi Micro Hei (文泉驿微米黑), extracted
// from Debian's fonts-wqy-microhei; see fonts/README.md. fpdf reads TrueType
// .ttf only, not the .ttc collection Debian ships.
//
//go:embed fonts/wqy-microhei.ttf
var fontTTF []byte

const fontFamily = "wqy"

// newPDF returns an A4 portrait document with the embedded font selected.
func newPDF() (*fpdf.Fpdf, error) { return newPDFWithFont(fontTTF) }

// newPDFWithFont is newPDF with the TrueType font ttf. fpdf only prints a
// font it cannot parse to stdout and leaves pdf.Error() nil, so the font is
// checked here by measuring a CJK glyph and a Latin one.
func newPDFWithFont(ttf []byte) (_ *fpdf.Fpdf, err error) {
	// fpdf's TrueType parser panics on some malformed fonts.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("document: load font wqy-microhei: %v", r)
		}
	}()
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes(fontFamily, "", ttf)
	pdf.SetFont(fontFamily, "", 12)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("document: load font wqy-microhei: %w", err)
	}
	if pdf.GetStringWidth("库") <= 0 || pdf.GetStringWidth("A") <= 0 {
		return nil, errors.New("document: font wqy-microhei loaded without CJK glyph widths")
	}
	return pdf, nil
}
