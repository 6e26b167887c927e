package http_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// a11yAudit is run in each page: it returns the problems found against the
// checks of GB/T 37668-2019 (信息无障碍 Web 内容) that a machine can make —
// language, one h1, landmarks, a name for every form control, button, link
// and image, and a contrast of at least 4.5:1 (3:1 for large text) for the
// text of every visible element, against its effective background.
const a11yAudit = `(() => {
  const out = [];
  const lang = document.documentElement.lang || "";
  if (!lang.startsWith("zh")) out.push("html lang=" + JSON.stringify(lang));
  if (document.querySelectorAll("h1").length !== 1) out.push(document.querySelectorAll("h1").length + " h1");
  if (!document.querySelector("main")) out.push("no <main>");
  for (const n of document.querySelectorAll("nav")) if (!n.getAttribute("aria-label")) out.push("nav without aria-label");
  const visible = e => { const r = e.getClientRects(); const s = getComputedStyle(e); return r.length > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const named = e => (e.getAttribute("aria-label") || "").trim() || (e.getAttribute("aria-labelledby") || "").trim() ||
    (e.id && document.querySelector('label[for="' + CSS.escape(e.id) + '"]')) || e.closest("label") || (e.getAttribute("title") || "").trim();
  for (const e of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset"].includes(e.type)) continue;
    if (!named(e)) out.push("unlabelled " + e.tagName.toLowerCase() + " name=" + e.name);
  }
  for (const e of document.querySelectorAll("button, a[href]")) {
    if (!visible(e)) continue;
    if (!(e.textContent.trim() || e.getAttribute("aria-label") || e.querySelector("img[alt]"))) out.push("nameless " + e.tagName.toLowerCase() + " " + (e.getAttribute("href") || ""));
  }
  for (const e of document.querySelectorAll("img")) if (!e.hasAttribute("alt")) out.push("img without alt " + e.src);
  const rgb = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const bg = e => { for (let n = e; n; n = n.parentElement) { const c = rgb(getComputedStyle(n).backgroundColor); if (c && c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const seen = new Set();
  for (const e of document.querySelectorAll("body *")) {
    if (!visible(e)) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(e), fg = rgb(s.color), b = bg(e);
    if (!fg) continue;
    const l1 = lum(fg), l2 = lum(b), ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) {
      const key = e.tagName + "." + e.className + " " + s.color + " on " + JSON.stringify(b);
      if (!seen.has(key)) { seen.add(key); out.push("contrast " + ratio.toFixed(2) + " < " + need + ": " + key + " «" + e.textContent.trim().slice(0, 20) + "»"); }
    }
  }
  return out;
})()`

// TestBrowserAccessibility audits the public and signed-in pages in
// Chromium (GB/T 37668: semantic HTML, names, contrast) and uses the public
// comment form with the keyboard alone: Tab reaches the skip link first,
// focus is visible, and the form is filled and submitted without a mouse.
func TestBrowserAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := chromiumPath()
	if chromium == "" {
		t.Skip("browser test skipped: no Chromium (/usr/bin/chromium or chromium on PATH); apt-get install chromium")
	}
	e, srv, pub := seedPublicityEnv(t)
	// An old-factory case with an unregistered-building list (table, forms).
	caseID := admitOverAPI(e)
	facts := `{"inside_fifth_ring":true,"building_area_m2":8000,"vacant_area_m2":5000,"proposed_industry":"产业创新","renovation":{"interior_only":true,"use_change_main_class":false},"ownership":{"kind":"single"}}`
	e.do("POST", fmt.Sprintf("/api/v1/projects/%d/old-factory/register", caseID), "co", `{"facts":`+facts+`,"owner":"北京某某机械厂","materials":{"unregistered":"见清单","industry":"研发","land_and_scale":"1公顷","funding_source":"自筹","expected_impact":"产值","operation":"自持"},"buildings":[{"name":"门卫室","area_m2":30,"approvals":"none"},{"name":"配电室","area_m2":45.5,"approvals":"complete"}]}`, 200, nil)
	browserCtx := startChromium(t, chromium)
	anon := &tab{t: t, ctx: browserCtx, user: "(anonymous)", base: srv.URL}
	audit := func(b *tab, path string) {
		t.Helper()
		b.open(path)
		problems, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](a11yAudit))
		if err != nil {
			b.fatal("audit "+path, err)
		}
		for _, p := range problems {
			t.Errorf("%s %s: %s", b.user, path, p)
		}
	}
	// The audit itself finds problems where there are some.
	bad := `<html lang="en"><body><h1>a</h1><h1>b</h1><input name="x"><button></button><img src="x.png"><p style="color:#bbb">浅色文字</p></body></html>`
	anon.do("open a page with faults", chromedp.Navigate("data:text/html;charset=utf-8,"+url.PathEscape(bad)))
	found, err := chromedp.Run(anon.ctx, chromedp.Evaluate[[]string](a11yAudit))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"html lang", "2 h1", "no <main>", "unlabelled input", "nameless button", "img without alt", "contrast"} {
		if !strings.Contains(strings.Join(found, "\n"), want) {
			t.Errorf("the audit misses %q on a faulty page: %q", want, found)
		}
	}
	for _, path := range []string{"/", "/portal", pub, "/portal/projects?q=厂房", "/precheck", "/verify", "/login"} {
		audit(anon, path)
	}
	cy := &tab{t: t, ctx: newTabContext(browserCtx), user: "cy", base: srv.URL}
	cy.login()
	for _, path := range []string{"/workbench", "/projects", "/old-factory", fmt.Sprintf("/projects/%d/old-factory", caseID), "/coordinator", "/calendar", "/experts/consultations"} {
		audit(cy, path)
	}
	co := &tab{t: t, ctx: newTabContext(browserCtx), user: "co", base: srv.URL}
	co.login()
	audit(co, fmt.Sprintf("/projects/%d/old-factory", caseID))
	audit(co, fmt.Sprintf("/projects/%d/old-factory", admitOverAPI(e))) // the register form, with its building rows

	// Keyboard only: the first Tab lands on the skip link, which is
	// visibly focused; then the comment form is filled and sent with keys.
	anon.open(pub)
	anon.do("first tab", chromedp.KeyEvent(kb.Tab))
	focus, err := chromedp.Run(anon.ctx, chromedp.Evaluate[[]string](`[document.activeElement.className, document.activeElement.textContent.trim(),
		getComputedStyle(document.activeElement).outlineStyle, getComputedStyle(document.activeElement).outlineWidth]`))
	if err != nil || len(focus) != 4 || focus[0] != "skip" || focus[2] == "none" || focus[3] == "0px" {
		t.Fatalf("first Tab: focus %q (%v), want the visibly focused skip link", focus, err)
	}
	anon.do("focus the comment box", chromedp.Focus(chromedp.ID("body")))
	anon.do("type a comment", chromedp.KeyEvent("键盘提交的意见"))
	// Tab through name and contact to the submit button, then Enter.
	for i := 0; i < 3; i++ {
		anon.do(fmt.Sprintf("tab %d", i+1), chromedp.KeyEvent(kb.Tab))
	}
	active, _ := chromedp.Run(anon.ctx, chromedp.Evaluate[string](`document.activeElement.tagName + ":" + document.activeElement.textContent.trim()`))
	if !strings.HasPrefix(active, "BUTTON:提交意见") {
		t.Fatalf("after three Tabs the focus is on %q, want the submit button", active)
	}
	if _, err := chromedp.RunResponse(anon.ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		anon.fatal("submit with Enter", err)
	}
	anon.expect("after submitting with the keyboard", "意见已提交")
}

// newTabContext opens a new browser context (its own cookie jar).
func newTabContext(browserCtx context.Context) context.Context {
	c, _ := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	return c
}
