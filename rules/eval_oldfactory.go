package rules

// oldFactory evaluates the OF- rules of 京规自发〔2024〕67号 and
// 京经信发〔2024〕14号 (issue 4). Not yet implemented: no findings.
func (e *evaluation) oldFactory(f OldFactoryFacts) {}
