package app

// The old-factory documents (DESIGN.md §2 文书): the 履约监管协议 as signed
// (规自67号 第十七条、第二十条) and each evaluation report (第二十六条、第二十七条),
// as numbered PDFs whose verification code anyone can check on /verify.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"gengxin"
	"gengxin/document"
)

func (a *App) ofCase(ctx context.Context, u *gengxin.User, id int64) (*gengxin.Project, *OldFactoryDoc, error) {
	p, err := a.Project(ctx, u, id) // checks the view and audits a contact read
	if err != nil {
		return nil, nil, err
	}
	// The case alone: a.OldFactory would read and check the project again.
	c, err := a.DB.Read(ctx).OldFactoryCase(id)
	if gengxin.ErrorCode(err) == gengxin.ENotFound {
		return nil, nil, gengxin.Errorf(gengxin.EConflict, "本项目尚未登记老旧厂房改造")
	}
	if err != nil {
		return nil, nil, err
	}
	d := &OldFactoryDoc{}
	if err := json.Unmarshal([]byte(c.Doc), d); err != nil {
		return nil, nil, err
	}
	return p, d, nil
}

// OldFactoryAgreementPDF renders the signed 履约监管协议 of project id.
func (a *App) OldFactoryAgreementPDF(ctx context.Context, u *gengxin.User, id int64) ([]byte, string, error) {
	p, d, err := a.ofCase(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	ag := d.Agreement
	if ag == nil {
		return nil, "", gengxin.Errorf(gengxin.EConflict, "尚未签订履约监管协议")
	}
	fields := []document.Field{
		{Label: "项目名称", Value: p.Name + "（" + p.Code + "）"},
		{Label: "项目位置", Value: p.District + p.Street + "，" + p.Address},
		{Label: "签约部门（甲方）", Value: ag.Department},
		{Label: "实施主体（乙方）", Value: ag.Implementer},
		{Label: "产权单位（丙方）", Value: ag.Owner},
	}
	for _, it := range OFAgreementItems {
		fields = append(fields, document.Field{Label: it.Label, Value: ag.Items[it.Key]})
	}
	var pro []string
	for _, pr := range OFProhibitions {
		for _, k := range ag.Prohibitions {
			if k == pr.Key {
				pro = append(pro, pr.Label+"。")
			}
		}
	}
	n := document.Notice{
		Issuer:    ag.Department,
		Number:    ag.No,
		Title:     "老旧厂房更新改造项目履约监管协议",
		Addressee: addressees(ag.Implementer, ag.Owner),
		Paragraphs: []string{
			fmt.Sprintf("依据《老旧厂房更新改造工作实施细则（试行）》（京规自发〔2024〕67号）第十七条、第二十条，%s与实施主体%s、产权单位%s就“%s”签订本履约监管协议，明确下列事项。", ag.Department, ag.Implementer, ag.Owner, p.Name),
		},
		Fields:   fields,
		Items:    pro,
		Closing:  []string{"违约处理方式：" + ag.BreachHandling, "本协议签订后转送" + p.District + "城市更新主管部门（第二十条）。签约部门按协议开展全过程监管，首次评估在取得建筑工程施工许可证后五年内进行，每次评估间隔不超过五年（第二十五条、第二十六条）。"},
		Citation: "依据：京规自发〔2024〕67号 第十七条、第二十条、第二十五条至第二十七条",
		Date:     chineseDate(ag.SignedOn), VerifyCode: ag.VerifyCode, VerifyURL: a.verifyURL(),
		Footer:    "本协议摘要由北京市城市更新信息系统生成，三方签章文本以纸质协议为准。",
		CreatedAt: noticeTime(ag.SignedOn),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "履约监管协议-" + p.Code + ".pdf", nil
}

// OldFactoryEvaluationPDF renders evaluation seq (1-based) of project id.
func (a *App) OldFactoryEvaluationPDF(ctx context.Context, u *gengxin.User, id int64, seq int) ([]byte, string, error) {
	p, d, err := a.ofCase(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	if seq < 1 || seq > len(d.Evaluations) {
		return nil, "", gengxin.Errorf(gengxin.ENotFound, "评估报告不存在")
	}
	ev := d.Evaluations[seq-1]
	issuer := p.District + "行业主管部门"
	if d.Agreement != nil {
		issuer = d.Agreement.Department
	}
	fields := []document.Field{{Label: "项目名称", Value: p.Name + "（" + p.Code + "）"}, {Label: "实施主体", Value: p.EntityName}, {Label: "评估日期", Value: chineseDate(ev.On)}}
	for _, dim := range OFEvaluationDimensions {
		fields = append(fields, document.Field{Label: dim.Label, Value: ev.Dimensions[dim.Key]})
	}
	verdict := "合格：继续享受相关支持政策（第二十七条）。下次评估间隔不超过五年。"
	var closing []string
	if !ev.Passed {
		verdict = "不合格：责令限期整改（第二十七条）。"
		closing = append(closing, fmt.Sprintf("请于%s前完成整改。整改后仍不符合要求的，依法依约启动退出程序（京规自发〔2024〕67号 第二十七条）。", chineseDate(ev.RectifyBy)))
	}
	fields = append(fields, document.Field{Label: "评估结论", Value: verdict})
	n := document.Notice{
		Issuer:     issuer,
		Number:     ev.No,
		Title:      "老旧厂房更新改造项目评估报告",
		Addressee:  p.EntityName + "：",
		Paragraphs: []string{fmt.Sprintf("依据《老旧厂房更新改造工作实施细则（试行）》（京规自发〔2024〕67号）第二十六条和履约监管协议，对“%s”的产业类型、投资强度、产出效率、创新能力、节能环保等履约情况进行了评估，评估结果报%s人民政府。评估意见：%s", p.Name, p.District, ev.Summary)},
		Fields:     fields,
		Items:      ev.Problems,
		Closing:    closing,
		Citation:   "依据：京规自发〔2024〕67号 第二十六条、第二十七条",
		Date:       chineseDate(ev.On), VerifyCode: ev.VerifyCode, VerifyURL: a.verifyURL(),
		Footer:    "本报告由北京市城市更新信息系统生成。",
		CreatedAt: noticeTime(ev.On),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	name := "评估报告-" + p.Code + "-" + fmt.Sprint(seq) + ".pdf"
	return buf.Bytes(), strings.ReplaceAll(name, "/", "-"), nil
}

// addressees is the 主送 line of an agreement: the 实施主体 and, where it
// differs, the 产权单位.
func addressees(implementer, owner string) string {
	if owner == "" || owner == implementer {
		return implementer + "："
	}
	return implementer + "、" + owner + "："
}
