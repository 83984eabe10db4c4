// Package subscriptions keeps what chats subscribed to: the query language
// (query), the matcher that finds the subscriptions a story satisfies
// (index), and the Redis store shared by every process, with the sync that
// keeps each process's in-memory index current.
package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Subscription is one query of one chat.
type Subscription struct {
	ID uint64
	// Num is the subscription's number in its chat (from 1), the one /list
	// shows and /unsubscribe takes; it stays the same until the
	// subscription is removed.
	Num   int
	Chat  Chat
	Query string // canonical form of the query (query.Query.String())
	// Typed is the query as the user typed it (white space tidied), shown
	// in replies; empty for subscriptions made before it was kept.
	Typed     string
	CreatedBy string // "platform:user_id"
	Created   time.Time
	// Digest is how its alerts are bundled ("off", "hourly", "daily 08:00";
	// schedule.ParseDigest reads it); empty means off.
	Digest string
	// Paused is true while the subscription's matches make no alerts
	// (/pause N); the chat's other subscriptions are not affected.
	Paused bool
}

// Errors of the store.
var (
	ErrNotFound  = errors.New("no such subscription")
	ErrDuplicate = errors.New("this chat already has that subscription")
	ErrTooMany   = errors.New("too many subscriptions in this chat")
)

// Change kinds published on the change stream.
const (
	OpAdd    = "add"
	OpRemove = "remove"
)

// Store keeps subscriptions in Redis: a hash per subscription, a set per
// chat, the set of all ids, a version counter and a change stream. All keys
// share the {subs} hash tag so each change is one transaction on Redis
// Cluster too.
type Store struct {
	rdb        redis.UniversalClient
	prefix     string
	maxPerChat int
}

// NewStore returns a store whose keys start with prefix; a chat may hold at
// most maxPerChat subscriptions.
func NewStore(rdb redis.UniversalClient, prefix string, maxPerChat int) *Store {
	if maxPerChat <= 0 {
		maxPerChat = 50
	}
	return &Store{rdb: rdb, prefix: prefix, maxPerChat: maxPerChat}
}

// MaxPerChat is the per-chat limit.
func (s *Store) MaxPerChat() int { return s.maxPerChat }

func (s *Store) key(parts ...string) string {
	k := s.prefix + "{subs}"
	for _, p := range parts {
		k += ":" + p
	}
	return k
}

func (s *Store) subKey(id uint64) string { return s.key("sub", strconv.FormatUint(id, 10)) }
func (s *Store) chatKey(c Chat) string   { return s.key("chat", c.String()) }

// ChangesKey is the stream of changes that index syncs follow.
func (s *Store) changesKey() string { return s.key("changes") }

// NotifyChannel is the pub/sub channel that announces changes.
func (s *Store) notifyChannel() string { return s.key("notify") }

// changeStreamLen bounds the change stream; a process that falls further
// behind rebuilds its index from scratch.
const changeStreamLen = 100000

// addScript checks for a duplicate and the per-chat limit and stores the
// subscription, in one step, so concurrent adds cannot pass the limit. It
// gives the subscription the smallest number (from 1) no other
// subscription of the chat holds: the number /list shows, which stays the
// subscription's own until it is removed. Subscriptions stored before
// numbers existed get theirs here, in the order they were made.
//
// KEYS: chat set, id sequence, all ids, version, change stream.
// ARGV: max per chat, query, chat, by, created (ms), stream length, key
// prefix of the subscription hashes.
// Returns {id, number, status}: status 0 added, 1 duplicate (the existing
// one's id and number), 2 over the limit.
var addScript = redis.NewScript(`
local ids = redis.call('SMEMBERS', KEYS[1])
local nums, used, missing = {}, {}, {}
for _, id in ipairs(ids) do
  local f = redis.call('HMGET', ARGV[7] .. id, 'query', 'num')
  if f[1] == ARGV[2] then
    return {tonumber(id), tonumber(f[2] or 0), 1}
  end
  local n = tonumber(f[2] or '')
  if n then used[n] = true else table.insert(missing, tonumber(id)) end
end
if #ids >= tonumber(ARGV[1]) then
  return {0, 0, 2}
end
local function free()
  local n = 1
  while used[n] do n = n + 1 end
  used[n] = true
  return n
end
table.sort(missing)
for _, id in ipairs(missing) do
  redis.call('HSET', ARGV[7] .. id, 'num', free())
end
local id = redis.call('INCR', KEYS[2])
local num = free()
redis.call('HSET', ARGV[7] .. id, 'chat', ARGV[3], 'query', ARGV[2], 'by', ARGV[4], 'created', ARGV[5], 'num', num)
redis.call('SADD', KEYS[1], id)
redis.call('SADD', KEYS[3], id)
local v = redis.call('INCR', KEYS[4])
redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[6], '*', 'op', 'add', 'id', tostring(id), 'v', v)
return {id, num, 0}`)

// Add stores a subscription of chat to query (already canonical). The
// duplicate check, the per-chat limit and the write are one atomic step;
// the subscription's Num is its number in the chat.
func (s *Store) Add(ctx context.Context, chat Chat, query, by string, now time.Time) (Subscription, error) {
	res, err := addScript.Run(ctx, s.rdb,
		[]string{s.chatKey(chat), s.key("seq"), s.key("all"), s.key("version"), s.changesKey()},
		s.maxPerChat, query, chat.String(), by, now.UnixMilli(), changeStreamLen, s.key("sub")+":").Int64Slice()
	if err != nil {
		return Subscription{}, fmt.Errorf("store subscription for %s: %w", chat, err)
	}
	if len(res) != 3 {
		return Subscription{}, fmt.Errorf("store subscription for %s: unexpected answer %v", chat, res)
	}
	sub := Subscription{ID: uint64(res[0]), Num: int(res[1]), Chat: chat, Query: query, CreatedBy: by, Created: now}
	switch res[2] {
	case 1:
		if stored, err := s.Get(ctx, sub.ID); err == nil {
			stored.Num = sub.Num
			sub = stored // with the query as it was typed then
		}
		if sub.Num == 0 { // stored before numbers: List numbers it
			if subs, err := s.List(ctx, chat); err == nil {
				for _, e := range subs {
					if e.ID == sub.ID {
						sub.Num = e.Num
					}
				}
			}
		}
		return sub, ErrDuplicate
	case 2:
		return Subscription{}, ErrTooMany
	}
	s.rdb.Publish(ctx, s.notifyChannel(), sub.ID)
	return sub, nil
}

// changeScript bumps the version and appends the change with that version,
// so that a reader can tell when it missed changes.
const changeScript = `
local v = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'op', ARGV[1], 'id', ARGV[2], 'v', v)
return v`

func (s *Store) changed(ctx context.Context, p redis.Pipeliner, op string, id uint64) {
	p.Eval(ctx, changeScript, []string{s.key("version"), s.changesKey()}, op, strconv.FormatUint(id, 10), changeStreamLen)
}

// Get loads one subscription.
func (s *Store) Get(ctx context.Context, id uint64) (Subscription, error) {
	m, err := s.rdb.HGetAll(ctx, s.subKey(id)).Result()
	if err != nil {
		return Subscription{}, fmt.Errorf("load subscription %d: %w", id, err)
	}
	if len(m) == 0 {
		return Subscription{}, ErrNotFound
	}
	return decodeSub(id, m), nil
}

func decodeSub(id uint64, m map[string]string) Subscription {
	chat, _ := ParseChat(m["chat"])
	ms, _ := strconv.ParseInt(m["created"], 10, 64)
	num, _ := strconv.Atoi(m["num"])
	return Subscription{ID: id, Num: num, Chat: chat, Query: m["query"], Typed: m["typed"], CreatedBy: m["by"], Created: time.UnixMilli(ms), Digest: m["digest"], Paused: m["paused"] != ""}
}

// Display is the query as the user typed it, or its canonical form when
// that was not kept.
func (s Subscription) Display() string {
	if s.Typed != "" {
		return s.Typed
	}
	return s.Query
}

// setTypedScript records the typed form only while the subscription exists.
var setTypedScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'typed', ARGV[1])
end
return 1`)

// SetTyped records how the user typed subscription id's query, for
// replies; matching keeps using the canonical form.
func (s *Store) SetTyped(ctx context.Context, id uint64, typed string) error {
	if err := setTypedScript.Run(ctx, s.rdb, []string{s.subKey(id)}, typed).Err(); err != nil {
		return fmt.Errorf("keep typed query of subscription %d: %w", id, err)
	}
	return nil
}

// List returns chat's subscriptions in the order of their numbers (Num),
// as /list shows them.
func (s *Store) List(ctx context.Context, chat Chat) ([]Subscription, error) {
	return s.list(ctx, chat, true)
}

func (s *Store) list(ctx context.Context, chat Chat, number bool) ([]Subscription, error) {
	ids, err := s.rdb.SMembers(ctx, s.chatKey(chat)).Result()
	if err != nil {
		return nil, fmt.Errorf("list subscriptions of %s: %w", chat, err)
	}
	nums := make([]uint64, 0, len(ids))
	for _, v := range ids {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	cmds := make([]*redis.MapStringStringCmd, len(nums))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range nums {
			cmds[i] = p.HGetAll(ctx, s.subKey(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list subscriptions of %s: %w", chat, err)
	}
	out := make([]Subscription, 0, len(nums))
	numbered := true
	for i, c := range cmds {
		if m := c.Val(); len(m) > 0 {
			sub := decodeSub(nums[i], m)
			numbered = numbered && sub.Num > 0
			out = append(out, sub)
		}
	}
	if !numbered && number {
		return s.numberAll(ctx, chat)
	}
	slices.SortFunc(out, func(a, b Subscription) int { return a.Num - b.Num })
	return out, nil
}

// numberScript gives a number to each subscription of a chat that has none
// (stored before numbers existed), smallest free first, in the order they
// were made. KEYS: chat set; ARGV: key prefix of the subscription hashes.
var numberScript = redis.NewScript(`
local used, missing = {}, {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local n = tonumber(redis.call('HGET', ARGV[1] .. id, 'num') or '')
  if n then used[n] = true
  elseif redis.call('EXISTS', ARGV[1] .. id) == 1 then table.insert(missing, tonumber(id)) end
end
table.sort(missing)
local n = 1
for _, id in ipairs(missing) do
  while used[n] do n = n + 1 end
  used[n] = true
  redis.call('HSET', ARGV[1] .. id, 'num', n)
end
return #missing`)

// numberAll numbers chat's unnumbered subscriptions, then lists them.
func (s *Store) numberAll(ctx context.Context, chat Chat) ([]Subscription, error) {
	if err := numberScript.Run(ctx, s.rdb, []string{s.chatKey(chat)}, s.key("sub")+":").Err(); err != nil {
		return nil, fmt.Errorf("number subscriptions of %s: %w", chat, err)
	}
	return s.list(ctx, chat, false)
}

// Remove deletes subscription id of chat.
func (s *Store) Remove(ctx context.Context, chat Chat, id uint64) error {
	ok, err := s.rdb.SIsMember(ctx, s.chatKey(chat), id).Result()
	if err != nil {
		return fmt.Errorf("remove subscription %d: %w", id, err)
	}
	if !ok {
		return ErrNotFound
	}
	return s.remove(ctx, chat, []uint64{id})
}

// RemoveAll deletes every subscription of chat and tells how many there were.
func (s *Store) RemoveAll(ctx context.Context, chat Chat) (int, error) {
	subs, err := s.List(ctx, chat)
	if err != nil {
		return 0, err
	}
	ids := make([]uint64, len(subs))
	for i, sub := range subs {
		ids[i] = sub.ID
	}
	return len(ids), s.remove(ctx, chat, ids)
}

func (s *Store) remove(ctx context.Context, chat Chat, ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range ids {
			p.Del(ctx, s.subKey(id))
			p.SRem(ctx, s.chatKey(chat), id)
			p.SRem(ctx, s.key("all"), id)
			s.changed(ctx, p, OpRemove, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remove subscriptions of %s: %w", chat, err)
	}
	s.rdb.Publish(ctx, s.notifyChannel(), ids[0])
	return nil
}

// Count tells how many subscriptions exist in all.
func (s *Store) Count(ctx context.Context) (int64, error) {
	return s.rdb.SCard(ctx, s.key("all")).Result()
}

// SetDigest sets how subscription id of chat bundles its alerts.
func (s *Store) SetDigest(ctx context.Context, chat Chat, id uint64, digest string) error {
	ok, err := s.rdb.SIsMember(ctx, s.chatKey(chat), id).Result()
	if err != nil {
		return fmt.Errorf("set digest of subscription %d: %w", id, err)
	}
	if !ok {
		return ErrNotFound
	}
	if err := s.rdb.HSet(ctx, s.subKey(id), "digest", digest).Err(); err != nil {
		return fmt.Errorf("set digest of subscription %d: %w", id, err)
	}
	return nil
}

// Digests returns the digest setting of each subscription id ("" for off
// or gone).
func (s *Store) Digests(ctx context.Context, ids []uint64) ([]string, error) {
	cmds := make([]*redis.StringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGet(ctx, s.subKey(id), "digest")
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read digest settings: %w", err)
	}
	out := make([]string, len(ids))
	for i, c := range cmds {
		out[i] = c.Val()
	}
	return out, nil
}

// ErrUnchanged is SetPaused's answer when the subscription already was in
// the state asked for.
var ErrUnchanged = errors.New("subscription already in that state")

// setPausedScript pauses (ARGV[2] "1") or resumes a subscription, only
// while it exists and belongs to the chat. KEYS: chat set, subscription
// hash. ARGV: id, "1" or "0", pause time (ms). Returns -1 for no such
// subscription, 0 when it already was so, 1 when changed.
var setPausedScript = redis.NewScript(`
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 0 then
  return -1
end
local was = redis.call('HEXISTS', KEYS[2], 'paused')
if ARGV[2] == '1' then
  if was == 1 then return 0 end
  redis.call('HSET', KEYS[2], 'paused', ARGV[3])
  return 1
end
if was == 0 then return 0 end
redis.call('HDEL', KEYS[2], 'paused')
return 1`)

// SetPaused pauses or resumes subscription id of chat, in one atomic step
// that writes nothing when the subscription is gone. It returns
// ErrNotFound when the chat has no such subscription and ErrUnchanged when
// it already was paused (or running). Routing reads the field on each
// match (Paused), so every process sees the change at once.
func (s *Store) SetPaused(ctx context.Context, chat Chat, id uint64, paused bool, now time.Time) error {
	flag := "0"
	if paused {
		flag = "1"
	}
	res, err := setPausedScript.Run(ctx, s.rdb, []string{s.chatKey(chat), s.subKey(id)},
		strconv.FormatUint(id, 10), flag, now.UnixMilli()).Int64()
	if err != nil {
		return fmt.Errorf("pause subscription %d: %w", id, err)
	}
	switch res {
	case -1:
		return ErrNotFound
	case 0:
		return ErrUnchanged
	}
	return nil
}

// Paused returns the ids among ids whose subscriptions are paused.
func (s *Store) Paused(ctx context.Context, ids []uint64) (map[uint64]bool, error) {
	cmds := make([]*redis.BoolCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HExists(ctx, s.subKey(id), "paused")
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read paused subscriptions: %w", err)
	}
	var out map[uint64]bool
	for i, c := range cmds {
		if c.Val() {
			if out == nil {
				out = map[uint64]bool{}
			}
			out[ids[i]] = true
		}
	}
	return out, nil
}
