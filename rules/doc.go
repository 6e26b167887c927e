// Package rules is the rules engine of gengxin: the gazette's rules as code
// (北京市人民政府公报 2024年第25期), one file per document, each rule a
// function that quotes its article and returns Findings with the rule id of
// RULES.md §4, the citation as printed and a Chinese message.
//
// The engine is pure: no database, no clock, no I/O beyond EvalJSON's
// reader and writer. Dates come in as calendar.Date (the caller's "today"
// is a parameter) and working days from an injected *calendar.Calendar.
//
// Entry points:
//
//   - ParseFacts reads the FACTS.md input strictly (*InputError naming the
//     field path on any problem); Eval evaluates it into a Result;
//     EvalJSON does both for `gengxin rules eval` and POST /api/v1/rules/eval.
//   - The rule functions (EntryEligibility, JointReviewDue, EntryNoticeDue,
//     ReviewRoute, ImportEligible, ImplementationReady, PlanEligible,
//     AutoExit, StalePlanExitOffered, ManualExit, CoordinatorPublicity,
//     CoordinatorTerm, ExpertAgeEligible, ExpertTerm, InForce) serve as
//     guards on procedure steps.
//   - Every number the logic uses is a Param with its citation (Params).
//
// Validity (DECISIONS.md D7): a rule gives OutOfForce when as_of, or the date
// of the action it governs (receipt of an application, an automatic exit,
// the start of a 公示, an appointment), is outside its document's window.
// A deadline or term that merely ends after the window is still computed and
// flagged with Values["beyond_validity"] (RULES.md I-19).
package rules
