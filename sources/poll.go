package sources

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/fetch"
)

// PollResult tells what one poll found.
type PollResult struct {
	NotModified bool // 304, or a body identical to the last one
	Items       int  // items in the feed
	New         int  // items not seen before
	Alerted     int  // new items handed to the sink (not too old)
	Deferred    int  // new items left for the next polls (over MaxNewItems)
	Next        time.Time
	FetchTime   time.Duration
}

// Poll fetches and processes one source now, records the outcome on the
// source and schedules its next poll. The returned error is the poll's
// failure (also recorded on the source as LastError).
func (w *Watcher) Poll(ctx context.Context, src Source) (PollResult, error) {
	now := w.opts.Now()
	var res PollResult
	var err error
	// A panic while polling one source (a parser bug on a hostile feed) is
	// recovered and recorded as the poll's failure: the source backs off
	// like any failing source, and every other source goes on.
	if perr := recovery.Guard(w.log, w.opts.Metrics, "poll", func() { res, err = w.poll(ctx, &src, now) },
		"source_id", src.ID, "url", ShowURL(src.URL)); perr != nil {
		err = perr
	}
	src.LastFetch = now
	if ctx.Err() != nil {
		// Shutting down: leave the schedule to the lease, record nothing.
		return res, ctx.Err()
	}
	result := "ok"
	switch {
	case err != nil:
		result = "error"
	case res.NotModified:
		result = "not_modified"
	}
	w.opts.Metrics.Poll(result, res.FetchTime, res.Items, res.New)
	// An admin may have changed the source while it was fetched: keep its
	// new name, interval and pause rather than write the old ones back.
	if cur, gerr := w.reg.Get(ctx, src.ID); gerr == nil {
		src.Name, src.Interval = cur.Name, cur.Interval
		if cur.State == Paused {
			src.State = Paused
		}
		if err == nil {
			res.Next = w.nextAfterSuccess(now, src)
		}
	} else if errors.Is(gerr, ErrNotFound) {
		return res, err // removed meanwhile: nothing to record
	}
	if err != nil {
		w.recordFailure(ctx, &src, now, err)
		res.Next = w.nextAfterFailure(now, src, retryAfterOf(err))
		if src.State == Gone {
			res.Next = time.Time{}
		}
	} else {
		w.recordSuccess(ctx, &src, now)
	}
	if serr := w.reg.Save(context.WithoutCancel(ctx), src, res.Next); serr != nil {
		w.log.Warn("watcher: cannot save source", "source_id", src.ID, "err", serr)
	}
	return res, err
}

func (w *Watcher) poll(ctx context.Context, src *Source, now time.Time) (PollResult, error) {
	var res PollResult
	resp, err := w.fetcher.Fetch(ctx, fetch.Request{URL: src.URL, ETag: src.ETag, LastModified: src.LastModified})
	if err != nil {
		return res, err
	}
	res.FetchTime = resp.Duration
	if resp.PermanentURL != "" && resp.PermanentURL != src.URL {
		if err := w.reg.ChangeURL(ctx, src.ID, resp.PermanentURL, feed.NormalizeURL(resp.PermanentURL)); err != nil {
			w.log.Warn("watcher: cannot record permanent redirect", "source_id", src.ID, "err", err)
		} else {
			w.log.Info("watcher: source moved permanently", "source_id", src.ID, "url", ShowURL(resp.PermanentURL))
			src.URL = resp.PermanentURL
		}
	}
	src.MaxAge = resp.MaxAge
	res.Next = w.nextAfterSuccess(now, *src)
	if resp.NotModified {
		res.NotModified = true
		return res, nil
	}
	src.ETag, src.LastModified = resp.ETag, resp.LastModified
	sum := sha256.Sum256(resp.Body)
	hash := hex.EncodeToString(sum[:12])
	if hash == src.BodyHash && !src.LastSuccess.IsZero() {
		res.NotModified = true
		return res, nil
	}
	f, err := feed.Parse(resp.Body, resp.ContentType, resp.FinalURL, feed.Options{MaxItems: w.opts.MaxItems, Now: w.opts.Now})
	if err != nil {
		return res, err
	}
	src.FeedTTL = f.TTL
	res.Next = w.nextAfterSuccess(now, *src)
	res.Items = len(f.Items)
	keys := itemKeys(f.Items)
	unseen, err := w.seen.Unseen(ctx, src.ID, keys)
	if err != nil {
		return res, err
	}
	res.New = len(unseen)
	w.checkFlood(ctx, src, len(unseen), len(f.Items), now)
	// At most MaxNewItems new items are taken in one poll, oldest first;
	// the rest stay unseen and are taken by the next polls.
	take, deferred := w.newItems(f.Items, keys, unseen)
	if src.LastSuccess.IsZero() {
		deferred = 0 // a first poll's backlog is all marked seen below
	}
	res.Deferred = deferred
	marked := keys
	if deferred > 0 {
		marked = markedKeys(keys, unseen, take)
	}
	mark := w.seen.Marking(src.ID, marked, now)
	handed := false
	// A source that never had a good poll shows its backlog as seen, not as
	// alerts (the add command normally did this already).
	if len(take) > 0 && !src.LastSuccess.IsZero() {
		var stories []Story
		cutoff := now.Add(-w.opts.MaxItemAge)
		for _, i := range take {
			it := f.Items[i]
			if !it.Published.IsZero() && it.Published.Before(cutoff) {
				continue
			}
			stories = append(stories, w.opts.Stories.Build(*src, it, now))
		}
		if len(stories) > 0 {
			if err := w.sink.Stories(ctx, *src, stories, mark); err != nil {
				return res, fmt.Errorf("hand %d stories of source %d on: %w", len(stories), src.ID, err)
			}
			res.Alerted = len(stories)
			handed = true
			src.LastNew = now
		}
	}
	if !handed {
		if err := w.seen.Apply(ctx, mark); err != nil {
			return res, err
		}
	}
	if deferred > 0 {
		// Items wait: the next poll must read the feed again, not be
		// answered "not modified".
		src.ETag, src.LastModified, src.BodyHash = "", "", ""
		return res, nil
	}
	src.BodyHash = hash
	return res, nil
}

// newItems picks the new items this poll takes: all of them, or the
// MaxNewItems oldest. It returns their indexes in f.Items, oldest first,
// and how many wait for a later poll.
func (w *Watcher) newItems(items []feed.Item, keys, unseen []string) (take []int, deferred int) {
	isNew := make(map[string]bool, len(unseen))
	for _, k := range unseen {
		isNew[k] = true
	}
	var idx []int
	for i, k := range keys {
		if isNew[k] {
			isNew[k] = false // a key listed twice is one item
			idx = append(idx, i)
		}
	}
	idx = oldestFirst(items, idx)
	if len(idx) > w.opts.MaxNewItems {
		return idx[:w.opts.MaxNewItems], len(idx) - w.opts.MaxNewItems
	}
	return idx, 0
}

// markedKeys is what a poll marks seen: the keys already seen (refreshed)
// and the new ones it takes, not the new ones left for later.
func markedKeys(keys, unseen []string, take []int) []string {
	if len(take) == len(unseen) {
		return keys
	}
	isNew := make(map[string]bool, len(unseen))
	for _, k := range unseen {
		isNew[k] = true
	}
	out := make([]string, 0, len(keys)-len(unseen)+len(take))
	for _, k := range keys {
		if !isNew[k] {
			out = append(out, k)
		}
	}
	for _, i := range take {
		out = append(out, keys[i])
	}
	return out
}

func (w *Watcher) recordSuccess(ctx context.Context, src *Source, now time.Time) {
	src.LastSuccess = now
	src.LastError = ""
	src.Failures = 0
	if src.State == Failing {
		src.State = Active
		if src.FailNotified && w.notify != nil {
			w.notify.SourceNotice(ctx, *src, fmt.Sprintf("Source %d (%s) works again.", src.ID, src.Name))
		}
		src.FailNotified = false
	}
}

func (w *Watcher) recordFailure(ctx context.Context, src *Source, now time.Time, err error) {
	src.Failures++
	src.LastError = UserMessage(err)
	w.log.Warn("watcher: poll failed", "source_id", src.ID, "failures", src.Failures, "err", err)
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.Kind == fetch.Gone {
		src.State = Gone
		if w.notify != nil {
			w.notify.SourceNotice(ctx, *src, fmt.Sprintf("Source %d (%s) is gone (410): paused. Remove it with /removesource %d, or /resumesource %d if it returns.", src.ID, src.Name, src.ID, src.ID))
		}
		return
	}
	if src.Failures >= w.opts.FailureThreshold && src.State == Active {
		src.State = Failing
	}
	if src.State == Failing && !src.FailNotified && w.notify != nil {
		src.FailNotified = true
		w.notify.SourceNotice(ctx, *src, fmt.Sprintf("Source %d (%s) failed %d times in a row: %s. It is retried every few hours; /sources shows its status.", src.ID, src.Name, src.Failures, src.LastError))
	}
}

// UserMessage turns a poll error into one line for a chat user.
func UserMessage(err error) string {
	var um interface{ UserMessage() string }
	if errors.As(err, &um) {
		return um.UserMessage()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return "internal error (see the logs)"
}

func retryAfterOf(err error) time.Duration {
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return fe.RetryAfter
	}
	return 0
}
