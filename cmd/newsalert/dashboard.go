package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/dashboard"
	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/internal/config"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// dashboardParts is what the web dashboard reads; the command handler it
// changes things through is given later (see handlerFunc).
type dashboardParts struct {
	subs     *subscriptions.Store
	chats    *subscriptions.Chats
	stories  *sources.StoryStore
	registry *sources.Registry
	counts   *dashboard.StoryCounts
	box      *outbox.Outbox
	records  *outbox.Records
	history  *outbox.History
	metrics  *metrics.Metrics
	senders  map[string]bot.Sender
}

// buildDashboard wires the dashboard served under /ui/: it reads the
// stores, and runs every change through commands (the same handler as the
// chat commands).
func buildDashboard(cfg config.Config, rdb redis.UniversalClient, p dashboardParts, commands bot.Handler, log *slog.Logger) (*dashboard.Server, error) {
	public := cfg.PublicURL
	if cfg.HTTPAddr == "" {
		public = "" // nothing would serve the link
	}
	return dashboard.New(dashboard.Options{
		Redis: rdb, KeyPrefix: keyPrefix, PublicURL: public, Commands: commands,
		Data: &dashboard.Stores{Subs: p.subs, Chats: p.chats, Stories: p.stories, Registry: p.registry,
			Counts: p.counts, Outbox: p.box, SentPerHour: p.records.SentPerHour, History: p.history,
			Counters: p.metrics.Delivery, Replicas: p.box.Replicas},
		Direct: func(ctx context.Context, u bot.User, text string) error {
			s, ok := p.senders[u.Platform]
			if !ok || u.Platform != "telegram" {
				return errors.New("no private messages on " + u.Platform)
			}
			// A Telegram user's private chat with the bot has the user's id.
			_, err := s.Notify(ctx, bot.Chat{Platform: u.Platform, ID: u.ID}, text)
			return err
		},
		QueryLimits: query.DefaultLimits(),
		Logger:      log,
	})
}

// handlerFunc adapts a function to bot.Handler.
type handlerFunc func(ctx context.Context, req bot.Request) bot.Reply

func (f handlerFunc) Handle(ctx context.Context, req bot.Request) bot.Reply { return f(ctx, req) }
