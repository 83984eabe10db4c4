package fetch

import (
	"context"
	"sync"

	"golang.org/x/sync/semaphore"
)

// hostLimiter bounds concurrent requests per host name. Entries exist only
// while some request holds or waits for a slot, so polling thousands of
// hosts does not grow the map without bound.
type hostLimiter struct {
	limit int64

	mu    sync.Mutex
	hosts map[string]*hostSlots
}

type hostSlots struct {
	sem   *semaphore.Weighted
	users int // holders plus waiters; guarded by hostLimiter.mu
}

func newHostLimiter(limit int) *hostLimiter {
	return &hostLimiter{limit: int64(limit), hosts: make(map[string]*hostSlots)}
}

// acquire waits for a slot for host, in FIFO order, or until ctx is done.
// On success the caller must call the returned release exactly once.
func (l *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	l.mu.Lock()
	s := l.hosts[host]
	if s == nil {
		s = &hostSlots{sem: semaphore.NewWeighted(l.limit)}
		l.hosts[host] = s
	}
	s.users++
	l.mu.Unlock()

	if err := s.sem.Acquire(ctx, 1); err != nil {
		l.leave(host, s)
		return nil, err
	}
	return func() {
		s.sem.Release(1)
		l.leave(host, s)
	}, nil
}

func (l *hostLimiter) leave(host string, s *hostSlots) {
	l.mu.Lock()
	s.users--
	if s.users == 0 {
		delete(l.hosts, host)
	}
	l.mu.Unlock()
}

// size reports how many hosts currently have holders or waiters.
func (l *hostLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hosts)
}

// acquire takes a slot for host and then a global slot, so that requests
// queued behind a busy host do not hold global slots while they wait.
func (f *Fetcher) acquire(ctx context.Context, host string) (release func(), err error) {
	releaseHost, err := f.hosts.acquire(ctx, host)
	if err != nil {
		return nil, err
	}
	if err := f.global.Acquire(ctx, 1); err != nil {
		releaseHost()
		return nil, err
	}
	return func() {
		f.global.Release(1)
		releaseHost()
	}, nil
}
