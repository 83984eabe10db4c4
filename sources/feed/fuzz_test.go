package feed

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics and that its results keep their
// contract on any input. The seed corpus is every fixture under testdata/
// plus snippets aimed at the repair paths.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		if filepath.Ext(name) == ".json" && filepath.Base(name) == "cases.json" {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
	}
	for _, s := range []string{
		`<rss><channel><item><title>a&nbsp;b</title><link>/x</link></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="::bad"><entry><link href="%zz"/><content type="xhtml"><div><div>x</div></div></content></entry></feed>`,
		`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item rdf:about="x"/></rdf:RDF>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":1e999,"title":"\u0000"}]}`,
		"<rss>\x00\xff&#0;&#x92;<![CDATA[",
		`<?xml version="1.0" encoding="UTF-16"?><rss/>`,
		"\xff\xfe<\x00r\x00s\x00s\x00>\x00",
		`<rss><channel><item><description><p><![CDATA[x]]></b></description></item></channel></rss>`,
	} {
		f.Add([]byte(s), "text/xml")
	}
	f.Add([]byte(`<rss/>`), "text/xml; charset=koi8-r")
	f.Add([]byte(`<html>`), "text/html")

	keyRe := regexp.MustCompile(`^[ghl]:[0-9a-f]{16}$`)
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		const maxItems = 50
		feed, err := Parse(body, contentType, "https://fuzz.example/feed", Options{MaxItems: maxItems, Now: fixedNow})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Detail == "" || pe.UserMessage() == "" || feed != nil {
				t.Fatalf("bad error result: %v, %v", feed, err)
			}
			return
		}
		switch feed.Format {
		case "rss", "atom", "json":
		default:
			t.Fatalf("format %q", feed.Format)
		}
		if len(feed.Items) > maxItems {
			t.Fatalf("%d items > MaxItems", len(feed.Items))
		}
		for _, s := range []string{feed.Title, feed.Link, feed.Language} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
		for _, it := range feed.Items {
			if !keyRe.MatchString(it.Key) {
				t.Fatalf("bad key %q", it.Key)
			}
			for _, s := range append([]string{it.GUID, it.Title, it.Link, it.Content, it.Summary, it.ImageURL}, append(it.Authors, it.Categories...)...) {
				if !utf8.ValidString(s) {
					t.Fatalf("invalid UTF-8 %q", s)
				}
			}
			if it.Title != collapseSpace(it.Title) {
				t.Fatalf("title %q not collapsed", it.Title)
			}
		}
	})
}

func FuzzDiscover(f *testing.F) {
	page, err := os.ReadFile(filepath.Join("testdata", "html_page.html"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(page, "https://riversidegazette.example.org/")
	f.Add([]byte(`<base href="::"><link rel=alternate type=application/rss+xml href=//x>`), "")
	f.Fuzz(func(t *testing.T, html []byte, pageURL string) {
		seen := map[string]bool{}
		for _, u := range Discover(html, pageURL) {
			n := NormalizeURL(u)
			if u == "" || seen[n] {
				t.Fatalf("empty or duplicate candidate %q", u)
			}
			seen[n] = true
		}
		LooksLikeHTML(html, pageURL)
	})
}
