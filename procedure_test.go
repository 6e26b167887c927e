package gengxin

import (
	"fmt"
	"slices"
	"testing"
)

// The state machine (RULES.md §3.1, 京建法〔2024〕2号 第九条至第二十条) and the
// authorisation on top of it (DESIGN.md §4: another district's or company's
// project answers 404). Everything here is hand-built values; no database.

var allRoutes = []Route{RouteJointReview, RouteDistrictGov, RouteMunicipal}

// unknownActions are not steps of the procedure.
var unknownActions = []Action{"", "bogus", "Submit", "approve", "delete", "submit ", "出库"}

// projectOn returns a project of 朝阳区 whose entry route is r, in state s.
func projectOn(r Route, s Status) *Project {
	p := &Project{ID: 1, Name: "酒仙桥老旧厂房更新改造项目", Category: Industrial, District: "朝阳区", Status: s,
		OrgID: 7, Invited: []string{"发展改革", "规划自然资源"}, IndustryDept: "经济和信息化"}
	switch r {
	case RouteDistrictGov:
		p.Category = Comprehensive
	case RouteMunicipal:
		p.Major = true
	}
	if got := RouteOf(p); got != r {
		panic(fmt.Sprintf("projectOn: route %s, want %s", got, r))
	}
	return p
}

// relatedUser returns a user of role with every relation to projectOn's
// project: its company, its district, a department both invited to its joint
// review and its industry department.
func relatedUser(role Role) *User {
	u := &User{ID: 100, Username: string(role), Role: role}
	switch role {
	case RoleApplicant:
		u.OrgID, u.OrgName = 7, "北京某某置业有限公司"
	case RoleDistrictRenewal, RoleDistrictGov:
		u.District = "朝阳区"
	case RoleDistrictDept:
		u.District, u.Dept = "朝阳区", "经济和信息化"
	case RoleMunicipalDept:
		u.Dept = "发展改革"
	}
	return u
}

// relate makes p's relations match relatedUser (the dept is invited too).
func relate(p *Project) *Project {
	p.Invited = append(p.Invited, "经济和信息化")
	return p
}

// routeMatches reports whether row t applies on route r.
func routeMatches(t Transition, r Route) bool {
	return len(t.Routes) == 0 || slices.Contains(t.Routes, r)
}

// rowsAt returns the rows of the table for action a in state s on route r.
func rowsAt(a Action, s Status, r Route) []Transition {
	var out []Transition
	for _, t := range Transitions {
		if t.Action == a && t.From == s && routeMatches(t, r) {
			out = append(out, t)
		}
	}
	return out
}

func sameRow(a, b Transition) bool {
	return a.Action == b.Action && a.From == b.From && a.To == b.To && a.Citation == b.Citation &&
		slices.Equal(a.Roles, b.Roles) && slices.Equal(a.Routes, b.Routes)
}

func code(err error) string { return ErrorCode(err) }

func mayEver(role Role, a Action) bool {
	for _, t := range Transitions {
		if t.Action == a && slices.Contains(t.Roles, role) {
			return true
		}
	}
	return false
}

type combo struct {
	s    Status
	a    Action
	r    Route
	role Role
}

func (c combo) String() string { return fmt.Sprintf("%s/%s/%s/%s", c.s, c.a, c.r, c.role) }

// allowedByTable expands every row of Transitions into the combinations it allows.
func allowedByTable() map[combo]Transition {
	out := map[combo]Transition{}
	for _, t := range Transitions {
		routes := t.Routes
		if len(routes) == 0 {
			routes = allRoutes
		}
		for _, role := range t.Roles {
			for _, r := range routes {
				out[combo{t.From, t.Action, r, role}] = t
			}
		}
	}
	return out
}

// TestTransitionsTableWellFormed: every row names known states, roles,
// routes and a citation, and no two rows claim the same (action, state,
// route, role) — otherwise FindTransition's "preferring the row of role"
// would be ambiguous.
func TestTransitionsTableWellFormed(t *testing.T) {
	seen := map[combo]int{}
	for i, tr := range Transitions {
		if !tr.From.Valid() {
			t.Errorf("row %d: From %q is not a status", i, tr.From)
		}
		if tr.To != "" && !tr.To.Valid() {
			t.Errorf("row %d: To %q is not a status", i, tr.To)
		}
		if tr.Citation == "" {
			t.Errorf("row %d (%s from %s): no citation", i, tr.Action, tr.From)
		}
		if len(tr.Roles) == 0 {
			t.Errorf("row %d (%s from %s): no role", i, tr.Action, tr.From)
		}
		for _, r := range tr.Roles {
			if !r.Valid() {
				t.Errorf("row %d: role %q is not a role", i, r)
			}
		}
		for _, r := range tr.Routes {
			if !slices.Contains(allRoutes, r) {
				t.Errorf("row %d: route %q is not a route", i, r)
			}
		}
		if tr.Action.Label() == string(tr.Action) {
			t.Errorf("row %d: action %q has no Chinese label", i, tr.Action)
		}
		routes := tr.Routes
		if len(routes) == 0 {
			routes = allRoutes
		}
		for _, role := range tr.Roles {
			for _, r := range routes {
				c := combo{tr.From, tr.Action, r, role}
				if j, dup := seen[c]; dup {
					t.Errorf("rows %d and %d both allow %s", j, i, c)
				}
				seen[c] = i
			}
		}
	}
}

// TestFindTransitionEveryCombination walks every status × action × route ×
// role through FindTransition.
func TestFindTransitionEveryCombination(t *testing.T) {
	for _, s := range Statuses {
		for _, a := range Actions() {
			for _, r := range allRoutes {
				for _, role := range Roles {
					c := combo{s, a, r, role}
					got, err := FindTransition(a, s, r, role)
					rows := rowsAt(a, s, r)
					own := slices.IndexFunc(rows, func(t Transition) bool { return slices.Contains(t.Roles, role) })
					switch {
					case own >= 0:
						if err != nil || !sameRow(got, rows[own]) {
							t.Errorf("%s: got %+v, %v; want the row %+v", c, got, err, rows[own])
						}
					case len(rows) > 0:
						// Another role's row, for Authorize to refuse with a reason.
						if err != nil || !sameRow(got, rows[0]) || slices.Contains(got.Roles, role) {
							t.Errorf("%s: got %+v, %v; want another role's row %+v", c, got, err, rows[0])
						}
					default:
						if code(err) != EConflict {
							t.Errorf("%s: got %+v, %v; want %s (wrong state)", c, got, err, EConflict)
						}
					}
				}
			}
		}
	}
}

func TestFindTransitionUnknownAction(t *testing.T) {
	for _, a := range unknownActions {
		for _, s := range Statuses {
			for _, r := range allRoutes {
				for _, role := range Roles {
					_, err := FindTransition(a, s, r, role)
					if code(err) != ENotFound {
						t.Errorf("%q/%s/%s/%s: error %v, want %s", a, s, r, role, err, ENotFound)
					}
				}
			}
		}
	}
}

// TestAuthorizeEveryCombination walks every status × action × route × role
// through Authorize with an actor that has every relation to the project, so
// that only the table, the state and visibility decide: exactly the table's
// rows allow a step; the wrong role is EForbidden; the wrong state is
// EConflict; what the actor cannot see is ENotFound.
func TestAuthorizeEveryCombination(t *testing.T) {
	table := allowedByTable()
	allowed := map[combo]bool{}
	for _, s := range Statuses {
		for _, a := range Actions() {
			for _, r := range allRoutes {
				for _, role := range Roles {
					c := combo{s, a, r, role}
					u, p := relatedUser(role), relate(projectOn(r, s))
					got, err := Authorize(u, a, p)
					row, inTable := table[c]
					var want string
					switch {
					case !CanView(u, p):
						want = ENotFound
					case inTable:
						want = ""
					case !mayEver(role, a) || len(rowsAt(a, s, r)) > 0:
						want = EForbidden
					default:
						want = EConflict
					}
					if code(err) != want {
						t.Errorf("%s: error %v, want %q", c, err, want)
						continue
					}
					if err == nil {
						allowed[c] = true
						if !sameRow(got, row) {
							t.Errorf("%s: transition %+v, want %+v", c, got, row)
						}
						if got.From != p.Status {
							t.Errorf("%s: transition from %s applied to a project in %s", c, got.From, p.Status)
						}
					}
				}
			}
		}
	}
	// Exactly the table's rows allow a step.
	for c := range table {
		if !allowed[c] {
			t.Errorf("%s: the table allows it but Authorize refused", c)
		}
	}
	for c := range allowed {
		if _, ok := table[c]; !ok {
			t.Errorf("%s: Authorize allowed a step the table has no row for", c)
		}
	}
	if len(allowed) == 0 {
		t.Fatal("nothing allowed at all")
	}
}

// TestAuthorizeUnknownAction: an action that is not a step of the procedure
// is ENotFound (as FindTransition says), never EForbidden ("你无权办理 bogus"
// would suggest the step exists for someone else).
func TestAuthorizeUnknownAction(t *testing.T) {
	for _, a := range unknownActions {
		bad, first := 0, ""
		for _, s := range Statuses {
			for _, r := range allRoutes {
				for _, role := range Roles {
					_, err := Authorize(relatedUser(role), a, relate(projectOn(r, s)))
					if code(err) != ENotFound {
						if bad == 0 {
							first = fmt.Sprintf("%s/%s/%s: %v", s, r, role, err)
						}
						bad++
					}
				}
			}
		}
		if bad > 0 {
			t.Errorf("action %q: %d combinations are not %s, e.g. %s", a, bad, ENotFound, first)
		}
	}
}

// TestTerminalStates: 不予入库 (rejected) ends the procedure; 已出库 (exited)
// allows only the industry department's management record (第十三条).
func TestTerminalStates(t *testing.T) {
	for _, tr := range Transitions {
		if tr.From == StatusRejected {
			t.Errorf("a row leaves rejected: %+v", tr)
		}
		if tr.From == StatusExited && tr.Action != ActRecord {
			t.Errorf("a row other than record leaves exited: %+v", tr)
		}
		if tr.From == StatusExited && tr.To != "" {
			t.Errorf("record on exited changes the state: %+v", tr)
		}
	}
	for _, s := range []Status{StatusRejected, StatusExited} {
		for _, a := range Actions() {
			for _, r := range allRoutes {
				for _, role := range Roles {
					_, err := Authorize(relatedUser(role), a, relate(projectOn(r, s)))
					wantOK := s == StatusExited && a == ActRecord && role == RoleDistrictDept
					if (err == nil) != wantOK {
						t.Errorf("%s/%s/%s/%s: error %v, want allowed=%v", s, a, r, role, err, wantOK)
					}
				}
			}
		}
	}
}

// TestDraftsInvisibleToOfficers: a draft is the applicant's alone.
func TestDraftsInvisibleToOfficers(t *testing.T) {
	for _, r := range allRoutes {
		p := relate(projectOn(r, StatusDraft))
		for _, role := range Roles {
			u := relatedUser(role)
			want := role == RoleApplicant
			if got := CanView(u, p); got != want {
				t.Errorf("%s/%s: CanView(draft) = %v, want %v", r, role, got, want)
			}
			if role == RoleApplicant {
				continue
			}
			for _, a := range append(Actions(), unknownActions...) {
				if _, err := Authorize(u, a, p); code(err) != ENotFound {
					t.Errorf("%s/%s/%q on a draft: error %v, want %s", r, role, a, err, ENotFound)
				}
			}
		}
		// Another company does not see it either.
		other := &User{ID: 9, Role: RoleApplicant, OrgID: 8}
		if CanView(other, p) {
			t.Errorf("%s: another company sees the draft", r)
		}
	}
}

// relation is one way an actor of a role stands to a project.
type relation struct {
	role Role
	name string
	user *User
	// project adjusts projectOn's project (朝阳区, org 7, invited 发展改革 and
	// 规划自然资源, industry dept 经济和信息化) to the relation.
	project func(*Project)
	// may is the error code for an action the role has a row for, in that
	// row's state and route; never is the code for an action it never may.
	may   func(Action) string
	never string
}

func always(code string) func(Action) string { return func(Action) string { return code } }

func relations() []relation {
	keep := func(*Project) {}
	deptUser := func(district, dept string) *User {
		return &User{ID: 30, Username: "dept", Role: RoleDistrictDept, District: district, Dept: dept}
	}
	rels := []relation{
		{RoleApplicant, "own-company", &User{ID: 1, Role: RoleApplicant, OrgID: 7}, keep, always(""), EForbidden},
		{RoleApplicant, "other-company", &User{ID: 2, Role: RoleApplicant, OrgID: 8}, keep, always(ENotFound), ENotFound},
		{RoleApplicant, "no-company", &User{ID: 3, Role: RoleApplicant}, func(p *Project) { p.OrgID = 0 }, always(ENotFound), ENotFound},
		{RoleApplicant, "own-company-disabled", &User{ID: 4, Role: RoleApplicant, OrgID: 7, Disabled: true}, keep, always(ENotFound), ENotFound},

		{RoleDistrictRenewal, "own-district", &User{ID: 10, Role: RoleDistrictRenewal, District: "朝阳区"}, keep, always(""), EForbidden},
		{RoleDistrictRenewal, "other-district", &User{ID: 11, Role: RoleDistrictRenewal, District: "海淀区"}, keep, always(ENotFound), ENotFound},
		{RoleDistrictRenewal, "own-district-disabled", &User{ID: 12, Role: RoleDistrictRenewal, District: "朝阳区", Disabled: true}, keep, always(ENotFound), ENotFound},

		{RoleDistrictGov, "own-district", &User{ID: 20, Role: RoleDistrictGov, District: "朝阳区"}, keep, always(""), EForbidden},
		{RoleDistrictGov, "other-district", &User{ID: 21, Role: RoleDistrictGov, District: "海淀区"}, keep, always(ENotFound), ENotFound},

		// 区级行业主管部门: opinions need an invitation to the joint review
		// (第十条(二)); promote/plan-done/complete/exit/record belong to the
		// industry department the project was pushed to (第十三条).
		{RoleDistrictDept, "invited-and-industry", deptUser("朝阳区", "经济和信息化"),
			func(p *Project) { p.Invited = append(p.Invited, "经济和信息化") }, always(""), EForbidden},
		{RoleDistrictDept, "invited-not-industry", deptUser("朝阳区", "发展改革"), keep,
			func(a Action) string {
				if a == ActOpinion {
					return ""
				}
				return EForbidden
			}, EForbidden},
		{RoleDistrictDept, "industry-not-invited", deptUser("朝阳区", "经济和信息化"), keep,
			func(a Action) string {
				if a == ActOpinion {
					return EForbidden
				}
				return ""
			}, EForbidden},
		{RoleDistrictDept, "neither", deptUser("朝阳区", "教育"), keep, always(EForbidden), EForbidden},
		{RoleDistrictDept, "other-district-same-dept", deptUser("海淀区", "经济和信息化"),
			func(p *Project) { p.Invited = append(p.Invited, "经济和信息化") }, always(ENotFound), ENotFound},

		{RoleMunicipalHousing, "any-district", &User{ID: 40, Role: RoleMunicipalHousing},
			func(p *Project) { p.District = "海淀区" }, always(""), EForbidden},
		{RoleMunicipalDept, "any-district", &User{ID: 41, Role: RoleMunicipalDept, Dept: "发展改革"}, keep, always(EForbidden), EForbidden},
	}
	// Experts see only what a consultation shows them; the three
	// administrators see no business data (三权分立).
	for i, role := range []Role{RoleExpert, RoleSysAdmin, RoleSecAdmin, RoleAuditAdmin} {
		rels = append(rels, relation{role, "no-business-data", &User{ID: int64(50 + i), Role: role, District: "朝阳区", Dept: "经济和信息化", OrgID: 7},
			func(p *Project) { p.Invited = append(p.Invited, "经济和信息化") }, always(ENotFound), ENotFound})
	}
	return rels
}

// TestAuthorizeRelations is the table of role × action × relation. Each
// action is tried in every state and route where the role has a row (or,
// for an action the role never may, in the first row's state).
func TestAuthorizeRelations(t *testing.T) {
	type tcase struct {
		name string
		u    *User
		a    Action
		p    *Project
		want string
		row  Transition
	}
	var cases []tcase
	covered := map[Role]bool{}
	for _, rel := range relations() {
		covered[rel.role] = true
		for _, a := range Actions() {
			type at struct {
				t Transition
				r Route
			}
			var where []at
			for _, tr := range Transitions {
				if tr.Action != a || !slices.Contains(tr.Roles, rel.role) {
					continue
				}
				routes := tr.Routes
				if len(routes) == 0 {
					routes = allRoutes
				}
				for _, r := range routes {
					where = append(where, at{tr, r})
				}
			}
			want := rel.never
			if len(where) > 0 {
				want = rel.may(a)
			} else {
				first := slices.IndexFunc(Transitions, func(t Transition) bool { return t.Action == a })
				tr := Transitions[first]
				r := RouteJointReview
				if len(tr.Routes) > 0 {
					r = tr.Routes[0]
				}
				// A role that never may the step is refused whatever the
				// state; keep the project visible to officers (not a draft).
				if tr.From == StatusDraft {
					tr.From = StatusSubmitted
				}
				where = []at{{tr, r}}
			}
			for _, w := range where {
				p := projectOn(w.r, w.t.From)
				rel.project(p)
				cases = append(cases, tcase{
					name: fmt.Sprintf("%s/%s/%s/%s-%s", rel.role, rel.name, a, w.t.From, w.r),
					u:    rel.user, a: a, p: p, want: want, row: w.t,
				})
			}
		}
	}
	for _, role := range Roles {
		if !covered[role] {
			t.Errorf("role %s has no relation in the table", role)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Authorize(tc.u, tc.a, tc.p)
			if code(err) != tc.want {
				t.Fatalf("Authorize = %v, want code %q", err, tc.want)
			}
			if err == nil && !sameRow(got, tc.row) {
				t.Fatalf("transition %+v, want %+v", got, tc.row)
			}
			// No existence leak: every invisible project reads the same.
			if tc.want == ENotFound && ErrorMessage(err) != "项目不存在或无权查看" {
				t.Errorf("ENotFound message %q differs from the plain not-found message", ErrorMessage(err))
			}
			if err != nil && ErrorMessage(err) == "" {
				t.Errorf("error without a Chinese message: %v", err)
			}
		})
	}
}

// TestAuthorizeNamedCases spells out a few cases the generated tables cover,
// so that a reader sees the rules in their own words.
func TestAuthorizeNamedCases(t *testing.T) {
	cy := func(role Role, dept string) *User {
		return &User{ID: 1, Role: role, District: "朝阳区", Dept: dept}
	}
	co := &User{ID: 2, Role: RoleApplicant, OrgID: 7}
	cases := []struct {
		name string
		u    *User
		a    Action
		p    *Project
		want string
	}{
		{"第十条(一)/applicant-submits-own-draft", co, ActSubmit, projectOn(RouteJointReview, StatusDraft), ""},
		{"第十条(一)/submit-twice-is-conflict", co, ActSubmit, projectOn(RouteJointReview, StatusSubmitted), EConflict},
		{"第十条(二)/renewal-opens-review", cy(RoleDistrictRenewal, ""), ActOpenReview, projectOn(RouteJointReview, StatusSubmitted), ""},
		{"第十条(二)/no-joint-review-for-comprehensive", cy(RoleDistrictRenewal, ""), ActOpenReview, projectOn(RouteDistrictGov, StatusSubmitted), EConflict},
		{"第十条(二)第二款/gov-admits-comprehensive", cy(RoleDistrictGov, ""), ActAdmit, projectOn(RouteDistrictGov, StatusSubmitted), ""},
		{"第十条(二)第二款/renewal-may-not-admit-comprehensive", cy(RoleDistrictRenewal, ""), ActAdmit, projectOn(RouteDistrictGov, StatusSubmitted), EForbidden},
		{"第十条(二)第三款/municipal-admits-major", &User{Role: RoleMunicipalHousing}, ActAdmit, projectOn(RouteMunicipal, StatusSubmitted), ""},
		{"第十条(二)第三款/renewal-may-not-admit-major", cy(RoleDistrictRenewal, ""), ActAdmit, projectOn(RouteMunicipal, StatusSubmitted), EForbidden},
		{"第十条(二)/uninvited-dept-opinion", cy(RoleDistrictDept, "教育"), ActOpinion, projectOn(RouteJointReview, StatusInReview), EForbidden},
		{"第十条(二)/invited-dept-opinion", cy(RoleDistrictDept, "发展改革"), ActOpinion, projectOn(RouteJointReview, StatusInReview), ""},
		{"第十五条/industry-dept-promotes", cy(RoleDistrictDept, "经济和信息化"), ActPromote, projectOn(RouteJointReview, StatusReserve), ""},
		{"第十五条/other-dept-may-not-promote", cy(RoleDistrictDept, "发展改革"), ActPromote, projectOn(RouteJointReview, StatusReserve), EForbidden},
		{"第十五条/applicant-may-not-promote", co, ActPromote, projectOn(RouteJointReview, StatusReserve), EForbidden},
		{"第十六条/gov-plans", cy(RoleDistrictGov, ""), ActPlan, projectOn(RouteJointReview, StatusImplementation), ""},
		{"第十六条/plan-from-reserve-is-conflict", cy(RoleDistrictGov, ""), ActPlan, projectOn(RouteJointReview, StatusReserve), EConflict},
		{"第二十条/exit-twice-is-conflict", cy(RoleDistrictDept, "经济和信息化"), ActExit, projectOn(RouteJointReview, StatusExited), EConflict},
		{"第十三条/record-after-exit", cy(RoleDistrictDept, "经济和信息化"), ActRecord, projectOn(RouteJointReview, StatusExited), ""},
		{"第十二条/rejected-cannot-resubmit", co, ActResubmit, projectOn(RouteJointReview, StatusRejected), EConflict},
		{"DESIGN§4/other-district-is-404", &User{Role: RoleDistrictRenewal, District: "海淀区"}, ActAdmit, projectOn(RouteJointReview, StatusSubmitted), ENotFound},
		{"DESIGN§4/other-company-is-404", &User{Role: RoleApplicant, OrgID: 8}, ActResubmit, projectOn(RouteJointReview, StatusCorrectionRequested), ENotFound},
		{"三权分立/sysadmin-sees-nothing", &User{Role: RoleSysAdmin}, ActAdmit, projectOn(RouteJointReview, StatusSubmitted), ENotFound},
		{"nil-user", nil, ActSubmit, projectOn(RouteJointReview, StatusDraft), ENotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Authorize(tc.u, tc.a, tc.p)
			if code(err) != tc.want {
				t.Fatalf("Authorize = %v, want code %q", err, tc.want)
			}
		})
	}
}

// TestAuthorizeDeptWithoutDepartment: deny by default. A district_dept
// account whose Dept is empty (a bad import, a row written by hand) must not
// pass the "industry department" check on a project whose IndustryDept is
// not set either ("" == "").
func TestAuthorizeDeptWithoutDepartment(t *testing.T) {
	u := &User{ID: 31, Role: RoleDistrictDept, District: "朝阳区"}
	for _, tr := range Transitions {
		if !slices.Contains(tr.Roles, RoleDistrictDept) || tr.Action == ActOpinion {
			continue
		}
		p := projectOn(RouteJointReview, tr.From)
		p.IndustryDept = ""
		if _, err := Authorize(u, tr.Action, p); code(err) != EForbidden {
			t.Errorf("%s from %s: error %v, want %s", tr.Action, tr.From, err, EForbidden)
		}
	}
}
