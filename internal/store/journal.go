package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
)

// The journal is an append-only file of records, one per acknowledged
// write (a command, a MULTI/EXEC transaction or a script), each with the
// time it ran at so that a replay reproduces it exactly:
//
//	header:  "NAJRNL\r\n" | format uint32 | generation uint64
//	record:  length uint32 | crc32c(payload) uint32 | payload
//	payload: unix nanoseconds int64 | commands uvarint | per command:
//	         arguments uvarint | per argument: length uvarint | bytes
//
// All integers of the frame are big-endian. The generation ties a journal to
// the snapshot it follows (see layout.go).
const (
	journalMagic    = "NAJRNL\r\n"
	journalFormat   = 1
	journalHeader   = len(journalMagic) + 4 + 8
	recordFrame     = 8
	maxRecordLength = 1 << 30
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// record is one journaled write.
type record struct {
	At   int64      // unix nanoseconds the write ran at
	Cmds [][]string // the commands, as dispatched
}

// encodeRecord frames r for appending.
func encodeRecord(r record) []byte {
	size := recordFrame + 8 + binary.MaxVarintLen64
	for _, c := range r.Cmds {
		size += binary.MaxVarintLen64
		for _, a := range c {
			size += binary.MaxVarintLen64 + len(a)
		}
	}
	b := make([]byte, recordFrame, size)
	b = binary.BigEndian.AppendUint64(b, uint64(r.At))
	b = binary.AppendUvarint(b, uint64(len(r.Cmds)))
	for _, c := range r.Cmds {
		b = binary.AppendUvarint(b, uint64(len(c)))
		for _, a := range c {
			b = binary.AppendUvarint(b, uint64(len(a)))
			b = append(b, a...)
		}
	}
	payload := b[recordFrame:]
	binary.BigEndian.PutUint32(b[0:4], uint32(len(payload)))
	binary.BigEndian.PutUint32(b[4:8], crc32.Checksum(payload, castagnoli))
	return b
}

// decodePayload parses a record's payload (its checksum already checked).
func decodePayload(p []byte) (record, error) {
	var r record
	if len(p) < 8 {
		return r, errors.New("record too short")
	}
	r.At = int64(binary.BigEndian.Uint64(p))
	p = p[8:]
	next := func() (uint64, error) {
		v, n := binary.Uvarint(p)
		if n <= 0 {
			return 0, errors.New("bad length")
		}
		p = p[n:]
		return v, nil
	}
	n, err := next()
	if err != nil || n == 0 || n > uint64(len(p)) {
		return r, errors.New("bad command count")
	}
	r.Cmds = make([][]string, 0, n)
	for range n {
		argc, err := next()
		if err != nil || argc == 0 || argc > uint64(len(p)) {
			return r, errors.New("bad argument count")
		}
		cmd := make([]string, 0, argc)
		for range argc {
			l, err := next()
			if err != nil || l > uint64(len(p)) {
				return r, errors.New("bad argument length")
			}
			cmd = append(cmd, string(p[:l]))
			p = p[l:]
		}
		r.Cmds = append(r.Cmds, cmd)
	}
	if len(p) != 0 {
		return r, errors.New("trailing bytes")
	}
	return r, nil
}

func journalHeaderBytes(gen uint64) []byte {
	b := []byte(journalMagic)
	b = binary.BigEndian.AppendUint32(b, journalFormat)
	return binary.BigEndian.AppendUint64(b, gen)
}

// DamageError is a damaged or unreadable store file: the start stops and
// the files are left as they are.
type DamageError struct {
	Path   string
	Offset int64
	Reason string
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("%s at offset %d: %s (the files are left untouched; restore a backup or move the file away)", e.Path, e.Offset, e.Reason)
}

// journalScan is what reading a journal found.
type journalScan struct {
	Gen     uint64
	Records int
	// Good is the offset after the last whole record; TornAt is where a
	// torn last record starts, -1 when there is none.
	Good, TornAt int64
}

// readJournal checks the header of the journal at path and calls apply for
// each record in order. A torn last record (cut short, or failing its
// checksum with nothing after it) ends the scan with TornAt set; damage
// anywhere else is a *DamageError.
func readJournal(path string, apply func(record) error) (journalScan, error) {
	s := journalScan{TornAt: -1}
	data, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if len(data) < journalHeader || string(data[:len(journalMagic)]) != journalMagic {
		if len(data) < journalHeader && bytes.HasPrefix([]byte(journalMagic), data[:min(len(data), len(journalMagic))]) {
			// A crash while the header was written: an empty journal.
			s.TornAt = 0
			return s, nil
		}
		return s, &DamageError{Path: path, Offset: 0, Reason: "not a newsalert journal"}
	}
	if f := binary.BigEndian.Uint32(data[len(journalMagic):]); f != journalFormat {
		return s, &DamageError{Path: path, Offset: int64(len(journalMagic)), Reason: fmt.Sprintf("journal format %d, this build reads format %d (a newer newsalert wrote it)", f, journalFormat)}
	}
	s.Gen = binary.BigEndian.Uint64(data[len(journalMagic)+4:])
	off := int64(journalHeader)
	for off < int64(len(data)) {
		rest := data[off:]
		torn := func(reason string) (journalScan, error) {
			if isZero(rest) || tailOnly(rest) {
				s.Good, s.TornAt = off, off
				return s, nil
			}
			return s, &DamageError{Path: path, Offset: off, Reason: reason}
		}
		if len(rest) < recordFrame {
			return torn("record header cut short")
		}
		n := int64(binary.BigEndian.Uint32(rest))
		if n == 0 || n > maxRecordLength {
			return torn("bad record length")
		}
		if int64(len(rest)) < recordFrame+n {
			s.Good, s.TornAt = off, off // cut short: the crash was mid-append
			return s, nil
		}
		payload := rest[recordFrame : recordFrame+n]
		if crc32.Checksum(payload, castagnoli) != binary.BigEndian.Uint32(rest[4:]) {
			if int64(len(rest)) == recordFrame+n {
				s.Good, s.TornAt = off, off
				return s, nil
			}
			return s, &DamageError{Path: path, Offset: off, Reason: "record checksum mismatch"}
		}
		r, err := decodePayload(payload)
		if err != nil {
			return s, &DamageError{Path: path, Offset: off, Reason: err.Error()}
		}
		if err := apply(r); err != nil {
			return s, fmt.Errorf("%s at offset %d: replay: %w", path, off, err)
		}
		s.Records++
		off += recordFrame + n
	}
	s.Good = off
	return s, nil
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// tailOnly tells whether rest cannot hold a record followed by more data:
// its header is short or its length reaches past the end.
func tailOnly(rest []byte) bool {
	if len(rest) < recordFrame {
		return true
	}
	n := int64(binary.BigEndian.Uint32(rest))
	return int64(len(rest)) <= recordFrame+n
}

// FsyncPolicy says when the journal is flushed to the disk.
type FsyncPolicy string

const (
	// FsyncEverySec flushes once a second: a power cut loses at most the
	// last second; a killed process loses nothing (the writes are in the
	// operating system's cache).
	FsyncEverySec FsyncPolicy = "everysec"
	// FsyncAlways flushes before each write is acknowledged.
	FsyncAlways FsyncPolicy = "always"
	// fsyncNone journals nothing (benchmarks only).
	fsyncNone FsyncPolicy = "none"
)

// journalFile is what the journal needs of its file; tests inject one that
// fails like a full disk.
type journalFile interface {
	io.Writer
	Sync() error
	Truncate(size int64) error
	Seek(offset int64, whence int) (int64, error)
	Close() error
}

// journalWriter appends records to the current journal file. A failed
// append (a full disk) keeps the record in memory and the writer degraded
// until retry writes the backlog out.
type journalWriter struct {
	mu       sync.Mutex
	f        journalFile
	path     string
	gen      uint64
	size     int64 // offset after the last whole record
	policy   FsyncPolicy
	backlog  [][]byte
	unsynced bool
	err      error // why the journal is degraded; nil when healthy

	syncMu sync.Mutex // held by the one fsync under way (FsyncAlways)
	synced int64      // offset of gen known to be on the disk
}

// appended is where a record ends, for FsyncAlways's wait.
type appended struct {
	gen uint64
	end int64
}

// append writes rec (already encoded) at the end of the journal. The
// error, when not nil, means the record is only in memory for now. With
// FsyncAlways the caller then waits for syncTo before it acknowledges.
func (w *journalWriter) append(rec []byte) (appended, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.backlog) > 0 {
		w.backlog = append(w.backlog, rec)
		return appended{}, w.err
	}
	if err := w.writeLocked(rec); err != nil {
		w.backlog = append(w.backlog, rec)
		w.err = err
		return appended{}, err
	}
	w.unsynced = true
	return appended{gen: w.gen, end: w.size}, nil
}

// syncTo returns once the journal is on the disk up to a: the first caller
// fsyncs for every record appended so far, the others wait for it (group
// commit).
func (w *journalWriter) syncTo(a appended) error {
	w.syncMu.Lock()
	defer w.syncMu.Unlock()
	w.mu.Lock()
	if a.gen != w.gen { // a compaction synced and closed that file
		w.mu.Unlock()
		return nil
	}
	if w.synced >= a.end {
		w.mu.Unlock()
		return nil
	}
	f, upTo := w.f, w.size
	w.mu.Unlock()
	if err := f.Sync(); err != nil {
		w.mu.Lock()
		w.err = fmt.Errorf("fsync %s: %w", w.path, err)
		w.mu.Unlock()
		return err
	}
	w.mu.Lock()
	if w.gen == a.gen {
		w.synced = upTo
	}
	w.mu.Unlock()
	return nil
}

// writeLocked writes rec whole or cuts the file back to where it was.
func (w *journalWriter) writeLocked(rec []byte) error {
	n, err := w.f.Write(rec)
	if err == nil && n == len(rec) {
		w.size += int64(n)
		return nil
	}
	if err == nil {
		err = io.ErrShortWrite
	}
	if terr := w.f.Truncate(w.size); terr != nil {
		err = errors.Join(err, fmt.Errorf("cut the partial record: %w", terr))
	}
	w.f.Seek(w.size, io.SeekStart)
	return fmt.Errorf("append to %s: %w", w.path, err)
}

// flush writes the backlog and fsyncs what is not yet on the disk. It
// returns the error that keeps the journal degraded, or nil.
func (w *journalWriter) flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.backlog) > 0 {
		if err := w.writeLocked(w.backlog[0]); err != nil {
			w.err = err
			return err
		}
		w.backlog[0] = nil
		w.backlog = w.backlog[1:]
	}
	if w.unsynced {
		if err := w.f.Sync(); err != nil {
			w.err = fmt.Errorf("fsync %s: %w", w.path, err)
			return w.err
		}
		w.unsynced = false
		w.synced = w.size
	}
	w.err = nil
	return nil
}

// health is the error that keeps the journal degraded, or nil.
func (w *journalWriter) health() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// swap makes nf (generation gen, header written and synced) the file new
// records go to, after writing out and syncing the old one. It fails, and
// keeps the old file, when the backlog cannot be written.
func (w *journalWriter) swap(nf journalFile, path string, gen uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for len(w.backlog) > 0 {
		if err := w.writeLocked(w.backlog[0]); err != nil {
			w.err = err
			return err
		}
		w.backlog = w.backlog[1:]
	}
	if err := w.f.Sync(); err != nil {
		w.err = fmt.Errorf("fsync %s: %w", w.path, err)
		return w.err
	}
	w.f.Close()
	w.f, w.path, w.gen, w.size, w.unsynced, w.err = nf, path, gen, int64(journalHeader), false, nil
	w.synced = w.size
	return nil
}

// close flushes and closes the file.
func (w *journalWriter) close() error {
	err := w.flush()
	w.mu.Lock()
	defer w.mu.Unlock()
	return errors.Join(err, w.f.Close())
}

// sizeNow is the journal's length in bytes, backlog included.
func (w *journalWriter) sizeNow() int64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := w.size
	for _, b := range w.backlog {
		n += int64(len(b))
	}
	return n
}
