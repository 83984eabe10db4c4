package feed

import (
	"bytes"
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

// plainTitle turns a title that may contain HTML markup or (double-escaped)
// entities into plain text with white space collapsed. Titles are often
// escaped twice by publishers ("Ben &amp;amp; Jerry&amp;#8217;s"); decoding
// the entities left after XML decoding once more is what readers show.
func plainTitle(s string) string {
	switch {
	case looksLikeMarkup(s):
		return htmlToText(s)
	case hasEntity(s):
		return collapseSpace(html.UnescapeString(s))
	default:
		return collapseSpace(s)
	}
}

// looksLikeMarkup reports whether s contains something an HTML parser would
// read as a tag, comment or character reference: '<' followed by a letter,
// '/' or '!'.
func looksLikeMarkup(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		c := s[i+1]
		if c == '/' || c == '!' || (c|0x20 >= 'a' && c|0x20 <= 'z') {
			return true
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
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

// cdataToText rewrites CDATA sections inside raw XML markup as escaped text,
// so that an HTML parser (which treats "<![CDATA[" as a bogus comment) still
// sees their content.
func cdataToText(raw []byte) []byte {
	const open, closing = "<![CDATA[", "]]>"
	if !bytes.Contains(raw, []byte(open)) {
		return raw
	}
	var out bytes.Buffer
	out.Grow(len(raw))
	for {
		i := bytes.Index(raw, []byte(open))
		if i < 0 {
			out.Write(raw)
			return out.Bytes()
		}
		out.Write(raw[:i])
		raw = raw[i+len(open):]
		j := bytes.Index(raw, []byte(closing))
		if j < 0 {
			out.WriteString(html.EscapeString(string(raw)))
			return out.Bytes()
		}
		out.WriteString(html.EscapeString(string(raw[:j])))
		raw = raw[j+len(closing):]
	}
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
