package rules

// oldFactory evaluates the OF rules of 京规自发〔2024〕67号 and
// 京经信发〔2024〕14号 (RULES.md §4.1) and appends their findings in rule
// order OF-01…OF-36, one finding per rule evaluated. Which rules run:
//
//   - always: OF-02 scope, OF-04, OF-05, OF-11, OF-13, OF-14, OF-25, OF-32,
//     OF-33 (their inputs are not in FACTS.md, so most are Manual) and OF-36;
//   - OF-01 when any of safety_hazard, vacant_area_m2, building_area_m2,
//     output_below_standard is given; OF-03 when any of inside_fifth_ring,
//     in_sub_center, proposed_industry is given;
//   - with "renovation": OF-06…OF-10, OF-12, OF-15, OF-26, OF-27, OF-28 and
//     OF-31, and the route (track from OF-26/OF-27, permit from OF-31);
//   - with "land": OF-16…OF-20; with "ownership": OF-24;
//   - with "transition": OF-21…OF-23; with "transition" or
//     last_evaluation_on: OF-34; with last_evaluation_on: OF-35;
//   - OF-29 when any of major_project, cross_district, classified is given;
//     OF-30 when publicity_start is given.
//
// Dates: publicity_end (OF-30, 15 working days; it takes precedence over
// the coordinator's 公示 per FACTS.md, which stays in
// coordinator_publicity_end) and old_factory_publicity_end; transition_end
// (OF-22); first_evaluation_due and next_evaluation_due (OF-34). No route
// and no date is output when the rule that gives it is out of force.
func (e *evaluation) oldFactory(f OldFactoryFacts) {
	asOf := e.asOf

	// The route first: OF-28…OF-30 depend on the track.
	var fa, fb, permitF Finding
	track, permit := "", ""
	if r := f.Renovation; r != nil {
		fa, fb = FastTrackA(*r, asOf), FastTrackB(*r, asOf)
		track = Track(fa, fb)
		permit, permitF = PermitRoute(*r, asOf)
		if fa.Outcome != OutOfForce && fb.Outcome != OutOfForce {
			e.res.Route = &Route{Track: track, Permit: permit}
		}
	}

	if f.SafetyHazard != nil || f.VacantAreaM2 != nil || f.BuildingAreaM2 != nil || f.OutputBelowStandard != nil {
		e.add(OldFactoryDefinition(f, asOf)) // OF-01
	}
	e.add(OldFactoryScope(f, asOf)) // OF-02
	if f.InsideFifthRing != nil || f.InSubCenter != nil || f.ProposedIndustry != "" {
		e.add(IndustryOrientation(f, asOf)) // OF-03
	}
	e.add(UseDecision(f, asOf), PlanningIndicators(f.Renovation, asOf)) // OF-04, OF-05
	if r := f.Renovation; r != nil {
		e.add(SupportFacilitiesCap(*r, asOf), AddingFloors(*r, asOf), SingleStoreyConversion(*r, asOf),
			AncillaryOutsideControl(*r, asOf), GreenRatio(*r, asOf)) // OF-06…OF-10
	}
	e.add(OtherStandards(asOf)) // OF-11
	if r := f.Renovation; r != nil {
		e.add(CivilDefence(*r, asOf)) // OF-12
	}
	e.add(FireReview(asOf), UnregisteredBuildings(asOf)) // OF-13, OF-14
	if r := f.Renovation; r != nil {
		e.add(SafetyBaseline(*r, asOf)) // OF-15
	}
	if l := f.Land; l != nil {
		e.add(LandSupply(*l, asOf), LandLeaseTerm(*l, asOf), RentReview(*l, asOf),
			LeaseThenSaleAndExtension(*l, asOf), SplitTransfer(*l, asOf)) // OF-16…OF-20
	}
	if t := f.Transition; t != nil {
		elig := TransitionEligible(*t, asOf) // OF-21
		end, period := TransitionPeriod(*t, elig.Outcome, asOf)
		e.add(elig, period, TransitionEffects(elig.Outcome, end, asOf)) // OF-22, OF-23
		e.date("transition_end", end, period)
	}
	if o := f.Ownership; o != nil {
		e.add(Implementer(*o, asOf)) // OF-24
	}
	e.add(PlanInclusion(f, asOf)) // OF-25
	if f.Renovation != nil {
		e.add(fa, fb, StandardRoute(track, *f.Renovation, asOf)) // OF-26, OF-27, OF-28
	}
	if f.MajorProject != nil || f.CrossDistrict != nil || f.Classified != nil {
		e.add(MajorProjectApproval(f, track, asOf)) // OF-29
	}
	if f.PublicityStart != nil {
		end, pub := OldFactoryPublicity(e.cal, *f.PublicityStart, track, asOf) // OF-30
		e.add(pub)
		e.date("old_factory_publicity_end", end, pub)
		e.date("publicity_end", end, pub) // takes precedence over the coordinator's (FACTS.md)
	}
	if f.Renovation != nil {
		e.add(permitF) // OF-31
	}
	e.add(PermitHolder(asOf), AgreementContent(track, asOf)) // OF-32, OF-33
	if f.Transition != nil || f.LastEvaluationOn != nil {
		first, next, ev := EvaluationDue(f.Transition, f.LastEvaluationOn, asOf) // OF-34
		e.add(ev)
		e.date("first_evaluation_due", first, ev)
		e.date("next_evaluation_due", next, ev)
	}
	if f.LastEvaluationOn != nil {
		e.add(ExitProcedure(*f.LastEvaluationOn, asOf)) // OF-35
	}
	e.add(OldFactoryRulesInForce(asOf)) // OF-36
}
