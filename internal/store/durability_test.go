package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// started is an embedded store and a client of it.
type started struct {
	e *Embedded
	c *redis.Client
}

func start(t testing.TB, dir string, opts EmbeddedOptions) started {
	t.Helper()
	e, err := StartEmbedded(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(&redis.Options{Addr: e.Addr(), Password: e.Password(), Protocol: 2})
	return started{e: e, c: c}
}

// stop closes without a snapshot: what stays is the journal, as after a kill.
func (s started) stop() {
	s.c.Close()
	s.e.Close()
}

// state dumps the store at this moment, sorted, for comparisons.
func (s started) state(t testing.TB) []keyDump {
	t.Helper()
	s.e.order.Lock()
	defer s.e.order.Unlock()
	at := s.e.begin()
	defer s.e.srv.SetTime(time.Time{})
	d, err := s.e.dumpLocked(at)
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Keys {
		if st := d.Keys[i].Stream; st != nil {
			// Delivery times are kept to the millisecond and read through
			// an idle time that rounds down: compared to the second.
			for g := range st.Groups {
				for p := range st.Groups[g].Pending {
					st.Groups[g].Pending[p].DeliveredMs = (st.Groups[g].Pending[p].DeliveredMs + 500) / 1000
				}
			}
		}
		sort.Strings(d.Keys[i].Set)
		sort.Slice(d.Keys[i].ZSet, func(a, b int) bool {
			return fmt.Sprint(d.Keys[i].ZSet[a].Member) < fmt.Sprint(d.Keys[i].ZSet[b].Member)
		})
	}
	return d.Keys
}

var luaTwoKeys = redis.NewScript(`
redis.call('INCR', KEYS[1])
redis.call('INCR', KEYS[2])
redis.call('XADD', KEYS[3], '*', 'n', ARGV[1])
redis.call('PEXPIRE', KEYS[4], ARGV[2])
return redis.call('PTTL', KEYS[4])`)

// writeMix writes every kind of command the bot uses.
func writeMix(t testing.TB, ctx context.Context, c *redis.Client) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(c.Set(ctx, "str", "v", 0).Err())
	must(c.Set(ctx, "lease", "me", time.Hour).Err())
	must(c.SetNX(ctx, "lease", "other", time.Minute).Err())
	must(c.Set(ctx, "keep", "a", 10*time.Minute).Err())
	must(c.SetArgs(ctx, "keep", "b", redis.SetArgs{KeepTTL: true}).Err())
	must(c.Set(ctx, "gone", "x", 30*time.Millisecond).Err())
	must(c.HSet(ctx, "h", "a", "1", "b", "2").Err())
	must(c.SAdd(ctx, "s", "x", "y").Err())
	must(c.ZAdd(ctx, "z", redis.Z{Score: 1.25, Member: "m"}).Err())
	must(c.RPush(ctx, "l", "1", "2").Err())
	must(c.Expire(ctx, "h", 2*time.Hour).Err())
	for i := range 30 {
		must(c.SAdd(ctx, "pool", i).Err())
	}
	for range 5 {
		must(c.SPop(ctx, "pool").Err()) // random: must replay the same
	}
	_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, "a")
		p.Incr(ctx, "b")
		p.PExpire(ctx, "s", 90*time.Minute)
		return nil
	})
	must(err)
	for i := range 3 {
		n, err := luaTwoKeys.Run(ctx, c, []string{"a", "b", "stream", "str"}, i, 3600000).Int64()
		must(err)
		if n < 3599000 || n > 3600000 {
			t.Fatalf("PTTL inside a script = %d, want about 3600000", n)
		}
	}
	must(c.XGroupCreate(ctx, "stream", "g", "0").Err())
	_, err = c.XReadGroup(ctx, &redis.XReadGroupArgs{Group: "g", Consumer: "c1", Streams: []string{"stream", ">"}, Count: 2}).Result()
	must(err)
	ids, err := c.XRange(ctx, "stream", "-", "+").Result()
	must(err)
	must(c.XAck(ctx, "stream", "g", ids[0].ID).Err())
	must(c.XDel(ctx, "stream", ids[0].ID).Err())
	time.Sleep(50 * time.Millisecond) // "gone" expires
}

func TestJournalReplaysToTheSameState(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := start(t, dir, EmbeddedOptions{})
	writeMix(t, ctx, s.c)
	before := s.state(t)
	exp, _ := s.c.Do(ctx, "PEXPIRETIME", "lease").Int64()
	s.stop()
	if _, err := os.Stat(filepath.Join(dir, SnapshotFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a snapshot exists (%v): the test must restore from the journal alone", err)
	}

	s2 := start(t, dir, EmbeddedOptions{})
	defer s2.stop()
	after := s2.state(t)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("state after replay differs:\nbefore %s\nafter  %s", show(before), show(after))
	}
	if got, _ := s2.c.Do(ctx, "PEXPIRETIME", "lease").Int64(); got != exp {
		t.Errorf("lease expires at %d after the restart, at %d before", got, exp)
	}
	if s2.c.Exists(ctx, "gone").Val() != 0 {
		t.Error("an expired key came back")
	}
	if ttl := s2.c.TTL(ctx, "keep").Val(); ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Errorf("KEEPTTL key has ttl %s", ttl)
	}
	// The same state again after a compaction and a clean restart.
	if err := s2.e.Snapshot(); err != nil {
		t.Fatal(err)
	}
	s2.stop()
	s3 := start(t, dir, EmbeddedOptions{})
	defer s3.stop()
	if again := s3.state(t); !reflect.DeepEqual(before, again) {
		t.Errorf("state after snapshot and restart differs:\nbefore %s\nafter  %s", show(before), show(again))
	}
	if gens, _ := s3.e.journals(); len(gens) != 1 || gens[0] != 2 {
		t.Errorf("journals after one compaction: %v, want [2]", gens)
	}
}

func TestTTLsExpireWithoutCommands(t *testing.T) {
	s := start(t, t.TempDir(), EmbeddedOptions{})
	defer s.stop()
	ctx := context.Background()
	for i := range 100 {
		if err := s.c.Set(ctx, fmt.Sprint("k", i), "v", time.Duration(10+i)*time.Millisecond).Err(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(s.e.srv.Keys()) > 0 { // no command: only the timer deletes
		if time.Now().After(deadline) {
			t.Fatalf("%d keys left after their TTL", len(s.e.srv.Keys()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// journalPath is the store's current journal.
func journalPath(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "newsalert.*.journal"))
	if len(m) != 1 {
		t.Fatalf("journals in %s: %v", dir, m)
	}
	return m[0]
}

// logBuf collects log lines.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestTornLastRecordIsDropped(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := start(t, dir, EmbeddedOptions{})
	s.c.Set(ctx, "a", "1", 0)
	s.c.Set(ctx, "b", "2", 0)
	s.stop()
	path := journalPath(t, dir)
	good, _ := os.ReadFile(path)
	rec := encodeRecord(record{At: time.Now().UnixNano(), Cmds: [][]string{{"SET", "c", "3"}}})
	for _, cut := range []int{3, recordFrame, len(rec) - 1} {
		t.Run(fmt.Sprint("cut at ", cut), func(t *testing.T) {
			if err := os.WriteFile(path, append(bytes.Clone(good), rec[:cut]...), 0o600); err != nil {
				t.Fatal(err)
			}
			var logs logBuf
			s := start(t, dir, EmbeddedOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			defer s.stop()
			if v := s.c.Get(ctx, "b").Val(); v != "2" {
				t.Errorf("b = %q after dropping a torn record", v)
			}
			if s.c.Exists(ctx, "c").Val() != 0 {
				t.Error("the torn record was applied")
			}
			want := fmt.Sprintf("file=%s offset=%d", path, len(good))
			if l := logs.String(); !strings.Contains(l, "torn") || !strings.Contains(l, want) {
				t.Errorf("log %q lacks a warning with %q", l, want)
			}
			// New writes go after the good records.
			if err := s.c.Set(ctx, "d", "4", 0).Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestDamageStopsTheStart: a corrupted record before the last, a newer
// journal format, a flipped byte in the snapshot and an unreadable snapshot
// each stop the start with an error naming the file and offset, and leave
// every file as it was.
func TestDamageStopsTheStart(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string) (file string, offset int64)
		want   string
	}{
		{"corrupted record", func(t *testing.T, dir string) (string, int64) {
			p := journalPath(t, dir)
			flip(t, p, journalHeader+recordFrame+3)
			return p, int64(journalHeader)
		}, "checksum mismatch"},
		{"newer journal format", func(t *testing.T, dir string) (string, int64) {
			p := journalPath(t, dir)
			flip(t, p, len(journalMagic)+3)
			return p, int64(len(journalMagic))
		}, "a newer newsalert wrote it"},
		{"flipped snapshot byte", func(t *testing.T, dir string) (string, int64) {
			p := filepath.Join(dir, SnapshotFile)
			st, _ := os.Stat(p)
			flip(t, p, int(st.Size())-20)
			return p, -1
		}, ""},
		{"unreadable snapshot", func(t *testing.T, dir string) (string, int64) {
			p := filepath.Join(dir, SnapshotFile)
			os.WriteFile(p, []byte("REDIS0011\xfa\x09redis-ver"), 0o600)
			return p, 0
		}, "decode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := start(t, dir, EmbeddedOptions{})
			s.c.HSet(ctx, "na:{subs}:1", "query", "Ukraine")
			if err := s.e.Snapshot(); err != nil {
				t.Fatal(err)
			}
			for i := range 5 {
				s.c.Set(ctx, fmt.Sprint("k", i), i, 0)
			}
			s.stop()
			file, off := tt.damage(t, dir)
			before := readDir(t, dir)
			_, err := StartEmbedded(ctx, dir, EmbeddedOptions{})
			var de *DamageError
			if !errors.As(err, &de) {
				t.Fatalf("start = %v, want a damage error", err)
			}
			if de.Path != file || (off >= 0 && de.Offset != off) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one naming %s at offset %d with %q", err, file, off, tt.want)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, file) || !strings.Contains(msg, "offset") {
				t.Errorf("error %q is not one line naming the file and offset", msg)
			}
			if after := readDir(t, dir); !reflect.DeepEqual(before, after) {
				t.Error("a failed start changed the data folder")
			}
		})
	}
}

func flip(t *testing.T, path string, at int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[at] ^= 0x01
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// readDir returns every file of dir (but the lock) and its content.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ents, _ := os.ReadDir(dir)
	for _, d := range ents {
		if d.Name() == LockFile {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(dir, d.Name()))
		out[d.Name()] = string(b)
	}
	return out
}

// TestSnapshotUnderConcurrentTransactions: keys a and b are always changed
// together (MULTI/EXEC and a script); every snapshot taken while that goes
// on holds them equal.
func TestSnapshotUnderConcurrentTransactions(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, EmbeddedOptions{})
	defer s.stop()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				if w%2 == 0 {
					s.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Incr(ctx, "a")
						p.Incr(ctx, "b")
						return nil
					})
				} else {
					luaTwoKeys.Run(ctx, s.c, []string{"a", "b", "st", "x"}, w, 1000)
				}
			}
		}()
	}
	for range 10 {
		time.Sleep(20 * time.Millisecond)
		if err := s.e.Snapshot(); err != nil {
			t.Fatal(err)
		}
		snap, err := readSnapshot(filepath.Join(dir, SnapshotFile))
		if err != nil {
			t.Fatal(err)
		}
		v := map[string]string{}
		for _, k := range snap.Keys {
			v[k.Key] = k.String
		}
		if v["a"] != v["b"] || v["a"] == "" {
			t.Errorf("snapshot holds a=%s b=%s", v["a"], v["b"])
		}
	}
	cancel()
	wg.Wait()
}

// fullDisk is a journal file whose writes fail with ENOSPC while full is set.
type fullDisk struct {
	*os.File
	full *sync.Mutex // locked: the disk is full
	on   *bool
}

func (f *fullDisk) Write(p []byte) (int, error) {
	f.full.Lock()
	on := *f.on
	f.full.Unlock()
	if on {
		n, _ := f.File.Write(p[:len(p)/2]) // a partial write, then the error
		return n, &os.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}
	return f.File.Write(p)
}

func TestFullDiskKeepsServingAndLosesNothing(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	var mu sync.Mutex
	full := false
	setFull := func(v bool) { mu.Lock(); full = v; mu.Unlock() }
	var logs logBuf
	opts := EmbeddedOptions{Logger: slog.New(slog.NewTextHandler(&logs, nil)), openFile: func(path string) (journalFile, error) {
		f, err := os.OpenFile(path, os.O_RDWR, 0o600)
		if err != nil {
			return nil, err
		}
		return &fullDisk{File: f, full: &mu, on: &full}, nil
	}}
	s := start(t, dir, opts)
	s.c.Set(ctx, "before", "1", 0)
	setFull(true)
	for i := range 20 {
		if err := s.c.Set(ctx, fmt.Sprint("during", i), i, 0).Err(); err != nil {
			t.Fatalf("a write on a full disk failed: %v", err)
		}
	}
	if v := s.c.Get(ctx, "during19").Val(); v != "19" {
		t.Errorf("served %q from memory", v)
	}
	if err := s.e.Ready(); err == nil || !strings.Contains(err.Error(), "no space") {
		t.Errorf("Ready = %v, want the full disk", err)
	}
	if !strings.Contains(logs.String(), "journal write failed") {
		t.Error("the failure was not logged")
	}
	setFull(false)
	deadline := time.Now().Add(10 * time.Second)
	for s.e.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("still not ready after the disk has room: %v", s.e.Ready())
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.c.Set(ctx, "after", "1", 0)
	s.stop()
	s2 := start(t, dir, EmbeddedOptions{})
	defer s2.stop()
	for _, k := range []string{"before", "during0", "during19", "after"} {
		if s2.c.Exists(ctx, k).Val() != 1 {
			t.Errorf("%s lost", k)
		}
	}
}

func TestDataFolderLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	s := start(t, dir, EmbeddedOptions{})
	before := readDir(t, dir)
	_, err := StartEmbedded(context.Background(), dir, EmbeddedOptions{})
	want := fmt.Sprintf("data folder %s is in use by process %d", dir, os.Getpid())
	if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, ErrDataDirInUse) {
		t.Fatalf("second start: %v, want %q", err, want)
	}
	if after := readDir(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("the refused start changed the folder")
	}
	if _, err := Migrate(context.Background(), dir, nil, nil, MigrateOptions{}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("migrate of a folder in use: %v", err)
	}
	s.stop()
	s2 := start(t, dir, EmbeddedOptions{})
	s2.stop()
}

func TestConnectionWithoutPasswordRefused(t *testing.T) {
	s := start(t, t.TempDir(), EmbeddedOptions{})
	defer s.stop()
	ctx := context.Background()
	s.c.Set(ctx, "secret", "https://discord.com/api/webhooks/1/x", 0)
	for _, pw := range []string{"", "wrong"} {
		c := redis.NewClient(&redis.Options{Addr: s.e.Addr(), Password: pw, Protocol: 2, MaxRetries: -1})
		_, err := c.Get(ctx, "secret").Result()
		if err == nil || !strings.Contains(err.Error(), "NOAUTH") && !strings.Contains(err.Error(), "WRONGPASS") && !strings.Contains(err.Error(), "invalid") {
			t.Errorf("password %q: GET = %v, want a refusal", pw, err)
		}
		if err := c.Set(ctx, "secret", "mine", 0).Err(); err == nil {
			t.Errorf("password %q: SET succeeded", pw)
		}
		c.Close()
	}
	if v := s.c.Get(ctx, "secret").Val(); v != "https://discord.com/api/webhooks/1/x" {
		t.Errorf("value changed to %q", v)
	}
}

func TestLeftoverTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, EmbeddedOptions{})
	s.stop()
	tmp := filepath.Join(dir, SnapshotFile+tempMark+"123")
	os.WriteFile(tmp, []byte("half a snapshot"), 0o600)
	s = start(t, dir, EmbeddedOptions{})
	defer s.stop()
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp file still there: %v", err)
	}
}

func TestNestedDetectionReadsMiniredisState(t *testing.T) {
	// ctxBool reads miniredis's unexported per-connection fields; if an
	// upgrade renames them, scripts' TTLs would go untracked.
	s := start(t, t.TempDir(), EmbeddedOptions{})
	defer s.stop()
	ctx := context.Background()
	n, err := redis.NewScript(`redis.call('SET', KEYS[1], 'v', 'PX', 60000) return redis.call('PTTL', KEYS[1])`).Run(ctx, s.c, []string{"k"}).Int64()
	if err != nil || n < 59000 || n > 60000 {
		t.Fatalf("PTTL in a script = %d, %v", n, err)
	}
	if _, ok := s.e.ttl.get("k"); !ok {
		t.Error("a TTL set by a script is not in the deadline index")
	}
}

func show(keys []keyDump) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%+v", k)
		if k.Stream != nil {
			fmt.Fprintf(&b, "%+v", *k.Stream)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestCompactionCutShort: a compaction that stops after starting the new
// journal, or after the new snapshot but before deleting the old journal
// (as a crash would), leaves files that restore the exact state, writes
// after it included.
func TestCompactionCutShort(t *testing.T) {
	ctx := context.Background()
	for _, step := range []string{"snapshot", "cleanup"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			s := start(t, dir, EmbeddedOptions{})
			s.c.Set(ctx, "a", "1", 0)
			if err := s.e.Snapshot(); err != nil {
				t.Fatal(err)
			}
			s.c.Set(ctx, "b", "2", time.Hour)
			s.stop()
			s = start(t, dir, EmbeddedOptions{fault: func(at string) error {
				if at == step {
					return errors.New("crash at " + at)
				}
				return nil
			}})
			s.c.Set(ctx, "c", "3", 0)
			if err := s.e.Snapshot(); err == nil {
				t.Fatal("the fault did not stop the compaction")
			}
			s.c.Set(ctx, "d", "4", 0)
			s.c.Incr(ctx, "a")
			before := s.state(t)
			s.stop()
			s = start(t, dir, EmbeddedOptions{})
			defer s.stop()
			if after := s.state(t); !reflect.DeepEqual(before, after) {
				t.Errorf("state differs after the cut compaction:\nbefore %s\nafter  %s", show(before), show(after))
			}
			if gens, _ := s.e.journals(); len(gens) == 0 {
				t.Error("no journal")
			}
		})
	}
}

// TestRunCompactsAGrowingJournal: past the size limit Run writes a new
// snapshot and starts a new journal; the final snapshot at the stop holds
// everything.
func TestRunCompactsAGrowingJournal(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir, EmbeddedOptions{CompactMinBytes: 4096})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.e.Run(ctx) }()
	for i := range 2000 {
		if err := s.c.Set(ctx, fmt.Sprint("k", i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		gens, _ := s.e.journals()
		if len(gens) == 1 && gens[0] > 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no compaction: journals %v", gens)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.c.Set(ctx, "last", "1", 0)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s.stop()
	s = start(t, dir, EmbeddedOptions{})
	defer s.stop()
	if n := len(s.e.srv.Keys()); n != 2001 {
		t.Errorf("%d keys after the restart, want 2001", n)
	}
}
