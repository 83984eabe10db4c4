package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"github.com/newsalert/newsalert/bot"
)

// Serve takes commands until ctx is done: over Socket Mode when an app
// token is set, and in any case from the HTTP handlers (CommandsHandler,
// EventsHandler). It returns an error when Slack refuses a token.
func (a *Adapter) Serve(ctx context.Context, h bot.Handler) error {
	a.handler = h
	a.disp = bot.NewDispatcher(bot.DispatcherOptions{Workers: a.opts.Workers, Logger: a.log})
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		a.jobs.Wait() // the dispatcher, Socket Mode, Home tab publishing
	}()
	a.jobs.Go(func() { a.disp.Run(ctx) })
	a.runCtx = ctx
	close(a.serving)

	errc := make(chan error, 1)
	if !a.opts.AppToken.IsZero() {
		a.jobs.Go(func() { errc <- a.runSocketMode(ctx) })
	} else {
		a.connected.Store(true) // HTTP mode: ready once serving
	}
	select {
	case <-ctx.Done():
		return nil
	case err := <-a.fatal:
		return err
	case err := <-errc:
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
}

// runSocketMode keeps a Socket Mode connection (slack-go reconnects) and
// handles its envelopes, acknowledging each at once.
func (a *Adapter) runSocketMode(ctx context.Context) error {
	client := socketmode.New(a.api, socketmode.OptionLog(log.New(io.Discard, "", 0)))
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	for {
		select {
		case err := <-done:
			a.connected.Store(false)
			if ctx.Err() != nil {
				return nil
			}
			code := err.Error()
			switch code {
			case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "not_allowed_token_type":
				return fmt.Errorf("SLACK_APP_TOKEN was refused (%s): use an app-level token (xapp-) with connections:write, with Socket Mode on", code)
			}
			return fmt.Errorf("socket mode: %w", err)
		case ev := <-client.Events:
			a.socketEvent(ctx, client, ev)
		}
	}
}

func (a *Adapter) socketEvent(ctx context.Context, client *socketmode.Client, ev socketmode.Event) {
	switch ev.Type {
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		a.log.Info("slack socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect:
		a.connected.Store(false)
		a.log.Warn("slack socket mode disconnected; reconnecting")
	case socketmode.EventTypeInvalidAuth:
		a.stop(errors.New("SLACK_APP_TOKEN was refused: Socket Mode could not connect"))
	case socketmode.EventTypeSlashCommand:
		cmd, ok := ev.Data.(slack.SlashCommand)
		if ev.Request != nil {
			client.Ack(*ev.Request) // within Slack's 3 s; the answer follows by response_url
		}
		if ok {
			a.runCommand(ctx, cmd)
		}
	case socketmode.EventTypeEventsAPI:
		e, ok := ev.Data.(slackevents.EventsAPIEvent)
		if ev.Request != nil {
			client.Ack(*ev.Request)
		}
		if ok && a.seenOnce.first(eventID(ev), time.Now()) {
			a.event(ctx, e)
		}
	case socketmode.EventTypeInteractive:
		if ev.Request != nil {
			client.Ack(*ev.Request)
		}
	}
}

func eventID(ev socketmode.Event) string {
	if ev.Request == nil {
		return ""
	}
	return ev.Request.EnvelopeID
}

// event handles an Events API callback: the Home tab shows the user's
// help; the bot joining a channel, or a channel coming back from the
// archive, makes it reachable again.
func (a *Adapter) event(ctx context.Context, e slackevents.EventsAPIEvent) {
	if e.Type != slackevents.CallbackEvent {
		return
	}
	switch in := e.InnerEvent.Data.(type) {
	case *slackevents.AppHomeOpenedEvent:
		if in.Tab == "home" || in.Tab == "" {
			user, channel := in.User, in.Channel
			a.jobs.Go(func() { a.publishHome(a.runCtx, user, channel) })
		}
	case *slackevents.MemberJoinedChannelEvent:
		if in.User == a.botUserID.Load().(string) {
			a.reachable(ctx, in.Channel)
		}
	case *slackevents.ChannelUnarchiveEvent:
		a.reachable(ctx, in.Channel)
	case *slackevents.GroupUnarchiveEvent:
		a.reachable(ctx, in.Channel)
	}
}

// chatReachable is what a Handler that follows chat events implements
// (bot.ChatEvents' ChatReachable where the bot has it).
type chatReachable interface {
	ChatReachable(ctx context.Context, chat bot.Chat)
}

// reachable tells the bot that channel takes messages again: through the
// handler when it follows chat events, else through Options.Reachable.
func (a *Adapter) reachable(ctx context.Context, channel string) {
	if !channelID.MatchString(channel) {
		return
	}
	chat := bot.Chat{Platform: Platform, ID: channel}
	if h, ok := a.handler.(chatReachable); ok {
		h.ChatReachable(ctx, chat)
		return
	}
	if a.opts.Reachable != nil {
		a.opts.Reachable(ctx, chat)
	}
}
