package main

import (
	"context"
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
		Reachable: func(ctx context.Context, chat bot.Chat) {
			if err := chats.Seen(ctx, chat); err != nil {
				log.Warn("slack: cannot mark channel reachable", "chat", chat.String(), "err", err)
			}
		},
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
