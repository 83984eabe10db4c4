package fetch

import (
	"log/slog"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Defaults applied by New to zero fields of Options.
const (
	DefaultUserAgent      = "newsalert (+https://github.com/newsalert/newsalert)"
	DefaultConnectTimeout = 10 * time.Second
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	DefaultMaxRedirects   = 5
	DefaultPerHostLimit   = 2
	DefaultGlobalLimit    = 64
)

// DefaultAccept is the Accept header sent when Request.Accept is empty. It
// prefers feed formats and still accepts anything, so that a source URL that
// turns out to be an HTML page can be reported by the feed parser.
const DefaultAccept = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"

// HTMLAccept is a convenient Request.Accept for fetching article pages.
const HTMLAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

// MaxHint caps Response.RetryAfter, Response.MaxAge and Error.RetryAfter: a
// server cannot make a source go silent for longer than this.
const MaxHint = 24 * time.Hour

// maxResponseHeaderBytes bounds the size of the response header block.
const maxResponseHeaderBytes = 64 << 10

// idleConnTimeout is how long a pooled keep-alive connection may stay idle.
const idleConnTimeout = 30 * time.Second

// Options configures a Fetcher. The zero value of every field selects the
// documented default, so Options{} is a valid configuration.
type Options struct {
	// UserAgent is sent with every request; default DefaultUserAgent. A value
	// that is not a valid header value is replaced by the default.
	UserAgent string
	// AllowPrivate lifts the SSRF protection: loopback, private, link-local and
	// other non-public addresses may be fetched. It mirrors the
	// NEWSALERT_ALLOW_PRIVATE_NETWORKS setting.
	AllowPrivate bool
	// ConnectTimeout bounds name resolution plus TCP connection set-up, and
	// separately the TLS handshake; default 10s.
	ConnectTimeout time.Duration
	// RequestTimeout bounds one Fetch from the moment it holds its first
	// concurrency slot until the body is fully read, across all redirects;
	// default 30s.
	RequestTimeout time.Duration
	// MaxBodyBytes caps the body after Content-Encoding decoding; default
	// 10 MiB. A larger body is a TooLarge error.
	MaxBodyBytes int64
	// MaxRedirects is how many redirects one Fetch follows; default 5. A
	// negative value follows none: any redirect is a TooManyRedirects error.
	MaxRedirects int
	// PerHostLimit is the number of concurrent requests to one host name;
	// default 2.
	PerHostLimit int
	// GlobalLimit is the number of concurrent requests overall; default 64.
	GlobalLimit int
	// Logger receives debug records about fetches; default discards. URLs
	// are logged redacted.
	Logger *slog.Logger
	// Now is the clock used to turn Retry-After dates into durations and to
	// measure Response.Duration; default time.Now.
	Now func() time.Time
}

// withDefaults returns a copy of o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.UserAgent == "" || !httpguts.ValidHeaderFieldValue(o.UserAgent) {
		o.UserAgent = DefaultUserAgent
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = DefaultConnectTimeout
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	switch {
	case o.MaxRedirects == 0:
		o.MaxRedirects = DefaultMaxRedirects
	case o.MaxRedirects < 0:
		o.MaxRedirects = 0
	}
	if o.PerHostLimit <= 0 {
		o.PerHostLimit = DefaultPerHostLimit
	}
	if o.GlobalLimit <= 0 {
		o.GlobalLimit = DefaultGlobalLimit
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
