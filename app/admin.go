package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gengxin"
	"gengxin/store"
)

// Policy is the security policy the security administrator keeps (安全管理员,
// 三权分立), stored in the settings table. Every field has a bound that only
// lets it be tightened beyond issue 3's requirements (GB/T 22239 8.1.4.1;
// ASVS §2–3): the threshold at most 5 failed logins, the lock at least 30
// minutes, passwords at least 12 characters, idle limits at most 15 minutes
// (administrators) and 30 (others), sessions at most 12 hours.
type Policy struct {
	LockoutThreshold  int `json:"lockout_threshold"`   // failed logins that lock the account
	LockoutMinutes    int `json:"lockout_minutes"`     // how long the lock lasts
	PasswordMinLength int `json:"password_min_length"` // characters
	AdminIdleMinutes  int `json:"admin_idle_minutes"`  // idle limit of the three administrators
	IdleMinutes       int `json:"idle_minutes"`        // idle limit of everyone else
	AbsoluteHours     int `json:"absolute_hours"`      // a session's whole life
}

// DefaultPolicy is the policy in force until the security administrator
// changes it: the values of issue 3.
func DefaultPolicy() Policy {
	return Policy{LockoutThreshold: MaxFailedLogins, LockoutMinutes: int(LockoutDuration / time.Minute), PasswordMinLength: 12,
		AdminIdleMinutes: int(AdminSessionIdle / time.Minute), IdleMinutes: int(SessionIdle / time.Minute), AbsoluteHours: int(SessionAbsolute / time.Hour)}
}

// policyFields names each setting, its bounds and its Chinese label.
var policyFields = []struct {
	name, label string
	min, max    int
	get         func(*Policy) *int
}{
	{"lockout_threshold", "锁定阈值（连续失败次数）", 3, 5, func(p *Policy) *int { return &p.LockoutThreshold }},
	{"lockout_minutes", "锁定时长（分钟）", 30, 1440, func(p *Policy) *int { return &p.LockoutMinutes }},
	{"password_min_length", "密码最小长度", 12, 64, func(p *Policy) *int { return &p.PasswordMinLength }},
	{"admin_idle_minutes", "管理员会话空闲超时（分钟）", 5, 15, func(p *Policy) *int { return &p.AdminIdleMinutes }},
	{"idle_minutes", "其他用户会话空闲超时（分钟）", 5, 30, func(p *Policy) *int { return &p.IdleMinutes }},
	{"absolute_hours", "会话最长时间（小时）", 1, 12, func(p *Policy) *int { return &p.AbsoluteHours }},
}

// Validate returns an EInvalid error naming every field outside its bounds.
func (p Policy) Validate() error {
	var details []gengxin.ErrorDetail
	for _, f := range policyFields {
		if v := *f.get(&p); v < f.min || v > f.max {
			details = append(details, gengxin.ErrorDetail{Field: f.name, Message: fmt.Sprintf("%s应在%d至%d之间", f.label, f.min, f.max)})
		}
	}
	if len(details) > 0 {
		return &gengxin.Error{Code: gengxin.EInvalid, Message: details[0].Message, Details: details}
	}
	return nil
}

// IdleFor returns the idle limit of sessions of role r.
func (p Policy) IdleFor(r gengxin.Role) time.Duration {
	if IsAdminRole(r) {
		return time.Duration(p.AdminIdleMinutes) * time.Minute
	}
	return time.Duration(p.IdleMinutes) * time.Minute
}

// Absolute returns the whole life of a session.
func (p Policy) Absolute() time.Duration { return time.Duration(p.AbsoluteHours) * time.Hour }

// Policy returns the security policy in force: the stored settings over
// DefaultPolicy (a stored value out of bounds is ignored and logged).
func (a *App) Policy(ctx context.Context) (Policy, error) {
	p := DefaultPolicy()
	m, err := a.DB.Read(ctx).Settings()
	if err != nil {
		return p, err
	}
	for _, f := range policyFields {
		s, ok := m["policy."+f.name]
		if !ok {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < f.min || v > f.max {
			a.Log.Error("stored policy value out of bounds; default kept", "name", f.name, "value", s)
			continue
		}
		*f.get(&p) = v
	}
	return p, nil
}

// SetPolicy stores a new security policy (security administrator only) and
// applies its idle limits to the sessions already open.
func (a *App) SetPolicy(ctx context.Context, actor *gengxin.User, p Policy) error {
	if err := CanAdminister(actor, OpSetPolicy, nil); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	old, err := a.Policy(ctx)
	if err != nil {
		return err
	}
	now := a.now()
	var changes []string
	return a.DB.Tx(ctx, func(tx *store.Tx) error {
		for _, f := range policyFields {
			v, was := *f.get(&p), *f.get(&old)
			if err := tx.PutSetting("policy."+f.name, strconv.Itoa(v), actorName(actor), now); err != nil {
				return err
			}
			if v != was {
				changes = append(changes, fmt.Sprintf("%s %d→%d", f.label, was, v))
			}
		}
		var admins, others []gengxin.Role
		for _, r := range gengxin.Roles {
			if IsAdminRole(r) {
				admins = append(admins, r)
			} else {
				others = append(others, r)
			}
		}
		if err := tx.SetSessionIdle(admins, p.IdleFor(gengxin.RoleSysAdmin)); err != nil {
			return err
		}
		if err := tx.SetSessionIdle(others, p.IdleFor(gengxin.RoleApplicant)); err != nil {
			return err
		}
		summary := "修改安全策略：未变更"
		if len(changes) > 0 {
			summary = "修改安全策略：" + strings.Join(changes, "；")
		}
		return tx.AppendEvent(&gengxin.Event{At: now, ActorID: actorID(actor), Actor: actorName(actor), Role: actorRole(actor), Action: "policy-set", Summary: summary})
	})
}

// AdminOp is an account-administration operation (三权分立).
type AdminOp string

// Account-administration operations.
const (
	OpListUsers   AdminOp = "list-users"   // see the accounts (not their secrets)
	OpCreateUser  AdminOp = "create-user"  // 系统管理员
	OpSetExpiry   AdminOp = "set-expiry"   // 系统管理员
	OpDisable     AdminOp = "disable"      // 系统管理员 (ordinary accounts), 安全管理员
	OpEnable      AdminOp = "enable"       // 系统管理员 (ordinary accounts), 安全管理员
	OpResetTOTP   AdminOp = "reset-totp"   // 安全管理员
	OpRequireTOTP AdminOp = "require-totp" // 安全管理员
	OpSetPolicy   AdminOp = "set-policy"   // 安全管理员
)

// CanAdminister decides, deny by default, whether actor may perform op on
// target (nil for OpSetPolicy and OpListUsers; for OpCreateUser a user
// carrying only the new role). It returns nil or an EForbidden error with
// the reason. The rules (三权分立, GB/T 22239 8.1.4.2):
//   - the system administrator (系统管理员) manages ordinary accounts:
//     creates them, sets their expiry, disables and enables them;
//   - the security administrator (安全管理员) keeps the policy and the
//     accounts' security: disables and enables any account, resets a
//     second factor, decides who must have one;
//   - the audit administrator (审计管理员) administers nothing;
//   - no one acts on their own account, and administrator accounts are
//     created only on the server (`gengxin user add`), never from a page,
//     so that no administrator can mint another.
func CanAdminister(actor *gengxin.User, op AdminOp, target *gengxin.User) error {
	if actor == nil || actor.Disabled {
		return gengxin.Errorf(gengxin.EForbidden, "无权管理账户")
	}
	deny := func(why string) error { return gengxin.Errorf(gengxin.EForbidden, "%s", why) }
	if target != nil && target.ID != 0 && target.ID == actor.ID {
		return deny("不能对本人账户进行此项操作，请由其他管理员办理")
	}
	sys, sec := actor.Role == gengxin.RoleSysAdmin, actor.Role == gengxin.RoleSecAdmin
	switch op {
	case OpListUsers:
		if sys || sec {
			return nil
		}
	case OpSetPolicy:
		if sec {
			return nil
		}
		return deny("安全策略只能由安全管理员修改（三权分立）")
	case OpCreateUser:
		if target == nil {
			return deny("缺少新账户的角色")
		}
		if IsAdminRole(target.Role) {
			return deny("管理员账户只能在服务器上用 gengxin user add 创建")
		}
		if sys {
			return nil
		}
		return deny("新增账户只能由系统管理员办理（三权分立）")
	case OpSetExpiry:
		if target == nil {
			return deny("缺少账户")
		}
		if sys && !IsAdminRole(target.Role) {
			return nil
		}
		if sys {
			return deny("系统管理员不能设置管理员账户的有效期")
		}
		return deny("账户有效期只能由系统管理员设置（三权分立）")
	case OpDisable, OpEnable:
		if target == nil {
			return deny("缺少账户")
		}
		if sec || (sys && !IsAdminRole(target.Role)) {
			return nil
		}
		if sys {
			return deny("管理员账户只能由安全管理员停用或启用")
		}
	case OpResetTOTP, OpRequireTOTP:
		if target == nil {
			return deny("缺少账户")
		}
		if sec {
			return nil
		}
		return deny("动态口令只能由安全管理员重置或设置（三权分立）")
	}
	return deny(fmt.Sprintf("「%s」无权管理账户", actor.Role.Label()))
}

// AccountInfo is what the administrators' pages show of an account: never
// its password hash or second-factor secret.
type AccountInfo struct {
	*gengxin.User
	TOTPRequired bool
	TOTPEnrolled bool
	ExpiresAt    time.Time
	Expired      bool
	LockedUntil  time.Time
}

// Accounts lists every account for the system or security administrator.
func (a *App) Accounts(ctx context.Context, actor *gengxin.User) ([]AccountInfo, error) {
	if err := CanAdminister(actor, OpListUsers, nil); err != nil {
		return nil, err
	}
	r := a.DB.Read(ctx)
	accs, err := r.Accounts()
	if err != nil {
		return nil, err
	}
	now := a.now()
	out := make([]AccountInfo, len(accs))
	for i, acc := range accs {
		u := *acc.User
		u.PasswordHash = ""
		_, locked, err := r.LoginState(u.ID)
		if err != nil {
			return nil, err
		}
		if !now.Before(locked) {
			locked = time.Time{}
		}
		out[i] = AccountInfo{User: &u, TOTPRequired: acc.TOTPRequired, TOTPEnrolled: acc.TOTPEnrolled(), ExpiresAt: acc.ExpiresAt, Expired: acc.Expired(now), LockedUntil: locked}
	}
	return out, nil
}

// CreateUser creates an ordinary account from the system administrator's
// page: the validation of `gengxin user add`, the password policy always,
// and a second factor required for staff roles.
func (a *App) CreateUser(ctx context.Context, actor *gengxin.User, in NewUserInput) (*gengxin.User, error) {
	if err := CanAdminister(actor, OpCreateUser, &gengxin.User{Role: in.Role}); err != nil {
		return nil, err
	}
	in.SkipPolicy = false
	in.RequireTOTP = TOTPMandatory(in.Role)
	if !in.ExpiresAt.IsZero() && !in.ExpiresAt.After(a.now()) {
		return nil, &gengxin.Error{Code: gengxin.EInvalid, Message: "有效期应晚于今天", Details: []gengxin.ErrorDetail{{Field: "expires", Message: "有效期应晚于今天"}}}
	}
	return a.addUser(ctx, actor, in)
}

// adminAct authorises op on the account id and runs change with its event
// in one transaction.
func (a *App) adminAct(ctx context.Context, actor *gengxin.User, op AdminOp, id int64, change func(tx *store.Tx, target *store.Account) (string, error)) error {
	target, err := a.DB.Read(ctx).Account(id)
	if err != nil {
		return err
	}
	if err := CanAdminister(actor, op, target.User); err != nil {
		return err
	}
	return a.DB.Tx(ctx, func(tx *store.Tx) error {
		summary, err := change(tx, target)
		if err != nil {
			return err
		}
		return tx.AppendEvent(&gengxin.Event{At: a.now(), ActorID: actorID(actor), Actor: actorName(actor), Role: actorRole(actor),
			Action: "user-" + string(op), Summary: summary + "：" + target.Username + "（" + target.Role.Label() + "）"})
	})
}

// SetDisabled disables (ending every session of the account) or enables
// an account.
func (a *App) SetDisabled(ctx context.Context, actor *gengxin.User, id int64, disabled bool) error {
	op, verb := OpEnable, "启用账户"
	if disabled {
		op, verb = OpDisable, "停用账户"
	}
	return a.adminAct(ctx, actor, op, id, func(tx *store.Tx, t *store.Account) (string, error) {
		return verb, tx.SetDisabled(t.ID, disabled)
	})
}

// SetExpiry sets the last day (Beijing time) an account may be used; the
// zero date removes the expiry. An account past its expiry loses its
// sessions at once.
func (a *App) SetExpiry(ctx context.Context, actor *gengxin.User, id int64, lastDay time.Time) error {
	var at time.Time
	if !lastDay.IsZero() {
		y, m, d := lastDay.Date()
		at = time.Date(y, m, d+1, 0, 0, 0, 0, beijing).UTC()
	}
	return a.adminAct(ctx, actor, OpSetExpiry, id, func(tx *store.Tx, t *store.Account) (string, error) {
		if at.IsZero() {
			return "取消账户有效期", tx.SetExpiry(t.ID, at, a.now())
		}
		return "设置账户有效期至 " + lastDay.Format("2006-01-02"), tx.SetExpiry(t.ID, at, a.now())
	})
}

// ResetTOTP removes an account's second factor and ends its sessions; an
// account that must have one binds a new one at its next sign-in.
func (a *App) ResetTOTP(ctx context.Context, actor *gengxin.User, id int64) error {
	return a.adminAct(ctx, actor, OpResetTOTP, id, func(tx *store.Tx, t *store.Account) (string, error) {
		return "重置动态口令", tx.ResetTOTP(t.ID)
	})
}

// SetTOTPRequired decides whether an account must have a second factor
// (for applicants and experts it stays optional whatever is set).
func (a *App) SetTOTPRequired(ctx context.Context, actor *gengxin.User, id int64, required bool) error {
	return a.adminAct(ctx, actor, OpRequireTOTP, id, func(tx *store.Tx, t *store.Account) (string, error) {
		if required && !TOTPMandatory(t.Role) {
			return "", gengxin.Errorf(gengxin.EInvalid, "「%s」的动态口令为自愿绑定，不能设为必须", t.Role.Label())
		}
		if required {
			return "要求绑定动态口令", tx.SetTOTPRequired(t.ID, true)
		}
		return "取消动态口令要求", tx.SetTOTPRequired(t.ID, false)
	})
}
