package sources

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/sources/fetch"
)

// Fetcher performs one HTTP GET; *fetch.Fetcher implements it.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

// StorySink receives the new stories of one poll together with the update
// of the source's seen set, and must apply both atomically: queued alerts
// and seen marks land together or not at all. An error leaves the stories
// unseen, so the next poll offers them again.
type StorySink interface {
	Stories(ctx context.Context, src Source, stories []Story, mark SeenMark) error
}

// Notifier tells a source's admins about a change they must know of (the
// source failing, recovering, gone).
type Notifier interface {
	SourceNotice(ctx context.Context, src Source, text string)
}

// WatcherOptions configure a Watcher.
type WatcherOptions struct {
	MinInterval      time.Duration // NEWSALERT_MIN_POLL_INTERVAL
	MaxItemAge       time.Duration // NEWSALERT_MAX_ITEM_AGE: older new items are not alerted
	FailureThreshold int           // NEWSALERT_FAILURE_THRESHOLD
	MaxItems         int           // NEWSALERT_MAX_ITEMS
	MaxNewItems      int           // NEWSALERT_MAX_NEW_ITEMS: new items taken per poll (default 50)
	Workers          int           // concurrent polls (default 64)
	Lease            time.Duration // how long a claimed source is ours (default 2m)
	// Holder, when set, names this process's claims: a stable name no two
	// live processes share (see Registry.ClaimAs). Run first gives back
	// the claims a dead process of the same name left, so that a restart
	// polls them at once instead of after their lease.
	Holder     string
	MaxBackoff time.Duration // ceiling of the failure backoff (default 6h)
	Now        func() time.Time
	Logger     *slog.Logger
	// Stories turns items into stories (defaults to a StoryBuilder with
	// default options).
	Stories *StoryBuilder
	// Metrics counts polls; nil counts nothing.
	Metrics *metrics.Metrics
}

// Watcher polls due sources and hands new stories to a sink. Any number of
// watchers may run on one Redis: each due source is claimed by one.
type Watcher struct {
	reg     *Registry
	seen    *Seen
	fetcher Fetcher
	sink    StorySink
	notify  Notifier
	opts    WatcherOptions
	log     *slog.Logger

	mu      sync.Mutex
	running map[int64]bool
}

// NewWatcher builds a watcher. notify may be nil.
func NewWatcher(reg *Registry, seen *Seen, f Fetcher, sink StorySink, notify Notifier, opts WatcherOptions) *Watcher {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Workers <= 0 {
		opts.Workers = 64
	}
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = 6 * time.Hour
	}
	if opts.FailureThreshold <= 0 {
		opts.FailureThreshold = 10
	}
	if opts.MaxNewItems <= 0 {
		opts.MaxNewItems = 50
	}
	if opts.MaxItemAge <= 0 {
		opts.MaxItemAge = 48 * time.Hour
	}
	if opts.Stories == nil {
		opts.Stories = NewStoryBuilder(StoryOptions{})
	}
	return &Watcher{reg: reg, seen: seen, fetcher: f, sink: sink, notify: notify, opts: opts,
		log: opts.Logger, running: map[int64]bool{}}
}

// Run polls due sources until ctx is done, then waits for the polls under
// way (they are bounded by the fetch deadline) and returns nil. Errors
// reaching Redis are logged and retried with backoff; they do not end Run.
func (w *Watcher) Run(ctx context.Context) error {
	if w.opts.Holder != "" {
		n, err := w.reg.ReleaseClaims(ctx, w.opts.Holder, w.opts.Now())
		if err != nil && ctx.Err() == nil {
			w.log.Warn("watcher: cannot release the claims of a previous run; they expire with their lease", "err", err)
		} else if n > 0 {
			w.log.Info("watcher: sources claimed by this instance before a restart are due again", "sources", n)
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	slots := make(chan struct{}, w.opts.Workers)
	// finished wakes the loop when a poll ends: the source's next due time
	// is known only then (while polled, it is due when its lease ends).
	finished := make(chan struct{}, 1)
	idle := 50 * time.Millisecond
	for {
		free := cap(slots) - len(slots)
		var ids []int64
		if free > 0 {
			var err error
			ids, err = w.claim(gctx, free)
			if err != nil && gctx.Err() == nil {
				w.log.Warn("watcher: cannot claim sources; retrying", "err", err, "in", idle.String())
			}
		}
		for _, id := range ids {
			slots <- struct{}{}
			g.Go(func() error {
				defer func() { <-slots }()
				// Poll recovers its own panics; this catches the rest (the
				// source's lease runs out and it is claimed again).
				recovery.Guard(w.log, w.opts.Metrics, "poll", func() { w.pollID(gctx, id) }, "source_id", id)
				select {
				case finished <- struct{}{}:
				default:
				}
				return nil
			})
		}
		wait := w.untilNextDue(gctx)
		if len(ids) > 0 {
			wait = 0
		}
		select {
		case <-gctx.Done():
			return g.Wait()
		case <-finished:
		case <-time.After(wait):
		}
	}
}

// claim takes up to n due sources, under the holder's name when set.
func (w *Watcher) claim(ctx context.Context, n int) ([]int64, error) {
	if w.opts.Holder != "" {
		return w.reg.ClaimAs(ctx, w.opts.Holder, w.opts.Now(), w.opts.Lease, n)
	}
	return w.reg.Claim(ctx, w.opts.Now(), w.opts.Lease, n)
}

// untilNextDue is how long to sleep before claiming again: until the next
// source is due, at most a second (sources added by other processes become
// due at once), at least 20ms.
func (w *Watcher) untilNextDue(ctx context.Context) time.Duration {
	const lo, hi = 20 * time.Millisecond, time.Second
	t, ok, err := w.reg.NextDue(ctx)
	if err != nil || !ok {
		return hi
	}
	d := t.Sub(w.opts.Now())
	return min(max(d, lo), hi)
}

func (w *Watcher) pollID(ctx context.Context, id int64) {
	w.mu.Lock()
	if w.running[id] {
		w.mu.Unlock()
		return
	}
	w.running[id] = true
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.running, id)
		w.mu.Unlock()
	}()
	src, err := w.reg.Get(ctx, id)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			w.log.Warn("watcher: cannot load source", "source_id", id, "err", err)
		}
		return
	}
	if src.State != Active && src.State != Failing {
		return
	}
	if _, err := w.Poll(ctx, src); err != nil && ctx.Err() == nil {
		w.log.Debug("watcher: poll failed", "source_id", id, "err", err)
	}
}

// nextAfterSuccess computes when a source is due again: its interval in
// force (Source.InForce: its interval, no sooner than the minimum, the
// feed's <ttl> or the server's max-age, each capped at a day), with ±10%
// jitter so sources do not fire in lockstep.
func (w *Watcher) nextAfterSuccess(now time.Time, src Source) time.Time {
	return now.Add(jitter(src.InForce(w.opts.MinInterval)))
}

// InForce is the interval src is polled at (see Source.InForce).
func (w *Watcher) InForce(src Source) time.Duration { return src.InForce(w.opts.MinInterval) }

// nextAfterFailure backs off exponentially from the interval up to the
// ceiling, and honours Retry-After.
func (w *Watcher) nextAfterFailure(now time.Time, src Source, retryAfter time.Duration) time.Time {
	d := max(src.Interval, w.opts.MinInterval)
	for i := 1; i < src.Failures && d < w.opts.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, w.opts.MaxBackoff)
	d = max(d, min(retryAfter, 24*time.Hour))
	return now.Add(jitter(d))
}

func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	span := int64(d / 10)
	if span <= 0 {
		return d
	}
	return d - time.Duration(span) + time.Duration(rand.Int64N(2*span+1))
}
