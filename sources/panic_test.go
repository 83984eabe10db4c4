package sources

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/internal/redistest"
)

// panicSink panics on the stories of one source and records the others.
type panicSink struct {
	recordingSink
	bad int64
}

func (s *panicSink) Stories(ctx context.Context, src Source, st []Story, mark SeenMark) error {
	if src.ID == s.bad {
		panic("poisoned story")
	}
	return s.recordingSink.Stories(ctx, src, st, mark)
}

// metricValue reads one series from the metrics page.
func metricValue(t *testing.T, mx *metrics.Metrics, series string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	mx.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v
		}
	}
	return ""
}

func TestAPanicInOnePollIsRecoveredAndBacksOff(t *testing.T) {
	_, prefix := redistest.Client(t)
	now := time.Now()
	good := newFeedServer(t, testItem{guid: "g1", title: "Old", desc: "x", date: now})
	bad := newFeedServer(t, testItem{guid: "b1", title: "Old", desc: "x", date: now})
	sink := &panicSink{}
	w := newTestWatcher(t, prefix, sink, nil, time.Now)
	sink.seen = w.seen
	mx := metrics.New()
	w.opts.Metrics = mx
	ctx := context.Background()
	ga, err := w.Add(ctx, AddRequest{URL: good.URL + "/feed.xml", Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ba, err := w.Add(ctx, AddRequest{URL: bad.URL + "/feed.xml", Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	sink.bad = ba.Source.ID
	good.add(testItem{guid: "g2", title: "Good news", desc: "fine", date: now})
	bad.add(testItem{guid: "b2", title: "Bad news", desc: "boom", date: now})

	src, _ := w.reg.Get(ctx, ba.Source.ID)
	start := time.Now()
	res, err := w.Poll(ctx, src)
	var pe *recovery.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("poll of the poisoned source: err = %v, want a recovered panic", err)
	}
	src, _ = w.reg.Get(ctx, ba.Source.ID)
	if src.Failures != 1 || src.LastError != "internal error (see the logs)" {
		t.Errorf("poisoned source after the panic: failures %d, last error %q", src.Failures, src.LastError)
	}
	if d := res.Next.Sub(start); d < 50*time.Second {
		t.Errorf("poisoned source retried in %s, want the failure backoff (about a minute)", d)
	}
	if v := metricValue(t, mx, `newsalert_panics_total{loop="poll"}`); v != "1" {
		t.Errorf("newsalert_panics_total{loop=poll} = %q, want 1", v)
	}
	// The other source goes on being polled.
	src, _ = w.reg.Get(ctx, ga.Source.ID)
	if _, err := w.Poll(ctx, src); err != nil {
		t.Fatal(err)
	}
	if got := sink.titles(); len(got) != 1 || got[0] != "Good news" {
		t.Fatalf("alerted %v, want [Good news]", got)
	}
}
