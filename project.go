package gengxin

import (
	"strings"
	"time"

	"gengxin/calendar"
)

// Category is one of the five project types of 《北京市城市更新条例》第二条, as
// listed in 京建法〔2024〕2号 第十条(二).
type Category string

// The five categories. 老旧厂房 projects are 产业类.
const (
	Residential   Category = "居住类"
	Industrial    Category = "产业类"
	Facility      Category = "设施类"
	PublicSpace   Category = "公共空间类"
	Comprehensive Category = "区域综合性"
)

// Categories lists the five categories in the gazette's order.
var Categories = []Category{Residential, Industrial, Facility, PublicSpace, Comprehensive}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// DefaultIndustryDept returns the district industry department to which a
// project of category c is pushed after entry (京建法〔2024〕2号 第十三条). The
// district government designates it (第六条); this is the system's default
// ("按本系统口径"), changeable per project by the renewal authority.
func (c Category) DefaultIndustryDept() string {
	switch c {
	case Residential:
		return "住房城乡建设"
	case Industrial:
		return "经济和信息化"
	case Facility:
		return "发展改革"
	case PublicSpace:
		return "城市管理"
	}
	return "发展改革"
}

// DefaultReviewDepartments returns the departments invited by default to the
// joint review of a category (京建法〔2024〕2号 第十条(二) lists 13; the default set
// is the core four of 第十六条 plus the category's own departments).
func (c Category) DefaultReviewDepartments() []string {
	core := []string{"发展改革", "规划自然资源", "财政", "住房城乡建设"}
	var extra []string
	switch c {
	case Residential:
		extra = []string{"城市管理", "民政"}
	case Industrial:
		extra = []string{"经济和信息化", "科技", "商务"}
	case Facility:
		extra = []string{"交通", "教育", "卫生健康", "文化旅游"}
	case PublicSpace:
		extra = []string{"城市管理", "交通"}
	}
	return append(core, extra...)
}

// EntityRole is the applicant's role in the project (京建法〔2024〕2号 第十条(一)).
type EntityRole string

// Entity roles.
const (
	Implementer EntityRole = "实施主体"
	Coordinator EntityRole = "统筹主体"
)

// Status is the procedural state of a project (DESIGN.md §4). Its library
// (储备库 / 实施库 / 已出库) follows from it.
type Status string

// Statuses of DESIGN.md §4.
const (
	StatusDraft               Status = "draft"
	StatusSubmitted           Status = "submitted"
	StatusInReview            Status = "in_review"
	StatusCorrectionRequested Status = "correction_requested"
	StatusRejected            Status = "rejected"
	StatusReserve             Status = "reserve"        // 储备项目库
	StatusImplementation      Status = "implementation" // 实施项目库
	StatusExited              Status = "exited"         // 已出库
)

// Statuses lists every status in procedure order.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusInReview, StatusCorrectionRequested,
	StatusRejected, StatusReserve, StatusImplementation, StatusExited}

// Label returns the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusSubmitted:
		return "已申报"
	case StatusInReview:
		return "联合审查中"
	case StatusCorrectionRequested:
		return "待补正"
	case StatusRejected:
		return "不予入库"
	case StatusReserve:
		return "储备项目库"
	case StatusImplementation:
		return "实施项目库"
	case StatusExited:
		return "已出库"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// InLibrary reports whether a project in state s is in the project library.
func (s Status) InLibrary() bool { return s == StatusReserve || s == StatusImplementation }

// Source says how a project entered the system.
const (
	SourceOnline = "online" // 网上申报 (第十条(一))
	SourceImport = "import" // 直接导入 (第十一条)
)

// Project is a city-renewal project (城市更新项目, RULES R1) with its library
// state. Fields set by later steps are zero until then.
type Project struct {
	ID       int64    `json:"id"`
	Code     string   `json:"code"` // 项目编号, e.g. GX-110105-2024-000012
	Name     string   `json:"name"`
	Category Category `json:"category"`
	District string   `json:"district"`
	Street   string   `json:"street"`
	Address  string   `json:"address"`
	Goal     string   `json:"goal"`
	// FundEstimateWan is the 资金匡算 in 万元 as an exact decimal string (D18).
	FundEstimateWan string     `json:"fund_estimate_wan"`
	LandAreaM2      string     `json:"land_area_m2,omitempty"`
	BuildingAreaM2  string     `json:"building_area_m2,omitempty"`
	EntityName      string     `json:"entity_name"`
	EntityUSCC      string     `json:"entity_uscc"`
	EntityRole      EntityRole `json:"entity_role"`
	Contact         string     `json:"contact,omitempty"`
	// Flags of 第十条(二)第三款 and 第九条(一).
	Major             bool `json:"major"`
	CrossDistrict     bool `json:"cross_district"`
	CompliesWithPlans bool `json:"complies_with_plans"`

	OrgID  int64  `json:"org_id,omitempty"`
	Source string `json:"source"`
	// ExternalRef is the approval reference of an imported project (第十一条);
	// with the district it makes a re-run of the same import idempotent.
	ExternalRef string `json:"external_ref,omitempty"`

	Status      Status        `json:"status"`
	SubmittedAt time.Time     `json:"submitted_at,omitzero"`
	ReceivedOn  calendar.Date `json:"received_on"`
	ReviewRound int           `json:"review_round"`
	Invited     []string      `json:"invited_departments,omitempty"`

	NoticeNo   string        `json:"notice_no"`
	NoticeOn   calendar.Date `json:"notice_on"`
	NoticeCode string        `json:"-"` // 验证码; shown only to those who may print the notice
	AdmittedOn calendar.Date `json:"admitted_on"`
	// IndustryDept is the 区级行业主管部门 the project was pushed to (第十三条).
	IndustryDept string `json:"industry_dept,omitempty"`

	// Implementation library (第十五条).
	ConfirmationDoc string        `json:"confirmation_document,omitempty"`
	PromotedOn      calendar.Date `json:"promoted_on"`
	// Plan (第十六条).
	PlanYear          int           `json:"plan_year"`
	PlanIncludedOn    calendar.Date `json:"plan_included_on"`
	ExpectedStartYear int           `json:"expected_start_year,omitempty"`
	NeedsImplPlan     bool          `json:"needs_implementation_plan"`
	ImplPlanDoneOn    calendar.Date `json:"implementation_plan_done_on"`
	CompletionOn      calendar.Date `json:"completion_accepted_on"`
	// Exit (第二十条).
	ExitGround   int           `json:"exit_ground,omitempty"`
	ExitOn       calendar.Date `json:"exit_on"`
	ExitReason   string        `json:"exit_reason,omitempty"`
	RejectReason string        `json:"reject_reason,omitempty"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	Deadlines []Deadline `json:"deadlines"`
	Events    []Event    `json:"events"`
}

// Library returns the Chinese name of the library the project is in, or "".
func (p *Project) Library() string {
	switch p.Status {
	case StatusReserve:
		return "储备项目库"
	case StatusImplementation:
		return "实施项目库"
	case StatusExited:
		return "已出库"
	}
	return ""
}

// SearchText is the text the Chinese substring search looks in.
func (p *Project) SearchText() string {
	return strings.Join([]string{p.Name, p.Address, p.EntityName}, " ")
}

// DeadlineKind names a deadline.
type DeadlineKind string

// Deadline kinds.
const (
	DeadlineJointReview DeadlineKind = "joint_review" // 联合审查 10 工作日, 第十条(二)
	DeadlineEntryNotice DeadlineKind = "entry_notice" // 入库通知书 30 工作日, 第十条(三)
)

// Label returns the Chinese name of the deadline kind.
func (k DeadlineKind) Label() string {
	switch k {
	case DeadlineJointReview:
		return "联合审查"
	case DeadlineEntryNotice:
		return "制发入库通知书"
	}
	return string(k)
}

// Deadline statuses (DESIGN.md §2).
const (
	DeadlineOpen    = "open"
	DeadlineMet     = "met"
	DeadlineOverdue = "overdue"
	DeadlineStopped = "stopped" // a correction notice is outstanding (D6)
)

// Deadline is a statutory time limit (时限) of a project.
type Deadline struct {
	ID          int64         `json:"-"`
	Kind        DeadlineKind  `json:"kind"`
	StartOn     calendar.Date `json:"start"`
	Amount      int           `json:"amount"`
	Unit        string        `json:"unit"` // "working_days"
	Due         calendar.Date `json:"due"`
	Citation    string        `json:"citation"`
	Status      string        `json:"status"`
	ClosedOn    calendar.Date `json:"closed_on"`
	Round       int           `json:"round"`
	Provisional bool          `json:"provisional"`
}

// Effective returns the status of d as of today: an open deadline whose due
// date has passed is overdue.
func (d Deadline) Effective(today calendar.Date) string {
	if d.Status == DeadlineOpen && today.After(d.Due) {
		return DeadlineOverdue
	}
	return d.Status
}

// Event is one immutable entry of a project's record: who did what, when,
// on which article, and the state before and after (DESIGN.md §2).
type Event struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id,omitempty"`
	Actor     string    `json:"actor"`
	Role      string    `json:"role"`
	Action    string    `json:"action"`
	Citation  string    `json:"citation,omitempty"`
	From      Status    `json:"from,omitempty"`
	To        Status    `json:"to,omitempty"`
	Summary   string    `json:"summary"`
	Data      string    `json:"data,omitempty"`   // JSON of the step's input
	Result    string    `json:"result,omitempty"` // success | failure | denied (audit.Result*)
	Source    string    `json:"-"`                // source address of the request: audit page and API only
	Hash      string    `json:"hash,omitempty"`   // MAC (HMAC-SM3) chaining it to the previous event
}

// Opinion is a department's joint-review opinion (第十条(二)).
type Opinion struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Round     int       `json:"round"`
	Dept      string    `json:"dept"`
	Verdict   string    `json:"verdict"` // approve | reject | correct
	Text      string    `json:"text"`
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
}

// VerdictLabel returns 同意/不同意/需补正.
func VerdictLabel(v string) string {
	switch v {
	case "approve":
		return "同意"
	case "reject":
		return "不同意"
	case "correct":
		return "需补正"
	}
	return v
}

// Correction is a one-time correction notice (补正材料告知书, 第十二条).
type Correction struct {
	ID         int64         `json:"id"`
	ProjectID  int64         `json:"project_id"`
	Seq        int           `json:"seq"`
	Number     string        `json:"number"`
	Items      []string      `json:"items"`
	Reason     string        `json:"reason,omitempty"` // required for a second notice (D6)
	IssuedOn   calendar.Date `json:"issued_on"`
	IssuedBy   string        `json:"issued_by"`
	ResolvedOn calendar.Date `json:"resolved_on"`
	VerifyCode string        `json:"-"`
}

// Attachment is an uploaded material, stored outside the web root under a
// random name.
type Attachment struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	Kind        string    `json:"kind"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	StorageName string    `json:"-"`
	UploadedBy  string    `json:"uploaded_by"`
	At          time.Time `json:"at"`
}

// Record is a management record kept by the industry department after entry
// (日常管理、定期查验、信息维护, 第十三条).
type Record struct {
	ID        int64     `json:"id"`
	ProjectID int64     `json:"project_id"`
	Kind      string    `json:"kind"`
	Text      string    `json:"text"`
	Actor     string    `json:"actor"`
	At        time.Time `json:"at"`
}

// RecordKinds are the management record kinds of 第十三条.
var RecordKinds = []string{"日常管理", "定期查验", "信息维护"}

// Notification is an in-app inbox message (e.g. the exit notice of 第二十条).
type Notification struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"org_id,omitempty"`
	UserID    int64     `json:"user_id,omitempty"`
	District  string    `json:"district,omitempty"`
	Dept      string    `json:"dept,omitempty"`
	ProjectID int64     `json:"project_id,omitempty"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Citation  string    `json:"citation,omitempty"`
	At        time.Time `json:"at"`
	Read      bool      `json:"read"`
}

// IssuedDocument is a numbered document whose verification code anyone may
// check on the public page.
type IssuedDocument struct {
	Code      string        `json:"code"`
	Kind      string        `json:"kind"`
	Number    string        `json:"number"`
	ProjectID int64         `json:"project_id"`
	Project   string        `json:"project"`
	District  string        `json:"district"`
	Issuer    string        `json:"issuer"`
	IssuedOn  calendar.Date `json:"issued_on"`
	SHA256    string        `json:"sha256,omitempty"`
}
