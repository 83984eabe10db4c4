// Package discord connects the bot to Discord: slash commands arrive over
// the gateway (discordgo) or, when a public key is configured, an HTTP
// interactions endpoint; alerts go out as embeds through a context-aware
// REST client that follows Discord's rate-limit headers, never retries a
// message post whose outcome is unknown, and never lets a feed ping anyone.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/secret"
)

// Platform is the name of this platform in Chat.Platform and NEWSALERT_ADMINS.
const Platform = "discord"

// Options configure an Adapter.
type Options struct {
	// Token is the bot token (DISCORD_BOT_TOKEN), without the "Bot " prefix.
	Token secret.String
	// APIURL is the origin REST calls and the gateway lookup go to
	// (DISCORD_API_URL); default https://discord.com.
	APIURL string
	// ApplicationID is the application's id; when empty Connect reads it
	// from GET /oauth2/applications/@me.
	ApplicationID string
	// GuildID, when set (DISCORD_GUILD_ID), registers the commands in that
	// guild only, which takes effect at once; otherwise they are global.
	GuildID string
	// PublicKey is the application's hex Ed25519 public key
	// (DISCORD_PUBLIC_KEY); it enables InteractionsHandler.
	PublicKey string
	// GuildAdminsManageSources lets members with Manage Server manage
	// sources (NEWSALERT_GUILD_ADMINS_MANAGE_SOURCES), in trusted guilds
	// only: GuildID and TrustedGuilds. Anyone can invite a public bot to a
	// guild of their own, where they have Manage Server; the bot's sources
	// are shared by every guild.
	GuildAdminsManageSources bool
	// TrustedGuilds lists the guilds, besides GuildID, whose server
	// managers may manage sources (NEWSALERT_TRUSTED_GUILDS).
	TrustedGuilds []string
	// Completer answers autocomplete for /unsubscribe number and /source id.
	Completer bot.Completer
	// HTTPClient is used for REST calls; default a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives the adapter's logs; default discards them.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Workers is how many commands run at once across channels (default
	// 32); commands of one channel run one at a time, in order.
	Workers int
	// Claim, when set, is asked before an interaction is answered; only the
	// process it returns true to answers. Several replicas on one token
	// each hold a gateway session, and Claim (a Redis SET NX on the
	// interaction id) makes the answer come from one of them; on the HTTP
	// endpoint it refuses a signed request replayed to another replica.
	Claim func(ctx context.Context, interactionID string) bool
}

// Adapter is the Discord platform. It implements bot.Adapter and
// bot.Editor. Create it with New; its lifecycle is Connect, Serve and
// Send/Notify/Edit concurrently, then Close.
type Adapter struct {
	opts      Options
	log       *slog.Logger
	now       func() time.Time
	publicKey ed25519.PublicKey
	origin    *url.URL // the API origin when it is not Discord's own
	rest      *restClient
	gwClient  *http.Client
	bound     *boundTransport
	incoming  chan *discordgo.Interaction
	serving   atomic.Pointer[serveState]
	gatewayUp atomic.Bool // a gateway session is identified (Ready or Resumed, not since Disconnect)
	replays   *replayCache

	life       context.Context
	lifeCancel context.CancelFunc

	mu        sync.Mutex
	appID     string
	session   *discordgo.Session
	conns     *connTracker // the session's dialer
	connected bool
	closed    bool

	// deferAfter is how long a command may run before its answer is
	// deferred; tests shorten it.
	deferAfter time.Duration
	// workers is how many commands run at once across channels.
	workers int
}

var (
	_ bot.Adapter = (*Adapter)(nil)
	_ bot.Editor  = (*Adapter)(nil)
)

// New checks opts and builds the adapter. It does no network I/O.
func New(opts Options) (*Adapter, error) {
	if opts.Token.IsZero() {
		return nil, errors.New("discord: bot token is empty (DISCORD_BOT_TOKEN)")
	}
	if opts.APIURL == "" {
		opts.APIURL = "https://discord.com"
	}
	origin, err := parseOrigin(opts.APIURL)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	if opts.ApplicationID != "" && !isSnowflake(opts.ApplicationID) {
		return nil, fmt.Errorf("discord: application id %q is not a snowflake", opts.ApplicationID)
	}
	if opts.GuildID != "" && !isSnowflake(opts.GuildID) {
		return nil, fmt.Errorf("discord: guild id %q is not a snowflake (DISCORD_GUILD_ID)", opts.GuildID)
	}
	var pub ed25519.PublicKey
	if opts.PublicKey != "" {
		b, err := hex.DecodeString(opts.PublicKey)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("discord: public key must be %d hex-encoded bytes (DISCORD_PUBLIC_KEY)", ed25519.PublicKeySize)
		}
		pub = ed25519.PublicKey(b)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	base := http.DefaultTransport
	restHTTP := &http.Client{Timeout: 30 * time.Second}
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		restHTTP = &c
		if c.Transport != nil {
			base = c.Transport
		}
	}
	var rewrite *url.URL
	if !isDiscordHost(origin.Hostname()) || origin.Scheme != "https" || origin.Port() != "" {
		rewrite = origin
	}
	restHTTP.Transport = &originTransport{base: base, origin: rewrite}
	bound := &boundTransport{base: &originTransport{base: base, origin: rewrite}}
	life, cancel := context.WithCancel(context.Background())
	bound.bind(life)
	a := &Adapter{
		opts:       opts,
		log:        opts.Logger.With("platform", Platform),
		now:        opts.Now,
		publicKey:  pub,
		origin:     rewrite,
		gwClient:   &http.Client{Transport: bound, Timeout: 20 * time.Second},
		bound:      bound,
		incoming:   make(chan *discordgo.Interaction, 256),
		replays:    newReplayCache(),
		life:       life,
		lifeCancel: cancel,
		appID:      opts.ApplicationID,
		deferAfter: 2 * time.Second,
		workers:    opts.Workers,
	}
	a.rest = &restClient{
		http:          restHTTP,
		token:         opts.Token,
		pacer:         newPacer(opts.Now),
		log:           a.log,
		backoff:       time.Second,
		maxInlineWait: 15 * time.Second,
		max429Retries: 3,
		max5xxRetries: 2,
	}
	return a, nil
}

// Platform returns "discord".
func (a *Adapter) Platform() string { return Platform }

// Limits: up to 10 alerts (embeds) per message, summaries of about 700
// characters.
func (a *Adapter) Limits() bot.Limits { return bot.Limits{MaxBatch: maxEmbeds, SummaryRunes: 700} }

// ApplicationID returns the application id, known after Connect.
func (a *Adapter) ApplicationID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.appID
}

// Connect checks the token, learns the application id when it was not
// configured, registers the slash commands by bulk overwrite (in GuildID
// when set, else globally) and opens the gateway. It is bounded by ctx.
func (a *Adapter) Connect(ctx context.Context) error {
	a.mu.Lock()
	switch {
	case a.closed:
		a.mu.Unlock()
		return errors.New("discord: connect after close")
	case a.connected:
		a.mu.Unlock()
		return errors.New("discord: already connected")
	}
	appID := a.appID
	a.mu.Unlock()

	if appID == "" {
		var app struct {
			ID string `json:"id"`
		}
		err := a.rest.do(ctx, &request{method: http.MethodGet, route: "/oauth2/applications/@me",
			path: "/oauth2/applications/@me", auth: true}, &app)
		if err != nil {
			return connectError("read the application", err)
		}
		if !isSnowflake(app.ID) {
			return fmt.Errorf("discord: read the application: id %q is not a snowflake", app.ID)
		}
		appID = app.ID
	} else {
		var me struct {
			ID string `json:"id"`
		}
		err := a.rest.do(ctx, &request{method: http.MethodGet, route: "/users/@me", path: "/users/@me", auth: true}, &me)
		if err != nil {
			return connectError("read the bot user", err)
		}
	}
	a.mu.Lock()
	a.appID = appID
	a.mu.Unlock()

	if err := a.registerCommands(ctx, appID); err != nil {
		return err
	}
	if err := a.openGateway(ctx); err != nil {
		return err
	}
	a.mu.Lock()
	a.connected = true
	a.mu.Unlock()
	a.log.Info("discord connected", "application_id", appID, "guild_id", a.opts.GuildID,
		"interactions_endpoint", a.publicKey != nil)
	return nil
}

func connectError(what string, err error) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized {
		return fmt.Errorf("discord: %s: the bot token was rejected (check DISCORD_BOT_TOKEN): %w", what, err)
	}
	return fmt.Errorf("discord: %s: %w", what, err)
}

// registerCommands replaces the application's commands with the bot's.
func (a *Adapter) registerCommands(ctx context.Context, appID string) error {
	r := &request{method: http.MethodPut, route: "/applications/{application_id}/commands", major: appID,
		path: "/applications/" + appID + "/commands", body: commandDefinitions(), auth: true}
	if g := a.opts.GuildID; g != "" {
		r.route = "/applications/{application_id}/guilds/{guild_id}/commands"
		r.path = "/applications/" + appID + "/guilds/" + g + "/commands"
	}
	var out []struct {
		ID string `json:"id"`
	}
	if err := a.rest.do(ctx, r, &out); err != nil {
		return connectError("register slash commands", err)
	}
	a.log.Info("discord commands registered", "count", len(out), "guild_id", a.opts.GuildID)
	return nil
}

// Close closes the gateway cleanly (close code 1000, so Discord ends the
// session) and stops everything the adapter started. It is bounded by ctx.
func (a *Adapter) Close(ctx context.Context) error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	s, conns := a.session, a.conns
	a.session, a.conns = nil, nil
	a.mu.Unlock()
	a.lifeCancel()
	return closeGateway(ctx, s, conns)
}

func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Ready reports, for /readyz, whether the gateway session is up.
func (a *Adapter) Ready() error {
	if !a.gatewayUp.Load() {
		return errors.New("discord gateway not connected")
	}
	return nil
}
