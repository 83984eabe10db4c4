// Package store opens newsalert's one storage: a Redis server when a URL is
// given, otherwise an embedded Redis-compatible server (miniredis) in this
// process that snapshots its state to a data directory. Either way the rest
// of the program talks to it through the same go-redis client.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/secret"
)

// SnapshotFile is the name of the embedded store's snapshot in the data
// directory.
const SnapshotFile = "newsalert.snapshot"

// Options configure Open.
type Options struct {
	URL           secret.String // NEWSALERT_REDIS_URL; empty selects the embedded store
	DataDir       string        // NEWSALERT_DATA_DIR, for the embedded store
	SnapshotEvery time.Duration // default 30s
	Logger        *slog.Logger
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
	e, err := StartEmbedded(ctx, opts.DataDir, log)
	if err != nil {
		return nil, err
	}
	e.every = opts.SnapshotEvery
	if e.every <= 0 {
		e.every = 30 * time.Second
	}
	c := redis.NewClient(&redis.Options{Addr: e.Addr(), Protocol: 2})
	log.Info("store: embedded", "data_dir", opts.DataDir, "snapshot_every", e.every.String(), "keys_restored", e.restored)
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

// Run keeps the embedded store's snapshot fresh until ctx is done, then
// writes a last snapshot. With a Redis server it just waits for ctx.
func (s *Store) Run(ctx context.Context) error {
	if s.Embedded == nil {
		<-ctx.Done()
		return nil
	}
	return s.Embedded.run(ctx, s.Client)
}

// Close closes the client and stops the embedded server. It does not write a
// snapshot: Run does that when its context ends.
func (s *Store) Close() error {
	err := s.Client.Close()
	if s.Embedded != nil {
		s.Embedded.srv.Close()
	}
	return err
}

// Embedded is the in-process Redis-compatible server and its snapshots.
type Embedded struct {
	srv      *miniredis.Miniredis
	path     string
	every    time.Duration
	restored int
	log      *slog.Logger

	mu       sync.Mutex
	lastSave time.Time
	lastErr  error
}

// StartEmbedded starts miniredis on a loopback port with key TTLs running in
// wall-clock time, and restores dataDir's snapshot when there is one.
func StartEmbedded(ctx context.Context, dataDir string, log *slog.Logger) (*Embedded, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dataDir, err)
	}
	srv := miniredis.NewMiniRedis()
	srv.ClockTTL(true)
	if err := srv.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded store: %w", err)
	}
	e := &Embedded{srv: srv, path: filepath.Join(dataDir, SnapshotFile), log: log, every: 30 * time.Second}
	c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Protocol: 2})
	defer c.Close()
	n, err := restoreFile(ctx, c, e.path)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("restore embedded store from %s: %w", e.path, err)
	}
	e.restored = n
	return e, nil
}

// Addr is the embedded server's host:port on loopback.
func (e *Embedded) Addr() string { return e.srv.Addr() }

// Snapshot writes the whole state to the data directory atomically (temp
// file, fsync, rename, fsync of the directory). On failure the previous
// snapshot stays intact.
func (e *Embedded) Snapshot(ctx context.Context, c redis.UniversalClient) error {
	start := time.Now()
	err := saveFile(ctx, c, e.path)
	e.mu.Lock()
	e.lastErr = err
	if err == nil {
		e.lastSave = time.Now()
	}
	e.mu.Unlock()
	if err != nil {
		return fmt.Errorf("snapshot embedded store to %s: %w", e.path, err)
	}
	e.log.Debug("store: snapshot written", "path", e.path, "took", time.Since(start).String())
	return nil
}

// LastSnapshot tells when the last snapshot was written and the error of
// the last attempt, for /readyz and metrics.
func (e *Embedded) LastSnapshot() (time.Time, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lastSave, e.lastErr
}

func (e *Embedded) run(ctx context.Context, c redis.UniversalClient) error {
	t := time.NewTicker(e.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			// A fresh context: the final snapshot must not be cut short by
			// the cancellation that asked for it.
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := e.Snapshot(fctx, c); err != nil {
				e.log.Error("store: final snapshot failed", "err", err)
				return err
			}
			e.log.Info("store: final snapshot written", "path", e.path)
			return nil
		case <-t.C:
			if err := e.Snapshot(ctx, c); err != nil && !errors.Is(err, context.Canceled) {
				e.log.Error("store: snapshot failed; the previous one is kept", "err", err)
			}
		}
	}
}
