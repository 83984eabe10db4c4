package telegram

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/bot"
)

// Accepted updates. Before the update offset moves past an update (which
// makes Telegram forget it) the update is stored in a Redis hash, and it
// stays there until its reply was delivered. A process that takes over
// (the next lease holder, or the same instance restarted) handles what it
// finds there first, so a crash loses no command. Once a command has
// answered, its answer is stored next to the update ("r:<id>"): after a
// crash between answering and delivering, the answer is sent again rather
// than the command run twice.

// storedReply is a command's answer waiting for delivery.
type storedReply struct {
	ChatID  int64  `json:"chat_id"`
	Thread  int    `json:"thread,omitempty"`
	ReplyTo int    `json:"reply_to,omitempty"`
	Text    string `json:"text"`
}

// acceptScript stores updates (ARGV[2..]: id, raw pairs) in the pending
// hash and moves the offset to ARGV[1] (the last id) in one step.
var acceptScript = redis.NewScript(`
for i = 2, #ARGV, 2 do
  redis.call("HSET", KEYS[1], ARGV[i], ARGV[i+1])
end
local v = tonumber(redis.call("GET", KEYS[2]) or "0")
if tonumber(ARGV[1]) > v then
  redis.call("SET", KEYS[2], ARGV[1])
end
return 1`)

// inflight remembers the updates queued or running in this process, so
// that one found again in the pending hash is not run twice.
type inflight struct {
	mu  sync.Mutex
	ids map[int]bool
}

func newInflight() *inflight { return &inflight{ids: map[int]bool{}} }

func (f *inflight) start(id int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ids[id] {
		return false
	}
	f.ids[id] = true
	return true
}

func (f *inflight) end(id int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.ids, id)
}

// updateJob is one update on its way through the dispatcher.
type updateJob struct {
	a       *Adapter
	pending string // the hash that holds it
	id      int
	fl      *inflight
}

// answered stores the answer so that a restart resends it.
func (j *updateJob) answered(ctx context.Context, t target, replyTo int, text string) {
	chatID, ok := t.chatID.(int64)
	if j == nil || !ok {
		return
	}
	b, _ := json.Marshal(storedReply{ChatID: chatID, Thread: t.thread, ReplyTo: replyTo, Text: text})
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := j.a.rdb.HSet(ctx, j.pending, "r:"+strconv.Itoa(j.id), b).Err(); err != nil {
		j.a.log.WarnContext(ctx, "telegram: store command answer failed", "update_id", j.id, "err", err)
	}
}

// done forgets the update: its answer was delivered, or it needed none.
func (j *updateJob) done() {
	if j == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	id := strconv.Itoa(j.id)
	if err := j.a.rdb.HDel(ctx, j.pending, id, "r:"+id).Err(); err != nil {
		j.a.log.WarnContext(ctx, "telegram: forget handled update failed; it may be answered again after a restart", "update_id", j.id, "err", err)
	}
	j.fl.end(j.id)
}

// accept stores raws durably and advances the offset past them.
func (a *Adapter) accept(ctx context.Context, ids []int, raws []json.RawMessage) error {
	args := make([]any, 0, 1+2*len(raws))
	args = append(args, ids[len(ids)-1])
	for i, raw := range raws {
		args = append(args, ids[i], string(raw))
	}
	return acceptScript.Run(ctx, a.rdb, []string{a.keys.pending, a.keys.offset}, args...).Err()
}

// dispatch queues an accepted update for its chat. It waits while the
// dispatcher is full and returns false when ctx ended first (the update
// stays pending).
func (a *Adapter) dispatch(ctx context.Context, h bot.Handler, rep *replies, d *bot.Dispatcher, fl *inflight, pending string, id int, raw json.RawMessage) bool {
	if !fl.start(id) {
		return true
	}
	u, ok := a.decodeUpdate(ctx, raw)
	j := &updateJob{a: a, pending: pending, id: id, fl: fl}
	err := d.Submit(ctx, chatKey(u), func(ctx context.Context) {
		if !ok {
			j.done()
			return
		}
		a.handleUpdate(ctx, h, rep, u, j)
	})
	if err != nil {
		fl.end(id)
		return false
	}
	return true
}

// resume handles what the pending hash holds: answers are sent again,
// updates not answered yet are queued, oldest first.
func (a *Adapter) resume(ctx context.Context, h bot.Handler, rep *replies, d *bot.Dispatcher, fl *inflight, pending string) {
	all, err := a.rdb.HGetAll(ctx, pending).Result()
	if err != nil {
		if ctx.Err() == nil {
			a.log.WarnContext(ctx, "telegram: read accepted updates failed", "err", err)
		}
		return
	}
	answers := map[int]storedReply{}
	var ids []int
	for k, v := range all {
		if rest, ok := strings.CutPrefix(k, "r:"); ok {
			var r storedReply
			if id, err := strconv.Atoi(rest); err == nil && json.Unmarshal([]byte(v), &r) == nil {
				answers[id] = r
			}
			continue
		}
		if id, err := strconv.Atoi(k); err == nil {
			ids = append(ids, id)
		}
	}
	for id := range answers {
		if _, ok := all[strconv.Itoa(id)]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	if len(ids) > 0 {
		a.log.InfoContext(ctx, "telegram: resuming accepted updates", "count", len(ids))
	}
	for _, id := range ids {
		if r, ok := answers[id]; ok {
			if !fl.start(id) {
				continue
			}
			j := &updateJob{a: a, pending: pending, id: id, fl: fl}
			t := target{chatID: r.ChatID, key: strconv.FormatInt(r.ChatID, 10), thread: r.Thread}
			rep.send(t, r.ReplyTo, r.Text, j.done)
			continue
		}
		if !a.dispatch(ctx, h, rep, d, fl, pending, id, json.RawMessage(all[strconv.Itoa(id)])) {
			return
		}
	}
}
