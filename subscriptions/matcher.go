package subscriptions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/errgroup"

	"github.com/newsalert/newsalert/internal/recovery"
	"github.com/newsalert/newsalert/subscriptions/index"
	"github.com/newsalert/newsalert/subscriptions/query"
	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// Matcher holds every subscription compiled in an in-memory index and keeps
// it in sync with the store: changes made by any process reach it within a
// second (pub/sub wakes it at once; a poll of the change stream catches
// anything a dropped notification missed).
type Matcher struct {
	store *Store
	lim   query.Limits
	log   *slog.Logger
	idx   *index.Index
	// panics counts panics recovered while applying a change (see
	// CountPanics); nil counts nothing.
	panics recovery.Counter

	syncMu  sync.Mutex // one sync at a time
	mu      sync.RWMutex
	chats   map[uint64]Chat
	lastID  string // last change stream entry applied
	version int64  // store version after lastID
}

// NewMatcher returns an empty matcher; call Load, then Run.
func NewMatcher(store *Store, lim query.Limits, log *slog.Logger) *Matcher {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Matcher{store: store, lim: lim, log: log, idx: index.New(), chats: map[uint64]Chat{}, lastID: "0-0"}
}

// CountPanics makes m count the panics it recovers on c (main passes its
// metrics); call it before Run. It returns m.
func (m *Matcher) CountPanics(c recovery.Counter) *Matcher {
	m.panics = c
	return m
}

// Len is the number of subscriptions in the index.
func (m *Matcher) Len() int { return m.index().Len() }

func (m *Matcher) index() *index.Index {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.idx
}

// Match returns the subscriptions the story satisfies, with the terms that
// hit. Safe for concurrent use.
func (m *Matcher) Match(title, text string) []Match {
	doc := textnorm.NewDoc(title, text)
	hits := m.index().Match(doc, nil)
	if len(hits) == 0 {
		return nil
	}
	out := make([]Match, 0, len(hits))
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, h := range hits {
		chat, ok := m.chats[h.ID]
		if !ok {
			continue
		}
		mt := Match{SubID: h.ID, Chat: chat}
		for _, hit := range h.Hits {
			if !containsStr(mt.Terms, hit.Term) {
				mt.Terms = append(mt.Terms, hit.Term)
			}
			if hit.Field == textnorm.Title && !containsStr(mt.InTitle, hit.Term) {
				mt.InTitle = append(mt.InTitle, hit.Term)
			}
		}
		out = append(out, mt)
	}
	return out
}

func containsStr(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Load builds the index from the store. Changes made while it reads are
// replayed by the next sync.
func (m *Matcher) Load(ctx context.Context) error {
	m.syncMu.Lock()
	defer m.syncMu.Unlock()
	return m.load(ctx)
}

func (m *Matcher) load(ctx context.Context) error {
	s := m.store
	last, err := s.rdb.XRevRangeN(ctx, s.changesKey(), "+", "-", 1).Result()
	if err != nil {
		return fmt.Errorf("read subscription changes: %w", err)
	}
	lastID, version := "0-0", int64(0)
	if len(last) == 1 {
		lastID = last[0].ID
		version, _ = strconv.ParseInt(fmt.Sprint(last[0].Values["v"]), 10, 64)
	}
	ids, err := s.rdb.SMembers(ctx, s.key("all")).Result()
	if err != nil {
		return fmt.Errorf("list subscriptions: %w", err)
	}
	idx := index.New()
	chats := make(map[uint64]Chat, len(ids))
	var mu sync.Mutex
	const batch = 2000
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		g.Go(func() error {
			cmds := make([]*redis.SliceCmd, len(part))
			_, err := s.rdb.Pipelined(gctx, func(p redis.Pipeliner) error {
				for i, id := range part {
					cmds[i] = p.HMGet(gctx, s.key("sub", id), "chat", "query")
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("load subscriptions: %w", err)
			}
			for i, c := range cmds {
				id, _ := strconv.ParseUint(part[i], 10, 64)
				chat, q, ok := m.compile(id, c.Val())
				if !ok {
					continue
				}
				idx.Add(id, q)
				mu.Lock()
				chats[id] = chat
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	m.mu.Lock()
	m.idx = idx
	m.chats = chats
	m.lastID, m.version = lastID, version
	m.mu.Unlock()
	m.log.Info("subscriptions loaded", "subscriptions", idx.Len())
	return nil
}

func (m *Matcher) compile(id uint64, vals []any) (Chat, *query.Query, bool) {
	if len(vals) != 2 {
		return Chat{}, nil, false
	}
	cs, _ := vals[0].(string)
	qs, _ := vals[1].(string)
	chat, err := ParseChat(cs)
	if err != nil {
		return Chat{}, nil, false
	}
	q, err := query.Parse(qs, m.lim)
	if err != nil {
		m.log.Warn("stored subscription no longer parses; skipped", "subscription", id, "err", err)
		return Chat{}, nil, false
	}
	return chat, q, true
}

// Run keeps the index in sync until ctx is done.
func (m *Matcher) Run(ctx context.Context) error {
	sub := m.store.rdb.Subscribe(ctx, m.store.notifyChannel())
	defer sub.Close()
	notes := sub.Channel()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		var err error
		if perr := recovery.Guard(m.log, m.panics, "sync", func() { err = m.sync(ctx) }); perr != nil {
			err = perr
		}
		if err != nil && ctx.Err() == nil {
			m.log.Warn("subscription sync failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-notes:
		case <-tick.C:
		}
	}
}

// CatchUp applies every change made so far by any process, so that a story
// matched right after is matched against every subscription that exists
// now. The router calls it before matching; an error means the index may be
// stale and the stories should wait.
func (m *Matcher) CatchUp(ctx context.Context) error { return m.sync(ctx) }

// sync applies the changes after lastID; a gap in versions (the stream was
// trimmed past us) triggers a full reload.
func (m *Matcher) sync(ctx context.Context) error {
	m.syncMu.Lock()
	defer m.syncMu.Unlock()
	s := m.store
	for {
		m.mu.RLock()
		lastID, version := m.lastID, m.version
		m.mu.RUnlock()
		entries, err := s.rdb.XRangeN(ctx, s.changesKey(), "("+lastID, "+", 1000).Result()
		if err != nil {
			return fmt.Errorf("read subscription changes: %w", err)
		}
		if len(entries) == 0 {
			return nil
		}
		for _, e := range entries {
			v, _ := strconv.ParseInt(fmt.Sprint(e.Values["v"]), 10, 64)
			if v != version+1 && version != 0 {
				m.log.Info("subscription changes were trimmed; reloading", "have", version, "next", v)
				return m.load(ctx)
			}
			var err error
			// A change that panics (a stored query the index cannot take)
			// is skipped, logged and counted; the changes after it apply.
			if perr := recovery.Guard(m.log, m.panics, "sync", func() { err = m.apply(ctx, e) },
				"change", e.ID, "subscription", e.Values["id"]); perr != nil {
				err = nil
			}
			if err != nil {
				return err
			}
			version = v
			m.mu.Lock()
			m.lastID, m.version = e.ID, v
			m.mu.Unlock()
		}
		if len(entries) < 1000 {
			return nil
		}
	}
}

func (m *Matcher) apply(ctx context.Context, e redis.XMessage) error {
	op, _ := e.Values["op"].(string)
	idStr, _ := e.Values["id"].(string)
	id, err := strconv.ParseUint(idStr, 10, 64)
	if err != nil {
		return nil
	}
	switch op {
	case OpRemove:
		m.index().Remove(id)
		m.mu.Lock()
		delete(m.chats, id)
		m.mu.Unlock()
	case OpAdd:
		vals, err := m.store.rdb.HMGet(ctx, m.store.subKey(id), "chat", "query").Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("load subscription %d: %w", id, err)
		}
		chat, q, ok := m.compile(id, vals)
		if !ok {
			return nil // removed since
		}
		m.mu.Lock()
		m.chats[id] = chat
		m.mu.Unlock()
		m.index().Add(id, q)
	}
	return nil
}
