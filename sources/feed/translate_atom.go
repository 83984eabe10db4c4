package feed

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/mmcdole/gofeed/atom"
)

// atomTranslator maps gofeed's atom.Feed (Atom 1.0 and 0.3) into Feed.
// Entries without authors inherit the feed's, as both specifications
// require.
type atomTranslator struct {
	base *url.URL // the feed URL, for relative links
}

// Translate maps src. Entry fields, first present wins:
//
//	Link       feedburner:origLink, link rel=alternate with an HTML (or no)
//	           type
//	Content    content (not out-of-line; type="text" escaped), else summary
//	Summary    summary when content is also present and differs
//	Content    (when still empty) media:description (YouTube)
//	Published  published (1.0), issued (0.3), dc:date, else Updated
//	Updated    updated (1.0), modified (0.3)
//	ImageURL   media:content image, media:thumbnail, link rel=enclosure
//	           with an image type, first <img> in the HTML
//
// gofeed decodes a title or summary according to its type but does not say
// which type it was; plainTitle and bodyHTML tell text from HTML by its
// markup, so a type="text" "The <dialog> element" keeps its brackets.
func (t atomTranslator) Translate(src *atom.Feed) *Feed {
	f := &Feed{Format: "atom", Title: plainTitle(src.Title), Language: strings.TrimSpace(src.Language)}
	for _, l := range src.Links {
		if isAtomAlternate(l) {
			if f.Link = resolveRef(t.base, l.Href); f.Link != "" {
				break
			}
		}
	}
	feedAuthors := slices.Clip(atomPeople(src.Authors)) // shared: appends must not alias
	f.Items = make([]Item, 0, len(src.Entries))
	for _, e := range src.Entries {
		it := t.entry(e)
		if len(it.Authors) == 0 {
			it.Authors = feedAuthors
		}
		f.Items = append(f.Items, it)
	}
	return f
}

func (t atomTranslator) entry(e *atom.Entry) Item {
	var (
		it    Item
		exts  = e.Extensions
		media mediaInfo
	)
	it.GUID = strings.TrimSpace(e.ID)
	it.Title = plainTitle(e.Title)
	for _, l := range e.Links {
		href := resolveRef(t.base, l.Href)
		switch {
		case strings.TrimSpace(l.Rel) == "enclosure":
			if isImage("", l.Type, href) {
				media.image.offer(href, rankEnclosure, 0)
			}
		case it.Link == "" && isAtomAlternate(l):
			it.Link = href
		}
	}
	if o := extText(exts, "feedburner", "origLink"); o != "" {
		it.Link = resolveRef(t.base, o)
	}

	var content string
	if c := e.Content; c != nil && strings.TrimSpace(c.Src) == "" {
		v := maybeBase64(strings.TrimSpace(c.Value))
		switch typ := strings.ToLower(strings.TrimSpace(c.Type)); {
		case strings.Contains(typ, "html"):
			content = v
		case typ == "text" || typ == "text/plain":
			content = textToHTML(v)
		default:
			content = bodyHTML(v)
		}
	}
	setBody(&it, content, bodyHTML(e.Summary))

	it.Updated = itemDate(e.UpdatedParsed, e.Updated)
	it.Published = itemDate(e.PublishedParsed, e.Published, extText(exts, "dc", "date"))
	if it.Published.IsZero() {
		it.Published = it.Updated
	}

	it.Authors = atomPeople(e.Authors)
	for _, c := range extTexts(exts, "dc", "creator") {
		it.Authors = appendUnique(it.Authors, personName(plainTitle(c)))
	}
	for _, c := range e.Categories {
		label := collapseSpace(c.Label)
		if label == "" {
			label = collapseSpace(c.Term)
		}
		it.Categories = appendUnique(it.Categories, label)
	}
	for _, s := range extTexts(exts, "dc", "subject") {
		it.Categories = appendUnique(it.Categories, plainTitle(s))
	}
	readMedia(exts, t.base, &media)
	finishItem(&it, &media, t.base)
	return it
}

// isAtomAlternate reports whether an Atom link is the alternate (HTML) link:
// rel absent or "alternate", and no type or an HTML type.
func isAtomAlternate(l *atom.Link) bool {
	rel := strings.TrimSpace(l.Rel)
	if rel != "" && rel != "alternate" && rel != "http://www.iana.org/assignments/relation/alternate" {
		return false
	}
	typ := strings.ToLower(l.Type)
	return typ == "" || strings.Contains(typ, "html")
}

// atomPeople returns the display names of Atom persons (the e-mail address
// when a person has no name).
func atomPeople(ps []*atom.Person) []string {
	var names []string
	for _, p := range ps {
		name := collapseSpace(p.Name)
		if name == "" {
			name = collapseSpace(p.Email)
		}
		names = appendUnique(names, name)
	}
	return names
}

// maybeBase64 returns the decoded text of an Atom 0.3 mode="base64" content,
// which gofeed leaves encoded when its type is text/*, or v itself. A value
// counts as base64 when it is one word of at least 16 base64 characters
// that decodes to valid UTF-8 text containing a space or a tag.
func maybeBase64(v string) string {
	if len(v) < 16 || strings.ContainsAny(v, " <&") {
		return v
	}
	dec, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v), ""))
	if err != nil || !utf8.Valid(dec) || !bytes.ContainsAny(dec, " <") {
		return v
	}
	for _, r := range string(dec) {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			return v
		}
	}
	return string(dec)
}
