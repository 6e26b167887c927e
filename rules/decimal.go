package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number backed by math/big.Rat (DECISIONS.md
// D18): money in 万元, areas in m², heights in m, shares. The zero value is 0.
// Decimals are immutable values: every operation returns a new Decimal.
type Decimal struct {
	r *big.Rat // nil means 0
}

var (
	plainDecimal = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)
	jsonNumber   = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
)

// maxExponent bounds the exponent of a JSON number such as 1e3, so that an
// input like 1e999999999 cannot make the engine allocate a huge integer.
const maxExponent = 100

// ParseDecimal parses a plain decimal: an optional sign, digits, and an
// optional fraction ("1234.5", "-0.25", "0075"). Surrounding spaces are
// ignored. Exponents ("1e3"), fractions ("1/3"), thousands separators and
// empty strings are errors with a Chinese message.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	if !plainDecimal.MatchString(t) {
		return Decimal{}, fmt.Errorf("数值格式无效：%q（应为普通十进制数，如 1234.5）", s)
	}
	r, ok := new(big.Rat).SetString(strings.TrimPrefix(t, "+"))
	if !ok {
		return Decimal{}, fmt.Errorf("数值格式无效：%q", s)
	}
	return Decimal{r}, nil
}

// parseJSONNumber parses a JSON number literal exactly, exponent included
// (1e3 = 1000), with |exponent| ≤ maxExponent.
func parseJSONNumber(s string) (Decimal, error) {
	m := jsonNumber.FindStringSubmatch(s)
	if m == nil {
		return Decimal{}, fmt.Errorf("数值格式无效：%q", s)
	}
	if m[3] != "" {
		e, err := strconv.Atoi(strings.TrimPrefix(m[3][1:], "+"))
		if err != nil || e > maxExponent || e < -maxExponent {
			return Decimal{}, fmt.Errorf("数值超出范围：%s", s)
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return Decimal{}, fmt.Errorf("数值格式无效：%q", s)
	}
	return Decimal{r}, nil
}

// MustDecimal is ParseDecimal for constants and tests; it panics on bad input.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromInt returns n as a Decimal.
func DecimalFromInt(n int64) Decimal { return Decimal{new(big.Rat).SetInt64(n)} }

func (d Decimal) rat() *big.Rat {
	if d.r == nil {
		return new(big.Rat)
	}
	return d.r
}

// Rat returns a copy of d as a *big.Rat.
func (d Decimal) Rat() *big.Rat { return new(big.Rat).Set(d.rat()) }

// String returns the canonical form: no exponent, no trailing zeros in the
// fraction, no "-0" ("1000", "0.25", "-3.5"). A value with no finite decimal
// expansion (possible only after Quo) is rounded to 20 decimal places, halves
// away from zero, and then trimmed.
func (d Decimal) String() string {
	r := d.rat()
	if r.IsInt() {
		return r.Num().String()
	}
	places, exact := decimalPlaces(r.Denom())
	if !exact {
		places = 20
	}
	s := r.FloatString(places)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// decimalPlaces returns the number of fraction digits of 1/den, and whether
// that expansion is finite (den = 2^a·5^b).
func decimalPlaces(den *big.Int) (int, bool) {
	n := new(big.Int).Set(den)
	two, five := big.NewInt(2), big.NewInt(5)
	var a, b int
	m := new(big.Int)
	for {
		if q, r := new(big.Int).QuoRem(n, two, m); r.Sign() == 0 {
			n, a = q, a+1
			continue
		}
		break
	}
	for {
		if q, r := new(big.Int).QuoRem(n, five, m); r.Sign() == 0 {
			n, b = q, b+1
			continue
		}
		break
	}
	return max(a, b), n.Cmp(big.NewInt(1)) == 0
}

// Cmp compares d and e: -1 if d < e, 0 if equal, +1 if d > e.
func (d Decimal) Cmp(e Decimal) int { return d.rat().Cmp(e.rat()) }

// Add returns d + e.
func (d Decimal) Add(e Decimal) Decimal { return Decimal{new(big.Rat).Add(d.rat(), e.rat())} }

// Sub returns d − e.
func (d Decimal) Sub(e Decimal) Decimal { return Decimal{new(big.Rat).Sub(d.rat(), e.rat())} }

// Mul returns d × e.
func (d Decimal) Mul(e Decimal) Decimal { return Decimal{new(big.Rat).Mul(d.rat(), e.rat())} }

// ErrDivisionByZero is returned by Quo when the divisor is zero.
var ErrDivisionByZero = errors.New("除数为零")

// Quo returns d ÷ e exactly, or ErrDivisionByZero when e is zero.
func (d Decimal) Quo(e Decimal) (Decimal, error) {
	if e.IsZero() {
		return Decimal{}, ErrDivisionByZero
	}
	return Decimal{new(big.Rat).Quo(d.rat(), e.rat())}, nil
}

// Min returns the smaller of d and e.
func (d Decimal) Min(e Decimal) Decimal {
	if e.Cmp(d) < 0 {
		return e
	}
	return d
}

// Max returns the larger of d and e.
func (d Decimal) Max(e Decimal) Decimal {
	if e.Cmp(d) > 0 {
		return e
	}
	return d
}

// IsZero reports whether d is 0.
func (d Decimal) IsZero() bool { return d.rat().Sign() == 0 }

// Sign returns -1, 0 or +1 for negative, zero or positive d.
func (d Decimal) Sign() int { return d.rat().Sign() }

// MarshalJSON writes d as a JSON string in canonical form ("0.25"): FACTS.md
// gives decimals as strings in values and amounts.
func (d Decimal) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a JSON number exactly (json.Number literal, exponent
// allowed up to ±100: 1e3 = 1000) or a JSON string holding a plain decimal
// ("1234.5"). null leaves d unchanged, as encoding/json does for values.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	var v Decimal
	var err error
	if strings.HasPrefix(s, `"`) {
		var str string
		if err = json.Unmarshal(b, &str); err != nil {
			return fmt.Errorf("数值格式无效：%s", s)
		}
		v, err = ParseDecimal(str)
	} else {
		v, err = parseJSONNumber(s)
	}
	if err != nil {
		return err
	}
	*d = v
	return nil
}
