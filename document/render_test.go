package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"gengxin"
)

var created = time.Date(2024, 10, 16, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

// entryNotice is a 入库通知书 (京建法〔2024〕2号 第十三条).
func entryNotice() Notice {
	return Notice{
		Issuer:    "北京市朝阳区城市更新主管部门",
		Number:    "朝更新储〔2024〕第0012号",
		Title:     "北京市城市更新项目纳入储备项目库通知书",
		Addressee: "北京某某置业有限公司：",
		Paragraphs: []string{
			"你单位于2024年9月20日报送的城市更新项目纳入储备项目库申请及相关材料收悉。经审查，该项目符合《北京市城市更新条例》及京建法〔2024〕2号规定的入库条件，现予纳入北京市城市更新储备项目库。项目基本信息如下：",
		},
		Fields: []Field{
			{"项目名称", "朝阳区酒仙桥街道某某老旧厂房更新改造项目"},
			{"项目类别", "产业类城市更新（老旧厂房、低效产业园区、老旧低效楼宇、传统商业设施更新改造）"},
			{"所在区", "朝阳区"},
			{"街道/乡镇", "酒仙桥街道"},
			{"项目地址", "北京市朝阳区酒仙桥路甲10号院内3号楼、5号楼、7号楼及其附属用房（原北京某某电子元件厂生产区）"},
			{"实施主体", "北京某某置业有限公司"},
			{"统一社会信用代码", "91110105MA01ABCD2X"},
			{"收到申请日期", ChineseDate(2024, 9, 20)},
			{"入库日期", ChineseDate(2024, 10, 16)},
		},
		Closing: []string{
			"请你单位按照有关规定，在项目纳入储备项目库之日起一年内开展项目实施方案编制工作，并及时向我部门报送项目进展情况。纳入储备项目库不作为项目审批依据。",
		},
		Citation:   "依据：京建法〔2024〕2号 第十条(三)、第十二条、第十三条",
		Date:       ChineseDate(2024, 10, 16),
		VerifyCode: "7K3Q-9XWD-2M4P-H8RT",
		VerifyURL:  "https://gengxin.bjchy.gov.cn/verify",
		Footer:     "本通知书由北京市城市更新信息系统生成，加盖电子印章后与纸质文书具有同等效力。",
		CreatedAt:  created,
	}
}

// correctionNotice is a 补正材料告知书 with enough items to need two pages.
func correctionNotice() Notice {
	items := []string{
		"城市更新项目纳入储备项目库申请表未加盖实施主体公章，请补充盖章页原件。",
		"营业执照副本复印件不清晰，统一社会信用代码无法辨认，请重新提供加盖公章的清晰复印件。",
		"法定代表人身份证明书缺失。",
		"授权委托书未载明委托权限和期限（应写明“代为办理城市更新项目纳入储备项目库申请相关事宜”）。",
		"项目范围示意图未标注四至范围及坐标，比例尺不符合要求（应不小于1:2000）。",
		"土地权属证明材料不完整：缺少《国有土地使用证》或《不动产权证书》第3页至第5页。",
		"房屋权属证明材料与项目范围不一致，5号楼未提供权属证明。",
		"现状建筑面积统计表未经具有资质的测绘单位签章。",
		"未提供项目所在街道办事处（乡镇人民政府）出具的意见。",
		"更新意愿征询结果未附相关权利人签字名单，征询比例无法核实。",
		"项目初步方案未说明更新方式（拆除重建、综合整治或功能调整）及主要技术指标。",
		"资金来源说明未附出资证明或金融机构出具的意向性文件。",
		"涉及历史文化街区或历史建筑的，应当提供文物保护主管部门意见；本项目范围内的7号楼为区级挂牌保护建筑，尚未提供。",
		"申请材料电子版（PDF格式，https://gengxin.bjchy.gov.cn/upload 上传）与纸质材料内容不一致。",
		"其他需要说明的事项：请核对联系人姓名及电话（010-8888XXXX），确保送达地址准确。",
	}
	return Notice{
		Issuer:    "北京市朝阳区住房和城乡建设委员会",
		Number:    "朝更新补〔2024〕第0047号",
		Title:     "北京市城市更新项目纳入储备项目库申请补正材料告知书",
		Addressee: "北京某某置业有限公司：",
		Paragraphs: []string{
			"你单位于" + ChineseDate(2024, 10, 8) + "报送的“朝阳区酒仙桥街道某某老旧厂房更新改造项目”纳入储备项目库申请材料收悉。经审查，申请材料不齐全、不符合法定形式，根据京建法〔2024〕2号第十二条的规定，现一次性告知你单位需补正的全部内容：",
		},
		Fields: []Field{
			{"项目名称", "朝阳区酒仙桥街道某某老旧厂房更新改造项目"},
			{"收到申请日期", ChineseDate(2024, 10, 8)},
		},
		Items: items,
		Closing: []string{
			"请你单位自收到本告知书之日起20个工作日内补正全部材料。补正材料的时间不计入审查期限；逾期未补正的，视为撤回申请。",
			"如对本告知书有异议，可自收到之日起60日内向北京市朝阳区人民政府申请行政复议，或者在6个月内依法向人民法院提起行政诉讼。",
		},
		Citation:   "依据：京建法〔2024〕2号 第十二条",
		Date:       ChineseDate(2024, 10, 16),
		VerifyCode: "M2RT-8QXZ-4KPW-71JD",
		VerifyURL:  "https://gengxin.bjchy.gov.cn/verify",
		CreatedAt:  created,
	}
}

func renderFile(t testing.TB, name string, n Notice) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := Render(f, n); err != nil {
		t.Fatalf("Render: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("GENGXIN_PDF_DIR"); dir != "" { // keep samples for a look
		b, _ := os.ReadFile(path)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	return path
}

// squash removes all white space: pdftotext puts spaces and newlines where
// the layout breaks lines.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkPDF extracts the text of the PDF at path and checks that every
// string of want appears in it, whitespace ignored, and that the footer of n
// is on each of the pages. The footers are cut out before want is checked,
// since a paragraph that runs onto the next page is extracted with the
// footer in its middle.
func checkPDF(t *testing.T, path string, n Notice, pages int, want []string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not on PATH: text checks skipped")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := squash(string(out))
	footer := []string{"验证码：" + n.VerifyCode, "可在" + n.VerifyURL + "输入验证码核验本文书真伪", n.Footer}
	for i := 1; i <= pages; i++ {
		footer = append(footer, fmt.Sprintf("第%d页共%d页", i, pages))
	}
	for _, f := range footer {
		f = squash(f)
		if c := strings.Count(text, f); f != "" && c < 1 {
			t.Errorf("PDF text lacks footer %q", f)
		}
		text = strings.ReplaceAll(text, f, "")
	}
	for _, w := range want {
		if !strings.Contains(text, squash(w)) {
			t.Errorf("PDF text lacks %q", short(w))
		}
	}
	if n := strings.Count(string(out), "\f"); n != pages {
		t.Errorf("PDF has %d pages, want %d", n, pages)
	}

	if _, err := exec.LookPath("pdffonts"); err != nil {
		return
	}
	fonts, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatalf("pdffonts: %v", err)
	}
	// Columns: name type encoding emb sub uni object ID.
	embedded := false
	for _, line := range strings.Split(string(fonts), "\n")[2:] {
		f := strings.Fields(line)
		if len(f) >= 7 && strings.Contains(f[0], "WenQuanYi") || len(f) >= 7 && f[len(f)-5] == "yes" {
			embedded = f[len(f)-5] == "yes"
		}
	}
	if !embedded {
		t.Errorf("no embedded font:\n%s", fonts)
	}
}

func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// noticeText lists the strings of n that must appear in its PDF, apart from
// the footer, which checkPDF checks itself.
func noticeText(n Notice) []string {
	want := []string{n.Issuer, n.Number, n.Title, n.Addressee, n.Citation, n.Date}
	want = append(want, n.Paragraphs...)
	want = append(want, n.Closing...)
	want = append(want, n.Items...)
	for _, f := range n.Fields {
		want = append(want, f.Label, f.Value)
	}
	return want
}

func TestRenderEntryNotice(t *testing.T) {
	n := entryNotice()
	checkPDF(t, renderFile(t, "entry.pdf", n), n, 1, noticeText(n))
}

func TestRenderCorrectionNotice(t *testing.T) {
	n := correctionNotice()
	path := renderFile(t, "correction.pdf", n)
	want := noticeText(n)
	for i := range n.Items {
		want = append(want, fmt.Sprintf("%d.", i+1))
	}
	checkPDF(t, path, n, 2, want)
}

// TestRenderLongContent checks that a table row taller than a page and a
// paragraph without break opportunities are split, not dropped.
func TestRenderLongContent(t *testing.T) {
	n := entryNotice()
	n.Fields = append(n.Fields, Field{"备注", strings.Repeat("超长备注内容，", 300)})
	n.Paragraphs = append(n.Paragraphs, strings.Repeat("X", 400))
	n.Issuer = "北京市朝阳区城市更新主管部门与北京市朝阳区住房和城乡建设委员会联合发文"
	path := renderFile(t, "long.pdf", n)
	want := noticeText(n)
	checkPDF(t, path, n, 4, want)
}

func TestRenderDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := Render(&a, correctionNotice()); err != nil {
		t.Fatal(err)
	}
	if err := Render(&b, correctionNotice()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same Notice with CreatedAt set rendered to different bytes")
	}
	for _, meta := range []string{"/CreationDate (D:20241016013000)", "/Creator"} {
		if !bytes.Contains(a.Bytes(), []byte(meta)) {
			t.Errorf("PDF lacks %s", meta)
		}
	}
}

func TestRenderInvalid(t *testing.T) {
	n := entryNotice()
	n.Title = ""
	err := Render(io.Discard, n)
	if gengxin.ErrorCode(err) != gengxin.EInvalid {
		t.Errorf("Render without title: %v, want code %s", err, gengxin.EInvalid)
	}
	var e *gengxin.Error
	if !errors.As(err, &e) {
		t.Errorf("error %T is not *gengxin.Error", err)
	}
}

func TestFontLoads(t *testing.T) {
	pdf, err := newPDF()
	if err != nil {
		t.Fatal(err)
	}
	pdf.SetFontSize(12)
	for _, s := range []string{"库", "〔", "，", "　", "A", "1"} {
		if pdf.GetStringWidth(s) <= 0 {
			t.Errorf("glyph %q has no width", s)
		}
	}
}

func TestFontBrokenFailsLoudly(t *testing.T) {
	for name, ttf := range map[string][]byte{
		"truncated":  bytes.Clone(fontTTF[:1024]), // a copy: fpdf reads past len up to cap
		"not-a-font": []byte("ttcf not really a font"),
	} {
		if _, err := newPDFWithFont(ttf); err == nil {
			t.Errorf("%s font: newPDF returned no error", name)
		}
	}
}

func TestChineseDate(t *testing.T) {
	for _, tt := range []struct {
		y, m, d int
		want    string
	}{{2024, 10, 16, "2024年10月16日"}, {2025, 1, 6, "2025年1月6日"}} {
		if got := ChineseDate(tt.y, tt.m, tt.d); got != tt.want {
			t.Errorf("ChineseDate(%d, %d, %d) = %q, want %q", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name string
		n    Notice
	}{{"entry", entryNotice()}, {"correction", correctionNotice()}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := Render(io.Discard, bc.n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
