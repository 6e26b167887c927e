package rules

// greenAward evaluates the GL- rules of 京经信发〔2024〕20号 for the
// green_award section, in this order: the award rule of the measure
// (GL-01 diagnosis, GL-02 energy_saving, GL-03 other_retrofit, GL-04
// env_rating, GL-05 data_center, GL-06 demonstration), GL-07 when
// listed_green_unit is given, GL-10 when the measure is green_loan or any of
// fixed_asset_investment_wan, loan_amount_wan, subsidy_rate is given (a firm
// may claim a retrofit award and a green-loan subsidy; FACTS.md's example
// gives both amounts), then GL-11 (validity, always). Amounts:
// award_cap_wan (GL-01…GL-06) and interest_subsidy_cap_wan (GL-10), in 万元,
// left out when the facts do not allow them or the claim is out of force
// (project_year or as_of outside the 执行期, DECISIONS D7).
func (e *evaluation) greenAward(f GreenAwardFacts) {
	c, fs := GreenAwardCap(f, e.asOf)
	e.add(fs...)
	e.greenAmount("award_cap_wan", c)
	if f.Measure == MeasureGreenLoan || f.FixedAssetInvestmentWan != nil || f.LoanAmountWan != nil || f.SubsidyRate != nil {
		c, fd := GreenLoanSubsidyCap(f, e.asOf)
		e.add(fd)
		e.greenAmount("interest_subsidy_cap_wan", c)
	}
	e.add(GreenPolicyInForce(f.ProjectYear, e.asOf))
}

// computeCenter evaluates the compute_center section: CP-03 and GL-09 for a
// new or expanded centre, CP-04 (PUE) when kind or pue is given, CP-07 when
// network is given, CP-09 and CP-11 for an existing centre, then the window
// of 京经信发〔2024〕25号 (VAL-JingXin25, always).
func (e *evaluation) computeCenter(f ComputeCenterFacts) {
	isNew := f.Kind == CenterNew || f.Kind == CenterExpanded
	if isNew {
		e.add(GeneralComputeCheck(f.Kind, e.asOf))
	}
	if f.Kind != "" || f.PUE != nil || f.AnnualEnergyTce != nil {
		e.add(PUETarget(f, e.asOf))
	}
	if f.Network != nil {
		e.add(NetworkTargets(*f.Network, f.MeasuredOn, e.asOf))
	}
	if f.Kind == CenterExisting {
		e.add(ExistingCenterUpgrade(f, e.asOf), ExistingCenterFunding(f.Kind, e.asOf))
	}
	if isNew {
		e.add(GreenPowerTarget(f.Kind, e.asOf))
	}
	e.add(InForce(JingXin25, e.asOf))
}

// greenAmount records an amount in 万元 unless it is nil.
func (e *evaluation) greenAmount(key string, d *Decimal) {
	if d == nil {
		return
	}
	if e.res.Amounts == nil {
		e.res.Amounts = map[string]string{}
	}
	e.res.Amounts[key] = d.String()
}
