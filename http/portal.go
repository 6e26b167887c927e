package http

// The public portal (公开门户): announcements and publicity with their
// periods, documents, public comments and published responses; the Atom
// feed; the public project search page. Pages under /portal, the feed at
// /feed.atom, the JSON API under /api/v1/public/publications (public) and
// /api/v1/publications (the answering authority). All call app/portal.go.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/store"
)

func init() {
	registerPages(map[string]string{
		"portal_list": "公告与公示", "portal_publication": "公告公示详情", "portal_comments": "公示意见答复", "portal_projects": "项目公开查询",
	})
}

// commentCSRFCookie carries the double-submit token of the anonymous
// comment form (like the sign-in form's).
const commentCSRFCookie = "gengxin_comment"

// portalRoutes registers the public portal (issue 5, part 1).
func (s *Server) portalRoutes() {
	m := s.mux
	m.HandleFunc("GET /portal", s.portalListPage)
	m.HandleFunc("GET /portal/publications/{id}", s.portalPublicationPage)
	m.HandleFunc("POST /portal/publications/{id}/comments", s.portalCommentPost)
	m.HandleFunc("GET /portal/projects", s.portalProjectsPage)
	m.HandleFunc("GET /feed.atom", s.atomFeed)
	m.HandleFunc("GET /publications/{id}/comments", s.authed(s.portalCommentsPage))
	m.HandleFunc("POST /publications/{id}/comments/{cid}/response", s.authed(s.portalRespondPost))
	m.HandleFunc("POST /publications/{id}/comments/{cid}/moderation", s.authed(s.portalModeratePost))

	m.HandleFunc("GET /api/v1/public/publications", s.apiPublications)
	m.HandleFunc("GET /api/v1/public/publications/{id}", s.apiPublication)
	m.HandleFunc("POST /api/v1/public/publications/{id}/comments", s.apiComment)
	m.HandleFunc("GET /api/v1/publications/{id}/comments", s.authed(s.apiPublicationComments))
	m.HandleFunc("POST /api/v1/publications/{id}/comments/{cid}/response", s.authed(s.apiRespond))
	m.HandleFunc("POST /api/v1/publications/{id}/comments/{cid}/moderation", s.authed(s.apiModerate))
}

// commentAllowed applies the per-address limit of public comments.
func (s *Server) commentAllowed(r *http.Request) error {
	if !s.limiter.allow("comment:"+s.clientIP(r), 10, 10*time.Minute) {
		return gengxin.Errorf(gengxin.ETooMany, "提交意见过于频繁，请十分钟后再试")
	}
	return nil
}

// ---- JSON API ----

func (s *Server) apiPublications(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	items, err := s.App.Publications(r.Context(), q.Get("kind"), q.Get("status"), q.Get("district"), 200)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

func (s *Server) apiPublication(w http.ResponseWriter, r *http.Request) {
	id, err := namedID(r, "id", "公告或公示")
	if err == nil {
		var v *app.PublicationView
		if v, err = s.App.PublicPublication(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
	}
	s.apiError(w, r, err)
}

func (s *Server) apiComment(w http.ResponseWriter, r *http.Request) {
	id, err := namedID(r, "id", "公告或公示")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.commentAllowed(r); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in app.CommentInput
	if err := decodeJSON(r, maxSmallJSON, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	cid, err := s.App.SubmitComment(r.Context(), id, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": cid, "message": "意见已提交。发布单位答复后，意见及答复将在公示页面公开（不含姓名和联系方式）。"})
}

func (s *Server) apiPublicationComments(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := namedID(r, "id", "公告或公示")
	if err == nil {
		var v *app.PublicationView
		var cs []*store.PublicationComment
		if v, cs, err = s.App.PublicationComments(r.Context(), u, id); err == nil {
			writeJSON(w, http.StatusOK, map[string]any{"publication": v, "comments": cs})
			return
		}
	}
	s.apiError(w, r, err)
}

// commentRef reads the publication and comment ids of the path and the
// JSON body of an authority's step on a comment into in.
func commentRef(r *http.Request, in any) (id, cid int64, err error) {
	if id, err = namedID(r, "id", "公告或公示"); err != nil {
		return
	}
	if cid, err = namedID(r, "cid", "意见"); err != nil {
		return
	}
	err = decodeJSON(r, maxSmallJSON, in)
	return
}

func (s *Server) apiRespond(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in struct {
		Response string `json:"response"`
	}
	id, cid, err := commentRef(r, &in)
	if err == nil {
		err = s.App.RespondComment(r.Context(), u, id, cid, in.Response)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": cid, "response": in.Response})
}

// apiModerate publishes or hides a comment: {"moderation":"published|hidden"}.
func (s *Server) apiModerate(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	var in struct {
		Moderation string `json:"moderation"`
	}
	id, cid, err := commentRef(r, &in)
	if err == nil {
		err = s.App.ModerateComment(r.Context(), u, id, cid, in.Moderation)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": cid, "moderation": in.Moderation})
}

func (s *Server) portalModeratePost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.commentStepPost(w, r, u, "moderate", func(id, cid int64) error {
		return s.App.ModerateComment(r.Context(), u, id, cid, r.FormValue("moderation"))
	})
}

// commentStepPost runs an authority's step on a comment from its page form
// and shows the comments again (with the error) or redirects with done.
func (s *Server) commentStepPost(w http.ResponseWriter, r *http.Request, u *gengxin.User, done string, step func(id, cid int64) error) {
	id, err := namedID(r, "id", "公告或公示")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cid, err := namedID(r, "cid", "意见")
	if err == nil {
		err = step(id, cid)
	}
	if err != nil {
		if pageError(err) {
			s.fail(w, r, err)
			return
		}
		s.showComments(w, r, u, statusOf(gengxin.ErrorCode(err)), err, "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/publications/%d/comments?done=%s", id, done), http.StatusSeeOther)
}

// ---- pages ----

type portalListData struct {
	Kind, Status, District string
	Items                  []*app.PublicationView
}

func (s *Server) portalListPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &portalListData{Kind: q.Get("kind"), Status: q.Get("status"), District: q.Get("district")}
	items, err := s.App.Publications(r.Context(), d.Kind, d.Status, d.District, 200)
	d.Items = items
	v := s.publicView(r, d)
	status := http.StatusOK
	if err != nil {
		if gengxin.ErrorCode(err) != gengxin.EInvalid {
			s.fail(w, r, err)
			return
		}
		v.Err, status = s.publicError(r, err), http.StatusBadRequest
	}
	s.renderView(w, r, status, "portal_list", v)
}

type portalPublicationData struct {
	*app.PublicationView
	Token         string
	Name, Contact string
	CommentBody   string // the visitor's draft, shown again after an error
	Authority     bool
}

func (s *Server) showPublication(w http.ResponseWriter, r *http.Request, status int, perr error, flash string, in app.CommentInput) {
	id, err := namedID(r, "id", "公告或公示")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tok := newID() + newID()
	if c, err := r.Cookie(commentCSRFCookie); err == nil && len(c.Value) == 32 {
		tok = c.Value
	}
	// The common case — an anonymous reader, no form to show again — is
	// served from memory: the page as rendered at the portal's current
	// version and today's date, with the visitor's form token put in.
	// The signed-in user is looked up once, here, for both the test and the view.
	u, sess := s.optionalUser(r)
	plain := u == nil && perr == nil && flash == "" && in == (app.CommentInput{}) && status == http.StatusOK
	setToken := func() {
		http.SetCookie(w, &http.Cookie{Name: commentCSRFCookie, Value: tok, Path: "/portal", HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	}
	ver, today := s.App.PortalVersion(), s.App.Today()
	if plain {
		if b, ok := s.pubCache.get(id, ver, today); ok {
			setToken()
			writeHTML(w, http.StatusOK, bytes.ReplaceAll(b, []byte(tokenSlot), []byte(tok)))
			return
		}
	}
	p, err := s.App.PublicPublication(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	setToken()
	if plain {
		d := &portalPublicationData{PublicationView: p, Token: tokenSlot}
		v := &view{D: d, Title: p.Title, Active: "portal_list", Today: today}
		b, err := s.renderBytes("portal_publication", v)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.pubCache.put(id, ver, today, b)
		writeHTML(w, http.StatusOK, bytes.ReplaceAll(b, []byte(tokenSlot), []byte(tok)))
		return
	}
	d := &portalPublicationData{PublicationView: p, Token: tok, Name: in.Name, Contact: in.Contact, CommentBody: in.Body}
	v := &view{D: d}
	if u != nil {
		v.User, v.CSRF = u, sess.CSRF
		d.Authority = (p.District != "" && u.Role == gengxin.RoleDistrictRenewal && u.District == p.District) ||
			(p.District == "" && u.Role == gengxin.RoleMunicipalHousing)
	}
	v.Title, v.Active, v.Flash = p.Title, "portal_list", flash
	if perr != nil {
		v.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "portal_publication", v)
}

func (s *Server) portalPublicationPage(w http.ResponseWriter, r *http.Request) {
	flash := ""
	if r.URL.Query().Get("done") == "comment" {
		flash = "意见已提交。发布单位答复后，意见及答复将在本页公开（不含姓名和联系方式）。"
	}
	s.showPublication(w, r, http.StatusOK, nil, flash, app.CommentInput{})
}

func (s *Server) portalCommentPost(w http.ResponseWriter, r *http.Request) {
	id, err := namedID(r, "id", "公告或公示")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in := app.CommentInput{Name: r.FormValue("name"), Contact: r.FormValue("contact"), Body: r.FormValue("body")}
	c, cerr := r.Cookie(commentCSRFCookie)
	switch {
	case cerr != nil || c.Value == "" || c.Value != r.FormValue("ctoken") || !sameOrigin(r):
		// A public form: an expired or forged token is bad input, shown
		// with the form again (a fresh token is set).
		err = gengxin.Errorf(gengxin.EInvalid, "表单已过期或来源无效，请重新提交")
	default:
		if err = s.commentAllowed(r); err == nil {
			_, err = s.App.SubmitComment(r.Context(), id, in)
		}
	}
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.ENotFound || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		s.showPublication(w, r, statusOf(gengxin.ErrorCode(err)), err, "", in)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/portal/publications/%d?done=comment", id), http.StatusSeeOther)
}

type portalCommentsData struct {
	*app.PublicationView
	Comments []*store.PublicationComment
}

func (s *Server) showComments(w http.ResponseWriter, r *http.Request, u *gengxin.User, status int, perr error, flash string) {
	id, err := namedID(r, "id", "公告或公示")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, cs, err := s.App.PublicationComments(r.Context(), u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &view{D: &portalCommentsData{PublicationView: p, Comments: cs}, Title: "意见答复：" + p.Title, Active: "portal_list", Flash: flash}
	if perr != nil {
		v.Err = s.publicError(r, perr)
	}
	s.renderView(w, r, status, "portal_comments", v)
}

func (s *Server) portalCommentsPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	flash := ""
	switch r.URL.Query().Get("done") {
	case "respond":
		flash = "已答复；未设为不予公开的意见连同答复已在公示页面公开"
	case "moderate":
		flash = "已审核"
	}
	s.showComments(w, r, u, http.StatusOK, nil, flash)
}

func (s *Server) portalRespondPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	s.commentStepPost(w, r, u, "respond", func(id, cid int64) error {
		return s.App.RespondComment(r.Context(), u, id, cid, r.FormValue("response"))
	})
}

func (s *Server) portalProjectsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &homeData{Q: q.Get("q"), District: q.Get("district"), Category: q.Get("category")}
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	items, total, err := s.App.PublicSearch(r.Context(), d.Q, d.District, d.Category, page)
	d.Items, d.Total, d.Searched = items, total, true
	v := s.publicView(r, &portalProjectsData{homeData: d, Page: page, More: page*20 < total, Query: q})
	status := http.StatusOK
	if err != nil {
		v.Err, status = s.publicError(r, err), statusOf(gengxin.ErrorCode(err))
	}
	s.renderView(w, r, status, "portal_projects", v)
}

type portalProjectsData struct {
	*homeData
	Page  int
	More  bool
	Query url.Values
}

// ---- Atom feed (RFC 4287) ----

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Author  string   `xml:"author>name"`
	Summary string   `xml:"summary"`
}

type atomFeedDoc struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  string      `xml:"author>name"`
	Entries []atomEntry `xml:"entry"`
}

func (s *Server) atomFeed(w http.ResponseWriter, r *http.Request) {
	items, err := s.App.Publications(r.Context(), "", "", "", 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	base := s.App.BaseURL
	feed := atomFeedDoc{Title: "北京市城市更新信息系统 · 公告与公示", ID: base + "/feed.atom", Author: "北京市城市更新信息系统",
		Links: []atomLink{{Href: base + "/feed.atom", Rel: "self"}, {Href: base + "/portal", Rel: "alternate"}}}
	var newest time.Time
	for _, p := range items {
		if p.CreatedAt.After(newest) {
			newest = p.CreatedAt
		}
		link := fmt.Sprintf("%s/portal/publications/%d", base, p.ID)
		feed.Entries = append(feed.Entries, atomEntry{Title: "【" + p.KindLabel + "】" + p.Title, ID: link, Updated: p.CreatedAt.UTC().Format(time.RFC3339),
			Link: atomLink{Href: link}, Author: p.Issuer,
			Summary: fmt.Sprintf("%s；期限 %s 至 %s（%s）", p.Issuer, p.StartsOn, p.EndsOn, p.Citation)})
	}
	if newest.IsZero() {
		newest = calendar.DateIn(s.App.Clock.Now()).Time()
	}
	feed.Updated = newest.UTC().Format(time.RFC3339)
	b, err := xml.MarshalIndent(feed, "", " ")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write([]byte(xml.Header))
	w.Write(b)
}

// latestPublications returns the publications of the public home: those
// open or upcoming, else the latest closed ones, at most six.
func (s *Server) latestPublications(r *http.Request) []*app.PublicationView {
	var out []*app.PublicationView
	for _, st := range []string{app.PubOpen, app.PubUpcoming, app.PubClosed} {
		items, err := s.App.Publications(r.Context(), "", st, "", 6)
		if err != nil {
			s.Log.Error("home publications", "err", err)
			return out
		}
		out = append(out, items...)
		if len(out) >= 6 || (st == app.PubUpcoming && len(out) > 0) {
			break
		}
	}
	return out[:min(len(out), 6)]
}

// tokenSlot stands for the visitor's comment-form token in a cached page: 32
// characters like the token, none that HTML escaping changes.
const tokenSlot = "TOKENSLOTTOKENSLOTTOKENSLOTTOKEN"

// pageCache holds rendered public publication pages, each valid for the
// portal version and the day it was rendered at (days left change at
// midnight), and at most pageCacheTTL.
type pageCache struct {
	mu sync.Mutex
	m  map[int64]cachedPage
}

type cachedPage struct {
	body []byte
	ver  int64
	day  calendar.Date
	at   time.Time
}

// pageCacheTTL bounds how long a page may be served after a change written
// by another process (the version counter sees this process only).
const pageCacheTTL = 10 * time.Second

// pageCacheMax bounds the number of pages held.
const pageCacheMax = 1000

func (c *pageCache) get(id, ver int64, day calendar.Date) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[id]
	if !ok || p.ver != ver || p.day != day || time.Since(p.at) > pageCacheTTL {
		return nil, false
	}
	return p.body, true
}

func (c *pageCache) put(id, ver int64, day calendar.Date, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= pageCacheMax {
		c.m = map[int64]cachedPage{}
	}
	c.m[id] = cachedPage{body: b, ver: ver, day: day, at: time.Now()}
}
