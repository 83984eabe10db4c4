package feed

import (
	"net/url"
	"path"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
)

// Image sources, best first when several are present. Within one source the
// widest declared image wins (Guardian items carry a 140px and a 460px
// media:content).
const (
	rankHTML      = iota + 1 // first real <img> in the item's HTML
	rankITunes               // itunes:image (usually show artwork)
	rankEnclosure            // <enclosure type="image/..."> / Atom rel="enclosure"
	rankThumbnail            // media:thumbnail
	rankContent              // media:content that is an image
)

// imagePick keeps the best image candidate offered so far.
type imagePick struct {
	url   string
	rank  int
	width int
}

func (p *imagePick) offer(u string, rank, width int) {
	if u == "" || isDataURI(u) {
		return
	}
	if rank > p.rank || (rank == p.rank && width > p.width) {
		*p = imagePick{u, rank, width}
	}
}

// mediaInfo collects what the bot uses from Media RSS elements: the best
// image and the first media:description (YouTube puts the video's text
// there and nowhere else).
type mediaInfo struct {
	image       imagePick
	description string // HTML
}

// finishItem applies the rules shared by RSS and Atom once an item's
// elements are read: Published falls back to Updated, an item without a
// body takes the media:description, and an item without an explicit image
// takes the first real <img> of its HTML, resolved against htmlBase (the
// xml:base in scope for the content element).
func finishItem(it *Item, m *mediaInfo, htmlBase *url.URL) {
	if it.Published.IsZero() {
		it.Published = it.Updated
	}
	if it.Content == "" {
		it.Content = m.description
	}
	if m.image.url == "" {
		if u := firstHTMLImage(it.Content, htmlBase); u != "" {
			m.image.offer(u, rankHTML, 0)
		} else if it.Summary != "" {
			m.image.offer(firstHTMLImage(it.Summary, htmlBase), rankHTML, 0)
		}
	}
	it.ImageURL = m.image.url
}

// isImage reports whether a media object with the given medium, MIME type
// and URL is an image.
func isImage(medium, typ, u string) bool {
	medium = strings.ToLower(strings.TrimSpace(medium))
	typ = strings.ToLower(strings.TrimSpace(typ))
	switch {
	case medium == "image" || strings.HasPrefix(typ, "image/"):
		return true
	case medium != "" || typ != "":
		return false
	}
	return hasImageExt(u)
}

func hasImageExt(u string) bool {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	switch strings.ToLower(path.Ext(u)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif":
		return true
	}
	return false
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "px")))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// firstHTMLImage returns the src of the first <img> in an HTML fragment that
// is a real picture (not a tracking pixel, emoji or data: URI), resolved
// against base, or "". Only <img> start tags are tokenized, never the whole
// document.
func firstHTMLImage(s string, base *url.URL) string {
	for tries, off := 0, 0; tries < 8; tries++ {
		i := indexImgTag(s[off:])
		if i < 0 {
			return ""
		}
		off += i
		z := xhtml.NewTokenizer(strings.NewReader(s[off:]))
		off += 4
		if tt := z.Next(); tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		var src, class string
		small := false
		for {
			k, v, more := z.TagAttr()
			switch string(k) {
			case "src":
				src = string(v)
			case "class":
				class = string(v)
			case "width", "height":
				if n := atoi(string(v)); n > 0 && n <= 2 {
					small = true
				}
			}
			if !more {
				break
			}
		}
		src = strings.TrimSpace(src)
		if src == "" || small || isDataURI(src) ||
			strings.Contains(class, "emoji") || strings.Contains(class, "wp-smiley") ||
			strings.Contains(src, "/emoji/") || strings.Contains(src, "feeds.feedburner.com") ||
			strings.Contains(src, "stats.wordpress.com") {
			continue
		}
		return resolveRef(base, src)
	}
	return ""
}

func isDataURI(u string) bool { return len(u) >= 5 && strings.EqualFold(u[:5], "data:") }

// indexImgTag returns the index of the first "<img" (any case) followed by
// white space or '/', or -1.
func indexImgTag(s string) int {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		j := off + i
		if j+5 <= len(s) && strings.EqualFold(s[j+1:j+4], "img") {
			if c := s[j+4]; c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' {
				return j
			}
		}
		off = j + 1
	}
}
