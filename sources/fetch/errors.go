package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Kind classifies a fetch failure.
type Kind uint8

// Failure kinds. The zero Kind is "unknown" and never produced by Fetch.
const (
	_ Kind = iota
	// Blocked: the URL's scheme is not http/https, or its host is or
	// resolves to a non-public address and AllowPrivate is off.
	Blocked
	// Timeout: a deadline passed (RequestTimeout, ConnectTimeout, or the
	// caller's context deadline).
	Timeout
	// TooLarge: the decoded body is larger than MaxBodyBytes.
	TooLarge
	// TooManyRedirects: more than MaxRedirects redirects (including loops).
	TooManyRedirects
	// HTTPStatus: the final response had a status other than 2xx or 304
	// (410 is Gone instead).
	HTTPStatus
	// Network: DNS, connection, TLS or transfer failure.
	Network
	// Gone: the server answered 410 Gone.
	Gone
	// BadResponse: the response could not be understood (corrupt or
	// unsupported Content-Encoding, oversized header block, bad redirect).
	BadResponse
	// InvalidURL: the URL does not parse or has no host.
	InvalidURL
	// Canceled: the caller's context was canceled.
	Canceled
)

// String returns the lower-case name of the kind, as used in Error().
func (k Kind) String() string {
	switch k {
	case Blocked:
		return "blocked"
	case Timeout:
		return "timeout"
	case TooLarge:
		return "too large"
	case TooManyRedirects:
		return "too many redirects"
	case HTTPStatus:
		return "http status"
	case Network:
		return "network"
	case Gone:
		return "gone"
	case BadResponse:
		return "bad response"
	case InvalidURL:
		return "invalid url"
	case Canceled:
		return "canceled"
	default:
		return "unknown"
	}
}

// Error is the only error type Fetch returns. Its text never contains URL
// userinfo or secret-looking query values.
type Error struct {
	// Kind classifies the failure.
	Kind Kind
	// URL is the redacted URL of the request that failed (after redirects,
	// the hop that failed). See RedactURL.
	URL string
	// Status is the HTTP status code for HTTPStatus and Gone, else 0.
	Status int
	// RetryAfter is the server's Retry-After (capped at MaxHint), 0 when
	// absent.
	RetryAfter time.Duration
	// Err is the underlying cause, if any.
	Err error

	after     time.Duration // the deadline that passed, for Timeout
	limit     int64         // the body limit, for TooLarge
	redirects int           // the redirect limit, for TooManyRedirects
}

// Error returns a detailed, lower-case, single-line description for logs.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("fetch ")
	b.WriteString(e.URL)
	b.WriteString(": ")
	switch e.Kind {
	case HTTPStatus, Gone:
		b.WriteString("status ")
		b.WriteString(strconv.Itoa(e.Status))
		if t := http.StatusText(e.Status); t != "" {
			b.WriteByte(' ')
			b.WriteString(strings.ToLower(t))
		}
	default:
		b.WriteString(e.Kind.String())
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(oneLine(e.Err.Error(), 400))
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Retry reports whether the failure is likely transient, so the same request
// may succeed later (after RetryAfter when set): timeouts, network and
// transfer errors, cancellation, and HTTP 408, 425, 429 and 5xx other than
// 501 and 505. It is false for failures that repeat until the source or the
// configuration changes: blocked or invalid URLs, oversized bodies, redirect
// loops, 410 and other 4xx statuses.
func (e *Error) Retry() bool {
	switch e.Kind {
	case Timeout, Network, BadResponse, Canceled:
		return true
	case HTTPStatus:
		switch {
		case e.Status == http.StatusRequestTimeout, e.Status == http.StatusTooEarly,
			e.Status == http.StatusTooManyRequests:
			return true
		case e.Status == http.StatusNotImplemented, e.Status == http.StatusHTTPVersionNotSupported:
			return false
		default:
			return e.Status >= 500 && e.Status <= 599
		}
	default:
		return false
	}
}

// UserMessage returns one line explaining the failure to a chat user, for
// example "the server answered 404 Not Found" or "timed out after 30s". It
// contains no URL.
func (e *Error) UserMessage() string {
	switch e.Kind {
	case Blocked:
		return blockedMessage(e.Err)
	case Timeout:
		if e.after > 0 {
			return "timed out after " + humanDuration(e.after)
		}
		return "timed out"
	case TooLarge:
		if e.limit > 0 {
			return "the feed is larger than " + humanBytes(e.limit)
		}
		return "the feed is too large"
	case TooManyRedirects:
		return fmt.Sprintf("too many redirects (more than %d)", e.redirects)
	case Gone:
		return "gone (410): the source was removed by its publisher"
	case HTTPStatus:
		msg := "the server answered " + strconv.Itoa(e.Status)
		if t := http.StatusText(e.Status); t != "" {
			msg += " " + t
		}
		if e.RetryAfter > 0 {
			msg += " (it asked to wait " + humanDuration(e.RetryAfter) + ")"
		}
		return msg
	case Network:
		return networkMessage(e.Err)
	case BadResponse:
		if _, ok := errors.AsType[*badRedirectError](e.Err); ok {
			return "the server sent an invalid redirect"
		}
		if e.Err != nil {
			return "the server sent an unusable response: " + oneLine(e.Err.Error(), 160)
		}
		return "the server sent an unusable response"
	case InvalidURL:
		if e.Err != nil {
			return "invalid URL: " + oneLine(e.Err.Error(), 160)
		}
		return "invalid URL"
	case Canceled:
		return "the fetch was canceled"
	default:
		if e.Err != nil {
			return "fetch failed: " + oneLine(e.Err.Error(), 160)
		}
		return "fetch failed"
	}
}

// blockedError explains why a destination was refused.
type blockedError struct {
	scheme string     // set when the scheme was refused
	host   string     // the host as written, when it differs from addr
	addr   netip.Addr // the refused address
	class  addrClass
}

func (b *blockedError) Error() string {
	if b.scheme != "" {
		return fmt.Sprintf("scheme %q is not allowed, only http and https", b.scheme)
	}
	if b.host != "" {
		return fmt.Sprintf("%s (%s) is %s", b.host, b.addr, b.class)
	}
	return fmt.Sprintf("%s is %s", b.addr, b.class)
}

func blockedMessage(err error) string {
	b, ok := errors.AsType[*blockedError](err)
	if !ok {
		return "refused: the address is not allowed"
	}
	if b.scheme != "" {
		return fmt.Sprintf("refused: only http and https URLs can be fetched, not %q", b.scheme)
	}
	return "refused: " + b.Error() + " (set NEWSALERT_ALLOW_PRIVATE_NETWORKS=true to allow)"
}

// tooLargeError reports a body over the limit.
type tooLargeError struct {
	limit    int64
	declared int64 // Content-Length when it alone proved the body too large
}

func (t *tooLargeError) Error() string {
	if t.declared > 0 {
		return fmt.Sprintf("content-length %d exceeds the limit of %d bytes", t.declared, t.limit)
	}
	return fmt.Sprintf("body exceeds the limit of %d bytes after decoding", t.limit)
}

// redirectError reports a redirect chain over the limit.
type redirectError struct {
	max      int
	location string // redacted
}

func (r *redirectError) Error() string {
	return fmt.Sprintf("stopped after %d redirects at %s", r.max, r.location)
}

// badRedirectError reports a Location header that does not parse.
type badRedirectError struct {
	location string // redacted
}

func (b *badRedirectError) Error() string {
	return "invalid redirect location " + b.location
}

// humanDuration formats d for chat users: "30s", "90s", "5m", "2h30m".
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < 2*time.Minute:
		return strconv.FormatInt(int64(d.Round(time.Second)/time.Second), 10) + "s"
	case d < 2*time.Hour:
		return strconv.FormatInt(int64(d.Round(time.Minute)/time.Minute), 10) + "m"
	default:
		d = d.Round(time.Minute)
		h, m := d/time.Hour, (d%time.Hour)/time.Minute
		if m == 0 {
			return strconv.FormatInt(int64(h), 10) + "h"
		}
		return fmt.Sprintf("%dh%dm", h, m)
	}
}

// humanBytes formats n as "10 MiB", "512 KiB" or "1000 bytes".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	default:
		return strconv.FormatInt(n, 10) + " bytes"
	}
}

// oneLine collapses whitespace runs (including newlines) to single spaces
// and truncates to n bytes.
func oneLine(s string, n int) string {
	return truncate(strings.Join(strings.Fields(s), " "), n)
}
