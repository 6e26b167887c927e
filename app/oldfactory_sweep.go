package app

import (
	"context"
	"encoding/json"
	"fmt"

	"gengxin"
	"gengxin/calendar"
	"gengxin/store"
)

// OFRemindDays is how many calendar days before an old-factory deadline the
// sweep reminds the responsible department (an operator default).
const OFRemindDays = 30

// sweepOldFactory reminds of old-factory deadlines coming within
// OFRemindDays and flags those passed, once per deadline: evaluations
// (第二十六条) and rectification (第二十七条) to the signing department, the
// 2-year implementation plan (第十八条) to the industry department, the end
// of the transition (第十六条) to the 区人民政府 and the applicant.
func (a *App) sweepOldFactory(ctx context.Context, day calendar.Date) ([]SweepLine, error) {
	var out []SweepLine
	cs, err := a.DB.Read(ctx).OldFactoryCases(store.OldFactoryFilter{DueBy: day.AddDays(OFRemindDays)})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Stage == OFExited {
			continue
		}
		err := a.DB.Tx(ctx, func(tx *store.Tx) error {
			p, err := tx.Project(c.ProjectID)
			if err != nil {
				return err
			}
			d := &OldFactoryDoc{}
			if err := json.Unmarshal([]byte(c.Doc), d); err != nil {
				return err
			}
			var flags map[string]bool // the case's flagged actions, read once on first need
			for _, dl := range ofDeadlines(d, c.Stage, day) {
				if (dl.Status != "overdue" && dl.Status != "due_soon") || ofEndsByItself(dl.Kind) {
					continue // nobody has to act by a 公示's end
				}
				kind := "of-reminder"
				title := "即将到期：" + dl.Label
				msg := fmt.Sprintf("%s：%s 将于 %s 到期（%s）", p.Name, dl.Label, dl.Due, dl.Citation)
				if dl.Status == "overdue" {
					kind, title = "of-overdue", "已逾期："+dl.Label
					msg = fmt.Sprintf("%s：%s 已于 %s 届满（%s）", p.Name, dl.Label, dl.Due, dl.Citation)
				}
				action := kind + ":" + dl.Kind + ":" + dl.Due.String()
				if flags == nil {
					evs, err := tx.Events(p.ID)
					if err != nil {
						return err
					}
					flags = map[string]bool{}
					for _, e := range evs {
						flags[e.Action] = true
					}
				}
				if flags[action] {
					continue // this deadline was flagged; the case's others may not be
				}
				if err := a.systemEvent(tx, p, action, dl.Citation, msg); err != nil {
					return err
				}
				flags[action] = true
				to := []*gengxin.Notification{{District: p.District, Dept: p.IndustryDept}}
				if dl.Kind == "transition_end" {
					to = []*gengxin.Notification{{District: p.District, Dept: store.GovDept}, {OrgID: p.OrgID}}
				}
				if dl.Kind == "rectification" {
					to = append(to, &gengxin.Notification{OrgID: p.OrgID})
				}
				for _, n := range to {
					if n.OrgID == 0 && n.District == "" {
						continue
					}
					n.ProjectID, n.Title, n.Body, n.Citation, n.At = p.ID, title, msg, dl.Citation, a.now()
					if err := tx.InsertNotification(n); err != nil {
						return err
					}
				}
				out = append(out, SweepLine{p.ID, kind, msg})
			}
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
