package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"io"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/andybalholm/brotli"
)

func encodeGzip(t testing.TB, p []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeZlib(t testing.TB, p []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeFlate(t testing.TB, p []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeBrotli(t testing.TB, p []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.DefaultCompression)
	if _, err := w.Write(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

func TestReadBody(t *testing.T) {
	feed := []byte(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Example</title></channel></rss>`)
	big := bytes.Repeat([]byte("a"), 1000)
	tests := []struct {
		name     string
		body     io.Reader
		encoding []string
		length   int64
		limit    int64
		want     []byte
		wantErr  string // "too large", "decode", or the text of a transport error
	}{
		{name: "identity", body: bytes.NewReader(feed), length: -1, limit: 1 << 20, want: feed},
		{name: "explicit identity", body: bytes.NewReader(feed), encoding: []string{"identity"}, length: int64(len(feed)), limit: 1 << 20, want: feed},
		{name: "gzip", body: bytes.NewReader(encodeGzip(t, feed)), encoding: []string{"gzip"}, length: -1, limit: 1 << 20, want: feed},
		{name: "x-gzip upper case", body: bytes.NewReader(encodeGzip(t, feed)), encoding: []string{"X-GZIP"}, length: -1, limit: 1 << 20, want: feed},
		{name: "deflate zlib", body: bytes.NewReader(encodeZlib(t, feed)), encoding: []string{"deflate"}, length: -1, limit: 1 << 20, want: feed},
		{name: "deflate raw", body: bytes.NewReader(encodeFlate(t, feed)), encoding: []string{"deflate"}, length: -1, limit: 1 << 20, want: feed},
		{name: "br", body: bytes.NewReader(encodeBrotli(t, feed)), encoding: []string{"br"}, length: -1, limit: 1 << 20, want: feed},
		{name: "gzip then br", body: bytes.NewReader(encodeBrotli(t, encodeGzip(t, feed))), encoding: []string{"gzip, br"}, length: -1, limit: 1 << 20, want: feed},
		{name: "gzip then br in two headers", body: bytes.NewReader(encodeBrotli(t, encodeGzip(t, feed))), encoding: []string{"gzip", "br"}, length: -1, limit: 1 << 20, want: feed},
		{name: "empty", body: strings.NewReader(""), length: 0, limit: 10, want: []byte{}},
		{name: "empty gzip", body: strings.NewReader(""), encoding: []string{"gzip"}, length: 0, limit: 10, want: []byte{}},
		{name: "empty deflate", body: strings.NewReader(""), encoding: []string{"deflate"}, length: 0, limit: 10, want: []byte{}},
		{name: "exactly the limit", body: bytes.NewReader(big), length: -1, limit: 1000, want: big},
		{name: "one byte over", body: bytes.NewReader(big), length: -1, limit: 999, wantErr: "too large"},
		{name: "declared too large is not read", body: failingReader{errors.New("read")}, length: 2000, limit: 1000, wantErr: "too large"},
		{name: "gzip over the limit", body: bytes.NewReader(encodeGzip(t, big)), encoding: []string{"gzip"}, length: 50, limit: 999, wantErr: "too large"},
		{name: "br over the limit", body: bytes.NewReader(encodeBrotli(t, big)), encoding: []string{"br"}, length: -1, limit: 999, wantErr: "too large"},
		{name: "unsupported coding", body: bytes.NewReader(feed), encoding: []string{"zstd"}, length: -1, limit: 1 << 20, wantErr: "decode"},
		{name: "too many codings", body: bytes.NewReader(feed), encoding: []string{"gzip, gzip, gzip"}, length: -1, limit: 1 << 20, wantErr: "decode"},
		{name: "corrupt gzip", body: strings.NewReader("\x1f\x8b\x08\x00garbage-garbage"), encoding: []string{"gzip"}, length: -1, limit: 1 << 20, wantErr: "decode"},
		{name: "not gzip", body: bytes.NewReader(feed), encoding: []string{"gzip"}, length: -1, limit: 1 << 20, wantErr: "decode"},
		{name: "truncated gzip", body: bytes.NewReader(encodeGzip(t, big)[:20]), encoding: []string{"gzip"}, length: -1, limit: 1 << 20, wantErr: "decode"},
		{name: "corrupt br", body: strings.NewReader("\xff\xff\xff\xff\xff"), encoding: []string{"br"}, length: -1, limit: 1 << 20, wantErr: "decode"},
		{name: "transport error", body: failingReader{syscall.ECONNRESET}, length: -1, limit: 1 << 20, wantErr: syscall.ECONNRESET.Error()},
		{name: "transport error under gzip", body: failingReader{syscall.ECONNRESET}, encoding: []string{"gzip"}, length: -1, limit: 1 << 20, wantErr: syscall.ECONNRESET.Error()},
		{name: "transport error under deflate", body: failingReader{syscall.ECONNRESET}, encoding: []string{"deflate"}, length: -1, limit: 1 << 20, wantErr: syscall.ECONNRESET.Error()},
		{name: "transport error under br", body: failingReader{syscall.ECONNRESET}, encoding: []string{"br"}, length: -1, limit: 1 << 20, wantErr: syscall.ECONNRESET.Error()},
	}
	var pool sync.Pool
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBody(tt.body, tt.encoding, tt.length, tt.limit, &pool)
			switch tt.wantErr {
			case "":
				if err != nil {
					t.Fatalf("readBody: %v", err)
				}
				if !bytes.Equal(got, tt.want) {
					t.Fatalf("readBody = %q, want %q", got, tt.want)
				}
			case "too large":
				if _, ok := errors.AsType[*tooLargeError](err); !ok {
					t.Fatalf("readBody error = %v, want *tooLargeError", err)
				}
			case "decode":
				if _, ok := errors.AsType[*decodeError](err); !ok {
					t.Fatalf("readBody error = %v, want *decodeError", err)
				}
			default:
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("readBody error = %v, want the transport error %q", err, tt.wantErr)
				}
				if _, ok := errors.AsType[*decodeError](err); ok {
					t.Fatalf("transport error %v was reported as a decoding error", err)
				}
			}
		})
	}
}

// FuzzReadBody feeds arbitrary bytes through every decoder: no panic, never
// more than the limit, and an error is always one of the known kinds.
func FuzzReadBody(f *testing.F) {
	feed := []byte("<rss><channel><title>t</title></channel></rss>")
	f.Add(feed, "")
	f.Add(encodeGzip(f, feed), "gzip")
	f.Add(encodeZlib(f, feed), "deflate")
	f.Add(encodeFlate(f, feed), "deflate")
	f.Add(encodeBrotli(f, feed), "br")
	f.Add(encodeBrotli(f, encodeGzip(f, feed)), "gzip, br")
	f.Add([]byte("\x1f\x8b"), "gzip")
	f.Fuzz(func(t *testing.T, data []byte, encoding string) {
		const limit = 4096
		got, err := readBody(bytes.NewReader(data), []string{encoding}, -1, limit, nil)
		if err != nil {
			_, tl := errors.AsType[*tooLargeError](err)
			_, de := errors.AsType[*decodeError](err)
			if !tl && !de {
				t.Fatalf("readBody(%q) error %T %v", encoding, err, err)
			}
			return
		}
		if len(got) > limit {
			t.Fatalf("readBody returned %d bytes, limit %d", len(got), limit)
		}
	})
}

// TestReadBodyPoolDoesNotAlias reads two bodies through one pool: the first
// result must not change when the pooled buffer is reused.
func TestReadBodyPoolDoesNotAlias(t *testing.T) {
	var pool sync.Pool
	first, err := readBody(bytes.NewReader(encodeGzip(t, []byte("first body"))), []string{"gzip"}, -1, 1<<20, &pool)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := readBody(bytes.NewReader(encodeGzip(t, []byte("SECOND BODY"))), []string{"gzip"}, -1, 1<<20, &pool); err != nil {
			t.Fatal(err)
		}
	}
	if string(first) != "first body" {
		t.Errorf("first body changed to %q after the pool was reused", first)
	}
}
