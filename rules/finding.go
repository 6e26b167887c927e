package rules

import (
	"encoding/json"

	"gengxin/calendar"
)

// Outcome is the verdict of one rule on one case (FACTS.md "outcome").
type Outcome string

// The outcomes of FACTS.md. Fail is a hard violation and Warn a soft one
// (DECISIONS.md D8); OutOfForce means the rule's document was not in force on
// the date that matters (DECISIONS.md D7) and the rule was not applied.
const (
	Pass          Outcome = "pass"
	Fail          Outcome = "fail"
	Warn          Outcome = "warn"
	Applies       Outcome = "applies"
	NotApplicable Outcome = "not_applicable"
	Manual        Outcome = "manual"
	OutOfForce    Outcome = "out_of_force"
)

// Finding is one rule's answer with its reasons: the rule id of RULES.md §4,
// the outcome, the citation as printed in the gazette (DECISIONS.md D9), a
// Chinese message naming the values compared, and those values as strings.
// Values marshals as a JSON object, never null.
type Finding struct {
	Rule     string            `json:"rule"`
	Outcome  Outcome           `json:"outcome"`
	Citation string            `json:"citation"`
	Message  string            `json:"message"`
	Values   map[string]string `json:"values"`
}

// MarshalJSON writes the finding with "values" as {} when it is nil.
func (f Finding) MarshalJSON() ([]byte, error) {
	type plain Finding
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	return json.Marshal(plain(f))
}

// Route is the procedure an old-factory case takes (FACTS.md "route").
type Route struct {
	Track  string `json:"track"`
	Permit string `json:"permit,omitempty"`
}

// Result is the output document of FACTS.md: the date the rules were
// evaluated on, the findings in evaluation order, and the route, dates
// (last days, YYYY-MM-DD) and amounts (万元, decimal strings) the facts allow.
// "findings" is always an array; "route" is omitted when nil and
// "dates"/"amounts" when empty.
type Result struct {
	AsOf     calendar.Date     `json:"as_of"`
	Findings []Finding         `json:"findings"`
	Route    *Route            `json:"route,omitempty"`
	Dates    map[string]string `json:"dates,omitempty"`
	Amounts  map[string]string `json:"amounts,omitempty"`
}

// MarshalJSON writes the result with "findings" as [] when there are none.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	return json.Marshal(plain(r))
}

// severity orders outcomes for Worst: the first listed is the worst.
var severity = []Outcome{Fail, OutOfForce, Warn, Manual, Applies, Pass, NotApplicable}

// Worst returns the most serious outcome among fs (fail, out_of_force, warn,
// manual, applies, pass, not_applicable, in that order), or NotApplicable
// when fs is empty. A guard made of several findings blocks when Worst is
// Fail or OutOfForce and needs a justification when it is Warn or Manual.
func Worst(fs []Finding) Outcome {
	best := len(severity) - 1
	for _, f := range fs {
		for i, o := range severity {
			if o == f.Outcome && i < best {
				best = i
			}
		}
	}
	return severity[best]
}

// finding builds a Finding whose Values is never nil.
func finding(rule string, o Outcome, citation, msg string, values map[string]string) Finding {
	if values == nil {
		values = map[string]string{}
	}
	return Finding{Rule: rule, Outcome: o, Citation: citation, Message: msg, Values: values}
}
