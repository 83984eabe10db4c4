package sources

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// StoryStore keeps in Redis what alerts and /test need, no more: the
// stories that matched a subscription, for as long as their alerts may
// still be delivered or edited (ttl), and a window of the most recent
// stories, matched or not, for /test (recent stories, the window expiring
// recentTTL after the last story). A story no subscription matched has no
// key of its own: it lives only in that window.
type StoryStore struct {
	rdb       redis.UniversalClient
	prefix    string
	ttl       time.Duration
	recent    int
	recentTTL time.Duration
}

// NewStoryStore keeps each matched story for ttl (default 7 days) and the
// last recent (default 100) stories for /test, for 6 hours after the last
// one (see KeepRecentFor).
func NewStoryStore(rdb redis.UniversalClient, prefix string, ttl time.Duration, recent int) *StoryStore {
	if ttl <= 0 {
		ttl = 7 * 24 * time.Hour
	}
	if recent <= 0 {
		recent = 100
	}
	return &StoryStore{rdb: rdb, prefix: prefix, ttl: ttl, recent: recent, recentTTL: 6 * time.Hour}
}

// KeepRecentFor sets how long the window of recent stories (the only place
// unmatched stories are kept) outlives its last story; it returns s. Call
// it before use.
func (s *StoryStore) KeepRecentFor(d time.Duration) *StoryStore {
	if d > 0 {
		s.recentTTL = d
	}
	return s
}

func (s *StoryStore) key(id string) string { return s.prefix + "story:" + id }
func (s *StoryStore) recentKey() string    { return s.prefix + "stories:recent" }

// ErrStoryNotFound means the story expired or never existed.
var ErrStoryNotFound = errors.New("story not found")

// Save stores stories an alert refers to, each for the store's ttl.
func (s *StoryStore) Save(ctx context.Context, stories []Story) error {
	if len(stories) == 0 {
		return nil
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, st := range stories {
			b, err := json.Marshal(st)
			if err != nil {
				return fmt.Errorf("encode story %s: %w", st.ID, err)
			}
			p.Set(ctx, s.key(st.ID), b, s.ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save %d stories: %w", len(stories), err)
	}
	return nil
}

// AddRecent puts stories, given oldest first, in the window of recent
// stories /test reads (newest first there), dropping the oldest beyond its
// size.
func (s *StoryStore) AddRecent(ctx context.Context, stories []Story) error {
	if len(stories) == 0 {
		return nil
	}
	if len(stories) > s.recent {
		stories = stories[len(stories)-s.recent:]
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, st := range stories {
			b, err := json.Marshal(recentStory{ID: st.ID, Title: st.Title, Text: st.Text, SourceID: st.SourceID, SourceName: st.SourceName,
				Published: st.Published, CanonicalURL: st.CanonicalURL, Fingerprint: st.Fingerprint})
			if err != nil {
				return fmt.Errorf("encode story %s: %w", st.ID, err)
			}
			p.LPush(ctx, s.recentKey(), b)
		}
		p.LTrim(ctx, s.recentKey(), 0, int64(s.recent-1))
		p.PExpire(ctx, s.recentKey(), s.recentTTL)
		return nil
	})
	if err != nil {
		return fmt.Errorf("remember %d recent stories: %w", len(stories), err)
	}
	return nil
}

// recentStory is what /test needs of a story: its text to match, and what
// tells whether it would fold into another (source, canonical URL,
// fingerprint).
type recentStory struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Text         string    `json:"text"`
	SourceID     int64     `json:"source_id,omitempty"`
	SourceName   string    `json:"source"`
	Published    time.Time `json:"published"`
	CanonicalURL string    `json:"canonical_url,omitempty"`
	Fingerprint  string    `json:"fingerprint,omitempty"`
}

// Update rewrites a stored story (after its article text was fetched),
// keeping its expiry.
func (s *StoryStore) Update(ctx context.Context, st Story) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode story %s: %w", st.ID, err)
	}
	if err := s.rdb.SetArgs(ctx, s.key(st.ID), b, redis.SetArgs{KeepTTL: true, Mode: "XX"}).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("update story %s: %w", st.ID, err)
	}
	return nil
}

// Get loads one story.
func (s *StoryStore) Get(ctx context.Context, id string) (Story, error) {
	b, err := s.rdb.Get(ctx, s.key(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Story{}, ErrStoryNotFound
	}
	if err != nil {
		return Story{}, fmt.Errorf("load story %s: %w", id, err)
	}
	var st Story
	if err := json.Unmarshal(b, &st); err != nil {
		return Story{}, fmt.Errorf("decode story %s: %w", id, err)
	}
	return st, nil
}

// Recent returns up to n of the most recent stories, newest first, with
// the fields /test uses (ID, Title, Text, SourceName, Published).
func (s *StoryStore) Recent(ctx context.Context, n int) ([]Story, error) {
	entries, err := s.rdb.LRange(ctx, s.recentKey(), 0, int64(n-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("list recent stories: %w", err)
	}
	out := make([]Story, 0, len(entries))
	for _, e := range entries {
		if !strings.HasPrefix(e, "{") {
			// A story id, as versions before the window held stories.
			st, err := s.Get(ctx, e)
			if errors.Is(err, ErrStoryNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, st)
			continue
		}
		var r recentStory
		if err := json.Unmarshal([]byte(e), &r); err != nil {
			continue
		}
		out = append(out, Story{ID: r.ID, Title: r.Title, Text: r.Text, SourceID: r.SourceID, SourceName: r.SourceName,
			Published: r.Published, CanonicalURL: r.CanonicalURL, Fingerprint: r.Fingerprint})
	}
	return out, nil
}
