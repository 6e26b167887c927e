package http_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gengxin/store"
)

// TestPrecheck runs the old-factory pre-check page on the FACTS.md example
// (fast track B, publicity 2024-09-25 + 15 working days = 2024-10-21, T25).
func TestPrecheck(t *testing.T) {
	_, srv, _ := startServer(t, store.SQLite)
	form := url.Values{
		"as_of": {"2024-09-01"}, "district": {"海淀区"}, "inside_fifth_ring": {"yes"},
		"building_area_m2": {"10000"}, "vacant_area_m2": {"6000"},
		"renovation.above_ground_area_after_m2": {"9800"}, "renovation.supporting_area_m2": {"1400"},
		"renovation.height_after_m": {"20"}, "renovation.underground_area_m2": {"1500"},
		"renovation.excavation_depth_m": {"2.5"}, "renovation.single_function": {"yes"},
		"renovation.use_change_main_class": {"no"}, "renovation.increase_area": {"no"}, "renovation.change_outline": {"no"},
		"transition.construction_permit_on": {"2024-08-01"}, "publicity_start": {"2024-09-25"},
	}
	post := func(extra url.Values) (int, string, string) {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		for k, v := range extra {
			f[k] = v
		}
		res, err := http.PostForm(srv.URL+"/precheck", f)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), string(b)
	}
	code, _, body := post(nil)
	for _, want := range []string{"快速通道B", "2024-10-21", "2029-08-01", "OF-27", "京规自发〔2024〕67号", "OF-01"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("pre-check: status %d, page lacks %q", code, want)
		}
	}
	code, _, body = post(url.Values{"renovation.above_ground_area_after_m2": {"10001"}})
	if code != 200 || strings.Contains(body, "快速通道B") || !strings.Contains(body, "标准路径") {
		t.Errorf("10,001 ㎡ must leave fast track B: %d", code)
	}
	code, _, body = post(url.Values{"renovation.height_after_m": {"二十"}})
	if code != 400 || !strings.Contains(body, "输入有误") {
		t.Errorf("bad number: %d", code)
	}
	code, ctype, body := post(url.Values{"format": {"pdf"}})
	if code != 200 || ctype != "application/pdf" || !strings.HasPrefix(body, "%PDF") {
		t.Errorf("pdf: %d %s", code, ctype)
	}
}
