package app

// The unregistered-building list of an old-factory case (未登记建筑物,
// 京规自发〔2024〕67号 第十四条【未登记建筑物】, 京经信发〔2024〕14号 三(四)4; rule
// OF-14). The applicant lists its buildings; for those without complete land
// and planning approvals the 区人民政府 has the 街道办事处/乡镇人民政府
// investigate and determine, recorded by the district: an illegal one is
// handled and included only once its procedures are completed, a lawful one
// after a 公示 on the public portal. Every building needs a 房屋质量安全鉴定
// before its permits. The plan (and the permits) refuse while any of it is
// open, listing every building at once. docs/OLD_FACTORY.md.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
)

// The steps of the unregistered-building list.
const (
	OFStepBuildings             = "buildings"              // 实施主体：填报未登记建筑物清单
	OFStepBuildingInvestigation = "building-investigation" // 区城市更新主管部门或区人民政府：记录调查认定结果
	OFStepBuildingRegularised   = "building-regularised"   // 区城市更新主管部门或区人民政府：记录依法处理、完善手续
	OFStepBuildingPublicity     = "building-publicity"     // 区城市更新主管部门或区人民政府：公示不涉及违法的建筑物
	OFStepBuildingAppraisal     = "building-appraisal"     // 实施主体：记录房屋质量安全鉴定
)

// The approval status of a building (第十四条).
const (
	OFApprovalsComplete   = "complete"   // 已取得土地和规划审批手续（未办理不动产登记）
	OFApprovalsNone       = "none"       // 无审批手续
	OFApprovalsIncomplete = "incomplete" // 审批手续不全
	OFApprovalsDiffers    = "differs"    // 现状与原审批不符
)

// OFApprovalOptions lists the approval statuses in order, for the forms.
var OFApprovalOptions = []struct{ Key, Label string }{
	{OFApprovalsComplete, "已取得土地和规划审批手续"}, {OFApprovalsNone, "无审批手续"},
	{OFApprovalsIncomplete, "审批手续不全"}, {OFApprovalsDiffers, "现状与原审批不符"},
}

// OFApprovalLabel returns the Chinese name of an approval status.
func OFApprovalLabel(k string) string {
	for _, o := range OFApprovalOptions {
		if o.Key == k {
			return o.Label
		}
	}
	return k
}

// OFBuilding is one unregistered building of the case.
type OFBuilding struct {
	No        int     `json:"no"`        // 序号，登记后不变
	Name      string  `json:"name"`      // 楼栋名称或位置
	AreaM2    float64 `json:"area_m2"`   // 建筑面积（平方米）
	Approvals string  `json:"approvals"` // complete | none | incomplete | differs
	// The district's records (buildings without complete approvals).
	Investigation *OFInvestigation     `json:"investigation,omitempty"`
	Regularised   *OFRegularisation    `json:"regularised,omitempty"`
	Publicity     *OFBuildingPublicity `json:"publicity,omitempty"`
	// The applicant's 房屋质量安全鉴定 (every listed building).
	Appraisal *OFAppraisal `json:"appraisal,omitempty"`
}

// OFInvestigation is the 调查、认定 organised by the 区人民政府 and made by the
// 街道办事处 or 乡镇人民政府 (第十四条).
type OFInvestigation struct {
	Body       string        `json:"body"`    // 调查认定单位（街道办事处或乡镇人民政府）
	On         calendar.Date `json:"on"`      // 认定日期
	Illegal    *bool         `json:"illegal"` // 是否涉及违反法律规定
	Text       string        `json:"text"`    // 认定意见
	By         string        `json:"by,omitempty"`
	RecordedOn calendar.Date `json:"recorded_on,omitzero"`
}

// OFRegularisation records that an illegal building was handled according to
// law and its procedures completed (“依法处理，完善相关手续后再纳入”).
type OFRegularisation struct {
	On      calendar.Date `json:"on"`
	Summary string        `json:"summary"`
	By      string        `json:"by"`
}

// OFBuildingPublicity is the 公示 of a building found not illegal.
type OFBuildingPublicity struct {
	Start         calendar.Date `json:"start"`
	End           calendar.Date `json:"end"`
	Citation      string        `json:"citation"`
	PublicationID int64         `json:"publication_id,omitempty"`
	By            string        `json:"by"`
}

// OFAppraisal is the 房屋质量安全鉴定 of a building.
type OFAppraisal struct {
	Body   string        `json:"body"`   // 鉴定机构
	On     calendar.Date `json:"on"`     // 鉴定日期
	Result string        `json:"result"` // 鉴定结论
	By     string        `json:"by,omitempty"`
}

// ofCite14 is OF-14's citation.
func ofCite14() string { return rules.GuiZi67.Cite("第十四条【未登记建筑物】") }

// ofBuildingStages are the stages in which the list is worked on: until the
// permits are recorded.
var ofBuildingStages = []string{OFMaterials, OFImplPlan, OFReview, OFPublicity, OFAgreement, OFPermits}

// ofSideSteps are the list's steps: shown on a case that has a list (or, for
// buildings, may have one) and left out of the workbench's to-do test.
var ofSideSteps = []string{OFStepBuildings, OFStepBuildingInvestigation, OFStepBuildingRegularised, OFStepBuildingPublicity, OFStepBuildingAppraisal}

// OFBuildingStatus is a building's state as shown on the case page.
type OFBuildingStatus struct {
	Label    string `json:"label"`
	Open     bool   `json:"open"` // it still keeps the plan back
	Citation string `json:"citation"`
}

// Status says where b stands on today.
func (b OFBuilding) Status(today calendar.Date) OFBuildingStatus {
	cite := ofCite14()
	st := func(open bool, label string) OFBuildingStatus {
		return OFBuildingStatus{Label: label, Open: open, Citation: cite}
	}
	if b.Approvals == OFApprovalsComplete {
		return st(false, "已取得土地和规划审批手续，可纳入实施方案研究后一并办理相关手续")
	}
	inv := b.Investigation
	switch {
	case inv == nil:
		return st(true, "待区人民政府组织街道办事处或乡镇人民政府调查、认定")
	case isTrue(inv.Illegal) && b.Regularised == nil:
		return st(true, "涉及违反法律规定：应当依法处理，完善相关手续后再纳入更新改造项目")
	case isTrue(inv.Illegal):
		return st(false, fmt.Sprintf("涉及违反法律规定，已依法处理并完善手续（%s），可纳入更新改造项目", b.Regularised.On))
	case b.Publicity == nil:
		return st(true, "不涉及违反法律规定：待公示，经公示后可以纳入实施方案")
	case !today.After(b.Publicity.End):
		return st(true, fmt.Sprintf("公示中（%s 至 %s），期满后可以纳入实施方案", b.Publicity.Start, b.Publicity.End))
	}
	return st(false, fmt.Sprintf("不涉及违反法律规定，已公示（%s 至 %s），可以纳入实施方案", b.Publicity.Start, b.Publicity.End))
}

// awaitsPublicity reports whether b was found not illegal and has no 公示 yet.
func (b OFBuilding) awaitsPublicity() bool {
	return b.Investigation != nil && b.Investigation.Illegal != nil && !*b.Investigation.Illegal && b.Publicity == nil
}

func (b OFBuilding) label() string { return fmt.Sprintf("%d号「%s」", b.No, b.Name) }

// ofBuildingsOpen lists, one detail per building, every listed building that
// may not yet be included in the implementation plan (OF-14).
func ofBuildingsOpen(d *OldFactoryDoc, today calendar.Date) []gengxin.ErrorDetail {
	var out []gengxin.ErrorDetail
	for _, b := range d.Buildings {
		st := b.Status(today)
		if !st.Open {
			continue
		}
		field := "buildings." + strconv.Itoa(b.No) + "."
		switch {
		case b.Investigation == nil:
			field += "investigation"
		case isTrue(b.Investigation.Illegal):
			field += "regularised"
		default:
			field += "publicity"
		}
		out = append(out, gengxin.ErrorDetail{Field: field, Rule: "OF-14", Citation: st.Citation, Message: b.label() + "：" + st.Label})
	}
	return out
}

// ofBuildingsUnappraised lists every listed building without its 房屋质量安全鉴定
// ("未登记建筑物办理相关手续前应做好房屋质量安全鉴定").
func ofBuildingsUnappraised(d *OldFactoryDoc) []gengxin.ErrorDetail {
	var out []gengxin.ErrorDetail
	for _, b := range d.Buildings {
		if b.Appraisal == nil {
			out = append(out, gengxin.ErrorDetail{Field: "buildings." + strconv.Itoa(b.No) + ".appraisal", Rule: "OF-14", Citation: ofCite14(),
				Message: b.label() + "：办理相关手续前应做好房屋质量安全鉴定，尚未记录鉴定结果"})
		}
	}
	return out
}

// ofRefuse14 is OF-14's refusal listing ds.
func ofRefuse14(msg string, ds []gengxin.ErrorDetail) error {
	return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "OF-14", Citation: ofCite14(), Message: msg + "：" + joinDetail(ds), Details: ds}
}

func joinDetail(ds []gengxin.ErrorDetail) string {
	var ms []string
	for _, d := range ds {
		ms = append(ms, d.Message)
	}
	return strings.Join(ms, "；")
}

// ofNeedsOpinion reports whether the requisites need the opinion on
// unregistered buildings: with a list, when any building lacks complete
// approvals; without one, when the free-text materials name any (as before).
func ofNeedsOpinion(d *OldFactoryDoc) bool {
	if len(d.Buildings) > 0 {
		return slices.ContainsFunc(d.Buildings, func(b OFBuilding) bool { return b.Approvals != OFApprovalsComplete })
	}
	u := strings.TrimSpace(d.Materials.Unregistered)
	return u != "" && u != "无"
}

// ofSetBuildings checks the applicant's list in and merges it into the
// case's: a building is matched by its number (0 = new); one the district has
// already investigated keeps its name and approval status and cannot be
// removed.
func (s *ofStep) ofSetBuildings(in []OFBuilding) error {
	m := &missing{}
	seen := map[int]bool{}
	for i, b := range in {
		f := "buildings." + strconv.Itoa(i+1) + "."
		if !filled(b.Name) {
			m.details = append(m.details, gengxin.ErrorDetail{Field: f + "name", Message: fmt.Sprintf("第 %d 栋缺少楼栋名称或位置", i+1)})
		}
		if b.AreaM2 <= 0 {
			m.details = append(m.details, gengxin.ErrorDetail{Field: f + "area_m2", Message: fmt.Sprintf("第 %d 栋的建筑面积应大于 0 平方米", i+1)})
		}
		if !slices.ContainsFunc(OFApprovalOptions, func(o struct{ Key, Label string }) bool { return o.Key == b.Approvals }) {
			m.details = append(m.details, gengxin.ErrorDetail{Field: f + "approvals",
				Message: fmt.Sprintf("第 %d 栋请选择是否已取得土地和规划审批手续（complete 已取得、none 无审批手续、incomplete 手续不全、differs 现状与原审批不符）", i+1)})
		}
		if b.No != 0 {
			if seen[b.No] || !slices.ContainsFunc(s.doc.Buildings, func(o OFBuilding) bool { return o.No == b.No }) {
				m.details = append(m.details, gengxin.ErrorDetail{Field: f + "no", Message: fmt.Sprintf("第 %d 栋的序号 %d 不存在或重复", i+1, b.No)})
			}
			seen[b.No] = true
		}
	}
	if len(m.details) > 0 {
		return &gengxin.Error{Code: gengxin.EInvalid, Message: "未登记建筑物清单有误：" + joinDetail(m.details), Details: m.details}
	}
	next := 1
	for _, b := range s.doc.Buildings {
		next = max(next, b.No+1)
		if b.Investigation != nil && !seen[b.No] {
			return gengxin.Errorf(gengxin.EConflict, "%s已由区里记录调查认定结果，不能从清单中删除", b.label())
		}
	}
	var out []OFBuilding
	for _, b := range in {
		nb := OFBuilding{No: b.No, Name: strings.TrimSpace(b.Name), AreaM2: b.AreaM2, Approvals: b.Approvals}
		if i := slices.IndexFunc(s.doc.Buildings, func(o OFBuilding) bool { return o.No == b.No }); b.No != 0 && i >= 0 {
			old := s.doc.Buildings[i]
			if old.Investigation != nil && (old.Name != nb.Name || old.Approvals != nb.Approvals) {
				return gengxin.Errorf(gengxin.EConflict, "%s已由区里记录调查认定结果，名称和审批手续情况不能再修改", old.label())
			}
			nb.Investigation, nb.Regularised, nb.Publicity, nb.Appraisal = old.Investigation, old.Regularised, old.Publicity, old.Appraisal
		} else {
			nb.No = next
			next++
		}
		out = append(out, nb)
	}
	s.doc.Buildings = out
	return nil
}

// buildings: the applicant lists (or corrects) its unregistered buildings.
func (s *ofStep) buildings() (string, string, error) {
	// The list replaces the case's; an explicit empty list ([]) clears it, a
	// body without one is refused, so that a stray request cannot.
	if s.in.Buildings == nil || (len(s.in.Buildings) == 0 && len(s.doc.Buildings) == 0) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "请填写未登记建筑物（buildings）：楼栋名称或位置、建筑面积、是否已取得土地和规划审批手续")
	}
	if err := s.ofSetBuildings(s.in.Buildings); err != nil {
		return "", "", err
	}
	n := 0
	for _, b := range s.doc.Buildings {
		if b.Approvals != OFApprovalsComplete {
			n++
		}
	}
	if n > 0 {
		s.notifyRenewal("未登记建筑物待调查认定", fmt.Sprintf("%s：实施主体填报未登记建筑物 %d 栋，其中无审批手续、手续不全或与原审批不符的 %d 栋，请由区人民政府组织街道办事处或乡镇人民政府调查、认定（京规自发〔2024〕67号 第十四条）",
			s.p.Name, len(s.doc.Buildings), n), ofCite14())
	}
	return fmt.Sprintf("填报未登记建筑物清单（%d 栋，其中审批手续不全等 %d 栋）", len(s.doc.Buildings), n), ofCite14(), nil
}

// ofBuilding returns the building numbered s.in.Building.
func (s *ofStep) ofBuilding() (*OFBuilding, error) {
	for i := range s.doc.Buildings {
		if s.doc.Buildings[i].No == s.in.Building && s.in.Building != 0 {
			return &s.doc.Buildings[i], nil
		}
	}
	return nil, gengxin.Errorf(gengxin.EInvalid, "请选择清单中的未登记建筑物（building：序号）")
}

// buildingInvestigation: the district records the 调查、认定 of a building
// without complete approvals.
func (s *ofStep) buildingInvestigation() (string, string, error) {
	b, err := s.ofBuilding()
	if err != nil {
		return "", "", err
	}
	if b.Approvals == OFApprovalsComplete {
		return "", "", gengxin.Errorf(gengxin.EConflict, "%s已取得土地和规划审批手续，无需调查认定（第十四条）", b.label())
	}
	if b.Investigation != nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "%s已记录调查认定结果（%s）", b.label(), b.Investigation.On)
	}
	inv := s.in.Investigation
	if inv == nil {
		inv = &OFInvestigation{}
	}
	m := &missing{}
	m.need("investigation.body", "调查认定单位（项目所在地街道办事处或乡镇人民政府）", filled(inv.Body))
	m.need("investigation.on", "认定日期", !inv.On.IsZero())
	m.need("investigation.illegal", "认定结论（是否涉及违反法律规定）", inv.Illegal != nil)
	m.need("investigation.text", "认定意见", filled(inv.Text))
	if err := m.err("调查认定结果不全"); err != nil {
		return "", "", err
	}
	if inv.On.After(s.today) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "认定日期不能晚于今天")
	}
	b.Investigation = &OFInvestigation{Body: strings.TrimSpace(inv.Body), On: inv.On, Illegal: inv.Illegal, Text: strings.TrimSpace(inv.Text),
		By: s.actor(), RecordedOn: s.today}
	if *inv.Illegal {
		s.notifyOrg("未登记建筑物认定涉及违法", s.p.Name+"："+b.label()+"经调查认定涉及违反法律规定，应当依法处理，完善相关手续后再纳入更新改造项目（京规自发〔2024〕67号 第十四条）", ofCite14())
		return b.label() + "经调查认定涉及违反法律规定，依法处理、完善手续后再纳入", ofCite14(), nil
	}
	s.notifyOrg("未登记建筑物认定不涉及违法", s.p.Name+"："+b.label()+"经调查认定不涉及违反法律规定，经公示后可以纳入实施方案（京规自发〔2024〕67号 第十四条）", ofCite14())
	return b.label() + "经调查认定不涉及违反法律规定，经公示后可以纳入实施方案", ofCite14(), nil
}

// buildingRegularised: the district records that an illegal building was
// handled according to law and its procedures completed.
func (s *ofStep) buildingRegularised() (string, string, error) {
	b, err := s.ofBuilding()
	if err != nil {
		return "", "", err
	}
	if b.Investigation == nil || !isTrue(b.Investigation.Illegal) {
		return "", "", gengxin.Errorf(gengxin.EConflict, "%s未被认定涉及违反法律规定，无需记录依法处理、完善手续", b.label())
	}
	if b.Regularised != nil {
		return "", "", gengxin.Errorf(gengxin.EConflict, "%s已于 %s 完善相关手续", b.label(), b.Regularised.On)
	}
	m := &missing{}
	m.need("on", "完善手续日期", !s.in.On.IsZero())
	m.need("summary", "依法处理及完善手续情况", filled(s.in.Summary))
	if err := m.err("完善手续情况不全"); err != nil {
		return "", "", err
	}
	if s.in.On.After(s.today) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "完善手续日期不能晚于今天")
	}
	if s.in.On.Before(b.Investigation.On) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "完善手续日期不能早于认定日期 %s", b.Investigation.On)
	}
	b.Regularised = &OFRegularisation{On: s.in.On, Summary: strings.TrimSpace(s.in.Summary), By: s.actor()}
	s.notifyOrg("未登记建筑物已完善手续", s.p.Name+"："+b.label()+"已依法处理并完善相关手续，可纳入更新改造项目（第十四条）", ofCite14())
	return b.label() + "已依法处理并完善相关手续", ofCite14(), nil
}

// buildingPublicity: the district publishes one 公示 of the buildings found
// not illegal (those named in building_nos, or all that await one) on the
// public portal, in this step's transaction, for UnregisteredPublicityWorkdays
// working days (our default; 第十四条 gives no period).
func (s *ofStep) buildingPublicity() (string, string, error) {
	var pick []*OFBuilding
	for i := range s.doc.Buildings {
		b := &s.doc.Buildings[i]
		if len(s.in.BuildingNos) > 0 && !slices.Contains(s.in.BuildingNos, b.No) {
			continue
		}
		ok := b.awaitsPublicity()
		if !ok && len(s.in.BuildingNos) > 0 {
			return "", "", gengxin.Errorf(gengxin.EConflict, "%s不是经调查认定不涉及违反法律规定且尚未公示的建筑物", b.label())
		}
		if ok {
			pick = append(pick, b)
		}
	}
	if len(s.in.BuildingNos) > 0 && len(pick) != len(s.in.BuildingNos) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "building_nos 含有清单中不存在的序号")
	}
	if len(pick) == 0 {
		return "", "", gengxin.Errorf(gengxin.EConflict, "没有待公示的未登记建筑物（须经调查认定不涉及违反法律规定）")
	}
	end, f := rules.UnregisteredPublicity(s.a.Calendar(), s.today)
	if f.Outcome == rules.OutOfForce || end.IsZero() {
		return "", "", ruleRefusal(f.Rule, f.Citation, f.Message)
	}
	issuer := s.p.District + "城市更新主管部门"
	if s.u.Role == gengxin.RoleDistrictGov {
		issuer = s.p.District + "人民政府"
	}
	var lines, names []string
	for _, b := range pick {
		lines = append(lines, fmt.Sprintf("%d. %s，建筑面积 %s 平方米，%s；%s%s认定不涉及违反法律规定：%s", b.No, b.Name,
			strconv.FormatFloat(b.AreaM2, 'f', -1, 64), OFApprovalLabel(b.Approvals), b.Investigation.On, b.Investigation.Body, b.Investigation.Text))
		names = append(names, b.label())
	}
	body := fmt.Sprintf("项目名称：%s\n项目位置：%s%s %s\n实施主体：%s\n产权单位：%s\n\n以下建筑物无审批手续、审批手续不全或者现状与原审批不符，经区人民政府组织项目所在地街道办事处或乡镇人民政府调查、认定，不涉及违反法律规定，拟经公示后纳入实施方案研究后一并办理相关手续（京规自发〔2024〕67号 第十四条）：\n%s\n\n公示期内，公众可在本页提出意见，区城市更新主管部门将答复。",
		s.p.Name, s.p.District, s.p.Street, s.p.Address, s.p.EntityName, s.doc.Owner, strings.Join(lines, "\n"))
	id, err := s.a.publishTx(s.tx, s.u, Publication{Kind: PubPublicity, Title: "老旧厂房更新改造项目未登记建筑物公示：" + s.p.Name, Body: body,
		District: s.p.District, Issuer: issuer, SourceKind: SourceOldFactoryBuildings, SourceID: s.p.ID,
		StartsOn: s.today, EndsOn: end, Citation: f.Citation,
		PeriodNote: fmt.Sprintf("第十四条未规定公示期限，按本系统口径不少于%d个工作日（参照第十九条第二款，按国务院办公厅节假日安排计算）", rules.UnregisteredPublicityWorkdays.Int())})
	if err != nil {
		return "", "", err
	}
	for _, b := range pick {
		b.Publicity = &OFBuildingPublicity{Start: s.today, End: end, Citation: f.Citation, PublicationID: id, By: s.actor()}
	}
	msg := fmt.Sprintf("%s：%s公示 %s 至 %s，期满后可以纳入实施方案（第十四条）", s.p.Name, strings.Join(names, "、"), s.today, end)
	s.notifyOrg("未登记建筑物公示中", msg, f.Citation)
	return fmt.Sprintf("公示未登记建筑物 %s，%s 至 %s", strings.Join(names, "、"), s.today, end), f.Citation, nil
}

// SourceOldFactoryBuildings is the SourceKind of the unregistered-building
// 公示 (SourceID = the project).
const SourceOldFactoryBuildings = "old_factory_buildings"

// buildingAppraisal: the applicant records a building's 房屋质量安全鉴定.
func (s *ofStep) buildingAppraisal() (string, string, error) {
	b, err := s.ofBuilding()
	if err != nil {
		return "", "", err
	}
	ap := s.in.Appraisal
	if ap == nil {
		ap = &OFAppraisal{}
	}
	m := &missing{}
	m.need("appraisal.body", "鉴定机构", filled(ap.Body))
	m.need("appraisal.on", "鉴定日期", !ap.On.IsZero())
	m.need("appraisal.result", "鉴定结论", filled(ap.Result))
	if err := m.err("房屋质量安全鉴定记录不全"); err != nil {
		return "", "", err
	}
	if ap.On.After(s.today) {
		return "", "", gengxin.Errorf(gengxin.EInvalid, "鉴定日期不能晚于今天")
	}
	b.Appraisal = &OFAppraisal{Body: strings.TrimSpace(ap.Body), On: ap.On, Result: strings.TrimSpace(ap.Result), By: s.actor()}
	return b.label() + "房屋质量安全鉴定：" + b.Appraisal.Result, ofCite14(), nil
}

// OFBuildingRow is a building of the list as shown, with its status.
type OFBuildingRow struct {
	OFBuilding
	ApprovalsLabel string           `json:"approvals_label"`
	Status         OFBuildingStatus `json:"status"`
}

// ofSideStepUseful reports whether a list step has something to act on in d.
func ofSideStepUseful(d *OldFactoryDoc, step string, today calendar.Date) bool {
	has := func(f func(b OFBuilding) bool) bool { return slices.ContainsFunc(d.Buildings, f) }
	switch step {
	case OFStepBuildings:
		return true
	case OFStepBuildingInvestigation:
		return has(func(b OFBuilding) bool { return b.Approvals != OFApprovalsComplete && b.Investigation == nil })
	case OFStepBuildingRegularised:
		return has(func(b OFBuilding) bool {
			return b.Investigation != nil && isTrue(b.Investigation.Illegal) && b.Regularised == nil
		})
	case OFStepBuildingPublicity:
		return has(OFBuilding.awaitsPublicity)
	case OFStepBuildingAppraisal:
		return len(d.Buildings) > 0
	}
	return false
}
