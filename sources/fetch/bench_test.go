package fetch

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"testing"
)

// loadFeed50 reads the 50-item RSS fixture.
func loadFeed50(tb testing.TB) []byte {
	tb.Helper()
	feed, err := os.ReadFile("testdata/feed50.xml")
	if err != nil {
		tb.Fatal(err)
	}
	if n := bytes.Count(feed, []byte("<item>")); n != 50 {
		tb.Fatalf("testdata/feed50.xml has %d items, want 50", n)
	}
	return feed
}

// benchFetch serves body (with encoding) like a CDN, with validators and a
// 304 for a matching If-None-Match, and fetches it b.N times.
func benchFetch(b *testing.B, body []byte, encoding string, req Request) {
	const etag = `"feed50-v1"`
	srv := newServer(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Thu, 01 May 2025 18:00:00 GMT")
		w.Header().Set("Cache-Control", "max-age=300")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		if encoding != "" {
			w.Header().Set("Content-Encoding", encoding)
		}
		w.Write(body)
	}))
	f := newTestFetcher(b, Options{}, nil, srv)
	req.URL = srv.URL + "/rss/top.xml"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := f.Fetch(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		if req.ETag == "" && len(resp.Body) == 0 {
			b.Fatal("empty body")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "fetches/s")
}

// BenchmarkFetch304 measures a conditional poll of an unchanged feed over a
// kept-alive local connection: the fetcher's per-request overhead.
func BenchmarkFetch304(b *testing.B) {
	benchFetch(b, loadFeed50(b), "", Request{ETag: `"feed50-v1"`, LastModified: "Thu, 01 May 2025 18:00:00 GMT"})
}

// BenchmarkFetch50Items measures fetching and decoding a 34 KB, 50-item RSS
// feed, plain and compressed.
func BenchmarkFetch50Items(b *testing.B) {
	feed := loadFeed50(b)
	b.Run("identity", func(b *testing.B) { benchFetch(b, feed, "", Request{}) })
	b.Run("gzip", func(b *testing.B) { benchFetch(b, encodeGzip(b, feed), "gzip", Request{}) })
	b.Run("br", func(b *testing.B) { benchFetch(b, encodeBrotli(b, feed), "br", Request{}) })
}
