package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/store"
)

// rotatingFeed is a hostile feed: every request gives each of its items a
// new GUID, so every item is new on every poll, and each item carries a
// long headline and a long text.
type rotatingFeed struct {
	items     int
	textBytes int
	requests  atomic.Int64
}

func (f *rotatingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.requests.Add(1)
	const sentence = "The harbour authority said on Thursday that ships would wait. "
	filler := strings.Repeat(sentence, f.textBytes/len(sentence))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile Wire</title>`)
	now := time.Now().UTC().Format(time.RFC1123Z)
	for i := range f.items {
		fmt.Fprintf(&b, `<item><title>Poll %d story %d %s</title><link>https://hostile.example/%d/%d</link><guid>%d-%d</guid><pubDate>%s</pubDate><description>%s</description></item>`,
			n, i, strings.Repeat("headline ", 40), n, i, n, i, now, filler)
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	io.WriteString(w, b.String())
}

// TestHostileFeedLeavesRedisBounded runs the whole bot (a child process on
// the embedded store) for a simulated day of polls of a GUID-rotating feed:
// 288 polls, a day at the default 5-minute interval, compressed to 100 ms
// apart. Every poll brings 200 new items of ~8 KB. What the store holds at
// the end is bounded (the seen set by count, no key per unmatched story,
// the /test window by size), and the source is flagged to admins.
func TestHostileFeedLeavesRedisBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process for a simulated day of polls")
	}
	const polls = 288
	f := &rotatingFeed{items: 200, textBytes: 8 << 10}
	if raceEnabled {
		// The same day of polls, on a lighter feed: still four times the
		// new items a poll takes.
		f = &rotatingFeed{items: 200, textBytes: 2 << 10}
	}
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1",
		"NEWSALERT_DATA_DIR="+dir, "NEWSALERT_REDIS_URL=", "NEWSALERT_HTTP_ADDR=off",
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS=true", "NEWSALERT_POLL_INTERVAL=100ms", "NEWSALERT_MIN_POLL_INTERVAL=100ms",
		"NEWSALERT_FETCH_ARTICLES=false", "NEWSALERT_LOG_LEVEL=error", "TELEGRAM_BOT_TOKEN=", "DISCORD_BOT_TOKEN=")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuf{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	expect := func(want string, d time.Duration) string {
		t.Helper()
		timeout := time.After(d)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("output ended waiting for %q; logs:\n%s", want, logs.String())
				}
				if strings.Contains(l, want) {
					return l
				}
			case <-timeout:
				t.Fatalf("no %q within %s; logs:\n%s", want, d, logs.String())
			}
		}
	}
	expect("type /help", 15*time.Second)
	fmt.Fprintln(in, "/addsource "+srv.URL+"/feed.xml")
	expect("Added source 1", 15*time.Second)
	fmt.Fprintln(in, "/subscribe tulips")
	expect("Subscribed (#1)", 15*time.Second)

	start := time.Now()
	var maxRSS int64
	for f.requests.Load() < polls+1 {
		if time.Since(start) > 15*time.Minute {
			t.Fatalf("only %d polls in 15 minutes", f.requests.Load()-1)
		}
		maxRSS = max(maxRSS, rssOf(cmd.Process.Pid))
		time.Sleep(500 * time.Millisecond)
	}
	elapsed := time.Since(start)
	fmt.Fprintln(in, "/sources")
	expect("flagged:", 15*time.Second)
	fmt.Fprintln(in, "/stats")
	expect("Flagged for a flood of new items: 1", 15*time.Second)

	cmd.Process.Signal(syscall.SIGTERM)
	go io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	snap := filepath.Join(dir, store.SnapshotFile)
	info, err := os.Stat(snap)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	storyKeys, _ := s.Client.Keys(ctx, "na:story:*").Result()
	seenKeys, _ := s.Client.Keys(ctx, "na:*:seen:*").Result()
	var seen int64
	for _, k := range seenKeys {
		seen += s.Client.ZCard(ctx, k).Val()
	}
	recent := s.Client.LLen(ctx, "na:stories:recent").Val()
	items := int64(polls) * int64(f.items)
	t.Logf("%d polls (%d hostile items, ~%d MB of feed) in %s: store snapshot %d KiB, %d story keys, %d seen keys, %d stories in the /test window, peak RSS %d MiB",
		polls, items, items*int64(f.textBytes)>>20, elapsed.Round(time.Second), info.Size()>>10, len(storyKeys), seen, recent, maxRSS>>20)
	if info.Size() > 4<<20 {
		t.Errorf("the store holds %d KiB after a day of a hostile feed; want at most 4 MiB", info.Size()>>10)
	}
	if len(storyKeys) != 0 {
		t.Errorf("%d unmatched stories stored under keys of their own", len(storyKeys))
	}
	if seen > 5000 {
		t.Errorf("seen set holds %d keys, cap 5000", seen)
	}
	// The window holds 500 stories: /test reads the last 100, the
	// dashboard's preview all 500.
	if recent > 500 {
		t.Errorf("/test window holds %d stories, cap 500", recent)
	}
}

// rssOf is a process's resident memory in bytes (0 when unknown).
func rssOf(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
