package uscc

import "testing"

func TestValidate(t *testing.T) {
	good := []string{
		"91110000802100433B", // 北京市某国企（公开示例）
		Complete("91110105MA01ABCD1"),
	}
	for _, c := range good {
		if err := Validate(c); err != nil {
			t.Errorf("Validate(%q) = %v, want nil", c, err)
		}
	}
	bad := map[string]string{
		"short":       "9111000080210043",
		"wrong check": "91110000802100433C",
		"letter I":    "9111000080210043IB",
		"empty":       "",
		"chinese":     "九1110000802100433B",
	}
	for name, c := range bad {
		if err := Validate(c); err == nil {
			t.Errorf("%s: Validate(%q) = nil, want error", name, c)
		}
	}
}
