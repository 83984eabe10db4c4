package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/subscriptions"
)

// settableClock is a settable time for commands and the watcher.
type settableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settableClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *settableClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// firstHourEnv has feeds a newcomer meets: a 40-item feed with <ttl>15</ttl>,
// one whose server sends Cache-Control max-age, and one with an untitled
// item from an earlier year.
type firstHourEnv struct {
	*env
	reg   *sources.Registry
	clock *settableClock
	base  string
}

func newFirstHourEnv(t *testing.T) *firstHourEnv {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	clk := &settableClock{now: time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		switch r.URL.Path {
		case "/forty.rss":
			var items strings.Builder
			for i := 40; i >= 1; i-- {
				title := fmt.Sprintf("Story %d about farming", i)
				if i == 40 {
					title = "Copper prices soar in Chile"
				}
				fmt.Fprintf(&items, `<item><title>%s</title><link>https://wire.example/%d</link><guid>%d</guid><pubDate>%s</pubDate></item>`,
					title, i, i, clk.Now().Add(-time.Duration(41-i)*time.Minute).Format(time.RFC1123Z))
			}
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Forty</title><ttl>15</ttl>%s</channel></rss>`, items.String())
		case "/cached.rss":
			w.Header().Set("Cache-Control", "max-age=7200")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Cached</title><item><title>One</title><link>https://c.example/1</link><guid>1</guid></item></channel></rss>`)
		case "/old.rss":
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Old</title>
<item><link>https://o.example/2</link><guid>2</guid><pubDate>Sun, 10 Mar 2024 16:15:00 GMT</pubDate><description>Linux 6.8 is out now. It is faster.</description></item>
<item><link>https://o.example/3</link><guid>3</guid></item>
<item><title>This year</title><link>https://o.example/1</link><guid>1</guid><pubDate>Mon, 09 Mar 2026 16:15:00 GMT</pubDate></item>
</channel></rss>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	reg := sources.NewRegistry(rdb, prefix)
	w := sources.NewWatcher(reg, sources.NewSeen(rdb, prefix, sources.SeenLimits{}),
		fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 5 * time.Second}), nil, nil,
		sources.WatcherOptions{MinInterval: time.Second, Now: clk.Now})
	e := &env{
		subs:    subscriptions.NewStore(rdb, prefix, 10),
		chats:   subscriptions.NewChats(rdb, prefix),
		stories: sources.NewStoryStore(rdb, prefix, time.Hour, 100),
	}
	e.cmds = NewCommands(CommandsOptions{
		Subscriptions: e.subs, Chats: e.chats, Registry: reg, Sources: w, Stories: e.stories,
		Admins: []string{"telegram:1001"}, DefaultInterval: 10 * time.Minute, MinInterval: time.Second, Now: clk.Now,
	})
	return &firstHourEnv{env: e, reg: reg, clock: clk, base: srv.URL}
}

func TestSourceSettingsTakeEffectAtOnce(t *testing.T) {
	e := newFirstHourEnv(t)
	ctx := context.Background()
	steps := []struct {
		line string
		want []string
	}{
		{"/addsource " + e.base + "/forty.rss 1000h", []string{"Added source 1: Forty", "every 1000h.", "Its 40 current stories are marked seen"}},
		{"/sources", []string{"every 1000h, next poll in ", "fetched just now, nothing new yet"}},
		{"/test copper", []string{"copper matches 1 of the last 40 stories", "• Copper prices soar in Chile (Forty)"}},
		{"/addsource " + e.base + "/forty.rss 2s", []string{"its interval is now 2s (was 1000h)", "though it is polled every 15m (the feed's ttl asks 15m)", "next poll in 15m"}},
		{"/sources", []string{"every 15m (asked 2s; the feed's ttl asks 15m), next poll in 15m"}},
		{"/addsource " + e.base + "/cached.rss 1m", []string{"Added source 2: Cached", "every 2h (asked 1m; its server's Cache-Control max-age asks 2h)", "Its one current story is marked seen"}},
		{"/addsource " + e.base + "/cached.rss 1m Cached Wire", []string{"renamed from Cached to Cached Wire"}},
		{"/sources", []string{"2. Cached Wire — ok, every 2h (asked 1m"}},
		{"/pausesource abc", []string{`"abc" is not a source number or a valid URL`, "/pausesource 3"}},
		{"/removesource news", []string{`"news" is not a source number or a valid URL`, "/removesource 3"}},
		{"/pausesource 2", []string{"Paused source 2"}},
		{"/addsource " + e.base + "/cached.rss 5m", []string{"its interval is now 5m (was 1m)", "it is paused: /resumesource 2 restarts it"}},
		{"/sources", []string{"paused, every 2h (asked 5m", "not polled until /resumesource 2"}},
		{"/testsource " + e.base + "/old.rss", []string{"• Linux 6.8 is out now. (10 Mar 2024 16:15 UTC)", "• (untitled) (no date)", "• This year (9 Mar 16:15 UTC)"}},
	}
	for i, s := range steps {
		got := e.do(t, admin, s.line)
		for _, w := range s.want {
			if !strings.Contains(got, w) {
				t.Errorf("step %d %s:\n got %q\nwant it to contain %q", i, s.line, got, w)
			}
		}
	}
	if src, err := e.reg.Get(ctx, 2); err != nil || src.Name != "Cached Wire" {
		t.Errorf("source 2 after rename: %+v, %v", src, err)
	}
}

func TestIntervalChangeReschedulesThePoll(t *testing.T) {
	e := newFirstHourEnv(t)
	ctx := context.Background()
	e.do(t, admin, "/addsource "+e.base+"/old.rss 1000h")
	e.clock.add(time.Minute)
	got := e.do(t, admin, "/addsource "+e.base+"/old.rss 2s")
	if !strings.Contains(got, "its interval is now 2s (was 1000h), next poll now") {
		t.Fatalf("reply %q", got)
	}
	ids, err := e.reg.Claim(ctx, e.clock.Now(), time.Minute, 10)
	if err != nil || len(ids) != 1 || ids[0] != 1 {
		t.Fatalf("source not due at once after 1000h -> 2s: %v %v", ids, err)
	}
	if got := e.do(t, admin, "/sources"); !strings.Contains(got, "every 2s") {
		t.Errorf("/sources: %q", got)
	}
	// Longer again: due an interval after the last poll, not now.
	e.do(t, admin, "/addsource "+e.base+"/old.rss 1h")
	src, _ := e.reg.Get(ctx, 1)
	if want := src.LastFetch.Add(time.Hour); !src.NextPoll.Equal(want.Truncate(time.Millisecond)) {
		t.Errorf("next poll %v, want %v", src.NextPoll, want)
	}
}

func TestSecondPauseSaysAlreadyPaused(t *testing.T) {
	e := newEnv(t)
	for i, s := range []struct{ line, want string }{
		{"/resume", "not paused"},
		{"/pause", "Paused: no alerts here until /resume."},
		{"/pause", "already paused; /resume restarts them"},
		{"/resume", "Resumed"},
		{"/resume", "not paused"},
	} {
		if got := e.do(t, private, s.line); !strings.Contains(got, s.want) {
			t.Errorf("step %d %s: got %q, want %q", i, s.line, got, s.want)
		}
	}
}

func TestSubscriptionsShowWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.stories.AddRecent(ctx, []sources.Story{{ID: "sp", Title: "Floods in Sao Paulo", Text: "Streets flooded.", SourceName: "Wire"}})
	for i, s := range []struct{ line, want string }{
		{"/subscribe São  Paulo", "Subscribed (#1): São Paulo\n"},
		{"/subscribe sao paulo", "already has that subscription (#1): São Paulo."},
		{"/subscribe Ukraine", "Subscribed (#2): Ukraine"},
		{"/digest 2 daily 08:00", "#2 (Ukraine) now comes as one digest a day at 08:00 (UTC)."},
		{"/list", "1. São Paulo — alerts as stories come\n2. Ukraine — daily digest at 08:00 (UTC)\n"},
		{"/digest 1 hourly", "#1 (São Paulo) now comes as one digest an hour."},
		{"/list", "1. São Paulo — hourly digest\n"},
		{"/test São Paulo", "São Paulo matches 1 of the one story seen so far:\n• Floods in Sao Paulo (Wire)"},
		{"/unsubscribe 1", "Removed #1: São Paulo"},
		{"/subscribe (ab*", "ab* is too short at position 2, type at least 3 letters before *"},
		{"/subscribe " + strings.Repeat("a ", 300), "the query is too long (599 characters), use at most 512 characters."},
	} {
		if got := e.do(t, private, s.line); !strings.Contains(got, s.want) {
			t.Errorf("step %d %s:\n got %q\nwant it to contain %q", i, s.line, got, s.want)
		}
	}
}

func TestConsoleHelpLeavesOutDiscordOnlyCommands(t *testing.T) {
	e := newEnv(t)
	consoleAdmin := Request{Chat: Chat{Platform: "console", ID: "local"}, ChatKind: Private, User: User{Platform: "console", ID: "admin"}}
	e.cmds.admins["console:admin"] = true
	help := e.do(t, consoleAdmin, "/help")
	if strings.Contains(help, "/webhook") {
		t.Errorf("console /help lists the Discord-only /webhook:\n%s", help)
	}
	discord := Request{Chat: Chat{Platform: "discord", ID: "5"}, ChatKind: Group, User: User{Platform: "discord", ID: "9"}}
	if help := e.do(t, discord, "/help"); !strings.Contains(help, "/webhook") {
		t.Errorf("Discord /help lacks /webhook")
	}
}
