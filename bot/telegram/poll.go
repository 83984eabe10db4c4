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
	acquire, renew, release *redis.Script
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
	}
}

// Serve receives updates and answers commands through h until ctx ends. In
// webhook mode it hands h to WebhookHandler and waits; otherwise it long
// polls getUpdates while it holds the Redis polling lease (other processes
// wait and take over when the holder stops). Commands run on a dispatcher:
// concurrently across chats, in order within a chat. It returns nil when
// ctx ends and an error only when Telegram rejects the token.
func (a *Adapter) Serve(ctx context.Context, h bot.Handler) error {
	dctx, stopDispatch := context.WithCancel(ctx)
	disp := bot.NewDispatcher(bot.DispatcherOptions{Workers: a.workers, Logger: a.log})
	var wg sync.WaitGroup
	wg.Go(func() { disp.Run(dctx) })
	rep := newReplies(ctx, a)
	defer func() {
		stopDispatch()
		wg.Wait()
		rep.wait()
	}()
	fl := newInflight()
	if a.webhookURL != "" {
		a.mu.Lock()
		a.serving = &serving{h: h, rep: rep, disp: disp, fl: fl, ctx: ctx}
		a.mu.Unlock()
		a.resume(ctx, h, rep, disp, fl, a.keys.webhookPending)
		<-ctx.Done()
		a.mu.Lock()
		a.serving = nil
		a.mu.Unlock()
		return nil
	}
	retry := min(a.leaseTTL/3, time.Second)
	waiting := false
	for ctx.Err() == nil {
		held, err := a.scripts.acquire.Run(ctx, a.rdb, []string{a.keys.poller}, a.processID, a.leaseTTL.Milliseconds()).Int()
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.WarnContext(ctx, "telegram polling lease: Redis failed", "err", err)
		case held == 1:
			waiting = false
			a.log.InfoContext(ctx, "telegram polling lease acquired", "process_id", a.processID)
			err := a.pollWhileLeased(ctx, h, rep, disp, fl)
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
func (a *Adapter) pollWhileLeased(ctx context.Context, h bot.Handler, rep *replies, disp *bot.Dispatcher, fl *inflight) error {
	leaseCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer cancel()
		for sleep(leaseCtx, a.leaseTTL/3) == nil {
			// A renewal slower than a third of the TTL counts as failed, so
			// that polling stops before the lease can expire and another
			// process start polling.
			rctx, rcancel := context.WithTimeout(leaseCtx, a.leaseTTL/3)
			ok, err := a.scripts.renew.Run(rctx, a.rdb, []string{a.keys.poller}, a.processID, a.leaseTTL.Milliseconds()).Int()
			rcancel()
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
	return a.pollLoop(leaseCtx, h, rep, disp, fl)
}

// Backoff after failed polls: doubling from pollBackoffMin to
// pollBackoffMax.
const (
	pollBackoffMin    = time.Second
	pollBackoffMax    = 30 * time.Second
	defaultRetryAfter = 5 * time.Second
)

// pollLoop long polls getUpdates. Each batch is first accepted durably
// (stored with the new offset in one Redis step), then queued on the
// dispatcher; the offset sent to Telegram never passes an update that was
// not accepted. Updates accepted earlier and not yet answered (a crash, a
// lost lease) are queued first. Queuing waits while the dispatcher is
// full, which pauses polling: back-pressure, never a dropped update.
func (a *Adapter) pollLoop(ctx context.Context, h bot.Handler, rep *replies, disp *bot.Dispatcher, fl *inflight) error {
	offset, err := a.loadOffset(ctx)
	if err != nil {
		return nil // ctx ended, or Redis is down: the caller retries the lease
	}
	a.resume(ctx, h, rep, disp, fl, a.keys.pending)
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
		var ids []int
		var fresh []json.RawMessage
		for _, raw := range raws {
			id := updateID(raw)
			if id <= 0 || int64(id) < offset || (len(ids) > 0 && id <= ids[len(ids)-1]) {
				continue // unreadable, or already accepted
			}
			ids, fresh = append(ids, id), append(fresh, raw)
		}
		if len(ids) == 0 {
			backoff, conflictLogged = pollBackoffMin, false
			continue
		}
		if err := a.accept(ctx, ids, fresh); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			a.log.WarnContext(ctx, "telegram: storing received updates in Redis failed; Telegram keeps them", "err", err, "retry_in", backoff.String())
			if sleep(ctx, backoff) != nil {
				return nil
			}
			backoff = min(backoff*2, pollBackoffMax)
			continue
		}
		backoff, conflictLogged = pollBackoffMin, false
		offset = int64(ids[len(ids)-1]) + 1
		for i, id := range ids {
			if !a.dispatch(ctx, h, rep, disp, fl, a.keys.pending, id, fresh[i]) {
				return nil // ctx ended; the rest stays accepted for the next holder
			}
		}
	}
	return nil
}

// updateID reads an update's id, 0 when there is none.
func updateID(raw json.RawMessage) int {
	var id struct {
		UpdateID int `json:"update_id"`
	}
	_ = json.Unmarshal(raw, &id) // zero when unreadable
	return id.UpdateID
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
