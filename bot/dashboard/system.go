package dashboard

import (
	"net/http"
	"time"
)

func (s *Server) systemPage(w http.ResponseWriter, r *http.Request, v view) {
	p := s.basePage(r, v, "System", "system")
	now := s.opts.Now()
	sys, err := s.opts.Data.System(r.Context(), now)
	if err != nil {
		s.failed(w, err)
		return
	}
	sys.OldestWaits = sys.OldestWaits.Round(time.Second)
	for i := range sys.Replicas {
		sys.Replicas[i].Idle = sys.Replicas[i].Idle.Round(time.Second)
	}
	p.System = sys
	if sys.HaveSentRate {
		p.SentChart = barChart(sys.SentPerHour, "Alerts sent per hour over 48 hours", "48 h ago", "this hour")
	}
	s.render(w, http.StatusOK, "system", p)
}
