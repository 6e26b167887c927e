package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gengxin"
)

// UpsertOrg returns the id of the organisation with the USCC, creating it
// (or renaming it) as needed.
func (tx *Tx) UpsertOrg(name, uscc string) (int64, error) {
	var id int64
	err := tx.row(`SELECT id FROM orgs WHERE uscc = ?`, uscc).Scan(&id)
	if err == nil {
		_, err = tx.exec(`UPDATE orgs SET name = ? WHERE id = ?`, name, id)
		return id, err
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, mapErr(err)
	}
	return tx.insert(`INSERT INTO orgs (name, uscc) VALUES (?, ?)`, name, uscc)
}

const userColumns = `u.id, u.username, u.display_name, u.role, u.district, u.dept, COALESCE(u.org_id, 0), COALESCE(o.name, ''), COALESCE(o.uscc, ''), u.password_hash, u.disabled`

// userDest are the scan destinations of userColumns; the role is read into
// role.
func userDest(u *gengxin.User, role *string) []any {
	return []any{&u.ID, &u.Username, &u.DisplayName, role, &u.District, &u.Dept, &u.OrgID, &u.OrgName, &u.OrgUSCC, &u.PasswordHash, &u.Disabled}
}

func scanUser(s scanner) (*gengxin.User, error) {
	var u gengxin.User
	var role string
	if err := s.Scan(userDest(&u, &role)...); err != nil {
		return nil, err
	}
	u.Role = gengxin.Role(role)
	return &u, nil
}

// InsertUser stores a new user; a taken username is a conflict.
func (tx *Tx) InsertUser(u *gengxin.User, at time.Time) error {
	id, err := tx.insert(`INSERT INTO users (username, display_name, role, district, dept, org_id, password_hash, disabled, created_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		u.Username, u.DisplayName, string(u.Role), u.District, u.Dept, nullID(u.OrgID), u.PasswordHash, u.Disabled, ts(at))
	if gengxin.ErrorCode(err) == gengxin.EConflict {
		return gengxin.Errorf(gengxin.EConflict, "用户名 %q 已被使用", u.Username)
	}
	u.ID = id
	return err
}

// SetPassword replaces a user's password hash.
func (tx *Tx) SetPassword(id int64, hash string) error {
	_, err := tx.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
	return err
}

// UserByName returns the user with the username, or ENotFound.
func (q q) UserByName(username string) (*gengxin.User, error) {
	u, err := scanUser(q.row(`SELECT `+userColumns+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("用户")
	}
	return u, mapErr(err)
}

// User returns the user with id, or ENotFound.
func (q q) User(id int64) (*gengxin.User, error) {
	u, err := scanUser(q.row(`SELECT `+userColumns+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("用户")
	}
	return u, mapErr(err)
}

// Users returns every user, by id.
func (q q) Users() ([]*gengxin.User, error) {
	rows, err := q.query(`SELECT ` + userColumns + ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*gengxin.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, mapErr(rows.Err())
}

// LoginState returns the failed-login count and lock expiry of a user.
func (q q) LoginState(id int64) (failed int, lockedUntil time.Time, err error) {
	var lu string
	err = q.row(`SELECT failed_logins, locked_until FROM users WHERE id = ?`, id).Scan(&failed, &lu)
	return failed, parseTS(lu), mapErr(err)
}

// SetLoginState records failed logins and a lock expiry.
func (tx *Tx) SetLoginState(id int64, failed int, lockedUntil time.Time) error {
	_, err := tx.exec(`UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, ts(lockedUntil), id)
	return err
}

// Session is a signed-in session; only the SHA-256 of its token is stored.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	Kind      string // "cookie" or "api"
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
	// Stage is what the holder has proved: "" signed in; "totp" the
	// password, with the second factor due; "enroll" the password, with a
	// second factor to bind before anything else.
	Stage string
	// Idle is how long the session may stay unused (15 or 30 minutes by
	// role, from the security policy at login).
	Idle time.Duration
}

// InsertSession stores a session.
func (tx *Tx) InsertSession(s *Session) error {
	_, err := tx.exec(`INSERT INTO sessions (token_hash, user_id, csrf, kind, created_at, last_seen, expires_at, stage, idle_seconds) VALUES (?,?,?,?,?,?,?,?,?)`,
		s.TokenHash, s.UserID, s.CSRF, s.Kind, ts(s.CreatedAt), ts(s.LastSeen), ts(s.ExpiresAt), s.Stage, int64(s.Idle/time.Second))
	return err
}

// SessionByHash returns the session with the token hash, or ENotFound.
func (q q) SessionByHash(h string) (*Session, error) {
	var s Session
	var c, l, e string
	var idle int64
	err := q.row(`SELECT token_hash, user_id, csrf, kind, created_at, last_seen, expires_at, stage, idle_seconds FROM sessions WHERE token_hash = ?`, h).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &s.Kind, &c, &l, &e, &s.Stage, &idle)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gengxin.Errorf(gengxin.EUnauthorized, "登录已失效，请重新登录")
	}
	s.CreatedAt, s.LastSeen, s.ExpiresAt, s.Idle = parseTS(c), parseTS(l), parseTS(e), time.Duration(idle)*time.Second
	return &s, mapErr(err)
}

// TouchSession records activity on a session.
func (q q) TouchSession(h string, at time.Time) error {
	_, err := q.exec(`UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, ts(at), h)
	return err
}

// DeleteSession ends a session on the server.
func (q q) DeleteSession(h string) error {
	_, err := q.exec(`DELETE FROM sessions WHERE token_hash = ?`, h)
	return err
}

// OrgIDByUSCC returns the id of the organisation with the code, or ENotFound.
func (q q) OrgIDByUSCC(code string) (int64, error) {
	var id int64
	err := q.row(`SELECT id FROM orgs WHERE uscc = ?`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("单位")
	}
	return id, mapErr(err)
}

// DeleteSessions ends every session of a user (disabled or expired
// accounts, a reset second factor).
func (q q) DeleteSessions(userID int64) error {
	_, err := q.exec(`DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// SetSessionIdle sets the idle limit of the signed-in sessions of users of
// the roles (a changed security policy applies at once).
func (tx *Tx) SetSessionIdle(roles []gengxin.Role, idle time.Duration) error {
	if len(roles) == 0 {
		return nil
	}
	args := []any{int64(idle / time.Second)}
	for _, r := range roles {
		args = append(args, string(r))
	}
	_, err := tx.exec(`UPDATE sessions SET idle_seconds = ? WHERE stage = '' AND user_id IN (SELECT id FROM users WHERE role IN (`+placeholders(len(roles))+`))`, args...)
	return err
}

// Account is a user with the state of their sign-in: the second factor
// (TOTP) and the account's expiry. TOTPSecret and TOTPPending are base32
// secrets, here in plaintext; in the database they are sealed with the DB's
// Sealer (SM4-GCM, see SetSealer).
type Account struct {
	*gengxin.User
	TOTPRequired bool      // a second factor must be bound before signing in
	TOTPSecret   string    // the bound secret; "" when none
	TOTPPending  string    // a secret shown for binding, not yet confirmed
	TOTPLastStep int64     // the last time step accepted (replays refused)
	ExpiresAt    time.Time // zero: never
}

// TOTPEnrolled reports whether the account has a second factor bound.
func (a *Account) TOTPEnrolled() bool { return a.TOTPSecret != "" }

// Expired reports whether the account has expired at t.
func (a *Account) Expired(t time.Time) bool { return !a.ExpiresAt.IsZero() && !t.Before(a.ExpiresAt) }

const accountColumns = userColumns + `, u.totp_required, u.totp_secret, u.totp_pending, u.totp_last_step, u.expires_at`

func (q q) scanAccount(s scanner) (*Account, error) {
	var u gengxin.User
	var a Account
	var role, exp string
	if err := s.Scan(append(userDest(&u, &role), &a.TOTPRequired, &a.TOTPSecret, &a.TOTPPending, &a.TOTPLastStep, &exp)...); err != nil {
		return nil, err
	}
	u.Role = gengxin.Role(role)
	a.User, a.ExpiresAt = &u, parseTS(exp)
	var err error
	if a.TOTPSecret, err = q.db.open(a.TOTPSecret); err != nil {
		return nil, fmt.Errorf("用户 %d 的动态口令密钥：%w", u.ID, err)
	}
	if a.TOTPPending, err = q.db.open(a.TOTPPending); err != nil {
		return nil, fmt.Errorf("用户 %d 的待绑定动态口令密钥：%w", u.ID, err)
	}
	return &a, nil
}

// Account returns the account of user id, or ENotFound.
func (q q) Account(id int64) (*Account, error) {
	a, err := q.scanAccount(q.row(`SELECT `+accountColumns+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("用户")
	}
	return a, mapErr(err)
}

// AccountByName returns the account with the username, or ENotFound.
func (q q) AccountByName(username string) (*Account, error) {
	a, err := q.scanAccount(q.row(`SELECT `+accountColumns+` FROM users u LEFT JOIN orgs o ON o.id = u.org_id WHERE u.username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("用户")
	}
	return a, mapErr(err)
}

// Accounts returns every account, by id.
func (q q) Accounts() ([]*Account, error) {
	rows, err := q.query(`SELECT ` + accountColumns + ` FROM users u LEFT JOIN orgs o ON o.id = u.org_id ORDER BY u.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Account
	for rows.Next() {
		a, err := q.scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

// SetDisabled disables or enables a user; disabling ends their sessions.
func (tx *Tx) SetDisabled(id int64, disabled bool) error {
	if _, err := tx.exec(`UPDATE users SET disabled = ? WHERE id = ?`, disabled, id); err != nil {
		return err
	}
	if disabled {
		return tx.DeleteSessions(id)
	}
	return nil
}

// SetExpiry sets when a user's account expires (zero: never); an account
// already expired at now loses its sessions.
func (tx *Tx) SetExpiry(id int64, expires, now time.Time) error {
	if _, err := tx.exec(`UPDATE users SET expires_at = ? WHERE id = ?`, ts(expires), id); err != nil {
		return err
	}
	if !expires.IsZero() && !now.Before(expires) {
		return tx.DeleteSessions(id)
	}
	return nil
}

// SetTOTPRequired sets whether the user must bind a second factor.
func (tx *Tx) SetTOTPRequired(id int64, required bool) error {
	_, err := tx.exec(`UPDATE users SET totp_required = ? WHERE id = ?`, required, id)
	return err
}

// SetTOTPPending stores a secret shown for binding (sealed).
func (tx *Tx) SetTOTPPending(id int64, secret string) error {
	sealed, err := tx.db.seal(secret)
	if err != nil {
		return err
	}
	_, err = tx.exec(`UPDATE users SET totp_pending = ? WHERE id = ?`, sealed, id)
	return err
}

// BindTOTP makes the pending secret the user's second factor, with step the
// time step of the code that confirmed it. It is a conflict when the
// pending secret changed meanwhile.
func (tx *Tx) BindTOTP(id int64, secret string, step int64) error {
	// The pending secret is sealed under a random nonce: compare it opened,
	// then swap only if the stored value is still the one compared.
	var stored string
	if err := tx.row(`SELECT totp_pending FROM users WHERE id = ?`, id).Scan(&stored); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mapErr(err)
	}
	pending, err := tx.db.open(stored)
	if err != nil {
		return err
	}
	if secret == "" || pending != secret {
		return gengxin.Errorf(gengxin.EConflict, "绑定已失效，请刷新页面后重新绑定")
	}
	sealed, err := tx.db.seal(secret)
	if err != nil {
		return err
	}
	r, err := tx.exec(`UPDATE users SET totp_secret = ?, totp_pending = '', totp_last_step = ? WHERE id = ? AND totp_pending = ?`, sealed, step, id, stored)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return gengxin.Errorf(gengxin.EConflict, "绑定已失效，请刷新页面后重新绑定")
	}
	return nil
}

// UseTOTPStep records that the code of step was accepted. It is a conflict
// when that step or a later one was already used (a replayed code, even by
// a concurrent request).
func (tx *Tx) UseTOTPStep(id int64, step int64) error {
	r, err := tx.exec(`UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, id, step)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n != 1 {
		return gengxin.Errorf(gengxin.EUnauthorized, "该动态口令已使用过，请等待下一个动态口令")
	}
	return nil
}

// ResetTOTP removes a user's second factor (bound and pending) and ends
// their sessions; a user who must have one binds a new one at next login.
func (tx *Tx) ResetTOTP(id int64) error {
	if _, err := tx.exec(`UPDATE users SET totp_secret = '', totp_pending = '', totp_last_step = 0 WHERE id = ?`, id); err != nil {
		return err
	}
	return tx.DeleteSessions(id)
}

// Settings returns the stored settings by name.
func (q q) Settings() (map[string]string, error) {
	rows, err := q.query(`SELECT name, value FROM settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, v string
		if err := rows.Scan(&n, &v); err != nil {
			return nil, err
		}
		out[n] = v
	}
	return out, mapErr(rows.Err())
}

// PutSetting stores a setting.
func (tx *Tx) PutSetting(name, value, by string, at time.Time) error {
	_, err := tx.exec(`INSERT INTO settings (name, value, updated_at, updated_by) VALUES (?,?,?,?)
ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`, name, value, ts(at), by)
	return err
}
