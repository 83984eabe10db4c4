package sources

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

// StoryStore keeps stories in Redis for as long as an alert may still be
// delivered or edited, and the most recent ones for /test.
type StoryStore struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
	recent int
}

// NewStoryStore keeps each story for ttl (default 7 days) and the last
// recent (default 100) story ids.
func NewStoryStore(rdb redis.UniversalClient, prefix string, ttl time.Duration, recent int) *StoryStore {
	if ttl <= 0 {
		ttl = 7 * 24 * time.Hour
	}
	if recent <= 0 {
		recent = 100
	}
	return &StoryStore{rdb: rdb, prefix: prefix, ttl: ttl, recent: recent}
}

func (s *StoryStore) key(id string) string { return s.prefix + "story:" + id }
func (s *StoryStore) recentKey() string    { return s.prefix + "stories:recent" }

// ErrStoryNotFound means the story expired or never existed.
var ErrStoryNotFound = errors.New("story not found")

// Save stores stories, given newest first, and pushes them onto the recent
// list so that stories[0] is the most recent.
func (s *StoryStore) Save(ctx context.Context, stories []Story) error {
	if len(stories) == 0 {
		return nil
	}
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, st := range slices.Backward(stories) {
			b, err := json.Marshal(st)
			if err != nil {
				return fmt.Errorf("encode story %s: %w", st.ID, err)
			}
			p.Set(ctx, s.key(st.ID), b, s.ttl)
			p.LPush(ctx, s.recentKey(), st.ID)
		}
		p.LTrim(ctx, s.recentKey(), 0, int64(s.recent-1))
		return nil
	})
	if err != nil {
		return fmt.Errorf("save %d stories: %w", len(stories), err)
	}
	return nil
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

// Recent returns up to n of the most recent stories, newest first.
func (s *StoryStore) Recent(ctx context.Context, n int) ([]Story, error) {
	ids, err := s.rdb.LRange(ctx, s.recentKey(), 0, int64(n-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("list recent stories: %w", err)
	}
	out := make([]Story, 0, len(ids))
	for _, id := range ids {
		st, err := s.Get(ctx, id)
		if errors.Is(err, ErrStoryNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}
