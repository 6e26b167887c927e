package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"gengxin"
	"gengxin/store"
)

// IdempotencyHeader is the request header of a POST to the JSON API that
// makes the POST safe to retry: the first request with a key runs, and
// every later one of the same user with that key gets the first one's
// status and body without running again.
const IdempotencyHeader = "Idempotency-Key"

// idempotencyTTL is how long a key is remembered; older keys may be purged
// and are then reserved afresh.
const idempotencyTTL = 24 * time.Hour

// maxIdempotentBody bounds the body hashed in memory (uploads and imports
// have their own smaller limits; a larger body is refused anyway).
const maxIdempotentBody = 32 << 20

// lastPurge is the Unix time of the last purge of expired keys.
var lastPurge atomic.Int64

// idempotent runs h for a POST carrying an Idempotency-Key at most once per
// user and key (DESIGN: reserve first). The key is reserved (a 'pending'
// row, committed) before h runs, then h's response is stored:
//
//   - same key, same method, path and body, response stored: the stored
//     status and body are answered (header Idempotent-Replayed: true) and
//     nothing runs;
//   - same key, still pending (a concurrent duplicate, or a process that
//     stopped between the action's commit and the response's): 409;
//   - same key, another body, method or path: 422.
//
// A response that did not take effect and may be retried (409, 429, 5xx)
// releases the key instead of being stored.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, u *gengxin.User, h func(w http.ResponseWriter, r *http.Request, u *gengxin.User)) {
	key := r.Header.Get(IdempotencyHeader)
	if len(key) > 255 || !printableASCII(key) {
		s.apiError(w, r, gengxin.Errorf(gengxin.EInvalid, "Idempotency-Key 应为1至255个可打印 ASCII 字符"))
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxIdempotentBody+1))
	if err != nil {
		s.apiError(w, r, gengxin.Errorf(gengxin.EInvalid, "请求体读取失败"))
		return
	}
	if len(body) > maxIdempotentBody {
		s.apiError(w, r, gengxin.Errorf(gengxin.ETooLarge, "请求体超过 %d 字节", maxIdempotentBody))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(body)
	now := s.App.Clock.Now().UTC()
	want := &store.IdempotencyKey{UserID: u.ID, Key: key, Method: r.Method, Path: r.URL.Path, BodySHA256: hex.EncodeToString(sum[:]), CreatedAt: now}
	ctx := context.WithoutCancel(r.Context())
	s.purgeIdempotencyKeys(ctx, now)
	var held *store.IdempotencyKey
	err = s.App.DB.Tx(ctx, func(tx *store.Tx) error {
		var err error
		held, err = tx.ReserveIdempotencyKey(want, now.Add(-idempotencyTTL))
		return err
	})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if held != nil {
		switch {
		case held.Method != want.Method || held.Path != want.Path || held.BodySHA256 != want.BodySHA256:
			s.apiError(w, r, gengxin.Errorf(gengxin.ERuleRefused, "Idempotency-Key「%s」已用于另一请求（请求方法、地址或请求体不同），不能重复使用；新的请求请使用新的 Idempotency-Key", key))
		case held.Pending():
			s.apiError(w, r, gengxin.Errorf(gengxin.EConflict, "使用相同 Idempotency-Key 的请求正在处理中（或处理结果未能保存），请稍后查询结果，不要重复提交"))
		default:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(held.Status)
			io.WriteString(w, held.Response)
		}
		return
	}

	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	done := false
	defer func() {
		if !done { // h panicked: nothing is known to have taken effect
			s.App.DB.Tx(ctx, func(tx *store.Tx) error { return tx.ReleaseIdempotencyKey(u.ID, key) })
		}
	}()
	h(rec, r, u)
	done = true
	err = s.App.DB.Tx(ctx, func(tx *store.Tx) error {
		if retryable(rec.status) {
			return tx.ReleaseIdempotencyKey(u.ID, key)
		}
		return tx.CompleteIdempotencyKey(u.ID, key, rec.status, rec.body.String())
	})
	if err != nil {
		// The action's own result stands; only its replay is lost (the key
		// stays pending and answers 409 until it expires).
		s.Log.Error("idempotency: storing the response failed", "rid", requestID(r), "err", err)
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// purgeIdempotencyKeys deletes expired keys, at most once an hour.
func (s *Server) purgeIdempotencyKeys(ctx context.Context, now time.Time) {
	last := lastPurge.Load()
	if now.Unix()-last < 3600 || !lastPurge.CompareAndSwap(last, now.Unix()) {
		return
	}
	err := s.App.DB.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.PurgeIdempotencyKeys(now.Add(-idempotencyTTL))
		return err
	})
	if err != nil {
		s.Log.Warn("idempotency: purge failed", "err", err)
	}
}

// retryable reports whether a response means the action did not take effect
// and the same request may be sent again.
func retryable(status int) bool {
	return status == http.StatusConflict || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500
}

func printableASCII(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder buffers a handler's response so that it can be stored before it
// is sent.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.body.Write(b)
}
