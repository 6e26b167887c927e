// Package calendar computes the dates of gengxin: working-day periods, receipt
// dates, calendar-day periods and year/month periods, the way
// /work/shared/spec/DECISIONS.md D1–D4 read 民法典 第二百零一—二百零四条.
//
// A working day (工作日) is, per DECISIONS.md D3, "Monday–Friday minus the
// holidays of the State Council's annual notice, plus its make-up working
// days (调休上班日)". The notices are data, not code: one JSON file per year
// under data/, embedded in the binary (see [Embedded]) and replaceable by an
// operator at run time (see [New]). Every year records the notice it was
// copied from, so a computed date can always be explained ([Calendar.Explain]).
//
// Years that are not loaded, or loaded but not yet checked against the
// State Council notice, are provisional (暂定): dates in them are still
// computed (weekends only, or with the unchecked data) but the results say so.
//
// A [Calendar] is immutable once built and safe for concurrent use.
package calendar
