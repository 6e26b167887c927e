package app

import (
	"context"
	"fmt"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
)

// seedDemoExperts loads the expert committee of the demo (京建法〔2024〕3号)
// on a's clock: six experts nominated by 市规划自然资源委 (shi-ghw) and
// appointed by 市住房城乡建设委 (shi-zjw) — one aged 71 at application
// (appointed with a written justification), one 院士 aged 75, one exited,
// one whose employer undertakes the demo consultation — the accounts
// expert1 and expert2 linked to two of them, a plenary meeting, one annual
// report, and one consultation drawn (expert1 has given the opinion,
// expert2 not yet). It does nothing when today is outside the validity of
// 京建法〔2024〕3号 (appointments would be refused).
func (a *App) seedDemoExperts(ctx context.Context) error {
	today := a.Today()
	if !rules.JianFa3.InForce(today) {
		return nil
	}
	user := func(name string) (*gengxin.User, error) { return a.DB.Read(ctx).UserByName(name) }
	ghw, err := user("shi-ghw")
	if err != nil {
		return err
	}
	zjw, err := user("shi-zjw")
	if err != nil {
		return err
	}
	born := func(years, days int) string { return calendar.AddYears(today, -years).AddDays(-days).String() }
	type spec struct {
		in            ExpertInput
		justification string
		account       string
	}
	specs := []spec{
		{in: ExpertInput{Name: "周文博", Gender: "男", BirthDate: born(58, 40), Employer: "北京市城市规划设计研究院", Title: "教授级高级工程师",
			Fields: []string{"城市设计", "土地及规划"}, Phone: "13801010001", Relatives: []string{"周晓"}}, account: "expert1"},
		{in: ExpertInput{Name: "钱思源", Gender: "女", BirthDate: born(49, 100), Employer: "清华大学建筑学院", Title: "教授",
			Fields: []string{"城市设计", "历史文化"}, Phone: "13801010002"}, account: "expert2"},
		{in: ExpertInput{Name: "孙立德", Gender: "男", BirthDate: born(71, 20), Employer: "北京建筑大学", Title: "教授",
			Fields: []string{"历史文化"}, Phone: "13801010003"}, justification: "历史文化街区保护更新领域经验丰富、急需，经委主任办公会研究同意聘任"},
		{in: ExpertInput{Name: "李院士", Gender: "男", BirthDate: born(75, 5), Employer: "中国工程院", Title: "院士",
			Fields: []string{"建筑设计", "城市安全"}, Academician: true, Phone: "13801010004"}},
		{in: ExpertInput{Name: "吴景行", Gender: "男", BirthDate: born(62, 200), Employer: "北京城市更新研究中心", Title: "研究员",
			Fields: []string{"城市设计", "政策法律"}, Phone: "13801010005"}},
		{in: ExpertInput{Name: "郑已退", Gender: "女", BirthDate: born(55, 30), Employer: "北京某咨询有限公司", Title: "高级经济师",
			Fields: []string{"城市设计", "金融投资"}, Phone: "13801010006"}},
	}
	ids := make([]int64, len(specs))
	for i, sp := range specs {
		v, err := a.NominateExpert(ctx, ghw, sp.in)
		if err != nil {
			return fmt.Errorf("推荐%s：%w", sp.in.Name, err)
		}
		if _, err := a.VetExpert(ctx, ghw, v.ID, true, "信息属实"); err != nil {
			return err
		}
		if _, err := a.AppointExpert(ctx, zjw, v.ID, sp.justification); err != nil {
			return fmt.Errorf("聘任%s：%w", sp.in.Name, err)
		}
		if sp.account != "" {
			if _, err := a.LinkExpertAccount(ctx, zjw, v.ID, sp.account); err != nil {
				return err
			}
		}
		ids[i] = v.ID
	}
	// One nomination still waiting for the recommending department.
	if _, err := a.NominateExpert(ctx, ghw, ExpertInput{Name: "冯待审", Gender: "男", BirthDate: born(45, 1), Employer: "北京交通大学", Title: "副教授",
		Fields: []string{"市政交通"}, Phone: "13801010007"}); err != nil {
		return err
	}
	if _, err := a.ExitExpert(ctx, zjw, ids[5], ExitInput{Ground: 1, Reason: "本人因工作调动申请退出", RecommenderOpinion: "市规划自然资源委：同意退出"}); err != nil {
		return err
	}
	if _, err := a.RecordExpertMeeting(ctx, zjw, MeetingInput{HeldOn: today.String(), Title: "专家委员会年度集体会议：城市更新重大议题研讨",
		Attendees: ids[:5], Minutes: "一、通报本年度城市更新工作进展。\n二、研讨老旧厂房更新与历史文化保护的协同。\n三、部署年度专项报告。"}); err != nil {
		return err
	}
	e1, err := user("expert1")
	if err != nil {
		return err
	}
	if _, err := a.SubmitExpertReport(ctx, e1, ReportInput{Title: "关于完善城市设计导则在更新项目中应用的专项报告", Body: "建议在实施方案审查中引入城市设计要点清单……"}); err != nil {
		return err
	}
	c, err := a.OpenConsultation(ctx, zjw, ConsultationInput{Subject: "朝阳区酒仙桥片区城市更新实施方案论证", Kind: "plan", Fields: []string{"城市设计"},
		ExpertsNeeded: 2, Undertaking: "北京城市更新研究中心", Leader: "王某某", Cooperating: []string{"北京某设计有限公司"}})
	if err != nil {
		return err
	}
	if _, err := a.DrawExperts(ctx, zjw, c.ID); err != nil {
		return err
	}
	v, err := a.Consultation(ctx, e1, c.ID)
	if err != nil || v.Mine == nil {
		return fmt.Errorf("演示咨询未抽中 expert1：%v", err)
	}
	if _, err := a.SubmitOpinion(ctx, e1, c.ID, v.Mine.ID, "方案总体可行。建议：一、加强片区公共空间的连续性；二、保留有价值的工业遗存。"); err != nil {
		return err
	}
	return a.seedDemoDistrictExperts(ctx, born)
}

// seedDemoDistrictExperts sets up the district committee of 朝阳区 (EX-07,
// 京建法〔2024〕3号 第三条): three experts registered, vetted and appointed
// by 朝阳区城市更新主管部门 (chaoyang-gx). 周文博 also sits on the municipal
// committee (a separate appointment, our default).
func (a *App) seedDemoDistrictExperts(ctx context.Context, born func(years, days int) string) error {
	cy, err := a.DB.Read(ctx).UserByName("chaoyang-gx")
	if err != nil {
		return err
	}
	for _, in := range []ExpertInput{
		{Name: "周文博", Gender: "男", BirthDate: born(58, 40), Employer: "北京市城市规划设计研究院", Title: "教授级高级工程师",
			Fields: []string{"城市设计", "土地及规划"}, Phone: "13801010001", Relatives: []string{"周晓"}},
		{Name: "陈朝晖", Gender: "女", BirthDate: born(52, 60), Employer: "北京工业大学建筑与城市规划学院", Title: "教授",
			Fields: []string{"城市设计", "社会治理"}, Phone: "13801010011", Recommender: "朝阳区住房和城乡建设委员会"},
		{Name: "韩振东", Gender: "男", BirthDate: born(60, 10), Employer: "北京朝阳城市更新研究院", Title: "正高级经济师",
			Fields: []string{"金融投资", "产业研究"}, Phone: "13801010012"},
	} {
		v, err := a.NominateExpert(ctx, cy, in)
		if err != nil {
			return fmt.Errorf("朝阳区登记%s：%w", in.Name, err)
		}
		if _, err := a.VetExpert(ctx, cy, v.ID, true, "信息属实"); err != nil {
			return err
		}
		if _, err := a.AppointExpert(ctx, cy, v.ID, ""); err != nil {
			return fmt.Errorf("朝阳区聘任%s：%w", in.Name, err)
		}
	}
	return nil
}
