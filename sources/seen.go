package sources

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// SeenKey is the sorted set of item keys a source has shown, scored by the
// last time each was present in the feed (unix ms). It has the source's own
// hash tag, so that scripts over one source's marks work on Redis Cluster.
func SeenKey(prefix string, sourceID int64) string {
	return prefix + "{src:" + strconv.FormatInt(sourceID, 10) + "}:seen"
}

// SeenLimits bound a source's seen set. An item key is forgotten only when
// it has been absent from the feed for MaxAge and the set holds more than
// MaxKeys; items still in the feed are refreshed on every poll, so they are
// never forgotten and never alerted twice.
type SeenLimits struct {
	MaxKeys int           // default 5000
	MaxAge  time.Duration // default 30 days
}

func (l SeenLimits) withDefaults() SeenLimits {
	if l.MaxKeys <= 0 {
		l.MaxKeys = 5000
	}
	if l.MaxAge <= 0 {
		l.MaxAge = 30 * 24 * time.Hour
	}
	return l
}

// Seen is the per-source record of item keys already shown.
type Seen struct {
	rdb    redis.UniversalClient
	prefix string
	limits SeenLimits
}

// NewSeen returns the seen-set store.
func NewSeen(rdb redis.UniversalClient, prefix string, limits SeenLimits) *Seen {
	return &Seen{rdb: rdb, prefix: prefix, limits: limits.withDefaults()}
}

// Unseen returns the keys, of those given, that the source has not shown
// before, in the order given. It changes nothing.
func (s *Seen) Unseen(ctx context.Context, sourceID int64, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	scores, err := s.rdb.ZMScore(ctx, SeenKey(s.prefix, sourceID), keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("read seen marks of source %d: %w", sourceID, err)
	}
	var out []string
	for i, sc := range scores {
		if sc == 0 {
			out = append(out, keys[i])
		}
	}
	return out, nil
}

// markScript marks ARGV[4..] seen at ARGV[1] (ms), then trims the set to
// ARGV[2] keys by dropping those absent the longest, but only those last
// present before ARGV[3] (ms).
var markScript = redis.NewScript(`
local now = ARGV[1]
for i = 4, #ARGV do
  redis.call('ZADD', KEYS[1], now, ARGV[i])
end
local n = redis.call('ZCARD', KEYS[1])
local max = tonumber(ARGV[2])
if n > max then
  local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3], 'LIMIT', 0, n - max)
  if #old > 0 then redis.call('ZREM', KEYS[1], unpack(old)) end
end
return n
`)

// Mark records keys as present in the source's feed at now (refreshing keys
// already seen), then trims the set within its limits.
func (s *Seen) Mark(ctx context.Context, sourceID int64, keys []string, now time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, len(keys)+4)
	args = append(args, now.UnixMilli(), s.limits.MaxKeys, now.Add(-s.limits.MaxAge).UnixMilli())
	for _, k := range keys {
		args = append(args, k)
	}
	if err := markScript.Run(ctx, s.rdb, []string{SeenKey(s.prefix, sourceID)}, args...).Err(); err != nil {
		return fmt.Errorf("mark items seen for source %d: %w", sourceID, err)
	}
	return nil
}

// Count tells how many keys the source's seen set holds.
func (s *Seen) Count(ctx context.Context, sourceID int64) (int64, error) {
	return s.rdb.ZCard(ctx, SeenKey(s.prefix, sourceID)).Result()
}
