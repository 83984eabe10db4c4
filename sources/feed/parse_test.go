package feed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, body, contentType, feedURL string, opts Options) *Feed {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	f, err := Parse([]byte(body), contentType, feedURL, opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func rssItems(items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>T</title>` +
		strings.Join(items, "") + `</channel></rss>`
}

func titles(f *Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestParseOrder(t *testing.T) {
	item := func(title, date string) string {
		if date == "" {
			return "<item><title>" + title + "</title><link>https://e.example/" + title + "</link></item>"
		}
		return "<item><title>" + title + "</title><link>https://e.example/" + title + "</link><pubDate>" + date + "</pubDate></item>"
	}
	tests := []struct {
		name  string
		items []string
		want  []string
	}{
		{"newest first", []string{
			item("old", "Fri, 28 Feb 2025 10:00:00 GMT"),
			item("new", "Sat, 01 Mar 2025 10:00:00 GMT"),
			item("mid", "Fri, 28 Feb 2025 12:00:00 GMT"),
		}, []string{"new", "mid", "old"}},
		{"undated keep feed order", []string{item("a", ""), item("b", ""), item("c", "")}, []string{"a", "b", "c"}},
		{"undated stay with their neighbours", []string{
			item("top-undated", ""),
			item("older", "Fri, 28 Feb 2025 10:00:00 GMT"),
			item("undated-after-older", ""),
			item("newer", "Sat, 01 Mar 2025 10:00:00 GMT"),
		}, []string{"top-undated", "newer", "older", "undated-after-older"}},
		{"equal dates keep feed order", []string{
			item("first", "Sat, 01 Mar 2025 10:00:00 GMT"),
			item("second", "Sat, 01 Mar 2025 10:00:00 GMT"),
		}, []string{"first", "second"}},
		{"far-future date treated as undated", []string{
			item("sticky", "Fri, 01 Jan 2100 00:00:00 GMT"),
			item("new", "Sat, 01 Mar 2025 10:00:00 GMT"),
			item("old", "Fri, 28 Feb 2025 10:00:00 GMT"),
		}, []string{"sticky", "new", "old"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, rssItems(tc.items...), "", "https://e.example/rss", Options{})
			if got := titles(f); !slices.Equal(got, tc.want) {
				t.Errorf("order = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestParseDateSanity(t *testing.T) {
	f := mustParse(t, rssItems(
		"<item><title>future</title><pubDate>Mon, 10 Mar 2025 00:00:00 GMT</pubDate></item>",
		"<item><title>near future</title><pubDate>Sun, 02 Mar 2025 20:00:00 GMT</pubDate></item>",
		"<item><title>epoch</title><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>",
		"<item><title>garbage</title><pubDate>soon</pubDate></item>",
	), "", "https://e.example/rss", Options{})
	got := map[string]time.Time{}
	for _, it := range f.Items {
		got[it.Title] = it.Published
	}
	if !got["future"].IsZero() || !got["epoch"].IsZero() || !got["garbage"].IsZero() {
		t.Errorf("implausible dates kept: %v", got)
	}
	if want := time.Date(2025, 3, 2, 20, 0, 0, 0, time.UTC); !got["near future"].Equal(want) {
		t.Errorf("near-future date = %v; want %v (within the 48h slack)", got["near future"], want)
	}
}

// TestParseMaxItems: the cap counts items in document order (the document
// is not read past the cap), and the items read are sorted newest first.
func TestParseMaxItems(t *testing.T) {
	var items []string
	for i := 0; i < 600; i++ {
		items = append(items, fmt.Sprintf("<item><guid>id-%03d</guid><title>n%03d</title><pubDate>%s</pubDate></item>",
			i, i, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z)))
	}
	body := rssItems(items...)
	def := mustParse(t, body, "", "https://e.example/rss", Options{})
	if len(def.Items) != DefaultMaxItems || def.Items[0].Title != "n000" || def.Items[DefaultMaxItems-1].Title != "n499" {
		t.Fatalf("default cap: %d items, first %q, last %q", len(def.Items), def.Items[0].Title, def.Items[len(def.Items)-1].Title)
	}
	small := mustParse(t, body, "", "https://e.example/rss", Options{MaxItems: 3})
	if got := titles(small); !slices.Equal(got, []string{"n000", "n001", "n002"}) {
		t.Fatalf("MaxItems 3 = %q", got)
	}
	if small.Items[0].Key != def.Items[0].Key || cap(small.Items) != 3 {
		t.Errorf("capping changed keys or kept the backing array")
	}
	noNow, err := Parse([]byte(body), "", "https://e.example/rss", Options{MaxItems: -1})
	if err != nil || len(noNow.Items) != DefaultMaxItems {
		t.Errorf("Options{MaxItems: -1}: %d items, %v", len(noNow.Items), err)
	}
	// Items in ascending order: the first three of the document, newest
	// first.
	var asc []string
	for i := 0; i < 10; i++ {
		asc = append(asc, fmt.Sprintf("<item><guid>a-%d</guid><title>a%d</title><pubDate>%s</pubDate></item>",
			i, i, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z)))
	}
	ascending := mustParse(t, rssItems(asc...), "", "https://e.example/rss", Options{MaxItems: 3})
	if got := titles(ascending); !slices.Equal(got, []string{"a2", "a1", "a0"}) {
		t.Fatalf("ascending MaxItems 3 = %q", got)
	}
}

func TestParseRSSDetails(t *testing.T) {
	tests := []struct {
		name, item string
		check      func(t *testing.T, it Item)
	}{
		{"feedburner origLink wins", `<item xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><title>x</title><link>https://feeds.feedburner.com/~r/ex/~3/abc/</link><feedburner:origLink>https://ex.example/story</feedburner:origLink></item>`,
			func(t *testing.T, it Item) { eq(t, "link", it.Link, "https://ex.example/story") }},
		{"permalink guid as link", `<item><title>x</title><guid>https://ex.example/p/1</guid></item>`,
			func(t *testing.T, it Item) { eq(t, "link", it.Link, "https://ex.example/p/1") }},
		{"non-permalink guid is not a link", `<item><title>x</title><guid isPermaLink="false">https://ex.example/p/1</guid></item>`,
			func(t *testing.T, it Item) { eq(t, "link", it.Link, "") }},
		{"relative link resolved against feed URL", `<item><title>x</title><link>../news/1.html</link></item>`,
			func(t *testing.T, it Item) { eq(t, "link", it.Link, "https://e.example/news/1.html") }},
		{"xml:base on item", `<item xml:base="https://cdn.example/base/"><title>x</title><link>a.html</link><enclosure url="pic.jpg" type="image/jpeg" length="1"/></item>`,
			func(t *testing.T, it Item) {
				eq(t, "link", it.Link, "https://cdn.example/base/a.html")
				// gofeed does not resolve enclosure URLs against xml:base.
				eq(t, "image", it.ImageURL, "https://e.example/feeds/pic.jpg")
			}},
		{"undeclared media prefix", `<item><title>x</title><media:content url="https://i.example/a.jpg" medium="image" width="800"/><media:thumbnail url="https://i.example/t.jpg"/></item>`,
			func(t *testing.T, it Item) { eq(t, "image", it.ImageURL, "https://i.example/a.jpg") }},
		{"video media:content is not an image", `<item><title>x</title><media:content url="https://v.example/a.mp4" type="video/mp4"><media:thumbnail url="https://v.example/a.jpg"/></media:content></item>`,
			func(t *testing.T, it Item) { eq(t, "image", it.ImageURL, "https://v.example/a.jpg") }},
		{"itunes image", `<item xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><title>x</title><itunes:image href="https://p.example/art.png"/><enclosure url="https://p.example/ep.mp3" type="audio/mpeg" length="1"/><itunes:author>Host Name</itunes:author></item>`,
			func(t *testing.T, it Item) {
				eq(t, "image", it.ImageURL, "https://p.example/art.png")
				eq(t, "author", strings.Join(it.Authors, ","), "Host Name")
			}},
		{"unescaped xhtml description kept as markup", `<item><title>x</title><description><p>Hello <b>bold</b> &amp; <br> more</p></description></item>`,
			func(t *testing.T, it Item) { eq(t, "content", it.Content, "<p>Hello <b>bold</b> & <br> more</p>") }},
		{"unclosed tag in unescaped description", `<item><title>x</title><description><p>Hello <b>world</description></item>`,
			func(t *testing.T, it Item) { eq(t, "content text", htmlToText(it.Content), "Hello world") }},
		{"description-only item", `<item><description>Only a description</description></item>`,
			func(t *testing.T, it Item) {
				eq(t, "title", it.Title, "")
				eq(t, "tier", it.Key[:2], "h:")
			}},
		{"title with markup and entities", `<item><title>&lt;b&gt;Live:&lt;/b&gt; Tom &amp;amp; Jerry&amp;#8217;s &lt;i&gt;return&lt;/i&gt;</title></item>`,
			func(t *testing.T, it Item) { eq(t, "title", it.Title, "Live: Tom & Jerry’s return") }},
		{"author e-mail form", `<item><title>x</title><author>desk@ex.example (News Desk)</author></item>`,
			func(t *testing.T, it Item) { eq(t, "author", strings.Join(it.Authors, ","), "News Desk") }},
		{"dc:creator beats author", `<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>x</title><author>a@b.example</author><dc:creator>One</dc:creator><dc:creator>Two</dc:creator></item>`,
			func(t *testing.T, it Item) { eq(t, "authors", strings.Join(it.Authors, ","), "One,Two") }},
		{"atom:link in rss item", `<item xmlns:atom="http://www.w3.org/2005/Atom"><title>x</title><atom:link rel="alternate" href="https://ex.example/a"/></item>`,
			func(t *testing.T, it Item) { eq(t, "link", it.Link, "https://ex.example/a") }},
		{"upper-case element names", `<ITEM><TITLE>Shouting</TITLE><LINK>https://ex.example/s</LINK><PUBDATE>Sat, 01 Mar 2025 10:00:00 GMT</PUBDATE></ITEM>`,
			func(t *testing.T, it Item) {
				eq(t, "title", it.Title, "Shouting")
				eq(t, "published", it.Published.Format(time.RFC3339), "2025-03-01T10:00:00Z")
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := mustParse(t, rssItems(tc.item), "", "https://e.example/feeds/rss.xml", Options{})
			if len(f.Items) != 1 {
				t.Fatalf("%d items; want 1", len(f.Items))
			}
			tc.check(t, f.Items[0])
		})
	}
}

func eq(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q; want %q", what, got, want)
	}
}

func TestParseRSSBogusRootNamespace(t *testing.T) {
	f := mustParse(t, `<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel><title>NS</title><item><title>Inside</title><link>https://ns.example/1</link></item></channel></rss>`,
		"", "https://ns.example/rss", Options{})
	if f.Title != "NS" || len(f.Items) != 1 || f.Items[0].Link != "https://ns.example/1" {
		t.Errorf("feed = %+v", f)
	}
}

func TestParseAtomDetails(t *testing.T) {
	body := `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/">
 <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">The <b>Blog</b></div></title>
 <link rel="self" href="/atom.xml"/>
 <link rel="alternate" type="text/html" href="/"/>
 <author><email>owner@blog.example</email></author>
 <entry>
  <id>urn:uuid:1</id>
  <title type="text">A &lt;tag&gt; in text</title>
  <link rel="edit" href="/edit/1"/>
  <link rel="alternate" type="application/pdf" href="/1.pdf"/>
  <link rel="alternate" type="text/html" href="posts/1"/>
  <link rel="enclosure" type="image/png" href="img/1.png"/>
  <published>2025-02-01T10:00:00+01:00</published>
  <updated>2025-02-02T10:00:00Z</updated>
  <category term="go" label="Go"/><category term="feeds"/>
  <content src="https://blog.example/posts/1.html" type="text/html"/>
  <summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary>
 </entry>
 <entry xml:base="https://other.example/dir/">
  <id>urn:uuid:2</id>
  <title>Second</title>
  <link href="page"/>
  <content type="xhtml" xml:base="sub/"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <img src="x.png"/></p></div></content>
 </entry>
</feed>`
	f := mustParse(t, body, "application/atom+xml", "https://blog.example/atom.xml", Options{})
	eq(t, "feed title", f.Title, "The Blog")
	eq(t, "feed link", f.Link, "https://blog.example/")
	if len(f.Items) != 2 {
		t.Fatalf("%d items", len(f.Items))
	}
	first, second := f.Items[0], f.Items[1]
	if first.GUID != "urn:uuid:1" {
		first, second = second, first
	}
	eq(t, "title", first.Title, "A <tag> in text")
	eq(t, "link", first.Link, "https://blog.example/posts/1")
	eq(t, "image", first.ImageURL, "https://blog.example/img/1.png")
	eq(t, "published", first.Published.Format(time.RFC3339), "2025-02-01T09:00:00Z")
	eq(t, "categories", strings.Join(first.Categories, ","), "Go,feeds")
	eq(t, "content (out-of-line src falls back to summary)", first.Content, "<p>Short</p>")
	eq(t, "summary", first.Summary, "")
	eq(t, "inherited author (e-mail only)", strings.Join(first.Authors, ","), "owner@blog.example")

	eq(t, "second link", second.Link, "https://other.example/dir/page")
	// gofeed resolves relative URLs in Atom HTML against xml:base.
	eq(t, "second content (div unwrapped)", second.Content, `<p>Hi <img src="https://other.example/dir/sub/x.png"/></p>`)
	eq(t, "second image (content xml:base)", second.ImageURL, "https://other.example/dir/sub/x.png")
	if !second.Published.IsZero() {
		t.Errorf("second published = %v; want zero (no dates at all)", second.Published)
	}
}

func TestParseJSONDetails(t *testing.T) {
	f := mustParse(t, `{"version":"https://jsonfeed.org/version/1","title":"J","author":{"name":"Feed Author"},
	  "items":[{"id":"1","title":"Ben &amp; Jerry","content_html":"<p>x</p>","tags":"not-an-array","date_published":"2025-02-03T04:05:06Z"},
	           {"id":{"odd":true},"url":"https://j.example/2","content_text":"a < b"}]}`,
		"application/json", "https://j.example/feed.json", Options{})
	if len(f.Items) != 2 {
		t.Fatalf("%d items", len(f.Items))
	}
	eq(t, "title", f.Items[0].Title, "Ben & Jerry")
	eq(t, "author", strings.Join(f.Items[0].Authors, ","), "Feed Author")
	eq(t, "categories with wrong type", strings.Join(f.Items[0].Categories, ","), "")
	eq(t, "object id", f.Items[1].GUID, "")
	eq(t, "text content", f.Items[1].Content, "a &lt; b")
	eq(t, "key tier", f.Items[1].Key[:2], "l:")
}

// TestParseDeepNesting: an element deeper than DefaultMaxDepth ends the
// document; the items before it, and the item holding it up to that
// element, are kept.
func TestParseDeepNesting(t *testing.T) {
	const depth = 20000
	open := strings.Repeat("<media:group>", depth) + strings.Repeat("<x>", depth)
	closing := strings.Repeat("</x>", depth) + strings.Repeat("</media:group>", depth)
	f := mustParse(t, rssItems(`<item><title>before</title><media:thumbnail url="https://i.example/b.jpg"/></item>`,
		`<item><title>deep</title><media:thumbnail url="https://i.example/t.jpg"/>`+open+closing+`</item>`,
		`<item><title>after</title></item>`),
		"", "https://e.example/rss", Options{})
	if got := titles(f); !slices.Equal(got, []string{"before", "deep"}) || f.Items[1].ImageURL != "https://i.example/t.jpg" {
		t.Fatalf("items = %+v", f.Items)
	}
}
