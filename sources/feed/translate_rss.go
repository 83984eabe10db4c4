package feed

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// rssTranslator maps gofeed's rss.Feed (RSS 0.9x, 1.0 and 2.0) into Feed.
// It reads only what the bot uses, and never gofeed's HTML image search.
type rssTranslator struct {
	base   *url.URL // the feed URL, for relative links
	abouts []string // rdf:about of each item (RSS 1.0), from prescan
}

// Translate maps src. Channel and item fields, first present wins:
//
//	Title      title, else dc:title (HTML titles become text; plain text
//	           keeps its angle brackets)
//	Link       feedburner:origLink, link, atom:link rel=alternate, guid when
//	           isPermaLink is not "false" and it is an http(s) URL
//	GUID       guid, else rdf:about (RSS 1.0)
//	Content    content:encoded, atom:content, else the description
//	Summary    description (else dc:description, itunes:summary) when
//	           distinct from Content
//	Content    (when still empty) media:description
//	Published  pubDate, dc:date, dcterms:issued/created, atom:published,
//	           else Updated
//	Updated    atom:updated, dcterms:modified
//	Authors    dc:creator, else author and itunes:author
//	Categories category, dc:subject
//	ImageURL   media:content image, media:thumbnail, image enclosure,
//	           itunes:image, first <img> in the HTML
func (t rssTranslator) Translate(src *rss.Feed) *Feed {
	f := &Feed{Format: "rss", Title: plainTitle(src.Title), Language: strings.TrimSpace(src.Language)}
	if f.Title == "" && src.DublinCoreExt != nil && len(src.DublinCoreExt.Title) > 0 {
		f.Title = plainTitle(src.DublinCoreExt.Title[0])
	}
	for _, l := range src.Links {
		if l = resolveRef(t.base, l); l != "" {
			f.Link = l
			break
		}
	}
	if f.Language == "" {
		f.Language = extText(src.Extensions, "dc", "language")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(src.TTL)); err == nil && n > 0 && n <= 60*24*365 {
		f.TTL = time.Duration(n) * time.Minute
	}
	useAbouts := len(t.abouts) == len(src.Items)
	f.Items = make([]Item, 0, len(src.Items))
	for i, si := range src.Items {
		it := t.item(si)
		if it.GUID == "" && useAbouts {
			it.GUID = t.abouts[i]
		}
		if it.Link == "" && useAbouts && hasWebScheme(t.abouts[i]) {
			it.Link = t.abouts[i]
		}
		f.Items = append(f.Items, it)
	}
	return f
}

func (t rssTranslator) item(si *rss.Item) Item {
	var (
		it    Item
		exts  = si.Extensions
		media mediaInfo
	)
	permaLink := true
	if si.GUID != nil {
		it.GUID = strings.TrimSpace(si.GUID.Value)
		permaLink = !strings.EqualFold(strings.TrimSpace(si.GUID.IsPermalink), "false")
	}
	it.Title = plainTitle(si.Title)
	if it.Title == "" {
		it.Title = plainTitle(extText(exts, "dc", "title"))
	}

	switch {
	case extText(exts, "feedburner", "origLink") != "":
		it.Link = resolveRef(t.base, extText(exts, "feedburner", "origLink"))
	case strings.TrimSpace(si.Link) != "":
		it.Link = resolveRef(t.base, si.Link)
	case atomAlternate(extAll(exts, "atom", "link"), t.base) != "":
		it.Link = atomAlternate(extAll(exts, "atom", "link"), t.base)
	case permaLink && hasWebScheme(it.GUID):
		it.Link = it.GUID
	}

	description := si.Description
	if strings.TrimSpace(description) == "" {
		description = extText(exts, "dc", "description")
	}
	if strings.TrimSpace(description) == "" && si.ITunesExt != nil {
		description = si.ITunesExt.Summary
	}
	rich := strings.TrimSpace(si.Content) // content:encoded: HTML by definition
	if rich == "" {
		rich = atomContent(extAll(exts, "atom", "content"))
	}
	setBody(&it, rich, bodyHTML(description))

	it.Updated = itemDate(nil, extText(exts, "atom", "updated"), extText(exts, "dcterms", "modified"))
	it.Published = itemDate(si.PubDateParsed, si.PubDate, extText(exts, "dc", "date"),
		extText(exts, "dcterms", "issued"), extText(exts, "dcterms", "created"), extText(exts, "atom", "published"))

	for _, c := range extTexts(exts, "dc", "creator") {
		it.Authors = appendUnique(it.Authors, personName(plainTitle(c)))
	}
	if len(it.Authors) == 0 {
		it.Authors = appendUnique(it.Authors, personName(plainTitle(si.Author)))
		if si.ITunesExt != nil {
			it.Authors = appendUnique(it.Authors, personName(plainTitle(si.ITunesExt.Author)))
		}
	}
	for _, c := range si.Categories {
		it.Categories = appendUnique(it.Categories, plainTitle(c.Value))
	}
	for _, s := range extTexts(exts, "dc", "subject") {
		it.Categories = appendUnique(it.Categories, plainTitle(s))
	}

	readMedia(exts, t.base, &media)
	for _, e := range si.Enclosures {
		if isImage("", e.Type, e.URL) {
			media.image.offer(resolveRef(t.base, e.URL), rankEnclosure, 0)
		}
	}
	if si.ITunesExt != nil {
		media.image.offer(resolveRef(t.base, si.ITunesExt.Image), rankITunes, 0)
	}
	finishItem(&it, &media, t.base)
	return it
}

// atomContent returns the first atom:content of an RSS item as HTML:
// type="html"/"xhtml" as given, anything else as text (gofeed keeps the
// decoded text of an extension element).
func atomContent(list []ext.Extension) string {
	for _, c := range list {
		v := strings.TrimSpace(c.Value)
		if v == "" || strings.TrimSpace(c.Attrs["src"]) != "" {
			continue
		}
		switch typ := strings.ToLower(strings.TrimSpace(c.Attrs["type"])); {
		case strings.Contains(typ, "html"):
			return v
		case typ == "text" || strings.HasPrefix(typ, "text/"):
			return textToHTML(v)
		}
		return bodyHTML(v)
	}
	return ""
}
