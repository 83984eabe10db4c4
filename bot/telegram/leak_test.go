package telegram

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/secret"
)

// TestTokenNeverLeaks drives every network path of the adapter against
// failing servers and checks that neither the logs nor the returned errors
// contain the token (or the webhook secret), in any escaping.
func TestTokenNeverLeaks(t *testing.T) {
	const token = "5551234567:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
	const webhookSecret = "wh_SECRET_value-42"
	modes := []struct {
		name    string
		handler http.HandlerFunc // nil: the server is closed
	}{
		{"server closed", nil},
		{"timeout", func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body) // so that the server notices the client leaving
			<-r.Context().Done()
		}},
		{"500", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"ok":false,"error_code":500,"description":"Internal Server Error"}`))
		}},
		{"502 html", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>Bad Gateway " + r.URL.Path + "</html>"))
		}},
		{"invalid json", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`{"ok":true,"result":{"message_id":` + r.URL.Path))
		}},
		{"401", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"ok":false,"error_code":401,"description":"Unauthorized"}`))
		}},
		{"connection cut", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}},
	}
	forbidden := []string{token, url.QueryEscape(token), url.PathEscape(token), "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", webhookSecret}
	check := func(t *testing.T, what, text string) {
		t.Helper()
		for _, f := range forbidden {
			if strings.Contains(text, f) {
				t.Errorf("%s contains a secret %q:\n%s", what, f, text)
			}
		}
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			var srv *httptest.Server
			if m.handler == nil {
				srv = httptest.NewServer(http.NotFoundHandler())
				srv.Close()
			} else {
				srv = httptest.NewServer(m.handler)
				defer srv.Close()
			}
			logs := &syncBuffer{}
			prefix := "natest:" + t.Name() + ":"
			opts := Options{
				Token:          secret.New(token),
				APIURL:         srv.URL,
				Redis:          testRedis(t, prefix),
				KeyPrefix:      prefix,
				Logger:         slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
				RequestTimeout: 200 * time.Millisecond,
				PollTimeout:    time.Second,
				LeaseTTL:       time.Second,
			}
			webhook := opts
			webhook.WebhookURL, webhook.WebhookSecret = "https://bot.example.com/tg", secret.New(webhookSecret)
			var errs []error
			for _, o := range []Options{opts, webhook} {
				a, err := New(o)
				if err != nil {
					t.Fatal(err)
				}
				errs = append(errs, a.Connect(context.Background()))
			}
			a, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			chat := bot.Chat{Platform: "telegram", ID: "42"}
			_, _, err = a.Send(context.Background(), chat, []bot.Alert{grainAlert()})
			errs = append(errs, err)
			_, err = a.Notify(context.Background(), chat, "notice")
			errs = append(errs, err)
			_, err = a.Edit(context.Background(), chat, "7", []bot.Alert{grainAlert()})
			errs = append(errs, err)
			_, err = a.download(context.Background(), "documents/file_1.opml", 1024)
			errs = append(errs, err)
			ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
			errs = append(errs, a.Serve(ctx, newRecorder()))
			cancel()
			failures := 0
			for _, err := range errs {
				if err == nil {
					continue
				}
				failures++
				check(t, "error", err.Error())
			}
			if failures < 5 {
				t.Errorf("only %d of the calls failed: %v", failures, errs)
			}
			if !strings.Contains(logs.String(), "getUpdates") && m.name != "401" && m.name != "timeout" {
				t.Errorf("the failing poll was not logged:\n%s", logs)
			}
			check(t, "logs", logs.String())
		})
	}
}
