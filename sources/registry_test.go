package sources

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
)

func TestRegistryLifecycle(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	reg := NewRegistry(rdb, prefix)
	now := time.UnixMilli(1_700_000_000_000)

	s, err := reg.Add(ctx, Source{URL: "https://a.example/feed", Name: "A", Interval: 5 * time.Minute}, "a.example/feed", now)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != 1 || s.State != Active {
		t.Fatalf("added %+v", s)
	}
	dup, err := reg.Add(ctx, Source{URL: "http://A.example/feed"}, "a.example/feed", now)
	if !errors.Is(err, ErrExists) || dup.ID != s.ID {
		t.Fatalf("duplicate add: %+v, %v", dup, err)
	}
	b, _ := reg.Add(ctx, Source{URL: "https://b.example/rss", Name: "B", Interval: time.Minute}, "b.example/rss", now.Add(time.Minute))

	list, err := reg.List(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "A" || list[1].Name != "B" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	// Only A is due now.
	ids, err := reg.Claim(ctx, now, time.Minute, 10)
	if err != nil || len(ids) != 1 || ids[0] != s.ID {
		t.Fatalf("claim = %v, %v", ids, err)
	}
	// Claimed: not due again until the lease ends.
	if ids, _ := reg.Claim(ctx, now.Add(30*time.Second), time.Minute, 10); len(ids) != 0 {
		t.Fatalf("claimed again during the lease: %v", ids)
	}
	// B is due at +1m; A's lease ended at +1m too.
	if ids, _ := reg.Claim(ctx, now.Add(61*time.Second), time.Minute, 10); len(ids) != 2 {
		t.Fatalf("after the lease: %v", ids)
	}

	if _, err := reg.SetState(ctx, b.ID, Paused, now); err != nil {
		t.Fatal(err)
	}
	if ids, _ := reg.Claim(ctx, now.Add(time.Hour), time.Minute, 10); len(ids) != 1 || ids[0] != s.ID {
		t.Fatalf("paused source claimed: %v", ids)
	}
	if _, err := reg.SetState(ctx, b.ID, Active, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _ := reg.Get(ctx, b.ID)
	if got.State != Active {
		t.Fatalf("resumed state = %s", got.State)
	}

	if err := reg.ChangeURL(ctx, s.ID, "https://a2.example/feed", "a2.example/feed"); err != nil {
		t.Fatal(err)
	}
	if moved, err := reg.ByIdentity(ctx, "a2.example/feed"); err != nil || moved.ID != s.ID {
		t.Fatalf("by new identity: %+v %v", moved, err)
	}
	if _, err := reg.ByIdentity(ctx, "a.example/feed"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("old identity still maps: %v", err)
	}

	if _, err := reg.Remove(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Get(ctx, s.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed source: %v", err)
	}
	if err := reg.Save(ctx, s, now); err != nil { // a poll finishing after removal
		t.Fatal(err)
	}
	if ids, _ := reg.Claim(ctx, now.Add(24*time.Hour), time.Minute, 10); len(ids) != 1 || ids[0] != b.ID {
		t.Fatalf("removed source came back: %v", ids)
	}
}

func TestSeenBounded(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	seen := NewSeen(rdb, prefix, SeenLimits{MaxKeys: 3, MaxAge: time.Hour})
	t0 := time.UnixMilli(1_700_000_000_000)
	if err := seen.Mark(ctx, 7, []string{"a", "b", "c"}, t0); err != nil {
		t.Fatal(err)
	}
	unseen, err := seen.Unseen(ctx, 7, []string{"a", "x", "c", "y"})
	if err != nil || len(unseen) != 2 || unseen[0] != "x" || unseen[1] != "y" {
		t.Fatalf("unseen = %v, %v", unseen, err)
	}
	// Over the count with everything recent: the count still holds (a feed
	// inventing keys cannot grow the set); the keys of this poll stay.
	seen.Mark(ctx, 7, []string{"d"}, t0.Add(time.Minute))
	if n, _ := seen.Count(ctx, 7); n != 3 {
		t.Fatalf("count = %d, want 3 (the cap)", n)
	}
	if unseen, _ := seen.Unseen(ctx, 7, []string{"d"}); len(unseen) != 0 {
		t.Fatal("the key just marked was forgotten")
	}
	// Two hours on, "a" stays in the feed (refreshed); b, c are old and go.
	seen.Mark(ctx, 7, []string{"a", "e"}, t0.Add(2*time.Hour))
	if n, _ := seen.Count(ctx, 7); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
	unseen, _ = seen.Unseen(ctx, 7, []string{"a", "b", "d", "e"})
	if len(unseen) != 1 || unseen[0] != "b" {
		t.Fatalf("after trimming unseen = %v, want [b]", unseen)
	}
	if unseen, _ := seen.Unseen(ctx, 8, []string{"a"}); len(unseen) != 1 {
		t.Fatalf("seen marks leak across sources: %v", unseen)
	}
}
