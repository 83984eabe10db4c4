package discord

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// discordHosts are the hosts discordgo and webhook URLs use; requests to
// them are sent to the configured API origin instead.
func isDiscordHost(h string) bool {
	switch strings.ToLower(h) {
	case "discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com":
		return true
	}
	return false
}

// parseOrigin checks DISCORD_API_URL: an absolute http(s) URL without a path
// (a trailing slash is allowed).
func parseOrigin(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("parse discord api url %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord api url %q: want http(s)://host[:port]", raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("discord api url %q: want an origin only, without path, query or credentials", raw)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// originTransport sends requests for Discord's hosts to another origin
// (DISCORD_API_URL), so that discordgo's gateway lookup and every REST call
// reach a fake or a proxy without touching discordgo's package-level
// endpoint variables.
type originTransport struct {
	base   http.RoundTripper
	origin *url.URL // nil: leave requests alone
}

func (t *originTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.origin == nil || !isDiscordHost(req.URL.Hostname()) {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme = t.origin.Scheme
	r.URL.Host = t.origin.Host
	r.Host = ""
	return t.base.RoundTrip(r)
}

// boundTransport gives requests that carry no context of their own
// (discordgo's gateway lookup) the context of the operation that caused
// them: Connect's while it runs, the adapter's lifetime afterwards.
type boundTransport struct {
	base http.RoundTripper

	mu  sync.Mutex
	ctx context.Context
}

func (t *boundTransport) bind(ctx context.Context) {
	t.mu.Lock()
	t.ctx = ctx
	t.mu.Unlock()
}

func (t *boundTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	ctx := t.ctx
	t.mu.Unlock()
	if ctx != nil && req.Context() == context.Background() {
		req = req.WithContext(ctx)
	}
	return t.base.RoundTrip(req)
}

// connTracker dials the gateway's TCP connections and can cut them all: the
// only way to unblock discordgo's Open, which reads without deadlines, when
// Connect's context ends or the adapter closes.
type connTracker struct {
	dialer net.Dialer

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
}

func (c *connTracker) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, fmt.Errorf("dial discord gateway: adapter is closed")
	}
	conn, err := c.dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		_ = conn.Close()
		return nil, fmt.Errorf("dial discord gateway: adapter is closed")
	}
	if c.conns == nil {
		c.conns = map[net.Conn]struct{}{}
	}
	tc := &trackedConn{Conn: conn, t: c}
	c.conns[tc] = struct{}{}
	return tc, nil
}

// refuse makes later dials fail, leaving open connections alone.
func (c *connTracker) refuse() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

// cutAll closes every open gateway connection; with final set, later dials
// fail too.
func (c *connTracker) cutAll(final bool) {
	c.mu.Lock()
	if final {
		c.closed = true
	}
	conns := make([]net.Conn, 0, len(c.conns))
	for conn := range c.conns {
		conns = append(conns, conn)
	}
	c.mu.Unlock()
	for _, conn := range conns {
		_ = conn.Close()
	}
}

type trackedConn struct {
	net.Conn
	t    *connTracker
	once sync.Once
}

func (tc *trackedConn) Close() error {
	tc.once.Do(func() {
		tc.t.mu.Lock()
		delete(tc.t.conns, tc)
		tc.t.mu.Unlock()
	})
	return tc.Conn.Close()
}
