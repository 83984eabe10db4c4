package outbox

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

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// timingPlatform reports when each alert reaches the platform call.
type timingPlatform struct{ at chan time.Time }

func (p *timingPlatform) Limits() bot.Limits { return bot.Limits{MaxBatch: 5, SummaryRunes: 400} }
func (p *timingPlatform) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	now := time.Now()
	r := bot.Receipt{}
	for range batch {
		p.at <- now
		r.MessageIDs = append(r.MessageIDs, "m")
	}
	return r, false, nil
}
func (p *timingPlatform) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	return false, nil
}

// growingFeed adds one item per request.
type growingFeed struct {
	mu    sync.Mutex
	items []string
}

func (f *growingFeed) add(i int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.items = append([]string{fmt.Sprintf(`<item><title>Grain deal %d signed in Istanbul</title><link>https://wire.example/%d</link><guid>%d</guid><description>Kyiv and Ankara agreed to reopen shipping lanes for wheat and maize exports, officials said on Thursday.</description></item>`, i, i, i)}, f.items...)
	if len(f.items) > 50 {
		f.items = f.items[:50]
	}
}

func (f *growingFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<rss version="2.0"><channel><title>Wire</title>%s</channel></rss>`, strings.Join(f.items, ""))
}

// BenchmarkEndToEnd measures, per new story, the time from a poll to the
// platform call for the matching chat, with 10,000 subscriptions: the
// whole path poll -> parse -> story -> match -> outbox -> deliverer ->
// adapter, against the test Redis. It reports p50 and p99 both from the
// start of the poll and from the end of the fetch.
func BenchmarkEndToEnd(b *testing.B) {
	rdb, prefix := redistest.Client(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	subs := subscriptions.NewStore(rdb, prefix, 50)
	for i := range 10000 {
		q := fmt.Sprintf("w%d w%d", i, i+1)
		if i == 0 {
			q = `"grain deal" istanbul`
		}
		subs.Add(ctx, subscriptions.Chat{Platform: "fake", ID: fmt.Sprint(i)}, q, "x", time.Now())
	}
	matcher := subscriptions.NewMatcher(subs, query.DefaultLimits(), nil)
	if err := matcher.Load(ctx); err != nil {
		b.Fatal(err)
	}
	box := New(rdb, prefix)
	stories := sources.NewStoryStore(rdb, prefix, time.Hour, 100)
	chats := subscriptions.NewChats(rdb, prefix)
	records := NewRecords(rdb, prefix, time.Hour)
	router := NewRouter(RouterOptions{Stories: stories, Matcher: matcher, Outbox: box, Chats: chats, Records: records})
	plat := &timingPlatform{at: make(chan time.Time, 16)}
	d := NewDeliverer(box, DelivererOptions{Consumer: "bench", Platforms: map[string]Platform{"fake": plat},
		Stories: stories, Chats: chats, Records: records})
	go d.Run(ctx)
	feed := &growingFeed{}
	feed.add(0)
	srv := httptest.NewServer(feed)
	defer srv.Close()
	seen := sources.NewSeen(rdb, prefix, sources.SeenLimits{})
	w := sources.NewWatcher(sources.NewRegistry(rdb, prefix), seen, fetch.New(fetch.Options{AllowPrivate: true}), router, nil,
		sources.WatcherOptions{MinInterval: time.Minute})
	added, err := w.Add(ctx, sources.AddRequest{URL: srv.URL + "/feed.xml", Interval: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	src := added.Source
	var total, afterFetch []time.Duration
	b.ResetTimer()
	for i := range b.N {
		feed.add(i + 1)
		start := time.Now()
		res, err := w.Poll(ctx, src)
		if err != nil || res.Alerted != 1 {
			b.Fatalf("poll %d: %+v %v", i, res, err)
		}
		at := <-plat.at
		total = append(total, at.Sub(start))
		afterFetch = append(afterFetch, at.Sub(start)-res.FetchTime)
		src.LastSuccess = time.Now()
	}
	b.StopTimer()
	pct := func(ds []time.Duration, p float64) float64 {
		s := slices.Clone(ds)
		slices.Sort(s)
		return float64(s[int(float64(len(s)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(afterFetch, 0.50), "p50-ms-after-fetch")
	b.ReportMetric(pct(afterFetch, 0.99), "p99-ms-after-fetch")
	b.ReportMetric(pct(total, 0.50), "p50-ms-total")
	b.ReportMetric(pct(total, 0.99), "p99-ms-total")
}
