package storytext

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCleanFeedItems compares Clean on real-looking feed items in testdata
// (NAME.html) with the expected text (NAME.txt).
func TestCleanFeedItems(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) < 6 {
		t.Fatalf("expected at least 6 feed items in testdata, found %d", len(inputs))
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".html")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(in, ".html") + ".txt")
			if err != nil {
				t.Fatal(err)
			}
			got := Clean(string(raw))
			if w := strings.TrimSpace(string(want)); got != w {
				t.Errorf("Clean(%s):\n--- got ---\n%s\n--- want ---\n%s", in, got, w)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only whitespace and tags", " <p> &nbsp; </p><div></div>\n", ""},
		{"plain text paragraphs", "First line.\r\n\r\nSecond   paragraph\nwith a line.", "First line.\n\nSecond paragraph\nwith a line."},
		{"plain text entities", "Ben &amp; Jerry&#8217;s &quot;new&quot; flavour", "Ben & Jerry’s \"new\" flavour"},
		{"double escaped entity", "<p>Procter &amp;amp; Gamble</p>", "Procter & Gamble"},
		{"triple escaped apostrophe", "<p>Macy&amp;amp;#8217;s</p>", "Macy’s"},
		{"numeric and named entities", "<p>Caf&eacute; &#8211; 5&nbsp;km &#x2192; north</p>", "Café – 5 km → north"},
		{"inline tags keep words", "<p>The <b>Fed</b> <a href=\"x\">held</a> rates<em>steady</em>.</p>", "The Fed held ratessteady."},
		{"br is a line", "<p>One<br>Two<br/>Three</p>", "One\nTwo\nThree"},
		{"headings are paragraphs", "<h2>Key points</h2><p>Body.</p>", "Key points\n\nBody."},
		{"text outside blocks", "Lead text <p>Para</p> tail", "Lead text\n\nPara\n\ntail"},
		{"script style dropped", "<p>A</p><script>alert('x<p>')</script><style>p{}</style><p>B</p>", "A\n\nB"},
		{"noscript iframe dropped", "<p>A<noscript>Enable JS</noscript></p><iframe src=x>Fallback</iframe>", "A"},
		{"svg with nested svg dropped", "<p>Share<svg><svg><text>icon</text></svg><text>more</text></svg> it</p>", "Share it"},
		{"figcaption dropped", "<figure><img src=a.jpg><figcaption>Crowds gather. Photo: AP</figcaption></figure><p>Text.</p>", "Text."},
		{"unclosed figcaption ends at figure", "<figure><figcaption>Caption<p>still caption</figure><p>Body.</p>", "Body."},
		{"hidden elements dropped", "<p>Seen</p><div hidden><p>unseen</p></div><span aria-hidden=\"true\">icon</span><p style=\"display: none\">x</p>", "Seen"},
		{"form dropped", "<p>News.</p><form><label>Email</label><input><button>Subscribe</button></form>", "News."},
		{"table cells spaced", "<table><tr><td>Apple</td><td>+2.1%</td></tr><tr><th>Nvidia</th><td>-0.4%</td></tr></table>", "Apple +2.1%\nNvidia -0.4%"},
		{"pre keeps lines", "<pre>line 1\nline  2</pre>", "line 1\nline 2"},
		{"cdata wrapper", "<![CDATA[<p>Inside CDATA</p>]]>", "Inside CDATA"},
		{"cdata leftover end marker", "<p>Text</p>]]>", "Text"},
		{"read more paragraph", "<p>Body text here.</p><p><a href=\"/x\">Read more &raquo;</a></p>", "Body text here."},
		{"read more tail", "<p>Body text here. <a href=\"/x\">Read more</a></p>", "Body text here."},
		{"continue reading tail after ellipsis", "<p>The minister said talks would resume… Continue reading →</p>", "The minister said talks would resume…"},
		{"teaser tail", "<p>The company reported record revenue in the quarter [&hellip;]</p>", "The company reported record revenue in the quarter"},
		{"wordpress more marker", "<p>Opening paragraph of the story (more&#8230;)</p>", "Opening paragraph of the story"},
		{"appeared first on", "<p>Story.</p><p>The post <a href=\"u\">Oil prices slip as OPEC+ weighs output</a> appeared first on <a href=\"s\">Energy Daily</a>.</p>", "Story."},
		{"subscribe and follow", "<p>Story.</p><p>Subscribe to our newsletter for daily updates</p><p>Follow us on Telegram</p><p>Join Us</p><p>SIGN UP</p>", "Story."},
		{"photo credits", "<p>Story.</p><p>(Photo by Kevin Dietsch/Getty Images)</p><p>Image: Reuters</p><p>AP Photo/Efrem Lukatsky</p><p>Photograph: Jane Barlow/PA</p>", "Story."},
		{"copyright line", "<p>Story.</p><p>© 2024 Example Media Group. All rights reserved.</p>", "Story."},
		{"separator lines", "<p>One</p><p>* * *</p><p>—</p><p>Two</p>", "One\n\nTwo"},
		{"dateline stripped", "<p>WASHINGTON, May 1 (Reuters) - The Federal Reserve held rates.</p>", "The Federal Reserve held rates."},
		{"agency mid sentence kept", "<p>Officials told the agency (Reuters) on Monday that talks failed.</p>", "Officials told the agency (Reuters) on Monday that talks failed."},
		{"sentence that mentions reading kept", "<p>Students who read more books score higher, a study found.</p>", "Students who read more books score higher, a study found."},
		{"long line starting with promo word kept", "<p>Subscribe to this: " + strings.Repeat("the regulator said the merger would harm competition ", 4) + "</p>", "Subscribe to this: " + strings.TrimSpace(strings.Repeat("the regulator said the merger would harm competition ", 4))},
		{"control and bidi removed", "<p>Evil\u202eatad\u0007 text\u2066x\u2069</p>", "Evilatad textx"},
		{"rtl text kept", "<p>\u0627\u0644\u0633\u0644\u0627\u0645 \u200f\u0639\u0644\u064a\u0643\u0645</p>", "\u0627\u0644\u0633\u0644\u0627\u0645 \u200f\u0639\u0644\u064a\u0643\u0645"},
		{"invalid utf8", "<p>caf\xe9 ok</p>", "caf\uFFFD ok"},
		{"nfc", "<p>Cafe\u0301</p>", "Café"},
		{"unclosed tags", "<div><p>Unclosed <b>bold", "Unclosed bold"},
		{"less than in text", "<p>Inflation 3 < 4 &lt; 5</p>", "Inflation 3 < 4 < 5"},
		{"comment dropped", "<p>A<!-- tracking pixel --> B</p>", "A B"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("<p>One</p><ul><li>a</li><li>b</li></ul><p>Read more</p><p>Two</p>")
	want := []string{"One", "a\nb", "Two"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
	if got := Paragraphs("<p>Share this:</p>"); got != nil {
		t.Errorf("Paragraphs(boilerplate only) = %q, want nil", got)
	}
}
