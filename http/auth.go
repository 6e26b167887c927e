package http

import (
	"cmp"
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/store"
)

const (
	cookieName      = "gengxin_session"
	cookieNameHost  = "__Host-gengxin_session"
	loginCSRFCookie = "gengxin_login"
)

// secure reports whether the request came over TLS (directly or through a
// proxy that says so); session cookies are then __Host- and Secure.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func sessionCookieName(r *http.Request) string {
	if secure(r) {
		return cookieNameHost
	}
	return cookieName
}

// token returns the session token of a request: the Bearer token of the API,
// or the session cookie of the pages.
func token(r *http.Request) (tok string, bearer bool) {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")), true
	}
	if c, err := r.Cookie(sessionCookieName(r)); err == nil {
		return c.Value, false
	}
	return "", false
}

// authed wraps a handler that needs a signed-in user. For cookie sessions,
// unsafe methods must carry the session's CSRF token (form field "csrf" or
// header X-CSRF-Token) and come from this origin.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, u *gengxin.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, bearer := token(r)
		if isAPI(r) && !s.limiter.allow("api:"+s.clientIP(r), cmp.Or(s.APIPerMinute, DefaultAPIPerMinute), time.Minute) {
			s.fail(w, r, gengxin.Errorf(gengxin.ETooMany, "请求过于频繁，请稍后再试"))
			return
		}
		u, sess, err := s.App.Authenticate(r.Context(), tok)
		if errors.Is(err, app.ErrTOTPEnrollment) && !isAPI(r) {
			s.enrollFirst(w, r, tok)
			return
		}
		if err != nil {
			if !bearer && tok != "" {
				http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
			}
			s.fail(w, r, err)
			return
		}
		if !bearer && r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := checkCSRF(r, sess); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), userKey{}, u)
		ctx = context.WithValue(ctx, sessKey{}, sess)
		if r.Method == http.MethodPost && isAPI(r) && r.Header.Get(IdempotencyHeader) != "" {
			s.idempotent(w, r.WithContext(ctx), u, h)
			return
		}
		h(w, r.WithContext(ctx), u)
	}
}

// checkCSRF refuses cross-origin posts and posts without the session's token.
func checkCSRF(r *http.Request, sess *store.Session) error {
	if !sameOrigin(r) {
		return gengxin.Errorf(gengxin.EForbidden, "跨站请求已被拒绝")
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.FormValue("csrf")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
		return gengxin.Errorf(gengxin.EForbidden, "页面已过期或请求来源无效（CSRF 校验失败），请刷新页面后重试")
	}
	return nil
}

// sameOrigin checks Origin (or Referer) against the Host when present.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		o = r.Header.Get("Referer")
	}
	if o == "" {
		return true // non-browser clients; the CSRF token still applies
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

func sessionOf(r *http.Request) *store.Session {
	s, _ := r.Context().Value(sessKey{}).(*store.Session)
	return s
}

// optionalUser returns the signed-in user of a public page, or nil.
func (s *Server) optionalUser(r *http.Request) (*gengxin.User, *store.Session) {
	tok, _ := token(r)
	if tok == "" {
		return nil, nil
	}
	u, sess, err := s.App.Authenticate(r.Context(), tok)
	if err != nil {
		return nil, nil
	}
	return u, sess
}

// enrollFirst answers a request of a session whose account must bind a
// second factor before anything else: pages go to /account/totp, logout
// ends the session, any other post is refused.
func (s *Server) enrollFirst(w http.ResponseWriter, r *http.Request, tok string) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/account/totp?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if r.URL.Path == "/logout" {
		_, sess, err := s.App.AuthenticateStage(r.Context(), tok, app.StageEnroll)
		if err == nil {
			err = checkCSRF(r, sess)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.App.Logout(r.Context(), tok)
		http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure(r)})
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.fail(w, r, app.ErrTOTPEnrollment)
}
