package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
)

// testFeed serves an RSS feed whose items the test appends.
type testFeed struct {
	mu    sync.Mutex
	items []string
}

func (f *testFeed) add(guid, title, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append([]string{fmt.Sprintf(`<item><title>%s</title><link>https://wire.example/%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
		title, guid, guid, time.Now().UTC().Format(time.RFC1123Z), text)}, f.items...)
}

func (f *testFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>%s</channel></rss>`, strings.Join(f.items, ""))
}

// bot is one `newsalert run` in this process, driven like the console.
type botProc struct {
	in     *io.PipeWriter
	lines  chan string
	cancel context.CancelFunc
	done   chan int
}

func startBot(t *testing.T, env map[string]string) *botProc {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	b := &botProc{in: inW, lines: make(chan string, 1000), cancel: cancel, done: make(chan int, 1)}
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			b.lines <- sc.Text()
		}
		close(b.lines)
	}()
	logs := &syncBuf{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	})
	go func() {
		code := run(ctx, []string{"run"}, inR, outW, logs)
		outW.Close()
		b.done <- code
	}()
	b.expect(t, "type /help")
	return b
}

func (b *botProc) send(line string) { fmt.Fprintln(b.in, line) }

// expect waits for an output line containing want and returns it.
func (b *botProc) expect(t *testing.T, want string) string {
	t.Helper()
	return b.expectWithin(t, want, 15*time.Second)
}

// expectWithin is expect with a given patience.
func (b *botProc) expectWithin(t *testing.T, want string, d time.Duration) string {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case l, ok := <-b.lines:
			if !ok {
				t.Fatalf("output ended waiting for %q", want)
			}
			if strings.Contains(l, want) {
				return l
			}
		case <-timeout:
			t.Fatalf("no output line with %q within %s", want, d)
		}
	}
}

// quiet checks that no line containing s appears within d.
func (b *botProc) quiet(t *testing.T, s string, d time.Duration) {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case l, ok := <-b.lines:
			if !ok {
				return
			}
			if strings.Contains(l, s) {
				t.Fatalf("unexpected output: %q", l)
			}
		case <-timeout:
			return
		}
	}
}

func (b *botProc) stop(t *testing.T) {
	t.Helper()
	b.cancel()
	b.in.Close()
	select {
	case code := <-b.done:
		if code != 0 {
			t.Fatalf("newsalert run exited %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("newsalert run did not stop within 15s")
	}
}

// TestFirstAlertEndToEnd is the foundation's promise: on the embedded store
// with the console, /addsource and /subscribe, then a matching item is
// alerted within seconds; after a restart both are kept and nothing repeats.
func TestFirstAlertEndToEnd(t *testing.T) {
	redistest.Client(t) // not used: the embedded store is under test
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	addr := freeAddr(t)
	env := map[string]string{
		"NEWSALERT_DATA_DIR":               t.TempDir(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              addr,
		"NEWSALERT_FETCH_ARTICLES":         "false",
		"NEWSALERT_REDIS_URL":              "",
		"NEWSALERT_INSTANCE":               "e2e",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	}
	b := startBot(t, env)
	b.send("/addsource " + srv.URL + "/feed.xml")
	b.expect(t, "Added source 1: Wire")
	b.send("/subscribe ukraine")
	b.expect(t, "Subscribed (#1): ukraine")
	f.add("2", "Ukraine and Turkey sign grain deal", "Kyiv and Ankara agreed on Thursday to reopen Black Sea shipping lanes. The deal covers wheat and maize.")
	start := time.Now()
	b.expect(t, "=== ALERT: Ukraine and Turkey sign grain deal")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("alert took %s", d)
	}
	b.expect(t, "Kyiv and Ankara agreed")
	b.expect(t, "https://wire.example/2")
	b.quiet(t, "=== ALERT", 2500*time.Millisecond)
	checkHTTP(t, addr)
	b.stop(t)

	b = startBot(t, env)
	b.send("/list")
	b.expect(t, "1. ukraine")
	b.send("/sources")
	b.expect(t, "1. Wire")
	b.quiet(t, "=== ALERT", 3*time.Second)
	f.add("3", "Ukraine reopens ports", "Ships left Odesa.")
	b.expect(t, "=== ALERT: Ukraine reopens ports")
	b.stop(t)
}

func TestBadConfigurationStopsTheStart(t *testing.T) {
	var stderr strings.Builder
	t.Setenv("NEWSALERT_POLL_INTERVAL", "soon")
	code := run(context.Background(), []string{"run"}, strings.NewReader(""), io.Discard, &stderr)
	if code == 0 {
		t.Fatal("started with a bad interval")
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Count(msg, "\n") != 0 || !strings.Contains(msg, "NEWSALERT_POLL_INTERVAL") {
		t.Fatalf("error is not one line naming the variable: %q", msg)
	}
}

func TestVersionAndHelp(t *testing.T) {
	var out strings.Builder
	if code := run(context.Background(), []string{"version"}, nil, &out, io.Discard); code != 0 || !strings.HasPrefix(out.String(), "newsalert ") {
		t.Fatalf("version: %d %q", code, out.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"--help"}, nil, &out, io.Discard); code != 0 || !strings.Contains(out.String(), "check") {
		t.Fatalf("help: %d %q", code, out.String())
	}
	for _, sub := range []string{"run", "check"} {
		var errOut strings.Builder
		if code := run(context.Background(), []string{sub, "--help"}, nil, io.Discard, &errOut); code != 0 || !strings.Contains(errOut.String(), "Usage: newsalert "+sub) {
			t.Errorf("%s --help: %d %q", sub, code, errOut.String())
		}
	}
	if code := run(context.Background(), []string{"healthcheck", "--url", "http://127.0.0.1:1/healthz"}, nil, io.Discard, io.Discard); code != 1 {
		t.Errorf("healthcheck of nothing exit %d, want 1", code)
	}
	if code := run(context.Background(), []string{"frob"}, nil, io.Discard, io.Discard); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
}

// freeAddr returns a loopback address with a port free just now.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// checkHTTP scrapes the health endpoints and the metrics of a bot that has
// delivered one alert.
func checkHTTP(t *testing.T, addr string) {
	t.Helper()
	var out strings.Builder
	if code := run(context.Background(), []string{"healthcheck", "--url", "http://" + addr + "/healthz"}, nil, &out, io.Discard); code != 0 {
		t.Errorf("healthcheck exit %d", code)
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/readyz"); code != 200 {
		t.Errorf("/readyz = %d %q", code, body)
	}
	code, body := get("/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		`newsalert_polls_total{result="ok"}`,
		`newsalert_polls_total{result="not_modified"}`,
		`newsalert_fetch_duration_seconds_count`,
		`newsalert_items_seen_total`,
		`newsalert_items_new_total`,
		`newsalert_matches_total 1`,
		`newsalert_match_duration_seconds_count`,
		`newsalert_alerts_queued_total 1`,
		`newsalert_alerts_sent_total{platform="console"} 1`,
		`newsalert_alerts_failed_total{platform="console"} 0`,
		`newsalert_alerts_dropped_total{reason="stale"} 0`,
		`newsalert_alerts_duplicated_total{platform="console"} 0`,
		`newsalert_rate_limited_total{platform="console"} 0`,
		`newsalert_delivery_delay_seconds_count 1`,
		`newsalert_outbox_depth 0`,
		`newsalert_outbox_oldest_age_seconds 0`,
		`newsalert_matcher_subscriptions 1`,
		`newsalert_store_snapshot_age_seconds`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
