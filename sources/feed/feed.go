// Package feed parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1
// documents into a small, uniform model for the news-alert pipeline, assigns
// every item a stable identity key, normalises URLs for duplicate detection
// and discovers feed URLs on HTML pages.
//
// Parse accepts the raw body as fetched, in any character set, and repairs
// what real feeds commonly get wrong (mislabelled charsets, invalid UTF-8,
// control characters, HTML entities in XML, bare ampersands, unclosed tags)
// rather than rejecting the feed. The package holds no state; every function
// is safe for concurrent use.
package feed

import (
	"bytes"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DefaultMaxItems is the item cap Parse applies when Options.MaxItems is not
// positive.
const DefaultMaxItems = 500

// futureSlack is how far past Options.Now a date may lie and still be
// believed (publishers' clocks and time zones are often off by hours).
const futureSlack = 48 * time.Hour

// Options configures Parse.
type Options struct {
	// MaxItems caps the number of items returned, newest first. Zero or
	// negative means DefaultMaxItems.
	MaxItems int
	// Now returns the current time; nil means time.Now. Dates more than 48
	// hours after Now, or before 1990, are treated as absent (zero): they
	// are placeholders or clock errors, and would otherwise pin an item to
	// the top of the feed.
	Now func() time.Time
}

// Feed is a parsed feed.
type Feed struct {
	Format   string        // "rss" (RSS 0.9x, 1.0 and 2.0), "atom" (0.3 and 1.0) or "json"
	Title    string        // plain text, white space collapsed
	Link     string        // the site's home page, absolute; "" when not given
	Language string        // as given (RSS language, dc:language, Atom xml:lang, JSON language)
	TTL      time.Duration // RSS <ttl> (minutes), 0 when absent or invalid
	Items    []Item        // newest first, at most Options.MaxItems
}

// Item is one entry of a feed.
type Item struct {
	Key        string    // stable identity, see AssignKeys
	GUID       string    // raw guid/id as given (trimmed)
	Title      string    // plain text, entities decoded, white space collapsed
	Link       string    // absolute, resolved against xml:base and the feed URL
	Content    string    // the richest body given, always HTML (plain-text bodies are escaped)
	Summary    string    // description/summary when distinct from Content, HTML
	Published  time.Time // UTC; the update date when only that is given; zero when the feed gives no (believable) date
	Updated    time.Time // UTC; zero when not given
	Authors    []string  // display names, de-duplicated
	Categories []string  // plain text, de-duplicated, in feed order
	ImageURL   string    // absolute; "" when the item has no image
}

// Parse decodes body to UTF-8 and parses it as RSS, Atom or JSON Feed.
// contentType is the HTTP Content-Type ("" when unknown); feedURL is the
// final URL the body came from and the base for relative links (with
// xml:base where the feed gives one).
//
// The character set is taken from, in order: a byte order mark; the charset
// parameter of contentType (for every media type, as browsers and feed
// readers do, except that a body that is plainly valid UTF-8 overrides a
// legacy charset header, and a declared legacy charset overrides a UTF-8
// header the bytes contradict); the XML declaration; UTF-8. Labels follow
// the WHATWG table (ISO-8859-1 decodes as windows-1252, GB2312 as GBK).
// Invalid UTF-8 becomes U+FFFD (or, in a feed with no valid multi-byte
// sequence, is read as windows-1252), and characters and character
// references XML forbids are removed, so a slightly broken feed still
// parses. HTML named entities (&nbsp;, &mdash;) are understood in XML.
//
// Items are sorted newest first (items without a date keep their place
// relative to their neighbours in feed order), given keys by AssignKeys over
// the whole feed, then capped at opts.MaxItems. A feed with no items is not
// an error.
//
// Every error is a *ParseError.
func Parse(body []byte, contentType, feedURL string, opts Options) (*Feed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, newParseError(feedURL, KindEmpty, "empty feed: the response body is empty", nil)
	}
	src, _ := decodeBody(body, contentType)
	trimmed := bytes.TrimLeft(src, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, newParseError(feedURL, KindEmpty, "empty feed: the response body is empty", nil)
	}
	base := parseBase(feedURL)

	var (
		f   *Feed
		err error
	)
	switch trimmed[0] {
	case '{':
		f, err = parseJSON(src, feedURL, base)
	case '<':
		if sniffHTML(trimmed, contentType) {
			return nil, htmlError(feedURL)
		}
		f, err = parseXML(fixCharRefs(src), feedURL, base)
	default:
		if sniffHTML(trimmed, contentType) {
			return nil, htmlError(feedURL)
		}
		return nil, newParseError(feedURL, KindNotFeed, "not a feed: the response is neither XML nor JSON", nil)
	}
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	maxItems := opts.MaxItems
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}
	finish(f, now(), maxItems)
	return f, nil
}

func htmlError(feedURL string) *ParseError {
	return newParseError(feedURL, KindHTML, "not a feed: the page is HTML (try the site's feed URL)", nil)
}

// parseXML dispatches on the document element.
func parseXML(src []byte, feedURL string, base *url.URL) (*Feed, error) {
	c := newCursor(src, base)
	root, err := c.root()
	if err != nil {
		return nil, xmlError(feedURL, err)
	}
	var f *Feed
	switch strings.ToLower(root.Name.Local) {
	case "rss", "rdf":
		f, err = parseRSS(c, &root)
	case "feed":
		f, err = parseAtom(c, &root)
	case "html":
		return nil, htmlError(feedURL)
	default:
		return nil, newParseError(feedURL, KindNotFeed,
			"not a feed: the root element is <"+root.Name.Local+">, not rss, rdf:RDF or feed", nil)
	}
	if err != nil {
		return nil, xmlError(feedURL, err)
	}
	return f, nil
}

// isNS reports whether an element namespace, as resolved by encoding/xml, is
// the given namespace URI or the given literal prefix (encoding/xml reports
// undeclared prefixes literally; real feeds use media: and dc: without
// declaring them).
func isNS(space string, uris ...string) bool {
	for _, u := range uris {
		if space == u {
			return true
		}
	}
	return false
}

// Namespaces and the literal prefixes accepted for them.
const (
	nsContent    = "http://purl.org/rss/1.0/modules/content/"
	nsDC         = "http://purl.org/dc/elements/1.1/"
	nsDCTerms    = "http://purl.org/dc/terms/"
	nsMedia      = "http://search.yahoo.com/mrss/"
	nsMediaAlt   = "http://search.yahoo.com/mrss"
	nsITunes     = "http://www.itunes.com/dtds/podcast-1.0.dtd"
	nsAtom10     = "http://www.w3.org/2005/Atom"
	nsAtom03     = "http://purl.org/atom/ns#"
	nsRDF        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRSS10      = "http://purl.org/rss/1.0/"
	nsRSS09      = "http://my.netscape.com/rdf/simple/0.9/"
	nsRSS09Alt   = "http://channel.netscape.com/rdf/simple/0.9/"
	nsFeedburner = "http://rssnamespace.org/feedburner/ext/1.0"
)

func isMedia(space string) bool { return isNS(space, nsMedia, nsMediaAlt, "media") }
func isDC(space string) bool    { return isNS(space, nsDC, "dc") }

// finish applies the date sanity rules, sorts, assigns keys and caps.
func finish(f *Feed, now time.Time, maxItems int) {
	latest := now.Add(futureSlack)
	earliest := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range f.Items {
		it := &f.Items[i]
		if it.Published.After(latest) || it.Published.Before(earliest) {
			it.Published = time.Time{}
		}
		if it.Updated.After(latest) || it.Updated.Before(earliest) {
			it.Updated = time.Time{}
		}
	}
	sortNewestFirst(f.Items)
	AssignKeys(f.Items)
	if len(f.Items) > maxItems {
		f.Items = slices.Clip(f.Items[:maxItems])
	}
}

// sortNewestFirst orders items by date (Published, else Updated), newest
// first. An undated item sorts as if it had the date of the nearest dated
// item before it in feed order, so undated items stay next to their
// neighbours; undated items before the first dated one stay on top, and an
// all-undated feed keeps feed order. The sort is stable.
func sortNewestFirst(items []Item) {
	if len(items) < 2 {
		return
	}
	type keyed struct {
		top  bool // undated and before any dated item
		when time.Time
		pos  int
	}
	keys := make([]keyed, len(items))
	var prev time.Time
	top := true
	for i := range items {
		d := items[i].Published
		if d.IsZero() {
			d = items[i].Updated
		}
		if d.IsZero() {
			d = prev
		} else {
			top = false
			prev = d
		}
		keys[i] = keyed{top, d, i}
	}
	slices.SortStableFunc(keys, func(a, b keyed) int {
		switch {
		case a.top != b.top:
			if a.top {
				return -1
			}
			return 1
		case a.top:
			return 0
		}
		return b.when.Compare(a.when)
	})
	if slices.IsSortedFunc(keys, func(a, b keyed) int { return a.pos - b.pos }) {
		return
	}
	out := make([]Item, len(items))
	for i, k := range keys {
		out[i] = items[k.pos]
	}
	copy(items, out)
}

// setBody puts the richest body an item gave in Content, and the plainer
// one in Summary when it differs.
func setBody(it *Item, rich, plain string) {
	if rich == "" {
		it.Content = plain
		return
	}
	it.Content = rich
	if plain != rich {
		it.Summary = plain
	}
}

// firstDate parses the first of ds that holds a usable date.
func firstDate(ds ...string) (time.Time, bool) {
	for _, d := range ds {
		if t, ok := parseDate(d); ok {
			return t, true
		}
	}
	return time.Time{}, false
}
