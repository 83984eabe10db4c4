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
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/recovery"
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
	// Senders bounds the sends in flight at once across chats (default 32);
	// it is also the most alerts a crash can leave with an unknown outcome.
	Senders int
	// Held keeps alerts that quiet hours or digests hold back; nil sends
	// everything at once.
	Held *Held
	// Subscriptions gives each subscription's digest setting (with Held)
	// and whether it is paused (an alert all of whose subscriptions were
	// paused since it was queued is dropped).
	Subscriptions *subscriptions.Store
	// History, when set, records each decision about a chat's alert (sent,
	// folded, held, dropped and why) for the dashboard.
	History *History
	// BacklogLimit is the number of waiting alerts past which a chat's
	// alerts are merged into digest messages (default 20).
	BacklogLimit int
	// GoneRetry is how long after the platform refused a chat an alert for
	// it is tried again (default 1h): success reactivates the chat.
	GoneRetry time.Duration
	Now       func() time.Time
	Logger    *slog.Logger
	Metrics   *metrics.Metrics
}

// Deliverer reads the outbox and delivers alerts.
type Deliverer struct {
	o    *Outbox
	opts DelivererOptions
	log  *slog.Logger

	mu     sync.Mutex
	queues map[subscriptions.Chat]chan Entry
	flying map[string]bool // stream/id of entries queued or being sent here
	slots  chan struct{}   // Senders tokens
	panics map[string]int  // item -> panics so far (see strike)
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
	if opts.Senders <= 0 {
		opts.Senders = 32
	}
	if opts.BacklogLimit <= 0 {
		opts.BacklogLimit = 20
	}
	if opts.GoneRetry <= 0 {
		opts.GoneRetry = time.Hour
	}
	if opts.Summarize == nil {
		opts.Summarize = func(_, text string, _ []string, budget int) string { return truncateRunes(text, budget) }
	}
	return &Deliverer{o: o, opts: opts, log: opts.Logger, queues: map[subscriptions.Chat]chan Entry{}, flying: map[string]bool{},
		slots: make(chan struct{}, opts.Senders), panics: map[string]int{}}
}

// Run delivers until ctx is done. Entries are acknowledged only once
// delivered (or dropped for a reason that is logged); whatever is in flight
// at shutdown stays pending and is delivered by the next process. Redis
// errors are logged and retried; they do not end Run.
func (d *Deliverer) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	d.mu.Lock()
	d.queues = map[subscriptions.Chat]chan Entry{}
	d.flying = map[string]bool{}
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
	if d.opts.Held != nil {
		g.Go(func() error { d.releaseLoop(ctx); return nil })
	}
	bell := d.o.rdb.Subscribe(ctx, d.o.bell())
	defer bell.Close()
	rings := bell.Channel()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	streams := d.o.StreamKeys()
	// Our own pending entries first: a restart resumes what it had.
	start := make([]string, len(streams))
	for i := range start {
		start[i] = "0"
	}
	lastReclaim, lastPrune := time.Time{}, time.Now()
	for ctx.Err() == nil {
		if time.Since(lastReclaim) > d.opts.ReclaimIdle/2 {
			lastReclaim = time.Now()
			d.refresh(ctx)
			for _, s := range streams {
				d.reclaim(ctx, g, s)
			}
		}
		if time.Since(lastPrune) > 10*time.Minute {
			lastPrune = time.Now()
			for _, s := range streams {
				d.pruneConsumers(ctx, s)
			}
		}
		n, err := d.sweep(ctx, g, streams, start)
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
		if n > 0 {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
		case <-rings:
		case <-tick.C:
		}
	}
	return g.Wait()
}

// sweep reads what waits in every partition (one pipelined round trip) and
// dispatches it; it returns how many entries it read.
func (d *Deliverer) sweep(ctx context.Context, g *errgroup.Group, streams, start []string) (int, error) {
	cmds := make([]*redis.XStreamSliceCmd, len(streams))
	_, err := d.o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, s := range streams {
			cmds[i] = p.XReadGroup(ctx, &redis.XReadGroupArgs{
				Group: Group, Consumer: d.opts.Consumer, Streams: []string{s, start[i]}, Count: 200, Block: -1,
			})
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, err
	}
	n := 0
	for i, c := range cmds {
		res, err := c.Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return n, err
		}
		got := 0
		for _, s := range res {
			for _, m := range s.Messages {
				got++
				recovery.Guard(d.log, d.opts.Metrics, "deliver", func() { d.dispatch(ctx, g, streams[i], m) },
					"stream", streams[i], "entry", m.ID)
			}
		}
		if start[i] == "0" && got == 0 {
			start[i] = ">" // own backlog drained
		}
		n += got
	}
	return n, nil
}

// dispatch hands an entry to its chat's queue, starting the chat's worker
// when it has none. Each chat's alerts go out in order, one batch at a time.
func (d *Deliverer) dispatch(ctx context.Context, g *errgroup.Group, stream string, m redis.XMessage) {
	d.dispatchEntry(ctx, g, stream, m, false)
}

func (d *Deliverer) dispatchEntry(ctx context.Context, g *errgroup.Group, stream string, m redis.XMessage, reclaimed bool) {
	e, err := decodeEntry(stream, m)
	e.Reclaimed = reclaimed
	if err != nil {
		d.log.Error("delivery: dropping malformed entry", "entry", m.ID, "err", err)
		d.ackEntries(ctx, []Entry{e})
		return
	}
	if d.inFlight(e) {
		return // already queued here (a reclaim of our own entry)
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
	default:
		// The chat's queue is full (a huge backlog for one chat): leave the
		// entry pending; the reaper offers it again after ReclaimIdle, and
		// the other chats' deliveries go on meanwhile.
		d.done(e)
	}
}

// digestGather is how long a chat's worker waits for the rest of a release
// from quiet hours or a digest before sending what it has.
const digestGather = 500 * time.Millisecond

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
		if first.Digest || len(q) >= d.opts.BacklogLimit {
			max = digestSize // a release or a backlog: merge into a digest
		}
		// A release is queued as a whole; give its entries a moment to
		// arrive so that they make one digest.
		var gather <-chan time.Time
		if first.Digest {
			gather = time.After(digestGather)
		}
	drain:
		for len(batch) < max {
			if gather == nil {
				select {
				case e := <-q:
					batch = append(batch, e)
					continue
				default:
					break drain
				}
			}
			select {
			case e := <-q:
				batch = append(batch, e)
			case <-gather:
				break drain
			case <-ctx.Done():
				break drain
			}
		}
		d.deliverGuarded(ctx, chat, p, batch)
		for _, e := range batch {
			d.done(e) // delivered, dropped, or left pending for a later try
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(idle)
	}
}

// ackEntries acknowledges and deletes entries, stream by stream.
func (d *Deliverer) ackEntries(ctx context.Context, es []Entry) {
	if len(es) == 0 {
		return
	}
	byStream := map[string][]string{}
	for _, e := range es {
		if e.ID != "" {
			byStream[e.Stream] = append(byStream[e.Stream], e.ID)
		}
		d.done(e)
	}
	ctx = context.WithoutCancel(ctx)
	_, err := d.o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for s, ids := range byStream {
			p.XAck(ctx, s, Group, ids...)
			p.XDel(ctx, s, ids...)
		}
		return nil
	})
	if err != nil {
		d.log.Warn("delivery: cannot acknowledge; the alerts may be checked again", "err", err)
	}
}

// inFlight reports whether e is already queued or being sent by this
// process, and marks it so otherwise.
func (d *Deliverer) inFlight(e Entry) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := e.Stream + "/" + e.ID
	if d.flying[k] {
		return true
	}
	d.flying[k] = true
	return false
}

// done forgets that e is in flight.
func (d *Deliverer) done(e Entry) {
	d.mu.Lock()
	delete(d.flying, e.Stream+"/"+e.ID)
	d.mu.Unlock()
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
