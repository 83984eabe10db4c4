package fetch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// newServer starts an httptest server closed at the end of the test.
func newServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// addrOf is the listening address of s.
func addrOf(t testing.TB, s *httptest.Server) netip.AddrPort {
	t.Helper()
	ap, err := netip.ParseAddrPort(s.Listener.Addr().String())
	if err != nil {
		t.Fatalf("parse server address %q: %v", s.Listener.Addr(), err)
	}
	return ap
}

// fakeDNS maps host names to addresses; unknown names are not found. It
// never touches the network.
type fakeDNS struct {
	mu    sync.Mutex
	names map[string][]netip.Addr
	calls map[string]int
}

func newFakeDNS() *fakeDNS {
	return &fakeDNS{names: map[string][]netip.Addr{}, calls: map[string]int{}}
}

func (d *fakeDNS) set(name string, addrs ...netip.Addr) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.names[name] = addrs
}

func (d *fakeDNS) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls[host]++
	addrs, ok := d.names[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return append([]netip.Addr(nil), addrs...), nil
}

// newTestFetcher returns a Fetcher that may connect to exactly the listening
// addresses of allowed (and nothing else on a private network), and that
// resolves names through dns (nil: a fake DNS knowing no names).
func newTestFetcher(t testing.TB, opts Options, dns *fakeDNS, allowed ...*httptest.Server) *Fetcher {
	t.Helper()
	f := New(opts)
	set := map[netip.AddrPort]bool{}
	for _, s := range allowed {
		set[addrOf(t, s)] = true
	}
	f.allowAddr = func(ap netip.AddrPort) bool { return set[ap] }
	if dns == nil {
		dns = newFakeDNS()
	}
	f.lookup = dns.lookup
	t.Cleanup(f.CloseIdleConnections)
	return f
}

// fetchErr runs Fetch and requires an *Error.
func fetchErr(t *testing.T, f *Fetcher, req Request) *Error {
	t.Helper()
	resp, err := f.Fetch(context.Background(), req)
	if err == nil {
		t.Fatalf("Fetch(%q) = status %d, want an error", req.URL, resp.StatusCode)
	}
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("Fetch(%q) error %T %v, want *Error", req.URL, err, err)
	}
	return fe
}

// mustFetch runs Fetch and requires success.
func mustFetch(t *testing.T, f *Fetcher, req Request) *Response {
	t.Helper()
	resp, err := f.Fetch(context.Background(), req)
	if err != nil {
		t.Fatalf("Fetch(%q): %v", req.URL, err)
	}
	return resp
}

// syncBuffer is a bytes.Buffer safe for concurrent writers, for log output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// debugLogger logs everything as JSON into buf.
func debugLogger(buf *syncBuffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// fixedClock returns a clock stuck at t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// countingWriter counts the bytes a handler managed to write.
type countingWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
