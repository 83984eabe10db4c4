package sources

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// feedServer serves an RSS feed whose items a test changes, and counts
// requests.
type feedServer struct {
	*httptest.Server
	mu       sync.Mutex
	items    []testItem
	requests atomic.Int64
}

type testItem struct {
	guid, title, desc string
	date              time.Time
}

func newFeedServer(t *testing.T, items ...testItem) *feedServer {
	fs := &feedServer{items: items}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) add(it testItem) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.items = append([]testItem{it}, fs.items...)
}

func (fs *feedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.requests.Add(1)
	fs.mu.Lock()
	defer fs.mu.Unlock()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test News</title><link>https://news.example/</link>`)
	for _, it := range fs.items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>https://news.example/%s</link><guid isPermaLink="false">%s</guid><description><![CDATA[<p>%s</p>]]></description><pubDate>%s</pubDate></item>`,
			it.title, it.guid, it.guid, it.desc, it.date.UTC().Format(time.RFC1123Z))
	}
	b.WriteString(`</channel></rss>`)
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write([]byte(b.String()))
}
