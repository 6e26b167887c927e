package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"gengxin"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/uscc"
	"gengxin/xlsx"
)

// ImportReport is the per-row result of a direct import (第十一条).
type ImportReport struct {
	Rows     int             `json:"rows"`
	Created  int             `json:"created"`
	Skipped  int             `json:"skipped"` // already imported (same district and approval reference)
	Errors   []xlsx.RowError `json:"errors"`
	Created_ []ImportedRow   `json:"created_projects"`
}

// ImportedRow names a project created by an import.
type ImportedRow struct {
	Row  int    `json:"row"`
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Import reads an .xlsx of already-approved projects (京建法〔2024〕2号 第十一条)
// for the department's district. Rows with errors are reported and not
// imported; valid rows are created as submitted projects awaiting the
// renewal authority's entry notice. A re-run of the same file creates no
// duplicates (the approval reference is unique per district). All valid rows
// are written in one transaction: an import is never half-written.
func (a *App) Import(ctx context.Context, u *gengxin.User, r io.Reader) (*ImportReport, error) {
	if u.Role != gengxin.RoleDistrictDept {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有区级行业主管部门可以直接导入已审核确认的项目（京建法〔2024〕2号 第十一条）")
	}
	rows, rowErrs, err := xlsx.ParseImport(r)
	if err != nil {
		return nil, gengxin.Errorf(gengxin.EInvalid, "%s", err.Error())
	}
	rep := &ImportReport{Rows: len(rows) + countRows(rowErrs), Errors: rowErrs}
	if rep.Errors == nil {
		rep.Errors = []xlsx.RowError{}
	}
	today := a.Today()
	type cand struct {
		row int
		p   *gengxin.Project
	}
	var cands []cand
	seen := map[string]int{}
	for _, row := range rows {
		bad := func(col, msg string) {
			rep.Errors = append(rep.Errors, xlsx.RowError{Row: row.Row, Column: col, Message: fmt.Sprintf("第%d行「%s」%s", row.Row, col, msg)})
		}
		n := len(rep.Errors)
		if row.District != u.District {
			bad("所在区", "应为本部门所在区（"+u.District+"）：不能导入其他区的项目")
		}
		if f := rules.ImportEligible(row.Category, today); f.Outcome != rules.Pass {
			bad("项目类别", f.Message+"（"+f.Citation+"）")
		}
		if err := uscc.Validate(row.EntityUSCC); err != nil {
			bad("统一社会信用代码", err.Error())
		}
		if row.EntityRole != string(gengxin.Implementer) && row.EntityRole != string(gengxin.Coordinator) {
			bad("主体类型", "应为 实施主体 或 统筹主体")
		}
		if prev, ok := seen[row.ExternalRef]; ok {
			bad("外部编号(审核确认文号)", fmt.Sprintf("与第%d行重复", prev))
		}
		seen[row.ExternalRef] = row.Row
		if len(rep.Errors) > n {
			continue
		}
		now := a.now()
		p := &gengxin.Project{Name: row.Name, Category: gengxin.Category(row.Category), District: row.District, Street: row.Street,
			Address: row.Address, Goal: row.Goal, FundEstimateWan: row.FundEstimateWan, EntityName: row.EntityName,
			EntityUSCC: uscc.Normalize(row.EntityUSCC), EntityRole: gengxin.EntityRole(row.EntityRole), Contact: strings.TrimSpace(row.Contact + " " + row.Phone),
			CompliesWithPlans: true, Source: gengxin.SourceImport, ExternalRef: row.ExternalRef, Status: gengxin.StatusSubmitted,
			NeedsImplPlan: true, CreatedAt: now, UpdatedAt: now, ReceivedOn: today, IndustryDept: u.Dept}
		cands = append(cands, cand{row.Row, p})
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		for _, c := range cands {
			if _, err := tx.ProjectByImportRef(c.p.District, c.p.ExternalRef); err == nil {
				rep.Skipped++
				continue
			} else if gengxin.ErrorCode(err) != gengxin.ENotFound {
				return err
			}
			if org, err := tx.OrgIDByUSCC(c.p.EntityUSCC); err == nil {
				c.p.OrgID = org
			}
			if err := a.assignCode(tx, c.p); err != nil {
				return err
			}
			if err := tx.InsertProject(c.p); err != nil {
				return err
			}
			if err := a.event(tx, u, c.p, "import", "京建法〔2024〕2号 第十一条", "", fmt.Sprintf("%s直接导入已审核确认项目（%s，第%d行），待区城市更新主管部门制发入库通知书", gengxin.DepartmentFullName(u.District, u.Dept), c.p.ExternalRef, c.row), nil); err != nil {
				return err
			}
			rep.Created++
			rep.Created_ = append(rep.Created_, ImportedRow{Row: c.row, ID: c.p.ID, Code: c.p.Code, Name: c.p.Name})
		}
		if rep.Created > 0 {
			return tx.InsertNotification(&gengxin.Notification{District: u.District, Title: fmt.Sprintf("直接导入项目%d个待制发入库通知书", rep.Created),
				Body: gengxin.DepartmentFullName(u.District, u.Dept) + "按第十一条导入已审核确认项目，请制发《入库通知书》。", Citation: "京建法〔2024〕2号 第十一条", At: a.now()})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

func countRows(errs []xlsx.RowError) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Row] = true
	}
	return len(seen)
}

// ImportTemplate writes the import template.
func (a *App) ImportTemplate(w io.Writer) error {
	cats := []string{}
	for _, c := range gengxin.Categories {
		if c != gengxin.Comprehensive {
			cats = append(cats, string(c))
		}
	}
	return xlsx.WriteImportTemplate(w, cats, gengxin.DistrictNames())
}

// ExportProjects writes the projects u may see that match q as .xlsx.
func (a *App) ExportProjects(ctx context.Context, u *gengxin.User, q ListQuery, w io.Writer) error {
	q.PerPage, q.Page = store.MaxPerPage, 1
	var rows [][]any
	for {
		ps, total, err := a.List(ctx, u, q)
		if err != nil {
			return err
		}
		for _, p := range ps {
			due := ""
			for _, d := range p.Deadlines {
				if d.Status == gengxin.DeadlineOpen || d.Status == gengxin.DeadlineOverdue {
					due += fmt.Sprintf("%s %s（%s）", d.Kind.Label(), d.Due, map[string]string{"open": "进行中", "overdue": "已逾期"}[d.Status])
				}
			}
			rows = append(rows, []any{p.Code, p.Name, string(p.Category), p.District, p.Street, p.Address, p.EntityName, p.EntityUSCC,
				p.FundEstimateWan, p.Status.Label(), p.ReceivedOn, due, p.NoticeNo, p.AdmittedOn, p.IndustryDept, p.PlanYear, p.ExitOn})
		}
		if q.Page*store.MaxPerPage >= total || q.Page >= 500 {
			break
		}
		q.Page++
	}
	cols := []xlsx.Column{{Title: "项目编号", Width: 22}, {Title: "项目名称", Width: 36}, {Title: "项目类别", Width: 10}, {Title: "所在区", Width: 10},
		{Title: "街道/乡镇", Width: 12}, {Title: "项目地址", Width: 30}, {Title: "统筹/实施主体", Width: 28}, {Title: "统一社会信用代码", Width: 22},
		{Title: "资金匡算(万元)", Width: 14}, {Title: "状态", Width: 12}, {Title: "收到申请日期", Width: 13}, {Title: "进行中时限", Width: 36},
		{Title: "入库通知书文号", Width: 22}, {Title: "入库日期", Width: 12}, {Title: "区级行业主管部门", Width: 16}, {Title: "计划年度", Width: 10}, {Title: "出库日期", Width: 12}}
	return xlsx.WriteWorkbook(w, xlsx.Sheet{Name: "项目清单", Title: "北京市城市更新项目清单（导出时间 " + a.now().In(beijing).Format("2006-01-02 15:04") + "）", Columns: cols, Rows: rows})
}
