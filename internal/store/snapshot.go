package store

import (
	"bufio"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// A snapshot file is a header and a gob-encoded snapshot:
//
//	"NASNAP\r\n" | format uint32 | payload length uint64 | crc32c(payload) uint32 | payload
//
// Files written before the journal existed are a bare gob snapshot with
// Version 1; they are still read.
const (
	snapshotMagic  = "NASNAP\r\n"
	snapshotFormat = 2
	snapshotHeader = len(snapshotMagic) + 4 + 8 + 4
	// snapshotVersion is the Version of the legacy bare-gob files.
	snapshotVersion = 1
)

type snapshot struct {
	Version int
	// Generation is the journal that continues this snapshot: replay
	// starts with the journal of the same generation.
	Generation uint64
	// At is the time the state was taken, unix nanoseconds.
	At   int64
	Keys []keyDump
}

type keyDump struct {
	Key      string
	Type     string
	TTLms    int64 // legacy files: time left when written; 0: no expiry
	ExpireAt int64 // unix nanoseconds; 0: no expiry
	String   string
	Hash     map[string]string
	Set      []string
	ZSet     []redis.Z
	List     []string
	Stream   *streamDump
}

type streamDump struct {
	LastID  string
	Entries []redis.XMessage // legacy files
	Items   []streamItem
	Groups  []groupDump
}

// streamItem is a stream entry with its fields in order.
type streamItem struct {
	ID     string
	Fields []string
}

type groupDump struct {
	Name string
	// LastID is the group's last delivered id. Legacy files hold the id
	// before its oldest pending entry instead.
	LastID    string
	Consumers []string
	Pending   []pendingDump
}

// pendingDump is an entry delivered to a consumer and not yet acknowledged.
type pendingDump struct {
	ID          string
	Consumer    string
	DeliveredMs int64 // unix milliseconds of the last delivery
	Count       int64
}

// writeSnapshotFile writes s as path atomically: a temp file in the same
// folder, fsynced, renamed over path, and the folder fsynced. Any failure,
// the folder's fsync included, is a failed snapshot; the temp file is
// removed and path keeps its previous content unless the rename happened.
// It returns the file's size.
func writeSnapshotFile(path string, s *snapshot) (int64, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+tempMark+"*")
	if err != nil {
		return 0, fmt.Errorf("create temp file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	size, err := writeSnapshotTo(tmp, s)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("rename into place: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return 0, err
	}
	return size, nil
}

// writeSnapshotTo writes the header and payload to f.
func writeSnapshotTo(f *os.File, s *snapshot) (int64, error) {
	if _, err := f.Write(make([]byte, snapshotHeader)); err != nil {
		return 0, err
	}
	crc := crc32.New(castagnoli)
	cw := &countWriter{w: io.MultiWriter(f, crc)}
	bw := bufio.NewWriterSize(cw, 1<<20)
	if err := gob.NewEncoder(bw).Encode(s); err != nil {
		return 0, fmt.Errorf("encode: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return 0, err
	}
	h := []byte(snapshotMagic)
	h = binary.BigEndian.AppendUint32(h, snapshotFormat)
	h = binary.BigEndian.AppendUint64(h, uint64(cw.n))
	h = binary.BigEndian.AppendUint32(h, crc.Sum32())
	if _, err := f.WriteAt(h, 0); err != nil {
		return 0, err
	}
	return int64(snapshotHeader) + cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// syncDir fsyncs a folder, so that a rename or a new file in it lasts.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open folder %s to fsync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync folder %s: %w", dir, err)
	}
	return nil
}

// readSnapshot decodes and checks the snapshot file at path. A missing file
// is an error wrapping os.ErrNotExist; a damaged one is a *DamageError.
func readSnapshot(path string) (*snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	head, err := br.Peek(snapshotHeader)
	if err != nil || string(head[:len(snapshotMagic)]) != snapshotMagic {
		return readLegacySnapshot(path, br)
	}
	format := binary.BigEndian.Uint32(head[len(snapshotMagic):])
	if format != snapshotFormat {
		return nil, &DamageError{Path: path, Offset: int64(len(snapshotMagic)), Reason: fmt.Sprintf("snapshot format %d, this build reads format %d (a newer newsalert wrote it)", format, snapshotFormat)}
	}
	length := int64(binary.BigEndian.Uint64(head[len(snapshotMagic)+4:]))
	want := binary.BigEndian.Uint32(head[len(snapshotMagic)+12:])
	br.Discard(snapshotHeader)
	crc := crc32.New(castagnoli)
	cr := &countReader{r: io.TeeReader(io.LimitReader(br, length), crc)}
	var s snapshot
	if err := gob.NewDecoder(bufio.NewReader(cr)).Decode(&s); err != nil {
		return nil, &DamageError{Path: path, Offset: int64(snapshotHeader) + cr.n, Reason: fmt.Sprintf("decode: %v", err)}
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, &DamageError{Path: path, Offset: int64(snapshotHeader) + cr.n, Reason: err.Error()}
	}
	if cr.n != length {
		return nil, &DamageError{Path: path, Offset: int64(snapshotHeader) + cr.n, Reason: fmt.Sprintf("cut short: %d of %d bytes", cr.n, length)}
	}
	if got := crc.Sum32(); got != want {
		return nil, &DamageError{Path: path, Offset: int64(snapshotHeader), Reason: "checksum mismatch: the file changed after it was written"}
	}
	if _, err := br.ReadByte(); err == nil {
		return nil, &DamageError{Path: path, Offset: int64(snapshotHeader) + length, Reason: "unexpected bytes after the snapshot"}
	}
	return &s, nil
}

var _ hash.Hash32 = crc32.New(castagnoli)

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readLegacySnapshot reads a bare-gob snapshot written before the journal.
func readLegacySnapshot(path string, r io.Reader) (*snapshot, error) {
	var s snapshot
	if err := gob.NewDecoder(r).Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, &DamageError{Path: path, Offset: 0, Reason: fmt.Sprintf("decode: %v", err)}
	}
	if s.Version != snapshotVersion {
		return nil, &DamageError{Path: path, Offset: 0, Reason: fmt.Sprintf("snapshot version %d, this build reads %d", s.Version, snapshotVersion)}
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// Legacy TTLs count from when the file was written.
	written := st.ModTime().UnixNano()
	for i := range s.Keys {
		if s.Keys[i].TTLms > 0 {
			s.Keys[i].ExpireAt = written + s.Keys[i].TTLms*1e6
		}
	}
	s.At = written
	s.Generation = 1
	return &s, nil
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

// compareIDs orders two stream ids.
func compareIDs(a, b string) int {
	am, as, _ := strings.Cut(a, "-")
	bm, bs, _ := strings.Cut(b, "-")
	x, _ := strconv.ParseUint(am, 10, 64)
	y, _ := strconv.ParseUint(bm, 10, 64)
	if x != y {
		if x < y {
			return -1
		}
		return 1
	}
	x, _ = strconv.ParseUint(as, 10, 64)
	y, _ = strconv.ParseUint(bs, 10, 64)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
