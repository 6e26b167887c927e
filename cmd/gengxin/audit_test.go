package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gengxin/app"
)

// TestAuditVerifyWithKeyFile: events written with --audit-key-file verify
// with the same key file, fail on the first record with another key, and
// cannot be verified without a key; the default key file beside a SQLite
// database is created with mode 0600.
func TestAuditVerifyWithKeyFile(t *testing.T) {
	app.PasswordIterations = 1000
	t.Setenv("GENGXIN_AUDIT_KEY_FILE", "")
	t.Setenv("GENGXIN_AUDIT_KEY", "")
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "a.db")
	key := filepath.Join(dir, "audit.key")
	other := filepath.Join(dir, "other.key")
	os.WriteFile(key, []byte(strings.Repeat("0123456789abcdef", 4)+"\n"), 0o600)
	os.WriteFile(other, []byte("raw key bytes, not hex, but long enough: 32+"), 0o600)

	if code, out, errs := run(t, "Strong-Passw0rd-2024\n", "user", "add", "--db", db, "--audit-key-file", key, "--username", "cy", "--role", "district_renewal", "--district", "朝阳区"); code != 0 {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, "", "sweep", "--db", db, "--audit-key-file", key, "--at", "2024-10-08"); code != 0 {
		t.Fatalf("sweep: %d %s %s", code, out, errs)
	}
	code, out, errs := run(t, "", "audit", "verify", "--db", db, "--audit-key-file", key)
	if code != 0 || !strings.Contains(out, "校验通过") || !strings.Contains(out, "最早记录") || !strings.Contains(out, "保存期") {
		t.Fatalf("audit verify with the key: %d %s %s", code, out, errs)
	}
	t.Setenv("GENGXIN_AUDIT_KEY_FILE", key)
	if code, out, _ := run(t, "", "audit", "verify", "--db", db); code != 0 {
		t.Fatalf("audit verify with GENGXIN_AUDIT_KEY_FILE: %d %s", code, out)
	}
	t.Setenv("GENGXIN_AUDIT_KEY_FILE", "")
	t.Setenv("GENGXIN_AUDIT_KEY", strings.Repeat("0123456789abcdef", 4))
	if code, out, _ := run(t, "", "audit", "verify", "--db", db); code != 0 {
		t.Fatalf("audit verify with GENGXIN_AUDIT_KEY: %d %s", code, out)
	}
	t.Setenv("GENGXIN_AUDIT_KEY", "")
	code, out, _ = run(t, "", "audit", "verify", "--db", db, "--audit-key-file", other)
	if code != 1 || !strings.Contains(out, "id=1") {
		t.Fatalf("audit verify with another key: %d %s, want a break at id=1", code, out)
	}
	if code, _, errs := run(t, "", "audit", "verify", "--db", db); code != 2 || !strings.Contains(errs, "审计密钥") {
		t.Fatalf("audit verify without a key: %d %s", code, errs)
	}
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("abcd"), 0o600)
	if code, _, errs := run(t, "", "audit", "verify", "--db", db, "--audit-key-file", short); code != 2 || !strings.Contains(errs, "过短") {
		t.Fatalf("short key: %d %s", code, errs)
	}
	open := filepath.Join(dir, "open.key")
	os.WriteFile(open, []byte(strings.Repeat("ab", 32)), 0o644)
	os.Chmod(open, 0o644)
	if code, _, errs := run(t, "", "audit", "verify", "--db", db, "--audit-key-file", open); code != 2 || !strings.Contains(errs, "权限") {
		t.Fatalf("world-readable key: %d %s", code, errs)
	}

	// Without any key a SQLite database gets <db>.auditkey, mode 0600.
	db2 := filepath.Join(dir, "b.db")
	if code, out, errs := run(t, "Strong-Passw0rd-2024\n", "user", "add", "--db", "sqlite:"+db2, "--username", "cy", "--role", "district_renewal", "--district", "朝阳区"); code != 0 {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	st, err := os.Stat(db2 + ".auditkey")
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("default key file: %v %v", st, err)
	}
	if code, out, _ := run(t, "", "audit", "verify", "--db", "sqlite:"+db2); code != 0 {
		t.Fatalf("audit verify with the default key file: %d %s", code, out)
	}
}

// TestAuditKeyRotation: after `audit rotate`, new records are signed with the
// new key; the whole chain verifies with the new key plus the old one, not
// with either alone; a rotated chain can be rotated again.
func TestAuditKeyRotation(t *testing.T) {
	app.PasswordIterations = 1000
	t.Setenv("GENGXIN_AUDIT_KEY_FILE", "")
	t.Setenv("GENGXIN_AUDIT_KEY", "")
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "r.db")
	k1, k2, k3 := filepath.Join(dir, "k1.key"), filepath.Join(dir, "k2.key"), filepath.Join(dir, "k3.key")
	os.WriteFile(k1, []byte(strings.Repeat("1", 64)), 0o600)
	add := func(key, name string) {
		t.Helper()
		if code, out, errs := run(t, "Strong-Passw0rd-2024\n", "user", "add", "--db", db, "--audit-key-file", key, "--username", name, "--role", "district_renewal", "--district", "朝阳区"); code != 0 {
			t.Fatalf("user add: %d %s %s", code, out, errs)
		}
	}
	verify := func(args ...string) (int, string) {
		code, out, errs := run(t, "", append([]string{"audit", "verify", "--db", db}, args...)...)
		return code, out + errs
	}
	add(k1, "a1")
	if code, out, errs := run(t, "", "audit", "rotate", "--db", db, "--audit-key-file", k1, "--new-audit-key-file", k2); code != 0 || !strings.Contains(out, "已轮换") {
		t.Fatalf("rotate: %d %s %s", code, out, errs)
	}
	if st, err := os.Stat(k2); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("new key file: %v %v", st, err)
	}
	add(k2, "a2")
	if code, out := verify("--audit-key-file", k2, "--old-audit-key-file", k1); code != 0 {
		t.Fatalf("verify with both keys: %d %s", code, out)
	}
	if code, out := verify("--audit-key-file", k2); code != 1 || !strings.Contains(out, "最初的审计密钥") {
		t.Fatalf("verify without the old key: %d %s", code, out)
	}
	if code, out := verify("--audit-key-file", k1); code != 1 {
		t.Fatalf("verify with the old key only: %d %s", code, out)
	}
	// Rotating again (k2 → k3) keeps everything verifiable with all three.
	if code, out, errs := run(t, "", "audit", "rotate", "--db", db, "--audit-key-file", k2, "--new-audit-key-file", k3); code != 0 {
		t.Fatalf("second rotate: %d %s %s", code, out, errs)
	}
	add(k3, "a3")
	if code, out := verify("--audit-key-file", k3, "--old-audit-key-file", k1+","+k2); code != 0 {
		t.Fatalf("verify after two rotations: %d %s", code, out)
	}
	if code, out := verify("--audit-key-file", k3, "--old-audit-key-file", k1); code != 1 || !strings.Contains(out, "轮换后的审计密钥") {
		t.Fatalf("verify without the middle key: %d %s", code, out)
	}
	// A rotation from a key that does not verify the chain is refused.
	if code, _, errs := run(t, "", "audit", "rotate", "--db", db, "--audit-key-file", k1, "--new-audit-key-file", filepath.Join(dir, "k4.key")); code != 2 || !strings.Contains(errs, "链头不是用此密钥签名") {
		t.Fatalf("rotate with a stale key: %d %s", code, errs)
	}
}
