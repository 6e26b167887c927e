package app

import (
	"context"
	"fmt"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
)

// findings returns the gazette's view of p today: validity, dates that
// are coming, and what is offered (shown on the project page).
func (a *App) findings(p *gengxin.Project) []rules.Finding {
	today := a.Today()
	var fs []rules.Finding
	f := libraryFacts(p)
	switch p.Status {
	case gengxin.StatusDraft, gengxin.StatusCorrectionRequested:
		fs = append(fs, rules.EntryEligibility(f, today)...)
	case gengxin.StatusReserve:
		fs = append(fs, rules.ImplementationReady(f, today)...)
	case gengxin.StatusImplementation:
		if p.PlanYear == 0 {
			fs = append(fs, rules.PlanEligible(f, today)...)
		} else {
			fs = append(fs, rules.StalePlanExitOffered(p.PlanIncludedOn, p.ImplPlanDoneOn, p.NeedsImplPlan, today))
		}
		if !p.CompletionOn.IsZero() {
			fs = append(fs, rules.AutoExit(p.CompletionOn, today))
		}
	}
	fs = append(fs, rules.ProjectLibraryInForce(today))
	return fs
}

// SweepLine is one action of the sweep, printed by `gengxin sweep`.
type SweepLine struct {
	ProjectID int64
	Action    string
	Message   string
}

// String formats the line for the CLI.
func (l SweepLine) String() string {
	return fmt.Sprintf("%s\tproject=%d\t%s", l.Action, l.ProjectID, l.Message)
}

// Sweep performs, as of day, what the rules make automatic: the exit of
// 京建法〔2024〕2号 第二十条(一) one year after completion acceptance, overdue
// flags on deadlines, and the offer of exit ground (四) to the industry
// department. Each project is handled in its own transaction; the sweep is
// idempotent (running it twice for a day changes nothing more).
func (a *App) Sweep(ctx context.Context, day calendar.Date) ([]SweepLine, error) {
	var out []SweepLine
	r := a.DB.Read(ctx)

	// 1. Overdue deadlines.
	due, err := r.OpenDeadlinesDueBefore(day)
	if err != nil {
		return nil, err
	}
	for pid, dls := range due {
		err := a.DB.Tx(ctx, func(tx *store.Tx) error {
			p, err := tx.Project(pid)
			if err != nil {
				return err
			}
			for _, d := range dls {
				if d.Status != gengxin.DeadlineOpen || !day.After(d.Due) {
					continue
				}
				d.Status = gengxin.DeadlineOverdue
				if err := tx.UpdateDeadline(&d); err != nil {
					return err
				}
				msg := fmt.Sprintf("%s时限已于 %s 届满，尚未办结（%s）", d.Kind.Label(), d.Due, d.Citation)
				if err := a.systemEvent(tx, p, "deadline-overdue", d.Citation, msg); err != nil {
					return err
				}
				if err := tx.InsertNotification(&gengxin.Notification{District: p.District, ProjectID: p.ID, Title: "时限逾期：" + p.Name, Body: msg, Citation: d.Citation, At: a.now()}); err != nil {
					return err
				}
				out = append(out, SweepLine{p.ID, "overdue", msg})
			}
			return nil
		})
		if err != nil {
			return out, err
		}
	}

	// 2. Library projects: automatic exit and the stale-plan offer.
	ids, err := r.ProjectIDs(store.ProjectFilter{Pending: true, Status: []gengxin.Status{gengxin.StatusReserve, gengxin.StatusImplementation}})
	if err != nil {
		return out, err
	}
	for _, id := range ids {
		err := a.DB.Tx(ctx, func(tx *store.Tx) error {
			p, err := tx.Project(id)
			if err != nil {
				return err
			}
			if !p.Status.InLibrary() {
				return nil
			}
			if !p.CompletionOn.IsZero() {
				f := rules.AutoExit(p.CompletionOn, day)
				switch f.Outcome {
				case rules.Applies:
					info, _ := rules.ExitGround(gengxin.ExitGroundSystem)
					from := p.Status
					s := &step{a: a, tx: tx, p: p, today: day, from: from}
					summary, err := s.doExit(gengxin.ExitGroundSystem, "竣工验收合格（"+p.CompletionOn.String()+"）满一年，系统自动操作出库", info)
					if err != nil {
						return err
					}
					p.UpdatedAt = a.now()
					if err := tx.UpdateProject(p); err != nil {
						return err
					}
					if err := a.event(tx, nil, p, "auto-exit", f.Citation, from, summary, nil); err != nil {
						return err
					}
					out = append(out, SweepLine{p.ID, "auto-exit", summary})
					return nil
				case rules.OutOfForce:
					if day.Before(rules.AutoExitDate(p.CompletionOn)) {
						break // not due yet: nothing to flag today
					}
					done, err := a.flagged(tx, p.ID, "auto-exit-flagged")
					if err != nil || done {
						return err
					}
					msg := "应自动出库，但" + f.Message + "；未自动出库，请人工核处（DECISIONS D7）"
					if err := a.systemEvent(tx, p, "auto-exit-flagged", f.Citation, msg); err != nil {
						return err
					}
					out = append(out, SweepLine{p.ID, "flag", msg})
				}
			}
			if p.Status == gengxin.StatusImplementation && p.PlanYear != 0 {
				f := rules.StalePlanExitOffered(p.PlanIncludedOn, p.ImplPlanDoneOn, p.NeedsImplPlan, day)
				if f.Outcome == rules.Applies {
					done, err := a.flagged(tx, p.ID, "stale-plan-offered")
					if err != nil || done {
						return err
					}
					if err := a.systemEvent(tx, p, "stale-plan-offered", f.Citation, f.Message); err != nil {
						return err
					}
					if err := tx.InsertNotification(&gengxin.Notification{District: p.District, Dept: p.IndustryDept, ProjectID: p.ID,
						Title: "可按第二十条(四)出库：" + p.Name, Body: f.Message + "（不自动出库，由区级行业主管部门认定后操作）", Citation: f.Citation, At: a.now()}); err != nil {
						return err
					}
					out = append(out, SweepLine{p.ID, "offer-exit-4", f.Message})
				}
			}
			return nil
		})
		if err != nil {
			return out, err
		}
	}

	// 3. Old-factory deadlines (京规自发〔2024〕67号).
	lines, err := a.sweepOldFactory(ctx, day)
	out = append(out, lines...)
	if err != nil {
		return out, err
	}
	// 4. Coordinators whose term ended without extension (京建法〔2024〕1号).
	lines, err = a.sweepCoordinators(ctx, day)
	out = append(out, lines...)
	if err != nil {
		return out, err
	}
	// 5. Experts without the year's 专项报告 (京建法〔2024〕3号), from November.
	lines, err = a.sweepExpertReports(ctx, day)
	return append(out, lines...), err
}

func (a *App) systemEvent(tx *store.Tx, p *gengxin.Project, action, citation, summary string) error {
	return tx.AppendEvent(&gengxin.Event{ProjectID: p.ID, At: a.now(), Actor: "系统", Role: "system", Action: action, Citation: citation, From: p.Status, To: p.Status, Summary: summary})
}

// globalEvent is systemEvent for an event that belongs to no project
// (a coordinator's term, an expert's report, a demo load).
func (a *App) globalEvent(tx *store.Tx, action, citation, summary string) error {
	return tx.AppendEvent(&gengxin.Event{At: a.now(), Actor: "系统", Role: "system", Action: action, Citation: citation, Summary: summary})
}

// globalEventOnce appends the keyed global event action unless one exists
// already, and reports whether it did: a sweep's flag is sent once.
func (a *App) globalEventOnce(tx *store.Tx, action, citation, summary string) (bool, error) {
	if done, err := tx.EventExists(action); err != nil || done {
		return false, err
	}
	return true, a.globalEvent(tx, action, citation, summary)
}

func (a *App) flagged(tx *store.Tx, pid int64, action string) (bool, error) {
	evs, err := tx.Events(pid)
	if err != nil {
		return false, err
	}
	for _, e := range evs {
		if e.Action == action {
			return true, nil
		}
	}
	return false, nil
}
