package discordfake

import (
	"context"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestInteractionRules(t *testing.T) {
	s := newServer(t, func(o *Options) { o.InteractionDeadline = 300 * time.Millisecond })
	p, err := s.PrepareInteraction(Interaction{Command: "list", GuildID: "1", ChannelID: "2", UserID: "3"})
	if err != nil {
		t.Fatal(err)
	}
	cb := "/interactions/" + p.ID + "/" + p.Token + "/callback"
	followup := "/webhooks/" + s.opts.ApplicationID + "/" + p.Token
	if a := call(t, s, "POST", followup, "", map[string]any{"content": "early"}); a.status != 404 || a.body["code"] != 10015.0 {
		t.Errorf("followup before the response: %d %s", a.status, a.raw)
	}
	if a := call(t, s, "POST", cb, "", map[string]any{"type": 8, "data": map[string]any{"choices": []any{}}}); a.status != 400 {
		t.Errorf("autocomplete result for a command: %d", a.status)
	}
	if a := call(t, s, "POST", cb, "", map[string]any{"type": 4, "data": map[string]any{"content": "hi", "flags": 64}}); a.status != 204 {
		t.Fatalf("response: %d %s", a.status, a.raw)
	}
	if a := call(t, s, "POST", cb, "", map[string]any{"type": 4, "data": map[string]any{"content": "again"}}); a.status != 400 || a.body["code"] != 40060.0 {
		t.Errorf("second response: %d %s", a.status, a.raw)
	}
	if a := call(t, s, "POST", followup, "", map[string]any{"content": "more"}); a.status != 200 || len(p.Followups()) != 1 {
		t.Errorf("followup: %d %s", a.status, a.raw)
	}
	if a := call(t, s, "PATCH", followup+"/messages/@original", "", map[string]any{"content": "edited"}); a.status != 200 {
		t.Errorf("edit original: %d %s", a.status, a.raw)
	}
	if m, _ := p.Original(); m.Content != "edited" || m.Flags != 64 {
		t.Errorf("original %+v", m)
	}
	late, _ := s.PrepareInteraction(Interaction{Command: "list", GuildID: "1", ChannelID: "2", UserID: "3"})
	time.Sleep(350 * time.Millisecond)
	if a := call(t, s, "POST", "/interactions/"+late.ID+"/"+late.Token+"/callback", "", map[string]any{"type": 5}); a.status != 404 || a.body["code"] != 10062.0 {
		t.Errorf("late response: %d %s", a.status, a.raw)
	}
}

func TestCommandRegistration(t *testing.T) {
	s := newServer(t, nil)
	path := "/applications/" + s.opts.ApplicationID + "/guilds/5/commands"
	opt := func(name string, required bool) map[string]any {
		return map[string]any{"type": 3, "name": name, "description": "d", "required": required}
	}
	bad := [][]any{
		{map[string]any{"name": "a", "description": "d"}, map[string]any{"name": "a", "description": "d"}},
		{map[string]any{"name": "Upper", "description": "d"}},
		{map[string]any{"name": "x", "description": "d", "options": []any{opt("o", false), opt("r", true)}}},
		{map[string]any{"name": "x"}},
	}
	for i, body := range bad {
		if a := call(t, s, "PUT", path, "Bot "+token, body); a.status != 400 {
			t.Errorf("bad registration %d accepted: %d", i, a.status)
		}
	}
	good := []any{map[string]any{"name": "x", "description": "d", "options": []any{opt("r", true), opt("o", false)}}}
	if a := call(t, s, "PUT", path, "Bot "+token, good); a.status != 200 {
		t.Fatalf("registration: %d %s", a.status, a.raw)
	}
	if c := s.Commands("5"); len(c) != 1 || c[0].Name != "x" || len(c[0].Options) != 2 || s.CommandOverwrites("5") != 1 {
		t.Errorf("commands %+v", c)
	}
	if a := call(t, s, "PUT", "/applications/42/commands", "Bot "+token, good); a.status != 403 {
		t.Errorf("other application's commands: %d", a.status)
	}
}

func TestGatewayProtocol(t *testing.T) {
	s := newServer(t, func(o *Options) { o.HeartbeatInterval = time.Second })
	dial := func() *websocket.Conn {
		c, _, err := websocket.DefaultDialer.Dial(s.GatewayURL()+"?v=10&encoding=json", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		return c
	}
	read := func(c *websocket.Conn) map[string]any {
		var m map[string]any
		if err := c.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	c := dial()
	if h := read(c); h["op"] != 10.0 || h["d"].(map[string]any)["heartbeat_interval"] != 1000.0 {
		t.Fatalf("hello %v", h)
	}
	_ = c.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": "bad", "intents": 0}})
	if _, _, err := c.ReadMessage(); !websocket.IsCloseError(err, 4004) {
		t.Errorf("bad token: %v, want close 4004", err)
	}

	c = dial()
	read(c)
	_ = c.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": "Bot " + token, "intents": 0, "properties": map[string]any{}}})
	ready := read(c)
	d := ready["d"].(map[string]any)
	if ready["t"] != "READY" || ready["s"] != 1.0 || d["session_id"] == "" {
		t.Fatalf("ready %v", ready)
	}
	_ = c.WriteJSON(map[string]any{"op": 1, "d": 1})
	if ack := read(c); ack["op"] != 11.0 {
		t.Errorf("heartbeat answered with %v", ack)
	}
	p, err := s.SendInteraction(context.Background(), Interaction{Command: "help", ChannelID: "9", UserID: "3"})
	if err != nil {
		t.Fatal(err)
	}
	if ev := read(c); ev["t"] != "INTERACTION_CREATE" || ev["s"] != 2.0 || ev["d"].(map[string]any)["id"] != p.ID {
		t.Errorf("dispatch %v", ev)
	}
	s.DropConnection()
	// missed while away
	if _, err := s.SendInteraction(context.Background(), Interaction{Command: "list", ChannelID: "9", UserID: "3"}); err != nil {
		t.Fatal(err)
	}
	c = dial()
	read(c)
	_ = c.WriteJSON(map[string]any{"op": 6, "d": map[string]any{"token": token, "session_id": d["session_id"], "seq": 2}})
	if ev := read(c); ev["t"] != "INTERACTION_CREATE" || ev["s"] != 3.0 {
		t.Errorf("replay %v", ev)
	}
	if ev := read(c); ev["t"] != "RESUMED" {
		t.Errorf("resumed %v", ev)
	}
	c2 := dial()
	read(c2)
	_ = c2.WriteJSON(map[string]any{"op": 6, "d": map[string]any{"token": token, "session_id": "nope", "seq": 1}})
	if ev := read(c2); ev["op"] != 9.0 || ev["d"] != false {
		t.Errorf("resume of an unknown session: %v", ev)
	}
	if st := s.GatewayStats(); st.Identifies != 1 || st.Resumes != 1 || st.Heartbeats != 1 || st.Intents != 0 {
		t.Errorf("stats %+v", st)
	}
}
