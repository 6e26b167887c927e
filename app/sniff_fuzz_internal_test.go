package app

import (
	"archive/zip"
	"bytes"
	"testing"
)

// FuzzSniff feeds arbitrary bytes to sniff, the upload path's content-type
// check (zip bombs, path traversal): never a panic, and an accepted type is
// always one of allowedTypes.
func FuzzSniff(f *testing.F) {
	zipOf := func(names ...string) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, n := range names {
			w, err := zw.Create(n)
			if err != nil {
				f.Fatal(err)
			}
			_, _ = w.Write([]byte("<x/>"))
		}
		if err := zw.Close(); err != nil {
			f.Fatal(err)
		}
		return b.Bytes()
	}
	for _, b := range [][]byte{
		nil, []byte("%PDF-1.7\n"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), []byte("\xff\xd8\xff\xe0\x00\x10JFIF"),
		{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, []byte("PK\x03\x04"), []byte("GIF89a"),
		[]byte("<html><script>alert(1)</script>"), []byte("MZ\x90\x00"),
		zipOf("[Content_Types].xml", "word/document.xml"), zipOf("[Content_Types].xml", "xl/workbook.xml"),
		zipOf("ppt/presentation.xml"), zipOf("../evil", "word/document.xml"), zipOf("a\\b"), zipOf("/abs"), zipOf("x.txt"),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ct, err := sniff(b)
		if err == nil {
			if _, ok := allowedTypes[ct]; !ok {
				t.Fatalf("sniff accepted %q, not an allowed type", ct)
			}
		}
	})
}
