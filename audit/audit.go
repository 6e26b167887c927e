// Package audit holds the key of the audit trail (审计记录) and the
// request facts that every audit record carries. The key never lives in the
// database: it comes from a key file or the environment (cmd/gengxin), and
// it is used only through Keyring, so that a certified 密码机 (hardware
// security module) can replace the software key without touching the store.
//
// What is keyed: each event's MAC is HMAC-SM3 (RFC 2104 over GB/T 32905
// SM3) of the previous event's MAC and the event's canonical content
// (gengxin.EventCanonical); the chain head is MACed as well, so that a
// rewritten head or a cut tail is found by `gengxin audit verify`.
package audit

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"gengxin/keyfile"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// Keyring computes the MACs of the audit chain. MAC returns, as lowercase
// hex, a keyed MAC over prev (the previous record's MAC, "" for the first)
// and canonical (the record's canonical content). It must be deterministic
// and safe for concurrent use; it must not be computable without the key.
type Keyring interface {
	MAC(prev string, canonical []byte) string
}

// MinKeyBytes is the least key length accepted: 256 bits, the output size of
// SM3 (RFC 2104 §3: keys shorter than the hash output are discouraged).
const MinKeyBytes = 32

// HMAC is the software Keyring: HMAC-SM3 with a key held in memory.
type HMAC struct{ key []byte }

// NewHMAC returns an HMAC-SM3 keyring over a copy of key, or an error when
// the key is shorter than MinKeyBytes.
func NewHMAC(key []byte) (*HMAC, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("审计密钥过短：%d 字节，至少需要 %d 字节随机数", len(key), MinKeyBytes)
	}
	return &HMAC{key: append([]byte(nil), key...)}, nil
}

// MAC returns hex(HMAC-SM3(key, "len(prev):prev;" ‖ canonical)). The
// length prefix keeps prev and canonical apart.
func (h *HMAC) MAC(prev string, canonical []byte) string {
	m := hmac.New(sm3.New, h.key)
	m.Write([]byte(strconv.Itoa(len(prev)) + ":" + prev + ";"))
	m.Write(canonical)
	return hex.EncodeToString(m.Sum(nil))
}

// ID returns a short fingerprint of the key (16 hex digits), printed by
// `gengxin audit verify` so that operators can tell keys apart. It reveals
// nothing usable about the key.
func (h *HMAC) ID() string {
	return h.MAC("", []byte("gengxin audit key id"))[:16]
}

// ParseKey reads a key from the contents of a key file or from the
// environment: 64 or more hex digits (surrounding white space ignored), or
// otherwise the raw bytes themselves, at least MinKeyBytes long.
func ParseKey(b []byte) (*HMAC, error) {
	s := strings.TrimSpace(string(b))
	if len(s) >= 2*MinKeyBytes && len(s)%2 == 0 {
		if k, err := hex.DecodeString(s); err == nil {
			return NewHMAC(k)
		}
	}
	return NewHMAC(b)
}

// ParseHexKey reads a key given as hex (GENGXIN_AUDIT_KEY).
func ParseHexKey(s string) (*HMAC, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("审计密钥（GENGXIN_AUDIT_KEY）应为十六进制字符串")
	}
	return NewHMAC(k)
}

// LoadKeyFile reads the key file at path (keyfile.Read: owner-only).
func LoadKeyFile(path string) (*HMAC, error) {
	return keyfile.Load(path, "审计密钥", ParseKey)
}

// CreateKeyFile writes a new random key as hex to path (mode 0600),
// refusing to overwrite an existing file, and returns it.
func CreateKeyFile(path string) (*HMAC, error) {
	key, err := keyfile.Create(path, "审计密钥", MinKeyBytes)
	if err != nil {
		return nil, err
	}
	return NewHMAC(key)
}

// Results of an audited event.
const (
	ResultSuccess = "success" // 成功
	ResultFailure = "failure" // 失败（如登录失败）
	ResultDenied  = "denied"  // 拒绝（授权失败）
)

// ResultLabel names a result in Chinese.
func ResultLabel(r string) string {
	switch r {
	case ResultSuccess:
		return "成功"
	case ResultFailure:
		return "失败"
	case ResultDenied:
		return "拒绝"
	}
	return r
}

// DefaultResult is the result of an event written without one: failure for
// the security events that name a failure (login-failed, login-locked, …),
// denied for denials, success for everything else (a change that did not
// succeed is rolled back together with its event).
func DefaultResult(action string) string {
	switch {
	case action == "denied":
		return ResultDenied
	case strings.HasSuffix(action, "-failed"), strings.HasSuffix(action, "-locked"):
		return ResultFailure
	}
	return ResultSuccess
}

type sourceKey struct{}

// WithSource returns ctx carrying the source address of the request (the
// client IP); the store writes it into every event of that request.
func WithSource(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, sourceKey{}, addr)
}

// Source returns the source address carried by ctx, or "" (CLI, sweep).
func Source(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	s, _ := ctx.Value(sourceKey{}).(string)
	return s
}
