package gengxin

import "slices"

// CanView reports whether u may see project p. Another district's or another
// company's project is invisible: callers answer ENotFound, never EForbidden,
// so that existence does not leak (DESIGN.md §4).
func CanView(u *User, p *Project) bool {
	if u == nil || u.Disabled {
		return false
	}
	switch u.Role {
	case RoleApplicant:
		return u.OrgID != 0 && p.OrgID == u.OrgID
	case RoleDistrictRenewal, RoleDistrictGov, RoleDistrictDept:
		return p.District == u.District && p.Status != StatusDraft
	case RoleMunicipalHousing, RoleMunicipalDept:
		return p.Status != StatusDraft
	}
	// Experts see only what a consultation shows them; the three
	// administrators see no business data (三权分立).
	return false
}

// Authorize decides whether u may perform action a on p, deny by default.
// It checks visibility, the state machine row (role and route) and the
// actor's relation to the project (own company, invited department, the
// industry department the project was pushed to). It returns the
// transition to apply or an *Error: ENotFound when p is invisible to u,
// EForbidden for a visible project the actor may not act on, EConflict for
// the wrong state.
func Authorize(u *User, a Action, p *Project) (Transition, error) {
	if !CanView(u, p) {
		return Transition{}, Errorf(ENotFound, "项目不存在或无权查看")
	}
	t, err := FindTransition(a, p.Status, RouteOf(p), u.Role)
	if err != nil {
		if ErrorCode(err) == ENotFound {
			return Transition{}, err
		}
		// Distinguish "not your step" from "not now" when the role never may.
		if !roleEverMay(u.Role, a) {
			return Transition{}, Errorf(EForbidden, "「%s」无权办理「%s」", u.Role.Label(), a.Label())
		}
		return Transition{}, err
	}
	if !slices.Contains(t.Roles, u.Role) {
		if !roleEverMay(u.Role, a) {
			return Transition{}, Errorf(EForbidden, "「%s」无权办理「%s」", u.Role.Label(), a.Label())
		}
		return Transition{}, Errorf(EForbidden, "本项目按「%s」办理，「%s」无权办理「%s」", RouteOf(p).Label(), u.Role.Label(), a.Label())
	}
	switch u.Role {
	case RoleApplicant:
		if p.OrgID != u.OrgID {
			return Transition{}, Errorf(ENotFound, "项目不存在或无权查看")
		}
	case RoleDistrictRenewal, RoleDistrictGov:
		if p.District != u.District {
			return Transition{}, Errorf(ENotFound, "项目不存在或无权查看")
		}
	case RoleDistrictDept:
		if u.Dept == "" {
			return Transition{}, Errorf(EForbidden, "账户未关联区级行业主管部门")
		}
		if p.District != u.District {
			return Transition{}, Errorf(ENotFound, "项目不存在或无权查看")
		}
		if a == ActOpinion {
			if !slices.Contains(p.Invited, u.Dept) {
				return Transition{}, Errorf(EForbidden, "%s未被邀请参加本项目联合审查", DepartmentFullName(u.District, u.Dept))
			}
		} else if p.IndustryDept == "" || p.IndustryDept != u.Dept {
			return Transition{}, Errorf(EForbidden, "本项目由%s负责入库后管理（京建法〔2024〕2号 第十三条），%s无权办理", DepartmentFullName(p.District, p.IndustryDept), DepartmentFullName(u.District, u.Dept))
		}
	}
	return t, nil
}

func roleEverMay(r Role, a Action) bool {
	for _, t := range Transitions {
		if t.Action == a && slices.Contains(t.Roles, r) {
			return true
		}
	}
	return false
}
