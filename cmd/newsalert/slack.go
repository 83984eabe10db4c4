package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	slackbot "github.com/newsalert/newsalert/bot/slack"
	"github.com/newsalert/newsalert/internal/config"
	"github.com/newsalert/newsalert/subscriptions"
)

// newSlackAdapter builds the Slack adapter from the configuration: the one
// place cmd/newsalert knows about Slack besides slackRoutes.
func newSlackAdapter(cfg config.Config, rdb redis.UniversalClient, log *slog.Logger) (bot.Adapter, error) {
	chats := subscriptions.NewChats(rdb, keyPrefix)
	a, err := slackbot.New(slackbot.Options{
		BotToken: cfg.SlackBotToken, AppToken: cfg.SlackAppToken, SigningSecret: cfg.SlackSigningSecret,
		APIURL: cfg.SlackAPIURL, ChannelManagers: cfg.SlackChannelManagers, AdminsManageSources: cfg.SlackAdminsManageSources,
		Logger: log,
		// Used when the command handler does not follow chat events itself.
		Reachable: func(ctx context.Context, chat bot.Chat) { chats.Seen(ctx, chat) },
		Inflight:  slackInflight{rdb: rdb},
		Claim: func(ctx context.Context, id string) bool {
			ok, err := rdb.SetNX(ctx, keyPrefix+"{slack}:command:"+id, cfg.Instance, 30*time.Minute).Result()
			return ok || err != nil // on a Redis error, better two answers than none
		},
	})
	if err != nil {
		return nil, fmt.Errorf("slack: %w", err)
	}
	return a, nil
}

// slackRoutes serves Slack's HTTP Request URLs when a signing secret is set.
func slackRoutes(mux *http.ServeMux, cfg config.Config, a *slackbot.Adapter) {
	if cfg.SlackSigningSecret.IsZero() {
		return
	}
	mux.Handle("POST /slack/commands", a.CommandsHandler())
	mux.Handle("POST /slack/events", a.EventsHandler())
}

// slackInflight keeps the Slack adapter's sends under way in Redis, so that
// a restarted process finds what a killed one posted (see slack.Inflight).
type slackInflight struct{ rdb redis.UniversalClient }

func (s slackInflight) key(k string) string { return keyPrefix + "{slack}:inflight:" + k }

func (s slackInflight) Begin(ctx context.Context, k string, at time.Time) error {
	return s.rdb.SetNX(ctx, s.key(k), at.UnixMilli(), 24*time.Hour).Err()
}

func (s slackInflight) Started(ctx context.Context, k string) (time.Time, bool, error) {
	ms, err := s.rdb.Get(ctx, s.key(k)).Int64()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return time.UnixMilli(ms), true, nil
}

func (s slackInflight) Done(ctx context.Context, k string) { s.rdb.Del(ctx, s.key(k)) }
