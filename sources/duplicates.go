package sources

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/sources/fingerprint"
)

// Duplicates remembers recent stories (48 hours by default, shared by every
// process through Redis) so that the same event reported by several
// sources can be told apart from a new one: first by canonical URL, then
// by near-duplicate fingerprint.
//
// Only stories of different sources are near-duplicates: two items of one
// source are two stories unless their canonical URL says they are the same
// item (an outlet's templated series - live pages by day, match results,
// market wraps - look alike but each is news).
type Duplicates struct {
	now       func() time.Time
	rdb       redis.UniversalClient
	prefix    string
	window    time.Duration
	threshold int
	known     fpCache
}

// NewDuplicates keeps stories for window (default 48h) and calls two
// stories near-duplicates at fingerprint distance threshold or less
// (default fingerprint.DefaultThreshold, chosen from the labelled set; see
// BENCHMARKS.md).
func NewDuplicates(rdb redis.UniversalClient, prefix string, window time.Duration, threshold int, now func() time.Time) *Duplicates {
	if now == nil {
		now = time.Now
	}
	if window <= 0 {
		window = 48 * time.Hour
	}
	if threshold <= 0 {
		threshold = fingerprint.DefaultThreshold
	}
	return &Duplicates{rdb: rdb, prefix: prefix, window: window, threshold: threshold, now: now,
		known: fpCache{cur: map[string]knownFP{}}}
}

func (d *Duplicates) urlKey(exact string) string  { return d.prefix + "dup:url:" + exact }
func (d *Duplicates) termKey(k string) string     { return d.prefix + "dup:key:" + k }
func (d *Duplicates) fpKey(storyID string) string { return d.prefix + "dup:fp:" + storyID }

// Duplicate is a remembered story that a new story repeats.
type Duplicate struct {
	StoryID string
	// Exact is set when both have the same canonical URL; otherwise the
	// fingerprints are near-duplicates with Similarity (0-1).
	Exact      bool
	Similarity float64
}

// fpValue is what Remember stores per story: the source id, then the
// fingerprint, so that candidates of the same source can be left out.
func fpValue(sourceID int64, fp string) string {
	return strconv.FormatInt(sourceID, 10) + " " + fp
}

// parseFPValue reads fpValue; ok is false for anything else (including the
// bare fingerprints stored by earlier versions, whose source is unknown and
// which therefore never fold by fingerprint).
func parseFPValue(v string) (sourceID int64, fp fingerprint.Fingerprint, ok bool) {
	id, rest, found := strings.Cut(v, " ")
	if !found {
		return 0, fp, false
	}
	sourceID, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, fp, false
	}
	fp, err = fingerprint.Parse(rest)
	if err != nil {
		return 0, fp, false
	}
	return sourceID, fp, true
}

// candidatesPerKey bounds the stories compared per shared key: the most
// recent ones of a very common key are enough.
const candidatesPerKey = 200

// Earlier returns the remembered stories that st duplicates, the exact
// (same canonical URL) one first, then near-duplicates of other sources by
// decreasing similarity. st itself is never in the result, nor a story of
// st's own source that only looks like it.
func (d *Duplicates) Earlier(ctx context.Context, st Story) ([]Duplicate, error) {
	var out []Duplicate
	if st.CanonicalURL != "" {
		id, err := d.rdb.Get(ctx, d.urlKey(fingerprint.ExactKey(st.CanonicalURL))).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("look up duplicates of story %s: %w", st.ID, err)
		}
		if id != "" && id != st.ID {
			out = append(out, Duplicate{StoryID: id, Exact: true, Similarity: 1})
		}
	}
	fp, err := fingerprint.Parse(st.Fingerprint)
	if err != nil || fp.IsZero() {
		return out, nil
	}
	keys := fp.Keys()
	cmds := make([]*redis.StringSliceCmd, len(keys))
	since := strconv.FormatInt(d.now().Add(-d.window).UnixMilli(), 10)
	_, err = d.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.ZRevRangeByScore(ctx, d.termKey(k), &redis.ZRangeBy{Min: since, Max: "+inf", Count: candidatesPerKey})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look up duplicates of story %s: %w", st.ID, err)
	}
	seen := map[string]bool{st.ID: true}
	for _, dup := range out {
		seen[dup.StoryID] = true
	}
	var ids []string
	for _, c := range cmds {
		for _, id := range c.Val() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	// Fingerprints of candidates seen lately come from memory; the others
	// are read (and kept for the next stories that share their keys).
	known := make([]knownFP, len(ids))
	var missing []int
	for i, id := range ids {
		var ok bool
		if known[i], ok = d.known.get(id); !ok {
			missing = append(missing, i)
		}
	}
	if len(missing) > 0 {
		fps := make([]*redis.StringCmd, len(missing))
		_, err = d.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for j, i := range missing {
				fps[j] = p.Get(ctx, d.fpKey(ids[i]))
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("load fingerprints: %w", err)
		}
		for j, i := range missing {
			source, other, ok := parseFPValue(fps[j].Val())
			known[i] = knownFP{source: source, fp: other, ok: ok}
			if fps[j].Err() == nil {
				d.known.put(ids[i], known[i])
			}
		}
	}
	var near []Duplicate
	for i, k := range known {
		if !k.ok || k.source == st.SourceID {
			continue
		}
		if fingerprint.Similar(fp, k.fp, d.threshold) {
			near = append(near, Duplicate{StoryID: ids[i], Similarity: fingerprint.Similarity(fp, k.fp)})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].Similarity > near[j].Similarity })
	return append(out, near...), nil
}

// Remember records st for later comparisons.
func (d *Duplicates) Remember(ctx context.Context, st Story) error {
	_, err := d.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		if st.CanonicalURL != "" {
			p.SetNX(ctx, d.urlKey(fingerprint.ExactKey(st.CanonicalURL)), st.ID, d.window)
		}
		fp, err := fingerprint.Parse(st.Fingerprint)
		if err != nil || fp.IsZero() {
			return nil
		}
		p.Set(ctx, d.fpKey(st.ID), fpValue(st.SourceID, st.Fingerprint), d.window)
		now := d.now()
		old := strconv.FormatInt(now.Add(-d.window).UnixMilli(), 10)
		for _, k := range fp.Keys() {
			p.ZAdd(ctx, d.termKey(k), redis.Z{Score: float64(now.UnixMilli()), Member: st.ID})
			p.ZRemRangeByScore(ctx, d.termKey(k), "-inf", "("+old)
			// Earlier reads the candidatesPerKey newest only: keeping no
			// more bounds every operation on the key (the embedded store
			// sorts a sorted set to range over it).
			p.ZRemRangeByRank(ctx, d.termKey(k), 0, -candidatesPerKey-1)
			p.Expire(ctx, d.termKey(k), d.window)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("remember story %s: %w", st.ID, err)
	}
	if fp, err := fingerprint.Parse(st.Fingerprint); err == nil && !fp.IsZero() {
		d.known.put(st.ID, knownFP{source: st.SourceID, fp: fp, ok: true})
	}
	return nil
}

// knownFP is a remembered story's source and fingerprint, as Remember
// stored them (ok is false for a value parseFPValue refuses).
type knownFP struct {
	source int64
	fp     fingerprint.Fingerprint
	ok     bool
}

// fpCacheSize bounds the fingerprints kept in memory (about 0.6 KiB each,
// 34 MiB when full; see BENCHMARKS.md, Sizing): enough for the candidates
// of many hours of matched stories, whose lists (candidatesPerKey newest
// per key) mostly hold recent ones.
const fpCacheSize = 60000

// fpCache keeps the fingerprints of recently remembered or read stories,
// so that Earlier reads and parses each candidate once rather than once
// per new story sharing one of its keys: without it the work per story
// grows with the candidate lists until they fill. A story's fingerprint
// is written once, when it is routed, so a kept one is what the store
// holds; Earlier only asks for stories still in the window. Two
// generations bound it: when the newer holds half of fpCacheSize, the
// older is dropped.
type fpCache struct {
	mu       sync.Mutex
	cur, old map[string]knownFP
}

func (c *fpCache) get(id string) (knownFP, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.cur[id]; ok {
		return k, true
	}
	k, ok := c.old[id]
	if ok {
		c.putLocked(id, k)
	}
	return k, ok
}

func (c *fpCache) put(id string, k knownFP) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(id, k)
}

func (c *fpCache) putLocked(id string, k knownFP) {
	if len(c.cur) >= fpCacheSize/2 {
		c.old, c.cur = c.cur, make(map[string]knownFP, fpCacheSize/2)
	}
	c.cur[id] = k
}

// FoldInto tells which of earlier (stories seen before st) st would fold
// into, as Earlier and the router decide: one with the same canonical URL,
// else the most similar near-duplicate of another source at fingerprint
// distance threshold or less (0: fingerprint.DefaultThreshold). It is for
// previews (`check`, /test); ok is false when st would be alerted on its
// own.
func FoldInto(st Story, earlier []Story, threshold int) (into Story, dup Duplicate, ok bool) {
	if threshold <= 0 {
		threshold = fingerprint.DefaultThreshold
	}
	exact := fingerprint.ExactKey(st.CanonicalURL)
	fp, err := fingerprint.Parse(st.Fingerprint)
	if err != nil {
		fp = fingerprint.Fingerprint{}
	}
	for _, e := range earlier {
		if e.ID == st.ID {
			continue
		}
		if exact != "" && fingerprint.ExactKey(e.CanonicalURL) == exact {
			return e, Duplicate{StoryID: e.ID, Exact: true, Similarity: 1}, true
		}
	}
	for _, e := range earlier {
		if e.ID == st.ID || e.SourceID == st.SourceID {
			continue
		}
		other, err := fingerprint.Parse(e.Fingerprint)
		if err != nil || !fingerprint.Similar(fp, other, threshold) {
			continue
		}
		if sim := fingerprint.Similarity(fp, other); !ok || sim > dup.Similarity {
			into, dup, ok = e, Duplicate{StoryID: e.ID, Similarity: sim}, true
		}
	}
	return into, dup, ok
}
