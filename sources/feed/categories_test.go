package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// parseFile parses a testdata file with a Content-Type and no charset.
func parseFile(t *testing.T, name, contentType string) *Feed {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(body, contentType, "https://cat.example/"+name, Options{Now: fixedNow})
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return f
}

func byTitle(t *testing.T, f *Feed, title string) Item {
	t.Helper()
	for _, it := range f.Items {
		if it.Title == title {
			return it
		}
	}
	t.Fatalf("no item titled %q in %q", title, titles(f))
	return Item{}
}

// TestPlainTextKeepsAngleBrackets: titles and bodies declared or written as
// plain text keep their angle brackets; HTML becomes text once.
func TestPlainTextKeepsAngleBrackets(t *testing.T) {
	rss := parseFile(t, "text_kept_rss.xml", "application/rss+xml")
	it := byTitle(t, rss, "std::vector<int> in C++")
	eq(t, "html description", htmlToText(it.Content), "Why List<String> is not List<Object> in Java, and what C++ does instead.")
	byTitle(t, rss, "Templates: Map<K, V> & friends")

	atom := parseFile(t, "text_kept_atom.xml", "application/atom+xml")
	dialog := byTitle(t, atom, "Dialog support")
	eq(t, "type=text summary", dialog.Content, "The &lt;dialog&gt; element is now supported")
	eq(t, "type=text summary as text", htmlToText(dialog.Content), "The <dialog> element is now supported")
	faster := byTitle(t, atom, "Faster & leaner")
	eq(t, "html content", htmlToText(faster.Content), "Generic Array<T> helpers are 20% faster.")
	byTitle(t, atom, "The <template> tag")

	for _, tc := range []struct{ in, title, body string }{
		{"a &lt; b and c &gt; d", "a < b and c > d", "a &lt; b and c &gt; d"},
		{"List<String>", "List<String>", "List&lt;String&gt;"},
		{"<p>Para</p>", "Para", "<p>Para</p>"},
		{"Line<br>break", "Line break", "Line<br>break"},
		{"&lt;p&gt;Escaped twice&lt;/p&gt;", "Escaped twice", "<p>Escaped twice</p>"},
		{`see <a href="/x">this</a>`, "see this", `see <a href="/x">this</a>`},
	} {
		if got := plainTitle(tc.in); got != tc.title {
			t.Errorf("plainTitle(%q) = %q; want %q", tc.in, got, tc.title)
		}
		if got := bodyHTML(tc.in); got != tc.body {
			t.Errorf("bodyHTML(%q) = %q; want %q", tc.in, got, tc.body)
		}
	}
}

// TestRSSExtensionsUsed: dc:title, dc:description, itunes:summary and
// atom:content inside RSS fill the item.
func TestRSSExtensionsUsed(t *testing.T) {
	f := parseFile(t, "text_kept_rss.xml", "application/rss+xml")
	dc := byTitle(t, f, "Only a Dublin Core title")
	eq(t, "dc:description", dc.Content, "Only a Dublin Core description, which is the item's whole text.")
	eq(t, "dc:date", dc.Published.Format(time.RFC3339), "2025-03-01T08:00:00Z")
	ep := byTitle(t, f, "Episode 12: pointers")
	eq(t, "itunes:summary", ep.Content, "In this episode we talk about raw pointers, smart pointers and references.")
	ac := byTitle(t, f, "Atom content in RSS")
	eq(t, "atom:content", ac.Content, "<p>The body is given as <b>atom:content</b> inside an RSS item.</p>")
	eq(t, "atom:link", ac.Link, "https://codenotes.example.dev/posts/atom-content")
}

// TestHTMLDoctypeBeforeRSS: the document element decides, not a doctype.
func TestHTMLDoctypeBeforeRSS(t *testing.T) {
	f := parseFile(t, "html_doctype_rss.xml", "text/html; charset=utf-8")
	if f.Format != "rss" || len(f.Items) != 1 || f.Items[0].Title != "Village hall reopens" {
		t.Fatalf("feed = %+v", f)
	}
}

// TestCharsetLayer: UTF-32 with a BOM and undeclared ISO-8859-1.
func TestCharsetLayer(t *testing.T) {
	for _, name := range []string{"utf32le_bom.xml", "utf32be_bom.xml"} {
		f := parseFile(t, name, "application/xml")
		byTitle(t, f, "Grüße aus Köln: Straßenfest am Rhein")
		if !strings.HasSuffix(f.Items[0].Content, "🎉") {
			t.Errorf("%s content = %q", name, f.Items[0].Content)
		}
	}
	for _, ct := range []string{"", "application/rss+xml", "text/xml; charset=utf-8"} {
		f := parseFile(t, "latin1_undeclared.xml", ct)
		byTitle(t, f, "Le nombre d'études augmente")
		if !strings.Contains(f.Items[0].Content, "nombre d'études publiées à Marseille") {
			t.Errorf("content (%q) = %q", ct, f.Items[0].Content)
		}
	}
}

// TestZoneNames: MET and MEST are known; an unknown zone is not UTC.
func TestZoneNames(t *testing.T) {
	f := parseFile(t, "zones_rss.xml", "application/rss+xml")
	eq(t, "MET", byTitle(t, f, "MET item").Published.Format(time.RFC3339), "2025-03-01T09:00:00Z")
	eq(t, "MEST", byTitle(t, f, "MEST item").Published.Format(time.RFC3339), "2025-03-01T07:00:00Z")
	if p := byTitle(t, f, "Unknown zone item").Published; !p.IsZero() {
		t.Errorf("unknown zone read as %v; want no date", p)
	}
}

// TestLinksDatesAndIDs: feedburner:origLink, permalink guid, atom:link in
// RSS, dcterms dates, media groups; JSON Feed external_url and number ids.
func TestLinksDatesAndIDs(t *testing.T) {
	f := parseFile(t, "links_dates_rss.xml", "application/rss+xml")
	fb := byTitle(t, f, "Feedburner original link")
	eq(t, "origLink", fb.Link, "https://links.example.net/2025/03/original")
	eq(t, "guid kept as given", fb.GUID, "tag:links.example.net,2025:1")
	eq(t, "dcterms:issued", fb.Published.Format(time.RFC3339), "2025-03-01T10:00:00Z")
	eq(t, "dcterms:modified", fb.Updated.Format(time.RFC3339), "2025-03-01T11:30:00Z")
	eq(t, "widest media:content in a group", fb.ImageURL, "https://img.links.example.net/a-large.jpg")
	pl := byTitle(t, f, "Permalink guid is the link")
	eq(t, "permalink", pl.Link, "https://links.example.net/2025/03/permalink")
	eq(t, "dcterms:created", pl.Published.Format(time.RFC3339), "2025-03-01T08:00:00Z")
	al := byTitle(t, f, "Atom link inside RSS")
	eq(t, "atom:link", al.Link, "https://links.example.net/2025/03/atom-link")
	eq(t, "atom:updated as published", al.Published.Format(time.RFC3339), "2025-03-01T07:00:00Z")

	j := parseFile(t, "links_ids.json", "application/feed+json")
	ext := byTitle(t, j, "A link elsewhere")
	eq(t, "number id", ext.GUID, "1017")
	eq(t, "external_url", ext.Link, "https://elsewhere.example.com/story")
	eq(t, "content_text escaped", ext.Content, "Worth reading: a &lt;b&gt; tag is literal here.")
	own := byTitle(t, j, "Own post")
	eq(t, "date_modified as published", own.Published.Format(time.RFC3339), "2025-03-01T07:00:00Z")
}
