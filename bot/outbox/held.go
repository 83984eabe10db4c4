package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/subscriptions"
)

// Held keeps alerts that quiet hours or a digest hold back, in buckets per
// chat and release time, until they are due. All its keys share the {held}
// hash tag, so its scripts work on Redis Cluster.
type Held struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewHeld returns the held-alerts store.
func NewHeld(rdb redis.UniversalClient, prefix string) *Held {
	return &Held{rdb: rdb, prefix: prefix}
}

func (h *Held) dueKey() string { return h.prefix + "{held}:due" }

// bucket names one chat's alerts released at one time.
func bucket(chat subscriptions.Chat, release time.Time) string {
	return strconv.FormatInt(release.UnixMilli(), 10) + "|" + chat.String()
}

func (h *Held) listKey(bucket string) string { return h.prefix + "{held}:bucket:" + bucket }

var holdScript = redis.NewScript(`
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return 1`)

// Hold keeps e until release.
func (h *Held) Hold(ctx context.Context, e Entry, release time.Time) error {
	b := bucket(e.Chat, release)
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode held alert: %w", err)
	}
	if err := holdScript.Run(ctx, h.rdb, []string{h.dueKey(), h.listKey(b)}, release.UnixMilli(), b, data).Err(); err != nil {
		return fmt.Errorf("hold alert for %s: %w", e.Chat, err)
	}
	return nil
}

// Bucket is one chat's alerts due together.
type Bucket struct {
	Name    string
	Chat    subscriptions.Chat
	Entries []Entry
}

// Due returns up to n buckets due at now, without removing them: call Done
// once their alerts are queued again.
func (h *Held) Due(ctx context.Context, now time.Time, n int) ([]Bucket, error) {
	names, err := h.rdb.ZRangeByScore(ctx, h.dueKey(), &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(n)}).Result()
	if err != nil {
		return nil, fmt.Errorf("read due alerts: %w", err)
	}
	out := make([]Bucket, 0, len(names))
	for _, name := range names {
		_, chatStr, _ := strings.Cut(name, "|")
		chat, err := subscriptions.ParseChat(chatStr)
		if err != nil {
			h.rdb.ZRem(ctx, h.dueKey(), name)
			continue
		}
		raw, err := h.rdb.LRange(ctx, h.listKey(name), 0, 499).Result()
		if err != nil {
			return nil, fmt.Errorf("read due alerts: %w", err)
		}
		b := Bucket{Name: name, Chat: chat}
		for _, r := range raw {
			var e Entry
			if json.Unmarshal([]byte(r), &e) == nil {
				b.Entries = append(b.Entries, e)
			}
		}
		out = append(out, b)
	}
	return out, nil
}

var doneScript = redis.NewScript(`
redis.call('LTRIM', KEYS[2], tonumber(ARGV[2]), -1)
if redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 1`)

// Done removes the first n alerts of a bucket returned by Due (the bucket
// itself once empty).
func (h *Held) Done(ctx context.Context, b Bucket, n int) error {
	if err := doneScript.Run(ctx, h.rdb, []string{h.dueKey(), h.listKey(b.Name)}, b.Name, n).Err(); err != nil {
		return fmt.Errorf("release held alerts of %s: %w", b.Chat, err)
	}
	return nil
}
