package rules

import (
	"strings"
	"testing"

	"gengxin/calendar"
)

func TestCoordinatorPublicity(t *testing.T) {
	cal := calendar.Default()
	for _, tc := range []struct {
		name, method, start, want string
		outcome                   Outcome
	}{
		{"1号/第七条第三款/T35-holiday-end", MethodOpenSelection, "2024-09-30", "2024-10-08", Applies},
		{"1号/第七条第三款/T35-july", MethodOpenSelection, "2024-07-01", "2024-07-08", Applies},
		{"1号/第七条第三款/T35-指定-still-publicised", MethodDesignation, "2024-07-01", "2024-07-08", Applies},
		{"1号/第七条第三款/招标", MethodTender, "2024-07-01", "2024-07-08", Applies},
		{"1号/第六条第三款/T35-涉密", MethodClassified, "2024-07-01", "", NotApplicable},
		{"1号/第六条第三款/紧急救援", MethodEmergency, "", "", NotApplicable},
		{"1号/第七条第三款/no-start", MethodOpenSelection, "", "", Manual},
		{"1号/第十三条/start-before-in-force", MethodOpenSelection, "2024-05-09", "", OutOfForce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var start calendar.Date
			if tc.start != "" {
				start = d(tc.start)
			}
			end, f := CoordinatorPublicity(cal, tc.method, start, asOf)
			checkFindings(t, tc.name, f)
			if end.String() != tc.want || f.Outcome != tc.outcome || f.Rule != "CE-02" || f.Citation != "京建法〔2024〕1号 第七条第三款" {
				t.Errorf("end %s, %+v", end, f)
			}
		})
	}
}

func TestCoordinatorTerm(t *testing.T) {
	for _, tc := range []struct {
		name      string
		confirmed string
		years     int
		want      string
		outcome   Outcome
	}{
		{"1号/第十一条第二款/3-years", "2024-07-15", 3, "2027-07-15", Pass},
		{"1号/第十一条第二款/1-year", "2024-07-15", 1, "2025-07-15", Pass},
		{"1号/第十一条第二款/4-years-soft", "2024-07-15", 4, "2028-07-15", Warn},
		{"1号/第十一条第二款/zero", "2024-07-15", 0, "", Fail},
		{"1号/第十一条第二款/leap-day", "2024-02-29", 1, "", OutOfForce},
		{"1号/第十一条第二款/no-date", "", 3, "", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c calendar.Date
			if tc.confirmed != "" {
				c = d(tc.confirmed)
			}
			end, f := CoordinatorTerm(c, tc.years, asOf)
			checkFindings(t, tc.name, f)
			if end.String() != tc.want || f.Outcome != tc.outcome || f.Rule != "CE-03" || f.Citation != "京建法〔2024〕1号 第十一条第二款" {
				t.Errorf("end %s, %+v", end, f)
			}
		})
	}
	_, f := CoordinatorTerm(d("2024-07-15"), 3, asOf)
	if f.Values["beyond_validity"] != "true" {
		t.Errorf("a term ending 2027-07-15 must be flagged beyond validity (I-19): %+v", f)
	}
}

func TestExpertAge(t *testing.T) {
	for _, tc := range []struct {
		name, birth, applied string
		academician, short   bool
		want                 Outcome
		age                  string
	}{
		{"3号/第五条(二)/T37-age-70", "1954-03-01", "2024-06-01", false, false, Pass, "70"},
		{"3号/第五条(二)/T37-age-71", "1953-05-15", "2024-06-01", false, false, Warn, "71"},
		{"3号/第五条(二)/T37-academician-72", "1952-01-01", "2024-06-01", true, false, Pass, "72"},
		{"3号/第五条(二)/shortage-field-75", "1949-01-01", "2024-06-01", false, true, Pass, "75"},
		{"3号/第五条(二)/day-before-71st-birthday", "1953-06-02", "2024-06-01", false, false, Pass, "70"},
		{"3号/第五条(二)/on-71st-birthday", "1953-06-01", "2024-06-01", false, false, Warn, "71"},
		{"3号/第十四条/applied-before-in-force", "1960-01-01", "2024-05-09", false, false, OutOfForce, "64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ExpertAgeEligible(d(tc.birth), d(tc.applied), tc.academician, tc.short, asOf)
			checkFindings(t, tc.name, f)
			if f.Outcome != tc.want || f.Values["age"] != tc.age || f.Rule != "EX-01" || f.Citation != "京建法〔2024〕3号 第五条(二)" {
				t.Errorf("%+v", f)
			}
		})
	}
	if f := ExpertAgeEligible(calendar.Date{}, d("2024-06-01"), false, false, asOf); f.Outcome != Manual {
		t.Errorf("%+v", f)
	}
	if got := AgeOn(d("2000-02-29"), d("2001-02-28")); got != 1 {
		t.Errorf("AgeOn leap = %d", got)
	}
}

func TestExpertTerm(t *testing.T) {
	end, f := ExpertTerm(d("2024-06-01"), asOf)
	checkFindings(t, "EX-02", f)
	if end != d("2027-06-01") || f.Outcome != Applies || f.Values["beyond_validity"] != "true" || f.Citation != "京建法〔2024〕3号 第六条" {
		t.Errorf("T37 term: %s %+v", end, f)
	}
	if !strings.Contains(f.Message, "2027-06-01") {
		t.Errorf("message: %s", f.Message)
	}
	if end, f := ExpertTerm(d("2024-05-01"), asOf); !end.IsZero() || f.Outcome != OutOfForce {
		t.Errorf("before 施行: %s %+v", end, f)
	}
}

// TestEvalCoordinatorExtensionsAndExpertRelations: `rules eval` answers
// CE-04 per extension (12 months pass, 18 warn; term_end after the last),
// EX-04 per relation code with its item of 第十条, and EX-05 per sanction.
func TestEvalCoordinatorExtensionsAndExpertRelations(t *testing.T) {
	res := eval(t, `{"as_of":"2025-06-01","coordinator":{"method":"公开比选","confirmed_on":"2024-06-01","term_years":1,"extension_months":[12]}}`)
	if res.Dates["term_end"] != "2026-06-01" || res.Dates["coordinator_term_end"] != "2026-06-01" {
		t.Fatalf("1 year + 12 months: %v", res.Dates)
	}
	outcomes := func(r Result, rule string) []Outcome {
		var out []Outcome
		for _, f := range r.Findings {
			if f.Rule == rule {
				out = append(out, f.Outcome)
			}
		}
		return out
	}
	if got := outcomes(res, "CE-04"); len(got) != 1 || got[0] != Pass {
		t.Fatalf("12 months: %v", got)
	}
	res = eval(t, `{"as_of":"2025-06-01","coordinator":{"method":"公开比选","confirmed_on":"2024-06-01","term_years":1,"extension_months":[18]}}`)
	if got := outcomes(res, "CE-04"); len(got) != 1 || got[0] != Warn || res.Dates["term_end"] != "2026-12-01" {
		t.Fatalf("18 months: %v %v", got, res.Dates)
	}
	res = eval(t, `{"as_of":"2025-06-01","coordinator":{"method":"公开比选","confirmed_on":"2024-06-01","term_years":4}}`)
	if got := outcomes(res, "CE-03"); len(got) != 1 || got[0] != Warn {
		t.Fatalf("4 years: %v", got)
	}
	res = eval(t, `{"as_of":"2025-06-01","expert":{"birth_date":"1960-01-01","application_date":"2025-06-01",
		"relations":["leads_or_participates","close_relative_of_leader","economic_interest","employer_subordinate","custom:不抽取本单位专家"],"sanction":"刑事处罚"}}`)
	var cites []string
	for _, f := range res.Findings {
		if f.Rule == "EX-04" {
			if f.Outcome != Fail {
				t.Fatalf("relation %v: %s", f.Values, f.Outcome)
			}
			cites = append(cites, strings.TrimPrefix(f.Citation, "京建法〔2024〕3号 "))
		}
	}
	if strings.Join(cites, " ") != "第十条(一) 第十条(二) 第十条(二) 第十条(三) 第十条第二款" {
		t.Fatalf("recusal citations %v", cites)
	}
	if got := outcomes(res, "EX-05"); len(got) != 1 || got[0] != Applies {
		t.Fatalf("sanction: %v", got)
	}
	res = eval(t, `{"as_of":"2025-06-01","expert":{"birth_date":"1960-01-01","application_date":"2025-06-01","relations":[],"sanction":"none"}}`)
	if got := outcomes(res, "EX-04"); len(got) != 1 || got[0] != Pass {
		t.Fatalf("no relation: %v", got)
	}
	if got := outcomes(res, "EX-05"); len(got) != 1 || got[0] != Pass {
		t.Fatalf("no sanction: %v", got)
	}
}
