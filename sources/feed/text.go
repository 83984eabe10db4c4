package feed

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// collapseSpace trims s and replaces every run of white space (including
// U+00A0 and other Unicode spaces) with one ASCII space. It returns s
// unchanged, without allocating, when s is already collapsed.
func collapseSpace(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isCollapsed(s string) bool {
	prevSpace := true // leading space is not collapsed
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			i += size - 1
			prevSpace = false
			continue
		}
		if c == ' ' {
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' {
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// plainTitle turns a title (or other short text) that is plain text or
// HTML into plain text with white space collapsed. It is HTML when it holds
// markup an HTML author wrote (see isHTMLMarkup): its text is extracted and
// its entities decoded once. Otherwise it is plain text and keeps its angle
// brackets ("std::vector<int> in C++", "The <dialog> element"); entities
// left in it are decoded once, because publishers often escape titles twice
// ("Ben &amp;amp; Jerry&amp;#8217;s" shows as "Ben & Jerry's").
func plainTitle(s string) string {
	switch {
	case isHTMLMarkup(s):
		return htmlToText(s)
	case hasEntity(s):
		if u := html.UnescapeString(s); isHTMLMarkup(u) {
			return htmlToText(u) // HTML escaped once more
		} else {
			return collapseSpace(u)
		}
	default:
		return collapseSpace(s)
	}
}

// bodyHTML returns a body (description, summary, content) whose type the
// feed does not declare as HTML for Item.Content and Item.Summary, which are
// always HTML: unchanged when it holds markup (isHTMLMarkup), else as plain
// text, its entities decoded once and the text escaped, so that literal
// angle brackets survive ("a <b> c" without markup is text). Text that is
// HTML once its entities are decoded was HTML escaped twice and is returned
// decoded.
func bodyHTML(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || isHTMLMarkup(s) {
		return s
	}
	if hasEntity(s) {
		s = html.UnescapeString(s)
		if isHTMLMarkup(s) {
			return s // HTML escaped once more ("&lt;p&gt;Hello&lt;/p&gt;" in CDATA)
		}
	}
	s = textEscaper().Replace(s)
	if strings.Contains(s, "\n") {
		s = strings.ReplaceAll(s, "\n", "<br>\n")
	}
	return s
}

// textEscaper escapes the three characters that make text HTML (quotes
// need no escaping outside attributes).
func textEscaper() *strings.Replacer {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
}

// isHTMLMarkup reports whether s holds markup an HTML author wrote, rather
// than plain text that happens to contain angle brackets: a comment, an end
// tag of an HTML element, a start tag with attributes, or a start tag of an
// element that only occurs as markup (p, br, img, a, em, strong, div, ...).
// "List<String>", "std::vector<int>" and "The <dialog> element is new" are
// text; "<p>Hello", "<b>Hi</b>", "a<br>b" and `<a href="/x">x</a>` are HTML.
func isHTMLMarkup(s string) bool {
	if strings.IndexByte(s, '<') < 0 {
		return false
	}
	if strings.Contains(s, "<!--") {
		return true
	}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return false
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			if atom.Lookup(name) != 0 {
				return true
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			if a != 0 && (hasAttr || markupOnly(a)) {
				return true
			}
		}
	}
}

// markupOnly reports whether an element name, written as a tag, is markup
// even without attributes or an end tag: the elements feed HTML is made of,
// which nobody writes in angle brackets as text.
func markupOnly(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Br, atom.Img, atom.A, atom.B, atom.I, atom.U, atom.Em, atom.Strong,
		atom.Div, atom.Span, atom.Ul, atom.Ol, atom.Li, atom.Hr, atom.Blockquote,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Table, atom.Tr, atom.Td,
		atom.Figure, atom.Figcaption, atom.Iframe, atom.Font, atom.Center, atom.Small,
		atom.Sup, atom.Sub, atom.Strike, atom.Dl, atom.Dt, atom.Dd:
		return true
	}
	return false
}

// hasEntity reports whether s contains something shaped like a character
// reference: '&' followed by '#' or letters/digits and a ';'.
func hasEntity(s string) bool {
	for i := strings.IndexByte(s, '&'); i >= 0; {
		j := i + 1
		for j < len(s) && j-i <= 32 {
			c := s[j]
			if c == ';' {
				if j > i+1 {
					return true
				}
				break
			}
			if !(c == '#' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z') {
				break
			}
			j++
		}
		k := strings.IndexByte(s[i+1:], '&')
		if k < 0 {
			return false
		}
		i += 1 + k
	}
	return false
}

// htmlToText extracts the text of an HTML fragment: tags dropped, entities
// decoded, script/style content skipped, white space collapsed.
func htmlToText(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return collapseSpace(b.String())
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style:
				skip++
			case atom.Br, atom.P, atom.Div, atom.Li:
				b.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Script, atom.Style:
				if skip > 0 {
					skip--
				}
			case atom.P, atom.Div, atom.Li:
				b.WriteByte(' ')
			}
		}
	}
}

// textToHTML escapes plain text so it can travel in Item.Content, which is
// always HTML. Line breaks are kept as <br>.
func textToHTML(s string) string {
	if s == "" {
		return ""
	}
	s = html.EscapeString(s)
	if strings.Contains(s, "\n") {
		s = strings.ReplaceAll(s, "\n", "<br>\n")
	}
	return s
}

// personName extracts a display name from an RSS author value such as
// "jane@example.com (Jane Doe)", "Jane Doe <jane@example.com>" or "Jane Doe".
// A bare e-mail address is returned as is.
func personName(s string) string {
	s = collapseSpace(s)
	if s == "" {
		return ""
	}
	if open := strings.LastIndexByte(s, '('); open > 0 && strings.HasSuffix(s, ")") {
		inner := strings.TrimSpace(s[open+1 : len(s)-1])
		outer := strings.TrimSpace(s[:open])
		switch {
		case strings.Contains(outer, "@") && inner != "" && !strings.Contains(inner, "@"):
			return inner
		case strings.Contains(inner, "@") && outer != "" && !strings.Contains(outer, "@"):
			return outer
		}
	}
	if open := strings.IndexByte(s, '<'); open > 0 && strings.HasSuffix(s, ">") {
		if name := strings.Trim(strings.TrimSpace(s[:open]), `"'`); name != "" {
			return name
		}
	}
	return s
}

// appendUnique appends s to list unless it is empty or already present.
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}
