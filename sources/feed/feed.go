// Package feed parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1
// documents into a small, uniform model for the news-alert pipeline, assigns
// every item a stable identity key, normalises URLs for duplicate detection
// and discovers feed URLs on HTML pages.
//
// The formats are parsed by github.com/mmcdole/gofeed's format parsers;
// this package's translators (rssTranslator, atomTranslator,
// jsonTranslator) map gofeed's feeds and extensions into Item. Around them,
// Parse keeps what gofeed lacks: decoding any character set to UTF-8,
// bounding the input (item cap, depth and element budgets, see prescan),
// our date parser, text/HTML classification, identity and order.
//
// Parse accepts the raw body as fetched, in any character set, and repairs
// what real feeds commonly get wrong (mislabelled charsets, invalid UTF-8,
// control characters, HTML entities in XML, bare ampersands, unclosed tags)
// rather than rejecting the feed. The package holds no state; every function
// is safe for concurrent use.
package feed

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed/atom"
	gojson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
)

// DefaultMaxItems is the item cap Parse applies when Options.MaxItems is not
// positive.
const DefaultMaxItems = 500

// futureSlack is how far past Options.Now a date may lie and still be
// believed (publishers' clocks and time zones are often off by hours).
const futureSlack = 48 * time.Hour

// Options configures Parse.
type Options struct {
	// MaxItems caps the number of items read: the first MaxItems items of
	// the document (the rest is not parsed), returned newest first. Zero
	// or negative means DefaultMaxItems.
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

// Parse decodes body to UTF-8 and parses it as RSS, Atom or JSON Feed with
// gofeed's parsers, translating gofeed's feeds into Feed. contentType is
// the HTTP Content-Type ("" when unknown); feedURL is the final URL the body
// came from and the base for relative links.
//
// The character set is taken from, in order: a byte order mark (UTF-8,
// UTF-16, UTF-32); the charset parameter of contentType (for every media
// type, as browsers and feed readers do, except that a body that is plainly
// valid UTF-8 overrides a legacy charset header, and a declared legacy
// charset overrides a UTF-8 header the bytes contradict); the XML
// declaration; else UTF-8, or windows-1252 when the bytes are mostly not
// UTF-8. Labels follow the WHATWG table (ISO-8859-1 decodes as windows-1252,
// GB2312 as GBK). Invalid bytes become U+FFFD, and characters and character
// references XML forbids are removed, so a slightly broken feed still
// parses.
//
// An XML document is read to the end of its opts.MaxItems-th item and to
// DefaultMaxDepth elements deep (see prescan); a document whose element is
// html is refused as a web page, even when it starts like an XML feed, and
// an RSS document preceded by an HTML doctype is read as RSS.
//
// Items are sorted newest first (items without a date keep their place
// relative to their neighbours in feed order), given keys by AssignKeys over
// the items read, then capped at opts.MaxItems. A feed with no items is not
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
	maxItems := opts.MaxItems
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}

	var (
		f   *Feed
		err error
	)
	switch trimmed[0] {
	case '{':
		f, err = parseJSON(limitJSONItems(src, maxItems), feedURL, base)
	case '<':
		f, err = parseXML(fixCharRefs(src), contentType, feedURL, base, maxItems)
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
	finish(f, now(), maxItems)
	return f, nil
}

// translator is the counterpart of gofeed.Translator for this package's
// model: it maps one of gofeed's format-specific feeds (F is *rss.Feed,
// *atom.Feed or *json.Feed) into Feed. gofeed's own translators are not
// used: they build gofeed.Feed, and the RSS one searches every item's HTML
// for an image.
type translator[F any] interface {
	Translate(src F) *Feed
}

var (
	_ translator[*rss.Feed]    = rssTranslator{}
	_ translator[*atom.Feed]   = atomTranslator{}
	_ translator[*gojson.Feed] = jsonTranslator{}
)

func htmlError(feedURL string) *ParseError {
	return newParseError(feedURL, KindHTML, "not a feed: the page is HTML (try the site's feed URL)", nil)
}

// parseXML pre-scans src (prescan) and parses what it keeps with gofeed's
// RSS or Atom parser, chosen by the document element.
func parseXML(src []byte, contentType, feedURL string, base *url.URL, maxItems int) (*Feed, error) {
	sc, err := prescan(src, maxItems, DefaultMaxDepth)
	if err != nil {
		if sniffHTML(src, contentType) {
			return nil, htmlError(feedURL)
		}
		return nil, xmlError(feedURL, err)
	}
	switch sc.root {
	case "rss", "rdf":
		rf, err := (&rss.Parser{}).Parse(sc.doc)
		if err != nil {
			return nil, xmlError(feedURL, err)
		}
		return rssTranslator{base: base, abouts: sc.abouts}.Translate(rf), nil
	case "feed":
		af, err := (&atom.Parser{}).Parse(sc.doc)
		if err != nil {
			return nil, xmlError(feedURL, err)
		}
		return atomTranslator{base: base}.Translate(af), nil
	case "html", "":
		if sc.root == "html" || sniffHTML(src, contentType) {
			return nil, htmlError(feedURL)
		}
		return nil, xmlError(feedURL, &xml.SyntaxError{Msg: "no root element", Line: 1 + bytes.Count(src, []byte{'\n'})})
	}
	return nil, newParseError(feedURL, KindNotFeed,
		"not a feed: the root element is <"+sc.root+">, not rss, rdf:RDF or feed", nil)
}

// finish applies the date sanity rules, sorts, assigns keys and caps.
func finish(f *Feed, now time.Time, maxItems int) {
	latest := now.Add(futureSlack)
	earliest := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range f.Items {
		it := &f.Items[i]
		// gofeed decodes base64 content as it finds it: keep the promise
		// that every string is UTF-8.
		for _, s := range []*string{&it.Content, &it.Summary, &it.Title} {
			if !utf8.ValidString(*s) {
				*s = strings.ToValidUTF8(*s, "\uFFFD")
			}
		}
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
