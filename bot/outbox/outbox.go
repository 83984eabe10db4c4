// Package outbox carries matches to chats durably: the router turns new
// stories into outbox entries (one per story and chat), a Redis stream holds
// them, and deliverers read it with a consumer group, send through the chat
// adapters, and acknowledge only what a platform accepted.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/subscriptions"
)

// Entry is one story waiting for one chat, or (AlsoOf set) the news that
// another source carried a story the chat was already alerted to.
type Entry struct {
	ID       string // stream entry id; set when read
	StoryID  string
	// AlsoOf is the earlier story StoryID duplicates: the chat's alert for
	// it gains an "Also reported by" line instead of a new alert.
	AlsoOf string
	Chat     subscriptions.Chat
	SubIDs   []uint64 // the chat's subscriptions that matched
	Terms    []string // matched terms, for highlighting and the summary
	Enqueued time.Time
}

// Group is the consumer group every deliverer reads the stream with.
const Group = "delivery"

// Outbox is the delivery stream.
type Outbox struct {
	rdb    redis.UniversalClient
	prefix string
}

// New returns the outbox whose keys start with prefix.
func New(rdb redis.UniversalClient, prefix string) *Outbox {
	return &Outbox{rdb: rdb, prefix: prefix}
}

// StreamKey is the stream's key; every key a delivery script touches with it
// shares its {outbox} hash tag.
func (o *Outbox) StreamKey() string { return o.prefix + "{outbox}:stream" }

// EnsureGroup creates the consumer group (and the stream) when missing.
func (o *Outbox) EnsureGroup(ctx context.Context) error {
	err := o.rdb.XGroupCreateMkStream(ctx, o.StreamKey(), Group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("create delivery group: %w", err)
	}
	return nil
}

// Enqueue appends entries to the stream.
func (o *Outbox) Enqueue(ctx context.Context, entries []Entry) error {
	if len(entries) == 0 {
		return nil
	}
	_, err := o.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range entries {
			p.XAdd(ctx, &redis.XAddArgs{Stream: o.StreamKey(), Values: encodeEntry(e)})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enqueue %d alerts: %w", len(entries), err)
	}
	return nil
}

// Len is how many entries wait in the stream (delivered entries are
// deleted).
func (o *Outbox) Len(ctx context.Context) (int64, error) {
	return o.rdb.XLen(ctx, o.StreamKey()).Result()
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
	}
}

var errBadEntry = errors.New("malformed outbox entry")

func decodeEntry(m redis.XMessage) (Entry, error) {
	str := func(k string) string { s, _ := m.Values[k].(string); return s }
	chat, err := subscriptions.ParseChat(str("chat"))
	if err != nil || str("story") == "" {
		return Entry{ID: m.ID}, fmt.Errorf("%w %s", errBadEntry, m.ID)
	}
	e := Entry{ID: m.ID, StoryID: str("story"), Chat: chat, AlsoOf: str("also_of")}
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
