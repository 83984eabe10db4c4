package store

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2/server"
)

// Every command reaches the embedded server through hook, which miniredis
// calls before it runs a command (Server().SetPreHook). The hook:
//
//   - refuses every command of a connection that has not sent the
//     password (AUTH, or HELLO with AUTH);
//   - lets reads run as they are, after deleting the keys that are due;
//   - runs each write, transaction (EXEC) and script itself, one at a time
//     under the store's write lock, with miniredis's clock pinned to the
//     write's time, tracks the TTLs it sets (ttl.go) and appends it to the
//     journal before the reply leaves: the reply is flushed to the client
//     only when the hook returns.
//
// Because each write runs at a recorded time and scripts see only that
// time, replaying the journal on top of the snapshot runs every command
// against the same state at the same time, so it ends in the same state.

// peerState is what the hook keeps about one client connection. Only the
// connection's own goroutine touches it.
type peerState struct {
	authed bool
	multi  bool
	queue  [][]string
}

// passCommands answer without touching data: never journaled.
var passCommands = map[string]bool{
	"PING": true, "ECHO": true, "QUIT": true, "CLIENT": true, "INFO": true, "COMMAND": true,
	"SUBSCRIBE": true, "PSUBSCRIBE": true, "UNSUBSCRIBE": true, "PUNSUBSCRIBE": true,
	"SSUBSCRIBE": true, "SUNSUBSCRIBE": true, "PUBLISH": true, "SPUBLISH": true, "PUBSUB": true,
	"TIME": true, "UNWATCH": true, "DBSIZE": true, "SCRIPT": true, "RESET": true,
}

// randomCommands pick members at random.
var randomCommands = map[string]bool{"SPOP": true, "SRANDMEMBER": true, "ZRANDMEMBER": true, "HRANDFIELD": true, "RANDOMKEY": true}

// ttlReads are answered from the deadline index.
var ttlReads = map[string]bool{"TTL": true, "PTTL": true, "EXPIRETIME": true, "PEXPIRETIME": true}

func (e *Embedded) hook(c *server.Peer, cmd string, args ...string) bool {
	if c == e.passthrough.Load() {
		return false
	}
	if e.inCall.Load() && isNested(c) {
		return e.nestedCall(c, cmd, args)
	}
	ps := e.peer(c)
	if !ps.authed {
		switch cmd {
		case "AUTH":
			ps.authed = e.passwordOK(args, 0)
			return false
		case "HELLO":
			for i, a := range args {
				if strings.EqualFold(a, "AUTH") {
					ps.authed = e.passwordOK(args[i+1:], 2)
				}
			}
			return false
		case "QUIT":
			return false
		}
		c.WriteError("NOAUTH Authentication required.")
		return true
	}
	if ps.multi {
		switch cmd {
		case "EXEC":
			return e.exec(c, ps)
		case "DISCARD":
			ps.multi, ps.queue = false, nil
			return false
		case "MULTI", "WATCH":
			return false // miniredis answers with the error
		}
		ps.queue = append(ps.queue, line(cmd, args))
		return false
	}
	switch cmd {
	case "MULTI":
		ps.multi, ps.queue = true, nil
		return false
	case "EXEC", "DISCARD":
		return false
	case "WATCH":
		c.WriteError("ERR WATCH is not supported by newsalert's embedded store")
		return true
	case "SELECT":
		if len(args) == 1 && args[0] != "0" {
			c.WriteError("ERR newsalert's embedded store has only database 0")
			return true
		}
		return false
	case "SWAPDB", "MOVE":
		c.WriteError("ERR newsalert's embedded store has only database 0")
		return true
	case "SCRIPT":
		if len(args) == 2 && strings.EqualFold(args[0], "LOAD") {
			e.rememberScript(args[1])
		}
		return false
	case "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH", "BZPOPMIN", "BZPOPMAX", "BLMPOP", "BZMPOP":
		c.WriteError("ERR blocking commands are not supported by newsalert's embedded store")
		return true
	case "XREAD", "XREADGROUP":
		// A blocked read would hold the write lock: it answers at once.
		args = withoutBlock(args)
	}
	if ttlReads[cmd] && len(args) == 1 {
		e.order.Lock()
		defer e.order.Unlock()
		now := e.clockNow()
		e.expireLocked(now)
		e.answerTTL(c, cmd, args[0], now)
		return true
	}
	if passCommands[cmd] || !e.srv.Server().IsRegisteredCommand(cmd) {
		return false
	}
	if e.srv.IsReadOnlyCommand(cmd) && !strings.HasSuffix(cmd, "_RO") {
		e.expireDue()
		return false
	}
	l := line(cmd, args)
	e.write(c, []string{cmd}, args, [][]string{l}, [][]string{e.journalForm(l)})
	return true
}

// exec runs a transaction's EXEC with what was queued.
func (e *Embedded) exec(c *server.Peer, ps *peerState) bool {
	queue := ps.queue
	ps.multi, ps.queue = false, nil
	if ctxBool(c, "dirtyTransaction") {
		return false // miniredis answers EXECABORT; nothing runs
	}
	j := make([][]string, 0, len(queue)+2)
	j = append(j, []string{"MULTI"})
	for _, q := range queue {
		j = append(j, e.journalForm(q))
	}
	j = append(j, []string{"EXEC"})
	e.write(c, []string{"EXEC"}, nil, queue, j)
	return true
}

// write runs one write (cmd args, or EXEC of cmds) under the write lock at
// a pinned time, tracks the TTLs of cmds and journals j.
func (e *Embedded) write(c *server.Peer, cmd []string, args []string, cmds [][]string, j [][]string) {
	e.order.Lock()
	a, wait := e.writeLocked(c, cmd, args, cmds, j)
	e.order.Unlock()
	if wait {
		// FsyncAlways: the reply leaves once the record is on the disk.
		if err := e.jw.syncTo(a); err != nil {
			e.noteJournalError(err)
		}
	}
}

func (e *Embedded) writeLocked(c *server.Peer, cmd []string, args []string, cmds [][]string, j [][]string) (appended, bool) {
	at := e.begin()
	keys := make([][]string, len(cmds))
	for i, l := range cmds {
		keys[i] = ttlKeys(l)
		e.refreshTTL(at, keys[i])
	}
	scripted := cmd[0] == "EXEC" || strings.HasPrefix(cmd[0], "EVAL") || strings.HasPrefix(cmd[0], "FCALL")
	if scripted {
		e.inCall.Store(true)
	}
	if scripted || randomCommands[cmd[0]] {
		// Random picks (SPOP, SRANDMEMBER...) come from a generator
		// seeded with the write's time: a replay picks the same.
		e.srv.Seed(int(at))
	}
	prev := e.passthrough.Swap(c)
	e.srv.Server().Dispatch(c, append(cmd, args...))
	e.passthrough.Store(prev)
	if scripted {
		e.inCall.Store(false)
	}
	for i, l := range cmds {
		e.updateTTL(at, l, keys[i])
	}
	for _, l := range cmds {
		if len(l) > 1 && l[0] == "EVAL" {
			e.rememberScript(l[1])
		}
	}
	return e.end(at, j)
}

// nestedCall handles a command a script runs. The write lock is held by
// the EVAL or EXEC that runs the script, and so is miniredis's own lock:
// the store reads and changes TTLs through commands on the script's
// connection state (nestedDo), never through miniredis's direct API.
func (e *Embedded) nestedCall(c *server.Peer, cmd string, args []string) bool {
	at := e.lastAt
	if ttlReads[cmd] && len(args) == 1 {
		if n, _ := e.nestedDo(c, "EXISTS", args[0]); n == 0 {
			c.WriteInt(-2)
			return true
		}
		e.answerTTL(c, cmd, args[0], at)
		return true
	}
	l := line(cmd, args)
	keys := ttlKeys(l)
	if keys == nil {
		return false
	}
	for _, k := range keys {
		if d, ok := e.ttl.get(k); ok {
			e.nestedDo(c, "PEXPIRE", k, strconv.FormatInt(max(1, (d-at)/int64(time.Millisecond)), 10))
		}
	}
	prev := e.passthrough.Swap(c)
	e.srv.Server().Dispatch(c, l)
	e.passthrough.Store(prev)
	if len(keys) == 0 {
		e.ttl.reset()
		return true
	}
	for _, k := range keys {
		if ms, err := e.nestedDo(c, "PTTL", k); err == nil && ms > 0 {
			e.ttl.set(k, at+int64(ms)*int64(time.Millisecond))
		} else {
			e.ttl.clear(k)
		}
	}
	return true
}

// nestedDo runs a command with the connection state of the script that c
// belongs to, past the hook, and returns its integer reply.
func (e *Embedded) nestedDo(c *server.Peer, args ...string) (int, error) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	p := server.NewPeer(w)
	p.Ctx = c.Ctx
	prev := e.passthrough.Swap(p)
	e.srv.Server().Dispatch(p, args)
	e.passthrough.Store(prev)
	w.Flush()
	r, err := server.ParseReply(bufio.NewReader(&buf))
	if err != nil {
		return 0, err
	}
	n, _ := r.(int)
	return n, nil
}

// begin pins miniredis's clock to the time of the write about to run and
// deletes the keys due by then. The write lock is held.
func (e *Embedded) begin() int64 {
	at := e.replayAt
	if at == 0 {
		at = e.opts.Now().UnixNano()
	}
	if at < e.lastAt {
		at = e.lastAt // keep time (and stream ids) moving forward
	}
	e.lastAt = at
	e.srv.SetTime(time.Unix(0, at))
	e.expireLocked(at)
	return at
}

// end journals the write that ran at at and unpins the clock. The write
// lock is held; the reply is still unsent. It tells whether the caller
// must wait for the record to reach the disk (FsyncAlways).
func (e *Embedded) end(at int64, j [][]string) (appended, bool) {
	if e.replayAt != 0 {
		return appended{}, false
	}
	e.srv.SetTime(time.Time{})
	if e.jw == nil {
		return appended{}, false
	}
	a, err := e.jw.append(encodeRecord(record{At: at, Cmds: j}))
	if err != nil {
		e.noteJournalError(err)
		return a, false
	}
	return a, e.opts.Fsync == FsyncAlways
}

// clockNow is the time reads and the timer compare deadlines with.
func (e *Embedded) clockNow() int64 {
	if e.replayAt != 0 {
		return e.replayAt
	}
	return e.opts.Now().UnixNano()
}

// journalForm is how a command is journaled: EVALSHA becomes EVAL with the
// script's text, so that a replay does not depend on the script cache.
func (e *Embedded) journalForm(l []string) []string {
	if len(l) < 2 || !strings.EqualFold(l[0], "EVALSHA") {
		return l
	}
	e.scriptsMu.Lock()
	body, ok := e.scripts[strings.ToLower(l[1])]
	e.scriptsMu.Unlock()
	if !ok {
		return l
	}
	out := append([]string{"EVAL", body}, l[2:]...)
	return out
}

func (e *Embedded) rememberScript(body string) {
	sum := sha1.Sum([]byte(body))
	e.scriptsMu.Lock()
	e.scripts[hex.EncodeToString(sum[:])] = body
	e.scriptsMu.Unlock()
}

// passwordOK checks AUTH's arguments: [password] or [user password]; from
// HELLO's AUTH option (want 2) always user and password.
func (e *Embedded) passwordOK(args []string, want int) bool {
	var pw string
	switch {
	case want == 2 && len(args) >= 2:
		pw = args[1]
	case want == 0 && len(args) == 1:
		pw = args[0]
	case want == 0 && len(args) == 2:
		pw = args[1]
	default:
		return false
	}
	return subtle.ConstantTimeCompare([]byte(pw), []byte(e.password)) == 1
}

// peer returns c's state, creating it on the connection's first command.
func (e *Embedded) peer(c *server.Peer) *peerState {
	if ps, ok := e.peers.Load(c); ok {
		return ps.(*peerState)
	}
	ps := &peerState{}
	e.peers.Store(c, ps)
	c.OnDisconnect(func() { e.peers.Delete(c) })
	return ps
}

// withoutBlock drops the BLOCK option of XREAD and XREADGROUP.
func withoutBlock(args []string) []string {
	for i := 0; i+1 < len(args); i++ {
		if strings.EqualFold(args[i], "STREAMS") {
			break
		}
		if strings.EqualFold(args[i], "BLOCK") {
			return append(append([]string{}, args[:i]...), args[i+2:]...)
		}
	}
	return args
}

func line(cmd string, args []string) []string {
	l := make([]string, 0, len(args)+1)
	l = append(l, cmd)
	return append(l, args...)
}

// isNested tells whether c is the connection miniredis makes for the
// commands of a running script.
func isNested(c *server.Peer) bool { return ctxBool(c, "nested") }

// ctxBool reads a boolean field of miniredis's per-connection state, which
// it keeps unexported in Peer.Ctx. A test checks the fields still exist.
func ctxBool(c *server.Peer, name string) bool {
	if c.Ctx == nil {
		return false
	}
	v := reflect.ValueOf(c.Ctx)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return false
	}
	v = v.Elem()
	if v.Kind() != reflect.Struct {
		return false
	}
	f := v.FieldByName(name)
	return f.IsValid() && f.Kind() == reflect.Bool && f.Bool()
}

// answerTTL replies to TTL, PTTL, EXPIRETIME or PEXPIRETIME from the
// deadline index. The write lock is held.
func (e *Embedded) answerTTL(c *server.Peer, cmd, key string, now int64) {
	if !isNested(c) && !e.srv.Exists(key) {
		c.WriteInt(-2)
		return
	}
	at, ok := e.ttl.get(key)
	if !ok {
		c.WriteInt(-1)
		return
	}
	left := at - now
	switch cmd {
	case "TTL":
		c.WriteInt(int((left + int64(500*time.Millisecond)) / int64(time.Second)))
	case "PTTL":
		c.WriteInt(int((left + int64(500*time.Microsecond)) / int64(time.Millisecond)))
	case "EXPIRETIME":
		c.WriteInt(int(at / int64(time.Second)))
	default:
		c.WriteInt(int(at / int64(time.Millisecond)))
	}
}

// ttlKeys lists the keys whose TTL the command l may set, move or clear.
func ttlKeys(l []string) []string {
	if len(l) < 2 {
		if len(l) == 1 && (l[0] == "FLUSHDB" || l[0] == "FLUSHALL") {
			return []string{}
		}
		return nil
	}
	switch strings.ToUpper(l[0]) {
	case "SET", "SETEX", "PSETEX", "GETEX", "GETSET", "GETDEL", "EXPIRE", "PEXPIRE", "EXPIREAT",
		"PEXPIREAT", "PERSIST", "RESTORE":
		return l[1:2]
	case "DEL", "UNLINK":
		return l[1:]
	case "RENAME", "RENAMENX", "COPY":
		if len(l) >= 3 {
			return l[1:3]
		}
	case "FLUSHDB", "FLUSHALL":
		return []string{}
	}
	return nil
}

// refreshTTL sets miniredis's stored TTL of keys to what is left of their
// deadline at at: miniredis keeps a TTL as a duration from when it was
// set, and the commands that read or carry it (KEEPTTL, GETEX, RENAME,
// EXPIRE GT/LT) must see the time really left.
func (e *Embedded) refreshTTL(at int64, keys []string) {
	for _, k := range keys {
		if d, ok := e.ttl.get(k); ok && e.srv.Exists(k) {
			e.srv.SetTTL(k, time.Duration(d-at))
		}
	}
}

// updateTTL records in the index the deadlines that command l left on its
// keys, run at at.
func (e *Embedded) updateTTL(at int64, l []string, keys []string) {
	if keys == nil {
		return
	}
	if len(keys) == 0 { // FLUSHDB, FLUSHALL
		e.ttl.reset()
		return
	}
	for _, k := range keys {
		if !e.srv.Exists(k) {
			e.ttl.clear(k)
			continue
		}
		if d := e.srv.TTL(k); d > 0 {
			e.ttl.set(k, at+int64(d))
		} else {
			e.ttl.clear(k)
		}
	}
}

// expireDue deletes the keys that are due, when any is (a read's check:
// one atomic load when nothing is due).
func (e *Embedded) expireDue() {
	now := e.clockNow()
	if e.ttl.next() > now {
		return
	}
	e.order.Lock()
	defer e.order.Unlock()
	e.expireLocked(now)
}

// expireLocked deletes the keys whose deadline is at or before now. The
// write lock is held. Expiry is not journaled: a replay deletes the same
// keys at the same point, as it runs each write at its recorded time.
func (e *Embedded) expireLocked(now int64) {
	e.ttl.due(now, func(k string) {
		if e.srv.Exists(k) && e.srv.TTL(k) != 0 {
			e.srv.Del(k)
		}
	})
}
