package bot

import (
	"context"
	"fmt"

	"github.com/newsalert/newsalert/sources"
)

// Stats reports delivery figures.
type Stats interface {
	// SentLast24h is how many alerts platforms accepted in the last 24 hours.
	SentLast24h(ctx context.Context) (int64, error)
	// QueueDepth is how many alerts wait in the outbox.
	QueueDepth(ctx context.Context) (int64, error)
}

func (c *Commands) stats(ctx context.Context, req Request) (string, error) {
	if err := c.mayManageSources(ctx, req); err != nil {
		return "", err
	}
	srcs, err := c.opts.Registry.List(ctx)
	if err != nil {
		return "", err
	}
	var ok, failing, paused, flooding int
	now := c.opts.Now()
	for _, s := range srcs {
		if s.Flooding(now) {
			flooding++
		}
		switch {
		case s.State == sources.Paused || s.State == sources.Gone:
			paused++
		case s.State == sources.Failing || s.Failures > 0:
			failing++
		default:
			ok++
		}
	}
	subs, err := c.opts.Subscriptions.Count(ctx)
	if err != nil {
		return "", err
	}
	text := fmt.Sprintf("Sources: %d ok, %d failing, %d paused. Subscriptions: %d.", ok, failing, paused, subs)
	if flooding > 0 {
		text += fmt.Sprintf(" Flagged for a flood of new items: %d (see /sources).", flooding)
	}
	if c.opts.Stats != nil {
		sent, err := c.opts.Stats.SentLast24h(ctx)
		if err != nil {
			return "", err
		}
		depth, err := c.opts.Stats.QueueDepth(ctx)
		if err != nil {
			return "", err
		}
		text += fmt.Sprintf("\nAlerts sent in the last 24 hours: %d. Waiting to be sent: %d.", sent, depth)
	}
	gone, err := c.goneStats(ctx)
	if err != nil {
		return "", err
	}
	return text + gone, nil
}
