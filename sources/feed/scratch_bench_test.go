package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

func genScratch(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Bench News</title><link>https://news.example.com/</link><language>en-gb</language><ttl>15</ttl>
`)
	base := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		t := base.Add(-time.Duration(i) * 7 * time.Minute)
		fmt.Fprintf(&b, `<item>
<title>Story number %d: markets rally as central bank holds rates &amp; signals cuts</title>
<description><![CDATA[<p>Lead paragraph for story %d. Investors welcomed the decision, with the benchmark index climbing <strong>1.2%%</strong> in early trading.</p><p>Analysts said the move was widely expected, but the tone of the statement surprised some. <a href="https://news.example.com/business/%d">Read more</a> about what it means for mortgages, savings and the wider economy this year.</p>]]></description>
<link>https://news.example.com/business/article-%d?utm_source=rss&amp;utm_medium=feed</link>
<guid isPermaLink="false">https://news.example.com/business/article-%d</guid>
<pubDate>%s</pubDate>
<dc:creator>Reporter %d</dc:creator>
<category>Business</category><category>Economy</category>
<media:thumbnail width="240" height="135" url="https://ichef.example.com/images/%d.jpg"/>
</item>
`, i, i, i, i, i, t.Format(time.RFC1123Z), i%17, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func BenchmarkScratch(b *testing.B) {
	body := genScratch(1000)
	b.Logf("size %d", len(body))
	b.Run("gofeed", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := gofeed.NewParser().Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gofeed-noscan", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			p := gofeed.NewParser()
			p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
			if _, err := p.Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rssparser", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			p := &rss.Parser{}
			if _, err := p.Parse(bytes.NewReader(body)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("rawtoken", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(body))
			d.Strict = false
			for {
				_, err := d.RawToken()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("token", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			d := xml.NewDecoder(bytes.NewReader(body))
			d.Strict = false
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
