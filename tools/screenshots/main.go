// Command screenshots signs in to a running gengxin (e.g. `make run`) in
// headless Chromium and saves full-page PNGs of the given pages, to keep
// docs/screenshots current:
//
//	go run -tags purego ./tools/screenshots -base http://127.0.0.1:8080 -out docs/screenshots \
//	    -user chaoyang-gx 10-old-factory-list.png=/old-factory  11-portal.png=/portal
//
// Each argument is NAME.png=PATH; -user "" takes them signed out.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "the running system")
	out := flag.String("out", "docs/screenshots", "directory for the PNGs")
	user := flag.String("user", "", "demo account to sign in with (empty: signed out)")
	password := flag.String("password", "Demo-Gengxin-2024", "its password")
	width := flag.Int("width", 1280, "window width")
	flag.Parse()
	if err := run(*base, *out, *user, *password, *width, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(base, out, user, password string, width int, shots []string) error {
	exe := "/usr/bin/chromium"
	if _, err := os.Stat(exe); err != nil {
		exe = "chromium"
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.Headless,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(width, 900))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	defer cancelBrowser()
	if user != "" {
		if err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/login"),
			chromedp.SendKeys(chromedp.ID("username"), user),
			chromedp.SendKeys(chromedp.ID("password"), password),
		); err != nil {
			return fmt.Errorf("sign in as %s: %w", user, err)
		}
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`), chromedp.NodeVisible))
		if err != nil || resp == nil || resp.Status != 200 {
			return fmt.Errorf("sign in as %s: %v", user, err)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, s := range shots {
		name, path, ok := strings.Cut(s, "=")
		if !ok {
			return fmt.Errorf("%q: want NAME.png=PATH", s)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), buf, 0o644); err != nil {
			return err
		}
		fmt.Printf("%s ← %s (%d bytes)\n", name, path, len(buf))
	}
	return nil
}
