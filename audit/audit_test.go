package audit

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

// hmacByHand is RFC 2104 written out: H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m)),
// K' the key padded with zeros to SM3's 64-byte block (hashed first when
// longer), ipad 0x36, opad 0x5c.
func hmacByHand(key, m []byte) []byte {
	if len(key) > sm3.BlockSize {
		s := sm3.Sum(key)
		key = s[:]
	}
	k := make([]byte, sm3.BlockSize)
	copy(k, key)
	ipad, opad := bytes.Repeat([]byte{0x36}, sm3.BlockSize), bytes.Repeat([]byte{0x5c}, sm3.BlockSize)
	for i := range k {
		ipad[i] ^= k[i]
		opad[i] ^= k[i]
	}
	inner := sm3.Sum(append(ipad, m...))
	outer := sm3.Sum(append(opad, inner[:]...))
	return outer[:]
}

func TestMACIsHMACSM3(t *testing.T) {
	for _, key := range [][]byte{bytes.Repeat([]byte{0x0b}, 32), []byte(strings.Repeat("long key ", 10))} {
		h, err := NewHMAC(key)
		if err != nil {
			t.Fatal(err)
		}
		canonical := []byte("2:12;1:3;中文;")
		want := hex.EncodeToString(hmacByHand(key, append([]byte("3:abc;"), canonical...)))
		if got := h.MAC("abc", canonical); got != want {
			t.Errorf("MAC = %s, want %s", got, want)
		}
	}
}

func TestMACDependsOnKeyAndPrev(t *testing.T) {
	a, _ := NewHMAC(bytes.Repeat([]byte{1}, 32))
	b, _ := NewHMAC(bytes.Repeat([]byte{2}, 32))
	if a.MAC("p", []byte("x")) == b.MAC("p", []byte("x")) {
		t.Error("MAC does not depend on the key")
	}
	if a.MAC("p", []byte("x")) == a.MAC("q", []byte("x")) || a.MAC("ab", []byte("c")) == a.MAC("a", []byte("bc")) {
		t.Error("MAC does not separate prev and canonical")
	}
	if a.ID() == b.ID() || len(a.ID()) != 16 {
		t.Errorf("key ids %q %q", a.ID(), b.ID())
	}
}

func TestKeys(t *testing.T) {
	if _, err := NewHMAC(make([]byte, 31)); err == nil {
		t.Error("31-byte key accepted")
	}
	hexKey := strings.Repeat("ab", 32)
	k1, err := ParseKey([]byte(hexKey + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := ParseHexKey(hexKey)
	raw, _ := hex.DecodeString(hexKey)
	k3, _ := NewHMAC(raw)
	if k1.MAC("", nil) != k2.MAC("", nil) || k1.MAC("", nil) != k3.MAC("", nil) {
		t.Error("hex key file, hex env and raw bytes disagree")
	}
	if _, err := ParseHexKey("zz"); err == nil {
		t.Error("bad hex accepted")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "k")
	c, err := CreateKeyFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", st.Mode())
	}
	l, err := LoadKeyFile(p)
	if err != nil || l.MAC("", nil) != c.MAC("", nil) {
		t.Fatalf("LoadKeyFile: %v", err)
	}
	if _, err := CreateKeyFile(p); err == nil {
		t.Error("CreateKeyFile overwrote an existing key")
	}
	os.Chmod(p, 0o644)
	if _, err := LoadKeyFile(p); err == nil {
		t.Error("world-readable key file accepted")
	}
}

func TestDefaultResultAndSource(t *testing.T) {
	for action, want := range map[string]string{"login": ResultSuccess, "login-failed": ResultFailure, "login-locked": ResultFailure, "denied": ResultDenied, "admit": ResultSuccess} {
		if got := DefaultResult(action); got != want {
			t.Errorf("DefaultResult(%s) = %s, want %s", action, got, want)
		}
	}
	if Source(context.Background()) != "" || Source(WithSource(context.Background(), "10.1.2.3")) != "10.1.2.3" {
		t.Error("source round trip")
	}
}
