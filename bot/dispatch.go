package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// ErrDispatcherStopped is returned by Submit once the dispatcher's Run has
// ended.
var ErrDispatcherStopped = errors.New("dispatcher stopped")

// DispatcherOptions size a Dispatcher. Zero values take the defaults.
type DispatcherOptions struct {
	// Workers is how many jobs run at once across all chats (default 32).
	Workers int
	// PerChat is how many jobs one chat may have waiting before Submit for
	// that chat blocks (default 256).
	PerChat int
	// MaxQueued is how many jobs may wait in all before Submit blocks
	// (default 8192).
	MaxQueued int
	// Logger receives recovered panics (default: discard).
	Logger *slog.Logger
}

// Dispatcher runs the commands of many chats: jobs of one chat run one at
// a time in the order they were submitted, jobs of different chats run
// concurrently on a bounded pool of workers. Queues are bounded: when a
// chat's queue or the whole dispatcher is full, Submit waits (back-pressure)
// instead of dropping the job. Chats take turns: a worker runs one job of a
// chat and then serves the next chat waiting, so a chat with many commands
// does not starve the others. The zero value is not usable; use
// NewDispatcher and run it with Run. Its methods are safe for concurrent use.
type Dispatcher struct {
	opts DispatcherOptions
	log  *slog.Logger

	panics atomic.Int64

	mu      sync.Mutex
	chats   map[string]*chatQueue
	ready   []string // chats with a job waiting and none running, oldest first
	queued  int
	running int
	stopped bool
	work    chan struct{} // closed and replaced when a chat becomes ready
	space   chan struct{} // closed and replaced when a queued job starts
}

type chatQueue struct {
	jobs []func(context.Context)
	busy bool
}

// NewDispatcher builds a dispatcher; nothing runs until Run.
func NewDispatcher(opts DispatcherOptions) *Dispatcher {
	if opts.Workers <= 0 {
		opts.Workers = 32
	}
	if opts.PerChat <= 0 {
		opts.PerChat = 256
	}
	if opts.MaxQueued <= 0 {
		opts.MaxQueued = 8192
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Dispatcher{opts: opts, log: opts.Logger, chats: map[string]*chatQueue{},
		work: make(chan struct{}), space: make(chan struct{})}
}

// Submit queues job for chat (any string naming the conversation whose
// order matters). It waits while the chat's queue or the dispatcher is
// full, and returns ctx's error if ctx ends first, or ErrDispatcherStopped
// once Run has returned; in both cases job will not run. job receives Run's
// context.
func (d *Dispatcher) Submit(ctx context.Context, chat string, job func(ctx context.Context)) error {
	for {
		d.mu.Lock()
		if d.stopped {
			d.mu.Unlock()
			return ErrDispatcherStopped
		}
		q := d.chats[chat]
		if (q == nil || len(q.jobs) < d.opts.PerChat) && d.queued < d.opts.MaxQueued {
			if q == nil {
				q = &chatQueue{}
				d.chats[chat] = q
			}
			q.jobs = append(q.jobs, job)
			d.queued++
			if !q.busy && len(q.jobs) == 1 {
				d.markReadyLocked(chat)
			}
			d.mu.Unlock()
			return nil
		}
		space := d.space
		d.mu.Unlock()
		select {
		case <-space:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (d *Dispatcher) markReadyLocked(chat string) {
	d.ready = append(d.ready, chat)
	close(d.work)
	d.work = make(chan struct{})
}

// Queued is the number of jobs waiting to start.
func (d *Dispatcher) Queued() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.queued
}

// Panics is the number of jobs that panicked (recovered and logged).
func (d *Dispatcher) Panics() int64 { return d.panics.Load() }

// Run runs jobs on Workers goroutines until ctx ends, then waits for the
// jobs under way (they see ctx cancelled) and returns. Jobs still waiting
// are dropped: a caller that must not lose them keeps them durably until
// they ran (the Telegram adapter keeps accepted updates in Redis).
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range d.opts.Workers {
		wg.Go(func() { d.worker(ctx) })
	}
	wg.Wait()
	d.mu.Lock()
	d.stopped = true
	d.chats, d.ready, d.queued = map[string]*chatQueue{}, nil, 0
	close(d.space)
	d.space = make(chan struct{})
	d.mu.Unlock()
}

func (d *Dispatcher) worker(ctx context.Context) {
	for {
		chat, job, ok := d.next(ctx)
		if !ok {
			return
		}
		d.run(ctx, chat, job)
		d.finish(chat)
	}
}

// next takes the oldest ready chat's first job, waiting for one.
func (d *Dispatcher) next(ctx context.Context) (string, func(context.Context), bool) {
	for {
		d.mu.Lock()
		if ctx.Err() != nil {
			d.mu.Unlock()
			return "", nil, false
		}
		if len(d.ready) > 0 {
			chat := d.ready[0]
			d.ready = d.ready[1:]
			q := d.chats[chat]
			job := q.jobs[0]
			q.jobs[0] = nil
			q.jobs = q.jobs[1:]
			q.busy = true
			d.queued--
			d.running++
			close(d.space)
			d.space = make(chan struct{})
			d.mu.Unlock()
			return chat, job, true
		}
		work := d.work
		d.mu.Unlock()
		select {
		case <-work:
		case <-ctx.Done():
		}
	}
}

// finish puts the chat back in line when more of its jobs wait.
func (d *Dispatcher) finish(chat string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.running--
	q := d.chats[chat]
	q.busy = false
	if len(q.jobs) > 0 {
		d.markReadyLocked(chat)
		return
	}
	delete(d.chats, chat)
}

// run runs one job, recovering a panic.
func (d *Dispatcher) run(ctx context.Context, chat string, job func(context.Context)) {
	defer func() {
		if r := recover(); r != nil {
			d.panics.Add(1)
			d.log.ErrorContext(ctx, "command handler panicked", "chat", chat, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	job(ctx)
}
