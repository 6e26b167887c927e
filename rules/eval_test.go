package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gengxin/calendar"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestEvalJSONGolden runs EvalJSON on every testdata/*.json and compares the
// output with testdata/*.golden. Run `go test ./rules/ -run Golden -update`
// after an intended change and review the diff.
func TestEvalJSONGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/*.json")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".json")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := EvalJSON(bytes.NewReader(src), &out, calendar.Default(), d("2024-09-01")); err != nil {
				t.Fatalf("EvalJSON: %v", err)
			}
			var res Result
			if err := json.Unmarshal(out.Bytes(), &struct {
				Findings *[]Finding `json:"findings"`
			}{&res.Findings}); err != nil {
				t.Fatalf("output is not JSON: %v", err)
			}
			checkFindings(t, name, res.Findings...)
			golden := strings.TrimSuffix(in, ".json") + ".golden"
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update to accept):\n%s", golden, out.String())
			}
		})
	}
}

func TestEvalJSONInputError(t *testing.T) {
	var out bytes.Buffer
	err := EvalJSON(strings.NewReader(`{"library":{"category":"产业类","foo":true}}`), &out, nil, d("2024-09-01"))
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(ie.Message, `未知字段 "library.foo"`) {
		t.Fatalf("err = %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote output on bad input: %s", out.String())
	}
}

func TestEvalJSONShape(t *testing.T) {
	var out bytes.Buffer
	if err := EvalJSON(strings.NewReader(`{}`), &out, nil, d("2024-09-01")); err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	if string(m["as_of"]) != `"2024-09-01"` || string(m["findings"]) != `[]` {
		t.Errorf("output %s", out.String())
	}
	for _, k := range []string{"route", "dates", "amounts"} {
		if _, ok := m[k]; ok {
			t.Errorf("%q must be omitted when empty: %s", k, out.String())
		}
	}
	b, _ := json.Marshal(Result{Route: &Route{Track: "fast_b", Permit: "direct_construction"}, Amounts: map[string]string{"award_cap_wan": "1000"}})
	if !strings.Contains(string(b), `"route":{"track":"fast_b","permit":"direct_construction"}`) || !strings.Contains(string(b), `"amounts":{"award_cap_wan":"1000"}`) {
		t.Errorf("Result JSON %s", b)
	}
	b, _ = json.Marshal(Finding{Rule: "PL-01"})
	if !strings.Contains(string(b), `"values":{}`) {
		t.Errorf("nil values must marshal as {}: %s", b)
	}
}

func eval(t *testing.T, in string) Result {
	t.Helper()
	f, err := ParseFacts(strings.NewReader(in), d("2024-09-01"))
	if err != nil {
		t.Fatal(err)
	}
	res := Eval(f, calendar.Default())
	checkFindings(t, in, res.Findings...)
	return res
}

func rulesOf(res Result) []string {
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.Rule)
	}
	return ids
}

func TestEval(t *testing.T) {
	t.Run("2号/第二十条(一)/T13-no-silent-exit", func(t *testing.T) {
		res := eval(t, `{"as_of":"2026-08-01","library":{"completion_accepted_on":"2026-06-30"}}`)
		var pl10 *Finding
		for i := range res.Findings {
			if res.Findings[i].Rule == "PL-10" {
				pl10 = &res.Findings[i]
			}
		}
		if pl10 == nil || pl10.Outcome != OutOfForce || pl10.Values["auto_exit_on"] != "2027-07-01" {
			t.Fatalf("PL-10: %+v", pl10)
		}
		if _, ok := res.Dates["auto_exit_on"]; ok {
			t.Errorf("an out-of-force exit date must not be output as a date: %v", res.Dates)
		}
	})
	t.Run("2号/第二十条(一)/T11", func(t *testing.T) {
		res := eval(t, `{"as_of":"2026-03-21","library":{"completion_accepted_on":"2025-03-20"}}`)
		if res.Dates["auto_exit_on"] != "2026-03-21" {
			t.Errorf("dates %v", res.Dates)
		}
	})
	t.Run("2号/第十条(二)/major-from-old_factory", func(t *testing.T) {
		res := eval(t, `{"library":{"category":"产业类"},"old_factory":{"cross_district":true}}`)
		for _, f := range res.Findings {
			if f.Rule == "PL-02" && f.Values["route"] != RouteMunicipal {
				t.Errorf("%+v", f)
			}
		}
	})
	t.Run("2号/第九条/PL-04-one-notice", func(t *testing.T) {
		res := eval(t, `{"library":{"entity_identified":false}}`)
		ids := strings.Join(rulesOf(res), ",")
		if ids != "PL-01,PL-04,PL-13" {
			t.Errorf("rules %s", ids)
		}
		if res.Findings[1].Values["count"] != "5" {
			t.Errorf("PL-04 must list all 5 unmet items: %+v", res.Findings[1])
		}
	})
	t.Run("2号/第二十一条/T03-as_of-before-in-force", func(t *testing.T) {
		res := eval(t, `{"as_of":"2024-05-09","library":{"category":"产业类","plan_included_on":"2024-05-01","needs_implementation_plan":true,"completion_accepted_on":"2024-05-01"}}`)
		for _, f := range res.Findings {
			if f.Outcome != OutOfForce {
				t.Errorf("%s: %s, want out_of_force", f.Rule, f.Outcome)
			}
		}
		if len(res.Dates) != 0 {
			t.Errorf("no dates when out of force: %v", res.Dates)
		}
	})
	t.Run("2号/第二十条(四)/needs-plan-absent", func(t *testing.T) {
		res := eval(t, `{"library":{"plan_included_on":"2024-07-15"}}`)
		for _, f := range res.Findings {
			if f.Rule == "PL-11" && f.Outcome != Manual {
				t.Errorf("%+v", f)
			}
		}
		if _, ok := res.Dates["implementation_plan_due"]; ok {
			t.Error("no due date when needs_implementation_plan is unknown")
		}
	})
	t.Run("2号/第二十条(四)/D11-no-plan-needed", func(t *testing.T) {
		res := eval(t, `{"library":{"plan_included_on":"2024-07-15","needs_implementation_plan":false}}`)
		if _, ok := res.Dates["implementation_plan_due"]; ok {
			t.Error("no due date for a project that needs no 实施方案")
		}
	})
	t.Run("1号/coordinator-only-dates", func(t *testing.T) {
		res := eval(t, `{"coordinator":{"method":"指定","publicity_start":"2024-07-01","confirmed_on":"2024-07-15","term_years":4}}`)
		if res.Dates["publicity_end"] != "2024-07-08" || res.Dates["term_end"] != "2028-07-15" || res.Dates["coordinator_term_end"] != "2028-07-15" {
			t.Errorf("dates %v", res.Dates)
		}
		if ids := strings.Join(rulesOf(res), ","); ids != "CE-02,CE-03" {
			t.Errorf("rules %s", ids)
		}
		if res.Findings[1].Outcome != Warn {
			t.Errorf("4-year term is soft: %+v", res.Findings[1])
		}
	})
	t.Run("1号/涉密-no-publicity", func(t *testing.T) {
		res := eval(t, `{"coordinator":{"method":"涉密"}}`)
		if len(res.Findings) != 1 || res.Findings[0].Outcome != NotApplicable || len(res.Dates) != 0 {
			t.Errorf("%+v", res)
		}
	})
	t.Run("1号/term_years-missing", func(t *testing.T) {
		res := eval(t, `{"coordinator":{"confirmed_on":"2024-07-15"}}`)
		if len(res.Findings) != 1 || res.Findings[0].Rule != "CE-03" || res.Findings[0].Outcome != Manual {
			t.Errorf("%+v", res)
		}
	})
	t.Run("3号/expert-term-takes-term_end", func(t *testing.T) {
		res := eval(t, `{"coordinator":{"confirmed_on":"2024-07-15","term_years":3},"expert":{"birth_date":"1954-03-01","application_date":"2024-06-01","appointed_on":"2024-06-01"}}`)
		if res.Dates["term_end"] != "2027-06-01" || res.Dates["coordinator_term_end"] != "2027-07-15" || res.Dates["expert_term_end"] != "2027-06-01" {
			t.Errorf("dates %v", res.Dates)
		}
	})
	t.Run("zero-as_of-is-out-of-force", func(t *testing.T) {
		res := Eval(Facts{Library: &LibraryFacts{}}, nil)
		if Worst(res.Findings) != OutOfForce {
			t.Errorf("%+v", res.Findings)
		}
	})
}

// TestEvalSweep runs Eval over many dates and fact combinations and checks
// the invariants of every finding (rule id, citation, outcome, values).
func TestEvalSweep(t *testing.T) {
	bools := []string{"true", "false", "null"}
	cats := []string{"居住类", "区域综合性", ""}
	dates := []string{"2024-05-09", "2024-05-10", "2025-06-30", "2027-05-09", "2027-05-10"}
	for _, on := range dates {
		for i, b := range bools {
			for _, c := range cats {
				cat := `null`
				if c != "" {
					cat = `"` + c + `"`
				}
				in := `{"as_of":"` + on + `","library":{"category":` + cat + `,"entity_identified":` + b +
					`,"preapproved_by_industry_dept":` + b + `,"confirmation_document":` + b + `,"stable_funding":` + b +
					`,"plan_included_on":"2024-06-0` + string(rune('1'+i)) + `","needs_implementation_plan":` + b +
					`,"completion_accepted_on":"2025-0` + string(rune('1'+i)) + `-15"},` +
					`"coordinator":{"publicity_start":"2024-09-30","confirmed_on":"2024-07-15","term_years":3},` +
					`"expert":{"birth_date":"1953-06-01","application_date":"2024-06-01","academician":` + b + `,"appointed_on":"2024-06-01"}}`
				res := eval(t, in)
				if len(res.Findings) == 0 {
					t.Errorf("no findings for %s", in)
				}
			}
		}
	}
}
