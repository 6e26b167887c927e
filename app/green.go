package app

// Green low-carbon awards (绿色低碳发展资金奖励, issue 6): the reference
// lists the 市经济和信息化局 maintains, an enterprise's application under one
// measure of 京经信发〔2024〕20号 with its cited cap, the bureau's review
// within the cap and the limits across applications, the award notice, the
// public list of awards and the summary by measure, year and district.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/document"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/uscc"
	"gengxin/xlsx"
)

// GreenBureauDept is the Dept of the municipal_dept users who review green
// awards: 市经济和信息化局, the issuer of 京经信发〔2024〕20号.
const GreenBureauDept = "经济和信息化"

// GreenBureau is the issuer printed on award notices.
const GreenBureau = "北京市经济和信息化局"

// Statuses of a green application.
const (
	GreenSubmitted = "submitted" // 已申报，待审核
	GreenApproved  = "approved"  // 已核定奖励
	GreenRefused   = "refused"   // 不予奖励
)

// GreenStatusLabel names a status in Chinese.
func GreenStatusLabel(s string) string {
	switch s {
	case GreenSubmitted:
		return "待审核"
	case GreenApproved:
		return "已核定奖励"
	case GreenRefused:
		return "不予奖励"
	}
	return s
}

// GreenMeasure is one measure of 京经信发〔2024〕20号 an enterprise applies under.
type GreenMeasure struct {
	Code     string `json:"code"`
	Label    string `json:"label"`
	Rule     string `json:"rule"`
	Citation string `json:"citation"`
}

// GreenMeasures are the measures in the order of the document.
var GreenMeasures = []GreenMeasure{
	{rules.MeasureDiagnosis, "绿色诊断服务奖励", "GL-01", "京经信发〔2024〕20号 一(二)"},
	{rules.MeasureEnergySaving, "节能改造项目奖励", "GL-02", "京经信发〔2024〕20号 二(一)"},
	{rules.MeasureOtherRetrofit, "其他绿色低碳改造升级项目奖励", "GL-03", "京经信发〔2024〕20号 二(一)"},
	{rules.MeasureEnvRating, "环保绩效评级提升项目奖励", "GL-04", "京经信发〔2024〕20号 二(二)"},
	{rules.MeasureDataCenter, "数据中心节能改造项目奖励", "GL-05", "京经信发〔2024〕20号 二(三)"},
	{rules.MeasureDemonstration, "绿色低碳先进技术示范应用项目奖励", "GL-06", "京经信发〔2024〕20号 二(五)"},
	{rules.MeasureGreenLoan, "绿色信贷贴息", "GL-10", "京经信发〔2024〕20号 八"},
}

// LookupGreenMeasure returns the measure with code and whether it exists.
func LookupGreenMeasure(code string) (GreenMeasure, bool) {
	for _, m := range GreenMeasures {
		if m.Code == code {
			return m, true
		}
	}
	return GreenMeasure{}, false
}

// GreenMeasureLabel names a measure in Chinese.
func GreenMeasureLabel(code string) string {
	if m, ok := LookupGreenMeasure(code); ok {
		return m.Label
	}
	return code
}

// retrofit reports whether the measure's awards count against the
// 3,000万元 per project of 二(一)、二(二)、二(三) (二(五) follows 二(一)).
func retrofit(measure string) bool {
	switch measure {
	case rules.MeasureEnergySaving, rules.MeasureOtherRetrofit, rules.MeasureEnvRating, rules.MeasureDataCenter, rules.MeasureDemonstration:
		return true
	}
	return false
}

// GreenListKind is one reference list of 三(三).
type GreenListKind struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// GreenListKinds are the lists whose units get the uplift of 三(三)
// (GL-07): "入围国家级、市级绿色工厂、绿色供应链管理企业、绿色工业园区名单的
// 单位，以及入围能效、水效领跑者名单的企业，环保绩效A级、B级和绩效引领型企业".
var GreenListKinds = []GreenListKind{
	{"green_factory_national", "国家级绿色工厂"},
	{"green_factory_municipal", "市级绿色工厂"},
	{"green_supply_chain_national", "国家级绿色供应链管理企业"},
	{"green_supply_chain_municipal", "市级绿色供应链管理企业"},
	{"green_park_national", "国家级绿色工业园区"},
	{"green_park_municipal", "市级绿色工业园区"},
	{"energy_leader", "能效领跑者"},
	{"water_leader", "水效领跑者"},
	{"env_a", "环保绩效A级企业"},
	{"env_b", "环保绩效B级企业"},
	{"env_lead", "环保绩效绩效引领型企业"},
}

// GreenListKindLabel names a list in Chinese.
func GreenListKindLabel(code string) string {
	for _, k := range GreenListKinds {
		if k.Code == code {
			return k.Label
		}
	}
	return code
}

func lookupListKind(s string) (string, bool) {
	s = strings.TrimSpace(s)
	for _, k := range GreenListKinds {
		if k.Code == s || k.Label == s {
			return k.Code, true
		}
	}
	return "", false
}

// IsGreenBureau reports whether u reviews green awards: a municipal_dept
// user of 市经济和信息化局.
func IsGreenBureau(u *gengxin.User) bool {
	return u != nil && u.Role == gengxin.RoleMunicipalDept && u.Dept == GreenBureauDept
}

func needBureau(u *gengxin.User, what string) error {
	if !IsGreenBureau(u) {
		return gengxin.Errorf(gengxin.EForbidden, "只有市经济和信息化局可以%s（京经信发〔2024〕20号）", what)
	}
	return nil
}

// listedOn reports whether an entry is in force on day: listed_on ≤ day and
// (no delisted_on, or day < delisted_on).
func listedOn(e store.GreenListEntry, day calendar.Date) bool {
	return !e.ListedOn.After(day) && (e.DelistedOn.IsZero() || day.Before(e.DelistedOn))
}

// ---- reference lists ----

// GreenListReport is the per-row result of a list import.
type GreenListReport struct {
	Rows    int             `json:"rows"`
	Created int             `json:"created"`
	Updated int             `json:"updated"`
	Errors  []xlsx.RowError `json:"errors"`
}

var greenListColumns = []string{"名单类别", "单位名称", "统一社会信用代码", "入围日期", "移出日期"}

// GreenListTemplate writes the .xlsx template of the list import.
func (a *App) GreenListTemplate(w io.Writer) error {
	cols := make([]xlsx.Column, len(greenListColumns))
	for i, t := range greenListColumns {
		cols[i] = xlsx.Column{Title: t, Width: []float64{26, 36, 24, 14, 14}[i]}
	}
	var kinds []string
	for _, k := range GreenListKinds {
		kinds = append(kinds, k.Label)
	}
	return xlsx.WriteWorkbook(w,
		xlsx.Sheet{Name: "名单", Title: "绿色低碳名单导入（京经信发〔2024〕20号 三(三)）", Columns: cols,
			Rows: [][]any{{"市级绿色工厂", "北京示例制造有限公司", "", calendar.MustParseDate("2024-01-15"), nil}}},
		xlsx.Sheet{Name: "填写说明", Columns: []xlsx.Column{{Title: "说明", Width: 100}}, Rows: [][]any{
			{"名单类别：" + strings.Join(kinds, "、")},
			{"统一社会信用代码：企业必填以便匹配；园区等无代码的单位按单位名称匹配"},
			{"入围日期、移出日期：YYYY-MM-DD；移出日期留空表示仍在名单内；移出日当日起不再享受比例提高（三(三)）"},
			{"再次导入同一类别、单位、入围日期的行，更新其移出日期，不重复登记"},
		}})
}

// ImportGreenList reads an .xlsx of list entries (columns 名单类别, 单位名称,
// 统一社会信用代码, 入围日期, 移出日期; the header row may follow a title
// line). Rows with errors are reported and not imported; the valid rows are
// written in one transaction with one event. EForbidden unless the bureau;
// EInvalid when the file or its header cannot be read.
func (a *App) ImportGreenList(ctx context.Context, u *gengxin.User, r io.Reader) (*GreenListReport, error) {
	if err := needBureau(u, "维护绿色低碳名单"); err != nil {
		return nil, err
	}
	table, err := xlsx.ReadTable(r, "")
	if err != nil {
		return nil, gengxin.Errorf(gengxin.EInvalid, "%s", err.Error())
	}
	head := -1
	col := map[string]int{}
	for i := 0; i < len(table) && i < 5 && head < 0; i++ {
		for j, c := range table[i] {
			c = strings.TrimPrefix(strings.TrimSpace(c), "*")
			if slices.Contains(greenListColumns, c) {
				col[c] = j
			}
		}
		if _, ok := col["单位名称"]; ok {
			head = i
		} else {
			clear(col)
		}
	}
	for _, c := range greenListColumns[:4] {
		if _, ok := col[c]; !ok || head < 0 {
			return nil, gengxin.Errorf(gengxin.EInvalid, "未找到表头：应包含「%s」列（可下载导入模板）", strings.Join(greenListColumns, "」「"))
		}
	}
	rep := &GreenListReport{Errors: []xlsx.RowError{}}
	now, by := a.now(), actorName(u)
	var entries []store.GreenListEntry
	for i := head + 1; i < len(table); i++ {
		row := table[i]
		cell := func(name string) string {
			j, ok := col[name]
			if !ok || j >= len(row) {
				return ""
			}
			return strings.TrimSpace(row[j])
		}
		if strings.Join(row, "") == "" {
			continue
		}
		rep.Rows++
		n := len(rep.Errors)
		bad := func(c, msg string) {
			rep.Errors = append(rep.Errors, xlsx.RowError{Row: i + 1, Column: c, Message: fmt.Sprintf("第%d行「%s」%s", i+1, c, msg)})
		}
		e := store.GreenListEntry{Name: cell("单位名称"), USCC: uscc.Normalize(cell("统一社会信用代码")), ImportedAt: now, ImportedBy: by}
		if k, ok := lookupListKind(cell("名单类别")); ok {
			e.Kind = k
		} else {
			bad("名单类别", "无效：应为 "+GreenListKinds[0].Label+" 等（见填写说明）")
		}
		if e.Name == "" || utf8.RuneCountInString(e.Name) > 100 {
			bad("单位名称", "不能为空，且不超过100个字")
		}
		if e.USCC != "" {
			if err := uscc.Validate(e.USCC); err != nil {
				bad("统一社会信用代码", err.Error())
			}
		}
		if d, err := calendar.ParseDate(cell("入围日期")); err != nil {
			bad("入围日期", "应为 YYYY-MM-DD 日期")
		} else {
			e.ListedOn = d
		}
		if s := cell("移出日期"); s != "" {
			if d, err := calendar.ParseDate(s); err != nil {
				bad("移出日期", "应为 YYYY-MM-DD 日期或留空")
			} else if !e.ListedOn.IsZero() && !d.After(e.ListedOn) {
				bad("移出日期", "应晚于入围日期")
			} else {
				e.DelistedOn = d
			}
		}
		if len(rep.Errors) == n {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return rep, nil
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		rep.Created, rep.Updated = 0, 0
		for i := range entries {
			created, err := tx.InsertGreenListEntry(&entries[i])
			if err != nil {
				return err
			}
			if created {
				rep.Created++
			} else {
				rep.Updated++
			}
		}
		return a.userEvent(tx, u, "green-list-import", "京经信发〔2024〕20号 三(三)", fmt.Sprintf("导入绿色低碳名单：新增%d条，更新%d条，错误%d条", rep.Created, rep.Updated, len(rep.Errors)),
			map[string]int{"rows": rep.Rows, "created": rep.Created, "updated": rep.Updated, "errors": len(rep.Errors)})
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// GreenList returns the entries of the lists (kind "" = all), for the
// bureau. EInvalid for an unknown kind.
func (a *App) GreenList(ctx context.Context, u *gengxin.User, kind string) ([]store.GreenListEntry, error) {
	if err := needBureau(u, "查看绿色低碳名单"); err != nil {
		return nil, err
	}
	if kind != "" {
		k, ok := lookupListKind(kind)
		if !ok {
			return nil, gengxin.Errorf(gengxin.EInvalid, "名单类别无效")
		}
		kind = k
	}
	return a.DB.Read(ctx).GreenListEntries(kind)
}

// ---- application ----

// GreenServed is one enterprise or industrial park a diagnosis service
// provider served (一(二)): identified by its 信用代码, else by its name.
type GreenServed struct {
	Kind string `json:"kind"` // enterprise | park
	Name string `json:"name"`
	USCC string `json:"uscc,omitempty"`
}

func (s GreenServed) key() string {
	if s.USCC != "" {
		return "uscc:" + s.USCC
	}
	return s.Kind + ":" + strings.Join(strings.Fields(s.Name), "")
}

// GreenSectors are the kinds of applicant of 京经信发〔2024〕20号, with their
// Chinese names: the measures are for 在京有生产制造的制造业企业 and 信息软件业
// 企业 (title and 一(二)、二); the green-diagnosis reward goes to the service
// provider (一(二)).
var GreenSectors = map[string]string{
	"manufacturing":      "在京有生产制造的制造业企业",
	"software":           "信息软件业企业",
	"diagnosis_provider": "绿色诊断服务商",
}

// GreenSectorFor returns the kind of applicant a measure is for (the first
// one where several qualify), for forms and examples.
func GreenSectorFor(measure string) string {
	switch measure {
	case rules.MeasureDiagnosis:
		return "diagnosis_provider"
	case rules.MeasureDataCenter:
		return "software"
	}
	return "manufacturing"
}

// greenSectorRefusal says why an applicant of sector may not apply under
// measure, or "".
func greenSectorRefusal(measure, sector string) string {
	switch measure {
	case rules.MeasureDiagnosis:
		if sector != "diagnosis_provider" {
			return "绿色诊断奖励给予为制造业企业和工业园区提供免费诊断的服务商（京经信发〔2024〕20号 一(二)），申报单位类型应为绿色诊断服务商"
		}
	case rules.MeasureDataCenter:
		if sector != "software" {
			return "数据中心节能改造奖励面向信息软件业企业的数据中心（京经信发〔2024〕20号 二(三)）"
		}
	case rules.MeasureEnvRating:
		if sector != "manufacturing" {
			return "环保绩效评级提升奖励面向空气重污染应急重点行业的制造业企业（京经信发〔2024〕20号 二(二)）"
		}
	default:
		if sector != "manufacturing" && sector != "software" {
			return "本措施面向在京有生产制造的制造业企业和信息软件业企业（京经信发〔2024〕20号）"
		}
	}
	return ""
}

// GreenInput is an application (POST /api/v1/green/applications): the
// measure, the project, and the figures the measure needs. Figures that
// the measure does not use are ignored.
type GreenInput struct {
	// Sector is what the applicant is (经信20号 applies to 在京有生产制造的
	// 制造业企业 and 信息软件业企业; the diagnosis reward goes to the 服务商):
	// manufacturing | software | diagnosis_provider.
	Sector      string `json:"sector"`
	Measure     string `json:"measure"`
	ProjectName string `json:"project_name"`
	District    string `json:"district"`
	Year        int    `json:"year"`
	// energy_saving, data_center: 节能量 (吨标准煤) and its 节能量审核/测量报告.
	EnergySavedTce    DecimalArg `json:"energy_saved_tce"`
	MeasurementReport string     `json:"measurement_report"`
	// retrofit measures: 纳入奖励范围的项目总投资 (万元).
	EligibleInvestmentWan DecimalArg `json:"eligible_investment_wan"`
	// green_loan: 当年固定资产投资, 贷款金额, 贴息率, 已付利息, 贷款合同.
	FixedAssetInvestmentWan DecimalArg `json:"fixed_asset_investment_wan"`
	LoanAmountWan           DecimalArg `json:"loan_amount_wan"`
	SubsidyRate             DecimalArg `json:"subsidy_rate"`
	InterestPaidWan         DecimalArg `json:"interest_paid_wan"`
	LoanContract            string     `json:"loan_contract"`
	// diagnosis: the enterprises and parks served.
	Served []GreenServed `json:"served"`
}

// GreenDetail is what an application records besides its facts.
type GreenDetail struct {
	Sector            string        `json:"sector"`
	MeasurementReport string        `json:"measurement_report,omitempty"`
	InterestPaidWan   string        `json:"interest_paid_wan,omitempty"`
	LoanContract      string        `json:"loan_contract,omitempty"`
	Served            []GreenServed `json:"served,omitempty"`
}

// GreenPreview is the cap an application would get, with its reasons: the
// facts given to the rules (listed_green_unit derived from the lists on the
// application date), the listings in force, the evaluation, the cap and
// the rule that bounds it, and what the limits across applications leave.
type GreenPreview struct {
	Measure     GreenMeasure           `json:"measure"`
	Facts       rules.GreenAwardFacts  `json:"facts"`
	Detail      GreenDetail            `json:"detail"`
	AsOf        calendar.Date          `json:"as_of"`
	Listed      bool                   `json:"listed_green_unit"`
	Listings    []store.GreenListEntry `json:"listings"`
	ListedNote  string                 `json:"listed_note,omitempty"` // the listings in force, in Chinese
	Result      rules.Result           `json:"result"`
	CapWan      string                 `json:"cap_wan,omitempty"`
	CapFinding  *rules.Finding         `json:"cap_finding,omitempty"`
	LimitWan    string                 `json:"limit_wan,omitempty"`     // 3000 per project, 1000 per enterprise-year
	UsedWan     string                 `json:"used_wan,omitempty"`      // already approved against that limit
	RemainWan   string                 `json:"remaining_wan,omitempty"` // limit − used
	AlreadyUsed []string               `json:"already_rewarded,omitempty"`
	Refusal     *gengxin.Error         `json:"refusal,omitempty"` // why submitting would be refused (422)
	projectKey  string
}

func decimalArg(field, label string, d DecimalArg, positive bool, bad func(field, msg string)) *rules.Decimal {
	s := strings.TrimSpace(string(d))
	if s == "" {
		return nil
	}
	v, err := rules.ParseDecimal(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		bad(field, "「"+label+"」应为数字（如 1200.5）")
		return nil
	}
	if v.Sign() < 0 || (positive && v.Sign() == 0) {
		bad(field, "「"+label+"」应大于0")
		return nil
	}
	return &v
}

// normalise checks the input and builds the facts; every problem at once.
func (in *GreenInput) normalise() (rules.GreenAwardFacts, GreenDetail, error) {
	var ds []gengxin.ErrorDetail
	bad := func(field, msg string) { ds = append(ds, gengxin.ErrorDetail{Field: field, Message: msg}) }
	in.Measure = strings.TrimSpace(in.Measure)
	in.ProjectName = strings.TrimSpace(in.ProjectName)
	in.District = strings.TrimSpace(in.District)
	m, ok := LookupGreenMeasure(in.Measure)
	if !ok {
		bad("measure", "申报措施无效：应为 diagnosis、energy_saving、other_retrofit、env_rating、data_center、demonstration 或 green_loan")
	}
	if in.ProjectName == "" || utf8.RuneCountInString(in.ProjectName) > 100 {
		bad("project_name", "项目名称不能为空，且不超过100个字")
	}
	if _, ok := gengxin.LookupDistrict(in.District); !ok {
		bad("district", "所在区无效：应为北京市16区或北京经济技术开发区")
	}
	if in.Year < 2000 || in.Year > 2100 {
		bad("year", "项目年度应为四位年份（如 2024）")
	}
	in.Sector = strings.TrimSpace(in.Sector)
	if _, ok := GreenSectors[in.Sector]; !ok {
		bad("sector", "申报单位类型无效：应为 manufacturing（在京有生产制造的制造业企业）、software（信息软件业企业）或 diagnosis_provider（绿色诊断服务商）")
	}
	f := rules.GreenAwardFacts{Measure: m.Code}
	if in.Year != 0 {
		y := in.Year
		f.ProjectYear = &y
	}
	d := GreenDetail{Sector: in.Sector}
	need := func(field, label string, v *rules.Decimal, given DecimalArg) {
		if v == nil && strings.TrimSpace(string(given)) == "" {
			bad(field, "本措施须填写「"+label+"」")
		}
	}
	text := func(field, label, s string) string {
		s = strings.TrimSpace(s)
		if s == "" {
			bad(field, "本措施须填写「"+label+"」")
		} else if utf8.RuneCountInString(s) > 200 {
			bad(field, "「"+label+"」不超过200个字")
		}
		return s
	}
	switch m.Code {
	case rules.MeasureEnergySaving, rules.MeasureDataCenter:
		f.EnergySavedTce = decimalArg("energy_saved_tce", "节能量（吨标准煤）", in.EnergySavedTce, true, bad)
		need("energy_saved_tce", "节能量（吨标准煤）", f.EnergySavedTce, in.EnergySavedTce)
		d.MeasurementReport = text("measurement_report", "节能量审核（测量）报告", in.MeasurementReport)
		fallthrough
	case rules.MeasureOtherRetrofit, rules.MeasureEnvRating, rules.MeasureDemonstration:
		f.EligibleInvestmentWan = decimalArg("eligible_investment_wan", "纳入奖励范围的项目总投资（万元）", in.EligibleInvestmentWan, true, bad)
		need("eligible_investment_wan", "纳入奖励范围的项目总投资（万元）", f.EligibleInvestmentWan, in.EligibleInvestmentWan)
	case rules.MeasureGreenLoan:
		f.FixedAssetInvestmentWan = decimalArg("fixed_asset_investment_wan", "当年固定资产投资（万元）", in.FixedAssetInvestmentWan, false, bad)
		need("fixed_asset_investment_wan", "当年固定资产投资（万元）", f.FixedAssetInvestmentWan, in.FixedAssetInvestmentWan)
		f.LoanAmountWan = decimalArg("loan_amount_wan", "贷款金额（万元）", in.LoanAmountWan, true, bad)
		need("loan_amount_wan", "贷款金额（万元）", f.LoanAmountWan, in.LoanAmountWan)
		f.SubsidyRate = decimalArg("subsidy_rate", "贴息率", in.SubsidyRate, true, bad)
		if f.SubsidyRate != nil && f.SubsidyRate.Cmp(rules.DecimalFromInt(1)) > 0 {
			bad("subsidy_rate", "贴息率应为小数（2% 填 0.02）")
		}
		if p := decimalArg("interest_paid_wan", "已支付利息（万元）", in.InterestPaidWan, false, bad); p != nil {
			d.InterestPaidWan = p.String()
		}
		need("interest_paid_wan", "已支付利息（万元）", nil, in.InterestPaidWan)
		d.LoanContract = text("loan_contract", "贷款合同编号", in.LoanContract)
	case rules.MeasureDiagnosis:
		seen := map[string]bool{}
		var firms, parks int
		if len(in.Served) == 0 {
			bad("served", "绿色诊断须列明所服务的企业或工业园区（名称、企业的统一社会信用代码）")
		}
		if len(in.Served) > 500 {
			bad("served", "所服务的企业和园区一次不超过500家")
		}
		for i, s := range in.Served {
			s.Kind, s.Name, s.USCC = strings.TrimSpace(s.Kind), strings.TrimSpace(s.Name), uscc.Normalize(s.USCC)
			field := fmt.Sprintf("served[%d]", i)
			switch s.Kind {
			case "enterprise":
				firms++
				if err := uscc.Validate(s.USCC); err != nil {
					bad(field, fmt.Sprintf("第%d家被服务企业的统一社会信用代码：%s", i+1, err.Error()))
				}
			case "park":
				parks++
				if s.USCC != "" {
					if err := uscc.Validate(s.USCC); err != nil {
						bad(field, fmt.Sprintf("第%d个被服务园区的统一社会信用代码：%s", i+1, err.Error()))
					}
				}
			default:
				bad(field, fmt.Sprintf("第%d项类型应为 enterprise（企业）或 park（工业园区）", i+1))
			}
			if s.Name == "" || utf8.RuneCountInString(s.Name) > 100 {
				bad(field, fmt.Sprintf("第%d项名称不能为空，且不超过100个字", i+1))
			}
			if seen[s.key()] {
				bad(field, fmt.Sprintf("第%d项「%s」重复", i+1, s.Name))
			}
			seen[s.key()] = true
			d.Served = append(d.Served, s)
		}
		f.DiagnosedEnterprises, f.DiagnosedParks = &firms, &parks
	}
	if len(ds) > 0 {
		return f, d, &gengxin.Error{Code: gengxin.EInvalid, Message: ds[0].Message, Details: ds}
	}
	return f, d, nil
}

func projectKey(uscc, name string) string {
	return uscc + "|" + strings.Join(strings.Fields(name), "")
}

// limitOf returns the limit key, the limit in 万元 and its rule for an
// application (none for a diagnosis reward, which is limited per unit served).
func limitOf(measure, usccCode, key string, year int) (string, rules.Decimal, string, string, bool) {
	switch {
	case retrofit(measure):
		return "project:" + key, rules.ProjectAwardCapWan.Decimal(), "单个项目奖励资金最高不超过" + rules.ProjectAwardCapWan.Value + "万元", rules.ProjectAwardCapWan.Citation, true
	case measure == rules.MeasureGreenLoan:
		return fmt.Sprintf("loan:%s:%d", usccCode, year), rules.GreenLoanAnnualCapWan.Decimal(), "单个企业年度贴息金额最高不超过" + rules.GreenLoanAnnualCapWan.Value + "万元", rules.GreenLoanAnnualCapWan.Citation, true
	}
	return "", rules.Decimal{}, "", "", false
}

func needApplicant(u *gengxin.User) error {
	if u == nil || u.Role != gengxin.RoleApplicant {
		return gengxin.Errorf(gengxin.EForbidden, "只有企业（申报主体）可以申报绿色低碳资金奖励")
	}
	if err := uscc.Validate(u.OrgUSCC); err != nil {
		return gengxin.Errorf(gengxin.EForbidden, "申报单位的统一社会信用代码无效，不能申报：%s", err.Error())
	}
	return nil
}

// PreviewGreen computes the cap the application in would get today, with
// its reasons, without storing anything. EForbidden unless u is an
// applicant with a valid 信用代码; EInvalid for bad or missing figures. A
// claim the rules refuse is not an error here: Refusal says why.
func (a *App) PreviewGreen(ctx context.Context, u *gengxin.User, in GreenInput) (*GreenPreview, error) {
	if err := needApplicant(u); err != nil {
		return nil, err
	}
	return a.previewGreen(a.DB.Read(ctx), u, in, a.Today())
}

type greenReader interface {
	GreenListingsOf(uscc, name string) ([]store.GreenListEntry, error)
	GreenServedBy(keys []string) (map[string]int64, error)
	GreenLimitUsed(key string) (string, error)
}

func (a *App) previewGreen(rd greenReader, u *gengxin.User, in GreenInput, day calendar.Date) (*GreenPreview, error) {
	f, d, err := in.normalise()
	if err != nil {
		return nil, err
	}
	m, _ := LookupGreenMeasure(f.Measure)
	p := &GreenPreview{Measure: m, Detail: d, AsOf: day, Listings: []store.GreenListEntry{}, projectKey: projectKey(u.OrgUSCC, in.ProjectName)}
	ls, err := rd.GreenListingsOf(u.OrgUSCC, u.OrgName)
	if err != nil {
		return nil, err
	}
	for _, e := range ls {
		if listedOn(e, day) {
			p.Listings = append(p.Listings, e)
		}
	}
	// GL-07 三(三): listed_green_unit comes from the lists on the
	// application date, never from the applicant.
	listed := len(p.Listings) > 0
	p.Listed = listed
	var notes []string
	for _, e := range p.Listings {
		notes = append(notes, fmt.Sprintf("%s（%s起）", GreenListKindLabel(e.Kind), e.ListedOn))
	}
	p.ListedNote = strings.Join(notes, "、")
	if f.Measure != rules.MeasureDiagnosis && f.Measure != rules.MeasureGreenLoan {
		f.ListedGreenUnit = &listed
	}
	p.Facts = f
	p.Result = rules.Eval(rules.Facts{AsOf: day, GreenAward: &f}, a.Calendar())
	amount := "award_cap_wan"
	if f.Measure == rules.MeasureGreenLoan {
		amount = "interest_subsidy_cap_wan"
	}
	p.CapWan = p.Result.Amounts[amount]
	for i, fd := range p.Result.Findings {
		if fd.Rule == m.Rule {
			p.CapFinding = &p.Result.Findings[i]
		}
	}
	var fails []gengxin.ErrorDetail
	if msg := greenSectorRefusal(f.Measure, d.Sector); msg != "" {
		fails = append(fails, gengxin.ErrorDetail{Field: "sector", Rule: m.Rule, Citation: m.Citation, Message: msg})
	}
	for _, fd := range p.Result.Findings {
		if fd.Outcome == rules.Fail || fd.Outcome == rules.OutOfForce {
			fails = append(fails, gengxin.ErrorDetail{Rule: fd.Rule, Citation: fd.Citation, Message: fd.Message})
		}
	}
	if len(fails) == 0 && p.CapWan == "" && p.CapFinding != nil {
		fails = append(fails, gengxin.ErrorDetail{Rule: p.CapFinding.Rule, Citation: p.CapFinding.Citation, Message: p.CapFinding.Message})
	}
	if key, limit, _, _, ok := limitOf(f.Measure, u.OrgUSCC, p.projectKey, in.Year); ok {
		used, err := rd.GreenLimitUsed(key)
		if err != nil {
			return nil, err
		}
		usedD := rules.MustDecimal(used)
		p.LimitWan, p.UsedWan, p.RemainWan = limit.String(), usedD.String(), limit.Sub(usedD).Max(rules.DecimalFromInt(0)).String()
	}
	if f.Measure == rules.MeasureDiagnosis {
		keys := make([]string, len(d.Served))
		for i, s := range d.Served {
			keys[i] = s.key()
		}
		done, err := rd.GreenServedBy(keys)
		if err != nil {
			return nil, err
		}
		for _, s := range d.Served {
			if _, ok := done[s.key()]; ok {
				p.AlreadyUsed = append(p.AlreadyUsed, s.Name)
			}
		}
		if len(p.AlreadyUsed) > 0 {
			fails = append(fails, gengxin.ErrorDetail{Rule: "GL-01", Citation: m.Citation,
				Message: "以下被服务对象已获绿色诊断奖励，每家企业或园区只奖励一次：" + strings.Join(p.AlreadyUsed, "、")})
		}
	}
	if len(fails) > 0 {
		p.Refusal = refusal("不符合奖励条件", fails)
	}
	return p, nil
}

// GreenApplicationView is an application with its facts, detail and
// findings decoded, for pages and the API.
type GreenApplicationView struct {
	*store.GreenApplication
	MeasureLabel string                `json:"measure_label"`
	StatusLabel  string                `json:"status_label"`
	Facts        rules.GreenAwardFacts `json:"facts"`
	Detail       GreenDetail           `json:"detail"`
	Result       rules.Result          `json:"result"`
}

func greenView(g *store.GreenApplication) *GreenApplicationView {
	v := &GreenApplicationView{GreenApplication: g, MeasureLabel: GreenMeasureLabel(g.Measure), StatusLabel: GreenStatusLabel(g.Status)}
	json.Unmarshal([]byte(g.Facts), &v.Facts)
	json.Unmarshal([]byte(g.Detail), &v.Detail)
	json.Unmarshal([]byte(g.Findings), &v.Result)
	return v
}

// ApplyGreen stores an application under one measure with the cap
// computed on today's date, in one transaction with its event. EForbidden
// unless an applicant with a valid 信用代码; EInvalid for bad figures;
// ERuleRefused (422, naming the rule) when the rules refuse the claim (a
// failing or out-of-force finding, a served unit already rewarded).
func (a *App) ApplyGreen(ctx context.Context, u *gengxin.User, in GreenInput) (*GreenApplicationView, error) {
	if err := needApplicant(u); err != nil {
		return nil, err
	}
	var g *store.GreenApplication
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		today := a.Today()
		p, err := a.previewGreen(tx, u, in, today)
		if err != nil {
			return err
		}
		if p.Refusal != nil {
			return p.Refusal
		}
		facts, _ := json.Marshal(p.Facts)
		detail, _ := json.Marshal(p.Detail)
		res, _ := json.Marshal(p.Result)
		g = &store.GreenApplication{OrgID: u.OrgID, Enterprise: u.OrgName, USCC: u.OrgUSCC, ProjectName: strings.TrimSpace(in.ProjectName),
			ProjectKey: p.projectKey, District: strings.TrimSpace(in.District), Measure: p.Measure.Code, Year: in.Year,
			Facts: string(facts), Detail: string(detail), Listed: p.Listed, ListedNote: p.ListedNote,
			CapWan: p.CapWan, CapRule: p.Measure.Rule, CapCitation: p.Measure.Citation, Findings: string(res),
			Status: GreenSubmitted, AppliedOn: today, CreatedAt: a.now()}
		if p.CapFinding != nil {
			g.CapCitation = p.CapFinding.Citation
		}
		if err := tx.InsertGreenApplication(g); err != nil {
			return err
		}
		return a.userEvent(tx, u, "green-apply", g.CapCitation, fmt.Sprintf("申报%s：%s（%d年度），奖励资金上限 %s万元（%s）", p.Measure.Label, g.ProjectName, g.Year, g.CapWan, g.CapRule),
			map[string]any{"application": g.ID, "input": in, "facts": p.Facts, "cap_wan": p.CapWan})
	})
	if err != nil {
		return nil, err
	}
	return greenView(g), nil
}

// GreenApplication returns application id as u may see it: the bureau sees
// every one, an enterprise its own; ENotFound otherwise (EForbidden for
// roles that have no part in the awards).
func (a *App) GreenApplication(ctx context.Context, u *gengxin.User, id int64) (*GreenApplicationView, error) {
	if !IsGreenBureau(u) && (u == nil || u.Role != gengxin.RoleApplicant) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "绿色低碳资金奖励仅由申报企业和市经济和信息化局办理")
	}
	g, err := a.DB.Read(ctx).GreenApplication(id)
	if err != nil {
		return nil, err
	}
	if !IsGreenBureau(u) && g.OrgID != u.OrgID {
		return nil, gengxin.Errorf(gengxin.ENotFound, "奖励申请不存在或无权查看")
	}
	return greenView(g), nil
}

// GreenApplications lists the applications u may see (an enterprise its
// own, the bureau all), filtered by status, measure, district and year.
func (a *App) GreenApplications(ctx context.Context, u *gengxin.User, f store.GreenFilter) ([]*GreenApplicationView, error) {
	switch {
	case IsGreenBureau(u):
	case u != nil && u.Role == gengxin.RoleApplicant:
		f.OrgID = u.OrgID
	default:
		return nil, gengxin.Errorf(gengxin.EForbidden, "绿色低碳资金奖励仅由申报企业和市经济和信息化局办理")
	}
	if err := checkGreenFilter(f); err != nil {
		return nil, err
	}
	gs, err := a.DB.Read(ctx).GreenApplications(f)
	if err != nil {
		return nil, err
	}
	out := make([]*GreenApplicationView, len(gs))
	for i, g := range gs {
		out[i] = greenView(g)
	}
	return out, nil
}

func checkGreenFilter(f store.GreenFilter) error {
	if f.Status != "" && f.Status != GreenSubmitted && f.Status != GreenApproved && f.Status != GreenRefused {
		return gengxin.Errorf(gengxin.EInvalid, "状态无效：应为 submitted、approved 或 refused")
	}
	if _, ok := LookupGreenMeasure(f.Measure); f.Measure != "" && !ok {
		return gengxin.Errorf(gengxin.EInvalid, "申报措施无效")
	}
	if _, ok := gengxin.LookupDistrict(f.District); f.District != "" && !ok {
		return gengxin.Errorf(gengxin.EInvalid, "所在区无效")
	}
	if f.Year != 0 && (f.Year < 2000 || f.Year > 2100) {
		return gengxin.Errorf(gengxin.EInvalid, "年度无效")
	}
	return nil
}

// ---- review ----

// ApproveGreen approves application id with amountWan (万元), in one
// transaction: the amount must not exceed the application's cap (ERuleRefused
// naming its GL- rule), nor, with the bureau's earlier approvals, 3,000万元
// per project (二(一)) or 1,000万元 of loan subsidy per enterprise and year
// (八); a diagnosis reward is refused for any unit served that has had one
// (一(二)). The limit's row is locked for the transaction, so of two
// concurrent approvals at the edge exactly one commits. It issues the award
// notice (numbered, verifiable). EForbidden unless the bureau; EConflict
// when the application was decided already.
func (a *App) ApproveGreen(ctx context.Context, u *gengxin.User, id int64, amountWan string) (*GreenApplicationView, error) {
	if err := needBureau(u, "核定绿色低碳资金奖励"); err != nil {
		return nil, err
	}
	amount, err := rules.ParseDecimal(strings.TrimSpace(amountWan))
	if err != nil || amount.Sign() <= 0 {
		return nil, &gengxin.Error{Code: gengxin.EInvalid, Message: "核定金额（万元）应为大于0的数字",
			Details: []gengxin.ErrorDetail{{Field: "amount_wan", Message: "核定金额（万元）应为大于0的数字"}}}
	}
	var g *store.GreenApplication
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		g, err = tx.GreenApplication(id)
		if err != nil {
			return err
		}
		if g.Status != GreenSubmitted {
			return gengxin.Errorf(gengxin.EConflict, "该申请已办结（%s），不能重复审核", GreenStatusLabel(g.Status))
		}
		capWan, err := rules.ParseDecimal(g.CapWan)
		if err != nil {
			return err
		}
		if amount.Cmp(capWan) > 0 {
			return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: g.CapRule, Citation: g.CapCitation,
				Message: fmt.Sprintf("核定金额 %s万元 超过本申请的奖励资金上限 %s万元（%s %s），系统不予核定", amount, capWan, g.CapRule, g.CapCitation)}
		}
		if key, limit, label, _, ok := limitOf(g.Measure, g.USCC, g.ProjectKey, g.Year); ok {
			used, err := tx.LockGreenLimit(key)
			if err != nil {
				return err
			}
			usedD := rules.MustDecimal(used)
			total := usedD.Add(amount)
			if total.Cmp(limit) > 0 {
				what := "该项目"
				if g.Measure == rules.MeasureGreenLoan {
					what = fmt.Sprintf("该企业%d年度", g.Year)
				}
				return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: g.CapRule, Citation: g.CapCitation,
					Message: fmt.Sprintf("%s：%s已核定 %s万元，本次 %s万元，合计 %s万元，超过上限；本次最多可核定 %s万元", label, what, usedD, amount, total, limit.Sub(usedD).Max(rules.DecimalFromInt(0)))}
			}
			if err := tx.SetGreenLimit(key, total.String()); err != nil {
				return err
			}
		}
		if g.Measure == rules.MeasureDiagnosis {
			var d GreenDetail
			json.Unmarshal([]byte(g.Detail), &d)
			served := slices.Clone(d.Served)
			sort.Slice(served, func(i, j int) bool { return served[i].key() < served[j].key() })
			var taken []string
			for _, s := range served {
				ok, err := tx.ClaimGreenServed(s.key(), s.Name, g.ID)
				if err != nil {
					return err
				}
				if !ok {
					taken = append(taken, s.Name)
				}
			}
			if len(taken) > 0 {
				return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "GL-01", Citation: g.CapCitation,
					Message: "以下被服务对象已获绿色诊断奖励，每家企业或园区只奖励一次：" + strings.Join(taken, "、")}
			}
		}
		today := a.Today()
		n, err := tx.NextCounter(fmt.Sprintf("green-award:%d", today.Year))
		if err != nil {
			return err
		}
		g.Status, g.ApprovedWan, g.DecidedOn, g.DecidedBy = GreenApproved, amount.String(), today, actorName(u)
		g.NoticeNo, g.NoticeCode = fmt.Sprintf("京经信绿奖〔%d〕%d号", today.Year, n), verifyCode()
		if err := tx.DecideGreenApplication(g); err != nil {
			return err
		}
		if err := tx.InsertDocument(&gengxin.IssuedDocument{Code: g.NoticeCode, Kind: greenNoticeTitle(g.Measure), Number: g.NoticeNo,
			Project: g.ProjectName, District: g.District, Issuer: GreenBureau, IssuedOn: today}); err != nil {
			return err
		}
		return a.userEvent(tx, u, "green-approve", g.CapCitation, fmt.Sprintf("核定%s：%s（%s）%s万元（上限 %s万元），制发 %s", GreenMeasureLabel(g.Measure), g.ProjectName, g.Enterprise, g.ApprovedWan, g.CapWan, g.NoticeNo),
			map[string]any{"application": g.ID, "amount_wan": g.ApprovedWan, "cap_wan": g.CapWan})
	})
	if err != nil {
		return nil, err
	}
	return greenView(g), nil
}

// RefuseGreen refuses application id with the reasons given (required,
// EInvalid otherwise), in one transaction with its event. EForbidden
// unless the bureau; EConflict when decided already.
func (a *App) RefuseGreen(ctx context.Context, u *gengxin.User, id int64, reason string) (*GreenApplicationView, error) {
	if err := needBureau(u, "审核绿色低碳资金奖励"); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 1000 {
		return nil, &gengxin.Error{Code: gengxin.EInvalid, Message: "不予奖励须说明理由（不超过1000字）",
			Details: []gengxin.ErrorDetail{{Field: "reason", Message: "不予奖励须说明理由"}}}
	}
	var g *store.GreenApplication
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		if g, err = tx.GreenApplication(id); err != nil {
			return err
		}
		if g.Status != GreenSubmitted {
			return gengxin.Errorf(gengxin.EConflict, "该申请已办结（%s），不能重复审核", GreenStatusLabel(g.Status))
		}
		g.Status, g.DecidedOn, g.DecidedBy, g.Reason = GreenRefused, a.Today(), actorName(u), reason
		if err := tx.DecideGreenApplication(g); err != nil {
			return err
		}
		return a.userEvent(tx, u, "green-refuse", g.CapCitation, fmt.Sprintf("不予奖励：%s（%s），理由：%s", g.ProjectName, g.Enterprise, reason),
			map[string]any{"application": g.ID, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return greenView(g), nil
}

func greenNoticeTitle(measure string) string {
	if measure == rules.MeasureGreenLoan {
		return "绿色信贷贴息核定通知书"
	}
	return "绿色低碳发展资金奖励核定通知书"
}

// GreenNoticePDF renders the award notice of an approved application.
// ENotFound when u may not see it; EConflict before approval.
func (a *App) GreenNoticePDF(ctx context.Context, u *gengxin.User, id int64) ([]byte, string, error) {
	v, err := a.GreenApplication(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	g := v.GreenApplication
	if g.Status != GreenApproved {
		return nil, "", gengxin.Errorf(gengxin.EConflict, "该申请尚未核定奖励，没有核定通知书")
	}
	fields := []document.Field{
		{Label: "申报单位", Value: g.Enterprise + "（统一社会信用代码 " + g.USCC + "）"},
		{Label: "项目名称", Value: g.ProjectName},
		{Label: "所在区", Value: g.District},
		{Label: "项目年度", Value: strconv.Itoa(g.Year)},
		{Label: "支持措施", Value: v.MeasureLabel + "（" + g.CapCitation + "）"},
		{Label: "奖励资金上限", Value: g.CapWan + " 万元（" + g.CapRule + "）"},
		{Label: "核定金额", Value: g.ApprovedWan + " 万元"},
	}
	if g.Listed {
		fields = append(fields, document.Field{Label: "入围名单", Value: g.ListedNote + "（三(三) 比例提高）"})
	}
	if len(v.Detail.Served) > 0 {
		var names []string
		for _, s := range v.Detail.Served {
			names = append(names, s.Name)
		}
		fields = append(fields, document.Field{Label: "被服务对象", Value: strings.Join(names, "、")})
	}
	n := document.Notice{
		Issuer:    GreenBureau,
		Number:    g.NoticeNo,
		Title:     greenNoticeTitle(g.Measure),
		Addressee: g.Enterprise + "：",
		Paragraphs: []string{
			fmt.Sprintf("你单位于%s通过本系统申报的“%s”（%s），经审核，符合《北京市促进制造业和信息软件业绿色低碳发展的若干措施》（京经信发〔2024〕20号）的支持条件，核定%s %s万元。", chineseDate(g.AppliedOn), g.ProjectName, v.MeasureLabel, map[bool]string{true: "贴息资金", false: "奖励资金"}[g.Measure == rules.MeasureGreenLoan], g.ApprovedWan),
			"核定金额未超过该措施的奖励资金上限及单个项目、单个企业年度的最高限额。资金拨付按市级财政资金管理有关规定办理；你单位应对申报材料的真实性负责，如有虚报、冒领等情形，将依法追回资金。",
		},
		Fields:     fields,
		Citation:   "依据：" + g.CapCitation + "（" + g.CapRule + "）",
		Date:       chineseDate(g.DecidedOn),
		VerifyCode: g.NoticeCode,
		VerifyURL:  a.verifyURL(),
		Footer:     "本通知书由北京市城市更新信息系统生成，可下载打印。",
		CreatedAt:  noticeTime(g.DecidedOn),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), fmt.Sprintf("核定通知书-%d.pdf", g.ID), nil
}

// ---- public list and summary ----

// PublicGreenAward is what the public may read of an award granted: the
// enterprise, the project, the measure and the amount; no 信用代码, no
// contacts, no figures of the application.
type PublicGreenAward struct {
	Enterprise   string        `json:"enterprise"`
	ProjectName  string        `json:"project_name"`
	Measure      string        `json:"measure"`
	MeasureLabel string        `json:"measure_label"`
	District     string        `json:"district"`
	Year         int           `json:"year"`
	AmountWan    string        `json:"amount_wan"`
	DecidedOn    calendar.Date `json:"decided_on"`
	NoticeNo     string        `json:"notice_no"`
}

// PublicGreenAwards returns the awards granted, newest first, filtered by
// year, measure and district (EInvalid for bad filters). Anyone may call it.
func (a *App) PublicGreenAwards(ctx context.Context, year int, measure, district string) ([]PublicGreenAward, error) {
	f := store.GreenFilter{Status: GreenApproved, Year: year, Measure: measure, District: district, Limit: 2000}
	if err := checkGreenFilter(f); err != nil {
		return nil, err
	}
	gs, err := a.DB.Read(ctx).GreenApplications(f)
	if err != nil {
		return nil, err
	}
	out := make([]PublicGreenAward, len(gs))
	for i, g := range gs {
		out[i] = PublicGreenAward{Enterprise: g.Enterprise, ProjectName: g.ProjectName, Measure: g.Measure, MeasureLabel: GreenMeasureLabel(g.Measure),
			District: g.District, Year: g.Year, AmountWan: g.ApprovedWan, DecidedOn: g.DecidedOn, NoticeNo: g.NoticeNo}
	}
	return out, nil
}

// GreenSummaryRow is one (measure, year, district) of the summary.
type GreenSummaryRow struct {
	Measure      string `json:"measure"`
	MeasureLabel string `json:"measure_label"`
	Year         int    `json:"year"`
	District     string `json:"district"`
	Applications int    `json:"applications"`
	Pending      int    `json:"pending"`
	Approved     int    `json:"approved"`
	Refused      int    `json:"refused"`
	CapWan       string `json:"cap_wan"`      // sum of the caps of all applications
	ApprovedWan  string `json:"approved_wan"` // sum approved
}

// GreenSummary returns the applications counted and summed by measure,
// year and district (year 0 = all years), with a total row last. Bureau only.
func (a *App) GreenSummary(ctx context.Context, u *gengxin.User, year int) ([]GreenSummaryRow, error) {
	if err := needBureau(u, "查看绿色低碳资金奖励汇总"); err != nil {
		return nil, err
	}
	f := store.GreenFilter{Year: year, Limit: 100000}
	if err := checkGreenFilter(f); err != nil {
		return nil, err
	}
	gs, err := a.DB.Read(ctx).GreenApplications(f)
	if err != nil {
		return nil, err
	}
	type acc struct {
		row           GreenSummaryRow
		cap, approved rules.Decimal
	}
	zero := rules.DecimalFromInt(0)
	by := map[string]*acc{}
	total := &acc{row: GreenSummaryRow{MeasureLabel: "合计"}, cap: zero, approved: zero}
	measureOrder := map[string]int{}
	for i, m := range GreenMeasures {
		measureOrder[m.Code] = i
	}
	for _, g := range gs {
		k := fmt.Sprintf("%02d|%d|%s", measureOrder[g.Measure], g.Year, g.District)
		c := by[k]
		if c == nil {
			c = &acc{row: GreenSummaryRow{Measure: g.Measure, MeasureLabel: GreenMeasureLabel(g.Measure), Year: g.Year, District: g.District}, cap: zero, approved: zero}
			by[k] = c
		}
		for _, x := range []*acc{c, total} {
			x.row.Applications++
			if d, err := rules.ParseDecimal(g.CapWan); err == nil {
				x.cap = x.cap.Add(d)
			}
			switch g.Status {
			case GreenSubmitted:
				x.row.Pending++
			case GreenApproved:
				x.row.Approved++
				if d, err := rules.ParseDecimal(g.ApprovedWan); err == nil {
					x.approved = x.approved.Add(d)
				}
			case GreenRefused:
				x.row.Refused++
			}
		}
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]GreenSummaryRow, 0, len(keys)+1)
	for _, k := range append(keys, "") {
		c := by[k]
		if k == "" {
			c = total
		}
		c.row.CapWan, c.row.ApprovedWan = c.cap.String(), c.approved.String()
		out = append(out, c.row)
	}
	return out, nil
}

// ExportGreenSummary writes the summary and the applications as .xlsx.
func (a *App) ExportGreenSummary(ctx context.Context, u *gengxin.User, year int, w io.Writer) error {
	rows, err := a.GreenSummary(ctx, u, year)
	if err != nil {
		return err
	}
	apps, err := a.GreenApplications(ctx, u, store.GreenFilter{Year: year, Limit: 100000})
	if err != nil {
		return err
	}
	var sum [][]any
	for _, r := range rows {
		y := any(r.Year)
		if r.Year == 0 {
			y = nil
		}
		sum = append(sum, []any{r.MeasureLabel, y, r.District, r.Applications, r.Pending, r.Approved, r.Refused, r.CapWan, r.ApprovedWan})
	}
	var list [][]any
	for _, g := range apps {
		list = append(list, []any{g.ID, g.Enterprise, g.USCC, g.ProjectName, g.MeasureLabel, g.Year, g.District, g.AppliedOn, g.Listed,
			g.CapWan, g.CapRule, g.StatusLabel, g.ApprovedWan, g.DecidedOn, g.NoticeNo, g.Reason})
	}
	when := a.now().In(calendar.Beijing).Format("2006-01-02 15:04")
	scope := "全部年度"
	if year != 0 {
		scope = strconv.Itoa(year) + "年度"
	}
	return xlsx.WriteWorkbook(w,
		xlsx.Sheet{Name: "汇总", Title: "绿色低碳资金奖励汇总（" + scope + "，按措施、年度、区；导出时间 " + when + "）", Columns: []xlsx.Column{
			{Title: "支持措施", Width: 30}, {Title: "年度", Width: 8}, {Title: "所在区", Width: 16}, {Title: "申请数", Width: 8}, {Title: "待审核", Width: 8},
			{Title: "已核定", Width: 8}, {Title: "不予奖励", Width: 10}, {Title: "上限合计(万元)", Width: 16}, {Title: "核定合计(万元)", Width: 16}}, Rows: sum},
		xlsx.Sheet{Name: "申请清单", Columns: []xlsx.Column{{Title: "编号", Width: 8}, {Title: "申报单位", Width: 30}, {Title: "统一社会信用代码", Width: 22},
			{Title: "项目名称", Width: 30}, {Title: "支持措施", Width: 26}, {Title: "年度", Width: 8}, {Title: "所在区", Width: 12}, {Title: "申报日期", Width: 12},
			{Title: "入围名单", Width: 10}, {Title: "上限(万元)", Width: 12}, {Title: "规则", Width: 8}, {Title: "状态", Width: 10}, {Title: "核定(万元)", Width: 12},
			{Title: "审核日期", Width: 12}, {Title: "通知书文号", Width: 22}, {Title: "不予奖励理由", Width: 30}}, Rows: list})
}
