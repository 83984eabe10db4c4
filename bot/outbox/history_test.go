package outbox

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
)

func TestHistoryIsCappedNewestFirstAndCountsPerSubscription(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	h := NewHistory(rdb, prefix)
	ctx := context.Background()
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for i := range HistoryLen + 30 {
		at := now.Add(-time.Duration(HistoryLen+30-i) * time.Minute)
		if i < 10 {
			at = now.AddDate(0, 0, -9) // older than 7 days: not counted
		}
		outcome := OutcomeSent
		if i%5 == 0 {
			outcome = OutcomeHeld
		}
		if err := h.Record(ctx, chatA, Event{StoryID: fmt.Sprint(i), At: at, SubIDs: []uint64{7}, Outcome: outcome}); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := h.Events(ctx, chatA)
	if err != nil || len(evs) != HistoryLen || evs[0].StoryID != fmt.Sprint(HistoryLen+29) {
		t.Fatalf("events %d, first %+v, %v", len(evs), evs[0], err)
	}
	counts, err := h.SentPerSubscription(ctx, chatA, 7, now)
	// 230 events, 10 older than a week, of the other 220 one in five held.
	if err != nil || counts[7] != 220-44 {
		t.Fatalf("counts %v, %v", counts, err)
	}
	if other, _ := h.Events(ctx, chatB); len(other) != 0 {
		t.Fatalf("chat B has %d events", len(other))
	}
}

// TestDeliveryRecordsItsDecisions: sent, folded and dropped alerts are in
// the chat's history with the story and the subscription that matched.
func TestDeliveryRecordsItsDecisions(t *testing.T) {
	r := newRig(t, stubMatcher{}, 5)
	rdb, prefix := redistest.Client(t)
	h := NewHistory(rdb, prefix)
	ctx := context.Background()
	first, dup, old := story("h1", "Grain deal signed"), story("h2", "Grain deal signed, again"), story("h3", "Old news")
	r.stories.Save(ctx, []sources.Story{first, dup, old})
	err := r.box.Enqueue(ctx, 1, []Entry{
		{StoryID: first.ID, Chat: chatA, SubIDs: []uint64{3}, Terms: []string{"grain"}, Enqueued: time.Now()},
		{StoryID: old.ID, Chat: chatA, SubIDs: []uint64{3}, Terms: []string{"news"}, Enqueued: time.Now().Add(-7 * time.Hour)},
	}, sources.SeenMark{})
	if err != nil {
		t.Fatal(err)
	}
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "c", Platforms: map[string]Platform{"fake": r.plat},
		Stories: r.stories, Chats: r.chats, Records: r.records, History: h})
	runUntil(t, d, func() bool { evs, _ := h.Events(ctx, chatA); return len(evs) == 2 })
	if err := r.box.Enqueue(ctx, 2, []Entry{{StoryID: dup.ID, AlsoOf: first.ID, Chat: chatA, SubIDs: []uint64{3}, Enqueued: time.Now()}}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	runUntil(t, d, func() bool { evs, _ := h.Events(ctx, chatA); return len(evs) == 3 })
	evs, _ := h.Events(ctx, chatA)
	got := map[string]Event{}
	for _, e := range evs {
		got[e.StoryID] = e
	}
	if e := got[first.ID]; e.Outcome != OutcomeSent || e.Title != "Grain deal signed" || e.Source != "Wire" || e.SubIDs[0] != 3 || e.Terms[0] != "grain" {
		t.Errorf("sent: %+v", e)
	}
	if e := got[old.ID]; e.Outcome != OutcomeDropped || e.Reason != "still unsent after 6h0m0s" || e.Title != "Old news" {
		t.Errorf("dropped: %+v", e)
	}
	if e := got[dup.ID]; e.Outcome != OutcomeFolded || e.FoldedInto != first.ID {
		t.Errorf("folded: %+v", e)
	}
	reps, err := r.box.Replicas(ctx)
	if err != nil || len(reps) != 1 || reps[0].Name != "c" {
		t.Errorf("replicas %+v, %v", reps, err)
	}
}
