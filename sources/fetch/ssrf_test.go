package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

const allowHint = " (set NEWSALERT_ALLOW_PRIVATE_NETWORKS=true to allow)"

// hitCounter is a server that counts requests; it must see none when a
// destination is refused.
func hitCounter(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, "internal secrets")
	}))
	return srv, &hits
}

// TestFetchRefusesPrivateDestinations: the test fetcher may reach exactly one
// server; every other private destination, in every spelling, is refused,
// both as the requested URL and as a redirect target of the allowed server.
func TestFetchRefusesPrivateDestinations(t *testing.T) {
	victim, victimHits := hitCounter(t)
	vPort := addrOf(t, victim).Port()

	var location atomic.Value
	allowed := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, location.Load().(string), http.StatusFound)
	}))
	aPort := addrOf(t, allowed).Port()

	dns := newFakeDNS()
	dns.set("internal.example", netip.MustParseAddr("10.0.0.5"))
	dns.set("victim.example", netip.MustParseAddr("127.0.0.1"))
	dns.set("metadata.example", netip.MustParseAddr("169.254.169.254"), netip.MustParseAddr("fd00:ec2::254"))

	tests := []struct {
		url     string
		wantMsg string
	}{
		{fmt.Sprintf("http://127.0.0.1:%d/", vPort), "refused: 127.0.0.1 is a loopback address"},
		{fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/", aPort), "refused: ::ffff:127.0.0.1 is a loopback address"},
		{fmt.Sprintf("http://[::ffff:127.0.0.1]:%d/", vPort), "refused: ::ffff:127.0.0.1 is a loopback address"},
		{fmt.Sprintf("http://0x7f.1:%d/", vPort), "refused: 0x7f.1 (127.0.0.1) is a loopback address"},
		{fmt.Sprintf("http://2130706433:%d/", vPort), "refused: 2130706433 (127.0.0.1) is a loopback address"},
		{fmt.Sprintf("http://0177.0.0.1:%d/", vPort), "refused: 0177.0.0.1 (127.0.0.1) is a loopback address"},
		{fmt.Sprintf("http://127.1:%d/", vPort), "refused: 127.1 (127.0.0.1) is a loopback address"},
		{fmt.Sprintf("http://[::1]:%d/", vPort), "refused: ::1 is a loopback address"},
		{fmt.Sprintf("http://victim.example:%d/", vPort), "refused: victim.example (127.0.0.1) is a loopback address"},
		{"http://10.0.0.5/", "refused: 10.0.0.5 is a private network address"},
		{"http://internal.example/admin", "refused: internal.example (10.0.0.5) is a private network address"},
		{"http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"},
		{"http://metadata.example/latest/meta-data/", "refused: metadata.example (169.254.169.254) is a link-local address"},
		{"http://[fe80::1%25eth0]/", "refused: fe80::1%eth0 is a link-local address"},
		{"http://[fd00::1]/", "refused: fd00::1 is a private network address"},
		{"http://[64:ff9b::10.0.0.1]/", "refused: 64:ff9b::a00:1 is a private network address"},
		{"http://100.64.0.1/", "refused: 100.64.0.1 is a shared (carrier-grade NAT) address"},
		{"http://0.0.0.0/", "refused: 0.0.0.0 is an unspecified address"},
		{"http://0/", "refused: 0 (0.0.0.0) is an unspecified address"},
		{"http://[::]/", "refused: :: is an unspecified address"},
		{"http://224.0.0.1/", "refused: 224.0.0.1 is a multicast address"},
		{"http://255.255.255.255/", "refused: 255.255.255.255 is a broadcast address"},
		{"http://192.0.2.10/", "refused: 192.0.2.10 is a documentation address"},
		{"https://192.168.1.1/", "refused: 192.168.1.1 is a private network address"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			f := newTestFetcher(t, Options{}, dns, allowed)
			for _, via := range []string{"direct", "redirect"} {
				req := Request{URL: tt.url}
				if via == "redirect" {
					location.Store(tt.url)
					req.URL = allowed.URL + "/feed"
				}
				e := fetchErr(t, f, req)
				if e.Kind != Blocked || e.Retry() {
					t.Errorf("%s: Kind %v Retry %v (%v), want Blocked, permanent", via, e.Kind, e.Retry(), e)
				}
				if got, want := e.UserMessage(), tt.wantMsg+allowHint; got != want {
					t.Errorf("%s: UserMessage()\n got %q\nwant %q", via, got, want)
				}
			}
			if n := victimHits.Load(); n != 0 {
				t.Fatalf("the refused server saw %d requests", n)
			}
		})
	}
}

func TestFetchRefusesWithoutSeam(t *testing.T) {
	srv, hits := hitCounter(t)
	port := addrOf(t, srv).Port()
	f := New(Options{}) // real classifier, real resolver
	t.Cleanup(f.CloseIdleConnections)
	for _, u := range []string{srv.URL, fmt.Sprintf("http://localhost:%d/", port)} {
		e := fetchErr(t, f, Request{URL: u})
		if e.Kind != Blocked {
			t.Errorf("Fetch(%s): Kind %v (%v), want Blocked", u, e.Kind, e)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("server saw %d requests", hits.Load())
	}
}

func TestFetchAllowPrivate(t *testing.T) {
	srv, hits := hitCounter(t)
	f := New(Options{AllowPrivate: true})
	t.Cleanup(f.CloseIdleConnections)
	resp := mustFetch(t, f, Request{URL: srv.URL})
	if string(resp.Body) != "internal secrets" || hits.Load() != 1 {
		t.Errorf("with AllowPrivate: body %q, hits %d", resp.Body, hits.Load())
	}
	e := fetchErr(t, f, Request{URL: "file:///etc/passwd"})
	if e.Kind != Blocked {
		t.Errorf("AllowPrivate must not allow file URLs: %v", e)
	}
}

// TestFetchDNSRebinding: a name that first resolves to an allowed address
// and later to a private one is refused on the second connection.
func TestFetchDNSRebinding(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close") // force a new dial next time
		fmt.Fprint(w, sampleFeed)
	}))
	ap := addrOf(t, srv)
	dns := newFakeDNS()
	dns.set("rebind.example", ap.Addr())
	f := newTestFetcher(t, Options{}, dns, srv)
	u := fmt.Sprintf("http://rebind.example:%d/feed", ap.Port())
	mustFetch(t, f, Request{URL: u})

	dns.set("rebind.example", netip.MustParseAddr("192.168.0.10"))
	e := fetchErr(t, f, Request{URL: u})
	if e.Kind != Blocked || !strings.Contains(e.UserMessage(), "rebind.example (192.168.0.10) is a private network address") {
		t.Errorf("after rebinding: Kind %v, UserMessage %q", e.Kind, e.UserMessage())
	}
}

// TestFetchMixedDNSAnswer: private addresses among a name's addresses are
// skipped, the allowed one is used.
func TestFetchMixedDNSAnswer(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, sampleFeed)
	}))
	ap := addrOf(t, srv)
	dns := newFakeDNS()
	dns.set("mixed.example", netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("::ffff:192.168.0.1"), ap.Addr())
	f := newTestFetcher(t, Options{}, dns, srv)
	resp := mustFetch(t, f, Request{URL: fmt.Sprintf("http://mixed.example:%d/", ap.Port())})
	if string(resp.Body) != sampleFeed {
		t.Errorf("body %q", resp.Body)
	}
}

// TestControlDial checks the second line of defence on its own: the check
// made on the exact address handed to connect(2).
func TestControlDial(t *testing.T) {
	allowed := netip.MustParseAddrPort("127.0.0.1:8080")
	tests := []struct {
		name         string
		allowPrivate bool
		address      string
		wantBlocked  bool
	}{
		{"loopback", false, "127.0.0.1:80", true},
		{"loopback other port", false, "127.0.0.1:8081", true},
		{"the allowed test address", false, "127.0.0.1:8080", false},
		{"private v6", false, "[fd00::1]:443", true},
		{"zoned link-local", false, "[fe80::1%eth0]:80", true},
		{"public", false, "93.184.215.14:443", false},
		{"public v6", false, "[2606:4700:4700::1111]:443", false},
		{"allow private", true, "10.0.0.5:80", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := New(Options{AllowPrivate: tt.allowPrivate})
			f.allowAddr = func(ap netip.AddrPort) bool { return ap == allowed }
			err := f.controlDial("tcp", tt.address, nil)
			_, blocked := errors.AsType[*blockedError](err)
			if blocked != tt.wantBlocked {
				t.Errorf("controlDial(%s) = %v, want blocked %v", tt.address, err, tt.wantBlocked)
			}
		})
	}
	f := New(Options{})
	if err := f.controlDial("tcp", "not-an-address", nil); err == nil {
		t.Error("controlDial accepted an unparsable address")
	}
}

// TestDialContextRefusesBeforeConnecting calls the dialer directly with a
// name resolving only to private addresses: no connection is attempted.
func TestDialContextRefusesBeforeConnecting(t *testing.T) {
	dns := newFakeDNS()
	dns.set("private.example", netip.MustParseAddr("10.1.2.3"), netip.MustParseAddr("fc00::7"))
	f := newTestFetcher(t, Options{}, dns)
	var dialed atomic.Int64
	f.dialer.Control = func(network, address string, _ syscall.RawConn) error {
		dialed.Add(1)
		return f.controlDial(network, address, nil)
	}
	conn, err := f.dialContext(context.Background(), "tcp", "private.example:80")
	if conn != nil {
		conn.Close()
	}
	if _, ok := errors.AsType[*blockedError](err); !ok {
		t.Errorf("dialContext = %v, want *blockedError", err)
	}
	if dialed.Load() != 0 {
		t.Errorf("%d connection attempts made to refused addresses", dialed.Load())
	}
	if _, err := f.dialContext(context.Background(), "tcp", "unknown.example:80"); err == nil {
		t.Error("dialContext resolved an unknown name")
	} else if dnsErr, ok := errors.AsType[*net.DNSError](err); !ok || !dnsErr.IsNotFound {
		t.Errorf("dialContext(unknown) = %v, want a not-found DNS error", err)
	}
}
