package app

import (
	"context"
	"fmt"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
)

// sweepCoordinators flags, once per term, an active coordinator whose term
// ended without an extension: the district may cancel it on ground (二) of
// 京建法〔2024〕1号 第十二条 — an offer to the 区人民政府 and the 区城市更新主管部门,
// never automatic (DECISIONS D15). The flag is a keyed event; the
// coordinator's company is told too, since an extension may still be asked
// for within the grace period.
func (a *App) sweepCoordinators(ctx context.Context, day calendar.Date) ([]SweepLine, error) {
	cs, err := a.DB.Read(ctx).ExpiredCoordinators(CoordActive, day)
	if err != nil {
		return nil, err
	}
	var out []SweepLine
	for _, c := range cs {
		action := "coordinator-expired:" + fmt.Sprint(c.ID) + ":" + c.TermEnd.String()
		err := a.DB.Tx(ctx, func(tx *store.Tx) error {
			cite := rules.JianFa1.Cite("第十二条(二)")
			msg := fmt.Sprintf("统筹主体 %s（%s）有效期已于 %s 届满，未延期：可按第十二条(二)组织综合评估后取消（不自动取消，DECISIONS D15）；届满后%s日内仍可申请延期",
				c.Name, c.DocNo, c.TermEnd, rules.CoordinatorExtensionGraceDays.Value)
			if sent, err := a.globalEventOnce(tx, action, cite, msg); err != nil || !sent {
				return err
			}
			for _, n := range []*gengxin.Notification{{District: c.District}, {District: c.District, Dept: store.GovDept}, {OrgID: c.OrgID}} {
				if n.OrgID == 0 && n.District == "" {
					continue
				}
				n.Title, n.Body, n.Citation, n.At = "统筹主体有效期届满："+c.Name, msg, cite, a.now()
				if err := tx.InsertNotification(n); err != nil {
					return err
				}
			}
			out = append(out, SweepLine{0, "coordinator-expired", msg})
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
