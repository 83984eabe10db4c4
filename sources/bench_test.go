package sources

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources/fetch"
)

type discardSink struct {
	n    atomic.Int64
	seen *Seen
}

func (d *discardSink) Stories(ctx context.Context, src Source, st []Story, mark SeenMark) error {
	d.n.Add(int64(len(st)))
	return d.seen.Apply(ctx, mark)
}

// pollServer answers /feed/N: 304 to a conditional request for 80% of the
// sources, and a 50-item feed with 5 new items on every request for the rest.
type pollServer struct {
	gen atomic.Int64
}

func (p *pollServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/feed/"))
	if n%5 != 0 && r.Header.Get("If-None-Match") == `"v1"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	g := int(p.gen.Add(1))
	var b strings.Builder
	b.Grow(40 << 10)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ` + strconv.Itoa(n) + `</title><link>https://example.com/</link>`)
	for i := range 50 {
		id := g*5 + i // five new items per request, 45 already seen
		fmt.Fprintf(&b, `<item><title>Story %d of feed %d about markets and ministers</title><link>https://example.com/%d/%d</link><guid>%d-%d</guid><pubDate>%s</pubDate><description><![CDATA[<p>The minister said on Tuesday that the plan, first announced in March, would cost about %d million and take three years. Critics called it too slow.</p>]]></description></item>`,
			id, n, n, id, n, id, time.Now().UTC().Format(time.RFC1123Z), id%900+100)
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Header().Set("ETag", `"v1"`)
	w.Write([]byte(b.String()))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPoll polls 10,000 sources, 80% answering 304 and 20% a changed
// 50-item feed, with 64 concurrent polls, against a local server and the
// test Redis. It reports polls/s, CPU per poll (server included: the figure
// is conservative) and allocations per poll.
func BenchmarkPoll(b *testing.B) {
	const nSources = 10000
	rdb, prefix := redistest.Client(b)
	srv := httptest.NewServer(&pollServer{})
	defer srv.Close()
	f := fetch.New(fetch.Options{AllowPrivate: true, PerHostLimit: 64, GlobalLimit: 64, RequestTimeout: 30 * time.Second})
	reg := NewRegistry(rdb, prefix)
	seen := NewSeen(rdb, prefix, SeenLimits{})
	sink := &discardSink{seen: seen}
	w := NewWatcher(reg, seen, f, sink, nil, WatcherOptions{MinInterval: time.Minute})
	ctx := context.Background()
	srcs := make([]Source, nSources)
	now := time.Now()
	for i := range srcs {
		s, err := reg.Add(ctx, Source{URL: fmt.Sprintf("%s/feed/%d", srv.URL, i), Name: "feed", Interval: 5 * time.Minute,
			ETag: `"v1"`, LastSuccess: now}, fmt.Sprintf("feed-%d", i), now.Add(time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		srcs[i] = s
	}
	// Warm: every source has its seen set and its ETag.
	var next atomic.Int64
	pollAll := func(n int) {
		var wg sync.WaitGroup
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					src := srcs[i%nSources]
					src.BodyHash = "" // the feed changes every time
					if _, err := w.Poll(ctx, src); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	pollAll(nSources)
	next.Store(0)
	runtime.GC()
	cpu0 := cpuTime()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	pollAll(b.N)
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "polls/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/poll")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "polls/cpu-s")
}
