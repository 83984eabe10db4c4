package storytext

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"
)

// maxUnescapeRounds bounds how many extra entity-decoding passes are applied
// to text that was escaped more than once upstream ("&amp;amp;", "&amp;#8217;").
const maxUnescapeRounds = 2

// Plain turns a feed title (or any short one-line field) into safe plain text
// for a chat message: HTML tags are stripped (script/style content dropped),
// entities are decoded (including doubly escaped ones such as "&amp;amp;"),
// every run of whitespace, including line breaks, becomes one space, and
// control characters, bidi embedding/override/isolate characters, BOMs,
// zero-width spaces and soft hyphens are removed. Ordinary right-to-left text
// and the LRM/RLM/ALM marks are kept. Invalid UTF-8 becomes U+FFFD and the
// result is NFC-normalised and trimmed. Plain never panics; "" gives "".
//
// A '<' immediately followed by a letter starts a tag, as in HTML, so a
// literal "a<b" in a title loses "<b"; escaped text ("a &lt; b") is kept.
func Plain(s string) string {
	if s == "" {
		return ""
	}
	s = stripCDATA(strings.ToValidUTF8(s, "\uFFFD"))
	var text string
	if strings.IndexByte(s, '<') < 0 {
		text = html.UnescapeString(s)
		if looksLikeMarkup(text) { // the title was HTML-escaped once more
			text = stripTags(text)
		}
	} else {
		text = stripTags(s)
	}
	text = unescapeAll(text)
	var w lineWriter
	w.write(text)
	return w.finish()
}

// stripCDATA removes CDATA section markers left over from feed XML; the
// tokenizer would otherwise read "<![CDATA[...]]>" as a bogus comment and
// drop the text inside.
func stripCDATA(s string) string {
	if !strings.Contains(s, "<![CDATA[") && !strings.Contains(s, "]]>") {
		return s
	}
	s = strings.ReplaceAll(s, "<![CDATA[", "")
	return strings.ReplaceAll(s, "]]>", "")
}

// stripTags returns the concatenated text tokens of s, skipping the content of
// elements whose text is never shown (script, style and the like).
func stripTags(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	var skip atom.Atom
	depth := 0
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return b.String()
		case xhtml.TextToken:
			if depth == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case depth > 0 && a == skip:
				depth++
			case depth == 0 && dropsContent(a):
				skip, depth = a, 1
			case depth == 0 && a == atom.Br:
				b.WriteByte(' ')
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			if depth > 0 && atom.Lookup(name) == skip {
				depth--
			}
		}
	}
}

// unescapeAll decodes entities left in already-decoded text, repeating for
// text that was escaped several times upstream.
func unescapeAll(s string) string {
	for range maxUnescapeRounds {
		if strings.IndexByte(s, '&') < 0 {
			return s
		}
		u := html.UnescapeString(s)
		if u == s {
			return s
		}
		s = u
	}
	return s
}

// dropRune reports whether r must never reach a chat message: C0/C1 controls
// (whitespace is handled separately), bidi embeddings, overrides and isolates
// (U+202A..U+202E, U+2066..U+2069) that can reorder the surrounding message,
// deprecated format characters, BOM, zero-width space, word joiner and soft
// hyphen. LRM, RLM, ALM, ZWJ and ZWNJ are kept: they are needed by RTL text,
// Persian/Indic orthography and emoji sequences and cannot escape their run.
func dropRune(r rune) bool {
	switch {
	case r < 0x20 || (r >= 0x7f && r < 0xa0):
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x206f:
		return true
	case r == 0xfeff, r == 0x200b, r == 0x2060, r == 0x00ad, r == 0xfffe, r == 0xffff:
		return true
	}
	return false
}

// isSpace reports whether r separates words: Unicode white space plus the
// line and paragraph separators.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == 0x2028 || r == 0x2029
}

// lineWriter accumulates text into a single line, collapsing white space and
// removing unsafe characters.
type lineWriter struct {
	b            strings.Builder
	pendingSpace bool
}

// write appends s, collapsing white space runs to one space.
func (w *lineWriter) write(s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			w.writeRune('\uFFFD')
		case isSpace(r):
			w.pendingSpace = true
		case dropRune(r):
		default:
			w.writeRune(r)
		}
	}
}

func (w *lineWriter) writeRune(r rune) {
	if w.pendingSpace && w.b.Len() > 0 {
		w.b.WriteByte(' ')
	}
	w.pendingSpace = false
	w.b.WriteRune(r)
}

// space records a word separator without writing it yet.
func (w *lineWriter) space() { w.pendingSpace = true }

// empty reports whether nothing visible has been written.
func (w *lineWriter) empty() bool { return w.b.Len() == 0 }

// finish returns the NFC-normalised line and resets the writer.
func (w *lineWriter) finish() string {
	s := w.b.String()
	w.b.Reset()
	w.pendingSpace = false
	if !isASCII(s) {
		s = norm.NFC.String(s)
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
