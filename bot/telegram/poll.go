package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
)

// scripts are the Redis scripts of the polling lease and offset.
type scripts struct {
	acquire, renew, release, advance *redis.Script
}

func newScripts() scripts {
	return scripts{
		// Take the lease, or keep it when this process already holds it (a
		// restart with the same ProcessID).
		acquire: redis.NewScript(`
local v = redis.call("GET", KEYS[1])
if v == ARGV[1] then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  return 1
end
if v then return 0 end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
return 1`),
		renew: redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("PEXPIRE", KEYS[1], ARGV[2])
end
return 0`),
		release: redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`),
		// The offset only moves forward, whoever writes it.
		advance: redis.NewScript(`
local v = tonumber(redis.call("GET", KEYS[1]) or "0")
if tonumber(ARGV[1]) > v then
  redis.call("SET", KEYS[1], ARGV[1])
  return 1
end
return 0`),
	}
}

// Serve receives updates and answers commands through h until ctx ends. In
// webhook mode it hands h to WebhookHandler and waits; otherwise it long
// polls getUpdates while it holds the Redis polling lease (other processes
// wait and take over when the holder stops). It returns nil when ctx ends
// and an error only when Telegram rejects the token.
func (a *Adapter) Serve(ctx context.Context, h bot.Handler) error {
	rep := newReplies(ctx, a)
	defer rep.wait()
	if a.webhookURL != "" {
		a.mu.Lock()
		a.handler, a.replies = h, rep
		a.mu.Unlock()
		<-ctx.Done()
		a.mu.Lock()
		a.handler, a.replies = nil, nil
		a.mu.Unlock()
		return nil
	}
	retry := a.leaseTTL / 3
	waiting := false
	for ctx.Err() == nil {
		held, err := a.scripts.acquire.Run(ctx, a.rdb, []string{a.keys.poller}, a.processID, a.leaseTTL.Milliseconds()).Int()
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.WarnContext(ctx, "telegram polling lease: Redis failed", "err", err)
		case held == 1:
			waiting = false
			a.log.InfoContext(ctx, "telegram polling lease acquired", "process_id", a.processID)
			err := a.pollWhileLeased(ctx, h, rep)
			a.releaseLease(ctx)
			if err != nil {
				return err
			}
			// Lease lost or Redis failing: pause before trying again.
		case !waiting:
			waiting = true
			a.log.InfoContext(ctx, "telegram updates are polled by another process; waiting for the lease", "process_id", a.processID)
		}
		if sleep(ctx, retry) != nil {
			break
		}
	}
	return nil
}

func (a *Adapter) releaseLease(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := a.scripts.release.Run(ctx, a.rdb, []string{a.keys.poller}, a.processID).Err(); err != nil {
		a.log.WarnContext(ctx, "telegram polling lease: release failed", "err", err)
	}
}

// pollWhileLeased polls getUpdates until ctx ends or the lease is lost; a
// renewal goroutine keeps the lease and cancels polling when it cannot.
func (a *Adapter) pollWhileLeased(ctx context.Context, h bot.Handler, rep *replies) error {
	leaseCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer cancel()
		for sleep(leaseCtx, a.leaseTTL/3) == nil {
			ok, err := a.scripts.renew.Run(leaseCtx, a.rdb, []string{a.keys.poller}, a.processID, a.leaseTTL.Milliseconds()).Int()
			if leaseCtx.Err() != nil {
				return
			}
			if err != nil || ok != 1 {
				a.log.WarnContext(leaseCtx, "telegram polling lease lost; stopping polling", "err", err)
				return
			}
		}
	}()
	defer func() {
		cancel()
		wg.Wait()
	}()
	return a.pollLoop(leaseCtx, h, rep)
}

// Backoff after failed polls: doubling from pollBackoffMin to
// pollBackoffMax.
const (
	pollBackoffMin    = time.Second
	pollBackoffMax    = 30 * time.Second
	defaultRetryAfter = 5 * time.Second
)

func (a *Adapter) pollLoop(ctx context.Context, h bot.Handler, rep *replies) error {
	offset, err := a.loadOffset(ctx)
	if err != nil {
		return nil // ctx ended, or Redis is down: the caller retries the lease
	}
	backoff := pollBackoffMin
	conflictLogged := false
	for ctx.Err() == nil {
		params := map[string]any{"timeout": max(1, int(a.pollTO/time.Second)), "allowed_updates": allowedUpdates()}
		if offset > 0 {
			params["offset"] = offset
		}
		var raws []json.RawMessage
		err := a.poll(ctx, params, &raws)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			wait := backoff
			var apiErr *APIError
			switch {
			case errors.As(err, &apiErr) && apiErr.Code == http.StatusUnauthorized:
				return fmt.Errorf("telegram: getUpdates: the token was rejected: %w", err)
			case errors.As(err, &apiErr) && apiErr.Code == http.StatusConflict:
				if !conflictLogged {
					a.log.WarnContext(ctx, "telegram getUpdates conflict: another poller or a webhook; backing off", "err", err)
					conflictLogged = true
				}
			case errors.As(err, &apiErr) && apiErr.Code == http.StatusTooManyRequests:
				wait = max(apiErr.RetryAfter, pollBackoffMin)
			default:
				a.log.WarnContext(ctx, "telegram getUpdates failed", "err", err, "retry_in", wait.String())
			}
			backoff = min(backoff*2, pollBackoffMax)
			if sleep(ctx, wait) != nil {
				return nil
			}
			continue
		}
		backoff, conflictLogged = pollBackoffMin, false
		for _, raw := range raws {
			u, ok := a.decodeUpdate(ctx, raw)
			if u.UpdateID <= 0 || int64(u.UpdateID) < offset {
				continue // unreadable, or already handled
			}
			if ok {
				a.handleUpdate(ctx, h, rep, u)
			}
			offset = int64(u.UpdateID) + 1
			a.saveOffset(ctx, u.UpdateID)
		}
	}
	return nil
}

// decodeUpdate decodes one update. An update the adapter cannot decode
// (a field whose type changed in a newer Bot API, say) is logged and
// reported with ok false, but its update_id is still returned so that it
// does not block the updates behind it.
func (a *Adapter) decodeUpdate(ctx context.Context, raw json.RawMessage) (update, bool) {
	var u update
	err := json.Unmarshal(raw, &u)
	if err == nil {
		return u, true
	}
	var id struct {
		UpdateID int `json:"update_id"`
	}
	_ = json.Unmarshal(raw, &id) // best effort: zero when even this fails
	a.log.ErrorContext(ctx, "telegram: undecodable update skipped", "update_id", id.UpdateID, "err", err)
	return update{UpdateID: id.UpdateID}, false
}

// loadOffset reads the next update id to ask for (last handled + 1), or 0
// when none was handled yet.
func (a *Adapter) loadOffset(ctx context.Context) (int64, error) {
	v, err := a.rdb.Get(ctx, a.keys.offset).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		if ctx.Err() == nil {
			a.log.WarnContext(ctx, "telegram: read update offset from Redis failed", "err", err)
		}
		return 0, err
	}
	last, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		a.log.ErrorContext(ctx, "telegram: stored update offset is not a number; starting from Telegram's", "value", v)
		return 0, nil
	}
	return last + 1, nil
}

// saveOffset records updateID as handled, even when ctx just ended, so that
// a restart does not handle it again.
func (a *Adapter) saveOffset(ctx context.Context, updateID int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := a.scripts.advance.Run(ctx, a.rdb, []string{a.keys.offset}, updateID).Err(); err != nil {
		a.log.ErrorContext(ctx, "telegram: save update offset to Redis failed; the update may be handled again after a restart", "update_id", updateID, "err", err)
	}
}
