package app

// District expert committees (RULES EX-07, 京建法〔2024〕3号 第三条: districts
// may set up their own urban-renewal expert committees "结合本办法"). A
// registry record and a consultation carry their committee: "" the
// municipal committee of 市住房城乡建设委, a district name that district's
// committee, set up and managed by its 区城市更新主管部门 with the rules
// EX-01…EX-06 applied as for the municipal one. Our defaults where the
// text is silent (docs/ARCHITECTURE.md): one person may sit on both
// committees (two records, separate appointments); the district authority
// nominates, vets, appoints, re-appoints and decides the exit of its
// experts (by analogy with 第十二条, 第十三条); a district committee holds
// no plenary meetings in gengxin (the municipal ones only).

import (
	"fmt"
	"strings"

	"gengxin"
	"gengxin/store"
)

// jf3District cites EX-07 on what is district-specific.
const jf3District = jf3 + " 第三条（区级专家委员会，结合本办法）"

// MunicipalCommittee is the query and input value that names the municipal
// committee explicitly (the stored value is "").
const MunicipalCommittee = "municipal"

// CommitteeName is the full name of committee c.
func CommitteeName(c string) string {
	if c == "" {
		return "北京市城市更新专家委员会"
	}
	return "北京市" + c + "城市更新专家委员会"
}

// CommitteeLabel is the short label of committee c.
func CommitteeLabel(c string) string {
	if c == "" {
		return "市级专家委员会"
	}
	return c + "专家委员会"
}

// committeeIssuer issues the 聘书 and the exit decisions of committee c.
func committeeIssuer(c string) string {
	if c == "" {
		return ExpertCommission
	}
	return "北京市" + c + "城市更新主管部门"
}

// committeeCite adds the EX-07 citation to base for a district committee.
func committeeCite(c, base string) string {
	if c == "" {
		return base
	}
	return base + "；" + jf3District
}

// isDistrictAuthority reports whether u is a 区城市更新主管部门 with its district.
func isDistrictAuthority(u *gengxin.User) bool {
	return u != nil && u.Role == gengxin.RoleDistrictRenewal && u.District != ""
}

// ManagesCommittee reports whether u manages committee c: 市住房城乡建设委
// the municipal one, a 区城市更新主管部门 its own district's.
func ManagesCommittee(u *gengxin.User, c string) bool {
	if c == "" {
		return isHousing(u)
	}
	return isDistrictAuthority(u) && u.District == c
}

// needSomeManager refuses (EForbidden) u unless it manages a committee:
// 市住房城乡建设委 or a 区城市更新主管部门; needManager then checks the expert's.
func needSomeManager(u *gengxin.User, what string) error {
	if isDistrictAuthority(u) {
		return nil
	}
	return needHousing(u, what)
}

// needManager refuses (EForbidden) an act on e by someone who does not
// manage e's committee; the caller has checked that u may see e.
func needManager(u *gengxin.User, e *store.Expert, what string) error {
	if ManagesCommittee(u, e.Committee) {
		return nil
	}
	if e.Committee == "" {
		return needHousing(u, what)
	}
	return gengxin.Errorf(gengxin.EForbidden, "只有%s城市更新主管部门可以%s（%s）", e.Committee, what, jf3District)
}

// parseCommittee reads a committee named in input: "", "municipal" or
// "市级" the municipal one, else a district name.
func parseCommittee(c string) string {
	c = strings.TrimSpace(c)
	if c == MunicipalCommittee || c == "市级" {
		return ""
	}
	return c
}

// certIntro is the first paragraph of a 聘书 of committee v.Committee.
func certIntro(v *ExpertView) string {
	if v.Committee == "" {
		return fmt.Sprintf("经市%s部门推荐、审核，根据《北京市城市更新专家委员会管理办法（试行）》（京建法〔2024〕3号），兹聘请您为北京市城市更新专家委员会%s领域专家。", v.Recommender, strings.Join(v.Fields, "、"))
	}
	return fmt.Sprintf("经%s推荐、%s城市更新主管部门审核，根据《北京市城市更新专家委员会管理办法（试行）》（京建法〔2024〕3号）第三条，结合本办法，兹聘请您为%s%s领域专家。",
		v.Recommender, v.Committee, CommitteeName(v.Committee), strings.Join(v.Fields, "、"))
}
