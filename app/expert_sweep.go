package app

import (
	"context"
	"fmt"
	"time"

	"gengxin"
	"gengxin/calendar"
	"gengxin/store"
)

// ExpertReportRemindFrom is the month from which the sweep reminds experts
// in office who have not submitted the year's 专项报告 (an operator default).
const ExpertReportRemindFrom = time.November

// sweepExpertReports reminds, once a year, every expert in office on day
// without a 专项报告 for day's year (京建法〔2024〕3号 第四条(四)、第八条(三);
// missing is a compliance warning, not an exit ground, D16), from
// ExpertReportRemindFrom on. The reminder goes to the expert's account and to
// the 市住房城乡建设委; it is a keyed system event, so it is sent once.
func (a *App) sweepExpertReports(ctx context.Context, day calendar.Date) ([]SweepLine, error) {
	if day.Month < ExpertReportRemindFrom {
		return nil, nil
	}
	rd := a.DB.Read(ctx)
	es, err := rd.Experts("")
	if err != nil {
		return nil, err
	}
	terms, err := rd.ExpertTerms(0)
	if err != nil {
		return nil, err
	}
	reps, err := rd.ExpertReports(0, day.Year)
	if err != nil {
		return nil, err
	}
	has := map[int64]bool{}
	for _, r := range reps {
		has[r.ExpertID] = true
	}
	var out []SweepLine
	for _, e := range es {
		ts := terms[e.ID]
		if e.Status != ExpertAppointed || len(ts) == 0 || has[e.ID] {
			continue
		}
		if cur := ts[len(ts)-1]; day.After(cur.TermEnd) || (cur.AppointedOn.After(day) && len(ts) == 1) {
			continue // not in office today
		}
		action := fmt.Sprintf("expert-report-reminder:%d:%d", e.ID, day.Year)
		msg := fmt.Sprintf("专家%s尚未提交%d年度专项报告：专家每年至少提交一份专项报告（%s 第四条(四)、第八条(三)）；未提交不是退出情形，记入履职情况（DECISIONS D16）", e.Name, day.Year, jf3)
		err := a.DB.Tx(ctx, func(tx *store.Tx) error {
			if sent, err := a.globalEventOnce(tx, action, jf3+" 第八条(三)", msg); err != nil || !sent {
				return err
			}
			if e.UserID != 0 {
				if err := tx.InsertNotification(&gengxin.Notification{UserID: e.UserID, Title: "请提交年度专项报告", Body: msg, Citation: jf3 + " 第八条(三)", At: a.now()}); err != nil {
					return err
				}
			}
			out = append(out, SweepLine{0, "expert-report-reminder", msg})
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
