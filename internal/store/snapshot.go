package store

import (
	"bufio"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// snapshotVersion is bumped when the file layout changes.
const snapshotVersion = 1

type snapshot struct {
	Version int
	Keys    []keyDump
}

type keyDump struct {
	Key    string
	Type   string
	TTLms  int64 // 0: no expiry
	String string
	Hash   map[string]string
	Set    []string
	ZSet   []redis.Z
	List   []string
	Stream *streamDump
}

type streamDump struct {
	LastID  string
	Entries []redis.XMessage
	Groups  []groupDump
}

type groupDump struct {
	Name string
	// LastID is where the group resumes: before its oldest pending entry
	// when it had any, so that entries delivered but not acknowledged are
	// delivered again after a restart.
	LastID string
}

// dump reads every key of the current database through the client.
func dump(ctx context.Context, c redis.UniversalClient) (*snapshot, error) {
	var keys []string
	iter := c.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("scan keys: %w", err)
	}
	s := &snapshot{Version: snapshotVersion, Keys: make([]keyDump, 0, len(keys))}
	for _, k := range keys {
		d, ok, err := dumpKey(ctx, c, k)
		if err != nil {
			return nil, fmt.Errorf("read key %q: %w", k, err)
		}
		if ok {
			s.Keys = append(s.Keys, d)
		}
	}
	return s, nil
}

func dumpKey(ctx context.Context, c redis.UniversalClient, k string) (keyDump, bool, error) {
	d := keyDump{Key: k}
	typ, err := c.Type(ctx, k).Result()
	if err != nil {
		return d, false, err
	}
	d.Type = typ
	switch typ {
	case "none":
		return d, false, nil // expired or deleted since the scan
	case "string":
		d.String, err = c.Get(ctx, k).Result()
	case "hash":
		d.Hash, err = c.HGetAll(ctx, k).Result()
	case "set":
		d.Set, err = c.SMembers(ctx, k).Result()
	case "zset":
		d.ZSet, err = c.ZRangeWithScores(ctx, k, 0, -1).Result()
	case "list":
		d.List, err = c.LRange(ctx, k, 0, -1).Result()
	case "stream":
		d.Stream, err = dumpStream(ctx, c, k)
	default:
		return d, false, fmt.Errorf("type %s is not kept in snapshots", typ)
	}
	if errors.Is(err, redis.Nil) {
		return d, false, nil
	}
	if err != nil {
		return d, false, err
	}
	ttl, err := c.PTTL(ctx, k).Result()
	if err != nil {
		return d, false, err
	}
	if ttl > 0 {
		d.TTLms = ttl.Milliseconds()
		if d.TTLms == 0 {
			d.TTLms = 1
		}
	}
	return d, true, nil
}

func dumpStream(ctx context.Context, c redis.UniversalClient, k string) (*streamDump, error) {
	s := &streamDump{}
	info, err := c.Do(ctx, "XINFO", "STREAM", k).Result()
	if err != nil {
		return nil, fmt.Errorf("xinfo stream: %w", err)
	}
	s.LastID = fieldOf(info, "last-generated-id")
	if s.Entries, err = c.XRange(ctx, k, "-", "+").Result(); err != nil {
		return nil, fmt.Errorf("xrange: %w", err)
	}
	groups, err := c.Do(ctx, "XINFO", "GROUPS", k).Slice()
	if err != nil {
		return nil, fmt.Errorf("xinfo groups: %w", err)
	}
	for _, g := range groups {
		gd := groupDump{Name: fieldOf(g, "name"), LastID: fieldOf(g, "last-delivered-id")}
		pend, err := c.XPendingExt(ctx, &redis.XPendingExtArgs{Stream: k, Group: gd.Name, Start: "-", End: "+", Count: 1}).Result()
		if err != nil {
			return nil, fmt.Errorf("xpending %s: %w", gd.Name, err)
		}
		if len(pend) > 0 {
			gd.LastID = previousID(pend[0].ID)
		}
		s.Groups = append(s.Groups, gd)
	}
	return s, nil
}

// fieldOf reads a field of a RESP2 flat array or RESP3 map reply.
func fieldOf(reply any, name string) string {
	switch r := reply.(type) {
	case map[any]any:
		return fmt.Sprint(r[name])
	case []any:
		for i := 0; i+1 < len(r); i += 2 {
			if fmt.Sprint(r[i]) == name {
				return fmt.Sprint(r[i+1])
			}
		}
	}
	return ""
}

// previousID is the stream id just before id ("5-0" -> "4-18446744073709551615").
func previousID(id string) string {
	ms, seq, ok := strings.Cut(id, "-")
	if !ok {
		return "0-0"
	}
	m, err1 := strconv.ParseUint(ms, 10, 64)
	s, err2 := strconv.ParseUint(seq, 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return "0-0"
	case s > 0:
		return fmt.Sprintf("%d-%d", m, s-1)
	case m > 0:
		return fmt.Sprintf("%d-%d", m-1, uint64(1<<64-1))
	default:
		return "0-0"
	}
}

// load writes a snapshot's keys into the (empty) database.
func load(ctx context.Context, c redis.UniversalClient, s *snapshot) error {
	for _, d := range s.Keys {
		if err := loadKey(ctx, c, d); err != nil {
			return fmt.Errorf("restore key %q: %w", d.Key, err)
		}
	}
	return nil
}

func loadKey(ctx context.Context, c redis.UniversalClient, d keyDump) error {
	p := c.TxPipeline()
	queueKey(ctx, p, d)
	_, err := p.Exec(ctx)
	return err
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
		loadStream(ctx, p, d.Key, d.Stream)
	}
	if d.TTLms > 0 {
		p.PExpire(ctx, d.Key, time.Duration(d.TTLms)*time.Millisecond)
	}
}

func loadStream(ctx context.Context, p redis.Pipeliner, key string, s *streamDump) {
	if s == nil {
		return
	}
	for _, e := range s.Entries {
		p.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: e.ID, Values: e.Values})
	}
	if len(s.Entries) == 0 && s.LastID != "" && s.LastID != "0-0" {
		// Keep the id sequence moving forward even for an empty stream.
		p.XAdd(ctx, &redis.XAddArgs{Stream: key, ID: s.LastID, Values: []string{"_", "_"}})
		p.XDel(ctx, key, s.LastID)
	}
	for _, g := range s.Groups {
		p.XGroupCreateMkStream(ctx, key, g.Name, g.LastID)
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// saveFile dumps the state and writes it to path atomically.
func saveFile(ctx context.Context, c redis.UniversalClient, path string) error {
	s, err := dump(ctx, c)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err := gob.NewEncoder(w).Encode(s); err != nil {
		tmp.Close()
		return fmt.Errorf("encode: %w", err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("fsync %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename into place: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// restoreFile loads path into the store; a missing file is an empty store.
// It returns how many keys were restored.
func restoreFile(ctx context.Context, c redis.UniversalClient, path string) (int, error) {
	s, err := readSnapshot(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if err := load(ctx, c, s); err != nil {
		return 0, err
	}
	return len(s.Keys), nil
}

// readSnapshot decodes the snapshot file at path and checks its version. A
// missing file is an error wrapping os.ErrNotExist.
func readSnapshot(path string) (*snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var s snapshot
	if err := gob.NewDecoder(bufio.NewReader(f)).Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decode: %w (move the file away to start empty)", err)
	}
	if s.Version != snapshotVersion {
		return nil, fmt.Errorf("snapshot version %d, this build reads %d", s.Version, snapshotVersion)
	}
	return &s, nil
}
