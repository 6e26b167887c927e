package keyfile

import (
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
