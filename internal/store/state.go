package store

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/alicebob/miniredis/v2/server"
	"github.com/redis/go-redis/v9"
)

// inproc is the store's own connection to miniredis, without a socket:
// commands are dispatched in this goroutine and replies parsed from a
// buffer.
type inproc struct {
	e   *Embedded
	p   *server.Peer
	buf bytes.Buffer
	w   *bufio.Writer
	r   *bufio.Reader
}

func newInproc(e *Embedded) *inproc {
	ip := &inproc{e: e}
	ip.w = bufio.NewWriter(&ip.buf)
	ip.r = bufio.NewReader(&ip.buf)
	ip.p = server.NewPeer(ip.w)
	ip.dispatch([]string{"AUTH", e.password})
	return ip
}

// dispatch runs a command through the hook, as a client's would.
func (ip *inproc) dispatch(args []string) (any, error) {
	ip.buf.Reset()
	ip.e.srv.Server().Dispatch(ip.p, args)
	ip.w.Flush()
	ip.r.Reset(&ip.buf)
	return server.ParseReply(ip.r)
}

// call runs a command past the hook: the write lock must be held.
func (ip *inproc) call(args ...string) (any, error) {
	prev := ip.e.passthrough.Swap(ip.p)
	defer ip.e.passthrough.Store(prev)
	return ip.dispatch(args)
}

// dumpLocked reads the whole state at one point in time: the write lock is
// held and the clock pinned to at, so no write and no expiry happens while
// it reads.
func (e *Embedded) dumpLocked(at int64) (*snapshot, error) {
	keys := e.srv.Keys()
	s := &snapshot{Version: snapshotVersion, At: at, Keys: make([]keyDump, 0, len(keys))}
	for _, k := range keys {
		d, err := e.dumpKey(k)
		if err != nil {
			return nil, fmt.Errorf("read key %q: %w", k, err)
		}
		if exp, ok := e.ttl.get(k); ok {
			d.ExpireAt = exp
		}
		s.Keys = append(s.Keys, d)
	}
	return s, nil
}

func (e *Embedded) dumpKey(k string) (keyDump, error) {
	d := keyDump{Key: k, Type: e.srv.Type(k)}
	var err error
	switch d.Type {
	case "string":
		d.String, err = e.srv.Get(k)
	case "hash":
		var fields []string
		fields, err = e.srv.HKeys(k)
		d.Hash = make(map[string]string, len(fields))
		for _, f := range fields {
			d.Hash[f] = e.srv.HGet(k, f)
		}
	case "set":
		d.Set, err = e.srv.Members(k)
	case "zset":
		var m map[string]float64
		m, err = e.srv.SortedSet(k)
		d.ZSet = make([]redis.Z, 0, len(m))
		for member, score := range m {
			d.ZSet = append(d.ZSet, redis.Z{Score: score, Member: member})
		}
	case "list":
		d.List, err = e.srv.List(k)
	case "stream":
		d.Stream, err = e.dumpStream(k)
	default:
		err = fmt.Errorf("type %s is not kept in snapshots", d.Type)
	}
	return d, err
}

func (e *Embedded) dumpStream(k string) (*streamDump, error) {
	s := &streamDump{}
	info, err := e.ip.call("XINFO", "STREAM", k)
	if err != nil {
		return nil, fmt.Errorf("xinfo stream: %w", err)
	}
	s.LastID = fieldOf(info, "last-generated-id")
	entries, err := e.ip.call("XRANGE", k, "-", "+")
	if err != nil {
		return nil, fmt.Errorf("xrange: %w", err)
	}
	for _, en := range asList(entries) {
		pair := asList(en)
		if len(pair) != 2 {
			continue
		}
		item := streamItem{ID: fmt.Sprint(pair[0])}
		for _, f := range asList(pair[1]) {
			item.Fields = append(item.Fields, fmt.Sprint(f))
		}
		s.Items = append(s.Items, item)
	}
	groups, err := e.ip.call("XINFO", "GROUPS", k)
	if err != nil {
		return nil, fmt.Errorf("xinfo groups: %w", err)
	}
	for _, g := range asList(groups) {
		gd := groupDump{Name: fieldOf(g, "name"), LastID: fieldOf(g, "last-delivered-id")}
		cons, err := e.ip.call("XINFO", "CONSUMERS", k, gd.Name)
		if err != nil {
			return nil, fmt.Errorf("xinfo consumers %s: %w", gd.Name, err)
		}
		for _, c := range asList(cons) {
			gd.Consumers = append(gd.Consumers, fieldOf(c, "name"))
		}
		pend, err := e.ip.call("XPENDING", k, gd.Name, "-", "+", strconv.Itoa(math.MaxInt32))
		if err != nil {
			return nil, fmt.Errorf("xpending %s: %w", gd.Name, err)
		}
		for _, p := range asList(pend) {
			f := asList(p)
			if len(f) != 4 {
				continue
			}
			idle, _ := f[2].(int)
			count, _ := f[3].(int)
			gd.Pending = append(gd.Pending, pendingDump{
				ID: fmt.Sprint(f[0]), Consumer: fmt.Sprint(f[1]),
				DeliveredMs: e.lastAt/1e6 - int64(idle), Count: int64(count),
			})
		}
		s.Groups = append(s.Groups, gd)
	}
	return s, nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// load writes a snapshot's keys into the empty server, with the clock
// pinned to the snapshot's time. The write lock is held.
func (e *Embedded) load(s *snapshot) error {
	at := s.At
	e.lastAt = at
	e.replayAt = at
	e.srv.SetTime(timeOf(at))
	for _, d := range s.Keys {
		if d.ExpireAt != 0 && d.ExpireAt <= at {
			continue
		}
		if err := e.loadKey(d); err != nil {
			return fmt.Errorf("restore key %q: %w", d.Key, err)
		}
		if d.ExpireAt != 0 && e.srv.Exists(d.Key) {
			e.ttl.set(d.Key, d.ExpireAt)
			e.srv.SetTTL(d.Key, durationOf(d.ExpireAt-at))
		}
	}
	return nil
}

// loadKey writes one key: the plain types through miniredis's direct API
// (no command parsing: a start with a million keys stays quick), streams
// through commands.
func (e *Embedded) loadKey(d keyDump) error {
	var cmds [][]string
	var err error
	switch d.Type {
	case "string":
		err = e.srv.Set(d.Key, d.String)
	case "hash":
		if len(d.Hash) > 0 {
			fv := make([]string, 0, 2*len(d.Hash))
			for f, v := range d.Hash {
				fv = append(fv, f, v)
			}
			e.srv.HSet(d.Key, fv...)
		}
	case "set":
		if len(d.Set) > 0 {
			_, err = e.srv.SetAdd(d.Key, d.Set...)
		}
	case "zset":
		for _, z := range d.ZSet {
			if _, err = e.srv.ZAdd(d.Key, z.Score, fmt.Sprint(z.Member)); err != nil {
				break
			}
		}
	case "list":
		if len(d.List) > 0 {
			_, err = e.srv.Push(d.Key, d.List...)
		}
	case "stream":
		cmds = append(cmds, streamCommands(d.Key, d.Stream, true)...)
	default:
		return fmt.Errorf("type %q is not kept in snapshots", d.Type)
	}
	if err != nil {
		return err
	}
	for _, c := range cmds {
		if _, err := e.ip.call(c...); err != nil {
			return fmt.Errorf("%s: %w", c[0], err)
		}
	}
	return nil
}

// streamCommands rebuilds a stream: its entries, its last id, its groups
// and, when exact, each group's consumers and pending entries (with their
// delivery time and count); otherwise each group resumes before its oldest
// pending entry, so that those are delivered again.
func streamCommands(key string, s *streamDump, exact bool) [][]string {
	if s == nil {
		return nil
	}
	var cmds [][]string
	last := ""
	for _, it := range s.Items {
		cmds = append(cmds, append([]string{"XADD", key, it.ID}, it.Fields...))
		last = it.ID
	}
	for _, en := range s.Entries { // legacy files
		c := []string{"XADD", key, en.ID}
		names := make([]string, 0, len(en.Values))
		for f := range en.Values {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			c = append(c, f, fmt.Sprint(en.Values[f]))
		}
		cmds = append(cmds, c)
		last = en.ID
	}
	if s.LastID != "" && s.LastID != "0-0" && (last == "" || compareIDs(s.LastID, last) > 0) {
		// Keep the id sequence moving forward after deleted entries.
		cmds = append(cmds, []string{"XADD", key, s.LastID, "_", "_"}, []string{"XDEL", key, s.LastID})
	}
	for _, g := range s.Groups {
		lastID := g.LastID
		if !exact && len(g.Pending) > 0 {
			lastID = previousID(g.Pending[0].ID)
		}
		cmds = append(cmds, []string{"XGROUP", "CREATE", key, g.Name, lastID, "MKSTREAM"})
		if !exact {
			continue
		}
		for _, c := range g.Consumers {
			cmds = append(cmds, []string{"XGROUP", "CREATECONSUMER", key, g.Name, c})
		}
		for _, p := range g.Pending {
			cmds = append(cmds, []string{"XCLAIM", key, g.Name, p.Consumer, "0", p.ID,
				"TIME", strconv.FormatInt(p.DeliveredMs, 10), "RETRYCOUNT", strconv.FormatInt(p.Count, 10), "FORCE", "JUSTID"})
		}
	}
	return cmds
}

func timeOf(ns int64) time.Time { return time.Unix(0, ns) }

func durationOf(ns int64) time.Duration { return time.Duration(ns) }
