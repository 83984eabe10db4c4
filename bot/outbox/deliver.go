package outbox

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// Platform is what delivery needs of a chat adapter.
type Platform interface {
	bot.Sender
	Limits() bot.Limits
}

// Summarizer fits a story's text into budget characters, favouring
// sentences with the matched terms.
type Summarizer func(title, text string, terms []string, budget int) string

// DelivererOptions configure a Deliverer.
type DelivererOptions struct {
	// Consumer is this process's stable name in the consumer group; a
	// restarted process with the same name first drains its own pending
	// entries.
	Consumer    string
	Platforms   map[string]Platform // by Chat.Platform
	Stories     *sources.StoryStore
	Chats       *subscriptions.Chats
	Records     *Records
	Summarize   Summarizer
	MaxAge      time.Duration // alerts older than this are dropped, not sent late (default 6h)
	ReclaimIdle time.Duration // entries pending this long on a dead consumer are taken over (default 1m)
	Attempts    int           // sends tried in a row before an entry is left for later (default 5)
	Now         func() time.Time
	Logger      *slog.Logger
}

// Deliverer reads the outbox and delivers alerts.
type Deliverer struct {
	o    *Outbox
	opts DelivererOptions
	log  *slog.Logger

	mu     sync.Mutex
	queues map[subscriptions.Chat]chan Entry
}

// NewDeliverer builds a deliverer on o.
func NewDeliverer(o *Outbox, opts DelivererOptions) *Deliverer {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = 6 * time.Hour
	}
	if opts.ReclaimIdle <= 0 {
		opts.ReclaimIdle = time.Minute
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 5
	}
	if opts.Summarize == nil {
		opts.Summarize = func(_, text string, _ []string, budget int) string { return truncateRunes(text, budget) }
	}
	return &Deliverer{o: o, opts: opts, log: opts.Logger, queues: map[subscriptions.Chat]chan Entry{}}
}

// Run delivers until ctx is done. Entries are acknowledged only once
// delivered (or dropped for a reason that is logged); whatever is in flight
// at shutdown stays pending and is delivered by the next process. Redis
// errors are logged and retried; they do not end Run.
func (d *Deliverer) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	d.mu.Lock()
	d.queues = map[subscriptions.Chat]chan Entry{}
	d.mu.Unlock()
	backoff := newBackoff(100*time.Millisecond, 10*time.Second)
	for ctx.Err() == nil {
		if err := d.o.EnsureGroup(ctx); err != nil {
			d.log.Warn("delivery: cannot reach the outbox", "err", err)
			sleep(ctx, backoff.next())
			continue
		}
		break
	}
	// Our own pending entries first: a restart resumes what it had.
	start := "0"
	lastReclaim := time.Time{}
	for ctx.Err() == nil {
		if time.Since(lastReclaim) > d.opts.ReclaimIdle/2 {
			lastReclaim = time.Now()
			d.reclaim(ctx, g)
		}
		res, err := d.o.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
			Group: Group, Consumer: d.opts.Consumer, Streams: []string{d.o.StreamKey(), start},
			Count: 200, Block: time.Second,
		}).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				d.log.Warn("delivery: cannot read the outbox", "err", err)
				if strings.Contains(err.Error(), "NOGROUP") {
					d.o.EnsureGroup(ctx)
				}
				sleep(ctx, backoff.next())
			}
			continue
		}
		backoff.reset()
		n := 0
		for _, s := range res {
			for _, m := range s.Messages {
				n++
				d.dispatch(ctx, g, m)
			}
		}
		if start == "0" && n == 0 {
			start = ">" // own backlog drained
		}
	}
	return g.Wait()
}

// reclaim takes over entries left pending by consumers that stopped.
func (d *Deliverer) reclaim(ctx context.Context, g *errgroup.Group) {
	cursor := "0-0"
	for i := 0; i < 10 && ctx.Err() == nil; i++ {
		msgs, next, err := d.o.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: d.o.StreamKey(), Group: Group, Consumer: d.opts.Consumer,
			MinIdle: d.opts.ReclaimIdle, Start: cursor, Count: 200,
		}).Result()
		if err != nil {
			if ctx.Err() == nil && !strings.Contains(err.Error(), "NOGROUP") {
				d.log.Warn("delivery: cannot reclaim pending alerts", "err", err)
			}
			return
		}
		for _, m := range msgs {
			d.dispatch(ctx, g, m)
		}
		if next == "0-0" || len(msgs) == 0 {
			return
		}
		cursor = next
	}
}

// dispatch hands an entry to its chat's queue, starting the chat's worker
// when it has none. Each chat's alerts go out in order, one batch at a time.
func (d *Deliverer) dispatch(ctx context.Context, g *errgroup.Group, m redis.XMessage) {
	e, err := decodeEntry(m)
	if err != nil {
		d.log.Error("delivery: dropping malformed entry", "entry", m.ID, "err", err)
		d.ack(ctx, e.ID)
		return
	}
	d.mu.Lock()
	q, ok := d.queues[e.Chat]
	if !ok {
		q = make(chan Entry, 1024)
		d.queues[e.Chat] = q
		g.Go(func() error { d.chatWorker(ctx, e.Chat, q); return nil })
	}
	d.mu.Unlock()
	select {
	case q <- e:
	case <-ctx.Done():
	}
}

// chatWorker delivers one chat's entries, batching what is waiting, and
// exits after a quiet spell.
func (d *Deliverer) chatWorker(ctx context.Context, chat subscriptions.Chat, q chan Entry) {
	const idle = 30 * time.Second
	timer := time.NewTimer(idle)
	defer timer.Stop()
	for {
		var first Entry
		select {
		case <-ctx.Done():
			return
		case first = <-q:
		case <-timer.C:
			d.mu.Lock()
			if len(q) == 0 {
				delete(d.queues, chat)
				d.mu.Unlock()
				return
			}
			d.mu.Unlock()
			timer.Reset(idle)
			continue
		}
		batch := []Entry{first}
		p := d.opts.Platforms[chat.Platform]
		max := 1
		if p != nil {
			max = p.Limits().MaxBatch
		}
	drain:
		for len(batch) < max {
			select {
			case e := <-q:
				batch = append(batch, e)
			default:
				break drain
			}
		}
		d.deliver(ctx, chat, p, batch)
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(idle)
	}
}

func (d *Deliverer) ack(ctx context.Context, ids ...string) {
	if len(ids) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx)
	_, err := d.o.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, d.o.StreamKey(), Group, ids...)
		p.XDel(ctx, d.o.StreamKey(), ids...)
		return nil
	})
	if err != nil {
		d.log.Warn("delivery: cannot acknowledge; the alerts may be checked again", "err", err)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

type backoff struct{ cur, lo, hi time.Duration }

func newBackoff(lo, hi time.Duration) *backoff { return &backoff{lo: lo, hi: hi} }

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.lo
	} else {
		b.cur = min(b.cur*2, b.hi)
	}
	return b.cur
}

func (b *backoff) reset() { b.cur = 0 }

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if n <= 0 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
