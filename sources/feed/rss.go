package feed

import (
	"encoding/xml"
	"strconv"
	"strings"
	"time"
)

// rssNative reports whether an element in namespace space belongs to the
// RSS core vocabulary: no namespace, an RSS 0.9/1.0 namespace, or the
// (possibly bogus) default namespace declared on the root element.
func rssNative(space, rootSpace string) bool {
	return space == "" || space == rootSpace || isNS(space, nsRSS10, nsRSS09, nsRSS09Alt)
}

// parseRSS parses RSS 0.9x, 1.0 (RDF) and 2.0. In RSS 0.9 and 1.0 items are
// children of rdf:RDF rather than of channel; both places are read.
func parseRSS(c *cursor, root *xml.StartElement) (*Feed, error) {
	f := &Feed{Format: "rss"}
	rootSpace := root.Name.Space
	if rootSpace == nsRDF {
		rootSpace = ""
	}
	err := c.children(func(el xml.StartElement) error {
		se := &el
		if !rssNative(se.Name.Space, rootSpace) {
			return nil
		}
		switch strings.ToLower(se.Name.Local) {
		case "channel":
			return parseRSSChannel(c, f, rootSpace)
		case "item":
			it, err := parseRSSItem(c, se, rootSpace)
			if err == nil {
				f.Items = append(f.Items, it)
			}
			return err
		}
		return nil
	})
	return f, err
}

func parseRSSChannel(c *cursor, f *Feed, rootSpace string) error {
	var dcLanguage string
	err := c.children(func(el xml.StartElement) error {
		se := &el
		var err error
		if !rssNative(se.Name.Space, rootSpace) {
			if isDC(se.Name.Space) && se.Name.Local == "language" {
				dcLanguage, err = c.text()
			}
			return err
		}
		switch strings.ToLower(se.Name.Local) {
		case "title":
			var s string
			if s, err = c.text(); err == nil {
				f.Title = plainTitle(s)
			}
		case "link":
			base := c.base()
			var s string
			if s, err = c.text(); err == nil && f.Link == "" {
				f.Link = resolveRef(base, s)
			}
		case "language":
			f.Language, err = c.text()
		case "ttl":
			var s string
			if s, err = c.text(); err == nil {
				if n, perr := strconv.Atoi(s); perr == nil && n > 0 && n <= 60*24*365 {
					f.TTL = time.Duration(n) * time.Minute
				}
			}
		case "item":
			var it Item
			if it, err = parseRSSItem(c, se, rootSpace); err == nil {
				f.Items = append(f.Items, it)
			}
		}
		return err
	})
	if f.Language == "" {
		f.Language = dcLanguage
	}
	return err
}

// parseRSSItem reads one <item>. Field sources, first present wins:
//
//	Link       feedburner:origLink, link, atom:link rel=alternate, guid when
//	           isPermaLink is not "false" and it is an http(s) URL
//	Content    content:encoded, else description
//	Summary    description when content:encoded is also present and differs
//	Published  pubDate, dc:date, dcterms:issued/created, atom:published,
//	           else Updated
//	Updated    atom:updated, dcterms:modified
//	Authors    dc:creator, author, itunes:author
//	Categories category, dc:subject
//	Content    (when still empty) media:description
//	ImageURL   media:content image, media:thumbnail, image enclosure,
//	           itunes:image, first <img> in the HTML
func parseRSSItem(c *cursor, se *xml.StartElement, rootSpace string) (Item, error) {
	var (
		it                         Item
		link, atomLink, origLink   string
		description, encoded       string
		pubDate, dcDate, published string
		guidPermaLink              = true
		media                      mediaInfo
		authors, fallbackAuthors   []string
		htmlBase                   = c.base() // xml:base in scope for content:encoded
	)
	if about := attrNS(se, nsRDF, "about"); about != "" {
		it.GUID = strings.TrimSpace(about)
	}
	err := c.children(func(el xml.StartElement) error {
		ch := &el
		var err error
		space, local := ch.Name.Space, ch.Name.Local
		switch {
		case rssNative(space, rootSpace):
			switch strings.ToLower(local) {
			case "title":
				var s string
				if s, err = c.text(); err == nil {
					it.Title = plainTitle(s)
				}
			case "link":
				b := c.base()
				var s string
				if s, err = c.text(); err == nil && link == "" {
					if s == "" {
						s = attr(ch, "href")
					}
					link = resolveRef(b, s)
				}
			case "description":
				description, _, err = c.markup(false)
			case "guid":
				if strings.EqualFold(strings.TrimSpace(attr(ch, "isPermaLink")), "false") {
					guidPermaLink = false
				}
				it.GUID, err = c.text()
			case "pubdate":
				pubDate, err = c.text()
			case "author":
				var s string
				if s, err = c.text(); err == nil {
					fallbackAuthors = appendUnique(fallbackAuthors, personName(plainTitle(s)))
				}
			case "category":
				var s string
				if s, err = c.text(); err == nil {
					it.Categories = appendUnique(it.Categories, plainTitle(s))
				}
			case "enclosure":
				if isImage("", attr(ch, "type"), attr(ch, "url")) {
					media.image.offer(resolveRef(c.base(), attr(ch, "url")), rankEnclosure, 0)
				}
			}
		case isNS(space, nsContent, "content") && local == "encoded":
			htmlBase = c.base()
			encoded, _, err = c.markup(false)
		case isDC(space):
			switch local {
			case "creator":
				var s string
				if s, err = c.text(); err == nil {
					authors = appendUnique(authors, personName(plainTitle(s)))
				}
			case "date":
				dcDate, err = c.text()
			case "subject":
				var s string
				if s, err = c.text(); err == nil {
					it.Categories = appendUnique(it.Categories, plainTitle(s))
				}
			}
		case isNS(space, nsDCTerms, "dcterms"):
			switch local {
			case "issued", "created":
				if dcDate == "" {
					dcDate, err = c.text()
				}
			case "modified":
				var s string
				if s, err = c.text(); err == nil {
					it.Updated, _ = parseDate(s)
				}
			}
		case isMedia(space):
			err = c.media(ch, &media)
		case isNS(space, nsITunes, "itunes"):
			switch local {
			case "image":
				media.image.offer(resolveRef(c.base(), attr(ch, "href")), rankITunes, 0)
			case "author":
				var s string
				if s, err = c.text(); err == nil {
					fallbackAuthors = appendUnique(fallbackAuthors, personName(plainTitle(s)))
				}
			}
		case isNS(space, nsAtom10, nsAtom03, "atom", "atom10"):
			switch local {
			case "link":
				rel := attr(ch, "rel")
				if (rel == "" || rel == "alternate") && atomLink == "" {
					atomLink = resolveRef(c.base(), attr(ch, "href"))
				}
			case "published":
				published, err = c.text()
			case "updated":
				var s string
				if s, err = c.text(); err == nil {
					it.Updated, _ = parseDate(s)
				}
			}
		case isNS(space, nsFeedburner, "feedburner") && local == "origLink":
			b := c.base()
			var s string
			if s, err = c.text(); err == nil {
				origLink = resolveRef(b, s)
			}
		}
		return err
	})
	if err != nil {
		return it, err
	}

	switch {
	case origLink != "":
		it.Link = origLink
	case link != "":
		it.Link = link
	case atomLink != "":
		it.Link = atomLink
	case guidPermaLink && hasWebScheme(it.GUID):
		it.Link = it.GUID
	}
	setBody(&it, encoded, description)
	it.Published, _ = firstDate(pubDate, dcDate, published)
	it.Authors = authors
	if len(it.Authors) == 0 {
		it.Authors = fallbackAuthors
	}
	finishItem(&it, &media, htmlBase)
	return it, nil
}
