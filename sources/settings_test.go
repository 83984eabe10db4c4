package sources

import (
	"context"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
)

// TestPollKeepsChangesMadeDuringIt: a rename, a new interval and a pause
// made while a poll was under way survive the poll's save.
func TestPollKeepsChangesMadeDuringIt(t *testing.T) {
	_, prefix := redistest.Client(t)
	now := time.Now()
	fs := newFeedServer(t, testItem{guid: "1", title: "Old", desc: "backlog", date: now.Add(-time.Hour)})
	w := newTestWatcher(t, prefix, &recordingSink{}, nil, time.Now)
	ctx := context.Background()
	added, err := w.Add(ctx, AddRequest{URL: fs.URL + "/feed.xml", Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	stale := added.Source // what the poll loaded before the admin's changes
	if !stale.LastNew.IsZero() {
		t.Errorf("a source just added has LastNew %v: nothing new has come yet", stale.LastNew)
	}
	if err := w.reg.SetName(ctx, stale.ID, "Renamed"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.reg.SetInterval(ctx, stale.ID, 2*time.Second, w.opts.MinInterval, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.reg.SetState(ctx, stale.ID, Paused, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Poll(ctx, stale); err != nil {
		t.Fatal(err)
	}
	got, err := w.reg.Get(ctx, stale.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Renamed" || got.Interval != 2*time.Second || got.State != Paused || !got.NextPoll.IsZero() {
		t.Errorf("after the poll: name %q, interval %s, state %s, next %v", got.Name, got.Interval, got.State, got.NextPoll)
	}
	if !got.LastNew.IsZero() {
		t.Errorf("LastNew set by a poll that found nothing new")
	}
	// Removed during a poll: the poll does not bring it back.
	if _, err := w.reg.Remove(ctx, stale.ID); err != nil {
		t.Fatal(err)
	}
	w.Poll(ctx, stale)
	if _, err := w.reg.Get(ctx, stale.ID); err == nil {
		t.Error("a source removed during its poll came back")
	}
}
