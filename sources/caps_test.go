package sources

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources/feed"
)

func TestBuildCapsWhatAFeedControls(t *testing.T) {
	now := time.Now()
	it := feed.Item{
		Key:      strings.Repeat("g", 1<<20),
		Title:    strings.Repeat("Huge headline ", 160_000), // 2.2 MB
		Content:  "<p>" + strings.Repeat("Endless text. ", 400_000) + "</p>",
		Link:     "https://news.example/" + strings.Repeat("x", 1<<20),
		ImageURL: "https://news.example/" + strings.Repeat("i", 1<<20),
	}
	st := NewStoryBuilder(StoryOptions{}).Build(Source{ID: 1, Name: "Wire"}, it, now)
	if n := utf8.RuneCountInString(st.Title); n > MaxTitleRunes {
		t.Errorf("title has %d runes, cap %d", n, MaxTitleRunes)
	}
	if n := utf8.RuneCountInString(st.Text); n > MaxTextRunes || n < MaxTextRunes/2 {
		t.Errorf("text has %d runes, want at most %d (and not nothing)", n, MaxTextRunes)
	}
	if len(st.ItemKey) > maxKeyBytes || st.ItemKey == "" {
		t.Errorf("item key of %d bytes kept", len(st.ItemKey))
	}
	if st.Link != "" || st.ImageURL != "" {
		t.Errorf("megabyte link or image kept (%d, %d bytes)", len(st.Link), len(st.ImageURL))
	}
	// The same long key gives the same story id (no repeat alerts).
	if again := NewStoryBuilder(StoryOptions{}).Build(Source{ID: 1}, it, now); again.ID != st.ID {
		t.Error("a long key's story id is not stable")
	}
	if got := capRunes("héllo wörld", 5); got != "héll…" {
		t.Errorf("capRunes = %q", got)
	}
}

func TestSeenSetIsBoundedByCount(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	seen := NewSeen(rdb, prefix, SeenLimits{MaxKeys: 100})
	now := time.Now()
	for round := range 10 { // a feed inventing 80 new keys on every poll
		keys := make([]string, 80)
		for i := range keys {
			keys[i] = fmt.Sprintf("r%d-%d", round, i)
		}
		if err := seen.Mark(ctx, 7, keys, now.Add(time.Duration(round)*time.Minute)); err != nil {
			t.Fatal(err)
		}
		n, _ := seen.Count(ctx, 7)
		if n > 100 {
			t.Fatalf("round %d: seen set holds %d keys, cap 100", round, n)
		}
		// The keys of the last poll are all still there.
		if unseen, _ := seen.Unseen(ctx, 7, keys); len(unseen) != 0 {
			t.Fatalf("round %d: %d keys of the current feed forgotten", round, len(unseen))
		}
	}
}

// numberedFeed serves an RSS feed of items numbered first..last (newest
// first), each dated a minute after the one before.
type numberedFeed struct {
	*httptest.Server
	mu          sync.Mutex
	first, last int
	rotate      bool // every request gives every item a new GUID
	requests    atomic.Int64
	base        time.Time
}

func newNumberedFeed(t *testing.T, first, last int) *numberedFeed {
	f := &numberedFeed{first: first, last: last, base: time.Now().Add(-3 * time.Hour)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *numberedFeed) set(first, last int) {
	f.mu.Lock()
	f.first, f.last = first, last
	f.mu.Unlock()
}

func (f *numberedFeed) serve(w http.ResponseWriter, r *http.Request) {
	n := f.requests.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>Numbered</title>`)
	for i := f.last; i >= f.first; i-- {
		guid := fmt.Sprint(i)
		if f.rotate {
			guid = fmt.Sprintf("%d-%d", n, i)
		}
		fmt.Fprintf(&b, `<item><title>Story %d</title><guid>%s</guid><pubDate>%s</pubDate></item>`,
			i, guid, f.base.Add(time.Duration(i)*time.Second).UTC().Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml")
	w.Write([]byte(b.String()))
}

func TestNewItemsPerPollAreCappedOldestFirst(t *testing.T) {
	_, prefix := redistest.Client(t)
	fs := newNumberedFeed(t, 1, 5)
	sink := &recordingSink{}
	w := newTestWatcher(t, prefix, sink, nil, time.Now)
	w.opts.MaxNewItems = 50
	ctx := context.Background()
	added, err := w.Add(ctx, AddRequest{URL: fs.URL + "/feed.xml", Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	fs.set(1, 125) // 120 new items at once
	var alerted []int
	for poll, want := range []struct{ alerted, deferred int }{{50, 70}, {50, 20}, {20, 0}, {0, 0}} {
		src, _ := w.reg.Get(ctx, added.Source.ID)
		res, err := w.Poll(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if res.Alerted != want.alerted || res.Deferred != want.deferred {
			t.Fatalf("poll %d: alerted %d, deferred %d; want %d and %d", poll, res.Alerted, res.Deferred, want.alerted, want.deferred)
		}
	}
	for _, title := range sink.titles() {
		var n int
		fmt.Sscanf(title, "Story %d", &n)
		alerted = append(alerted, n)
	}
	if len(alerted) != 120 {
		t.Fatalf("alerted %d stories, want each of the 120 once", len(alerted))
	}
	for i, n := range alerted {
		if n != 6+i {
			t.Fatalf("story %d alerted as number %d; want oldest first (6, 7, ...): %v", n, i, alerted[:min(len(alerted), 60)])
		}
	}
}

func TestAFloodingSourceIsFlaggedOnce(t *testing.T) {
	_, prefix := redistest.Client(t)
	fs := newNumberedFeed(t, 1, 30)
	notes := &recordingNotifier{}
	sink := &recordingSink{}
	w := newTestWatcher(t, prefix, sink, notes, time.Now)
	ctx := context.Background()
	added, err := w.Add(ctx, AddRequest{URL: fs.URL + "/feed.xml", Interval: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	// A normal history: one or two new items a poll.
	last := 30
	for range 5 {
		last += 2
		fs.set(last-29, last)
		src, _ := w.reg.Get(ctx, added.Source.ID)
		if _, err := w.Poll(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	src, _ := w.reg.Get(ctx, added.Source.ID)
	if src.Flooding(time.Now()) || notes.count() != 0 {
		t.Fatalf("a normal source is flagged: %+v, notices %v", src, notes.notices)
	}
	// Then the feed starts inventing new GUIDs on every poll.
	fs.mu.Lock()
	fs.rotate = true
	fs.mu.Unlock()
	for range 3 {
		src, _ := w.reg.Get(ctx, added.Source.ID)
		if _, err := w.Poll(ctx, src); err != nil {
			t.Fatal(err)
		}
	}
	src, _ = w.reg.Get(ctx, added.Source.ID)
	if !src.Flooding(time.Now()) || src.FloodNew != 30 {
		t.Fatalf("a GUID-rotating source is not flagged: %+v", src)
	}
	if notes.count() != 1 || !strings.Contains(notes.notices[0], "30 new items in one poll") {
		t.Fatalf("admins told %d times: %v; want once", notes.count(), notes.notices)
	}
}
