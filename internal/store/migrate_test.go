package store

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/redistest"
)

// embeddedSnapshot starts the embedded store in a new data directory, lets
// fill write into it, writes its snapshot and returns the directory.
func embeddedSnapshot(t testing.TB, fill func(ctx context.Context, c redis.UniversalClient) error) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	e, err := StartEmbedded(ctx, dir, EmbeddedOptions{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	c := redis.NewClient(&redis.Options{Addr: e.Addr(), Password: e.Password(), Protocol: 2})
	defer c.Close()
	if err := fill(ctx, c); err != nil {
		t.Fatalf("fill the embedded store: %v", err)
	}
	if err := e.Snapshot(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// writeLegacySnapshotFile writes s as dir's snapshot in the bare-gob format of
// the releases before the journal, for shapes the embedded
// store would not produce.
func writeLegacySnapshotFile(t *testing.T, dir string, s any) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, SnapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := gob.NewEncoder(f).Encode(s); err != nil {
		t.Fatal(err)
	}
}

func miniTarget(t *testing.T) (*miniredis.Miniredis, redis.UniversalClient) {
	t.Helper()
	m := miniredis.RunT(t)
	c := redis.NewClient(&redis.Options{Addr: m.Addr(), Protocol: 2})
	t.Cleanup(func() { c.Close() })
	return m, c
}

func TestMigrateCopiesEveryType(t *testing.T) {
	target, p := redistest.Client(t)
	ctx := context.Background()
	k := func(name string) string { return p + "na:" + name }
	dir := embeddedSnapshot(t, func(ctx context.Context, c redis.UniversalClient) error {
		steps := []error{
			c.Set(ctx, k("str"), "bin\x00ary é", 0).Err(),
			c.Set(ctx, k("lease"), "me", time.Hour).Err(),
			c.HSet(ctx, k("{src:1}:meta"), "url", "https://example.com/feed", "name", "Example").Err(),
			c.SAdd(ctx, k("{subs}:chats"), "telegram:1", "discord:2").Err(),
			c.ZAdd(ctx, k("{src:1}:seen"), redis.Z{Score: 1.5, Member: "k1"}, redis.Z{Score: 2, Member: "k2"}).Err(),
			c.RPush(ctx, k("list"), "x", "y", "z").Err(),
		}
		// The outbox: 1-0 acknowledged and deleted, 2-0 delivered but
		// pending, 3-0 not yet delivered.
		for _, id := range []string{"1-0", "2-0", "3-0"} {
			steps = append(steps, c.XAdd(ctx, &redis.XAddArgs{Stream: k("{outbox}:stream"), ID: id, Values: []string{"n", id}}).Err())
		}
		steps = append(steps, c.XGroupCreate(ctx, k("{outbox}:stream"), "delivery", "0").Err())
		if _, err := c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "delivery", Consumer: "a", Streams: []string{k("{outbox}:stream"), ">"}, Count: 2}).Result(); err != nil {
			return err
		}
		steps = append(steps,
			c.XAck(ctx, k("{outbox}:stream"), "delivery", "1-0").Err(),
			c.XDel(ctx, k("{outbox}:stream"), "1-0").Err(),
			// A stream emptied by deletes keeps its last id.
			c.XAdd(ctx, &redis.XAddArgs{Stream: k("{empty}:stream"), ID: "7-0", Values: []string{"n", "x"}}).Err(),
			c.XDel(ctx, k("{empty}:stream"), "7-0").Err(),
		)
		return errors.Join(steps...)
	})

	n, err := Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: p})
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if n != 8 {
		t.Errorf("Migrate wrote %d keys, want 8", n)
	}
	if v := target.Get(ctx, k("str")).Val(); v != "bin\x00ary é" {
		t.Errorf("string = %q", v)
	}
	if ttl := target.TTL(ctx, k("lease")).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("lease ttl = %s, want just under 1h", ttl)
	}
	if h := target.HGetAll(ctx, k("{src:1}:meta")).Val(); h["url"] != "https://example.com/feed" || h["name"] != "Example" {
		t.Errorf("hash = %v", h)
	}
	if ok := target.SIsMember(ctx, k("{subs}:chats"), "discord:2").Val(); !ok {
		t.Error("set member discord:2 missing")
	}
	if z := target.ZRangeWithScores(ctx, k("{src:1}:seen"), 0, -1).Val(); len(z) != 2 || z[0].Score != 1.5 || z[1].Member != "k2" {
		t.Errorf("zset = %v", z)
	}
	if l := target.LRange(ctx, k("list"), 0, -1).Val(); strings.Join(l, ",") != "x,y,z" {
		t.Errorf("list = %v", l)
	}
	// The pending entry and the undelivered one are delivered again.
	got, err := target.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "delivery", Consumer: "b", Streams: []string{k("{outbox}:stream"), ">"}, Count: 10}).Result()
	if err != nil {
		t.Fatalf("read the migrated outbox: %v", err)
	}
	var ids []string
	for _, m := range got[0].Messages {
		ids = append(ids, m.ID)
	}
	if strings.Join(ids, " ") != "2-0 3-0" {
		t.Errorf("outbox redelivers %v, want [2-0 3-0]", ids)
	}
	// The emptied stream exists and refuses ids at or below its last one.
	if n := target.XLen(ctx, k("{empty}:stream")).Val(); n != 0 {
		t.Errorf("emptied stream has %d entries", n)
	}
	if err := target.XAdd(ctx, &redis.XAddArgs{Stream: k("{empty}:stream"), ID: "7-0", Values: []string{"n", "again"}}).Err(); err == nil {
		t.Error("emptied stream accepted id 7-0 again: its last id was lost")
	}
}

func TestMigrateRefusesATargetInUse(t *testing.T) {
	target, p := redistest.Client(t)
	ctx := context.Background()
	dir := embeddedSnapshot(t, func(ctx context.Context, c redis.UniversalClient) error {
		return errors.Join(
			c.Set(ctx, p+"na:{sources}:next", "5", 0).Err(),
			c.Set(ctx, p+"other:shared", "from snapshot", 0).Err(),
		)
	})

	// A key under the prefix that the snapshot does not have.
	if err := target.Set(ctx, p+"na:{subs}:version", "9", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, err := Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: p + "na:"})
	if err == nil || !strings.Contains(err.Error(), "already holds newsalert data") || !strings.Contains(err.Error(), p+"na:{subs}:version") {
		t.Fatalf("Migrate into a database holding %sna:{subs}:version: err = %v, want a refusal naming the key", p, err)
	}
	if target.Exists(ctx, p+"na:{sources}:next").Val() != 0 {
		t.Error("a refused migration wrote keys")
	}
	target.Del(ctx, p+"na:{subs}:version")

	// A key of the snapshot outside the prefix.
	if err := target.Set(ctx, p+"other:shared", "someone else's", 0).Err(); err != nil {
		t.Fatal(err)
	}
	_, err = Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: p + "na:"})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", p+"other:shared")) {
		t.Fatalf("Migrate over an existing snapshot key: err = %v, want a refusal naming %s", err, p+"other:shared")
	}
	if v := target.Get(ctx, p+"other:shared").Val(); v != "someone else's" {
		t.Errorf("a refused migration overwrote the key: %q", v)
	}

	// Force overwrites the snapshot's keys and leaves the others.
	if err := target.Set(ctx, p+"na:{unrelated}", "stays", 0).Err(); err != nil {
		t.Fatal(err)
	}
	n, err := Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: p + "na:", Force: true})
	if err != nil || n != 2 {
		t.Fatalf("forced Migrate = %d, %v; want 2 keys", n, err)
	}
	if v := target.Get(ctx, p+"other:shared").Val(); v != "from snapshot" {
		t.Errorf("forced migration left %q", v)
	}
	if v := target.Get(ctx, p+"na:{unrelated}").Val(); v != "stays" {
		t.Errorf("forced migration touched a key the snapshot lacks: %q", v)
	}
}

func TestMigratePrefixCheck(t *testing.T) {
	ctx := context.Background()
	dir := embeddedSnapshot(t, func(ctx context.Context, c redis.UniversalClient) error {
		return c.HSet(ctx, "na:{sources}:1", "url", "https://example.com/rss").Err()
	})
	tests := []struct {
		name    string
		prefix  string
		present string // key already in the target
		wantErr string
	}{
		{name: "empty target", wantErr: ""},
		{name: "newsalert key", present: "na:{subs}:version", wantErr: `key "na:{subs}:version" under "na:"`},
		{name: "unrelated key", present: "sessions:42", wantErr: ""},
		{name: "other prefix", prefix: "nb:", present: "na:{subs}:version", wantErr: ""},
		{name: "glob characters in the prefix are literal", prefix: "n?:", present: "na:{subs}:version", wantErr: ""},
		{name: "prefix with a star", prefix: "n*", present: "n*:1", wantErr: `key "n*:1" under "n*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, target := miniTarget(t)
			if tt.present != "" {
				m.Set(tt.present, "1")
			}
			n, err := Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: tt.prefix})
			if tt.wantErr == "" {
				if err != nil || n != 1 {
					t.Fatalf("Migrate = %d, %v; want 1 key", n, err)
				}
				if v := m.HGet("na:{sources}:1", "url"); v != "https://example.com/rss" {
					t.Errorf("migrated hash url = %q", v)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Migrate err = %v, want one containing %s", err, tt.wantErr)
			}
		})
	}
}

func TestMigrateClusterScansEveryPrimary(t *testing.T) {
	ctx := context.Background()
	dir := embeddedSnapshot(t, func(ctx context.Context, c redis.UniversalClient) error {
		return c.Set(ctx, "na:{sources}:next", "1", 0).Err()
	})
	m := miniredis.RunT(t)
	m.Set("na:{subs}:version", "3")
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: []string{m.Addr()}, Protocol: 2})
	defer cc.Close()
	_, err := Migrate(ctx, dir, cc, nil, MigrateOptions{})
	if err == nil || !strings.Contains(err.Error(), "na:{subs}:version") {
		t.Fatalf("Migrate into a cluster holding na:{subs}:version: err = %v", err)
	}
	m.Del("na:{subs}:version")
	if n, err := Migrate(ctx, dir, cc, nil, MigrateOptions{}); err != nil || n != 1 {
		t.Fatalf("Migrate into an empty cluster = %d, %v", n, err)
	}
	if v, _ := m.Get("na:{sources}:next"); v != "1" {
		t.Errorf("migrated key = %q", v)
	}
}

func TestMigrateBadSnapshots(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir string)
		check   func(err error) bool
		want    string
	}{
		{
			name:    "no snapshot",
			prepare: func(t *testing.T, dir string) {},
			check: func(err error) bool {
				return errors.Is(err, os.ErrNotExist) && strings.Contains(err.Error(), SnapshotFile)
			},
			want: "an error wrapping os.ErrNotExist naming the file",
		},
		{
			name: "not a snapshot",
			prepare: func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, SnapshotFile), []byte("REDIS0011\xfa\x09redis-ver"), 0o600)
			},
			check: func(err error) bool { return err != nil && strings.Contains(err.Error(), "decode") },
			want:  "a decode error",
		},
		{
			name: "newer version",
			prepare: func(t *testing.T, dir string) {
				writeLegacySnapshotFile(t, dir, snapshot{Version: snapshotVersion + 1})
			},
			check: func(err error) bool {
				return err != nil && strings.Contains(err.Error(), fmt.Sprintf("snapshot version %d", snapshotVersion+1))
			},
			want: "a version error",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.prepare(t, dir)
			m, target := miniTarget(t)
			n, err := Migrate(ctx, dir, target, nil, MigrateOptions{})
			if !tt.check(err) || n != 0 {
				t.Fatalf("Migrate = %d, %v; want 0 and %s", n, err, tt.want)
			}
			if keys := m.Keys(); len(keys) != 0 {
				t.Errorf("failed migration wrote %v", keys)
			}
		})
	}
}

func TestMigrateReportsTheKeyThatFailed(t *testing.T) {
	target, p := redistest.Client(t)
	dir := t.TempDir()
	good := keyDump{Key: p + "na:ok", Type: "string", String: "v"}
	// Redis refuses stream id 0-0.
	bad := keyDump{Key: p + "na:{outbox}:stream", Type: "stream", Stream: &streamDump{
		LastID: "0-0", Entries: []redis.XMessage{{ID: "0-0", Values: map[string]any{"n": "1"}}},
	}}
	writeLegacySnapshotFile(t, dir, snapshot{Version: snapshotVersion, Keys: []keyDump{good, bad}})
	_, err := Migrate(context.Background(), dir, target, nil, MigrateOptions{Prefix: p})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad.Key)) {
		t.Fatalf("Migrate err = %v, want one naming %q", err, bad.Key)
	}
}

func TestMigrateStopsWhenCancelled(t *testing.T) {
	dir := embeddedSnapshot(t, func(ctx context.Context, c redis.UniversalClient) error {
		return c.Set(ctx, "na:x", "1", 0).Err()
	})
	m, target := miniTarget(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, force := range []bool{false, true} {
		_, err := Migrate(ctx, dir, target, nil, MigrateOptions{Force: force})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Force=%v: Migrate with a cancelled context: err = %v, want context.Canceled", force, err)
		}
	}
	if keys := m.Keys(); len(keys) != 0 {
		t.Errorf("cancelled migration wrote %v", keys)
	}
}

// fillMany writes keys hashes, a set per 10 keys and a stream of entries,
// enough to span many round trips.
func fillMany(prefix string, keys, entries int) func(ctx context.Context, c redis.UniversalClient) error {
	return func(ctx context.Context, c redis.UniversalClient) error {
		p := c.Pipeline()
		for i := range keys {
			if i%10 == 0 {
				p.SAdd(ctx, fmt.Sprintf("%sna:{src:%d}:seen", prefix, i), "a", "b", "c")
				continue
			}
			p.HSet(ctx, fmt.Sprintf("%sna:{src:%d}:meta", prefix, i), "url", fmt.Sprintf("https://example.com/%d.xml", i), "interval", "5m")
		}
		for i := range entries {
			p.XAdd(ctx, &redis.XAddArgs{Stream: prefix + "na:{outbox}:stream", ID: fmt.Sprintf("%d-0", i+1), Values: []string{"chat", "telegram:1", "story", fmt.Sprint(i)}})
		}
		_, err := p.Exec(ctx)
		return err
	}
}

func TestMigrateManyKeys(t *testing.T) {
	target, p := redistest.Client(t)
	ctx := context.Background()
	const keys, entries = 3*migrateBatch + 7, 2 * migrateBatch
	dir := embeddedSnapshot(t, fillMany(p, keys, entries))
	n, err := Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: p})
	if err != nil || n != keys+1 {
		t.Fatalf("Migrate = %d, %v; want %d keys", n, err, keys+1)
	}
	var count int
	iter := target.Scan(ctx, 0, p+"*", 1000).Iterator()
	for iter.Next(ctx) {
		count++
	}
	if count != keys+1 {
		t.Errorf("target holds %d keys under the test prefix, want %d", count, keys+1)
	}
	if l := target.XLen(ctx, p+"na:{outbox}:stream").Val(); l != entries {
		t.Errorf("stream has %d entries, want %d", l, entries)
	}
	if v := target.HGet(ctx, fmt.Sprintf("%sna:{src:%d}:meta", p, keys-1), "url").Val(); v != fmt.Sprintf("https://example.com/%d.xml", keys-1) {
		t.Errorf("last hash url = %q", v)
	}
}

// BenchmarkMigrate moves a snapshot of 2000 keys and a 1000-entry stream
// into the test Redis; keys/s is the figure that matters.
func BenchmarkMigrate(b *testing.B) {
	target, p := redistest.Client(b)
	const keys, entries = 2000, 1000
	dir := embeddedSnapshot(b, fillMany(p, keys, entries))
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Migrate(ctx, dir, target, nil, MigrateOptions{Prefix: p, Force: true}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*(keys+1))/b.Elapsed().Seconds(), "keys/s")
}
