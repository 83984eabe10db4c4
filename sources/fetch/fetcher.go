package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/sync/semaphore"
)

// maxDrainBytes is how much of a redirect body is read so that the
// connection can be reused; larger bodies are abandoned with the connection.
const maxDrainBytes = 4 << 10

// Fetcher performs GET requests under the limits of its Options. It is safe
// for concurrent use; create one per process and share it, so that the
// concurrency limits and the connection pool are shared too.
type Fetcher struct {
	opts      Options
	log       *slog.Logger
	dialer    *net.Dialer
	transport *http.Transport
	global    *semaphore.Weighted
	hosts     *hostLimiter
	bufs      sync.Pool // *bytes.Buffer for bodies of unknown length

	// Test seams, nil in production. allowAddr admits a destination before
	// the address classification; lookup replaces DNS.
	allowAddr func(netip.AddrPort) bool
	lookup    func(ctx context.Context, host string) ([]netip.Addr, error)
}

// New returns a Fetcher configured by opts (zero fields take defaults).
func New(opts Options) *Fetcher {
	o := opts.withDefaults()
	f := &Fetcher{
		opts:   o,
		log:    o.Logger,
		global: semaphore.NewWeighted(int64(o.GlobalLimit)),
		hosts:  newHostLimiter(o.PerHostLimit),
	}
	f.dialer = &net.Dialer{KeepAlive: 30 * time.Second, Control: f.controlDial}
	f.transport = &http.Transport{
		Proxy:                  nil, // a proxy would make the dial-time address check meaningless
		DialContext:            f.dialContext,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    o.ConnectTimeout,
		MaxResponseHeaderBytes: maxResponseHeaderBytes,
		DisableCompression:     true, // readBody decodes, so the size cap applies to decoded bytes
		MaxIdleConns:           o.GlobalLimit,
		MaxIdleConnsPerHost:    o.PerHostLimit,
		IdleConnTimeout:        idleConnTimeout,
	}
	return f
}

// CloseIdleConnections closes pooled keep-alive connections and so ends
// their goroutines. Call it when shutting down; the Fetcher stays usable.
func (f *Fetcher) CloseIdleConnections() {
	f.transport.CloseIdleConnections()
}

// Fetch performs one GET of req.URL and returns the 2xx or 304 response with
// its decoded body, or an *Error.
//
// Contract:
//   - It first waits for a slot for the URL's host (PerHostLimit) and then a
//     global slot (GlobalLimit); waiting is bounded only by ctx. Each
//     redirect hop waits again for its own host.
//   - From the first slot on, the whole fetch (all redirects, connecting,
//     headers and body) is bounded by RequestTimeout as well as ctx; a
//     server dripping bytes cannot hold the caller past it.
//   - The request is conditional (If-None-Match, If-Modified-Since) when
//     req carries validators; a 304 yields NotModified without a body.
//   - At most MaxRedirects redirects are followed; each target is vetted.
//   - Only http and https, and only public addresses unless AllowPrivate.
//   - The body is decoded from gzip, deflate or br; more than MaxBodyBytes
//     decoded bytes is a TooLarge error and no body is returned.
//   - Any status other than 2xx and 304 is an HTTPStatus or Gone error.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, f.fail(&Error{URL: RedactURL(req.URL)}, ctx, nil, time.Time{}, err)
	}
	u, e := f.parseURL(req.URL)
	if e != nil {
		f.logFailure(e)
		return nil, e
	}
	release, err := f.acquire(ctx, hostKey(u))
	if err != nil {
		return nil, f.fail(&Error{URL: RedactURL(u.String())}, ctx, nil, time.Time{}, err)
	}
	start := f.opts.Now()
	reqCtx, cancel := context.WithTimeout(ctx, f.opts.RequestTimeout)
	defer cancel()
	return f.follow(ctx, reqCtx, start, u, req, release)
}

// follow performs the hops of one Fetch. release frees the slots held for
// the first hop; later hops acquire their own under reqCtx.
func (f *Fetcher) follow(ctx, reqCtx context.Context, start time.Time, u *url.URL, req Request, release func()) (*Response, error) {
	requested := u.String()
	permanent := true
	for hops := 0; ; {
		if release == nil {
			var err error
			release, err = f.acquire(reqCtx, hostKey(u))
			if err != nil {
				return nil, f.fail(&Error{URL: RedactURL(u.String())}, ctx, reqCtx, start, err)
			}
		}

		resp, err := f.send(reqCtx, u, req)
		if err != nil {
			release()
			return nil, f.fail(&Error{URL: RedactURL(u.String())}, ctx, reqCtx, start, err)
		}

		loc := resp.Header.Get("Location")
		if !isRedirect(resp.StatusCode) || loc == "" {
			r, err := f.finish(ctx, reqCtx, resp, u, req, start)
			release()
			if err != nil {
				return nil, err
			}
			if permanent && hops > 0 && r.FinalURL != requested {
				r.PermanentURL = r.FinalURL
			}
			f.log.Debug("fetch done", "url", RedactURL(requested), "final_url", RedactURL(r.FinalURL),
				"status", r.StatusCode, "bytes", len(r.Body), "redirects", hops,
				"duration_ms", r.Duration.Milliseconds())
			return r, nil
		}

		drain(resp)
		release()
		release = nil
		hops++
		next, perr := u.Parse(loc)
		var e *Error
		switch {
		case perr != nil:
			e = &Error{Kind: BadResponse, URL: RedactURL(u.String()),
				Err: &badRedirectError{location: RedactURL(loc)}}
		case hops > f.opts.MaxRedirects:
			e = &Error{Kind: TooManyRedirects, URL: RedactURL(requested), redirects: f.opts.MaxRedirects,
				Err: &redirectError{max: f.opts.MaxRedirects, location: RedactURL(next.String())}}
		default:
			e = f.checkTarget(next)
		}
		if e != nil {
			f.logFailure(e)
			return nil, e
		}
		f.log.Debug("fetch redirect", "url", RedactURL(u.String()), "location", RedactURL(next.String()),
			"status", resp.StatusCode)
		permanent = permanent && (resp.StatusCode == http.StatusMovedPermanently ||
			resp.StatusCode == http.StatusPermanentRedirect)
		keepCredentials(u, next)
		u = next
	}
}

// send issues one GET to u. It uses the transport directly: Fetch follows
// redirects itself, vetting and rate-limiting each hop. Userinfo in u is
// sent as Basic authentication to u's host only.
func (f *Fetcher) send(ctx context.Context, u *url.URL, req Request) (*http.Response, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	h := hr.Header
	h.Set("User-Agent", f.opts.UserAgent)
	accept := req.Accept
	if accept == "" || !httpguts.ValidHeaderFieldValue(accept) {
		accept = DefaultAccept
	}
	h.Set("Accept", accept)
	h.Set("Accept-Encoding", acceptEncoding)
	if req.ETag != "" && httpguts.ValidHeaderFieldValue(req.ETag) {
		h.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" && httpguts.ValidHeaderFieldValue(req.LastModified) {
		h.Set("If-Modified-Since", req.LastModified)
	}
	if ui := u.User; ui != nil {
		pw, _ := ui.Password()
		hr.SetBasicAuth(ui.Username(), pw)
	}
	return f.transport.RoundTrip(hr)
}

// finish turns the final response into a Response or an *Error, reading and
// decoding the body of a 2xx. It closes the body.
func (f *Fetcher) finish(ctx, reqCtx context.Context, resp *http.Response, u *url.URL, req Request, start time.Time) (*Response, error) {
	defer resp.Body.Close()
	h := resp.Header
	r := &Response{
		StatusCode:   resp.StatusCode,
		ContentType:  h.Get("Content-Type"),
		ETag:         h.Get("ETag"),
		LastModified: h.Get("Last-Modified"),
		FinalURL:     u.String(),
		RetryAfter:   parseRetryAfter(h.Get("Retry-After"), f.opts.Now()),
		MaxAge:       parseMaxAge(strings.Join(h.Values("Cache-Control"), ",")),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		r.NotModified = true
		if r.ETag == "" {
			r.ETag = req.ETag
		}
		if r.LastModified == "" {
			r.LastModified = req.LastModified
		}
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		body, err := readBody(resp.Body, h.Values("Content-Encoding"), resp.ContentLength, f.opts.MaxBodyBytes, &f.bufs)
		if err != nil {
			return nil, f.fail(&Error{URL: RedactURL(r.FinalURL)}, ctx, reqCtx, start, err)
		}
		r.Body = body
	default:
		e := &Error{Kind: HTTPStatus, URL: RedactURL(r.FinalURL), Status: resp.StatusCode, RetryAfter: r.RetryAfter}
		if resp.StatusCode == http.StatusGone {
			e.Kind = Gone
		}
		f.logFailure(e)
		return nil, e
	}
	r.Duration = f.opts.Now().Sub(start)
	return r, nil
}

// fail classifies err into e (whose URL is set) and logs it. ctx is the
// caller's context, reqCtx the one bounded by RequestTimeout (nil before the
// first slot), start when reqCtx began.
func (f *Fetcher) fail(e *Error, ctx, reqCtx context.Context, start time.Time, err error) *Error {
	// *url.Error repeats the URL, query secrets included: keep its cause.
	for {
		ue, ok := err.(*url.Error)
		if !ok {
			break
		}
		err = ue.Err
	}
	e.Err = err
	be, isBlocked := errors.AsType[*blockedError](err)
	tl, isTooLarge := errors.AsType[*tooLargeError](err)
	_, isDecode := errors.AsType[*decodeError](err)
	var ne net.Error
	switch {
	case isBlocked:
		e.Kind, e.Err = Blocked, be
	case isTooLarge:
		e.Kind, e.limit = TooLarge, tl.limit
	case ctx.Err() != nil:
		e.Err = ctxError(ctx)
		if errors.Is(ctx.Err(), context.Canceled) {
			e.Kind = Canceled
			break
		}
		e.Kind = Timeout
		if d, ok := ctx.Deadline(); ok && !start.IsZero() {
			e.after = d.Sub(start)
		}
	case reqCtx != nil && reqCtx.Err() != nil:
		e.Kind, e.after, e.Err = Timeout, f.opts.RequestTimeout, context.DeadlineExceeded
	case isDecode:
		e.Kind = BadResponse
	case errors.As(err, &ne) && ne.Timeout():
		e.Kind, e.after = Timeout, f.opts.ConnectTimeout
	case strings.Contains(err.Error(), "response headers exceeded"):
		e.Kind = BadResponse // net/http has no typed error for MaxResponseHeaderBytes
	default:
		e.Kind = Network
	}
	f.logFailure(e)
	return e
}

// ctxError returns ctx's error, wrapping a distinct cause when there is one.
func ctxError(ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || cause == err {
		return err
	}
	return &causeError{err: err, cause: cause}
}

type causeError struct{ err, cause error }

func (c *causeError) Error() string   { return c.err.Error() + ": " + c.cause.Error() }
func (c *causeError) Unwrap() []error { return []error{c.err, c.cause} }

func (f *Fetcher) logFailure(e *Error) {
	f.log.Debug("fetch failed", "url", e.URL, "kind", e.Kind.String(), "status", e.Status, "error", e.Error())
}

// keepCredentials copies userinfo from u to a redirect target on the same
// host name that names none (typically http -> https), so that a feed behind
// Basic authentication keeps working; it never sends them to another host or
// from https down to http.
func keepCredentials(u, next *url.URL) {
	if u.User == nil || next.User != nil || !strings.EqualFold(u.Hostname(), next.Hostname()) {
		return
	}
	if u.Scheme == "https" && next.Scheme != "https" {
		return
	}
	next.User = u.User
}

// isRedirect reports whether status is a redirect Fetch follows.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// hostKey names the host for the per-host limit: the lower-case host name
// without port, so all ports and schemes of one server share its slots.
func hostKey(u *url.URL) string {
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// drain reads a small redirect body so the connection can be reused, then
// closes it.
func drain(resp *http.Response) {
	if resp.ContentLength >= 0 && resp.ContentLength <= maxDrainBytes {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrainBytes))
	}
	_ = resp.Body.Close()
}
