// Package metrics holds newsalert's Prometheus metrics. One *Metrics is
// built by main on its own registry (no global registry) and handed to the
// parts that count; every method is safe on a nil *Metrics, so parts can be
// built without metrics in tests.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the process's counters, gauges and histograms.
type Metrics struct {
	reg *prometheus.Registry

	polls         *prometheus.CounterVec
	fetchDuration prometheus.Histogram
	itemsSeen     prometheus.Counter
	itemsNew      prometheus.Counter
	matches       prometheus.Counter
	matchDuration prometheus.Histogram
	queued        prometheus.Counter
	sent          *prometheus.CounterVec
	failed        *prometheus.CounterVec
	dropped       *prometheus.CounterVec
	duplicated    *prometheus.CounterVec
	rateLimited   *prometheus.CounterVec
	deliveryDelay prometheus.Histogram
	folds         *prometheus.CounterVec
	edits         *prometheus.CounterVec
	chats         *prometheus.CounterVec
	panics        *prometheus.CounterVec
	floods        prometheus.Counter
}

// New registers every metric, and the Go and process collectors, on a new
// registry.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_polls_total",
			Help: "Source polls by result: ok, not_modified, error."}, []string{"result"}),
		fetchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "newsalert_fetch_duration_seconds",
			Help: "Time to fetch a source, body included.", Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10)}),
		itemsSeen: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsalert_items_seen_total",
			Help: "Feed items read from polls."}),
		itemsNew: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsalert_items_new_total",
			Help: "Feed items not seen before."}),
		matches: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsalert_matches_total",
			Help: "Subscriptions matched by new stories."}),
		matchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "newsalert_match_duration_seconds",
			Help: "Time to match one story against every subscription.", Buckets: prometheus.ExponentialBuckets(1e-5, 3, 10)}),
		queued: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsalert_alerts_queued_total",
			Help: "Alerts written to the outbox (one per story and chat)."}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_alerts_sent_total",
			Help: "Alerts the platform accepted."}, []string{"platform"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_alerts_failed_total",
			Help: "Send attempts that failed (retried or not)."}, []string{"platform"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_alerts_dropped_total",
			Help: "Alerts not sent, by reason: stale, chat_paused, subscription_paused, chat_gone, refused, story_expired, duplicate_story, no_platform, panic."}, []string{"reason"}),
		duplicated: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_alerts_duplicated_total",
			Help: "Alerts resent after an attempt with unknown outcome: the chat may have seen them twice."}, []string{"platform"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_rate_limited_total",
			Help: "429 answers that reached delivery, by platform."}, []string{"platform"}),
		deliveryDelay: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "newsalert_delivery_delay_seconds",
			Help: "Time from queueing an alert to the platform accepting it.", Buckets: prometheus.ExponentialBuckets(0.005, 3, 12)}),
		folds: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_folds_total",
			Help: "Stories folded into a chat's earlier alert of another source, by how: url (same canonical URL), fingerprint (near-duplicate)."}, []string{"by"}),
		edits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_alert_edits_total",
			Help: "\"Also reported by\" edits, by result: sent, unchanged (skipped: the message would not change), failed."}, []string{"result"}),
		chats: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_chat_state_changes_total",
			Help: "Chats deactivated (the platform refused them), reactivated (reachable again) or migrated (a Telegram group became a supergroup)."}, []string{"change"}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "newsalert_panics_total",
			Help: "Panics recovered in a background loop, by loop: poll, route, deliver, release, sync."}, []string{"loop"}),
		floods: prometheus.NewCounter(prometheus.CounterOpts{Name: "newsalert_source_floods_total",
			Help: "Polls that brought far more new items than the source's history predicts (the source is flagged)."}),
	}
	for _, r := range []string{"url", "fingerprint"} {
		m.folds.WithLabelValues(r)
	}
	for _, r := range []string{"sent", "unchanged", "failed"} {
		m.edits.WithLabelValues(r)
	}
	for _, r := range []string{"deactivated", "reactivated", "migrated"} {
		m.chats.WithLabelValues(r)
	}
	for _, r := range []string{"ok", "not_modified", "error"} {
		m.polls.WithLabelValues(r)
	}
	for _, r := range []string{"stale", "chat_paused", "subscription_paused", "chat_gone", "refused", "story_expired", "duplicate_story", "no_platform", "panic"} {
		m.dropped.WithLabelValues(r)
	}
	for _, l := range []string{"poll", "route", "deliver", "release", "sync"} {
		m.panics.WithLabelValues(l)
	}
	reg.MustRegister(m.panics, m.floods, m.polls, m.fetchDuration, m.itemsSeen, m.itemsNew, m.matches, m.matchDuration, m.queued,
		m.sent, m.failed, m.dropped, m.duplicated, m.rateLimited, m.deliveryDelay,
		m.folds, m.edits, m.chats, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// InitPlatforms makes the per-platform series visible at zero before
// anything happens on them.
func (m *Metrics) InitPlatforms(platforms ...string) {
	if m == nil {
		return
	}
	for _, p := range platforms {
		m.sent.WithLabelValues(p)
		m.failed.WithLabelValues(p)
		m.duplicated.WithLabelValues(p)
		m.rateLimited.WithLabelValues(p)
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// GaugeFunc registers a gauge read at scrape time (queue depth, matcher
// size, snapshot age). read must be fast and safe for concurrent use; ctx
// bounds reads that reach Redis.
func (m *Metrics) GaugeFunc(name, help string, read func(ctx context.Context) float64) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return read(ctx)
	}))
}

// Poll counts one poll and its fetch time.
func (m *Metrics) Poll(result string, fetch time.Duration, items, newItems int) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(result).Inc()
	if fetch > 0 {
		m.fetchDuration.Observe(fetch.Seconds())
	}
	m.itemsSeen.Add(float64(items))
	m.itemsNew.Add(float64(newItems))
}

// Matched counts one story's matching.
func (m *Metrics) Matched(matches int, took time.Duration) {
	if m == nil {
		return
	}
	m.matches.Add(float64(matches))
	m.matchDuration.Observe(took.Seconds())
}

// Queued counts alerts written to the outbox.
func (m *Metrics) Queued(n int) {
	if m != nil {
		m.queued.Add(float64(n))
	}
}

// Sent counts alerts a platform accepted, and how long each waited.
func (m *Metrics) Sent(platform string, n int, waited time.Duration) {
	if m == nil {
		return
	}
	m.sent.WithLabelValues(platform).Add(float64(n))
	for range n {
		m.deliveryDelay.Observe(waited.Seconds())
	}
}

// Failed counts a failed send attempt.
func (m *Metrics) Failed(platform string) {
	if m != nil {
		m.failed.WithLabelValues(platform).Inc()
	}
}

// Dropped counts alerts not sent, by reason.
func (m *Metrics) Dropped(reason string, n int) {
	if m != nil {
		m.dropped.WithLabelValues(reason).Add(float64(n))
	}
}

// Duplicated counts alerts that may have reached a chat twice.
func (m *Metrics) Duplicated(platform string, n int) {
	if m != nil {
		m.duplicated.WithLabelValues(platform).Add(float64(n))
	}
}

// RateLimited counts a 429 answer.
func (m *Metrics) RateLimited(platform string) {
	if m != nil {
		m.rateLimited.WithLabelValues(platform).Inc()
	}
}

// Folded counts a story folded into an earlier alert, by "url" or
// "fingerprint".
func (m *Metrics) Folded(by string) {
	if m != nil {
		m.folds.WithLabelValues(by).Inc()
	}
}

// Edited counts an "also reported by" edit by result: "sent", "unchanged"
// or "failed".
func (m *Metrics) Edited(result string) {
	if m != nil {
		m.edits.WithLabelValues(result).Inc()
	}
}

// ChatChanged counts a chat "deactivated", "reactivated" or "migrated".
func (m *Metrics) ChatChanged(change string) {
	if m != nil {
		m.chats.WithLabelValues(change).Inc()
	}
}

// Panicked counts a panic recovered in a background loop.
func (m *Metrics) Panicked(loop string) {
	if m != nil {
		m.panics.WithLabelValues(loop).Inc()
	}
}

// Flood counts a poll flagged as a flood of new items.
func (m *Metrics) Flood() {
	if m != nil {
		m.floods.Inc()
	}
}

// DeliveryCounts are this process's delivery counters since it started,
// for the dashboard's system page.
type DeliveryCounts struct {
	Dropped     map[string]float64 // by reason
	RateLimited map[string]float64 // 429s, by platform
	Failed      map[string]float64 // failed send attempts (retried or not), by platform
	Duplicated  map[string]float64 // resent after an unknown outcome, by platform
}

// Delivery reads the delivery counters.
func (m *Metrics) Delivery() (DeliveryCounts, error) {
	out := DeliveryCounts{Dropped: map[string]float64{}, RateLimited: map[string]float64{},
		Failed: map[string]float64{}, Duplicated: map[string]float64{}}
	if m == nil {
		return out, nil
	}
	fams, err := m.reg.Gather()
	if err != nil {
		return out, err
	}
	dst := map[string]map[string]float64{
		"newsalert_alerts_dropped_total":    out.Dropped,
		"newsalert_rate_limited_total":      out.RateLimited,
		"newsalert_alerts_failed_total":     out.Failed,
		"newsalert_alerts_duplicated_total": out.Duplicated,
	}
	for _, f := range fams {
		d, ok := dst[f.GetName()]
		if !ok {
			continue
		}
		for _, mt := range f.GetMetric() {
			if lp := mt.GetLabel(); len(lp) == 1 {
				d[lp[0].GetValue()] = mt.GetCounter().GetValue()
			}
		}
	}
	return out, nil
}
