package rules

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"1234.5", "1234.5"},
		{"1000", "1000"},
		{"1000.000", "1000"},
		{"0.25", "0.25"},
		{"0.250", "0.25"},
		{"-3.50", "-3.5"},
		{"+7", "7"},
		{"007.10", "7.1"},
		{" 12 ", "12"},
		{"-0.0", "0"},
		{"0.1", "0.1"},
		{"123456789012345678901234567890.000000000000000000001", "123456789012345678901234567890.000000000000000000001"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDecimal(tc.in)
			if err != nil {
				t.Fatalf("ParseDecimal(%q): %v", tc.in, err)
			}
			if got := d.String(); got != tc.want {
				t.Errorf("ParseDecimal(%q).String() = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
	for _, bad := range []string{"", " ", "1e3", "1E3", "1/3", "1,000", ".5", "5.", "abc", "0x10", "--1", "1.2.3", "NaN", "Inf"} {
		t.Run("reject/"+bad, func(t *testing.T) {
			_, err := ParseDecimal(bad)
			if err == nil {
				t.Fatalf("ParseDecimal(%q) succeeded, want error", bad)
			}
			if !strings.Contains(err.Error(), "数值") {
				t.Errorf("error %q is not the Chinese message", err)
			}
		})
	}
}

func TestDecimalArithmetic(t *testing.T) {
	d := MustDecimal
	// 0.1 + 0.2 is exactly 0.3 (no floats, DECISIONS D18).
	if got := d("0.1").Add(d("0.2")); got.Cmp(d("0.3")) != 0 || got.String() != "0.3" {
		t.Errorf("0.1+0.2 = %s", got)
	}
	if got := d("20000").Mul(d("0.15")).String(); got != "3000" {
		t.Errorf("20000×0.15 = %s", got)
	}
	if got := d("3020").Sub(d("20")).String(); got != "3000" {
		t.Errorf("3020−20 = %s", got)
	}
	q, err := d("3000").Quo(d("20000"))
	if err != nil || q.String() != "0.15" {
		t.Errorf("3000/20000 = %s, %v", q, err)
	}
	q, _ = d("3020").Quo(d("20000"))
	if q.Cmp(d("0.15")) <= 0 || q.String() != "0.151" {
		t.Errorf("3020/20000 = %s, want 0.151 > 0.15", q)
	}
	third, _ := d("1").Quo(d("3"))
	if got := third.String(); got != "0.33333333333333333333" {
		t.Errorf("1/3 = %s", got)
	}
	if _, err := d("1").Quo(Decimal{}); err != ErrDivisionByZero {
		t.Errorf("1/0 err = %v", err)
	}
	if got := d("1200").Mul(d("10000")).Min(d("30000000")).String(); got != "12000000" {
		t.Errorf("min = %s", got)
	}
	if got := d("5").Max(d("7")).String(); got != "7" {
		t.Errorf("max = %s", got)
	}
	var zero Decimal
	if !zero.IsZero() || zero.Sign() != 0 || zero.String() != "0" {
		t.Errorf("zero value: %s sign %d", zero, zero.Sign())
	}
	if d("-2").Sign() != -1 || d("2").Sign() != 1 {
		t.Error("Sign")
	}
	if d("0.75").Cmp(d("0.750")) != 0 || d("0.749").Cmp(d("0.75")) != -1 {
		t.Error("Cmp")
	}
	// Operations do not alias their operands.
	a := d("1")
	_ = a.Add(d("1"))
	if a.String() != "1" {
		t.Errorf("Add mutated its receiver: %s", a)
	}
}

func TestDecimalJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`1000`, "1000"},
		{`1.20`, "1.2"},
		{`0.0000001`, "0.0000001"},
		{`1e3`, "1000"},
		{`2.5E-1`, "0.25"},
		{`"1234.5"`, "1234.5"},
		{`-0.5`, "-0.5"},
	} {
		var d Decimal
		if err := json.Unmarshal([]byte(tc.in), &d); err != nil {
			t.Errorf("Unmarshal(%s): %v", tc.in, err)
			continue
		}
		if d.String() != tc.want {
			t.Errorf("Unmarshal(%s) = %s, want %s", tc.in, d, tc.want)
		}
	}
	for _, bad := range []string{`"1e3"`, `"x"`, `true`, `1e101`, `1e-999999999`, `[1]`} {
		var d Decimal
		if err := d.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("UnmarshalJSON(%s) succeeded, want error", bad)
		}
	}
	b, err := json.Marshal(struct{ A Decimal }{MustDecimal("0.250")})
	if err != nil || string(b) != `{"A":"0.25"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}
