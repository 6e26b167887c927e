package store

import (
	"database/sql"
	"errors"
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

func scanUser(s scanner) (*gengxin.User, error) {
	var u gengxin.User
	var role string
	if err := s.Scan(&u.ID, &u.Username, &u.DisplayName, &role, &u.District, &u.Dept, &u.OrgID, &u.OrgName, &u.OrgUSCC, &u.PasswordHash, &u.Disabled); err != nil {
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
}

// InsertSession stores a session.
func (tx *Tx) InsertSession(s *Session) error {
	_, err := tx.exec(`INSERT INTO sessions (token_hash, user_id, csrf, kind, created_at, last_seen, expires_at) VALUES (?,?,?,?,?,?,?)`,
		s.TokenHash, s.UserID, s.CSRF, s.Kind, ts(s.CreatedAt), ts(s.LastSeen), ts(s.ExpiresAt))
	return err
}

// SessionByHash returns the session with the token hash, or ENotFound.
func (q q) SessionByHash(h string) (*Session, error) {
	var s Session
	var c, l, e string
	err := q.row(`SELECT token_hash, user_id, csrf, kind, created_at, last_seen, expires_at FROM sessions WHERE token_hash = ?`, h).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &s.Kind, &c, &l, &e)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gengxin.Errorf(gengxin.EUnauthorized, "登录已失效，请重新登录")
	}
	s.CreatedAt, s.LastSeen, s.ExpiresAt = parseTS(c), parseTS(l), parseTS(e)
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
