package slack

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// pacer keeps the adapter within Slack's limits before it asks: about one
// message a second per channel, a global cap on chat.postMessage, the
// published tier of every other method, and, after a 429, that method's
// Retry-After. Waiting is bounded by the caller's context; nothing spins.
type pacer struct {
	channelGap time.Duration
	global     *rate.Limiter

	mu       sync.Mutex
	channels map[string]time.Time // channel -> earliest next post
	tiers    map[string]*rate.Limiter
	blocked  map[string]time.Time // method -> until (Retry-After)
}

// Web API tiers (requests per minute, from Slack's rate-limit docs) of the
// methods the adapter calls, kept a little under the published rate.
var methodTiers = map[string]rate.Limit{
	"auth.test":             rate.Every(time.Second),             // special, generous
	"chat.update":           rate.Every(1300 * time.Millisecond), // tier 3: 50+/min
	"users.info":            rate.Every(650 * time.Millisecond),  // tier 4: 100+/min
	"conversations.info":    rate.Every(1300 * time.Millisecond), // tier 3
	"views.publish":         rate.Every(650 * time.Millisecond),  // tier 4
	"conversations.history": rate.Every(1300 * time.Millisecond), // tier 3
}

func newPacer(globalPerSecond float64, channelGap time.Duration) *pacer {
	p := &pacer{channelGap: channelGap, global: rate.NewLimiter(rate.Limit(globalPerSecond), max(1, int(globalPerSecond))),
		channels: map[string]time.Time{}, tiers: map[string]*rate.Limiter{}, blocked: map[string]time.Time{}}
	for m, r := range methodTiers {
		p.tiers[m] = rate.NewLimiter(r, 10)
	}
	return p
}

// wait blocks until method may be called (for channel, when it posts).
func (p *pacer) wait(ctx context.Context, method, channel string) error {
	if err := p.waitBlocked(ctx, method); err != nil {
		return err
	}
	if method == "chat.postMessage" && channel != "" {
		if err := p.waitChannel(ctx, channel); err != nil {
			return err
		}
		return p.global.Wait(ctx)
	}
	if l := p.tiers[method]; l != nil {
		return l.Wait(ctx)
	}
	return nil
}

func (p *pacer) waitBlocked(ctx context.Context, method string) error {
	for {
		p.mu.Lock()
		until := p.blocked[method]
		p.mu.Unlock()
		d := time.Until(until)
		if d <= 0 {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// waitChannel reserves the channel's next slot and sleeps until it.
func (p *pacer) waitChannel(ctx context.Context, channel string) error {
	p.mu.Lock()
	now := time.Now()
	at := p.channels[channel]
	if at.Before(now) {
		at = now
	}
	p.channels[channel] = at.Add(p.channelGap)
	if len(p.channels) > 4096 {
		for ch, t := range p.channels {
			if t.Before(now) {
				delete(p.channels, ch)
			}
		}
	}
	p.mu.Unlock()
	return sleep(ctx, time.Until(at))
}

// retryAfter records a 429 on method (for channel, when it posts): no call
// of it leaves before d has passed.
func (p *pacer) retryAfter(method, channel string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	until := time.Now().Add(d)
	if method == "chat.postMessage" && channel != "" {
		if p.channels[channel].Before(until) {
			p.channels[channel] = until
		}
		return
	}
	if p.blocked[method].Before(until) {
		p.blocked[method] = until
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
