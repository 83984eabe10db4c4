package feed

import (
	"net/url"
	"testing"
)

func TestCollapseSpace(t *testing.T) {
	tests := map[string]string{
		"":                     "",
		"plain":                "plain",
		"  lead and trail  ":   "lead and trail",
		"a\n\t b":              "a b",
		"a\u00a0\u00a0b":       "a b",
		"a\u2003b":             "a b",
		"already collapsed ok": "already collapsed ok",
		"日本 語":                 "日本 語",
		" ":                    "",
		"x ":                   "x",
		"a  b":                 "a b",
		"tab\tonly":            "tab only",
		"\u3000全角スペース\u3000":   "全角スペース",
	}
	for in, want := range tests {
		if got := collapseSpace(in); got != want {
			t.Errorf("collapseSpace(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestPlainTitle(t *testing.T) {
	tests := map[string]string{
		"Plain title":                             "Plain title",
		"Ben &amp; Jerry&#8217;s new flavour":     "Ben & Jerry’s new flavour",
		"Tom & Jerry":                             "Tom & Jerry",
		"AT&T; results":                           "AT&T; results",
		"a < b and c > d":                         "a < b and c > d",
		"<b>Breaking:</b> storm <em>warning</em>": "Breaking: storm warning",
		"Line<br>break":                           "Line break",
		"<script>alert(1)</script>Safe":           "Safe",
		"Price &pound;5&nbsp;&mdash; cheap":       "Price £5 — cheap",
		"  spaced\n  out  ":                       "spaced out",
	}
	for in, want := range tests {
		if got := plainTitle(in); got != want {
			t.Errorf("plainTitle(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestPersonName(t *testing.T) {
	tests := map[string]string{
		"":                              "",
		"Jane Doe":                      "Jane Doe",
		"jane@example.com (Jane Doe)":   "Jane Doe",
		"Jane Doe (jane@example.com)":   "Jane Doe",
		"Jane Doe <jane@example.com>":   "Jane Doe",
		`"Jane Doe" <jane@example.com>`: "Jane Doe",
		"jane@example.com":              "jane@example.com",
		"  Reporter  Name ":             "Reporter Name",
		"Newsroom (Politics desk)":      "Newsroom (Politics desk)",
	}
	for in, want := range tests {
		if got := personName(in); got != want {
			t.Errorf("personName(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestTextToHTML(t *testing.T) {
	if got, want := textToHTML("a < b & \"c\"\nnext"), "a &lt; b &amp; &#34;c&#34;<br>\nnext"; got != want {
		t.Errorf("textToHTML = %q; want %q", got, want)
	}
	if textToHTML("") != "" {
		t.Error("textToHTML(\"\") is not empty")
	}
}

func TestFirstHTMLImage(t *testing.T) {
	base, _ := url.Parse("https://blog.example.com/2025/03/post/")
	tests := []struct{ html, want string }{
		{"", ""},
		{"<p>no images</p>", ""},
		{`<p>x</p><img src="/a.jpg">`, "https://blog.example.com/a.jpg"},
		{`<IMG SRC="b.png" alt="">`, "https://blog.example.com/2025/03/post/b.png"},
		{`<img src="https://s.w.org/images/core/emoji/15.0.3/72x72/1f309.png" class="wp-smiley"><img src="https://cdn.example.com/real.jpg">`, "https://cdn.example.com/real.jpg"},
		{`<img src="https://track.example.com/p.gif" width="1" height="1"><img src="data:image/gif;base64,R0lGOD"><img data-src="lazy.jpg" src="https://cdn.example.com/x.webp">`, "https://cdn.example.com/x.webp"},
		{`<img src="https://feeds.feedburner.com/~r/x/~4/abc">`, ""},
		{`<imgur>not an image</imgur>`, ""},
		{`<img/src="https://cdn.example.com/slash.jpg">`, "https://cdn.example.com/slash.jpg"},
	}
	for _, tc := range tests {
		if got := firstHTMLImage(tc.html, base); got != tc.want {
			t.Errorf("firstHTMLImage(%q) = %q; want %q", tc.html, got, tc.want)
		}
	}
}
