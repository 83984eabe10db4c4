// Package telegram plugs Telegram into the bot through the Bot API: it turns
// updates (long polling with a Redis lease so that one process polls per
// token, or a webhook) into bot.Requests, and renders alerts as HTML
// messages paced within Telegram's published limits.
//
// Every Bot API call goes through this package's own context-aware request
// function; github.com/go-telegram-bot-api/telegram-bot-api/v5 provides the
// wire types it decodes (APIResponse, Message, Chat, User, ChatMember, File,
// BotCommand).
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/secret"
)

// Platform is the name of this platform in bot.Chat.Platform and
// NEWSALERT_ADMINS.
const Platform = "telegram"

// DefaultAPIURL is the Bot API's address.
const DefaultAPIURL = "https://api.telegram.org"

// The adapter is a full chat platform with editing.
var (
	_ bot.Adapter = (*Adapter)(nil)
	_ bot.Editor  = (*Adapter)(nil)
)

// Options configure an Adapter. Token and Redis are required.
type Options struct {
	// Token is the bot token (TELEGRAM_BOT_TOKEN), "<bot id>:<secret>".
	Token secret.String
	// APIURL is the Bot API's base URL (TELEGRAM_API_URL, default
	// DefaultAPIURL); calls go to {APIURL}/bot{token}/{method}.
	APIURL string
	// Redis holds the polling lease, the update offset and webhook
	// de-duplication.
	Redis redis.UniversalClient
	// KeyPrefix prefixes every Redis key (default "na:").
	KeyPrefix string
	// WebhookURL (TELEGRAM_WEBHOOK_URL), when set, selects webhook mode: the
	// adapter registers it with setWebhook and WebhookHandler must be served
	// at it. Empty selects long polling.
	WebhookURL string
	// WebhookSecret (TELEGRAM_WEBHOOK_SECRET) is required in webhook mode:
	// 1-256 characters A-Z, a-z, 0-9, _ and -.
	WebhookSecret secret.String
	// HTTPClient makes the API calls (default: a client with dial and TLS
	// timeouts). Calls are bounded by contexts; a client Timeout shorter
	// than PollTimeout plus 15s shortens the long polls to fit.
	HTTPClient *http.Client
	// Logger receives the adapter's logs (default: discard).
	Logger *slog.Logger
	// Now is the clock for dates, caches and pacing (default time.Now).
	Now func() time.Time
	// ProcessID names this process stably for the polling lease (default
	// host name and pid).
	ProcessID string
	// PollTimeout is the getUpdates long-poll timeout (default 30s).
	PollTimeout time.Duration
	// LeaseTTL is how long the polling lease lives without renewal (default
	// 10s); the holder renews it every third of that and stops polling when
	// a renewal fails, others retry every second (or third of the TTL). A
	// process restarted with the same ProcessID takes the lease back at once.
	LeaseTTL time.Duration
	// Workers is how many commands run at once across chats (default 32);
	// commands of one chat run one at a time, in order.
	Workers int
	// RequestTimeout bounds one API call (other than a long poll) when the
	// caller's context allows longer (default 30s).
	RequestTimeout time.Duration
}

// Adapter is the Telegram chat adapter. It implements bot.Adapter and
// bot.Editor and is safe for concurrent use.
type Adapter struct {
	token      secret.String
	apiURL     string
	http       *http.Client
	rdb        redis.UniversalClient
	keys       keys
	log        *slog.Logger
	now        func() time.Time
	processID  string
	webhookURL string
	webhookSec secret.String
	pollTO     time.Duration
	leaseTTL   time.Duration
	reqTO      time.Duration
	workers    int
	ackDelay   time.Duration
	botID      int64
	pacer      *pacer
	admins     *adminCache
	scripts    scripts

	unreachable atomic.Pointer[error] // the last call's network failure; nil after an answer

	mu       sync.Mutex
	username string   // the bot's @username, from getMe
	serving  *serving // set while Serve runs in webhook mode
}

// serving is what a running Serve hands the webhook.
type serving struct {
	ctx  context.Context
	h    bot.Handler
	rep  *replies
	disp *bot.Dispatcher
	fl   *inflight
}

// keys are the Redis keys of one bot; the hash tag keeps them in one
// cluster slot.
type keys struct {
	poller, offset, updatePrefix string
	// pending holds the updates polled and not answered yet;
	// webhookPending those the webhook accepted, per process.
	pending, webhookPending string
}

// New checks opts and builds an Adapter. It does not touch the network.
func New(opts Options) (*Adapter, error) {
	idPart, rest, ok := strings.Cut(opts.Token.Reveal(), ":")
	botID, err := strconv.ParseInt(idPart, 10, 64)
	if !ok || err != nil || botID <= 0 || rest == "" {
		return nil, errors.New("telegram: new adapter: token must look like <bot id>:<secret>")
	}
	if opts.Redis == nil {
		return nil, errors.New("telegram: new adapter: a Redis client is required")
	}
	apiURL := strings.TrimRight(opts.APIURL, "/")
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if u, err := url.Parse(apiURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telegram: new adapter: API URL %q must be an http(s) URL", opts.APIURL)
	}
	if opts.WebhookURL != "" {
		if u, err := url.Parse(opts.WebhookURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("telegram: new adapter: webhook URL %q must be an https URL", opts.WebhookURL)
		}
		if !validSecretToken(opts.WebhookSecret.Reveal()) {
			return nil, errors.New("telegram: new adapter: webhook mode needs a webhook secret of 1-256 characters A-Z, a-z, 0-9, _ and -")
		}
	}
	a := &Adapter{
		token:      opts.Token,
		apiURL:     apiURL,
		http:       opts.HTTPClient,
		rdb:        opts.Redis,
		log:        opts.Logger,
		now:        opts.Now,
		processID:  opts.ProcessID,
		webhookURL: opts.WebhookURL,
		webhookSec: opts.WebhookSecret,
		pollTO:     orDefault(opts.PollTimeout, 30*time.Second),
		leaseTTL:   orDefault(opts.LeaseTTL, 10*time.Second),
		workers:    opts.Workers,
		ackDelay:   bot.DefaultAckDelay,
		reqTO:      orDefault(opts.RequestTimeout, 30*time.Second),
		botID:      botID,
		scripts:    newScripts(),
	}
	if a.http == nil {
		a.http = defaultHTTPClient()
	} else if t := a.http.Timeout; t > 0 && t < a.pollTO+pollMargin {
		// A client-wide timeout would cut every long poll: poll for less.
		a.pollTO = max(time.Second, (t-pollMargin)/2)
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.processID == "" {
		host, _ := os.Hostname() // an empty host name still leaves the pid
		a.processID = host + "-" + strconv.Itoa(os.Getpid())
	}
	prefix := opts.KeyPrefix
	if prefix == "" {
		prefix = "na:"
	}
	base := prefix + "{tg:" + idPart + "}:"
	a.keys = keys{poller: base + "poller", offset: base + "offset", updatePrefix: base + "upd:",
		pending: base + "pending", webhookPending: base + "whpending:" + a.processID}
	a.pacer = newPacer(a.now)
	a.admins = newAdminCache(a.now, time.Minute, 10000)
	return a, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		MaxIdleConnsPerHost:   64,
		MaxConnsPerHost:       64, // replies to many chats at once queue for a connection, not a new handshake each
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		ForceAttemptHTTP2:     true,
	}}
}

func validSecretToken(t string) bool {
	if t == "" || len(t) > 256 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Platform returns "telegram".
func (a *Adapter) Platform() string { return Platform }

// Limits returns Telegram's batching limits: 5 alerts a message, summaries
// of about 600 characters.
func (a *Adapter) Limits() bot.Limits {
	return bot.Limits{MaxBatch: maxBatch, SummaryRunes: summaryRunes}
}

// Connect checks the token with getMe, selects the update mode (setWebhook
// with the secret in webhook mode, deleteWebhook for long polling) and
// publishes the command menu with setMyCommands.
func (a *Adapter) Connect(ctx context.Context) error {
	var me tgbotapi.User
	if err := a.call(ctx, "getMe", struct{}{}, &me); err != nil {
		return fmt.Errorf("telegram: connect: getMe: %w", err)
	}
	if me.ID != a.botID {
		return fmt.Errorf("telegram: connect: getMe answered bot %d, the token names %d", me.ID, a.botID)
	}
	a.mu.Lock()
	a.username = me.UserName
	a.mu.Unlock()
	if a.webhookURL != "" {
		params := map[string]any{"url": a.webhookURL, "secret_token": a.webhookSec.Reveal(), "allowed_updates": allowedUpdates()}
		if err := a.call(ctx, "setWebhook", params, nil); err != nil {
			return fmt.Errorf("telegram: connect: setWebhook: %w", err)
		}
	} else if err := a.call(ctx, "deleteWebhook", map[string]any{"drop_pending_updates": false}, nil); err != nil {
		return fmt.Errorf("telegram: connect: deleteWebhook: %w", err)
	}
	if err := a.call(ctx, "setMyCommands", map[string]any{"commands": menu()}, nil); err != nil {
		return fmt.Errorf("telegram: connect: setMyCommands: %w", err)
	}
	a.log.InfoContext(ctx, "telegram connected", "bot_username", me.UserName, "bot_id", me.ID, "webhook", a.webhookURL != "")
	return nil
}

// allowedUpdates are the update types the adapter handles.
func allowedUpdates() []string { return []string{"message", "channel_post", "my_chat_member"} }

// menu is the command menu from bot.Catalog.
func menu() []tgbotapi.BotCommand {
	cat := bot.Catalog()
	out := make([]tgbotapi.BotCommand, 0, len(cat))
	for _, c := range cat {
		if !c.On("telegram") {
			continue
		}
		d := c.Description
		if c.Usage != "" {
			d += " — " + c.Usage
		}
		out = append(out, tgbotapi.BotCommand{Command: c.Name, Description: d})
	}
	return out
}

// Close releases idle connections. The polling lease is released by Serve
// when it returns.
func (a *Adapter) Close(ctx context.Context) error {
	a.http.CloseIdleConnections()
	return nil
}

func (a *Adapter) botUsername() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.username
}
