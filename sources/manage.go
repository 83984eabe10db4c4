package sources

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/fetch"
)

// AddRequest asks for a new source.
type AddRequest struct {
	URL      string
	Interval time.Duration // 0: the default
	Name     string        // empty: the feed's title
	AddedBy  string
	AddedIn  string
}

// Added describes a source just added.
type Added struct {
	Source Source
	// Discovered is true when URL was a web page and the feed was found on it.
	Discovered bool
	Items      int // items present now, marked seen without alerts
	// Stories are those items as stories, newest first, for /test to try
	// queries on (they are not alerted).
	Stories []Story
}

// Probe is a feed fetched without storing anything.
type Probe struct {
	URL        string // the feed's URL (after discovery and redirects)
	Discovered bool
	Feed       *feed.Feed
	Response   *fetch.Response
}

// ValidateURL checks that raw is an absolute http(s) URL and returns it
// cleaned; the error is one line for a chat user.
func ValidateURL(raw string) (string, error) {
	raw = strings.Trim(strings.TrimSpace(raw), "<>")
	if raw != "" && !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", &InputError{Msg: fmt.Sprintf("%q is not a web address (example: https://www.theguardian.com/world/rss)", raw)}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", &InputError{Msg: fmt.Sprintf("only http and https addresses can be sources, not %s", u.Scheme)}
	}
	u.Fragment = ""
	return u.String(), nil
}

// Probe fetches rawURL and parses it as a feed; when it is a web page, it
// looks for the page's feed (declared <link rel=alternate>, then common
// paths) and returns the first that parses.
func (w *Watcher) Probe(ctx context.Context, rawURL string) (*Probe, error) {
	u, err := ValidateURL(rawURL)
	if err != nil {
		return nil, err
	}
	resp, err := w.fetcher.Fetch(ctx, fetch.Request{URL: u})
	if err != nil {
		return nil, err
	}
	f, perr := feed.Parse(resp.Body, resp.ContentType, resp.FinalURL, feed.Options{MaxItems: w.opts.MaxItems, Now: w.opts.Now})
	if perr == nil {
		return &Probe{URL: feedURL(u, resp), Feed: f, Response: resp}, nil
	}
	if !feed.LooksLikeHTML(resp.Body, resp.ContentType) {
		return nil, perr
	}
	candidates := feed.Discover(resp.Body, resp.FinalURL)
	for i, c := range candidates {
		if i >= 8 {
			break
		}
		cr, err := w.fetcher.Fetch(ctx, fetch.Request{URL: c})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		cf, err := feed.Parse(cr.Body, cr.ContentType, cr.FinalURL, feed.Options{MaxItems: w.opts.MaxItems, Now: w.opts.Now})
		if err == nil {
			return &Probe{URL: feedURL(c, cr), Discovered: true, Feed: cf, Response: cr}, nil
		}
	}
	return nil, &noFeedError{url: u}
}

// feedURL is where the feed lives: the permanent new address after 301/308
// redirects, the asked one otherwise.
func feedURL(asked string, resp *fetch.Response) string {
	if resp.PermanentURL != "" {
		return resp.PermanentURL
	}
	return asked
}

type noFeedError struct{ url string }

func (e *noFeedError) Error() string {
	return "no feed found at " + e.url + " (the page declares none and the usual paths have none)"
}

func (e *noFeedError) UserMessage() string {
	return "no feed found on that page (it declares none, and /feed, /rss and the other usual paths have none); give the feed's own address"
}

// InputError is a bad argument from a user; Msg is the one-line reason.
type InputError struct{ Msg string }

func (e *InputError) Error() string       { return e.Msg }
func (e *InputError) UserMessage() string { return e.Msg }

// Add probes the URL, stores the source and marks its current items seen,
// so that adding a source never floods chats with its backlog.
func (w *Watcher) Add(ctx context.Context, req AddRequest) (Added, error) {
	p, err := w.Probe(ctx, req.URL)
	if err != nil {
		return Added{}, err
	}
	interval := req.Interval
	if interval < w.opts.MinInterval {
		interval = max(w.opts.MinInterval, interval)
	}
	name := strings.TrimSpace(req.Name)
	if name == "" {
		name = strings.TrimSpace(p.Feed.Title)
	}
	if name == "" {
		if u, err := url.Parse(p.URL); err == nil {
			name = u.Host
		}
	}
	now := w.opts.Now()
	src := Source{URL: p.URL, Name: truncateRunes(name, 80), Interval: interval, State: Active,
		AddedBy: req.AddedBy, AddedIn: req.AddedIn, Created: now,
		LastFetch: now, LastSuccess: now, ETag: p.Response.ETag, LastModified: p.Response.LastModified,
		FeedTTL: p.Feed.TTL, MaxAge: p.Response.MaxAge}
	// The first poll is scheduled an interval from now, so the seen marks
	// below are in place before any process polls the source.
	keys := itemKeys(p.Feed.Items)
	next := w.nextAfterSuccess(now, src)
	stored, err := w.reg.Add(ctx, src, feed.NormalizeURL(p.URL), next)
	if err != nil {
		return Added{Source: stored}, err
	}
	if err := w.seen.Mark(ctx, stored.ID, keys, now); err != nil {
		// Without the marks the next poll would flood: take the source out.
		w.reg.Remove(context.WithoutCancel(ctx), stored.ID)
		return Added{}, err
	}
	stories := make([]Story, len(p.Feed.Items))
	for i, it := range p.Feed.Items {
		stories[i] = w.opts.Stories.Build(stored, it, now)
	}
	return Added{Source: stored, Discovered: p.Discovered, Items: len(keys), Stories: stories}, nil
}

// IsNoFeed reports whether err says a URL had no feed.
func IsNoFeed(err error) bool {
	var nf *noFeedError
	return errors.As(err, &nf)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
