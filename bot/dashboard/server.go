// Package dashboard serves the web dashboard under /ui/: a page per chat
// (its subscriptions, a live query preview, its settings), and for bot
// admins the sources and the system. A user signs in with a one-time link
// that /dashboard sends in the chat; every change made on a page is a
// bot.Request run through the same command handler as chat commands, so
// permissions, limits and validation exist once.
package dashboard

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the dashboard.
type Options struct {
	Redis     redis.UniversalClient
	KeyPrefix string
	// PublicURL is where users reach the HTTP server (NEWSALERT_PUBLIC_URL);
	// empty disables links. An https URL makes the session cookie Secure.
	PublicURL string
	// Commands runs every change (the bot's command handler).
	Commands bot.Handler
	Data     Data
	// Direct sends a private message to a user (the Telegram private chat);
	// nil when the platform has no way to.
	Direct      func(ctx context.Context, u bot.User, text string) error
	QueryLimits query.Limits
	// PreviewStories is how many recent stories the preview searches
	// (default 500).
	PreviewStories int
	// LoginRate and LoginBurst limit sign-in attempts per client address
	// (default 1 every 6 s, burst 10).
	LoginRate  rate.Limit
	LoginBurst int
	Now        func() time.Time
	Logger     *slog.Logger
}

// Server is the dashboard: an http.Handler for /ui/ and the
// bot.DashboardLinks the /dashboard command uses.
type Server struct {
	opts   Options
	tok    *tokens
	pages  map[string]*template.Template
	mux    *http.ServeMux
	log    *slog.Logger
	secure bool

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

const (
	sessionCookie = "newsalert_session"
	loginCookie   = "newsalert_login"
	maxLimiters   = 10000
)

// csp allows nothing but this origin: no inline script or style, no
// third-party origin, no framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// New builds the dashboard.
func New(opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.PreviewStories <= 0 {
		opts.PreviewStories = 500
	}
	if opts.LoginRate == 0 {
		opts.LoginRate = rate.Every(6 * time.Second)
	}
	if opts.LoginBurst <= 0 {
		opts.LoginBurst = 10
	}
	if opts.QueryLimits == (query.Limits{}) {
		opts.QueryLimits = query.DefaultLimits()
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, tok: &tokens{rdb: opts.Redis, prefix: opts.KeyPrefix}, pages: pages,
		log: opts.Logger, secure: strings.HasPrefix(strings.ToLower(opts.PublicURL), "https:"),
		limiters: map[string]*rate.Limiter{}}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	m.Handle("GET /ui/static/", http.StripPrefix("/ui/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /ui/{$}", s.home)
	m.HandleFunc("GET /ui/login/{token}", s.limited(s.loginPage))
	m.HandleFunc("POST /ui/login", s.limited(s.login))
	m.HandleFunc("POST /ui/logout", s.logout)
	m.HandleFunc("GET /ui/c/{chat}/{$}", s.chatOnly(s.chatPage))
	m.HandleFunc("GET /ui/c/{chat}/preview", s.chatOnly(s.preview))
	m.HandleFunc("POST /ui/c/{chat}/subscribe", s.chatOnly(s.postSubscribe))
	m.HandleFunc("POST /ui/c/{chat}/edit", s.chatOnly(s.postEdit))
	m.HandleFunc("POST /ui/c/{chat}/unsubscribe", s.chatOnly(s.postUnsubscribe))
	m.HandleFunc("POST /ui/c/{chat}/digest", s.chatOnly(s.postDigest))
	m.HandleFunc("POST /ui/c/{chat}/settings", s.chatOnly(s.postSettings))
	m.HandleFunc("POST /ui/c/{chat}/pause", s.chatOnly(s.postPause))
	m.HandleFunc("POST /ui/c/{chat}/pausesub", s.chatOnly(s.postPauseSub))
	m.HandleFunc("GET /ui/c/{chat}/sources", s.adminOnly(s.sourcesPage))
	m.HandleFunc("POST /ui/c/{chat}/sources/add", s.adminOnly(s.postAddSource))
	m.HandleFunc("POST /ui/c/{chat}/sources/test", s.adminOnly(s.postTestSource))
	m.HandleFunc("POST /ui/c/{chat}/sources/state", s.adminOnly(s.postSourceState))
	m.HandleFunc("POST /ui/c/{chat}/sources/import", s.adminOnly(s.postImport))
	m.HandleFunc("GET /ui/c/{chat}/sources/export.opml", s.adminOnly(s.exportOPML))
	m.HandleFunc("GET /ui/c/{chat}/system", s.adminOnly(s.systemPage))
	s.mux = m
}

// ServeHTTP implements http.Handler with the security headers on every
// answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if !strings.HasPrefix(r.URL.Path, "/ui/static/") {
		h.Set("Cache-Control", "no-store")
	}
	s.mux.ServeHTTP(w, r)
}

// Link implements bot.DashboardLinks.
func (s *Server) Link(ctx context.Context, g bot.Grant) (string, error) {
	if s.opts.PublicURL == "" {
		return "", bot.ErrNoPublicURL
	}
	tok, err := s.tok.issueLink(ctx, g)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s.opts.PublicURL, "/") + "/ui/login/" + tok, nil
}

// Revoke implements bot.DashboardLinks.
func (s *Server) Revoke(ctx context.Context, u bot.User) (int, error) { return s.tok.revoke(ctx, u) }

// DirectMessage implements bot.DashboardLinks.
func (s *Server) DirectMessage(ctx context.Context, u bot.User, text string) error {
	if s.opts.Direct == nil {
		return errors.New("no private messages on " + u.Platform)
	}
	return s.opts.Direct(ctx, u, text)
}

// chatPath is the opaque path segment naming a chat.
func chatPath(c string) string { return base64.RawURLEncoding.EncodeToString([]byte(c)) }

// view is what a handler knows about the signed-in browser.
type view struct {
	sess  session
	token string
	chat  bot.Chat
	base  string // /ui/c/<chat>
}

// chatOnly admits a request only with a session for the chat in its path:
// no session is 401, another chat's path 404, a POST without the
// session's CSRF token 403.
func (s *Server) chatOnly(next func(http.ResponseWriter, *http.Request, view)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil {
			s.refuse(w, http.StatusUnauthorized, "You are not signed in. Send /dashboard in the chat for a sign-in link.")
			return
		}
		sess, err := s.tok.session(r.Context(), c.Value)
		if errors.Is(err, errNoSuchToken) {
			s.refuse(w, http.StatusUnauthorized, "Your session ended or was revoked. Send /dashboard in the chat for a new sign-in link.")
			return
		}
		if err != nil {
			s.log.Error("dashboard session lookup failed", "err", err)
			s.refuse(w, http.StatusServiceUnavailable, "The dashboard can't reach its store just now; try again in a minute.")
			return
		}
		if r.PathValue("chat") != chatPath(sess.Grant.Chat) {
			s.refuse(w, http.StatusNotFound, "There is no such page for your session.")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxOPMLUpload+64<<10) // before any form parsing
		}
		if r.Method == http.MethodPost && !s.csrfOK(r, sess.CSRF) {
			s.refuse(w, http.StatusForbidden, "This form has expired; reload the page and try again.")
			return
		}
		chat, err := subscriptions.ParseChat(sess.Grant.Chat)
		if err != nil {
			s.refuse(w, http.StatusNotFound, "There is no such page for your session.")
			return
		}
		next(w, r, view{sess: sess, token: c.Value, chat: chat, base: "/ui/c/" + chatPath(sess.Grant.Chat)})
	}
}

// adminOnly is chatOnly for sessions that may manage sources; others get
// 403.
func (s *Server) adminOnly(next func(http.ResponseWriter, *http.Request, view)) http.HandlerFunc {
	return s.chatOnly(func(w http.ResponseWriter, r *http.Request, v view) {
		if !v.sess.Grant.ManageSources {
			s.refuse(w, http.StatusForbidden, "Only the bot's admins can see this page.")
			return
		}
		next(w, r, v)
	})
}

func (s *Server) csrfOK(r *http.Request, want string) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	got := r.FormValue("csrf")
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// limited rate-limits sign-in attempts per client address.
func (s *Server) limited(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.limiter(clientAddr(r)).Allow() {
			w.Header().Set("Retry-After", "10")
			s.refuse(w, http.StatusTooManyRequests, "Too many sign-in attempts from your address; wait a minute and try again.")
			return
		}
		next(w, r)
	}
}

func (s *Server) limiter(addr string) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.limiters[addr]
	if !ok {
		if len(s.limiters) >= maxLimiters {
			s.limiters = map[string]*rate.Limiter{} // bounded memory; a flood resets buckets
		}
		l = rate.NewLimiter(s.opts.LoginRate, s.opts.LoginBurst)
		s.limiters[addr] = l
	}
	return l
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// run makes a change through the command handler, as the user of the
// session in its chat, and returns the handler's answer.
func (s *Server) run(ctx context.Context, v view, command, args string, att *bot.Attachment) bot.Reply {
	g := v.sess.Grant
	manageChat, manageSources := g.ManageChat, g.ManageSources
	req := bot.Request{Chat: v.chat, ChatKind: bot.ChatKind(g.ChatKind), User: g.user(), Command: command, Args: args,
		Attachment:       att,
		CanManageChat:    func(context.Context) (bool, error) { return manageChat, nil },
		CanManageSources: func(context.Context) (bool, error) { return manageSources, nil },
	}
	return s.opts.Commands.Handle(ctx, req)
}

// done shows the handler's answer on the next page (post, redirect, get).
func (s *Server) done(w http.ResponseWriter, r *http.Request, v view, to string, reply bot.Reply) {
	s.tok.setFlash(r.Context(), v.token, reply.Text)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// home sends a signed-in browser to its chat's page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if sess, err := s.tok.session(r.Context(), c.Value); err == nil {
			http.Redirect(w, r, "/ui/c/"+chatPath(sess.Grant.Chat)+"/", http.StatusSeeOther)
			return
		}
	}
	s.refuse(w, http.StatusUnauthorized, "Send /dashboard in a chat with the bot for a sign-in link.")
}

// loginPage asks to confirm the sign-in. Opening the link does not use it
// (link previews fetch links too); the button does.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	ok, err := s.tok.linkExists(r.Context(), tok)
	if err != nil {
		s.log.Error("dashboard link lookup failed", "err", err)
		s.refuse(w, http.StatusServiceUnavailable, "The dashboard can't reach its store just now; try again in a minute.")
		return
	}
	if !ok {
		s.refuse(w, http.StatusGone, "This sign-in link was already used or has expired. Send /dashboard in the chat for a new one.")
		return
	}
	csrf := newToken()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: csrf, Path: "/ui/login", MaxAge: int(LinkTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	s.render(w, http.StatusOK, "login", page{Title: "Sign in", CSRF: csrf, Token: tok})
}

// login uses the link and starts the session.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	c, err := r.Cookie(loginCookie)
	if err != nil || !s.csrfOK(r, c.Value) {
		s.refuse(w, http.StatusForbidden, "This form has expired; open the sign-in link again.")
		return
	}
	st, sess, err := s.tok.useLink(r.Context(), r.FormValue("token"), s.opts.Now())
	if errors.Is(err, errNoSuchToken) {
		s.refuse(w, http.StatusGone, "This sign-in link was already used or has expired. Send /dashboard in the chat for a new one.")
		return
	}
	if err != nil {
		s.log.Error("dashboard sign-in failed", "err", err)
		s.refuse(w, http.StatusServiceUnavailable, "The dashboard can't reach its store just now; try again in a minute.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/ui/login", MaxAge: -1})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: st, Path: "/ui/", MaxAge: int(SessionTTL.Seconds()),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/ui/c/"+chatPath(sess.Grant.Chat)+"/", http.StatusSeeOther)
}

// logout ends this browser's session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		http.Redirect(w, r, "/ui/", http.StatusSeeOther)
		return
	}
	sess, err := s.tok.session(r.Context(), c.Value)
	if err == nil && !s.csrfOK(r, sess.CSRF) {
		s.refuse(w, http.StatusForbidden, "This form has expired; reload the page and try again.")
		return
	}
	s.tok.endSession(r.Context(), c.Value)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/ui/", MaxAge: -1, HttpOnly: true,
		Secure: s.secure, SameSite: http.SameSiteStrictMode})
	s.render(w, http.StatusOK, "message", page{Title: "Signed out", Message: "You are signed out. Send /dashboard in the chat to sign in again."})
}

// refuse answers with a page saying why.
func (s *Server) refuse(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "message", page{Title: http.StatusText(status), Message: msg})
}

// query values helper.
func queryValue(r *http.Request, key string) string {
	v, _ := url.ParseQuery(r.URL.RawQuery)
	return v.Get(key)
}
