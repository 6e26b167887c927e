package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/totp"
)

const strongPW = "Str0ng-Passw0rd!"

// addAccount creates an account the way `gengxin user add` does (password
// policy, second factor required for staff roles).
func addAccount(t *testing.T, f *fixture, username string, role gengxin.Role) *gengxin.User {
	t.Helper()
	in := app.NewUserInput{Username: username, Role: role, Password: strongPW, RequireTOTP: true}
	if role.IsDistrictRole() {
		in.District = "朝阳区"
	}
	if role == gengxin.RoleDistrictDept {
		in.Dept = "发展改革"
	}
	u, err := f.AddUser(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func hasEvent(t *testing.T, f *fixture, action string) bool {
	t.Helper()
	evs, err := f.DB.Read(ctx).Events(0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Action == action {
			return true
		}
	}
	return false
}

func TestTOTPSignIn(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			u := addAccount(t, f, "cy-new", gengxin.RoleDistrictRenewal)

			// The API refuses an account that has not bound its second factor.
			_, err := f.SignIn(ctx, "cy-new", strongPW, "", "api", "10.0.0.1")
			wantCode(t, err, gengxin.EUnauthorized)
			if !strings.Contains(gengxin.ErrorMessage(err), "绑定动态口令") {
				t.Fatalf("api unbound: %v", err)
			}
			// The page sends it to the binding before anything else.
			res, err := f.SignIn(ctx, "cy-new", strongPW, "", "cookie", "10.0.0.1")
			if err != nil || res.Stage != app.StageEnroll {
				t.Fatalf("cookie sign-in: %+v %v", res, err)
			}
			if _, _, err := f.Authenticate(ctx, res.Token); !errors.Is(err, app.ErrTOTPEnrollment) {
				t.Fatalf("enroll session passes Authenticate: %v", err)
			}
			_, sess, err := f.AuthenticateStage(ctx, res.Token, app.StageSignedIn, app.StageEnroll)
			if err != nil {
				t.Fatal(err)
			}
			e, err := f.BeginTOTP(ctx, u)
			if err != nil || e.Enrolled || !e.Required || e.Secret == "" || !strings.HasPrefix(e.URI, "otpauth://totp/") {
				t.Fatalf("begin: %+v %v", e, err)
			}
			if again, _ := f.BeginTOTP(ctx, u); again.Secret != e.Secret {
				t.Fatal("the secret on offer changed on reload")
			}
			secret, _ := totp.DecodeSecret(e.Secret)
			_, err = f.ConfirmTOTP(ctx, u, sess, totp.Code(secret, f.clock.T.Add(5*time.Minute)), "10.0.0.1")
			wantCode(t, err, gengxin.EInvalid)
			code := totp.Code(secret, f.clock.T)
			done, err := f.ConfirmTOTP(ctx, u, sess, code, "10.0.0.1")
			if err != nil || done.Token == "" || done.Token == res.Token {
				t.Fatalf("confirm: %+v %v", done, err)
			}
			if _, _, err := f.Authenticate(ctx, res.Token); err == nil {
				t.Fatal("the enroll token survived")
			}
			if _, _, err := f.Authenticate(ctx, done.Token); err != nil {
				t.Fatalf("new token: %v", err)
			}
			if !hasEvent(t, f, "totp-enroll") {
				t.Error("no totp-enroll event")
			}

			// Now the code is part of every sign-in.
			_, err = f.SignIn(ctx, "cy-new", strongPW, "", "api", "10.0.0.1")
			if gengxin.ErrorCode(err) != gengxin.EUnauthorized || !strings.Contains(gengxin.ErrorMessage(err), "缺少动态口令") {
				t.Fatalf("api without code: %v", err)
			}
			if _, _, _, err := f.Login(ctx, "cy-new", strongPW, "api", "10.0.0.1"); err == nil {
				t.Fatal("Login without code passed")
			}
			// The code that bound the factor cannot be replayed.
			if _, err := f.SignIn(ctx, "cy-new", strongPW, code, "api", "10.0.0.1"); gengxin.ErrorCode(err) != gengxin.EUnauthorized {
				t.Fatalf("replay: %v", err)
			}
			f.clock.T = f.clock.T.Add(30 * time.Second)
			next := totp.Code(secret, f.clock.T)
			if r, err := f.SignIn(ctx, "cy-new", strongPW, next, "api", "10.0.0.1"); err != nil || r.Stage != app.StageSignedIn {
				t.Fatalf("api with code: %+v %v", r, err)
			}
			if _, err := f.SignIn(ctx, "cy-new", strongPW, next, "api", "10.0.0.1"); err == nil {
				t.Fatal("same code accepted twice")
			}

			// Pages: password first, then the code.
			f.clock.T = f.clock.T.Add(30 * time.Second)
			p, err := f.SignIn(ctx, "cy-new", strongPW, "", "cookie", "10.0.0.1")
			if err != nil || p.Stage != app.StageTOTP {
				t.Fatalf("cookie step 1: %+v %v", p, err)
			}
			if _, _, err := f.Authenticate(ctx, p.Token); err == nil {
				t.Fatal("pending session passes Authenticate")
			}
			if _, err := f.CompleteTOTP(ctx, p.Token, "12345", "10.0.0.1"); err == nil {
				t.Fatal("bad code accepted")
			}
			full, err := f.CompleteTOTP(ctx, p.Token, totp.Code(secret, f.clock.T), "10.0.0.1")
			if err != nil || full.Token == p.Token {
				t.Fatalf("step 2: %+v %v", full, err)
			}
			if _, err := f.CompleteTOTP(ctx, p.Token, totp.Code(secret, f.clock.T.Add(30*time.Second)), "10.0.0.1"); err == nil {
				t.Fatal("pending session reused")
			}
			if _, _, err := f.Authenticate(ctx, full.Token); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWrongCodesLock(t *testing.T) {
	f := newFixture(t, store.SQLite)
	sec := addAccount(t, f, "sec", gengxin.RoleSecAdmin)
	u := addAccount(t, f, "cy-new", gengxin.RoleDistrictRenewal)
	res, _ := f.SignIn(ctx, "cy-new", strongPW, "", "cookie", "ip")
	_, sess, _ := f.AuthenticateStage(ctx, res.Token, app.StageEnroll)
	e, _ := f.BeginTOTP(ctx, u)
	secret, _ := totp.DecodeSecret(e.Secret)
	if _, err := f.ConfirmTOTP(ctx, u, sess, totp.Code(secret, f.clock.T), "ip"); err != nil {
		t.Fatal(err)
	}
	wrong := func() string { // a code that is not valid now, nor a step either side
		return totp.Code(secret, f.clock.T.Add(10*time.Minute))
	}
	// A correct password does not reset the count while the code is wrong.
	for i := range app.MaxFailedLogins {
		p, err := f.SignIn(ctx, "cy-new", strongPW, "", "cookie", "ip")
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if _, err := f.CompleteTOTP(ctx, p.Token, wrong(), "ip"); err == nil {
			t.Fatal("wrong code accepted")
		}
	}
	f.clock.T = f.clock.T.Add(time.Minute)
	if _, err := f.SignIn(ctx, "cy-new", strongPW, totp.Code(secret, f.clock.T), "api", "ip"); err == nil || !strings.Contains(gengxin.ErrorMessage(err), "锁定") {
		t.Fatalf("not locked after wrong codes: %v", err)
	}
	// The security administrator resets the factor: sessions end, and the
	// account binds a new one at its next sign-in (after the lock).
	f.clock.T = f.clock.T.Add(31 * time.Minute)
	secSess, err := f.SignIn(ctx, "sec", strongPW, "", "cookie", "ip")
	if err != nil || secSess.Stage != app.StageEnroll {
		t.Fatalf("sec sign-in: %+v %v", secSess, err)
	}
	if err := f.ResetTOTP(ctx, sec, u.ID); err != nil {
		t.Fatal(err)
	}
	if r, err := f.SignIn(ctx, "cy-new", strongPW, "", "cookie", "ip"); err != nil || r.Stage != app.StageEnroll {
		t.Fatalf("after reset: %+v %v", r, err)
	}
	if !hasEvent(t, f, "user-reset-totp") {
		t.Error("no reset event")
	}
}

func TestSessionLimitsExpiryAndDisable(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newFixture(t, d)
			add := func(name string, role gengxin.Role) *gengxin.User {
				u, err := f.AddUser(ctx, app.NewUserInput{Username: name, Role: role, Password: strongPW, District: "朝阳区"})
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			sys, sec, off := add("sys", gengxin.RoleSysAdmin), add("sec", gengxin.RoleSecAdmin), add("off", gengxin.RoleDistrictRenewal)
			login := func(name string) string {
				tok, _, _, err := f.Login(ctx, name, strongPW, "api", "ip")
				if err != nil {
					t.Fatalf("login %s: %v", name, err)
				}
				return tok
			}
			alive := func(tok string) bool { _, _, err := f.Authenticate(ctx, tok); return err == nil }

			// Administrators: idle 15 minutes; others 30.
			admin, officer := login("sys"), login("off")
			f.clock.T = f.clock.T.Add(14 * time.Minute)
			if !alive(admin) || !alive(officer) {
				t.Fatal("sessions died before their idle limit")
			}
			f.clock.T = f.clock.T.Add(16 * time.Minute)
			if alive(admin) {
				t.Fatal("administrator session alive after 16 idle minutes")
			}
			if !alive(officer) {
				t.Fatal("officer session died after 16 idle minutes")
			}
			f.clock.T = f.clock.T.Add(31 * time.Minute)
			if alive(officer) {
				t.Fatal("officer session alive after 31 idle minutes")
			}
			// Absolute limit: 12 hours however active.
			tok := login("off")
			for range 13 * 3 {
				f.clock.T = f.clock.T.Add(20 * time.Minute)
				if !alive(tok) {
					break
				}
			}
			if alive(tok) {
				t.Fatal("session alive after 13 hours")
			}

			// Disabling ends the sessions at once; enabling does not revive them.
			tok = login("off")
			if err := f.SetDisabled(ctx, sys, off.ID, true); err != nil {
				t.Fatal(err)
			}
			if alive(tok) {
				t.Fatal("session of a disabled account alive")
			}
			if _, _, _, err := f.Login(ctx, "off", strongPW, "api", "ip"); err == nil {
				t.Fatal("disabled account signed in")
			}
			if err := f.SetDisabled(ctx, sec, off.ID, false); err != nil {
				t.Fatal(err)
			}
			tok = login("off")
			// Expiry: valid through the last day, then the sessions die.
			today := time.Date(f.clock.T.Year(), f.clock.T.Month(), f.clock.T.Day(), 0, 0, 0, 0, time.UTC)
			if err := f.SetExpiry(ctx, sys, off.ID, today); err != nil {
				t.Fatal(err)
			}
			if !alive(tok) {
				t.Fatal("session died before the expiry")
			}
			f.clock.T = f.clock.T.Add(24 * time.Hour)
			if alive(tok) {
				t.Fatal("session of an expired account alive")
			}
			if _, _, _, err := f.Login(ctx, "off", strongPW, "api", "ip"); err == nil {
				t.Fatal("expired account signed in")
			}
			if err := f.SetExpiry(ctx, sys, off.ID, time.Time{}); err != nil {
				t.Fatal(err)
			}
			login("off")
			for _, a := range []string{"user-disable", "user-enable", "user-set-expiry"} {
				if !hasEvent(t, f, a) {
					t.Errorf("no %s event", a)
				}
			}
		})
	}
}

func TestPolicy(t *testing.T) {
	f := newFixture(t, store.SQLite)
	add := func(name string, role gengxin.Role) *gengxin.User {
		u, err := f.AddUser(ctx, app.NewUserInput{Username: name, Role: role, Password: strongPW})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	sys, sec := add("sys", gengxin.RoleSysAdmin), add("sec", gengxin.RoleSecAdmin)
	p, err := f.Policy(ctx)
	if err != nil || p != app.DefaultPolicy() {
		t.Fatalf("default policy: %+v %v", p, err)
	}
	tighter := p
	tighter.LockoutThreshold, tighter.IdleMinutes, tighter.PasswordMinLength = 3, 10, 20
	wantCode(t, f.SetPolicy(ctx, sys, tighter), gengxin.EForbidden)
	weaker := p
	weaker.LockoutThreshold, weaker.IdleMinutes = 10, 60
	err = f.SetPolicy(ctx, sec, weaker)
	wantCode(t, err, gengxin.EInvalid)
	if e := gengxin.AsError(err); len(e.Details) != 2 {
		t.Fatalf("details: %+v", e.Details)
	}
	tok, _, _, _ := f.Login(ctx, "cy", "Test-Passw0rd-123", "api", "ip")
	if err := f.SetPolicy(ctx, sec, tighter); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.Policy(ctx); got != tighter {
		t.Fatalf("stored policy: %+v", got)
	}
	// The idle limit applies to the sessions already open.
	f.clock.T = f.clock.T.Add(11 * time.Minute)
	if _, _, err := f.Authenticate(ctx, tok); err == nil {
		t.Fatal("open session kept the old idle limit")
	}
	// The password length applies to new passwords.
	_, err = f.AddUser(ctx, app.NewUserInput{Username: "x", Role: gengxin.RoleExpert, Password: strongPW})
	wantCode(t, err, gengxin.EInvalid)
	// The threshold: three failures lock.
	for range 3 {
		f.Login(ctx, "cy", "wrong", "api", "ip")
	}
	if _, _, _, err := f.Login(ctx, "cy", "Test-Passw0rd-123", "api", "ip"); err == nil || !strings.Contains(gengxin.ErrorMessage(err), "锁定") {
		t.Fatalf("not locked after 3: %v", err)
	}
	if !hasEvent(t, f, "policy-set") {
		t.Error("no policy-set event")
	}
}

// TestCanAdminister walks every role × operation × target (own account,
// ordinary account, administrator account).
func TestCanAdminister(t *testing.T) {
	const (
		self = iota
		ordinary
		admin
	)
	targetOf := func(actor *gengxin.User, k int) *gengxin.User {
		switch k {
		case self:
			return actor
		case ordinary:
			return &gengxin.User{ID: 100, Role: gengxin.RoleDistrictRenewal}
		}
		return &gengxin.User{ID: 101, Role: gengxin.RoleAuditAdmin}
	}
	// allowed[role][op] lists the target kinds allowed.
	allowed := map[gengxin.Role]map[app.AdminOp][]int{
		gengxin.RoleSysAdmin: {
			app.OpListUsers: {self, ordinary, admin}, app.OpCreateUser: {ordinary},
			app.OpSetExpiry: {ordinary}, app.OpDisable: {ordinary}, app.OpEnable: {ordinary},
		},
		gengxin.RoleSecAdmin: {
			app.OpListUsers: {self, ordinary, admin}, app.OpSetPolicy: {self, ordinary, admin},
			app.OpDisable: {ordinary, admin}, app.OpEnable: {ordinary, admin},
			app.OpResetTOTP: {ordinary, admin}, app.OpRequireTOTP: {ordinary, admin},
		},
	}
	ops := []app.AdminOp{app.OpListUsers, app.OpCreateUser, app.OpSetExpiry, app.OpDisable, app.OpEnable, app.OpResetTOTP, app.OpRequireTOTP, app.OpSetPolicy}
	for _, role := range gengxin.Roles {
		actor := &gengxin.User{ID: 1, Role: role}
		for _, op := range ops {
			for _, k := range []int{self, ordinary, admin} {
				target := targetOf(actor, k)
				if op == app.OpListUsers || op == app.OpSetPolicy {
					target = nil
				}
				if op == app.OpCreateUser {
					target = &gengxin.User{Role: targetOf(actor, k).Role}
					if k == self {
						target.Role = role
					}
				}
				want := false
				for _, a := range allowed[role][op] {
					want = want || a == k
				}
				if op == app.OpCreateUser && k == self {
					want = role == gengxin.RoleSysAdmin && !app.IsAdminRole(role)
				}
				err := app.CanAdminister(actor, op, target)
				if (err == nil) != want {
					t.Errorf("%s/%s/target %d: err %v, want allowed=%v", role, op, k, err, want)
				}
				if err != nil && gengxin.ErrorCode(err) != gengxin.EForbidden {
					t.Errorf("%s/%s: code %s", role, op, gengxin.ErrorCode(err))
				}
			}
		}
	}
	if app.CanAdminister(nil, app.OpListUsers, nil) == nil {
		t.Error("nil actor allowed")
	}
	if app.CanAdminister(&gengxin.User{ID: 1, Role: gengxin.RoleSecAdmin, Disabled: true}, app.OpSetPolicy, nil) == nil {
		t.Error("disabled actor allowed")
	}
}

func TestCreateUserFromPage(t *testing.T) {
	f := newFixture(t, store.SQLite)
	sys, err := f.AddUser(ctx, app.NewUserInput{Username: "sys", Role: gengxin.RoleSysAdmin, Password: strongPW})
	if err != nil {
		t.Fatal(err)
	}
	// The same validation as `gengxin user add`, all details at once.
	_, err = f.CreateUser(ctx, sys, app.NewUserInput{Username: "a b", Role: gengxin.RoleDistrictDept, District: "火星区", Password: "short", SkipPolicy: true})
	wantCode(t, err, gengxin.EInvalid)
	if e := gengxin.AsError(err); len(e.Details) != 4 {
		t.Fatalf("details: %+v", e.Details)
	}
	_, err = f.CreateUser(ctx, sys, app.NewUserInput{Username: "aud2", Role: gengxin.RoleAuditAdmin, Password: strongPW})
	wantCode(t, err, gengxin.EForbidden)
	u, err := f.CreateUser(ctx, sys, app.NewUserInput{Username: "hd-fg", Role: gengxin.RoleDistrictDept, District: "海淀区", Dept: "发展改革", Password: strongPW})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := f.DB.Read(ctx).Account(u.ID)
	if err != nil || !acc.TOTPRequired {
		t.Fatalf("staff account created from the page does not require TOTP: %+v %v", acc, err)
	}
	co, err := f.CreateUser(ctx, sys, app.NewUserInput{Username: "co9", Role: gengxin.RoleApplicant, OrgName: "北京某某置业有限公司", OrgUSCC: f.applicant.OrgUSCC, Password: strongPW})
	if err != nil {
		t.Fatal(err)
	}
	if acc, _ := f.DB.Read(ctx).Account(co.ID); acc.TOTPRequired {
		t.Fatal("applicant must not be required to bind TOTP")
	}
	infos, err := f.Accounts(ctx, sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range infos {
		if i.PasswordHash != "" {
			t.Fatal("Accounts exposes password hashes")
		}
	}
	if _, err := f.Accounts(ctx, f.renewal); gengxin.ErrorCode(err) != gengxin.EForbidden {
		t.Fatalf("officer lists accounts: %v", err)
	}
}

// TestMunicipalDeptNeedsDept: a 市级行业主管部门 account speaks for one
// department (expert nominations, the registry it may read); without one it
// is refused rather than seeing every department's records.
func TestMunicipalDeptNeedsDept(t *testing.T) {
	f := newFixture(t, "sqlite")
	_, err := f.AddUser(ctx, app.NewUserInput{Username: "shi-x", Role: gengxin.RoleMunicipalDept, Password: "Test-Passw0rd-123", SkipPolicy: true})
	wantCode(t, err, gengxin.EInvalid)
}

// TestPasswordKDFs: a password hashed with PBKDF2-HMAC-SM3 (the 国密
// option) or PBKDF2-HMAC-SHA256 verifies under either setting; a wrong
// password and an unknown scheme do not.
func TestPasswordKDFs(t *testing.T) {
	defer func(k string) { app.PasswordKDF = k }(app.PasswordKDF)
	app.PasswordKDF = "pbkdf2-sm3"
	sm3Hash, err := app.HashPassword("Correct-Horse-42")
	if err != nil || !strings.HasPrefix(sm3Hash, "pbkdf2-sm3$") {
		t.Fatalf("%q %v", sm3Hash, err)
	}
	app.PasswordKDF = "pbkdf2-sha256"
	shaHash, _ := app.HashPassword("Correct-Horse-42")
	for _, h := range []string{sm3Hash, shaHash} {
		if !app.CheckPassword(h, "Correct-Horse-42") || app.CheckPassword(h, "Correct-Horse-43") {
			t.Errorf("%s: check failed", h[:12])
		}
	}
	if app.CheckPassword(strings.Replace(sm3Hash, "pbkdf2-sm3", "pbkdf2-md5", 1), "Correct-Horse-42") || app.ValidPasswordKDF("pbkdf2-md5") {
		t.Error("an unknown scheme verifies")
	}
}
