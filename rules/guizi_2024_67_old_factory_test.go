package rules

import (
	"slices"
	"strings"
	"testing"

	"gengxin/calendar"
)

func ofDate(s string) *calendar.Date { x := d(s); return &x }

// ofFinding returns the finding of rule in res, failing the test when there
// is not exactly one.
func ofFinding(t *testing.T, res Result, rule string) Finding {
	t.Helper()
	var got []Finding
	for _, f := range res.Findings {
		if f.Rule == rule {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d findings for %s: %+v", len(got), rule, res.Findings)
	}
	return got[0]
}

func wantOutcome(t *testing.T, name string, f Finding, rule, citation string, want Outcome) {
	t.Helper()
	checkFindings(t, name, f)
	if f.Rule != rule || f.Outcome != want || (citation != "" && f.Citation != citation) {
		t.Errorf("%s: got %s %s %q, want %s %s %q\n%s", name, f.Rule, f.Outcome, f.Citation, rule, want, citation, f.Message)
	}
}

func TestOldFactoryParams(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range OldFactoryParams() {
		if seen[p.Name] {
			t.Errorf("duplicate Param %s", p.Name)
		}
		seen[p.Name] = true
		if !citesDocument(p.Citation) {
			t.Errorf("Param %s citation %q does not start with a document number", p.Name, p.Citation)
		}
		if !strings.HasPrefix(p.Citation, GuiZi67.Number) && !strings.HasPrefix(p.Citation, JingXin14.Number) {
			t.Errorf("Param %s is not cited to 67号 or 14号: %q", p.Name, p.Citation)
		}
		if p.From.IsZero() || p.Unit == "" || p.Int() <= 0 {
			t.Errorf("Param %s: from %s unit %q value %s", p.Name, p.From, p.Unit, p.Value)
		}
	}
	if GuiZi67ValidityYears.Int() != 5 || calendar.AddYears(GuiZi67.From, GuiZi67ValidityYears.Int()).AddDays(-1) != GuiZi67.To {
		t.Errorf("第二十九条: 5 years from 2024-03-14 ends 2029-03-13, document says %s", GuiZi67.Window())
	}
}

func TestOldFactoryRulesInForce(t *testing.T) {
	for _, tc := range []struct {
		on   string
		want Outcome
	}{{"2024-03-13", OutOfForce}, {"2024-03-14", Pass}, {"2029-03-13", Pass}, {"2029-03-14", OutOfForce}} {
		t.Run("67号/第二十九条/"+tc.on, func(t *testing.T) {
			wantOutcome(t, tc.on, OldFactoryRulesInForce(d(tc.on)), "OF-36", "京规自发〔2024〕67号 第二十九条", tc.want)
		})
	}
	t.Run("67号/第二十九条/D7-whole-case-after-expiry", func(t *testing.T) {
		res := eval(t, `{"as_of":"2029-03-14","old_factory":{"district":"海淀区","safety_hazard":true,
			"renovation":{"interior_only":true,"use_change_main_class":false,"increase_area":false,"change_outline":false},
			"transition":{"encouraged_industry":true,"complies_with_regulatory_plan":true,"land_user_unchanged":true,"construction_permit_on":"2024-08-01"},
			"publicity_start":"2024-09-25"}}`)
		for _, f := range res.Findings {
			guide := strings.HasPrefix(f.Citation, JingXin14.Number)
			if guide && f.Outcome == OutOfForce || !guide && f.Outcome != OutOfForce {
				t.Errorf("%s %s %s", f.Rule, f.Outcome, f.Citation)
			}
		}
		if res.Route != nil || len(res.Dates) != 0 {
			t.Errorf("no route or dates from rules out of force: %+v %v", res.Route, res.Dates)
		}
		if ofFinding(t, res, "OF-01").Outcome != Pass {
			t.Error("京经信发〔2024〕14号 has no expiry: OF-01 still applies")
		}
	})
}

func TestOldFactoryScope(t *testing.T) {
	for _, tc := range []struct {
		name, district, use string
		want                Outcome
	}{
		{"67号/第二条/海淀区", "海淀区", "", Applies},
		{"67号/第二条/石景山-no-suffix", "石景山", "", Applies},
		{"67号/第二条/通州区-reference-only", "通州区", "", Manual},
		{"67号/第二条/保障性租赁住房", "海淀区", "保障性租赁住房", NotApplicable},
		{"67号/第二条/district-missing", "", "", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := OldFactoryFacts{District: tc.district, Renovation: &RenovationFacts{UseAfter: tc.use}}
			got := OldFactoryScope(f, ofAsOf)
			wantOutcome(t, tc.name, got, "OF-02", "京规自发〔2024〕67号 第二条", tc.want)
		})
	}
}

func TestIndustryOrientation(t *testing.T) {
	for _, tc := range []struct {
		name          string
		inside, sub   *bool
		industry, cit string
		want          Outcome
	}{
		{"67号/第九条/inside-fifth-ring", bp(true), bp(false), "产业创新", "京规自发〔2024〕67号 第九条", Pass},
		{"67号/第九条/outside-high-end-manufacturing", bp(false), bp(false), "高端制造", "京规自发〔2024〕67号 第九条", Pass},
		{"67号/第九条/outside-innovation-soft", bp(false), bp(false), "产业创新", "京规自发〔2024〕67号 第九条", Warn},
		{"67号/第九条/outside-industry-missing", bp(false), nil, "", "京规自发〔2024〕67号 第九条", Manual},
		{"67号/第九条/ring-unknown", nil, nil, "产业创新", "京规自发〔2024〕67号 第九条", Manual},
		{"67号/第九条/I-05-sub-center-follows-guide", bp(false), bp(true), "产业创新", "京经信发〔2024〕14号 三(三)", Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := IndustryOrientation(OldFactoryFacts{InsideFifthRing: tc.inside, InSubCenter: tc.sub, ProposedIndustry: tc.industry}, ofAsOf)
			wantOutcome(t, tc.name, got, "OF-03", tc.cit, tc.want)
		})
	}
	got := IndustryOrientation(OldFactoryFacts{InSubCenter: bp(true)}, ofAsOf)
	if !strings.Contains(got.Message, "京规自发〔2024〕67号 第九条") || !strings.Contains(got.Message, "I-05") {
		t.Errorf("the 副中心 finding must name both documents: %s", got.Message)
	}
}

func TestSupportFacilitiesCap(t *testing.T) {
	for _, tc := range []struct {
		name, sup, total string
		want             Outcome
	}{
		{"67号/第十条第三款/T15-exactly-15.0", "3000", "20000", Pass},
		{"67号/第十条第三款/T15-15.1", "3020", "20000", Fail},
		{"67号/第十条第三款/one-m2-over", "3000.01", "20000", Fail},
		{"67号/第十条第三款/exact-decimal", "1500.0", "10000", Pass},
		{"67号/第十条第三款/zero-total", "10", "0", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SupportFacilitiesCap(RenovationFacts{SupportingAreaM2: ofDec(tc.sup), AboveGroundAreaAfterM2: ofDec(tc.total)}, ofAsOf)
			wantOutcome(t, tc.name, got, "OF-06", "京规自发〔2024〕67号 第十条第三款", tc.want)
		})
	}
	t.Run("67号/第十条第三款/T15-post-renovation-denominator", func(t *testing.T) {
		// building_area_m2 (18,000 ㎡ before) must not be the denominator: 3,000/18,000 = 16.7 % would fail.
		res := eval(t, `{"old_factory":{"building_area_m2":18000,"renovation":{"supporting_area_m2":3000,"above_ground_area_after_m2":20000}}}`)
		f := ofFinding(t, res, "OF-06")
		if f.Outcome != Pass || f.Values["share_percent"] != "15" || f.Values["max_area_m2"] != "3000" {
			t.Errorf("%+v", f)
		}
	})
	t.Run("67号/第十条第三款/missing", func(t *testing.T) {
		wantOutcome(t, "missing", SupportFacilitiesCap(RenovationFacts{SupportingAreaM2: ofDec("100")}, ofAsOf), "OF-06", "", Manual)
	})
}

func TestGreenRatio(t *testing.T) {
	for _, tc := range []struct {
		name, before, after string
		want                Outcome
	}{
		{"67号/第十条第五款/above-20-kept", "0.25", "0.25", Pass},
		{"67号/第十条第五款/above-20-lowered-hard", "0.25", "0.2499", Fail},
		{"67号/第十条第五款/below-20-raised-to-20", "0.15", "0.2", Pass},
		{"67号/第十条第五款/below-20-stays-below-soft", "0.15", "0.1999", Warn},
		{"67号/第十条第五款/I-21-exactly-20-kept", "0.2", "0.20", Pass},
		{"67号/第十条第五款/I-21-exactly-20-lowered", "0.20", "0.19", Warn},
		{"67号/第十条第五款/invalid-ratio", "25", "25", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := GreenRatio(RenovationFacts{GreenRatioBefore: ofDec(tc.before), GreenRatioAfter: ofDec(tc.after)}, ofAsOf)
			wantOutcome(t, tc.name, got, "OF-10", "京规自发〔2024〕67号 第十条第五款", tc.want)
		})
	}
	if got := GreenRatio(RenovationFacts{GreenRatioBefore: ofDec("0.2")}, ofAsOf); got.Outcome != Manual {
		t.Errorf("missing after: %+v", got)
	}
}

func TestAddingFloorsT21(t *testing.T) {
	for _, tc := range []struct {
		name    string
		storeys int
		use     string
		of07    Outcome
		of08    Outcome
	}{
		{"67号/第十条第四款/T21-3-floors-dormitory", 3, "劳动密集型企业员工集体宿舍", Applies, Warn},
		{"67号/第十条第四款/T21-2-floors", 2, "劳动密集型企业员工集体宿舍", Applies, Pass},
		{"67号/第十条第四款/T21-3-floors-便民服务", 3, "便民服务", Applies, Pass},
		{"67号/第十条第四款/no-floor-added", 1, "餐饮", NotApplicable, Pass},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := eval(t, `{"old_factory":{"district":"海淀区","renovation":{"single_storey_before":true,"storeys_after":`+
				strings.TrimSpace(string(rune('0'+tc.storeys)))+`,"use_after":"`+tc.use+`"}}}`)
			of07, of08 := ofFinding(t, res, "OF-07"), ofFinding(t, res, "OF-08")
			wantOutcome(t, tc.name, of07, "OF-07", "京规自发〔2024〕67号 第十条第四款", tc.of07)
			wantOutcome(t, tc.name, of08, "OF-08", "京经信发〔2024〕14号 三(四)2", tc.of08)
			if Worst(res.Findings) == Fail {
				t.Errorf("加层 is never blocked: %+v", res.Findings)
			}
			if tc.storeys >= 3 && !strings.Contains(of07.Message, "I-03") {
				t.Errorf("OF-07 must name the disagreement with the Guide: %s", of07.Message)
			}
		})
	}
	if got := AddingFloors(RenovationFacts{SingleStoreyBefore: bp(false), StoreysAfter: ip(4)}, ofAsOf); got.Outcome != Manual {
		t.Errorf("storeys before unknown: %+v", got)
	}
}

func TestCivilDefence(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    RenovationFacts
		want Outcome
	}{
		{"67号/第十三条/demolish-rebuild", RenovationFacts{DemolishRebuild: bp(true), NewUndergroundSpace: bp(false)}, Applies},
		{"67号/第十三条/new-underground", RenovationFacts{DemolishRebuild: bp(false), NewUndergroundSpace: bp(true)}, Applies},
		{"67号/第十三条/T19-lifts-structure-kept", RenovationFacts{AncillaryOnly: bp(true), DemolishRebuild: bp(false), NewUndergroundSpace: bp(false), ChangeStructure: bp(false), IncreaseArea: bp(true)}, NotApplicable},
		{"67号/第十三条/use-change-only", RenovationFacts{DemolishRebuild: bp(false), NewUndergroundSpace: bp(false), ChangeStructure: bp(false), IncreaseArea: bp(false)}, NotApplicable},
		{"67号/第十三条/structure-changed", RenovationFacts{DemolishRebuild: bp(false), NewUndergroundSpace: bp(false), ChangeStructure: bp(true)}, Manual},
		{"67号/第十三条/unknown", RenovationFacts{}, Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutcome(t, tc.name, CivilDefence(tc.r, ofAsOf), "OF-12", "京规自发〔2024〕67号 第十三条【人防工程】", tc.want)
		})
	}
}

func TestLandRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		years string
		want  Outcome
	}{
		{"67号/第十五条第二款/lease-20-years", "20", Pass},
		{"67号/第十五条第二款/lease-21-years", "21", Fail},
		{"67号/第十五条第二款/lease-20.5-years", "20.5", Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutcome(t, tc.name, LandLeaseTerm(LandFacts{Supply: "租赁", LeaseYears: ofDec(tc.years)}, ofAsOf), "OF-17", "京规自发〔2024〕67号 第十五条第二款", tc.want)
		})
	}
	t.Run("67号/第十五条第二款/lease-term-missing", func(t *testing.T) {
		wantOutcome(t, "missing", LandLeaseTerm(LandFacts{Supply: "租赁"}, ofAsOf), "OF-17", "", Manual)
		wantOutcome(t, "出让", LandLeaseTerm(LandFacts{Supply: "出让"}, ofAsOf), "OF-17", "", NotApplicable)
	})
	for _, tc := range []struct {
		name, years string
		want        Outcome
	}{
		{"67号/第十五条第二款/rent-review-5-years", "5", Pass},
		{"67号/第十五条第二款/rent-review-6-years", "6", Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutcome(t, tc.name, RentReview(LandFacts{Supply: "租赁", RentReviewIntervalYears: ofDec(tc.years)}, ofAsOf), "OF-18", "京规自发〔2024〕67号 第十五条第二款", tc.want)
		})
	}
	lts := func(use, lease, sale string) LandFacts {
		return LandFacts{Use: use, Supply: "先租后让", LeaseThenSale: &LeaseThenSaleFacts{LeaseYears: ofDec(lease), SaleYears: ofDec(sale)}}
	}
	ext := func(use, remaining, extension string) LandFacts {
		return LandFacts{Use: use, Supply: "出让", RemainingYears: ofDec(remaining), ExtensionYears: ofDec(extension)}
	}
	for _, tc := range []struct {
		name string
		l    LandFacts
		want Outcome
	}{
		{"67号/第十五条第三款/industrial-20+30=50", lts("工业", "20", "30"), Pass},
		{"67号/第十五条第三款/industrial-20+31", lts("工业", "20", "31"), Fail},
		{"67号/第十五条第三款/commercial-20+20=40", lts("商业旅游娱乐", "20", "20"), Pass},
		{"67号/第十五条第三款/commercial-20+21", lts("商业旅游娱乐", "20", "21"), Fail},
		{"67号/第十五条第三款/residential-70", ext("居住", "12", "58"), Pass},
		{"67号/第十五条第三款/extension-12+38=50", ext("工业", "12", "38"), Pass},
		{"67号/第十五条第三款/extension-12+38.5", ext("工业", "12", "38.5"), Fail},
		{"67号/第十五条第三款/use-missing", lts("", "20", "30"), Manual},
		{"67号/第十五条第三款/not-applicable", LandFacts{Use: "工业", Supply: "租赁"}, NotApplicable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutcome(t, tc.name, LeaseThenSaleAndExtension(tc.l, ofAsOf), "OF-19", "京规自发〔2024〕67号 第十五条第三款", tc.want)
		})
	}
	for _, tc := range []struct {
		name            string
		split, approved *bool
		want            Outcome
	}{
		{"67号/第十五条第四款/no-split", bp(false), nil, Pass},
		{"67号/第十五条第四款/approved", bp(true), bp(true), Pass},
		{"67号/第十五条第四款/unapproved", bp(true), bp(false), Fail},
		{"67号/第十五条第四款/approval-unknown", bp(true), nil, Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutcome(t, tc.name, SplitTransfer(LandFacts{SplitTransfer: tc.split, SplitTransferApproved: tc.approved}, ofAsOf), "OF-20", "京规自发〔2024〕67号 第十五条第四款", tc.want)
		})
	}
	t.Run("67号/第十五条第一款/supply", func(t *testing.T) {
		wantOutcome(t, "租赁", LandSupply(LandFacts{Supply: "租赁"}, ofAsOf), "OF-16", "京规自发〔2024〕67号 第十五条第一款", Applies)
		wantOutcome(t, "划拨", LandSupply(LandFacts{Supply: "划拨"}, ofAsOf), "OF-16", "", Manual)
	})
}

func TestTransition(t *testing.T) {
	all := func() TransitionFacts {
		return TransitionFacts{EncouragedIndustry: bp(true), CompliesWithRegulatoryPlan: bp(true), LandUserUnchanged: bp(true), ConstructionPermitOn: ofDate("2024-08-01")}
	}
	t.Run("67号/第十六条第一款/all-three", func(t *testing.T) {
		wantOutcome(t, "all", TransitionEligible(all(), ofAsOf), "OF-21", "京规自发〔2024〕67号 第十六条第一款", Pass)
	})
	for _, tc := range []struct {
		name  string
		tweak func(*TransitionFacts)
		field string
	}{
		{"67号/第十六条第一款/T31-land-user-changes", func(x *TransitionFacts) { x.LandUserUnchanged = bp(false) }, "land_user_unchanged=false"},
		{"67号/第十六条第一款/T31-not-控规-compliant", func(x *TransitionFacts) { x.CompliesWithRegulatoryPlan = bp(false) }, "complies_with_regulatory_plan=false"},
		{"67号/第十六条第一款/T31-not-encouraged", func(x *TransitionFacts) { x.EncouragedIndustry = bp(false) }, "encouraged_industry=false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := all()
			tc.tweak(&x)
			got := TransitionEligible(x, ofAsOf)
			wantOutcome(t, tc.name, got, "OF-21", "", Fail)
			if !strings.Contains(got.Message, tc.field) || !strings.Contains(got.Message, "区规划自然资源部门") {
				t.Errorf("message: %s", got.Message)
			}
			end, p := TransitionPeriod(x, got.Outcome, ofAsOf)
			if !end.IsZero() || p.Outcome != NotApplicable {
				t.Errorf("no transition when ineligible: %s %+v", end, p)
			}
		})
	}
	t.Run("67号/第十六条第三款/T33-construction-permit", func(t *testing.T) {
		end, f := TransitionPeriod(all(), Pass, ofAsOf)
		wantOutcome(t, "T33", f, "OF-22", "京规自发〔2024〕67号 第十六条第三款", Applies)
		if end != d("2029-08-01") || f.Values["beyond_validity"] != "true" {
			t.Errorf("end %s values %v", end, f.Values)
		}
	})
	t.Run("67号/第十六条第三款/planning-permit-only", func(t *testing.T) {
		x := all()
		x.ConstructionPermitOn, x.PlanningPermitOn = nil, ofDate("2024-06-30")
		end, f := TransitionPeriod(x, Pass, ofAsOf)
		wantOutcome(t, "planning", f, "OF-22", "", Manual)
		if end != d("2029-06-30") || f.Values["anchor"] != "planning_permit_on" {
			t.Errorf("end %s values %v", end, f.Values)
		}
	})
	t.Run("67号/第十六条第三款/permit-before-rules", func(t *testing.T) {
		x := all()
		x.ConstructionPermitOn = ofDate("2024-03-13")
		if end, f := TransitionPeriod(x, Pass, ofAsOf); !end.IsZero() || f.Outcome != OutOfForce {
			t.Errorf("end %s %+v", end, f)
		}
	})
	t.Run("67号/第十六条第二款/after-expiry", func(t *testing.T) {
		f := TransitionEffects(Pass, d("2025-01-01"), d("2025-01-02"))
		if f.Outcome != Applies || f.Values["ended"] != "true" {
			t.Errorf("%+v", f)
		}
	})
}

func TestImplementerVote(t *testing.T) {
	vote := func(pa, po, ya, yo string) OwnershipFacts {
		return OwnershipFacts{Kind: "complex", ParticipationAreaShare: ofDec(pa), ParticipationOwnerShare: ofDec(po), YesAreaShare: ofDec(ya), YesOwnerShare: ofDec(yo)}
	}
	for _, tc := range []struct {
		name string
		o    OwnershipFacts
		want Outcome
	}{
		{"67号/第八条/T23-75-75", vote("0.8", "0.8", "0.75", "0.75"), Pass},
		{"67号/第八条/T23-74.9-area", vote("0.8", "0.8", "0.749", "0.75"), Fail},
		{"67号/第八条/74.9-owners", vote("0.8", "0.8", "0.75", "0.749"), Fail},
		{"67号/第八条/I-22-quorum-area-below-2/3", vote("0.6666", "0.8", "0.9", "0.9"), Fail},
		{"67号/第八条/I-22-quorum-owners-below-2/3", vote("0.8", "0.66", "0.9", "0.9"), Fail},
		{"67号/第八条/I-22-quorum-0.6667", vote("0.6667", "0.6667", "0.75", "0.75"), Pass},
		{"67号/第八条/all-participate-unanimous", vote("1", "1", "1", "1"), Pass},
		{"67号/第八条/share-missing", OwnershipFacts{Kind: "complex", YesAreaShare: ofDec("0.8")}, Manual},
		{"67号/第八条/share-as-percent", vote("80", "0.8", "0.75", "0.75"), Manual},
		{"67号/第八条/single", OwnershipFacts{Kind: "single"}, Pass},
		{"67号/第八条/municipal-soe", OwnershipFacts{Kind: "municipal_soe"}, Applies},
		{"67号/第八条/district-soe", OwnershipFacts{Kind: "district_soe"}, Applies},
		{"67号/第八条/kind-missing", OwnershipFacts{}, Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantOutcome(t, tc.name, Implementer(tc.o, ofAsOf), "OF-24", "京规自发〔2024〕67号 第八条", tc.want)
		})
	}
	if f := Implementer(vote("0.8", "0.8", "0.749", "0.75"), ofAsOf); !strings.Contains(f.Message, "74.9%") || !strings.Contains(f.Message, "四分之三") {
		t.Errorf("message must name the share and the bound: %s", f.Message)
	}
}

func TestPlanInclusion(t *testing.T) {
	wantOutcome(t, "67号/第七条/central-units-not-consulted",
		PlanInclusion(OldFactoryFacts{InvolvesCentralUnits: bp(true), CentralConsultationsDone: bp(false)}, ofAsOf), "OF-25", "京规自发〔2024〕67号 第七条", Fail)
	wantOutcome(t, "67号/第七条/consulted",
		PlanInclusion(OldFactoryFacts{InvolvesCentralUnits: bp(true), CentralConsultationsDone: bp(true)}, ofAsOf), "OF-25", "", Manual)
}

// fastB builds a renovation at the fast-track-B edges, which the cases bump one by one.
func fastB() RenovationFacts {
	return RenovationFacts{
		AboveGroundAreaAfterM2: ofDec("10000"), HeightAfterM: ofDec("24"), UndergroundAreaM2: ofDec("2000"),
		ExcavationDepthM: ofDec("3"), SingleFunction: bp(true),
	}
}

func TestFastTrackB(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tweak func(*RenovationFacts)
		want  Outcome
	}{
		{"67号/第二十一条/exactly-10000m2-24m-2000m2-3m", func(*RenovationFacts) {}, Applies},
		{"67号/第二十一条/T17-10001m2", func(r *RenovationFacts) { r.AboveGroundAreaAfterM2 = ofDec("10001") }, NotApplicable},
		{"67号/第二十一条/10000.01m2", func(r *RenovationFacts) { r.AboveGroundAreaAfterM2 = ofDec("10000.01") }, NotApplicable},
		{"67号/第二十一条/T17-24.1m", func(r *RenovationFacts) { r.HeightAfterM = ofDec("24.1") }, NotApplicable},
		{"67号/第二十一条/T17-2001m2-underground", func(r *RenovationFacts) { r.UndergroundAreaM2 = ofDec("2001") }, NotApplicable},
		{"67号/第二十一条/T17-3.1m-excavation", func(r *RenovationFacts) { r.ExcavationDepthM = ofDec("3.1") }, NotApplicable},
		{"67号/第二十一条/T17-two-functions", func(r *RenovationFacts) { r.SingleFunction = bp(false) }, Manual},
		{"67号/第二十一条/single-function-unknown", func(r *RenovationFacts) { r.SingleFunction = nil }, Manual},
		{"67号/第二十一条/height-missing", func(r *RenovationFacts) { r.HeightAfterM = nil }, Manual},
		{"67号/第二十一条/over-and-missing", func(r *RenovationFacts) { r.HeightAfterM = nil; r.AboveGroundAreaAfterM2 = ofDec("12000") }, NotApplicable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fastB()
			tc.tweak(&r)
			got := FastTrackB(r, ofAsOf)
			wantOutcome(t, tc.name, got, "OF-27", "京规自发〔2024〕67号 第二十一条第二款", tc.want)
			if track := Track(FastTrackA(r, ofAsOf), got); (tc.want == Applies) != (track == TrackFastB) {
				t.Errorf("track %s", track)
			}
		})
	}
	t.Run("67号/第二十一条/T17-standard-route-and-publicity", func(t *testing.T) {
		res := eval(t, `{"old_factory":{"publicity_start":"2024-09-25","renovation":{"ancillary_only":false,"interior_only":false,
			"above_ground_area_after_m2":10001,"height_after_m":20,"underground_area_m2":0,"excavation_depth_m":0,"single_function":true}}}`)
		if res.Route == nil || res.Route.Track != TrackStandard {
			t.Fatalf("route %+v", res.Route)
		}
		if of27 := ofFinding(t, res, "OF-27"); !strings.Contains(of27.Message, "10001㎡>10000㎡") {
			t.Errorf("message must name the figures: %s", of27.Message)
		}
		wantOutcome(t, "OF-28", ofFinding(t, res, "OF-28"), "OF-28", "京规自发〔2024〕67号 第二十一条第三款", Applies)
		if res.Dates["publicity_end"] != "2024-10-21" {
			t.Errorf("dates %v", res.Dates)
		}
	})
}

func TestFastTrackA(t *testing.T) {
	t.Run("67号/第二十一条第一款/T19-lifts-and-ramps", func(t *testing.T) {
		res := eval(t, `{"old_factory":{"publicity_start":"2024-09-25","renovation":{"ancillary_only":true,"interior_only":false,
			"use_change_main_class":false,"increase_area":true,"change_outline":true,"change_structure":false,
			"demolish_rebuild":false,"new_underground_space":false}}}`)
		if res.Route == nil || *res.Route != (Route{Track: TrackFastA, Permit: PermitMultiPlan}) {
			t.Fatalf("T19: fast track A but 多规合一 permits: %+v", res.Route)
		}
		wantOutcome(t, "OF-09", ofFinding(t, res, "OF-09"), "OF-09", "京规自发〔2024〕67号 第十二条【建筑规模管控】", Applies)
		wantOutcome(t, "OF-12", ofFinding(t, res, "OF-12"), "OF-12", "", NotApplicable)
		wantOutcome(t, "OF-26", ofFinding(t, res, "OF-26"), "OF-26", "京规自发〔2024〕67号 第二十一条第一款", Applies)
		wantOutcome(t, "OF-28", ofFinding(t, res, "OF-28"), "OF-28", "", NotApplicable)
		// I-14: no mandated 公示 on a fast track; one posted anyway is still timed (FACTS.md example).
		of30 := ofFinding(t, res, "OF-30")
		wantOutcome(t, "OF-30", of30, "OF-30", "", Applies)
		if of30.Values["mandatory"] != "false" || !strings.Contains(of30.Message, "I-14") || res.Dates["publicity_end"] != "2024-10-21" {
			t.Errorf("%+v %v", of30, res.Dates)
		}
	})
	t.Run("67号/第二十一条第一款/T19-interior-fit-out", func(t *testing.T) {
		res := eval(t, `{"old_factory":{"renovation":{"interior_only":true,"use_change_main_class":false,"increase_area":false,"change_outline":false}}}`)
		if res.Route == nil || *res.Route != (Route{Track: TrackFastA, Permit: PermitDirectConstruction}) {
			t.Fatalf("route %+v", res.Route)
		}
	})
	t.Run("67号/第二十一条第一款/interior-with-use-change", func(t *testing.T) {
		wantOutcome(t, "use change", FastTrackA(RenovationFacts{InteriorOnly: bp(true), UseChangeMainClass: bp(true)}, ofAsOf), "OF-26", "", NotApplicable)
	})
	t.Run("67号/第二十一条第一款/unknown", func(t *testing.T) {
		wantOutcome(t, "unknown", FastTrackA(RenovationFacts{}, ofAsOf), "OF-26", "", Manual)
	})
	t.Run("67号/第二十一条/fast-a-takes-precedence", func(t *testing.T) {
		r := fastB()
		r.InteriorOnly = bp(true)
		if got := Track(FastTrackA(r, ofAsOf), FastTrackB(r, ofAsOf)); got != TrackFastA {
			t.Errorf("track %s", got)
		}
	})
}

func TestPermitRoute(t *testing.T) {
	none := func() RenovationFacts {
		return RenovationFacts{UseChangeMainClass: bp(false), IncreaseArea: bp(false), ChangeOutline: bp(false), ChangeLayout: bp(false), ChangeStructure: bp(false)}
	}
	for _, tc := range []struct {
		name   string
		tweak  func(*RenovationFacts)
		permit string
		want   Outcome
	}{
		{"67号/第二十二条/T27-interior-direct", func(*RenovationFacts) {}, PermitDirectConstruction, Applies},
		{"67号/第二十二条/T27-facade-on-important-street", func(r *RenovationFacts) { r.FacadeWork, r.FacadeInSpecialArea = bp(true), bp(true) }, PermitFacadeThenBuild, Applies},
		{"67号/第二十二条/facade-elsewhere", func(r *RenovationFacts) { r.FacadeWork, r.FacadeInSpecialArea = bp(true), bp(false) }, PermitDirectConstruction, Applies},
		{"67号/第二十二条/facade-area-unknown", func(r *RenovationFacts) { r.FacadeWork = bp(true) }, "", Manual},
		{"67号/第二十二条/T29-structure-only-I-07", func(r *RenovationFacts) { r.ChangeStructure, r.StructureChangeAltersScale = bp(true), bp(false) }, PermitDirectConstruction, Warn},
		{"67号/第二十二条/structure-alters-scale", func(r *RenovationFacts) { r.ChangeStructure, r.StructureChangeAltersScale = bp(true), bp(true) }, PermitMultiPlan, Applies},
		{"67号/第二十二条/structure-alters-unknown", func(r *RenovationFacts) { r.ChangeStructure = bp(true) }, "", Manual},
		{"67号/第二十二条/use-main-class-change", func(r *RenovationFacts) { r.UseChangeMainClass = bp(true) }, PermitMultiPlan, Applies},
		{"67号/第二十二条/increase-area", func(r *RenovationFacts) { r.IncreaseArea = bp(true) }, PermitMultiPlan, Applies},
		{"67号/第二十二条/outline", func(r *RenovationFacts) { r.ChangeOutline = bp(true) }, PermitMultiPlan, Applies},
		{"67号/第二十二条/layout", func(r *RenovationFacts) { r.ChangeLayout = bp(true) }, PermitMultiPlan, Applies},
		{"67号/第二十二条/use-unknown", func(r *RenovationFacts) { r.UseChangeMainClass = nil }, "", Manual},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := none()
			tc.tweak(&r)
			permit, f := PermitRoute(r, ofAsOf)
			wantOutcome(t, tc.name, f, "OF-31", "", tc.want)
			if permit != tc.permit || !strings.HasPrefix(f.Citation, "京规自发〔2024〕67号 第二十二条") {
				t.Errorf("permit %q citation %q", permit, f.Citation)
			}
		})
	}
	_, f := PermitRoute(RenovationFacts{UseChangeMainClass: bp(false), IncreaseArea: bp(false), ChangeOutline: bp(false), ChangeStructure: bp(true), StructureChangeAltersScale: bp(false)}, ofAsOf)
	if !strings.Contains(f.Message, "京经信发〔2024〕14号 四(三)1(1)") || !strings.Contains(f.Message, "I-07") {
		t.Errorf("T29 must name both documents: %s", f.Message)
	}
}

func TestMajorProjectApproval(t *testing.T) {
	wantOutcome(t, "67号/第十九条第一款/classified", MajorProjectApproval(OldFactoryFacts{Classified: bp(true)}, TrackStandard, ofAsOf), "OF-29", "京规自发〔2024〕67号 第十九条第一款", Applies)
	wantOutcome(t, "67号/第十九条第一款/none", MajorProjectApproval(OldFactoryFacts{MajorProject: bp(false)}, TrackStandard, ofAsOf), "OF-29", "", NotApplicable)
	wantOutcome(t, "67号/第十九条第一款/fast-track", MajorProjectApproval(OldFactoryFacts{MajorProject: bp(true)}, TrackFastB, ofAsOf), "OF-29", "", NotApplicable)
}

func TestOldFactoryPublicity(t *testing.T) {
	cal := calendar.Default()
	t.Run("67号/第十九条第二款/T25-15-workdays", func(t *testing.T) {
		end, f := OldFactoryPublicity(cal, d("2024-09-25"), TrackStandard, ofAsOf)
		wantOutcome(t, "T25", f, "OF-30", "京规自发〔2024〕67号 第十九条第二款", Applies)
		if end != d("2024-10-21") || f.Values["publicity_end"] != "2024-10-21" {
			t.Errorf("end %s", end)
		}
		if cal.Between(d("2024-09-25"), d("2024-10-17")) >= OldFactoryPublicityWorkdays.Int() {
			t.Error("a 公示 closed on 2024-10-17 is too short")
		}
	})
	t.Run("67号/第十九条第二款/takes-publicity_end-over-coordinator", func(t *testing.T) {
		res := eval(t, `{"coordinator":{"method":"公开比选","publicity_start":"2024-09-30"},"old_factory":{"publicity_start":"2024-09-25"}}`)
		if res.Dates["publicity_end"] != "2024-10-21" || res.Dates["coordinator_publicity_end"] != "2024-10-08" || res.Dates["old_factory_publicity_end"] != "2024-10-21" {
			t.Errorf("dates %v", res.Dates)
		}
	})
	t.Run("67号/第十九条第二款/posted-before-rules", func(t *testing.T) {
		if end, f := OldFactoryPublicity(cal, d("2024-03-13"), TrackStandard, ofAsOf); !end.IsZero() || f.Outcome != OutOfForce {
			t.Errorf("%s %+v", end, f)
		}
	})
	t.Run("67号/第十九条第二款/ends-after-expiry", func(t *testing.T) {
		end, f := OldFactoryPublicity(cal, d("2029-03-01"), TrackStandard, d("2029-03-01"))
		if end.IsZero() || f.Values["beyond_validity"] != "true" {
			t.Errorf("%s %+v", end, f)
		}
	})
}

func TestEvaluationDue(t *testing.T) {
	tr := &TransitionFacts{ConstructionPermitOn: ofDate("2024-08-01")}
	t.Run("67号/第二十六条/T33", func(t *testing.T) {
		first, next, f := EvaluationDue(tr, ofDate("2027-03-01"), d("2027-06-01"))
		wantOutcome(t, "T33", f, "OF-34", "京规自发〔2024〕67号 第二十六条", Pass)
		if first != d("2029-08-01") || next != d("2032-03-01") {
			t.Errorf("first %s next %s", first, next)
		}
	})
	t.Run("67号/第二十六条/no-evaluation-yet", func(t *testing.T) {
		first, next, f := EvaluationDue(tr, nil, ofAsOf)
		wantOutcome(t, "pending", f, "OF-34", "", Pass)
		if first != d("2029-08-01") || !next.IsZero() || f.Values["beyond_validity"] != "true" {
			t.Errorf("first %s next %s %v", first, next, f.Values)
		}
	})
	t.Run("67号/第二十六条/overdue", func(t *testing.T) {
		early := &TransitionFacts{ConstructionPermitOn: ofDate("2019-01-10")}
		_, _, f := EvaluationDue(early, nil, ofAsOf)
		wantOutcome(t, "overdue", f, "OF-34", "", Fail)
		if f.Values["anchor_before_validity"] != "true" {
			t.Errorf("values %v", f.Values)
		}
	})
	t.Run("67号/第二十六条/D14-planning-permit-fallback", func(t *testing.T) {
		first, _, f := EvaluationDue(&TransitionFacts{PlanningPermitOn: ofDate("2024-06-03")}, nil, ofAsOf)
		if first != d("2029-06-03") || f.Values["fallback"] != "true" || !strings.Contains(f.Message, "I-20") {
			t.Errorf("%s %+v", first, f)
		}
	})
	t.Run("67号/第二十六条/no-permit", func(t *testing.T) {
		if first, _, f := EvaluationDue(&TransitionFacts{}, nil, ofAsOf); !first.IsZero() || f.Outcome != Manual {
			t.Errorf("%s %+v", first, f)
		}
	})
	t.Run("67号/第二十六条/T33-whole-case", func(t *testing.T) {
		res := eval(t, `{"as_of":"2027-06-01","old_factory":{"transition":{"encouraged_industry":true,"complies_with_regulatory_plan":true,
			"land_user_unchanged":true,"construction_permit_on":"2024-08-01"},"last_evaluation_on":"2027-03-01"}}`)
		if res.Dates["first_evaluation_due"] != "2029-08-01" || res.Dates["transition_end"] != "2029-08-01" || res.Dates["next_evaluation_due"] != "2032-03-01" {
			t.Errorf("dates %v", res.Dates)
		}
		of35 := ofFinding(t, res, "OF-35")
		wantOutcome(t, "OF-35", of35, "OF-35", "京规自发〔2024〕67号 第二十七条", Manual)
		for _, want := range []string{"擅自转租", "按期整改", "市场监管", "退出程序"} {
			if !strings.Contains(of35.Message, want) {
				t.Errorf("OF-35 lacks %q", want)
			}
		}
	})
}

// TestOldFactoryEvalAllRules feeds one case that reaches every OF rule and
// checks one finding per rule, in order, each with a valid citation.
func TestOldFactoryEvalAllRules(t *testing.T) {
	res := eval(t, `{"as_of":"2024-09-01","old_factory":{"district":"海淀区","inside_fifth_ring":true,"proposed_industry":"产业创新",
		"building_area_m2":10000,"vacant_area_m2":6000,"safety_hazard":false,"output_below_standard":false,
		"renovation":{"ancillary_only":false,"interior_only":false,"use_change_main_class":true,"increase_area":false,"change_outline":false,
			"change_structure":false,"demolish_rebuild":false,"new_underground_space":false,"above_ground_area_after_m2":20000,
			"supporting_area_m2":3000,"height_after_m":30,"underground_area_m2":0,"excavation_depth_m":0,"single_function":true,
			"single_storey_before":true,"storeys_after":2,"use_after":"研发","green_ratio_before":0.15,"green_ratio_after":0.2},
		"land":{"use":"工业","supply":"租赁","lease_years":20,"rent_review_interval_years":5,"remaining_years":10,"extension_years":40,"split_transfer":false},
		"transition":{"encouraged_industry":true,"complies_with_regulatory_plan":true,"land_user_unchanged":true,"construction_permit_on":"2024-08-01"},
		"ownership":{"kind":"single"},"involves_central_units":false,"major_project":false,"cross_district":false,"classified":false,
		"publicity_start":"2024-09-25","last_evaluation_on":"2024-08-30"}}`)
	var want []string
	for i := 1; i <= 36; i++ {
		want = append(want, "OF-"+string(rune('0'+i/10))+string(rune('0'+i%10)))
	}
	if got := rulesOf(res); !slices.Equal(got, want) {
		t.Fatalf("rules %v", got)
	}
	if res.Route == nil || *res.Route != (Route{Track: TrackStandard, Permit: PermitMultiPlan}) {
		t.Errorf("route %+v", res.Route)
	}
	for _, f := range res.Findings {
		if f.Outcome == Fail {
			t.Errorf("unexpected fail %s: %s", f.Rule, f.Message)
		}
	}
}
