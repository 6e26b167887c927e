package gengxin

// Districts are the 16 districts of Beijing plus 北京经济技术开发区, which is
// treated as a district-level unit (DESIGN.md §1). Codes are the GB/T 2260
// administrative division codes used in notice numbers and project codes.
var Districts = []District{
	{"东城区", "110101", "东"}, {"西城区", "110102", "西"}, {"朝阳区", "110105", "朝"},
	{"丰台区", "110106", "丰"}, {"石景山区", "110107", "石"}, {"海淀区", "110108", "海"},
	{"门头沟区", "110109", "门"}, {"房山区", "110111", "房"}, {"通州区", "110112", "通"},
	{"顺义区", "110113", "顺"}, {"昌平区", "110114", "昌"}, {"大兴区", "110115", "兴"},
	{"怀柔区", "110116", "怀"}, {"平谷区", "110117", "平"}, {"密云区", "110118", "密"},
	{"延庆区", "110119", "延"}, {"北京经济技术开发区", "110192", "开"},
}

// District is a district-level unit: its name, its division code and the
// one-character abbreviation printed in notice numbers (e.g. 朝更新储〔2024〕12号).
type District struct {
	Name string
	Code string
	Abbr string
}

// CentralDistricts are the 中心城区 (DECISIONS D10).
var CentralDistricts = []string{"东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区"}

// LookupDistrict returns the district named name and whether it exists.
func LookupDistrict(name string) (District, bool) {
	for _, d := range Districts {
		if d.Name == name {
			return d, true
		}
	}
	return District{}, false
}

// DistrictNames returns the names of Districts in order.
func DistrictNames() []string {
	out := make([]string, len(Districts))
	for i, d := range Districts {
		out[i] = d.Name
	}
	return out
}

// Departments are the 13 district industry departments (区级行业主管部门) that
// take part in the joint review, as listed by 京建法〔2024〕2号 第十条(二) and
// named in DESIGN.md §4 (`user add --dept`). 文化旅游 stands for the printed 文化.
var Departments = []string{
	"发展改革", "规划自然资源", "财政", "住房城乡建设", "城市管理", "交通",
	"经济和信息化", "科技", "商务", "民政", "教育", "文化旅游", "卫生健康",
}

// IsDepartment reports whether name is one of Departments.
func IsDepartment(name string) bool {
	for _, d := range Departments {
		if d == name {
			return true
		}
	}
	return false
}

// DepartmentFullName returns the printed name of a district department, e.g.
// "朝阳区发展改革部门".
func DepartmentFullName(district, dept string) string { return district + dept + "部门" }

// Role is what a user is allowed to do (DESIGN.md §1, §4 `user add --role`).
type Role string

// Roles of DESIGN.md §4.
const (
	RoleApplicant        Role = "applicant"         // 实施主体 / 统筹主体
	RoleDistrictRenewal  Role = "district_renewal"  // 区城市更新主管部门
	RoleDistrictDept     Role = "district_dept"     // 区级行业主管部门
	RoleDistrictGov      Role = "district_gov"      // 区人民政府
	RoleMunicipalHousing Role = "municipal_housing" // 市住房城乡建设委
	RoleMunicipalDept    Role = "municipal_dept"    // 市级行业主管部门
	RoleExpert           Role = "expert"            // 专家委员会专家
	RoleSysAdmin         Role = "sysadmin"          // 系统管理员
	RoleSecAdmin         Role = "secadmin"          // 安全管理员
	RoleAuditAdmin       Role = "auditadmin"        // 审计管理员
)

// Roles lists every role in display order.
var Roles = []Role{RoleApplicant, RoleDistrictRenewal, RoleDistrictDept, RoleDistrictGov,
	RoleMunicipalHousing, RoleMunicipalDept, RoleExpert, RoleSysAdmin, RoleSecAdmin, RoleAuditAdmin}

// Label returns the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleApplicant:
		return "申报主体"
	case RoleDistrictRenewal:
		return "区城市更新主管部门"
	case RoleDistrictDept:
		return "区级行业主管部门"
	case RoleDistrictGov:
		return "区人民政府"
	case RoleMunicipalHousing:
		return "市住房城乡建设委"
	case RoleMunicipalDept:
		return "市级行业主管部门"
	case RoleExpert:
		return "专家"
	case RoleSysAdmin:
		return "系统管理员"
	case RoleSecAdmin:
		return "安全管理员"
	case RoleAuditAdmin:
		return "审计管理员"
	}
	return string(r)
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// IsDistrictRole reports whether users of r belong to one district.
func (r Role) IsDistrictRole() bool {
	return r == RoleDistrictRenewal || r == RoleDistrictDept || r == RoleDistrictGov
}

// Org is an applicant organisation (企业), identified by its 统一社会信用代码.
type Org struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	USCC string `json:"uscc"`
}

// User is a person who signs in. District is set for district roles, Dept for
// district_dept (one of Departments) and municipal_dept, Org for applicants.
type User struct {
	ID           int64  `json:"id"`
	Username     string `json:"username"`
	DisplayName  string `json:"display_name"`
	Role         Role   `json:"role"`
	District     string `json:"district,omitempty"`
	Dept         string `json:"dept,omitempty"`
	OrgID        int64  `json:"org_id,omitempty"`
	OrgName      string `json:"org_name,omitempty"`
	OrgUSCC      string `json:"org_uscc,omitempty"`
	PasswordHash string `json:"-"`
	Disabled     bool   `json:"disabled"`
}

// Title returns how the user is shown in the record, e.g. "朝阳区城市更新主管部门 张三".
func (u *User) Title() string {
	if u == nil {
		return "系统"
	}
	switch u.Role {
	case RoleApplicant:
		return u.OrgName
	case RoleDistrictRenewal:
		return u.District + "城市更新主管部门"
	case RoleDistrictDept:
		return DepartmentFullName(u.District, u.Dept)
	case RoleDistrictGov:
		return u.District + "人民政府"
	case RoleMunicipalDept:
		return "市" + u.Dept + "部门"
	}
	return u.Role.Label()
}
