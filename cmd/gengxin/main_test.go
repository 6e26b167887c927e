package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"gengxin/app"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestWorkdays(t *testing.T) {
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"workdays", "add", "2024-09-27", "10"}, 0, "2024-10-16\n"}, // T01
		{[]string{"workdays", "add", "2024-09-27", "30"}, 0, "2024-11-13\n"},
		{[]string{"workdays", "add", "2024-05-10", "10"}, 0, "2024-05-23\n"}, // T03
		{[]string{"workdays", "add", "2024-12-20", "30"}, 0, "2025-02-08\n"}, // T05
		{[]string{"workdays", "between", "2024-09-27", "2024-10-16"}, 0, "10\n"},
		{[]string{"workdays", "between", "2024-10-16", "2024-09-27"}, 0, "0\n"},
		{[]string{"workdays", "add", "2024-02-30", "10"}, 2, ""},
		{[]string{"workdays", "add", "2024-09-27", "x"}, 2, ""},
		{[]string{"workdays", "add", "2024-09-27"}, 2, ""},
		{[]string{"nonsense"}, 2, ""},
	}
	for _, c := range cases {
		code, out, _ := run(t, "", c.args...)
		if code != c.code || (c.out != "" && out != c.out) {
			t.Errorf("%v: code %d out %q, want %d %q", c.args, code, out, c.code, c.out)
		}
	}
}

func TestRulesEval(t *testing.T) {
	code, out, _ := run(t, `{"as_of":"2024-09-01","library":{"completion_accepted_on":"2025-03-20"}}`, "rules", "eval")
	if code != 0 || !strings.Contains(out, `"PL-10"`) {
		t.Fatalf("code %d out %s", code, out)
	}
	code, _, errs := run(t, `{"library":{"nope":1}}`, "rules", "eval")
	if code != 2 || !strings.Contains(errs, "nope") {
		t.Fatalf("unknown field: code %d err %s", code, errs)
	}
	if code, _, _ := run(t, `not json`, "rules", "eval"); code != 2 {
		t.Fatalf("bad json: code %d", code)
	}
}

func TestUserSweepAudit(t *testing.T) {
	app.PasswordIterations = 1000
	db := "sqlite:" + filepath.Join(t.TempDir(), "cli.db")
	code, out, errs := run(t, "Strong-Passw0rd-2024\n", "user", "add", "--db", db, "--username", "cy", "--role", "district_renewal", "--district", "朝阳区")
	if code != 0 || !strings.Contains(out, "cy") {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "weak\n", "user", "add", "--db", db, "--username", "x", "--role", "district_renewal", "--district", "朝阳区"); code != 2 || !strings.Contains(errs, "密码") {
		t.Fatalf("weak password: %d %s", code, errs)
	}
	if code, _, errs := run(t, "Strong-Passw0rd-2024\n", "user", "add", "--db", db, "--username", "y", "--role", "district_dept", "--district", "朝阳区"); code != 2 || !strings.Contains(errs, "部门") {
		t.Fatalf("dept missing: %d %s", code, errs)
	}
	if code, _, errs := run(t, "Strong-Passw0rd-2024\n", "user", "add", "--db", db, "--username", "z", "--role", "applicant", "--org", "某公司", "--uscc", "123"); code != 2 || !strings.Contains(errs, "信用代码") {
		t.Fatalf("bad uscc: %d %s", code, errs)
	}
	if code, out, errs := run(t, "", "demo", "--db", db, "--projects", "300"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	if code, _, errs := run(t, "", "sweep", "--db", db, "--at", "2026-11-26"); code != 0 {
		t.Fatalf("sweep: %d %s", code, errs)
	}
	if code, _, _ := run(t, "", "sweep", "--db", db, "--at", "2026-13-01"); code != 2 {
		t.Fatalf("sweep bad date: %d", code)
	}
	code, out, _ = run(t, "", "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "校验通过") {
		t.Fatalf("audit verify: %d %s", code, out)
	}
}

// TestServeFlags: a malformed --api-rate is a usage error (exit 2) before
// the server starts.
func TestServeFlags(t *testing.T) {
	db := "sqlite:" + t.TempDir() + "/gx.db"
	for _, v := range []string{"0", "-5", "很多"} {
		code, _, stderr := run(t, "", "serve", "--db", db, "--addr", "127.0.0.1:0", "--api-rate", v)
		if code != 2 || !strings.Contains(stderr, "--api-rate") {
			t.Errorf("--api-rate %s: exit %d, stderr %q; want 2 naming the flag", v, code, stderr)
		}
	}
}
