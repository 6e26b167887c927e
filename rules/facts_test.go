package rules

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseFactsFull(t *testing.T) {
	b, err := os.ReadFile("testdata/facts_full.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFacts(strings.NewReader(string(b)), d("2030-01-01"))
	if err != nil {
		t.Fatalf("ParseFacts: %v", err)
	}
	if f.AsOf != d("2024-09-01") {
		t.Errorf("AsOf = %s", f.AsOf)
	}
	l := f.Library
	if l == nil || l.Category != "产业类" || !*l.EntityIdentified || *l.PreapprovedByIndustryDept || *l.PlanYear != 2024 ||
		*l.ExpectedStartYear != 2025 || *l.PlanIncludedOn != d("2024-07-15") || l.ImplementationPlanDoneOn != nil || l.CompletionAcceptedOn != nil {
		t.Errorf("library = %+v", l)
	}
	o := f.OldFactory
	if o == nil || o.Renovation == nil || o.Land == nil || o.Transition == nil || o.Ownership == nil {
		t.Fatalf("old_factory = %+v", o)
	}
	if o.Renovation.ExcavationDepthM.String() != "2.5" || o.Land.LeaseThenSale.SaleYears.String() != "30" ||
		o.Ownership.YesAreaShare.Cmp(MustDecimal("0.75")) != 0 || *o.Transition.ConstructionPermitOn != d("2024-08-01") ||
		o.Transition.PlanningPermitOn != nil || *o.Renovation.StoreysAfter != 1 || *o.Renovation.SingleFunction != true {
		t.Errorf("old_factory details wrong: %+v", o)
	}
	if c := f.Coordinator; c == nil || len(c.ExtensionMonths) != 2 || *c.TermYears != 3 {
		t.Errorf("coordinator = %+v", c)
	}
	if x := f.Expert; x == nil || len(x.Relations) != 2 || x.Sanction != "none" {
		t.Errorf("expert = %+v", x)
	}
	if g := f.GreenAward; g == nil || g.SubsidyRate.String() != "0.02" || *g.DiagnosedParks != 1 {
		t.Errorf("green_award = %+v", g)
	}
	if c := f.ComputeCenter; c == nil || c.PUE.String() != "1.2" || c.Network.BandwidthGbps.String() != "400" {
		t.Errorf("compute_center = %+v", c)
	}
}

func TestParseFactsAbsentDiffersFromFalse(t *testing.T) {
	f, err := ParseFacts(strings.NewReader(`{"library":{"entity_identified":false,"goal_stated":null}}`), d("2024-09-01"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Library.EntityIdentified == nil || *f.Library.EntityIdentified {
		t.Error("entity_identified=false must be a non-nil false")
	}
	if f.Library.GoalStated != nil || f.Library.FundEstimateDone != nil {
		t.Error("null and absent must be nil")
	}
	if f.AsOf != d("2024-09-01") {
		t.Errorf("as_of default = %s, want today", f.AsOf)
	}
	if f.Coordinator != nil {
		t.Error("absent section must be nil")
	}
}

func TestParseFactsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"unknown-top", `{"libary":{}}`, `未知字段 "libary"`},
		{"unknown-library", `{"library":{"foo":1}}`, `未知字段 "library.foo"`},
		{"unknown-nested-3", `{"old_factory":{"renovation":{"height_m":20}}}`, `未知字段 "old_factory.renovation.height_m"`},
		{"unknown-nested-4", `{"old_factory":{"land":{"lease_then_sale":{"x":1}}}}`, `未知字段 "old_factory.land.lease_then_sale.x"`},
		{"unknown-network", `{"compute_center":{"network":{"rtt":1}}}`, `未知字段 "compute_center.network.rtt"`},
		{"case-sensitive", `{"library":{"Category":"产业类"}}`, `未知字段 "library.Category"`},
		{"bad-date", `{"library":{"plan_included_on":"2024-02-30"}}`, `"library.plan_included_on"`},
		{"bad-date-format", `{"coordinator":{"confirmed_on":"2024/07/15"}}`, `"coordinator.confirmed_on"`},
		{"date-not-string", `{"expert":{"birth_date":19540301}}`, `"expert.birth_date" 应为日期字符串`},
		{"bad-as_of", `{"as_of":"2024-13-01"}`, `"as_of"`},
		{"bool-as-string", `{"library":{"goal_stated":"true"}}`, `"library.goal_stated" 应为 true 或 false`},
		{"int-fraction", `{"library":{"plan_year":2024.5}}`, `"library.plan_year" 应为整数`},
		{"int-string", `{"coordinator":{"term_years":"3"}}`, `"coordinator.term_years" 应为整数`},
		{"array-elem", `{"coordinator":{"extension_months":[12,"x"]}}`, `"coordinator.extension_months[1]" 应为整数`},
		{"decimal-bad-string", `{"old_factory":{"building_area_m2":"1e4"}}`, `"old_factory.building_area_m2"`},
		{"decimal-bool", `{"green_award":{"subsidy_rate":true}}`, `"green_award.subsidy_rate" 应为数值`},
		{"decimal-huge-exponent", `{"compute_center":{"pue":1e999}}`, `"compute_center.pue"`},
		{"enum", `{"library":{"category":"商业类"}}`, `"library.category" 的值 "商业类" 无效`},
		{"enum-method", `{"coordinator":{"method":"抽签"}}`, `"coordinator.method"`},
		{"enum-relations", `{"expert":{"relations":["friend"]}}`, `"expert.relations[0]"`},
		{"enum-custom-empty", `{"expert":{"relations":["custom:"]}}`, `"expert.relations[0]"`},
		{"section-not-object", `{"library":[]}`, `"library" 应为对象`},
		{"not-object", `[1,2]`, `应为一个 JSON 对象`},
		{"empty", ``, `输入为空`},
		{"trailing", `{"as_of":"2024-09-01"} {}`, `多余数据`},
		{"trailing-garbage", `{} x`, `多余数据`},
		{"syntax", `{"library":{`, `JSON`},
		{"syntax-mid", `{"library":{"a" 1}}`, `JSON 语法错误`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFacts(strings.NewReader(tc.in), d("2024-09-01"))
			if err == nil {
				t.Fatalf("ParseFacts(%s) succeeded", tc.in)
			}
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not *InputError", err)
			}
			if !strings.Contains(ie.Message, tc.want) {
				t.Errorf("error %q does not contain %q", ie.Message, tc.want)
			}
		})
	}
}

func TestParseFactsAccepts(t *testing.T) {
	for _, in := range []string{
		`{}`,
		`  {"as_of":null}  ` + "\n",
		`{"old_factory":{"building_area_m2":"10000.50"}}`,
		`{"old_factory":{"building_area_m2":1e4}}`,
		`{"expert":{"relations":["custom:曾任顾问","economic_interest"]}}`,
		`{"library":{"category":null}}`,
		`{"coordinator":{"extension_months":null}}`,
	} {
		if _, err := ParseFacts(strings.NewReader(in), d("2024-09-01")); err != nil {
			t.Errorf("ParseFacts(%s): %v", in, err)
		}
	}
}
