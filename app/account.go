package app

import (
	"context"

	"gengxin"
	"gengxin/store"
	"gengxin/totp"
)

// TOTPIssuer is the issuer name authenticator apps show beside the code.
const TOTPIssuer = "北京市城市更新信息系统"

// TOTPEnrollment is what the binding page shows: whether the account has a
// second factor, whether it must, and, while it has none, the secret to
// type into an authenticator app (base32) and its otpauth:// URI.
type TOTPEnrollment struct {
	Enrolled bool
	Required bool
	Secret   string
	URI      string
}

// BeginTOTP returns u's binding state. While u has no second factor it
// keeps one secret on offer (created on first call; the same secret is
// shown again until confirmed or reset), so a page reload does not
// invalidate what the user already scanned.
func (a *App) BeginTOTP(ctx context.Context, u *gengxin.User) (*TOTPEnrollment, error) {
	acc, err := a.DB.Read(ctx).Account(u.ID)
	if err != nil {
		return nil, err
	}
	e := &TOTPEnrollment{Enrolled: acc.TOTPEnrolled(), Required: acc.TOTPRequired && TOTPMandatory(acc.Role)}
	if e.Enrolled {
		return e, nil
	}
	secret := acc.TOTPPending
	if secret == "" {
		secret = totp.EncodeSecret(totp.NewSecret())
		if err := a.DB.Tx(ctx, func(tx *store.Tx) error { return tx.SetTOTPPending(u.ID, secret) }); err != nil {
			return nil, err
		}
	}
	raw, err := totp.DecodeSecret(secret)
	if err != nil {
		return nil, err
	}
	e.Secret, e.URI = secret, totp.URI(TOTPIssuer, u.Username, raw)
	return e, nil
}

// ConfirmTOTP binds the secret on offer once code proves the user's app
// holds it. When sess is a StageEnroll session (a staff account sent here
// by the sign-in), that session ends and a signed-in one with a new token
// starts, returned in the result; otherwise the result carries no token.
// A wrong code is EInvalid; an account that already has a second factor is
// EConflict (the security administrator resets it).
func (a *App) ConfirmTOTP(ctx context.Context, u *gengxin.User, sess *store.Session, code, ip string) (*SignInResult, error) {
	acc, err := a.DB.Read(ctx).Account(u.ID)
	if err != nil {
		return nil, err
	}
	if acc.TOTPEnrolled() {
		return nil, gengxin.Errorf(gengxin.EConflict, "账户已绑定动态口令；如需更换，请联系安全管理员重置")
	}
	raw, err := totp.DecodeSecret(acc.TOTPPending)
	if err != nil {
		return nil, gengxin.Errorf(gengxin.EConflict, "绑定已失效，请刷新页面后重新绑定")
	}
	now := a.now()
	step, ok := totp.Verify(raw, code, now, 0)
	if !ok {
		return nil, &gengxin.Error{Code: gengxin.EInvalid, Message: "动态口令不正确：请核对手机时间，输入认证器应用当前显示的6位数字",
			Details: []gengxin.ErrorDetail{{Field: "code", Message: "动态口令不正确"}}}
	}
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.BindTOTP(u.ID, acc.TOTPPending, step); err != nil {
			return err
		}
		return tx.AppendEvent(&gengxin.Event{At: now, ActorID: u.ID, Actor: actorName(u), Role: actorRole(u), Action: "totp-enroll", Summary: "绑定动态口令（双因素认证），来源 " + ip})
	})
	if err != nil {
		return nil, err
	}
	if sess == nil || sess.Stage != StageEnroll {
		return &SignInResult{User: u}, nil
	}
	pol, err := a.Policy(ctx)
	if err != nil {
		return nil, err
	}
	return a.startSession(ctx, u, sess.Kind, StageSignedIn, pol, 0, sess.TokenHash, "登录成功（绑定动态口令后），来源 "+ip)
}
