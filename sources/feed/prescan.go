package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// DefaultMaxDepth is the element depth Parse reads an XML feed to. Real
// feeds nest six to ten deep (XHTML content a few more); an element deeper
// than this ends the document, see prescan.
const DefaultMaxDepth = 64

// Element budgets: gofeed keeps a record of every unknown element of an item
// (its Custom map, its extension lists), so a document of a million sibling
// elements would cost hundreds of MB even within the depth cap. Real items
// have tens of elements (a few hundred with unescaped XHTML), real feeds a
// few tens of thousands.
const (
	maxItemElements = 2_000  // elements inside one item or entry
	maxElements     = 50_000 // elements in the whole document
)

// scanned is what prescan learns about an XML document before gofeed
// parses it.
type scanned struct {
	root   string    // local name of the document element, lower case
	doc    io.Reader // the document to parse: possibly cut, always declared UTF-8
	abouts []string  // rdf:about of each item of an RSS 1.0 document, in order
}

// prescan tokenizes src (UTF-8) with encoding/xml's RawToken, which neither
// builds a tree nor resolves namespaces, to find the document element and
// to bound what gofeed will read, because gofeed's parsers read a whole
// document and keep every item:
//
//   - after the end of the maxItems-th item (or entry) the document is cut,
//     and end tags for the elements still open are appended, so nothing
//     past the item cap is read, let alone built;
//   - an element deeper than maxDepth, the maxItemElements-th element of one
//     item or the maxElements-th of the document ends the document the same
//     way (a hostile document of millions of nested or sibling elements is
//     read only to that point; the items before it are kept).
//
// It also records the rdf:about attribute of RSS 1.0 items, which gofeed
// drops and which is those items' identity. The XML declaration is replaced
// with one that names no encoding, because src has already been decoded to
// UTF-8 and gofeed would otherwise decode it a second time. A syntax error
// before the cut is returned as is (an *xml.SyntaxError).
func prescan(src []byte, maxItems, maxDepth int) (scanned, error) {
	return scan(src, maxItems, maxDepth, true)
}

// scan is prescan; with fast, a document withinBudgets is not tokenized
// past its document element.
func scan(src []byte, maxItems, maxDepth int, fast bool) (scanned, error) {
	d := xml.NewDecoder(bytes.NewReader(src))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var (
		s         scanned
		open      []xml.Name // elements open at the current point (at most maxDepth)
		itemDepth int        // depth of the item being read, 0 outside items
		items     int
		elements  int // start tags seen
		itemStart int // value of elements when the current item began
		declEnd   int64
		lastEnd   int64 // input offset where the previous token ended
	)
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			if len(open) > 0 {
				return s, &xml.SyntaxError{Msg: "unexpected EOF", Line: 1 + bytes.Count(src, []byte{'\n'})}
			}
			s.doc = docReader(src, declEnd, int64(len(src)), nil)
			return s, nil
		}
		if err != nil {
			return s, err
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" && len(open) == 0 {
				declEnd = d.InputOffset()
			}
		case xml.StartElement:
			elements++
			if len(open) >= maxDepth || elements > maxElements ||
				(itemDepth > 0 && elements-itemStart > maxItemElements) {
				s.doc = docReader(src, declEnd, lastEnd, open)
				return s, nil
			}
			open = append(open, t.Name)
			local := strings.ToLower(t.Name.Local)
			if len(open) == 1 {
				s.root = local
				if local != "rss" && local != "rdf" && local != "feed" {
					return s, nil // not a feed: the caller says what it is
				}
				if fast && local != "rdf" && withinBudgets(src, maxItems) {
					s.doc = docReader(src, declEnd, int64(len(src)), nil)
					return s, nil
				}
			}
			if itemDepth == 0 && len(open) <= 3 && (local == "item" || local == "entry") {
				itemDepth = len(open)
				itemStart = elements
				if s.root == "rdf" {
					s.abouts = append(s.abouts, strings.TrimSpace(rawAttr(t.Attr, "about")))
				}
			}
		case xml.EndElement:
			// Non-strict recovery, as encoding/xml's Token does it: an end
			// tag closes the innermost open element of its name and every
			// element opened inside it; an end tag of no open element is
			// ignored.
			k := len(open) - 1
			for k >= 0 && open[k] != t.Name {
				k--
			}
			if k < 0 {
				break
			}
			closesItem := itemDepth > 0 && k < itemDepth
			open = open[:k]
			if closesItem {
				itemDepth = 0
				items++
				if items >= maxItems {
					s.doc = docReader(src, declEnd, d.InputOffset(), open)
					return s, nil
				}
			}
		}
		lastEnd = d.InputOffset()
	}
}

// withinBudgets reports, from a count of bytes, that a document cannot
// exceed the item cap or the element budgets, so that prescan need not
// tokenize it: it has at most maxItemElements '<' (so at most that many
// elements, at most that deep) and at most maxItems of them open an item
// or entry. Most feeds (tens of items) pass; the scan costs as much as
// gofeed's own tokenizing.
func withinBudgets(src []byte, maxItems int) bool {
	if bytes.Count(src, []byte{'<'}) > maxItemElements {
		return false
	}
	items := 0
	for i := bytes.IndexByte(src, '<'); i >= 0; {
		rest := src[i+1:]
		if hasNamePrefix(rest, "item") || hasNamePrefix(rest, "entry") {
			items++
		}
		j := bytes.IndexByte(rest, '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return items <= maxItems
}

// hasNamePrefix reports whether b starts with the element name name (any
// case, any prefix such as "rdf:"), followed by a byte that ends a name.
func hasNamePrefix(b []byte, name string) bool {
	if k := bytes.IndexByte(b[:min(len(b), 32)], ':'); k >= 0 && !bytes.ContainsAny(b[:k], " \t\r\n/>") {
		b = b[k+1:]
	}
	if len(b) <= len(name) || !bytes.EqualFold(b[:len(name)], []byte(name)) {
		return false
	}
	switch b[len(name)] {
	case ' ', '\t', '\r', '\n', '/', '>':
		return true
	}
	return false
}

// rawAttr returns the value of the attribute with the given local name.
func rawAttr(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// docReader returns src[declEnd:end] preceded by an XML declaration without
// encoding and followed by end tags closing open, innermost first. It does
// not copy src.
func docReader(src []byte, declEnd, end int64, open []xml.Name) io.Reader {
	var closing strings.Builder
	for i := len(open) - 1; i >= 0; i-- {
		closing.WriteString("</")
		if open[i].Space != "" {
			closing.WriteString(open[i].Space)
			closing.WriteByte(':')
		}
		closing.WriteString(open[i].Local)
		closing.WriteByte('>')
	}
	return io.MultiReader(strings.NewReader(`<?xml version="1.0"?>`),
		bytes.NewReader(src[declEnd:end]), strings.NewReader(closing.String()))
}
