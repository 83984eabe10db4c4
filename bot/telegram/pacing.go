package telegram

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Telegram's published limits
// (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// about one message a second in a private chat (short bursts allowed), 20 a
// minute in a group or channel, 30 a second for the whole bot. A token
// bucket of burst b and rate r lets through at most b + r·T messages in any
// window T, so the rates leave room for the bursts: 3 + 17 = 20 in any
// minute for a group, 1 + 29 = 30 in any second for the bot. The private
// interval carries a small margin so that network jitter does not turn a
// paced stream into 429s.
const (
	privateInterval = time.Second + 50*time.Millisecond
	privateBurst    = 3
	groupInterval   = time.Minute / 17
	groupBurst      = 3
	globalPerSecond = 29
	// A chat limiter idle this long is full again and can be forgotten.
	privateIdle = privateBurst * privateInterval * 2
	groupIdle   = 2 * time.Minute
	sweepEvery  = time.Minute
	// Two chats refused within this window means the bot-wide limit was
	// hit, not one chat's.
	globalWindow = time.Second
)

// pacer holds the token buckets: one for the bot, one per chat, created on
// first use and evicted when idle, so memory follows the chats active in the
// last few minutes. After a 429 it holds the chat (or the whole bot) until
// the retry_after passed.
type pacer struct {
	now    func() time.Time
	global *rate.Limiter

	mu         sync.Mutex
	globalHold time.Time
	chats      map[string]*chatPace
	lastSweep  time.Time
	last429    string // chat of the most recent 429
	last429At  time.Time
}

type chatPace struct {
	lim   *rate.Limiter
	group bool
	hold  time.Time
	last  time.Time // last use
	users int       // senders currently waiting on or using it
}

func newPacer(now func() time.Time) *pacer {
	return &pacer{
		now:    now,
		global: rate.NewLimiter(rate.Limit(globalPerSecond), 1),
		chats:  map[string]*chatPace{},
	}
}

// isGroupID reports whether a Telegram chat id names a group, supergroup or
// channel (negative ids, or @channel usernames) rather than a private chat.
func isGroupID(chatID string) bool {
	return strings.HasPrefix(chatID, "-") || strings.HasPrefix(chatID, "@")
}

// wait blocks until one message may go to chatID, or ctx ends.
func (p *pacer) wait(ctx context.Context, chatID string) error {
	cp := p.acquire(chatID)
	defer p.release(cp)
	if err := p.waitHold(ctx, func() time.Time { return cp.hold }); err != nil {
		return err
	}
	if err := p.take(ctx, cp.lim); err != nil {
		return err
	}
	if err := p.waitHold(ctx, func() time.Time { return p.globalHold }); err != nil {
		return err
	}
	return p.take(ctx, p.global)
}

func (p *pacer) acquire(chatID string) *chatPace {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Sub(p.lastSweep) >= sweepEvery {
		p.sweepLocked(now)
	}
	cp, ok := p.chats[chatID]
	if !ok {
		cp = &chatPace{group: isGroupID(chatID)}
		if cp.group {
			cp.lim = rate.NewLimiter(rate.Every(groupInterval), groupBurst)
		} else {
			cp.lim = rate.NewLimiter(rate.Every(privateInterval), privateBurst)
		}
		p.chats[chatID] = cp
	}
	cp.users++
	cp.last = now
	return cp
}

func (p *pacer) release(cp *chatPace) {
	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	cp.users--
	cp.last = now
}

// sweepLocked forgets chat limiters nobody uses that have refilled.
func (p *pacer) sweepLocked(now time.Time) {
	p.lastSweep = now
	for id, cp := range p.chats {
		idle := privateIdle
		if cp.group {
			idle = groupIdle
		}
		if cp.users == 0 && now.Sub(cp.last) > idle && !now.Before(cp.hold) {
			delete(p.chats, id)
		}
	}
}

// size is the number of chat limiters held.
func (p *pacer) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.chats)
}

// waitHold sleeps until the hold hold() returns has passed. A hold extended
// while sleeping is waited for too; each hold is slept at most once, so a
// stopped test clock cannot loop.
func (p *pacer) waitHold(ctx context.Context, hold func() time.Time) error {
	var slept time.Time
	for {
		p.mu.Lock()
		h := hold()
		p.mu.Unlock()
		d := h.Sub(p.now())
		if d <= 0 || h.Equal(slept) {
			return nil
		}
		if err := sleep(ctx, d); err != nil {
			return err
		}
		slept = h
	}
}

// take waits for a token from lim.
func (p *pacer) take(ctx context.Context, lim *rate.Limiter) error {
	now := p.now()
	r := lim.ReserveN(now, 1)
	if !r.OK() {
		return context.DeadlineExceeded // burst < 1 never happens with our limiters
	}
	d := r.DelayFrom(now)
	if d <= 0 {
		return nil
	}
	if err := sleep(ctx, d); err != nil {
		r.CancelAt(p.now())
		return err
	}
	return nil
}

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

// limited records a 429 for chatID asking to wait after: the chat is held
// until then, and so is the whole bot when another chat was refused within
// the last second (Telegram does not say which limit was hit; refusals
// across chats mean the bot-wide one). It reports whether the limit is
// taken to be global.
func (p *pacer) limited(chatID string, after time.Duration) bool {
	now := p.now()
	until := now.Add(after)
	p.mu.Lock()
	defer p.mu.Unlock()
	if cp, ok := p.chats[chatID]; ok && until.After(cp.hold) {
		cp.hold = until
	}
	global := p.last429 != "" && p.last429 != chatID && now.Sub(p.last429At) < globalWindow
	p.last429, p.last429At = chatID, now
	if global && until.After(p.globalHold) {
		p.globalHold = until
	}
	return global
}
