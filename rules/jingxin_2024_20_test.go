package rules

import (
	"strings"
	"testing"

	"gengxin/calendar"
)

// decp returns a pointer to the Decimal s.
func greenDec(s string) *Decimal { v := MustDecimal(s); return &v }

var greenAsOf = d("2024-09-01")

func TestGreenAwardCap(t *testing.T) {
	for _, tc := range []struct {
		name    string
		f       GreenAwardFacts
		rule    string
		outcome Outcome
		cap     string // "" = no amount
		binding string
		review  string
	}{
		// 一(二) diagnosis
		{"20号/一(二)/T39-3-firms-1-park-56万",
			GreenAwardFacts{Measure: MeasureDiagnosis, DiagnosedEnterprises: ip(3), DiagnosedParks: ip(1)}, "GL-01", Applies, "56", "", ""},
		{"20号/一(二)/parks-only",
			GreenAwardFacts{Measure: MeasureDiagnosis, DiagnosedParks: ip(2)}, "GL-01", Applies, "40", "", ""},
		{"20号/一(二)/enterprises-only",
			GreenAwardFacts{Measure: MeasureDiagnosis, DiagnosedEnterprises: ip(1)}, "GL-01", Applies, "12", "", ""},
		{"20号/一(二)/no-counts-manual",
			GreenAwardFacts{Measure: MeasureDiagnosis}, "GL-01", Manual, "", "", ""},
		{"20号/一(二)/negative-count-manual",
			GreenAwardFacts{Measure: MeasureDiagnosis, DiagnosedEnterprises: ip(-1)}, "GL-01", Manual, "", "", ""},

		// 二(一) energy saving: min(0.12万×tce, 25%×investment, 3000万)
		{"20号/二(一)/per-tce-binds",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("1000"), EligibleInvestmentWan: greenDec("4000")}, "GL-02", Applies, "120", "per_tce", ""},
		{"20号/二(一)/ratio-binds",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("10000"), EligibleInvestmentWan: greenDec("4000")}, "GL-02", Applies, "1000", "ratio", ""},
		{"20号/二(一)/exactly-3000万-cap",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("25000"), EligibleInvestmentWan: greenDec("12000")}, "GL-02", Applies, "3000", "per_tce,ratio,project_cap", ""},
		{"20号/二(一)/project-cap-binds",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("100000"), EligibleInvestmentWan: greenDec("20000")}, "GL-02", Applies, "3000", "project_cap", ""},
		{"20号/二(一)/just-below-3000万",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("24999.99"), EligibleInvestmentWan: greenDec("12000")}, "GL-02", Applies, "2999.9988", "per_tce", ""},
		{"20号/二(一)/fractional-exact",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("0.1"), EligibleInvestmentWan: greenDec("1000")}, "GL-02", Applies, "0.012", "per_tce", ""},
		{"20号/二(一)/missing-tce-manual",
			GreenAwardFacts{Measure: MeasureEnergySaving, EligibleInvestmentWan: greenDec("4000")}, "GL-02", Manual, "", "", ""},
		{"20号/二(一)/negative-investment-manual",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("1"), EligibleInvestmentWan: greenDec("-4000")}, "GL-02", Manual, "", "", ""},
		{"20号/二(一)/other-retrofit-ratio",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EnergySavedTce: greenDec("1"), EligibleInvestmentWan: greenDec("400")}, "GL-03", Applies, "100", "ratio", ""},
		{"20号/二(一)/other-retrofit-exactly-3000万",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EligibleInvestmentWan: greenDec("12000")}, "GL-03", Applies, "3000", "ratio,project_cap", ""},
		{"20号/二(一)/other-retrofit-over-3000万",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EligibleInvestmentWan: greenDec("12000.04")}, "GL-03", Applies, "3000", "project_cap", ""},
		{"20号/二(一)/other-retrofit-missing-investment",
			GreenAwardFacts{Measure: MeasureOtherRetrofit}, "GL-03", Manual, "", "", ""},

		// 二(二) 环保绩效: 10万 floor overrides the ratio (I-26)
		{"20号/二(二)/10万-floor-binds",
			GreenAwardFacts{Measure: MeasureEnvRating, EligibleInvestmentWan: greenDec("20")}, "GL-04", Manual, "10", "floor", "I-26"},
		{"20号/二(二)/exactly-10万-no-floor",
			GreenAwardFacts{Measure: MeasureEnvRating, EligibleInvestmentWan: greenDec("40")}, "GL-04", Applies, "10", "ratio", ""},
		{"20号/二(二)/9.99万-floor",
			GreenAwardFacts{Measure: MeasureEnvRating, EligibleInvestmentWan: greenDec("39.96")}, "GL-04", Manual, "10", "floor", "I-26"},
		{"20号/二(二)/3000万-cap",
			GreenAwardFacts{Measure: MeasureEnvRating, EligibleInvestmentWan: greenDec("20000")}, "GL-04", Applies, "3000", "project_cap", ""},

		// 二(三) data centre: as 二(一) 节能改造
		{"20号/二(三)/data-centre-per-tce",
			GreenAwardFacts{Measure: MeasureDataCenter, EnergySavedTce: greenDec("5000"), EligibleInvestmentWan: greenDec("8000")}, "GL-05", Applies, "600", "per_tce", ""},
		{"20号/二(三)/data-centre-3000万",
			GreenAwardFacts{Measure: MeasureDataCenter, EnergySavedTce: greenDec("30000"), EligibleInvestmentWan: greenDec("16000")}, "GL-05", Applies, "3000", "project_cap", ""},

		// 二(五) demonstration: as the green retrofit of 二(一)
		{"20号/二(五)/demonstration-as-GL-03",
			GreenAwardFacts{Measure: MeasureDemonstration, EligibleInvestmentWan: greenDec("400")}, "GL-06", Applies, "100", "ratio", ""},

		// 三(三) uplift to 30% (I-25), keeping the per-tce and 3000万 caps (D17)
		{"20号/三(三)/uplift-30%",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EligibleInvestmentWan: greenDec("1000"), ListedGreenUnit: bp(true)}, "GL-03", Manual, "300", "ratio", "I-25"},
		{"20号/三(三)/uplift-keeps-per-tce",
			GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("1000"), EligibleInvestmentWan: greenDec("4000"), ListedGreenUnit: bp(true)}, "GL-02", Manual, "120", "per_tce", "I-25"},
		{"20号/三(三)/uplift-keeps-3000万",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EligibleInvestmentWan: greenDec("20000"), ListedGreenUnit: bp(true)}, "GL-03", Manual, "3000", "project_cap", "I-25"},
		{"20号/三(三)/uplift-exactly-3000万",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EligibleInvestmentWan: greenDec("10000"), ListedGreenUnit: bp(true)}, "GL-03", Manual, "3000", "ratio,project_cap", "I-25"},
		{"20号/三(三)/uplift-env-floor",
			GreenAwardFacts{Measure: MeasureEnvRating, EligibleInvestmentWan: greenDec("20"), ListedGreenUnit: bp(true)}, "GL-04", Manual, "10", "floor", "I-25,I-26"},
		{"20号/三(三)/not-listed-25%",
			GreenAwardFacts{Measure: MeasureOtherRetrofit, EligibleInvestmentWan: greenDec("1000"), ListedGreenUnit: bp(false)}, "GL-03", Applies, "250", "ratio", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, fs := GreenAwardCap(tc.f, greenAsOf)
			checkFindings(t, tc.name, fs...)
			if len(fs) == 0 {
				t.Fatal("no findings")
			}
			f := fs[0]
			if f.Rule != tc.rule || f.Outcome != tc.outcome {
				t.Fatalf("got %s %s, want %s %s: %s", f.Rule, f.Outcome, tc.rule, tc.outcome, f.Message)
			}
			switch {
			case tc.cap == "" && c != nil:
				t.Errorf("cap %s, want none", c)
			case tc.cap != "" && (c == nil || c.String() != tc.cap):
				t.Errorf("cap %v, want %s: %s", c, tc.cap, f.Message)
			}
			if tc.cap != "" {
				if f.Values["award_cap_wan"] != tc.cap || !strings.Contains(f.Message, tc.cap+"万元") {
					t.Errorf("values/message must name the cap %s: %v %s", tc.cap, f.Values, f.Message)
				}
				if !strings.Contains(f.Message, "上限") && tc.binding != "floor" {
					t.Errorf("a cap is labelled 上限 (D17): %s", f.Message)
				}
			}
			if f.Values["binding"] != tc.binding {
				t.Errorf("binding %q, want %q", f.Values["binding"], tc.binding)
			}
			if f.Values["manual_review"] != tc.review {
				t.Errorf("manual_review %q, want %q", f.Values["manual_review"], tc.review)
			}
			if tc.f.ListedGreenUnit != nil {
				if len(fs) != 2 || fs[1].Rule != "GL-07" {
					t.Fatalf("GL-07 expected: %+v", fs)
				}
				want := NotApplicable
				if *tc.f.ListedGreenUnit {
					want = Manual
				}
				if fs[1].Outcome != want {
					t.Errorf("GL-07 %s, want %s", fs[1].Outcome, want)
				}
			} else if len(fs) != 1 {
				t.Errorf("only the measure's rule expected: %+v", fs)
			}
		})
	}
}

func TestGreenAwardCapMessages(t *testing.T) {
	t.Run("20号/二(一)/message-names-every-term", func(t *testing.T) {
		_, fs := GreenAwardCap(GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("10000"), EligibleInvestmentWan: greenDec("4000")}, greenAsOf)
		f := fs[0]
		for _, want := range []string{"10000吨标准煤", "0.12万元/吨标准煤", "1200万元", "4000万元", "25%", "1000万元", "3000万元", "不超过纳入奖励范围的项目总投资25%约束"} {
			if !strings.Contains(f.Message, want) {
				t.Errorf("message %q lacks %q", f.Message, want)
			}
		}
		for k, want := range map[string]string{"per_tce_term_wan": "1200", "ratio_term_wan": "1000", "project_cap_wan": "3000", "ratio": "0.25", "per_tce_rate_wan": "0.12"} {
			if f.Values[k] != want {
				t.Errorf("values[%s] = %q, want %q", k, f.Values[k], want)
			}
		}
		if f.Citation != "京经信发〔2024〕20号 二(一)" {
			t.Errorf("citation %q", f.Citation)
		}
	})
	t.Run("20号/二(二)/floor-message-I-26", func(t *testing.T) {
		_, fs := GreenAwardCap(GreenAwardFacts{Measure: MeasureEnvRating, EligibleInvestmentWan: greenDec("20")}, greenAsOf)
		f := fs[0]
		if f.Values["computed_wan"] != "5" || !strings.Contains(f.Message, "不足10万元") || !strings.Contains(f.Message, "I-26") {
			t.Errorf("%+v", f)
		}
	})
	t.Run("20号/三(三)/GL-07-message", func(t *testing.T) {
		_, fs := GreenAwardCap(GreenAwardFacts{Measure: MeasureDataCenter, EnergySavedTce: greenDec("1"), EligibleInvestmentWan: greenDec("1"), ListedGreenUnit: bp(true)}, greenAsOf)
		g := fs[1]
		if g.Citation != "京经信发〔2024〕20号 三(三)" || !strings.Contains(g.Message, "30%") || !strings.Contains(g.Message, "I-25") {
			t.Errorf("%+v", g)
		}
	})
	t.Run("20号/三(三)/not-for-diagnosis", func(t *testing.T) {
		_, fs := GreenAwardCap(GreenAwardFacts{Measure: MeasureDiagnosis, DiagnosedEnterprises: ip(1), ListedGreenUnit: bp(true)}, greenAsOf)
		if len(fs) != 2 || fs[1].Rule != "GL-07" || fs[1].Outcome != NotApplicable {
			t.Errorf("%+v", fs)
		}
	})
	t.Run("unknown-or-empty-measure", func(t *testing.T) {
		for _, m := range []string{"", MeasureGreenLoan, "other"} {
			if c, fs := GreenAwardCap(GreenAwardFacts{Measure: m}, greenAsOf); c != nil || len(fs) != 0 {
				t.Errorf("%q: %v %+v", m, c, fs)
			}
		}
	})
}

func TestGreenLoanSubsidyCap(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fa, loan   string
		rate       string // "" = absent
		outcome    Outcome
		cap        string
		binding    string
		rateCapped bool
	}{
		{"20号/八/T39-exactly-500万-ineligible", "500", "80000", "0.02", Fail, "", "", false},
		{"20号/八/499.99万-ineligible", "499.99", "80000", "0.02", Fail, "", "", false},
		{"20号/八/500.01万-eligible", "500.01", "1000", "0.02", Applies, "20", "rate", false},
		{"20号/八/T39-8亿-1600-capped-1000万", "600", "80000", "0.02", Applies, "1000", "annual_cap", false},
		{"20号/八/T39-3亿-600万", "600", "30000", "0.02", Applies, "600", "rate", false},
		{"20号/八/exactly-1000万", "600", "50000", "0.02", Applies, "1000", "rate,annual_cap", false},
		{"20号/八/1000.0002万-capped", "600", "50000.01", "0.02", Applies, "1000", "annual_cap", false},
		{"20号/八/rate-above-2%-computed-at-2%", "600", "30000", "0.03", Applies, "600", "rate", true},
		{"20号/八/rate-below-2%", "600", "30000", "0.015", Applies, "450", "rate", false},
		{"20号/八/rate-absent-uses-2%", "600", "30000", "", Applies, "600", "rate", false},
		{"20号/八/no-fixed-asset-manual", "", "30000", "0.02", Manual, "", "", false},
		{"20号/八/no-loan-manual", "600", "", "0.02", Manual, "", "", false},
		{"20号/八/negative-rate-manual", "600", "30000", "-0.01", Manual, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := GreenAwardFacts{Measure: MeasureGreenLoan, ProjectYear: ip(2024)}
			if tc.fa != "" {
				f.FixedAssetInvestmentWan = greenDec(tc.fa)
			}
			if tc.loan != "" {
				f.LoanAmountWan = greenDec(tc.loan)
			}
			if tc.rate != "" {
				f.SubsidyRate = greenDec(tc.rate)
			}
			c, g := GreenLoanSubsidyCap(f, greenAsOf)
			checkFindings(t, tc.name, g)
			if g.Rule != "GL-10" || g.Outcome != tc.outcome || g.Citation != "京经信发〔2024〕20号 八" {
				t.Fatalf("got %s %s %s, want %s: %s", g.Rule, g.Outcome, g.Citation, tc.outcome, g.Message)
			}
			switch {
			case tc.cap == "" && c != nil:
				t.Errorf("cap %s, want none", c)
			case tc.cap != "" && (c == nil || c.String() != tc.cap):
				t.Errorf("cap %v, want %s: %s", c, tc.cap, g.Message)
			}
			if tc.cap != "" && (g.Values["interest_subsidy_cap_wan"] != tc.cap || !strings.Contains(g.Message, "贴息上限 "+tc.cap+"万元")) {
				t.Errorf("values/message: %v %s", g.Values, g.Message)
			}
			if g.Values["binding"] != tc.binding {
				t.Errorf("binding %q, want %q", g.Values["binding"], tc.binding)
			}
			if (g.Values["rate_capped"] == "true") != tc.rateCapped {
				t.Errorf("rate_capped %q", g.Values["rate_capped"])
			}
			if tc.outcome == Fail && !strings.Contains(g.Message, "未超过 500万元") {
				t.Errorf("message must say why: %s", g.Message)
			}
		})
	}
}

func TestGreenPolicyInForce(t *testing.T) {
	for _, tc := range []struct {
		name string
		year *int
		on   string
		want Outcome
	}{
		{"20号/文末/issue-day", nil, "2024-04-16", Pass},
		{"20号/文末/day-before-issue", nil, "2024-04-15", OutOfForce},
		{"20号/文末/2027-12-31-last-day", ip(2027), "2027-12-31", Pass},
		{"20号/文末/2028-01-01", nil, "2028-01-01", OutOfForce},
		{"20号/文末/T39-2028-claim", ip(2028), "2027-06-01", OutOfForce},
		{"20号/文末/2023-project", ip(2023), "2024-09-01", OutOfForce},
		{"20号/文末/2024-project", ip(2024), "2024-09-01", Pass},
		{"20号/文末/zero-as_of", nil, "", OutOfForce},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var on calendar.Date
			if tc.on != "" {
				on = d(tc.on)
			}
			f := GreenPolicyInForce(tc.year, on)
			checkFindings(t, tc.name, f)
			if f.Rule != "GL-11" || f.Outcome != tc.want || f.Citation != "京经信发〔2024〕20号 文末" {
				t.Errorf("%+v", f)
			}
			if tc.want == OutOfForce && !strings.Contains(f.Message, "2027-12-31") {
				t.Errorf("message must name the window: %s", f.Message)
			}
		})
	}
	t.Run("20号/文末/T39-2028-claim-no-amount", func(t *testing.T) {
		c, fs := GreenAwardCap(GreenAwardFacts{Measure: MeasureEnergySaving, EnergySavedTce: greenDec("1000"), EligibleInvestmentWan: greenDec("4000"), ProjectYear: ip(2028), ListedGreenUnit: bp(true)}, d("2027-06-01"))
		if c != nil {
			t.Errorf("no amount out of force: %s", c)
		}
		for _, f := range fs {
			if f.Outcome != OutOfForce || f.Values["valid_to"] != "2027-12-31" || !strings.Contains(f.Message, "项目年度 2028 年") {
				t.Errorf("%+v", f)
			}
		}
		if fs[0].Values["award_cap_wan"] != "120" {
			t.Errorf("the computed values stay for the officer: %v", fs[0].Values)
		}
		lc, lf := GreenLoanSubsidyCap(GreenAwardFacts{Measure: MeasureGreenLoan, FixedAssetInvestmentWan: greenDec("600"), LoanAmountWan: greenDec("30000"), ProjectYear: ip(2028)}, d("2027-06-01"))
		if lc != nil || lf.Outcome != OutOfForce {
			t.Errorf("%v %+v", lc, lf)
		}
	})
}

// TestEvalGreenT39 runs every variant of SCENARIOS T39 through Eval.
func TestEvalGreenT39(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		rules    string
		amounts  map[string]string
		worst    Outcome
	}{
		{"20号/八/T39-500万-ineligible",
			`{"as_of":"2024-09-01","green_award":{"measure":"green_loan","fixed_asset_investment_wan":500,"loan_amount_wan":80000,"subsidy_rate":0.02,"project_year":2024}}`,
			"GL-10,GL-11", nil, Fail},
		{"20号/八/T39-8亿",
			`{"as_of":"2024-09-01","green_award":{"measure":"green_loan","fixed_asset_investment_wan":600,"loan_amount_wan":80000,"subsidy_rate":0.02,"project_year":2024}}`,
			"GL-10,GL-11", map[string]string{"interest_subsidy_cap_wan": "1000"}, Applies},
		{"20号/八/T39-3亿",
			`{"as_of":"2024-09-01","green_award":{"measure":"green_loan","fixed_asset_investment_wan":600,"loan_amount_wan":30000,"subsidy_rate":0.02,"project_year":2024}}`,
			"GL-10,GL-11", map[string]string{"interest_subsidy_cap_wan": "600"}, Applies},
		{"20号/一(二)/T39-diagnosis-56万",
			`{"as_of":"2024-09-01","green_award":{"measure":"diagnosis","diagnosed_enterprises":3,"diagnosed_parks":1}}`,
			"GL-01,GL-11", map[string]string{"award_cap_wan": "56"}, Applies},
		{"20号/文末/T39-2028-claim",
			`{"as_of":"2027-06-01","green_award":{"measure":"energy_saving","energy_saved_tce":10000,"eligible_investment_wan":4000,"project_year":2028}}`,
			"GL-02,GL-11", nil, OutOfForce},
		{"20号/文末/T39-2028-as_of",
			`{"as_of":"2028-01-01","green_award":{"measure":"diagnosis","diagnosed_enterprises":3,"diagnosed_parks":1}}`,
			"GL-01,GL-11", nil, OutOfForce},
		{"20号/八/listed-green-loan",
			`{"as_of":"2024-09-01","green_award":{"measure":"green_loan","fixed_asset_investment_wan":600,"loan_amount_wan":30000,"listed_green_unit":true}}`,
			"GL-07,GL-10,GL-11", map[string]string{"interest_subsidy_cap_wan": "600"}, Applies},
		{"20号/二(一)/FACTS-example",
			`{"as_of":"2024-09-01","green_award":{"measure":"energy_saving","energy_saved_tce":10000,"eligible_investment_wan":4000,"listed_green_unit":false,"diagnosed_enterprises":3,"diagnosed_parks":1,"fixed_asset_investment_wan":600,"loan_amount_wan":80000,"subsidy_rate":0.02,"project_year":2024}}`,
			"GL-02,GL-07,GL-10,GL-11", map[string]string{"award_cap_wan": "1000", "interest_subsidy_cap_wan": "1000"}, Applies},
		{"20号/八/energy-saving-with-ineligible-loan",
			`{"as_of":"2024-09-01","green_award":{"measure":"energy_saving","energy_saved_tce":1000,"eligible_investment_wan":4000,"fixed_asset_investment_wan":500,"loan_amount_wan":80000}}`,
			"GL-02,GL-10,GL-11", map[string]string{"award_cap_wan": "120"}, Fail},
		{"20号/no-measure",
			`{"as_of":"2024-09-01","green_award":{"project_year":2024}}`,
			"GL-11", nil, Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := eval(t, tc.in)
			if got := strings.Join(rulesOf(res), ","); got != tc.rules {
				t.Errorf("rules %s, want %s", got, tc.rules)
			}
			if len(res.Amounts) != len(tc.amounts) {
				t.Errorf("amounts %v, want %v", res.Amounts, tc.amounts)
			}
			for k, v := range tc.amounts {
				if res.Amounts[k] != v {
					t.Errorf("amounts[%s] = %q, want %q", k, res.Amounts[k], v)
				}
			}
			if w := Worst(res.Findings); w != tc.worst {
				t.Errorf("worst %s, want %s", w, tc.worst)
			}
		})
	}
}

// TestGreenParams checks the Params of 京经信发〔2024〕20号 and 25号: a
// citation of their own document, a From date, a unit, a positive value,
// unique names.
func TestGreenParams(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range GreenParams() {
		if seen[p.Name] {
			t.Errorf("duplicate Param %s", p.Name)
		}
		seen[p.Name] = true
		if !citesDocument(p.Citation) || !(strings.HasPrefix(p.Citation, JingXin20.Number+" ") || strings.HasPrefix(p.Citation, JingXin25.Number+" ")) {
			t.Errorf("Param %s citation %q", p.Name, p.Citation)
		}
		if p.From.IsZero() || p.Unit == "" {
			t.Errorf("Param %s has no From date or unit", p.Name)
		}
		if p.Decimal().Sign() <= 0 {
			t.Errorf("Param %s = %s", p.Name, p.Value)
		}
		if !strings.Contains(p.String(), p.Citation) {
			t.Errorf("Param %s String %q", p.Name, p.String())
		}
	}
	if len(seen) != 20 {
		t.Errorf("%d Params, want 20", len(seen))
	}
}
