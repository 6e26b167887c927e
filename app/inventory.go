package app

// The old-factory inventory (老旧厂房摸底清单, 京经信发〔2024〕14号 三(一)):
// owners report candidate factories; the district's 经济和信息化 department
// (or the district renewal authority) confirms them; the inventory rolls up
// to the 市经济和信息化局, which sees every district. Each report is checked
// against the Guide's definition (OF-01) on the day it is made.

import (
	"context"
	"io"
	"strings"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/xlsx"
)

// Inventory statuses.
const (
	InvReported  = "reported"   // 已上报
	InvListed    = "listed"     // 已纳入区级清单
	InvNotListed = "not_listed" // 不纳入
)

var invStatusLabels = map[string]string{InvReported: "已上报，待区级确认", InvListed: "已纳入区级清单", InvNotListed: "不纳入"}

// InvStatusLabel returns the Chinese name of an inventory status.
func InvStatusLabel(s string) string { return invStatusLabels[s] }

// FactoryReport is an owner's report of a candidate factory.
type FactoryReport struct {
	Name                string     `json:"name"`
	District            string     `json:"district"`
	Address             string     `json:"address"`
	BuildingAreaM2      DecimalArg `json:"building_area_m2"`
	VacantAreaM2        DecimalArg `json:"vacant_area_m2"`
	SafetyHazard        bool       `json:"safety_hazard"`
	OutputBelowStandard bool       `json:"output_below_standard"`
}

// InventoryItem is a candidate as listed, with its labels.
type InventoryItem struct {
	*store.FactoryCandidate
	StatusLabel string `json:"status_label"`
}

// InventoryDistrict is the roll-up of one district.
type InventoryDistrict struct {
	District  string `json:"district"`
	Reported  int    `json:"reported"`
	Listed    int    `json:"listed"`
	NotListed int    `json:"not_listed"`
	Qualify   int    `json:"qualify"` // meeting OF-01 when reported
}

// inventoryDept is the Dept of the district_dept users who keep the
// district's old-factory list with the 区城市更新主管部门: the 区经济和信息化部门
// (京经信发〔2024〕14号 三(一)).
const inventoryDept = "经济和信息化"

// IsInventoryOfficer reports whether u confirms factories into the district
// inventory: the 区城市更新主管部门 or the district's inventoryDept.
func IsInventoryOfficer(u *gengxin.User) bool {
	return u.Role == gengxin.RoleDistrictRenewal || (u.Role == gengxin.RoleDistrictDept && u.Dept == inventoryDept)
}

// ReportFactory records an owner's report (经信14号 三(一)) with the OF-01 check.
func (a *App) ReportFactory(ctx context.Context, u *gengxin.User, in FactoryReport) (*InventoryItem, error) {
	if u.Role != gengxin.RoleApplicant || u.OrgID == 0 {
		return nil, gengxin.Errorf(gengxin.EForbidden, "老旧厂房由产权单位（企业账户）上报（京经信发〔2024〕14号 三(一)）")
	}
	var bad []gengxin.ErrorDetail
	need := func(field, msg string, ok bool) {
		if !ok {
			bad = append(bad, gengxin.ErrorDetail{Field: field, Message: msg})
		}
	}
	in.Name, in.Address = strings.TrimSpace(in.Name), strings.TrimSpace(in.Address)
	need("name", "请填写厂房名称", in.Name != "" && CleanText(in.Name) && len([]rune(in.Name)) <= 100)
	need("address", "请填写厂房地址", in.Address != "" && CleanText(in.Address) && len([]rune(in.Address)) <= 200)
	need("district", "请选择所在区", isDistrict(in.District))
	area, errA := rules.ParseDecimal(string(in.BuildingAreaM2))
	vacant, errV := rules.ParseDecimal(string(in.VacantAreaM2))
	need("building_area_m2", "建筑面积应为大于 0 的数（㎡）", errA == nil && area.Sign() > 0)
	need("vacant_area_m2", "空置、闲置面积应为不小于 0 且不大于建筑面积的数（㎡）", errV == nil && vacant.Sign() >= 0 && (errA != nil || vacant.Cmp(area) <= 0))
	if len(bad) > 0 {
		return nil, invalid(bad)
	}
	today := a.Today()
	f := rules.OldFactoryFacts{District: in.District, BuildingAreaM2: &area, VacantAreaM2: &vacant, SafetyHazard: &in.SafetyHazard, OutputBelowStandard: &in.OutputBelowStandard}
	fd := rules.OldFactoryDefinition(f, today)
	c := &store.FactoryCandidate{OrgID: u.OrgID, Owner: u.OrgName, USCC: u.OrgUSCC, Name: in.Name, District: in.District, Address: in.Address,
		BuildingAreaM2: area.String(), VacantAreaM2: vacant.String(), SafetyHazard: in.SafetyHazard, OutputBelowStandard: in.OutputBelowStandard,
		Qualifies: string(fd.Outcome), Finding: fd.Message + "（" + fd.Citation + "）", Status: InvReported, ReportedOn: today}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.InsertFactoryCandidate(c); err != nil {
			if gengxin.ErrorCode(err) == gengxin.EConflict {
				return gengxin.Errorf(gengxin.EConflict, "同一厂房（名称、地址）已上报")
			}
			return err
		}
		if err := tx.InsertNotification(&gengxin.Notification{District: c.District, Dept: inventoryDept, Title: "老旧厂房上报",
			Body: c.Owner + "上报" + c.Name + "，请确认是否纳入区级清单", Citation: rules.JingXin14.Cite("三(一)"), At: a.now()}); err != nil {
			return err
		}
		return a.auditTx(tx, u, "inventory:report", c.Name, "上报老旧厂房："+c.Name+"（"+c.District+"）")
	})
	if err != nil {
		return nil, err
	}
	return &InventoryItem{c, InvStatusLabel(c.Status)}, nil
}

// ReviewFactory records the district's decision on candidate id.
func (a *App) ReviewFactory(ctx context.Context, u *gengxin.User, id int64, decision, note string) (*InventoryItem, error) {
	if !IsInventoryOfficer(u) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "由区经济和信息化部门或区城市更新主管部门确认区级清单")
	}
	if decision != InvListed && decision != InvNotListed {
		return nil, gengxin.Errorf(gengxin.EInvalid, "请选择 listed（纳入）或 not_listed（不纳入）")
	}
	note = strings.TrimSpace(note)
	if decision == InvNotListed && note == "" {
		return nil, gengxin.Errorf(gengxin.EInvalid, "不纳入清单须说明理由")
	}
	if !CleanText(note) {
		return nil, gengxin.Errorf(gengxin.EInvalid, "输入含有不可见的控制字符或无效编码")
	}
	var c *store.FactoryCandidate
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = tx.FactoryCandidate(id); err != nil {
			return err
		}
		if c.District != u.District {
			return gengxin.Errorf(gengxin.ENotFound, "厂房不存在或无权查看")
		}
		if err := tx.ReviewFactoryCandidate(id, decision, note, actorName(u), a.Today()); err != nil {
			return err
		}
		c.Status, c.Note, c.ReviewedBy, c.ReviewedOn = decision, note, actorName(u), a.Today()
		if err := tx.InsertNotification(&gengxin.Notification{OrgID: c.OrgID, Title: "老旧厂房清单确认", Body: c.Name + "：" + InvStatusLabel(decision) + " " + note,
			Citation: rules.JingXin14.Cite("三(一)"), At: a.now()}); err != nil {
			return err
		}
		return a.auditTx(tx, u, "inventory:review", c.Name, c.Name+"："+InvStatusLabel(decision))
	})
	if err != nil {
		return nil, err
	}
	return &InventoryItem{c, InvStatusLabel(c.Status)}, nil
}

// Inventory returns the candidates u may see and the roll-up by district:
// an owner its own reports, a district's officers their district, the
// municipal roles every district (the roll-up to 市经济和信息化局).
func (a *App) Inventory(ctx context.Context, u *gengxin.User) ([]InventoryItem, []InventoryDistrict, error) {
	district, org := "", int64(0)
	switch u.Role {
	case gengxin.RoleApplicant:
		org = u.OrgID
		if org == 0 {
			return nil, nil, gengxin.Errorf(gengxin.EForbidden, "账户未关联企业")
		}
	case gengxin.RoleDistrictRenewal, gengxin.RoleDistrictDept, gengxin.RoleDistrictGov:
		district = u.District
	case gengxin.RoleMunicipalDept, gengxin.RoleMunicipalHousing:
	default:
		return nil, nil, gengxin.Errorf(gengxin.EForbidden, "「%s」无权查看老旧厂房摸底清单", u.Role.Label())
	}
	cs, err := a.DB.Read(ctx).FactoryCandidates(district, org)
	if err != nil {
		return nil, nil, err
	}
	items := []InventoryItem{}
	byDistrict := map[string]*InventoryDistrict{}
	for _, c := range cs {
		items = append(items, InventoryItem{c, InvStatusLabel(c.Status)})
		d := byDistrict[c.District]
		if d == nil {
			d = &InventoryDistrict{District: c.District}
			byDistrict[c.District] = d
		}
		d.Reported++
		switch c.Status {
		case InvListed:
			d.Listed++
		case InvNotListed:
			d.NotListed++
		}
		if c.Qualifies == string(rules.Pass) {
			d.Qualify++
		}
	}
	sum := []InventoryDistrict{}
	for _, name := range gengxin.DistrictNames() {
		if d := byDistrict[name]; d != nil {
			sum = append(sum, *d)
		}
	}
	return items, sum, nil
}

// ExportInventory writes the inventory u may see as .xlsx.
func (a *App) ExportInventory(ctx context.Context, u *gengxin.User, w io.Writer) error {
	items, sum, err := a.Inventory(ctx, u)
	if err != nil {
		return err
	}
	var rows, srows [][]any
	for _, c := range items {
		rows = append(rows, []any{c.ID, c.District, c.Name, c.Address, c.Owner, c.USCC, c.BuildingAreaM2, c.VacantAreaM2, c.SafetyHazard,
			c.OutputBelowStandard, c.Finding, c.ReportedOn, c.StatusLabel, c.Note, c.ReviewedBy, c.ReviewedOn})
	}
	for _, d := range sum {
		srows = append(srows, []any{d.District, d.Reported, d.Qualify, d.Listed, d.NotListed})
	}
	when := a.now().In(calendar.Beijing).Format("2006-01-02 15:04")
	return xlsx.WriteWorkbook(w,
		xlsx.Sheet{Name: "按区汇总", Title: "老旧厂房摸底清单汇总（京经信发〔2024〕14号 三(一)；导出时间 " + when + "）", Columns: []xlsx.Column{
			{Title: "所在区", Width: 16}, {Title: "上报", Width: 8}, {Title: "符合定义", Width: 10}, {Title: "纳入清单", Width: 10}, {Title: "不纳入", Width: 8}}, Rows: srows},
		xlsx.Sheet{Name: "清单", Columns: []xlsx.Column{{Title: "编号", Width: 8}, {Title: "所在区", Width: 10}, {Title: "厂房名称", Width: 28}, {Title: "地址", Width: 30},
			{Title: "产权单位", Width: 28}, {Title: "统一社会信用代码", Width: 22}, {Title: "建筑面积(㎡)", Width: 14}, {Title: "空置闲置(㎡)", Width: 14},
			{Title: "消防安全环保隐患", Width: 10}, {Title: "产出低于准入标准", Width: 10}, {Title: "定义核验（OF-01）", Width: 50}, {Title: "上报日期", Width: 12},
			{Title: "状态", Width: 16}, {Title: "说明", Width: 24}, {Title: "确认人", Width: 12}, {Title: "确认日期", Width: 12}}, Rows: rows})
}

func isDistrict(name string) bool { _, ok := gengxin.LookupDistrict(name); return ok }

// auditTx appends a keyed event for a change that belongs to no project.
func (a *App) auditTx(tx *store.Tx, u *gengxin.User, action, object, summary string) error {
	return a.userEvent(tx, u, action, rules.JingXin14.Cite("三(一)"), summary, map[string]string{"object": object})
}
