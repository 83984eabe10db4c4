package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
)

// TestRedisOutage cuts the connection to Redis under a running bot: it does
// not exit, /readyz says why, and once Redis is back the story published
// during the outage is alerted.
func TestRedisOutage(t *testing.T) {
	rdb, _ := redistest.Client(t)
	u, _ := url.Parse(redistest.URL())
	proxy := redistest.NewProxy(t, u.Host)
	u.Host = proxy.Addr()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	addr := freeAddr(t)
	b := startBot(t, map[string]string{
		"NEWSALERT_REDIS_URL":              u.String(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              addr,
		"NEWSALERT_FETCH_ARTICLES":         "false",
		"NEWSALERT_INSTANCE":               "outage",
		"NEWSALERT_LOG_LEVEL":              "debug",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	})
	b.send("/addsource " + srv.URL + "/feed.xml")
	b.expect(t, "Added source 1")
	b.send("/subscribe ukraine")
	b.expect(t, "Subscribed (#1)")

	proxy.Cut()
	f.add("2", "Ukraine reopens Black Sea ports", "Ships left Odesa on Monday.")
	time.Sleep(2 * time.Second)
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatalf("/readyz during the outage: %v (did the process exit?)", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage = %d, want 503", resp.StatusCode)
	}
	b.quiet(t, "=== ALERT", time.Second)

	proxy.Restore()
	// The source failed to save its polls during the outage and backs off
	// (doubling from 1s), and delivery retries with backoff: allow for both.
	b.expectWithin(t, "=== ALERT: Ukraine reopens Black Sea ports", 45*time.Second)
	resp, err = http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("/readyz after the outage: %v %v", resp, err)
	}
	b.stop(t)
}
