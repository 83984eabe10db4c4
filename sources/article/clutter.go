package article

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxClutterShare is the largest share of the page's text an element may
// hold and still be removed as clutter; a bigger one is probably the article
// wrapper despite its class name.
const maxClutterShare = 0.3

// removeClutter deletes page furniture that readability tends to keep when
// it sits inside the article container: newsletter and subscription boxes,
// share bars, bylines, related-link boxes, ads, cookie and consent layers,
// comments and navigation. Elements are recognised by tag (nav, form,
// dialog, button), ARIA role, or a whole word of their class or id, split
// at '-', '_' and spaces ("newsletter-signup", "share_tools", "ad slot"
// match; "lead-image" and "shared" do not). An element containing a heading
// <h1>, an <article> or <main>, or more than maxClutterShare of the page's
// text is never removed.
func removeClutter(doc *html.Node) {
	total := textLen(doc)
	var doomed []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && isClutter(c) && !isProtected(c, total) {
				doomed = append(doomed, c)
				continue
			}
			walk(c)
		}
	}
	walk(doc)
	for _, n := range doomed {
		n.Parent.RemoveChild(n)
	}
}

func isClutter(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Form, atom.Dialog, atom.Button:
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "dialog", "alertdialog", "complementary", "banner", "contentinfo":
		return true
	}
	return hasClutterWord(attr(n, "class")) || hasClutterWord(attr(n, "id"))
}

// hasClutterWord splits a class or id value into words at white space,
// '-' and '_' and reports whether any is a clutter word.
func hasClutterWord(v string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(v), func(r rune) bool {
		return r == '-' || r == '_' || unicode.IsSpace(r)
	}) {
		switch w {
		case "newsletter", "newsletters", "signup", "subscribe", "subscription",
			"promo", "cookie", "cookies", "consent", "gdpr", "rgpd", "cmp",
			"share", "sharing", "social", "related", "recommended", "outbrain",
			"taboola", "advert", "advertisement", "ad", "ads", "sponsor",
			"sponsored", "paywall", "byline", "author", "autor", "comments",
			"comment", "kommentare", "breadcrumb", "breadcrumbs", "popular",
			"trending", "mostread", "sidebar", "widget", "navigation", "menu", "pub":
			return true
		}
	}
	return false
}

// isProtected reports whether n must be kept although it looks like clutter.
func isProtected(n *html.Node, total int) bool {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && (d.DataAtom == atom.H1 || d.DataAtom == atom.Article || d.DataAtom == atom.Main) {
			return true
		}
	}
	return total > 0 && float64(textLen(n)) > maxClutterShare*float64(total)
}

// textLen counts the runes of visible text under n (script and style
// excluded).
func textLen(n *html.Node) int {
	count := 0
	for d := range n.Descendants() {
		if d.Type != html.TextNode {
			continue
		}
		if p := d.Parent; p != nil && (p.DataAtom == atom.Script || p.DataAtom == atom.Style) {
			continue
		}
		count += utf8.RuneCountInString(strings.TrimSpace(d.Data))
	}
	return count
}
