package main

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestPauseOneSubscriptionEndToEnd: in a chat with two subscriptions,
// /pause 2 stops #2's alerts while #1's still come; /list shows #2 paused;
// /resume 2 brings its alerts back.
func TestPauseOneSubscriptionEndToEnd(t *testing.T) {
	f := &testFeed{}
	f.add("0", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	b := startBot(t, map[string]string{
		"NEWSALERT_DATA_DIR":               t.TempDir(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              "off",
		"NEWSALERT_FETCH_ARTICLES":         "false",
		"NEWSALERT_REDIS_URL":              "",
		"NEWSALERT_INSTANCE":               "e2e-pause-one",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	})
	defer b.stop(t)
	b.send("/addsource " + srv.URL + "/feed.xml")
	b.expect(t, "Added source 1")
	b.send("/subscribe grain")
	b.expect(t, "Subscribed (#1): grain")
	b.send("/subscribe ukraine")
	b.expect(t, "Subscribed (#2): ukraine")
	b.send("/pause 2")
	b.expect(t, "Paused #2: ukraine — its alerts stop until /resume 2.")
	b.send("/pause 2")
	b.expect(t, "#2 is already paused.")
	b.send("/pause 7")
	b.expect(t, "There is no #7 (see /list).")
	b.send("/list")
	b.expect(t, "2. ukraine — paused")

	f.add("1", "Ukraine talks resume", "Delegations met in Geneva on Monday.")
	f.add("2", "Grain deal signed", "Ships will sail again on Monday, officials said.")
	deadline := time.After(20 * time.Second)
	for got := false; !got; {
		select {
		case l := <-b.lines:
			if strings.Contains(l, "=== ALERT: Ukraine") {
				t.Fatalf("alert of the paused subscription: %q", l)
			}
			got = strings.Contains(l, "=== ALERT: Grain deal signed")
		case <-deadline:
			t.Fatal("no alert for the running subscription within 20s")
		}
	}
	b.quiet(t, "=== ALERT: Ukraine", 3*time.Second)

	b.send("/resume 2")
	b.expect(t, "Resumed #2: ukraine")
	f.add("3", "Ukraine ceasefire holds", "The front was calm overnight.")
	b.expectWithin(t, "=== ALERT: Ukraine ceasefire holds", 20*time.Second)
}
