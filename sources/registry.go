// Package sources watches news sources: a registry of sources in Redis, a
// watcher that polls the due ones politely (leases shared by replicas), and
// the turning of new feed items into stories.
package sources

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// State is a source's polling state.
type State string

// Source states.
const (
	Active  State = "active"  // polled on its interval
	Paused  State = "paused"  // not polled until resumed
	Failing State = "failing" // failed FailureThreshold times in a row; still retried at the backoff ceiling
	Gone    State = "gone"    // the server answered 410 Gone; paused until an admin resumes it
)

// Source is one watched feed.
type Source struct {
	ID       int64
	URL      string // the feed URL; updated on permanent redirects
	Name     string
	Interval time.Duration
	State    State
	AddedBy  string // "platform:user_id" of the admin who added it
	AddedIn  string // chat (subscriptions.Chat.String()) it was added from, told about failures
	Created  time.Time

	LastFetch    time.Time // last completed poll, successful or not
	LastSuccess  time.Time
	LastNew      time.Time // last time a poll found new stories (never for the items present when added)
	LastError    string    // one-line reason of the last failure, empty after a success
	Failures     int       // consecutive failures
	ETag         string
	LastModified string
	BodyHash     string // hash of the last body, to skip parsing when unchanged and the server gives no validators
	FailNotified bool   // admins were told the source is failing
	// FeedTTL and MaxAge are the hints of the last successful fetch: the
	// feed's <ttl> and the server's Cache-Control max-age (0 when absent).
	// They may make the interval in force longer than Interval (InForce).
	FeedTTL time.Duration
	MaxAge  time.Duration
	// NextPoll is when the source is due next, read from the schedule by
	// Get and List (zero when it is not scheduled: paused or gone). It is
	// not written by Save, which takes the next time as an argument.
	NextPoll time.Time

	// NewRate is the running mean of new items per poll, FeedPolls the
	// number of polls that read the feed: the history a flood is judged
	// against (see flood.go).
	NewRate   float64
	FeedPolls int
	FloodAt   time.Time // last poll found a flood of new items; zero: never
	FloodNew  int       // new items of that poll
}

// hintCap bounds how far a feed's <ttl> or max-age may stretch an interval.
const hintCap = 24 * time.Hour

// InForce is the interval the source is actually polled at: its Interval,
// no shorter than minInterval, nor than the feed's <ttl> or the server's
// max-age (each counted up to a day).
func (s Source) InForce(minInterval time.Duration) time.Duration {
	return max(s.Interval, minInterval, min(s.FeedTTL, hintCap), min(s.MaxAge, hintCap))
}

// Errors of the registry.
var (
	ErrNotFound = errors.New("no such source")
	ErrExists   = errors.New("source already exists")
)

// Registry keeps sources in Redis. All its keys share the {sources} hash
// tag so that its transactions work on Redis Cluster.
type Registry struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRegistry returns a registry whose keys start with prefix.
func NewRegistry(rdb redis.UniversalClient, prefix string) *Registry {
	return &Registry{rdb: rdb, prefix: prefix}
}

func (r *Registry) key(parts ...string) string {
	k := r.prefix + "{sources}"
	for _, p := range parts {
		k += ":" + p
	}
	return k
}

func (r *Registry) srcKey(id int64) string { return r.key("src", strconv.FormatInt(id, 10)) }

// DueKey is the sorted set of source ids scored by next-due time (unix ms).
func (r *Registry) dueKey() string   { return r.key("due") }
func (r *Registry) byURLKey() string { return r.key("byurl") }

// Add stores a new source, due at firstDue, and returns it with its id. The
// URL is identified by identity (see feed.NormalizeURL): a second source
// with the same identity gets ErrExists and the existing source.
func (r *Registry) Add(ctx context.Context, s Source, identity string, firstDue time.Time) (Source, error) {
	id, err := r.rdb.HGet(ctx, r.byURLKey(), identity).Int64()
	if err == nil {
		existing, gerr := r.Get(ctx, id)
		if gerr == nil {
			return existing, ErrExists
		}
	} else if !errors.Is(err, redis.Nil) {
		return Source{}, fmt.Errorf("look up source %s: %w", ShowURL(s.URL), err)
	}
	id, err = r.rdb.Incr(ctx, r.key("seq")).Result()
	if err != nil {
		return Source{}, fmt.Errorf("allocate source id: %w", err)
	}
	s.ID = id
	if s.State == "" {
		s.State = Active
	}
	fields := encode(s)
	fields["identity"] = identity
	ok, err := r.rdb.HSetNX(ctx, r.byURLKey(), identity, id).Result()
	if err != nil {
		return Source{}, fmt.Errorf("add source %s: %w", ShowURL(s.URL), err)
	}
	if !ok { // lost a race with another admin adding the same URL
		if existing, ok2 := r.ByIdentity(ctx, identity); ok2 == nil {
			return existing, ErrExists
		}
		return Source{}, ErrExists
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, r.srcKey(id), fields)
		p.SAdd(ctx, r.key("all"), id)
		if s.State == Active || s.State == Failing {
			p.ZAdd(ctx, r.dueKey(), redis.Z{Score: float64(firstDue.UnixMilli()), Member: id})
		}
		return nil
	})
	if err != nil {
		return Source{}, fmt.Errorf("add source %s: %w", ShowURL(s.URL), err)
	}
	return s, nil
}

// ByIdentity finds the source whose normalised URL is identity.
func (r *Registry) ByIdentity(ctx context.Context, identity string) (Source, error) {
	id, err := r.rdb.HGet(ctx, r.byURLKey(), identity).Int64()
	if errors.Is(err, redis.Nil) {
		return Source{}, ErrNotFound
	}
	if err != nil {
		return Source{}, fmt.Errorf("look up source: %w", err)
	}
	return r.Get(ctx, id)
}

// Get loads one source.
func (r *Registry) Get(ctx context.Context, id int64) (Source, error) {
	m, err := r.rdb.HGetAll(ctx, r.srcKey(id)).Result()
	if err != nil {
		return Source{}, fmt.Errorf("load source %d: %w", id, err)
	}
	if len(m) == 0 {
		return Source{}, fmt.Errorf("source %d: %w", id, ErrNotFound)
	}
	src := decode(id, m)
	score, err := r.rdb.ZScore(ctx, r.dueKey(), strconv.FormatInt(id, 10)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return Source{}, fmt.Errorf("load source %d: %w", id, err)
	}
	if err == nil {
		src.NextPoll = time.UnixMilli(int64(score))
	}
	return src, nil
}

// List returns every source, by id.
func (r *Registry) List(ctx context.Context) ([]Source, error) {
	ids, err := r.rdb.SMembers(ctx, r.key("all")).Result()
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	nums := make([]int64, 0, len(ids))
	for _, s := range ids {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			nums = append(nums, n)
		}
	}
	sortInt64(nums)
	cmds := make([]*redis.MapStringStringCmd, len(nums))
	due := make([]*redis.FloatCmd, len(nums))
	_, err = r.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range nums {
			cmds[i] = p.HGetAll(ctx, r.srcKey(id))
			due[i] = p.ZScore(ctx, r.dueKey(), strconv.FormatInt(id, 10))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	out := make([]Source, 0, len(nums))
	for i, c := range cmds {
		if err := c.Err(); err != nil {
			return nil, fmt.Errorf("list sources: %w", err) // not masked by a ZSCORE's redis.Nil
		}
		if m := c.Val(); len(m) > 0 {
			src := decode(nums[i], m)
			if score, err := due[i].Result(); err == nil {
				src.NextPoll = time.UnixMilli(int64(score))
			}
			out = append(out, src)
		}
	}
	return out, nil
}

// Remove deletes a source and its seen marks.
func (r *Registry) Remove(ctx context.Context, id int64) (Source, error) {
	s, err := r.Get(ctx, id)
	if err != nil {
		return s, err
	}
	identity, _ := r.rdb.HGet(ctx, r.srcKey(id), "identity").Result()
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, r.srcKey(id))
		p.SRem(ctx, r.key("all"), id)
		p.ZRem(ctx, r.dueKey(), id)
		if identity != "" {
			p.HDel(ctx, r.byURLKey(), identity)
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("remove source %d: %w", id, err)
	}
	// The seen set lives in the source's own hash slot.
	if err := r.rdb.Del(ctx, SeenKey(r.prefix, id)).Err(); err != nil {
		return s, fmt.Errorf("remove seen marks of source %d: %w", id, err)
	}
	return s, nil
}

// SetState pauses (Paused, Gone) or resumes (Active) a source. Resuming
// makes it due now and clears its failure count.
func (r *Registry) SetState(ctx context.Context, id int64, st State, now time.Time) (Source, error) {
	s, err := r.Get(ctx, id)
	if err != nil {
		return s, err
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, r.srcKey(id), "state", string(st))
		switch st {
		case Paused, Gone:
			p.ZRem(ctx, r.dueKey(), id)
		default:
			p.HSet(ctx, r.srcKey(id), "failures", 0, "fail_notified", 0)
			p.ZAdd(ctx, r.dueKey(), redis.Z{Score: float64(now.UnixMilli()), Member: id})
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("set source %d %s: %w", id, st, err)
	}
	return r.Get(ctx, id)
}

// SetInterval changes a source's polling interval and reschedules it at
// once: it is next due an interval in force (Source.InForce with
// minInterval) after its last poll, or now when that time has passed. A
// paused or gone source stays unscheduled. It returns the updated source.
func (r *Registry) SetInterval(ctx context.Context, id int64, d, minInterval time.Duration, now time.Time) (Source, error) {
	s, err := r.Get(ctx, id)
	if err != nil {
		return s, err
	}
	s.Interval = d
	next := s.LastFetch.Add(s.InForce(minInterval))
	if next.Before(now) {
		next = now
	}
	_, err = r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, r.srcKey(id), "interval", d.String())
		if s.State == Active || s.State == Failing {
			// XX: a source removed or paused meanwhile is not brought back.
			p.ZAddXX(ctx, r.dueKey(), redis.Z{Score: float64(next.UnixMilli()), Member: id})
		}
		return nil
	})
	if err != nil {
		return s, fmt.Errorf("set interval of source %d: %w", id, err)
	}
	return r.Get(ctx, id)
}

// SetName renames a source.
func (r *Registry) SetName(ctx context.Context, id int64, name string) error {
	if err := r.rdb.HSet(ctx, r.srcKey(id), "name", name).Err(); err != nil {
		return fmt.Errorf("rename source %d: %w", id, err)
	}
	return nil
}

// Save writes the polling outcome fields of s back (not its id, URL
// identity or state unless changed) and schedules it at next. A zero next
// leaves the schedule alone (a paused or gone source).
func (r *Registry) Save(ctx context.Context, s Source, next time.Time) error {
	fields := encode(s)
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, r.srcKey(s.ID), fields)
		if !next.IsZero() && (s.State == Active || s.State == Failing) {
			// XX: a source removed meanwhile is not brought back.
			p.ZAddXX(ctx, r.dueKey(), redis.Z{Score: float64(next.UnixMilli()), Member: s.ID})
		} else {
			p.ZRem(ctx, r.dueKey(), s.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save source %d: %w", s.ID, err)
	}
	return nil
}

// ChangeURL moves a source to a new URL (a permanent redirect).
func (r *Registry) ChangeURL(ctx context.Context, id int64, newURL, newIdentity string) error {
	old, _ := r.rdb.HGet(ctx, r.srcKey(id), "identity").Result()
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if old != "" {
			p.HDel(ctx, r.byURLKey(), old)
		}
		p.HSetNX(ctx, r.byURLKey(), newIdentity, id)
		p.HSet(ctx, r.srcKey(id), "url", newURL, "identity", newIdentity)
		return nil
	})
	if err != nil {
		return fmt.Errorf("move source %d to %s: %w", id, ShowURL(newURL), err)
	}
	return nil
}

// claimScript takes up to ARGV[3] sources due at ARGV[1] (unix ms) and
// pushes each one's due time to ARGV[2] (the lease's end), atomically, so
// that of several processes only one polls a source. A process that dies
// mid-poll loses the claim when the lease time passes.
var claimScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id)
end
return due
`)

// Claim takes up to n sources due at now for this process, leasing each
// until now+lease. The caller must Save each one (which sets its next due
// time) when its poll is done.
func (r *Registry) Claim(ctx context.Context, now time.Time, lease time.Duration, n int) ([]int64, error) {
	res, err := claimScript.Run(ctx, r.rdb, []string{r.dueKey()}, now.UnixMilli(), now.Add(lease).UnixMilli(), n).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim due sources: %w", err)
	}
	ids := make([]int64, 0, len(res))
	for _, s := range res {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// NextDue tells when the earliest source is due; ok is false when none is
// scheduled.
func (r *Registry) NextDue(ctx context.Context) (t time.Time, ok bool, err error) {
	z, err := r.rdb.ZRangeWithScores(ctx, r.dueKey(), 0, 0).Result()
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due source: %w", err)
	}
	if len(z) == 0 {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(int64(z[0].Score)), true, nil
}

// DueAt tells when source id is next polled; ok is false when it is not
// scheduled (paused or removed).
func (r *Registry) DueAt(ctx context.Context, id int64) (t time.Time, ok bool, err error) {
	score, err := r.rdb.ZScore(ctx, r.dueKey(), strconv.FormatInt(id, 10)).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("due time of source %d: %w", id, err)
	}
	return time.UnixMilli(int64(score)), true, nil
}
