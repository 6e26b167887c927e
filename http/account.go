package http

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
)

// accountRoutes registers the account, second-factor and user-administration
// pages and API (issue 3).
func (s *Server) accountRoutes() {
	m := s.mux
	// The second step of a page sign-in (a StageTOTP session).
	m.HandleFunc("GET /login/totp", s.loginTOTPPage)
	m.HandleFunc("POST /login/totp", s.loginTOTPPost)
	// Binding a second factor: signed-in users and StageEnroll sessions.
	m.HandleFunc("GET /account/totp", s.enrolling(s.accountTOTPPage))
	m.HandleFunc("POST /account/totp", s.enrolling(s.accountTOTPPost))
	// 三权分立: the system and the security administrator.
	m.HandleFunc("GET /admin/users", s.authed(s.adminUsersPage))
	m.HandleFunc("POST /admin/users", s.authed(s.adminUsersPost))
	m.HandleFunc("GET /admin/security", s.authed(s.adminSecurityPage))
	m.HandleFunc("POST /admin/security", s.authed(s.adminSecurityPost))
	m.HandleFunc("POST /admin/users/{id}/{op}", s.authed(s.adminUserOpPost))
}

// ---- sign-in, second step ----

type loginTOTPData struct {
	Next, CSRF string
}

// pendingTOTP returns the StageTOTP session of the request's cookie.
func (s *Server) pendingTOTP(r *http.Request) (string, string, bool) {
	c, err := r.Cookie(sessionCookieName(r))
	if err != nil || c.Value == "" {
		return "", "", false
	}
	_, sess, err := s.App.AuthenticateStage(r.Context(), c.Value, app.StageTOTP)
	if err != nil {
		return "", "", false
	}
	return c.Value, sess.CSRF, true
}

func (s *Server) loginTOTPPage(w http.ResponseWriter, r *http.Request) {
	_, csrf, ok := s.pendingTOTP(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login_totp", &loginTOTPData{Next: safeNext(r.URL.Query().Get("next")), CSRF: csrf})
}

func (s *Server) loginTOTPPost(w http.ResponseWriter, r *http.Request) {
	d := &loginTOTPData{Next: safeNext(r.FormValue("next"))}
	tok, csrf, ok := s.pendingTOTP(r)
	if !ok {
		s.renderLoginAgain(w, r, d.Next, gengxin.Errorf(gengxin.EUnauthorized, "登录已超时，请重新输入用户名和密码"))
		return
	}
	d.CSRF = csrf
	if !sameOrigin(r) || r.FormValue("csrf") != csrf {
		s.renderView(w, r, http.StatusForbidden, "login_totp", &view{D: d, Err: gengxin.Errorf(gengxin.EForbidden, "页面已过期或请求来源无效，请重新输入")})
		return
	}
	if !s.limiter.allow("login:"+s.clientIP(r), 20, time.Minute) {
		s.renderView(w, r, http.StatusTooManyRequests, "login_totp", &view{D: d, Err: gengxin.Errorf(gengxin.ETooMany, "登录尝试过于频繁，请一分钟后再试")})
		return
	}
	res, err := s.App.CompleteTOTP(r.Context(), tok, r.FormValue("code"), s.clientIP(r))
	if err != nil {
		if _, _, still := s.pendingTOTP(r); !still {
			s.renderLoginAgain(w, r, d.Next, err)
			return
		}
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "login_totp", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	setSessionCookie(w, r, res.Token)
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// renderLoginAgain shows the login form with err (a pending sign-in ended).
func (s *Server) renderLoginAgain(w http.ResponseWriter, r *http.Request, next string, err error) {
	tok := newID() + newID()
	http.SetCookie(w, &http.Cookie{Name: loginCSRFCookie, Value: tok, Path: "/login", HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
	s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "login", &view{D: &loginData{Next: next, LoginCSRF: tok}, Err: s.publicError(r, err)})
}

// setSessionCookie sets the session cookie (__Host- and Secure over TLS).
func setSessionCookie(w http.ResponseWriter, r *http.Request, tok string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookieName(r), Value: tok, Path: "/", HttpOnly: true, Secure: secure(r), SameSite: http.SameSiteLaxMode})
}

// ---- binding a second factor ----

// enrolling is authed for the binding page: it also admits a session whose
// account must bind a second factor before anything else (StageEnroll).
func (s *Server) enrolling(h func(w http.ResponseWriter, r *http.Request, u *gengxin.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, bearer := token(r)
		if bearer {
			s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "动态口令只能在网页上绑定"))
			return
		}
		u, sess, err := s.App.AuthenticateStage(r.Context(), tok, app.StageSignedIn, app.StageEnroll)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := checkCSRF(r, sess); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), userKey{}, u)
		ctx = context.WithValue(ctx, sessKey{}, sess)
		h(w, r.WithContext(ctx), u)
	}
}

type accountTOTPData struct {
	*app.TOTPEnrollment
	Enrolling bool // the sign-in sent the user here
	Next      string
	Groups    []string // the secret in groups of four, for typing
}

func (s *Server) accountTOTPView(r *http.Request, u *gengxin.User) (*accountTOTPData, error) {
	e, err := s.App.BeginTOTP(r.Context(), u)
	if err != nil {
		return nil, err
	}
	d := &accountTOTPData{TOTPEnrollment: e, Enrolling: sessionOf(r).Stage == app.StageEnroll, Next: safeNext(r.FormValue("next"))}
	for sec := e.Secret; sec != ""; {
		n := min(4, len(sec))
		d.Groups, sec = append(d.Groups, sec[:n]), sec[n:]
	}
	return d, nil
}

func (s *Server) accountTOTPPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	d, err := s.accountTOTPView(r, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := &view{D: d}
	if r.URL.Query().Get("done") == "1" {
		v.Flash = "动态口令已绑定；今后登录时须输入认证器应用显示的6位动态口令"
	}
	s.renderView(w, r, http.StatusOK, "account_totp", v)
}

func (s *Server) accountTOTPPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	res, err := s.App.ConfirmTOTP(r.Context(), u, sessionOf(r), r.FormValue("code"), s.clientIP(r))
	if err != nil {
		d, verr := s.accountTOTPView(r, u)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		s.renderView(w, r, statusOf(gengxin.ErrorCode(err)), "account_totp", &view{D: d, Err: s.publicError(r, err)})
		return
	}
	if res.Token != "" {
		setSessionCookie(w, r, res.Token)
		http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/account/totp?done=1", http.StatusSeeOther)
}

// ---- 三权分立: user administration and security policy ----

type adminUsersData struct {
	Accounts []app.AccountInfo
	In       app.NewUserInput
	Expires  string
	Roles    []gengxin.Role // the roles a page may create (not the administrators)
	Policy   app.Policy
	Me       int64
}

func (s *Server) adminData(r *http.Request, u *gengxin.User) (*adminUsersData, error) {
	accs, err := s.App.Accounts(r.Context(), u)
	if err != nil {
		return nil, err
	}
	d := &adminUsersData{Accounts: accs, Me: u.ID}
	for _, role := range gengxin.Roles {
		if !app.IsAdminRole(role) {
			d.Roles = append(d.Roles, role)
		}
	}
	return d, nil
}

// adminPage renders the administrator's own page: users for the system
// administrator, security for the security administrator.
func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, u *gengxin.User, name string, status int, d *adminUsersData, perr error) {
	if d == nil {
		var err error
		if d, err = s.adminData(r, u); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if name == "admin_security" {
		pol, err := s.App.Policy(r.Context())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Policy == (app.Policy{}) {
			d.Policy = pol
		}
	}
	v := &view{D: d}
	if perr != nil {
		v.Err = s.publicError(r, perr)
	}
	if done := r.URL.Query().Get("done"); done != "" {
		v.Flash = doneLabels[done]
	}
	s.renderView(w, r, status, name, v)
}

var doneLabels = map[string]string{"create": "已新增账户", "disable": "已停用账户（其会话已全部结束）", "enable": "已启用账户",
	"expiry": "已设置账户有效期", "reset-totp": "已重置动态口令（其会话已全部结束；须绑定者下次登录时重新绑定）",
	"require-totp": "已更新动态口令要求", "policy": "已保存安全策略"}

func (s *Server) adminUsersPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if err := app.CanAdminister(u, app.OpCreateUser, &gengxin.User{Role: gengxin.RoleApplicant}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.adminPage(w, r, u, "admin_users", http.StatusOK, nil, nil)
}

func (s *Server) adminSecurityPage(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	if err := app.CanAdminister(u, app.OpSetPolicy, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	s.adminPage(w, r, u, "admin_security", http.StatusOK, nil, nil)
}

func (s *Server) adminUsersPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	in := app.NewUserInput{Username: r.FormValue("username"), DisplayName: strings.TrimSpace(r.FormValue("name")), Password: r.FormValue("password"),
		Role: gengxin.Role(r.FormValue("role")), District: r.FormValue("district"), Dept: r.FormValue("dept"),
		OrgName: r.FormValue("org"), OrgUSCC: strings.TrimSpace(r.FormValue("uscc"))}
	expires := strings.TrimSpace(r.FormValue("expires"))
	var err error
	if expires != "" {
		var day calendar.Date
		if day, err = calendar.ParseDate(expires); err != nil {
			err = gengxin.Errorf(gengxin.EInvalid, "有效期应为日期（YYYY-MM-DD）")
		} else {
			in.ExpiresAt = time.Date(day.Year, day.Month, day.Day+1, 0, 0, 0, 0, calendar.Beijing)
		}
	}
	if err == nil {
		_, err = s.App.CreateUser(r.Context(), u, in)
	}
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.EForbidden || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		d, derr := s.adminData(r, u)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		in.Password = ""
		d.In, d.Expires = in, expires
		s.adminPage(w, r, u, "admin_users", statusOf(gengxin.ErrorCode(err)), d, err)
		return
	}
	http.Redirect(w, r, "/admin/users?done=create", http.StatusSeeOther)
}

func (s *Server) adminSecurityPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	// Only the security administrator sets the policy; decided before the form is read.
	if u.Role != gengxin.RoleSecAdmin {
		s.fail(w, r, gengxin.Errorf(gengxin.EForbidden, "只有安全管理员可以修改安全策略"))
		return
	}
	var p app.Policy
	var ferr error
	for _, f := range []struct {
		name string
		to   *int
	}{{"lockout_threshold", &p.LockoutThreshold}, {"lockout_minutes", &p.LockoutMinutes}, {"password_min_length", &p.PasswordMinLength},
		{"admin_idle_minutes", &p.AdminIdleMinutes}, {"idle_minutes", &p.IdleMinutes}, {"absolute_hours", &p.AbsoluteHours}} {
		n, err := strconv.Atoi(strings.TrimSpace(r.FormValue(f.name)))
		if err != nil && ferr == nil {
			ferr = gengxin.Errorf(gengxin.EInvalid, "「%s」应为整数", f.name)
		}
		*f.to = n
	}
	if ferr == nil {
		ferr = s.App.SetPolicy(r.Context(), u, p)
	}
	if ferr != nil {
		if c := gengxin.ErrorCode(ferr); c == gengxin.EForbidden || c == gengxin.EInternal {
			s.fail(w, r, ferr)
			return
		}
		d, err := s.adminData(r, u)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Policy = p
		s.adminPage(w, r, u, "admin_security", statusOf(gengxin.ErrorCode(ferr)), d, ferr)
		return
	}
	http.Redirect(w, r, "/admin/security?done=policy", http.StatusSeeOther)
}

func (s *Server) adminUserOpPost(w http.ResponseWriter, r *http.Request, u *gengxin.User) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	op := r.PathValue("op")
	switch op {
	case "disable", "enable":
		err = s.App.SetDisabled(ctx, u, id, op == "disable")
	case "expiry":
		var day time.Time
		if v := strings.TrimSpace(r.FormValue("expires")); v != "" {
			d, perr := calendar.ParseDate(v)
			if perr != nil {
				err = gengxin.Errorf(gengxin.EInvalid, "有效期应为日期（YYYY-MM-DD）")
				break
			}
			day = time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, calendar.Beijing)
		}
		err = s.App.SetExpiry(ctx, u, id, day)
	case "reset-totp":
		err = s.App.ResetTOTP(ctx, u, id)
	case "require-totp":
		err = s.App.SetTOTPRequired(ctx, u, id, r.FormValue("required") == "1")
	default:
		err = gengxin.Errorf(gengxin.ENotFound, "页面不存在")
	}
	page := "admin_users"
	if u.Role == gengxin.RoleSecAdmin {
		page = "admin_security"
	}
	if err != nil {
		if c := gengxin.ErrorCode(err); c == gengxin.EForbidden || c == gengxin.ENotFound || c == gengxin.EInternal {
			s.fail(w, r, err)
			return
		}
		s.adminPage(w, r, u, page, statusOf(gengxin.ErrorCode(err)), nil, err)
		return
	}
	http.Redirect(w, r, "/"+strings.Replace(page, "_", "/", 1)+"?done="+url.QueryEscape(op), http.StatusSeeOther)
}
