package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord"
	"github.com/newsalert/newsalert/bot/telegram"
	"github.com/newsalert/newsalert/internal/config"
	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/store"
)

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func serveHTTP(ctx context.Context, srv *http.Server, log *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("http server listening", "addr", srv.Addr)
	select {
	case err := <-errc:
		return fmt.Errorf("http server on %s: %w", srv.Addr, err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		<-errc
		return nil
	}
}

func httpHandler(cfg config.Config, st *store.Store, adapters []bot.Adapter, mx *metrics.Metrics, ui http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", mx.Handler())
	if ui != nil {
		mux.Handle("/ui/", ui) // the dashboard (bot/dashboard)
	}
	for _, a := range adapters {
		switch a := a.(type) {
		case *telegram.Adapter:
			if cfg.TelegramWebhookURL != "" {
				if u, err := url.Parse(cfg.TelegramWebhookURL); err == nil {
					mux.Handle("POST "+orSlash(u.Path), a.WebhookHandler())
				}
			}
		case *discord.Adapter:
			if cfg.DiscordPublicKey != "" {
				mux.Handle("POST /discord/interactions", a.InteractionsHandler())
			}
		}
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := st.Client.Ping(ctx).Err(); err != nil {
			http.Error(w, "redis unreachable: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		if st.Embedded != nil {
			if _, err := st.Embedded.LastSnapshot(); err != nil {
				http.Error(w, "snapshot failing: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		for _, a := range adapters {
			if r, ok := a.(interface{ Ready() error }); ok {
				if err := r.Ready(); err != nil {
					http.Error(w, a.Platform()+" not connected: "+err.Error(), http.StatusServiceUnavailable)
					return
				}
			}
		}
		io.WriteString(w, "ready\n")
	})
	return mux
}
