package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/internal/secret"
)

// testToken looks like a real bot token (base64 user id, timestamp, HMAC).
const testToken = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GkQz7p.Zx9_s3cr3tT0kenValue-ForTests_0123456789"

const (
	guildID   = "1200000000000000001"
	channelID = "1300000000000000001"
	threadID  = "1300000000000000099"
	dmID      = "1400000000000000001"
	userID    = "2002"
	adminID   = "2001"
)

// Discord permission bits used in tests.
const (
	permViewSend       = 1<<10 | 1<<11
	permManageChannels = 1 << 4
	permManageGuild    = 1 << 5
	permAdministrator  = 1 << 3
)

func newFake(t testing.TB, mutate func(*discordfake.Options)) *discordfake.Server {
	t.Helper()
	opts := discordfake.Options{Token: testToken, Logf: t.Logf}
	if mutate != nil {
		mutate(&opts)
	}
	f, err := discordfake.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

// syncBuffer is a log sink safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newAdapter builds an adapter for f with logs captured in the returned
// buffer and fast backoffs.
func newAdapter(t testing.TB, f *discordfake.Server, mutate func(*Options)) (*Adapter, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	opts := Options{
		Token:  secret.New(testToken),
		APIURL: f.URL(),
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if mutate != nil {
		mutate(&opts)
	}
	a, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	a.rest.backoff = 20 * time.Millisecond
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		if out := logs.String(); strings.Contains(out, testToken) {
			t.Errorf("logs contain the token:\n%s", out)
		}
	})
	return a, logs
}

// connect connects a to f within 10 s.
func connect(t testing.TB, a *Adapter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx); err != nil {
		t.Fatalf("Connect: %v", err)
	}
}

// serve runs a.Serve(h) until the test ends and checks it returns nil.
func serve(t testing.TB, a *Adapter, h bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Serve did not return within 5 s of cancellation")
		}
	})
}

// recorder is a bot.Handler and bot.Completer that records what it gets.
type recorder struct {
	mu       sync.Mutex
	requests []bot.Request
	// reply answers a request; default echoes the command.
	reply func(ctx context.Context, req bot.Request) bot.Reply
	// complete answers autocomplete.
	complete func(req bot.Request, option, partial string) []bot.Choice
	asked    []string
}

func (r *recorder) Handle(ctx context.Context, req bot.Request) bot.Reply {
	r.mu.Lock()
	r.requests = append(r.requests, req)
	r.mu.Unlock()
	if r.reply != nil {
		return r.reply(ctx, req)
	}
	return bot.Reply{Text: "ok " + req.Command + " " + req.Args}
}

func (r *recorder) Complete(ctx context.Context, req bot.Request, option, partial string) []bot.Choice {
	r.mu.Lock()
	r.asked = append(r.asked, req.Command+"/"+option+"="+partial)
	r.mu.Unlock()
	if r.complete != nil {
		return r.complete(req, option, partial)
	}
	return nil
}

// last returns the newest request the handler got, waiting for one: an
// interaction may be answered (deferred) before its handler starts.
func (r *recorder) last(t testing.TB) bot.Request {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r.mu.Lock()
		n := len(r.requests)
		var req bot.Request
		if n > 0 {
			req = r.requests[n-1]
		}
		r.mu.Unlock()
		if n > 0 {
			return req
		}
		if time.Now().After(deadline) {
			t.Fatal("handler got no request")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func waitCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// loadAlerts reads testdata/alerts.json.
func loadAlerts(t testing.TB) []bot.Alert {
	t.Helper()
	b, err := os.ReadFile("testdata/alerts.json")
	if err != nil {
		t.Fatal(err)
	}
	var alerts []bot.Alert
	if err := json.Unmarshal(b, &alerts); err != nil {
		t.Fatal(err)
	}
	return alerts
}

var discordChat = bot.Chat{Platform: Platform, ID: channelID}
