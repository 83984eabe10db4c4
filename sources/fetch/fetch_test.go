package fetch

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const sampleFeed = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example News</title><link>https://news.example/</link>
<item><title>Parliament passes budget</title><link>https://news.example/a/1</link></item>
</channel></rss>`

func TestFetchSendsPoliteHeaders(t *testing.T) {
	var mu sync.Mutex
	var got http.Header
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = r.Header.Clone()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, sampleFeed)
	}))
	tests := []struct {
		name       string
		opts       Options
		req        Request
		wantHeader map[string]string
		absent     []string
	}{
		{
			name: "defaults",
			req:  Request{URL: srv.URL + "/feed.xml"},
			wantHeader: map[string]string{
				"User-Agent":      DefaultUserAgent,
				"Accept":          DefaultAccept,
				"Accept-Encoding": "gzip, deflate, br",
			},
			absent: []string{"If-None-Match", "If-Modified-Since", "Authorization"},
		},
		{
			name: "custom agent and accept",
			opts: Options{UserAgent: "newsalert/1.2.3 (+https://github.com/newsalert/newsalert)"},
			req:  Request{URL: srv.URL + "/article/1", Accept: HTMLAccept},
			wantHeader: map[string]string{
				"User-Agent": "newsalert/1.2.3 (+https://github.com/newsalert/newsalert)",
				"Accept":     HTMLAccept,
			},
		},
		{
			name:       "header injection in options is refused",
			opts:       Options{UserAgent: "evil\r\nX-Injected: 1"},
			req:        Request{URL: srv.URL + "/feed.xml", Accept: "text/html\r\nX-Injected: 2", ETag: "\"a\"\r\nX-Injected: 3"},
			wantHeader: map[string]string{"User-Agent": DefaultUserAgent, "Accept": DefaultAccept},
			absent:     []string{"X-Injected", "If-None-Match"},
		},
		{
			name: "validators",
			req:  Request{URL: srv.URL + "/feed.xml", ETag: `W/"abc"`, LastModified: "Wed, 21 Oct 2015 07:28:00 GMT"},
			wantHeader: map[string]string{
				"If-None-Match":     `W/"abc"`,
				"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT",
			},
		},
		{
			name:       "userinfo becomes basic auth",
			req:        Request{URL: strings.Replace(srv.URL, "http://", "http://alice:s3cret@", 1) + "/private.xml"},
			wantHeader: map[string]string{"Authorization": "Basic YWxpY2U6czNjcmV0"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFetcher(t, tt.opts, nil, srv)
			resp := mustFetch(t, f, tt.req)
			if string(resp.Body) != sampleFeed {
				t.Errorf("body = %q, want the feed", resp.Body)
			}
			if resp.ContentType != "application/rss+xml; charset=utf-8" {
				t.Errorf("ContentType = %q", resp.ContentType)
			}
			mu.Lock()
			defer mu.Unlock()
			for k, v := range tt.wantHeader {
				if g := got.Get(k); g != v {
					t.Errorf("request header %s = %q, want %q", k, g, v)
				}
			}
			for _, k := range tt.absent {
				if g := got.Get(k); g != "" {
					t.Errorf("request header %s = %q, want absent", k, g)
				}
			}
		})
	}
}

// validatingServer serves a feed with fixed validators and answers 304 to a
// matching conditional request, like a well-behaved origin.
func validatingServer(t *testing.T, etag, lastModified string, hits *int) *httptest.Server {
	var mu sync.Mutex
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*hits++
		mu.Unlock()
		w.Header().Set("Cache-Control", "public, max-age=300")
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		if lastModified != "" {
			w.Header().Set("Last-Modified", lastModified)
		}
		inm, ims := r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if (inm != "" && inm == etag) || (inm == "" && ims != "" && ims == lastModified) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, sampleFeed)
	}))
}

func TestFetchConditional(t *testing.T) {
	const etag, lm = `"v1-5d8c"`, "Wed, 21 Oct 2015 07:28:00 GMT"
	tests := []struct {
		name            string
		serverETag      string
		serverLM        string
		req             Request
		wantNotModified bool
		wantETag        string
		wantLM          string
	}{
		{"etag matches", etag, lm, Request{ETag: etag}, true, etag, lm},
		{"last-modified matches", "", lm, Request{LastModified: lm}, true, "", lm},
		{"both match", etag, lm, Request{ETag: etag, LastModified: lm}, true, etag, lm},
		{"stale etag", etag, lm, Request{ETag: `"v0"`}, false, etag, lm},
		{"no validators", etag, lm, Request{}, false, etag, lm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits int
			srv := validatingServer(t, tt.serverETag, tt.serverLM, &hits)
			f := newTestFetcher(t, Options{}, nil, srv)
			tt.req.URL = srv.URL + "/feed"
			resp := mustFetch(t, f, tt.req)
			if resp.NotModified != tt.wantNotModified {
				t.Fatalf("NotModified = %v, want %v", resp.NotModified, tt.wantNotModified)
			}
			if tt.wantNotModified {
				if resp.StatusCode != http.StatusNotModified || resp.Body != nil {
					t.Errorf("304: StatusCode %d, body %q; want 304 and nil", resp.StatusCode, resp.Body)
				}
			} else if resp.StatusCode != http.StatusOK || string(resp.Body) != sampleFeed {
				t.Errorf("StatusCode %d, body %q; want 200 and the feed", resp.StatusCode, resp.Body)
			}
			if resp.ETag != tt.wantETag || resp.LastModified != tt.wantLM {
				t.Errorf("validators = %q, %q; want %q, %q", resp.ETag, resp.LastModified, tt.wantETag, tt.wantLM)
			}
			if resp.MaxAge != 5*time.Minute {
				t.Errorf("MaxAge = %v, want 5m", resp.MaxAge)
			}
		})
	}
}

// TestFetchValidatorRoundTrip stores what one response returns and sends it
// back, as the watcher does.
func TestFetchValidatorRoundTrip(t *testing.T) {
	var hits int
	srv := validatingServer(t, `"abc"`, "Thu, 01 May 2025 10:00:00 GMT", &hits)
	f := newTestFetcher(t, Options{}, nil, srv)
	first := mustFetch(t, f, Request{URL: srv.URL})
	if first.NotModified || first.ETag != `"abc"` || first.LastModified != "Thu, 01 May 2025 10:00:00 GMT" {
		t.Fatalf("first fetch: NotModified %v, validators %q %q", first.NotModified, first.ETag, first.LastModified)
	}
	second := mustFetch(t, f, Request{URL: srv.URL, ETag: first.ETag, LastModified: first.LastModified})
	if !second.NotModified {
		t.Fatalf("second fetch with stored validators: status %d, want 304", second.StatusCode)
	}
	third := mustFetch(t, f, Request{URL: srv.URL, ETag: second.ETag, LastModified: second.LastModified})
	if !third.NotModified {
		t.Fatalf("third fetch with validators from the 304: status %d, want 304", third.StatusCode)
	}
	if hits != 3 {
		t.Errorf("server saw %d requests, want 3", hits)
	}
}

// TestFetch304CarriesValidators covers a 304 that omits the validators.
func TestFetch304CarriesValidators(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	f := newTestFetcher(t, Options{}, nil, srv)
	resp := mustFetch(t, f, Request{URL: srv.URL, ETag: `"x"`, LastModified: "Thu, 01 May 2025 10:00:00 GMT"})
	if !resp.NotModified || resp.ETag != `"x"` || resp.LastModified != "Thu, 01 May 2025 10:00:00 GMT" {
		t.Errorf("got NotModified %v, validators %q %q; want the request's", resp.NotModified, resp.ETag, resp.LastModified)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	now := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		status     int
		retryAfter string
		wantKind   Kind
		wantRetry  bool
		wantAfter  time.Duration
		wantMsg    string
	}{
		{404, "", HTTPStatus, false, 0, "the server answered 404 Not Found"},
		{403, "", HTTPStatus, false, 0, "the server answered 403 Forbidden"},
		{401, "", HTTPStatus, false, 0, "the server answered 401 Unauthorized"},
		{410, "", Gone, false, 0, "gone (410): the source was removed by its publisher"},
		{500, "", HTTPStatus, true, 0, "the server answered 500 Internal Server Error"},
		{502, "", HTTPStatus, true, 0, "the server answered 502 Bad Gateway"},
		{501, "", HTTPStatus, false, 0, "the server answered 501 Not Implemented"},
		{408, "", HTTPStatus, true, 0, "the server answered 408 Request Timeout"},
		{429, "120", HTTPStatus, true, 2 * time.Minute, "the server answered 429 Too Many Requests (it asked to wait 2m)"},
		{429, "Thu, 01 May 2025 12:05:00 GMT", HTTPStatus, true, 5 * time.Minute, "the server answered 429 Too Many Requests (it asked to wait 5m)"},
		{503, "3600", HTTPStatus, true, time.Hour, "the server answered 503 Service Unavailable (it asked to wait 60m)"},
		{503, "tomorrow", HTTPStatus, true, 0, "the server answered 503 Service Unavailable"},
		{300, "", HTTPStatus, false, 0, "the server answered 300 Multiple Choices"},
		{599, "", HTTPStatus, true, 0, "the server answered 599"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %s", tt.status, tt.retryAfter), func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, "<html>error page</html>")
			}))
			f := newTestFetcher(t, Options{Now: fixedClock(now)}, nil, srv)
			e := fetchErr(t, f, Request{URL: srv.URL + "/feed"})
			if e.Kind != tt.wantKind || e.Status != tt.status {
				t.Errorf("Kind %v Status %d, want %v %d", e.Kind, e.Status, tt.wantKind, tt.status)
			}
			if e.Retry() != tt.wantRetry {
				t.Errorf("Retry() = %v, want %v", e.Retry(), tt.wantRetry)
			}
			if e.RetryAfter != tt.wantAfter {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tt.wantAfter)
			}
			if got := e.UserMessage(); got != tt.wantMsg {
				t.Errorf("UserMessage() = %q, want %q", got, tt.wantMsg)
			}
			if want := fmt.Sprintf("fetch %s/feed: status %d", srv.URL, tt.status); !strings.HasPrefix(e.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", e.Error(), want)
			}
		})
	}
}

// redirectServer serves a table of redirects: path -> (status, location).
// Any other path serves the feed.
func redirectServer(t *testing.T, routes map[string][2]string) *httptest.Server {
	return newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt, ok := routes[r.URL.Path]; ok {
			var status int
			fmt.Sscan(rt[0], &status)
			if rt[1] != "" {
				w.Header().Set("Location", rt[1])
			}
			w.WriteHeader(status)
			return
		}
		fmt.Fprint(w, sampleFeed)
	}))
}

func TestFetchRedirects(t *testing.T) {
	tests := []struct {
		name          string
		routes        map[string][2]string
		maxRedirects  int
		wantPath      string // final path; "" when an error is expected
		wantPermanent bool
		wantKind      Kind
		wantMsg       string
	}{
		{name: "301 chain", routes: map[string][2]string{"/a": {"301", "/b"}, "/b": {"301", "/c"}}, wantPath: "/c", wantPermanent: true},
		{name: "308", routes: map[string][2]string{"/a": {"308", "/new"}}, wantPath: "/new", wantPermanent: true},
		{name: "301 then 308", routes: map[string][2]string{"/a": {"301", "/b"}, "/b": {"308", "/c"}}, wantPath: "/c", wantPermanent: true},
		{name: "302", routes: map[string][2]string{"/a": {"302", "/tmp"}}, wantPath: "/tmp"},
		{name: "301 then 302", routes: map[string][2]string{"/a": {"301", "/b"}, "/b": {"302", "/c"}}, wantPath: "/c"},
		{name: "302 then 301", routes: map[string][2]string{"/a": {"302", "/b"}, "/b": {"301", "/c"}}, wantPath: "/c"},
		{name: "303 and 307", routes: map[string][2]string{"/a": {"303", "/b"}, "/b": {"307", "/c"}}, wantPath: "/c"},
		{name: "relative location", routes: map[string][2]string{"/dir/a": {"301", "b?x=1"}}, wantPath: "/dir/b", wantPermanent: true},
		{name: "five redirects", routes: map[string][2]string{"/a": {"301", "/1"}, "/1": {"301", "/2"}, "/2": {"301", "/3"}, "/3": {"301", "/4"}, "/4": {"301", "/5"}}, wantPath: "/5", wantPermanent: true},
		{
			name:     "six redirects",
			routes:   map[string][2]string{"/a": {"301", "/1"}, "/1": {"301", "/2"}, "/2": {"301", "/3"}, "/3": {"301", "/4"}, "/4": {"301", "/5"}, "/5": {"301", "/6"}},
			wantKind: TooManyRedirects, wantMsg: "too many redirects (more than 5)",
		},
		{
			name:     "loop",
			routes:   map[string][2]string{"/a": {"302", "/b"}, "/b": {"302", "/a"}},
			wantKind: TooManyRedirects, wantMsg: "too many redirects (more than 5)",
		},
		{name: "self loop", routes: map[string][2]string{"/a": {"301", "/a"}}, wantKind: TooManyRedirects},
		{name: "redirects disabled", routes: map[string][2]string{"/a": {"301", "/b"}}, maxRedirects: -1, wantKind: TooManyRedirects, wantMsg: "too many redirects (more than 0)"},
		{name: "two allowed", routes: map[string][2]string{"/a": {"301", "/b"}, "/b": {"301", "/c"}, "/c": {"301", "/d"}}, maxRedirects: 2, wantKind: TooManyRedirects, wantMsg: "too many redirects (more than 2)"},
		{name: "no location", routes: map[string][2]string{"/a": {"302", ""}}, wantKind: HTTPStatus, wantMsg: "the server answered 302 Found"},
		{name: "bad location", routes: map[string][2]string{"/a": {"301", "http://[::1"}}, wantKind: BadResponse},
		{name: "to file scheme", routes: map[string][2]string{"/a": {"302", "file:///etc/passwd"}}, wantKind: Blocked, wantMsg: `refused: only http and https URLs can be fetched, not "file"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redirectServer(t, tt.routes)
			f := newTestFetcher(t, Options{MaxRedirects: tt.maxRedirects}, nil, srv)
			start := "/a"
			if _, ok := tt.routes["/dir/a"]; ok {
				start = "/dir/a"
			}
			if tt.wantPath == "" {
				e := fetchErr(t, f, Request{URL: srv.URL + start})
				if e.Kind != tt.wantKind {
					t.Fatalf("Kind = %v (%v), want %v", e.Kind, e, tt.wantKind)
				}
				if tt.wantMsg != "" && e.UserMessage() != tt.wantMsg {
					t.Errorf("UserMessage() = %q, want %q", e.UserMessage(), tt.wantMsg)
				}
				if e.Retry() != (tt.wantKind == BadResponse) {
					t.Errorf("Retry() = %v for %v", e.Retry(), e)
				}
				return
			}
			resp := mustFetch(t, f, Request{URL: srv.URL + start})
			final := srv.URL + tt.wantPath
			if !strings.HasPrefix(resp.FinalURL, final) {
				t.Errorf("FinalURL = %q, want %q", resp.FinalURL, final)
			}
			wantPermanent := ""
			if tt.wantPermanent {
				wantPermanent = resp.FinalURL
			}
			if resp.PermanentURL != wantPermanent {
				t.Errorf("PermanentURL = %q, want %q", resp.PermanentURL, wantPermanent)
			}
			if string(resp.Body) != sampleFeed {
				t.Errorf("body = %q", resp.Body)
			}
		})
	}
}

// TestFetchRedirectAcrossHosts follows a permanent redirect to another host
// name and reports the new URL.
func TestFetchRedirectAcrossHosts(t *testing.T) {
	dns := newFakeDNS()
	target := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("credentials leaked to the redirect target host %s", r.Host)
		}
		fmt.Fprint(w, sampleFeed)
	}))
	newURL := fmt.Sprintf("http://feeds.new.example:%d/rss", addrOf(t, target).Port())
	origin := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, newURL, http.StatusMovedPermanently)
	}))
	dns.set("feeds.old.example", addrOf(t, origin).Addr())
	dns.set("feeds.new.example", addrOf(t, target).Addr())
	f := newTestFetcher(t, Options{}, dns, origin, target)
	old := fmt.Sprintf("http://user:pw@feeds.old.example:%d/rss", addrOf(t, origin).Port())
	resp := mustFetch(t, f, Request{URL: old})
	if resp.PermanentURL != newURL || resp.FinalURL != newURL {
		t.Errorf("PermanentURL %q FinalURL %q, want %q", resp.PermanentURL, resp.FinalURL, newURL)
	}
}

func TestFetchEncodingsOverTheWire(t *testing.T) {
	body := []byte(sampleFeed)
	tests := []struct {
		encoding string
		data     []byte
	}{
		{"gzip", encodeGzip(t, body)},
		{"deflate", encodeZlib(t, body)},
		{"br", encodeBrotli(t, body)},
		{"", body},
	}
	for _, tt := range tests {
		t.Run(tt.encoding, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				w.Write(tt.data)
			}))
			f := newTestFetcher(t, Options{}, nil, srv)
			resp := mustFetch(t, f, Request{URL: srv.URL})
			if string(resp.Body) != sampleFeed {
				t.Errorf("decoded body = %q, want the feed", resp.Body)
			}
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			fmt.Fprint(w, sampleFeed)
		}))
		f := newTestFetcher(t, Options{}, nil, srv)
		e := fetchErr(t, f, Request{URL: srv.URL})
		if e.Kind != BadResponse || !strings.HasPrefix(e.UserMessage(), "the server sent an unusable response: decoding gzip body") {
			t.Errorf("Kind %v UserMessage %q, want BadResponse about gzip", e.Kind, e.UserMessage())
		}
	})
}

// TestFetchHTTP2 fetches over TLS with HTTP/2 through the custom dialer.
func TestFetchHTTP2(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(encodeGzip(t, []byte(r.Proto)))
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	f := newTestFetcher(t, Options{}, nil, srv)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	f.transport.TLSClientConfig.RootCAs = pool
	resp := mustFetch(t, f, Request{URL: srv.URL})
	if string(resp.Body) != "HTTP/2.0" {
		t.Errorf("server saw protocol %q, want HTTP/2.0", resp.Body)
	}
}

func TestFetchNetworkErrors(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake failures are the point
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	plain := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))

	// A port with nothing listening: bind, note, close.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := netip.MustParseAddrPort(l.Addr().String())
	l.Close()

	tests := []struct {
		name    string
		url     string
		wantMsg string
	}{
		{"connection refused", "http://" + closedAddr.String() + "/feed", "the server refused the connection"},
		{"no such host", "http://nonexistent.example/feed", "could not resolve host nonexistent.example: no such host"},
		{"untrusted certificate", tlsSrv.URL, "TLS certificate problem: x509: certificate signed by unknown authority"},
		{"plain http on https", strings.Replace(plain.URL, "http://", "https://", 1), "TLS handshake failed: the server did not answer with TLS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFetcher(t, Options{}, nil, tlsSrv, plain)
			allowTLS := f.allowAddr
			f.allowAddr = func(ap netip.AddrPort) bool { return ap == closedAddr || allowTLS(ap) }
			e := fetchErr(t, f, Request{URL: tt.url})
			if e.Kind != Network || !e.Retry() {
				t.Errorf("Kind %v Retry %v (%v), want Network, retryable", e.Kind, e.Retry(), e)
			}
			if got := e.UserMessage(); got != tt.wantMsg {
				t.Errorf("UserMessage() = %q, want %q", got, tt.wantMsg)
			}
		})
	}
}

func TestFetchInvalidURLs(t *testing.T) {
	tests := []struct {
		url      string
		wantKind Kind
		wantMsg  string
	}{
		{"", InvalidURL, "invalid URL: url has no scheme, expected http:// or https://"},
		{"example.com/feed", InvalidURL, "invalid URL: url has no scheme, expected http:// or https://"},
		{"http://", InvalidURL, "invalid URL: url has no host"},
		{"http:feed", InvalidURL, "invalid URL: url has no host"},
		{"http://example.com:99999/", InvalidURL, `invalid URL: invalid port "99999"`},
		{"http://exa mple.com/", InvalidURL, `invalid URL: invalid character " " in host name`},
		{"http://example.com/" + strings.Repeat("a", maxURLLength), InvalidURL, ""},
		{"file:///etc/passwd", Blocked, `refused: only http and https URLs can be fetched, not "file"`},
		{"gopher://example.com:70/1", Blocked, `refused: only http and https URLs can be fetched, not "gopher"`},
		{"ftp://example.com/feed", Blocked, `refused: only http and https URLs can be fetched, not "ftp"`},
		{"javascript:alert(1)", Blocked, `refused: only http and https URLs can be fetched, not "javascript"`},
		{"data:text/xml,<rss/>", Blocked, `refused: only http and https URLs can be fetched, not "data"`},
		{"HTTP://10.0.0.5/", Blocked, "refused: 10.0.0.5 is a private network address (set NEWSALERT_ALLOW_PRIVATE_NETWORKS=true to allow)"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			f := newTestFetcher(t, Options{}, nil)
			e := fetchErr(t, f, Request{URL: tt.url})
			if e.Kind != tt.wantKind {
				t.Errorf("Kind = %v (%v), want %v", e.Kind, e, tt.wantKind)
			}
			if tt.wantMsg != "" && e.UserMessage() != tt.wantMsg {
				t.Errorf("UserMessage() = %q, want %q", e.UserMessage(), tt.wantMsg)
			}
			if e.Retry() {
				t.Errorf("Retry() = true, want false")
			}
		})
	}
}

func TestFetchCanceledBeforeStart(t *testing.T) {
	var hits int
	srv := validatingServer(t, "", "", &hits)
	f := newTestFetcher(t, Options{}, nil, srv)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := f.Fetch(ctx, Request{URL: srv.URL})
	var e *Error
	if !errors.As(err, &e) || e.Kind != Canceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch with canceled ctx = %v, want Canceled wrapping context.Canceled", err)
	}
	if hits != 0 {
		t.Errorf("server saw %d requests, want 0", hits)
	}
}

// TestFetchRedirectKeepsCredentialsOnSameHost: an absolute redirect to the
// same host (as http -> https upgrades are) keeps Basic authentication.
func TestFetchRedirectKeepsCredentialsOnSameHost(t *testing.T) {
	var srvURL string
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, srvURL+"/secure", http.StatusMovedPermanently)
			return
		}
		if user, pass, ok := r.BasicAuth(); !ok || user != "alice" || pass != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, sampleFeed)
	}))
	srvURL = srv.URL
	f := newTestFetcher(t, Options{}, nil, srv)
	withCreds := strings.Replace(srv.URL, "http://", "http://alice:s3cret@", 1)
	resp := mustFetch(t, f, Request{URL: withCreds + "/old"})
	if resp.PermanentURL != withCreds+"/secure" {
		t.Errorf("PermanentURL = %q, want the new URL with its credentials", resp.PermanentURL)
	}
}

func TestKeepCredentials(t *testing.T) {
	tests := []struct {
		from, to, want string
	}{
		{"http://a:b@example.com/x", "https://example.com/y", "https://a:b@example.com/y"},
		{"http://a:b@example.com/x", "http://EXAMPLE.com:8080/y", "http://a:b@EXAMPLE.com:8080/y"},
		{"http://a:b@example.com/x", "https://cdn.example.net/y", "https://cdn.example.net/y"},
		{"https://a:b@example.com/x", "http://example.com/y", "http://example.com/y"},
		{"http://a:b@example.com/x", "https://c:d@example.com/y", "https://c:d@example.com/y"},
		{"http://example.com/x", "https://example.com/y", "https://example.com/y"},
	}
	for _, tt := range tests {
		from, to := mustParseURL(t, tt.from), mustParseURL(t, tt.to)
		keepCredentials(from, to)
		if to.String() != tt.want {
			t.Errorf("keepCredentials(%s -> %s) = %s, want %s", tt.from, tt.to, to, tt.want)
		}
	}
}

func mustParseURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
