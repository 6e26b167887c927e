package keyfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCreateRead(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k")
	k, err := Create(p, "测试密钥", 32)
	if err != nil || len(k) != 32 {
		t.Fatalf("create: %v %d", err, len(k))
	}
	if _, err := Create(p, "测试密钥", 32); err == nil {
		t.Fatal("create must not overwrite")
	}
	b, err := Read(p, "测试密钥")
	if err != nil || len(strings.TrimSpace(string(b))) != 64 {
		t.Fatalf("read: %v %q", err, b)
	}
	os.Chmod(p, 0o644)
	if _, err := Read(p, "测试密钥"); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable key accepted: %v", err)
	}
	if _, err := Read(p+".missing", "测试密钥"); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("missing: %v", err)
	}
}

func TestLoad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k")
	if _, err := Create(p, "测试密钥", 16); err != nil {
		t.Fatal(err)
	}
	n, err := Load(p, "测试密钥", func(b []byte) (int, error) { return len(strings.TrimSpace(string(b))), nil })
	if err != nil || n != 32 {
		t.Fatalf("load: %v %d", err, n)
	}
	_, err = Load(p, "测试密钥", func([]byte) (int, error) { return 0, errors.New("格式不对") })
	if err == nil || err.Error() != p+"：格式不对" {
		t.Fatalf("parse error must name the file: %v", err)
	}
	if _, err := Load(p+".missing", "测试密钥", func([]byte) (int, error) { return 1, nil }); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Fatalf("missing: %v", err)
	}
}
