package slack

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	slackfake "github.com/newsalert/newsalert/internal/fakes/slack"
	"github.com/newsalert/newsalert/internal/secret"
)

func TestHTTPModeVerifiesEveryRequest(t *testing.T) {
	fake, a, _, _ := startAdapter(t, Options{SigningSecret: secret.New("s3cr3ts3cr3ts3cr3t")})
	fake.AddUser(slackfake.User{ID: "U1", Name: "bob"})
	mux := http.NewServeMux()
	mux.Handle("POST /slack/commands", a.CommandsHandler())
	mux.Handle("POST /slack/events", a.EventsHandler())
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fake.WaitFor(ctx, func() bool { return a.Ready() == nil })

	p, code, err := fake.PostSlashCommand(ctx, srv.URL+"/slack/commands", slackfake.SlashCommand{ChannelID: "C0001", UserID: "U1", Text: "list"})
	if err != nil || code != http.StatusOK {
		t.Fatalf("signed command: %d %v", code, err)
	}
	if r, err := p.WaitResponse(ctx, nil); err != nil || !strings.HasPrefix(r.Text, "list|") || !r.Ephemeral() {
		t.Fatalf("answer: %+v %v", r, err)
	}

	do := func(req *http.Request, body []byte) int {
		req.Body = io.NopCloser(strings.NewReader(string(body)))
		req.ContentLength = int64(len(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	req, body, _, _ := fake.SlashCommandRequest(ctx, srv.URL+"/slack/commands", slackfake.SlashCommand{ChannelID: "C0001", UserID: "U1", Text: "list"})
	if c := do(req.Clone(ctx), body); c != http.StatusOK {
		t.Fatalf("first delivery: %d", c)
	}
	if c := do(req.Clone(ctx), body); c != http.StatusUnauthorized {
		t.Errorf("replayed request: %d, want 401", c)
	}
	tampered := []byte(strings.Replace(string(body), "list", "pause", 1))
	req2, _, _, _ := fake.SlashCommandRequest(ctx, srv.URL+"/slack/commands", slackfake.SlashCommand{ChannelID: "C0001", UserID: "U1", Text: "list"})
	if c := do(req2, tampered); c != http.StatusUnauthorized {
		t.Errorf("tampered body: %d, want 401", c)
	}
	req3, body3, _, _ := fake.SlashCommandRequest(ctx, srv.URL+"/slack/commands", slackfake.SlashCommand{ChannelID: "C0001", UserID: "U1", Text: "list"})
	fake.Sign(req3, body3, time.Now().Add(-10*time.Minute))
	if c := do(req3, body3); c != http.StatusUnauthorized {
		t.Errorf("10-minute-old timestamp: %d, want 401", c)
	}

	ev, evBody, _ := fake.EventRequest(ctx, srv.URL+"/slack/events", map[string]any{"type": "url_verification", "token": "x", "challenge": "c-123"})
	ev.Body = io.NopCloser(strings.NewReader(string(evBody)))
	resp, err := http.DefaultClient.Do(ev)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "c-123" {
		t.Errorf("challenge answer %q", b)
	}
	home, homeBody, _ := fake.EventRequest(ctx, srv.URL+"/slack/events", fake.EventWrapper(map[string]any{"type": "app_home_opened", "user": "U1", "channel": "D0U1", "tab": "home"}))
	if c := do(home, homeBody); c != http.StatusOK {
		t.Fatalf("event: %d", c)
	}
	if err := fake.WaitFor(ctx, func() bool { _, ok := fake.HomeView("U1"); return ok }); err != nil {
		t.Error("Home tab not published")
	}
}
