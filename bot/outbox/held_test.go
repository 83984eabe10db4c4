package outbox

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// notifyingPlatform records digests sent with Notify.
type notifyingPlatform struct {
	*fakePlatform
	mu      sync.Mutex
	notices []string
}

func (p *notifyingPlatform) Notify(ctx context.Context, chat bot.Chat, text string) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notices = append(p.notices, text)
	return false, nil
}

func (p *notifyingPlatform) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.notices)
}

// TestQuietHoursHoldAlertsThenSendOneDigest: alerts that arrive during the
// chat's quiet hours are held and come as one digest when they end.
// It holds for a handful of alerts that would fit one ordinary message (the
// console takes 10).
func TestQuietHoursHoldAlertsThenSendOneDigest(t *testing.T) {
	for _, tt := range []struct{ alerts, maxBatch int }{{7, 5}, {2, 10}, {1, 10}} {
		t.Run(fmt.Sprintf("%d alerts, batches of %d", tt.alerts, tt.maxBatch), func(t *testing.T) {
			quietHoursDigest(t, tt.alerts, tt.maxBatch)
		})
	}
}

func quietHoursDigest(t *testing.T, alerts, maxBatch int) {
	rdb, prefix := redistest.Client(t)
	r := newRig(t, stubMatcher{}, maxBatch)
	subs := subscriptions.NewStore(rdb, prefix, 50)
	ctx := context.Background()
	// 23:30 in Berlin, quiet 22:00-07:00.
	var clock atomic.Int64
	night := time.Date(2026, 3, 10, 22, 30, 0, 0, time.UTC)
	clock.Store(night.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	r.chats.SetTimezone(ctx, chatA, "Europe/Berlin")
	r.chats.SetQuiet(ctx, chatA, "22:00-07:00")
	sub, _ := subs.Add(ctx, chatA, "story", "x", night)
	plat := &notifyingPlatform{fakePlatform: r.plat}
	held := NewHeld(rdb, prefix)
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "p", Platforms: map[string]Platform{"fake": plat},
		Stories: r.stories, Chats: r.chats, Records: r.records, Held: held, Subscriptions: subs, Now: now})
	var entries []Entry
	for i := range alerts {
		st := story(fmt.Sprintf("q%d", i), fmt.Sprintf("Night story %d", i))
		r.stories.Save(ctx, []sources.Story{st})
		entries = append(entries, Entry{StoryID: st.ID, Chat: chatA, SubIDs: []uint64{sub.ID}, Terms: []string{"story"}, Enqueued: night})
	}
	if err := r.box.Enqueue(ctx, 1, entries, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("%s not within 10s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor("alerts held", func() bool { n, _ := r.box.Len(ctx); return n == 0 })
	time.Sleep(1500 * time.Millisecond)
	if a, _ := plat.delivered(chatA.String()); a != 0 || plat.count() != 0 {
		t.Fatalf("sent during quiet hours: %d alerts, %d digests", a, plat.count())
	}
	// 07:00 Berlin is 06:00 UTC.
	clock.Store(time.Date(2026, 3, 11, 6, 0, 1, 0, time.UTC).UnixNano())
	waitFor("digest", func() bool { return plat.count() == 1 })
	plat.mu.Lock()
	text := plat.notices[0]
	plat.mu.Unlock()
	want := fmt.Sprintf("Digest: %d stories", alerts)
	if alerts == 1 {
		want = "Digest: 1 story"
	}
	if !strings.HasPrefix(text, want) || !strings.Contains(text, fmt.Sprintf("• Night story %d — Wire", alerts-1)) {
		t.Errorf("digest = %q", text)
	}
	time.Sleep(1500 * time.Millisecond)
	if a, _ := plat.delivered(chatA.String()); a != 0 || plat.count() != 1 {
		t.Errorf("after the digest: %d more alerts, %d digests", a, plat.count())
	}
}

// TestBacklogBecomesDigest: a chat with more waiting alerts than the backlog
// limit gets digests instead of a pile of single alerts.
func TestBacklogBecomesDigest(t *testing.T) {
	r := newRig(t, stubMatcher{}, 5)
	ctx := context.Background()
	plat := &notifyingPlatform{fakePlatform: r.plat}
	var entries []Entry
	for i := range 45 {
		st := story(fmt.Sprintf("b%d", i), fmt.Sprintf("Busy story %d", i))
		r.stories.Save(ctx, []sources.Story{st})
		entries = append(entries, Entry{StoryID: st.ID, Chat: chatA, Enqueued: time.Now()})
	}
	r.box.Enqueue(ctx, 1, entries, sources.SeenMark{})
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "p", Platforms: map[string]Platform{"fake": plat},
		Stories: r.stories, Chats: r.chats, Records: r.records, BacklogLimit: 10})
	runUntil(t, d, func() bool { n, _ := r.box.Len(ctx); return n == 0 })
	a, msgs := plat.delivered(chatA.String())
	if a+digestTotal(plat) != 45 {
		t.Errorf("%d single alerts + %d in digests, want 45 in all", a, digestTotal(plat))
	}
	if msgs+plat.count() > 8 {
		t.Errorf("%d messages for 45 alerts: the backlog was not merged", msgs+plat.count())
	}
}

func digestTotal(p *notifyingPlatform) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, t := range p.notices {
		var k int
		fmt.Sscanf(t, "Digest: %d stories", &k)
		n += k
	}
	return n
}
