package http_test

// TestBrowserMainFlow drives the main procedure (京建法〔2024〕2号 第十条、第十二条)
// through the real pages in headless Chromium, one browser context (cookie
// jar) per user: apply → submit → joint review → correction → resubmit →
// approve → admit → download the entry notice.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"gengxin/store"
	"gengxin/uscc"
)

const browserProject = "酒仙桥老旧厂房浏览器测试更新项目"

// chromiumPath returns the Chromium binary, or "" when there is none.
func chromiumPath() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserServer starts the application with the users of the flow and
// returns the base URL (http://127.0.0.1:PORT).
func browserServer(t *testing.T) string {
	t.Helper()
	_, srv, _ := startServer(t, store.SQLite)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server URL %s is not on 127.0.0.1", srv.URL)
	}
	return srv.URL
}

// tab is one user's tab in its own browser context.
type tab struct {
	t    *testing.T
	ctx  context.Context
	user string
	base string
}

func (b *tab) fatal(step string, err error) {
	b.t.Helper()
	body, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.t.Fatalf("%s (%s): %s: %v\npage %s:\n%.2000s", b.user, b.t.Name(), step, err, loc, body)
}

func (b *tab) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.fatal(step, err)
	}
}

// submit clicks a button that submits a form and waits for the page that
// the POST (and its 303 redirect) loads; it fails unless that page is 200.
func (b *tab) submit(step, sel string) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.fatal(step, err)
	}
	if resp == nil || resp.Status != 200 {
		status := int64(-1)
		if resp != nil {
			status = resp.Status
		}
		b.fatal(step, fmt.Errorf("response status %d", status))
	}
}

// text returns the visible text of the page.
func (b *tab) text() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
	if err != nil {
		b.fatal("read page text", err)
	}
	return s
}

// expect checks that the visible page text contains every want.
func (b *tab) expect(step string, wants ...string) string {
	b.t.Helper()
	s := b.text()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			b.fatal(step, fmt.Errorf("page does not show %q", w))
		}
	}
	return s
}

// badge returns the status badge of the project page.
func (b *tab) badge() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("h1#top .badge")))
	if err != nil {
		b.fatal("read status badge", err)
	}
	return strings.TrimSpace(s)
}

func (b *tab) wantBadge(step, want string) {
	b.t.Helper()
	if got := b.badge(); got != want {
		b.fatal(step, fmt.Errorf("status badge %q, want %q", got, want))
	}
}

func (b *tab) open(path string) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.fatal("open "+path, err)
	}
	if resp.Status != 200 {
		b.fatal("open "+path, fmt.Errorf("status %d", resp.Status))
	}
}

func (b *tab) login() {
	b.t.Helper()
	b.open("/login")
	b.do("fill login form",
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), b.user),
		chromedp.SendKeys(chromedp.ID("password"), pw),
	)
	b.submit("log in", `form[action="/login"] button[type=submit]`)
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/workbench") {
		b.fatal("log in", fmt.Errorf("landed on %q (%v), want /workbench", loc, err))
	}
	b.expect("workbench after login", "工作台", b.user)
}

func (b *tab) screenshot(dir, name string) string {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // 100 = PNG
	if err != nil {
		b.fatal("screenshot "+name, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s (%d bytes)", p, len(buf))
	return p
}

// fetched is what fetch() in the page saw.
type fetched struct {
	Status      int    `json:"status"`
	ContentType string `json:"contentType"`
	Head        string `json:"head"`
	Size        int    `json:"size"`
}

// fetch downloads path with the tab's own cookies, from inside the page.
func (b *tab) fetch(path string) fetched {
	b.t.Helper()
	js := fmt.Sprintf(`(async () => {
		const r = await fetch(%q, {credentials: "same-origin"});
		const buf = new Uint8Array(await r.arrayBuffer());
		return {status: r.status, contentType: r.headers.get("content-type") || "",
			head: String.fromCharCode(...buf.slice(0, 8)), size: buf.length};
	})()`, path)
	f, err := chromedp.Run(b.ctx, chromedp.Evaluate[fetched](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fatal("fetch "+path, err)
	}
	return f
}

// download fetches path from Go with the tab's session cookie.
func (b *tab) download(path string) (*http.Response, []byte) {
	b.t.Helper()
	res, err := chromedp.Call(b.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base + "/"}})
	if err != nil {
		b.fatal("read cookies", err)
	}
	req, _ := http.NewRequest("GET", b.base+path, nil)
	found := false
	for _, c := range res.Cookies {
		if c.Name == "gengxin_session" {
			found = true
			if !c.HTTPOnly {
				b.t.Errorf("session cookie is not HttpOnly")
			}
		}
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	if !found {
		b.fatal("read cookies", errors.New("no gengxin_session cookie in the browser"))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, body
}

// startChromium starts headless Chromium for the test (stopped at its end)
// and returns the browser context.
func startChromium(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser
		t.Fatalf("start Chromium: %v", err)
	}
	return browserCtx
}

func TestBrowserMainFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("browser test skipped: no Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium")
	}
	started := time.Now()
	base := browserServer(t)

	shots := os.Getenv("GENGXIN_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	browserCtx := startChromium(t, chromium)
	t.Logf("%6s Chromium started", time.Since(started).Round(time.Millisecond))
	step := func(name string) { t.Logf("%6s %s", time.Since(started).Round(time.Millisecond), name) }
	// One browser context (own cookie jar) per user.
	users := map[string]*tab{}
	as := func(user string) *tab {
		if b, ok := users[user]; ok {
			return b
		}
		c, _ := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext()) // ends with browserCtx
		b := &tab{t: t, ctx: c, user: user, base: base}
		users[user] = b
		b.login()
		return b
	}

	step("step 1 apply")
	// 1. The applicant fills the online application and submits it.
	co := as("co")
	co.open("/projects/new")
	co.expect("application form", "网上申报：申请纳入城市更新储备项目库")
	if v, _ := chromedp.Run(co.ctx, chromedp.Value(chromedp.ID("ename"))); v != "北京某某置业有限公司" {
		t.Errorf("entity name not prefilled: %q", v)
	}
	if v, _ := chromedp.Run(co.ctx, chromedp.Value(chromedp.ID("euscc"))); v != uscc.Complete("91110105MA01ABCD1") {
		t.Errorf("credit code not prefilled: %q", v)
	}
	co.do("fill application",
		chromedp.SendKeys(chromedp.ID("name"), browserProject),
		chromedp.SetValue(chromedp.ID("category"), "产业类"),
		chromedp.SetValue(chromedp.ID("district"), "朝阳区"),
		chromedp.SendKeys(chromedp.ID("street"), "酒仙桥街道"),
		chromedp.SendKeys(chromedp.ID("address"), "朝阳区酒仙桥路10号"),
		chromedp.SendKeys(chromedp.ID("goal"), "闲置厂房改造为科创空间"),
		chromedp.SendKeys(chromedp.ID("fund"), "12000.5"),
		chromedp.SetValue(chromedp.ID("erole"), "实施主体"),
		chromedp.Click(chromedp.ID("cwp")),
	)
	if on, err := chromedp.Run(co.ctx, chromedp.JavascriptAttribute[bool](chromedp.ID("cwp"), "checked")); err != nil || !on {
		t.Fatalf("declaration checkbox #cwp not checked (%v)", err)
	}
	co.screenshot(shots, "01-form.png")
	co.submit("save draft", "#save")
	co.wantBadge("after saving the draft", "草稿")
	co.expect("draft page", browserProject, "北京某某置业有限公司")
	loc, err := chromedp.Run(co.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/projects/(\d+)`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("no project id in %s", loc)
	}
	id := m[1]
	projectPath := "/projects/" + id

	pdf := filepath.Join(t.TempDir(), "项目申请书.pdf")
	if err := os.WriteFile(pdf, []byte(minimalPDF), 0o644); err != nil {
		t.Fatal(err)
	}
	co.do("choose file", chromedp.SetUploadFiles(chromedp.ID("afile"), []string{pdf}))
	co.submit("upload", `form[action$="/attachments"] button[type=submit]`)
	co.expect("after upload", "项目申请书.pdf")
	co.submit("submit application", "#act-submit")
	co.wantBadge("after submitting", "已申报")
	co.expect("after submitting", "已办理：")

	step("step 2 open review")
	// 2. The district renewal department opens the joint review, inviting
	// 发展改革 only (the default set is unchecked but for it).
	cy := as("cy")
	cy.open(projectPath)
	cy.wantBadge("renewal opens the project", "已申报")
	checked, err := chromedp.Run(cy.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('input[name=departments]:checked')].map(c => c.value)`))
	if err != nil {
		cy.fatal("read invited departments", err)
	}
	if !slices.Contains(checked, "发展改革") || !slices.Contains(checked, "经济和信息化") {
		t.Errorf("default departments for 产业类 = %v, want 发展改革 and 经济和信息化 among them", checked)
	}
	for _, d := range checked {
		if d != "发展改革" {
			cy.do("uncheck "+d, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=departments][value=%q]`, d))))
		}
	}
	cy.submit("open review", "#act-open-review")
	cy.wantBadge("after opening the review", "联合审查中")
	cy.expect("after opening the review", "联合审查部门", "发展改革（第1轮）")

	step("step 3 opinion: correct")
	// 3. The invited department asks for a correction.
	const need = "请补充产权证明材料"
	fg := as("cy-fg")
	fg.open(projectPath)
	fg.wantBadge("department opens the project", "联合审查中")
	fg.do("opinion: correct",
		chromedp.Click(chromedp.CSS(`input[name=verdict][value=correct]`)),
		chromedp.SendKeys(chromedp.ID("op-text"), need),
	)
	fg.submit("give opinion", "#act-opinion")
	fg.expect("after the opinion", "联合审查意见", "需补正", need)

	step("step 4 correction notice")
	// 4. The renewal department sends the one-time correction notice.
	cy.open(projectPath)
	cy.do("open the correction form",
		chromedp.Click(chromedp.CSS(`details:has(#act-request-correction) > summary`)),
		chromedp.WaitVisible(chromedp.ID("items")),
	)
	items, err := chromedp.Run(cy.ctx, chromedp.Value(chromedp.ID("items")))
	if err != nil || !strings.Contains(items, need) {
		cy.fatal("correction items prefilled from the opinion", fmt.Errorf("#items = %q (%v)", items, err))
	}
	cy.submit("request correction", "#act-request-correction")
	cy.wantBadge("after the correction notice", "待补正")
	cy.expect("after the correction notice", "补正材料告知书", "第1次", need)
	link := fmt.Sprintf(`a[href="%s/corrections/1"]`, projectPath)
	cy.do("correction PDF link", chromedp.WaitVisible(chromedp.CSS(link)))
	if f := cy.fetch(projectPath + "/corrections/1"); f.Status != 200 || f.Head[:5] != "%PDF-" || !strings.HasPrefix(f.ContentType, "application/pdf") {
		t.Errorf("correction notice PDF: %+v", f)
	}

	step("step 5 resubmit")
	// 5. The applicant resubmits.
	co.open(projectPath)
	co.wantBadge("applicant sees the correction", "待补正")
	co.expect("applicant sees the correction", need)
	co.screenshot(shots, "02-project-correction.png")
	co.submit("resubmit", "#act-resubmit")
	co.wantBadge("after resubmitting", "联合审查中")

	step("step 6 approve")
	// 6. The department approves in round 2.
	fg.open(projectPath)
	fg.expect("round 2", "发展改革（第2轮）")
	fg.do("opinion: approve",
		chromedp.Click(chromedp.CSS(`input[name=verdict][value=approve]`)),
		chromedp.SendKeys(chromedp.ID("op-text"), "同意入库"),
	)
	fg.submit("approve", "#act-opinion")
	fg.expect("after approving", "同意入库")

	step("step 7 admit")
	// 7. The renewal department admits the project and issues the notice.
	cy.open(projectPath)
	cy.submit("admit", "#act-admit")
	cy.wantBadge("after admission", "储备项目库")
	page := cy.expect("after admission", "入库通知书", "查看 PDF")
	no := regexp.MustCompile(`\p{Han}{1,4}更新储〔2024〕\d+号`).FindString(page)
	if no == "" {
		cy.fatal("after admission", errors.New("no entry notice number (…更新储〔2024〕N号) on the page"))
	}
	t.Logf("entry notice %s", no)
	cy.screenshot(shots, "03-project-reserve.png")
	cy.open("/workbench")
	cy.expect("renewal workbench", "工作台", "储备项目库")
	cy.screenshot(shots, "04-workbench-renewal.png")

	step("step 8 download")
	// 8. The applicant downloads the entry notice.
	co.open(projectPath)
	co.wantBadge("applicant sees the admission", "储备项目库")
	co.expect("applicant sees the admission", no)
	if f := co.fetch(projectPath + "/entry-notice.pdf"); f.Status != 200 || f.Head[:5] != "%PDF-" || !strings.HasPrefix(f.ContentType, "application/pdf") {
		t.Errorf("entry notice via fetch(): %+v", f)
	}
	resp, body := co.download(projectPath + "/entry-notice.pdf")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/pdf") || !strings.HasPrefix(string(body), "%PDF") {
		t.Fatalf("entry notice download: %d %s %.20q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		f := filepath.Join(t.TempDir(), "notice.pdf")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		txt := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"北京市城市更新项目纳入储备项目库通知书", browserProject, strings.Join(strings.Fields(no), "")} {
			if !strings.Contains(txt, want) {
				t.Errorf("entry notice text lacks %q:\n%s", want, out)
			}
		}
	} else {
		t.Log("pdftotext not on PATH: notice text not checked")
	}
	co.open("/workbench")
	co.expect("applicant workbench", "项目已纳入储备项目库")
	co.screenshot(shots, "05-workbench-applicant.png")

	step("step 9 old factory")
	// 9. The applicant registers the old-factory case; the officer sets the
	// plan-inclusion requisites; interior works only → fast track A.
	ofPath := projectPath + "/old-factory"
	co.open(ofPath)
	co.do("open the register form", chromedp.Click(chromedp.CSS(`details:has(form[action$="/old-factory/register"]) > summary`)))
	co.do("fill the register form",
		chromedp.SendKeys(chromedp.ID("owner"), "北京某某机械厂"),
		chromedp.SendKeys(chromedp.ID("m-u"), "无"),
		chromedp.SendKeys(chromedp.ID("m-i"), "人工智能研发"),
		chromedp.SendKeys(chromedp.ID("m-l"), "建筑面积 8000 ㎡"),
		chromedp.SendKeys(chromedp.ID("m-f"), "企业自筹"),
		chromedp.SendKeys(chromedp.ID("m-e"), "年产值 1 亿元"),
		chromedp.SendKeys(chromedp.ID("m-o"), "自持运营"),
		chromedp.SendKeys(chromedp.CSS(`[name="building_area_m2"]`), "8000"),
		chromedp.SendKeys(chromedp.CSS(`[name="vacant_area_m2"]`), "5000"),
		chromedp.SetValue(chromedp.CSS(`[name="inside_fifth_ring"]`), "yes"),
		chromedp.SendKeys(chromedp.CSS(`[name="proposed_industry"]`), "产业创新"),
		chromedp.SetValue(chromedp.CSS(`[name="renovation.interior_only"]`), "yes"),
		chromedp.SetValue(chromedp.CSS(`[name="renovation.use_change_main_class"]`), "no"),
		chromedp.SetValue(chromedp.CSS(`[name="ownership.kind"]`), "single"),
	)
	co.submit("register the old-factory case", `form[action$="/old-factory/register"] button[type=submit]`)
	co.expect("after registering", "已登记，待列入计划", "快速通道一", "厂房情况逐条核验")
	cy.open(ofPath)
	cy.do("open the requisites form", chromedp.Click(chromedp.CSS(`details:has(form[action$="/old-factory/requisites"]) > summary`)))
	cy.do("fill the requisites",
		chromedp.SendKeys(chromedp.ID("r-p"), "地上 8000 ㎡，高度 18 m"),
		chromedp.SendKeys(chromedp.ID("r-l"), "租赁"),
		chromedp.SendKeys(chromedp.ID("r-s"), "签订履约监管协议"),
	)
	cy.submit("set the requisites", `form[action$="/old-factory/requisites"] button[type=submit]`)
	cy.expect("after the requisites", "待签订履约监管协议", "已办理：确定列入计划要件")
	cy.screenshot(shots, "09-old-factory.png")
	// Fast track A on to supervision: the industry department signs the
	// agreement (seven items, three prohibitions), the renewal authority
	// records the permits, the industry department evaluates.
	fill := func(b *tab, step string) {
		b.t.Helper()
		b.do("open the "+step+" form", chromedp.Click(chromedp.CSS(`details:has(form[action$="/old-factory/`+step+`"]) > summary`)))
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`(() => { let n = 0;
			for (const e of document.querySelectorAll('form[action$="/old-factory/`+step+`"] [required]')) {
				if (!e.value) { e.value = e.type === "date" ? "2024-09-27" : "按实施方案执行"; n++; } }
			return n; })()`)); err != nil {
			b.fatal("fill the "+step+" form", err)
		}
		b.submit(step, `form[action$="/old-factory/`+step+`"] button[type=submit]`)
	}
	jx := as("cy-jx")
	jx.open(ofPath)
	fill(jx, "agreement")
	jx.expect("after the agreement", "规划建设手续办理", "三方")
	cy.open(ofPath)
	cy.do("construction permit date", chromedp.SetValue(chromedp.ID("pm-cd"), "2024-09-26"))
	fill(cy, "permits")
	cy.expect("after the permits", "后期监管", "首次评估")
	jx.open(ofPath)
	fill(jx, "evaluate")
	jx.expect("after the evaluation", "评估 2024-09-27", "合格", "下次评估", "老旧厂房评〔2024〕1号")
	for _, path := range []string{ofPath + "/agreement.pdf", ofPath + "/evaluations/1"} {
		if f := jx.fetch(path); f.Status != 200 || f.Head[:5] != "%PDF-" {
			t.Errorf("%s: %+v", path, f)
		}
	}
	t.Logf("browser flow took %s; screenshots in %s", time.Since(started).Round(time.Millisecond), shots)
}

// minimalPDF is a one-page PDF with valid cross-reference offsets.
var minimalPDF = func() string {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.String()
}()
