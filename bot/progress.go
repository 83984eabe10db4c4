package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultAckDelay is how long a slow command may run before its
// acknowledgement is shown: a command that answers sooner shows only its
// answer, a slower one is acknowledged well within a second.
const DefaultAckDelay = 300 * time.Millisecond

// progress tells the user that a slow step started, when the adapter asked
// to know (Request.Progress).
func (r Request) progress(text string) {
	if r.Progress != nil {
		r.Progress(text)
	}
}

// checking is the acknowledgement of a command that fetches url.
func checking(url string, limit time.Duration) string {
	return fmt.Sprintf("Checking %s (up to %s)", url, humanLimit(limit))
}

// humanLimit renders a timeout as "30 s" or "2 min".
func humanLimit(d time.Duration) string {
	if d <= 0 {
		d = 30 * time.Second
	}
	if d >= 2*time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d min", int(d/time.Minute))
	}
	return fmt.Sprintf("%d s", int((d+time.Second-1)/time.Second))
}

// firstField is the first word of args (a command's URL argument).
func firstField(args string) string {
	f := strings.Fields(args)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// HandleWithAck runs h on req and acknowledges a slow command: when the
// command reports progress (Request.Progress) and has not answered within
// delay, ack is called once with the progress text. acked tells whether it
// was, so that the adapter delivers the reply by editing or following up
// the acknowledgement. ack must not block (it queues a message); it is
// never called after HandleWithAck returned.
func HandleWithAck(ctx context.Context, h Handler, req Request, delay time.Duration, ack func(text string)) (reply Reply, acked bool) {
	var (
		mu    sync.Mutex
		done  bool
		timer *time.Timer
	)
	prev := req.Progress
	req.Progress = func(text string) {
		if prev != nil {
			prev(text)
		}
		mu.Lock()
		defer mu.Unlock()
		if done || timer != nil || acked {
			return
		}
		timer = time.AfterFunc(delay, func() {
			mu.Lock()
			defer mu.Unlock()
			if done {
				return
			}
			acked = true
			ack(text)
		})
	}
	reply = h.Handle(ctx, req)
	mu.Lock()
	defer mu.Unlock()
	done = true
	if timer != nil {
		timer.Stop()
	}
	return reply, acked
}
