package app

import (
	"context"
	"fmt"
	"time"

	"gengxin"
	"gengxin/calendar"
	"gengxin/rules"
)

// seedCoordinatorDemo adds the coordinator demo of `serve --demo` through
// the real services of s (whose clock it moves): in 朝阳区 an open selection
// whose 公告 is open for applications and a designation whose result is on
// 公示 with a public comment and the authority's response; in 海淀区 a
// confirmed coordinator with its 确认文件. Dates are laid out before today.
func (s *App) seedCoordinatorDemo(ctx context.Context, clock *gengxin.FixedClock, users map[string]*gengxin.User, today calendar.Date) error {
	at := func(d calendar.Date) { clock.T = time.Date(d.Year, d.Month, d.Day, 15, 0, 0, 0, calendar.Beijing) }
	cyGov, cyGx, hdGov := users["chaoyang-zf"], users["chaoyang-gx"], users["haidian-zf"]
	firm1, firm2 := users["qiye1"], users["qiye2"]
	if cyGov == nil || cyGx == nil || hdGov == nil || firm1 == nil || firm2 == nil {
		return fmt.Errorf("统筹主体演示数据缺少演示账户")
	}
	step := func(u *gengxin.User, id int64, name string, in CoordinatorInput) error {
		_, err := s.CoordinatorAct(ctx, u, id, name, in)
		if err != nil {
			return fmt.Errorf("统筹主体演示「%s」：%w", name, err)
		}
		return nil
	}

	from := rules.JianFa1.From
	if today.AddDays(-5).Before(from) {
		return nil // the demo would predate 建法1号
	}
	// 1. Open selection, 公告 open for applications until today + 20.
	at(today.AddDays(-5))
	u1, err := s.CreateUnit(ctx, cyGov, UnitInput{Name: "酒仙桥—将台片区城市更新实施单元", Scope: "东至东北五环路，南至将台路，西至酒仙桥路，北至京包铁路，约86公顷",
		Basis: "《朝阳区酒仙桥地区控制性详细规划（街区层面）》", Projects: "酒仙桥老旧厂房更新改造项目；将台老旧小区综合整治项目",
		Conditions: "1. 在中国境内依法注册的企业法人，具有良好的商业信誉；\n2. 具有城市更新项目投资、策划或运营经验；\n3. 具有与实施单元规模相适应的资金实力和融资能力。"})
	if err != nil {
		return err
	}
	if err := step(cyGov, u1.ID, "method", CoordinatorInput{Method: "公开比选"}); err != nil {
		return err
	}
	if err := step(cyGx, u1.ID, "announce", CoordinatorInput{ApplyUntil: today.AddDays(20).String(),
		Criteria: []Criterion{{"统筹实施方案", "50"}, {"资金与融资能力", "30"}, {"类似项目经验", "20"}},
		Text:     "联系方式：朝阳区城市更新主管部门（工作日 9:00—17:00）。"}); err != nil {
		return err
	}
	at(today.AddDays(-2))
	if err := step(firm1, u1.ID, "apply", CoordinatorInput{Statement: "我单位具备实施单元统筹能力，拟以“产业导入+社区更新”方式统筹推进片区内项目。"}); err != nil {
		return err
	}

	// 2. Designation decided two days ago: the 公示 runs, with a comment and a response.
	at(today.AddDays(-3))
	u2, err := s.CreateUnit(ctx, cyGov, UnitInput{Name: "双井—垂杨柳片区城市更新实施单元", Scope: "东至东三环，南至劲松路，西至广渠门外大街，北至通惠河，约52公顷",
		Basis: "《朝阳区双井街道街区控制性详细规划》", Conditions: "具有老旧小区综合整治统筹经验的企业"})
	if err != nil {
		return err
	}
	if err := step(cyGov, u2.ID, "method", CoordinatorInput{Method: "指定", Basis: "片区内主要物业权利人为区属国有企业，经区政府研究采用指定方式"}); err != nil {
		return err
	}
	at(today.AddDays(-2))
	if err := step(cyGov, u2.ID, "decide", CoordinatorInput{Name: "北京京朝城市更新投资有限公司", USCC: firm1.OrgUSCC,
		Record: "朝阳区人民政府第18次常务会议纪要"}); err != nil {
		return err
	}
	v2, err := s.Unit(ctx, cyGov, u2.ID)
	if err != nil {
		return err
	}
	pid := v2.Current.PublicityID
	at(today.AddDays(-1))
	cid, err := s.SubmitComment(ctx, pid, CommentInput{Name: "刘女士", Contact: "138****0000", Body: "请问统筹主体确定后，片区内老旧小区的改造方案何时征求居民意见？"})
	if err != nil {
		return err
	}
	if _, err := s.SubmitComment(ctx, pid, CommentInput{Body: "建议优先解决停车难问题。"}); err != nil {
		return err
	}
	if err := s.RespondComment(ctx, cyGx, pid, cid, "统筹主体确认后将会同街道在社区议事厅组织居民议事，改造方案公示前将充分征求居民意见。"); err != nil {
		return err
	}

	// 3. A confirmed coordinator in 海淀区, with its 确认文件.
	if today.AddDays(-45).Before(from) {
		return nil
	}
	at(today.AddDays(-45))
	u3, err := s.CreateUnit(ctx, hdGov, UnitInput{Name: "中关村西区城市更新实施单元", Scope: "东至中关村大街，南至海淀桥，西至苏州街，北至北四环，约40公顷",
		Basis: "《海淀区中关村西区控制性详细规划》", Conditions: "具有科技园区运营经验的企业"})
	if err != nil {
		return err
	}
	if err := step(hdGov, u3.ID, "method", CoordinatorInput{Method: "指定", Basis: "片区产权集中于一家市属国企，经区政府研究采用指定方式"}); err != nil {
		return err
	}
	if err := step(hdGov, u3.ID, "decide", CoordinatorInput{Name: "北京海科城市运营管理有限公司", USCC: firm2.OrgUSCC, Record: "海淀区人民政府第9次常务会议纪要"}); err != nil {
		return err
	}
	at(today.AddDays(-30))
	return step(hdGov, u3.ID, "confirm", CoordinatorInput{Functions: []int{1, 2, 3, 4}, TermYears: 3})
}
