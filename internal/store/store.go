// Package store opens newsalert's one storage: a Redis server when a URL is
// given, otherwise an embedded Redis-compatible server (miniredis) in this
// process that journals every write and snapshots its state to a data
// folder (embedded.go). Either way the rest
// of the program talks to it through the same go-redis client.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/secret"
)

// Options configure Open.
type Options struct {
	URL     secret.String // NEWSALERT_REDIS_URL; empty selects the embedded store
	DataDir string        // NEWSALERT_DATA_DIR, for the embedded store
	Fsync   FsyncPolicy   // NEWSALERT_FSYNC, for the embedded store's journal
	Logger  *slog.Logger
}

// Store is an open storage. Client is shared by every part of the process.
type Store struct {
	Client redis.UniversalClient
	// Embedded is non-nil when the store runs in-process.
	Embedded *Embedded
	log      *slog.Logger
}

// Open connects to the Redis at opts.URL, or starts the embedded store and
// restores its last snapshot from opts.DataDir. It logs once which store is
// in use. The returned Store must be closed.
func Open(ctx context.Context, opts Options) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if !opts.URL.IsZero() {
		c, kind, addr, err := clientFor(opts.URL)
		if err != nil {
			return nil, err
		}
		if err := c.Ping(ctx).Err(); err != nil {
			c.Close()
			return nil, fmt.Errorf("connect to redis at %s: %w", addr, opts.URL.Error(err))
		}
		log.Info("store: redis server", "kind", kind, "addr", addr)
		return &Store{Client: c, log: log}, nil
	}
	start := time.Now()
	e, err := StartEmbedded(ctx, opts.DataDir, EmbeddedOptions{Fsync: opts.Fsync, Logger: log})
	if err != nil {
		return nil, err
	}
	c := redis.NewClient(&redis.Options{Addr: e.Addr(), Password: e.Password(), Protocol: 2})
	log.Info("store: embedded", "data_dir", opts.DataDir, "fsync", string(e.opts.Fsync), "keys_restored", e.restored, "took", time.Since(start).Round(time.Millisecond).String())
	return &Store{Client: c, Embedded: e, log: log}, nil
}

// clientFor builds the client a URL asks for, without connecting:
//
//	redis://[user:pass@]host:6379/0                      one server
//	redis://host:26379/0?master_name=mymaster&addr=host2:26379   Sentinel (the hosts are sentinels)
//	redis+cluster://host:6379?addr=host2:6379            Redis Cluster (rediss+cluster:// with TLS)
//
// It returns the kind ("server", "sentinel", "cluster") and the first
// address, for logs; errors never contain the URL's secrets.
func clientFor(u secret.String) (redis.UniversalClient, string, string, error) {
	raw := u.Reveal()
	wrap := func(err error) error { return fmt.Errorf("parse NEWSALERT_REDIS_URL: %w", u.Error(err)) }
	switch {
	case strings.HasPrefix(raw, "redis+cluster://"), strings.HasPrefix(raw, "rediss+cluster://"):
		co, err := redis.ParseClusterURL(strings.Replace(raw, "+cluster", "", 1))
		if err != nil {
			return nil, "", "", wrap(err)
		}
		return redis.NewClusterClient(co), "cluster", strings.Join(co.Addrs, ","), nil
	case strings.Contains(raw, "master_name="):
		fo, err := redis.ParseFailoverURL(raw)
		if err != nil {
			return nil, "", "", wrap(err)
		}
		return redis.NewFailoverClient(fo), "sentinel", strings.Join(fo.SentinelAddrs, ","), nil
	default:
		ro, err := redis.ParseURL(raw)
		if err != nil {
			return nil, "", "", wrap(err)
		}
		return redis.NewClient(ro), "server", ro.Addr, nil
	}
}

// Run keeps the embedded store's journal compact until ctx is done, then
// writes a final snapshot. With a Redis server it just waits for ctx.
func (s *Store) Run(ctx context.Context) error {
	if s.Embedded == nil {
		<-ctx.Done()
		return nil
	}
	return s.Embedded.Run(ctx)
}

// Close closes the client, then stops the embedded server, flushing its
// journal and releasing the data folder. It does not write a snapshot: Run
// does that when its context ends.
func (s *Store) Close() error {
	err := s.Client.Close()
	if s.Embedded != nil {
		err = errors.Join(err, s.Embedded.Close())
	}
	return err
}
