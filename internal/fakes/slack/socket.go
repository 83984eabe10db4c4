package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// socketHub serves Socket Mode websockets: hello on connect, envelopes out,
// acks in, and pings so that clients see a live connection.
type socketHub struct {
	f        *Fake
	upgrader websocket.Upgrader

	mu      sync.Mutex
	conns   []*socketConn
	pending map[string]*Pending // envelope id -> waiting for ack
	wg      sync.WaitGroup
	closed  bool
}

type socketConn struct {
	ws   *websocket.Conn
	wmu  sync.Mutex
	done chan struct{}
}

func (c *socketConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

func newSocketHub(f *Fake) *socketHub {
	return &socketHub{f: f, pending: map[string]*Pending{},
		// Slack clients send Origin: https://api.slack.com.
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}}
}

func (h *socketHub) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("ticket") == "" {
		http.Error(w, "no ticket", http.StatusUnauthorized)
		return
	}
	ws, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &socketConn{ws: ws, done: make(chan struct{})}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		ws.Close()
		return
	}
	h.conns = append(h.conns, c)
	h.wg.Add(1)
	n := len(h.conns)
	h.mu.Unlock()
	defer h.wg.Done()
	go h.pinger(c)
	c.write(map[string]any{"type": "hello", "num_connections": n,
		"debug_info":      map[string]any{"host": "fake-slack", "approximate_connection_time": 18060},
		"connection_info": map[string]any{"app_id": h.f.opts.AppID}})
	h.f.mu.Lock()
	h.f.notifyLocked()
	h.f.mu.Unlock()
	h.read(c)
	close(c.done)
	ws.Close()
	h.mu.Lock()
	for i, x := range h.conns {
		if x == c {
			h.conns = append(h.conns[:i], h.conns[i+1:]...)
			break
		}
	}
	h.mu.Unlock()
}

func (h *socketHub) pinger(c *socketConn) {
	t := time.NewTicker(h.f.opts.PingEvery)
	defer t.Stop()
	for {
		c.wmu.Lock()
		err := c.ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(5*time.Second))
		c.wmu.Unlock()
		if err != nil {
			return
		}
		select {
		case <-t.C:
		case <-c.done:
			return
		}
	}
}

// read takes acks: {"envelope_id": ..., "payload": {...}}.
func (h *socketHub) read(c *socketConn) {
	for {
		var ack struct {
			EnvelopeID string          `json:"envelope_id"`
			Payload    json.RawMessage `json:"payload"`
		}
		if err := c.ws.ReadJSON(&ack); err != nil {
			return
		}
		h.mu.Lock()
		p := h.pending[ack.EnvelopeID]
		delete(h.pending, ack.EnvelopeID)
		h.mu.Unlock()
		if p != nil {
			p.acked(ack.Payload)
		}
	}
}

// Connections is the number of open Socket Mode connections.
func (f *Fake) Connections() int {
	f.sockets.mu.Lock()
	defer f.sockets.mu.Unlock()
	return len(f.sockets.conns)
}

// DropConnections closes every websocket, as Slack does on a refresh.
func (f *Fake) DropConnections() {
	f.sockets.mu.Lock()
	conns := append([]*socketConn(nil), f.sockets.conns...)
	f.sockets.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
}

func (h *socketHub) closeAll() {
	h.mu.Lock()
	h.closed = true
	conns := append([]*socketConn(nil), h.conns...)
	h.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	h.wg.Wait()
}

// ErrNoConnection is returned when no Socket Mode client is connected.
var ErrNoConnection = errors.New("slackfake: no socket mode connection")

// send writes an envelope to the newest connection and registers p to
// receive its ack.
func (h *socketHub) send(envType string, payload any, p *Pending, acceptsResponse bool) error {
	h.mu.Lock()
	if len(h.conns) == 0 {
		h.mu.Unlock()
		return ErrNoConnection
	}
	c := h.conns[len(h.conns)-1]
	h.pending[p.EnvelopeID] = p
	h.mu.Unlock()
	env := map[string]any{"envelope_id": p.EnvelopeID, "type": envType, "payload": payload,
		"accepts_response_payload": acceptsResponse, "retry_attempt": 0, "retry_reason": ""}
	if err := c.write(env); err != nil {
		h.mu.Lock()
		delete(h.pending, p.EnvelopeID)
		h.mu.Unlock()
		return fmt.Errorf("slackfake: write envelope: %w", err)
	}
	return nil
}

// SlashCommand is one invocation of a slash command.
type SlashCommand struct {
	Command     string // default /newsalert
	Text        string
	ChannelID   string
	ChannelName string // default: the channel's name, "directmessage" for D…
	UserID      string
	UserName    string
}

func (f *Fake) slashPayload(cmd SlashCommand, p *Pending) map[string]string {
	if cmd.Command == "" {
		cmd.Command = "/newsalert"
	}
	if cmd.ChannelName == "" {
		f.mu.Lock()
		if ch, ok := f.channels[cmd.ChannelID]; ok {
			cmd.ChannelName = ch.Name
		}
		f.mu.Unlock()
		if strings.HasPrefix(cmd.ChannelID, "D") {
			cmd.ChannelName = "directmessage"
		}
	}
	return map[string]string{"token": "deprecated-verification-token", "team_id": f.opts.TeamID, "team_domain": "newsroom",
		"channel_id": cmd.ChannelID, "channel_name": cmd.ChannelName, "user_id": cmd.UserID, "user_name": cmd.UserName,
		"command": cmd.Command, "text": cmd.Text, "api_app_id": f.opts.AppID, "is_enterprise_install": "false",
		"response_url": f.srv.URL + "/response/" + p.responseID, "trigger_id": randomID("13345224609.")}
}

// SendSlashCommand delivers a slash command over Socket Mode and returns
// the pending invocation: its ack and what is posted to its response_url.
func (f *Fake) SendSlashCommand(ctx context.Context, cmd SlashCommand) (*Pending, error) {
	p := f.newPending()
	if err := f.sockets.send("slash_commands", f.slashPayload(cmd, p), p, true); err != nil {
		return nil, err
	}
	return p, nil
}

// EventWrapper builds an Events API event_callback around event, with
// every field the Events API schema requires.
func (f *Fake) EventWrapper(event map[string]any) map[string]any {
	if _, ok := event["event_ts"]; !ok {
		event["event_ts"] = fmt.Sprintf("%d.000100", time.Now().Unix())
	}
	return map[string]any{"token": "deprecated-verification-token", "team_id": f.opts.TeamID, "api_app_id": f.opts.AppID,
		"event": event, "type": "event_callback", "event_id": randomID("Ev"), "event_time": time.Now().Unix(),
		"authed_users": []string{f.opts.BotUserID}}
}

// SendEvent delivers an Events API event (the inner event, e.g.
// {"type":"app_home_opened","user":"U1","tab":"home"}) over Socket Mode.
func (f *Fake) SendEvent(ctx context.Context, event map[string]any) (*Pending, error) {
	p := f.newPending()
	if err := f.sockets.send("events_api", f.EventWrapper(event), p, false); err != nil {
		return nil, err
	}
	return p, nil
}

// Response is what the app sent back for a command: an ack payload, an
// HTTP response body, or a POST to the response_url.
type Response struct {
	Via             string `json:"-"` // "ack", "http" or "response_url"
	Text            string `json:"text"`
	ResponseType    string `json:"response_type"` // "ephemeral" (default) or "in_channel"
	ReplaceOriginal bool   `json:"replace_original"`
	Blocks          json.RawMessage
}

// Ephemeral reports whether only the caller sees the response.
func (r Response) Ephemeral() bool { return r.ResponseType != "in_channel" }

// Pending is a command or event delivered to the app.
type Pending struct {
	EnvelopeID string
	responseID string
	f          *Fake

	mu        sync.Mutex
	ack       chan struct{}
	ackDone   bool
	responses []Response
	uses      int
}

func (f *Fake) newPending() *Pending {
	p := &Pending{EnvelopeID: randomID("env-"), responseID: randomID("r"), f: f, ack: make(chan struct{})}
	f.mu.Lock()
	f.responses[p.responseID] = p
	f.mu.Unlock()
	return p
}

func (p *Pending) acked(payload json.RawMessage) {
	p.mu.Lock()
	if !p.ackDone {
		p.ackDone = true
		close(p.ack)
	}
	p.mu.Unlock()
	if len(payload) > 0 && string(payload) != "null" && string(payload) != "{}" {
		p.add("ack", payload)
	}
}

func (p *Pending) add(via string, body []byte) error {
	var r Response
	if err := json.Unmarshal(body, &r); err != nil {
		return err
	}
	var raw struct {
		Blocks json.RawMessage `json:"blocks"`
	}
	json.Unmarshal(body, &raw)
	r.Blocks, r.Via = raw.Blocks, via
	p.mu.Lock()
	p.responses = append(p.responses, r)
	p.mu.Unlock()
	p.f.mu.Lock()
	p.f.notifyLocked()
	p.f.mu.Unlock()
	return nil
}

// WaitAck waits until the app acknowledged the envelope (Slack wants it
// within 3 seconds).
func (p *Pending) WaitAck(ctx context.Context) error {
	select {
	case <-p.ack:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Responses returns every response so far, in order.
func (p *Pending) Responses() []Response {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Response(nil), p.responses...)
}

// WaitResponse waits for a response that is not only a progress note
// (accept decides) and returns it.
func (p *Pending) WaitResponse(ctx context.Context, accept func(Response) bool) (Response, error) {
	var got Response
	err := p.f.WaitFor(ctx, func() bool {
		for _, r := range p.Responses() {
			if accept == nil || accept(r) {
				got = r
				return true
			}
		}
		return false
	})
	return got, err
}

// serveResponseURL takes the app's POSTs to a command's response_url
// (at most 5, as Slack allows).
func (f *Fake) serveResponseURL(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	p := f.responses[r.PathValue("id")]
	f.mu.Unlock()
	if p == nil {
		http.Error(w, "invalid_response_url", http.StatusNotFound)
		return
	}
	p.mu.Lock()
	p.uses++
	uses := p.uses
	p.mu.Unlock()
	if uses > 5 {
		writeJSON(w, http.StatusNotFound, map[string]any{"ok": false, "error": "used_url"})
		return
	}
	var body bytesBuf
	if _, err := body.ReadFrom(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	var check struct {
		Text   string          `json:"text"`
		Blocks json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(body.b, &check); err != nil || (check.Text == "" && len(check.Blocks) == 0) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error": "no_text"})
		return
	}
	if len(check.Blocks) > 0 {
		if format, errs := validateBlocks(string(check.Blocks), MaxMessageBlocks); !format || len(errs) > 0 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error": "invalid_blocks", "response_metadata": map[string]any{"messages": errs}})
			return
		}
	}
	if err := p.add("response_url", body.b); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"ok": false, "error": "invalid_payload"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// RequestRefresh sends every connection a disconnect envelope
// (reason refresh_requested), as Slack does every few hours, and closes it
// a moment later; clients must open a new connection.
func (f *Fake) RequestRefresh() {
	f.sockets.mu.Lock()
	conns := append([]*socketConn(nil), f.sockets.conns...)
	f.sockets.mu.Unlock()
	for _, c := range conns {
		c.write(map[string]any{"type": "disconnect", "reason": "refresh_requested",
			"debug_info": map[string]any{"host": "fake-slack"}})
		time.AfterFunc(200*time.Millisecond, func() { c.ws.Close() })
	}
}
