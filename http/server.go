// Package http serves gengxin's Chinese pages (server-rendered, usable
// without JavaScript) and its JSON API. Both call the same application
// services in package app; this package only translates requests and
// errors. Routes are in routes.go.
package http

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
)

//go:embed templates static
var assets embed.FS

// Server is the HTTP front of an App.
type Server struct {
	App     *app.App
	Log     *slog.Logger
	mux     *http.ServeMux
	pages   map[string]*template.Template
	limiter *limiter
	// pubCache serves public publication pages from memory (issue 5).
	pubCache pageCache
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (rate limits and the audit trail's source address); empty: the
	// peer address is the client.
	TrustedProxies []netip.Prefix
	// APIPerMinute is the most API requests one client address may make in
	// a minute (0: DefaultAPIPerMinute). An office behind one NAT address
	// may need more.
	APIPerMinute int
}

// DefaultAPIPerMinute is the API allowance of one client address.
const DefaultAPIPerMinute = 1200

// NewServer returns a Server with every route registered and every
// template parsed (a template that does not parse is a start-up error).
func NewServer(a *app.App) (*Server, error) {
	s := &Server{App: a, Log: a.Log, mux: http.NewServeMux(), limiter: newLimiter()}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

// ServeHTTP applies the common middleware: request id, security headers,
// panic recovery (a generic page with the request id, never a stack trace).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := newID()
	ctx := context.WithValue(r.Context(), ridKey{}, rid)
	ctx = audit.WithSource(ctx, s.clientIP(r)) // every audit record of the request carries it
	r = r.WithContext(ctx)
	h := w.Header()
	h.Set("X-Request-Id", rid)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
	if r.TLS != nil {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic", "rid", rid, "panic", p, "stack", string(debug.Stack()))
			s.fail(w, r, errors.New(fmt.Sprint(p)))
		}
	}()
	if err := cleanRequest(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	start := time.Now()
	s.mux.ServeHTTP(w, r)
	if d := time.Since(start); d > time.Second {
		s.Log.Warn("slow request", "rid", rid, "path", r.URL.Path, "ms", d.Milliseconds())
	}
}

type ridKey struct{}
type userKey struct{}
type sessKey struct{}

func requestID(r *http.Request) string {
	v, _ := r.Context().Value(ridKey{}).(string)
	return v
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// statusOf maps a domain error code to an HTTP status (STYLE.md: one place).
func statusOf(code string) int {
	switch code {
	case gengxin.EInvalid:
		return http.StatusBadRequest
	case gengxin.EUnauthorized:
		return http.StatusUnauthorized
	case gengxin.EForbidden:
		return http.StatusForbidden
	case gengxin.ENotFound:
		return http.StatusNotFound
	case gengxin.EConflict:
		return http.StatusConflict
	case gengxin.ERuleRefused:
		return http.StatusUnprocessableEntity
	case gengxin.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case gengxin.ETooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON error of DESIGN.md §4.
type errorBody struct {
	Error *gengxin.Error `json:"error"`
}

// publicError returns the *gengxin.Error to show for err: internal errors are
// logged with detail and shown as a generic Chinese sentence with the request id.
func (s *Server) publicError(r *http.Request, err error) *gengxin.Error {
	if e := gengxin.AsError(err); e != nil && e.Code != gengxin.EInternal {
		s.recordDenial(r, e)
		return e
	}
	if errors.Is(err, context.Canceled) {
		return &gengxin.Error{Code: gengxin.EInternal, Message: "请求已取消"}
	}
	s.Log.Error("internal error", "rid", requestID(r), "method", r.Method, "path", r.URL.Path, "err", err)
	return &gengxin.Error{Code: gengxin.EInternal, Message: gengxin.ErrorMessage(err) + "（请求编号 " + requestID(r) + "）"}
}

// recordDenial writes a refused request (codes forbidden, not_found,
// unauthorized) to the audit trail through app.RecordDenial. Requests
// without a user are recorded only when they presented a token that was
// refused or were forbidden (a forged form): a page asking to sign in, an
// unknown path and a failed login (app.Login records that itself) are not.
func (s *Server) recordDenial(r *http.Request, e *gengxin.Error) {
	switch e.Code {
	case gengxin.EForbidden, gengxin.ENotFound, gengxin.EUnauthorized:
	default:
		return
	}
	u, _ := r.Context().Value(userKey{}).(*gengxin.User)
	if u == nil {
		if strings.HasPrefix(r.URL.Path, "/login") || strings.HasPrefix(r.URL.Path, "/api/v1/login") {
			return
		}
		if tok, _ := token(r); e.Code == gengxin.ENotFound || (e.Code == gengxin.EUnauthorized && tok == "") {
			return
		}
	}
	var pid int64
	if id := r.PathValue("id"); id != "" {
		pid, _ = strconv.ParseInt(id, 10, 64)
	}
	s.App.RecordDenial(r.Context(), u, r.Method+" "+r.URL.Path, pid, e.Code, e.Message)
}

// apiError writes err as JSON.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	e := s.publicError(r, err)
	writeJSON(w, statusOf(e.Code), errorBody{e})
}

// fail writes err as JSON for API paths and as a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if isAPI(r) {
		s.apiError(w, r, err)
		return
	}
	e := s.publicError(r, err)
	if e.Code == gengxin.EUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.render(w, r, statusOf(e.Code), "error", &errorPage{Err: e, RequestID: requestID(r)})
}

// pageError reports whether the failure of a form is shown as the error
// page (s.fail): forbidden, not-found, unauthorized and internal errors;
// the rest are shown on the form's page.
func pageError(err error) bool {
	switch gengxin.ErrorCode(err) {
	case gengxin.ENotFound, gengxin.EForbidden, gengxin.EInternal, gengxin.EUnauthorized:
		return true
	}
	return false
}

func isAPI(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/healthz" || r.URL.Path == "/openapi.json"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decodeJSON reads a JSON body strictly: at most max bytes, unknown fields
// and trailing data are errors (EInvalid with a Chinese message).
func decodeJSON(r *http.Request, max int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return gengxin.Errorf(gengxin.EInvalid, "请求体应为 JSON（Content-Type: application/json）")
	}
	body := http.MaxBytesReader(nil, r.Body, max)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &mbe):
			return gengxin.Errorf(gengxin.ETooLarge, "请求体超过 %d 字节", max)
		case errors.Is(err, io.EOF):
			return gengxin.Errorf(gengxin.EInvalid, "请求体为空，应为 JSON 对象")
		case errors.Is(err, io.ErrUnexpectedEOF):
			return gengxin.Errorf(gengxin.EInvalid, "JSON 不完整，请检查括号和引号")
		case errors.As(err, &se):
			return gengxin.Errorf(gengxin.EInvalid, "JSON 格式错误（第 %d 字节附近）", se.Offset)
		case errors.As(err, &te):
			return gengxin.Errorf(gengxin.EInvalid, "字段「%s」类型错误：应为 %s", te.Field, typeName(te.Type.String()))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return gengxin.Errorf(gengxin.EInvalid, "未知字段 %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return gengxin.Errorf(gengxin.EInvalid, "JSON 无法解析：%s", err.Error())
	}
	if dec.More() {
		return gengxin.Errorf(gengxin.EInvalid, "请求体只能包含一个 JSON 对象")
	}
	if p, bad := uncleanJSON(reflect.ValueOf(v)); bad {
		return uncleanErr(p)
	}
	return nil
}

func typeName(t string) string {
	switch {
	case strings.Contains(t, "int"):
		return "整数"
	case strings.Contains(t, "bool"):
		return "true 或 false"
	case strings.Contains(t, "[]"):
		return "数组"
	case strings.Contains(t, "string"), strings.Contains(t, "Decimal"):
		return "字符串"
	}
	return t
}

// clientIP returns the remote address without port.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.TrustedProxies) == 0 || !s.trusted(host) {
		return host
	}
	// Behind a trusted reverse proxy: the client is the right-most address
	// of X-Forwarded-For that is not itself a trusted proxy (the left part
	// of the header is whatever the client sent, so it is never believed).
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h := strings.TrimSpace(hops[i])
		if h == "" {
			continue
		}
		if _, err := netip.ParseAddr(h); err != nil {
			return host // a malformed header: keep the proxy's address
		}
		if !s.trusted(h) {
			return h
		}
	}
	return host
}

// trusted reports whether addr is one of the TrustedProxies.
func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of addresses or CIDR
// prefixes ("127.0.0.1, 10.0.0.0/8").
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("代理地址无效：%s", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("代理地址段无效：%s", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// limiter is a per-key fixed-window rate limiter (login, upload, API).
type limiter struct {
	mu     sync.Mutex
	m      map[string]*window
	purged time.Time // the last sweep of expired windows
}

type window struct {
	start time.Time
	per   time.Duration
	n     int
}

func newLimiter() *limiter { return &limiter{m: map[string]*window{}} }

// allow reports whether key may make one more request in the current
// window of length per, at most n per window.
func (l *limiter) allow(key string, n int, per time.Duration) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	w := l.m[key]
	if w == nil || now.Sub(w.start) > per {
		if len(l.m) > 100000 && now.Sub(l.purged) > time.Minute {
			// At most once a minute, so that a map full of live windows is
			// not scanned on every new key.
			l.purged = now
			// Drop the windows that are over; live counts are kept, so a
			// flood of new keys cannot reset everyone's allowance.
			for k, x := range l.m {
				if now.Sub(x.start) > x.per {
					delete(l.m, k)
				}
			}
		}
		w = &window{start: now, per: per}
		l.m[key] = w
	}
	w.n++
	return w.n <= n
}

var staticFS, _ = fs.Sub(assets, "static")

// Health answers GET /healthz.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.App.DB.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(s.App.DB.Dialect)})
}
