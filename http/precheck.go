package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"gengxin"
	"gengxin/document"
	"gengxin/rules"
)

// precheckField is one input of the old-factory pre-check (预审) form; Path
// is its place in the FACTS.md `old_factory` section.
type precheckField struct {
	Path, Label, Kind string // Kind: bool, num, date, text, select
	Options           []string
	Hint              string
}

type precheckGroup struct {
	Title  string
	Fields []precheckField
}

var precheckGroups = []precheckGroup{
	{"厂房与区位", []precheckField{
		{Path: "district", Label: "所在区", Kind: "select", Options: gengxin.DistrictNames()},
		{Path: "inside_fifth_ring", Label: "位于五环路以内", Kind: "bool"},
		{Path: "in_sub_center", Label: "位于北京城市副中心", Kind: "bool"},
		{Path: "building_area_m2", Label: "现状建筑面积（㎡）", Kind: "num"},
		{Path: "vacant_area_m2", Label: "空置、闲置面积（㎡）", Kind: "num"},
		{Path: "output_below_standard", Label: "产出水平低于所属区产业项目准入标准", Kind: "bool"},
		{Path: "safety_hazard", Label: "存在消防安全环保隐患", Kind: "bool"},
		{Path: "proposed_industry", Label: "拟引入产业", Kind: "text", Hint: "如 产业创新、高端制造"},
	}},
	{"改造内容", []precheckField{
		{Path: "renovation.ancillary_only", Label: "仅增设楼梯、电梯、无障碍设施等附属设施", Kind: "bool"},
		{Path: "renovation.interior_only", Label: "仅内部装修且不改变建筑使用功能", Kind: "bool"},
		{Path: "renovation.use_change_main_class", Label: "改变建筑使用功能（主类）", Kind: "bool"},
		{Path: "renovation.increase_area", Label: "增加建筑规模", Kind: "bool"},
		{Path: "renovation.change_outline", Label: "改变建筑外轮廓", Kind: "bool"},
		{Path: "renovation.change_layout", Label: "改变建筑布局", Kind: "bool"},
		{Path: "renovation.change_structure", Label: "改变主体结构", Kind: "bool"},
		{Path: "renovation.structure_change_alters_scale", Label: "结构改变导致规模、层数或高度变化", Kind: "bool"},
		{Path: "renovation.facade_work", Label: "外立面装修", Kind: "bool"},
		{Path: "renovation.facade_in_special_area", Label: "位于重要大街、历史文化街区或特定区域", Kind: "bool"},
		{Path: "renovation.demolish_rebuild", Label: "拆除重建", Kind: "bool"},
		{Path: "renovation.new_underground_space", Label: "新增地下空间", Kind: "bool"},
		{Path: "renovation.single_function", Label: "功能单一", Kind: "bool"},
		{Path: "renovation.above_ground_area_after_m2", Label: "改造后地上建筑规模（㎡）", Kind: "num"},
		{Path: "renovation.supporting_area_m2", Label: "配套服务设施地上建筑规模（㎡）", Kind: "num"},
		{Path: "renovation.height_after_m", Label: "改造后建筑高度（m）", Kind: "num"},
		{Path: "renovation.underground_area_m2", Label: "地下规模（㎡）", Kind: "num"},
		{Path: "renovation.excavation_depth_m", Label: "开挖深度（m）", Kind: "num"},
		{Path: "renovation.single_storey_before", Label: "原为单层厂房", Kind: "bool"},
		{Path: "renovation.storeys_after", Label: "改造后层数", Kind: "num"},
		{Path: "renovation.use_after", Label: "改造后使用功能", Kind: "text", Hint: "如 保障性租赁住房、便民服务、餐饮"},
		{Path: "renovation.green_ratio_before", Label: "改造前绿地率（如 0.25）", Kind: "num"},
		{Path: "renovation.green_ratio_after", Label: "改造后绿地率", Kind: "num"},
	}},
	{"土地与过渡期", []precheckField{
		{Path: "land.use", Label: "用地性质", Kind: "select", Options: []string{"居住", "工业", "教育科技文化卫生体育", "商业旅游娱乐", "综合"}},
		{Path: "land.supply", Label: "供地方式", Kind: "select", Options: []string{"划拨", "租赁", "出让", "先租后让", "作价出资", "入股"}},
		{Path: "land.lease_years", Label: "租赁年限（年）", Kind: "num"},
		{Path: "land.rent_review_interval_years", Label: "租金调整间隔（年）", Kind: "num"},
		{Path: "transition.encouraged_industry", Label: "行业主管部门认定为鼓励和支持的产业", Kind: "bool"},
		{Path: "transition.complies_with_regulatory_plan", Label: "符合控制性详细规划", Kind: "bool"},
		{Path: "transition.land_user_unchanged", Label: "不改变用地主体", Kind: "bool"},
		{Path: "transition.construction_permit_on", Label: "建筑工程施工许可证日期", Kind: "date"},
		{Path: "transition.planning_permit_on", Label: "建设工程规划许可证日期", Kind: "date"},
	}},
	{"实施主体与程序", []precheckField{
		{Path: "ownership.kind", Label: "产权类型", Kind: "select", Options: []string{"single", "complex", "municipal_soe", "district_soe"}, Hint: "single 单一产权；complex 多个产权人；municipal_soe 市属国企；district_soe 区属国企"},
		{Path: "ownership.participation_area_share", Label: "参与表决专有面积占比（如 0.8）", Kind: "num"},
		{Path: "ownership.participation_owner_share", Label: "参与表决人数占比", Kind: "num"},
		{Path: "ownership.yes_area_share", Label: "同意的面积占参与表决面积比", Kind: "num"},
		{Path: "ownership.yes_owner_share", Label: "同意的人数占参与表决人数比", Kind: "num"},
		{Path: "involves_central_units", Label: "涉及在京中央单位或部队", Kind: "bool"},
		{Path: "central_consultations_done", Label: "已征求国管局、中直管理局、军事设施建设局意见", Kind: "bool"},
		{Path: "major_project", Label: "国家和本市重点项目", Kind: "bool"},
		{Path: "cross_district", Label: "跨行政区域项目", Kind: "bool"},
		{Path: "classified", Label: "涉密项目", Kind: "bool"},
		{Path: "publicity_start", Label: "公示开始日期", Kind: "date"},
		{Path: "last_evaluation_on", Label: "最近一次评估日期", Kind: "date"},
	}},
}

type precheckData struct {
	Groups []precheckGroup
	Values map[string]string
	AsOf   string
	Result *rules.Result
	Facts  string
	Counts map[string]int
}

// setPath sets the value at the dotted path in doc ("renovation.interior_only"),
// making the objects on the way.
func setPath(doc map[string]any, path string, val any) {
	parts := strings.Split(path, ".")
	m := doc
	for _, p := range parts[:len(parts)-1] {
		sub, ok := m[p].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[p] = sub
		}
		m = sub
	}
	m[parts[len(parts)-1]] = val
}

// precheckFacts builds the FACTS.md document from the form: empty fields are
// left out; booleans are "yes"/"no" selects so that "unknown" stays absent.
func precheckFacts(r *http.Request) ([]byte, map[string]string, error) {
	values := map[string]string{}
	of := map[string]any{}
	for _, g := range precheckGroups {
		for _, f := range g.Fields {
			v := strings.TrimSpace(r.FormValue(f.Path))
			values[f.Path] = v
			if v == "" {
				continue
			}
			var val any = v
			switch f.Kind {
			case "bool":
				val = v == "yes"
			case "num":
				val = json.Number(strings.ReplaceAll(v, ",", ""))
			}
			setPath(of, f.Path, val)
		}
	}
	doc := map[string]any{"old_factory": of}
	if as := strings.TrimSpace(r.FormValue("as_of")); as != "" {
		doc["as_of"] = as
		values["as_of"] = as
	}
	b, err := json.Marshal(doc)
	return b, values, err
}

func (s *Server) precheckPage(w http.ResponseWriter, r *http.Request) {
	v := s.publicView(r, &precheckData{Groups: precheckGroups, Values: map[string]string{}, AsOf: s.App.Today().String()})
	s.renderView(w, r, http.StatusOK, "precheck", v)
}

// precheckPost evaluates the form; with format=pdf it answers the printable PDF.
func (s *Server) precheckPost(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "跨站请求已被拒绝"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	facts, values, err := precheckFacts(r)
	d := &precheckData{Groups: precheckGroups, Values: values, AsOf: values["as_of"]}
	v := s.publicView(r, d)
	status := http.StatusOK
	if err == nil {
		var f rules.Facts
		if f, err = rules.ParseFacts(bytes.NewReader(facts), s.App.Today()); err == nil {
			res := rules.Eval(f, s.App.Calendar())
			d.Result, d.Facts = &res, string(facts)
			d.AsOf = res.AsOf.String()
			d.Counts = map[string]int{}
			for _, x := range res.Findings {
				d.Counts[string(x.Outcome)]++
			}
		}
	}
	if err != nil {
		msg := err.Error()
		if ie, ok := err.(*rules.InputError); ok {
			msg = ie.Message
		}
		v.Err, status = gengxin.Errorf(gengxin.EInvalid, "输入有误：%s", msg), http.StatusBadRequest
	}
	if err == nil && r.FormValue("format") == "pdf" {
		b, err := precheckPDF(d, s.App.Today().String())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		sendFile(w, "application/pdf", "老旧厂房预审结果.pdf", b, false)
		return
	}
	s.renderView(w, r, status, "precheck", v)
}

// precheckPDF prints the pre-check result: route, dates and every finding
// with its citation.
func precheckPDF(d *precheckData, today string) ([]byte, error) {
	res := d.Result
	var fields []document.Field
	if res.Route != nil {
		fields = append(fields, document.Field{Label: "办理路径", Value: trackLabel(res.Route.Track)}, document.Field{Label: "手续路径", Value: permitLabel(res.Route.Permit)})
	}
	keys := make([]string, 0, len(res.Dates))
	for k := range res.Dates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fields = append(fields, document.Field{Label: dateLabel(k), Value: res.Dates[k]})
	}
	var items []string
	for _, f := range res.Findings {
		items = append(items, fmt.Sprintf("【%s】%s（%s %s）", outcomeLabel(string(f.Outcome)), f.Message, f.Rule, f.Citation))
	}
	var buf bytes.Buffer
	err := document.Render(&buf, document.Notice{
		Issuer: "北京市城市更新信息系统", Number: "预审 " + res.AsOf.String(), Title: "老旧厂房更新改造预审结果",
		Paragraphs: []string{"本结果由系统依据京规自发〔2024〕67号、京经信发〔2024〕14号对所填事实自动核验生成，仅供申报准备参考，不代替主管部门的审查决定。标注“需人工核实”“需说明理由”的事项请准备相应说明材料。"},
		Fields:     fields, Items: items,
		Citation: "依据：京规自发〔2024〕67号；京经信发〔2024〕14号", Date: today,
		Footer: "所填事实（JSON）：" + d.Facts,
	})
	return buf.Bytes(), err
}

func trackLabel(t string) string {
	switch t {
	case "fast_a":
		return "快速通道A：仅增设附属设施或仅内部装修（第二十一条第一款）"
	case "fast_b":
		return "快速通道B：小规模、功能单一，免编制实施方案和联合审查（第二十一条第二款）"
	case "new_build":
		return "按新建项目流程办理"
	case "standard":
		return "标准路径：实施方案→联合审查→公示不少于15个工作日→签订履约监管协议→手续"
	}
	return t
}

func permitLabel(p string) string {
	switch p {
	case "direct_construction":
		return "直接办理建筑工程施工许可证（第二十二条第二款）"
	case "facade_planning_then_construction":
		return "先办理外立面建设工程规划许可证，再办理施工许可证"
	case "multi_plan_consultation":
		return "纳入“多规合一”协同平台会商阶段办理规划手续（第二十二条第三款）"
	}
	return p
}

func dateLabel(k string) string {
	switch k {
	case "publicity_end", "old_factory_publicity_end":
		return "公示最早结束日（15个工作日）"
	case "transition_end":
		return "过渡期届满日"
	case "first_evaluation_due":
		return "首次评估最迟日期"
	case "next_evaluation_due":
		return "下次评估最迟日期"
	}
	return k
}
