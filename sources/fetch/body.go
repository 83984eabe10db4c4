package fetch

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// acceptEncoding lists the codings readBody can undo.
const acceptEncoding = "gzip, deflate, br"

// maxCodings bounds how many stacked Content-Encodings are undone.
const maxCodings = 2

// decodeError reports a body whose Content-Encoding could not be undone.
type decodeError struct {
	coding string
	err    error
}

func (d *decodeError) Error() string {
	if d.err == nil {
		return "unsupported content-encoding " + fmt.Sprintf("%q", d.coding)
	}
	return "decoding " + d.coding + " body: " + d.err.Error()
}

func (d *decodeError) Unwrap() error { return d.err }

// errRecorder remembers the first error of the underlying body other than
// io.EOF, so that a transport failure (reset, deadline) seen through a
// decompressor is not mistaken for corrupt data.
type errRecorder struct {
	r   io.Reader
	err error
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

// maxPooledBuffer is the largest read buffer kept for reuse.
const maxPooledBuffer = 1 << 20

// readBody reads body, undoing the Content-Encoding codings listed in
// contentEncoding (header values, in the order applied by the server), and
// returns at most limit decoded bytes. It stops reading at limit+1 decoded
// bytes and then returns a *tooLargeError, so neither a large body nor a
// decompression bomb is read further. contentLength (-1 when unknown) is used
// to refuse an unencoded body that declares itself too large before reading
// it, and to size the buffer. Bodies of unknown length are read into a buffer
// from pool (may be nil) and copied out at their exact size. A transport
// error is returned as is; a decoding failure as a *decodeError.
func readBody(body io.Reader, contentEncoding []string, contentLength, limit int64, pool *sync.Pool) ([]byte, error) {
	codings, err := parseCodings(contentEncoding)
	if err != nil {
		return nil, err
	}
	if len(codings) == 0 && contentLength > limit {
		return nil, &tooLargeError{limit: limit, declared: contentLength}
	}
	raw := &errRecorder{r: body}
	var r io.Reader = raw
	for i := len(codings) - 1; i >= 0; i-- {
		r, err = newDecoder(codings[i], r)
		if err != nil {
			if raw.err != nil {
				return nil, raw.err
			}
			return nil, &decodeError{coding: codings[i], err: err}
		}
	}

	var buf *bytes.Buffer
	pooled := false
	switch {
	case len(codings) == 0 && contentLength >= 0:
		buf = bytes.NewBuffer(make([]byte, 0, contentLength+bytes.MinRead))
	case pool != nil:
		buf, _ = pool.Get().(*bytes.Buffer)
		if buf == nil {
			buf = new(bytes.Buffer)
		}
		buf.Reset()
		pooled = true
		defer func() {
			if buf.Cap() <= maxPooledBuffer {
				pool.Put(buf)
			}
		}()
	default:
		buf = new(bytes.Buffer)
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		if raw.err != nil {
			return nil, raw.err
		}
		coding := "identity"
		if len(codings) > 0 {
			coding = strings.Join(codings, ", ")
		}
		return nil, &decodeError{coding: coding, err: err}
	}
	if n > limit {
		return nil, &tooLargeError{limit: limit}
	}
	if pooled {
		return append([]byte{}, buf.Bytes()...), nil
	}
	return buf.Bytes(), nil
}

// parseCodings normalises Content-Encoding header values to a list of
// codings, dropping "identity". It refuses unknown codings and more than
// maxCodings of them.
func parseCodings(values []string) ([]string, error) {
	var codings []string
	for _, v := range values {
		for c := range strings.SplitSeq(v, ",") {
			c = strings.ToLower(strings.TrimSpace(c))
			switch c {
			case "", "identity":
				continue
			case "x-gzip":
				c = "gzip"
			case "gzip", "deflate", "br":
			default:
				return nil, &decodeError{coding: truncate(c, 40)}
			}
			codings = append(codings, c)
		}
	}
	if len(codings) > maxCodings {
		return nil, &decodeError{coding: strings.Join(codings, ", "), err: errors.New("too many stacked content-encodings")}
	}
	return codings, nil
}

// newDecoder wraps r in a reader undoing coding. An empty encoded body
// decodes to an empty body.
func newDecoder(coding string, r io.Reader) (io.Reader, error) {
	switch coding {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err == io.EOF {
			return eofReader{}, nil
		}
		if err != nil {
			return nil, err
		}
		return zr, nil
	case "deflate":
		// RFC 9110 says zlib-wrapped, but many servers send raw DEFLATE.
		br := bufio.NewReaderSize(r, 64)
		head, err := br.Peek(2)
		switch {
		case len(head) == 0 && err == io.EOF:
			return eofReader{}, nil
		case len(head) == 2 && isZlibHeader(head[0], head[1]):
			return zlib.NewReader(br)
		default:
			return flate.NewReader(br), nil
		}
	case "br":
		return brotli.NewReader(r), nil
	default:
		return nil, fmt.Errorf("unsupported content-encoding %q", coding)
	}
}

// isZlibHeader reports whether two bytes form a valid zlib header with the
// DEFLATE method (RFC 1950 2.2).
func isZlibHeader(cmf, flg byte) bool {
	return cmf&0x0f == 8 && cmf>>4 <= 7 && (uint16(cmf)<<8|uint16(flg))%31 == 0
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
