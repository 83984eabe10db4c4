package discord

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/internal/secret"
)

func secretToken() secret.String { return secret.New(testToken) }

// TestTokenNeverLeaks runs the failure paths that carry the most detail
// (network errors, a 401, a gateway refused) and checks that no error, no
// slog line and nothing discordgo prints through the standard logger
// contains the token.
func TestTokenNeverLeaks(t *testing.T) {
	var std bytes.Buffer
	prev := log.Writer()
	log.SetOutput(&std) // discordgo's fallback logger
	t.Cleanup(func() { log.SetOutput(prev) })

	refused := newFake(t, func(o *discordfake.Options) { o.Token = "some-other-token" })
	tests := []struct {
		name   string
		apiURL string
	}{
		{"network failure", "http://127.0.0.1:1"},
		{"401 unauthorized", refused.URL()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			a, err := New(Options{Token: secret.New(testToken), APIURL: tt.apiURL,
				Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			if err != nil {
				t.Fatal(err)
			}
			a.rest.backoff = time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var errs []error
			errs = append(errs, a.Connect(ctx))
			_, _, err = a.Send(ctx, discordChat, loadAlerts(t)[:1])
			errs = append(errs, err)
			_, err = a.Notify(ctx, discordChat, "hello")
			errs = append(errs, err)
			_, err = a.Edit(ctx, discordChat, "1500000000000000001", loadAlerts(t)[:1])
			errs = append(errs, err)
			errs = append(errs, a.Close(ctx))
			slog.New(slog.NewTextHandler(&logs, nil)).Info("options", "opts", a.opts, "token", a.opts.Token)
			for i, err := range errs[:4] {
				if err == nil {
					t.Errorf("call %d succeeded against %s", i, tt.name)
					continue
				}
				if strings.Contains(err.Error(), testToken) || strings.Contains(fmt.Sprintf("%+v %#v", err, err), testToken) {
					t.Errorf("error leaks the token: %v", err)
				}
			}
			if strings.Contains(logs.String(), testToken) {
				t.Errorf("logs leak the token:\n%s", logs.String())
			}
			if !strings.Contains(logs.String(), secret.Redacted) {
				t.Errorf("options log does not show the token redacted:\n%s", logs.String())
			}
		})
	}
	// A full connection (REST, gateway lookup, identify, heartbeats) prints
	// nothing through the standard logger either.
	f := newFake(t, nil)
	a, _ := newAdapter(t, f, nil)
	connect(t, a)
	if strings.Contains(std.String(), testToken) {
		t.Errorf("discordgo's logger printed the token:\n%s", std.String())
	}
	if std.Len() > 0 {
		t.Errorf("discordgo logged through the standard logger: %s", std.String())
	}
}
