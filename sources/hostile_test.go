package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources/fetch"
)

// gzipBomb is a small gzip stream that inflates to n zero bytes.
func gzipBomb(t *testing.T, n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	chunk := make([]byte, 1<<20)
	for i := 0; i < n/len(chunk); i++ {
		zw.Write(chunk)
	}
	zw.Close()
	return b.Bytes()
}

// TestHostileServersLeaveAClearErrorOnTheSource runs the watcher against
// broken and hostile servers: each poll fails with a one-line reason stored
// on the source, within the deadline, without the process ballooning.
func TestHostileServersLeaveAClearErrorOnTheSource(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	bomb := gzipBomb(t, 256<<20)
	mux := http.NewServeMux()
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		chunk := bytes.Repeat([]byte("<item><title>x</title></item>"), 1000)
		for i := 0; i < 50<<20/len(chunk); i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.WriteHeader(200)
		for i := 0; ; i++ {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/invalid", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss><channel><title>Broken<item></rss`))
	})
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>`))
	})
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", 500) })
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", 429)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	newWatcher := func(allowPrivate bool) *Watcher {
		f := fetch.New(fetch.Options{AllowPrivate: allowPrivate, RequestTimeout: 2 * time.Second, MaxBodyBytes: 1 << 20})
		seen := NewSeen(rdb, prefix, SeenLimits{})
		return NewWatcher(NewRegistry(rdb, prefix), seen, f, &recordingSink{seen: seen}, nil,
			WatcherOptions{MinInterval: time.Minute})
	}
	tests := []struct {
		path         string
		allowPrivate bool
		want         string // in LastError
		minNext      time.Duration
	}{
		{"/huge", true, "larger than", 0},
		{"/bomb", true, "larger than", 0},
		{"/drip", true, "timed out", 0},
		{"/loop", true, "too many redirects", 0},
		{"/feed", false, "refused", 0},
		{"/invalid", true, "XML", 0},
		{"/html", true, "web page, not a feed", 0},
		{"/500", true, "500", 0},
		{"/429", true, "429", 50 * time.Minute},
	}
	ctx := context.Background()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, tt := range tests {
		t.Run(strings.TrimPrefix(tt.path, "/"), func(t *testing.T) {
			w := newWatcher(tt.allowPrivate)
			src, err := w.reg.Add(ctx, Source{URL: srv.URL + tt.path, Name: tt.path, Interval: time.Minute, LastSuccess: time.Now()},
				"hostile"+tt.path, time.Now().Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			res, err := w.Poll(ctx, src)
			if err == nil {
				t.Fatal("poll succeeded")
			}
			if d := time.Since(start); d > 6*time.Second {
				t.Errorf("poll took %s with a 2s deadline", d)
			}
			got, _ := w.reg.Get(ctx, src.ID)
			if got.Failures != 1 || !strings.Contains(strings.ToLower(got.LastError), strings.ToLower(tt.want)) || strings.Contains(got.LastError, "\n") {
				t.Errorf("case %d: LastError = %q (failures %d), want one line containing %q", i, got.LastError, got.Failures, tt.want)
			}
			if tt.minNext > 0 && res.Next.Sub(start) < tt.minNext {
				t.Errorf("next poll in %s despite Retry-After", res.Next.Sub(start))
			}
		})
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grow := int64(after.HeapInuse) - int64(before.HeapInuse); grow > 64<<20 {
		t.Errorf("heap grew by %d MiB over the hostile servers", grow>>20)
	}
}
