// Package slack plugs Slack into the bot (github.com/slack-go/slack):
// commands arrive as the one slash command /newsalert, over Socket Mode
// (SLACK_APP_TOKEN, no public URL) or signed HTTP requests
// (SLACK_SIGNING_SECRET); alerts leave as Block Kit messages paced per
// channel, globally and per Web API method.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/secret"
)

// Platform is the name of Slack chats and users ("slack:U123" admins).
const Platform = "slack"

// Options configure an Adapter.
type Options struct {
	BotToken      secret.String // xoxb-...
	AppToken      secret.String // xapp-...: Socket Mode
	SigningSecret secret.String // HTTP Events API and slash commands
	// APIURL is the Web API base ending in /api/ (default Slack's).
	APIURL string
	// ChannelManagers is "members" (default: anyone in the channel may
	// change its subscriptions) or "admins" (workspace admins and owners).
	ChannelManagers string
	// AdminsManageSources lets workspace admins and owners manage sources.
	AdminsManageSources bool
	// Reachable is told when a channel that may have been marked gone is
	// reachable again (the bot joined it, it was unarchived).
	Reachable func(ctx context.Context, chat bot.Chat)
	// Claim reports whether this process is the first to take a command
	// (trigger id), so that a command Slack sends twice runs once. Nil
	// claims everything.
	Claim func(ctx context.Context, id string) bool
	// Inflight, when set, keeps a send repeated after a crash from posting
	// the same alerts twice.
	Inflight Inflight
	// GlobalPerSecond caps chat.postMessage across channels (default 20).
	GlobalPerSecond float64
	// ChannelInterval is the gap between two messages to one channel
	// (default 1 s, Slack's published limit).
	ChannelInterval time.Duration
	Workers         int // concurrent commands (default 16)
	Logger          *slog.Logger
	HTTPClient      *http.Client
}

// Adapter is the Slack chat adapter. Its methods are safe for concurrent
// use.
type Adapter struct {
	opts  Options
	api   *slack.Client
	log   *slog.Logger
	pace  *pacer
	users *userCache

	botUserID atomic.Value // string
	connected atomic.Bool

	fatalOnce sync.Once
	fatal     chan error

	serving  chan struct{}   // closed when Serve has a handler
	runCtx   context.Context // Serve's context, for work started by events
	handler  bot.Handler
	disp     *bot.Dispatcher
	jobs     sync.WaitGroup
	replays  *replayCache
	seenOnce *replayCache
}

// New builds the adapter; nothing is contacted before Connect.
func New(opts Options) (*Adapter, error) {
	if opts.BotToken.IsZero() {
		return nil, errors.New("slack: no bot token")
	}
	if opts.AppToken.IsZero() && opts.SigningSecret.IsZero() {
		return nil, errors.New("slack: needs an app token (Socket Mode) or a signing secret (HTTP)")
	}
	if opts.APIURL == "" {
		opts.APIURL = slack.APIURL
	}
	if opts.ChannelManagers == "" {
		opts.ChannelManagers = "members"
	}
	if opts.GlobalPerSecond <= 0 {
		opts.GlobalPerSecond = 20
	}
	if opts.ChannelInterval <= 0 {
		opts.ChannelInterval = time.Second
	}
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Claim == nil {
		opts.Claim = func(context.Context, string) bool { return true }
	}
	apiOpts := []slack.Option{slack.OptionAPIURL(opts.APIURL), slack.OptionHTTPClient(opts.HTTPClient)}
	if !opts.AppToken.IsZero() {
		apiOpts = append(apiOpts, slack.OptionAppLevelToken(opts.AppToken.Reveal()))
	}
	a := &Adapter{
		opts:     opts,
		api:      slack.New(opts.BotToken.Reveal(), apiOpts...),
		log:      opts.Logger.With("platform", Platform),
		pace:     newPacer(opts.GlobalPerSecond, opts.ChannelInterval),
		fatal:    make(chan error, 1),
		serving:  make(chan struct{}),
		replays:  newReplayCache(),
		seenOnce: newReplayCache(),
	}
	a.users = newUserCache(a)
	a.botUserID.Store("")
	return a, nil
}

// Platform implements bot.Adapter.
func (a *Adapter) Platform() string { return Platform }

// maxBatch alerts share one message: 3 blocks each (section, context,
// divider) stays well within Slack's 50 blocks.
const maxBatch = 10

// Limits implements bot.Adapter.
func (a *Adapter) Limits() bot.Limits { return bot.Limits{MaxBatch: maxBatch, SummaryRunes: 700} }

// Connect checks the bot token with auth.test. A refused token is an error
// naming SLACK_BOT_TOKEN, never showing it.
func (a *Adapter) Connect(ctx context.Context) error {
	var resp *slack.AuthTestResponse
	err := a.call(ctx, "auth.test", "", func(ctx context.Context) error {
		var err error
		resp, err = a.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		if isAuthError(err) {
			return fmt.Errorf("slack: SLACK_BOT_TOKEN was refused (%s); check the bot token and that the app is installed", slackCode(err))
		}
		return fmt.Errorf("slack: auth.test: %w", err)
	}
	a.botUserID.Store(resp.UserID)
	a.log.Info("slack connected", "team", resp.Team, "bot_user", resp.UserID, "socket_mode", !a.opts.AppToken.IsZero())
	return nil
}

// Ready reports whether commands can arrive: Socket Mode connected, or
// the HTTP endpoints serving.
func (a *Adapter) Ready() error {
	if a.connected.Load() {
		return nil
	}
	return errors.New("slack: not connected")
}

// Close implements bot.Adapter; Serve already released everything.
func (a *Adapter) Close(ctx context.Context) error { return nil }

// stop ends the adapter with err (a refused token); Serve returns it.
func (a *Adapter) stop(err error) {
	a.fatalOnce.Do(func() {
		a.log.Error("slack adapter stopping", "err", err)
		a.fatal <- err
	})
}

// tokenRefused is the error Serve returns when Slack refuses the bot token:
// it names the setting and the code, never the token.
func tokenRefused(err error) error {
	return fmt.Errorf("SLACK_BOT_TOKEN was refused (%s): the app was uninstalled or the token revoked; install the app again and update the token", slackCode(err))
}
