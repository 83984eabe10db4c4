package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// countingConn counts the bytes the client read from the network.
type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// countReads makes f's connections count the bytes read from the network.
func countReads(f *Fetcher) *atomic.Int64 {
	var n atomic.Int64
	dial := f.transport.DialContext
	f.transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: c, n: &n}, nil
	}
	return &n
}

// handlerDone wraps h so the test can wait until every call has returned.
type handlerDone struct {
	wg sync.WaitGroup
	h  http.HandlerFunc
}

func (d *handlerDone) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.wg.Add(1)
	defer d.wg.Done()
	d.h(w, r)
}

// wait waits for the handlers, failing the test if they hang.
func (d *handlerDone) wait(t *testing.T) {
	t.Helper()
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("server handler still running 10s after the fetch returned")
	}
}

// rawServer serves each TCP connection with handle, for responses net/http
// would not produce. It is shut down, and its goroutines waited for, at the
// end of the test.
func rawServer(t *testing.T, handle func(net.Conn)) netip.AddrPort {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				handle(c)
			})
		}
	})
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return netip.MustParseAddrPort(l.Addr().String())
}

// readRequestHead consumes the request line and headers from c.
func readRequestHead(c net.Conn) error {
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		if line == "\r\n" {
			return nil
		}
	}
}

func allowRaw(t *testing.T, opts Options, ap netip.AddrPort) *Fetcher {
	f := newTestFetcher(t, opts, nil)
	f.allowAddr = func(a netip.AddrPort) bool { return a == ap }
	return f
}

func TestFetch50MBBody(t *testing.T) {
	const total = 50 << 20
	chunk := bytes.Repeat([]byte("<item>news</item>"), 2048)
	for _, declareLength := range []bool{false, true} {
		t.Run(fmt.Sprintf("content-length %v", declareLength), func(t *testing.T) {
			var written atomic.Int64
			h := &handlerDone{h: func(w http.ResponseWriter, r *http.Request) {
				if declareLength {
					w.Header().Set("Content-Length", fmt.Sprint(total))
				}
				cw := countingWriter{w: w, n: &written}
				for written.Load() < total {
					if _, err := cw.Write(chunk[:min(len(chunk), total-int(written.Load()))]); err != nil {
						return
					}
				}
			}}
			srv := newServer(t, h)
			f := newTestFetcher(t, Options{}, nil, srv)
			read := countReads(f)
			e := fetchErr(t, f, Request{URL: srv.URL + "/huge.xml"})
			if e.Kind != TooLarge || e.UserMessage() != "the feed is larger than 10 MiB" || e.Retry() {
				t.Fatalf("Kind %v, UserMessage %q, Retry %v; want TooLarge, %q, false", e.Kind, e.UserMessage(), e.Retry(), "the feed is larger than 10 MiB")
			}
			limit := int64(DefaultMaxBodyBytes)
			slack := int64(256 << 10)
			if declareLength {
				limit = 0 // refused on the header alone
			}
			if n := read.Load(); n > limit+slack {
				t.Errorf("client read %d bytes from the network, want at most %d", n, limit+slack)
			}
			srv.CloseClientConnections()
			h.wait(t)
			t.Logf("client read %d bytes, server wrote %d of %d", read.Load(), written.Load(), total)
			if n := written.Load(); n >= total {
				t.Errorf("server managed to write all %d bytes: the client kept reading", n)
			}
		})
	}
}

// writeGzipBomb writes a valid gzip stream that inflates to mib MiB of
// zeros, without ever holding more than a few KiB: one MiB of zeros,
// deflated and sync-flushed so it ends on a byte boundary, is repeated.
func writeGzipBomb(w io.Writer, mib int) error {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return err
	}
	zeros := make([]byte, 1<<20)
	if _, err := fw.Write(zeros); err != nil {
		return err
	}
	if err := fw.Flush(); err != nil {
		return err
	}
	block := bytes.Clone(buf.Bytes())
	buf.Reset()
	if err := fw.Close(); err != nil {
		return err
	}
	final := bytes.Clone(buf.Bytes())

	if _, err := w.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}); err != nil {
		return err
	}
	crc := uint32(0)
	for range mib {
		if _, err := w.Write(block); err != nil {
			return err
		}
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	if _, err := w.Write(final); err != nil {
		return err
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(mib<<20))
	_, err = w.Write(trailer[:])
	return err
}

// writeBrotliBomb writes a valid brotli stream that inflates to mib MiB of
// zeros (mib >= 2). The encoder's output for each further flushed MiB of
// zeros is the same 190 bytes, so two MiB are encoded and the second
// flush's output is repeated: no large buffer, no encoding cost per MiB.
func writeBrotliBomb(w io.Writer, mib int) error {
	var buf bytes.Buffer
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: 1, LGWin: 22})
	zeros := make([]byte, 1<<20)
	var parts [2][]byte
	for i := range parts {
		if _, err := bw.Write(zeros); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		parts[i] = bytes.Clone(buf.Bytes())
		buf.Reset()
	}
	if err := bw.Close(); err != nil {
		return err
	}
	if _, err := w.Write(parts[0]); err != nil {
		return err
	}
	for range mib - 1 {
		if _, err := w.Write(parts[1]); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// TestBombGenerators proves the generators make real, complete streams.
func TestBombGenerators(t *testing.T) {
	tests := []struct {
		name   string
		write  func(io.Writer, int) error
		reader func(io.Reader) (io.Reader, error)
	}{
		{"gzip", writeGzipBomb, func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{"br", writeBrotliBomb, func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf, 3); err != nil {
				t.Fatal(err)
			}
			r, err := tt.reader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.Copy(io.Discard, r)
			if err != nil || n != 3<<20 {
				t.Fatalf("bomb of 3 MiB decodes to %d bytes, err %v", n, err)
			}
			if buf.Len() != 0 {
				t.Errorf("%d trailing bytes", buf.Len())
			}
		})
	}
}

func TestFetchDecompressionBombs(t *testing.T) {
	const bombMiB = 1100 // inflates to more than 1 GiB
	tests := []struct {
		encoding string
		write    func(w io.Writer, mib int) error
	}{
		{"gzip", writeGzipBomb},
		{"br", writeBrotliBomb},
	}
	for _, tt := range tests {
		t.Run(tt.encoding, func(t *testing.T) {
			var written atomic.Int64
			h := &handlerDone{h: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", tt.encoding)
				w.Header().Set("Content-Type", "application/rss+xml")
				_ = tt.write(countingWriter{w: w, n: &written}, bombMiB)
			}}
			srv := newServer(t, h)
			f := newTestFetcher(t, Options{}, nil, srv)
			read := countReads(f)

			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			e := fetchErr(t, f, Request{URL: srv.URL + "/bomb.xml"})
			took := time.Since(start)
			runtime.ReadMemStats(&after)

			if e.Kind != TooLarge || e.UserMessage() != "the feed is larger than 10 MiB" {
				t.Fatalf("Kind %v (%v), want TooLarge", e.Kind, e)
			}
			if n := read.Load(); n > 1<<20 {
				t.Errorf("client read %d compressed bytes for a 10 MiB cap", n)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 128<<20 {
				t.Errorf("fetching the bomb allocated %d MiB, want a bounded amount", alloc>>20)
			}
			srv.CloseClientConnections()
			h.wait(t)
			t.Logf("fetch took %v, client read %d compressed bytes, server wrote %d, allocated %d KiB",
				took, read.Load(), written.Load(), (after.TotalAlloc-before.TotalAlloc)>>10)
		})
	}
}

func TestFetchSlowDrip(t *testing.T) {
	h := &handlerDone{h: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}}
	srv := newServer(t, h)
	f := newTestFetcher(t, Options{RequestTimeout: time.Second}, nil, srv)
	start := time.Now()
	e := fetchErr(t, f, Request{URL: srv.URL + "/drip.xml"})
	elapsed := time.Since(start)
	if e.Kind != Timeout || e.UserMessage() != "timed out after 1s" || !e.Retry() {
		t.Errorf("Kind %v UserMessage %q Retry %v, want Timeout, \"timed out after 1s\", true", e.Kind, e.UserMessage(), e.Retry())
	}
	if elapsed > 5*time.Second {
		t.Errorf("Fetch returned after %v with RequestTimeout 1s", elapsed)
	}
	h.wait(t)
}

func TestFetchHeadersNeverFinish(t *testing.T) {
	ap := rawServer(t, func(c net.Conn) {
		if readRequestHead(c) != nil {
			return
		}
		if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Slow: "); err != nil {
			return
		}
		for {
			if _, err := c.Write([]byte("a")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	f := allowRaw(t, Options{RequestTimeout: time.Second}, ap)
	start := time.Now()
	e := fetchErr(t, f, Request{URL: "http://" + ap.String() + "/feed"})
	if e.Kind != Timeout || e.UserMessage() != "timed out after 1s" {
		t.Errorf("Kind %v UserMessage %q, want Timeout after 1s", e.Kind, e.UserMessage())
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Fetch returned after %v with RequestTimeout 1s", elapsed)
	}
}

func TestFetchHugeHeaders(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := strings.Repeat("x", 1000)
		for i := range 200 {
			w.Header().Set(fmt.Sprintf("X-Filler-%d", i), v)
		}
		fmt.Fprint(w, sampleFeed)
	}))
	f := newTestFetcher(t, Options{}, nil, srv)
	e := fetchErr(t, f, Request{URL: srv.URL})
	if e.Kind != BadResponse || !strings.Contains(e.UserMessage(), "response headers exceeded") {
		t.Errorf("Kind %v UserMessage %q, want BadResponse about headers", e.Kind, e.UserMessage())
	}
}

func TestFetchBrokenConnections(t *testing.T) {
	tests := []struct {
		name  string
		write string
	}{
		{"closed without answering", ""},
		{"truncated body", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss>"},
		{"truncated chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<rss>\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ap := rawServer(t, func(c net.Conn) {
				if readRequestHead(c) == nil {
					io.WriteString(c, tt.write)
				}
			})
			f := allowRaw(t, Options{}, ap)
			e := fetchErr(t, f, Request{URL: "http://" + ap.String() + "/feed"})
			want := "the server closed the connection before the response was complete"
			if e.Kind != Network || e.UserMessage() != want || !e.Retry() {
				t.Errorf("Kind %v UserMessage %q Retry %v (%v), want Network, %q, true", e.Kind, e.UserMessage(), e.Retry(), e, want)
			}
		})
	}
}
