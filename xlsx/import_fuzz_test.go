package xlsx

import (
	"archive/zip"
	"bytes"
	"testing"
)

// FuzzParseImport feeds arbitrary bytes to ParseImport: never a panic.
// Seeds are a real filled-in import file, the blank template, and broken
// zips; the fuzzer mutates them into truncated and corrupted workbooks.
func FuzzParseImport(f *testing.F) {
	var gen bytes.Buffer
	if err := GenerateImportFile(&gen, []ImportRow{sampleRow(1), sampleRow(2)}); err == nil {
		f.Add(gen.Bytes())
	}
	var tpl bytes.Buffer
	if err := WriteImportTemplate(&tpl, testCategories, testDistricts); err == nil {
		f.Add(tpl.Bytes())
	}
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	if w, err := zw.Create("[Content_Types].xml"); err == nil {
		_, _ = w.Write([]byte(`<?xml version="1.0"?><Types/>`))
	}
	_ = zw.Close()
	f.Add(z.Bytes())
	for _, s := range []string{"", "PK\x03\x04", "PK\x05\x06" + string(make([]byte, 18)), "%PDF-1.4", "not a workbook", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _ = parseImport(bytes.NewReader(b), 200)
	})
}
