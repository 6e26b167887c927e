package rules

import (
	"strings"
	"testing"
)

func TestExpertRecusal(t *testing.T) {
	base := RecusalFacts{ExpertName: "王建国", Employer: "北京市建筑设计研究院",
		Relatives: []string{"王小明"}, Interests: []string{"北京某咨询有限公司"}, AdminUnits: []string{"北京市某集团"},
		Leader: "李四", Participants: []string{"赵六"}, Undertaking: "北京城市更新承担公司", Cooperating: []string{"北京协作单位"}}
	for _, tc := range []struct {
		name string
		edit func(f *RecusalFacts)
		cite string // "" = pass
	}{
		{"3号/第十条/no-ground", func(f *RecusalFacts) {}, ""},
		{"3号/第十条(一)/leader", func(f *RecusalFacts) { f.Leader = "王 建国" }, "京建法〔2024〕3号 第十条(一)"},
		{"3号/第十条(一)/participant", func(f *RecusalFacts) { f.Participants = []string{"王建国"} }, "京建法〔2024〕3号 第十条(一)"},
		{"3号/第十条(二)/relative-of-leader", func(f *RecusalFacts) { f.Leader = "王小明" }, "京建法〔2024〕3号 第十条(二)"},
		{"3号/第十条(二)/interest-in-cooperating", func(f *RecusalFacts) { f.Cooperating = []string{"北京某咨询有限公司"} }, "京建法〔2024〕3号 第十条(二)"},
		{"3号/第十条(二)/employer-is-undertaking", func(f *RecusalFacts) { f.Undertaking = "北京市建筑设计研究院" }, "京建法〔2024〕3号 第十条(二)"},
		{"3号/第十条(三)/admin-subordinate", func(f *RecusalFacts) { f.Undertaking = "北京市某集团" }, "京建法〔2024〕3号 第十条(三)"},
		{"3号/第十条第二款/using-unit-excludes-employer", func(f *RecusalFacts) { f.ExcludeEmployers = []string{"北京市建筑设计研究院"} }, "京建法〔2024〕3号 第十条第二款"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := base
			tc.edit(&f)
			fs := ExpertRecusal(f)
			if tc.cite == "" {
				if len(fs) != 1 || fs[0].Outcome != Pass {
					t.Fatalf("want pass: %+v", fs)
				}
				return
			}
			if len(fs) != 1 || fs[0].Outcome != Fail || fs[0].Citation != tc.cite || fs[0].Rule != "EX-04" {
				t.Fatalf("want one fail citing %s: %+v", tc.cite, fs)
			}
		})
	}
}

func TestExpertAnnualReportAndExit(t *testing.T) {
	if f := ExpertAnnualReport(2024, 0); f.Outcome != Warn || f.Citation != "京建法〔2024〕3号 第八条(三)" {
		t.Errorf("%+v", f)
	}
	if f := ExpertAnnualReport(2024, 1); f.Outcome != Pass {
		t.Errorf("%+v", f)
	}
	if f := ExpertExit(1, "同意"); f.Outcome != Pass || f.Citation != "京建法〔2024〕3号 第十二条(一)" {
		t.Errorf("%+v", f)
	}
	if f := ExpertExit(2, "  "); f.Outcome != Fail || !strings.Contains(f.Message, "推荐部门") {
		t.Errorf("no consultation of the recommender: %+v", f)
	}
	if f := ExpertExit(3, "同意"); f.Outcome != Fail {
		t.Errorf("ground 3: %+v", f)
	}
	if len(ExpertFields) != 14 || !IsExpertField("政策法律") || IsExpertField("政策法律和咨询策划") {
		t.Errorf("fields: %v", ExpertFields)
	}
}
