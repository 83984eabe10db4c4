package dashboard

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/subscriptions"
)

// page is everything a template may show.
type page struct {
	Title   string
	Message string
	CSRF    string
	Token   string // sign-in link token (login page)
	Base    string // /ui/c/<chat>
	Nav     string // "chat", "sources", "system"
	Flash   string
	Chat    string
	Admin   bool
	Manage  bool

	Subs     []subRow
	History  []historyRow
	Settings subscriptions.ChatSettings
	Query    string
	Preview  *preview

	Sources []sourceRow

	System    System
	SentChart template.HTML
}

type subRow struct {
	N      int
	ID     uint64
	Query  string
	Digest string
	Last7  int64 // alerts in the last 7 days
	Paused bool  // its matches make no alerts (/pause N)
}

// historyRow is one alert decision as the chat page shows it.
type historyRow struct {
	Event   outbox.Event
	Subs    []string // "#2 ukraine grain", or "a removed subscription"
	Outcome string   // in words
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "never"
			}
			return t.UTC().Format("2 Jan 15:04 UTC")
		},
		"spans": func(text string, terms []string) []bot.Span { return bot.Highlight(text, terms) },
	}
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "message", "chat", "sources", "system"} {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/preview.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse dashboard template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render writes a whole page; a template error is a 500, never half a
// page.
func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, p); err != nil {
		s.log.Error("dashboard template failed", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderFragment writes one named template alone (the live preview).
func (s *Server) renderFragment(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages["chat"].ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("dashboard fragment failed", "fragment", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// basePage fills what every signed-in page shows.
func (s *Server) basePage(r *http.Request, v view, title, nav string) page {
	return page{Title: title, Nav: nav, CSRF: v.sess.CSRF, Base: v.base, Chat: v.chat.String(),
		Admin: v.sess.Grant.ManageSources, Manage: v.sess.Grant.ManageChat,
		Flash: s.tok.takeFlash(r.Context(), v.token)}
}

func replyText(t string) bot.Reply { return bot.Reply{Text: t} }
