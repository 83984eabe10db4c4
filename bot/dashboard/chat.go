package dashboard

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot/outbox"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// previewShown is how many matching stories the preview lists.
const previewShown = 20

// preview is what a query would have matched among recent stories.
type preview struct {
	Error             string
	ErrorAt           bool
	Before, At, After string // the query split around the error's position
	Canonical         string
	Hits, Shown       []hit
	More              bool
	Searched          int
}

type hit struct {
	Title, Source string
	Published     time.Time
	Terms         []string
}

func (s *Server) chatPage(w http.ResponseWriter, r *http.Request, v view) {
	p := s.basePage(r, v, "Your alerts", "chat")
	var err error
	if p.Subs, err = s.subRows(r, v); err != nil {
		s.failed(w, err)
		return
	}
	if p.Settings, err = s.opts.Data.ChatSettings(r.Context(), v.chat); err != nil {
		s.failed(w, err)
		return
	}
	p.Settings.Webhook = "" // a secret; never on a page
	if p.History, err = s.historyRows(r, v, p.Subs); err != nil {
		s.failed(w, err)
		return
	}
	if q := strings.TrimSpace(queryValue(r, "q")); q != "" {
		p.Query = q
		if p.Preview, err = s.makePreview(r, q); err != nil {
			s.failed(w, err)
			return
		}
	}
	s.render(w, http.StatusOK, "chat", p)
}

func (s *Server) subRows(r *http.Request, v view) ([]subRow, error) {
	subs, err := s.opts.Data.Subscriptions(r.Context(), v.chat)
	if err != nil {
		return nil, err
	}
	counts, err := s.opts.Data.AlertsPerSubscription(r.Context(), v.chat, 7, s.opts.Now())
	if err != nil {
		return nil, err
	}
	rows := make([]subRow, len(subs))
	for i, sub := range subs {
		d := sub.Digest
		if d == "" {
			d = "off"
		}
		rows[i] = subRow{N: sub.Num, ID: sub.ID, Query: sub.Display(), Digest: d, Last7: counts[sub.ID], Paused: sub.Paused}
	}
	return rows, nil
}

// failed answers a store failure.
func (s *Server) failed(w http.ResponseWriter, err error) {
	s.log.Error("dashboard page failed", "err", err)
	s.refuse(w, http.StatusServiceUnavailable, "The dashboard can't read its store just now; try again in a minute.")
}

// preview answers the live preview with an HTML fragment.
func (s *Server) preview(w http.ResponseWriter, r *http.Request, v view) {
	q := strings.TrimSpace(queryValue(r, "q"))
	if q == "" {
		s.renderFragment(w, "preview", nil)
		return
	}
	p, err := s.makePreview(r, q)
	if err != nil {
		s.log.Error("dashboard preview failed", "err", err)
		http.Error(w, "preview unavailable", http.StatusServiceUnavailable)
		return
	}
	s.renderFragment(w, "preview", p)
}

// makePreview evaluates q against the recent stories.
func (s *Server) makePreview(r *http.Request, q string) (*preview, error) {
	parsed, err := query.Parse(q, s.opts.QueryLimits)
	if err != nil {
		return syntaxPreview(q, err), nil
	}
	stories, err := s.opts.Data.RecentStories(r.Context(), s.opts.PreviewStories)
	if err != nil {
		return nil, err
	}
	p := &preview{Canonical: parsed.String(), Searched: len(stories)}
	for _, st := range stories {
		ok, hits := parsed.Eval(textnorm.NewDoc(st.Title, st.Text))
		if !ok {
			continue
		}
		terms := make([]string, 0, len(hits))
		for _, h := range hits {
			terms = append(terms, h.Term)
		}
		p.Hits = append(p.Hits, hit{Title: st.Title, Source: st.SourceName, Published: st.Published, Terms: terms})
	}
	p.Shown = p.Hits
	if len(p.Shown) > previewShown {
		p.Shown, p.More = p.Shown[:previewShown], true
	}
	return p, nil
}

// syntaxPreview explains a query error and marks its position.
func syntaxPreview(q string, err error) *preview {
	p := &preview{Error: err.Error()}
	var se *query.SyntaxError
	if errors.As(err, &se) && se.Pos > 0 {
		rs := []rune(q)
		i := se.Pos - 1
		if i > len(rs) {
			i = len(rs)
		}
		p.ErrorAt, p.Before = true, string(rs[:i])
		if i < len(rs) {
			p.At, p.After = string(rs[i]), string(rs[i+1:])
		} else {
			p.At = " "
		}
	}
	return p
}

// position finds the number /list shows for subscription id (its Num,
// which stays its own until it is removed), so that a page's form names a
// subscription by id and the command gets the number.
func (s *Server) position(r *http.Request, v view) (int, bool) {
	id, err := strconv.ParseUint(r.FormValue("id"), 10, 64)
	if err != nil {
		return 0, false
	}
	subs, err := s.opts.Data.Subscriptions(r.Context(), v.chat)
	if err != nil {
		return 0, false
	}
	for _, sub := range subs {
		if sub.ID == id {
			return sub.Num, true
		}
	}
	return 0, false
}

func (s *Server) goneSub(w http.ResponseWriter, r *http.Request, v view) {
	s.tok.setFlash(r.Context(), v.token, "That subscription no longer exists; the page is up to date now.")
	http.Redirect(w, r, v.base+"/", http.StatusSeeOther)
}

func (s *Server) postSubscribe(w http.ResponseWriter, r *http.Request, v view) {
	s.done(w, r, v, v.base+"/", s.run(r.Context(), v, "subscribe", r.FormValue("q"), nil))
}

// postEdit replaces a subscription's query: the new one is subscribed
// first, and the old one removed only when that worked.
func (s *Server) postEdit(w http.ResponseWriter, r *http.Request, v view) {
	n, ok := s.position(r, v)
	if !ok {
		s.goneSub(w, r, v)
		return
	}
	subs, err := s.opts.Data.Subscriptions(r.Context(), v.chat)
	if err != nil {
		s.failed(w, err)
		return
	}
	i := slices.IndexFunc(subs, func(sub subscriptions.Subscription) bool { return sub.Num == n })
	if i < 0 {
		s.goneSub(w, r, v)
		return
	}
	old := subs[i]
	newQ := strings.TrimSpace(r.FormValue("q"))
	if parsed, err := query.Parse(newQ, s.opts.QueryLimits); err == nil && parsed.String() == old.Query {
		s.done(w, r, v, v.base+"/", replyText("Nothing changed."))
		return
	}
	before := len(subs)
	reply := s.run(r.Context(), v, "subscribe", newQ, nil)
	after, err := s.opts.Data.Subscriptions(r.Context(), v.chat)
	if err != nil || len(after) <= before {
		s.done(w, r, v, v.base+"/", reply) // refused or invalid: the old one stays
		return
	}
	added := newest(subs, after)
	if n, ok = s.position(r, v); ok {
		if rm := s.run(r.Context(), v, "unsubscribe", strconv.Itoa(n), nil); !strings.HasPrefix(rm.Text, "Removed") {
			s.done(w, r, v, v.base+"/", replyText(reply.Text+"\n"+rm.Text))
			return
		}
	}
	answer := "Query changed to: " + added.Display()
	if old.Paused { // the edited subscription stays paused
		answer += "\n" + s.run(r.Context(), v, "pause", strconv.Itoa(added.Num), nil).Text
	}
	s.done(w, r, v, v.base+"/", replyText(answer))
}

// newest is the subscription in after that is not in before.
func newest(before, after []subscriptions.Subscription) subscriptions.Subscription {
	for _, a := range after {
		if !slices.ContainsFunc(before, func(b subscriptions.Subscription) bool { return b.ID == a.ID }) {
			return a
		}
	}
	return after[len(after)-1]
}

func (s *Server) postUnsubscribe(w http.ResponseWriter, r *http.Request, v view) {
	n, ok := s.position(r, v)
	if !ok {
		s.goneSub(w, r, v)
		return
	}
	s.done(w, r, v, v.base+"/", s.run(r.Context(), v, "unsubscribe", strconv.Itoa(n), nil))
}

func (s *Server) postDigest(w http.ResponseWriter, r *http.Request, v view) {
	n, ok := s.position(r, v)
	if !ok {
		s.goneSub(w, r, v)
		return
	}
	s.done(w, r, v, v.base+"/", s.run(r.Context(), v, "digest", strconv.Itoa(n)+" "+strings.TrimSpace(r.FormValue("digest")), nil))
}

// postSettings sets the time zone and quiet hours that changed.
func (s *Server) postSettings(w http.ResponseWriter, r *http.Request, v view) {
	cur, err := s.opts.Data.ChatSettings(r.Context(), v.chat)
	if err != nil {
		s.failed(w, err)
		return
	}
	var answers []string
	if tz := strings.TrimSpace(r.FormValue("timezone")); tz != "" && tz != cur.Timezone {
		answers = append(answers, s.run(r.Context(), v, "timezone", tz, nil).Text)
	}
	quiet := strings.TrimSpace(r.FormValue("quiet"))
	if quiet == "" {
		quiet = "off"
	}
	if quiet != cur.Quiet && !(quiet == "off" && (cur.Quiet == "" || cur.Quiet == "off")) {
		answers = append(answers, s.run(r.Context(), v, "quiet", quiet, nil).Text)
	}
	if len(answers) == 0 {
		answers = []string{"Nothing changed."}
	}
	s.done(w, r, v, v.base+"/", replyText(strings.Join(answers, "\n")))
}

func (s *Server) postPause(w http.ResponseWriter, r *http.Request, v view) {
	cmd := "resume"
	if r.FormValue("paused") == "yes" {
		cmd = "pause"
	}
	s.done(w, r, v, v.base+"/", s.run(r.Context(), v, cmd, "", nil))
}

// postPauseSub pauses (paused=yes) or resumes one subscription through
// /pause N or /resume N.
func (s *Server) postPauseSub(w http.ResponseWriter, r *http.Request, v view) {
	n, ok := s.position(r, v)
	if !ok {
		s.goneSub(w, r, v)
		return
	}
	cmd := "resume"
	if r.FormValue("paused") == "yes" {
		cmd = "pause"
	}
	s.done(w, r, v, v.base+"/", s.run(r.Context(), v, cmd, strconv.Itoa(n), nil))
}

// historyRows words the chat's alert history.
func (s *Server) historyRows(r *http.Request, v view, subs []subRow) ([]historyRow, error) {
	events, err := s.opts.Data.AlertHistory(r.Context(), v.chat)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint64]subRow, len(subs))
	for _, sr := range subs {
		byID[sr.ID] = sr
	}
	rows := make([]historyRow, len(events))
	for i, e := range events {
		row := historyRow{Event: e, Outcome: e.Outcome}
		switch {
		case e.Outcome == outbox.OutcomeHeld && !e.Until.IsZero():
			row.Outcome += " until " + e.Until.UTC().Format("2 Jan 15:04 UTC")
		case e.Reason != "":
			row.Outcome += ": " + e.Reason
		}
		for _, id := range e.SubIDs {
			if sr, ok := byID[id]; ok {
				row.Subs = append(row.Subs, "#"+strconv.Itoa(sr.N)+" "+sr.Query)
			} else {
				row.Subs = append(row.Subs, "a removed subscription")
			}
		}
		if e.Title == "" {
			row.Event.Title = "(story no longer stored)"
		}
		rows[i] = row
	}
	return rows, nil
}
