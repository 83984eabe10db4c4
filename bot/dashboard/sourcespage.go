package dashboard

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/sources"
)

// chartDays is the span of the sources' new-story charts.
const chartDays = 14

// maxOPMLUpload caps an uploaded OPML file.
const maxOPMLUpload = 1 << 20

type sourceRow struct {
	Src         sources.Source
	Status      string
	StatusClass string
	Interval    string
	NextPoll    string
	Chart       any
}

func (s *Server) sourcesPage(w http.ResponseWriter, r *http.Request, v view) {
	p := s.basePage(r, v, "Sources", "sources")
	srcs, err := s.opts.Data.Sources(r.Context())
	if err != nil {
		s.failed(w, err)
		return
	}
	now := s.opts.Now()
	first := now.AddDate(0, 0, -(chartDays - 1)).UTC().Format("2 Jan")
	for _, src := range srcs {
		row := sourceRow{Src: src, Interval: src.Interval.String()}
		row.Status, row.StatusClass = sourceStatus(src)
		due, ok, err := s.opts.Data.SourceDue(r.Context(), src.ID)
		if err != nil {
			s.failed(w, err)
			return
		}
		switch {
		case !ok:
			row.NextPoll = "not scheduled"
		case !due.After(now):
			row.NextPoll = "due now"
		default:
			row.NextPoll = due.UTC().Format("2 Jan 15:04 UTC") + " (in " + due.Sub(now).Round(time.Second).String() + ")"
			if iv := due.Sub(src.LastFetch); !src.LastFetch.IsZero() && iv > src.Interval+time.Second {
				row.Interval = fmt.Sprintf("%s (set %s; backing off after failures)", iv.Round(time.Second), src.Interval)
			}
		}
		counts, err := s.opts.Data.NewStoriesPerDay(r.Context(), src.ID, chartDays, now)
		if err != nil {
			s.failed(w, err)
			return
		}
		row.Chart = barChart(counts, "New stories per day over 14 days for "+src.Name, first, "today")
		p.Sources = append(p.Sources, row)
	}
	s.render(w, http.StatusOK, "sources", p)
}

// sourceStatus words a source's state.
func sourceStatus(src sources.Source) (string, string) {
	switch {
	case src.State == sources.Active && src.Failures > 0:
		return "retrying (" + failures(src.Failures) + " in a row)", "status-retrying"
	case src.State == sources.Active:
		return "ok", "status-ok"
	case src.State == sources.Failing:
		return "failing (" + failures(src.Failures) + " in a row)", "status-failing"
	case src.State == sources.Gone:
		return "gone (the server said the feed was removed)", "status-gone"
	default:
		return string(src.State), "status-" + string(src.State)
	}
}

func (s *Server) postAddSource(w http.ResponseWriter, r *http.Request, v view) {
	args := strings.Join(strings.Fields(r.FormValue("url")+" "+r.FormValue("interval")+" "+r.FormValue("name")), " ")
	reply := s.run(r.Context(), v, "addsource", args, nil)
	if strings.HasPrefix(reply.Text, "Added source") {
		// Show the stories it found, as /testsource does.
		if t := s.run(r.Context(), v, "testsource", strings.TrimSpace(r.FormValue("url")), nil); t.Text != "" {
			reply.Text += "\n" + t.Text
		}
	}
	s.done(w, r, v, v.base+"/sources", reply)
}

func (s *Server) postTestSource(w http.ResponseWriter, r *http.Request, v view) {
	s.done(w, r, v, v.base+"/sources", s.run(r.Context(), v, "testsource", r.FormValue("url"), nil))
}

// postSourceState pauses, resumes or removes a source by id.
func (s *Server) postSourceState(w http.ResponseWriter, r *http.Request, v view) {
	id, err := strconv.ParseInt(r.FormValue("id"), 10, 64)
	if err != nil {
		s.refuse(w, http.StatusBadRequest, "That form named no source.")
		return
	}
	cmd := map[string]string{"pause": "pausesource", "resume": "resumesource", "remove": "removesource"}[r.FormValue("action")]
	if cmd == "" {
		s.refuse(w, http.StatusBadRequest, "That form asked for nothing known.")
		return
	}
	s.done(w, r, v, v.base+"/sources", s.run(r.Context(), v, cmd, strconv.FormatInt(id, 10), nil))
}

func (s *Server) postImport(w http.ResponseWriter, r *http.Request, v view) {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		if u := strings.TrimSpace(r.FormValue("url")); u != "" {
			s.done(w, r, v, v.base+"/sources", s.run(r.Context(), v, "importopml", u, nil))
			return
		}
		s.done(w, r, v, v.base+"/sources", replyText("Choose an OPML file (up to 1 MB) or give its address."))
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxOPMLUpload+1))
	if err != nil || len(data) > maxOPMLUpload {
		s.done(w, r, v, v.base+"/sources", replyText("That file is too large; the limit is 1 MB."))
		return
	}
	s.done(w, r, v, v.base+"/sources", s.run(r.Context(), v, "importopml", "", &bot.Attachment{Name: hdr.Filename, Data: data}))
}

func (s *Server) exportOPML(w http.ResponseWriter, r *http.Request, v view) {
	reply := s.run(r.Context(), v, "exportopml", "", nil)
	if reply.File == nil {
		s.done(w, r, v, v.base+"/sources", reply)
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="newsalert-sources.opml"`)
	w.Write(reply.File.Data)
}

func failures(n int) string {
	if n == 1 {
		return "1 failure"
	}
	return strconv.Itoa(n) + " failures"
}
