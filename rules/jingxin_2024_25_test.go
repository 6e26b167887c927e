package rules

import (
	"strings"
	"testing"

	"gengxin/calendar"
)

func greenDate(s string) *calendar.Date { v := d(s); return &v }

func TestPUETarget(t *testing.T) {
	for _, tc := range []struct {
		name     string
		kind     string
		energy   string // "" = absent
		pue      string // "" = absent
		measured string // "" = absent
		asOf     string
		want     Outcome
		limit    string
	}{
		{"25号/二(四)/new-1.25-pass", CenterNew, "20000", "1.25", "2025-06-30", "2025-07-01", Pass, "1.25"},
		{"25号/二(四)/new-1.2501-warn", CenterNew, "20000", "1.2501", "2025-06-30", "2025-07-01", Warn, "1.25"},
		{"25号/二(四)/expanded-1.25-pass", CenterExpanded, "20000", "1.25", "", "2025-07-01", Pass, "1.25"},
		{"25号/二(四)/expanded-1.26-warn", CenterExpanded, "20000", "1.26", "", "2025-07-01", Warn, "1.25"},
		{"25号/二(四)/exactly-3.0万-tce-1.25-band", CenterNew, "30000", "1.25", "", "2025-07-01", Pass, "1.25"},
		{"25号/二(四)/exactly-3.0万-tce-1.2-pass", CenterNew, "30000", "1.2", "", "2025-07-01", Pass, "1.25"},
		{"25号/二(四)/3.0001万-tce-1.2-warn", CenterNew, "30001", "1.2", "", "2025-07-01", Warn, "1.15"},
		{"25号/二(四)/30000.0001-tce-1.15-band", CenterNew, "30000.0001", "1.16", "", "2025-07-01", Warn, "1.15"},
		{"25号/二(四)/large-1.15-pass", CenterNew, "30001", "1.15", "", "2025-07-01", Pass, "1.15"},
		{"25号/二(四)/large-1.1501-warn", CenterExpanded, "50000", "1.1501", "", "2025-07-01", Warn, "1.15"},
		{"25号/二(四)/no-energy-1.15-pass", CenterNew, "", "1.15", "", "2025-07-01", Pass, "1.15"},
		{"25号/二(四)/no-energy-1.2-manual", CenterNew, "", "1.2", "", "2025-07-01", Manual, "1.25|1.15"},
		{"25号/二(四)/no-energy-1.3-warn", CenterNew, "", "1.3", "", "2025-07-01", Warn, "1.25"},
		{"25号/二(四)/existing-1.35-on-2027-12-31-pass", CenterExisting, "", "1.35", "2027-12-31", "2027-12-31", Pass, "1.35"},
		{"25号/二(四)/existing-1.36-before-deadline-warn", CenterExisting, "", "1.36", "2027-12-30", "2027-12-31", Warn, "1.35"},
		{"25号/二(四)/existing-1.3501-2025-warn", CenterExisting, "", "1.3501", "2025-03-01", "2025-07-01", Warn, "1.35"},
		{"25号/二(四)/existing-1.36-on-deadline-fail", CenterExisting, "", "1.36", "2027-12-31", "2027-12-31", Fail, "1.35"},
		{"25号/二(四)/existing-no-measured_on-uses-as_of", CenterExisting, "", "1.4", "", "2027-12-31", Fail, "1.35"},
		{"25号/二(四)/existing-measured-2028-out-of-force", CenterExisting, "", "1.4", "2028-01-01", "2027-12-31", OutOfForce, ""},
		{"25号/二(四)/as_of-2028-out-of-force", CenterNew, "1000", "1.2", "2027-12-31", "2028-01-01", OutOfForce, ""},
		{"25号/二(四)/before-issue-out-of-force", CenterNew, "1000", "1.2", "", "2024-04-23", OutOfForce, ""},
		{"25号/二(四)/issue-day-in-force", CenterNew, "1000", "1.2", "", "2024-04-24", Pass, "1.25"},
		{"25号/二(四)/no-kind-manual", "", "1000", "1.2", "", "2025-07-01", Manual, ""},
		{"25号/二(四)/no-pue-manual", CenterNew, "1000", "", "", "2025-07-01", Manual, ""},
		{"25号/二(四)/zero-pue-manual", CenterNew, "1000", "0", "", "2025-07-01", Manual, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ComputeCenterFacts{Kind: tc.kind}
			if tc.energy != "" {
				f.AnnualEnergyTce = greenDec(tc.energy)
			}
			if tc.pue != "" {
				f.PUE = greenDec(tc.pue)
			}
			if tc.measured != "" {
				f.MeasuredOn = greenDate(tc.measured)
			}
			g := PUETarget(f, d(tc.asOf))
			checkFindings(t, tc.name, g)
			if g.Rule != "CP-04" || g.Outcome != tc.want || g.Citation != "京经信发〔2024〕25号 二(四)" {
				t.Fatalf("got %s %s, want %s: %s", g.Rule, g.Outcome, tc.want, g.Message)
			}
			if g.Values["limit"] != tc.limit {
				t.Errorf("limit %q, want %q", g.Values["limit"], tc.limit)
			}
			if (tc.want == Pass || tc.want == Warn || tc.want == Fail) && (!strings.Contains(g.Message, MustDecimal(tc.pue).String()) || !strings.Contains(g.Message, tc.limit)) {
				t.Errorf("message must name PUE and limit: %s", g.Message)
			}
			if tc.want == Warn && tc.kind == CenterExisting && !strings.Contains(g.Message, "2027-12-31") {
				t.Errorf("warn must name the deadline: %s", g.Message)
			}
		})
	}
}

func TestNetworkTargets(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      NetworkFacts
		want   Outcome
		missed string
	}{
		{"25号/三(三)/all-at-limit-pass", NetworkFacts{BandwidthGbps: greenDec("400"), IntraCityRttMs: greenDec("1"), Ring200kmRttMs: greenDec("3"), WestRttMs: greenDec("5")}, Pass, ""},
		{"25号/三(三)/400G-pass", NetworkFacts{BandwidthGbps: greenDec("400")}, Pass, ""},
		{"25号/三(三)/399G-warn", NetworkFacts{BandwidthGbps: greenDec("399")}, Warn, "bandwidth_gbps"},
		{"25号/三(三)/399.99G-warn", NetworkFacts{BandwidthGbps: greenDec("399.99")}, Warn, "bandwidth_gbps"},
		{"25号/三(三)/1ms-pass", NetworkFacts{IntraCityRttMs: greenDec("1")}, Pass, ""},
		{"25号/三(三)/1.01ms-warn", NetworkFacts{IntraCityRttMs: greenDec("1.01")}, Warn, "intra_city_rtt_ms"},
		{"25号/三(三)/200km-3ms-pass", NetworkFacts{Ring200kmRttMs: greenDec("3")}, Pass, ""},
		{"25号/三(三)/200km-3.01ms-warn", NetworkFacts{Ring200kmRttMs: greenDec("3.01")}, Warn, "ring_200km_rtt_ms"},
		{"25号/三(三)/west-5ms-pass", NetworkFacts{WestRttMs: greenDec("5")}, Pass, ""},
		{"25号/三(三)/west-5.01ms-warn", NetworkFacts{WestRttMs: greenDec("5.01")}, Warn, "west_rtt_ms"},
		{"25号/三(三)/two-missed", NetworkFacts{BandwidthGbps: greenDec("100"), IntraCityRttMs: greenDec("0.5"), WestRttMs: greenDec("6")}, Warn, "bandwidth_gbps,west_rtt_ms"},
		{"25号/三(三)/nothing-manual", NetworkFacts{}, Manual, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NetworkTargets(tc.n, nil, d("2025-07-01"))
			checkFindings(t, tc.name, g)
			if g.Rule != "CP-07" || g.Outcome != tc.want || g.Citation != "京经信发〔2024〕25号 三(三)" {
				t.Fatalf("got %s %s, want %s: %s", g.Rule, g.Outcome, tc.want, g.Message)
			}
			if g.Values["missed"] != tc.missed {
				t.Errorf("missed %q, want %q", g.Values["missed"], tc.missed)
			}
			if tc.n.BandwidthGbps != nil && !strings.Contains(g.Message, "400G以上") {
				t.Errorf("message must name the target: %s", g.Message)
			}
		})
	}
	t.Run("25号/三(三)/measured-2028-out-of-force", func(t *testing.T) {
		g := NetworkTargets(NetworkFacts{BandwidthGbps: greenDec("400")}, greenDate("2028-01-01"), d("2027-12-31"))
		if g.Outcome != OutOfForce || !strings.Contains(g.Message, "测量日 2028-01-01") {
			t.Errorf("%+v", g)
		}
	})
}

func TestEvalComputeCenter(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		rules    string
		outcomes string
	}{
		{"25号/new-FACTS-example",
			`{"as_of":"2024-09-01","compute_center":{"kind":"new","annual_energy_tce":30000,"pue":1.20,"measured_on":"2027-12-31","network":{"intra_city_rtt_ms":1.0,"ring_200km_rtt_ms":3.0,"west_rtt_ms":5.0,"bandwidth_gbps":400}}}`,
			"CP-03,CP-04,CP-07,GL-09,VAL-JingXin25", "manual,pass,pass,applies,pass"},
		{"25号/existing-before-deadline",
			`{"as_of":"2026-01-10","compute_center":{"kind":"existing","pue":1.5,"measured_on":"2026-01-05"}}`,
			"CP-04,CP-09,CP-11,VAL-JingXin25", "warn,applies,manual,pass"},
		{"25号/expanded-large",
			`{"as_of":"2025-01-10","compute_center":{"kind":"expanded","annual_energy_tce":40000,"pue":1.2}}`,
			"CP-03,CP-04,GL-09,VAL-JingXin25", "manual,warn,applies,pass"},
		{"25号/as_of-2028",
			`{"as_of":"2028-01-01","compute_center":{"kind":"existing","pue":1.3,"network":{"bandwidth_gbps":400}}}`,
			"CP-04,CP-07,CP-09,CP-11,VAL-JingXin25", "out_of_force,out_of_force,out_of_force,out_of_force,out_of_force"},
		{"25号/network-only",
			`{"as_of":"2025-01-10","compute_center":{"network":{"bandwidth_gbps":399}}}`,
			"CP-07,VAL-JingXin25", "warn,pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := eval(t, tc.in)
			var outs []string
			for _, f := range res.Findings {
				outs = append(outs, string(f.Outcome))
			}
			if got := strings.Join(rulesOf(res), ","); got != tc.rules {
				t.Errorf("rules %s, want %s", got, tc.rules)
			}
			if got := strings.Join(outs, ","); got != tc.outcomes {
				t.Errorf("outcomes %s, want %s", got, tc.outcomes)
			}
			if res.Amounts != nil {
				t.Errorf("compute_center gives no amounts (CP-11 ratio unspecified): %v", res.Amounts)
			}
		})
	}
	t.Run("20号/五/GL-09-is-20号-not-25号", func(t *testing.T) {
		g := GreenPowerTarget(CenterNew, d("2024-09-01"))
		if g.Citation != "京经信发〔2024〕20号 五" || !strings.Contains(g.Message, "50%") || !strings.Contains(g.Message, "2025") {
			t.Errorf("%+v", g)
		}
		if g := GreenPowerTarget(CenterExisting, d("2024-09-01")); g.Outcome != NotApplicable {
			t.Errorf("%+v", g)
		}
	})
	t.Run("25号/not-applicable-by-kind", func(t *testing.T) {
		on := d("2025-01-10")
		for _, g := range []Finding{
			GeneralComputeCheck(CenterExisting, on),
			ExistingCenterUpgrade(ComputeCenterFacts{Kind: CenterNew}, on),
			ExistingCenterFunding(CenterExpanded, on),
		} {
			checkFindings(t, g.Rule, g)
			if g.Outcome != NotApplicable {
				t.Errorf("%+v", g)
			}
		}
		for _, g := range []Finding{
			GeneralComputeCheck(CenterNew, d("2028-01-01")),
			ExistingCenterUpgrade(ComputeCenterFacts{Kind: CenterExisting}, d("2028-01-01")),
			ExistingCenterFunding(CenterExisting, d("2028-01-01")),
			GreenPowerTarget(CenterNew, d("2028-01-01")),
			PUETarget(ComputeCenterFacts{Kind: CenterExpanded, PUE: greenDec("1.2")}, d("2024-04-23")),
		} {
			if g.Outcome != OutOfForce || g.Values["valid_to"] != "2027-12-31" {
				t.Errorf("%+v", g)
			}
		}
	})
	t.Run("25号/二(四)/unknown-kind-manual", func(t *testing.T) {
		if g := PUETarget(ComputeCenterFacts{Kind: "other", PUE: greenDec("1.2")}, d("2025-01-10")); g.Outcome != Manual {
			t.Errorf("%+v", g)
		}
	})
}
