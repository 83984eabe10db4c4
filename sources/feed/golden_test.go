package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden/*.json from the current parser output")

// goldenInput is one feed file compared against its golden output.
type goldenInput struct {
	name        string // golden file name (without .json)
	path        string
	contentType string
	url         string
}

// goldenInputs lists every feed under the module's testdata directories:
// sources/feed/testdata (with the Content-Type and URL of cases.json),
// testdata/feeds and sources/fetch/testdata.
func goldenInputs(t *testing.T) []goldenInput {
	t.Helper()
	known := map[string]fixtureCase{}
	for _, tc := range loadCases(t) {
		known[tc.File] = tc
	}
	var in []goldenInput
	add := func(dir, prefix string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			ext := filepath.Ext(name)
			if e.IsDir() || name == "cases.json" || (ext != ".xml" && ext != ".json" && ext != ".html" && ext != ".rss" && ext != ".atom") {
				continue
			}
			gi := goldenInput{name: prefix + name, path: filepath.Join(dir, name),
				contentType: goldenContentType(ext), url: "https://golden.example/" + name}
			if tc, ok := known[name]; ok && prefix == "" {
				gi.contentType, gi.url = tc.ContentType, tc.URL
			}
			in = append(in, gi)
		}
	}
	add("testdata", "")
	add(filepath.Join("..", "..", "testdata", "feeds"), "module-feeds_")
	add(filepath.Join("..", "fetch", "testdata"), "fetch_")
	return in
}

// goldenContentType is the Content-Type a file not in cases.json is parsed
// with: the media type of its extension, without a charset (so the result
// does not depend on the host's MIME tables).
func goldenContentType(ext string) string {
	switch ext {
	case ".json":
		return "application/feed+json"
	case ".html":
		return "text/html"
	}
	return "application/xml"
}

// goldenItem and goldenFeed are the recorded form of a parse: every field of
// Feed and Item, dates as RFC 3339.
type goldenItem struct {
	Key        string   `json:"key"`
	GUID       string   `json:"guid"`
	Title      string   `json:"title"`
	Link       string   `json:"link"`
	Content    string   `json:"content"`
	Summary    string   `json:"summary"`
	Published  string   `json:"published"`
	Updated    string   `json:"updated"`
	Authors    []string `json:"authors"`
	Categories []string `json:"categories"`
	ImageURL   string   `json:"image"`
}

type goldenFeed struct {
	Error    string       `json:"error,omitempty"`
	Kind     string       `json:"kind,omitempty"`
	Format   string       `json:"format,omitempty"`
	Title    string       `json:"title,omitempty"`
	Link     string       `json:"link,omitempty"`
	Language string       `json:"language,omitempty"`
	TTL      string       `json:"ttl,omitempty"`
	Items    []goldenItem `json:"items,omitempty"`
}

func goldenDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func toGolden(f *Feed, err error) goldenFeed {
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			return goldenFeed{Error: pe.Error(), Kind: pe.Kind.String()}
		}
		return goldenFeed{Error: err.Error()}
	}
	g := goldenFeed{Format: f.Format, Title: f.Title, Link: f.Link, Language: f.Language}
	if f.TTL > 0 {
		g.TTL = f.TTL.String()
	}
	for _, it := range f.Items {
		g.Items = append(g.Items, goldenItem{Key: it.Key, GUID: it.GUID, Title: it.Title, Link: it.Link,
			Content: it.Content, Summary: it.Summary, Published: goldenDate(it.Published), Updated: goldenDate(it.Updated),
			Authors: it.Authors, Categories: it.Categories, ImageURL: it.ImageURL})
	}
	return g
}

// TestGolden parses every feed under testdata and compares the whole result
// with testdata/golden/NAME.json (run with -update-golden to rewrite them
// after a deliberate change, and list each difference in the commit).
func TestGolden(t *testing.T) {
	inputs := goldenInputs(t)
	if len(inputs) < 30 {
		t.Fatalf("found %d feeds under testdata; fixtures went missing", len(inputs))
	}
	for _, gi := range inputs {
		t.Run(gi.name, func(t *testing.T) {
			body, err := os.ReadFile(gi.path)
			if err != nil {
				t.Fatal(err)
			}
			f, perr := Parse(body, gi.contentType, gi.url, Options{Now: fixedNow})
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(toGolden(f, perr)); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", "golden", gi.name+".json")
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update-golden)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", gi.path, path, lineDiff(string(want), string(got)))
			}
		})
	}
}

// lineDiff lists the lines of want and got that differ, position by
// position (enough to read a golden mismatch).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 40; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("- " + wl + "\n+ " + gl + "\n")
			shown++
		}
	}
	return b.String()
}
