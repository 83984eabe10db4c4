package feed

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
)

// ErrorKind classifies why a body could not be parsed as a feed.
type ErrorKind int

const (
	// KindEmpty: the body is empty or only white space.
	KindEmpty ErrorKind = iota + 1
	// KindHTML: the body is an HTML page (Discover may find the feed).
	KindHTML
	// KindNotFeed: the body is XML or JSON, or something else, but not a
	// feed format this package reads.
	KindNotFeed
	// KindSyntax: the body looks like a feed but is not well-formed XML or
	// JSON, even after the repairs Parse applies.
	KindSyntax
)

// String returns a short lower-case name for the kind.
func (k ErrorKind) String() string {
	switch k {
	case KindEmpty:
		return "empty"
	case KindHTML:
		return "html"
	case KindNotFeed:
		return "not a feed"
	case KindSyntax:
		return "syntax"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// ParseError is the only error type Parse returns. Error() is lower case and
// names the feed URL and what failed, e.g.
// "parse feed https://example.com/rss: invalid XML at line 12: unexpected EOF";
// UserMessage() is a one-line sentence suitable for a chat reply.
type ParseError struct {
	URL    string    // feed URL as given to Parse
	Kind   ErrorKind // classification
	Detail string    // lower-case description of what failed
	Line   int       // 1-based line of a syntax error, 0 when not known
	Err    error     // underlying error, or nil
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.URL == "" {
		return "parse feed: " + e.Detail
	}
	return "parse feed " + e.URL + ": " + e.Detail
}

// Unwrap returns the underlying error (an *xml.SyntaxError,
// *json.SyntaxError, ...), or nil.
func (e *ParseError) Unwrap() error { return e.Err }

// UserMessage returns a short explanation for the person who added the feed.
func (e *ParseError) UserMessage() string {
	switch e.Kind {
	case KindEmpty:
		return "The feed address returned an empty page, so there is nothing to read yet."
	case KindHTML:
		return "That address is a web page, not a feed. Try the site's RSS or Atom feed address."
	case KindNotFeed:
		return "That address did not return an RSS, Atom or JSON feed."
	case KindSyntax:
		what := "XML"
		if strings.Contains(e.Detail, "JSON") {
			what = "JSON"
		}
		if e.Line > 0 {
			return fmt.Sprintf("The feed is broken (invalid %s at line %d) and could not be read.", what, e.Line)
		}
		return fmt.Sprintf("The feed is broken (invalid %s) and could not be read.", what)
	}
	return "The feed could not be read."
}

func newParseError(feedURL string, kind ErrorKind, detail string, err error) *ParseError {
	return &ParseError{URL: feedURL, Kind: kind, Detail: detail, Err: err}
}

// xmlError converts a decoder error into a *ParseError with a line number.
func xmlError(feedURL string, err error) *ParseError {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		pe := newParseError(feedURL, KindSyntax, fmt.Sprintf("invalid XML at line %d: %s", se.Line, se.Msg), err)
		pe.Line = se.Line
		return pe
	}
	return newParseError(feedURL, KindSyntax, "invalid XML: "+err.Error(), err)
}

// jsonError converts a json.Unmarshal error into a *ParseError, computing the
// line of a syntax error from its byte offset.
func jsonError(feedURL string, body []byte, err error) *ParseError {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := min(max(se.Offset, 0), int64(len(body)))
		line := 1 + strings.Count(string(body[:off]), "\n")
		pe := newParseError(feedURL, KindSyntax, fmt.Sprintf("invalid JSON at line %d: %s", line, se.Error()), err)
		pe.Line = line
		return pe
	}
	return newParseError(feedURL, KindSyntax, "invalid JSON: "+err.Error(), err)
}
