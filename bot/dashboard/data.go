package dashboard

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// Data is what the pages read. Changes never go through it: they go
// through the command handler (Options.Commands).
type Data interface {
	Subscriptions(ctx context.Context, chat bot.Chat) ([]subscriptions.Subscription, error)
	ChatSettings(ctx context.Context, chat bot.Chat) (subscriptions.ChatSettings, error)
	// RecentStories returns up to n stories, newest first.
	RecentStories(ctx context.Context, n int) ([]sources.Story, error)
	Sources(ctx context.Context) ([]sources.Source, error)
	// SourceDue tells when a source is next polled (ok false: not scheduled).
	SourceDue(ctx context.Context, id int64) (time.Time, bool, error)
	// NewStoriesPerDay returns the new stories of a source on each of the
	// last days days (UTC), oldest first.
	NewStoriesPerDay(ctx context.Context, id int64, days int, now time.Time) ([]int64, error)
	System(ctx context.Context, now time.Time) (System, error)
	// AlertHistory returns the chat's last alert decisions, newest first.
	AlertHistory(ctx context.Context, chat bot.Chat) ([]outbox.Event, error)
	// AlertsPerSubscription counts, by subscription id, the alerts each
	// brought the chat over the last days days.
	AlertsPerSubscription(ctx context.Context, chat bot.Chat, days int, now time.Time) (map[uint64]int64, error)
}

// System is the state of delivery shown on the system page.
type System struct {
	OutboxDepth  int64
	OldestWaits  time.Duration
	SentPerHour  []int64 // last 48 hours, oldest first
	HaveSentRate bool
	// Delivery holds this process's counters since it started (dropped by
	// reason, 429s, failed and resent attempts by platform).
	Delivery     metrics.DeliveryCounts
	HaveDelivery bool
	Replicas     []outbox.Replica
}

// Stores implements Data over the bot's Redis stores.
type Stores struct {
	Subs     *subscriptions.Store
	Chats    *subscriptions.Chats
	Stories  *sources.StoryStore
	Registry *sources.Registry
	Counts   *StoryCounts
	// Outbox reports depth and oldest entry; SentPerHour the delivery
	// records' hourly counts. Either may be nil.
	Outbox interface {
		Len(ctx context.Context) (int64, error)
		OldestAge(ctx context.Context, now time.Time) (time.Duration, error)
	}
	SentPerHour func(ctx context.Context, now time.Time, hours int) ([]int64, error)
	// Counters reads this process's delivery counters; Replicas the
	// processes seen delivering. Either may be nil.
	Counters func() (metrics.DeliveryCounts, error)
	Replicas func(ctx context.Context) ([]outbox.Replica, error)
	// History is delivery's record of decisions; nil shows none.
	History *outbox.History
}

func (s *Stores) AlertHistory(ctx context.Context, chat bot.Chat) ([]outbox.Event, error) {
	if s.History == nil {
		return nil, nil
	}
	return s.History.Events(ctx, chat)
}

func (s *Stores) AlertsPerSubscription(ctx context.Context, chat bot.Chat, days int, now time.Time) (map[uint64]int64, error) {
	if s.History == nil {
		return map[uint64]int64{}, nil
	}
	return s.History.SentPerSubscription(ctx, chat, days, now)
}

func (s *Stores) Subscriptions(ctx context.Context, chat bot.Chat) ([]subscriptions.Subscription, error) {
	return s.Subs.List(ctx, chat)
}

func (s *Stores) ChatSettings(ctx context.Context, chat bot.Chat) (subscriptions.ChatSettings, error) {
	return s.Chats.Get(ctx, chat)
}

func (s *Stores) RecentStories(ctx context.Context, n int) ([]sources.Story, error) {
	return s.Stories.Recent(ctx, n)
}

func (s *Stores) Sources(ctx context.Context) ([]sources.Source, error) { return s.Registry.List(ctx) }

func (s *Stores) SourceDue(ctx context.Context, id int64) (time.Time, bool, error) {
	return s.Registry.DueAt(ctx, id)
}

func (s *Stores) NewStoriesPerDay(ctx context.Context, id int64, days int, now time.Time) ([]int64, error) {
	if s.Counts == nil {
		return make([]int64, days), nil
	}
	return s.Counts.PerDay(ctx, id, days, now)
}

func (s *Stores) System(ctx context.Context, now time.Time) (System, error) {
	var out System
	if s.Outbox != nil {
		n, err := s.Outbox.Len(ctx)
		if err != nil {
			return out, err
		}
		out.OutboxDepth = n
		if out.OldestWaits, err = s.Outbox.OldestAge(ctx, now); err != nil {
			return out, err
		}
	}
	if s.SentPerHour != nil {
		h, err := s.SentPerHour(ctx, now, 48)
		if err != nil {
			return out, err
		}
		out.SentPerHour, out.HaveSentRate = h, true
	}
	if s.Counters != nil {
		c, err := s.Counters()
		if err != nil {
			return out, err
		}
		out.Delivery, out.HaveDelivery = c, true
	}
	if s.Replicas != nil {
		r, err := s.Replicas(ctx)
		if err != nil {
			return out, err
		}
		out.Replicas = r
	}
	return out, nil
}

// StoryCounts counts new stories per source and UTC day in Redis (a hash
// per day, kept 15 days), for the sources page's chart.
type StoryCounts struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewStoryCounts returns counts whose keys start with prefix.
func NewStoryCounts(rdb redis.UniversalClient, prefix string) *StoryCounts {
	return &StoryCounts{rdb: rdb, prefix: prefix}
}

func (c *StoryCounts) key(day time.Time) string {
	return c.prefix + "{dashboard}:newstories:" + day.UTC().Format("20060102")
}

// Add counts n new stories of source id at now.
func (c *StoryCounts) Add(ctx context.Context, id int64, n int, now time.Time) error {
	k := c.key(now)
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.HIncrBy(ctx, k, strconv.FormatInt(id, 10), int64(n))
		p.Expire(ctx, k, 15*24*time.Hour)
		return nil
	})
	if err != nil {
		return fmt.Errorf("count new stories: %w", err)
	}
	return nil
}

// PerDay returns the counts of the last days days, oldest first.
func (c *StoryCounts) PerDay(ctx context.Context, id int64, days int, now time.Time) ([]int64, error) {
	cmds := make([]*redis.StringCmd, days)
	field := strconv.FormatInt(id, 10)
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range cmds {
			cmds[i] = p.HGet(ctx, c.key(now.AddDate(0, 0, -(days-1-i))), field)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read new-story counts: %w", err)
	}
	out := make([]int64, days)
	for i, cmd := range cmds {
		out[i], _ = cmd.Int64()
	}
	return out, nil
}

// CountingSink passes stories on to Next and counts them per source and
// day; it implements sources.StorySink.
type CountingSink struct {
	Next   sources.StorySink
	Counts *StoryCounts
	Now    func() time.Time
}

// Stories implements sources.StorySink. A counting failure does not stop
// the stories.
func (s CountingSink) Stories(ctx context.Context, src sources.Source, stories []sources.Story, mark sources.SeenMark) error {
	if err := s.Next.Stories(ctx, src, stories, mark); err != nil {
		return err
	}
	if len(stories) > 0 {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		s.Counts.Add(ctx, src.ID, len(stories), now())
	}
	return nil
}
