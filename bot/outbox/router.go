package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/newsalert/newsalert/internal/metrics"
	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// Matcher finds the subscriptions a story satisfies.
type Matcher interface {
	Match(title, text string) []subscriptions.Match
}

// catchUpper is a Matcher that can bring itself up to date with changes
// made by other processes before matching (*subscriptions.Matcher).
type catchUpper interface {
	CatchUp(ctx context.Context) error
}

// PausedSubscriptions tells which subscriptions are paused
// (*subscriptions.Store): their matches make no alerts.
type PausedSubscriptions interface {
	Paused(ctx context.Context, ids []uint64) (map[uint64]bool, error)
}

// ArticleCompleter replaces a teaser's text with its article's main text.
type ArticleCompleter interface {
	Complete(ctx context.Context, st sources.Story) (sources.Story, error)
}

// RouterOptions wire a Router.
type RouterOptions struct {
	Stories *sources.StoryStore
	Matcher Matcher
	Outbox  *Outbox
	Chats   *subscriptions.Chats
	Records *Records
	// Paused tells which subscriptions are paused (/pause N); their
	// matches are left out, so a chat gets alerts only from its running
	// subscriptions. Nil: none is.
	Paused PausedSubscriptions
	// Duplicates folds the same story from several sources into one alert
	// per chat; nil alerts every source's copy.
	Duplicates *sources.Duplicates
	// Articles fetches full text for matched teasers; nil keeps feed text.
	Articles ArticleCompleter
	// DupWindow is how long a routed story absorbs its duplicates (48h).
	DupWindow time.Duration
	// GoneRetry is how long after the platform refused a chat its matches
	// are queued again, to find out whether it is reachable (default 1h).
	GoneRetry time.Duration
	Now       func() time.Time
	Logger    *slog.Logger
	Metrics   *metrics.Metrics
}

// Router is the sources' story sink: it stores new stories, matches them
// against every subscription and enqueues one entry per story and chat, or
// an "also reported by" entry when the chat already has the same story from
// another source.
type Router struct {
	opts RouterOptions
	log  *slog.Logger
}

// NewRouter builds a router.
func NewRouter(opts RouterOptions) *Router {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.DupWindow <= 0 {
		opts.DupWindow = 48 * time.Hour
	}
	if opts.GoneRetry <= 0 {
		opts.GoneRetry = time.Hour
	}
	return &Router{opts: opts, log: opts.Logger}
}

// Stories implements sources.StorySink: the alerts are queued and mark is
// applied in one script.
func (r *Router) Stories(ctx context.Context, src sources.Source, stories []sources.Story, mark sources.SeenMark) error {
	// A subscription made a moment ago must see these stories: catch up
	// first, and let the stories wait (unseen) when that fails.
	if c, ok := r.opts.Matcher.(catchUpper); ok {
		if err := c.CatchUp(ctx); err != nil {
			return fmt.Errorf("bring subscriptions up to date: %w", err)
		}
	}
	var entries []Entry
	var matched []sources.Story
	for i, st := range stories {
		var es []Entry
		var err error
		// A panic while routing one story skips that story (logged and
		// counted); the poll's other stories are routed and its seen marks
		// land, so the story is not offered again and again.
		if perr := recovery.Guard(r.log, r.opts.Metrics, "route", func() { es, st, err = r.route(ctx, st) },
			"story_id", st.ID, "source_id", src.ID); perr != nil {
			continue
		}
		if err != nil {
			return fmt.Errorf("route story %s of source %d: %w", st.ID, src.ID, err)
		}
		stories[i] = st // with its article text, when it was fetched
		if len(es) > 0 {
			matched = append(matched, st)
		}
		entries = append(entries, es...)
	}
	// Only the stories alerts refer to are stored on their own; every story
	// goes into the short window /test reads.
	if err := r.opts.Stories.Save(ctx, matched); err != nil {
		return err
	}
	if err := r.opts.Stories.AddRecent(ctx, stories); err != nil {
		return err
	}
	if err := r.opts.Outbox.Enqueue(ctx, src.ID, entries, mark); err != nil {
		return fmt.Errorf("route stories of source %d: %w", src.ID, err)
	}
	r.opts.Metrics.Queued(len(entries))
	return nil
}

// route matches one story and returns its outbox entries, and the story
// with its article text when that was fetched.
func (r *Router) route(ctx context.Context, st sources.Story) ([]Entry, sources.Story, error) {
	start := time.Now()
	matches := r.opts.Matcher.Match(st.Title, st.Text)
	r.opts.Metrics.Matched(len(matches), time.Since(start))
	matches, err := r.running(ctx, matches)
	if err != nil || len(matches) == 0 {
		return nil, st, err
	}
	if r.opts.Articles != nil && st.Teaser {
		full, err := r.opts.Articles.Complete(ctx, st)
		if err != nil {
			r.log.Info("article not fetched; using the feed's text", "story_id", st.ID, "err", err)
		}
		if full.Text != st.Text {
			st = full
			if matches, err = r.running(ctx, r.opts.Matcher.Match(st.Title, st.Text)); err != nil {
				return nil, st, err
			}
		}
	}
	var earlier []sources.Duplicate
	if r.opts.Duplicates != nil {
		if earlier, err = r.opts.Duplicates.Earlier(ctx, st); err != nil {
			return nil, st, err
		}
		if err := r.opts.Duplicates.Remember(ctx, st); err != nil {
			return nil, st, err
		}
	}
	ids := make([]string, len(earlier))
	for i, dup := range earlier {
		ids[i] = dup.StoryID
	}
	now := r.opts.Now()
	var out []Entry
	folds := map[string]int{} // earlier story id -> chats folded into it
	for _, e := range groupByChat(st.ID, matches, now) {
		settings, err := r.opts.Chats.Get(ctx, e.Chat)
		if err != nil {
			return nil, st, err
		}
		if settings.Paused || (settings.Gone && now.Sub(settings.GoneAt) < r.opts.GoneRetry) {
			continue
		}
		first := ""
		if !settings.NoFold {
			if first, err = r.opts.Records.FirstRouted(ctx, e.Chat, ids); err != nil {
				return nil, st, err
			}
		}
		if first != "" {
			e.AlsoOf = first
			folds[first]++
		} else if err := r.opts.Records.MarkRouted(ctx, e.Chat, st.ID, r.opts.DupWindow); err != nil {
			return nil, st, err
		}
		out = append(out, e)
	}
	for _, dup := range earlier {
		if n := folds[dup.StoryID]; n > 0 {
			if err := r.fold(ctx, st, dup, n); err != nil {
				return nil, st, err
			}
		}
	}
	r.log.Debug("story matched", "source_id", st.SourceID, "story_id", st.ID, "matches", len(matches), "chats", len(out))
	return out, st, nil
}

// running leaves out the matches of paused subscriptions. It reads the
// store on each matched story, so a pause made through any process holds
// at once.
func (r *Router) running(ctx context.Context, matches []subscriptions.Match) ([]subscriptions.Match, error) {
	if r.opts.Paused == nil || len(matches) == 0 {
		return matches, nil
	}
	ids := make([]uint64, len(matches))
	for i, m := range matches {
		ids[i] = m.SubID
	}
	paused, err := r.opts.Paused.Paused(ctx, ids)
	if err != nil {
		return nil, err
	}
	if len(paused) == 0 {
		return matches, nil
	}
	out := make([]subscriptions.Match, 0, len(matches))
	for _, m := range matches {
		if !paused[m.SubID] {
			out = append(out, m)
		}
	}
	return out, nil
}

// fold records that st is the same story as the earlier dup, folded into
// its alert in chats chats: the earlier alert gains st's source in its
// "also reported by" line (unless it is the same source, the same item
// under one URL), and the fold is logged and counted.
func (r *Router) fold(ctx context.Context, st sources.Story, dup sources.Duplicate, chats int) error {
	prev, err := r.opts.Stories.Get(ctx, dup.StoryID)
	if err != nil && !errors.Is(err, sources.ErrStoryNotFound) {
		return err
	}
	if prev.SourceName != st.SourceName || prev.SourceID != st.SourceID {
		if err := r.opts.Records.AddAlso(ctx, dup.StoryID, st.SourceName); err != nil {
			return err
		}
	}
	by := "fingerprint"
	if dup.Exact {
		by = "url"
	}
	r.opts.Metrics.Folded(by)
	r.log.Info("story folded into an earlier alert",
		"title", st.Title, "source", st.SourceName, "story_id", st.ID,
		"into_title", prev.Title, "into_source", prev.SourceName, "into_story_id", dup.StoryID,
		"by", by, "similarity", fmt.Sprintf("%.2f", dup.Similarity), "chats", chats)
	return nil
}

// groupByChat folds several subscriptions of one chat into one entry, so a
// chat gets one alert per story whatever the number of its queries that hit.
func groupByChat(storyID string, matches []subscriptions.Match, now time.Time) []Entry {
	byChat := map[subscriptions.Chat]int{}
	var out []Entry
	for _, m := range matches {
		i, ok := byChat[m.Chat]
		if !ok {
			i = len(out)
			byChat[m.Chat] = i
			out = append(out, Entry{StoryID: storyID, Chat: m.Chat, Enqueued: now})
		}
		out[i].SubIDs = append(out[i].SubIDs, m.SubID)
		for _, t := range m.Terms {
			if !slices.Contains(out[i].Terms, t) {
				out[i].Terms = append(out[i].Terms, t)
			}
		}
	}
	return out
}
