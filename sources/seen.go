package sources

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Partitions is the number of hash slots the per-source keys that must
// change together with the delivery outbox are spread over: a source's
// seen set and the outbox stream its alerts go to share the tag
// PartitionTag(source id), so one script updates both on Redis Cluster too.
const Partitions = 16

// PartitionTag is the hash tag ("{q5}") of a source's partition.
func PartitionTag(sourceID int64) string {
	p := sourceID % Partitions
	if p < 0 {
		p = -p
	}
	return "{q" + strconv.FormatInt(p, 10) + "}"
}

// PartitionTags lists every partition's hash tag.
func PartitionTags() []string {
	out := make([]string, Partitions)
	for i := range out {
		out[i] = PartitionTag(int64(i))
	}
	return out
}

// SeenKey is the sorted set of item keys a source has shown, scored by the
// last time each was present in the feed (unix ms).
func SeenKey(prefix string, sourceID int64) string {
	return prefix + PartitionTag(sourceID) + ":seen:" + strconv.FormatInt(sourceID, 10)
}

// SeenLimits bound a source's seen set. When the set holds more than
// MaxKeys, the keys absent from the feed for MaxAge are forgotten first;
// if it still holds more (a feed that invents new item keys on every poll),
// the keys absent the longest are forgotten until it holds MaxKeys. Items
// still in the feed are refreshed on every poll, so with MaxKeys above the
// items of one fetch they are never forgotten and never alerted twice.
type SeenLimits struct {
	MaxKeys int           // default 5000; at least a few fetches' worth of items
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

// SeenMark is a pending update of a source's seen set: the item keys present
// in the feed at Now. A StorySink applies it in the same script that queues
// the alerts (MarkScript), so that a crash can neither lose an alert nor
// repeat one.
type SeenMark struct {
	Key     string // the seen set (SeenKey)
	Items   []string
	Now     time.Time
	MaxKeys int
	Cutoff  time.Time // keys absent since before Cutoff may be trimmed
}

// Marking builds the mark of keys for a source at now.
func (s *Seen) Marking(sourceID int64, keys []string, now time.Time) SeenMark {
	return SeenMark{Key: SeenKey(s.prefix, sourceID), Items: keys, Now: now,
		MaxKeys: s.limits.MaxKeys, Cutoff: now.Add(-s.limits.MaxAge)}
}

// MarkLua is the Lua body that applies a SeenMark whose key is KEYS[k] and
// whose arguments start at ARGV[base] (base is a Lua expression; see
// MarkArgs), for inclusion in other scripts. It refreshes every item's score
// and trims the set.
func MarkLua(k int, base string) string {
	K := "KEYS[" + strconv.Itoa(k) + "]"
	return `
do
  local b = ` + base + `
  local now, max, cutoff, n = ARGV[b], tonumber(ARGV[b + 1]), ARGV[b + 2], tonumber(ARGV[b + 3])
  for i = 1, n do
    redis.call('ZADD', ` + K + `, now, ARGV[b + 3 + i])
  end
  local card = redis.call('ZCARD', ` + K + `)
  if card > max then
    local old = redis.call('ZRANGEBYSCORE', ` + K + `, '-inf', '(' .. cutoff, 'LIMIT', 0, card - max)
    for i = 1, #old, 1000 do
      redis.call('ZREM', ` + K + `, unpack(old, i, math.min(i + 999, #old)))
    end
    card = card - #old
    if card > max then
      redis.call('ZREMRANGEBYRANK', ` + K + `, 0, card - max - 1)
    end
  end
end
`
}

// MarkArgs are the script arguments MarkLua reads: now, max keys, cutoff,
// item count, then the items.
func (m SeenMark) MarkArgs() []any {
	args := make([]any, 0, len(m.Items)+4)
	args = append(args, m.Now.UnixMilli(), m.MaxKeys, m.Cutoff.UnixMilli(), len(m.Items))
	for _, k := range m.Items {
		args = append(args, k)
	}
	return args
}

var markScript = redis.NewScript(MarkLua(1, "1") + "return 1")

// Apply writes a mark on its own (no alerts to queue with it).
func (s *Seen) Apply(ctx context.Context, m SeenMark) error {
	if len(m.Items) == 0 {
		return nil
	}
	if err := markScript.Run(ctx, s.rdb, []string{m.Key}, m.MarkArgs()...).Err(); err != nil {
		return fmt.Errorf("mark items seen in %s: %w", m.Key, err)
	}
	return nil
}

// Mark records keys as present in the source's feed at now (refreshing keys
// already seen), then trims the set within its limits.
func (s *Seen) Mark(ctx context.Context, sourceID int64, keys []string, now time.Time) error {
	return s.Apply(ctx, s.Marking(sourceID, keys, now))
}

// Count tells how many keys the source's seen set holds.
func (s *Seen) Count(ctx context.Context, sourceID int64) (int64, error) {
	return s.rdb.ZCard(ctx, SeenKey(s.prefix, sourceID)).Result()
}
