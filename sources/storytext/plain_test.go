package storytext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestPlain(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"entities", "AT&amp;T&#8217;s &quot;deal&quot; &ndash; 5&nbsp;bn", "AT&T’s \"deal\" – 5 bn"},
		{"double escaped", "Procter &amp;amp; Gamble &amp;#8216;beats&amp;#8217;", "Procter & Gamble ‘beats’"},
		{"tags stripped", "<b>Breaking:</b> <a href=\"x\">Quake</a> hits <em>Taiwan</em>", "Breaking: Quake hits Taiwan"},
		{"escaped markup stripped", "&lt;b&gt;Breaking:&lt;/b&gt; Fed &amp;amp; ECB", "Breaking: Fed & ECB"},
		{"script dropped", "Title<script>alert(1)</script> here", "Title here"},
		{"br becomes space", "Line one<br>line two", "Line one line two"},
		{"newlines and tabs collapse", "  Markets\n\tclose\r\n higher  ", "Markets close higher"},
		{"cdata leftovers", "<![CDATA[Fed holds rates]]>", "Fed holds rates"},
		{"bidi override removed", "Invoice \u202Egnp.exe\u202C ready", "Invoice gnp.exe ready"},
		{"isolates removed", "\u2067Name\u2069 wins", "Name wins"},
		{"controls removed", "Bell\u0007 and\u0000 null\u009b", "Bell and null"},
		{"bom and zero width removed", "\uFEFFHead\u200Bline\u00AD", "Headline"},
		{"rtl kept", "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD", "\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD"},
		{"arabic with rlm kept", "\u0645\u0631\u062D\u0628\u0627\u200F 2024", "\u0645\u0631\u062D\u0628\u0627\u200F 2024"},
		{"zwj emoji kept", "Family \U0001F468\u200D\U0001F469\u200D\U0001F467", "Family \U0001F468\u200D\U0001F469\u200D\U0001F467"},
		{"line separator", "A\u2028B", "A B"},
		{"invalid utf8", "bad \xff byte", "bad \uFFFD byte"},
		{"nfc", "Zu\u0308rich", "Zürich"},
		{"literal less-than with space kept", "Inflation < 3% & falling", "Inflation < 3% & falling"},
		{"cjk", "日本銀行が金利を引き上げ", "日本銀行が金利を引き上げ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Plain(tt.in); got != tt.want {
				t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkSafeText reports what makes s unsafe for a chat message, or "".
func checkSafeText(s string, allowNewline bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	if s != strings.TrimSpace(s) {
		return "surrounding white space"
	}
	for _, r := range s {
		if r == '\n' && allowNewline {
			continue
		}
		if dropRune(r) || (r != ' ' && unicode.IsSpace(r)) {
			return "unsafe rune " + string(r)
		}
	}
	if strings.Contains(s, "  ") {
		return "double space"
	}
	if strings.Contains(s, "\n\n\n") {
		return "more than one blank line"
	}
	return ""
}

func FuzzPlain(f *testing.F) {
	for _, s := range []string{
		"", "AT&amp;amp;T", "<b>x</b>", "a\u202eb", "<script>x", "&#x0;", "<![CDATA[x]]>",
		"\xff\xfe", "a<b", "&lt;p&gt;x&lt;/p&gt;", "<svg><svg>", "<p hidden>x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Plain(s)
		if strings.ContainsRune(got, '\n') {
			t.Fatalf("Plain(%q) = %q contains a newline", s, got)
		}
		if msg := checkSafeText(got, false); msg != "" {
			t.Fatalf("Plain(%q) = %q: %s", s, got, msg)
		}
	})
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"", "<p>a</p><p>b</p>", "<ul><li>x<ul><li>y", "<figure><figcaption>c", "Read more",
		"<pre>\n\n\n</pre>", "&lt;p&gt;x", "<div hidden><div>x</div></div>y", "a\r\n\r\nb",
		"<p>The post x appeared first on y.</p>", "<![CDATA[<p>x</p>]]>", "<td>a<td>b", "\u202e<p>x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clean(s)
		if msg := checkSafeText(got, true); msg != "" {
			t.Fatalf("Clean(%q) = %q: %s", s, got, msg)
		}
		for _, p := range Paragraphs(s) {
			if p == "" || strings.Contains(p, "\n\n") {
				t.Fatalf("Paragraphs(%q) has bad paragraph %q", s, p)
			}
		}
	})
}
