package feed

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fixtureCase is one entry of testdata/cases.json. Optional expectations
// are pointers: nil means "not checked".
type fixtureCase struct {
	File        string         `json:"file"`
	About       string         `json:"about"`
	ContentType string         `json:"content_type"`
	URL         string         `json:"url"`
	Format      string         `json:"format"`
	Title       string         `json:"title"`
	Link        *string        `json:"link"`
	Language    *string        `json:"language"`
	TTLMinutes  int            `json:"ttl_minutes"`
	Titles      []string       `json:"titles"`
	Links       []string       `json:"links"`
	KeyTiers    string         `json:"key_tiers"`
	First       *itemExpect    `json:"first"`
	Last        *itemExpect    `json:"last"`
	Error       *errorExpected `json:"error"`
}

type itemExpect struct {
	GUID            *string  `json:"guid"`
	Link            *string  `json:"link"`
	Published       *string  `json:"published"` // RFC 3339, "" for zero
	Updated         *string  `json:"updated"`
	Authors         []string `json:"authors"`
	Categories      []string `json:"categories"`
	Image           *string  `json:"image"`
	Content         *string  `json:"content"`
	ContentPrefix   string   `json:"content_prefix"`
	ContentContains string   `json:"content_contains"`
	Summary         *string  `json:"summary"`
	SummaryPrefix   string   `json:"summary_prefix"`
}

type errorExpected struct {
	Kind         string `json:"kind"`
	Line         int    `json:"line"`
	DetailPrefix string `json:"detail_prefix"`
}

// fixedNow is the clock used by fixture tests: shortly after the newest item.
func fixedNow() time.Time { return time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC) }

func loadCases(t *testing.T) []fixtureCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []fixtureCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("testdata/cases.json: %v", err)
	}
	return cases
}

// TestParseFixtures parses every file listed in testdata/cases.json with its
// HTTP Content-Type and checks the decoded feed.
func TestParseFixtures(t *testing.T) {
	cases := loadCases(t)
	if len(cases) < 25 {
		t.Fatalf("cases.json lists %d cases; fixtures went missing", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.File, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", tc.File))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(body, tc.ContentType, tc.URL, Options{Now: fixedNow})
			if tc.Error != nil {
				checkError(t, tc, err)
				return
			}
			if err != nil {
				t.Fatalf("Parse(%s): %v", tc.File, err)
			}
			if f.Format != tc.Format || f.Title != tc.Title {
				t.Errorf("format, title = %q, %q; want %q, %q", f.Format, f.Title, tc.Format, tc.Title)
			}
			if tc.Link != nil && f.Link != *tc.Link {
				t.Errorf("feed link = %q; want %q", f.Link, *tc.Link)
			}
			if tc.Language != nil && f.Language != *tc.Language {
				t.Errorf("language = %q; want %q", f.Language, *tc.Language)
			}
			if got := int(f.TTL / time.Minute); got != tc.TTLMinutes {
				t.Errorf("ttl = %d min; want %d", got, tc.TTLMinutes)
			}
			var titles, links []string
			tiers := ""
			for _, it := range f.Items {
				titles = append(titles, it.Title)
				links = append(links, it.Link)
				tiers += it.Key[:1]
				checkInvariants(t, it)
			}
			if !slices.Equal(titles, tc.Titles) {
				t.Errorf("titles:\n got %q\nwant %q", titles, tc.Titles)
			}
			if tc.Links != nil && !slices.Equal(links, tc.Links) {
				t.Errorf("links:\n got %q\nwant %q", links, tc.Links)
			}
			if tc.KeyTiers != "" && tiers != tc.KeyTiers {
				t.Errorf("key tiers = %q; want %q", tiers, tc.KeyTiers)
			}
			if len(f.Items) == 0 {
				return
			}
			if tc.First != nil {
				checkItem(t, "first", f.Items[0], tc.First)
			}
			if tc.Last != nil {
				checkItem(t, "last", f.Items[len(f.Items)-1], tc.Last)
			}
		})
	}
}

func checkError(t *testing.T, tc fixtureCase, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("Parse(%s) error = %v; want *ParseError", tc.File, err)
	}
	if pe.Kind.String() != tc.Error.Kind {
		t.Errorf("kind = %v; want %s (%v)", pe.Kind, tc.Error.Kind, err)
	}
	if pe.Line != tc.Error.Line {
		t.Errorf("line = %d; want %d (%v)", pe.Line, tc.Error.Line, err)
	}
	if !strings.HasPrefix(pe.Detail, tc.Error.DetailPrefix) {
		t.Errorf("detail = %q; want prefix %q", pe.Detail, tc.Error.DetailPrefix)
	}
	if !strings.Contains(err.Error(), tc.URL) {
		t.Errorf("error %q does not name the feed URL", err)
	}
	if msg := pe.UserMessage(); msg == "" || strings.Contains(msg, "\n") {
		t.Errorf("UserMessage() = %q; want one non-empty line", msg)
	}
}

// checkInvariants holds for every parsed item.
func checkInvariants(t *testing.T, it Item) {
	t.Helper()
	if len(it.Key) != 18 || !strings.Contains("ghl", it.Key[:1]) || it.Key[1] != ':' {
		t.Errorf("key %q is not tier:16hex", it.Key)
	}
	for _, s := range []string{it.Title, it.Link, it.Content, it.Summary, it.ImageURL} {
		if !utf8.ValidString(s) {
			t.Errorf("invalid UTF-8 in %q", s)
		}
	}
	if it.Title != collapseSpace(it.Title) {
		t.Errorf("title %q is not collapsed", it.Title)
	}
	if it.Link != "" && !hasWebScheme(it.Link) {
		t.Errorf("link %q is not absolute", it.Link)
	}
	if it.ImageURL != "" && !hasWebScheme(it.ImageURL) {
		t.Errorf("image %q is not absolute", it.ImageURL)
	}
}

func checkItem(t *testing.T, which string, it Item, want *itemExpect) {
	t.Helper()
	str := func(field, got string, want *string) {
		if want != nil && got != *want {
			t.Errorf("%s item %s = %q; want %q", which, field, got, *want)
		}
	}
	date := func(tm time.Time) string {
		if tm.IsZero() {
			return ""
		}
		return tm.Format(time.RFC3339)
	}
	str("guid", it.GUID, want.GUID)
	str("link", it.Link, want.Link)
	str("published", date(it.Published), want.Published)
	str("updated", date(it.Updated), want.Updated)
	str("image", it.ImageURL, want.Image)
	str("content", it.Content, want.Content)
	str("summary", it.Summary, want.Summary)
	if want.Authors != nil && !slices.Equal(it.Authors, want.Authors) {
		t.Errorf("%s item authors = %q; want %q", which, it.Authors, want.Authors)
	}
	if want.Categories != nil && !slices.Equal(it.Categories, want.Categories) {
		t.Errorf("%s item categories = %q; want %q", which, it.Categories, want.Categories)
	}
	if !strings.HasPrefix(it.Content, want.ContentPrefix) {
		t.Errorf("%s item content = %.80q...; want prefix %q", which, it.Content, want.ContentPrefix)
	}
	if !strings.Contains(it.Content, want.ContentContains) {
		t.Errorf("%s item content lacks %q", which, want.ContentContains)
	}
	if !strings.HasPrefix(it.Summary, want.SummaryPrefix) {
		t.Errorf("%s item summary = %.80q...; want prefix %q", which, it.Summary, want.SummaryPrefix)
	}
}

// TestParseFixturesRawBytes pins the byte-level properties the charset
// fixtures exist to exercise, so a regenerated fixture cannot quietly lose
// them.
func TestParseFixturesRawBytes(t *testing.T) {
	tests := []struct {
		file string
		want []byte
	}{
		{"windows1252.xml", []byte{0x93, 'a', ' ', 'g', 'a', 'm', 'e'}}, // “a game
		{"windows1252.xml", []byte{0x94}},                               // ”
		{"iso88591_http1252.xml", []byte{'L', 0x92, 'a', 'r', 0xE9}},    // L’aré
		{"utf16le_bom.xml", []byte{0xFF, 0xFE, '<', 0}},
		{"utf8_bom.xml", []byte{0xEF, 0xBB, 0xBF, '<'}},
		{"broken_bytes.xml", []byte{'C', 'a', 'f', 0xE9}},
		{"broken_bytes.xml", []byte{'d', 0x0B, ' '}},
	}
	for _, tc := range tests {
		b, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), string(tc.want)) {
			t.Errorf("%s lacks bytes % x", tc.file, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, body, contentType string
		kind                    ErrorKind
	}{
		{"empty", "", "application/rss+xml", KindEmpty},
		{"white space", " \r\n\t ", "text/xml", KindEmpty},
		{"bom only", "\xEF\xBB\xBF", "text/xml", KindEmpty},
		{"html served as xml", "<!doctype html><html><head><title>x</title></head><body></body></html>", "text/xml", KindHTML},
		{"xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head/></html>`, "application/xml", KindHTML},
		{"plain text", "Service Unavailable", "text/plain", KindNotFeed},
		{"plain text served as html", "Forbidden", "text/html", KindHTML},
		{"sitemap", `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>`, "application/xml", KindNotFeed},
		{"opml", `<opml version="2.0"><body/></opml>`, "text/xml", KindNotFeed},
		{"json not a feed", `{"error": "rate limited"}`, "application/json", KindNotFeed},
		{"bad json", "{\n\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [\n{\"id\": 1,}\n]}", "application/feed+json", KindSyntax},
		{"unclosed root", `<rss version="2.0"><channel><title>x</title>`, "text/xml", KindSyntax},
		{"no root", `<?xml version="1.0"?>`, "text/xml", KindSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.body), tc.contentType, "https://example.com/feed", Options{Now: fixedNow})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v; want *ParseError", err)
			}
			if pe.Kind != tc.kind {
				t.Errorf("kind = %v; want %v (%v)", pe.Kind, tc.kind, err)
			}
			if msg := err.Error(); msg != strings.ToLower(msg[:1])+msg[1:] || !strings.Contains(msg, "https://example.com/feed") {
				t.Errorf("error %q: want lower case, naming the URL", msg)
			}
		})
	}
}

func TestParseJSONSyntaxErrorLine(t *testing.T) {
	body := "{\n\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": [\n{\"id\": 1,}\n]}"
	_, err := Parse([]byte(body), "application/feed+json", "https://example.com/feed.json", Options{})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 4 || !strings.HasPrefix(pe.Detail, "invalid JSON at line 4") {
		t.Fatalf("error = %v (line %d); want invalid JSON at line 4", err, pe.Line)
	}
	if got := pe.UserMessage(); got != "The feed is broken (invalid JSON at line 4) and could not be read." {
		t.Errorf("UserMessage() = %q", got)
	}
}

func TestParseEmptyFeedIsNotAnError(t *testing.T) {
	f, err := Parse([]byte(`<rss version="2.0"><channel><title>Quiet</title></channel></rss>`), "", "https://example.com/rss", Options{})
	if err != nil || f.Title != "Quiet" || len(f.Items) != 0 {
		t.Fatalf("Parse = %+v, %v; want an empty feed", f, err)
	}
}

func TestParseErrorMessages(t *testing.T) {
	tests := []struct {
		body string
		want string
	}{
		{"", "The feed address returned an empty page, so there is nothing to read yet."},
		{"<!doctype html><html></html>", "That address is a web page, not a feed. Try the site's RSS or Atom feed address."},
		{"<urlset/>", "That address did not return an RSS, Atom or JSON feed."},
		{"<rss>\n<channel>\n<title>x</title>\n<", "The feed is broken (invalid XML at line 4) and could not be read."},
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.body), "", "", Options{})
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("Parse(%q) error = %v", tc.body, err)
		}
		if got := pe.UserMessage(); got != tc.want {
			t.Errorf("Parse(%q).UserMessage() = %q; want %q", tc.body, got, tc.want)
		}
		if !strings.HasPrefix(err.Error(), "parse feed: ") {
			t.Errorf("error without URL = %q", err)
		}
	}
}

func TestParseErrorUnwrap(t *testing.T) {
	_, err := Parse([]byte("<rss><channel><item>"), "text/xml", "https://example.com/rss", Options{})
	var se *xml.SyntaxError
	if !errors.As(err, &se) || se.Line != 1 {
		t.Fatalf("errors.As(%v, *xml.SyntaxError) failed", err)
	}
}
