package main

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsalert/newsalert/internal/redistest"
)

// chromiumPath finds Debian's chromium. Without it the browser tests skip,
// except under CI (CI=true), where .ci/run installs it and they must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	msg := "chromium not found (install it: apt-get install -y chromium); the dashboard browser test needs it"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// newBrowser starts headless chromium with a phone-sized window.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(412, 915),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelCtx := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	// The browser lives as long as bctx; every step after is bounded.
	ctx, cancelTimeout := context.WithTimeout(bctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// breakableFeed is a testFeed that answers 503 once broken.
type breakableFeed struct {
	testFeed
	broken atomic.Bool
}

func (f *breakableFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.broken.Load() {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	f.testFeed.ServeHTTP(w, r)
}

// screenshot saves the page to docs/ui/name.png when
// NEWSALERT_UPDATE_SCREENSHOTS=1.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("NEWSALERT_UPDATE_SCREENSHOTS") != "1" {
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 makes a PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "..", "docs", "ui")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// eventually sends cmd until the console answers a line with want.
func (b *botProc) eventually(t *testing.T, cmd, want string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		b.send(cmd)
		timeout := time.After(2 * time.Second)
	wait:
		for {
			select {
			case l := <-b.lines:
				if strings.Contains(l, want) {
					return
				}
			case <-timeout:
				break wait
			}
		}
	}
	t.Fatalf("%s never answered %q within %s", cmd, want, d)
}

// browse runs one browser action that returns a value.
func browse[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

var linkRE = regexp.MustCompile(`https?://\S+/ui/login/[0-9a-f]{32}`)

// TestDashboardInABrowser drives headless chromium through the whole
// binary: a /dashboard link signs in, a subscription is added with the
// live preview showing matches and shows in /list; the bot admin sees a
// failing source with its error and chart; the link does not work twice;
// another chat's pages are refused.
func TestDashboardInABrowser(t *testing.T) {
	redistest.Client(t) // the embedded store is under test; this checks the test environment only
	ctx := newBrowser(t)
	wire := &testFeed{}
	wire.add("1", "Markets calm", "Nothing to see.")
	broken := &breakableFeed{}
	broken.add("b1", "Harbour news", "Boats.")
	mux := http.NewServeMux()
	mux.Handle("/wire.xml", wire)
	mux.Handle("/broken.xml", broken)
	feeds := httptest.NewServer(mux)
	defer feeds.Close()
	addr := freeAddr(t)
	b := startBot(t, map[string]string{
		"NEWSALERT_DATA_DIR":               t.TempDir(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_FAILURE_THRESHOLD":      "1",
		"NEWSALERT_HTTP_ADDR":              addr,
		"NEWSALERT_PUBLIC_URL":             "http://" + addr,
		"NEWSALERT_FETCH_ARTICLES":         "false",
		"NEWSALERT_REDIS_URL":              "",
		"NEWSALERT_INSTANCE":               "e2e-browser",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	})
	defer b.stop(t)

	b.send("/addsource " + feeds.URL + "/wire.xml 1s Wire")
	b.expect(t, "Added source 1: Wire")
	b.send("/addsource " + feeds.URL + "/broken.xml 1s Harbour Gazette")
	b.expect(t, "Added source 2: Harbour Gazette")
	wire.add("2", "Ukraine and Turkey sign grain deal", "Kyiv and Ankara agreed to reopen Black Sea shipping lanes.")
	wire.add("3", "Ukraine grain exports rise", "Ports are busy.")
	broken.add("b2", "Zanzibar ferry resumes", "A new ferry.")
	b.eventually(t, "/test ukraine grain", "matches 2 of the last", 30*time.Second)
	b.eventually(t, "/test zanzibar", "matches 1 of the last", 30*time.Second)
	broken.broken.Store(true)

	b.send("/dashboard")
	link := linkRE.FindString(b.expect(t, "/ui/login/"))
	if link == "" {
		t.Fatal("no link in the /dashboard answer")
	}

	// Sign in, type a query, see the live preview, subscribe.
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("signin"))); err != nil {
		t.Fatalf("open link: %v", err)
	}
	screenshot(t, ctx, "sign-in")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("query")),
		chromedp.SendKeys(chromedp.ID("query"), "ukraine grain"),
		chromedp.WaitVisible(chromedp.CSS("#preview mark")),
	); err != nil {
		t.Fatalf("sign in and preview: %v", err)
	}
	chatURL := browse(t, ctx, chromedp.Location())
	preview := browse(t, ctx, chromedp.Text(chromedp.ID("preview")))
	if !strings.Contains(preview, "matches 2 of the last") || !strings.Contains(preview, "Ukraine and Turkey sign grain deal") {
		t.Fatalf("live preview shows %q", preview)
	}
	screenshot(t, ctx, "chat-preview")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("subscribe")), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	if flash := browse(t, ctx, chromedp.Text(chromedp.CSS(".flash"))); !strings.Contains(flash, "Subscribed (#1): ukraine grain") {
		t.Fatalf("subscribe answered %q", flash)
	}
	b.send("/list")
	b.expect(t, "1. ukraine grain")
	// The alert it brings shows in the chat's history, sent.
	wire.add("4", "Ukraine grain ships sail from Odesa", "The first convoy left at dawn.")
	b.expectWithin(t, "=== ALERT: Ukraine grain ships sail from Odesa", 30*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(chatURL), chromedp.WaitVisible(chromedp.CSS("ol.history"))); err != nil {
		t.Fatalf("history: %v", err)
	}
	if hist := browse(t, ctx, chromedp.Text(chromedp.CSS("ol.history"))); !strings.Contains(hist, "Ukraine grain ships sail from Odesa") ||
		!strings.Contains(hist, "sent") || !strings.Contains(hist, "#1 ukraine grain") {
		t.Fatalf("history shows %q", hist)
	}
	screenshot(t, ctx, "chat")

	// The bot admin sees the failing source, its error and its chart.
	base := strings.TrimSuffix(chatURL, "/")
	var card string
	deadline := time.Now().Add(60 * time.Second)
	for {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/sources"), chromedp.WaitVisible(chromedp.ID("source-2"))); err != nil {
			t.Fatalf("sources page: %v", err)
		}
		card = browse(t, ctx, chromedp.Text(chromedp.ID("source-2")))
		if strings.Contains(card, "failing") || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !strings.Contains(card, "failing") || !strings.Contains(card, "503") {
		t.Fatalf("failing source shows %q", card)
	}
	label := browse(t, ctx, chromedp.AttributeValue(chromedp.CSS("#source-2 svg.chart"), "aria-label"))
	if !strings.Contains(label.Value, "New stories per day over 14 days for Harbour Gazette: 1 in all") {
		t.Fatalf("chart says %q", label.Value)
	}
	screenshot(t, ctx, "sources")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/system"), chromedp.WaitVisible(chromedp.ID("outbox-depth"))); err != nil {
		t.Fatalf("system page: %v", err)
	}
	if system := browse(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(system, "Alerts waiting") {
		t.Fatalf("system page shows %q", system)
	}
	screenshot(t, ctx, "system")

	// The link works once.
	if err := chromedp.Do(ctx, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	if again := browse(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(again, "already used or has expired") {
		t.Fatalf("second use of the link shows %q", again)
	}
	// Another chat's pages are refused.
	other := "http://" + addr + "/ui/c/" + base64.RawURLEncoding.EncodeToString([]byte("telegram:42"))
	for _, p := range []string{"/", "/sources", "/system"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(other+p)); err != nil {
			t.Fatal(err)
		}
		if text := browse(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(text, "There is no such page for your session") {
			t.Fatalf("another chat's %s shows %q", p, text)
		}
	}
}
