package app

// Consultations of the expert committee (京建法〔2024〕3号 第七、九、十条):
// the 使用单位's 专家使用方案, the recorded reproducible draw, recusal,
// independent opinions and fees.

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
	"gengxin/xlsx"
)

// ConsultationInput is a consultation with its 专家使用方案 (第九条).
type ConsultationInput struct {
	Subject          string   `json:"subject"`
	Kind             string   `json:"kind"` // project | plan | policy
	ProjectID        int64    `json:"project_id"`
	Fields           []string `json:"fields"`
	ExpertsNeeded    int      `json:"experts_needed"`
	Undertaking      string   `json:"undertaking_unit"`
	Leader           string   `json:"leader"`
	Participants     []string `json:"participants"`
	Cooperating      []string `json:"cooperating_units"`
	ExcludeEmployers []string `json:"exclude_employers"` // 使用单位提出的回避条件（第十条第二款）
	Conditions       string   `json:"conditions"`        // other conditions, in words
	// Committee drawn from: "" or "municipal" the municipal committee, a
	// district name that district's (only its 区城市更新主管部门, EX-07).
	Committee string `json:"committee"`
}

// sameUnit reports whether u belongs to the 使用单位 that opened c.
func sameUnit(u *gengxin.User, c *store.ExpertConsultation) bool {
	return u != nil && string(u.Role) == c.UsingRole && u.Dept == c.UsingDept && u.District == c.UsingDistrict
}

// OpenConsultation opens a consultation for the 使用单位 u. EForbidden
// unless 市住房城乡建设委, a 市级行业主管部门 or a 区城市更新主管部门; EInvalid
// for a bad plan.
func (a *App) OpenConsultation(ctx context.Context, u *gengxin.User, in ConsultationInput) (*ConsultationView, error) {
	if !IsUsingUnit(u) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "咨询事项由使用单位（市住房城乡建设委、市级行业主管部门、区城市更新主管部门）发起（%s 第九条）", jf3)
	}
	c := &store.ExpertConsultation{Kind: in.Kind, ProjectID: in.ProjectID, Fields: cleanList(in.Fields), ExpertsNeeded: in.ExpertsNeeded,
		Participants: cleanList(in.Participants), Cooperating: cleanList(in.Cooperating), ExcludeEmployers: cleanList(in.ExcludeEmployers),
		Conditions: strings.TrimSpace(in.Conditions), UsingUnit: u.Title(), UsingRole: string(u.Role), UsingDept: u.Dept, UsingDistrict: u.District,
		OpenedOn: a.Today(), Committee: parseCommittee(in.Committee), CreatedBy: actorName(u), CreatedAt: a.now()}
	if c.Committee != "" && !ManagesCommittee(u, c.Committee) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "只有%s城市更新主管部门可以从%s抽取专家（%s）", c.Committee, CommitteeLabel(c.Committee), jf3District)
	}
	var err error
	if c.Subject, err = textField("subject", "咨询事项", in.Subject, 200); err != nil {
		return nil, err
	}
	if _, ok := ConsultationKinds[c.Kind]; !ok {
		return nil, badField("kind", "咨询类型应为 project（重大项目实施）、plan（更新规划论证）或 policy（重要政策制定）")
	}
	if c.ProjectID < 0 {
		return nil, badField("project_id", "项目编号无效")
	}
	if len(c.Fields) == 0 {
		return nil, badField("fields", "请至少选择一个所需专业领域")
	}
	for _, f := range c.Fields {
		if !rules.IsExpertField(f) {
			return nil, badField("fields", fmt.Sprintf("专业领域“%s”不在第二条所列14个领域之内", f))
		}
	}
	if c.ExpertsNeeded < 1 || c.ExpertsNeeded > 30 {
		return nil, badField("experts_needed", "所需专家人数应为1至30人")
	}
	if c.Undertaking, err = textField("undertaking_unit", "承担单位", in.Undertaking, 100); err != nil {
		return nil, err
	}
	if c.Leader, err = textField("leader", "被咨询工作的负责人", in.Leader, 50); err != nil {
		return nil, err
	}
	for _, l := range []struct {
		field, label string
		xs           []string
	}{{"participants", "参与人员", c.Participants}, {"cooperating_units", "协作单位", c.Cooperating}, {"exclude_employers", "回避单位", c.ExcludeEmployers}} {
		if err := checkList(l.field, l.label, l.xs); err != nil {
			return nil, err
		}
	}
	if utf8.RuneCountInString(c.Conditions) > 2000 {
		return nil, badField("conditions", "其他回避条件不超过2000字")
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if c.ProjectID != 0 {
			if _, err := tx.Project(c.ProjectID); err != nil {
				return badField("project_id", "项目不存在")
			}
		}
		if err := tx.InsertExpertConsultation(c); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-consultation", committeeCite(c.Committee, jf3+" 第九条"), fmt.Sprintf("%s发起专家咨询：%s（%s，需专家%d人，%s）", c.UsingUnit, c.Subject, strings.Join(c.Fields, "、"), c.ExpertsNeeded, CommitteeLabel(c.Committee)),
			map[string]any{"consultation": c.ID, "plan": in})
	})
	if err != nil {
		return nil, err
	}
	return a.Consultation(ctx, u, c.ID)
}

// DrawFromPool is the random draw: for wanted experts it walks the fields
// in order, round robin, and picks uniformly from the field's pool the
// experts not yet picked (a PCG generator seeded with seed). The same seed,
// pool, fields and wanted give the same picks; fewer are returned when the
// pools run out.
func DrawFromPool(seed uint64, pool map[string][]int64, fields []string, wanted int) []store.ExpertPick {
	r := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	picked := []store.ExpertPick{}
	taken := map[int64]bool{}
	for i, dry := 0, 0; len(picked) < wanted && dry < len(fields); i++ {
		f := fields[i%len(fields)]
		var cand []int64
		for _, id := range pool[f] {
			if !taken[id] {
				cand = append(cand, id)
			}
		}
		if len(cand) == 0 {
			dry++
			continue
		}
		dry = 0
		id := cand[r.IntN(len(cand))]
		taken[id] = true
		picked = append(picked, store.ExpertPick{ExpertID: id, Field: f})
	}
	return picked
}

// eligiblePool returns, for consultation c on day, the ordered pool by
// field and the exclusions with their grounds: experts in a needed field
// who are exited (第十二条), whose term ended or who were never appointed
// (第六条, D16), who meet a recusal ground (第十条) or recused from c
// before. Experts already drawn for c are left out silently.
func (a *App) eligiblePool(rd interface {
	Experts(string) ([]*store.Expert, error)
	ExpertTerms(int64) (map[int64][]store.ExpertTerm, error)
}, c *store.ExpertConsultation, assigned []*store.ExpertAssignment) (map[string][]int64, []store.ExpertExclusion, error) {
	es, err := rd.Experts("")
	if err != nil {
		return nil, nil, err
	}
	terms, err := rd.ExpertTerms(0)
	if err != nil {
		return nil, nil, err
	}
	today := a.Today()
	prior := map[int64]*store.ExpertAssignment{}
	for _, as := range assigned {
		prior[as.ExpertID] = as
	}
	pool := map[string][]int64{}
	for _, f := range c.Fields {
		pool[f] = []int64{}
	}
	excluded := []store.ExpertExclusion{}
	for _, e := range es {
		if e.Committee != c.Committee { // a consultation draws from its committee only (EX-07)
			continue
		}
		relevant := false
		for _, f := range c.Fields {
			relevant = relevant || slices.Contains(e.Fields, f)
		}
		if !relevant || e.Status == ExpertNominated || e.Status == ExpertVetted || e.Status == ExpertRejected {
			continue
		}
		ex := func(rule, cite, msg string) {
			excluded = append(excluded, store.ExpertExclusion{ExpertID: e.ID, Name: e.Name, Rule: rule, Citation: cite, Message: msg})
		}
		if p := prior[e.ID]; p != nil {
			if p.Status == AssignRecused {
				ex("EX-04", jf3+" 第十条", "已在本咨询事项中回避")
			}
			continue
		}
		if e.Status == ExpertExited {
			ex("EX-05", jf3+" 第十二条", fmt.Sprintf("已于 %s 退出，已退出的专家不得再以专家委员会专家身份从事城市更新相关活动", e.ExitedOn))
			continue
		}
		ts := terms[e.ID]
		if len(ts) == 0 || today.After(ts[len(ts)-1].TermEnd) || ts[0].AppointedOn.After(today) {
			last := ""
			if len(ts) > 0 {
				last = ts[len(ts)-1].TermEnd.String()
			}
			ex("EX-02", jf3+" 第六条", fmt.Sprintf("任期已于 %s 届满且未续聘，成员资格终止（DECISIONS D16）", last))
			continue
		}
		fs := rules.ExpertRecusal(rules.RecusalFacts{ExpertName: e.Name, Employer: e.Employer, Relatives: e.Relatives, Interests: e.Interests, AdminUnits: e.AdminUnits,
			Leader: c.Leader, Participants: c.Participants, Undertaking: c.Undertaking, Cooperating: c.Cooperating, ExcludeEmployers: c.ExcludeEmployers})
		if fs[0].Outcome == rules.Fail {
			for _, f := range fs {
				ex(f.Rule, f.Citation, f.Message)
			}
			continue
		}
		for _, f := range c.Fields {
			if slices.Contains(e.Fields, f) {
				pool[f] = append(pool[f], e.ID)
			}
		}
	}
	return pool, excluded, nil
}

func newSeed() uint64 {
	var b [8]byte
	if _, err := crand.Read(b[:]); err != nil {
		return uint64(time.Now().UnixNano())
	}
	return binary.BigEndian.Uint64(b[:])
}

// DrawExperts draws the experts still wanted for consultation cid (the plan's
// number minus those drawn and not recused): it computes the eligible pool,
// records the seed, the pool, the picks and every exclusion with its ground,
// and invites the experts picked (in-app notice). It is the 使用单位's act.
// ENotFound when u may not see the consultation; EForbidden for another
// unit; EConflict when no expert is wanted; ERuleRefused (EX-04) when no
// eligible expert is left.
func (a *App) DrawExperts(ctx context.Context, u *gengxin.User, cid int64) (*store.ExpertDraw, error) {
	var d *store.ExpertDraw
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		c, err := a.readConsultation(tx, u, cid)
		if err != nil {
			return err
		}
		if !sameUnit(u, c) {
			return gengxin.Errorf(gengxin.EForbidden, "专家由使用单位（%s）抽取", c.UsingUnit)
		}
		assigned, err := tx.ExpertAssignments(cid, 0)
		if err != nil {
			return err
		}
		active := 0
		for _, as := range assigned {
			if as.Status != AssignRecused {
				active++
			}
		}
		wanted := c.ExpertsNeeded - active
		if wanted <= 0 {
			return gengxin.Errorf(gengxin.EConflict, "已抽取专家%d人，达到使用方案所需人数", active)
		}
		pool, excluded, err := a.eligiblePool(tx, c, assigned)
		if err != nil {
			return err
		}
		draws, err := tx.ExpertDraws(cid)
		if err != nil {
			return err
		}
		seed := newSeed()
		d = &store.ExpertDraw{ConsultationID: cid, Round: len(draws) + 1, Seed: strconv.FormatUint(seed, 10), Wanted: wanted, Pool: pool,
			Picked: DrawFromPool(seed, pool, c.Fields, wanted), Excluded: excluded, DrawnOn: a.Today(), DrawnBy: actorName(u), CreatedAt: a.now()}
		if len(d.Picked) == 0 {
			return &gengxin.Error{Code: gengxin.ERuleRefused, Rule: "EX-04", Citation: jf3 + " 第十条",
				Message: fmt.Sprintf("%s所需领域（%s）没有符合条件的在聘专家可供抽取（排除%d人）", CommitteeLabel(c.Committee), strings.Join(c.Fields, "、"), len(excluded))}
		}
		if err := tx.InsertExpertDraw(d); err != nil {
			return err
		}
		var names []string
		for _, p := range d.Picked {
			as := &store.ExpertAssignment{ConsultationID: cid, ExpertID: p.ExpertID, Round: d.Round, Field: p.Field, Status: AssignInvited}
			if err := tx.InsertExpertAssignment(as); err != nil {
				return err
			}
			e, err := tx.Expert(p.ExpertID)
			if err != nil {
				return err
			}
			names = append(names, e.Name)
			if e.UserID != 0 {
				if err := tx.InsertNotification(&gengxin.Notification{UserID: e.UserID, Title: "专家咨询邀请",
					Body: fmt.Sprintf("您被抽取参加“%s”的咨询（%s，%s领域）。如有第十条所列情形，请主动申请回避。", c.Subject, c.UsingUnit, p.Field), Citation: committeeCite(c.Committee, jf3+" 第九条、第十条"), At: a.now()}); err != nil {
					return err
				}
			}
		}
		return a.userEvent(tx, u, "expert-draw", committeeCite(c.Committee, jf3+" 第九条、第十条"),
			fmt.Sprintf("从%s随机抽取专家（第%d轮，种子 %s）：抽中%s；排除%d人", CommitteeLabel(c.Committee), d.Round, d.Seed, strings.Join(names, "、"), len(excluded)),
			map[string]any{"consultation": cid, "round": d.Round, "seed": d.Seed, "pool": pool, "picked": d.Picked, "excluded": excluded})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// readConsultation returns consultation cid if u may see it: its
// 使用单位, 市住房城乡建设委, or an expert drawn for it; ENotFound otherwise.
func (a *App) readConsultation(rd interface {
	ExpertConsultation(int64) (*store.ExpertConsultation, error)
	ExpertByUser(int64) (*store.Expert, error)
	ExpertAssignments(int64, int64) ([]*store.ExpertAssignment, error)
}, u *gengxin.User, cid int64) (*store.ExpertConsultation, error) {
	nf := gengxin.Errorf(gengxin.ENotFound, "咨询事项不存在或无权查看")
	c, err := rd.ExpertConsultation(cid)
	if err != nil {
		return nil, nf
	}
	switch {
	case sameUnit(u, c), isHousing(u):
		return c, nil
	case u != nil && u.Role == gengxin.RoleExpert:
		e, err := rd.ExpertByUser(u.ID)
		if err != nil {
			return nil, nf
		}
		as, err := rd.ExpertAssignments(cid, e.ID)
		if err != nil {
			return nil, err
		}
		if len(as) > 0 {
			return c, nil
		}
	}
	return nil, nf
}

// AssignmentView is an expert drawn, with the expert's name and employer.
type AssignmentView struct {
	*store.ExpertAssignment
	ExpertName  string `json:"expert_name"`
	Employer    string `json:"employer"`
	StatusLabel string `json:"status_label"`
}

// DrawView is a recorded draw and whether replaying its seed on its pool
// gives the same picks (Replayed).
type DrawView struct {
	store.ExpertDraw
	Replayed bool `json:"replay_matches"`
}

// ConsultationView is a consultation as u may see it. The 使用单位 and
// 市住房城乡建设委 see every expert drawn, the draws and the opinions; an
// expert sees its own assignment, and the others' opinions only after
// submitting its own (第七条(三): opinions are independent).
type ConsultationView struct {
	*store.ExpertConsultation
	KindLabel   string            `json:"kind_label"`
	Unit        bool              `json:"is_using_unit"`
	Active      int               `json:"experts_active"`
	Assignments []*AssignmentView `json:"assignments"`
	Draws       []DrawView        `json:"draws,omitempty"`
	Mine        *AssignmentView   `json:"my_assignment,omitempty"`
}

// Consultation returns consultation cid as u may see it (see
// ConsultationView); ENotFound when u may not see it.
func (a *App) Consultation(ctx context.Context, u *gengxin.User, cid int64) (*ConsultationView, error) {
	rd := a.DB.Read(ctx)
	c, err := a.readConsultation(rd, u, cid)
	if err != nil {
		return nil, err
	}
	all, err := rd.ExpertAssignments(cid, 0)
	if err != nil {
		return nil, err
	}
	v := &ConsultationView{ExpertConsultation: c, KindLabel: ConsultationKinds[c.Kind], Unit: sameUnit(u, c), Assignments: []*AssignmentView{}}
	var myID int64
	if u.Role == gengxin.RoleExpert {
		if e, err := rd.ExpertByUser(u.ID); err == nil {
			myID = e.ID
		}
	}
	views := []*AssignmentView{}
	for _, as := range all {
		e, err := rd.Expert(as.ExpertID)
		if err != nil {
			return nil, err
		}
		av := &AssignmentView{ExpertAssignment: as, ExpertName: e.Name, Employer: e.Employer, StatusLabel: AssignStatusLabel(as.Status)}
		if as.Status != AssignRecused {
			v.Active++
		}
		if as.ExpertID == myID {
			v.Mine = av
		}
		views = append(views, av)
	}
	if u.Role != gengxin.RoleExpert {
		v.Assignments = views
		draws, err := rd.ExpertDraws(cid)
		if err != nil {
			return nil, err
		}
		for _, d := range draws {
			seed, _ := strconv.ParseUint(d.Seed, 10, 64)
			replay := DrawFromPool(seed, d.Pool, c.Fields, d.Wanted)
			v.Draws = append(v.Draws, DrawView{ExpertDraw: d, Replayed: slices.Equal(replay, d.Picked)})
		}
		return v, nil
	}
	// An expert: its own row; the others' opinions only once its own is in.
	if v.Mine != nil && v.Mine.Status == AssignAnswered {
		for _, av := range views {
			if av.Status == AssignAnswered {
				cp := *av
				cp.FeeWan, cp.FeeNote = "", ""
				if av != v.Mine {
					cp.ExpertAssignment = &store.ExpertAssignment{ID: av.ID, ConsultationID: av.ConsultationID, ExpertID: av.ExpertID, Field: av.Field, Status: av.Status, Opinion: av.Opinion, OpinionAt: av.OpinionAt}
				}
				v.Assignments = append(v.Assignments, &cp)
			}
		}
	} else if v.Mine != nil {
		v.Assignments = append(v.Assignments, v.Mine)
	}
	return v, nil
}

// Consultations lists the consultations u may see: the 使用单位 its own,
// 市住房城乡建设委 all, an expert those it was drawn for. EForbidden for
// other roles.
func (a *App) Consultations(ctx context.Context, u *gengxin.User) ([]*store.ExpertConsultation, error) {
	rd := a.DB.Read(ctx)
	cs, err := rd.ExpertConsultations()
	if err != nil {
		return nil, err
	}
	out := []*store.ExpertConsultation{}
	switch {
	case isHousing(u):
		return cs, nil
	case IsUsingUnit(u):
		for _, c := range cs {
			if sameUnit(u, c) {
				out = append(out, c)
			}
		}
		return out, nil
	case u != nil && u.Role == gengxin.RoleExpert:
		e, err := rd.ExpertByUser(u.ID)
		if err != nil {
			return out, nil
		}
		as, err := rd.ExpertAssignments(0, e.ID)
		if err != nil {
			return nil, err
		}
		mine := map[int64]bool{}
		for _, x := range as {
			mine[x.ConsultationID] = true
		}
		for _, c := range cs {
			if mine[c.ID] {
				out = append(out, c)
			}
		}
		return out, nil
	}
	return nil, gengxin.Errorf(gengxin.EForbidden, "专家咨询由使用单位和专家办理")
}

// myAssignment locks the assignment aid of consultation cid held by the
// expert account u; ENotFound when it is not u's.
func (a *App) myAssignment(tx *store.Tx, u *gengxin.User, cid, aid int64) (*store.Expert, *store.ExpertAssignment, error) {
	nf := gengxin.Errorf(gengxin.ENotFound, "咨询事项不存在或无权查看")
	if err := needExpert(u); err != nil {
		return nil, nil, err
	}
	e, err := tx.ExpertByUser(u.ID)
	if err != nil {
		return nil, nil, nf
	}
	as, err := tx.ExpertAssignment(cid, aid)
	if err != nil || as.ExpertID != e.ID {
		return nil, nil, nf
	}
	return e, as, nil
}

func needExpert(u *gengxin.User) error {
	if u == nil || u.Role != gengxin.RoleExpert {
		return gengxin.Errorf(gengxin.EForbidden, "仅被抽取的专家本人可以办理")
	}
	return nil
}

// RecusalGrounds are the grounds an expert may declare (第十条 and the
// 使用单位's conditions).
var RecusalGrounds = map[string]string{
	"1": "第十条(一) 是被咨询工作的负责人或参与人员",
	"2": "第十条(二) 与负责人有近亲属关系，或与承担单位、协作单位有经济利益等利害关系",
	"3": "第十条(三) 所在单位与承担单位、协作单位有行政隶属关系",
	"4": "第十条第二款 使用单位提出的回避条件",
}

// DeclareRecusal records the expert's own recusal (主动回避, 第八条(二)、
// 第十条) on ground "1"…"4" with a reason; the 使用单位 may then draw a
// replacement. EConflict unless the assignment awaits the opinion.
func (a *App) DeclareRecusal(ctx context.Context, u *gengxin.User, cid, aid int64, ground, reason string) (*ConsultationView, error) {
	if err := needExpert(u); err != nil {
		return nil, err
	}
	label, ok := RecusalGrounds[ground]
	if !ok {
		return nil, badField("ground", "回避情形应为 1、2、3 或 4（第十条(一)(二)(三)及使用单位的回避条件）")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > 1000 {
		return nil, badField("reason", "说明不超过1000字")
	}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, as, err := a.myAssignment(tx, u, cid, aid)
		if err != nil {
			return err
		}
		if as.Status != AssignInvited {
			return gengxin.Errorf(gengxin.EConflict, "当前为“%s”，不能申请回避", AssignStatusLabel(as.Status))
		}
		as.Status, as.RecusalGround, as.RecusalReason, as.RecusedOn = AssignRecused, label, reason, a.Today()
		if err := tx.UpdateExpertAssignment(as); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-recuse", committeeCite(e.Committee, jf3+" "+strings.Fields(label)[0]), fmt.Sprintf("专家%s申请回避（%s）", e.Name, label),
			map[string]any{"consultation": cid, "assignment": aid, "ground": ground, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return a.Consultation(ctx, u, cid)
}

// RequireRecusal records a recusal the 使用单位 requires of an expert drawn
// (正当回避要求, 第八条(二)、第十条) on ground "1"…"4" with a reason (required);
// the unit may then draw a replacement. EForbidden for another unit;
// EConflict unless the assignment awaits the opinion.
func (a *App) RequireRecusal(ctx context.Context, u *gengxin.User, cid, aid int64, ground, reason string) (*ConsultationView, error) {
	if !IsUsingUnit(u) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "回避要求由使用单位提出（%s 第八条(二)）", jf3)
	}
	label, ok := RecusalGrounds[ground]
	if !ok {
		return nil, badField("ground", "回避情形应为 1、2、3 或 4（第十条(一)(二)(三)及使用单位的回避条件）")
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 1000 {
		return nil, badField("reason", "请说明要求回避的事实（不超过1000字）")
	}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		c, err := a.readConsultation(tx, u, cid)
		if err != nil {
			return err
		}
		if !sameUnit(u, c) {
			return gengxin.Errorf(gengxin.EForbidden, "回避要求由使用单位（%s）提出", c.UsingUnit)
		}
		as, err := tx.ExpertAssignment(cid, aid)
		if err != nil {
			return err
		}
		if as.Status != AssignInvited {
			return gengxin.Errorf(gengxin.EConflict, "当前为“%s”，不能要求回避", AssignStatusLabel(as.Status))
		}
		e, err := tx.Expert(as.ExpertID)
		if err != nil {
			return err
		}
		as.Status, as.RecusalGround, as.RecusalReason, as.RecusedOn = AssignRecused, "使用单位要求："+label, reason, a.Today()
		if err := tx.UpdateExpertAssignment(as); err != nil {
			return err
		}
		if e.UserID != 0 {
			if err := tx.InsertNotification(&gengxin.Notification{UserID: e.UserID, Title: "使用单位要求回避",
				Body: fmt.Sprintf("%s要求您在“%s”的咨询中回避：%s。%s", c.UsingUnit, c.Subject, label, reason), Citation: jf3 + " 第八条(二)、第十条", At: a.now()}); err != nil {
				return err
			}
		}
		return a.userEvent(tx, u, "expert-recuse-required", committeeCite(e.Committee, jf3+" 第八条(二)、"+strings.Fields(label)[0]), fmt.Sprintf("%s要求专家%s回避（%s）", c.UsingUnit, e.Name, label),
			map[string]any{"consultation": cid, "assignment": aid, "ground": ground, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return a.Consultation(ctx, u, cid)
}

// SubmitOpinion records the expert's independent opinion (第七条(三)); once.
// EConflict after recusal, after an opinion, or when the expert has exited.
func (a *App) SubmitOpinion(ctx context.Context, u *gengxin.User, cid, aid int64, text string) (*ConsultationView, error) {
	if err := needExpert(u); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > 20000 {
		return nil, badField("opinion", "咨询意见不能为空，且不超过20000字")
	}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		e, as, err := a.myAssignment(tx, u, cid, aid)
		if err != nil {
			return err
		}
		if e.Status == ExpertExited {
			return gengxin.Errorf(gengxin.EConflict, "已退出的专家不得再以专家委员会专家身份从事城市更新相关活动（%s 第十二条）", jf3)
		}
		if as.Status != AssignInvited {
			return gengxin.Errorf(gengxin.EConflict, "当前为“%s”，不能提交意见", AssignStatusLabel(as.Status))
		}
		terms, err := tx.ExpertTerms(e.ID)
		if err != nil {
			return err
		}
		if ts := terms[e.ID]; len(ts) == 0 || a.Today().After(ts[len(ts)-1].TermEnd) {
			return gengxin.Errorf(gengxin.EConflict, "任期已届满且未续聘，成员资格已终止（%s 第六条，DECISIONS D16），不能再提交咨询意见", jf3)
		}
		as.Status, as.Opinion, as.OpinionAt = AssignAnswered, text, a.now()
		if err := tx.UpdateExpertAssignment(as); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-opinion", committeeCite(e.Committee, jf3+" 第七条(三)"), fmt.Sprintf("专家%s提交咨询意见", e.Name), map[string]any{"consultation": cid, "assignment": aid})
	})
	if err != nil {
		return nil, err
	}
	return a.Consultation(ctx, u, cid)
}

// RecordFee records the 专家咨询服务费 of an expert who gave an opinion
// (第七条(一)), by the 使用单位. EForbidden for another unit; EConflict
// before the opinion; EInvalid for a bad amount.
func (a *App) RecordFee(ctx context.Context, u *gengxin.User, cid, aid int64, amountWan, note string) (*ConsultationView, error) {
	if !IsUsingUnit(u) {
		return nil, gengxin.Errorf(gengxin.EForbidden, "咨询服务费由使用单位登记（%s 第七条(一)）", jf3)
	}
	amt, err := rules.ParseDecimal(strings.TrimSpace(amountWan))
	if err != nil || amt.Sign() < 0 {
		return nil, badField("fee_wan", "咨询服务费（万元）应为不小于0的数字")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return nil, badField("fee_note", "说明不超过500字")
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		c, err := a.readConsultation(tx, u, cid)
		if err != nil {
			return err
		}
		if !sameUnit(u, c) {
			return gengxin.Errorf(gengxin.EForbidden, "咨询服务费由使用单位（%s）登记", c.UsingUnit)
		}
		as, err := tx.ExpertAssignment(cid, aid)
		if err != nil {
			return err
		}
		if as.Status != AssignAnswered {
			return gengxin.Errorf(gengxin.EConflict, "专家尚未出具意见，不能登记咨询服务费")
		}
		as.FeeWan, as.FeeNote = amt.String(), note
		if err := tx.UpdateExpertAssignment(as); err != nil {
			return err
		}
		return a.userEvent(tx, u, "expert-fee", committeeCite(c.Committee, jf3+" 第七条(一)"), fmt.Sprintf("登记专家咨询服务费 %s万元（咨询事项 %d）", as.FeeWan, cid),
			map[string]any{"consultation": cid, "assignment": aid, "fee_wan": as.FeeWan, "note": note})
	})
	if err != nil {
		return nil, err
	}
	return a.Consultation(ctx, u, cid)
}

// ExportConsultations writes, as .xlsx, the consultations u opened (all of
// them for 市住房城乡建设委): one row per expert drawn with status, recusal
// and fee (第七条(一)), and one row per draw exclusion with its ground.
// EForbidden unless a 使用单位.
func (a *App) ExportConsultations(ctx context.Context, u *gengxin.User, w io.Writer) error {
	if !IsUsingUnit(u) {
		return gengxin.Errorf(gengxin.EForbidden, "咨询清单由使用单位导出")
	}
	cs, err := a.Consultations(ctx, u)
	if err != nil {
		return err
	}
	var rows, excl [][]any
	for _, c := range cs {
		v, err := a.Consultation(ctx, u, c.ID)
		if err != nil {
			return err
		}
		for _, as := range v.Assignments {
			var at any
			if !as.OpinionAt.IsZero() {
				at = as.OpinionAt.In(calendar.Beijing).Format("2006-01-02 15:04")
			}
			rows = append(rows, []any{c.ID, c.Subject, v.KindLabel, c.UsingUnit, c.OpenedOn, as.Round, as.ExpertName, as.Employer, as.Field,
				as.StatusLabel, as.RecusalGround, at, as.FeeWan, as.FeeNote})
		}
		for _, d := range v.Draws {
			for _, x := range d.Excluded {
				excl = append(excl, []any{c.ID, c.Subject, d.Round, d.Seed, d.DrawnOn, x.Name, x.Rule, x.Citation, x.Message})
			}
		}
	}
	when := a.now().In(calendar.Beijing).Format("2006-01-02 15:04")
	return xlsx.WriteWorkbook(w,
		xlsx.Sheet{Name: "咨询专家", Title: "专家咨询清单（" + jf3 + " 第七、九、十条；导出时间 " + when + "）", Columns: []xlsx.Column{
			{Title: "咨询编号", Width: 8}, {Title: "咨询事项", Width: 30}, {Title: "类型", Width: 14}, {Title: "使用单位", Width: 24}, {Title: "发起日期", Width: 12},
			{Title: "抽取轮次", Width: 8}, {Title: "专家", Width: 10}, {Title: "所在单位", Width: 26}, {Title: "领域", Width: 12}, {Title: "状态", Width: 12},
			{Title: "回避情形", Width: 30}, {Title: "意见提交时间", Width: 16}, {Title: "咨询服务费(万元)", Width: 14}, {Title: "费用说明", Width: 20}}, Rows: rows},
		xlsx.Sheet{Name: "排除记录", Columns: []xlsx.Column{{Title: "咨询编号", Width: 8}, {Title: "咨询事项", Width: 30}, {Title: "抽取轮次", Width: 8},
			{Title: "随机种子", Width: 22}, {Title: "抽取日期", Width: 12}, {Title: "专家", Width: 10}, {Title: "规则", Width: 8}, {Title: "条款", Width: 26}, {Title: "理由", Width: 60}}, Rows: excl})
}
