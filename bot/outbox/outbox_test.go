package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// fakePlatform records sends and fails as told.
type fakePlatform struct {
	mu       sync.Mutex
	batches  map[string][][]string // chat -> batches of story ids
	failures []error               // returned by the next sends, in order
	maxBatch int
}

func newFakePlatform(maxBatch int) *fakePlatform {
	return &fakePlatform{batches: map[string][][]string{}, maxBatch: maxBatch}
}

func (p *fakePlatform) Limits() bot.Limits {
	return bot.Limits{MaxBatch: p.maxBatch, SummaryRunes: 200}
}

func (p *fakePlatform) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.failures) > 0 {
		err := p.failures[0]
		p.failures = p.failures[1:]
		return bot.Receipt{}, !errors.Is(err, bot.ErrChatGone), err
	}
	var ids []string
	var r bot.Receipt
	for i, a := range batch {
		if a.Summary == "" || a.Title == "" {
			return r, false, fmt.Errorf("alert without title or summary: %+v", a)
		}
		ids = append(ids, a.StoryID)
		r.MessageIDs = append(r.MessageIDs, fmt.Sprintf("m%d", i))
	}
	p.batches[chat.String()] = append(p.batches[chat.String()], ids)
	return r, false, nil
}

func (p *fakePlatform) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	return false, nil
}

func (p *fakePlatform) delivered(chat string) (alerts, messages int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range p.batches[chat] {
		alerts += len(b)
	}
	return alerts, len(p.batches[chat])
}

// stubMatcher matches stories by title.
type stubMatcher map[string][]subscriptions.Match

func (m stubMatcher) Match(title, text string) []subscriptions.Match { return m[title] }

var (
	chatA = subscriptions.Chat{Platform: "fake", ID: "A"}
	chatB = subscriptions.Chat{Platform: "fake", ID: "B", Thread: "7"}
)

type rig struct {
	box     *Outbox
	router  *Router
	chats   *subscriptions.Chats
	stories *sources.StoryStore
	records *Records
	plat    *fakePlatform
	now     time.Time
}

func newRig(t *testing.T, m Matcher, maxBatch int) *rig {
	rdb, prefix := redistest.Client(t)
	r := &rig{
		box:     New(rdb, prefix),
		chats:   subscriptions.NewChats(rdb, prefix),
		stories: sources.NewStoryStore(rdb, prefix, time.Hour, 100),
		records: NewRecords(rdb, prefix, time.Hour),
		plat:    newFakePlatform(maxBatch),
		now:     time.Now(),
	}
	r.router = NewRouter(RouterOptions{Stories: r.stories, Matcher: m, Outbox: r.box, Chats: r.chats, Records: r.records})
	return r
}

func (r *rig) deliverer(consumer string, idle time.Duration) *Deliverer {
	return NewDeliverer(r.box, DelivererOptions{
		Consumer: consumer, Platforms: map[string]Platform{"fake": r.plat},
		Stories: r.stories, Chats: r.chats, Records: r.records, ReclaimIdle: idle,
	})
}

// runUntil runs d until cond holds or 10 s pass.
func runUntil(t *testing.T, d *Deliverer, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // let acknowledgements land
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func story(id, title string) sources.Story {
	return sources.Story{ID: id, Title: title, Text: "Something happened in " + title + ". More text follows.", SourceName: "Wire", Published: time.Now()}
}

func TestOneAlertPerStoryAndChat(t *testing.T) {
	m := stubMatcher{"Kim backs Russia": {
		{SubID: 1, Chat: chatA, Terms: []string{"north korea"}},
		{SubID: 2, Chat: chatA, Terms: []string{"russia", "north korea"}},
		{SubID: 3, Chat: chatB, Terms: []string{"russia"}},
	}}
	r := newRig(t, m, 5)
	ctx := context.Background()
	if err := r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s1", "Kim backs Russia"), story("s2", "Unrelated")}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	if n, _ := r.box.Len(ctx); n != 2 {
		t.Fatalf("outbox holds %d entries, want 2 (one per chat)", n)
	}
	runUntil(t, r.deliverer("p1", time.Minute), func() bool {
		a, _ := r.plat.delivered(chatA.String())
		b, _ := r.plat.delivered(chatB.String())
		return a == 1 && b == 1
	})
	if n, _ := r.box.Len(ctx); n != 0 {
		t.Errorf("outbox still holds %d entries after delivery", n)
	}
	// The same story routed again (a crash between queueing and the seen
	// mark) is not sent twice.
	r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s1", "Kim backs Russia")}, sources.SeenMark{})
	runUntil(t, r.deliverer("p1", time.Minute), func() bool { n, _ := r.box.Len(ctx); return n == 0 })
	if a, _ := r.plat.delivered(chatA.String()); a != 1 {
		t.Errorf("chat A got %d alerts, want 1", a)
	}
}

func TestBatchesAndRetries(t *testing.T) {
	m := stubMatcher{}
	var stories []sources.Story
	for i := range 7 {
		title := fmt.Sprintf("Story %d", i)
		m[title] = []subscriptions.Match{{SubID: 1, Chat: chatA, Terms: []string{"story"}}}
		stories = append(stories, story(fmt.Sprintf("s%d", i), title))
	}
	r := newRig(t, m, 5)
	r.plat.failures = []error{
		&bot.RetryAfterError{After: 50 * time.Millisecond, Err: errors.New("429")},
		fmt.Errorf("timeout: %w", bot.ErrOutcomeUnknown),
	}
	if err := r.router.Stories(context.Background(), sources.Source{ID: 1}, stories, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	runUntil(t, r.deliverer("p1", time.Minute), func() bool { a, _ := r.plat.delivered(chatA.String()); return a == 7 })
	a, msgs := r.plat.delivered(chatA.String())
	if a != 7 || msgs > 3 {
		t.Errorf("delivered %d alerts in %d messages; want 7 in at most 3 (batches of 5)", a, msgs)
	}
}

func TestChatGoneStopsAlerts(t *testing.T) {
	m := stubMatcher{"One": {{SubID: 1, Chat: chatA}}, "Two": {{SubID: 1, Chat: chatA}}}
	r := newRig(t, m, 5)
	ctx := context.Background()
	r.plat.failures = []error{fmt.Errorf("403 blocked: %w", bot.ErrChatGone)}
	r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s1", "One")}, sources.SeenMark{})
	runUntil(t, r.deliverer("p1", time.Minute), func() bool { n, _ := r.box.Len(ctx); return n == 0 })
	st, _ := r.chats.Get(ctx, chatA)
	if !st.Gone {
		t.Fatal("chat not marked gone")
	}
	r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s2", "Two")}, sources.SeenMark{})
	if n, _ := r.box.Len(ctx); n != 0 {
		t.Fatalf("story routed to a gone chat")
	}
}

func TestStaleAlertsAreDropped(t *testing.T) {
	r := newRig(t, stubMatcher{}, 5)
	ctx := context.Background()
	r.stories.Save(ctx, []sources.Story{story("old", "Old")})
	r.box.Enqueue(ctx, 1, []Entry{{StoryID: "old", Chat: chatA, Enqueued: time.Now().Add(-7 * time.Hour)}}, sources.SeenMark{})
	runUntil(t, r.deliverer("p1", time.Minute), func() bool { n, _ := r.box.Len(ctx); return n == 0 })
	if a, _ := r.plat.delivered(chatA.String()); a != 0 {
		t.Fatal("a 7-hour-old alert was sent")
	}
}

func TestDeadConsumersEntriesAreTakenOver(t *testing.T) {
	r := newRig(t, stubMatcher{"X": {{SubID: 1, Chat: chatA}}}, 5)
	ctx := context.Background()
	r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("s1", "X")}, sources.SeenMark{})
	r.box.EnsureGroup(ctx)
	// "dead" reads the entry and never acknowledges it.
	res, err := r.box.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: Group, Consumer: "dead", Streams: []string{r.box.StreamKey(sources.PartitionTag(1)), ">"}}).Result()
	if err != nil || len(res[0].Messages) != 1 {
		t.Fatalf("dead consumer read: %v %v", res, err)
	}
	runUntil(t, r.deliverer("alive", 100*time.Millisecond), func() bool { a, _ := r.plat.delivered(chatA.String()); return a == 1 })
}

// TestAlertsAndSeenMarksLandTogether: the router queues a poll's alerts and
// applies its seen marks in one script.
func TestAlertsAndSeenMarksLandTogether(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	r := newRig(t, stubMatcher{"Hit": {{SubID: 1, Chat: chatA}}}, 5)
	seen := sources.NewSeen(rdb, prefix, sources.SeenLimits{})
	ctx := context.Background()
	mark := seen.Marking(21, []string{"k1", "k2"}, time.Now())
	if err := r.router.Stories(ctx, sources.Source{ID: 21}, []sources.Story{story("s1", "Hit"), story("s2", "Miss")}, mark); err != nil {
		t.Fatal(err)
	}
	if unseen, _ := seen.Unseen(ctx, 21, []string{"k1", "k2", "k3"}); len(unseen) != 1 || unseen[0] != "k3" {
		t.Errorf("unseen after queueing = %v, want [k3]", unseen)
	}
	n, err := r.box.rdb.XLen(ctx, r.box.StreamKey(sources.PartitionTag(21))).Result()
	if err != nil || n != 1 {
		t.Errorf("partition stream holds %d entries (%v), want 1", n, err)
	}
	// A mark for another partition's source is refused, not half applied.
	bad := seen.Marking(22, []string{"k"}, time.Now())
	if err := r.box.Enqueue(ctx, 21, []Entry{{StoryID: "x", Chat: chatA}}, bad); err == nil {
		t.Error("a seen mark from another partition was accepted")
	}
}
