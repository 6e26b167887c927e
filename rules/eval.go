package rules

import (
	"encoding/json"
	"io"

	"gengxin/calendar"
)

// Eval evaluates the rules of every section present in f on f.AsOf and
// returns the findings in a fixed order (library PL-01…PL-13, then
// coordinator CE-02, CE-03, then expert EX-01, EX-02) with the dates the
// facts allow. cal is the working-day calendar (nil: calendar.Default()).
// f.AsOf must be set (ParseFacts sets it); a zero AsOf puts every rule out
// of force. Eval does not read the clock and never fails: a rule that cannot
// be decided from the facts gives Manual.
//
// A library rule is evaluated when at least one of its facts is given: PL-01
// on entity_identified, goal_stated, fund_estimate_done or
// complies_with_plans (PL-04 follows when PL-01 is not met); PL-02 (route)
// on category; PL-05 on preapproved_by_industry_dept; PL-06 on any of its
// three facts; PL-07 on stable_funding, plan_year or expected_start_year;
// PL-08, PL-09, PL-11 on plan_included_on; PL-10 on completion_accepted_on;
// PL-13 always. PL-03 needs a receipt date, which FACTS.md does not carry:
// callers use JointReviewDue and EntryNoticeDue.
//
// Dates ("dates"): library: auto_exit_on (PL-10, the exit day) and
// implementation_plan_due (PL-11, the last day); coordinator:
// coordinator_publicity_end (CE-02) and coordinator_term_end (CE-03); expert:
// expert_term_end (EX-02). The FACTS.md keys publicity_end and term_end take
// the coordinator's values unless an expert term (term_end) is present; the
// old-factory publicity (OF-30) will take publicity_end first once it exists.
// A date is left out when its rule is out of force (DECISIONS D7); the
// finding's values still show it.
//
// The old_factory section runs the OF- rules of 京规自发〔2024〕67号 and
// 京经信发〔2024〕14号 (eval_oldfactory.go: route, publicity_end,
// transition_end, first_evaluation_due); green_award and compute_center run
// the GL- and CP- rules of 京经信发〔2024〕20号 and 25号 (eval_green.go:
// award_cap_wan, interest_subsidy_cap_wan).
func Eval(f Facts, cal *calendar.Calendar) Result {
	if cal == nil {
		cal = calendar.Default()
	}
	e := evaluation{res: Result{AsOf: f.AsOf}, cal: cal, asOf: f.AsOf}
	if f.Library != nil {
		e.library(*f.Library, f.OldFactory)
	}
	if f.Coordinator != nil {
		e.coordinator(*f.Coordinator)
	}
	if f.Expert != nil {
		e.expert(*f.Expert)
	}
	if f.OldFactory != nil {
		e.oldFactory(*f.OldFactory)
	}
	if f.GreenAward != nil {
		e.greenAward(*f.GreenAward)
	}
	if f.ComputeCenter != nil {
		e.computeCenter(*f.ComputeCenter)
	}
	return e.res
}

type evaluation struct {
	res  Result
	cal  *calendar.Calendar
	asOf calendar.Date
}

func (e *evaluation) add(fs ...Finding) { e.res.Findings = append(e.res.Findings, fs...) }

// date records a date unless its finding is out of force or the date is zero.
func (e *evaluation) date(key string, d calendar.Date, f Finding) {
	if d.IsZero() || f.Outcome == OutOfForce {
		return
	}
	if e.res.Dates == nil {
		e.res.Dates = map[string]string{}
	}
	e.res.Dates[key] = d.String()
}

func isTrue(b *bool) bool { return b != nil && *b }

func dateVal(d *calendar.Date) calendar.Date {
	if d == nil {
		return calendar.Date{}
	}
	return *d
}

func (e *evaluation) library(l LibraryFacts, of *OldFactoryFacts) {
	asOf := e.asOf

	// PL-01 第九条, when any of its facts is given.
	var pl01 []Finding
	if l.EntityIdentified != nil || l.GoalStated != nil || l.FundEstimateDone != nil || l.CompliesWithPlans != nil {
		pl01 = EntryEligibility(l, asOf)
		e.add(pl01...)
	}

	// PL-02 route of 第十条(二). The library section has no 重大/跨区 facts; the
	// old_factory section's are used when present.
	if l.Category != "" {
		major, cross := false, false
		if of != nil {
			major, cross = isTrue(of.MajorProject), isTrue(of.CrossDistrict)
		}
		_, f := ReviewRoute(l.Category, major, cross)
		if !JianFa2.InForce(asOf) {
			f = outOfForce(f.Rule, f.Citation, JianFa2, "评估日", asOf, f.Values)
		}
		e.add(f)
	}

	// PL-04 第十二条: whatever PL-01 found missing, in one notice.
	if len(pl01) > 0 && (pl01[0].Outcome == Fail || pl01[0].Outcome == Manual) {
		_, missing, _ := evalConditions(entryConditions(l))
		e.add(OneShotCorrection(missing, asOf))
	}

	// PL-05 第十一条: only for a project already approved by an industry department.
	switch {
	case l.PreapprovedByIndustryDept == nil:
	case *l.PreapprovedByIndustryDept:
		e.add(ImportEligible(l.Category, asOf))
	default:
		f := finding("PL-05", NotApplicable, cite2("第十一条"),
			"项目未经市、区行业主管部门审核确认，应通过城市更新信息系统网上申报（第十条(一)）", map[string]string{"preapproved_by_industry_dept": "false"})
		if !JianFa2.InForce(asOf) {
			f = outOfForce(f.Rule, f.Citation, JianFa2, "评估日", asOf, f.Values)
		}
		e.add(f)
	}

	// PL-06 第十五条.
	if l.ConfirmationDocument != nil || l.PlanningAndUseClear != nil || l.IndustryDeptCertified != nil {
		e.add(ImplementationReady(l, asOf)...)
	}

	// PL-07 第十六条.
	if l.StableFunding != nil || l.PlanYear != nil || l.ExpectedStartYear != nil {
		e.add(PlanEligible(l, asOf)...)
	}

	// PL-08, PL-09 第十八、十九条: effects of plan inclusion.
	if planOn := dateVal(l.PlanIncludedOn); !planOn.IsZero() {
		e.add(PlanInclusionEffect(planOn, asOf), PlanBenefits(planOn, asOf))
	}

	// PL-10 第二十条(一).
	if done := dateVal(l.CompletionAcceptedOn); !done.IsZero() {
		f := AutoExit(done, asOf)
		e.add(f)
		e.date("auto_exit_on", AutoExitDate(done), f)
	}

	// PL-11 第二十条(四).
	if planOn := dateVal(l.PlanIncludedOn); !planOn.IsZero() {
		if l.NeedsImplementationPlan == nil {
			e.add(finding("PL-11", Manual, cite2("第二十条(四)"),
				"未填报是否需要编制实施方案（needs_implementation_plan），无法判断是否适用第二十条(四)；快速通道及简易低风险项目不适用（DECISIONS D11）",
				map[string]string{"plan_included_on": planOn.String()}))
		} else {
			f := StalePlanExitOffered(planOn, dateVal(l.ImplementationPlanDoneOn), *l.NeedsImplementationPlan, asOf)
			e.add(f)
			if *l.NeedsImplementationPlan {
				e.date("implementation_plan_due", StalePlanDueDate(planOn), f)
			}
		}
	}

	// PL-13 第二十一条.
	e.add(ProjectLibraryInForce(asOf))
}

func (e *evaluation) coordinator(c CoordinatorFacts) {
	if c.PublicityStart != nil || c.Method == MethodClassified || c.Method == MethodEmergency {
		end, f := CoordinatorPublicity(e.cal, c.Method, dateVal(c.PublicityStart), e.asOf)
		e.add(f)
		e.date("coordinator_publicity_end", end, f)
		e.date("publicity_end", end, f)
	}
	if c.ConfirmedOn != nil || c.TermYears != nil {
		if c.TermYears == nil {
			e.add(finding("CE-03", Manual, JianFa1.Cite("第十一条第二款"),
				"未提供确认文件载明的有效期（term_years），无法核对“原则上不超过3年”", nil))
			return
		}
		end, f := CoordinatorTerm(dateVal(c.ConfirmedOn), *c.TermYears, e.asOf)
		e.add(f)
		// Each extension (CE-04) runs from the last day in force, asked for
		// on that day (inside the window of D15); term_end is the last day
		// the extensions reach. An extension the rule cannot grant (out of
		// force, D7; or refused) stops there: term_end stays the last day
		// reached, and the finding says why.
		for _, m := range c.ExtensionMonths {
			if end.IsZero() {
				break
			}
			next, ext := CoordinatorExtension(end, m, end, e.asOf)
			e.add(ext)
			if next.IsZero() {
				break
			}
			end, f = next, ext
		}
		e.date("coordinator_term_end", end, f)
		e.date("term_end", end, f)
	}
}

func (e *evaluation) expert(x ExpertFacts) {
	e.add(ExpertAgeEligible(dateVal(x.BirthDate), dateVal(x.ApplicationDate), isTrue(x.Academician), isTrue(x.ShortageField), e.asOf))
	if x.Relations != nil {
		e.add(ExpertRelationsFindings(x.Relations, e.asOf)...) // EX-04
	}
	if x.Sanction != "" {
		e.add(ExpertSanctionFinding(x.Sanction, e.asOf)) // EX-05
	}
	if x.AppointedOn != nil {
		end, f := ExpertTerm(*x.AppointedOn, e.asOf)
		e.add(f)
		e.date("expert_term_end", end, f)
		// The expert's term takes "term_end" over the coordinator's (FACTS.md example).
		e.date("term_end", end, f)
	}
}

// EvalJSON reads a facts document from r (ParseFacts, with today as the
// default as_of), evaluates it (Eval) and writes the result to w as indented
// JSON followed by a newline. Bad input gives an *InputError (CLI exit 2,
// HTTP 400) and writes nothing; any other error is a write failure.
func EvalJSON(r io.Reader, w io.Writer, cal *calendar.Calendar, today calendar.Date) error {
	f, err := ParseFacts(r, today)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(Eval(f, cal))
}
