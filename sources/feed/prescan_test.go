package feed

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// TestPrescanFastPathMatchesFullScan: for every well-formed feed under
// testdata, the document handed to gofeed is the same whether or not
// prescan skipped tokenizing it.
func TestPrescanFastPathMatchesFullScan(t *testing.T) {
	for _, gi := range goldenInputs(t) {
		body, err := os.ReadFile(gi.path)
		if err != nil {
			t.Fatal(err)
		}
		src, _ := decodeBody(body, gi.contentType)
		src = bytes.TrimLeft(src, " \t\r\n")
		if len(src) == 0 || src[0] != '<' {
			continue
		}
		fast, ferr := scan(src, DefaultMaxItems, DefaultMaxDepth, true)
		full, serr := scan(src, DefaultMaxItems, DefaultMaxDepth, false)
		if serr != nil {
			continue // broken document: gofeed reports the same error (see TestGolden)
		}
		if ferr != nil || fast.root != full.root {
			t.Errorf("%s: fast %q %v, full %q %v", gi.name, fast.root, ferr, full.root, serr)
			continue
		}
		if fast.doc == nil || full.doc == nil {
			if (fast.doc == nil) != (full.doc == nil) && ferr == nil {
				t.Errorf("%s: one scan gave no document", gi.name)
			}
			continue
		}
		a, _ := io.ReadAll(fast.doc)
		b, _ := io.ReadAll(full.doc)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: fast and full scans give different documents", gi.name)
		}
	}
}

func TestWithinBudgets(t *testing.T) {
	tests := []struct {
		doc      string
		maxItems int
		want     bool
	}{
		{"<rss><channel><item><title>a</title></item><item/></channel></rss>", 2, true},
		{"<rss><channel><item><title>a</title></item><item/></channel></rss>", 1, false},
		{"<feed><entry/><ENTRY>x</ENTRY><atom:entry/></feed>", 2, false},
		{"<rss><channel><items/><itemize/></channel></rss>", 0, true},
		{"<rss>" + string(bytes.Repeat([]byte("<x/>"), maxItemElements)) + "</rss>", 10, false},
	}
	for _, tc := range tests {
		if got := withinBudgets([]byte(tc.doc), tc.maxItems); got != tc.want {
			t.Errorf("withinBudgets(%.60q, %d) = %v; want %v", tc.doc, tc.maxItems, got, tc.want)
		}
	}
}
