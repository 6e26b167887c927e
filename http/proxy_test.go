package http_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"gengxin"
	gxhttp "gengxin/http"
	"gengxin/store"
	"gengxin/store/storetest"

	"gengxin/app"
)

// bareServer is a server on a fresh SQLite database without users.
func bareServer(t *testing.T) *gxhttp.Server {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	a, err := app.New(context.Background(), db, testKey, &gengxin.FixedClock{T: time.Now()}, t.TempDir(), "http://example.test", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gxhttp.NewServer(a)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestTrustedProxies: behind a trusted proxy the per-address login limit
// counts the client named by X-Forwarded-For (right-most untrusted hop), so
// one citizen's burst does not lock out the others; without trusted proxies
// the header is ignored and a client cannot dodge the limit by inventing it.
func TestTrustedProxies(t *testing.T) {
	if _, err := gxhttp.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a bad prefix is accepted")
	}
	for _, trusted := range []bool{true, false} {
		s := bareServer(t)
		var err error
		if trusted {
			if s.TrustedProxies, err = gxhttp.ParseTrustedProxies("127.0.0.1, ::1"); err != nil {
				t.Fatal(err)
			}
		}
		srv := httptest.NewServer(s)
		login := func(xff string) int {
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/login", strings.NewReader(`{"username":"nobody","password":"x"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Forwarded-For", xff)
			res, err := testClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		for i := 0; i < 20; i++ {
			if st := login(fmt.Sprintf("9.9.9.%d, 203.0.113.7", i)); st != 401 {
				t.Fatalf("attempt %d: %d", i, st)
			}
		}
		// The 21st from the same client (spoofed left part, same right-most hop).
		if st := login("1.1.1.1, 203.0.113.7"); st != 429 {
			t.Fatalf("trusted=%v: 21st attempt of one client: %d, want 429", trusted, st)
		}
		// Another client behind the same proxy: its own allowance when trusted;
		// without trusted proxies everyone is the proxy's address.
		want := 401
		if !trusted {
			want = 429
		}
		if st := login("198.51.100.9"); st != want {
			t.Fatalf("trusted=%v: another client: %d, want %d", trusted, st, want)
		}
		srv.Close()
	}
}

// TestAPIRateLimit: one client address makes at most APIPerMinute signed-in
// API requests a minute (DefaultAPIPerMinute when unset); the next is 429
// with the code rate_limited.
func TestAPIRateLimit(t *testing.T) {
	if gxhttp.DefaultAPIPerMinute < 100 {
		t.Fatalf("DefaultAPIPerMinute = %d: too few for an office", gxhttp.DefaultAPIPerMinute)
	}
	s := bareServer(t)
	s.APIPerMinute = 3
	srv := httptest.NewServer(s)
	defer srv.Close()
	get := func() (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/projects", nil)
		req.Header.Set("Authorization", "Bearer not-a-session")
		res, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		io.Copy(&b, res.Body)
		return res.StatusCode, b.String()
	}
	for i := 0; i < 3; i++ {
		if st, _ := get(); st != 401 {
			t.Fatalf("request %d: %d, want 401", i, st)
		}
	}
	if st, body := get(); st != 429 || !strings.Contains(body, `"rate_limited"`) {
		t.Fatalf("4th request: %d %s, want 429 rate_limited", st, body)
	}
}

// TestUploadTooLarge: a file over app.MaxUploadBytes is 413 too_large in
// Chinese, whether the body overruns the request limit or only the file
// limit; nothing is stored.
func TestUploadTooLarge(t *testing.T) {
	e := newEnv(t, store.SQLite)
	var p struct{ ID int64 }
	e.do("POST", "/api/v1/projects", "co", draft, 201, &p)
	for _, size := range []int{app.MaxUploadBytes + 100<<10, app.MaxUploadBytes + 5<<20} {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "材料.pdf")
		fw.Write([]byte("%PDF-1.4\n"))
		fw.Write(make([]byte, size))
		mw.Close()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/projects/%d/attachments", e.srv.URL, p.ID), &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.tokens["co"])
		res, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), `"too_large"`) || !strings.Contains(string(b), "单个文件不超过") {
			t.Errorf("%d bytes: %d %s, want 413 too_large", size, res.StatusCode, b)
		}
	}
	var got struct{ Attachments []any }
	e.do("GET", fmt.Sprintf("/api/v1/projects/%d", p.ID), "co", "", 200, &got)
	if len(got.Attachments) != 0 {
		t.Errorf("an oversized upload was stored: %v", got.Attachments)
	}
}

// TestUncleanInput: a control character anywhere in a JSON body or a
// submitted form — any procedure — is 400 invalid naming the field, and
// nothing is written.
func TestUncleanInput(t *testing.T) {
	e := newEnv(t, store.SQLite)
	bad := strings.Replace(draft, `"goal":"闲置厂房改造为科创空间"`, `"goal":"闲置厂房\u0007改造"`, 1)
	if bad == draft {
		t.Fatal("draft changed: no goal to spoil")
	}
	body := e.do("POST", "/api/v1/projects", "co", bad, 400, nil)
	if !strings.Contains(body, `"field":"goal"`) || !strings.Contains(body, "控制字符") {
		t.Errorf("goal with BEL: %s", body)
	}
	var p struct{ ID int64 }
	e.do("POST", "/api/v1/projects", "co", draft, 201, &p)
	e.do("POST", fmt.Sprintf("/api/v1/projects/%d/actions/submit", p.ID), "co", "", 200, nil)
	body = e.do("POST", fmt.Sprintf("/api/v1/projects/%d/actions/open-review", p.ID), "cy", `{"departments":["发展改革","规划\u0000自然资源"]}`, 400, nil)
	if !strings.Contains(body, `"field":"departments[1]"`) {
		t.Errorf("NUL in a list: %s", body)
	}
	var got struct{ Status string }
	e.do("GET", fmt.Sprintf("/api/v1/projects/%d", p.ID), "cy", "", 200, &got)
	if got.Status != string(gengxin.StatusSubmitted) {
		t.Errorf("status after a refused step: %s", got.Status)
	}
	// A form: the login page refuses it before looking at the account.
	res, err := testClient.PostForm(e.srv.URL+"/login", url.Values{"username": {"co\x1b"}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || !strings.Contains(string(b), "控制字符") {
		t.Errorf("form with ESC: %d %s", res.StatusCode, b)
	}
	post := func(path, ctype, body string) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		res, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	// In the query string (FormValue reads it too), in a form whose media
	// type is spelt in capitals, and in an upload's text field.
	if st, b := post("/login?username=co%01", "application/x-www-form-urlencoded", "password=x"); st != 400 || !strings.Contains(b, "控制字符") {
		t.Errorf("query with SOH: %d %s", st, b)
	}
	if st, b := post("/login", "Application/X-WWW-Form-Urlencoded; charset=UTF-8", "username=co%07&password=x"); st != 400 || !strings.Contains(b, "控制字符") {
		t.Errorf("capitalised media type: %d %s", st, b)
	}
	if st, b := post("/login", "application/x-www-form-urlencoded", "username=co&password="+strings.Repeat("x", 2<<20)); st != 413 {
		t.Errorf("a 2 MB form: %d %.200s", st, b)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("kind", "其他\x07")
	fw, _ := mw.CreateFormFile("file", "材料.pdf")
	fw.Write([]byte("%PDF-1.4\n%%EOF\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/projects/%d/attachments", e.srv.URL, p.ID), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens["co"])
	res, err = testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 400 || !strings.Contains(string(b), `"field":"kind"`) {
		t.Errorf("upload with BEL in kind: %d %s", res.StatusCode, b)
	}
}
