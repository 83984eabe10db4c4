package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/alicebob/miniredis/v2/server"
)

// The data folder of the embedded store holds:
//
//	newsalert.snapshot           the state at the start of journal generation G
//	newsalert.<G>.journal        every write since, in order (and G+1... when a
//	                             compaction was cut short: they follow each other)
//	newsalert.lock               the owning process's lock and id
//
// Compaction writes journal G+1's header (fsynced with the folder) and
// sends new writes there, then writes the snapshot of that moment with
// generation G+1 (temp file, fsync, rename, folder fsync), then deletes
// journal G. A crash between any two steps leaves the snapshot and a chain
// of journals that starts at its generation: one truth.
const (
	// SnapshotFile is the name of the embedded store's snapshot in the
	// data folder.
	SnapshotFile = "newsalert.snapshot"
	tempMark     = ".tmp-"
	// compactRatio and compactMinBytes: the journal is compacted when it
	// grows past compactRatio times the snapshot, and past compactMinBytes.
	compactRatio    = 2
	compactMinBytes = 8 << 20
)

// JournalName is the file name of journal generation gen.
func JournalName(gen uint64) string { return fmt.Sprintf("newsalert.%06d.journal", gen) }

// parseJournalName returns the generation of a journal file name.
func parseJournalName(name string) (uint64, bool) {
	mid, ok := strings.CutPrefix(name, "newsalert.")
	if !ok {
		return 0, false
	}
	mid, ok = strings.CutSuffix(mid, ".journal")
	if !ok {
		return 0, false
	}
	g, err := strconv.ParseUint(mid, 10, 64)
	return g, err == nil && g > 0
}

// EmbeddedOptions configure StartEmbedded.
type EmbeddedOptions struct {
	Fsync  FsyncPolicy // default FsyncEverySec
	Logger *slog.Logger
	// CompactMinBytes overrides compactMinBytes (tests).
	CompactMinBytes int64
	// Now is the clock writes run at and keys expire by; default
	// time.Now. Benchmarks simulate days with a virtual one.
	Now func() time.Time

	readOnly bool                                   // load the state only (migrate): no lock, nothing written
	fault    func(step string) error                // tests: a compaction stops ("snapshot", "cleanup")
	openFile func(path string) (journalFile, error) // tests inject a failing disk
}

// Embedded is the in-process Redis-compatible server, its journal and its
// snapshots.
type Embedded struct {
	srv      *miniredis.Miniredis
	dir      string
	path     string // the snapshot
	password string
	log      *slog.Logger
	opts     EmbeddedOptions
	lock     *dirLock
	restored int

	// order is the write lock: every write, the expiry of keys and the
	// dump of a snapshot hold it.
	order       sync.Mutex
	passthrough atomic.Pointer[server.Peer]
	inCall      atomic.Bool
	ttl         *deadlines
	replayAt    int64 // during the start's replay, the time of the record
	lastAt      int64 // time of the last write; writes never go back in time
	jw          *journalWriter
	ip          *inproc // the store's own connection (load, replay, dump)
	peers       sync.Map
	scriptsMu   sync.Mutex
	scripts     map[string]string
	degraded    atomic.Bool

	compactMu sync.Mutex // one compaction at a time
	mu        sync.Mutex
	lastSave  time.Time
	lastErr   error
	snapSize  int64

	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// StartEmbedded locks dataDir, starts miniredis on a loopback port behind
// a password generated for this start, loads the last snapshot and replays
// the journals after it. Keys expire on the wall clock through the
// deadline index. A damaged file stops the start with a *DamageError and
// is left as it is; a torn last record is dropped with a warning.
func StartEmbedded(ctx context.Context, dataDir string, opts EmbeddedOptions) (*Embedded, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Fsync == "" {
		opts.Fsync = FsyncEverySec
	}
	if opts.openFile == nil {
		opts.openFile = func(path string) (journalFile, error) {
			return os.OpenFile(path, os.O_RDWR, 0o600)
		}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.CompactMinBytes <= 0 {
		opts.CompactMinBytes = compactMinBytes
	}
	e := &Embedded{
		dir: dataDir, path: filepath.Join(dataDir, SnapshotFile), log: opts.Logger, opts: opts,
		ttl: newDeadlines(), scripts: map[string]string{}, stop: make(chan struct{}),
	}
	if !opts.readOnly {
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("create data folder %s: %w", dataDir, err)
		}
		l, err := lockDataDir(dataDir)
		if err != nil {
			return nil, err
		}
		e.lock = l
	}
	if err := e.start(); err != nil {
		e.lock.release()
		return nil, err
	}
	e.wg.Add(1)
	go e.loop()
	return e, nil
}

func (e *Embedded) start() error {
	pw := make([]byte, 24)
	if _, err := rand.Read(pw); err != nil {
		return fmt.Errorf("generate the embedded store's password: %w", err)
	}
	e.password = hex.EncodeToString(pw)
	e.srv = miniredis.NewMiniRedis()
	e.srv.RequireAuth(e.password)
	if err := e.srv.StartAddr("127.0.0.1:0"); err != nil {
		return fmt.Errorf("start embedded store: %w", err)
	}
	e.srv.Server().SetPreHook(e.hook)
	e.ip = newInproc(e)
	if err := e.restore(); err != nil {
		e.srv.Close()
		return err
	}
	return nil
}

// restore loads the snapshot and replays the journals, then opens the last
// journal for appending (creating the first one in a new folder).
func (e *Embedded) restore() error {
	if !e.opts.readOnly {
		e.removeTemps()
	}
	snap, err := readSnapshot(e.path)
	haveSnap := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read snapshot: %w", err)
	}
	gens, err := e.journals()
	if err != nil {
		return err
	}
	first := uint64(1)
	if haveSnap {
		first = snap.Generation
		if st, err := os.Stat(e.path); err == nil {
			e.snapSize = st.Size()
		}
	}
	var chain []uint64
	for _, g := range gens {
		switch {
		case g < first && haveSnap:
			if !e.opts.readOnly {
				// Left by a compaction that ended before deleting it.
				os.Remove(filepath.Join(e.dir, JournalName(g)))
			}
		default:
			chain = append(chain, g)
		}
	}
	for i, g := range chain {
		if g != first+uint64(i) {
			missing := JournalName(first + uint64(i))
			if !haveSnap && i == 0 {
				return fmt.Errorf("%s: its snapshot %s is missing (the files are left untouched; restore a backup)", filepath.Join(e.dir, JournalName(g)), e.path)
			}
			return fmt.Errorf("%s is missing before %s (the files are left untouched; restore a backup)", filepath.Join(e.dir, missing), filepath.Join(e.dir, JournalName(g)))
		}
	}
	if e.opts.readOnly && !haveSnap && len(chain) == 0 {
		return fmt.Errorf("no snapshot at %s: %w", e.path, os.ErrNotExist)
	}
	e.order.Lock()
	defer e.order.Unlock()
	if haveSnap {
		if err := e.load(snap); err != nil {
			return fmt.Errorf("load snapshot %s: %w", e.path, err)
		}
		e.restored = len(snap.Keys)
	}
	var last journalScan
	for i, g := range chain {
		path := filepath.Join(e.dir, JournalName(g))
		scan, err := readJournal(path, e.replay)
		if err != nil {
			return fmt.Errorf("read journal: %w", err)
		}
		if scan.Gen != g && scan.TornAt != 0 {
			return &DamageError{Path: path, Offset: int64(len(journalMagic) + 4), Reason: fmt.Sprintf("generation %d in a file named for %d", scan.Gen, g)}
		}
		if scan.TornAt >= 0 {
			if i != len(chain)-1 {
				return &DamageError{Path: path, Offset: scan.TornAt, Reason: "torn record in a journal that a later one follows"}
			}
			e.log.Warn("store: dropped a torn last journal record (the process stopped while writing it; it was never acknowledged)", "file", path, "offset", scan.TornAt)
		}
		last = scan
	}
	e.replayAt = 0
	e.srv.SetTime(time.Time{})
	e.expireLocked(e.opts.Now().UnixNano())
	if e.opts.readOnly || e.opts.Fsync == fsyncNone {
		return nil
	}
	if len(chain) == 0 {
		return e.createJournal(first)
	}
	return e.openJournal(chain[len(chain)-1], last)
}

// replay applies one journal record during the start.
func (e *Embedded) replay(r record) error {
	e.replayAt = r.At
	e.order.Unlock() // the hook takes it for each write
	defer e.order.Lock()
	for _, l := range r.Cmds {
		e.ip.dispatch(l)
	}
	return nil
}

// journals lists the generations of the journal files in the folder.
func (e *Embedded) journals() ([]uint64, error) {
	ents, err := os.ReadDir(e.dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && e.opts.readOnly {
			return nil, nil
		}
		return nil, fmt.Errorf("list data folder: %w", err)
	}
	var gens []uint64
	for _, d := range ents {
		if g, ok := parseJournalName(d.Name()); ok {
			gens = append(gens, g)
		}
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i] < gens[j] })
	return gens, nil
}

// removeTemps deletes temp files a crash left mid-snapshot or mid-journal.
func (e *Embedded) removeTemps() {
	ents, _ := os.ReadDir(e.dir)
	for _, d := range ents {
		if strings.HasPrefix(d.Name(), "newsalert.") && strings.Contains(d.Name(), tempMark) {
			path := filepath.Join(e.dir, d.Name())
			if os.Remove(path) == nil {
				e.log.Info("store: removed a temp file left by an interrupted write", "file", path)
			}
		}
	}
}

// createJournal writes a new journal's header through a temp file and
// renames it into place, fsyncing file and folder, and makes it the one
// writes are appended to.
func (e *Embedded) createJournal(gen uint64) error {
	f, path, err := e.newJournalFile(gen)
	if err != nil {
		return err
	}
	e.jw = &journalWriter{f: f, path: path, gen: gen, size: int64(journalHeader), policy: e.opts.Fsync}
	return nil
}

func (e *Embedded) newJournalFile(gen uint64) (journalFile, string, error) {
	path := filepath.Join(e.dir, JournalName(gen))
	tmp, err := os.CreateTemp(e.dir, JournalName(gen)+tempMark+"*")
	if err != nil {
		return nil, "", fmt.Errorf("create journal: %w", err)
	}
	_, err = tmp.Write(journalHeaderBytes(gen))
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err == nil {
		err = syncDir(e.dir)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return nil, "", fmt.Errorf("create journal %s: %w", path, err)
	}
	f, err := e.opts.openFile(path)
	if err == nil {
		_, err = f.Seek(0, 2)
	}
	if err != nil {
		return nil, "", fmt.Errorf("open journal %s: %w", path, err)
	}
	return f, path, nil
}

// openJournal opens the last journal for appending, cutting a torn last
// record.
func (e *Embedded) openJournal(gen uint64, scan journalScan) error {
	path := filepath.Join(e.dir, JournalName(gen))
	if scan.TornAt == 0 {
		// Not even a whole header: start the file again.
		os.Remove(path)
		return e.createJournal(gen)
	}
	f, err := e.opts.openFile(path)
	if err != nil {
		return fmt.Errorf("open journal %s: %w", path, err)
	}
	if scan.TornAt > 0 {
		if err := f.Truncate(scan.Good); err != nil {
			f.Close()
			return fmt.Errorf("cut the torn record of %s at offset %d: %w", path, scan.Good, err)
		}
		f.Sync()
	}
	if _, err := f.Seek(scan.Good, 0); err != nil {
		f.Close()
		return fmt.Errorf("open journal %s: %w", path, err)
	}
	e.jw = &journalWriter{f: f, path: path, gen: gen, size: scan.Good, policy: e.opts.Fsync}
	return nil
}

// Addr is the embedded server's host:port on loopback.
func (e *Embedded) Addr() string { return e.srv.Addr() }

// Password is the password this start generated; connections that do not
// send it are refused.
func (e *Embedded) Password() string { return e.password }

// Restored is how many keys the snapshot held at the start.
func (e *Embedded) Restored() int { return e.restored }

// loop is the timer: it deletes due keys and, once a second, fsyncs the
// journal (everysec) and retries writes a full disk refused.
func (e *Embedded) loop() {
	defer e.wg.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-e.stop:
			return
		case <-t.C:
		}
		e.expireDue()
		if n%10 == 0 && e.jw != nil {
			e.flushJournal()
		}
	}
}

// flushJournal fsyncs and writes the backlog; it logs when the journal
// goes back to normal.
func (e *Embedded) flushJournal() {
	err := e.jw.flush()
	if err == nil && e.degraded.CompareAndSwap(true, false) {
		e.log.Info("store: journal writes resumed; everything kept in memory is on the disk again")
	}
	if err != nil {
		e.noteJournalError(err)
	}
}

// noteJournalError logs the first failure of a run of them.
func (e *Embedded) noteJournalError(err error) {
	if e.degraded.CompareAndSwap(false, true) {
		e.log.Error("store: journal write failed; serving from memory and retrying every second", "err", err)
	}
}

// Ready reports why the store cannot keep what it is told (a full disk),
// or nil.
func (e *Embedded) Ready() error {
	if e.jw != nil {
		if err := e.jw.health(); err != nil {
			return fmt.Errorf("journal failing: %w", err)
		}
	}
	if _, err := e.LastSnapshot(); err != nil {
		return fmt.Errorf("snapshot failing: %w", err)
	}
	return nil
}

// LastSnapshot tells when the last snapshot was written and the error of
// the last attempt, for /readyz and metrics.
func (e *Embedded) LastSnapshot() (time.Time, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.lastSave, e.lastErr
}

// Snapshot compacts: it writes the state of this moment as a new snapshot
// and starts a new journal (see the file layout above). On failure the
// previous snapshot and journals stay and remain the truth.
func (e *Embedded) Snapshot() error {
	start := time.Now()
	size, err := e.compact()
	e.mu.Lock()
	e.lastErr = err
	if err == nil {
		e.lastSave = time.Now()
		e.snapSize = size
	}
	e.mu.Unlock()
	if err != nil {
		return fmt.Errorf("snapshot embedded store to %s: %w", e.path, err)
	}
	e.log.Debug("store: snapshot written", "path", e.path, "bytes", size, "took", time.Since(start).String())
	return nil
}

func (e *Embedded) compact() (int64, error) {
	if e.opts.readOnly {
		return 0, errors.New("read-only store")
	}
	e.compactMu.Lock()
	defer e.compactMu.Unlock()
	e.order.Lock()
	at := e.begin()
	s, err := e.dumpLocked(at)
	var gen uint64
	if err == nil && e.jw != nil {
		gen = e.jw.gen + 1
		var f journalFile
		var path string
		f, path, err = e.newJournalFile(gen)
		if err == nil {
			if err = e.jw.swap(f, path, gen); err != nil {
				f.Close()
				os.Remove(path)
			}
		}
	}
	e.srv.SetTime(time.Time{})
	e.order.Unlock()
	if err != nil {
		return 0, err
	}
	if e.jw == nil {
		gen = 1
	}
	s.Generation = gen
	if err := e.faultAt("snapshot"); err != nil {
		return 0, err
	}
	size, err := writeSnapshotFile(e.path, s)
	if err != nil {
		return 0, err
	}
	if err := e.faultAt("cleanup"); err != nil {
		return 0, err
	}
	gens, _ := e.journals()
	for _, g := range gens {
		if g < gen {
			os.Remove(filepath.Join(e.dir, JournalName(g)))
		}
	}
	return size, syncDir(e.dir)
}

func (e *Embedded) faultAt(step string) error {
	if e.opts.fault == nil {
		return nil
	}
	return e.opts.fault(step)
}

// Run compacts the journal when it has grown past compactRatio times the
// snapshot until ctx is done, then writes a final snapshot.
func (e *Embedded) Run(ctx context.Context) error {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := e.Snapshot(); err != nil {
				e.log.Error("store: final snapshot failed; the journal keeps every write", "err", err)
				return err
			}
			e.log.Info("store: final snapshot written", "path", e.path)
			return nil
		case <-t.C:
			if e.jw == nil {
				continue
			}
			e.mu.Lock()
			limit := max(e.opts.CompactMinBytes, compactRatio*e.snapSize)
			e.mu.Unlock()
			if e.jw.sizeNow() > limit {
				if err := e.Snapshot(); err != nil {
					e.log.Error("store: compaction failed; the journal keeps growing and every write stays in it", "err", err)
				}
			}
		}
	}
}

// Close stops the timer, flushes the journal, stops the server and drops
// the folder lock. It does not write a snapshot: Run does when its context
// ends.
func (e *Embedded) Close() error {
	e.closeOnce.Do(func() {
		close(e.stop)
		e.wg.Wait()
		e.order.Lock()
		if e.jw != nil {
			e.closeErr = e.jw.close()
		}
		e.order.Unlock()
		e.srv.Close()
		e.lock.release()
	})
	return e.closeErr
}
