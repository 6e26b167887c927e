package app

// The public portal (公开门户): announcements (公告) and publicity (公示) of
// any procedure, with their period, documents, public comments and the
// responsible authority's responses. Procedures publish inside their own
// transaction with publishTx; everyone reads with Publications and
// PublicPublication; the public comments with SubmitComment; the district
// renewal authority answers with RespondComment.
//
// What the public sees of comments (a choice, documented here and on the
// page): only comments that have been answered, each with its response,
// and never the commenter's name or contact (personal data, sealed at rest
// with the data key like project contacts); plus the number received. The
// authority sees every comment with name and contact.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"gengxin"
	"gengxin/calendar"
	"gengxin/store"
)

// Publication kinds.
const (
	PubAnnouncement = "announcement" // 公告
	PubPublicity    = "publicity"    // 公示
)

// Publication statuses, relative to today.
const (
	PubUpcoming = "upcoming" // 未开始
	PubOpen     = "open"     // 进行中
	PubClosed   = "closed"   // 已结束
)

// PubKindLabel names a publication kind in Chinese.
func PubKindLabel(k string) string {
	switch k {
	case PubAnnouncement:
		return "公告"
	case PubPublicity:
		return "公示"
	}
	return k
}

// PubDoc is a document attached to a publication: a title and a link (a
// path on this site such as "/verify?code=…", or an https address).
type PubDoc struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Publication is what a procedure publishes (see publishTx). StartsOn and
// EndsOn are the first and last day of the period (both inclusive), which
// the caller computes with its rule; Citation names that rule (e.g.
// "京建法〔2024〕1号 第七条第三款") and PeriodNote may explain the
// computation (e.g. the holiday move of DECISIONS D2). SourceKind and
// SourceID name the procedure record the publication belongs to, e.g.
// ("coordinator_selection", 12) or ("old_factory", 34). District is the
// issuing district ("" for a municipal publication): its
// 区城市更新主管部门 (role district_renewal) answers the comments.
type Publication struct {
	Kind       string
	Title      string
	Body       string
	District   string
	Issuer     string
	SourceKind string
	SourceID   int64
	StartsOn   calendar.Date
	EndsOn     calendar.Date
	Citation   string
	PeriodNote string
	Documents  []PubDoc
}

// publishTx stores publication p inside the caller's transaction tx, with
// its own audit event (action "publish"), and returns its id. Call it from
// the procedure step that publishes, in the same db.Tx as the step's own
// change and event, so that the step and its publication commit or fail
// together:
//
//	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
//		end := … // the period's last day, computed with the rule
//		id, err := a.publishTx(tx, u, Publication{Kind: PubPublicity, Title: …, Body: …,
//			District: p.District, Issuer: p.District + "城市更新主管部门",
//			SourceKind: "old_factory", SourceID: p.ID, StartsOn: today, EndsOn: end,
//			Citation: "京规自发〔2024〕67号 第十九条第二款"})
//		…
//	})
//
// Comments are accepted on 公示 (PubPublicity) while the period is open
// (StartsOn ≤ today ≤ EndsOn, Beijing time). The body must hold no personal
// data: it is public. EInvalid names every bad field at once (kind, title,
// body, district, issuer, source, period, citation, document links).
func (a *App) publishTx(tx *store.Tx, actor *gengxin.User, p Publication) (int64, error) {
	a.portalChanged()
	var bad []gengxin.ErrorDetail
	add := func(field, msg string) { bad = append(bad, gengxin.ErrorDetail{Field: field, Message: msg}) }
	p.Title, p.Body, p.Issuer = strings.TrimSpace(p.Title), strings.TrimSpace(p.Body), strings.TrimSpace(p.Issuer)
	if p.Kind != PubAnnouncement && p.Kind != PubPublicity {
		add("kind", "类别应为 announcement（公告）或 publicity（公示）")
	}
	if p.Title == "" || utf8.RuneCountInString(p.Title) > 200 {
		add("title", "标题不能为空且不超过200字")
	}
	if p.Body == "" || utf8.RuneCountInString(p.Body) > 20000 {
		add("body", "正文不能为空且不超过20000字")
	}
	if _, ok := gengxin.LookupDistrict(p.District); p.District != "" && !ok {
		add("district", "发布区无效")
	}
	if p.Issuer == "" {
		add("issuer", "发布单位不能为空")
	}
	if strings.TrimSpace(p.SourceKind) == "" || p.SourceID <= 0 {
		add("source", "须注明所属办理记录（source_kind、source_id）")
	}
	if p.StartsOn.IsZero() || p.EndsOn.IsZero() || p.EndsOn.Before(p.StartsOn) {
		add("period", "起止日期无效：截止日不得早于开始日")
	}
	if strings.TrimSpace(p.Citation) == "" {
		add("citation", "须注明期限依据（条款）")
	}
	for _, d := range p.Documents {
		if strings.TrimSpace(d.Title) == "" || !safeLink(d.URL) {
			add("documents", "附件须有名称，链接应为本站路径或 https 地址")
			break
		}
	}
	if len(bad) > 0 {
		e := &gengxin.Error{Code: gengxin.EInvalid, Message: "公告或公示信息有误", Details: bad}
		if len(bad) == 1 {
			e.Message += "：" + bad[0].Message
		}
		return 0, e
	}
	if p.Documents == nil {
		p.Documents = []PubDoc{}
	}
	docs, _ := json.Marshal(p.Documents)
	sp := &store.Publication{Kind: p.Kind, Title: p.Title, Body: p.Body, District: p.District, Issuer: p.Issuer, SourceKind: p.SourceKind,
		SourceID: p.SourceID, StartsOn: p.StartsOn, EndsOn: p.EndsOn, Citation: p.Citation, PeriodNote: p.PeriodNote, Documents: string(docs),
		CreatedAt: a.now(), CreatedBy: actorName(actor)}
	if err := tx.InsertPublication(sp); err != nil {
		return 0, err
	}
	err := a.userEvent(tx, actor, "publish", p.Citation, fmt.Sprintf("发布%s「%s」，期限 %s 至 %s", PubKindLabel(p.Kind), p.Title, p.StartsOn, p.EndsOn),
		map[string]any{"publication": sp.ID, "kind": p.Kind, "source_kind": p.SourceKind, "source_id": p.SourceID,
			"starts_on": p.StartsOn, "ends_on": p.EndsOn})
	return sp.ID, err
}

func safeLink(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.HasPrefix(s, "/\\") {
		return true
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// PublicComment is what the public reads of an answered comment: no name,
// no contact.
type PublicComment struct {
	ID          int64  `json:"id"`
	Body        string `json:"body"`
	CreatedOn   string `json:"created_on"`
	Response    string `json:"response"`
	RespondedOn string `json:"responded_on"`
	RespondedBy string `json:"responded_by"`
}

// PublicationView is a publication as pages and the API show it: its status
// on today, the calendar days left until its last day (0: ends today), its
// documents and, for the detail, the answered comments.
type PublicationView struct {
	*store.Publication
	KindLabel     string          `json:"kind_label"`
	Status        string          `json:"status"`
	StatusLabel   string          `json:"status_label"`
	DaysLeft      int             `json:"days_left"`
	Docs          []PubDoc        `json:"documents"`
	CommentsOpen  bool            `json:"comments_open"`
	CommentCount  int             `json:"comment_count"`
	Answered      []PublicComment `json:"answered_comments"`
	CommentPolicy string          `json:"comment_policy"`
}

// CommentPolicy is shown under every comment list.
const CommentPolicy = "公示期间公众可提交意见；意见经发布单位审核后在此公开，答复后连同答复公开（辱骂、广告等与公示无关的意见不予公开，留存备查）。提交人姓名、联系方式仅供发布单位联系核实，加密存储，不予公开。"

func pubStatus(p *store.Publication, today calendar.Date) string {
	switch {
	case today.Before(p.StartsOn):
		return PubUpcoming
	case today.After(p.EndsOn):
		return PubClosed
	}
	return PubOpen
}

func (a *App) pubView(p *store.Publication) *PublicationView {
	today := a.Today()
	v := &PublicationView{Publication: p, KindLabel: PubKindLabel(p.Kind), Status: pubStatus(p, today), Docs: []PubDoc{}, Answered: []PublicComment{}}
	json.Unmarshal([]byte(p.Documents), &v.Docs)
	switch v.Status {
	case PubUpcoming:
		v.StatusLabel = "未开始"
	case PubOpen:
		v.DaysLeft = today.DaysUntil(p.EndsOn)
		v.StatusLabel = fmt.Sprintf("进行中，剩余%d天", v.DaysLeft)
		if v.DaysLeft == 0 {
			v.StatusLabel = "进行中，今日截止"
		}
	default:
		v.StatusLabel = "已结束"
	}
	v.CommentsOpen = p.Kind == PubPublicity && v.Status == PubOpen
	if p.Kind == PubPublicity {
		v.CommentPolicy = CommentPolicy
	}
	return v
}

// Publications lists publications for the portal, newest first, filtered
// by kind, status (upcoming, open, closed; on today) and district. Anyone
// may call it; EInvalid for a bad filter.
func (a *App) Publications(ctx context.Context, kind, status, district string, limit int) ([]*PublicationView, error) {
	if kind != "" && kind != PubAnnouncement && kind != PubPublicity {
		return nil, gengxin.Errorf(gengxin.EInvalid, "类别应为 announcement（公告）或 publicity（公示）")
	}
	if status != "" && status != PubUpcoming && status != PubOpen && status != PubClosed {
		return nil, gengxin.Errorf(gengxin.EInvalid, "状态应为 upcoming、open 或 closed")
	}
	if _, ok := gengxin.LookupDistrict(district); district != "" && !ok {
		return nil, gengxin.Errorf(gengxin.EInvalid, "所在区无效")
	}
	ps, err := a.DB.Read(ctx).Publications(store.PublicationFilter{Kind: kind, Status: status, District: district, Today: a.Today(), Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]*PublicationView, len(ps))
	for i, p := range ps {
		out[i] = a.pubView(p)
	}
	return out, nil
}

// PublicationsOf returns the publications of one procedure record, oldest
// first (for the procedure's own page).
func (a *App) PublicationsOf(ctx context.Context, sourceKind string, sourceID int64) ([]*PublicationView, error) {
	ps, err := a.DB.Read(ctx).Publications(store.PublicationFilter{SourceKind: sourceKind, SourceID: sourceID})
	if err != nil {
		return nil, err
	}
	out := make([]*PublicationView, len(ps))
	for i, p := range ps {
		out[len(ps)-1-i] = a.pubView(p)
	}
	return out, nil
}

// PublicPublication returns publication id as the public reads it, with
// the comments the authority published (with their answers once answered;
// no personal data). ENotFound when absent.
func (a *App) PublicPublication(ctx context.Context, id int64) (*PublicationView, error) {
	rd := a.DB.Read(ctx)
	p, err := rd.Publication(id)
	if err != nil {
		return nil, err
	}
	v := a.pubView(p)
	cs, err := rd.Comments(id)
	if err != nil {
		return nil, err
	}
	v.CommentCount = len(cs)
	for _, c := range cs {
		if c.Moderation == store.CommentPublished {
			v.Answered = append(v.Answered, PublicComment{ID: c.ID, Body: c.Body, CreatedOn: calendar.DateIn(c.CreatedAt).String(),
				Response: c.Response, RespondedOn: calendar.DateIn(c.RespondedAt).String(), RespondedBy: c.RespondedBy})
		}
	}
	return v, nil
}

// CommentInput is a public comment: the text (required), and optionally a
// name and a contact (personal data: sealed, never shown publicly).
type CommentInput struct {
	Name    string `json:"name"`
	Contact string `json:"contact"`
	Body    string `json:"body"`
}

// SubmitComment stores a public comment on publication id, in one
// transaction with its event (which holds no personal data). Anyone may
// call it; the HTTP layer rate-limits per address. ENotFound when absent;
// EInvalid for a bad comment; EConflict when the publication is a 公告 or
// its period has not begun or has ended.
func (a *App) SubmitComment(ctx context.Context, id int64, in CommentInput) (int64, error) {
	in.Name, in.Contact, in.Body = strings.TrimSpace(in.Name), strings.TrimSpace(in.Contact), strings.TrimSpace(in.Body)
	var bad []gengxin.ErrorDetail
	if in.Body == "" || utf8.RuneCountInString(in.Body) > 2000 {
		bad = append(bad, gengxin.ErrorDetail{Field: "body", Message: "意见内容不能为空，且不超过2000字"})
	}
	if utf8.RuneCountInString(in.Name) > 50 {
		bad = append(bad, gengxin.ErrorDetail{Field: "name", Message: "姓名不超过50字"})
	}
	if utf8.RuneCountInString(in.Contact) > 100 {
		bad = append(bad, gengxin.ErrorDetail{Field: "contact", Message: "联系方式不超过100字"})
	}
	var cid int64
	defer a.portalChanged()
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		p, err := tx.Publication(id)
		if err != nil {
			return err
		}
		if len(bad) > 0 {
			e := &gengxin.Error{Code: gengxin.EInvalid, Message: bad[0].Message, Details: bad}
			return e
		}
		if p.Kind != PubPublicity {
			return gengxin.Errorf(gengxin.EConflict, "公告用于发布申报等事项，不接收公众意见；公示期间可对公示内容提出意见")
		}
		switch pubStatus(p, a.Today()) {
		case PubUpcoming:
			return gengxin.Errorf(gengxin.EConflict, "公示尚未开始（%s 开始），暂不接收意见", p.StartsOn)
		case PubClosed:
			return &gengxin.Error{Code: gengxin.EConflict, Citation: p.Citation,
				Message: fmt.Sprintf("公示期已于 %s 结束，不再接收意见（%s）", p.EndsOn, p.Citation)}
		}
		c := &store.PublicationComment{PublicationID: id, Name: in.Name, Contact: in.Contact, Body: in.Body, CreatedAt: a.now()}
		if err := tx.InsertComment(c); err != nil {
			return err
		}
		cid = c.ID
		if p.District != "" { // to the district's 区城市更新主管部门, which answers (第七条第三款)
			if err := tx.InsertNotification(&gengxin.Notification{District: p.District, Title: "收到公示意见",
				Body: fmt.Sprintf("「%s」收到第%d号公众意见，请及时答复。", p.Title, c.ID), Citation: p.Citation, At: a.now()}); err != nil {
				return err
			}
		}
		data, _ := json.Marshal(map[string]any{"publication": id, "comment": c.ID})
		return tx.AppendEvent(&gengxin.Event{At: a.now(), Actor: "公众", Role: "public", Action: "publication-comment",
			Citation: p.Citation, Data: string(data), Summary: fmt.Sprintf("收到对「%s」的公众意见（第%d号）", p.Title, c.ID)})
	})
	return cid, err
}

// needAuthority checks that u answers the comments of p: the district's
// 区城市更新主管部门 (district_renewal), or the municipal housing commission
// for a municipal publication. Another district's officer gets ENotFound,
// any other role EForbidden.
func needAuthority(u *gengxin.User, p *store.Publication) error {
	if u == nil {
		return gengxin.Errorf(gengxin.EUnauthorized, "请先登录")
	}
	if p.District == "" {
		if u.Role == gengxin.RoleMunicipalHousing {
			return nil
		}
		return gengxin.Errorf(gengxin.EForbidden, "只有市住房城乡建设委可以答复本公示的意见")
	}
	if u.Role != gengxin.RoleDistrictRenewal {
		return gengxin.Errorf(gengxin.EForbidden, "只有%s城市更新主管部门可以查看和答复公示意见", p.District)
	}
	if u.District != p.District {
		return gengxin.Errorf(gengxin.ENotFound, "公告或公示不存在或无权查看")
	}
	return nil
}

// PublicationComments returns publication id and all its comments with the
// commenters' names and contacts, for the answering authority only (see
// needAuthority for the errors).
func (a *App) PublicationComments(ctx context.Context, u *gengxin.User, id int64) (*PublicationView, []*store.PublicationComment, error) {
	rd := a.DB.Read(ctx)
	p, err := rd.Publication(id)
	if err != nil {
		return nil, nil, err
	}
	if err := needAuthority(u, p); err != nil {
		return nil, nil, err
	}
	cs, err := rd.Comments(id)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range cs {
		if c.Name != "" || c.Contact != "" {
			// The commenters' names and contacts are personal data: the read is audited.
			a.RecordRead(ctx, u, 0, fmt.Sprintf("公众意见提交人姓名、联系方式（「%s」）", p.Title))
			break
		}
	}
	v := a.pubView(p)
	v.CommentCount = len(cs)
	return v, cs, nil
}

// ModerateComment publishes or hides comment cid of publication id
// (state store.CommentPublished or store.CommentHidden), in one transaction
// with its event; only the answering authority (needAuthority) may. A
// hidden comment stays on record and is never public, even when answered.
func (a *App) ModerateComment(ctx context.Context, u *gengxin.User, id, cid int64, state string) error {
	defer a.portalChanged()
	return a.DB.Tx(ctx, func(tx *store.Tx) error {
		p, err := tx.Publication(id)
		if err != nil {
			return err
		}
		if err := needAuthority(u, p); err != nil {
			return err
		}
		if state != store.CommentPublished && state != store.CommentHidden {
			return badField("moderation", "审核结果应为 published（公开）或 hidden（不予公开）")
		}
		if err := tx.ModerateComment(id, cid, state, u.Title()); err != nil {
			return err
		}
		label := map[string]string{store.CommentPublished: "公开", store.CommentHidden: "不予公开"}[state]
		return a.userEvent(tx, u, "publication-moderate", p.Citation, fmt.Sprintf("审核「%s」的公众意见（第%d号）：%s", p.Title, cid, label),
			map[string]any{"publication": id, "comment": cid, "moderation": state})
	})
}

// RespondComment records the authority's response to comment cid of
// publication id and publishes it with the comment (without personal
// data), in one transaction with its event. Responses are allowed during
// and after the period (第七条第三款 "及时予以反馈"). EInvalid for an empty
// or overlong response; EConflict when answered already.
func (a *App) RespondComment(ctx context.Context, u *gengxin.User, id, cid int64, response string) error {
	response = strings.TrimSpace(response)
	defer a.portalChanged()
	return a.DB.Tx(ctx, func(tx *store.Tx) error {
		p, err := tx.Publication(id)
		if err != nil {
			return err
		}
		if err := needAuthority(u, p); err != nil {
			return err
		}
		if response == "" || utf8.RuneCountInString(response) > 5000 {
			return &gengxin.Error{Code: gengxin.EInvalid, Message: "答复内容不能为空，且不超过5000字",
				Details: []gengxin.ErrorDetail{{Field: "response", Message: "答复内容不能为空，且不超过5000字"}}}
		}
		if err := tx.RespondComment(id, cid, response, u.Title(), a.now()); err != nil {
			return err
		}
		return a.userEvent(tx, u, "publication-respond", p.Citation, fmt.Sprintf("答复「%s」的公众意见（第%d号）", p.Title, cid),
			map[string]any{"publication": id, "comment": cid})
	})
}
