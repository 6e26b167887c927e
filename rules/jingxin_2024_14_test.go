package rules

import (
	"strings"
	"testing"
)

func ofDec(s string) *Decimal { x := MustDecimal(s); return &x }

var ofAsOf = d("2024-09-01")

func TestOldFactoryDefinition(t *testing.T) {
	f := func(safety, output *bool, vacant, building string) OldFactoryFacts {
		o := OldFactoryFacts{SafetyHazard: safety, OutputBelowStandard: output}
		if vacant != "" {
			o.VacantAreaM2 = ofDec(vacant)
		}
		if building != "" {
			o.BuildingAreaM2 = ofDec(building)
		}
		return o
	}
	for _, tc := range []struct {
		name string
		in   OldFactoryFacts
		want Outcome
	}{
		{"14号/二(一)/exactly-50-percent-vacant", f(bp(false), bp(false), "5000", "10000"), Fail},
		{"14号/二(一)/50.01-percent-vacant", f(bp(false), bp(false), "5001", "10000"), Pass},
		{"14号/二(一)/wholly-idle", f(bp(false), bp(false), "10000", "10000"), Pass},
		{"14号/二(一)/safety-hazard-alone", f(bp(true), bp(false), "0", "10000"), Pass},
		{"14号/二(一)/output-below-standard-alone", f(bp(false), bp(true), "100", "10000"), Pass},
		{"14号/二(一)/output-unknown", f(bp(false), nil, "5000", "10000"), Manual},
		{"14号/二(一)/areas-missing", f(bp(false), bp(false), "", ""), Manual},
		{"14号/二(一)/zero-building-area", f(bp(false), bp(false), "0", "0"), Manual},
		{"14号/二(一)/vacant-exceeds-building", f(bp(false), bp(false), "12000", "10000"), Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := OldFactoryDefinition(tc.in, ofAsOf)
			checkFindings(t, tc.name, got)
			if got.Outcome != tc.want || got.Rule != "OF-01" || got.Citation != "京经信发〔2024〕14号 二(一)" {
				t.Errorf("%+v, want %s", got, tc.want)
			}
		})
	}
	t.Run("14号/二(一)/exactly-50-message", func(t *testing.T) {
		got := OldFactoryDefinition(f(bp(false), bp(false), "5000", "10000"), ofAsOf)
		if got.Values["vacant_share_percent"] != "50" || !strings.Contains(got.Message, "未超过50%") || !strings.Contains(got.Message, "京规自发〔2024〕67号 第二条") {
			t.Errorf("%+v", got)
		}
	})
	t.Run("14号/validity/before-issue", func(t *testing.T) {
		if got := OldFactoryDefinition(f(bp(true), nil, "", ""), d("2024-03-24")); got.Outcome != OutOfForce {
			t.Errorf("%+v", got)
		}
	})
	t.Run("14号/validity/no-expiry", func(t *testing.T) {
		if got := OldFactoryDefinition(f(bp(true), nil, "", ""), d("2035-01-01")); got.Outcome != Pass {
			t.Errorf("%+v", got)
		}
	})
}

func TestSingleStoreyConversion(t *testing.T) {
	r := func(single *bool, storeys *int, use string) RenovationFacts {
		return RenovationFacts{SingleStoreyBefore: single, StoreysAfter: storeys, UseAfter: use}
	}
	for _, tc := range []struct {
		name string
		in   RenovationFacts
		want Outcome
	}{
		{"14号/三(四)2/T21-3-floors-dormitory", r(bp(true), ip(3), "劳动密集型企业员工集体宿舍"), Warn},
		{"14号/三(四)2/T21-2-floors", r(bp(true), ip(2), "劳动密集型企业员工集体宿舍"), Pass},
		{"14号/三(四)2/T21-3-floors-便民服务", r(bp(true), ip(3), "便民服务"), Pass},
		{"14号/三(四)2/3-floors-保障性租赁住房", r(bp(true), ip(3), "保障性租赁住房"), Pass},
		{"14号/三(四)2/4-floors-餐饮", r(bp(true), ip(4), "餐饮"), Warn},
		{"14号/三(四)2/3-floors-office", r(bp(true), ip(3), "办公"), Warn},
		{"14号/三(四)2/3-floors-use-missing", r(bp(true), ip(3), ""), Warn},
		{"14号/三(四)2/not-single-storey", r(bp(false), ip(5), "餐饮"), NotApplicable},
		{"14号/三(四)2/storeys-missing", r(bp(true), nil, "餐饮"), Manual},
		{"14号/三(四)2/single-unknown-3-floors", r(nil, ip(3), "餐饮"), Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SingleStoreyConversion(tc.in, ofAsOf)
			checkFindings(t, tc.name, got)
			if got.Outcome != tc.want || got.Rule != "OF-08" || got.Citation != "京经信发〔2024〕14号 三(四)2" {
				t.Errorf("%+v, want %s", got, tc.want)
			}
		})
	}
	t.Run("14号/三(四)2/I-03-never-a-block", func(t *testing.T) {
		got := SingleStoreyConversion(r(bp(true), ip(3), "劳动密集型企业员工集体宿舍"), ofAsOf)
		for _, want := range []string{"不宜", "三合一", "规自67号 第十条第四款", "I-03"} {
			if !strings.Contains(got.Message, want) {
				t.Errorf("message lacks %q: %s", want, got.Message)
			}
		}
	})
}

func TestSafetyBaseline(t *testing.T) {
	for _, tc := range []struct {
		name              string
		structure, useChg *bool
		want              Outcome
	}{
		{"14号/三(五)2/structural-change", bp(true), bp(false), Applies},
		{"14号/三(五)2/use-change", bp(false), bp(true), Applies},
		{"14号/三(五)2/neither", bp(false), bp(false), NotApplicable},
		{"14号/三(五)2/unknown", nil, bp(false), Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SafetyBaseline(RenovationFacts{ChangeStructure: tc.structure, UseChangeMainClass: tc.useChg}, ofAsOf)
			checkFindings(t, tc.name, got)
			if got.Outcome != tc.want || got.Rule != "OF-15" || got.Citation != "京经信发〔2024〕14号 三(五)" {
				t.Errorf("%+v, want %s", got, tc.want)
			}
			if tc.want == Applies && got.Values["safety_inspection_required"] != "true" {
				t.Errorf("values %v", got.Values)
			}
		})
	}
}

func TestPercentDisplay(t *testing.T) {
	for _, tc := range []struct{ num, den, want string }{
		{"3000", "20000", "15"},
		{"3020", "20000", "15.1"},
		{"3000", "18000", "约16.6667"},
		{"1", "3", "约33.3333"},
	} {
		if got := percent(MustDecimal(tc.num), MustDecimal(tc.den)); got != tc.want {
			t.Errorf("percent(%s, %s) = %s, want %s", tc.num, tc.den, got, tc.want)
		}
	}
}
