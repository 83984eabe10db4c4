package outbox

import (
	"context"

	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/subscriptions"
)

// maxPanics is how many times one item (an outbox entry, a held bucket) may
// panic before it is dropped instead of retried.
const maxPanics = 3

// strike counts one more panic for the item named key and reports whether
// it has now panicked maxPanics times (and is forgotten).
func (d *Deliverer) strike(key string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.panics[key]++
	if d.panics[key] >= maxPanics {
		delete(d.panics, key)
		return true
	}
	return false
}

// deliverGuarded delivers a batch, recovering a panic. A batch that panics
// is tried again entry by entry, so one poisonous alert does not hold back
// the others; an entry that panicked maxPanics times is dropped (logged,
// counted as dropped "panic"), one that panicked fewer times stays pending
// and is offered again after ReclaimIdle.
func (d *Deliverer) deliverGuarded(ctx context.Context, chat subscriptions.Chat, p Platform, batch []Entry) {
	perr := recovery.Guard(d.log, d.opts.Metrics, "deliver", func() { d.deliver(ctx, chat, p, batch) },
		"chat", chat.String(), "alerts", len(batch), "first_story_id", batch[0].StoryID)
	if perr == nil {
		return
	}
	if len(batch) > 1 {
		for _, e := range batch {
			d.deliverGuarded(ctx, chat, p, []Entry{e})
		}
		return
	}
	e := batch[0]
	if d.strike("entry:" + e.Stream + "/" + e.ID) {
		d.log.Error("delivery: alert panicked too often; dropped", "chat", chat.String(), "story_id", e.StoryID, "entry", e.ID)
		d.opts.Metrics.Dropped("panic", 1)
		d.ackEntries(ctx, []Entry{e})
	}
}
