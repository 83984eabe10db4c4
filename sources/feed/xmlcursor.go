package feed

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/url"
	"strings"
)

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// cursor walks an XML document with encoding/xml in non-strict mode (so
// bare '&', unquoted attributes and mismatched end tags do not abort the
// parse) with HTML named entities defined (so "&nbsp;" and "&mdash;" decode).
// It tracks element depth and the xml:base in scope, and can return the raw
// inner markup of an element, which is possible because the whole document
// is in memory.
type cursor struct {
	d        *xml.Decoder
	src      []byte
	depth    int
	bases    []baseAt
	tokStart int64  // input offset where the most recent real token began
	scratch  []byte // reused text buffer
}

type baseAt struct {
	depth int
	u     *url.URL
}

// newCursor returns a cursor over src, which must be UTF-8; base (may be nil)
// is the document's base URL.
func newCursor(src []byte, base *url.URL) *cursor {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	// The body was converted to UTF-8 before parsing; the declaration may
	// still name the original charset.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	c := &cursor{d: d, src: src}
	if base != nil {
		c.bases = append(c.bases, baseAt{0, base})
	}
	return c
}

// next returns the next token, maintaining depth and the xml:base stack.
// CharData is only valid until the following call.
func (c *cursor) next() (xml.Token, error) {
	before := c.d.InputOffset()
	tok, err := c.d.Token()
	if err != nil {
		return nil, err
	}
	if c.d.InputOffset() != before {
		// Tokens the decoder invents (the end of <br/>, end tags it adds
		// to repair unclosed elements) consume no input; they keep the
		// start of the tag that caused them.
		c.tokStart = before
	}
	switch t := tok.(type) {
	case xml.StartElement:
		c.depth++
		for _, a := range t.Attr {
			if a.Name.Local == "base" && a.Name.Space == xmlNamespace {
				if u, err := url.Parse(strings.TrimSpace(a.Value)); err == nil {
					if b := c.base(); b != nil {
						u = b.ResolveReference(u)
					}
					c.bases = append(c.bases, baseAt{c.depth, u})
				}
			}
		}
	case xml.EndElement:
		for len(c.bases) > 0 && c.bases[len(c.bases)-1].depth >= c.depth {
			c.bases = c.bases[:len(c.bases)-1]
		}
		c.depth--
	}
	return tok, nil
}

// base returns the base URL in scope for the current element, or nil.
func (c *cursor) base() *url.URL {
	if len(c.bases) == 0 {
		return nil
	}
	return c.bases[len(c.bases)-1].u
}

// root advances to the document element and returns it.
func (c *cursor) root() (xml.StartElement, error) {
	for {
		tok, err := c.next()
		if err != nil {
			return xml.StartElement{}, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se, nil
		}
	}
}

// children calls fn for each child element of the element whose start tag
// was just read, and returns after its end tag. fn may consume the child
// (with text, markup or children) or return without reading it, in which
// case the child is skipped.
func (c *cursor) children(fn func(se xml.StartElement) error) error {
	depth := c.depth
	for {
		tok, err := c.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
			for c.depth > depth {
				if _, err := c.next(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if c.depth < depth {
				return nil
			}
		}
	}
}

// text returns the character data of the element whose start tag was just
// read, including that of descendants, trimmed, and consumes its end tag.
func (c *cursor) text() (string, error) {
	depth := c.depth
	c.scratch = c.scratch[:0]
	for {
		tok, err := c.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			c.scratch = append(c.scratch, t...)
		case xml.EndElement:
			if c.depth < depth {
				return string(bytes.TrimSpace(c.scratch)), nil
			}
		}
	}
}

// markup returns the content of the element whose start tag was just read
// and consumes its end tag. When the element has child elements (unescaped
// XHTML in a description, Atom type="xhtml"), the raw inner markup is
// returned with isMarkup set; otherwise its decoded character data. With
// unwrapDiv, a single wrapping <div> (required around Atom XHTML content) is
// removed.
func (c *cursor) markup(unwrapDiv bool) (s string, isMarkup bool, err error) {
	depth := c.depth
	start := c.d.InputOffset()
	c.scratch = c.scratch[:0]
	var (
		childCount          int
		divStart, divEnd    int64
		firstIsDiv, outText bool
	)
	for {
		tok, err := c.next()
		if err != nil {
			return "", false, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			c.scratch = append(c.scratch, t...)
			if c.depth == depth && len(bytes.TrimSpace(t)) > 0 {
				outText = true
			}
		case xml.StartElement:
			if c.depth == depth+1 {
				childCount++
				if childCount == 1 && t.Name.Local == "div" {
					firstIsDiv = true
					divStart = c.d.InputOffset()
				}
			}
		case xml.EndElement:
			if c.depth == depth && childCount == 1 && firstIsDiv {
				divEnd = c.tokStart
			}
			if c.depth < depth {
				if childCount == 0 {
					return string(bytes.TrimSpace(c.scratch)), false, nil
				}
				lo, hi := start, c.tokStart
				if unwrapDiv && childCount == 1 && firstIsDiv && !outText {
					lo, hi = divStart, divEnd
				}
				if lo < 0 || hi > int64(len(c.src)) || lo > hi {
					return string(bytes.TrimSpace(c.scratch)), false, nil
				}
				raw := cdataToText(bytes.TrimSpace(c.src[lo:hi]))
				return string(raw), true, nil
			}
		}
	}
}

// attr returns the value of the attribute with the given local name (any
// namespace), or "".
func attr(se *xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// attrNS returns the value of the attribute with the given namespace and
// local name, or "".
func attrNS(se *xml.StartElement, space, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value
		}
	}
	return ""
}
