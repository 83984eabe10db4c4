package discord

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Pacing numbers. Discord allows 50 requests per second per bot and 10,000
// invalid requests (401, 403, 429) per 10 minutes per IP before a temporary
// ban; the adapter stays well below both.
const (
	globalRate       = 40 // requests per second, burst globalBurst: at most 45 in any second
	globalBurst      = 5
	invalidWindow    = 10 * time.Minute
	invalidThreshold = 1000
	maxBuckets       = 4096
)

// bucket is one Discord rate-limit bucket as the headers describe it. One
// request at a time runs in a bucket, so that the headers of each answer are
// known before the next request is sent.
type bucket struct {
	major     string
	sem       chan struct{}
	known     bool // limit, remaining and reset come from headers
	limit     int
	remaining int
	reset     time.Time
	lastUsed  time.Time
}

// pacer keeps the buckets, the global limit and the invalid-request count.
type pacer struct {
	now    func() time.Time
	global *rate.Limiter

	mu          sync.Mutex
	hashes      map[string]string // route -> X-RateLimit-Bucket
	buckets     map[string]*bucket
	globalUntil time.Time
	invalid     []time.Time // times of invalid requests in the last window, oldest first
	tripped     bool        // the invalid-request breaker is open (logged once)
}

func newPacer(now func() time.Time) *pacer {
	return &pacer{
		now:     now,
		global:  rate.NewLimiter(globalRate, globalBurst),
		hashes:  map[string]string{},
		buckets: map[string]*bucket{},
	}
}

// bucketFor returns the bucket of route (a method and path template) and its
// major parameter, keyed by Discord's bucket hash once one was seen.
func (p *pacer) bucketFor(route, major string) *bucket {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := "route:" + route
	if h, ok := p.hashes[route]; ok {
		key = "hash:" + h
	}
	key += "|" + major
	b := p.buckets[key]
	if b == nil {
		if len(p.buckets) >= maxBuckets {
			p.pruneLocked()
		}
		b = &bucket{major: major, sem: make(chan struct{}, 1)}
		p.buckets[key] = b
	}
	b.lastUsed = p.now()
	return b
}

// pruneLocked forgets idle buckets whose window has passed.
func (p *pacer) pruneLocked() {
	now := p.now()
	for k, b := range p.buckets {
		if len(b.sem) == 0 && now.After(b.reset) && now.Sub(b.lastUsed) > time.Minute {
			delete(p.buckets, k)
		}
	}
}

// acquire waits, bounded by ctx, until a request may be sent in b: the
// bucket is free and not exhausted, no global 429 is in force and the
// global limiter allows it. The caller must release b.
func (p *pacer) acquire(ctx context.Context, b *bucket, exemptGlobal bool) error {
	select {
	case b.sem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	for {
		p.mu.Lock()
		now := p.now()
		var wait time.Duration
		bucketWait := false
		if b.known && b.remaining <= 0 && now.Before(b.reset) {
			wait, bucketWait = b.reset.Sub(now), true
		}
		if !exemptGlobal && now.Before(p.globalUntil) {
			if g := p.globalUntil.Sub(now); g > wait {
				wait, bucketWait = g, false
			}
		}
		p.mu.Unlock()
		if wait <= 0 {
			break
		}
		if err := sleep(ctx, wait); err != nil {
			<-b.sem
			return err
		}
		// The wait covered the reset: count the bucket as refilled rather
		// than reading the clock again (which a test clock may hold still).
		p.mu.Lock()
		if bucketWait {
			b.remaining = max(b.limit, 1)
		} else {
			p.globalUntil = time.Time{}
		}
		p.mu.Unlock()
	}
	if !exemptGlobal {
		if err := p.global.Wait(ctx); err != nil {
			<-b.sem
			return err
		}
	}
	p.mu.Lock()
	if b.known && b.remaining > 0 {
		b.remaining--
	}
	p.mu.Unlock()
	return nil
}

// release records what an answer's headers say about the bucket and frees it.
// retryAfter and global come from a 429 (zero otherwise).
func (p *pacer) release(b *bucket, route string, h http.Header, retryAfter time.Duration, global bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	if h != nil {
		if hash := h.Get("X-RateLimit-Bucket"); hash != "" && p.hashes[route] != hash {
			// From now on the route's buckets are keyed by Discord's hash;
			// this one carries its state over.
			old := "route:" + route + "|" + b.major
			if p.hashes[route] != "" {
				old = "hash:" + p.hashes[route] + "|" + b.major
			}
			if p.buckets[old] == b {
				delete(p.buckets, old)
			}
			p.hashes[route] = hash
			if key := "hash:" + hash + "|" + b.major; p.buckets[key] == nil {
				p.buckets[key] = b
			}
		}
		limit, errL := strconv.Atoi(h.Get("X-RateLimit-Limit"))
		remaining, errR := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
		after, errA := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
		if errL == nil && errR == nil && errA == nil && after >= 0 {
			b.known, b.limit, b.remaining = true, limit, remaining
			b.reset = now.Add(time.Duration(after * float64(time.Second)))
		}
	}
	if retryAfter > 0 {
		if global {
			if until := now.Add(retryAfter); until.After(p.globalUntil) {
				p.globalUntil = until
			}
		} else {
			b.known = true
			b.remaining = 0
			if until := now.Add(retryAfter); until.After(b.reset) {
				b.reset = until
			}
		}
	}
	<-b.sem
}

// noteInvalid counts an invalid request (401, 403, or a 429 that is not
// shared-scope) and reports whether the breaker just opened.
func (p *pacer) noteInvalid() (tripped bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.invalid = append(p.invalid, now)
	p.pruneInvalidLocked(now)
	if len(p.invalid) >= invalidThreshold && !p.tripped {
		p.tripped = true
		return true
	}
	return false
}

// blocked reports whether too many invalid requests were made recently, and
// how long until enough of them leave the window.
func (p *pacer) blocked() (bool, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.pruneInvalidLocked(now)
	if len(p.invalid) < invalidThreshold {
		p.tripped = false
		return false, 0
	}
	oldest := p.invalid[len(p.invalid)-invalidThreshold]
	return true, oldest.Add(invalidWindow).Sub(now)
}

func (p *pacer) pruneInvalidLocked(now time.Time) {
	cut := now.Add(-invalidWindow)
	i := 0
	for i < len(p.invalid) && !p.invalid[i].After(cut) {
		i++
	}
	if i > 0 {
		p.invalid = append(p.invalid[:0], p.invalid[i:]...)
	}
	if n := len(p.invalid); n > 2*invalidThreshold {
		p.invalid = append(p.invalid[:0], p.invalid[n-2*invalidThreshold:]...)
	}
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
