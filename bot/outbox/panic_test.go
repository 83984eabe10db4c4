package outbox

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// panicMatcher panics on one title and matches every other for chat A.
type panicMatcher struct{ bad string }

func (m panicMatcher) Match(title, text string) []subscriptions.Match {
	if title == m.bad {
		panic("index corrupted by " + title)
	}
	return []subscriptions.Match{{SubID: 1, Chat: chatA, Terms: []string{"x"}}}
}

// panicPlatform panics when asked to send one story.
type panicPlatform struct {
	*fakePlatform
	bad string
}

func (p panicPlatform) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	for _, a := range batch {
		if a.StoryID == p.bad {
			panic("renderer crashed on " + a.StoryID)
		}
	}
	return p.fakePlatform.Send(ctx, chat, batch)
}

func panics(t *testing.T, mx *metrics.Metrics, loop string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	mx.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, `newsalert_panics_total{loop="`+loop+`"} `); ok {
			return v
		}
	}
	return ""
}

func TestAPanicRoutingOneStorySkipsOnlyThatStory(t *testing.T) {
	r := newRig(t, panicMatcher{bad: "Poison"}, 5)
	mx := metrics.New()
	r.router.opts.Metrics = mx
	ctx := context.Background()
	err := r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s1", "Poison"), story("s2", "Fine story")}, sources.SeenMark{})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := r.box.Len(ctx); n != 1 {
		t.Fatalf("outbox holds %d entries, want 1 (the poisoned story skipped, the other routed)", n)
	}
	if v := panics(t, mx, "route"); v != "1" {
		t.Errorf("route panics counted %q, want 1", v)
	}
}

func TestAPanicDeliveringOneAlertIsRetriedThenDropped(t *testing.T) {
	r := newRig(t, stubMatcher{
		"Poison": {{SubID: 1, Chat: chatA}},
		"Good":   {{SubID: 1, Chat: chatA}},
		"Other":  {{SubID: 2, Chat: chatB}},
	}, 5)
	ctx := context.Background()
	if err := r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("p", "Poison"), story("g", "Good"), story("o", "Other")}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	mx := metrics.New()
	d := NewDeliverer(r.box, DelivererOptions{
		Consumer: "p1", Platforms: map[string]Platform{"fake": panicPlatform{r.plat, "p"}},
		Stories: r.stories, Chats: r.chats, Records: r.records, ReclaimIdle: 100 * time.Millisecond, Metrics: mx,
	})
	// The good alerts go out (one of them in the same batch as the poisoned
	// one), and the poisoned one is tried maxPanics times, then dropped.
	runUntil(t, d, func() bool {
		a, _ := r.plat.delivered(chatA.String())
		b, _ := r.plat.delivered(chatB.String())
		n, _ := r.box.Len(ctx)
		return a == 1 && b == 1 && n == 0
	})
	if v := panics(t, mx, "deliver"); v == "" || v == "0" || v == "1" {
		t.Errorf("deliver panics counted %q, want several (batch, then the entry alone, retried)", v)
	}
	rec := httptest.NewRecorder()
	mx.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `newsalert_alerts_dropped_total{reason="panic"} 1`) {
		t.Errorf("the poisoned alert is not counted as dropped:\n%s", grepLines(rec.Body.String(), "dropped"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestOnlyMatchedStoriesAreStoredForLong: a story no subscription matched
// gets no key of its own (it lives only in the short window /test reads);
// a matched one is kept as long as its alert may need it.
func TestOnlyMatchedStoriesAreStoredForLong(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	stories := sources.NewStoryStore(rdb, prefix, 48*time.Hour, 100).KeepRecentFor(2 * time.Hour)
	router := NewRouter(RouterOptions{Stories: stories, Matcher: stubMatcher{"Hit": {{SubID: 1, Chat: chatA}}},
		Outbox: New(rdb, prefix), Chats: subscriptions.NewChats(rdb, prefix), Records: NewRecords(rdb, prefix, time.Hour)})
	ctx := context.Background()
	if err := router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("hit", "Hit"), story("miss", "Miss")}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	if n := rdb.Exists(ctx, prefix+"story:miss").Val(); n != 0 {
		t.Error("an unmatched story has a key of its own")
	}
	if ttl := rdb.TTL(ctx, prefix+"story:hit").Val(); ttl < 47*time.Hour {
		t.Errorf("matched story kept for %s, want 48h", ttl)
	}
	if ttl := rdb.TTL(ctx, prefix+"stories:recent").Val(); ttl <= 0 || ttl > 2*time.Hour {
		t.Errorf("the recent window is kept for %s, want 2h", ttl)
	}
	recent, err := stories.Recent(ctx, 100)
	if err != nil || len(recent) != 2 || recent[0].Title != "Miss" || recent[1].Title != "Hit" {
		t.Fatalf("recent = %+v, %v", recent, err)
	}
}
