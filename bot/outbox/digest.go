package outbox

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/schedule"
	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// digestSize is how many alerts one digest message carries at most.
const digestSize = 20

// releaseOf tells when e may be delivered given the chat's quiet hours and
// time zone and its subscriptions' digest settings: now when nothing holds
// it back. Of several matching subscriptions, the one releasing first wins.
func (d *Deliverer) releaseOf(ctx context.Context, settings subscriptions.ChatSettings, e Entry, now time.Time) (time.Time, error) {
	if d.opts.Held == nil || e.Digest || e.AlsoOf != "" {
		return now, nil
	}
	loc, err := schedule.ParseTimezone(orUTC(settings.Timezone))
	if err != nil {
		loc = time.UTC
	}
	var quiet schedule.Quiet
	if settings.Quiet != "" {
		quiet, _ = schedule.ParseQuiet(settings.Quiet)
	}
	digests := []string{""}
	if d.opts.Subscriptions != nil && len(e.SubIDs) > 0 {
		if digests, err = d.opts.Subscriptions.Digests(ctx, e.SubIDs); err != nil {
			return now, err
		}
	}
	release := time.Time{}
	for _, ds := range digests {
		var dg schedule.Digest
		if ds != "" {
			dg, _ = schedule.ParseDigest(ds)
		}
		r := schedule.Release(now, loc, quiet, dg)
		if release.IsZero() || r.Before(release) {
			release = r
		}
	}
	return release, nil
}

func orUTC(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return tz
}

// releaseLoop puts held alerts back into the outbox when they are due,
// marked as a digest.
func (d *Deliverer) releaseLoop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		buckets, err := d.opts.Held.Due(ctx, d.opts.Now(), 100)
		if err != nil {
			if ctx.Err() == nil {
				d.log.Warn("delivery: cannot read held alerts", "err", err)
			}
			continue
		}
		for _, b := range buckets {
			d.releaseGuarded(ctx, b)
		}
	}
}

// releaseGuarded releases one bucket, recovering a panic: the bucket stays
// held and is tried again at the next tick, and after maxPanics panics it
// is dropped (logged, counted).
func (d *Deliverer) releaseGuarded(ctx context.Context, b Bucket) {
	perr := recovery.Guard(d.log, d.opts.Metrics, "release", func() { d.release(ctx, b) },
		"chat", b.Chat.String(), "bucket", b.Name, "alerts", len(b.Entries))
	if perr == nil || !d.strike("bucket:"+b.Name) {
		return
	}
	d.log.Error("delivery: held alerts panicked too often; dropped", "chat", b.Chat.String(), "bucket", b.Name, "alerts", len(b.Entries))
	d.opts.Metrics.Dropped("panic", len(b.Entries))
	if err := d.opts.Held.Done(ctx, b, len(b.Entries)); err != nil {
		d.log.Warn("delivery: cannot drop held alerts", "chat", b.Chat.String(), "err", err)
	}
}

// release puts one bucket's alerts back into the outbox as a digest.
func (d *Deliverer) release(ctx context.Context, b Bucket) {
	entries := make([]Entry, len(b.Entries))
	for i, e := range b.Entries {
		e.ID, e.Stream, e.Digest = "", "", true
		entries[i] = e
	}
	// Queued again before removed from the bucket: a crash between the two
	// repeats the queueing, which the delivery records absorb.
	if err := d.o.Enqueue(ctx, partitionOf(b.Chat), entries, sources.SeenMark{}); err != nil {
		d.log.Warn("delivery: cannot release held alerts", "chat", b.Chat.String(), "err", err)
		return
	}
	if err := d.opts.Held.Done(ctx, b, len(b.Entries)); err != nil {
		d.log.Warn("delivery: released alerts stay held too", "chat", b.Chat.String(), "err", err)
	}
}

// partitionOf spreads released alerts over the outbox partitions by chat.
func partitionOf(chat subscriptions.Chat) int64 {
	h := fnv.New32a()
	h.Write([]byte(chat.String()))
	return int64(h.Sum32() % sources.Partitions)
}

// renderDigest writes alerts as one plain-text message.
func renderDigest(alerts []bot.Alert) string {
	var b strings.Builder
	if len(alerts) == 1 {
		b.WriteString("Digest: 1 story")
	} else {
		fmt.Fprintf(&b, "Digest: %d stories", len(alerts))
	}
	for _, a := range alerts {
		title := []rune(a.Title)
		if len(title) > 160 {
			title = append(title[:159], '…')
		}
		fmt.Fprintf(&b, "\n\n• %s — %s", string(title), a.Source)
		if a.Link != "" {
			b.WriteString("\n" + a.Link)
		}
	}
	return b.String()
}

// digestPlatform sends a batch as one digest message (Notify), with the
// same records, retries and acknowledgements as any send.
type digestPlatform struct{ Platform }

func (p digestPlatform) Send(ctx context.Context, chat subscriptions.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	retry, err := p.Platform.Notify(ctx, chat, renderDigest(batch))
	return bot.Receipt{}, retry, err // a digest is not edited later: no message ids
}
