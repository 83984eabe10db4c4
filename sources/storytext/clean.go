// Package storytext turns the HTML found in feed items (descriptions,
// content:encoded, Atom content) into clean plain text for alerts,
// summaries and fingerprints.
//
// The HTML is read with the golang.org/x/net/html tokenizer; no regular
// expressions are applied to markup. Feed boilerplate ("The post X appeared
// first on Y.", "Continue reading...", share/subscribe lines, image credits,
// teaser tails such as "[…]") is recognised per line of text against a
// curated phrase list, see IsBoilerplate.
package storytext

import (
	"html"
	"strings"
	"unicode"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Clean converts feed HTML into plain text: paragraphs (block elements,
// headings, <hr>) are separated by a blank line ("\n\n"), <br> and list
// items end a line ("\n"), entities are decoded (also when escaped twice),
// white space is collapsed, unsafe characters are removed as in Plain, and
// boilerplate lines are dropped. The content of script, style, noscript,
// iframe, svg, figcaption, form and similar elements, and of elements marked
// hidden, is dropped. Input without any markup is treated as plain text in
// which blank lines separate paragraphs. Clean never panics and returns ""
// when nothing readable is left.
func Clean(htmlText string) string {
	return strings.Join(Paragraphs(htmlText), "\n\n")
}

// Paragraphs is Clean returning the paragraphs as a slice instead of joining
// them; lines inside a paragraph (from <br> or list items) are separated by
// "\n". No paragraph is empty or has surrounding white space.
func Paragraphs(htmlText string) []string {
	s := stripCDATA(strings.ToValidUTF8(htmlText, "\uFFFD"))
	if strings.IndexByte(s, '<') < 0 {
		u := html.UnescapeString(s)
		if !looksLikeMarkup(u) {
			return plainParagraphs(u)
		}
		s = u // the whole fragment was HTML-escaped once more
	}
	var e extractor
	e.run(s)
	return e.paras
}

// extractor walks the token stream and assembles paragraphs.
type extractor struct {
	decodeOnce bool // text is decoded by the tokenizer only (CleanHTML)
	paras      []string
	lines      []string
	line       lineWriter
	listDepth  int
	preDepth   int
}

func (e *extractor) run(s string) {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skipName := ""
	skipDepth := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			e.breakPara()
			return
		case xhtml.TextToken:
			if skipDepth == 0 {
				if e.decodeOnce {
					e.text(string(z.Text()))
				} else {
					e.text(unescapeAll(string(z.Text())))
				}
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if skipDepth > 0 {
				if tt == xhtml.StartTagToken && string(name) == skipName {
					skipDepth++
				}
				continue
			}
			a := atom.Lookup(name)
			hidden := hasAttr && isHidden(z)
			if dropsContent(a) || hidden {
				if tt == xhtml.StartTagToken && !isVoid(a) {
					skipName, skipDepth = string(name), 1
				}
				continue
			}
			e.start(a)
			if tt == xhtml.SelfClosingTagToken && !isVoid(a) {
				e.end(a)
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if skipDepth > 0 {
				switch {
				case string(name) == skipName:
					skipDepth--
				case skipName == "figcaption" && a == atom.Figure:
					skipDepth = 0 // unclosed caption ends with its figure
					e.end(a)
				}
				continue
			}
			e.end(a)
		}
	}
}

func (e *extractor) text(t string) {
	if e.preDepth == 0 {
		e.line.write(t)
		return
	}
	for i, part := range strings.Split(t, "\n") {
		if i > 0 {
			e.breakLine()
		}
		e.line.write(part)
	}
}

func (e *extractor) start(a atom.Atom) {
	switch {
	case a == atom.Br:
		e.breakLine()
	case a == atom.Ul || a == atom.Ol || a == atom.Dl || a == atom.Menu:
		e.blockBreak()
		e.listDepth++
	case a == atom.Li || a == atom.Dt || a == atom.Dd || a == atom.Tr || a == atom.Option:
		e.breakLine()
	case a == atom.Td || a == atom.Th || a == atom.Img:
		e.line.space()
	case a == atom.Pre:
		e.blockBreak()
		e.preDepth++
	case isBlock(a):
		e.blockBreak()
	}
}

func (e *extractor) end(a atom.Atom) {
	switch {
	case a == atom.Ul || a == atom.Ol || a == atom.Dl || a == atom.Menu:
		if e.listDepth > 0 {
			e.listDepth--
		}
		e.blockBreak()
	case a == atom.Li || a == atom.Dt || a == atom.Dd || a == atom.Tr || a == atom.Option:
		e.breakLine()
	case a == atom.Td || a == atom.Th:
		e.line.space()
	case a == atom.Pre:
		if e.preDepth > 0 {
			e.preDepth--
		}
		e.blockBreak()
	case isBlock(a):
		e.blockBreak()
	}
}

// blockBreak ends a paragraph, or only a line inside lists so that nested
// lists and paragraphs inside list items stay one line per item.
func (e *extractor) blockBreak() {
	if e.listDepth > 0 {
		e.breakLine()
		return
	}
	e.breakPara()
}

func (e *extractor) breakLine() {
	if e.line.empty() {
		e.line.pendingSpace = false
		return
	}
	e.lines = append(e.lines, e.line.finish())
}

func (e *extractor) breakPara() {
	e.breakLine()
	if len(e.lines) == 0 {
		return
	}
	if p := finishParagraph(e.lines); p != "" {
		e.paras = append(e.paras, p)
	}
	e.lines = e.lines[:0]
}

// finishParagraph removes teaser tails, datelines and boilerplate lines and
// joins what is left with "\n".
func finishParagraph(lines []string) string {
	kept := lines[:0]
	for _, l := range lines {
		if IsBoilerplate(l) {
			continue
		}
		l = trimTeaserTail(l)
		if len(kept) == 0 {
			l = stripDateline(l)
		}
		if l == "" || IsBoilerplate(l) {
			continue
		}
		kept = append(kept, l)
	}
	return strings.Join(kept, "\n")
}

// plainParagraphs handles input without markup: blank lines separate
// paragraphs and single line breaks are kept as lines.
func plainParagraphs(s string) []string {
	s = unescapeAll(s)
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var (
		paras []string
		lines []string
		w     lineWriter
	)
	flush := func() {
		if len(lines) > 0 {
			if p := finishParagraph(lines); p != "" {
				paras = append(paras, p)
			}
			lines = lines[:0]
		}
	}
	for raw := range strings.SplitSeq(s, "\n") {
		w.write(raw)
		if w.empty() {
			w.pendingSpace = false
			flush()
			continue
		}
		lines = append(lines, w.finish())
	}
	flush()
	return paras
}

// looksLikeMarkup reports whether s contains something that the tokenizer
// would read as a tag: '<' followed by a letter or "/"+letter, closed by '>'.
func looksLikeMarkup(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+1 < len(s); {
		j := i + 1
		if s[j] == '/' && j+1 < len(s) {
			j++
		}
		if isASCIILetter(s[j]) && strings.IndexByte(s[j:], '>') >= 0 {
			return true
		}
		k := strings.IndexByte(s[i+1:], '<')
		if k < 0 {
			return false
		}
		i += 1 + k
	}
	return false
}

func isASCIILetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// isHidden reports whether the current tag has the hidden attribute,
// aria-hidden="true" or an inline display:none style. It consumes the
// tag's attributes.
func isHidden(z *xhtml.Tokenizer) bool {
	for {
		key, val, more := z.TagAttr()
		switch string(key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(string(val)), "true") {
				return true
			}
		case "style":
			compact := strings.Map(func(r rune) rune {
				if unicode.IsSpace(r) {
					return -1
				}
				return unicode.ToLower(r)
			}, string(val))
			if strings.Contains(compact, "display:none") || strings.Contains(compact, "visibility:hidden") {
				return true
			}
		}
		if !more {
			return false
		}
	}
}

// dropsContent reports whether the element's content is never part of the
// story text.
func dropsContent(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Iframe, atom.Svg, atom.Math,
		atom.Figcaption, atom.Template, atom.Object, atom.Embed, atom.Canvas,
		atom.Video, atom.Audio, atom.Button, atom.Select, atom.Textarea, atom.Title,
		atom.Head, atom.Form, atom.Nav, atom.Noembed, atom.Noframes, atom.Map, atom.Dialog:
		return true
	}
	return false
}

// isVoid reports whether the element never has an end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img,
		atom.Input, atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr, atom.Param:
		return true
	}
	return false
}

// isBlock reports whether the element starts and ends a paragraph.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Header, atom.Footer,
		atom.Main, atom.Aside, atom.Address, atom.Blockquote, atom.Center,
		atom.Details, atom.Summary, atom.Fieldset, atom.Figure, atom.Hgroup,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Hr,
		atom.Table, atom.Caption, atom.Thead, atom.Tbody, atom.Tfoot, atom.Body, atom.Html:
		return true
	}
	return false
}
