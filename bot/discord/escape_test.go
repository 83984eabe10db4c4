package discord

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot"
)

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Grain deal extended", "Grain deal extended"},
		{"emphasis", "*bold* _it_ ~~s~~ `c` ||sp||", `\*bold\* \_it\_ \~\~s\~\~ \` + "`" + `c\` + "`" + ` \|\|sp\|\|`},
		{"backslash", `a\b`, `a\\b`},
		{"masked link", "[x](https://e.com)", `\[x\](https://e.com)`},
		{"quote at line start", "> q\nnot > q", "\\> q\nnot > q"},
		{"heading", "# H\n## H2\nC# rocks", "\\# H\n\\## H2\nC# rocks"},
		{"subtext and lists", "-# small\n- item\n+ item\n  - nested", "\\-# small\n\\- item\n\\+ item\n  \\- nested"},
		{"numbered list", "1. first\n2) second\nversion 1.2", "1\\. first\n2\\) second\nversion 1.2"},
		{"everyone", "@everyone and @here", "@" + zwsp + "everyone and @" + zwsp + "here"},
		{"user, role, channel", "<@123> <@!123> <@&456> <#789>", "<" + zwsp + "@" + zwsp + "123> <" + zwsp + "@" + zwsp + "!123> <" + zwsp + "@" + zwsp + "&456> <" + zwsp + "#789>"},
		{"emoji, timestamp, command", "<:pepe:1> <a:x:2> <t:17:R> </help:3>", "<" + zwsp + ":pepe:1> <" + zwsp + "a:x:2> <" + zwsp + "t:17:R> <" + zwsp + "/help:3>"},
		{"comparison kept", "1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},
		{"control and bidi dropped", "a\x00b\u202ec\u2066d\r\ne\tf", "abcd\ne f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeMarkdown(tt.in, 4096); got != tt.want {
				t.Errorf("escapeMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEscapeFit(t *testing.T) {
	spans := bot.Highlight("Ukraine grain exports resume after the Black Sea deal", []string{"ukraine", "grain", "black sea"})
	tests := []struct {
		limit int
		want  string
	}{
		{200, "**Ukraine** **grain** exports resume after the **Black Sea** deal"},
		{40, "**Ukraine** **grain** exports resume…"},
		{60, "**Ukraine** **grain** exports resume after the **Black**…"},
		{12, "**Ukraine**…"},
	}
	for _, tt := range tests {
		got := escapeFit(spans, tt.limit)
		if got != tt.want {
			t.Errorf("limit %d:\n got %q\nwant %q", tt.limit, got, tt.want)
		}
		if n := utf8.RuneCountInString(got); n > tt.limit {
			t.Errorf("limit %d: %d runes", tt.limit, n)
		}
	}
	if got := escapeMarkdown(strings.Repeat("*", 300), 256); utf8.RuneCountInString(got) > 256 || strings.HasSuffix(strings.TrimSuffix(got, "…"), `\`) {
		t.Errorf("cut inside an escape: %q", got[len(got)-10:])
	}
}

func TestCutWordsAndPlainText(t *testing.T) {
	if got := cutWords("Reuters World News Service", 15); got != "Reuters World…" {
		t.Errorf("cutWords = %q", got)
	}
	if got := cutWords(strings.Repeat("x", 20), 10); got != strings.Repeat("x", 9)+"…" {
		t.Errorf("cutWords without blanks = %q", got)
	}
	if got := plainText("  BBC\n\tNews @everyone \u202e ", 256); got != "BBC News @"+zwsp+"everyone" {
		t.Errorf("plainText = %q", got)
	}
}

func TestSplitMessage(t *testing.T) {
	lines := strings.Repeat("line of text\n", 400)
	parts := splitMessage(lines, 2000)
	if len(parts) != 3 || strings.Join(parts, "\n") != strings.TrimSuffix(lines, "\n") {
		t.Errorf("split into %d parts, not rejoinable", len(parts))
	}
	esc := escapeMarkdown(strings.Repeat("*", 3000), 100000)
	for _, p := range splitMessage(esc, 2000) {
		if utf8.RuneCountInString(p) > 2000 || trailingBackslashes(p)%2 == 1 {
			t.Errorf("bad part: %d runes, ends %q", utf8.RuneCountInString(p), p[len(p)-3:])
		}
	}
}

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.bbc.co.uk/news/x":               "https://www.bbc.co.uk/news/x",
		" http://e.com/a?b=c ":                       "http://e.com/a?b=c",
		"javascript:alert(1)":                        "",
		"//e.com/x":                                  "",
		"https://user:pw@e.com/":                     "",
		"https://e.com/" + strings.Repeat("a", 2100): "",
		"https://e.com/a b":                          "",
	} {
		if got := webURL(in); got != want {
			t.Errorf("webURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPackEmbeds(t *testing.T) {
	mk := func(n int) embed { return embed{Description: strings.Repeat("x", n)} }
	tests := []struct {
		sizes []int
		want  []int // group sizes
	}{
		{[]int{100, 100, 100}, []int{3}},
		{[]int{3000, 3000, 1}, []int{2, 1}},
		{[]int{4000, 2500, 3000}, []int{1, 2}},
		{make([]int, 23), []int{10, 10, 3}},
	}
	for _, tt := range tests {
		var es []embed
		for _, n := range tt.sizes {
			es = append(es, mk(n))
		}
		var got []int
		for _, g := range packEmbeds(es) {
			got = append(got, len(g))
		}
		if !equalInts(got, tt.want) {
			t.Errorf("pack %v = %v, want %v", tt.sizes, got, tt.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// unescape reverses mdWriter: drops the zero-width spaces it adds and the
// backslashes before escaped characters.
func unescape(s string) string {
	s = strings.ReplaceAll(s, zwsp, "")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sanitized is what escaping keeps of s: no control characters (but
// newlines), no bidi overrides, tabs as spaces, no zero-width spaces.
func sanitized(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case r == '\r' || dropRune(r) || r == 0x200b:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func FuzzEscapeMarkdown(f *testing.F) {
	for _, a := range []string{
		"@everyone <@123> <@&456> <#789> <:e:1> <t:1:R>",
		"# H\n> q\n- l\n1. n\n*b* _i_ ~s~ `c` |p| [m](u) \\",
		"Ukraine grain\x00\u202e\r\n\t", "****", "\\\\\\", "<<@@", "",
	} {
		f.Add(a, 256)
	}
	f.Fuzz(func(t *testing.T, in string, limit int) {
		if limit < 8 || limit > 5000 {
			limit = 8 + (limit%5000+5000)%5000
		}
		in = strings.ToValidUTF8(in, "")
		out := escapeMarkdown(in, limit)
		if n := utf8.RuneCountInString(out); n > limit {
			t.Fatalf("%d runes over limit %d", n, limit)
		}
		for _, bad := range []string{"@everyone", "@here", "<@", "<#", "<:", "<t:", "<a:", "</"} {
			if strings.Contains(out, bad) {
				t.Fatalf("output contains %q: %q", bad, out)
			}
		}
		// every markdown character is escaped
		for i := 0; i < len(out); i++ {
			if strings.IndexByte("*_~`|[]", out[i]) >= 0 && trailingBackslashes(out[:i])%2 == 0 {
				t.Fatalf("unescaped %q at %d in %q", out[i], i, out)
			}
		}
		full := escapeMarkdown(in, 1<<30)
		if utf8.RuneCountInString(full) <= limit {
			if out != full {
				t.Fatalf("cut although it fits: %q", out)
			}
			if got, want := unescape(out), sanitized(in); got != want {
				t.Fatalf("round trip:\n got %q\nwant %q", got, want)
			}
			return
		}
		if !strings.HasSuffix(out, ellipsis) {
			t.Fatalf("cut without an ellipsis: %q", out)
		}
		if got := unescape(strings.TrimSuffix(out, ellipsis)); !strings.HasPrefix(sanitized(in), got) {
			t.Fatalf("cut output is not a prefix of the input:\n got %q\n  in %q", got, sanitized(in))
		}
	})
}

func FuzzSplitMessage(f *testing.F) {
	f.Add(strings.Repeat("a\\*", 50), 20)
	f.Add("one two three\nfour", 5)
	f.Fuzz(func(t *testing.T, in string, limit int) {
		if limit < 4 || limit > 3000 {
			limit = 4 + (limit%3000+3000)%3000
		}
		in = escapeMarkdown(strings.ToValidUTF8(in, ""), 1<<20)
		for _, p := range splitMessage(in, limit) {
			if utf8.RuneCountInString(p) > limit {
				t.Fatalf("part of %d runes over %d", utf8.RuneCountInString(p), limit)
			}
			if trailingBackslashes(p)%2 == 1 {
				t.Fatalf("part ends inside an escape: %q", p)
			}
		}
	})
}
