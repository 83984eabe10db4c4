package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSecretsNeverLeak drives every failure path with a URL carrying a
// password and tokens, and checks error texts and log output.
func TestSecretsNeverLeak(t *testing.T) {
	secrets := []string{"alice", "s3cr3tpass", "tok123", "k456"}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/404":
			http.NotFound(w, r)
		case "/loop":
			http.Redirect(w, r, "/loop?token=tok123&n="+r.URL.Query().Get("n")+"1", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, "http://alice:s3cr3tpass@10.0.0.5/?secret=tok123", http.StatusMovedPermanently)
		case "/bad-location":
			w.Header().Set("Location", "http://[::1?token=tok123")
			w.WriteHeader(http.StatusFound)
		case "/corrupt":
			w.Header().Set("Content-Encoding", "br")
			fmt.Fprint(w, "not brotli at all, token=tok123")
		case "/slow":
			<-r.Context().Done()
		default:
			fmt.Fprint(w, sampleFeed)
		}
	}))
	base := strings.Replace(srv.URL, "http://", "http://alice:s3cr3tpass@", 1)
	query := "?token=tok123&api_key=k456&page=2"
	urls := []string{
		base + "/ok" + query,
		base + "/404" + query,
		base + "/loop" + query,
		base + "/to-private" + query,
		base + "/bad-location" + query,
		base + "/corrupt" + query,
		base + "/slow" + query,
		"http://alice:s3cr3tpass@10.0.0.5/feed" + query,
		"http://alice:s3cr3tpass@nope.example/feed" + query,
		"http://alice:s3cr3tpass@exa mple.com/feed" + query,
		"gopher://alice:s3cr3tpass@example.com/feed" + query,
		"http://alice:s3cr3tpass@example.com:99999/feed" + query,
	}
	var logs syncBuffer
	f := newTestFetcher(t, Options{Logger: debugLogger(&logs), RequestTimeout: 300 * time.Millisecond}, nil, srv)
	failures := 0
	for _, u := range urls {
		_, err := f.Fetch(context.Background(), Request{URL: u})
		if err == nil {
			continue
		}
		failures++
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Fetch(%q) returned %T", u, err)
		}
		t.Logf("%v: %v | %s", e.Kind, err, e.UserMessage())
		texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), e.UserMessage(), e.URL}
		for _, text := range texts {
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("error text for a %v failure contains %q: %s", e.Kind, s, text)
				}
			}
		}
	}
	if failures != len(urls)-1 {
		t.Errorf("%d of %d fetches failed, want all but the first", failures, len(urls))
	}
	out := logs.String()
	if !strings.Contains(out, `"msg":"fetch done"`) || !strings.Contains(out, `"msg":"fetch failed"`) {
		t.Fatalf("expected debug records, got:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log output contains %q:\n%s", s, out)
		}
	}
}

func TestUserMessage(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: HTTPStatus, Status: 404}, "the server answered 404 Not Found"},
		{&Error{Kind: HTTPStatus, Status: 429, RetryAfter: 90 * time.Second}, "the server answered 429 Too Many Requests (it asked to wait 90s)"},
		{&Error{Kind: HTTPStatus, Status: 503, RetryAfter: 150 * time.Minute}, "the server answered 503 Service Unavailable (it asked to wait 2h30m)"},
		{&Error{Kind: Gone, Status: 410}, "gone (410): the source was removed by its publisher"},
		{&Error{Kind: TooLarge, limit: 10 << 20}, "the feed is larger than 10 MiB"},
		{&Error{Kind: TooLarge, limit: 512 << 10}, "the feed is larger than 512 KiB"},
		{&Error{Kind: TooLarge, limit: 1500}, "the feed is larger than 1500 bytes"},
		{&Error{Kind: TooLarge}, "the feed is too large"},
		{&Error{Kind: Timeout, after: 30 * time.Second}, "timed out after 30s"},
		{&Error{Kind: Timeout, after: 2 * time.Hour}, "timed out after 2h"},
		{&Error{Kind: Timeout, after: 250 * time.Millisecond}, "timed out after 250ms"},
		{&Error{Kind: Timeout}, "timed out"},
		{&Error{Kind: TooManyRedirects, redirects: 5}, "too many redirects (more than 5)"},
		{&Error{Kind: Blocked, Err: &blockedError{addr: netip.MustParseAddr("10.0.0.5"), class: classPrivate}},
			"refused: 10.0.0.5 is a private network address (set NEWSALERT_ALLOW_PRIVATE_NETWORKS=true to allow)"},
		{&Error{Kind: Blocked, Err: &blockedError{scheme: "file"}}, `refused: only http and https URLs can be fetched, not "file"`},
		{&Error{Kind: Blocked}, "refused: the address is not allowed"},
		{&Error{Kind: Network}, "network error"},
		{&Error{Kind: Network, Err: errors.New("weird\nmulti-line\tfailure")}, "network error: weird multi-line failure"},
		{&Error{Kind: BadResponse}, "the server sent an unusable response"},
		{&Error{Kind: BadResponse, Err: &badRedirectError{location: "http://[::1"}}, "the server sent an invalid redirect"},
		{&Error{Kind: BadResponse, Err: &decodeError{coding: "zstd"}}, `the server sent an unusable response: unsupported content-encoding "zstd"`},
		{&Error{Kind: InvalidURL}, "invalid URL"},
		{&Error{Kind: Canceled}, "the fetch was canceled"},
		{&Error{}, "fetch failed"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.UserMessage(); got != tt.want {
				t.Errorf("UserMessage() = %q, want %q", got, tt.want)
			}
			if strings.ContainsAny(tt.err.UserMessage(), "\r\n") {
				t.Errorf("UserMessage() has several lines")
			}
		})
	}
}

func TestErrorRetry(t *testing.T) {
	tests := []struct {
		err  *Error
		want bool
	}{
		{&Error{Kind: Timeout}, true},
		{&Error{Kind: Network}, true},
		{&Error{Kind: BadResponse}, true},
		{&Error{Kind: Canceled}, true},
		{&Error{Kind: HTTPStatus, Status: 429}, true},
		{&Error{Kind: HTTPStatus, Status: 408}, true},
		{&Error{Kind: HTTPStatus, Status: 425}, true},
		{&Error{Kind: HTTPStatus, Status: 500}, true},
		{&Error{Kind: HTTPStatus, Status: 503}, true},
		{&Error{Kind: HTTPStatus, Status: 501}, false},
		{&Error{Kind: HTTPStatus, Status: 505}, false},
		{&Error{Kind: HTTPStatus, Status: 404}, false},
		{&Error{Kind: HTTPStatus, Status: 400}, false},
		{&Error{Kind: Gone, Status: 410}, false},
		{&Error{Kind: Blocked}, false},
		{&Error{Kind: TooLarge}, false},
		{&Error{Kind: TooManyRedirects}, false},
		{&Error{Kind: InvalidURL}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v %d", tt.err.Kind, tt.err.Status), func(t *testing.T) {
			if got := tt.err.Retry(); got != tt.want {
				t.Errorf("Retry() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	cause := errors.New("connection reset by peer")
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: HTTPStatus, URL: "https://example.com/feed", Status: 503, RetryAfter: 2 * time.Minute},
			"fetch https://example.com/feed: status 503 service unavailable (retry after 2m0s)"},
		{&Error{Kind: Gone, URL: "https://example.com/feed", Status: 410}, "fetch https://example.com/feed: status 410 gone"},
		{&Error{Kind: Network, URL: "https://example.com/feed", Err: cause}, "fetch https://example.com/feed: network: connection reset by peer"},
		{&Error{Kind: TooLarge, URL: "https://example.com/feed", Err: &tooLargeError{limit: 100}},
			"fetch https://example.com/feed: too large: body exceeds the limit of 100 bytes after decoding"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	e := &Error{Kind: Network, Err: cause}
	if !errors.Is(e, cause) {
		t.Error("errors.Is does not reach the cause through Unwrap")
	}
}

func TestKindString(t *testing.T) {
	seen := map[string]Kind{}
	for k := Blocked; k <= Canceled; k++ {
		s := k.String()
		if s == "unknown" || s != strings.ToLower(s) {
			t.Errorf("Kind(%d).String() = %q", k, s)
		}
		if prev, dup := seen[s]; dup {
			t.Errorf("kinds %d and %d share the name %q", prev, k, s)
		}
		seen[s] = k
	}
	if Kind(0).String() != "unknown" {
		t.Errorf("zero Kind = %q", Kind(0).String())
	}
}

// TestFailClassifies covers the classification of causes that are hard to
// provoke over loopback, such as a connect timeout.
func TestFailClassifies(t *testing.T) {
	f := New(Options{ConnectTimeout: 7 * time.Second, RequestTimeout: 20 * time.Second})
	live := context.Background()
	expired, cancelExpired := context.WithDeadline(live, time.Unix(1, 0))
	defer cancelExpired()
	canceled, cancel := context.WithCancel(live)
	cancel()
	start := time.Unix(0, 0)
	dialTimeout := &net.OpError{Op: "dial", Net: "tcp", Err: context.DeadlineExceeded}

	tests := []struct {
		name     string
		ctx      context.Context
		reqCtx   context.Context
		err      error
		wantKind Kind
		wantMsg  string
	}{
		{"connect timeout", live, live, dialTimeout, Timeout, "timed out after 7s"},
		{"request timeout", live, expired, errors.New("net/http: request canceled"), Timeout, "timed out after 20s"},
		{"caller deadline", expired, expired, context.DeadlineExceeded, Timeout, "timed out after 1s"},
		{"caller cancel", canceled, canceled, context.Canceled, Canceled, "the fetch was canceled"},
		{"blocked wins over cancel", canceled, canceled, &net.OpError{Op: "dial", Err: &blockedError{addr: netip.MustParseAddr("10.1.1.1"), class: classPrivate}},
			Blocked, "refused: 10.1.1.1 is a private network address" + allowHint},
		{"too large", live, live, &tooLargeError{limit: 1 << 20}, TooLarge, "the feed is larger than 1 MiB"},
		{"decode", live, live, &decodeError{coding: "br", err: errors.New("brotli: PADDING_2")}, BadResponse,
			"the server sent an unusable response: decoding br body: brotli: PADDING_2"},
		{"header limit", live, live, errors.New("net/http: server response headers exceeded 65536 bytes; aborted"), BadResponse,
			"the server sent an unusable response: net/http: server response headers exceeded 65536 bytes; aborted"},
		{"dns timeout", live, live, &net.DNSError{Name: "slow.example", Err: "i/o timeout", IsTimeout: true}, Timeout, "timed out after 7s"},
		{"url error is unwrapped", live, live, &url.Error{Op: "Get", URL: "http://u:tok123@x/?token=tok123", Err: syscall.ECONNRESET}, Network,
			"the server reset the connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := f.fail(&Error{URL: "http://x/"}, tt.ctx, tt.reqCtx, start, tt.err)
			if e.Kind != tt.wantKind || e.UserMessage() != tt.wantMsg {
				t.Errorf("Kind %v UserMessage %q, want %v %q", e.Kind, e.UserMessage(), tt.wantKind, tt.wantMsg)
			}
			if strings.Contains(e.Error(), "tok123") {
				t.Errorf("Error() leaks the URL of a *url.Error: %s", e.Error())
			}
		})
	}
}
