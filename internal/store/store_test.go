package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/internal/secret"
)

func openEmbedded(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestEmbeddedSnapshotRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openEmbedded(t, dir)
	c := s.Client
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Set(ctx, "str", "bin\x00ary", 0).Err())
	must(c.Set(ctx, "ttl", "soon", time.Hour).Err())
	must(c.HSet(ctx, "{src:1}:meta", "url", "https://example.com/feed", "name", "Example").Err())
	must(c.SAdd(ctx, "set", "a", "b").Err())
	must(c.ZAdd(ctx, "{src:1}:seen", redis.Z{Score: 1.5, Member: "k1"}, redis.Z{Score: 2, Member: "k2"}).Err())
	must(c.RPush(ctx, "list", "x", "y", "z").Err())
	// A stream with a group: 1-0 acknowledged, 2-0 delivered but pending,
	// 3-0 not yet delivered.
	for _, id := range []string{"1-0", "2-0", "3-0"} {
		must(c.XAdd(ctx, &redis.XAddArgs{Stream: "outbox", ID: id, Values: []string{"n", id}}).Err())
	}
	must(c.XGroupCreate(ctx, "outbox", "delivery", "0").Err())
	got, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "delivery", Consumer: "a", Streams: []string{"outbox", ">"}, Count: 2}).Result()
	must(err)
	if len(got[0].Messages) != 2 {
		t.Fatalf("read %d entries", len(got[0].Messages))
	}
	must(c.XAck(ctx, "outbox", "delivery", "1-0").Err())
	must(c.XDel(ctx, "outbox", "1-0").Err())

	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(cctx) }()
	cancel()
	must(<-done) // Run writes the final snapshot
	must(s.Close())
	if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); err != nil {
		t.Fatal(err)
	}

	s2 := openEmbedded(t, dir)
	defer s2.Close()
	c2 := s2.Client
	if v, _ := c2.Get(ctx, "str").Result(); v != "bin\x00ary" {
		t.Errorf("string = %q", v)
	}
	if ttl := c2.TTL(ctx, "ttl").Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("ttl = %s", ttl)
	}
	if h := c2.HGetAll(ctx, "{src:1}:meta").Val(); h["name"] != "Example" {
		t.Errorf("hash = %v", h)
	}
	if n := c2.SCard(ctx, "set").Val(); n != 2 {
		t.Errorf("set card = %d", n)
	}
	if sc := c2.ZScore(ctx, "{src:1}:seen", "k1").Val(); sc != 1.5 {
		t.Errorf("zscore = %v", sc)
	}
	if l := c2.LRange(ctx, "list", 0, -1).Val(); len(l) != 3 || l[2] != "z" {
		t.Errorf("list = %v", l)
	}
	// The group comes back as it was: 2-0 still pending for consumer a
	// (delivered once), 3-0 next to deliver; nothing older.
	pend, err := c2.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: "outbox", Group: "delivery", Start: "-", End: "+", Count: 10}).Result()
	must(err)
	if len(pend) != 1 || pend[0].ID != "2-0" || pend[0].Consumer != "a" || pend[0].RetryCount != 1 {
		t.Errorf("pending after restart = %+v, want 2-0 for a, delivered once", pend)
	}
	got, err = c2.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "delivery", Consumer: "b", Streams: []string{"outbox", ">"}, Count: 10}).Result()
	must(err)
	var ids []string
	for _, m := range got[0].Messages {
		ids = append(ids, m.ID)
	}
	if len(ids) != 1 || ids[0] != "3-0" {
		t.Errorf("delivered %v after restart, want [3-0]", ids)
	}
	// New entries get ids after the old ones.
	id, err := c2.XAdd(ctx, &redis.XAddArgs{Stream: "outbox", Values: []string{"n", "new"}}).Result()
	must(err)
	if ms, _, _ := strings.Cut(id, "-"); len(ms) < 2 {
		t.Errorf("new id %s not after 3-0", id)
	}
}

func TestEmbeddedTTLRunsOnTheWallClock(t *testing.T) {
	s := openEmbedded(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	if err := s.Client.Set(ctx, "lease", "me", 50*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for s.Client.Exists(ctx, "lease").Val() == 1 {
		if time.Now().After(deadline) {
			t.Fatal("key with a 50ms TTL still exists after 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSnapshotFailureKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	s := openEmbedded(t, dir)
	defer s.Close()
	ctx := context.Background()
	s.Client.Set(ctx, "k", "v1", 0)
	if err := s.Embedded.Snapshot(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, SnapshotFile))
	s.Client.Set(ctx, "k", "v2", 0)
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	err := s.Embedded.Snapshot()
	if os.Geteuid() != 0 && err == nil {
		t.Fatal("snapshot into a read-only directory succeeded")
	}
	if err != nil {
		if _, lastErr := s.Embedded.LastSnapshot(); lastErr == nil {
			t.Error("LastSnapshot does not report the failure")
		}
		after, _ := os.ReadFile(filepath.Join(dir, SnapshotFile))
		if string(after) != string(before) {
			t.Error("failed snapshot changed the previous file")
		}
	}
}

func TestOpenRedisServer(t *testing.T) {
	redistest.Client(t) // fails under CI when the server is missing
	s, err := Open(context.Background(), Options{URL: secret.New(redistest.URL())})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Embedded != nil {
		t.Error("a URL must not start the embedded store")
	}
	_, err = Open(context.Background(), Options{URL: secret.New("redis://:hunter22pass@127.0.0.1:1/0")})
	if err == nil {
		t.Fatal("connected to port 1")
	}
	if s := err.Error(); strings.Contains(s, "hunter22pass") {
		t.Errorf("error leaks the password: %s", s)
	}
}

func TestClientForURLKinds(t *testing.T) {
	tests := []struct {
		url, kind, addr string
	}{
		{"redis://:pw@10.0.0.1:6379/2", "server", "10.0.0.1:6379"},
		{"rediss://user:pw@redis.example:6380/0", "server", "redis.example:6380"},
		{"redis://s1:26379/0?master_name=mymaster&addr=s2:26379", "sentinel", "s1:26379,s2:26379"},
		{"redis+cluster://:pw@c1:6379?addr=c2:6379&addr=c3:6379", "cluster", "c1:6379,c2:6379,c3:6379"},
	}
	for _, tt := range tests {
		c, kind, addr, err := clientFor(secret.New(tt.url))
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		c.Close()
		if kind != tt.kind || addr != tt.addr {
			t.Errorf("%s: %s at %s, want %s at %s", tt.url, kind, addr, tt.kind, tt.addr)
		}
	}
	if _, _, _, err := clientFor(secret.New("redis+cluster://:hunter22pw@c1:6379?bogus=1")); err == nil || strings.Contains(err.Error(), "hunter22pw") {
		t.Errorf("bad cluster URL: %v", err)
	}
}
