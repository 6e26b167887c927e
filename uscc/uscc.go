// Package uscc validates the 统一社会信用代码 (unified social credit code) of
// GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》.
package uscc

import (
	"fmt"
	"strings"
)

// charset is the code's alphabet in value order (GB 32100-2015 表2): digits and
// upper-case letters without I, O, Z, S, V.
const charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// weights are the positional weights W_i = 3^(i-1) mod 31 of GB 32100-2015 §4.3.
var weights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// Normalize upper-cases s and removes surrounding spaces.
func Normalize(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// CheckChar returns the check character for the first 17 characters of a code.
func CheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("统一社会信用代码前17位长度应为17")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(charset, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("统一社会信用代码第%d位字符%q无效", i+1, first17[i])
		}
		sum += v * weights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return charset[c], nil
}

// Validate reports whether code is a well-formed 18-character 统一社会信用代码
// whose last character is the GB 32100-2015 check character. The error is a
// Chinese message naming what is wrong; nil means valid.
func Validate(code string) error {
	code = Normalize(code)
	if len([]rune(code)) != 18 || len(code) != 18 {
		return fmt.Errorf("统一社会信用代码应为18位，实际为%d位", len([]rune(code)))
	}
	for i := 0; i < 18; i++ {
		if strings.IndexByte(charset, code[i]) < 0 {
			return fmt.Errorf("统一社会信用代码第%d位字符%q无效（不得使用I、O、Z、S、V）", i+1, code[i])
		}
	}
	want, err := CheckChar(code[:17])
	if err != nil {
		return err
	}
	if code[17] != want {
		return fmt.Errorf("统一社会信用代码校验位错误（GB 32100-2015）")
	}
	return nil
}

// Complete returns first17 followed by its check character; it is used by
// the demo generator and tests to make valid codes.
func Complete(first17 string) string {
	c, err := CheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}
