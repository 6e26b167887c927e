// Package crypt encrypts personal data at rest (GB/T 39786-2021 8.4 数据安全
// 层面, confidentiality of important data in storage). The store seals the
// few columns that hold personal data through the Sealer interface, so that
// a certified 密码机 (hardware security module) can replace the software key
// without touching the store.
//
// The software Sealer is SM4-GCM (GB/T 32907 SM4 in the GCM mode of GB/T
// 17964 / NIST SP 800-38D) with a 128-bit key that never lives in the
// database: it comes from a key file or the environment (cmd/gengxin), like
// the audit key. A sealed value is versioned text, "sm4gcm1:" followed by
// standard base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes); a
// value without a known prefix is legacy plaintext and Open returns it as
// it is, so databases written before encryption still read.
package crypt

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"gengxin/keyfile"
	"strings"

	"github.com/emmansun/gmsm/sm4"
)

// Sealer encrypts and decrypts one text value. Seal returns a versioned
// ciphertext; Open returns the plaintext of a value Seal produced, the value
// itself when it carries no version prefix (legacy plaintext), and an error
// when a sealed value was altered or sealed under another key. Both are
// safe for concurrent use.
type Sealer interface {
	Seal(plain string) (string, error)
	Open(sealed string) (string, error)
}

// Prefix marks a value sealed with SM4-GCM, format version 1.
const Prefix = "sm4gcm1:"

// KeyBytes is the SM4 key length: 128 bits.
const KeyBytes = 16

// ErrOpen is returned (wrapped) when a sealed value cannot be opened: it was
// altered, truncated, or sealed under another key.
var ErrOpen = errors.New("个人信息密文无法解密（数据被篡改或数据密钥不符）")

// SM4GCM is the software Sealer: SM4-GCM with a key held in memory, a fresh
// random 96-bit nonce for every Seal.
type SM4GCM struct {
	aead cipher.AEAD
	id   string
}

// NewSM4GCM returns a Sealer over a KeyBytes-long key.
func NewSM4GCM(key []byte) (*SM4GCM, error) {
	if len(key) != KeyBytes {
		return nil, fmt.Errorf("数据密钥长度应为 %d 字节（128位），实际为 %d 字节", KeyBytes, len(key))
	}
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	s := &SM4GCM{aead: aead}
	// The key id is the tag of an empty message under an all-zero nonce: a
	// fingerprint that tells keys apart and reveals nothing usable.
	s.id = hex.EncodeToString(aead.Seal(nil, make([]byte, aead.NonceSize()), nil, []byte("gengxin data key id")))[:16]
	return s, nil
}

// ID returns a short fingerprint of the key (16 hex digits).
func (s *SM4GCM) ID() string { return s.id }

// Seal encrypts plain under a fresh random nonce.
func (s *SM4GCM) Seal(plain string) (string, error) {
	ns := s.aead.NonceSize()
	buf := make([]byte, ns, ns+len(plain)+s.aead.Overhead())
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	buf = s.aead.Seal(buf, buf[:ns], []byte(plain), []byte(Prefix))
	return Prefix + base64.StdEncoding.EncodeToString(buf), nil
}

// Open decrypts a value Seal produced; a value without Prefix is returned
// unchanged (legacy plaintext).
func (s *SM4GCM) Open(sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, Prefix)
	if !ok {
		return sealed, nil
	}
	b, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(b) < s.aead.NonceSize()+s.aead.Overhead() {
		return "", ErrOpen
	}
	ns := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:ns], b[ns:], []byte(Prefix))
	if err != nil {
		return "", ErrOpen
	}
	return string(plain), nil
}

// Sealed reports whether v carries the prefix of a sealed value.
func Sealed(v string) bool { return strings.HasPrefix(v, Prefix) }

// ParseKey reads a key from the contents of a key file or the environment:
// 32 hex digits (surrounding white space ignored), or else exactly
// KeyBytes raw bytes.
func ParseKey(b []byte) (*SM4GCM, error) {
	s := strings.TrimSpace(string(b))
	if len(s) == 2*KeyBytes {
		if k, err := hex.DecodeString(s); err == nil {
			return NewSM4GCM(k)
		}
	}
	if len(b) == KeyBytes {
		return NewSM4GCM(b)
	}
	return nil, fmt.Errorf("数据密钥应为 %d 位十六进制数（%d 字节随机数）", 2*KeyBytes, KeyBytes)
}

// ParseHexKey reads a key given as hex (GENGXIN_DATA_KEY).
func ParseHexKey(s string) (*SM4GCM, error) {
	k, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("数据密钥（GENGXIN_DATA_KEY）应为十六进制字符串")
	}
	return NewSM4GCM(k)
}

// LoadKeyFile reads the key file at path (keyfile.Read: owner-only).
func LoadKeyFile(path string) (*SM4GCM, error) {
	return keyfile.Load(path, "数据密钥", ParseKey)
}

// CreateKeyFile writes a new random key as hex to path (mode 0600),
// refusing to overwrite an existing file, and returns it.
func CreateKeyFile(path string) (*SM4GCM, error) {
	key, err := keyfile.Create(path, "数据密钥", KeyBytes)
	if err != nil {
		return nil, err
	}
	return NewSM4GCM(key)
}
