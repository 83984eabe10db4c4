// Package opml reads and writes OPML 1.0/2.0 subscription lists, the format
// feed readers and bots exchange their feeds in.
package opml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html/charset"
)

// Feed is one feed of a list.
type Feed struct {
	Title string
	URL   string // xmlUrl
	Page  string // htmlUrl, may be empty
}

type document struct {
	XMLName xml.Name  `xml:"opml"`
	Version string    `xml:"version,attr"`
	Head    head      `xml:"head"`
	Body    []outline `xml:"body>outline"`
}

type head struct {
	Title       string `xml:"title"`
	DateCreated string `xml:"dateCreated,omitempty"`
}

type outline struct {
	Text     string    `xml:"text,attr"`
	Title    string    `xml:"title,attr,omitempty"`
	Type     string    `xml:"type,attr,omitempty"`
	XMLURL   string    `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string    `xml:"htmlUrl,attr,omitempty"`
	Outlines []outline `xml:"outline"`
}

// MaxFeeds bounds how many feeds Parse returns.
const MaxFeeds = 5000

// Parse reads the feeds of an OPML document, flattening categories
// (nested outlines), skipping outlines without xmlUrl and duplicates.
func Parse(data []byte) ([]Feed, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	var doc document
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("not an OPML file: it is empty")
		}
		return nil, fmt.Errorf("not an OPML file: %w", err)
	}
	var out []Feed
	seen := map[string]bool{}
	var walk func([]outline, int)
	walk = func(os []outline, depth int) {
		if depth > 16 {
			return
		}
		for _, o := range os {
			if u := strings.TrimSpace(o.XMLURL); u != "" && !seen[u] && len(out) < MaxFeeds {
				seen[u] = true
				title := strings.TrimSpace(o.Title)
				if title == "" {
					title = strings.TrimSpace(o.Text)
				}
				out = append(out, Feed{Title: title, URL: u, Page: strings.TrimSpace(o.HTMLURL)})
			}
			walk(o.Outlines, depth+1)
		}
	}
	walk(doc.Body, 0)
	if len(out) == 0 {
		return nil, errors.New("the OPML file lists no feeds (no outline has an xmlUrl)")
	}
	return out, nil
}

// Render writes feeds as an OPML 2.0 document.
func Render(title string, feeds []Feed, now time.Time) ([]byte, error) {
	doc := document{Version: "2.0", Head: head{Title: title, DateCreated: now.UTC().Format(time.RFC1123Z)}}
	for _, f := range feeds {
		doc.Body = append(doc.Body, outline{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.URL, HTMLURL: f.Page})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("render OPML: %w", err)
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}
