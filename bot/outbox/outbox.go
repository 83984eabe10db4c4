// Package outbox carries matches to chats durably: the router turns new
// stories into outbox entries (one per story and chat), Redis streams hold
// them, and deliverers read them with a consumer group, send through the
// chat adapters, and acknowledge only what a platform accepted.
//
// The outbox is partitioned like the sources' seen sets (sources.PartitionTag):
// a source's alerts go to the stream that shares its seen set's hash slot,
// so one script queues the alerts and marks the items seen, atomically, on
// a single Redis, Sentinel or Cluster alike.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/subscriptions"
)

// Entry is one story waiting for one chat, or (AlsoOf set) the news that
// another source carried a story the chat was already alerted to.
type Entry struct {
	ID      string // stream entry id; set when read
	Stream  string // stream key; set when read
	StoryID string
	// AlsoOf is the earlier story StoryID duplicates: the chat's alert for
	// it gains an "Also reported by" line instead of a new alert.
	AlsoOf   string
	Chat     subscriptions.Chat
	SubIDs   []uint64 // the chat's subscriptions that matched
	Terms    []string // matched terms, for highlighting and the summary
	Enqueued time.Time
	// Digest marks an alert released from quiet hours or a digest: it is
	// not held again, and it is sent bundled with the others released with
	// it.
	Digest bool
	// Reclaimed is set on entries taken over from another consumer.
	Reclaimed bool `json:"-"`
}

// Group is the consumer group every deliverer reads the streams with.
const Group = "delivery"

// Outbox is the set of delivery streams.
type Outbox struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns the outbox whose keys start with prefix.
func New(rdb redis.UniversalClient, prefix string) *Outbox {
	return &Outbox{rdb: rdb, prefix: prefix}
}

// StreamKey is the stream of the partition with hash tag tag.
func (o *Outbox) StreamKey(tag string) string { return o.prefix + tag + ":outbox" }

// StreamKeys lists every partition's stream.
func (o *Outbox) StreamKeys() []string {
	tags := sources.PartitionTags()
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = o.StreamKey(t)
	}
	return out
}

func (o *Outbox) bell() string { return o.prefix + "outbox:bell" }

// EnsureGroup creates the consumer group (and the streams) when missing.
func (o *Outbox) EnsureGroup(ctx context.Context) error {
	for _, k := range o.StreamKeys() {
		err := o.rdb.XGroupCreateMkStream(ctx, k, Group, "0").Err()
		if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
			return fmt.Errorf("create delivery group on %s: %w", k, err)
		}
	}
	return nil
}

// entryFields is how many values encodeEntry produces.
const entryFields = 14

// enqueueScript appends ARGV[1] entries of entryFields values each to the
// stream KEYS[1], then applies the seen mark on KEYS[2] whose arguments
// follow: alerts and seen marks land together or not at all.
var enqueueScript = redis.NewScript(`
local n = tonumber(ARGV[1])
local i = 2
for e = 1, n do
  redis.call('XADD', KEYS[1], '*', unpack(ARGV, i, i + ` + strconv.Itoa(entryFields-1) + `))
  i = i + ` + strconv.Itoa(entryFields) + `
end
` + sources.MarkLua(2, "2 + n * "+strconv.Itoa(entryFields)) + `
return n`)

// Enqueue appends the entries of one source's stories to its partition's
// stream and applies mark (the source's seen set update) in the same
// script. A zero mark (no key) marks nothing.
func (o *Outbox) Enqueue(ctx context.Context, sourceID int64, entries []Entry, mark sources.SeenMark) error {
	tag := sources.PartitionTag(sourceID)
	seenKey := mark.Key
	if seenKey == "" {
		seenKey = o.prefix + tag + ":noseen" // an absent key in the same slot
	} else if !strings.Contains(seenKey, tag) {
		return fmt.Errorf("seen set %s is not in partition %s", seenKey, tag)
	}
	args := make([]any, 0, 1+len(entries)*entryFields+4+len(mark.Items))
	args = append(args, len(entries))
	for _, e := range entries {
		for _, v := range encodeEntry(e) {
			args = append(args, v)
		}
	}
	if mark.Key == "" {
		args = append(args, 0, 0, 0, 0)
	} else {
		args = append(args, mark.MarkArgs()...)
	}
	if err := enqueueScript.Run(ctx, o.rdb, []string{o.StreamKey(tag), seenKey}, args...).Err(); err != nil {
		return fmt.Errorf("enqueue %d alerts: %w", len(entries), err)
	}
	if len(entries) > 0 {
		// A wake-up only: a lost one costs a deliverer's one-second poll.
		o.rdb.Publish(ctx, o.bell(), tag)
	}
	return nil
}

// Len is how many entries wait in the streams (delivered entries are
// deleted).
func (o *Outbox) Len(ctx context.Context) (int64, error) {
	keys := o.StreamKeys()
	cmds := make([]*redis.IntCmd, len(keys))
	_, err := o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.XLen(ctx, k)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("outbox length: %w", err)
	}
	var n int64
	for _, c := range cmds {
		n += c.Val()
	}
	return n, nil
}

func encodeEntry(e Entry) []string {
	subs := make([]string, len(e.SubIDs))
	for i, id := range e.SubIDs {
		subs[i] = strconv.FormatUint(id, 10)
	}
	return []string{
		"story", e.StoryID,
		"chat", e.Chat.String(),
		"subs", strings.Join(subs, ","),
		"terms", strings.Join(e.Terms, "\x1f"),
		"at", strconv.FormatInt(e.Enqueued.UnixMilli(), 10),
		"also_of", e.AlsoOf,
		"digest", strconv.FormatBool(e.Digest),
	}
}

var errBadEntry = errors.New("malformed outbox entry")

func decodeEntry(stream string, m redis.XMessage) (Entry, error) {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	chat, err := subscriptions.ParseChat(str("chat"))
	if err != nil || str("story") == "" {
		return Entry{ID: m.ID, Stream: stream}, fmt.Errorf("%w %s", errBadEntry, m.ID)
	}
	e := Entry{ID: m.ID, Stream: stream, StoryID: str("story"), Chat: chat, AlsoOf: str("also_of"), Digest: str("digest") == "true"}
	for _, s := range strings.Split(str("subs"), ",") {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			e.SubIDs = append(e.SubIDs, n)
		}
	}
	if t := str("terms"); t != "" {
		e.Terms = strings.Split(t, "\x1f")
	}
	ms, _ := strconv.ParseInt(str("at"), 10, 64)
	e.Enqueued = time.UnixMilli(ms)
	return e, nil
}

// OldestAge is how long the oldest entry still waiting (queued or pending)
// has waited; 0 when the outbox is empty. Delivered entries are deleted, so
// the first entry of each stream is its oldest.
func (o *Outbox) OldestAge(ctx context.Context, now time.Time) (time.Duration, error) {
	keys := o.StreamKeys()
	cmds := make([]*redis.XMessageSliceCmd, len(keys))
	_, err := o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.XRangeN(ctx, k, "-", "+", 1)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("oldest outbox entry: %w", err)
	}
	var oldest time.Duration
	for _, c := range cmds {
		for _, m := range c.Val() {
			ms, _, _ := strings.Cut(m.ID, "-")
			if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
				oldest = max(oldest, now.Sub(time.UnixMilli(n)))
			}
		}
	}
	return oldest, nil
}
