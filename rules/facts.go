package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gengxin/calendar"
)

// Facts is the input document of `gengxin rules eval` and POST
// /api/v1/rules/eval (FACTS.md "Input"). Every section is optional (nil =
// absent). Inside a section, optional booleans, numbers and dates are
// pointers, so that an absent field differs from false or 0; JSON null reads
// as absent. Numbers are exact Decimals (DECISIONS.md D18) except years,
// counts and months, which are integers. A field's `enum` tag lists the
// values ParseFacts accepts ("custom:*" accepts any value with that prefix).
type Facts struct {
	// AsOf is the date the rules are evaluated on. ParseFacts sets it to the
	// caller's today (in Beijing) when the input has no "as_of".
	AsOf          calendar.Date       `json:"as_of"`
	Library       *LibraryFacts       `json:"library,omitempty"`
	OldFactory    *OldFactoryFacts    `json:"old_factory,omitempty"`
	Coordinator   *CoordinatorFacts   `json:"coordinator,omitempty"`
	Expert        *ExpertFacts        `json:"expert,omitempty"`
	GreenAward    *GreenAwardFacts    `json:"green_award,omitempty"`
	ComputeCenter *ComputeCenterFacts `json:"compute_center,omitempty"`
}

// LibraryFacts is a project in the urban-renewal project library
// (城市更新项目库, 京建法〔2024〕2号).
type LibraryFacts struct {
	Category                  string         `json:"category,omitempty" enum:"居住类|产业类|设施类|公共空间类|区域综合性"`
	EntityIdentified          *bool          `json:"entity_identified,omitempty"`
	GoalStated                *bool          `json:"goal_stated,omitempty"`
	FundEstimateDone          *bool          `json:"fund_estimate_done,omitempty"`
	CompliesWithPlans         *bool          `json:"complies_with_plans,omitempty"`
	PreapprovedByIndustryDept *bool          `json:"preapproved_by_industry_dept,omitempty"`
	ConfirmationDocument      *bool          `json:"confirmation_document,omitempty"`
	PlanningAndUseClear       *bool          `json:"planning_and_use_clear,omitempty"`
	IndustryDeptCertified     *bool          `json:"industry_dept_certified,omitempty"`
	StableFunding             *bool          `json:"stable_funding,omitempty"`
	PlanYear                  *int           `json:"plan_year,omitempty"`
	ExpectedStartYear         *int           `json:"expected_start_year,omitempty"`
	PlanIncludedOn            *calendar.Date `json:"plan_included_on,omitempty"`
	ImplementationPlanDoneOn  *calendar.Date `json:"implementation_plan_done_on,omitempty"`
	NeedsImplementationPlan   *bool          `json:"needs_implementation_plan,omitempty"`
	CompletionAcceptedOn      *calendar.Date `json:"completion_accepted_on,omitempty"`
}

// OldFactoryFacts is an old-factory renovation case (老旧厂房更新改造,
// 京规自发〔2024〕67号 and 京经信发〔2024〕14号).
type OldFactoryFacts struct {
	District                 string           `json:"district,omitempty"`
	InsideFifthRing          *bool            `json:"inside_fifth_ring,omitempty"`
	InSubCenter              *bool            `json:"in_sub_center,omitempty"`
	BuildingAreaM2           *Decimal         `json:"building_area_m2,omitempty"`
	VacantAreaM2             *Decimal         `json:"vacant_area_m2,omitempty"`
	OutputBelowStandard      *bool            `json:"output_below_standard,omitempty"`
	SafetyHazard             *bool            `json:"safety_hazard,omitempty"`
	ProposedIndustry         string           `json:"proposed_industry,omitempty"`
	Renovation               *RenovationFacts `json:"renovation,omitempty"`
	Land                     *LandFacts       `json:"land,omitempty"`
	Transition               *TransitionFacts `json:"transition,omitempty"`
	Ownership                *OwnershipFacts  `json:"ownership,omitempty"`
	InvolvesCentralUnits     *bool            `json:"involves_central_units,omitempty"`
	CentralConsultationsDone *bool            `json:"central_consultations_done,omitempty"`
	MajorProject             *bool            `json:"major_project,omitempty"`
	CrossDistrict            *bool            `json:"cross_district,omitempty"`
	Classified               *bool            `json:"classified,omitempty"`
	PublicityStart           *calendar.Date   `json:"publicity_start,omitempty"`
	LastEvaluationOn         *calendar.Date   `json:"last_evaluation_on,omitempty"`
}

// RenovationFacts describes the planned works of an old-factory case.
type RenovationFacts struct {
	AncillaryOnly              *bool    `json:"ancillary_only,omitempty"`
	InteriorOnly               *bool    `json:"interior_only,omitempty"`
	UseChangeMainClass         *bool    `json:"use_change_main_class,omitempty"`
	IncreaseArea               *bool    `json:"increase_area,omitempty"`
	ChangeOutline              *bool    `json:"change_outline,omitempty"`
	ChangeLayout               *bool    `json:"change_layout,omitempty"`
	ChangeStructure            *bool    `json:"change_structure,omitempty"`
	StructureChangeAltersScale *bool    `json:"structure_change_alters_scale,omitempty"`
	FacadeWork                 *bool    `json:"facade_work,omitempty"`
	FacadeInSpecialArea        *bool    `json:"facade_in_special_area,omitempty"`
	DemolishRebuild            *bool    `json:"demolish_rebuild,omitempty"`
	NewUndergroundSpace        *bool    `json:"new_underground_space,omitempty"`
	AboveGroundAreaAfterM2     *Decimal `json:"above_ground_area_after_m2,omitempty"`
	SupportingAreaM2           *Decimal `json:"supporting_area_m2,omitempty"`
	HeightAfterM               *Decimal `json:"height_after_m,omitempty"`
	UndergroundAreaM2          *Decimal `json:"underground_area_m2,omitempty"`
	ExcavationDepthM           *Decimal `json:"excavation_depth_m,omitempty"`
	SingleFunction             *bool    `json:"single_function,omitempty"`
	SingleStoreyBefore         *bool    `json:"single_storey_before,omitempty"`
	StoreysAfter               *int     `json:"storeys_after,omitempty"`
	UseAfter                   string   `json:"use_after,omitempty"`
	GreenRatioBefore           *Decimal `json:"green_ratio_before,omitempty"`
	GreenRatioAfter            *Decimal `json:"green_ratio_after,omitempty"`
}

// LandFacts describes the land-supply side of an old-factory case. Terms are
// in years, as Decimals (a remaining term may be fractional).
type LandFacts struct {
	Use                     string              `json:"use,omitempty" enum:"居住|工业|教育科技文化卫生体育|商业旅游娱乐|综合"`
	Supply                  string              `json:"supply,omitempty" enum:"划拨|租赁|出让|先租后让|作价出资|入股"`
	LeaseYears              *Decimal            `json:"lease_years,omitempty"`
	RentReviewIntervalYears *Decimal            `json:"rent_review_interval_years,omitempty"`
	LeaseThenSale           *LeaseThenSaleFacts `json:"lease_then_sale,omitempty"`
	RemainingYears          *Decimal            `json:"remaining_years,omitempty"`
	ExtensionYears          *Decimal            `json:"extension_years,omitempty"`
	SplitTransfer           *bool               `json:"split_transfer,omitempty"`
	SplitTransferApproved   *bool               `json:"split_transfer_approved,omitempty"`
}

// LeaseThenSaleFacts is a 先租后让 arrangement.
type LeaseThenSaleFacts struct {
	LeaseYears *Decimal `json:"lease_years,omitempty"`
	SaleYears  *Decimal `json:"sale_years,omitempty"`
}

// TransitionFacts describes the 5-year transition period (过渡期) case.
type TransitionFacts struct {
	EncouragedIndustry         *bool          `json:"encouraged_industry,omitempty"`
	CompliesWithRegulatoryPlan *bool          `json:"complies_with_regulatory_plan,omitempty"`
	LandUserUnchanged          *bool          `json:"land_user_unchanged,omitempty"`
	ConstructionPermitOn       *calendar.Date `json:"construction_permit_on,omitempty"`
	PlanningPermitOn           *calendar.Date `json:"planning_permit_on,omitempty"`
}

// OwnershipFacts describes who holds the factory and, for complex
// ownership, the owners' vote (shares are fractions: 0.75, not 75).
type OwnershipFacts struct {
	Kind                    string   `json:"kind,omitempty" enum:"single|complex|municipal_soe|district_soe"`
	ParticipationAreaShare  *Decimal `json:"participation_area_share,omitempty"`
	ParticipationOwnerShare *Decimal `json:"participation_owner_share,omitempty"`
	YesAreaShare            *Decimal `json:"yes_area_share,omitempty"`
	YesOwnerShare           *Decimal `json:"yes_owner_share,omitempty"`
}

// CoordinatorFacts is the designation of an implementation unit's
// coordinator (统筹主体, 京建法〔2024〕1号).
type CoordinatorFacts struct {
	Method          string         `json:"method,omitempty" enum:"公开比选|指定|招标|涉密|紧急救援"`
	PublicityStart  *calendar.Date `json:"publicity_start,omitempty"`
	ConfirmedOn     *calendar.Date `json:"confirmed_on,omitempty"`
	TermYears       *int           `json:"term_years,omitempty"`
	ExtensionMonths []int          `json:"extension_months,omitempty"`
}

// ExpertFacts is a member or candidate of the expert committee
// (专家委员会, 京建法〔2024〕3号).
type ExpertFacts struct {
	BirthDate       *calendar.Date `json:"birth_date,omitempty"`
	ApplicationDate *calendar.Date `json:"application_date,omitempty"`
	Academician     *bool          `json:"academician,omitempty"`
	ShortageField   *bool          `json:"shortage_field,omitempty"`
	AppointedOn     *calendar.Date `json:"appointed_on,omitempty"`
	Relations       []string       `json:"relations,omitempty" enum:"leads_or_participates|close_relative_of_leader|economic_interest|employer_subordinate|custom:*"`
	Sanction        string         `json:"sanction,omitempty" enum:"none|行政处分|行政处罚|刑事处罚|misconduct"`
}

// GreenAwardFacts is a claim under 京经信发〔2024〕20号 (amounts in 万元).
type GreenAwardFacts struct {
	Measure                 string   `json:"measure,omitempty" enum:"diagnosis|energy_saving|other_retrofit|env_rating|data_center|demonstration|green_loan"`
	EnergySavedTce          *Decimal `json:"energy_saved_tce,omitempty"`
	EligibleInvestmentWan   *Decimal `json:"eligible_investment_wan,omitempty"`
	ListedGreenUnit         *bool    `json:"listed_green_unit,omitempty"`
	DiagnosedEnterprises    *int     `json:"diagnosed_enterprises,omitempty"`
	DiagnosedParks          *int     `json:"diagnosed_parks,omitempty"`
	FixedAssetInvestmentWan *Decimal `json:"fixed_asset_investment_wan,omitempty"`
	LoanAmountWan           *Decimal `json:"loan_amount_wan,omitempty"`
	SubsidyRate             *Decimal `json:"subsidy_rate,omitempty"`
	ProjectYear             *int     `json:"project_year,omitempty"`
}

// ComputeCenterFacts is a data centre under 京经信发〔2024〕25号.
type ComputeCenterFacts struct {
	Kind            string         `json:"kind,omitempty" enum:"new|expanded|existing"`
	AnnualEnergyTce *Decimal       `json:"annual_energy_tce,omitempty"`
	PUE             *Decimal       `json:"pue,omitempty"`
	MeasuredOn      *calendar.Date `json:"measured_on,omitempty"`
	Network         *NetworkFacts  `json:"network,omitempty"`
}

// NetworkFacts is the measured network of a data centre.
type NetworkFacts struct {
	IntraCityRttMs *Decimal `json:"intra_city_rtt_ms,omitempty"`
	Ring200kmRttMs *Decimal `json:"ring_200km_rtt_ms,omitempty"`
	WestRttMs      *Decimal `json:"west_rtt_ms,omitempty"`
	BandwidthGbps  *Decimal `json:"bandwidth_gbps,omitempty"`
}

// InputError is an unreadable or invalid facts document. Callers map it to
// exit status 2 (CLI) or HTTP 400; Message is Chinese and names the field.
type InputError struct {
	Message string
}

func (e *InputError) Error() string { return e.Message }

func inputErrorf(format string, args ...any) *InputError {
	return &InputError{Message: fmt.Sprintf(format, args...)}
}

// MaxFactsBytes is the largest facts document ParseFacts reads.
const MaxFactsBytes = 1 << 20

// ParseFacts reads one facts document strictly and returns it, or an
// *InputError whose message names the offending field by its path
// ("library.foo", "coordinator.extension_months[1]"): unknown fields
// anywhere (names match exactly, case included), values of the wrong type,
// invalid dates, numbers that are not exact decimals, integers with a
// fraction, values outside a field's enumeration, a document that is not an
// object, and any data after the document. When the input has no "as_of"
// (or null), AsOf is set to today, which the caller passes as the current
// date in Beijing (calendar.DateIn(time.Now())); rules never read the clock.
func ParseFacts(r io.Reader, today calendar.Date) (Facts, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFactsBytes+1))
	if err != nil {
		return Facts{}, inputErrorf("无法读取输入：%v", err)
	}
	if len(data) > MaxFactsBytes {
		return Facts{}, inputErrorf("输入过大（超过 %d 字节）", MaxFactsBytes)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return Facts{}, inputErrorf("输入为空：应为一个 JSON 对象")
	}

	// Pass 1: a generic tree, so that every error can name its path.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return Facts{}, syntaxError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Facts{}, inputErrorf("JSON 文档之后有多余数据（第 %d 字节起）", dec.InputOffset())
	}
	if _, ok := tree.(map[string]any); !ok {
		return Facts{}, inputErrorf("输入应为一个 JSON 对象")
	}
	if err := check("", tree, reflect.TypeOf(Facts{}), ""); err != nil {
		return Facts{}, err
	}

	// Pass 2: the typed document; pass 1 has already vetted every value.
	var f Facts
	dec = json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return Facts{}, inputErrorf("输入无效：%v", err)
	}
	if f.AsOf.IsZero() {
		f.AsOf = today
	}
	return f, nil
}

func syntaxError(err error) *InputError {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return inputErrorf("JSON 语法错误（第 %d 字节附近）：%v", se.Offset, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return inputErrorf("JSON 不完整：输入意外结束")
	}
	return inputErrorf("JSON 无法解析：%v", err)
}

var (
	dateType    = reflect.TypeOf(calendar.Date{})
	decimalType = reflect.TypeOf(Decimal{})
)

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// check validates the generic JSON value v against the Go type t, naming
// path in every error. enum is the `enum` tag of the field, if any.
func check(path string, v any, t reflect.Type, enum string) *InputError {
	if v == nil {
		return nil // null: absent
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case dateType:
		s, ok := v.(string)
		if !ok {
			return inputErrorf("字段 %q 应为日期字符串 YYYY-MM-DD", path)
		}
		if _, err := calendar.ParseDate(s); err != nil {
			return inputErrorf("字段 %q：%v", path, err)
		}
		return nil
	case decimalType:
		switch x := v.(type) {
		case json.Number:
			if _, err := parseJSONNumber(x.String()); err != nil {
				return inputErrorf("字段 %q：%v", path, err)
			}
		case string:
			if _, err := ParseDecimal(x); err != nil {
				return inputErrorf("字段 %q：%v", path, err)
			}
		default:
			return inputErrorf("字段 %q 应为数值", path)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return inputErrorf("字段 %q 应为 true 或 false", path)
		}
	case reflect.Int:
		n, ok := v.(json.Number)
		if !ok {
			return inputErrorf("字段 %q 应为整数", path)
		}
		if _, err := strconv.ParseInt(n.String(), 10, 32); err != nil {
			return inputErrorf("字段 %q 应为整数：%s", path, n)
		}
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return inputErrorf("字段 %q 应为字符串", path)
		}
		if enum != "" && !inEnum(s, enum) {
			return inputErrorf("字段 %q 的值 %q 无效，应为 %s 之一", path, s, strings.ReplaceAll(enum, "|", "、"))
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			return inputErrorf("字段 %q 应为数组", path)
		}
		for i, e := range arr {
			p := fmt.Sprintf("%s[%d]", path, i)
			if e == nil {
				return inputErrorf("字段 %q 不能为 null", p)
			}
			if err := check(p, e, t.Elem(), enum); err != nil {
				return err
			}
		}
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			if path == "" {
				return inputErrorf("输入应为一个 JSON 对象")
			}
			return inputErrorf("字段 %q 应为对象", path)
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sf, ok := fields[k]
			if !ok {
				return inputErrorf("未知字段 %q", join(path, k))
			}
			if err := check(join(path, k), obj[k], sf.Type, sf.Tag.Get("enum")); err != nil {
				return err
			}
		}
	default:
		return inputErrorf("字段 %q 的类型不受支持", path)
	}
	return nil
}

func inEnum(s, enum string) bool {
	for _, e := range strings.Split(enum, "|") {
		if p, ok := strings.CutSuffix(e, "*"); ok {
			if strings.HasPrefix(s, p) && len(s) > len(p) {
				return true
			}
		} else if s == e {
			return true
		}
	}
	return false
}

// jsonFields maps the exact JSON names of t's fields to the fields.
func jsonFields(t reflect.Type) map[string]reflect.StructField {
	m := make(map[string]reflect.StructField, t.NumField())
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		m[name] = sf
	}
	return m
}
