package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
)

func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// endpoint starts an adapter with the interactions endpoint mounted.
func endpoint(t *testing.T, f *discordfake.Server, h bot.Handler, now func() time.Time) (*Adapter, *httptest.Server) {
	t.Helper()
	a, _ := newAdapter(t, f, func(o *Options) {
		o.PublicKey = hex.EncodeToString(testKey(1).Public().(ed25519.PublicKey))
		if now != nil {
			o.Now = now
		}
	})
	connect(t, a)
	if h != nil {
		serve(t, a, h)
	}
	mux := http.NewServeMux()
	mux.Handle("/discord/interactions", a.InteractionsHandler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return a, srv
}

func post(t *testing.T, url string, body []byte, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(waitCtx(t), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func signed(key ed25519.PrivateKey, ts time.Time, body []byte) map[string]string {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	return map[string]string{
		"Content-Type":          "application/json",
		"X-Signature-Timestamp": stamp,
		"X-Signature-Ed25519":   discordfake.SignRequest(key, stamp, body),
	}
}

func TestInteractionsEndpointSignatures(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	f := newFake(t, nil)
	_, srv := endpoint(t, f, &recorder{}, func() time.Time { return now })
	url := srv.URL + "/discord/interactions"
	ping := []byte(`{"id":"1500000000000000001","application_id":"1100000000000000001","type":1,"token":"tok","version":1}`)
	tampered := bytes.Replace(ping, []byte(`"type":1`), []byte(`"type":2`), 1)
	good := signed(testKey(1), now, ping)

	tests := []struct {
		name       string
		body       []byte
		header     map[string]string
		wantStatus int
		wantBody   string
	}{
		{"valid ping", ping, good, 200, `{"type":1}`},
		{"tampered body", tampered, good, 401, ""},
		{"wrong key", ping, signed(testKey(2), now, ping), 401, ""},
		{"stale timestamp", ping, signed(testKey(1), now.Add(-5*time.Minute-time.Second), ping), 401, ""},
		{"timestamp from the future", ping, signed(testKey(1), now.Add(6*time.Minute), ping), 401, ""},
		{"four minutes old", ping, signed(testKey(1), now.Add(-4*time.Minute), ping), 200, `{"type":1}`},
		{"no signature", ping, map[string]string{"X-Signature-Timestamp": good["X-Signature-Timestamp"]}, 401, ""},
		{"signature not hex", ping, map[string]string{"X-Signature-Timestamp": good["X-Signature-Timestamp"], "X-Signature-Ed25519": "zz"}, 401, ""},
		{"timestamp not a number", ping, map[string]string{"X-Signature-Timestamp": "now", "X-Signature-Ed25519": good["X-Signature-Ed25519"]}, 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := post(t, url, tt.body, tt.header)
			if status != tt.wantStatus {
				t.Errorf("status %d (%s), want %d", status, body, tt.wantStatus)
			}
			if tt.wantBody != "" && strings.TrimSpace(body) != tt.wantBody {
				t.Errorf("body %s, want %s", body, tt.wantBody)
			}
		})
	}

	big := append([]byte(`{"type":1,"pad":"`), bytes.Repeat([]byte("x"), 70<<10)...)
	big = append(big, `"}`...)
	if status, _ := post(t, url, big, signed(testKey(1), now, big)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("70 KiB body: status %d, want 413", status)
	}
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
}

func TestInteractionsEndpointCommands(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	rec := &recorder{reply: func(ctx context.Context, req bot.Request) bot.Reply {
		if req.Command == "test" {
			select {
			case <-time.After(300 * time.Millisecond):
			case <-ctx.Done():
			}
		}
		return bot.Reply{Text: "answer to " + req.Command, Private: req.Command == "list"}
	}}
	a, srv := endpoint(t, f, rec, nil)
	a.deferAfter = 100 * time.Millisecond
	url := srv.URL + "/discord/interactions"
	base := discordfake.Interaction{GuildID: guildID, ChannelID: channelID, UserID: userID, Permissions: permManageChannels}

	in := base
	in.Command = "list"
	p, status, err := f.DeliverHTTP(waitCtx(t), srv.Client(), url, testKey(1), in)
	if err != nil || status != 200 {
		t.Fatalf("DeliverHTTP: %d %v", status, err)
	}
	cb, ok := p.Response()
	if !ok || cb.Type != 4 || cb.Content != "answer to list" || cb.Flags != 64 {
		t.Errorf("response %+v, want an ephemeral answer", cb)
	}
	if req := rec.last(t); req.Chat != discordChat || req.Command != "list" {
		t.Errorf("request %+v", req)
	} else if ok, _ := req.CanManageChat(context.Background()); !ok {
		t.Error("Manage Channels not granted")
	}

	// Replaying the same signed request is refused.
	status, _ = post(t, url, p.Payload, signed(testKey(1), time.Now(), p.Payload))
	if status != http.StatusConflict {
		t.Errorf("replay: status %d, want 409", status)
	}

	in = base
	in.Command, in.Options = "test", []discordfake.Option{{Name: "query", Value: "grain"}}
	p, status, err = f.DeliverHTTP(waitCtx(t), srv.Client(), url, testKey(1), in)
	if err != nil || status != 200 {
		t.Fatalf("DeliverHTTP slow: %d %v", status, err)
	}
	if cb, _ := p.Response(); cb.Type != 5 {
		t.Fatalf("slow command answered with type %d, want 5", cb.Type)
	}
	if err := f.WaitFor(waitCtx(t), func() bool { return len(p.Followups()) == 1 }); err != nil {
		t.Fatal(err)
	}
	if m := p.Followups()[0]; m.Content != "answer to test" {
		t.Errorf("followup %q", m.Content)
	}

	in = base
	in.Command, in.Autocomplete = "unsubscribe", true
	in.Options = []discordfake.Option{{Name: "number", Value: "", Focused: true}}
	p, status, err = f.DeliverHTTP(waitCtx(t), srv.Client(), url, testKey(1), in)
	if err != nil || status != 200 {
		t.Fatalf("DeliverHTTP autocomplete: %d %v", status, err)
	}
	if cb, _ := p.Response(); cb.Type != 8 || cb.Choices == nil {
		t.Errorf("autocomplete answer %+v", cb)
	}
}

func TestInteractionsEndpointNotServing(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	_, srv := endpoint(t, f, nil, nil)
	in := discordfake.Interaction{Command: "help", ChannelID: dmID, UserID: userID}
	_, status, _ := f.DeliverHTTP(waitCtx(t), srv.Client(), srv.URL+"/discord/interactions", testKey(1), in)
	if status != http.StatusServiceUnavailable {
		t.Errorf("status %d while not serving, want 503", status)
	}
	// without a public key the endpoint does not exist
	a, _ := newAdapter(t, f, nil)
	rr := httptest.NewRecorder()
	body, _ := json.Marshal(map[string]int{"type": 1})
	a.InteractionsHandler().ServeHTTP(rr, httptest.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body)))
	if rr.Code != http.StatusNotFound {
		t.Errorf("status %d without a public key, want 404", rr.Code)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for name, o := range map[string]Options{
		"no token":       {},
		"api url path":   {APIURL: "https://discord.com/api/v10"},
		"api url scheme": {APIURL: "ftp://discord.com"},
		"public key":     {PublicKey: "abcd"},
		"guild id":       {GuildID: "guild"},
		"application id": {ApplicationID: "12a"},
	} {
		if name != "no token" {
			o.Token = secretToken()
		}
		if _, err := New(o); err == nil {
			t.Errorf("%s: New accepted %+v", name, o)
		}
	}
}
