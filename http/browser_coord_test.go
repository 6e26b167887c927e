package http_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gengxin"
	"gengxin/app"
	"gengxin/calendar"
	"gengxin/store"
)

// TestBrowserCoordinatorDesignation drives a coordinator designation in
// Chromium, with the keyboard-free forms a district officer uses: the 区人民政府
// delineates a unit and designates a company by collective decision; the
// result is publicised on the portal, where an anonymous citizen comments;
// the 区城市更新主管部门 publishes and answers the comment; confirmation is
// refused during the 7-day publicity and issued after it (京建法〔2024〕1号
// 第七条、第八条), and the designated company opens its 确认文件 PDF.
func TestBrowserCoordinatorDesignation(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("browser test skipped: no Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium")
	}
	a, srv, clock := startServer(t, store.SQLite)
	if _, err := a.AddUser(context.Background(), app.NewUserInput{Username: "cy-gov", Role: gengxin.RoleDistrictGov, District: "朝阳区", Password: pw}); err != nil {
		t.Fatal(err)
	}
	setDay := func(day string) {
		d := calendar.MustParseDate(day)
		clock.T = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Beijing)
	}
	setDay("2025-09-26")
	browserCtx := startChromium(t, chromium)
	tabs := map[string]*tab{}
	as := func(user string) *tab {
		b := tabs[user]
		if b == nil {
			b = &tab{t: t, ctx: newTabContext(browserCtx), user: user, base: srv.URL}
			tabs[user] = b
		}
		b.login()
		return b
	}
	shots := os.Getenv("GENGXIN_SCREENSHOTS")

	gov := as("cy-gov")
	gov.open("/coordinator")
	gov.do("delineate a unit",
		chromedp.SendKeys(chromedp.ID("name"), "酒仙桥—将台片区城市更新实施单元"),
		chromedp.SendKeys(chromedp.ID("scope"), "东至酒仙桥路，西至机场高速，约42公顷"),
		chromedp.SendKeys(chromedp.ID("basis"), "酒仙桥街区控制性详细规划"),
		chromedp.SendKeys(chromedp.ID("conditions"), "具备统筹实施能力，拥有片区内主要产权"),
	)
	gov.submit("create the unit", `form[action="/coordinator/units"] button[type=submit]`)
	gov.expect("the unit page", "酒仙桥—将台片区城市更新实施单元", "确定方式")
	gov.do("designate", chromedp.SetValue(chromedp.CSS(`form[action$="/method"] select[name=method]`), "指定"),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/method"] textarea[name=basis]`), "原产权单位具备统筹能力，经区政府常务会议研究"))
	gov.submit("choose the method", `form[action$="/method"] button[type=submit]`)
	gov.do("decide", chromedp.SendKeys(chromedp.CSS(`form[action$="/decide"] input[name=name]`), "北京某某置业有限公司"),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/decide"] input[name=uscc]`), testUsers[0].OrgUSCC),
		chromedp.SendKeys(chromedp.CSS(`form[action$="/decide"] textarea[name=record]`), "区政府第12次常务会议纪要"))
	gov.submit("decide", `form[action$="/decide"] button[type=submit]`)
	page := gov.expect("after the decision", "公示", "2025-10-09")
	unitPath, _ := chromedp.Run(gov.ctx, chromedp.Location())
	unitPath = strings.TrimPrefix(unitPath, srv.URL)
	if !strings.HasPrefix(unitPath, "/coordinator/units/") {
		t.Fatalf("unit page at %q", unitPath)
	}
	_ = page

	// A citizen comments on the publicity page (no account).
	anon := &tab{t: t, ctx: newTabContext(browserCtx), user: "(public)", base: srv.URL}
	anon.open("/portal")
	pubPath, err := chromedp.Run(anon.ctx, chromedp.Evaluate[string](`document.querySelector('a[href^="/portal/publications/"]').getAttribute("href")`))
	if err != nil || !strings.HasPrefix(pubPath, "/portal/publications/") {
		anon.fatal("find the publicity", err)
	}
	anon.open(pubPath) // waits for the page, unlike a click
	anon.expect("the publicity page", "统筹主体确定结果公示", "提出意见")
	anon.do("write a comment", chromedp.SendKeys(chromedp.ID("body"), "请说明指定的理由"), chromedp.SendKeys(chromedp.ID("name"), "王某"))
	anon.submit("send the comment", `form[action$="/comments"] button[type=submit]`)
	anon.expect("after commenting", "意见已提交")

	// The renewal authority publishes and answers it; the public sees the
	// answer, never the name.
	cy := as("cy")
	cy.open(strings.Replace(pubPath, "/portal/publications/", "/publications/", 1) + "/comments")
	cy.expect("the comments", "请说明指定的理由", "王某", "待审核")
	cy.do("answer", chromedp.SendKeys(chromedp.CSS(`form[action$="/response"] textarea`), "原产权单位拥有片区八成以上产权，经常务会议集体决策"))
	cy.submit("answer", `form[action$="/response"] button[type=submit]`)
	anon.open(pubPath)
	if txt := anon.expect("the answered comment", "请说明指定的理由", "经常务会议集体决策"); strings.Contains(txt, "王某") {
		t.Fatal("the commenter's name is public")
	}

	// Confirmation: refused on the publicity's last day, issued after it.
	setDay("2025-10-09")
	gov = as("cy-gov")
	gov.open(unitPath)
	if txt := gov.text(); strings.Contains(txt, "制发确认文件（第八条）") {
		t.Fatal("the confirmation form is offered during the publicity")
	}
	setDay("2025-10-10")
	gov = as("cy-gov")
	gov.open(unitPath)
	gov.do("functions", chromedp.Click(chromedp.CSS(`form[action$="/confirm"] input[name=functions][value="1"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/confirm"] input[name=functions][value="3"]`)))
	gov.submit("confirm", `form[action$="/confirm"] button[type=submit]`)
	gov.expect("after confirmation", "朝统筹确〔2025〕1号")
	if shots != "" {
		gov.screenshot(shots, "16-coordinator-confirmed.png")
	}
	co := as("co")
	co.open(unitPath)
	co.expect("the company sees its confirmation", "北京某某置业有限公司", "确认文件")
	if f := co.fetch(`/coordinator/coordinators/1/confirmation.pdf`); f.Status != 200 || f.Head[:5] != "%PDF-" {
		t.Errorf("confirmation PDF: %+v", f)
	}
}
