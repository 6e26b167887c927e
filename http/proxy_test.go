package http_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gengxin"
	gxhttp "gengxin/http"
	"gengxin/store"
	"gengxin/store/storetest"

	"gengxin/app"
)

// TestTrustedProxies: behind a trusted proxy the per-address login limit
// counts the client named by X-Forwarded-For (right-most untrusted hop), so
// one citizen's burst does not lock out the others; without trusted proxies
// the header is ignored and a client cannot dodge the limit by inventing it.
func TestTrustedProxies(t *testing.T) {
	if _, err := gxhttp.ParseTrustedProxies("10.0.0.0/33"); err == nil {
		t.Fatal("a bad prefix is accepted")
	}
	for _, trusted := range []bool{true, false} {
		db := storetest.Open(t, store.SQLite)
		a, err := app.New(context.Background(), db, testKey, &gengxin.FixedClock{T: time.Now()}, t.TempDir(), "http://example.test", nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := gxhttp.NewServer(a)
		if err != nil {
			t.Fatal(err)
		}
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
