package app

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/emmansun/gmsm/sm3"

	"gengxin"
	"gengxin/audit"
	"gengxin/store"
	"gengxin/totp"
	"gengxin/uscc"
)

// PasswordIterations is the PBKDF2-HMAC-SHA256 work factor (OWASP 2023
// recommends ≥ 600,000 for SHA-256; 等保 asks for a salted slow hash). Tests
// lower it.
var PasswordIterations = 600_000

// Session and lockout limits (ASVS §3; GB/T 22239 8.1.4.1): the defaults
// of the security policy, which the security administrator may only tighten
// (see Policy).
const (
	SessionIdle      = 30 * time.Minute
	AdminSessionIdle = 15 * time.Minute // the three administrators
	SessionAbsolute  = 12 * time.Hour
	MaxFailedLogins  = 5
	LockoutDuration  = 30 * time.Minute
)

// PasswordKDF is the hash new passwords get: "pbkdf2-sha256" (default) or
// "pbkdf2-sm3" (PBKDF2 over HMAC-SM3, GB/T 32905, for deployments assessed
// under GB/T 39786 that want 国密 throughout; `serve --password-kdf` or
// GENGXIN_PASSWORD_KDF). Stored hashes of either kind keep verifying, so the
// setting may change at any time.
var PasswordKDF = "pbkdf2-sha256"

// passwordHashes are the hash functions of the supported KDFs.
var passwordHashes = map[string]func() hash.Hash{"pbkdf2-sha256": sha256.New, "pbkdf2-sm3": sm3.New}

// ValidPasswordKDF reports whether name is a supported password KDF.
func ValidPasswordKDF(name string) bool { _, ok := passwordHashes[name]; return ok }

// HashPassword returns a salted PBKDF2 hash "KDF$iter$salt$key" with the
// KDF of PasswordKDF and PasswordIterations rounds.
func HashPassword(pw string) (string, error) {
	h, ok := passwordHashes[PasswordKDF]
	if !ok {
		return "", fmt.Errorf("unknown password KDF %q", PasswordKDF)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(h, pw, salt, PasswordIterations, 32)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s$%d$%s$%s", PasswordKDF, PasswordIterations, base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash (either KDF), in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 {
		return false
	}
	h, ok := passwordHashes[parts[0]]
	if !ok {
		return false
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[2])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	got, err := pbkdf2.Key(h, pw, salt, iter, len(want))
	return err == nil && subtle.ConstantTimeCompare(got, want) == 1
}

// CheckPasswordPolicy returns an EInvalid error when pw is too weak: at
// least 12 characters of at least 3 of the 4 classes (upper, lower, digit,
// other), and not a common password.
func CheckPasswordPolicy(pw string) error {
	if len([]rune(pw)) < 12 {
		return gengxin.Errorf(gengxin.EInvalid, "密码至少12位")
	}
	var up, lo, di, ot int
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			up = 1
		case unicode.IsLower(r):
			lo = 1
		case unicode.IsDigit(r):
			di = 1
		default:
			ot = 1
		}
	}
	if up+lo+di+ot < 3 {
		return gengxin.Errorf(gengxin.EInvalid, "密码应至少包含大写字母、小写字母、数字、其他字符中的三类")
	}
	low := strings.ToLower(pw)
	for _, c := range commonPasswords {
		if strings.Contains(low, c) && len(low) <= len(c)+4 {
			return gengxin.Errorf(gengxin.EInvalid, "密码过于常见，请更换")
		}
	}
	return nil
}

var commonPasswords = []string{"password", "12345678", "qwertyuiop", "admin123", "p@ssw0rd", "iloveyou", "abc123456", "1qaz2wsx", "welcome1", "beijing"}

// NewUserInput is what `gengxin user add` and the administrators' page give.
type NewUserInput struct {
	Username, DisplayName, Password string
	Role                            gengxin.Role
	District, Dept                  string
	OrgName, OrgUSCC                string
	// SkipPolicy skips the password policy (tests only). An account created
	// with it never requires a second factor.
	SkipPolicy bool
	// RequireTOTP makes the account bind a second factor (TOTP) before it
	// may sign in; it applies to staff roles only (TOTPMandatory).
	// `gengxin user add` and the system administrator's page set it for
	// every staff account; the demo and test accounts leave it off so that
	// they sign in with a password alone.
	RequireTOTP bool
	ExpiresAt   time.Time // zero: the account does not expire
}

// AddUser creates a user after checking the role's required attributes
// and the password policy in force; the event names the system as actor
// (`gengxin user add`, the demo).
func (a *App) AddUser(ctx context.Context, in NewUserInput) (*gengxin.User, error) {
	return a.addUser(ctx, nil, in)
}

func (a *App) addUser(ctx context.Context, actor *gengxin.User, in NewUserInput) (*gengxin.User, error) {
	var details []gengxin.ErrorDetail
	bad := func(field, msg string) { details = append(details, gengxin.ErrorDetail{Field: field, Message: msg}) }
	in.Username = strings.TrimSpace(in.Username)
	if in.Username == "" || len(in.Username) > 64 || strings.ContainsAny(in.Username, " \t\r\n/") {
		bad("username", "用户名不能为空、不能含空白或斜杠，且不超过64个字符")
	}
	if !in.Role.Valid() {
		bad("role", "角色无效：应为 "+rolesList())
	}
	if in.Role.IsDistrictRole() {
		if _, ok := gengxin.LookupDistrict(in.District); !ok {
			bad("district", "区级角色须指定所在区（如 朝阳区）")
		}
	} else {
		in.District = ""
	}
	if in.Role == gengxin.RoleDistrictDept && !gengxin.IsDepartment(in.Dept) {
		bad("dept", "区级行业主管部门须指定部门："+strings.Join(gengxin.Departments, "、"))
	}
	if in.Role == gengxin.RoleMunicipalDept && strings.TrimSpace(in.Dept) == "" {
		// A 市级行业主管部门 acts for its department (expert nominations,
		// green awards): without one it would speak for all of them.
		bad("dept", "市级行业主管部门须指定部门（如 经济和信息化、规划自然资源）")
	}
	if in.Role != gengxin.RoleDistrictDept && in.Role != gengxin.RoleMunicipalDept {
		in.Dept = ""
	}
	if in.Role == gengxin.RoleApplicant {
		if strings.TrimSpace(in.OrgName) == "" {
			bad("org", "申报主体须填写单位名称（--org）")
		}
		if err := uscc.Validate(in.OrgUSCC); err != nil {
			bad("uscc", err.Error())
		}
	}
	if !in.SkipPolicy {
		pol, err := a.Policy(ctx)
		if err != nil {
			return nil, err
		}
		if err := CheckPasswordPolicy(in.Password); err != nil {
			bad("password", gengxin.ErrorMessage(err))
		} else if n := len([]rune(in.Password)); n < pol.PasswordMinLength {
			bad("password", fmt.Sprintf("密码至少%d位（安全策略）", pol.PasswordMinLength))
		}
	}
	if len(details) > 0 {
		return nil, &gengxin.Error{Code: gengxin.EInvalid, Message: details[0].Message, Details: details}
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	u := &gengxin.User{Username: in.Username, DisplayName: in.DisplayName, Role: in.Role, District: in.District, Dept: in.Dept, PasswordHash: hash}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if in.Role == gengxin.RoleApplicant {
			id, err := tx.UpsertOrg(strings.TrimSpace(in.OrgName), uscc.Normalize(in.OrgUSCC))
			if err != nil {
				return err
			}
			u.OrgID, u.OrgName, u.OrgUSCC = id, strings.TrimSpace(in.OrgName), uscc.Normalize(in.OrgUSCC)
		}
		if err := tx.InsertUser(u, a.now()); err != nil {
			return err
		}
		required := in.RequireTOTP && !in.SkipPolicy && TOTPMandatory(in.Role)
		if required {
			if err := tx.SetTOTPRequired(u.ID, true); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("新增用户 %s（%s）", u.Username, u.Role.Label())
		if required {
			summary += "，须绑定动态口令"
		}
		if !in.ExpiresAt.IsZero() {
			if err := tx.SetExpiry(u.ID, in.ExpiresAt, a.now()); err != nil {
				return err
			}
			summary += "，有效期至 " + in.ExpiresAt.In(beijing).Format("2006-01-02 15:04")
		}
		return tx.AppendEvent(&gengxin.Event{At: a.now(), ActorID: actorID(actor), Actor: actorName(actor), Role: actorRole(actor), Action: "user-add", Summary: summary})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func rolesList() string {
	var s []string
	for _, r := range gengxin.Roles {
		s = append(s, string(r))
	}
	return strings.Join(s, "|")
}

// Session stages (store.Session.Stage): what the holder of a token has
// proved so far. Only StageSignedIn sessions pass Authenticate.
const (
	StageSignedIn = ""       // password, and the second factor when the account has one
	StageTOTP     = "totp"   // password; the dynamic code is due (POST /login/totp)
	StageEnroll   = "enroll" // password; the account must bind TOTP first (/account/totp)
)

// pendingLife bounds a half-finished sign-in (code or binding due).
const pendingLife = 10 * time.Minute

// ErrTOTPEnrollment is what Authenticate returns for a session whose
// account must bind a second factor before anything else; the pages send
// its holder to /account/totp.
var ErrTOTPEnrollment = &gengxin.Error{Code: gengxin.EForbidden, Message: "请先绑定动态口令（双因素认证）后再使用本系统"}

func errTOTPMissing() error {
	return gengxin.Errorf(gengxin.EUnauthorized, "缺少动态口令：该账户已启用双因素认证，请在 totp 字段提供认证器应用当前显示的6位动态口令")
}

func errTOTPWrong() error {
	return gengxin.Errorf(gengxin.EUnauthorized, "动态口令错误或已使用过：请核对手机时间，输入认证器应用当前显示的6位动态口令")
}

// TOTPMandatory reports whether accounts of role r must have a second
// factor: administrators and staff, every role but applicants and experts
// (issue 3; for them it is optional).
func TOTPMandatory(r gengxin.Role) bool {
	return r.Valid() && r != gengxin.RoleApplicant && r != gengxin.RoleExpert
}

// IsAdminRole reports whether r is one of the three administrators (三权分立).
func IsAdminRole(r gengxin.Role) bool {
	return r == gengxin.RoleSysAdmin || r == gengxin.RoleSecAdmin || r == gengxin.RoleAuditAdmin
}

// SignInResult is the outcome of a sign-in step: a session token (shown
// once; only its hash is stored), its CSRF secret, the user, and the stage
// the session is at.
type SignInResult struct {
	Token, CSRF string
	User        *gengxin.User
	Stage       string
}

// Login checks a username and password and starts a signed-in session of
// kind "cookie" or "api". It returns the token, the CSRF secret and the
// user. An account with a second factor is refused here (EUnauthorized,
// naming the missing code): use SignIn. Failures are EUnauthorized with one
// message that does not say which part was wrong; as many failures as the
// policy's threshold (5) lock the account (30 minutes).
func (a *App) Login(ctx context.Context, username, password, kind, ip string) (token, csrf string, u *gengxin.User, err error) {
	res, err := a.signIn(ctx, username, password, "", kind, ip, false)
	if err != nil {
		return "", "", nil, err
	}
	return res.Token, res.CSRF, res.User, nil
}

// SignIn is the first step of signing in: username, password and, for an
// account with a second factor, the dynamic code (RFC 6238; ±30 s; a code
// already used is refused). For kind "api" the code must come with the
// password: without it the answer is EUnauthorized naming the missing code,
// and an account that must still bind a second factor is refused. For kind
// "cookie" a missing code starts a StageTOTP session (finish it with
// CompleteTOTP) and an unbound staff account a StageEnroll session (finish
// it with ConfirmTOTP). Wrong codes count as failed logins.
func (a *App) SignIn(ctx context.Context, username, password, code, kind, ip string) (*SignInResult, error) {
	return a.signIn(ctx, username, password, code, kind, ip, kind == "cookie")
}

func (a *App) signIn(ctx context.Context, username, password, code, kind, ip string, allowPending bool) (*SignInResult, error) {
	fail := gengxin.Errorf(gengxin.EUnauthorized, "用户名或密码错误")
	r := a.DB.Read(ctx)
	acc, err := r.AccountByName(strings.TrimSpace(username))
	if err != nil {
		// Even out timing: an unknown name costs what a real check costs (the
		// same KDF and work factor), so the answer time does not tell which
		// usernames exist (ASVS §2.2; it was 1,000 rounds against 600,000).
		CheckPassword(fmt.Sprintf("%s$%d$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", PasswordKDF, PasswordIterations), password)
		a.audit(ctx, nil, "login-failed", "登录失败：用户名 "+clip(username, 64)+"，来源 "+ip)
		return nil, fail
	}
	u := acc.User
	now := a.now()
	pol, err := a.Policy(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.checkLock(ctx, u, now, ip); err != nil {
		return nil, err
	}
	if u.Disabled || acc.Expired(now) || !CheckPassword(u.PasswordHash, password) {
		a.loginFailed(ctx, u, pol, now, "登录失败，来源 "+ip)
		return nil, fail
	}
	switch {
	case acc.TOTPEnrolled() && code != "":
		step, ok := verifyTOTP(acc, code, now)
		if !ok {
			a.loginFailed(ctx, u, pol, now, "动态口令错误，来源 "+ip)
			return nil, errTOTPWrong()
		}
		return a.startSession(ctx, u, kind, StageSignedIn, pol, step, "", "登录成功（密码+动态口令），来源 "+ip)
	case acc.TOTPEnrolled():
		if !allowPending {
			a.audit(ctx, u, "login-totp-missing", "密码正确但未提供动态口令，来源 "+ip)
			return nil, errTOTPMissing()
		}
		return a.startSession(ctx, u, kind, StageTOTP, pol, 0, "", "密码验证通过，等待动态口令，来源 "+ip)
	case acc.TOTPRequired:
		if !allowPending {
			a.audit(ctx, u, "login-totp-unbound", "账户须先绑定动态口令，接口登录被拒绝，来源 "+ip)
			return nil, gengxin.Errorf(gengxin.EUnauthorized, "账户须先绑定动态口令（双因素认证）：请先在网页登录，按提示完成绑定后再使用接口")
		}
		return a.startSession(ctx, u, kind, StageEnroll, pol, 0, "", "密码验证通过，须先绑定动态口令，来源 "+ip)
	}
	return a.startSession(ctx, u, kind, StageSignedIn, pol, 0, "", "登录成功，来源 "+ip)
}

// CompleteTOTP is the second step of a page sign-in: the dynamic code for
// the StageTOTP session of pending. On success that session ends and a
// signed-in one with a new token starts. A wrong code is EUnauthorized and
// counts as a failed login; when it locks the account, or the pending
// session is unknown or older than 10 minutes, the pending session ends and
// the user must start again.
func (a *App) CompleteTOTP(ctx context.Context, pending, code, ip string) (*SignInResult, error) {
	again := gengxin.Errorf(gengxin.EUnauthorized, "登录已超时，请重新输入用户名和密码")
	r := a.DB.Read(ctx)
	s, err := r.SessionByHash(TokenHash(pending))
	if err != nil {
		return nil, again
	}
	now := a.now()
	if s.Stage != StageTOTP || now.After(s.ExpiresAt) {
		if s.Stage == StageTOTP {
			r.DeleteSession(s.TokenHash)
		}
		return nil, again
	}
	acc, err := r.Account(s.UserID)
	if err != nil {
		return nil, again
	}
	u := acc.User
	if u.Disabled || acc.Expired(now) || !acc.TOTPEnrolled() {
		r.DeleteSession(s.TokenHash)
		return nil, again
	}
	pol, err := a.Policy(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.checkLock(ctx, u, now, ip); err != nil {
		r.DeleteSession(s.TokenHash)
		return nil, err
	}
	step, ok := verifyTOTP(acc, code, now)
	if !ok {
		if a.loginFailed(ctx, u, pol, now, "动态口令错误，来源 "+ip) {
			r.DeleteSession(s.TokenHash)
			return nil, gengxin.Errorf(gengxin.EUnauthorized, "连续登录失败次数过多，账户已锁定，请稍后再试")
		}
		return nil, errTOTPWrong()
	}
	return a.startSession(ctx, u, s.Kind, StageSignedIn, pol, step, s.TokenHash, "登录成功（密码+动态口令），来源 "+ip)
}

func verifyTOTP(acc *store.Account, code string, now time.Time) (int64, bool) {
	secret, err := totp.DecodeSecret(acc.TOTPSecret)
	if err != nil {
		return 0, false
	}
	return totp.Verify(secret, code, now, acc.TOTPLastStep)
}

// checkLock refuses a locked account (audited).
func (a *App) checkLock(ctx context.Context, u *gengxin.User, now time.Time, ip string) error {
	_, lockedUntil, err := a.DB.Read(ctx).LoginState(u.ID)
	if err != nil {
		return err
	}
	if now.Before(lockedUntil) {
		a.audit(ctx, u, "login-locked", "账户锁定期间尝试登录，来源 "+ip)
		return gengxin.Errorf(gengxin.EUnauthorized, "连续登录失败次数过多，账户已锁定至 %s，请稍后再试", lockedUntil.In(beijing).Format("15:04"))
	}
	return nil
}

// loginFailed counts a failed password or code and locks the account at
// the policy's threshold; it reports whether it locked it.
func (a *App) loginFailed(ctx context.Context, u *gengxin.User, pol Policy, now time.Time, msg string) bool {
	var locked bool
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		failed, _, err := tx.LoginState(u.ID)
		if err != nil {
			return err
		}
		failed++
		var until time.Time
		locked = failed >= pol.LockoutThreshold
		if locked {
			until, failed = now.Add(time.Duration(pol.LockoutMinutes)*time.Minute), 0
			msg = fmt.Sprintf("连续%d次登录失败，账户锁定%d分钟（%s）", pol.LockoutThreshold, pol.LockoutMinutes, msg)
		}
		if err := tx.SetLoginState(u.ID, failed, until); err != nil {
			return err
		}
		return tx.AppendEvent(&gengxin.Event{At: now, ActorID: u.ID, Actor: u.Username, Role: string(u.Role), Action: "login-failed", Summary: msg})
	})
	if err != nil {
		a.Log.Error("recording a failed login", "user", u.Username, "err", err)
	}
	return locked
}

// startSession starts a session of the stage for u in one transaction with
// its event: a signed-in session resets the failure count, lives the
// policy's idle and absolute limits and, when step > 0, uses that TOTP step
// (a concurrent replay fails); a pending one lives 10 minutes. replace, if
// set, is the hash of a pending session it ends.
func (a *App) startSession(ctx context.Context, u *gengxin.User, kind, stage string, pol Policy, step int64, replace, summary string) (*SignInResult, error) {
	now := a.now()
	token, csrf := randomToken(), randomToken()
	sess := &store.Session{TokenHash: TokenHash(token), UserID: u.ID, CSRF: csrf, Kind: kind, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(pol.Absolute()), Stage: stage, Idle: pol.IdleFor(u.Role)}
	action := "login"
	if stage != StageSignedIn {
		sess.ExpiresAt, sess.Idle, action = now.Add(pendingLife), pendingLife, "login-password"
	}
	err := a.DB.Tx(ctx, func(tx *store.Tx) error {
		if step > 0 {
			if err := tx.UseTOTPStep(u.ID, step); err != nil {
				return err
			}
		}
		if replace != "" {
			if err := tx.DeleteSession(replace); err != nil {
				return err
			}
		}
		if stage == StageSignedIn {
			if err := tx.SetLoginState(u.ID, 0, time.Time{}); err != nil {
				return err
			}
		}
		if err := tx.InsertSession(sess); err != nil {
			return err
		}
		return tx.AppendEvent(&gengxin.Event{At: now, ActorID: u.ID, Actor: u.Username, Role: string(u.Role), Action: action, Summary: summary})
	})
	if err != nil {
		return nil, err
	}
	return &SignInResult{Token: token, CSRF: csrf, User: u, Stage: stage}, nil
}

// Authenticate returns the user and session of a signed-in token, or
// EUnauthorized when it is unknown, idle for longer than its limit (15
// minutes for administrators, 30 for others, by the policy), past its
// absolute end (12 hours), half-way through a sign-in, or its account is
// disabled or expired (the account's sessions then end). A session whose
// account must still bind a second factor gets ErrTOTPEnrollment. It
// records the activity.
func (a *App) Authenticate(ctx context.Context, token string) (*gengxin.User, *store.Session, error) {
	u, s, err := a.AuthenticateStage(ctx, token, StageSignedIn, StageEnroll)
	if err != nil {
		return nil, nil, err
	}
	if s.Stage == StageEnroll {
		return nil, nil, ErrTOTPEnrollment
	}
	return u, s, nil
}

// AuthenticateStage is Authenticate for sessions at any of the stages
// (the binding page accepts StageEnroll sessions too).
func (a *App) AuthenticateStage(ctx context.Context, token string, stages ...string) (*gengxin.User, *store.Session, error) {
	if token == "" {
		return nil, nil, gengxin.Errorf(gengxin.EUnauthorized, "请先登录")
	}
	r := a.DB.Read(ctx)
	s, err := r.SessionByHash(TokenHash(token))
	if err != nil {
		return nil, nil, err
	}
	if !slices.Contains(stages, s.Stage) {
		return nil, nil, gengxin.Errorf(gengxin.EUnauthorized, "请先完成登录")
	}
	now := a.now()
	idle := s.Idle
	if idle <= 0 {
		idle = SessionIdle
	}
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeen) > idle {
		r.DeleteSession(s.TokenHash)
		return nil, nil, gengxin.Errorf(gengxin.EUnauthorized, "登录已超时，请重新登录")
	}
	acc, err := r.Account(s.UserID)
	if err != nil || acc.Disabled || acc.Expired(now) {
		if err == nil {
			r.DeleteSessions(acc.ID)
		}
		return nil, nil, gengxin.Errorf(gengxin.EUnauthorized, "账户不可用，请联系管理员")
	}
	if now.Sub(s.LastSeen) > time.Minute {
		r.TouchSession(s.TokenHash, now)
	}
	return acc.User, s, nil
}

// Logout ends the session on the server.
func (a *App) Logout(ctx context.Context, token string) error {
	return a.DB.Read(ctx).DeleteSession(TokenHash(token))
}

// TokenHash returns the hex SHA-256 of a session token: what is stored.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

var beijing = time.FixedZone("CST", 8*3600)

// audit records a security event (a login failure, a denial, a read of
// personal data) outside any business transaction. The request being over
// does not stop it (context.WithoutCancel keeps the source address but not
// the cancellation); a failed write is retried, and if it still fails the
// whole record goes to the error log so that it is not lost. The result is
// audit.DefaultResult(action) unless the action is "denied".
func (a *App) audit(ctx context.Context, u *gengxin.User, action, summary string) {
	a.auditEvent(ctx, gengxin.Event{ActorID: actorID(u), Actor: anonActor(u), Role: anonRole(u), Action: action, Summary: summary})
}

func (a *App) auditEvent(ctx context.Context, e gengxin.Event) {
	ctx = context.WithoutCancel(ctx)
	e.At = a.now()
	var err error
	for try := 0; try < 3; try++ {
		ev := e
		if err = a.DB.Tx(ctx, func(tx *store.Tx) error { return tx.AppendEvent(&ev) }); err == nil {
			return
		}
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	a.Log.Error("audit write failed", "err", err, "at", e.At.Format(gengxin.TimeLayout), "actor", e.Actor, "role", e.Role,
		"action", e.Action, "project", e.ProjectID, "summary", e.Summary, "source", audit.Source(ctx))
}
