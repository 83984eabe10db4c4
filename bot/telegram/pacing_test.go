package telegram

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"
)

// manualClock is a clock tests move by hand.
type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestPacerEvictsIdleChats(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 5, 9, 14, 0, 0, 0, time.UTC)}
	p := newPacer(clock.Now)
	ctx := context.Background()
	for i := range 100 {
		clock.Advance(time.Second / 20) // within the bot-wide rate
		if err := p.wait(ctx, strconv.Itoa(1000+i)); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(time.Second)
	if err := p.wait(ctx, "-100500"); err != nil {
		t.Fatal(err)
	}
	if n := p.size(); n != 101 {
		t.Fatalf("pacer holds %d chats, want 101", n)
	}
	clock.Advance(sweepEvery)
	if err := p.wait(ctx, "1"); err != nil {
		t.Fatal(err)
	}
	// The private chats refilled and were forgotten; the group (idle for
	// a minute only) is kept until its bucket is surely full.
	if n := p.size(); n != 2 {
		t.Errorf("after a minute idle the pacer holds %d chats, want 2 (the group and the new chat)", n)
	}
	clock.Advance(groupIdle + sweepEvery)
	if err := p.wait(ctx, "2"); err != nil {
		t.Fatal(err)
	}
	if n := p.size(); n != 1 {
		t.Errorf("after %v idle the pacer holds %d chats, want 1", groupIdle, n)
	}
}

func TestPacerBurstsThenWaits(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 5, 9, 14, 0, 0, 0, time.UTC)}
	p := newPacer(clock.Now)
	for i := range privateBurst {
		clock.Advance(time.Second / 20)
		if err := p.wait(context.Background(), "7"); err != nil {
			t.Fatalf("message %d of a burst waited: %v", i, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	clock.Advance(time.Second / 20)
	if err := p.wait(ctx, "7"); !errors.Is(err, context.Canceled) {
		t.Errorf("4th message of a burst = %v, want it to wait", err)
	}
	clock.Advance(privateInterval)
	if err := p.wait(context.Background(), "7"); err != nil {
		t.Errorf("after the interval: %v", err)
	}
}

func TestPacerGlobalDetection(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 5, 9, 14, 0, 0, 0, time.UTC)}
	p := newPacer(clock.Now)
	if p.limited("1", time.Second) {
		t.Errorf("a single 429 taken as global")
	}
	if p.limited("1", time.Second) {
		t.Errorf("two 429s of one chat taken as global")
	}
	clock.Advance(2 * globalWindow)
	if p.limited("2", time.Second) {
		t.Errorf("429s of two chats far apart taken as global")
	}
	clock.Advance(globalWindow / 2)
	if !p.limited("3", 4*time.Second) {
		t.Errorf("429s of two chats within %v not taken as global", globalWindow)
	}
	if got := p.globalHold.Sub(clock.Now()); got != 4*time.Second {
		t.Errorf("global hold = %v, want 4s", got)
	}
}
