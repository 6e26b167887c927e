package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gengxin"
	"gengxin/audit"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/xlsx"
)

// AuditQuery filters the audit trail (审计记录) for the audit administrator.
// Every field is optional. From and To are Beijing civil dates, both
// included; User is a username (exact) or part of an actor's name; Action is
// an event action ("login-failed", "denied", "admit", …); ProjectID the
// object; Result one of audit.ResultSuccess, ResultFailure, ResultDenied.
type AuditQuery struct {
	From, To  calendar.Date
	User      string
	Action    string
	ProjectID int64
	Result    string
	Page      int
}

// AuditPerPage is the size of one page of the audit trail.
const AuditPerPage = 50

// MaxAuditExport bounds the rows of one export; a larger selection is cut
// and the sheet's title says so.
const MaxAuditExport = 100_000

// AuditPage is one page of the audit trail, newest first. More reports
// whether an older page follows.
type AuditPage struct {
	Items   []gengxin.Event `json:"items"`
	Page    int             `json:"page"`
	PerPage int             `json:"per_page"`
	More    bool            `json:"more"`
}

// mayAudit allows the audit administrator (审计管理员) and no one else
// (三权分立: the system and security administrators do not read the trail).
func mayAudit(u *gengxin.User) error {
	if u == nil || u.Role != gengxin.RoleAuditAdmin {
		return gengxin.Errorf(gengxin.EForbidden, "只有审计管理员可以查看和导出审计记录")
	}
	return nil
}

// filter turns q into the store's filter, checking its values (EInvalid).
func (a *App) auditFilter(ctx context.Context, q AuditQuery) (store.AuditFilter, error) {
	var f store.AuditFilter
	if !q.From.IsZero() {
		f.From = beijingMidnight(q.From)
	}
	if !q.To.IsZero() {
		f.To = beijingMidnight(q.To.AddDays(1))
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return f, gengxin.Errorf(gengxin.EInvalid, "结束日期不能早于开始日期")
	}
	switch q.Result {
	case "", audit.ResultSuccess, audit.ResultFailure, audit.ResultDenied:
		f.Result = q.Result
	default:
		return f, gengxin.Errorf(gengxin.EInvalid, "结果应为 success、failure 或 denied")
	}
	if q.User = strings.TrimSpace(q.User); q.User != "" {
		if u, err := a.DB.Read(ctx).UserByName(q.User); err == nil {
			f.ActorID = u.ID
		} else {
			f.Actor = q.User
		}
	}
	f.Action = strings.TrimSpace(q.Action)
	f.ProjectID = q.ProjectID
	return f, nil
}

func beijingMidnight(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, calendar.Beijing).UTC()
}

// AuditTrail returns one page of the audit trail matching q, newest first.
// Only the audit administrator may read it (EForbidden otherwise); the read
// itself is recorded (the trail holds names and source addresses).
func (a *App) AuditTrail(ctx context.Context, u *gengxin.User, q AuditQuery) (*AuditPage, error) {
	if err := mayAudit(u); err != nil {
		return nil, err
	}
	f, err := a.auditFilter(ctx, q)
	if err != nil {
		return nil, err
	}
	if q.Page < 1 {
		q.Page = 1
	}
	f.Limit, f.Offset = AuditPerPage+1, (q.Page-1)*AuditPerPage
	items, err := a.DB.Read(ctx).AuditEvents(f)
	if err != nil {
		return nil, err
	}
	p := &AuditPage{Items: items, Page: q.Page, PerPage: AuditPerPage}
	if len(items) > AuditPerPage {
		p.Items, p.More = items[:AuditPerPage], true
	}
	a.audit(ctx, u, "audit-read", fmt.Sprintf("查看审计记录第%d页（%s）", q.Page, describeAuditQuery(q)))
	return p, nil
}

// ExportAudit writes the audit trail matching q as an .xlsx workbook (at
// most MaxAuditExport rows, newest first), for the audit administrator only.
// The export is recorded.
func (a *App) ExportAudit(ctx context.Context, u *gengxin.User, q AuditQuery, w io.Writer) error {
	if err := mayAudit(u); err != nil {
		return err
	}
	f, err := a.auditFilter(ctx, q)
	if err != nil {
		return err
	}
	f.Limit = MaxAuditExport + 1
	items, err := a.DB.Read(ctx).AuditEvents(f)
	if err != nil {
		return err
	}
	title := "北京市城市更新信息系统 审计记录（" + describeAuditQuery(q) + "；导出时间 " + a.now().In(calendar.Beijing).Format("2006-01-02 15:04") + "）"
	if len(items) > MaxAuditExport {
		items = items[:MaxAuditExport]
		title += fmt.Sprintf("——仅导出最新 %d 条，请缩小筛选范围", MaxAuditExport)
	}
	cols := []xlsx.Column{{Title: "记录编号", Width: 10}, {Title: "时间（UTC）", Width: 28}, {Title: "时间（北京）", Width: 20},
		{Title: "用户", Width: 24}, {Title: "用户编号", Width: 9}, {Title: "角色", Width: 16}, {Title: "事件", Width: 18},
		{Title: "对象（项目编号）", Width: 12}, {Title: "结果", Width: 8}, {Title: "来源地址", Width: 18},
		{Title: "摘要", Width: 60}, {Title: "依据", Width: 30}, {Title: "校验码（HMAC-SM3）", Width: 66}}
	rows := make([][]any, 0, len(items))
	for _, e := range items {
		var pid any
		if e.ProjectID != 0 {
			pid = e.ProjectID
		}
		rows = append(rows, []any{e.ID, e.At.UTC().Format(gengxin.TimeLayout), e.At.In(calendar.Beijing).Format("2006-01-02 15:04:05"),
			e.Actor, e.ActorID, RoleLabel(e.Role), e.Action, pid, audit.ResultLabel(e.Result), e.Source, e.Summary, e.Citation, e.Hash})
	}
	a.audit(ctx, u, "audit-export", fmt.Sprintf("导出审计记录 %d 条（%s）", len(rows), describeAuditQuery(q)))
	return xlsx.WriteWorkbook(w, xlsx.Sheet{Name: "审计记录", Title: title, Columns: cols, Rows: rows})
}

// RoleLabel names a stored role in Chinese ("system" for the system itself,
// "anonymous" for requests without a user).
func RoleLabel(r string) string {
	switch r {
	case "system":
		return "系统"
	case "":
		return "匿名"
	}
	if gengxin.Role(r).Valid() {
		return gengxin.Role(r).Label()
	}
	return r
}

func describeAuditQuery(q AuditQuery) string {
	var parts []string
	if !q.From.IsZero() || !q.To.IsZero() {
		from, to := "最早", "今日"
		if !q.From.IsZero() {
			from = q.From.String()
		}
		if !q.To.IsZero() {
			to = q.To.String()
		}
		parts = append(parts, from+" 至 "+to)
	}
	if q.User != "" {
		parts = append(parts, "用户 "+clip(q.User, 64))
	}
	if q.Action != "" {
		parts = append(parts, "事件 "+clip(q.Action, 64))
	}
	if q.ProjectID != 0 {
		parts = append(parts, fmt.Sprintf("项目 %d", q.ProjectID))
	}
	if q.Result != "" {
		parts = append(parts, "结果 "+audit.ResultLabel(q.Result))
	}
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, "，")
}

// RecordDenial records a refused request (an authorization or
// authentication failure: codes forbidden, not_found, unauthorized) with
// the user (nil when none signed in), the object (method and path, never
// the query string or body, which may hold secrets), the project it named,
// and the error's message. The source address comes from ctx. It never fails
// the request: a write that fails is retried and then logged in full.
func (a *App) RecordDenial(ctx context.Context, u *gengxin.User, object string, projectID int64, code, message string) {
	a.auditEvent(ctx, gengxin.Event{ProjectID: projectID, ActorID: actorID(u), Actor: anonActor(u), Role: anonRole(u),
		Action: "denied", Result: audit.ResultDenied, Summary: clip("拒绝 "+object+"（"+code+"）："+message, 500)})
}

// RecordRead records that u read personal data (object names what, e.g.
// "项目联系人"), e.g. where a page or export shows identity or phone numbers.
func (a *App) RecordRead(ctx context.Context, u *gengxin.User, projectID int64, object string) {
	a.auditEvent(ctx, gengxin.Event{ProjectID: projectID, ActorID: actorID(u), Actor: actorName(u), Role: actorRole(u),
		Action: "personal-data-read", Summary: clip("查阅个人信息："+object, 500)})
}

func anonActor(u *gengxin.User) string {
	if u == nil {
		return "匿名"
	}
	return actorName(u)
}

func anonRole(u *gengxin.User) string {
	if u == nil {
		return ""
	}
	return string(u.Role)
}

// VerifyAudit checks the whole audit chain with the App's key (see
// store.VerifyChain).
func (a *App) VerifyAudit(ctx context.Context) (int, *store.ChainBreak, error) {
	return a.DB.Read(ctx).VerifyChain(a.Keys)
}
