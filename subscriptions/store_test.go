package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/subscriptions/query"
)

func TestStore(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	s := NewStore(rdb, prefix, 2)
	a := Chat{Platform: "telegram", ID: "-1001", Thread: "5"}
	now := time.UnixMilli(1_700_000_000_000)
	s1, err := s.Add(ctx, a, "ukraine", "telegram:1", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, a, "ukraine", "telegram:1", now); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	s2, _ := s.Add(ctx, a, `"north korea"`, "telegram:2", now)
	if _, err := s.Add(ctx, a, "grain", "telegram:1", now); !errors.Is(err, ErrTooMany) {
		t.Fatalf("limit: %v", err)
	}
	list, err := s.List(ctx, a)
	if err != nil || len(list) != 2 || list[0].ID != s1.ID || list[1].Query != `"north korea"` || list[1].Chat != a || !list[1].Created.Equal(now) {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if err := s.Remove(ctx, Chat{Platform: "telegram", ID: "other"}, s1.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("remove from another chat: %v", err)
	}
	if err := s.Remove(ctx, a, s1.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Fatalf("count = %d", n)
	}
	if n, err := s.RemoveAll(ctx, a); err != nil || n != 1 {
		t.Fatalf("remove all = %d, %v", n, err)
	}
	if _, err := s.Get(ctx, s2.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get removed: %v", err)
	}
}

// TestTwoProcessesStayInSync: a subscription added through one process's
// store is matched by another process's matcher within a second, and a
// removal likewise.
func TestTwoProcessesStayInSync(t *testing.T) {
	rdb1, prefix := redistest.Client(t)
	rdb2, _ := redistest.Client(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store1 := NewStore(rdb1, prefix, 50)
	store2 := NewStore(rdb2, prefix, 50)
	pre, _ := store1.Add(ctx, Chat{Platform: "console", ID: "local"}, "grain", "console:admin", time.Now())
	m2 := NewMatcher(store2, query.DefaultLimits(), nil)
	if err := m2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if got := m2.Match("Grain prices", ""); len(got) != 1 || got[0].SubID != pre.ID {
		t.Fatalf("loaded index: %+v", got)
	}
	done := make(chan error, 1)
	go func() { done <- m2.Run(ctx) }()

	chat := Chat{Platform: "discord", ID: "555"}
	sub, err := store1.Add(ctx, chat, `"north korea" russia`, "discord:1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	added := time.Now()
	waitFor(t, time.Second, func() bool { return len(m2.Match("North Korea backs Russia", "")) == 1 })
	t.Logf("add seen by the other process after %s", time.Since(added))
	got := m2.Match("North Korea backs Russia", "Kim sent a message.")
	if got[0].SubID != sub.ID || got[0].Chat != chat || len(got[0].Terms) != 2 || len(got[0].InTitle) != 2 {
		t.Fatalf("match = %+v", got)
	}
	if err := store1.Remove(ctx, chat, sub.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, func() bool { return len(m2.Match("North Korea backs Russia", "")) == 0 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestMatcherReloadsAfterTrimmedChanges(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	store := NewStore(rdb, prefix, 50)
	m := NewMatcher(store, query.DefaultLimits(), nil)
	store.Add(ctx, Chat{Platform: "console", ID: "a"}, "alpha", "x", time.Now())
	if err := m.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"beta", "gamma", "delta"} {
		store.Add(ctx, Chat{Platform: "console", ID: "a"}, w, "x", time.Now())
	}
	// Lose the middle of the change stream, as trimming would.
	entries, _ := rdb.XRange(ctx, store.changesKey(), "-", "+").Result()
	rdb.XDel(ctx, store.changesKey(), entries[1].ID, entries[2].ID)
	if err := m.sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"alpha", "beta", "gamma", "delta"} {
		if len(m.Match(w, "")) != 1 {
			t.Errorf("%s not matched after the reload", w)
		}
	}
	if m.Len() != 4 {
		t.Errorf("index holds %d, want 4", m.Len())
	}
}

func waitFor(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestConcurrentAddsKeepTheLimit: the limit is checked and the
// subscription added in one step, so 200 concurrent adds to a chat with a
// limit of 50 store exactly 50, numbered 1 to 50.
func TestConcurrentAddsKeepTheLimit(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	s := NewStore(rdb, prefix, 50)
	chat := Chat{Platform: "discord", ID: "777"}
	var wg sync.WaitGroup
	var mu sync.Mutex
	added, refused := 0, 0
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Add(ctx, chat, fmt.Sprintf("term%d", i), "discord:1", time.Now())
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				added++
			case errors.Is(err, ErrTooMany):
				refused++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if added != 50 || refused != 150 {
		t.Fatalf("added %d, refused %d; want 50 and 150", added, refused)
	}
	list, err := s.List(ctx, chat)
	if err != nil || len(list) != 50 {
		t.Fatalf("list has %d, %v; want 50", len(list), err)
	}
	for i, sub := range list {
		if sub.Num != i+1 {
			t.Fatalf("subscription %d of the list has number %d, want %d", i, sub.Num, i+1)
		}
	}
}

// TestNumbersStayUntilRemoved: removing a subscription leaves the others'
// numbers alone; subscriptions stored before numbers existed are numbered
// in the order they were made.
func TestNumbersStayUntilRemoved(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	s := NewStore(rdb, prefix, 10)
	chat := Chat{Platform: "telegram", ID: "5"}
	var subs []Subscription
	for _, q := range []string{"a1", "b2", "c3"} {
		sub, err := s.Add(ctx, chat, q, "telegram:5", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	if err := s.Remove(ctx, chat, subs[0].ID); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List(ctx, chat)
	if len(list) != 2 || list[0].Num != 2 || list[1].Num != 3 {
		t.Fatalf("after removing #1: %+v", list)
	}
	// Stored before numbers: the numbers are dropped, then given back.
	for _, sub := range list {
		rdb.HDel(ctx, s.subKey(sub.ID), "num")
	}
	list, _ = s.List(ctx, chat)
	if len(list) != 2 || list[0].Num != 1 || list[0].Query != "b2" || list[1].Num != 2 {
		t.Fatalf("legacy subscriptions numbered %+v", list)
	}
	if dup, err := s.Add(ctx, chat, "c3", "telegram:5", time.Now()); !errors.Is(err, ErrDuplicate) || dup.Num != 2 {
		t.Fatalf("duplicate: %+v, %v", dup, err)
	}
}

// TestPauseOneSubscription: pausing marks only that subscription, only in
// its own chat, says when nothing changed, and writes nothing once the
// subscription is gone.
func TestPauseOneSubscription(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	s := NewStore(rdb, prefix, 10)
	a := Chat{Platform: "telegram", ID: "-1001"}
	other := Chat{Platform: "telegram", ID: "-1002"}
	now := time.UnixMilli(1_700_000_000_000)
	s1, _ := s.Add(ctx, a, "ukraine", "telegram:1", now)
	s2, _ := s.Add(ctx, a, "grain", "telegram:1", now)
	steps := []struct {
		name   string
		chat   Chat
		id     uint64
		paused bool
		want   error
	}{
		{"pause #1", a, s1.ID, true, nil},
		{"pause #1 again", a, s1.ID, true, ErrUnchanged},
		{"from another chat", other, s2.ID, true, ErrNotFound},
		{"resume #2, running", a, s2.ID, false, ErrUnchanged},
	}
	for _, st := range steps {
		if err := s.SetPaused(ctx, st.chat, st.id, st.paused, now); !errors.Is(err, st.want) {
			t.Fatalf("%s: %v, want %v", st.name, err, st.want)
		}
	}
	list, _ := s.List(ctx, a)
	if len(list) != 2 || !list[0].Paused || list[1].Paused {
		t.Fatalf("list = %+v", list)
	}
	paused, err := s.Paused(ctx, []uint64{s1.ID, s2.ID, 999})
	if err != nil || !paused[s1.ID] || paused[s2.ID] || paused[999] {
		t.Fatalf("Paused = %v, %v", paused, err)
	}
	if err := s.SetPaused(ctx, a, s1.ID, false, now); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, s1.ID); got.Paused {
		t.Fatal("still paused after resume")
	}
	if err := s.Remove(ctx, a, s2.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPaused(ctx, a, s2.ID, true, now); !errors.Is(err, ErrNotFound) {
		t.Fatalf("pause removed: %v", err)
	}
	if n, _ := rdb.Exists(ctx, s.subKey(s2.ID)).Result(); n != 0 {
		t.Fatal("pausing a removed subscription recreated its hash")
	}
}
