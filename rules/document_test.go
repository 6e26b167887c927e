package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gengxin/calendar"
)

var d = calendar.MustParseDate

func TestDocumentWindows(t *testing.T) {
	for _, tc := range []struct {
		doc      Document
		from, to string
		years    int
	}{
		{JianFa1, "2024-05-10", "2027-05-09", 3},
		{JianFa2, "2024-05-10", "2027-05-09", JianFa2ValidityYears.Int()},
		{JianFa3, "2024-05-10", "2027-05-09", 3},
		{GuiZi67, "2024-03-14", "2029-03-13", 5},
	} {
		t.Run(tc.doc.ID, func(t *testing.T) {
			if tc.doc.From != d(tc.from) || tc.doc.To != d(tc.to) {
				t.Fatalf("window %s, want %s至%s", tc.doc.Window(), tc.from, tc.to)
			}
			// "有效期N年" from the first day: the last day is the day before the anniversary.
			if got := calendar.AddYears(tc.doc.From, tc.years).AddDays(-1); got != tc.doc.To {
				t.Errorf("From + %d years − 1 day = %s, want %s", tc.years, got, tc.doc.To)
			}
			for _, c := range []struct {
				day  calendar.Date
				want bool
			}{
				{tc.doc.From.AddDays(-1), false},
				{tc.doc.From, true},
				{tc.doc.To, true},
				{tc.doc.To.AddDays(1), false},
				{calendar.Date{}, false},
			} {
				if got := tc.doc.InForce(c.day); got != c.want {
					t.Errorf("InForce(%s) = %v, want %v", c.day, got, c.want)
				}
			}
		})
	}
	if !JingXin14.InForce(d("2099-01-01")) || JingXin14.InForce(d("2024-03-24")) {
		t.Error("京经信发〔2024〕14号 applies from 2024-03-25 with no expiry")
	}
	if !JingXin20.InForce(d("2027-12-31")) || JingXin20.InForce(d("2028-01-01")) {
		t.Error("京经信发〔2024〕20号 runs to 2027-12-31")
	}
	if len(Documents()) != 8 {
		t.Errorf("Documents() has %d documents, want 8", len(Documents()))
	}
}

func TestInForce(t *testing.T) {
	t.Run("2号/第二十一条/first-day", func(t *testing.T) {
		if f := ProjectLibraryInForce(d("2024-05-10")); f.Outcome != Pass || f.Rule != "PL-13" || f.Citation != "京建法〔2024〕2号 第二十一条" {
			t.Errorf("%+v", f)
		}
	})
	t.Run("2号/第二十一条/day-before", func(t *testing.T) {
		if f := ProjectLibraryInForce(d("2024-05-09")); f.Outcome != OutOfForce {
			t.Errorf("%+v", f)
		}
	})
	t.Run("2号/第二十一条/last-day", func(t *testing.T) {
		if f := ProjectLibraryInForce(d("2027-05-09")); f.Outcome != Pass {
			t.Errorf("%+v", f)
		}
	})
	t.Run("2号/第二十一条/day-after", func(t *testing.T) {
		f := ProjectLibraryInForce(d("2027-05-10"))
		if f.Outcome != OutOfForce || !strings.Contains(f.Message, "2027-05-09") {
			t.Errorf("%+v", f)
		}
	})
	t.Run("14号/no-validity-clause", func(t *testing.T) {
		f := InForce(JingXin14, d("2030-01-01"))
		if f.Outcome != Pass || f.Rule != "VAL-JingXin14" || f.Citation != "京经信发〔2024〕14号" {
			t.Errorf("%+v", f)
		}
	})
}

// TestParamsHaveCitations checks every package-level Param literal in the
// package sources: it has a name equal to its variable, a citation that
// starts with a document number, a From date, a parseable value, and it is
// listed by Params().
func TestParamsHaveCitations(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	listed := map[string]Param{}
	for _, p := range Params() {
		listed[p.Name] = p
	}
	found := 0
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range af.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					cl, ok := vs.Values[i].(*ast.CompositeLit)
					if !ok {
						continue
					}
					if id, ok := cl.Type.(*ast.Ident); !ok || id.Name != "Param" {
						continue
					}
					found++
					if !name.IsExported() {
						t.Errorf("%s: Param %s is not exported", file, name.Name)
					}
					p, ok := listed[name.Name]
					if !ok {
						t.Errorf("%s: Param %s is not listed by Params() (or its Name differs)", file, name.Name)
						continue
					}
					if !citesDocument(p.Citation) {
						t.Errorf("Param %s citation %q does not start with a document number", p.Name, p.Citation)
					}
					if p.From.IsZero() || p.Unit == "" {
						t.Errorf("Param %s has no From date or unit", p.Name)
					}
					_ = p.Decimal()
				}
			}
		}
	}
	if found != len(Params()) {
		t.Errorf("found %d Param variables, Params() lists %d", found, len(Params()))
	}
	for _, p := range Params() {
		if p.Decimal().Sign() <= 0 {
			t.Errorf("Param %s = %s", p.Name, p.Value)
		}
	}
}

var ruleID = regexp.MustCompile(`^((PL|CE|EX|OF|GL|CP|SW)-[0-9]{2}|EX-VAL|VAL-[A-Za-z0-9]+)$`)

func citesDocument(c string) bool {
	return slices.ContainsFunc(Documents(), func(doc Document) bool {
		return c == doc.Number || strings.HasPrefix(c, doc.Number+" ")
	})
}

// checkFindings asserts the invariants every finding must keep.
func checkFindings(t *testing.T, where string, fs ...Finding) {
	t.Helper()
	valid := []Outcome{Pass, Fail, Warn, Applies, NotApplicable, Manual, OutOfForce}
	for _, f := range fs {
		if !ruleID.MatchString(f.Rule) {
			t.Errorf("%s: rule id %q", where, f.Rule)
		}
		if !citesDocument(f.Citation) {
			t.Errorf("%s: %s citation %q does not start with a document number", where, f.Rule, f.Citation)
		}
		if !slices.Contains(valid, f.Outcome) {
			t.Errorf("%s: %s outcome %q", where, f.Rule, f.Outcome)
		}
		if f.Message == "" || f.Values == nil {
			t.Errorf("%s: %s has no message or nil values", where, f.Rule)
		}
	}
}
