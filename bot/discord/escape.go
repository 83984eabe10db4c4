package discord

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsalert/newsalert/bot"
)

const (
	ellipsis = "…"
	zwsp     = "\u200b" // zero-width space: breaks mentions without showing
)

// mdWriter writes plain text as Discord markdown that shows it literally:
// formatting characters are backslash-escaped, line-start syntax (quotes,
// headings, lists) is neutralised, and mentions, channel links, emoji and
// timestamps are broken with a zero-width space so they neither render nor
// ping. It can stop at a rune budget, cutting on a word boundary.
type mdWriter struct {
	b         strings.Builder
	runes     int
	lineStart bool // only blanks since the start of the line
	digits    bool // only digits since the start of the line
	bold      bool // inside a ** span

	// the last place a cut may go: just before a blank
	cutBytes, cutRunes int
	cutBold            bool
}

func newMDWriter() *mdWriter { return &mdWriter{lineStart: true, cutBytes: -1} }

// piece is the escaped form of one rune: an optional backslash before it,
// the rune (or a replacement), an optional zero-width space after it.
type piece struct {
	escape bool
	r      rune
	zwsp   bool
	drop   bool
}

func (p piece) runes() int {
	if p.drop {
		return 0
	}
	n := 1
	if p.escape {
		n++
	}
	if p.zwsp {
		n++
	}
	return n
}

// piece returns the escaped form of r, given the text that follows it.
func (w *mdWriter) piece(r rune, rest string) piece {
	switch {
	case r == '\n':
		return piece{r: r}
	case r == '\t':
		return piece{r: ' '}
	case dropRune(r):
		return piece{drop: true}
	}
	switch r {
	case '\\', '*', '_', '~', '`', '|', '[', ']':
		return piece{escape: true, r: r}
	case '>', '#', '-', '+':
		return piece{escape: w.lineStart, r: r}
	case '.', ')':
		return piece{escape: w.digits, r: r}
	case '@':
		return piece{r: r, zwsp: true}
	case '<':
		next := nextKept(rest)
		return piece{r: r, zwsp: next != 0 && strings.ContainsRune("@#:/!&at", next)}
	}
	return piece{r: r}
}

// nextKept returns the first rune of rest that escaping keeps, 0 if none.
func nextKept(rest string) rune {
	for _, r := range rest {
		if r != '\r' && !dropRune(r) {
			return r
		}
	}
	return 0
}

// dropRune reports runes that must not reach a message: control characters
// and bidirectional overrides that can disguise text.
func dropRune(r rune) bool {
	if r == utf8.RuneError {
		return true
	}
	if unicode.IsControl(r) {
		return true
	}
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0xfeff:
		return true
	}
	return false
}

// advance updates the line state after r was written.
func (w *mdWriter) advance(r rune) {
	switch {
	case r == '\n':
		w.lineStart, w.digits = true, false
	case r == ' ' || r == '\t':
		w.digits = false
	case r >= '0' && r <= '9':
		w.digits = w.lineStart || w.digits
		w.lineStart = false
	case dropRune(r):
	default:
		w.lineStart, w.digits = false, false
	}
}

// write appends text; it returns false, having written nothing more, as
// soon as a piece would take the output past budget runes (reserve runes
// are kept free for closing markup).
func (w *mdWriter) write(text string, budget int) bool {
	for i, r := range text {
		if r == '\r' {
			continue
		}
		p := w.piece(r, text[i+utf8.RuneLen(r):])
		n := p.runes()
		reserve := 0
		if w.bold {
			reserve = 2
		}
		if budget >= 0 && w.runes+n+reserve > budget {
			return false
		}
		if r == ' ' || r == '\n' || r == '\t' {
			w.cutBytes, w.cutRunes, w.cutBold = w.b.Len(), w.runes, w.bold
		}
		if !p.drop {
			if p.escape {
				w.b.WriteByte('\\')
			}
			w.b.WriteRune(p.r)
			if p.zwsp {
				w.b.WriteString(zwsp)
			}
		}
		w.runes += n
		w.advance(r)
	}
	return true
}

// toggleBold writes a ** marker if it fits.
func (w *mdWriter) toggleBold(budget int) bool {
	need := 2
	if !w.bold {
		need = 4 // the opening marker and room to close it
	}
	if budget >= 0 && w.runes+need > budget {
		return false
	}
	w.b.WriteString("**")
	w.runes += 2
	w.bold = !w.bold
	w.lineStart, w.digits = false, false
	return true
}

// finish ends a cut-short output: back to the last word boundary when it
// is not too far back, blanks trimmed, bold closed, then the ellipsis.
func (w *mdWriter) finish(budget int) string {
	s, bold := w.b.String(), w.bold
	if w.cutBytes > 0 && w.cutRunes >= budget/2 {
		s, bold = s[:w.cutBytes], w.cutBold
	}
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	s = strings.TrimSuffix(s, zwsp)
	if strings.HasSuffix(s, "**") && bold {
		// an opening marker with nothing after it
		s, bold = strings.TrimSuffix(s, "**"), false
	}
	if bold {
		s += "**"
	}
	return s + ellipsis
}

// escapeFit escapes spans (bold for hits) into at most limit runes.
func escapeFit(spans []bot.Span, limit int) string {
	w := newMDWriter()
	if writeSpans(w, spans, -1) && w.runes <= limit {
		return w.b.String()
	}
	w = newMDWriter()
	budget := limit - utf8.RuneCountInString(ellipsis)
	writeSpans(w, spans, budget)
	return w.finish(budget)
}

func writeSpans(w *mdWriter, spans []bot.Span, budget int) bool {
	for _, sp := range spans {
		if sp.Text == "" {
			continue
		}
		if !sp.Hit {
			if !w.write(sp.Text, budget) {
				return false
			}
			continue
		}
		if !w.toggleBold(budget) {
			return false
		}
		if !w.write(sp.Text, budget) {
			return false
		}
		if !w.toggleBold(budget) {
			return false
		}
	}
	return true
}

// escapeMarkdown escapes text so that Discord shows it literally, cut to
// limit runes on a word boundary with "…".
func escapeMarkdown(text string, limit int) string {
	return escapeFit([]bot.Span{{Text: text}}, limit)
}

// oneLine folds every run of whitespace (newlines included) into one space
// and trims the ends: titles and names are single lines.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// plainText cleans text for fields Discord does not render as markdown
// (embed author names, footers): control characters and bidi overrides are
// dropped, whitespace folded, mentions broken, and the result cut to limit
// runes on a word boundary.
func plainText(s string, limit int) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			b.WriteByte(' ')
		case dropRune(r):
		case r == '@':
			b.WriteString("@" + zwsp)
		default:
			b.WriteRune(r)
		}
	}
	return cutWords(oneLine(b.String()), limit)
}

// cutWords cuts s to at most limit runes, on a word boundary when one is in
// the second half, adding "…".
func cutWords(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	budget := limit - utf8.RuneCountInString(ellipsis)
	cut, n, lastSpace, lastSpaceRunes := 0, 0, -1, 0
	for i, r := range s {
		if n == budget {
			cut = i
			break
		}
		if unicode.IsSpace(r) {
			lastSpace, lastSpaceRunes = i, n
		}
		n++
	}
	if lastSpace > 0 && lastSpaceRunes >= budget/2 {
		cut = lastSpace
	}
	return strings.TrimRightFunc(strings.TrimSuffix(s[:cut], zwsp), unicode.IsSpace) + ellipsis
}

// splitMessage cuts escaped markdown into pieces of at most limit runes, at
// line breaks, else at spaces, else anywhere but inside an escape.
func splitMessage(s string, limit int) []string {
	var out []string
	for utf8.RuneCountInString(s) > limit {
		// byte offset of the limit-th rune
		end, n := 0, 0
		for i := range s {
			if n == limit {
				end = i
				break
			}
			n++
		}
		cut := strings.LastIndex(s[:end], "\n")
		if cut <= 0 {
			cut = strings.LastIndex(s[:end], " ")
		}
		if cut <= 0 {
			cut = end
			// never separate a backslash from what it escapes, nor @ from
			// the zero-width space after it
			for cut > 1 && trailingBackslashes(s[:cut])%2 == 1 {
				cut--
			}
			if strings.HasPrefix(s[cut:], zwsp) {
				cut -= len("@")
			}
		}
		out = append(out, strings.TrimRight(s[:cut], " \n"))
		s = strings.TrimLeft(s[cut:], " \n")
	}
	if s = strings.TrimRight(s, " \n"); s != "" || len(out) == 0 {
		out = append(out, s)
	}
	return out
}

func trailingBackslashes(s string) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == '\\' {
		n++
	}
	return n
}
