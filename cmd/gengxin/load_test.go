package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"gengxin"
	"gengxin/app"
	"gengxin/audit"
	gxhttp "gengxin/http"
	"gengxin/store"
	"gengxin/store/storetest"
	"gengxin/uscc"
)

// TestLoad drives an in-process server with `gengxin load`: every step is
// a real submission (the projects end up submitted), the report names the
// rates and the ratio; a wrong password fails the login.
func TestLoad(t *testing.T) {
	old := app.PasswordIterations
	app.PasswordIterations = 1000
	t.Cleanup(func() { app.PasswordIterations = old })
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	key, err := audit.NewHMAC([]byte("gengxin load test audit key, 32+ bytes"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, db, key, gengxin.SystemClock{}, t.TempDir(), "http://example.test", nil)
	if err != nil {
		t.Fatal(err)
	}
	const pw = "Load-Passw0rd-2024"
	if _, err := a.AddUser(ctx, app.NewUserInput{Username: "firm", Password: pw, Role: gengxin.RoleApplicant, OrgName: "北京压测有限公司", OrgUSCC: uscc.Complete("91110105MA01LDAD1")}); err != nil {
		t.Fatal(err)
	}
	s, err := gxhttp.NewServer(a)
	if err != nil {
		t.Fatal(err)
	}
	s.APIPerMinute = 1 << 30
	srv := httptest.NewServer(s)
	defer srv.Close()

	code, out, errs := run(t, pw+"\n", "load", "--url", srv.URL, "--username", "firm", "--steps", "12", "--clients", "3", "--raw-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("load: exit %d: %s %s", code, out, errs)
	}
	for _, want := range []string{"12 次“提交申报”", "步/秒", "p95", "原始持久提交", "比值"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	_, n, err := db.Read(ctx).Projects(store.ProjectFilter{Status: []gengxin.Status{gengxin.StatusSubmitted}})
	if err != nil || n != 12 {
		t.Errorf("submitted projects: %d, %v; want 12", n, err)
	}

	code, _, errs = run(t, "wrong\n", "load", "--url", srv.URL, "--username", "firm", "--steps", "2")
	if code == 0 || !strings.Contains(errs, "登录失败") {
		t.Errorf("wrong password: exit %d %s", code, errs)
	}
	if code, _, _ := run(t, pw+"\n", "load", "--url", srv.URL, "--steps", "0"); code != 2 {
		t.Errorf("--steps 0: exit %d, want 2", code)
	}
}
