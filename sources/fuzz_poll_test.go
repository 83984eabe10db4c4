package sources

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/sources/fetch"
)

// bytesFetcher answers every fetch with the same body.
type bytesFetcher struct {
	body        []byte
	contentType string
}

func (f bytesFetcher) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	return &fetch.Response{StatusCode: 200, Body: f.body, ContentType: f.contentType, FinalURL: req.URL}, nil
}

// collectSink keeps the stories of the last poll and applies its marks.
type collectSink struct {
	seen    *Seen
	stories []Story
}

func (s *collectSink) Stories(ctx context.Context, src Source, st []Story, mark SeenMark) error {
	s.stories = append(s.stories, st...)
	return s.seen.Apply(ctx, mark)
}

// FuzzPollPath runs the whole poll path on arbitrary bytes: the fetched
// body is parsed, its items checked against the seen set, capped, turned
// into stories and handed on. Whatever the bytes, the poll must not panic
// (a recovered panic counts as a failure here), and every story must be
// within the caps.
func FuzzPollPath(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("feed", "testdata", "*.xml"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "application/rss+xml")
		}
	}
	if b, err := os.ReadFile(filepath.Join("feed", "testdata", "jsonfeed11.json")); err == nil {
		f.Add(b, "application/feed+json")
	}
	f.Add([]byte(`<rss version="2.0"><channel><title>T</title><item><title>`+strings.Repeat("Long title ", 5000)+`</title><guid>`+strings.Repeat("g", 5000)+`</guid><description>`+strings.Repeat("<p>text ", 20000)+`</description></item></channel></rss>`), "text/xml")
	var many strings.Builder
	many.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>`)
	for i := range 300 {
		fmt.Fprintf(&many, `<entry><id>urn:%d</id><title>Entry %d</title><updated>2026-01-02T03:04:%02dZ</updated><content type="html">&lt;b&gt;x&lt;/b&gt;</content></entry>`, i, i, i%60)
	}
	many.WriteString(`</feed>`)
	f.Add([]byte(many.String()), "application/atom+xml")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","title":"A","content_html":"<p>b</p>","url":"https://x.example/1"},{"id":"1","title":"dup"}]}`), "application/json")
	f.Add([]byte(`<rss><channel><item><title>&#xD800;</title></item>`), "")
	f.Add([]byte{0xff, 0xfe, '<', 0, 'r', 0}, "text/xml; charset=utf-16")

	mr := miniredis.NewMiniRedis()
	if err := mr.Start(); err != nil {
		f.Fatal(err)
	}
	defer mr.Close()
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	seen := NewSeen(rdb, "fuzz:", SeenLimits{MaxKeys: 1000})
	var nextID atomic.Int64
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		sink := &collectSink{seen: seen}
		w := NewWatcher(NewRegistry(rdb, "fuzz:"), seen, bytesFetcher{body, contentType}, sink, nil, WatcherOptions{
			MaxItems: 500, MaxNewItems: 50, MaxItemAge: 100 * 365 * 24 * time.Hour, Now: func() time.Time { return now },
		})
		src := Source{ID: nextID.Add(1), URL: "https://feed.example/feed", Name: "Fuzz", Interval: time.Minute,
			State: Active, LastSuccess: now.Add(-time.Hour)}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		res, err := w.Poll(ctx, src)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("one poll of %d bytes took %s (%v)", len(body), d, err)
		}
		var pe *recovery.PanicError
		if errors.As(err, &pe) {
			t.Fatalf("the poll panicked: %v\n%s", pe.Value, pe.Stack)
		}
		if len(sink.stories) > 50 || res.Alerted != len(sink.stories) {
			t.Fatalf("%d stories from one poll (alerted %d), cap 50", len(sink.stories), res.Alerted)
		}
		ids := map[string]bool{}
		for _, st := range sink.stories {
			if ids[st.ID] {
				t.Fatalf("story %s handed on twice in one poll", st.ID)
			}
			ids[st.ID] = true
			if n := utf8.RuneCountInString(st.Title); n > MaxTitleRunes {
				t.Fatalf("title of %d runes", n)
			}
			if n := utf8.RuneCountInString(st.Text); n > MaxTextRunes {
				t.Fatalf("text of %d runes", n)
			}
			if len(st.ItemKey) > maxKeyBytes+len("sha256:")+64 || len(st.Link) > maxURLBytes || len(st.ImageURL) > maxURLBytes {
				t.Fatalf("unbounded key, link or image: %d, %d, %d bytes", len(st.ItemKey), len(st.Link), len(st.ImageURL))
			}
			if !utf8.ValidString(st.Title) || !utf8.ValidString(st.Text) {
				t.Fatalf("story %s is not valid UTF-8", st.ID)
			}
			if st.SourceID != src.ID || st.ID != StoryID(src.ID, st.ItemKey) {
				t.Fatalf("story %+v does not belong to its source", st)
			}
		}
		if n, _ := seen.Count(context.Background(), src.ID); n > 1000 {
			t.Fatalf("seen set holds %d keys, cap 1000", n)
		}
	})
}
