package uscc

import "testing"

// FuzzValidate: Validate never panics on any string, and when it accepts a
// code, the code's first 17 characters complete to that same code.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		"", "9", "91110105MA01ABCD1", Complete("91110105MA01ABCD1"), "91110105MA01ABCD1X",
		" 91110105ma01abcd1x ", "911101056601234567", "91110105MA01ABCD1I", "ＡＢＣ",
		"九一一一〇一〇五MA01ABCD", "91110105MA01ABCD\xff\xfe", "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
		"91110105MA01ABCDİ", "ıııııııııııııııııı",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := Validate(s); err == nil {
			n := Normalize(s)
			if got := Complete(n[:17]); got != n {
				t.Fatalf("Validate(%q) ok but Complete(%q) = %q", s, n[:17], got)
			}
		}
	})
}

// FuzzComplete: for every 17-character string of the code's alphabet,
// Complete gives a code that Validate accepts; other inputs make CheckChar
// fail (and Complete panic, by contract) but never CheckChar panic.
func FuzzComplete(f *testing.F) {
	for _, s := range []string{"91110105MA01ABCD1", "00000000000000000", "YYYYYYYYYYYYYYYYY", "12345678901234567", "abc", "91110105MA01ABCDI"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Map arbitrary input onto the alphabet so most runs exercise Complete.
		b := make([]byte, 17)
		for i := range b {
			if i < len(s) {
				b[i] = charset[int(s[i])%len(charset)]
			} else {
				b[i] = '0'
			}
		}
		first17 := string(b)
		code := Complete(first17)
		if err := Validate(code); err != nil {
			t.Fatalf("Complete(%q) = %q does not validate: %v", first17, code, err)
		}
		if _, err := CheckChar(s); err == nil && len(s) != 17 {
			t.Fatalf("CheckChar(%q) accepted a non-17-byte input", s)
		}
	})
}
