package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/net/netutil"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord"
	slackbot "github.com/newsalert/newsalert/bot/slack"
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

// HTTP server limits: a slow or idle client cannot hold a connection, and
// no request body is read past maxRequestBody (the webhook handlers cap
// theirs lower).
const (
	httpReadHeaderTimeout = 5 * time.Second
	httpReadTimeout       = 10 * time.Second // headers and body
	httpWriteTimeout      = 30 * time.Second
	httpIdleTimeout       = 15 * time.Second // between keep-alive requests
	httpMaxHeaderBytes    = 64 << 10
	maxRequestBody        = 1 << 20
)

// newHTTPServer builds the server with its timeouts.
func newHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           limitBodies(h, maxRequestBody),
		ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout:       httpReadTimeout,
		WriteTimeout:      httpWriteTimeout,
		IdleTimeout:       httpIdleTimeout,
		MaxHeaderBytes:    httpMaxHeaderBytes,
	}
}

// limitBodies refuses a request whose declared body is over max bytes
// before reading any of it, and stops reading any body at max bytes.
func limitBodies(h http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		h.ServeHTTP(w, r)
	})
}

// serveHTTP serves srv on its address, at most maxConns connections at
// once (the others wait to be accepted), until ctx is done.
func serveHTTP(ctx context.Context, srv *http.Server, maxConns int, log *slog.Logger) error {
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("http server on %s: %w", srv.Addr, err)
	}
	ln = netutil.LimitListener(ln, maxConns)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("http server listening", "addr", srv.Addr, "max_connections", maxConns)
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
		case *slackbot.Adapter:
			slackRoutes(mux, cfg, a)
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
			if err := st.Embedded.Ready(); err != nil {
				http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
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
