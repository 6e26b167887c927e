// Package totp implements time-based one-time passwords (RFC 6238) over
// HMAC-SHA-1 HOTP (RFC 4226), as shown by authenticator apps: 6 digits,
// 30-second steps. It is pure: the caller passes the time and the last step
// it accepted, and stores the secret.
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"net/url"
	"strings"
	"time"
)

// Parameters of the codes (RFC 6238 §4 defaults; what authenticator apps
// assume when the otpauth URI says nothing else).
const (
	Digits     = 6
	Period     = 30 // seconds per step
	Window     = 1  // steps accepted either side of now (clock drift)
	SecretSize = 20 // bytes: the HMAC-SHA-1 block of RFC 4226 §4 R6
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a random secret of SecretSize bytes.
func NewSecret() []byte {
	b := make([]byte, SecretSize)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return b
}

// EncodeSecret returns the secret in unpadded base32, as typed into an
// authenticator app.
func EncodeSecret(secret []byte) string { return b32.EncodeToString(secret) }

// DecodeSecret parses a base32 secret, ignoring case, spaces and padding.
func DecodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(s))
	b, err := b32.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, errors.New("totp: invalid base32 secret")
	}
	return b, nil
}

// Step returns the time step of t (RFC 6238 §4.2: T = floor((t − T0) / X),
// T0 = 0, X = Period).
func Step(t time.Time) int64 { return t.Unix() / Period }

// HOTP returns the digits-long code of counter (RFC 4226 §5.3 dynamic
// truncation).
func HOTP(secret []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, secret)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	code := []byte(itoa(bin % mod))
	for len(code) < digits {
		code = append([]byte{'0'}, code...)
	}
	return string(code)
}

func itoa(n uint32) string {
	if n == 0 {
		return "0"
	}
	var b [10]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Code returns the Digits-long code of secret at t.
func Code(secret []byte, t time.Time) string { return HOTP(secret, Step(t), Digits) }

// Verify reports whether code is the code of secret at t or within Window
// steps of it, and returns the step it matched. A step at or before
// lastStep (the last one accepted for this secret) is refused, so the same
// code, or an older one, cannot be replayed (RFC 6238 §5.2). Spaces in code
// are ignored; the comparison is constant-time per step.
func Verify(secret []byte, code string, t time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != Digits || len(secret) == 0 {
		return 0, false
	}
	now := Step(t)
	for s := now - Window; s <= now+Window; s++ {
		if s <= lastStep {
			continue
		}
		if subtle.ConstantTimeCompare([]byte(HOTP(secret, s, Digits)), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// URI returns the otpauth:// key URI that authenticator apps import (the
// Google Authenticator "Key Uri Format"): label "issuer:account", with the
// secret, issuer, algorithm, digits and period spelled out.
func URI(issuer, account string, secret []byte) string {
	v := url.Values{}
	v.Set("secret", EncodeSecret(secret))
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", itoa(Digits))
	v.Set("period", itoa(Period))
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	return "otpauth://totp/" + label + "?" + v.Encode()
}
