package rules

// greenAward evaluates the GL- rules of 京经信发〔2024〕20号 (issue 6). Not yet
// implemented: no findings.
func (e *evaluation) greenAward(f GreenAwardFacts) {}

// computeCenter evaluates the CP- rules of 京经信发〔2024〕25号 (issue 6). Not
// yet implemented: no findings.
func (e *evaluation) computeCenter(f ComputeCenterFacts) {}
