package feed

import (
	"encoding/base64"
	"encoding/xml"
	"slices"
	"strings"
)

// atomNative reports whether an element belongs to the Atom vocabulary of
// the document: the root's namespace (Atom 1.0 or 0.3), either Atom
// namespace, or no namespace (sloppy feeds omit xmlns).
func atomNative(space, rootSpace string) bool {
	return space == "" || space == rootSpace || isNS(space, nsAtom10, nsAtom03)
}

// parseAtom parses Atom 1.0 and 0.3. Entries without authors inherit the
// feed's authors, as both specifications require.
func parseAtom(c *cursor, root *xml.StartElement) (*Feed, error) {
	f := &Feed{Format: "atom"}
	rootSpace := root.Name.Space
	f.Language = strings.TrimSpace(attrNS(root, xmlNamespace, "lang"))
	var feedAuthors []string
	err := c.children(func(el xml.StartElement) error {
		se := &el
		if !atomNative(se.Name.Space, rootSpace) {
			return nil
		}
		var err error
		switch strings.ToLower(se.Name.Local) {
		case "title":
			var t atomTextValue
			if t, err = readAtomText(c, se); err == nil {
				f.Title = t.plain()
			}
		case "link":
			if isAlternate(se) && f.Link == "" {
				f.Link = resolveRef(c.base(), attr(se, "href"))
			}
		case "author":
			var name string
			if name, err = readAtomPerson(c, rootSpace); err == nil {
				feedAuthors = appendUnique(feedAuthors, name)
			}
		case "entry":
			var it Item
			if it, err = parseAtomEntry(c, rootSpace); err == nil {
				f.Items = append(f.Items, it)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(feedAuthors) > 0 {
		feedAuthors = slices.Clip(feedAuthors) // shared: appends must not alias
		for i := range f.Items {
			if len(f.Items[i].Authors) == 0 {
				f.Items[i].Authors = feedAuthors
			}
		}
	}
	return f, nil
}

// isAlternate reports whether an Atom link is the alternate (HTML) link:
// rel absent or "alternate". Of several alternates the caller keeps the
// first; links with a non-HTML type are not alternates of the page.
func isAlternate(se *xml.StartElement) bool {
	rel := strings.TrimSpace(attr(se, "rel"))
	if rel != "" && rel != "alternate" && rel != "http://www.iana.org/assignments/relation/alternate" {
		return false
	}
	typ := strings.ToLower(attr(se, "type"))
	return typ == "" || strings.Contains(typ, "html")
}

// parseAtomEntry reads one entry. Field sources, first present wins:
//
//	Link       link rel=alternate (text/html preferred), else first link
//	           without rel
//	Content    content (not out-of-line), else summary
//	Summary    summary when content is also present and differs
//	Content    (when still empty) media:description (YouTube)
//	Published  published (1.0), issued (0.3), created (0.3), dc:date, else
//	           Updated (GitHub and many Atom feeds give only updated)
//	Updated    updated (1.0), modified (0.3)
//	ImageURL   media:content image, media:thumbnail, link rel=enclosure
//	           with an image type, first <img> in the HTML
func parseAtomEntry(c *cursor, rootSpace string) (Item, error) {
	var (
		it                         Item
		base                       = c.base()
		content, summary           string
		published, created, dcDate string
		media                      mediaInfo
		htmlBase                   = base // xml:base in scope for the content
	)
	err := c.children(func(el xml.StartElement) error {
		se := &el
		var err error
		space, local := se.Name.Space, se.Name.Local
		switch {
		case atomNative(space, rootSpace):
			switch strings.ToLower(local) {
			case "id":
				it.GUID, err = c.text()
			case "title":
				var t atomTextValue
				if t, err = readAtomText(c, se); err == nil {
					it.Title = t.plain()
				}
			case "link":
				href := resolveRef(c.base(), attr(se, "href"))
				rel := strings.TrimSpace(attr(se, "rel"))
				switch {
				case rel == "enclosure":
					if isImage("", attr(se, "type"), href) {
						media.image.offer(href, rankEnclosure, 0)
					}
				case isAlternate(se) && it.Link == "":
					it.Link = href
				}
			case "content":
				if strings.TrimSpace(attr(se, "src")) != "" {
					return nil // out-of-line content: nothing to show
				}
				htmlBase = c.base()
				var t atomTextValue
				if t, err = readAtomText(c, se); err == nil {
					content = t.html()
				}
			case "summary":
				var t atomTextValue
				if t, err = readAtomText(c, se); err == nil {
					summary = t.html()
				}
			case "published", "issued":
				if published == "" {
					published, err = c.text()
				}
			case "created":
				created, err = c.text()
			case "updated", "modified":
				var s string
				if s, err = c.text(); err == nil {
					if t, ok := parseDate(s); ok {
						it.Updated = t
					}
				}
			case "author":
				var name string
				if name, err = readAtomPerson(c, rootSpace); err == nil {
					it.Authors = appendUnique(it.Authors, name)
				}
			case "category":
				label := collapseSpace(attr(se, "label"))
				if label == "" {
					label = collapseSpace(attr(se, "term"))
				}
				it.Categories = appendUnique(it.Categories, label)
			}
		case isMedia(space):
			err = c.media(se, &media)
		case isDC(space):
			switch local {
			case "date":
				dcDate, err = c.text()
			case "subject":
				var s string
				if s, err = c.text(); err == nil {
					it.Categories = appendUnique(it.Categories, plainTitle(s))
				}
			case "creator":
				var s string
				if s, err = c.text(); err == nil {
					it.Authors = appendUnique(it.Authors, personName(plainTitle(s)))
				}
			}
		case isNS(space, nsFeedburner, "feedburner") && local == "origLink":
			b := c.base()
			var s string
			if s, err = c.text(); err == nil && s != "" {
				it.Link = resolveRef(b, s)
			}
		}
		return err
	})
	if err != nil {
		return it, err
	}
	setBody(&it, content, summary)
	it.Published, _ = firstDate(published, created, dcDate)
	finishItem(&it, &media, htmlBase)
	return it, nil
}

// atomTextValue is an Atom text construct: its value and whether that value
// is HTML (type="html"/"xhtml", Atom 0.3 mode="escaped"/"xml" with an HTML
// type) or plain text.
type atomTextValue struct {
	value  string
	isHTML bool
}

// plain returns the value as plain text with white space collapsed.
func (t atomTextValue) plain() string {
	if t.isHTML {
		return htmlToText(t.value)
	}
	return collapseSpace(t.value)
}

// html returns the value as HTML.
func (t atomTextValue) html() string {
	if t.isHTML {
		return t.value
	}
	return textToHTML(t.value)
}

// readAtomText reads a text construct (title, summary, content, rights) of
// Atom 1.0 (type="text"|"html"|"xhtml"|MIME type) or Atom 0.3
// (type=MIME type, mode="xml"|"escaped"|"base64").
func readAtomText(c *cursor, se *xml.StartElement) (atomTextValue, error) {
	typ := strings.ToLower(strings.TrimSpace(attr(se, "type")))
	mode := strings.ToLower(strings.TrimSpace(attr(se, "mode")))
	htmlType := typ == "html" || typ == "xhtml" || strings.Contains(typ, "html")
	switch {
	case typ == "xhtml" || typ == "application/xhtml+xml" || mode == "xml":
		s, isMarkup, err := c.markup(true)
		if err != nil {
			return atomTextValue{}, err
		}
		// Without child elements the character data is text (escaped
		// markup would be type="html").
		return atomTextValue{s, isMarkup || htmlType}, nil
	case mode == "base64":
		s, err := c.text()
		if err != nil {
			return atomTextValue{}, err
		}
		dec, derr := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if derr != nil {
			return atomTextValue{}, nil
		}
		return atomTextValue{strings.ToValidUTF8(string(dec), "\uFFFD"), htmlType}, nil
	default:
		s, isMarkup, err := c.markup(false)
		if err != nil {
			return atomTextValue{}, err
		}
		// Atom 0.3 defaults to text/plain; unescaped child elements in a
		// text construct are markup whatever the type claims.
		return atomTextValue{s, htmlType || isMarkup}, nil
	}
}

// readAtomPerson reads an author/contributor and returns its name, or its
// e-mail address when it has no name.
func readAtomPerson(c *cursor, rootSpace string) (string, error) {
	var name, email string
	err := c.children(func(el xml.StartElement) error {
		se := &el
		if !atomNative(se.Name.Space, rootSpace) {
			return nil
		}
		var err error
		switch se.Name.Local {
		case "name":
			name, err = c.text()
		case "email":
			email, err = c.text()
		}
		return err
	})
	if name = collapseSpace(name); name == "" {
		name = collapseSpace(email)
	}
	return name, err
}
