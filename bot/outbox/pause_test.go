package outbox

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// TestPausedSubscriptionMakesNoAlerts: a chat with two subscriptions, one
// paused (/pause N), gets the other's alerts and none of the paused one's;
// a story both match is alerted for the running one only; after /resume N
// its stories are alerted again.
func TestPausedSubscriptionMakesNoAlerts(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	subs := subscriptions.NewStore(rdb, prefix, 10)
	now := time.Now()
	ukraine, err := subs.Add(ctx, chatA, "ukraine", "fake:1", now)
	if err != nil {
		t.Fatal(err)
	}
	grain, err := subs.Add(ctx, chatA, "grain", "fake:1", now)
	if err != nil {
		t.Fatal(err)
	}
	matcher := subscriptions.NewMatcher(subs, query.DefaultLimits(), slog.New(slog.DiscardHandler))
	if err := matcher.Load(ctx); err != nil {
		t.Fatal(err)
	}
	r := &rig{
		box:     New(rdb, prefix),
		chats:   subscriptions.NewChats(rdb, prefix),
		stories: sources.NewStoryStore(rdb, prefix, time.Hour, 100),
		records: NewRecords(rdb, prefix, time.Hour),
		plat:    newFakePlatform(10),
		now:     now,
	}
	r.router = NewRouter(RouterOptions{Stories: r.stories, Matcher: matcher, Outbox: r.box, Chats: r.chats,
		Records: r.records, Paused: subs})
	if err := subs.SetPaused(ctx, chatA, ukraine.ID, true, now); err != nil {
		t.Fatal(err)
	}

	// A story both subscriptions match names only the running one.
	es, _, err := r.router.route(ctx, story("probe", "Ukraine grain exports"))
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || !slices.Equal(es[0].SubIDs, []uint64{grain.ID}) || !slices.Equal(es[0].Terms, []string{"grain"}) {
		t.Fatalf("entries for a story both match = %+v, want one naming only #%d with its words", es, grain.Num)
	}

	batch := []sources.Story{story("s1", "Ukraine talks resume"), story("s2", "Grain prices rise"), story("s3", "Ukraine grain deal")}
	if err := r.router.Stories(ctx, sources.Source{ID: 1}, batch, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	runUntil(t, r.deliverer("p1", time.Minute), func() bool { a, _ := r.plat.delivered(chatA.String()); return a == 2 })
	if got := r.plat.storyIDs(chatA.String()); !slices.Equal(got, []string{"s2", "s3"}) {
		t.Fatalf("chat A got %v, want [s2 s3] (s1 matches only the paused subscription)", got)
	}

	if err := subs.SetPaused(ctx, chatA, ukraine.ID, false, now); err != nil {
		t.Fatal(err)
	}
	if err := r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s4", "Ukraine ceasefire")}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	runUntil(t, r.deliverer("p1", time.Minute), func() bool { a, _ := r.plat.delivered(chatA.String()); return a == 3 })
	if got := r.plat.storyIDs(chatA.String()); !slices.Contains(got, "s4") || slices.Contains(got, "s1") {
		t.Fatalf("after resume chat A got %v, want s4 and still no s1", got)
	}

	// An alert queued while its subscription ran, paused before delivery,
	// is dropped by the deliverer.
	if err := r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s5", "Ukraine sanctions")}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	if err := subs.SetPaused(ctx, chatA, ukraine.ID, true, now); err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(r.box, DelivererOptions{
		Consumer: "p1", Platforms: map[string]Platform{"fake": r.plat},
		Stories: r.stories, Chats: r.chats, Records: r.records, ReclaimIdle: time.Minute, Subscriptions: subs,
	})
	runUntil(t, d, func() bool { n, _ := r.box.Len(ctx); return n == 0 })
	if got := r.plat.storyIDs(chatA.String()); slices.Contains(got, "s5") {
		t.Fatalf("chat A got %v: s5 was queued for a subscription paused before delivery", got)
	}
}

// storyIDs lists the stories sent to chat, in order.
func (p *fakePlatform) storyIDs(chat string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, b := range p.batches[chat] {
		out = append(out, b...)
	}
	return out
}
