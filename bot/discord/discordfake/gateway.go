package discordfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// GatewayStats summarises what happened on the fake gateway.
type GatewayStats struct {
	Connections int // websocket connections accepted
	Identifies  int
	Resumes     int // successful resumes
	Heartbeats  int
	// Intents of the last Identify; -1 before the first.
	Intents int
	// Connected reports whether a client has a live, identified connection.
	Connected bool
	// Closes counts close frames received from clients, by close code.
	Closes map[int]int
}

type gwSession struct {
	id      string
	seq     int64
	events  [][]byte // dispatched payloads, index = seq-1
	conn    *gwConn
	invalid bool
}

type gwConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex
	session *gwSession
}

func (c *gwConn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

func (c *gwConn) sendRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

type gateway struct {
	s        *Server
	upgrader websocket.Upgrader
	wg       sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	silent   bool
	conns    map[*gwConn]bool
	sessions map[string]*gwSession
	current  *gwSession
	stats    GatewayStats
}

func newGateway(s *Server) *gateway {
	return &gateway{
		s:        s,
		upgrader: websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }},
		conns:    map[*gwConn]bool{},
		sessions: map[string]*gwSession{},
		stats:    GatewayStats{Intents: -1, Closes: map[int]int{}},
	}
}

// GatewayStats returns the gateway's counters.
func (s *Server) GatewayStats() GatewayStats {
	g := s.gw
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.stats
	st.Closes = map[int]int{}
	for k, v := range g.stats.Closes {
		st.Closes[k] = v
	}
	st.Connected = g.current != nil && g.current.conn != nil
	return st
}

// DropConnection cuts every gateway connection without a close frame, as a
// network failure would. The session stays resumable.
func (s *Server) DropConnection() {
	g := s.gw
	g.mu.Lock()
	conns := make([]*gwConn, 0, len(g.conns))
	for c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.UnderlyingConn().Close()
	}
}

// SetGatewaySilent makes new gateway connections hang after the websocket
// handshake, never sending Hello, as a stuck gateway would.
func (s *Server) SetGatewaySilent(silent bool) {
	s.gw.mu.Lock()
	s.gw.silent = silent
	s.gw.mu.Unlock()
}

// SendReconnect sends op 7 Reconnect on the live connection; the client is
// expected to close it and resume on a new one.
func (s *Server) SendReconnect() error {
	return s.gw.sendOp(map[string]any{"op": 7, "d": nil})
}

// InvalidateSession sends op 9 Invalid Session. When resumable is false the
// session is forgotten, so the client must identify again.
func (s *Server) InvalidateSession(resumable bool) error {
	g := s.gw
	g.mu.Lock()
	if !resumable && g.current != nil {
		g.current.invalid = true
		delete(g.sessions, g.current.id)
	}
	g.mu.Unlock()
	return g.sendOp(map[string]any{"op": 9, "d": resumable})
}

func (g *gateway) sendOp(v any) error {
	g.mu.Lock()
	var c *gwConn
	if g.current != nil {
		c = g.current.conn
	}
	g.mu.Unlock()
	if c == nil {
		return fmt.Errorf("discordfake: no live gateway connection")
	}
	return c.send(v)
}

func (g *gateway) close() {
	g.mu.Lock()
	g.closed = true
	conns := make([]*gwConn, 0, len(g.conns))
	for c := range g.conns {
		conns = append(conns, c)
	}
	g.mu.Unlock()
	for _, c := range conns {
		_ = c.ws.Close()
	}
	g.wg.Wait()
}

// dispatch sends an op 0 event on the current session. Without a live
// connection the event is kept and replayed when the client resumes.
func (g *gateway) dispatch(ctx context.Context, typ string, data json.RawMessage) error {
	g.mu.Lock()
	sess := g.current
	if sess == nil {
		g.mu.Unlock()
		return fmt.Errorf("discordfake: no gateway session to dispatch %s on", typ)
	}
	sess.seq++
	b, err := json.Marshal(map[string]any{"op": 0, "t": typ, "s": sess.seq, "d": data})
	if err != nil {
		g.mu.Unlock()
		return fmt.Errorf("discordfake: encode %s: %w", typ, err)
	}
	sess.events = append(sess.events, b)
	c := sess.conn
	g.mu.Unlock()
	if c == nil {
		return nil // replayed on resume
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.sendRaw(b); err != nil {
		return nil // the client will resume and get it replayed
	}
	return nil
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		http.Error(w, "closed", http.StatusServiceUnavailable)
		return
	}
	g.wg.Add(1)
	g.mu.Unlock()
	defer g.wg.Done()
	if v := r.URL.Query().Get("v"); v != "" && v != "10" && v != "9" {
		http.Error(w, "unsupported gateway version", http.StatusBadRequest)
		return
	}
	ws, err := g.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gwConn{ws: ws}
	g.mu.Lock()
	g.conns[c] = true
	g.stats.Connections++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.conns, c)
		if c.session != nil && c.session.conn == c {
			c.session.conn = nil
		}
		g.mu.Unlock()
		_ = ws.Close()
	}()
	ws.SetCloseHandler(func(code int, _ string) error {
		g.mu.Lock()
		g.stats.Closes[code]++
		if (code == websocket.CloseNormalClosure || code == websocket.CloseGoingAway) && c.session != nil {
			// Discord ends the session on a clean close.
			delete(g.sessions, c.session.id)
			if g.current == c.session {
				g.current = nil
			}
		}
		g.mu.Unlock()
		return nil
	})
	g.mu.Lock()
	silent := g.silent
	g.mu.Unlock()
	if silent {
		// read (and drop) until the client gives up
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}
	hb := g.s.opts.HeartbeatInterval.Milliseconds()
	if err := c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": hb}, "s": nil, "t": nil}); err != nil {
		return
	}
	for {
		_, msg, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var p struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(msg, &p) != nil {
			_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
			return
		}
		switch p.Op {
		case 1:
			g.mu.Lock()
			g.stats.Heartbeats++
			g.mu.Unlock()
			if c.send(map[string]any{"op": 11, "d": nil}) != nil {
				return
			}
		case 2:
			if !g.identify(c, p.D) {
				return
			}
		case 6:
			if !g.resume(c, p.D) {
				return
			}
		case 3, 4, 8:
			// presence, voice state and member requests: accepted, ignored
		default:
			_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4001, "Unknown opcode."), time.Now().Add(time.Second))
			return
		}
	}
}

func (g *gateway) tokenOK(tok string) bool {
	return strings.TrimPrefix(tok, "Bot ") == g.s.opts.Token
}

func (g *gateway) identify(c *gwConn, d json.RawMessage) bool {
	var id struct {
		Token   string `json:"token"`
		Intents *int   `json:"intents"`
	}
	if json.Unmarshal(d, &id) != nil || id.Intents == nil {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
		return false
	}
	if !g.tokenOK(id.Token) {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."), time.Now().Add(time.Second))
		return false
	}
	sess := &gwSession{id: "5e55" + g.s.nextID(), conn: c}
	g.mu.Lock()
	if c.session != nil {
		delete(g.sessions, c.session.id)
	}
	c.session = sess
	g.sessions[sess.id] = sess
	g.current = sess
	g.stats.Identifies++
	g.stats.Intents = *id.Intents
	sess.seq++
	seq := sess.seq
	g.mu.Unlock()
	ready := map[string]any{
		"v":                  10,
		"user":               g.s.botUser(),
		"guilds":             []any{},
		"private_channels":   []any{},
		"session_id":         sess.id,
		"session_type":       "normal",
		"resume_gateway_url": g.s.GatewayURL(),
		"application":        map[string]any{"id": g.s.opts.ApplicationID, "flags": 0},
		"shard":              []int{0, 1},
	}
	b, err := json.Marshal(map[string]any{"op": 0, "t": "READY", "s": seq, "d": ready})
	if err != nil {
		return false
	}
	g.mu.Lock()
	sess.events = append(sess.events, b)
	g.mu.Unlock()
	return c.sendRaw(b) == nil
}

func (g *gateway) resume(c *gwConn, d json.RawMessage) bool {
	var rs struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if json.Unmarshal(d, &rs) != nil {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
		return false
	}
	if !g.tokenOK(rs.Token) {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."), time.Now().Add(time.Second))
		return false
	}
	g.mu.Lock()
	sess := g.sessions[rs.SessionID]
	if sess == nil || sess.invalid || rs.Seq > sess.seq {
		g.mu.Unlock()
		return c.send(map[string]any{"op": 9, "d": false}) == nil
	}
	if old := sess.conn; old != nil && old != c {
		_ = old.ws.UnderlyingConn().Close()
	}
	sess.conn = c
	c.session = sess
	g.current = sess
	g.stats.Resumes++
	missed := append([][]byte(nil), sess.events[rs.Seq:]...)
	sess.seq++
	resumed, _ := json.Marshal(map[string]any{"op": 0, "t": "RESUMED", "s": sess.seq, "d": map[string]any{}})
	sess.events = append(sess.events, resumed)
	g.mu.Unlock()
	for _, b := range missed {
		if c.sendRaw(b) != nil {
			return false
		}
	}
	return c.sendRaw(resumed) == nil
}
