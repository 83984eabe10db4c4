package article

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHasClutterWord(t *testing.T) {
	tests := map[string]bool{
		"newsletter-signup": true, "share_tools": true, "ad slot": true, "c-byline": true,
		"lead-image": false, "shared": false, "story-body": false, "headline": false, "": false,
		"Related-Stories": true, "sidebar-left": true, "download": false,
	}
	for in, want := range tests {
		if got := hasClutterWord(in); got != want {
			t.Errorf("hasClutterWord(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRemoveClutter(t *testing.T) {
	body := strings.Repeat("<p>The council approved the budget after a long debate about school funding.</p>", 6)
	tests := []struct {
		name, page   string
		kept, killed []string
	}{
		{
			name:   "boxes inside article removed",
			page:   `<article><h1>Budget</h1>` + body + `<div class="newsletter-box"><p>Get our daily briefing</p></div><ul class="share"><li>X</li></ul><nav>Home</nav><form><p>Email me</p></form></article>`,
			kept:   []string{"council approved", "Budget"},
			killed: []string{"daily briefing", "Home", "Email me"},
		},
		{
			name: "wrapper with clutter word but holding the story kept",
			page: `<div class="social-story">` + body + `</div><div class="related"><p>Other story</p></div>`,
			kept: []string{"council approved"}, killed: []string{"Other story"},
		},
		{
			name: "wrapper with h1 kept",
			page: `<div class="promo-header"><h1>Headline</h1></div>` + body,
			kept: []string{"Headline", "council approved"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(tt.page))
			if err != nil {
				t.Fatal(err)
			}
			removeClutter(doc)
			var b strings.Builder
			if err := html.Render(&b, doc); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, k := range tt.kept {
				if !strings.Contains(out, k) {
					t.Errorf("%q removed: %s", k, out)
				}
			}
			for _, k := range tt.killed {
				if strings.Contains(out, k) {
					t.Errorf("%q kept: %s", k, out)
				}
			}
		})
	}
}
