package slack

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<!channel>", "&lt;!channel&gt;"},
		{"<https://evil|trusted>", "&lt;https://evil|trusted&gt;"},
		{"a & b", "a &amp; b"},
		{"&lt;", "&amp;lt;"},
		{"@here", "@" + zwsp + "here"},
		{"*bold*", zwsp + "*" + zwsp + "bold" + zwsp + "*" + zwsp},
		{"NEWSALERT_ADMINS a_b_c", "NEWSALERT_ADMINS a_b_c"},
		{"_it_ x", zwsp + "_" + zwsp + "it" + zwsp + "_" + zwsp + " x"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct{ text, cmd, args string }{
		{`subscribe "north korea" -sports`, "subscribe", `"north korea" -sports`},
		{"Source Add <https://x.example/feed|x.example/feed> 5m", "addsource", "https://x.example/feed 5m"},
		{"source list", "sources", ""},
		{"opml import https://x.example/a.opml", "importopml", "https://x.example/a.opml"},
		{"  ", "help", ""},
		{"/list", "list", ""},
		{"subscribe AT&amp;T", "subscribe", "AT&T"},
		{"source frobnicate", "source frobnicate", ""},
	}
	for _, tt := range tests {
		cmd, args := parseCommand(tt.text)
		if cmd != tt.cmd || args != tt.args {
			t.Errorf("parseCommand(%q) = %q, %q; want %q, %q", tt.text, cmd, args, tt.cmd, tt.args)
		}
	}
}

// FuzzEscape: escaped text has no < or >, every & starts an entity, it is
// valid UTF-8, and escapeFit keeps to its budget.
func FuzzEscape(f *testing.F) {
	for _, s := range corpus {
		f.Add(s, 100)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		out := escape(s)
		if strings.ContainsAny(out, "<>") || !utf8.ValidString(out) {
			t.Fatalf("escape(%q) = %q", s, out)
		}
		for i := strings.IndexByte(out, '&'); i >= 0; i = strings.IndexByte(out, '&') {
			rest := out[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
				t.Fatalf("bare & in %q", out)
			}
			out = rest[1:]
		}
		if n = n%5000 + 1; n < 2 {
			return
		}
		if fit := escapeFit(s, n); utf8.RuneCountInString(fit) > n {
			t.Fatalf("escapeFit(%q, %d) has %d runes", s, n, utf8.RuneCountInString(fit))
		}
		parseCommand(s)
	})
}

func TestSlackSyntax(t *testing.T) {
	in := "/addsource https://feeds.bbci.co.uk/news/world/rss.xml 5m — e.g. /subscribe \"north korea\" and /help; see /etc/x"
	want := "/newsalert addsource https://feeds.bbci.co.uk/news/world/rss.xml 5m — e.g. /newsalert subscribe \"north korea\" and /newsalert help; see /etc/x"
	if got := slackSyntax(in); got != want {
		t.Errorf("slackSyntax = %q", got)
	}
}
