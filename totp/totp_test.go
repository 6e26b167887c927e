package totp_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"gengxin/totp"
)

// The shared secret of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1).
var rfcSecret = []byte("12345678901234567890")

func TestRFC4226AppendixD(t *testing.T) {
	want := []string{"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"}
	for i, w := range want {
		if got := totp.HOTP(rfcSecret, int64(i), 6); got != w {
			t.Errorf("RFC 4226/D/count %d: %s, want %s", i, got, w)
		}
	}
}

func TestRFC6238AppendixB(t *testing.T) {
	cases := []struct {
		unix int64
		want string // 8 digits, SHA-1 column of the table
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	}
	for _, c := range cases {
		tm := time.Unix(c.unix, 0).UTC()
		if got := totp.HOTP(rfcSecret, totp.Step(tm), 8); got != c.want {
			t.Errorf("RFC 6238/B/%d: %s, want %s", c.unix, got, c.want)
		}
		// Six digits are the last six of the eight (truncation is mod 10^d).
		if got := totp.Code(rfcSecret, tm); got != c.want[2:] {
			t.Errorf("RFC 6238/B/%d 6 digits: %s, want %s", c.unix, got, c.want[2:])
		}
	}
}

func TestVerifyWindowAndReplay(t *testing.T) {
	now := time.Unix(1111111111, 0)
	step := totp.Step(now)
	for _, c := range []struct {
		name  string
		at    time.Time
		last  int64
		ok    bool
		match int64
	}{
		{"now", now, 0, true, step},
		{"previous step", now.Add(-30 * time.Second), 0, true, step - 1},
		{"next step", now.Add(30 * time.Second), 0, true, step + 1},
		{"two steps back", now.Add(-60 * time.Second), 0, false, 0},
		{"two steps ahead", now.Add(60 * time.Second), 0, false, 0},
		{"replay of the same step", now, step, false, 0},
		{"older than the last accepted", now.Add(-30 * time.Second), step, false, 0},
	} {
		code := totp.Code(rfcSecret, c.at)
		got, ok := totp.Verify(rfcSecret, code, now, c.last)
		if ok != c.ok || got != c.match {
			t.Errorf("%s: (%d, %v), want (%d, %v)", c.name, got, ok, c.match, c.ok)
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "abcdef"} {
		if _, ok := totp.Verify(rfcSecret, bad, now, 0); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, ok := totp.Verify(rfcSecret, " "+totp.Code(rfcSecret, now)[:3]+" "+totp.Code(rfcSecret, now)[3:], now, 0); !ok {
		t.Error("code with spaces refused")
	}
}

func TestSecretAndURI(t *testing.T) {
	s := totp.NewSecret()
	if len(s) != totp.SecretSize {
		t.Fatalf("secret size %d", len(s))
	}
	enc := totp.EncodeSecret(s)
	back, err := totp.DecodeSecret(strings.ToLower(enc[:8]) + " " + enc[8:])
	if err != nil || !bytes.Equal(back, s) {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := totp.DecodeSecret("!!"); err == nil {
		t.Error("bad base32 accepted")
	}
	u := totp.URI("北京市城市更新信息系统", "cy admin", rfcSecret)
	for _, want := range []string{"otpauth://totp/", "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "algorithm=SHA1", "digits=6", "period=30", "%20admin"} {
		if !strings.Contains(u, want) {
			t.Errorf("URI %s lacks %s", u, want)
		}
	}
}
