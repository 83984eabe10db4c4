package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultMigratePrefix is the key prefix newsalert writes under; Migrate
// refuses a target that holds keys under it unless told to overwrite.
const DefaultMigratePrefix = "na:"

// migrateBatch is how many commands Migrate sends in one round trip.
const migrateBatch = 512

// MigrateOptions tune Migrate. The zero value is the safe default.
type MigrateOptions struct {
	// Prefix names the keys whose presence in the target means it is
	// already in use by newsalert. Empty means DefaultMigratePrefix.
	Prefix string
	// Force writes the snapshot even when the target already holds keys
	// under Prefix or keys of the snapshot: each snapshot key replaces the
	// target's key of that name, and other keys of the target stay.
	Force bool
}

// Migrate copies the embedded store's state in dataDir (its snapshot and
// the journals after it) into the Redis server behind to, and returns how
// many keys it wrote. Every key keeps its type, content and expiry time;
// streams keep their entry ids and consumer groups, with entries that were
// delivered but not acknowledged delivered again.
//
// Unless opts.Force is set, it writes nothing and returns an error when the
// target already holds a key under opts.Prefix (another newsalert's data)
// or any key named in the snapshot. A folder with neither snapshot nor
// journal is an error wrapping os.ErrNotExist. It takes the data folder's
// lock, so it refuses to run while the bot uses the folder. On an error
// part of the keys may have been written; run it again with Force to
// finish. A nil log discards the progress messages.
func Migrate(ctx context.Context, dataDir string, to redis.UniversalClient, log *slog.Logger, opts MigrateOptions) (keys int, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	prefix := opts.Prefix
	if prefix == "" {
		prefix = DefaultMigratePrefix
	}
	path := filepath.Join(dataDir, SnapshotFile)
	s, err := ReadState(ctx, dataDir, log)
	if errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("migrate: no snapshot at %s (is %s the embedded store's data folder?): %w", path, dataDir, os.ErrNotExist)
	}
	if err != nil {
		return 0, fmt.Errorf("migrate: read %s: %w", dataDir, err)
	}
	log.Info("store: migrating", "data_dir", dataDir, "keys", len(s.Keys), "force", opts.Force)
	if !opts.Force {
		if err := checkTargetEmpty(ctx, to, prefix, s); err != nil {
			return 0, err
		}
	}
	n, err := writeSnapshot(ctx, to, s)
	if err != nil {
		return n, fmt.Errorf("migrate: %d of %d keys written: %w", n, len(s.Keys), err)
	}
	log.Info("store: migration done", "data_dir", dataDir, "keys", n)
	return n, nil
}

// ReadState loads dataDir's snapshot and journals, the way a start does,
// and returns the state; it changes nothing in the folder and holds its
// lock while it reads, so it fails when a running bot holds the folder.
func ReadState(ctx context.Context, dataDir string, log *slog.Logger) (*State, error) {
	if _, err := os.Stat(dataDir); err != nil {
		return nil, err
	}
	l, err := lockDataDir(dataDir)
	if err != nil {
		return nil, err
	}
	defer l.release()
	e, err := StartEmbedded(ctx, dataDir, EmbeddedOptions{Logger: log, readOnly: true})
	if err != nil {
		return nil, err
	}
	defer e.Close()
	e.order.Lock()
	defer e.order.Unlock()
	at := e.begin()
	defer e.srv.SetTime(time.Time{})
	return e.dumpLocked(at)
}

// checkTargetEmpty fails when the target holds a key under prefix or a key
// of the snapshot.
func checkTargetEmpty(ctx context.Context, to redis.UniversalClient, prefix string, s *snapshot) error {
	found, err := firstKeyUnder(ctx, to, prefix)
	if err != nil {
		return fmt.Errorf("migrate: look for keys under %q in the target: %w", prefix, err)
	}
	if found != "" {
		return fmt.Errorf("migrate: the target already holds newsalert data (key %q under %q); migrate into an empty database, or run newsalert migrate again with --force to overwrite the snapshot's keys", found, prefix)
	}
	for start := 0; start < len(s.Keys); start += migrateBatch {
		batch := s.Keys[start:min(start+migrateBatch, len(s.Keys))]
		p := to.Pipeline()
		cmds := make([]*redis.IntCmd, len(batch))
		for i, d := range batch {
			cmds[i] = p.Exists(ctx, d.Key)
		}
		if _, err := p.Exec(ctx); err != nil {
			return fmt.Errorf("migrate: check the target for the snapshot's keys: %w", err)
		}
		for i, c := range cmds {
			if c.Val() > 0 {
				return fmt.Errorf("migrate: the target already holds key %q of the snapshot; migrate into an empty database, or run newsalert migrate again with --force to overwrite the snapshot's keys", batch[i].Key)
			}
		}
	}
	return nil
}

// masterWalker is what a Redis Cluster client offers to reach every
// primary: a SCAN through the client alone would see one node's keys.
type masterWalker interface {
	ForEachMaster(ctx context.Context, fn func(ctx context.Context, c *redis.Client) error) error
}

// shardWalker is the same for a Ring client.
type shardWalker interface {
	ForEachShard(ctx context.Context, fn func(ctx context.Context, c *redis.Client) error) error
}

// firstKeyUnder returns a key of the target starting with prefix, or "".
func firstKeyUnder(ctx context.Context, to redis.UniversalClient, prefix string) (string, error) {
	var (
		mu    sync.Mutex
		found string
	)
	scan := func(ctx context.Context, c redis.Cmdable) error {
		iter := c.Scan(ctx, 0, escapeGlob(prefix)+"*", 1000).Iterator()
		if iter.Next(ctx) {
			mu.Lock()
			if found == "" {
				found = iter.Val()
			}
			mu.Unlock()
			return nil
		}
		return iter.Err()
	}
	var err error
	switch w := to.(type) {
	case masterWalker:
		err = w.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	case shardWalker:
		err = w.ForEachShard(ctx, func(ctx context.Context, c *redis.Client) error { return scan(ctx, c) })
	default:
		err = scan(ctx, to)
	}
	return found, err
}

// escapeGlob quotes the characters SCAN's MATCH treats as a pattern.
func escapeGlob(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', ']', '\\':
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// writeSnapshot writes every key of s to the target, several keys per round
// trip, and returns how many keys were written completely.
func writeSnapshot(ctx context.Context, to redis.UniversalClient, s *snapshot) (int, error) {
	written := 0
	for start := 0; start < len(s.Keys); {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		p := to.Pipeline()
		end := start
		for end < len(s.Keys) && (end == start || p.Len() < migrateBatch) {
			queueKey(ctx, p, s.Keys[end])
			end++
		}
		cmds, err := p.Exec(ctx)
		if err != nil {
			for _, c := range cmds {
				if c.Err() != nil {
					return written, fmt.Errorf("write key %v: %w", keyOf(c), c.Err())
				}
			}
			return written, fmt.Errorf("write keys: %w", err)
		}
		written += end - start
		start = end
	}
	return written, nil
}

// queueKey queues on p the commands that replace d.Key with d's content.
func queueKey(ctx context.Context, p redis.Pipeliner, d keyDump) {
	p.Del(ctx, d.Key)
	switch d.Type {
	case "string":
		p.Set(ctx, d.Key, d.String, 0)
	case "hash":
		if len(d.Hash) > 0 {
			p.HSet(ctx, d.Key, d.Hash)
		}
	case "set":
		if len(d.Set) > 0 {
			p.SAdd(ctx, d.Key, toAny(d.Set)...)
		}
	case "zset":
		if len(d.ZSet) > 0 {
			p.ZAdd(ctx, d.Key, d.ZSet...)
		}
	case "list":
		if len(d.List) > 0 {
			p.RPush(ctx, d.Key, toAny(d.List)...)
		}
	case "stream":
		// Pending entries are delivered again: the target's consumers
		// are not this process's.
		for _, c := range streamCommands(d.Key, d.Stream, false) {
			p.Do(ctx, toAny(c)...)
		}
	}
	switch {
	case d.ExpireAt > 0:
		p.PExpireAt(ctx, d.Key, time.Unix(0, d.ExpireAt))
	case d.TTLms > 0:
		p.PExpire(ctx, d.Key, time.Duration(d.TTLms)*time.Millisecond)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// keyOf is the key a command acts on, quoted, for error messages.
func keyOf(c redis.Cmder) string {
	if args := c.Args(); len(args) > 1 {
		return fmt.Sprintf("%q (%s)", fmt.Sprint(args[1]), c.Name())
	}
	return c.Name()
}

// State is the embedded store's whole content at one point in time, as
// ReadState returns it.
type State = snapshot
