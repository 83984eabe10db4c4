package telegram

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/secret"
)

func TestTrimText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"fits", "short text", 20, "short text"},
		{"exact", "abcde", 5, "abcde"},
		{"word boundary", "the quick brown fox jumps", 17, "the quick brown…"},
		{"trailing punctuation", "one, two, three", 10, "one, two…"},
		{"one long word", "abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"},
		{"surrogate pairs", strings.Repeat("😀", 10), 7, "😀😀😀…"},
		{"skin tone modifier stays", "👍🏽👍🏽👍🏽", 5, "👍🏽…"},
		{"zwj sequence not split", "👩‍💻👩‍💻", 6, "👩‍💻…"},
		{"combining accent stays", "cafe\u0301 cafe\u0301", 6, "cafe\u0301…"},
		{"accent not split from its letter", "cafe\u0301 cafe\u0301", 5, "caf…"},
		{"zero budget", "abc", 0, ""},
		{"rtl", "שלום עולם ומלואו", 11, "שלום עולם…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := trimText(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("trimText(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if utf16Len(got) > tt.max {
				t.Errorf("trimText(%q, %d) = %q: %d units", tt.in, tt.max, got, utf16Len(got))
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in        string
		keepLines bool
		want      string
	}{
		{"  a \t b\n\nc  ", false, "a b c"},
		{"  a \t b\n\n c  ", true, "a b\nc"},
		{"bad\xff\xfeutf8", false, "bad\uFFFDutf8"},
		{"nul\x00 bell\x07 bom\uFEFF", false, "nul bell bom"},
		{"evil\u202Eoverride\u2066x", false, "eviloverridex"},
		{"\u00a0nbsp\u2003em ", false, "nbsp em"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in, tt.keepLines); got != tt.want {
			t.Errorf("cleanText(%q, %v) = %q, want %q", tt.in, tt.keepLines, got, tt.want)
		}
	}
}

func TestSafeLink(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.bbc.co.uk/news/world-1":                  "https://www.bbc.co.uk/news/world-1",
		" http://example.com/a?b=1&c=2 ":                      "http://example.com/a?b=1&c=2",
		"javascript:alert(1)":                                 "",
		"data:text/html,<b>":                                  "",
		"/relative/path":                                      "",
		"https://":                                            "",
		"https://exa mple.com/":                               "",
		"tg://resolve?domain=x":                               "",
		"https://example.com/" + strings.Repeat("a", hrefCap): "",
	} {
		if got := safeLink(in); got != want {
			t.Errorf("safeLink(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatWhen(t *testing.T) {
	now := time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC)
	paris := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 5, 9, 14, 5, 0, 0, time.UTC), "14:05 UTC, 9 May"},
		{time.Date(2026, 5, 9, 16, 5, 0, 0, paris), "14:05 UTC, 9 May"},
		{time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC), "23:59 UTC, 31 Dec 2025"},
	}
	for _, tt := range tests {
		if got := formatWhen(tt.t, now, nil); got != tt.want {
			t.Errorf("formatWhen(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
	// In the chat's /timezone.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	if got := formatWhen(time.Date(2026, 5, 9, 14, 5, 0, 0, time.UTC), now, tokyo); got != "23:05 JST, 9 May" {
		t.Errorf("formatWhen in Tokyo = %q", got)
	}
	if got := formatWhen(time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC), now, tokyo); got != "01:00 JST, 1 Jan" {
		t.Errorf("formatWhen in Tokyo across the new year = %q", got)
	}
}

func TestSplitText(t *testing.T) {
	line := strings.Repeat("x", 99) + "\n"
	long := strings.Repeat(line, 100) // 10,000 units
	parts := splitText(long)
	if len(parts) != 3 {
		t.Fatalf("splitText: %d parts, want 3", len(parts))
	}
	total := 0
	for i, p := range parts {
		if n := utf16Len(p); n > maxMessageUnits || n == 0 {
			t.Errorf("part %d has %d units", i, n)
		}
		if i < len(parts)-1 && !strings.HasSuffix(p, "x") {
			t.Errorf("part %d does not end on a line: %q", i, p[len(p)-5:])
		}
		total += strings.Count(p, "x")
	}
	if total != 9900 {
		t.Errorf("split lost text: %d x, want 9900", total)
	}
	if got := splitText("short"); len(got) != 1 || got[0] != "short" {
		t.Errorf("splitText(short) = %q", got)
	}
	emoji := strings.Repeat("😀", 3000)
	for _, p := range splitText(emoji) {
		if !utf8.ValidString(p) || utf16Len(p) > maxMessageUnits {
			t.Errorf("emoji part invalid: %d units", utf16Len(p))
		}
	}
}

// renderAdapter is an adapter for rendering only.
func renderAdapter(t testing.TB) *Adapter {
	t.Helper()
	a, err := New(Options{Token: secret.New("123:abc"), Redis: nilRedis(), Now: func() time.Time { return time.Date(2026, 5, 10, 8, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// FuzzRenderAlert checks that whatever feeds send, the rendered HTML parses
// as Telegram parses it, fits the limit, equals the plain fallback once
// parsed, and links only http(s) URLs.
func FuzzRenderAlert(f *testing.F) {
	f.Add("Title <b>bold", "https://example.com/a?b=1&c=2", "BBC", "a & b < c &amp;amp; \"q\"", "b")
	f.Add(strings.Repeat("😀", 3000), "javascript:alert(1)", "", strings.Repeat("שלום ", 2000), "שלום")
	f.Add("", "", "", "", "")
	f.Add("t", "http://x/\"><script>", "s\x00", "sum\xff", "sum")
	a := renderAdapter(f)
	f.Fuzz(func(t *testing.T, title, link, source, summary, term string) {
		al := bot.Alert{Title: title, Link: link, Source: source, Summary: summary, Terms: []string{term},
			Published: time.Date(2026, 5, 9, 14, 5, 0, 0, time.UTC), AlsoReportedBy: []string{source, title}}
		msgs, err := a.renderBatch([]bot.Alert{al, al})
		if err != nil {
			t.Fatalf("renderBatch: %v", err)
		}
		for _, m := range msgs {
			text, ents, err := telegramfake.ParseHTML(m.html)
			if err != nil {
				t.Fatalf("Telegram would reject %q: %v", m.html, err)
			}
			if text != m.plain {
				t.Fatalf("parsed text %q differs from plain fallback %q", text, m.plain)
			}
			if n := telegramfake.UTF16Len(text); n > maxMessageUnits || n != m.units {
				t.Fatalf("text has %d units (counted %d), limit %d", n, m.units, maxMessageUnits)
			}
			for _, e := range ents {
				switch e.Type {
				case "bold":
				case "text_link":
					if !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
						t.Fatalf("link to %q", e.URL)
					}
				default:
					t.Fatalf("unexpected entity %+v", e)
				}
			}
		}
	})
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/start", "/subscribe@newsalert_bot north korea", "/x@", "/", "hello", "/UPPER args\nmore", "/ünï"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, ok := parseCommand(text)
		if !ok {
			return
		}
		if c.name == "" || len(c.name) > 32 || c.name != strings.ToLower(c.name) || !strings.HasPrefix(text, "/") {
			t.Fatalf("parseCommand(%q) = %+v", text, c)
		}
		if c.args != strings.TrimSpace(c.args) {
			t.Fatalf("parseCommand(%q) args not trimmed: %q", text, c.args)
		}
	})
}

// BenchmarkRenderBatch renders a full batch: 5 alerts with ~600-character
// summaries and highlighted terms.
func BenchmarkRenderBatch(b *testing.B) {
	a := renderAdapter(b)
	var batch []bot.Alert
	for range maxBatch {
		al := grainAlert()
		al.Summary = strings.Repeat("Russia pulled out of the Black Sea grain deal & more <news>. ", 10)
		batch = append(batch, al)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.renderBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
}
