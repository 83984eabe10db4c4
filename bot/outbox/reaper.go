package outbox

import (
	"context"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"
)

// The reaper's work: taking over what stopped consumers left pending,
// keeping this process's own entries claimed, and forgetting consumers
// that are gone.

// reclaim takes over entries of stream left pending by consumers that
// stopped.
func (d *Deliverer) reclaim(ctx context.Context, g *errgroup.Group, stream string) {
	cursor := "0-0"
	for i := 0; i < 10 && ctx.Err() == nil; i++ {
		msgs, next, err := d.o.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: stream, Group: Group, Consumer: d.opts.Consumer,
			MinIdle: d.opts.ReclaimIdle, Start: cursor, Count: 200,
		}).Result()
		if err != nil {
			if ctx.Err() == nil && !strings.Contains(err.Error(), "NOGROUP") {
				d.log.Warn("delivery: cannot reclaim pending alerts", "err", err)
			}
			return
		}
		for _, m := range msgs {
			d.dispatchEntry(ctx, g, stream, m, true)
		}
		if next == "0-0" || len(msgs) == 0 {
			return
		}
		cursor = next
	}
}

// refresh resets the idle time of the entries this process holds (queued
// behind a slow chat), so that other processes' reapers leave them alone
// while it lives.
func (d *Deliverer) refresh(ctx context.Context) {
	d.mu.Lock()
	byStream := map[string][]string{}
	for k := range d.flying {
		stream, id, _ := strings.Cut(k, "/")
		byStream[stream] = append(byStream[stream], id)
	}
	d.mu.Unlock()
	for stream, ids := range byStream {
		for len(ids) > 0 {
			n := min(len(ids), 500)
			d.o.rdb.XClaimJustID(ctx, &redis.XClaimArgs{Stream: stream, Group: Group, Consumer: d.opts.Consumer, MinIdle: 0, Messages: ids[:n]})
			ids = ids[n:]
		}
	}
}

// pruneConsumers deletes consumers of stream that hold nothing and have
// been idle for an hour: replicas named after pods leave one behind at
// every rollout.
func (d *Deliverer) pruneConsumers(ctx context.Context, stream string) {
	cs, err := d.o.rdb.XInfoConsumers(ctx, stream, Group).Result()
	if err != nil {
		return
	}
	for _, c := range cs {
		if c.Name != d.opts.Consumer && c.Pending == 0 && c.Idle > time.Hour {
			d.o.rdb.XGroupDelConsumer(ctx, stream, Group, c.Name)
		}
	}
}
