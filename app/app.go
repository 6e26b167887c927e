// Package app holds gengxin's application services: one per procedure. A
// service call authorises the actor (gengxin.Authorize), checks the
// gazette's conditions with package rules, computes dates with package
// calendar, and writes the change, its event and its deadlines in one
// transaction of package store. Pages and the JSON API both call it.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"gengxin"
	"gengxin/audit"
	"gengxin/calendar"
	"gengxin/rules"
	"gengxin/store"
)

// App is the application: its dependencies are passed in, never global.
type App struct {
	DB      *store.DB
	Keys    audit.Keyring // the audit key (outside the database); MACs the event chain
	Clock   gengxin.Clock
	Files   string // directory for uploads, outside any web root
	BaseURL string // public address printed on notices for verification
	Log     *slog.Logger

	cal atomic.Pointer[calendar.Calendar]
	// portalGen counts changes of what the public portal shows (publications,
	// comments, moderation, answers), so that cached public pages expire.
	portalGen atomic.Int64
}

// PortalVersion changes whenever a publication, a comment, its moderation or
// its answer is written: a public page rendered at one version is current
// while the version stays the same.
func (a *App) PortalVersion() int64 { return a.portalGen.Load() }

func (a *App) portalChanged() { a.portalGen.Add(1) }

// New returns an App over db whose events are MACed with keys (the audit
// key, which must not be stored in db; cmd/gengxin reads it from a key file
// or the environment). It gives db the keyring, signs the chain head if it
// has no MAC yet (a new database, or one upgraded from the unkeyed chain),
// and loads the working-day calendar: the embedded State Council years plus
// any years operators loaded.
func New(ctx context.Context, db *store.DB, keys audit.Keyring, clock gengxin.Clock, files, baseURL string, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	if keys == nil {
		return nil, gengxin.Errorf(gengxin.EInvalid, "未提供审计密钥：审计记录须以 HMAC-SM3 签名（--audit-key-file 或环境变量 GENGXIN_AUDIT_KEY_FILE / GENGXIN_AUDIT_KEY）")
	}
	db.SetKeyring(keys)
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.AnchorChain(keys) }); err != nil {
		return nil, err
	}
	a := &App{DB: db, Keys: keys, Clock: clock, Files: files, BaseURL: baseURL, Log: log}
	if err := a.ReloadCalendar(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// Calendar returns the working-day calendar in force.
func (a *App) Calendar() *calendar.Calendar { return a.cal.Load() }

// ReloadCalendar rebuilds the calendar from the embedded years and the
// operator-loaded ones (a loaded year replaces the embedded one).
func (a *App) ReloadCalendar(ctx context.Context) error {
	years := calendar.Embedded()
	stored, err := a.DB.Read(ctx).CalendarYears()
	if err != nil {
		return err
	}
	for _, b := range stored {
		y, err := calendar.ParseYear(b)
		if err != nil {
			a.Log.Error("stored calendar year is invalid; skipped", "err", err)
			continue
		}
		years = append(years, y)
	}
	c, err := calendar.New(years...)
	if err != nil {
		return err
	}
	a.cal.Store(c)
	return nil
}

// LoadCalendarYear validates a year of holiday data (the JSON of
// calendar.ParseYear), stores it and puts it in force. Only operators
// (sysadmin) may do so from the web; the CLI passes a nil actor.
func (a *App) LoadCalendarYear(ctx context.Context, actor *gengxin.User, data []byte) (calendar.Year, error) {
	if actor != nil && actor.Role != gengxin.RoleSysAdmin {
		return calendar.Year{}, gengxin.Errorf(gengxin.EForbidden, "只有系统管理员可以维护工作日历")
	}
	y, err := calendar.ParseYear(data)
	if err != nil {
		return calendar.Year{}, &gengxin.Error{Code: gengxin.EInvalid, Message: err.Error()}
	}
	norm, _ := json.Marshal(y)
	err = a.DB.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.PutCalendarYear(y.Year, norm, actorName(actor), a.now()); err != nil {
			return err
		}
		return tx.AppendEvent(&gengxin.Event{At: a.now(), ActorID: actorID(actor), Actor: actorName(actor), Role: actorRole(actor),
			Action: "calendar-load", Summary: "载入" + itoa(y.Year) + "年节假日安排（" + y.Notice + "）", Data: string(norm),
			Citation: "DECISIONS D3"})
	})
	if err != nil {
		return calendar.Year{}, err
	}
	return y, a.ReloadCalendar(ctx)
}

func (a *App) now() time.Time { return a.Clock.Now().UTC().Truncate(time.Microsecond) }

// Today returns today's civil date in Beijing.
func (a *App) Today() calendar.Date { return calendar.DateIn(a.Clock.Now()) }

func actorName(u *gengxin.User) string {
	if u == nil {
		return "系统"
	}
	if u.DisplayName != "" && u.Role != gengxin.RoleApplicant {
		return u.Title() + " " + u.DisplayName
	}
	return u.Title()
}

func actorRole(u *gengxin.User) string {
	if u == nil {
		return "system"
	}
	return string(u.Role)
}

func actorID(u *gengxin.User) int64 {
	if u == nil {
		return 0
	}
	return u.ID
}

// refuse turns failing findings into one 422 error that names every rule
// and citation at once (一次性告知), or returns nil when none fails.
func refuse(msg string, fs []rules.Finding) error {
	var details []gengxin.ErrorDetail
	for _, f := range fs {
		if f.Outcome == rules.Fail {
			details = append(details, gengxin.ErrorDetail{Rule: f.Rule, Citation: f.Citation, Message: f.Message})
		}
	}
	if len(details) == 0 {
		return nil
	}
	return refusal(msg, details)
}

// refusal is the 422 error of refuse for details at least one: the first
// detail's rule and citation, and its message too when it is the only one.
func refusal(msg string, details []gengxin.ErrorDetail) *gengxin.Error {
	e := &gengxin.Error{Code: gengxin.ERuleRefused, Message: msg, Rule: details[0].Rule, Citation: details[0].Citation, Details: details}
	if len(details) == 1 {
		e.Message = msg + "：" + details[0].Message
	}
	return e
}

func itoa(n int) string { return strconv.Itoa(n) }

// badField is an EInvalid error naming one field.
func badField(field, msg string) error {
	return &gengxin.Error{Code: gengxin.EInvalid, Message: msg, Details: []gengxin.ErrorDetail{{Field: field, Message: msg}}}
}
