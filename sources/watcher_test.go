package sources

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources/fetch"
)

type recordingSink struct {
	mu      sync.Mutex
	stories []Story
	seen    *Seen // applies the marks, as the real sink does with its queue
}

func (s *recordingSink) Stories(ctx context.Context, src Source, st []Story, mark SeenMark) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stories = append(s.stories, st...)
	return s.seen.Apply(ctx, mark)
}

func (s *recordingSink) titles() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, st := range s.stories {
		out = append(out, st.Title)
	}
	return out
}

type recordingNotifier struct {
	mu      sync.Mutex
	notices []string
}

func (n *recordingNotifier) SourceNotice(ctx context.Context, src Source, text string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.notices = append(n.notices, text)
}

func (n *recordingNotifier) count() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.notices)
}

func newTestWatcher(t *testing.T, prefix string, sink StorySink, notify Notifier, now func() time.Time) *Watcher {
	t.Helper()
	rdb, _ := redistest.Client(t)
	f := fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 5 * time.Second, UserAgent: "newsalert-test"})
	seen := NewSeen(rdb, prefix, SeenLimits{})
	if rs, ok := sink.(*recordingSink); ok {
		rs.seen = seen
	}
	return NewWatcher(NewRegistry(rdb, prefix), seen, f, sink, notify, WatcherOptions{
		MinInterval: 100 * time.Millisecond, FailureThreshold: 3, Lease: 5 * time.Second, Now: now,
	})
}

func TestWatcherAlertsOnlyNewItems(t *testing.T) {
	_, prefix := redistest.Client(t)
	now := time.Now()
	fs := newFeedServer(t,
		testItem{guid: "1", title: "Old story one", desc: "backlog", date: now.Add(-time.Hour)},
		testItem{guid: "2", title: "Old story two", desc: "backlog", date: now.Add(-30 * time.Minute)},
	)
	sink := &recordingSink{}
	w := newTestWatcher(t, prefix, sink, nil, time.Now)
	ctx := context.Background()
	added, err := w.Add(ctx, AddRequest{URL: fs.URL + "/feed.xml", Interval: time.Minute, AddedBy: "console:admin", AddedIn: "console:local"})
	if err != nil {
		t.Fatal(err)
	}
	if added.Items != 2 || added.Source.Name != "Test News" {
		t.Fatalf("added = %+v", added)
	}
	if _, err := w.Poll(ctx, added.Source); err != nil {
		t.Fatal(err)
	}
	if got := sink.titles(); len(got) != 0 {
		t.Fatalf("backlog alerted: %v", got)
	}
	fs.add(testItem{guid: "3", title: "Ukraine grain deal signed", desc: "Kyiv and Ankara agreed.", date: now})
	fs.add(testItem{guid: "4", title: "Ancient news", desc: "first seen now but three days old", date: now.Add(-72 * time.Hour)})
	src, _ := w.reg.Get(ctx, added.Source.ID)
	res, err := w.Poll(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 2 || res.Alerted != 1 {
		t.Fatalf("poll result = %+v", res)
	}
	if got := sink.titles(); len(got) != 1 || got[0] != "Ukraine grain deal signed" {
		t.Fatalf("alerted %v", got)
	}
	src, _ = w.reg.Get(ctx, added.Source.ID)
	if _, err := w.Poll(ctx, src); err != nil {
		t.Fatal(err)
	}
	if got := sink.titles(); len(got) != 1 {
		t.Fatalf("repeated: %v", got)
	}
	st := sink.stories[0]
	if st.ID != StoryID(src.ID, st.ItemKey) || st.SourceName != "Test News" || st.Text != "Kyiv and Ankara agreed." {
		t.Fatalf("story = %+v", st)
	}
}

func TestTwoWatchersPollEachSourceOncePerInterval(t *testing.T) {
	_, prefix := redistest.Client(t)
	var counts [4]atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/feed%d.xml", &i)
		counts[i].Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>Feed %d</title><item><title>x</title><guid>g%d</guid></item></channel></rss>`, i, i)
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w1 := newTestWatcher(t, prefix, &recordingSink{}, nil, time.Now)
	w2 := newTestWatcher(t, prefix, &recordingSink{}, nil, time.Now)
	const interval = 300 * time.Millisecond
	for i := range counts {
		if _, err := w1.Add(ctx, AddRequest{URL: fmt.Sprintf("%s/feed%d.xml", srv.URL, i), Interval: interval}); err != nil {
			t.Fatal(err)
		}
		counts[i].Store(0) // the add's own fetch does not count
	}
	var wg sync.WaitGroup
	for _, w := range []*Watcher{w1, w2} {
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(ctx) }()
	}
	const run = 3 * time.Second
	time.Sleep(run)
	cancel()
	wg.Wait()
	// One process alone would poll about run/interval times (±10% jitter);
	// two uncoordinated ones twice that.
	want := float64(run / interval)
	for i := range counts {
		n := float64(counts[i].Load())
		if n < want*0.4 || n > want*1.25 { // two uncoordinated pollers would make it 2x
			t.Errorf("source %d polled %v times in %s at a %s interval; want about %v", i, n, run, interval, want)
		}
	}
}

func TestWatcherFailureHandling(t *testing.T) {
	_, prefix := redistest.Client(t)
	var status atomic.Int64
	status.Store(200)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s := int(status.Load()); s != 200 {
			http.Error(w, "down", s)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Flaky</title><item><title>a</title><guid>a</guid></item></channel></rss>`)
	}))
	defer srv.Close()
	notes := &recordingNotifier{}
	w := newTestWatcher(t, prefix, &recordingSink{}, notes, time.Now)
	ctx := context.Background()
	added, err := w.Add(ctx, AddRequest{URL: srv.URL + "/rss", Interval: time.Minute, AddedIn: "console:local"})
	if err != nil {
		t.Fatal(err)
	}
	id := added.Source.ID
	status.Store(500)
	var res PollResult
	for i := 1; i <= 4; i++ {
		src, _ := w.reg.Get(ctx, id)
		start := time.Now()
		res, err = w.Poll(ctx, src)
		if err == nil {
			t.Fatal("poll of a 500 succeeded")
		}
		src, _ = w.reg.Get(ctx, id)
		if src.Failures != i || src.LastError == "" {
			t.Fatalf("after failure %d: %+v", i, src)
		}
		// Backoff doubles from the interval: 1m, 2m, 4m, 8m (±10%).
		want := time.Minute << (i - 1)
		if d := res.Next.Sub(start); d < want*8/10 || d > want*12/10+time.Second {
			t.Errorf("failure %d: next poll in %s, want about %s", i, d, want)
		}
	}
	src, _ := w.reg.Get(ctx, id)
	if src.State != Failing || notes.count() != 1 {
		t.Fatalf("after 4 failures (threshold 3): state %s, %d notices", src.State, notes.count())
	}
	status.Store(200)
	if _, err := w.Poll(ctx, src); err != nil {
		t.Fatal(err)
	}
	src, _ = w.reg.Get(ctx, id)
	if src.State != Active || src.Failures != 0 || src.LastError != "" || notes.count() != 2 {
		t.Fatalf("after recovery: %+v, %d notices", src, notes.count())
	}
	status.Store(410)
	w.Poll(ctx, src)
	src, _ = w.reg.Get(ctx, id)
	if src.State != Gone || notes.count() != 3 {
		t.Fatalf("after 410: state %s, %d notices", src.State, notes.count())
	}
	if ids, _ := w.reg.Claim(ctx, time.Now().Add(48*time.Hour), time.Minute, 10); len(ids) != 0 {
		t.Fatalf("gone source still scheduled: %v", ids)
	}
}
