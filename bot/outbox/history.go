package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/subscriptions"
)

// HistoryLen is how many alert decisions History keeps per chat.
const HistoryLen = 200

// Outcomes of an alert, as History records them.
const (
	OutcomeSent    = "sent"
	OutcomeDigest  = "sent in a digest"
	OutcomeFolded  = "folded into an earlier alert"
	OutcomeHeld    = "held for a digest"
	OutcomeDropped = "dropped"
)

// Event is one decision delivery took about a chat's alert.
type Event struct {
	StoryID string    `json:"story"`
	Title   string    `json:"title"`
	Source  string    `json:"source"`
	Link    string    `json:"link,omitempty"`
	At      time.Time `json:"at"`
	SubIDs  []uint64  `json:"subs"`
	Terms   []string  `json:"terms"`
	Outcome string    `json:"outcome"`
	// Reason says why an alert was dropped (chat paused, too old, …).
	Reason string `json:"reason,omitempty"`
	// Until is when a held alert is released.
	Until time.Time `json:"until,omitzero"`
	// FoldedInto is the earlier story a folded alert joined.
	FoldedInto string `json:"folded_into,omitempty"`
}

// History keeps, per chat, the last HistoryLen alert decisions (a capped
// Redis list, newest first) and per subscription how many alerts it
// brought each day (8 days kept), for the dashboard. Recording is best
// effort: a failure is logged by the caller, never blocks delivery.
type History struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewHistory returns a history whose keys start with prefix.
func NewHistory(rdb redis.UniversalClient, prefix string) *History {
	return &History{rdb: rdb, prefix: prefix}
}

func (h *History) listKey(chat subscriptions.Chat) string {
	return h.prefix + "{history:" + chat.String() + "}:events"
}

func (h *History) countKey(chat subscriptions.Chat, day time.Time) string {
	return h.prefix + "{history:" + chat.String() + "}:subs:" + day.UTC().Format("20060102")
}

// Record adds events of one chat.
func (h *History) Record(ctx context.Context, chat subscriptions.Chat, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	_, err := h.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, e := range events {
			b, _ := json.Marshal(e)
			p.LPush(ctx, h.listKey(chat), b)
			if e.Outcome == OutcomeSent || e.Outcome == OutcomeDigest {
				k := h.countKey(chat, e.At)
				for _, id := range e.SubIDs {
					p.HIncrBy(ctx, k, strconv.FormatUint(id, 10), 1)
				}
				p.Expire(ctx, k, 8*24*time.Hour)
			}
		}
		p.LTrim(ctx, h.listKey(chat), 0, HistoryLen-1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("record alert history: %w", err)
	}
	return nil
}

// Events returns the chat's recorded decisions, newest first.
func (h *History) Events(ctx context.Context, chat subscriptions.Chat) ([]Event, error) {
	raw, err := h.rdb.LRange(ctx, h.listKey(chat), 0, HistoryLen-1).Result()
	if err != nil {
		return nil, fmt.Errorf("read alert history: %w", err)
	}
	out := make([]Event, 0, len(raw))
	for _, r := range raw {
		var e Event
		if json.Unmarshal([]byte(r), &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// SentPerSubscription returns how many alerts each subscription of the
// chat brought over the last days days (at most 8), by subscription id.
func (h *History) SentPerSubscription(ctx context.Context, chat subscriptions.Chat, days int, now time.Time) (map[uint64]int64, error) {
	cmds := make([]*redis.MapStringStringCmd, days)
	_, err := h.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i := range cmds {
			cmds[i] = p.HGetAll(ctx, h.countKey(chat, now.AddDate(0, 0, -i)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read alert counts: %w", err)
	}
	out := map[uint64]int64{}
	for _, c := range cmds {
		for k, v := range c.Val() {
			id, err1 := strconv.ParseUint(k, 10, 64)
			n, err2 := strconv.ParseInt(v, 10, 64)
			if err1 == nil && err2 == nil {
				out[id] += n
			}
		}
	}
	return out, nil
}

// remember records decisions about a chat's alerts; a failure is logged.
func (d *Deliverer) remember(ctx context.Context, chat subscriptions.Chat, events ...Event) {
	if d.opts.History == nil || len(events) == 0 {
		return
	}
	if err := d.opts.History.Record(context.WithoutCancel(ctx), chat, events...); err != nil {
		d.log.Warn("delivery: cannot record alert history", "chat", chat.String(), "err", err)
	}
}

// eventOf describes a decision about e, with its story's title and source
// when the story is still stored.
func (d *Deliverer) eventOf(ctx context.Context, e Entry, outcome, reason string) Event {
	ev := Event{StoryID: e.StoryID, At: d.opts.Now(), SubIDs: e.SubIDs, Terms: e.Terms, Outcome: outcome, Reason: reason}
	if d.opts.History != nil {
		if st, err := d.opts.Stories.Get(ctx, e.StoryID); err == nil {
			ev.Title, ev.Source, ev.Link = st.Title, st.SourceName, st.Link
		}
	}
	return ev
}

// dropEvents describes entries dropped for reason.
func (d *Deliverer) dropEvents(ctx context.Context, es []Entry, reason string) []Event {
	if d.opts.History == nil {
		return nil
	}
	out := make([]Event, len(es))
	for i, e := range es {
		out[i] = d.eventOf(ctx, e, OutcomeDropped, reason)
	}
	return out
}

// sentEvents describes alerts just delivered.
func (d *Deliverer) sentEvents(todo []pending) []Event {
	out := make([]Event, len(todo))
	now := d.opts.Now()
	for i, t := range todo {
		outcome := OutcomeSent
		if t.entry.Digest {
			outcome = OutcomeDigest
		}
		out[i] = Event{StoryID: t.entry.StoryID, Title: t.alert.Title, Source: t.alert.Source, Link: t.alert.Link, At: now,
			SubIDs: t.entry.SubIDs, Terms: t.entry.Terms, Outcome: outcome}
	}
	return out
}
