package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/sources/summary"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// vclock is the simulated time.
type vclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *vclock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *vclock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// simFeeds serves feeds from memory: each has its newest items, and
// answers a conditional request for an unchanged feed with 304.
type simFeeds struct {
	mu    sync.Mutex
	clock *vclock
	items map[string][]string
	count map[string]int
	words []string
	zipf  *rand.Zipf
	rng   *rand.Rand
}

// word draws a word with Zipf frequencies, as news text has them.
func (f *simFeeds) word() string { return f.words[f.zipf.Uint64()] }

func (f *simFeeds) add(url string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.count[url]++
	n := f.count[url]
	var text strings.Builder
	for range 80 {
		text.WriteString(f.word())
		text.WriteByte(' ')
	}
	title := fmt.Sprintf("Bulletin %s %s %s %s", f.word(), f.word(), f.word(), f.word())
	item := fmt.Sprintf(`<item><title>%s</title><link>%s/%d</link><guid>%s-%d</guid><pubDate>%s</pubDate><description>%s.</description></item>`,
		title, url, n, url, n, f.clock.Now().UTC().Format(time.RFC1123Z), text.String())
	f.items[url] = append([]string{item}, f.items[url]...)
	if len(f.items[url]) > 20 {
		f.items[url] = f.items[url][:20]
	}
}

func (f *simFeeds) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	etag := strconv.Itoa(f.count[req.URL])
	if req.ETag == etag {
		return &fetch.Response{StatusCode: 304, NotModified: true, ETag: etag, FinalURL: req.URL}, nil
	}
	body := `<?xml version="1.0"?><rss version="2.0"><channel><title>Sim</title>` + strings.Join(f.items[req.URL], "") + `</channel></rss>`
	return &fetch.Response{StatusCode: 200, Body: []byte(body), ContentType: "application/rss+xml", ETag: etag, FinalURL: req.URL}, nil
}

// countingPlatform accepts every alert and counts the alerts it got, one
// per story, whether sent on their own or inside a digest, and the
// messages that carried them.
type countingPlatform struct {
	mu       sync.Mutex
	alerts   int
	messages int
}

func (p *countingPlatform) Limits() bot.Limits { return bot.Limits{MaxBatch: 10, SummaryRunes: 300} }
func (p *countingPlatform) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.messages++
	r := bot.Receipt{}
	for range batch {
		p.alerts++
		r.MessageIDs = append(r.MessageIDs, strconv.Itoa(p.alerts))
	}
	return r, false, nil
}

// Notify receives digests ("Digest: N stories"), sent when a backlog is
// bigger than one message holds.
func (p *countingPlatform) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.messages++
	var n int
	if _, err := fmt.Sscanf(text, "Digest: %d stor", &n); err == nil {
		p.alerts += n
	}
	return false, nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSimulatedDay runs the whole pipeline (watcher poll -> parse ->
// stories -> match -> outbox -> deliverer -> platform) through a simulated
// day: 300 feeds polled every minute, 20% of them with a new item each
// minute (stories of 80 words drawn with Zipf frequencies from 50,000),
// one subscription matching every story, on a virtual clock that
// the store, the watcher, the router and the deliverer all follow. It
// reports this process's CPU time in the first and the last simulated
// hour, on the embedded store and on the test Redis server (whose own CPU
// is reported too). NEWSALERT_BENCH_HOURS shortens the day.
func BenchmarkSimulatedDay(b *testing.B) {
	hours := 24
	if h, err := strconv.Atoi(os.Getenv("NEWSALERT_BENCH_HOURS")); err == nil && h > 0 {
		hours = h
	}
	b.Run("embedded", func(b *testing.B) {
		for b.Loop() {
			clk := &vclock{t: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
			s := start(b, b.TempDir(), EmbeddedOptions{Now: clk.Now})
			simulateDay(b, s.c, "na:", clk, hours, nil)
			s.c.Close()
			t0 := time.Now()
			if err := s.e.Snapshot(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(time.Since(t0).Seconds(), "final-snapshot-s")
			s.e.Close()
		}
	})
	b.Run("redis", func(b *testing.B) {
		for b.Loop() {
			rdb, prefix := redistest.Client(b)
			clk := &vclock{t: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
			simulateDay(b, rdb, prefix+"na:", clk, hours, func() time.Duration {
				info := rdb.Info(context.Background(), "cpu").Val()
				var total float64
				for _, l := range strings.Split(info, "\n") {
					k, v, _ := strings.Cut(strings.TrimSpace(l), ":")
					if k == "used_cpu_sys" || k == "used_cpu_user" {
						f, _ := strconv.ParseFloat(v, 64)
						total += f
					}
				}
				return time.Duration(total * float64(time.Second))
			})
		}
	})
}

func simulateDay(b *testing.B, rdb redis.UniversalClient, prefix string, clk *vclock, hours int, serverCPU func() time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const feeds, newShare = 300, 0.2
	rng := rand.New(rand.NewPCG(14, 14))
	// The most frequent words of news text are function words, which the
	// fingerprint drops; Zipf ranks from the top drawn as content words
	// would make every story share its heaviest terms and fold most of
	// them into near-duplicates (89% in one simulated hour).
	words := make([]string, 50000)
	for i := range words {
		words[i] = fmt.Sprintf("w%05dx", i)
	}
	copy(words, simStopwords)
	sim := &simFeeds{clock: clk, items: map[string][]string{}, count: map[string]int{}, words: words, rng: rng,
		zipf: rand.NewZipf(rng, 1.1, 1, uint64(len(words)-1))}
	subs := subscriptions.NewStore(rdb, prefix, 50)
	chat := subscriptions.Chat{Platform: "sim", ID: "1"}
	if _, err := subs.Add(ctx, chat, "bulletin", "bench", clk.Now()); err != nil {
		b.Fatal(err)
	}
	matcher := subscriptions.NewMatcher(subs, query.DefaultLimits(), nil)
	if err := matcher.Load(ctx); err != nil {
		b.Fatal(err)
	}
	box := outbox.New(rdb, prefix)
	stories := sources.NewStoryStore(rdb, prefix, 7*24*time.Hour, 100)
	chats := subscriptions.NewChats(rdb, prefix)
	records := outbox.NewRecords(rdb, prefix, 7*24*time.Hour)
	m := metrics.New()
	router := outbox.NewRouter(outbox.RouterOptions{Stories: stories, Matcher: matcher, Outbox: box, Chats: chats, Records: records,
		Duplicates: dupsOrNil(rdb, prefix, clk), Now: clk.Now, Metrics: m})
	plat := &countingPlatform{}
	d := outbox.NewDeliverer(box, outbox.DelivererOptions{Consumer: "sim", Platforms: map[string]outbox.Platform{"sim": plat},
		Stories: stories, Chats: chats, Records: records, Summarize: summary.Summarize, Now: clk.Now,
		Held: outbox.NewHeld(rdb, prefix), Subscriptions: subs, Metrics: m})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); d.Run(ctx) }()
	defer wg.Wait()
	defer cancel()
	reg := sources.NewRegistry(rdb, prefix)
	w := sources.NewWatcher(reg, sources.NewSeen(rdb, prefix, sources.SeenLimits{}), sim, router, nil,
		sources.WatcherOptions{MinInterval: time.Minute, Now: clk.Now, Metrics: m})
	ids := make([]int64, feeds)
	for i := range feeds {
		url := fmt.Sprintf("https://feeds%d.example/rss", i)
		for range 20 { // full from the start: every poll parses 20 items
			sim.add(url)
		}
		a, err := w.Add(ctx, sources.AddRequest{URL: url, Interval: time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = a.Source.ID
	}
	start := clk.Now()
	var hourCPU, hourServer []time.Duration
	cpu0, srv0 := cpuTime(), time.Duration(0)
	if serverCPU != nil {
		srv0 = serverCPU()
	}
	profHours := map[int]bool{}
	for _, h := range strings.Split(os.Getenv("NEWSALERT_BENCH_PROFILE_HOURS"), ",") {
		if n, err := strconv.Atoi(h); err == nil {
			profHours[n] = true
		}
	}
	for minute := 1; minute <= hours*60; minute++ {
		if (minute-1)%60 == 0 && profHours[(minute-1)/60+1] {
			f, _ := os.Create(fmt.Sprintf("%s/hour%d.prof", os.TempDir(), (minute-1)/60+1))
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
		clk.set(start.Add(time.Duration(minute) * time.Minute))
		for i := range feeds {
			if rng.Float64() < newShare {
				sim.add(fmt.Sprintf("https://feeds%d.example/rss", i))
			}
		}
		var pg sync.WaitGroup
		next := make(chan int64)
		for range 8 {
			pg.Add(1)
			go func() {
				defer pg.Done()
				for id := range next {
					src, err := reg.Get(ctx, id)
					if err != nil {
						b.Error(err)
						continue
					}
					if _, err := w.Poll(ctx, src); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, id := range ids {
			next <- id
		}
		close(next)
		pg.Wait()
		// Let the deliverer empty the outbox before the next minute.
		for deadline := time.Now().Add(30 * time.Second); ; {
			n, err := box.Len(ctx)
			if err == nil && n == 0 {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("minute %d: %d alerts still queued after 30s", minute, n)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if minute%60 == 0 {
			if profHours[minute/60] {
				pprof.StopCPUProfile()
			}
			c := cpuTime()
			hourCPU = append(hourCPU, c-cpu0)
			fmt.Fprintf(os.Stderr, "simulated hour %d: %.1f CPU-s\n", minute/60, (c - cpu0).Seconds())
			cpu0 = c
			if serverCPU != nil {
				s := serverCPU()
				hourServer = append(hourServer, s-srv0)
				srv0 = s
			}
		}
	}
	first, last := hourCPU[0], hourCPU[len(hourCPU)-1]
	b.ReportMetric(first.Seconds(), "cpu-s-first-hour")
	b.ReportMetric(last.Seconds(), "cpu-s-last-hour")
	b.ReportMetric(last.Seconds()/first.Seconds(), "last/first")
	if len(hourServer) > 0 {
		b.ReportMetric(hourServer[0].Seconds(), "server-cpu-s-first-hour")
		b.ReportMetric(hourServer[len(hourServer)-1].Seconds(), "server-cpu-s-last-hour")
	}
	// Every new story is either alerted (on its own or in a digest) or
	// folded into an earlier alert of another source; none is lost.
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	newStories, folded := promSum(rec.Body.String(), "newsalert_items_new_total"), promSum(rec.Body.String(), "newsalert_folds_total")
	plat.mu.Lock()
	alerts, messages := plat.alerts, plat.messages
	plat.mu.Unlock()
	b.ReportMetric(float64(newStories), "stories")
	b.ReportMetric(float64(alerts), "alerts")
	b.ReportMetric(float64(messages), "messages")
	b.ReportMetric(float64(folded), "folded")
	if alerts+folded != newStories {
		b.Errorf("%d new stories, but %d alerts delivered and %d folded", newStories, alerts, folded)
	}
	var series []string
	for _, h := range hourCPU {
		series = append(series, fmt.Sprintf("%.1f", h.Seconds()))
	}
	b.Logf("CPU seconds per simulated hour: %s", strings.Join(series, " "))
}

func dupsOrNil(rdb redis.UniversalClient, prefix string, clk *vclock) *sources.Duplicates {
	if os.Getenv("NEWSALERT_BENCH_NODUPS") != "" {
		return nil
	}
	return sources.NewDuplicates(rdb, prefix, 48*time.Hour, 0, clk.Now) // the default threshold, as the bot runs
}

// simStopwords are the first Zipf ranks of the simulated text: function
// words, as in real text (each is a stop word to the fingerprint).
var simStopwords = strings.Fields(`the of and to a in for is on that by with it as at from
his her are was were be been has have had will would can could may might not no so also
he she they we you him them their our who which what when where why how all any both
each more most other some said says told while up out off now new first last one two three
this these those there here its an or but if into over under about after before between
during since than then being do does did must just only year week day according amid
against via per`)

// promSum adds the values of every sample of the named metric in a
// Prometheus text exposition.
func promSum(text, name string) int {
	total := 0.0
	for _, l := range strings.Split(text, "\n") {
		if l == name || strings.HasPrefix(l, name+" ") || strings.HasPrefix(l, name+"{") {
			f, _ := strconv.ParseFloat(l[strings.LastIndexByte(l, ' ')+1:], 64)
			total += f
		}
	}
	return int(total)
}
