package main

import (
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/sources/summary"
)

// addItemHTML prepends an RSS item with the given title element (empty: none)
// and HTML description.
func (f *testFeed) addItemHTML(guid, title, html string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := ""
	if title != "" {
		t = "<title>" + title + "</title>"
	}
	f.items = append([]string{fmt.Sprintf(`<item>%s<link>https://wire.example/%s</link><guid>%s</guid><pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>`,
		t, guid, guid, time.Now().UTC().Format(time.RFC1123Z), html)}, f.items...)
}

// consoleAlert is one alert as the console prints it.
type consoleAlert struct {
	headline, meta, summary, link string
}

// nextConsoleAlert waits for the next alert whose headline contains want and
// reads its block (headline, source and time, summary, link).
func (b *botProc) nextConsoleAlert(t *testing.T, want string) consoleAlert {
	t.Helper()
	head := b.expect(t, "=== ALERT: "+want)
	a := consoleAlert{headline: strings.TrimPrefix(head, "=== ALERT: ")}
	var body []string
	for len(body) < 3 {
		select {
		case l := <-b.lines:
			body = append(body, strings.TrimSpace(l))
		case <-time.After(10 * time.Second):
			t.Fatalf("alert %q ended early: %q", head, body)
		}
	}
	a.meta, a.summary, a.link = body[0], strings.ReplaceAll(body[1], "*", ""), body[2]
	return a
}

func readSeedStoryFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("/work/shared/fixtures/seed-story.txt")
	if err != nil {
		b, err = os.ReadFile("../../sources/summary/testdata/seed-story.txt")
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAlertsReadWellEndToEnd: an item without a title, an item whose text
// is one short line holding the match, and a long story each give an alert
// with a headline and the matched sentence; the long one carries two or
// three sentences.
func TestAlertsReadWellEndToEnd(t *testing.T) {
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
		"NEWSALERT_INSTANCE":               "e2e-alerts",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	})
	defer b.stop(t)
	b.send("/addsource " + srv.URL + "/feed.xml")
	b.expect(t, "Added source 1")
	b.send("/subscribe linux")
	b.expect(t, "Subscribed")
	b.send("/subscribe kharkiv")
	b.expect(t, "Subscribed")
	b.send("/subscribe São Paulo")
	b.expect(t, "Subscribed (#3): São Paulo")
	b.send("/digest 2 daily 08:00")
	b.expect(t, "#2 (kharkiv) now comes as one digest a day at 08:00")
	b.send("/digest 2 off")
	b.expect(t, "#2 (kharkiv) now alerts as stories come")
	b.send("/timezone Asia/Tokyo")
	b.expect(t, "Time zone set to Asia/Tokyo")
	b.send("/list")
	b.expect(t, "3. São Paulo — alerts as stories come")

	// No title: the headline comes from the text.
	f.addItemHTML("1", "", "<p>Dear readers, we have big news.</p><p>Linux 6.8 is out now.</p>")
	a := b.nextConsoleAlert(t, "Dear readers, we have big news.")
	if !strings.Contains(a.summary, "Linux 6.8 is out now.") {
		t.Errorf("untitled item: summary lacks the matched sentence: %+v", a)
	}
	if !strings.Contains(a.meta, "JST") {
		t.Errorf("alert time not in the chat's time zone (Asia/Tokyo): %q", a.meta)
	}
	if a.link != "https://wire.example/1" {
		t.Errorf("untitled item: link line %q", a.link)
	}

	// One short line of text holding the match.
	f.addItemHTML("2", "Kernel news", "Linux 6.9 is out now.")
	a = b.nextConsoleAlert(t, "Kernel news")
	if a.summary != "Linux 6.9 is out now." {
		t.Errorf("one-line item: summary %q, want the matched sentence", a.summary)
	}

	// No title and only one line: the line is both headline and summary.
	f.addItemHTML("3", "", "Linux 7.0 is out now.")
	a = b.nextConsoleAlert(t, "Linux 7.0 is out now.")
	if a.summary != "Linux 7.0 is out now." {
		t.Errorf("untitled one-line item: summary %q", a.summary)
	}

	// Accent-insensitive matching of a query shown as typed.
	f.addItemHTML("5", "Floods in Sao Paulo", "Heavy rain flooded streets in Sao Paulo on Monday.")
	a = b.nextConsoleAlert(t, "Floods in Sao Paulo")
	if !strings.Contains(a.summary, "Heavy rain flooded streets") {
		t.Errorf("accent-free story: summary %q", a.summary)
	}

	// A long story: two or three sentences, the matched one among them.
	seed := readSeedStoryFixture(t)
	var html strings.Builder
	for _, p := range strings.Split(seed, "\n\n") {
		html.WriteString("<p>" + strings.TrimSpace(p) + "</p>")
	}
	f.addItemHTML("4", "Kim backs Russia on Victory Day", html.String())
	a = b.nextConsoleAlert(t, "Kim backs Russia on Victory Day")
	if !strings.Contains(a.summary, "missile debris found in the Ukrainian city of Kharkiv") {
		t.Errorf("long item: summary lacks the matched sentence: %q", a.summary)
	}
	if n := len(summary.Sentences(a.summary)); n < 2 || n > 3 {
		t.Errorf("long item: summary has %d sentences, want 2 or 3: %q", n, a.summary)
	}
}

// TestIntervalChangeEndToEnd: a source polled every 1000h is set to 2s and
// a new story on it is alerted within seconds, without /resumesource.
func TestIntervalChangeEndToEnd(t *testing.T) {
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
		"NEWSALERT_INSTANCE":               "e2e-interval",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	})
	defer b.stop(t)
	b.send("/addsource " + srv.URL + "/feed.xml 1000h")
	b.expect(t, "every 1000h.")
	b.send("/subscribe grain")
	b.expect(t, "Subscribed")
	f.add("1", "Grain deal signed", "Ships will sail again on Monday, officials said.")
	b.quiet(t, "=== ALERT", 2*time.Second)
	b.send("/addsource " + srv.URL + "/feed.xml 2s")
	b.expect(t, "its interval is now 2s (was 1000h), next poll now")
	b.expectWithin(t, "=== ALERT: Grain deal signed", 10*time.Second)
	b.send("/sources")
	b.expect(t, "every 2s, next poll ")
}

// TestQuietHoursOnTheConsoleEndToEnd: alerts that match during quiet hours
// come as one digest when the quiet hours end, not as ordinary alerts.
// Quiet hours have minute granularity, so this waits for a minute to pass.
func TestQuietHoursOnTheConsoleEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for quiet hours to end (about a minute)")
	}
	if time.Now().Second() > 45 { // leave the stories time to arrive within the quiet minute
		time.Sleep(time.Duration(61-time.Now().Second()) * time.Second)
	}
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
		"NEWSALERT_INSTANCE":               "e2e-quiet",
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	})
	defer b.stop(t)
	now := time.Now().UTC()
	quiet := now.Add(-time.Minute).Format("15:04") + "-" + now.Add(time.Minute).Format("15:04")
	b.send("/addsource " + srv.URL + "/feed.xml")
	b.expect(t, "Added source 1")
	b.send("/subscribe grain")
	b.expect(t, "Subscribed")
	b.send("/quiet " + quiet)
	b.expect(t, "Quiet hours "+quiet+" (UTC)")
	f.add("1", "Grain deal signed", "Ships will sail again on Monday, officials said.")
	f.add("2", "Grain prices fall", "Wheat futures fell after the deal, traders said.")
	b.quiet(t, "=== ALERT", 5*time.Second)
	line := b.expectWithin(t, "Digest: 2 stories", 100*time.Second)
	if !strings.HasPrefix(line, "notice: Digest") {
		t.Errorf("digest line %q", line)
	}
	b.expect(t, "• Grain")
	b.expect(t, "• Grain")
	b.quiet(t, "=== ALERT", 3*time.Second)
}
