package feed

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// tinyItemsFeed returns an RSS feed of at least size bytes made of tiny
// items.
func tinyItemsFeed(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>`)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<item><title>%d</title><guid>g%d</guid></item>", i, i)
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// tinyJSONFeed returns a JSON Feed of at least size bytes of tiny items.
func tinyJSONFeed(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","title":"%d","tags":["a"]}`, i, i)
	}
	b.WriteString(`],"home_page_url":"https://b.example/"}`)
	return b.Bytes()
}

// nestedFeed returns an RSS feed whose one item holds n nested elements.
func nestedFeed(n int) []byte {
	return []byte(`<rss version="2.0"><channel><title>t</title><item><title>deep</title>` +
		strings.Repeat("<x>", n) + strings.Repeat("</x>", n) + `</item><item><title>after</title></item></channel></rss>`)
}

// wideFeed returns an RSS feed whose first item holds n sibling elements el.
func wideFeed(el string, n int) []byte {
	return []byte(`<rss version="2.0"><channel><title>t</title><item><title>wide</title>` +
		strings.Repeat(el, n) + `</item><item><title>after</title></item></channel></rss>`)
}

// allocatedBy returns the bytes allocated while fn runs.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestParseIsBounded: a 10 MiB feed of tiny items, a feed of 2 million
// nested elements and feeds of a million sibling elements in one item are
// read only to the item cap, the depth cap and the element budgets, so
// parsing them allocates a few MB, not hundreds.
func TestParseIsBounded(t *testing.T) {
	const limit = 16 << 20
	tests := []struct {
		name  string
		body  []byte
		items int
	}{
		{"10 MiB of tiny items", tinyItemsFeed(10 << 20), DefaultMaxItems},
		{"2 million nested elements", nestedFeed(2_000_000), 1},
		{"a million sibling elements", wideFeed("<x/>", 1_000_000), 1},
		{"a million extension elements", wideFeed("<dc:x/>", 1_000_000), 1},
		{"a million media groups", wideFeed("<media:group/>", 1_000_000), 1},
		{"10 MiB JSON Feed of tiny items", tinyJSONFeed(10 << 20), DefaultMaxItems},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var f *Feed
			var err error
			n := allocatedBy(func() { f, err = Parse(tc.body, "application/rss+xml", "https://b.example/rss", Options{}) })
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Items) != tc.items {
				t.Errorf("%d items; want %d", len(f.Items), tc.items)
			}
			t.Logf("%d-byte feed: %.1f MB allocated", len(tc.body), float64(n)/(1<<20))
			if n > limit {
				t.Errorf("allocated %d MB; want at most %d MB", n>>20, limit>>20)
			}
		})
	}
}

func TestLimitJSONItemsKeepsOtherMembers(t *testing.T) {
	body := tinyJSONFeed(jsonLimitFrom + 1)
	f, err := Parse(body, "application/feed+json", "https://b.example/feed.json", Options{MaxItems: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 3 || f.Link != "https://b.example/" || f.Items[0].GUID != "0" {
		t.Fatalf("feed = %+v", f)
	}
}

// BenchmarkParseBounded measures the allocations of parsing the hostile
// feeds of TestParseIsBounded (run with -benchmem).
func BenchmarkParseBounded(b *testing.B) {
	for _, bc := range []struct {
		name string
		body []byte
	}{
		{"tiny-items-10MiB", tinyItemsFeed(10 << 20)},
		{"nested-2M", nestedFeed(2_000_000)},
		{"siblings-1M", wideFeed("<x/>", 1_000_000)},
		{"json-tiny-items-10MiB", tinyJSONFeed(10 << 20)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(bc.body, "", "https://b.example/feed", Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
