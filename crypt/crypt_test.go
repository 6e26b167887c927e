package crypt

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var testKey = []byte("0123456789abcdef")

func mustSealer(t *testing.T, key []byte) *SM4GCM {
	t.Helper()
	s, err := NewSM4GCM(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	s := mustSealer(t, testKey)
	for _, plain := range []string{"", "张三 13800000000", "JBSWY3DPEHPK3PXP", strings.Repeat("长", 1000), "sm4gcm1:not really"} {
		c, err := s.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c, Prefix) || (plain != "" && strings.Contains(c, plain)) {
			t.Errorf("Seal(%q) = %q", plain, c)
		}
		got, err := s.Open(c)
		if err != nil || got != plain {
			t.Errorf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
		c2, _ := s.Seal(plain)
		if c2 == c {
			t.Errorf("two seals of %q are equal: nonce reused", plain)
		}
	}
}

// TestFormat pins the layout of version 1: prefix, base64 of nonce (12) ‖
// ciphertext ‖ tag (16).
func TestFormat(t *testing.T) {
	s := mustSealer(t, testKey)
	c, _ := s.Seal("张三 13800000000")
	b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(c, Prefix))
	if len(b) != 12+len("张三 13800000000")+16 {
		t.Errorf("sealed length %d, want nonce 12 + plaintext + tag 16", len(b))
	}
}

func TestLegacyPlaintext(t *testing.T) {
	s := mustSealer(t, testKey)
	for _, v := range []string{"", "张三 13800000000", "JBSWY3DPEHPK3PXP", "sm4gcm2:future"} {
		got, err := s.Open(v)
		if err != nil || got != v {
			t.Errorf("Open(%q) = %q, %v; want it as is", v, got, err)
		}
	}
}

func TestTamper(t *testing.T) {
	s := mustSealer(t, testKey)
	c, _ := s.Seal("张三 13800000000")
	b, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(c, Prefix))
	for i := range b {
		m := append([]byte(nil), b...)
		m[i] ^= 0x01
		if _, err := s.Open(Prefix + base64.StdEncoding.EncodeToString(m)); !errors.Is(err, ErrOpen) {
			t.Fatalf("flipped byte %d: err %v, want ErrOpen", i, err)
		}
	}
	for _, bad := range []string{Prefix, Prefix + "!!!", Prefix + "AAAA", c[:len(c)-4], c + "AAAA", Prefix + base64.StdEncoding.EncodeToString(b[:27])} {
		if _, err := s.Open(bad); !errors.Is(err, ErrOpen) {
			t.Errorf("Open(%q): err %v, want ErrOpen", bad, err)
		}
	}
}

func TestWrongKey(t *testing.T) {
	c, _ := mustSealer(t, testKey).Seal("张三 13800000000")
	other := mustSealer(t, []byte("fedcba9876543210"))
	if got, err := other.Open(c); !errors.Is(err, ErrOpen) || got != "" {
		t.Errorf("Open under another key = %q, %v; want ErrOpen", got, err)
	}
	if mustSealer(t, testKey).ID() == other.ID() {
		t.Error("two keys have the same ID")
	}
}

func TestKeys(t *testing.T) {
	for _, k := range [][]byte{nil, []byte("short"), []byte("0123456789abcdef0")} {
		if _, err := NewSM4GCM(k); err == nil {
			t.Errorf("NewSM4GCM(%d bytes) accepted", len(k))
		}
	}
	hexKey := "000102030405060708090a0b0c0d0e0f"
	a, err := ParseKey([]byte(" " + hexKey + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseHexKey(hexKey)
	if err != nil || a.ID() != b.ID() {
		t.Fatalf("ParseKey and ParseHexKey differ: %v", err)
	}
	if _, err := ParseHexKey("zz"); err == nil {
		t.Error("ParseHexKey accepted non-hex")
	}
	if _, err := ParseKey([]byte("too short")); err == nil {
		t.Error("ParseKey accepted a short key")
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "db.datakey")
	k, err := CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %04o, want 0600", st.Mode().Perm())
	}
	if _, err := CreateKeyFile(path); err == nil {
		t.Error("CreateKeyFile overwrote an existing key")
	}
	l, err := LoadKeyFile(path)
	if err != nil || l.ID() != k.ID() {
		t.Fatalf("LoadKeyFile: %v", err)
	}
	c, _ := k.Seal("x")
	if got, err := l.Open(c); err != nil || got != "x" {
		t.Errorf("loaded key does not open: %q %v", got, err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadKeyFile(path); err == nil {
		t.Error("LoadKeyFile accepted a world-readable key file")
	}
	if _, err := LoadKeyFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("LoadKeyFile accepted a missing file")
	}
}

// FuzzOpen: Open never panics on any stored value, and whatever it opens
// without the prefix comes back unchanged.
func FuzzOpen(f *testing.F) {
	s, _ := NewSM4GCM(testKey)
	c, _ := s.Seal("张三 13800000000")
	for _, v := range []string{"", "plain", Prefix, Prefix + "AAAA", c, c[:len(c)-1]} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got, err := s.Open(v)
		if !strings.HasPrefix(v, Prefix) && (err != nil || got != v) {
			t.Fatalf("Open(%q) = %q, %v", v, got, err)
		}
	})
}
