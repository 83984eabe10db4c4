package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// Matcher finds the subscriptions a story satisfies.
type Matcher interface {
	Match(title, text string) []subscriptions.Match
}

// Router is the sources' story sink: it stores new stories, matches them
// against every subscription and enqueues one entry per story and chat.
type Router struct {
	stories *sources.StoryStore
	matcher Matcher
	outbox  *Outbox
	chats   *subscriptions.Chats
	now     func() time.Time
	log     *slog.Logger
}

// NewRouter builds a router.
func NewRouter(stories *sources.StoryStore, m Matcher, o *Outbox, chats *subscriptions.Chats, now func() time.Time, log *slog.Logger) *Router {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Router{stories: stories, matcher: m, outbox: o, chats: chats, now: now, log: log}
}

// Stories implements sources.StorySink.
func (r *Router) Stories(ctx context.Context, src sources.Source, stories []sources.Story) error {
	if err := r.stories.Save(ctx, stories); err != nil {
		return err
	}
	now := r.now()
	var entries []Entry
	for _, st := range stories {
		matches := r.matcher.Match(st.Title, st.Text)
		for _, e := range groupByChat(st.ID, matches, now) {
			settings, err := r.chats.Get(ctx, e.Chat)
			if err != nil {
				return err
			}
			if settings.Paused || settings.Gone {
				continue
			}
			entries = append(entries, e)
		}
		r.log.Debug("story matched", "source_id", src.ID, "story_id", st.ID, "matches", len(matches))
	}
	if err := r.outbox.Enqueue(ctx, entries); err != nil {
		return fmt.Errorf("route stories of source %d: %w", src.ID, err)
	}
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
