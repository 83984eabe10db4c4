package telegram

import (
	"context"
	"sync"
)

// maxQueuedReplies bounds the replies waiting for one chat; more are dropped
// (a chat flooding the bot with commands gets answers to the first ones).
const maxQueuedReplies = 20

// replies sends command replies in the background, in order within each
// chat, so that one chat's rate limit does not hold up the commands of
// others. Serve owns it: its goroutines end with Serve's context and Serve
// waits for them.
type replies struct {
	a   *Adapter
	ctx context.Context

	mu     sync.Mutex
	queues map[string][]replyJob // present while the chat's sender runs
	wg     sync.WaitGroup
}

type replyJob struct {
	t       target
	replyTo int
	text    string
}

func newReplies(ctx context.Context, a *Adapter) *replies {
	return &replies{a: a, ctx: ctx, queues: map[string][]replyJob{}}
}

// send queues a reply to t.
func (r *replies) send(t target, replyTo int, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q, running := r.queues[t.key]
	if len(q) >= maxQueuedReplies {
		r.a.log.WarnContext(r.ctx, "telegram: too many replies queued for a chat; reply dropped", "chat_id", t.key)
		return
	}
	r.queues[t.key] = append(q, replyJob{t: t, replyTo: replyTo, text: text})
	if !running {
		r.wg.Add(1)
		go r.run(t.key)
	}
}

func (r *replies) run(key string) {
	defer r.wg.Done()
	for {
		r.mu.Lock()
		q := r.queues[key]
		if len(q) == 0 || r.ctx.Err() != nil {
			delete(r.queues, key)
			r.mu.Unlock()
			return
		}
		job := q[0]
		r.queues[key] = q[1:]
		r.mu.Unlock()
		r.a.reply(r.ctx, job.t, job.replyTo, job.text)
	}
}

// wait waits for every sender to finish.
func (r *replies) wait() { r.wg.Wait() }
