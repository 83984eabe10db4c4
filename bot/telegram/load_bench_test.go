package telegram

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/subscriptions"
)

// noSink drops stories: the benchmark adds sources, it does not poll them.
type noSink struct{}

func (noSink) Stories(context.Context, sources.Source, []sources.Story, sources.SeenMark) error {
	return nil
}

// slowFeeds serves a valid feed whose body takes about two seconds.
func slowFeeds() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow `+r.URL.Path+`</title>`)
		for range 20 {
			w.(http.Flusher).Flush()
			select {
			case <-time.After(100 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
			fmt.Fprint(w, " ")
		}
		fmt.Fprint(w, `<item><title>x</title><guid>`+r.URL.Path+`</guid></item></channel></rss>`)
	})
}

// BenchmarkLoad: 1,000 users each send /subscribe, /list and /unsubscribe
// at once (3,000 updates) through the fake Bot API, with the real command
// layer on a real Redis, while 10 admins add sources whose servers take
// two seconds each. It reports the p50 and p99 latency from an update's
// injection to the arrival of the message carrying its answer, and the
// updates that got no answer (lost). "telegram-limits" keeps Telegram's
// published limits (30 messages a second for the whole bot, in the fake
// and in the adapter's pacer), which alone spread 3,000 answers over 100
// seconds; "no-global-limit" lifts the bot-wide limit on both sides to
// measure the bot itself.
//
//	go test -run '^$' -bench BenchmarkLoad -benchtime 1x ./bot/telegram/
func BenchmarkLoad(b *testing.B) {
	for _, tc := range []struct {
		name   string
		limits bool
	}{{"no-global-limit", false}, {"telegram-limits", true}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				runLoad(b, tc.limits)
			}
		})
	}
}

func runLoad(b *testing.B, limits bool) {
	const users, admins = 1000, 10
	e := newEnv(b, telegramfake.Options{NoRateLimits: !limits})
	a := e.adapter(nil)
	if !limits {
		a.pacer.global = rate.NewLimiter(rate.Inf, 1)
	}
	feeds := httptest.NewServer(slowFeeds())
	defer feeds.Close()
	reg := sources.NewRegistry(e.rdb, e.prefix)
	fetcher := fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 30 * time.Second})
	watcher := sources.NewWatcher(reg, sources.NewSeen(e.rdb, e.prefix, sources.SeenLimits{}), fetcher, noSink{}, nil,
		sources.WatcherOptions{MinInterval: time.Minute})
	var adminKeys []string
	for i := range admins {
		adminKeys = append(adminKeys, fmt.Sprintf("telegram:%d", 500+i))
	}
	commands := bot.NewCommands(bot.CommandsOptions{
		Subscriptions: subscriptions.NewStore(e.rdb, e.prefix, 100), Chats: subscriptions.NewChats(e.rdb, e.prefix),
		Registry: reg, Sources: watcher, Admins: adminKeys, DefaultInterval: time.Hour, MinInterval: time.Minute,
		FetchTimeout: 30 * time.Second,
	})
	th := &timedHandler{h: commands}
	stop := e.serve(a, th)
	defer stop()

	type sent struct {
		chat int64
		at   time.Time
	}
	var mu sync.Mutex
	var fast []sent // in send order; each user's three in order
	b.ResetTimer()
	start := time.Now()
	for i := range admins {
		u := telegramfake.User{ID: int64(500 + i), FirstName: "Admin"}
		e.fake.PrivateMessage(u, fmt.Sprintf("/addsource %s/slow/%d.xml", feeds.URL, i))
	}
	for _, text := range []string{"/subscribe topic%d", "/list", "/unsubscribe 1"} {
		for i := range users {
			u := telegramfake.User{ID: int64(10000 + i), FirstName: "User"}
			mu.Lock()
			fast = append(fast, sent{chat: u.ID, at: time.Now()})
			mu.Unlock()
			if strings.Contains(text, "%d") {
				text := fmt.Sprintf(text, i)
				e.fake.PrivateMessage(u, text)
				continue
			}
			e.fake.PrivateMessage(u, text)
		}
	}
	// Wait for every answer: per chat, messages (merged replies split) in
	// order answer the chat's commands in order.
	answers := func() map[int64][]time.Time {
		out := map[int64][]time.Time{}
		for _, s := range e.fake.Sent() {
			if s.Method != "sendMessage" {
				continue
			}
			for range strings.Split(s.Text, "\n\n") {
				out[s.ChatID] = append(out[s.ChatID], s.At)
			}
		}
		return out
	}
	deadline := time.Now().Add(10 * time.Minute)
	var got map[int64][]time.Time
	var ingested time.Duration
	for {
		if ingested == 0 && e.fake.PendingUpdates() == 0 {
			ingested = time.Since(start)
		}
		got = answers()
		n := 0
		for i := range users {
			n += min(3, len(got[int64(10000+i)]))
		}
		adminsDone := 0
		for _, s := range e.fake.Sent() {
			if strings.Contains(s.Text, "Added source") {
				adminsDone++
			}
		}
		if (n == 3*users && adminsDone == admins) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	var lat []time.Duration
	next := map[int64]int{}
	lost := 0
	for _, s := range fast {
		k := next[s.chat]
		next[s.chat]++
		if k >= len(got[s.chat]) {
			lost++
			continue
		}
		lat = append(lat, got[s.chat][k].Sub(s.at))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lost), "lost-updates")
	b.ReportMetric(elapsed.Seconds(), "total-s")
	b.ReportMetric(ingested.Seconds(), "ingest-s")
	th.mu.Lock()
	slices.Sort(th.d)
	if len(th.d) > 0 {
		b.ReportMetric(float64(th.d[len(th.d)/2].Microseconds())/1000, "handle-p50-ms")
		b.ReportMetric(float64(th.d[len(th.d)*99/100].Microseconds())/1000, "handle-p99-ms")
		b.ReportMetric(th.last.Sub(start).Seconds(), "handled-s")
	}
	th.mu.Unlock()
	if e.fake.PendingUpdates() != 0 {
		b.Errorf("%d updates never confirmed", e.fake.PendingUpdates())
	}
}

// timedHandler measures how long the command layer takes per command.
type timedHandler struct {
	h    bot.Handler
	mu   sync.Mutex
	d    []time.Duration
	last time.Time
}

func (t *timedHandler) Handle(ctx context.Context, req bot.Request) bot.Reply {
	start := time.Now()
	r := t.h.Handle(ctx, req)
	t.mu.Lock()
	t.d = append(t.d, time.Since(start))
	t.last = time.Now()
	t.mu.Unlock()
	return r
}
