package sources

import (
	"context"
	"fmt"
	"time"
)

// A source that suddenly produces far more new items than its history
// predicts (a feed changing every GUID on every poll, a compromised or
// broken feed) is flagged: logged, counted, shown in /sources and /stats,
// and its admins are told once a day while it lasts. It is not obeyed
// blindly either: every poll takes at most MaxNewItems new items.
const (
	// floodMinItems is the fewest new items in one poll that can be a
	// flood, whatever the history.
	floodMinItems = 20
	// floodFactor is how many times the usual number of new items a poll
	// must bring to be a flood.
	floodFactor = 5
	// floodAlpha weighs the last poll in the running mean of new items.
	floodAlpha = 0.1
	// FloodShown is how long a flagged source stays flagged after its last
	// flood.
	FloodShown = 24 * time.Hour
)

// isFlood decides whether n new items out of items in one poll are a flood
// for src: far more than its running mean predicts, or, after its first
// poll, every item of a sizeable feed new again.
func isFlood(src Source, n, items int) bool {
	if n < floodMinItems {
		return false
	}
	if src.FeedPolls > 0 && n == items {
		return true // the whole feed replaced between two polls: rotating identities
	}
	return float64(n) > floodFactor*src.NewRate
}

// checkFlood updates src's history with a poll that found n new items among
// items, and flags src when they are a flood.
func (w *Watcher) checkFlood(ctx context.Context, src *Source, n, items int, now time.Time) {
	flood := isFlood(*src, n, items)
	if src.FeedPolls == 0 {
		src.NewRate = float64(n)
	} else {
		src.NewRate += floodAlpha * (float64(n) - src.NewRate)
	}
	if flood && (src.LastSuccess.IsZero() || src.FeedPolls == 0 && n != items) {
		flood = false // no history yet to judge against, or the backlog of a first poll
	}
	src.FeedPolls++
	if !flood {
		return
	}
	tell := src.FloodAt.IsZero() || now.Sub(src.FloodAt) > FloodShown
	src.FloodAt, src.FloodNew = now, n
	w.opts.Metrics.Flood()
	w.log.Warn("watcher: source produces far more new items than usual; flagged, and at most MaxNewItems are taken per poll",
		"source_id", src.ID, "new_items", n, "items", items, "usual", fmt.Sprintf("%.1f", src.NewRate), "max_new_items", w.opts.MaxNewItems)
	if tell && w.notify != nil {
		w.notify.SourceNotice(ctx, *src, fmt.Sprintf("Source %d (%s) suddenly brought %d new items in one poll (usually about %.0f): flagged; only %d a poll are taken. /sources shows it; /removesource %d if it misbehaves.",
			src.ID, src.Name, n, src.NewRate, w.opts.MaxNewItems, src.ID))
	}
}

// Flooding reports whether src is flagged for a flood at now.
func (s Source) Flooding(now time.Time) bool {
	return !s.FloodAt.IsZero() && now.Sub(s.FloodAt) < FloodShown
}
