package app_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/store"
	"gengxin/store/storetest"
)

// TestDistrictExpertCommittee: a 区城市更新主管部门 sets up and manages its
// district committee (EX-07, 京建法〔2024〕3号 第三条) with EX-01…EX-06
// applied; another district answers 404, the municipal committee is
// refused to it for writes; its consultations draw only its experts, with
// recusal; the municipal committee is unchanged.
func TestDistrictExpertCommittee(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newExperts(t, d)
			mun := f.appointed(expertIn("市专家", "1965-05-05", "市院", "城市设计"), "")
			district := func(name, employer string) *app.ExpertView {
				t.Helper()
				v, err := f.NominateExpert(ctx, f.cy, expertIn(name, "1965-05-05", employer, "城市设计"))
				if err != nil {
					t.Fatal(err)
				}
				if v.Committee != "朝阳区" || v.Recommender != "朝阳区城市更新主管部门" {
					t.Fatalf("district nomination: committee %q recommender %q", v.Committee, v.Recommender)
				}
				if _, err := f.VetExpert(ctx, f.cy, v.ID, true, ""); err != nil {
					t.Fatal(err)
				}
				if v, err = f.AppointExpert(ctx, f.cy, v.ID, ""); err != nil {
					t.Fatal(err)
				}
				if !v.Active || !strings.HasPrefix(v.Current.CertNo, "朝阳区更新专聘") {
					t.Fatalf("district appointment: %+v", v.Current)
				}
				return v
			}
			d1, d2 := district("区专家一", "区甲院"), district("区专家二", "区乙院")
			undertaker := district("区承担方", "北京朝阳更新承担公司")

			// Another district: 404 on read and write; nothing listed.
			_, err := f.Expert(ctx, f.hd, d1.ID)
			wantCode(t, err, gengxin.ENotFound)
			_, err = f.ExitExpert(ctx, f.hd, d1.ID, app.ExitInput{Ground: 1, Reason: "x", RecommenderOpinion: "同意"})
			wantCode(t, err, gengxin.ENotFound)
			if list, err := f.Experts(ctx, f.hd, app.ExpertFilter{}); err != nil || len(list) != 0 {
				t.Fatalf("海淀区 sees %d, %v", len(list), err)
			}
			// The district sees its own committee only; the municipal one is refused for writes.
			if list, err := f.Experts(ctx, f.cy, app.ExpertFilter{}); err != nil || len(list) != 3 {
				t.Fatalf("朝阳区 sees %d, %v", len(list), err)
			}
			_, err = f.ReappointExpert(ctx, f.cy, mun.ID, "")
			wantCode(t, err, gengxin.ENotFound)
			in := expertIn("越权", "1965-05-05", "某院", "城市设计")
			in.Committee = app.MunicipalCommittee
			_, err = f.NominateExpert(ctx, f.cy, in)
			wantCode(t, err, gengxin.EForbidden)
			in.Committee = "海淀区"
			_, err = f.NominateExpert(ctx, f.cy, in)
			wantCode(t, err, gengxin.EForbidden)
			in.Committee = "朝阳区"
			_, err = f.NominateExpert(ctx, f.ghw, in)
			wantCode(t, err, gengxin.EForbidden)
			// 市住建委 reads every committee but manages the municipal one only.
			if got, err := f.Expert(ctx, f.zjw, d1.ID); err != nil || got.Phone == "" {
				t.Fatalf("市住建委 reads the district expert: %v", err)
			}
			_, err = f.ExitExpert(ctx, f.zjw, d2.ID, app.ExitInput{Ground: 1, Reason: "x", RecommenderOpinion: "同意"})
			wantCode(t, err, gengxin.EForbidden)
			if list, _ := f.Experts(ctx, f.zjw, app.ExpertFilter{Committee: "朝阳区"}); len(list) != 3 {
				t.Fatalf("committee filter 朝阳区: %d", len(list))
			}
			if list, _ := f.Experts(ctx, f.zjw, app.ExpertFilter{Committee: app.MunicipalCommittee}); len(list) != 1 || list[0].ID != mun.ID {
				t.Fatalf("committee filter municipal: %d", len(list))
			}
			// The same rules: EX-01 (age) refuses an over-70 without a written reason.
			old, err := f.NominateExpert(ctx, f.cy, expertIn("区老专家", "1950-01-01", "区丙院", "城市设计"))
			if err != nil {
				t.Fatal(err)
			}
			f.VetExpert(ctx, f.cy, old.ID, true, "")
			_, err = f.AppointExpert(ctx, f.cy, old.ID, "")
			greenWant(t, err, gengxin.ERuleRefused, "EX-01")

			// A district consultation draws from its committee only, with recusal (EX-04).
			cin := app.ConsultationInput{Subject: "朝阳区某街区更新方案论证", Kind: "plan", Fields: []string{"城市设计"}, ExpertsNeeded: 3,
				Undertaking: "北京朝阳更新承担公司", Leader: "王某", Committee: "朝阳区"}
			_, err = f.OpenConsultation(ctx, f.hd, cin)
			wantCode(t, err, gengxin.EForbidden)
			_, err = f.OpenConsultation(ctx, f.zjw, cin)
			wantCode(t, err, gengxin.EForbidden)
			c, err := f.OpenConsultation(ctx, f.cy, cin)
			if err != nil || c.Committee != "朝阳区" {
				t.Fatalf("open: %+v %v", c, err)
			}
			draw, err := f.DrawExperts(ctx, f.cy, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var picked []int64
			for _, p := range draw.Picked {
				picked = append(picked, p.ExpertID)
			}
			slices.Sort(picked)
			if !slices.Equal(picked, []int64{d1.ID, d2.ID}) {
				t.Fatalf("district draw picked %v, want only %d and %d", picked, d1.ID, d2.ID)
			}
			if len(draw.Excluded) != 1 || draw.Excluded[0].ExpertID != undertaker.ID || draw.Excluded[0].Rule != "EX-04" {
				t.Fatalf("district draw excluded %+v", draw.Excluded)
			}
			// The district exits its own expert (our default, by analogy with 第十二条), citing EX-07.
			x, err := f.ExitExpert(ctx, f.cy, d2.ID, app.ExitInput{Ground: 1, Reason: "本人申请", RecommenderOpinion: "同意"})
			if err != nil || x.Status != app.ExpertExited || !strings.Contains(x.ExitEmployerNotice, "第三条") {
				t.Fatalf("district exit: %+v %v", x, err)
			}

			// The municipal committee is unchanged: a consultation without a committee draws municipal experts only.
			cin.Committee, cin.ExpertsNeeded = "", 3
			mc, err := f.OpenConsultation(ctx, f.cy, cin)
			if err != nil {
				t.Fatal(err)
			}
			md, err := f.DrawExperts(ctx, f.cy, mc.ID)
			if err != nil || len(md.Picked) != 1 || md.Picked[0].ExpertID != mun.ID {
				t.Fatalf("municipal draw: %+v %v", md, err)
			}
		})
	}
}

// TestDistrictCommitteeReports: a 区城市更新主管部门 reads the 专项报告 of its
// own committee's experts (EX-03 with EX-07), not the municipal experts' nor
// another district's; 市住房城乡建设委 reads all.
func TestDistrictCommitteeReports(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newExperts(t, d)
			mun := f.appointed(expertIn("市专家", "1965-05-05", "市院", "城市设计"), "")
			v, err := f.NominateExpert(ctx, f.cy, expertIn("区专家", "1965-05-05", "区院", "城市设计"))
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range []int64{mun.ID, v.ID} {
				r := &store.ExpertReport{ExpertID: id, Year: 2025, Title: fmt.Sprintf("报告%d", id), Body: "内容", SubmittedOn: calendar.MustParseDate("2025-06-01"), CreatedAt: time.Now()}
				if err := f.DB.Tx(ctx, func(tx *store.Tx) error { return tx.InsertExpertReport(r) }); err != nil {
					t.Fatal(err)
				}
			}
			got, err := f.ExpertReports(ctx, f.cy, 0)
			if err != nil || len(got) != 1 || got[0].ExpertID != v.ID {
				t.Errorf("the district reads %+v, %v; want its own expert's report only", got, err)
			}
			if other, err := f.ExpertReports(ctx, f.hd, 0); err != nil || len(other) != 0 {
				t.Errorf("another district reads %+v, %v; want none", other, err)
			}
			all, err := f.ExpertReports(ctx, f.zjw, 2025)
			if err != nil || len(all) != 2 {
				t.Errorf("市住房城乡建设委 reads %d reports, %v; want 2", len(all), err)
			}
		})
	}
}
