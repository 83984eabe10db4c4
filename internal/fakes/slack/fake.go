// Package slackfake is a faithful fake of the parts of Slack a bot uses,
// for tests only (production code must not import it): the Web API methods
// newsalert calls (chat.postMessage, chat.update, users.info,
// conversations.info, conversations.history, auth.test, views.publish,
// apps.connections.open)
// with the parameters and ok:false errors of Slack's OpenAPI description
// (a checked-in subset, see spec.go), per-method rate-limit tiers answered
// with 429 and Retry-After, Block Kit validation, a Socket Mode websocket
// with envelopes and acks, response_url endpoints, and signed HTTP requests
// for the Events API and slash commands.
package slackfake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Options configure a Fake. Empty ids take defaults.
type Options struct {
	BotToken      string // xoxb-...
	AppToken      string // xapp-...; empty refuses Socket Mode
	SigningSecret string
	TeamID        string // default T0NEWS
	BotUserID     string // default U0BOT
	BotID         string // default B0BOT
	AppID         string // default A0NEWS
	// Tiers overrides the per-method limits (method name to limit);
	// PerChannel overrides chat.postMessage's per-channel limit.
	Tiers      map[string]Limit
	PerChannel *Limit
	// PingEvery is how often the websocket sends a ping (default 5 s).
	PingEvery time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Limit is a token bucket: Burst calls at once, then one per Every.
type Limit struct {
	Every time.Duration
	Burst int
}

// Slack's published tiers (per method, per workspace) and chat.postMessage's
// "one message per second per channel, short bursts allowed".
func tierLimit(tier string) Limit {
	switch tier {
	case "tier1":
		return Limit{Every: time.Minute, Burst: 2}
	case "tier2":
		return Limit{Every: 3 * time.Second, Burst: 20}
	case "tier3":
		return Limit{Every: 1200 * time.Millisecond, Burst: 50}
	default: // tier4, special
		return Limit{Every: 600 * time.Millisecond, Burst: 100}
	}
}

// DefaultPerChannel is chat.postMessage's per-channel limit.
var DefaultPerChannel = Limit{Every: time.Second, Burst: 3}

// Channel is a conversation in the fake workspace.
type Channel struct {
	ID         string
	Name       string
	IsMember   bool // the bot is in it
	IsArchived bool
	IsPrivate  bool
	IsIM       bool
}

// User is a workspace member.
type User struct {
	ID       string
	Name     string
	IsAdmin  bool
	IsOwner  bool
	Deleted  bool
	IsBot    bool
	RealName string
}

// Message is a message the bot posted, as Slack stores it.
type Message struct {
	Channel     string
	TS          string
	Text        string
	Blocks      string // the blocks JSON as sent
	UnfurlLinks string // the parameter as sent ("" when absent)
	UnfurlMedia string
	LinkNames   bool
	Metadata    string // the metadata parameter as sent (JSON), if any
	Edits       int    // chat.update calls on it
}

// MrkdwnTexts is every mrkdwn string of the message: the top-level text
// (Slack's notification fallback) and the blocks' mrkdwn text objects.
func (m Message) MrkdwnTexts() []string {
	return append([]string{m.Text}, mrkdwnTexts(m.Blocks)...)
}

// Pings lists the mentions the message makes.
func (m Message) Pings() []string {
	var out []string
	for _, s := range m.MrkdwnTexts() {
		out = append(out, Pings(s, m.LinkNames)...)
	}
	return out
}

// Links lists the links the message renders.
func (m Message) Links() []Link {
	var out []Link
	for _, s := range m.MrkdwnTexts() {
		out = append(out, Links(s)...)
	}
	return out
}

// Stats count what the fake served.
type Stats struct {
	Calls       map[string]int // per method
	RateLimited map[string]int // 429s per method
	Errors      map[string]int // ok:false per error code
}

// Fake is a running fake Slack. Its methods are safe for concurrent use.
type Fake struct {
	opts Options
	spec Spec
	srv  *httptest.Server

	mu        sync.Mutex
	changed   chan struct{}
	revoked   bool
	channels  map[string]*Channel
	users     map[string]User
	messages  map[string][]*Message // by channel
	tsSeq     int64
	views     map[string]string // user -> view JSON
	limiters  map[string]*rate.Limiter
	stats     Stats
	failNext  map[string][]string // method -> queued error codes
	responses map[string]*Pending // response_url id -> command
	sockets   *socketHub
}

// New starts a fake on a local port.
func New(opts Options) (*Fake, error) {
	spec, err := LoadSpec()
	if err != nil {
		return nil, err
	}
	if opts.TeamID == "" {
		opts.TeamID = "T0NEWS"
	}
	if opts.BotUserID == "" {
		opts.BotUserID = "U0BOT"
	}
	if opts.BotID == "" {
		opts.BotID = "B0BOT"
	}
	if opts.AppID == "" {
		opts.AppID = "A0NEWS"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.PingEvery <= 0 {
		opts.PingEvery = 5 * time.Second
	}
	f := &Fake{opts: opts, spec: spec, changed: make(chan struct{}),
		channels: map[string]*Channel{}, users: map[string]User{}, messages: map[string][]*Message{},
		views: map[string]string{}, limiters: map[string]*rate.Limiter{}, failNext: map[string][]string{},
		responses: map[string]*Pending{},
		stats:     Stats{Calls: map[string]int{}, RateLimited: map[string]int{}, Errors: map[string]int{}}}
	f.sockets = newSocketHub(f)
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", f.serveAPI)
	mux.HandleFunc("GET /socket", f.sockets.serve)
	mux.HandleFunc("POST /response/{id}", f.serveResponseURL)
	f.srv = httptest.NewServer(mux)
	f.users[opts.BotUserID] = User{ID: opts.BotUserID, Name: "newsalert", IsBot: true}
	return f, nil
}

// APIURL is the base URL for slack.OptionAPIURL / SLACK_API_URL.
func (f *Fake) APIURL() string { return f.srv.URL + "/api/" }

// URL is the fake's origin.
func (f *Fake) URL() string { return f.srv.URL }

// Spec is the Web API subset the fake serves.
func (f *Fake) Spec() Spec { return f.spec }

// Close stops the server and every websocket.
func (f *Fake) Close() {
	f.sockets.closeAll()
	f.srv.CloseClientConnections()
	f.srv.Close()
}

// AddChannel adds (or replaces) a conversation.
func (f *Fake) AddChannel(c Channel) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cc := c
	f.channels[c.ID] = &cc
	f.notifyLocked()
}

// UpdateChannel changes a conversation in place (archive it, remove the
// bot); it reports false for an unknown id.
func (f *Fake) UpdateChannel(id string, change func(*Channel)) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, ok := f.channels[id]
	if ok {
		change(c)
	}
	return ok
}

// AddUser adds (or replaces) a workspace member.
func (f *Fake) AddUser(u User) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[u.ID] = u
}

// RevokeToken makes every later call with the bot token fail with
// invalid_auth, as after the app is uninstalled or the token rotated.
func (f *Fake) RevokeToken() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.revoked = true
}

// FailNext makes the next call of method answer ok:false with code.
func (f *Fake) FailNext(method, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failNext[method] = append(f.failNext[method], code)
}

// Messages returns the messages in a channel, oldest first.
func (f *Fake) Messages(channel string) []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Message, 0, len(f.messages[channel]))
	for _, m := range f.messages[channel] {
		out = append(out, *m)
	}
	return out
}

// AllMessages returns every message the bot posted, by channel.
func (f *Fake) AllMessages() map[string][]Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]Message{}
	for ch, ms := range f.messages {
		for _, m := range ms {
			out[ch] = append(out[ch], *m)
		}
	}
	return out
}

// HomeView returns the view last published to user's Home tab.
func (f *Fake) HomeView(user string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.views[user]
	return v, ok
}

// Stats returns a copy of the counters.
func (f *Fake) Stats() Stats {
	f.mu.Lock()
	defer f.mu.Unlock()
	cp := func(m map[string]int) map[string]int {
		o := make(map[string]int, len(m))
		for k, v := range m {
			o[k] = v
		}
		return o
	}
	return Stats{Calls: cp(f.stats.Calls), RateLimited: cp(f.stats.RateLimited), Errors: cp(f.stats.Errors)}
}

// WaitFor polls cond (under no lock) until it holds or ctx ends.
func (f *Fake) WaitFor(ctx context.Context, cond func() bool) error {
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (f *Fake) notifyLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func randomID(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + strings.ToUpper(hex.EncodeToString(b))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *Fake) nextTSLocked() string {
	f.tsSeq++
	now := f.opts.Now()
	return fmt.Sprintf("%d.%06d", now.Unix(), f.tsSeq%1000000)
}
