// Package redistest connects tests to the real Redis server they run
// against: NEWSALERT_TEST_REDIS_URL, default redis://127.0.0.1:6379/15.
package redistest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultURL is used when NEWSALERT_TEST_REDIS_URL is unset.
const DefaultURL = "redis://127.0.0.1:6379/15"

// URL returns the test Redis URL.
func URL() string {
	if u := os.Getenv("NEWSALERT_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// Client connects to the test Redis and returns a client and a key prefix
// unique to this test, so that tests in parallel packages never share keys.
// Every key the test made under the prefix is deleted at cleanup. When the
// server is unreachable the test fails under CI (CI is set) and is skipped
// otherwise, with a message saying how to start one.
func Client(t testing.TB) (redis.UniversalClient, string) {
	t.Helper()
	opt, err := redis.ParseURL(URL())
	if err != nil {
		t.Fatalf("NEWSALERT_TEST_REDIS_URL: %v", err)
	}
	c := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		msg := "no Redis at " + opt.Addr + " (start one: redis-server --port 6379 --save '' --daemonize yes): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	prefix := "test:" + RandomID() + ":"
	t.Cleanup(func() {
		Cleanup(c, prefix)
		c.Close()
	})
	return c, prefix
}

// Cleanup deletes every key whose name starts with prefix.
func Cleanup(c redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			c.Unlink(ctx, batch...)
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		c.Unlink(ctx, batch...)
	}
}

// RandomID returns 12 random hex characters.
func RandomID() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}
