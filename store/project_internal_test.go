package store

import (
	"strings"
	"testing"

	"gengxin"
)

// The columns UpdateProjectFrom and UpdateProject name are the fields of
// projectArgsContact one for one (the round-trip test, which changes every
// field through UpdateProject, checks their order).
func TestProjectSetColumns(t *testing.T) {
	if n, m := len(projectArgsContact(&gengxin.Project{}, "")), len(projectSetColumns); n != m {
		t.Fatalf("%d fields for %d columns", n, m)
	}
	for _, c := range []string{"id", "version", "created_at", "updated_at"} {
		for _, s := range projectSetColumns {
			if s == c || strings.TrimSpace(s) != s || s == "" {
				t.Errorf("set column %q", s)
			}
		}
	}
	if projectSetColumns[0] != "code" || projectSetColumns[len(projectSetColumns)-1] != "reject_reason" {
		t.Errorf("columns %v", projectSetColumns)
	}
}
