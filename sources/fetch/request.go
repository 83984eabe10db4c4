package fetch

import "time"

// Request describes one GET.
type Request struct {
	// URL is the absolute http or https URL to fetch. Userinfo, if any, is
	// sent as HTTP Basic authentication to that host only.
	URL string
	// ETag and LastModified are the validators of the copy the caller
	// already has (from a previous Response); when set, the request is
	// conditional and an unchanged resource yields NotModified.
	ETag         string
	LastModified string
	// Accept overrides DefaultAccept, e.g. HTMLAccept for article pages.
	Accept string
}

// Response is the outcome of a successful Fetch: a 2xx or a 304.
type Response struct {
	// StatusCode is the final HTTP status (2xx or 304).
	StatusCode int
	// NotModified is true for a 304 answer to a conditional request; Body
	// is then nil.
	NotModified bool
	// Body is the raw body after Content-Encoding decoding, at most
	// MaxBodyBytes long; its character set is not decoded.
	Body []byte
	// ContentType is the Content-Type header as sent.
	ContentType string
	// ETag and LastModified are the validators to store for the next
	// conditional request. For a 304 that omits them, the request's values
	// are carried over.
	ETag, LastModified string
	// FinalURL is the URL that answered, after redirects.
	FinalURL string
	// PermanentURL is FinalURL when at least one redirect was followed and
	// every redirect was permanent (301 or 308): the URL to store instead of
	// the requested one. It is empty otherwise.
	PermanentURL string
	// RetryAfter is the Retry-After hint (seconds or HTTP-date), capped at
	// MaxHint; 0 when absent.
	RetryAfter time.Duration
	// MaxAge is Cache-Control max-age, capped at MaxHint; 0 when absent or
	// when the response says no-cache or no-store.
	MaxAge time.Duration
	// Duration is the time from holding the first concurrency slot to
	// having read the body, measured with Options.Now.
	Duration time.Duration
}
