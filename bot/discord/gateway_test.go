package discord

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
)

func TestGatewayReconnects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// disturb breaks the connection; interactions sent meanwhile must
		// still arrive.
		disturb     func(*discordfake.Server) error
		wantResumes int
		wantIdent   int
	}{
		{"dropped socket is resumed", func(f *discordfake.Server) error { f.DropConnection(); return nil }, 1, 1},
		{"op 7 reconnect is resumed", (*discordfake.Server).SendReconnect, 1, 1},
		{"op 9 invalid session identifies again", func(f *discordfake.Server) error { return f.InvalidateSession(false) }, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(o *discordfake.Options) { o.HeartbeatInterval = 200 * time.Millisecond })
			rec := &recorder{}
			a, _ := newAdapter(t, f, nil)
			connect(t, a)
			serve(t, a, rec)
			in := discordfake.Interaction{Command: "list", GuildID: guildID, ChannelID: channelID, UserID: userID}
			interaction(t, f, in)

			if err := tt.disturb(f); err != nil {
				t.Fatal(err)
			}
			if tt.wantResumes > 0 {
				// Sent while the bot is away: replayed on resume.
				p, err := f.SendInteraction(waitCtx(t), in)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := p.WaitResponse(waitCtx(t)); err != nil {
					t.Fatalf("interaction sent during the outage was not answered: %v", err)
				}
			}
			ctx := waitCtx(t)
			err := f.WaitFor(ctx, func() bool {
				st := f.GatewayStats()
				return st.Connected && st.Resumes == tt.wantResumes && st.Identifies == tt.wantIdent
			})
			if err != nil {
				t.Fatalf("gateway %+v: %v", f.GatewayStats(), err)
			}
			interaction(t, f, in)
			// heartbeats flow on the new connection
			hb := f.GatewayStats().Heartbeats
			if err := f.WaitFor(ctx, func() bool { return f.GatewayStats().Heartbeats > hb }); err != nil {
				t.Errorf("no heartbeat after reconnecting: %v", err)
			}
		})
	}
}

func TestCloseIsClean(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	connect(t, a)
	ctx := waitCtx(t)
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.WaitFor(ctx, func() bool { return f.GatewayStats().Closes[1000] == 1 }); err != nil {
		t.Errorf("no close frame 1000: %+v", f.GatewayStats())
	}
	// A later drop or restart must not bring the session back.
	time.Sleep(300 * time.Millisecond)
	if st := f.GatewayStats(); st.Connected || st.Connections != 1 {
		t.Errorf("gateway after Close: %+v", st)
	}
	if err := a.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := a.Serve(ctx, &recorder{}); err == nil {
		t.Error("Serve after Close succeeded")
	}
}

func TestConnectBoundedByContext(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	f.SetGatewaySilent(true)
	a, _ := newAdapter(t, f, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := a.Connect(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Connect = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Connect took %v after its deadline", d)
	}
	// Connect may be tried again; the abandoned session stays dead.
	f.SetGatewaySilent(false)
	connect(t, a)
	rec := &recorder{}
	serve(t, a, rec)
	interaction(t, f, discordfake.Interaction{Command: "help", ChannelID: dmID, UserID: userID})
	time.Sleep(200 * time.Millisecond)
	if st := f.GatewayStats(); st.Identifies != 1 || st.Connections != 2 {
		t.Errorf("gateway after a retried Connect: %+v", st)
	}
	if n := len(rec.requests); n != 1 {
		t.Errorf("handler got %d requests, want 1", n)
	}
}

func TestServeReturnsPromptly(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	started := make(chan struct{})
	rec := &recorder{reply: func(ctx context.Context, _ bot.Request) bot.Reply {
		close(started)
		<-ctx.Done() // a handler that waits for cancellation
		return bot.Reply{Text: "cancelled"}
	}}
	a, _ := newAdapter(t, f, nil)
	connect(t, a)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, rec) }()
	if _, err := f.SendInteraction(waitCtx(t), discordfake.Interaction{Command: "list", GuildID: guildID, ChannelID: channelID, UserID: userID}); err != nil {
		t.Fatal(err)
	}
	<-started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Serve did not return within 2 s of cancellation")
	}
	if err := a.Serve(context.Background(), nil); err == nil {
		t.Error("Serve(nil handler) succeeded")
	}
}

// TestClaimLetsOneReplicaAnswer: an interaction another process claimed is
// not answered here; one this process claims is.
func TestClaimLetsOneReplicaAnswer(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	var mu sync.Mutex
	var asked []string
	a, _ := newAdapter(t, f, func(o *Options) {
		o.Claim = func(_ context.Context, id string) bool {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, id)
			return len(asked) == 1 // the first is ours, the second another replica's
		}
	})
	if err := a.Ready(); err == nil {
		t.Error("Ready before Connect")
	}
	connect(t, a)
	if err := a.Ready(); err != nil {
		t.Errorf("Ready after Connect: %v", err)
	}
	rec := &recorder{}
	serve(t, a, rec)
	interaction(t, f, discordfake.Interaction{Command: "help", ChannelID: dmID, UserID: userID})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := f.SendInteraction(ctx, discordfake.Interaction{Command: "list", ChannelID: dmID, UserID: userID}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	rec.mu.Lock()
	n := len(rec.requests)
	rec.mu.Unlock()
	mu.Lock()
	defer mu.Unlock()
	if n != 1 || len(asked) != 2 {
		t.Fatalf("handled %d of 2 interactions after %d claims, want 1 handled", n, len(asked))
	}
}
