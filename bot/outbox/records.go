package outbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/subscriptions"
)

// Records remember, per (story, chat), that an alert was sent or is being
// sent, so that one story reaches a chat once across retries, restarts and
// replicas.
type Records struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRecords keeps each record for ttl (default 7 days).
func NewRecords(rdb redis.UniversalClient, prefix string, ttl time.Duration) *Records {
	if ttl <= 0 {
		ttl = 7 * 24 * time.Hour
	}
	return &Records{rdb: rdb, prefix: prefix, ttl: ttl}
}

func (r *Records) key(chat subscriptions.Chat, storyID string) string {
	return r.prefix + "{dlv:" + chat.String() + "}:" + storyID
}

// RecordState is what a record says.
type RecordState int

// Record states.
const (
	NotSent RecordState = iota
	// Sending means an attempt started and its outcome is unknown (the
	// process died or the platform did not answer).
	Sending
	Sent
)

// Record is one delivery record.
type Record struct {
	State     RecordState
	MessageID string
}

// Get reads the record of storyID in chat.
func (r *Records) Get(ctx context.Context, chat subscriptions.Chat, storyID string) (Record, error) {
	v, err := r.rdb.Get(ctx, r.key(chat, storyID)).Result()
	if errors.Is(err, redis.Nil) {
		return Record{}, nil
	}
	if err != nil {
		return Record{}, fmt.Errorf("read delivery record: %w", err)
	}
	state, msg, _ := strings.Cut(v, ":")
	switch state {
	case "sent":
		return Record{State: Sent, MessageID: msg}, nil
	case "sending":
		return Record{State: Sending}, nil
	}
	return Record{}, nil
}

// Begin marks an attempt as started, before the platform is called.
func (r *Records) Begin(ctx context.Context, chat subscriptions.Chat, storyID string, now time.Time) error {
	err := r.rdb.Set(ctx, r.key(chat, storyID), "sending:"+now.UTC().Format(time.RFC3339), r.ttl).Err()
	if err != nil {
		return fmt.Errorf("write delivery record: %w", err)
	}
	return nil
}

// Done marks the alert delivered as messageID.
func (r *Records) Done(ctx context.Context, chat subscriptions.Chat, storyID, messageID string) error {
	if err := r.rdb.Set(ctx, r.key(chat, storyID), "sent:"+messageID, r.ttl).Err(); err != nil {
		return fmt.Errorf("write delivery record: %w", err)
	}
	return nil
}

// Forget removes a record (an attempt that surely failed).
func (r *Records) Forget(ctx context.Context, chat subscriptions.Chat, storyID string) error {
	return r.rdb.Del(ctx, r.key(chat, storyID)).Err()
}
