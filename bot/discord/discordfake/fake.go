// Package discordfake is an in-process fake of Discord for tests: the HTTP
// API v10 routes a bot uses (built from Discord's OpenAPI description, whose
// required fields and limits it enforces, plus the limits the description
// leaves out), Discord's rate-limit headers and 429 bodies, failure
// injection, and a small gateway over websocket (Hello, Identify, Ready,
// heartbeats, Resume with replay, Reconnect, Invalid Session, dropped
// connections, INTERACTION_CREATE dispatches).
//
// Point a client at it with URL() as the API origin (DISCORD_API_URL):
// REST calls go to URL()+"/api/v10/...", and GET /api/v10/gateway returns
// the ws:// URL of the fake gateway. Everything a client does is recorded
// and can be inspected with Messages, Commands, Calls and the interaction
// handles.
package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Options configure a Server. The zero value of every field but Token picks
// Discord's own numbers.
type Options struct {
	// Token is the bot token the fake accepts ("Authorization: Bot <Token>").
	Token string
	// ApplicationID is the application (and, by default, bot user) id.
	ApplicationID string
	// BotUserID is the bot user's id; defaults to ApplicationID.
	BotUserID string
	// BotName is the bot user's name; defaults to "newsalert".
	BotName string
	// HeartbeatInterval is sent in Hello; default 41.25 s as Discord does.
	HeartbeatInterval time.Duration
	// MessageLimit messages per MessageWindow may be created in one channel
	// (Discord: 5 per 5 s). Negative disables the limit.
	MessageLimit  int
	MessageWindow time.Duration
	// GlobalLimit is the number of requests per second a bot may make
	// (Discord: 50). Interaction callbacks and followups are exempt, as on
	// Discord. Negative disables the limit.
	GlobalLimit int
	// InteractionDeadline is how long after dispatch an interaction may be
	// answered (Discord: 3 s); later callbacks get 404 Unknown interaction.
	InteractionDeadline time.Duration
	// FollowupWindow is how long an interaction token stays valid for
	// followups and edits (Discord: 15 min).
	FollowupWindow time.Duration
	// Logf, when set, receives one line per request (t.Logf fits).
	Logf func(format string, args ...any)
}

// Well-known routes, as operation keys of Discord's OpenAPI description, for
// Inject and Calls.
const (
	RouteGateway             = "GET /gateway"
	RouteGatewayBot          = "GET /gateway/bot"
	RouteCurrentUser         = "GET /users/@me"
	RouteCurrentApplication  = "GET /oauth2/applications/@me"
	RouteApplication         = "GET /applications/@me"
	RouteGetCommands         = "GET /applications/{application_id}/commands"
	RouteBulkCommands        = "PUT /applications/{application_id}/commands"
	RouteGetGuildCommands    = "GET /applications/{application_id}/guilds/{guild_id}/commands"
	RouteBulkGuildCommands   = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
	RouteCreateMessage       = "POST /channels/{channel_id}/messages"
	RouteEditMessage         = "PATCH /channels/{channel_id}/messages/{message_id}"
	RouteInteractionCallback = "POST /interactions/{interaction_id}/{interaction_token}/callback"
	RouteExecuteWebhook      = "POST /webhooks/{webhook_id}/{webhook_token}"
	RouteEditOriginal        = "PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original"
	RouteDeleteOriginal      = "DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original"
)

// Server is a running fake. It is safe for concurrent use.
type Server struct {
	opts    Options
	spec    *spec
	srv     *httptest.Server
	gw      *gateway
	closing chan struct{}
	close   sync.Once

	mu           sync.Mutex
	seq          int64
	calls        []Call
	messages     map[string][]*Message // by channel, in creation order
	byID         map[string]*Message
	commands     map[string][]json.RawMessage // scope ("" global, else guild id)
	commandPuts  map[string]int
	faults       []*faultRule
	buckets      map[string]*window
	global       []time.Time
	invalid      int
	interactions map[string]*interactionState // by id
	byToken      map[string]*interactionState
	webhooks     map[string]*webhook // by id
	nonces       map[string]nonceEntry
	attachments  map[string]Attachment // files users gave to commands, by id
}

// New starts a fake Discord on a local port. Close it when done.
func New(opts Options) (*Server, error) {
	if opts.Token == "" {
		return nil, fmt.Errorf("discordfake: Options.Token is required")
	}
	if opts.ApplicationID == "" {
		opts.ApplicationID = "1100000000000000001"
	}
	if opts.BotUserID == "" {
		opts.BotUserID = opts.ApplicationID
	}
	if opts.BotName == "" {
		opts.BotName = "newsalert"
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 41250 * time.Millisecond
	}
	if opts.MessageLimit == 0 {
		opts.MessageLimit = 5
	}
	if opts.MessageWindow <= 0 {
		opts.MessageWindow = 5 * time.Second
	}
	if opts.GlobalLimit == 0 {
		opts.GlobalLimit = 50
	}
	if opts.InteractionDeadline <= 0 {
		opts.InteractionDeadline = 3 * time.Second
	}
	if opts.FollowupWindow <= 0 {
		opts.FollowupWindow = 15 * time.Minute
	}
	sp, err := loadSpec()
	if err != nil {
		return nil, fmt.Errorf("discordfake: %w", err)
	}
	s := &Server{
		opts:         opts,
		spec:         sp,
		closing:      make(chan struct{}),
		seq:          time.Now().UnixMilli(),
		messages:     map[string][]*Message{},
		byID:         map[string]*Message{},
		commands:     map[string][]json.RawMessage{},
		commandPuts:  map[string]int{},
		buckets:      map[string]*window{},
		interactions: map[string]*interactionState{},
		byToken:      map[string]*interactionState{},
		webhooks:     map[string]*webhook{},
		nonces:       map[string]nonceEntry{},
		attachments:  map[string]Attachment{},
	}
	s.gw = newGateway(s)
	s.srv = httptest.NewServer(s.routes())
	return s, nil
}

// URL is the origin to configure as DISCORD_API_URL, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return s.srv.URL }

// GatewayURL is the ws:// URL the gateway lookup returns.
func (s *Server) GatewayURL() string { return "ws" + s.srv.URL[len("http"):] + "/gateway-ws" }

// Close stops the gateway and the HTTP server; hanging requests are released.
func (s *Server) Close() {
	s.close.Do(func() {
		close(s.closing)
		s.gw.close()
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// nextID returns a fresh snowflake-looking id (milliseconds since Discord's
// epoch shifted left 22 bits, plus a counter).
func (s *Server) nextID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextIDLocked()
}

func (s *Server) nextIDLocked() string {
	s.seq++
	const discordEpoch = 1420070400000
	return strconv.FormatInt((s.seq-discordEpoch)<<22|s.seq&0xfff, 10)
}

// Call is one HTTP request the fake answered.
type Call struct {
	Method string
	Path   string // the request path, e.g. /api/v10/channels/1/messages
	Route  string // the operation key, e.g. RouteCreateMessage; "" when unknown
	Major  string // the route's major parameter (channel, guild, webhook or application id)
	Status int
	Body   json.RawMessage // the request body, when it was JSON
	At     time.Time
}

// Calls returns every request answered so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallCount counts the requests to route (and, when major is not empty, to
// that channel, guild or webhook).
func (s *Server) CallCount(route, major string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Route == route && (major == "" || c.Major == major) {
			n++
		}
	}
	return n
}

// InvalidRequests counts answers Discord counts against the invalid-request
// limit (401, 403 and 429 other than shared-scope 429s).
func (s *Server) InvalidRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.invalid
}

// Messages returns the messages in channelID in creation order, as they are
// now (after edits), including those sent by webhooks.
func (s *Server) Messages(channelID string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, 0, len(s.messages[channelID]))
	for _, m := range s.messages[channelID] {
		if !m.Deleted {
			out = append(out, m.clone())
		}
	}
	return out
}

// AllMessages returns every message created through the fake, by channel.
func (s *Server) AllMessages() map[string][]Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]Message{}
	for ch, list := range s.messages {
		for _, m := range list {
			if !m.Deleted {
				out[ch] = append(out[ch], m.clone())
			}
		}
	}
	return out
}

// Command is an application command as registered by bulk overwrite.
type Command struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Type        int             `json:"type"`
	Options     []CommandOption `json:"options"`
	Contexts    []int           `json:"contexts"`
	Raw         json.RawMessage `json:"-"`
}

// CommandOption is one option of a registered command.
type CommandOption struct {
	Type         int             `json:"type"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Required     bool            `json:"required"`
	Autocomplete bool            `json:"autocomplete"`
	Options      []CommandOption `json:"options"`
}

// Commands returns the commands registered globally (guildID "") or for a
// guild, as of the last bulk overwrite.
func (s *Server) Commands(guildID string) []Command {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Command, 0, len(s.commands[guildID]))
	for _, raw := range s.commands[guildID] {
		var c Command
		if err := json.Unmarshal(raw, &c); err == nil {
			c.Raw = append(json.RawMessage(nil), raw...)
			out = append(out, c)
		}
	}
	return out
}

// CommandOverwrites counts bulk overwrites of a scope ("" global).
func (s *Server) CommandOverwrites(guildID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commandPuts[guildID]
}

// CreateWebhook registers an incoming webhook that posts into channelID and
// returns its URL in Discord's form, https://discord.com/api/webhooks/ID/TOKEN
// (a client configured with this fake's URL as its API origin rewrites it).
func (s *Server) CreateWebhook(channelID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextIDLocked()
	tok := "wh-" + s.nextIDLocked() + "-Zx9_Secret"
	s.webhooks[id] = &webhook{id: id, token: tok, channelID: channelID}
	return "https://discord.com/api/webhooks/" + id + "/" + tok
}

type webhook struct {
	id, token, channelID string
}

type nonceEntry struct {
	messageID string
	at        time.Time
}

// WaitFor polls cond every 5 ms until it is true or ctx is done.
func (s *Server) WaitFor(ctx context.Context, cond func() bool) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if cond() {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("discordfake: condition not met: %w", ctx.Err())
		case <-t.C:
		}
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf(format, args...)
	}
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		_ = json.NewEncoder(w).Encode(v)
	}
}
