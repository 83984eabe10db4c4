package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/secret"
	"github.com/newsalert/newsalert/internal/store"
)

// runMigrate is `newsalert migrate`: it copies the embedded store's
// snapshot into a Redis server, to move a deployment from the embedded
// store to Redis.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("newsalert migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from-data-dir", "", "the embedded store's data folder (NEWSALERT_DATA_DIR), holding "+store.SnapshotFile+" and its journals")
	to := fs.String("to-redis", "", "the Redis server to copy into: redis://[user:password@]host:6379/0")
	force := fs.Bool("force", false, "copy even when the target already holds newsalert keys (snapshot keys replace them)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: newsalert migrate --from-data-dir DIR --to-redis URL [--force]

Copies everything the embedded store holds (sources, subscriptions, seen
items, queued alerts) into a Redis server. Stop the bot first (migrate
refuses a data folder in use); then start it with NEWSALERT_REDIS_URL set
to the URL.`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" || *to == "" {
		fs.Usage()
		return errors.New("migrate needs --from-data-dir and --to-redis")
	}
	url := secret.New(*to)
	opt, err := redis.ParseURL(url.Reveal())
	if err != nil {
		return fmt.Errorf("--to-redis: %w", url.Error(err))
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("--to-redis: cannot connect to redis at %s: %w", opt.Addr, url.Error(err))
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	n, err := store.Migrate(ctx, *from, rdb, log, store.MigrateOptions{Force: *force})
	if err != nil {
		return url.Error(err)
	}
	keys := "keys"
	if n == 1 {
		keys = "key"
	}
	fmt.Fprintf(stdout, "copied %d %s from %s to %s\n", n, keys, *from, opt.Addr)
	return nil
}
