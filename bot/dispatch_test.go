package bot

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// runDispatcher runs d until the test ends.
func runDispatcher(t *testing.T, d *Dispatcher) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ctx
}

func TestDispatcherOrderWithinChatConcurrencyAcross(t *testing.T) {
	d := NewDispatcher(DispatcherOptions{Workers: 4})
	runDispatcher(t, d)
	ctx := context.Background()
	block := make(chan struct{})
	// Chat "slow" is stuck in its first job; the others must still run.
	if err := d.Submit(ctx, "slow", func(context.Context) { <-block }); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string][]int{}
	var wg sync.WaitGroup
	for _, chat := range []string{"a", "b", "c"} {
		for i := range 50 {
			wg.Add(1)
			if err := d.Submit(ctx, chat, func(context.Context) {
				defer wg.Done()
				mu.Lock()
				got[chat] = append(got[chat], i)
				mu.Unlock()
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitGroup(t, &wg)
	for chat, seq := range got {
		for i, v := range seq {
			if v != i {
				t.Fatalf("chat %s ran its jobs in the order %v", chat, seq)
			}
		}
	}
	// The slow chat's next job waits for its first.
	ran := make(chan struct{})
	d.Submit(ctx, "slow", func(context.Context) { close(ran) })
	select {
	case <-ran:
		t.Fatal("a chat's second job ran while its first was still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(block)
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the chat's second job never ran")
	}
}

func waitGroup(t *testing.T, wg *sync.WaitGroup) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("jobs did not finish")
	}
}

func TestDispatcherBackPressure(t *testing.T) {
	tests := []struct {
		name string
		opts DispatcherOptions
		chat func(i int) string
	}{
		{"per chat", DispatcherOptions{Workers: 1, PerChat: 3, MaxQueued: 100}, func(int) string { return "x" }},
		{"in all", DispatcherOptions{Workers: 1, PerChat: 100, MaxQueued: 3}, func(i int) string { return fmt.Sprint(i) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDispatcher(tt.opts)
			runDispatcher(t, d)
			block := make(chan struct{})
			started := make(chan struct{})
			d.Submit(context.Background(), tt.chat(0), func(context.Context) { close(started); <-block })
			<-started
			var ran sync.WaitGroup
			for i := 1; i <= 3; i++ {
				ran.Add(1)
				if err := d.Submit(context.Background(), tt.chat(i), func(context.Context) { ran.Done() }); err != nil {
					t.Fatal(err)
				}
			}
			// Full: a further Submit waits, and gives up with its context.
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			if err := d.Submit(ctx, tt.chat(4), func(context.Context) {}); err != context.DeadlineExceeded {
				t.Fatalf("Submit on a full dispatcher = %v, want it to wait until its context ends", err)
			}
			// It waits, not drops: it is queued once room frees up.
			ran.Add(1)
			accepted := make(chan error, 1)
			go func() { accepted <- d.Submit(context.Background(), tt.chat(4), func(context.Context) { ran.Done() }) }()
			close(block)
			if err := <-accepted; err != nil {
				t.Fatal(err)
			}
			waitGroup(t, &ran)
			if q := d.Queued(); q != 0 {
				t.Errorf("Queued = %d after every job ran", q)
			}
		})
	}
}

func TestDispatcherRecoversPanics(t *testing.T) {
	d := NewDispatcher(DispatcherOptions{Workers: 1})
	runDispatcher(t, d)
	d.Submit(context.Background(), "a", func(context.Context) { panic("boom") })
	ran := make(chan struct{})
	d.Submit(context.Background(), "a", func(context.Context) { close(ran) })
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("the job after a panic never ran")
	}
	if n := d.Panics(); n != 1 {
		t.Errorf("Panics = %d, want 1", n)
	}
}

func TestDispatcherStop(t *testing.T) {
	d := NewDispatcher(DispatcherOptions{Workers: 2})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	running := make(chan struct{})
	var sawCancel bool
	d.Submit(context.Background(), "a", func(ctx context.Context) {
		close(running)
		<-ctx.Done()
		sawCancel = true
	})
	<-running
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
	if !sawCancel {
		t.Error("Run returned before the running job ended")
	}
	if err := d.Submit(context.Background(), "a", func(context.Context) {}); err != ErrDispatcherStopped {
		t.Errorf("Submit after Run = %v, want ErrDispatcherStopped", err)
	}
}

// handlerFunc adapts a function to Handler.
type handlerFunc func(ctx context.Context, req Request) Reply

func (f handlerFunc) Handle(ctx context.Context, req Request) Reply { return f(ctx, req) }

func TestHandleWithAck(t *testing.T) {
	tests := []struct {
		name      string
		progress  bool
		work      time.Duration
		wantAcked bool
	}{
		{"quick command", false, 0, false},
		{"slow command without progress", false, 100 * time.Millisecond, false},
		{"progress, answered before the delay", true, 0, false},
		{"progress, slow", true, 500 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := handlerFunc(func(ctx context.Context, req Request) Reply {
				if tt.progress {
					req.progress("Checking https://x.example/feed (up to 30 s)")
				}
				time.Sleep(tt.work)
				return Reply{Text: "done"}
			})
			var acks []string
			var mu sync.Mutex
			reply, acked := HandleWithAck(context.Background(), h, Request{}, 50*time.Millisecond, func(text string) {
				mu.Lock()
				acks = append(acks, text)
				mu.Unlock()
			})
			if reply.Text != "done" || acked != tt.wantAcked {
				t.Errorf("HandleWithAck = %q, acked %v; want done, acked %v", reply.Text, acked, tt.wantAcked)
			}
			time.Sleep(60 * time.Millisecond) // an ack after return would show now
			mu.Lock()
			defer mu.Unlock()
			if want := map[bool]int{true: 1, false: 0}[tt.wantAcked]; len(acks) != want {
				t.Errorf("acks = %q, want %d", acks, want)
			}
		})
	}
}

func TestHumanLimit(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "30 s", 30 * time.Second: "30 s", 1500 * time.Millisecond: "2 s", 2 * time.Minute: "2 min", 90 * time.Second: "90 s"} {
		if got := humanLimit(d); got != want {
			t.Errorf("humanLimit(%s) = %q, want %q", d, got, want)
		}
	}
}
