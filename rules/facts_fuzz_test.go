package rules

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"gengxin/calendar"
)

// FuzzFacts feeds arbitrary bytes to ParseFacts, Eval and EvalJSON: never a
// panic, and every error of ParseFacts/EvalJSON (which writes to a buffer
// that cannot fail) is an *InputError.
func FuzzFacts(f *testing.F) {
	inputs, _ := filepath.Glob("testdata/*.json")
	for _, in := range inputs {
		if b, err := os.ReadFile(in); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		``, ` `, `{`, `}`, `[]`, `null`, `"x"`, `12`, `{}`, `{} {}`, `{"as_of":null}`,
		`{"as_of":"2024-02-30"}`, `{"as_of":"2024-09-01"}`, `{"as_of":1}`, `{"unknown":1}`,
		`{"library":{"foo":1}}`, `{"coordinator":{"extension_months":[1,"x"]}}`,
		`{"as_of":"9999-12-31"}`, `{"as_of":"0001-01-01"}`, `{"x":1e999}`, `{"a":-0}`,
		"{\"as_of\":\"2024-09-01\"}\x00", "\xef\xbb\xbf{}", `{"as_of":"2024-09-01","as_of":"2024-09-02"}`,
	} {
		f.Add([]byte(s))
	}
	cal := calendar.Default()
	today := calendar.MustParseDate("2024-09-01")
	f.Fuzz(func(t *testing.T, b []byte) {
		facts, err := ParseFacts(bytes.NewReader(b), today)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseFacts: %T %v, want *InputError", err, err)
			}
		} else {
			_ = Eval(facts, cal)
		}
		var out bytes.Buffer
		if err := EvalJSON(bytes.NewReader(b), &out, cal, today); err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("EvalJSON: %T %v, want *InputError", err, err)
			}
			if out.Len() != 0 {
				t.Fatalf("EvalJSON wrote output on error")
			}
		}
	})
}
