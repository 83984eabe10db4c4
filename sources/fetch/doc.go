// Package fetch is the HTTP client for sources and article pages: one GET
// at a time, polite (conditional requests, compression, per-host and global
// concurrency limits, Retry-After and Cache-Control hints) and safe against
// hostile servers (deadlines that include the body, a cap on decoded bytes,
// bounded redirects, header size limit) and against server-side request
// forgery (only public addresses, checked on every dial).
//
// It returns raw bytes and the Content-Type; character sets are decoded by
// the feed parser.
package fetch
