package telegramfake

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		text     string
		entities []Entity
	}{
		{name: "plain", in: "hello world", text: "hello world"},
		{name: "bold link", in: `<b><a href="https://example.com/a?x=1&amp;y=2">Title</a></b>`, text: "Title",
			entities: []Entity{{Type: "bold", Offset: 0, Length: 5}, {Type: "text_link", Offset: 0, Length: 5, URL: "https://example.com/a?x=1&y=2"}}},
		{name: "escapes", in: "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#x27; &#128512;", text: "a & b < c > d \"e\" 'f' 😀"},
		{name: "bare greater-than", in: "a > b", text: "a > b"},
		{name: "utf16 offsets", in: "😀 <i>x</i>", text: "😀 x", entities: []Entity{{Type: "italic", Offset: 3, Length: 1}}},
		{name: "all tags", in: `<strong>1</strong><em>2</em><ins>3</ins><u>4</u><s>5</s><strike>6</strike><del>7</del><span class="tg-spoiler">8</span><tg-spoiler>9</tg-spoiler><code>0</code><blockquote>q</blockquote><blockquote expandable>e</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`,
			text: "1234567890qe👍",
			entities: []Entity{
				{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1},
				{Type: "underline", Offset: 2, Length: 1}, {Type: "underline", Offset: 3, Length: 1},
				{Type: "strikethrough", Offset: 4, Length: 1}, {Type: "strikethrough", Offset: 5, Length: 1},
				{Type: "strikethrough", Offset: 6, Length: 1}, {Type: "spoiler", Offset: 7, Length: 1},
				{Type: "spoiler", Offset: 8, Length: 1}, {Type: "code", Offset: 9, Length: 1},
				{Type: "blockquote", Offset: 10, Length: 1}, {Type: "expandable_blockquote", Offset: 11, Length: 1},
				{Type: "custom_emoji", Offset: 12, Length: 2, CustomEmojiID: "5368324170671202286"},
			}},
		{name: "pre with language", in: `<pre><code class="language-go">x := 1</code></pre>`, text: "x := 1",
			entities: []Entity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{name: "upper-case tags", in: "<B>x</B>", text: "x", entities: []Entity{{Type: "bold", Offset: 0, Length: 1}}},
		{name: "empty entity dropped", in: "<b></b>x", text: "x"},
		{name: "single-quoted attribute", in: `<a href='http://a.b/'>l</a>`, text: "l", entities: []Entity{{Type: "text_link", Offset: 0, Length: 1, URL: "http://a.b/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ents, err := ParseHTML(tt.in)
			if err != nil {
				t.Fatalf("ParseHTML(%q): %v", tt.in, err)
			}
			if text != tt.text {
				t.Errorf("text = %q, want %q", text, tt.text)
			}
			if !reflect.DeepEqual(ents, tt.entities) {
				t.Errorf("entities = %+v, want %+v", ents, tt.entities)
			}
		})
	}
}

func TestParseHTMLErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"script tag", "<script>alert(1)</script>", `Unsupported start tag "script" at byte offset 0`},
		{"bare less-than", "a < b", `Unsupported start tag "" at byte offset 2`},
		{"bare ampersand", "a & b", `Character '&' must be escaped`},
		{"unknown entity", "&nbsp;", `Unsupported HTML entity "&nbsp;"`},
		{"unclosed", "<b>bold", `Can't find end tag corresponding to start tag "b"`},
		{"misnested", "<b><i>x</b></i>", `Unmatched end tag, expected "</i>", found "</b>"`},
		{"stray end", "x</b>", `Unexpected end tag "</b>"`},
		{"unterminated start tag", `<a href="x`, `Unclosed value of attribute "href"`},
		{"span without class", "<span>x</span>", `Tag "span" must have class "tg-spoiler"`},
		{"emoji without id", "<tg-emoji>x</tg-emoji>", `Tag "tg-emoji" must have attribute "emoji-id"`},
		{"br", "a<br>b", `Unsupported start tag "br"`},
		{"surrogate reference", "&#xD800;", "Invalid numeric character reference"},
		{"invalid utf-8", "a\xffb", "Strings must be encoded in UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseHTML(tt.in)
			if err == nil {
				t.Fatalf("ParseHTML(%q) succeeded, want error containing %q", tt.in, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseHTML(%q) error = %q, want it to contain %q", tt.in, err, tt.want)
			}
		})
	}
}

func TestUTF16Len(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "é": 1, "😀": 2, "שלום": 4, "👍🏽": 4} {
		if got := UTF16Len(in); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", in, got, want)
		}
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"", "plain", "<b>x</b>", "<a href=\"https://x\">l</a>", "&amp;&lt;&#128512;", "<b>unclosed",
		"<pre><code class=\"language-go\">x</code></pre>", "<blockquote expandable>q</blockquote>", "a < b & c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		text, ents, err := ParseHTML(in)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("ParseHTML(%q) returned invalid UTF-8 text %q", in, text)
		}
		n := UTF16Len(text)
		for _, e := range ents {
			if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > n {
				t.Fatalf("ParseHTML(%q): entity %+v outside text of %d units", in, e, n)
			}
		}
		if !strings.ContainsAny(in, "<&") && text != in {
			t.Fatalf("ParseHTML(%q) changed markup-free text to %q", in, text)
		}
	})
}
