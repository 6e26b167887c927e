package app

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"gengxin"
	"gengxin/calendar"
	"gengxin/document"
)

func chineseDate(d calendar.Date) string { return document.ChineseDate(d.Year, int(d.Month), d.Day) }

func (a *App) verifyURL() string { return a.BaseURL + "/verify" }

// EntryNoticePDF renders the 《北京市城市更新项目纳入储备项目库通知书》 of a
// project admitted to the reserve library (京建法〔2024〕2号 第十条(三)、第十二条、
// 第十三条). ENotFound when u may not see the project; EConflict before admission.
func (a *App) EntryNoticePDF(ctx context.Context, u *gengxin.User, id int64) ([]byte, string, error) {
	p, err := a.Project(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	if p.NoticeNo == "" {
		return nil, "", gengxin.Errorf(gengxin.EConflict, "项目尚未纳入储备项目库，没有入库通知书")
	}
	n := document.Notice{
		Issuer:    issuerOf(p),
		Number:    p.NoticeNo,
		Title:     "北京市城市更新项目纳入储备项目库通知书",
		Addressee: p.EntityName + "：",
		Paragraphs: []string{
			fmt.Sprintf("你单位于%s通过北京市城市更新信息系统申报的“%s”，经审查，符合《北京市城市更新项目库管理办法（试行）》（京建法〔2024〕2号）规定的入库条件，现纳入%s城市更新储备项目库，项目类别为%s。", chineseDate(p.ReceivedOn), p.Name, p.District, p.Category),
			fmt.Sprintf("项目信息已推送至%s，由其负责项目入库后的日常管理、定期查验、信息维护、出库管理等事项（第十三条）。请你单位按照项目库管理要求完善项目信息，并对填报信息的合法性、真实性负责；项目存在第二十条所列情形的，将按程序退出项目库并通过系统告知。", gengxin.DepartmentFullName(p.District, p.IndustryDept)),
		},
		Fields: []document.Field{
			{Label: "项目编号", Value: p.Code},
			{Label: "项目名称", Value: p.Name},
			{Label: "项目类别", Value: string(p.Category)},
			{Label: "项目位置", Value: p.District + p.Street + "，" + p.Address},
			{Label: string(p.EntityRole), Value: p.EntityName + "（统一社会信用代码 " + p.EntityUSCC + "）"},
			{Label: "资金匡算", Value: p.FundEstimateWan + " 万元"},
			{Label: "收到申请日期", Value: chineseDate(p.ReceivedOn)},
			{Label: "入库日期", Value: chineseDate(p.AdmittedOn)},
		},
		Citation:   "依据：京建法〔2024〕2号 第九条、第十条(三)、第十二条、第十三条",
		Date:       chineseDate(p.NoticeOn),
		VerifyCode: p.NoticeCode,
		VerifyURL:  a.verifyURL(),
		Footer:     "本通知书由北京市城市更新信息系统生成，可下载打印。",
		CreatedAt:  noticeTime(p.NoticeOn),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "入库通知书-" + p.Code + ".pdf", nil
}

// CorrectionPDF renders the seq-th one-time correction notice (补正材料告知书,
// 第十二条) of a project.
func (a *App) CorrectionPDF(ctx context.Context, u *gengxin.User, id int64, seq int) ([]byte, string, error) {
	p, err := a.Project(ctx, u, id)
	if err != nil {
		return nil, "", err
	}
	cs, err := a.DB.Read(ctx).Corrections(id)
	if err != nil {
		return nil, "", err
	}
	if seq < 1 || seq > len(cs) {
		return nil, "", gengxin.Errorf(gengxin.ENotFound, "补正材料告知书不存在")
	}
	c := cs[seq-1]
	paras := []string{fmt.Sprintf("你单位申报的“%s”（项目编号 %s）经审查，需要补正材料。根据《北京市城市更新项目库管理办法（试行）》（京建法〔2024〕2号）第十二条，现将需补正的全部事项一次性告知如下：", p.Name, p.Code)}
	closing := []string{"请按上述事项一次性补正后，通过北京市城市更新信息系统重新提交。补正材料提交之日视为重新收到申请，联合审查及入库通知时限自该日起重新计算（本系统口径 DECISIONS D6）。"}
	if c.Seq > 1 {
		closing = append(closing, fmt.Sprintf("本告知书为第%d次补正告知，理由：%s", c.Seq, c.Reason))
	}
	n := document.Notice{
		Issuer: issuerOf(p), Number: c.Number, Title: "补正材料告知书", Addressee: p.EntityName + "：",
		Paragraphs: paras, Items: c.Items, Closing: closing,
		Citation: "依据：京建法〔2024〕2号 第十二条", Date: chineseDate(c.IssuedOn),
		VerifyCode: c.VerifyCode, VerifyURL: a.verifyURL(), CreatedAt: noticeTime(c.IssuedOn),
	}
	var buf bytes.Buffer
	if err := document.Render(&buf, n); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), fmt.Sprintf("补正材料告知书-%s-%d.pdf", p.Code, c.Seq), nil
}

func noticeTime(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, calendar.Beijing)
}

// Verify returns the issued document with the verification code; anyone
// may call it (the public verification page). Codes are case-insensitive.
func (a *App) Verify(ctx context.Context, code string) (*gengxin.IssuedDocument, error) {
	code = normaliseCode(code)
	if len(code) != 19 {
		return nil, gengxin.Errorf(gengxin.EInvalid, "验证码格式应为 XXXX-XXXX-XXXX-XXXX")
	}
	return a.DB.Read(ctx).Document(code)
}

func normaliseCode(s string) string {
	var b []byte
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z':
			b = append(b, c-32)
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	if len(b) != 16 {
		return string(b)
	}
	return string(b[0:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:16])
}
