package sources

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/sources/fingerprint"
)

// Duplicates remembers recent stories (48 hours by default, shared by every
// process through Redis) so that the same event reported by several
// sources can be told apart from a new one: first by canonical URL, then
// by near-duplicate fingerprint.
type Duplicates struct {
	now       func() time.Time
	rdb       redis.UniversalClient
	prefix    string
	window    time.Duration
	threshold int
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
	return &Duplicates{rdb: rdb, prefix: prefix, window: window, threshold: threshold, now: now}
}

func (d *Duplicates) urlKey(exact string) string  { return d.prefix + "dup:url:" + exact }
func (d *Duplicates) termKey(k string) string     { return d.prefix + "dup:key:" + k }
func (d *Duplicates) fpKey(storyID string) string { return d.prefix + "dup:fp:" + storyID }

// candidatesPerKey bounds the stories compared per shared key: the most
// recent ones of a very common key are enough.
const candidatesPerKey = 200

// Earlier returns the ids of remembered stories that st duplicates, the
// exact (same canonical URL) one first, then near-duplicates by decreasing
// similarity. st itself is never in the result.
func (d *Duplicates) Earlier(ctx context.Context, st Story) ([]string, error) {
	var out []string
	if st.CanonicalURL != "" {
		id, err := d.rdb.Get(ctx, d.urlKey(fingerprint.ExactKey(st.CanonicalURL))).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("look up duplicates of story %s: %w", st.ID, err)
		}
		if id != "" && id != st.ID {
			out = append(out, id)
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
	for _, id := range out {
		seen[id] = true
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
	fps := make([]*redis.StringCmd, len(ids))
	_, err = d.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			fps[i] = p.Get(ctx, d.fpKey(id))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("load fingerprints: %w", err)
	}
	type cand struct {
		id  string
		sim float64
	}
	var near []cand
	for i, c := range fps {
		other, err := fingerprint.Parse(c.Val())
		if err != nil {
			continue
		}
		if fingerprint.Similar(fp, other, d.threshold) {
			near = append(near, cand{ids[i], fingerprint.Similarity(fp, other)})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].sim > near[j].sim })
	for _, c := range near {
		out = append(out, c.id)
	}
	return out, nil
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
		p.Set(ctx, d.fpKey(st.ID), st.Fingerprint, d.window)
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
	return nil
}
