package feed

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// benchFeed generates a deterministic RSS 2.0 feed shaped like a large news
// publisher's: n items, each with a ~500-byte HTML description in CDATA, a
// guid, pubDate, dc:creator, two categories and a media:thumbnail.
func benchFeed(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title><![CDATA[Example News - Business]]></title>
<link>https://news.example.com/business</link>
<description>Business news from Example News</description>
<language>en-gb</language>
<ttl>15</ttl>
<atom:link href="https://feeds.example.com/news/business/rss.xml" rel="self" type="application/rss+xml"/>
`)
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	sections := []string{"Business", "Economy", "Markets", "Technology", "World"}
	for i := 0; i < n; i++ {
		t := base.Add(-time.Duration(i) * 7 * time.Minute)
		fmt.Fprintf(&b, `<item>
<title><![CDATA[Story %d: Markets rally as central bank holds rates and signals cuts]]></title>
<description><![CDATA[<p>Lead paragraph for story %d. Investors welcomed the decision, with the benchmark index climbing <strong>1.2%%</strong> in early trading.</p><p>Analysts said the move was widely expected, but the tone of the statement surprised some. <a href="https://news.example.com/business/%d">Read more</a> about what it means for mortgages, savings &amp; the wider economy this year.</p>]]></description>
<link>https://news.example.com/business/articles/c%07dx?at_medium=RSS&amp;at_campaign=rss</link>
<guid isPermaLink="false">https://news.example.com/business/articles/c%07dx#%d</guid>
<pubDate>%s</pubDate>
<dc:creator>Reporter %d</dc:creator>
<category>%s</category>
<category>%s</category>
<media:thumbnail width="240" height="135" url="https://ichef.example.com/ace/standard/240/cpsprodpb/%d/live/%07d.jpg"/>
</item>
`, i, i, i, i, i, i, t.Format(time.RFC1123Z), i%23, sections[i%5], sections[(i+2)%5], i%997, i)
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

// BenchmarkParse compares Parse (charset layer, prescan, gofeed's RSS
// parser and our translator, keys) with gofeed's default universal parser
// (its RSS parser and default translator, HTML image search included) and
// with gofeed's RSS parser alone, on the same RSS 2.0 feed: 1,000 items
// (prescan tokenizes it, see withinBudgets) and 50 items (a typical feed).
func BenchmarkParse(b *testing.B) {
	now := func() time.Time { return time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC) }
	for _, n := range []int{1000, 50} {
		body := benchFeed(n)
		b.Run(fmt.Sprintf("items=%d/newsalert", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := Parse(body, "application/rss+xml; charset=utf-8", "https://feeds.example.com/news/business/rss.xml",
					Options{MaxItems: 1000, Now: now})
				if err != nil || len(f.Items) != n {
					b.Fatalf("Parse: %v", err)
				}
			}
		})
		b.Run(fmt.Sprintf("items=%d/gofeed", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
				if err != nil || len(f.Items) != n {
					b.Fatalf("gofeed: %v", err)
				}
			}
		})
		b.Run(fmt.Sprintf("items=%d/gofeed-rss-only", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				f, err := (&rss.Parser{}).Parse(bytes.NewReader(body))
				if err != nil || len(f.Items) != n {
					b.Fatalf("gofeed rss: %v", err)
				}
			}
		})
	}
}

// BenchmarkNormalizeURL measures the per-item cost of URL identity.
func BenchmarkNormalizeURL(b *testing.B) {
	urls := []string{
		"https://www.bbc.com/news/articles/c0l3kd0n9y7o?at_medium=RSS&at_campaign=rss",
		"http://Example.com:80/a/./b/../c/?utm_source=x&b=2&a=1#frag",
		"https://riversidegazette.example.org/?p=4821",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range urls {
			NormalizeURL(u)
		}
	}
}
