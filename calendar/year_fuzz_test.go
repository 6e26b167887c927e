package calendar

import (
	"io/fs"
	"testing"
)

// FuzzParseYear: ParseYear never panics, whatever the bytes; the embedded
// data files are the seed corpus.
func FuzzParseYear(f *testing.F) {
	_ = fs.WalkDir(dataFS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := fs.ReadFile(dataFS, p); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	for _, s := range []string{
		``, `{`, `null`, `[]`, `{}`, `{"year":2024}`, `{"year":-1}`, `{"year":99999999999}`,
		`{"year":2024,"verified":true}`, `{"year":2024,"holidays":[{"name":"国庆节","from":"2024-10-07","to":"2024-10-01"}]}`,
		`{"year":2024,"holidays":[{"name":"x","from":"2024-02-30","to":"2024-03-01"}]}`,
		`{"year":2024,"workdays":[{"date":"2024-09-29","for":"国庆节"}]}`, `{"year":2024,"workday":[]}`,
		`{"year":2024,"holidays":[{"from":"2023-12-31","to":"2025-01-01"}]}`, `{"year":0} trailing`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseYear(b)
	})
}
