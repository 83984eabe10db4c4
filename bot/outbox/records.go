package outbox

import (
	"context"
	"encoding/json"
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
	Started   time.Time // when the attempt began, for Sending
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
		started, _ := time.Parse(time.RFC3339Nano, msg)
		return Record{State: Sending, Started: started}, nil
	}
	return Record{}, nil
}

// Begin marks an attempt as started, before the platform is called.
func (r *Records) Begin(ctx context.Context, chat subscriptions.Chat, storyID string, now time.Time) error {
	err := r.rdb.Set(ctx, r.key(chat, storyID), "sending:"+now.UTC().Format(time.RFC3339Nano), r.ttl).Err()
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

func (r *Records) routedKey(chat subscriptions.Chat, storyID string) string {
	return r.prefix + "{dlv:" + chat.String() + "}:routed:" + storyID
}

func (r *Records) messageKey(chat subscriptions.Chat, messageID string) string {
	return r.prefix + "{dlv:" + chat.String() + "}:msg:" + messageID
}

func (r *Records) alsoKey(storyID string) string { return r.prefix + "also:" + storyID }

// MarkRouted records that storyID was queued for chat, so that a
// near-duplicate from another source is folded into its alert.
func (r *Records) MarkRouted(ctx context.Context, chat subscriptions.Chat, storyID string, window time.Duration) error {
	if err := r.rdb.Set(ctx, r.routedKey(chat, storyID), "1", window).Err(); err != nil {
		return fmt.Errorf("mark story routed: %w", err)
	}
	return nil
}

// FirstRouted returns the first of storyIDs that was routed to chat, or "".
func (r *Records) FirstRouted(ctx context.Context, chat subscriptions.Chat, storyIDs []string) (string, error) {
	if len(storyIDs) == 0 {
		return "", nil
	}
	cmds := make([]*redis.IntCmd, len(storyIDs))
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range storyIDs {
			cmds[i] = p.Exists(ctx, r.routedKey(chat, id))
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("read routing marks: %w", err)
	}
	for i, c := range cmds {
		if c.Val() == 1 {
			return storyIDs[i], nil
		}
	}
	return "", nil
}

// AddAlso records that source also carried storyID.
func (r *Records) AddAlso(ctx context.Context, storyID, source string) error {
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, r.alsoKey(storyID), source)
		p.Expire(ctx, r.alsoKey(storyID), r.ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record also-reported-by: %w", err)
	}
	return nil
}

// Also lists the other sources that carried storyID, first reported first,
// without repeats.
func (r *Records) Also(ctx context.Context, storyID string) ([]string, error) {
	all, err := r.rdb.LRange(ctx, r.alsoKey(storyID), 0, 49).Result()
	if err != nil {
		return nil, fmt.Errorf("read also-reported-by: %w", err)
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range all {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out, nil
}

// MessageItem is one alert carried by a delivered message.
type MessageItem struct {
	StoryID string   `json:"s"`
	Terms   []string `json:"t,omitempty"`
}

// SaveMessage remembers which alerts a delivered message carries, so that
// it can be re-rendered when edited.
func (r *Records) SaveMessage(ctx context.Context, chat subscriptions.Chat, messageID string, items []MessageItem) error {
	b, err := json.Marshal(items)
	if err != nil {
		return fmt.Errorf("encode message record: %w", err)
	}
	if err := r.rdb.Set(ctx, r.messageKey(chat, messageID), b, r.ttl).Err(); err != nil {
		return fmt.Errorf("write message record: %w", err)
	}
	return nil
}

// Message returns what SaveMessage stored, or nil when it expired.
func (r *Records) Message(ctx context.Context, chat subscriptions.Chat, messageID string) ([]MessageItem, error) {
	b, err := r.rdb.Get(ctx, r.messageKey(chat, messageID)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read message record: %w", err)
	}
	var items []MessageItem
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, fmt.Errorf("decode message record: %w", err)
	}
	return items, nil
}

func (r *Records) renderedKey(chat subscriptions.Chat, messageID string) string {
	return r.prefix + "{dlv:" + chat.String() + "}:rendered:" + messageID
}

// SaveRendered remembers the signature of what message messageID shows
// (see alertsSignature), so that an edit that would not change it is
// skipped.
func (r *Records) SaveRendered(ctx context.Context, chat subscriptions.Chat, messageID, signature string) error {
	if err := r.rdb.Set(ctx, r.renderedKey(chat, messageID), signature, r.ttl).Err(); err != nil {
		return fmt.Errorf("write message signature: %w", err)
	}
	return nil
}

// Rendered returns what SaveRendered stored, or "" when nothing was.
func (r *Records) Rendered(ctx context.Context, chat subscriptions.Chat, messageID string) (string, error) {
	v, err := r.rdb.Get(ctx, r.renderedKey(chat, messageID)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read message signature: %w", err)
	}
	return v, nil
}

func (r *Records) sentKey(t time.Time) string {
	return r.prefix + "stats:sent:" + t.UTC().Format("2006010215")
}

// CountSent adds n to the hourly count of alerts sent (kept 49 hours, for
// the dashboard's 48-hour chart).
func (r *Records) CountSent(ctx context.Context, now time.Time, n int) {
	k := r.sentKey(now)
	r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.IncrBy(ctx, k, int64(n))
		p.Expire(ctx, k, 49*time.Hour)
		return nil
	})
}

// SentLast24h sums the hourly counts of the last 24 hours.
func (r *Records) SentLast24h(ctx context.Context, now time.Time) (int64, error) {
	cmds := make([]*redis.StringCmd, 24)
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range cmds {
			cmds[i] = p.Get(ctx, r.sentKey(now.Add(-time.Duration(i)*time.Hour)))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("read sent counts: %w", err)
	}
	var total int64
	for _, c := range cmds {
		n, _ := c.Int64()
		total += n
	}
	return total, nil
}

// SentPerHour returns the hourly counts of alerts sent over the last hours
// hours (at most 48), oldest first; the last is the current hour.
func (r *Records) SentPerHour(ctx context.Context, now time.Time, hours int) ([]int64, error) {
	cmds := make([]*redis.StringCmd, hours)
	_, err := r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range cmds {
			cmds[i] = p.Get(ctx, r.sentKey(now.Add(-time.Duration(hours-1-i)*time.Hour)))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read sent counts: %w", err)
	}
	out := make([]int64, hours)
	for i, c := range cmds {
		out[i], _ = c.Int64()
	}
	return out, nil
}
