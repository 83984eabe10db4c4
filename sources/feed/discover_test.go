package feed

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestDiscoverWordPressPage(t *testing.T) {
	page, err := os.ReadFile(filepath.Join("testdata", "html_page.html"))
	if err != nil {
		t.Fatal(err)
	}
	got := Discover(page, "https://riversidegazette.example.org/2025/03/01/council-approves-new-footbridge/")
	want := []string{
		// Declared: RSS/Atom first in document order, then JSON Feed, then
		// the comments feed; relative hrefs resolved against <base>.
		"https://riversidegazette.example.org/feed/",
		"https://riversidegazette.example.org/feed/atom/",
		"https://riversidegazette.example.org/feed/json/",
		"https://riversidegazette.example.org/comments/feed/",
		// Common paths on the page's host ("/feed" is "/feed/" above
		// without its trailing slash, so it is a different URL).
		"https://riversidegazette.example.org/feed",
		"https://riversidegazette.example.org/rss",
		"https://riversidegazette.example.org/feed.xml",
		"https://riversidegazette.example.org/atom.xml",
		"https://riversidegazette.example.org/rss.xml",
		"https://riversidegazette.example.org/index.xml",
		"https://riversidegazette.example.org/feed.json",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Discover:\n got %q\nwant %q", got, want)
	}
}

func TestDiscover(t *testing.T) {
	common := func(site string) []string {
		var out []string
		for _, p := range commonFeedPaths() {
			out = append(out, site+p)
		}
		return out
	}
	tests := []struct {
		name, html, pageURL string
		want                []string
	}{
		{
			name:    "no declared feeds",
			html:    `<html><head><title>x</title></head><body></body></html>`,
			pageURL: "http://example.com/some/page?x=1",
			want:    common("http://example.com"),
		},
		{
			name:    "relative to page URL without base",
			html:    `<link rel="alternate" type="application/atom+xml" href="atom.xml"><link rel="alternate" type="application/rss+xml" href="/rss.xml">`,
			pageURL: "https://example.com/blog/",
			want: append([]string{"https://example.com/blog/atom.xml", "https://example.com/rss.xml"},
				slices.DeleteFunc(common("https://example.com"), func(s string) bool { return s == "https://example.com/rss.xml" })...),
		},
		{
			name:    "type with parameters, rel with several tokens, upper case",
			html:    `<LINK REL="home Alternate" TYPE="application/rss+xml; charset=utf-8" HREF="https://feeds.example.net/main">`,
			pageURL: "https://example.com/",
			want:    append([]string{"https://feeds.example.net/main"}, common("https://example.com")...),
		},
		{
			name:    "non-feed alternates and oembed/wp-json skipped",
			html:    `<link rel="alternate" hreflang="fr" href="/fr/"><link rel="alternate" type="text/html" href="/m/"><link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1"><link rel="stylesheet" type="application/rss+xml" href="/not-alternate">`,
			pageURL: "https://example.com/",
			want:    common("https://example.com"),
		},
		{
			name:    "generic JSON alternate after JSON Feed",
			html:    `<link rel="alternate" type="application/json" href="/feed.json"><link rel="alternate" type="application/feed+json" href="/jf">`,
			pageURL: "https://example.com/",
			want: append([]string{"https://example.com/jf", "https://example.com/feed.json"},
				slices.DeleteFunc(common("https://example.com"), func(s string) bool { return s == "https://example.com/feed.json" })...),
		},
		{
			name:    "duplicates and utm variants collapse",
			html:    `<link rel="alternate" type="application/rss+xml" href="/feed?utm_source=x"><link rel="alternate" type="application/rss+xml" href="http://example.com/feed">`,
			pageURL: "https://example.com/",
			want:    append([]string{"https://example.com/feed?utm_source=x"}, common("https://example.com")[1:]...),
		},
		{
			name:    "javascript and empty hrefs ignored",
			html:    `<link rel="alternate" type="application/rss+xml" href=""><link rel="alternate" type="application/rss+xml" href="javascript:void(0)">`,
			pageURL: "https://example.com/",
			want:    common("https://example.com"),
		},
		{
			name:    "no usable page URL",
			html:    `<link rel="alternate" type="application/rss+xml" href="https://example.com/rss">`,
			pageURL: "",
			want:    []string{"https://example.com/rss"},
		},
		{
			name:    "garbage",
			html:    "\x00\xff<<<>>>",
			pageURL: "not a url",
			want:    nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Discover([]byte(tc.html), tc.pageURL); !slices.Equal(got, tc.want) {
				t.Errorf("Discover:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestLooksLikeHTML(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		want                    bool
	}{
		{"doctype", "<!DOCTYPE html><html>", "text/xml", true},
		{"html tag after comment", "\n<!-- generated --><html lang=en>", "", true},
		{"xhtml with declaration", `<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html>`, "application/xml", true},
		{"body fragment", "<div class=error>Not found</div>", "", true},
		{"rss served as html", `<?xml version="1.0"?><rss version="2.0">`, "text/html; charset=utf-8", false},
		{"atom", `<feed xmlns="http://www.w3.org/2005/Atom">`, "text/html", false},
		{"rdf", `<rdf:RDF xmlns:rdf="x">`, "", false},
		{"rss doctype", `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x"><rss>`, "text/html", false},
		{"json", `{"version":"https://jsonfeed.org/version/1"}`, "text/html", false},
		{"unknown root, html type", "<weird/>", "text/html", true},
		{"unknown root, xml type", "<weird/>", "application/xml", false},
		{"plain text as html", "Access denied", "text/html", true},
		{"plain text", "Access denied", "text/plain", false},
		{"empty html", "", "text/html", true},
		{"utf-16 html", "\xff\xfe<\x00h\x00t\x00m\x00l\x00>\x00", "", true},
		{"utf-8 bom rss", "\xef\xbb\xbf<rss>", "text/html", false},
	}
	for _, tc := range tests {
		if got := LooksLikeHTML([]byte(tc.body), tc.contentType); got != tc.want {
			t.Errorf("%s: LooksLikeHTML = %v; want %v", tc.name, got, tc.want)
		}
	}
}
