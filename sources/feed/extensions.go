package feed

import (
	"net/url"
	"strings"
	"time"

	ext "github.com/mmcdole/gofeed/extensions"
)

// gofeed files every element outside a format's own vocabulary under its
// namespace's canonical prefix ("dc", "dcterms", "media", "content",
// "feedburner", "atom" for Atom 1.0 inside RSS), or under the prefix the
// feed declared (itunes, whose usual namespace URI gofeed does not list),
// or, for an undeclared prefix, under that prefix. These helpers read them.

// extAll returns the elements prefix:name of exts, in document order.
func extAll(exts ext.Extensions, prefix, name string) []ext.Extension {
	if exts == nil {
		return nil
	}
	return exts[prefix][name]
}

// extText returns the trimmed text of the first non-empty prefix:name.
func extText(exts ext.Extensions, prefix, name string) string {
	for _, e := range extAll(exts, prefix, name) {
		if v := strings.TrimSpace(e.Value); v != "" {
			return v
		}
	}
	return ""
}

// extTexts returns the trimmed texts of every prefix:name.
func extTexts(exts ext.Extensions, prefix, name string) []string {
	var out []string
	for _, e := range extAll(exts, prefix, name) {
		if v := strings.TrimSpace(e.Value); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// atomAlternate returns the href of the first Atom alternate link among
// links (atom:link inside RSS), resolved against base.
func atomAlternate(links []ext.Extension, base *url.URL) string {
	for _, l := range links {
		rel := strings.TrimSpace(l.Attrs["rel"])
		if rel != "" && rel != "alternate" {
			continue
		}
		if typ := strings.ToLower(l.Attrs["type"]); typ != "" && !strings.Contains(typ, "html") {
			continue
		}
		if href := resolveRef(base, l.Attrs["href"]); href != "" {
			return href
		}
	}
	return ""
}

// readMedia collects the Media RSS elements of an item (media:content,
// media:thumbnail, media:group, media:description) into m, nested at most
// maxMediaDepth deep.
func readMedia(exts ext.Extensions, base *url.URL, m *mediaInfo) {
	if exts == nil {
		return
	}
	for name, list := range exts["media"] {
		for i := range list {
			mediaElement(name, &list[i], base, m, 0)
		}
	}
}

// maxMediaDepth bounds the nesting of media elements read.
const maxMediaDepth = 8

func mediaElement(name string, e *ext.Extension, base *url.URL, m *mediaInfo, depth int) {
	if depth > maxMediaDepth {
		return
	}
	switch strings.ToLower(name) {
	case "thumbnail":
		m.image.offer(resolveRef(base, e.Attrs["url"]), rankThumbnail, atoi(e.Attrs["width"]))
		return
	case "description":
		if m.description != "" || strings.TrimSpace(e.Value) == "" {
			return
		}
		if strings.EqualFold(strings.TrimSpace(e.Attrs["type"]), "html") {
			m.description = strings.TrimSpace(e.Value)
		} else {
			m.description = textToHTML(strings.TrimSpace(e.Value))
		}
		return
	case "content":
		u := e.Attrs["url"]
		if isImage(e.Attrs["medium"], e.Attrs["type"], u) {
			m.image.offer(resolveRef(base, u), rankContent, atoi(e.Attrs["width"]))
		}
	case "group":
	default:
		return
	}
	// media:group, and media:content holding a media:thumbnail (videos) or
	// a media:description.
	for _, child := range []string{"content", "thumbnail", "description", "group"} {
		list := e.Children[child]
		for i := range list {
			mediaElement(child, &list[i], base, m, depth+1)
		}
	}
}

// itemDate parses the first of raws that holds a date with our parser,
// which knows more layouts and zone names than gofeed's and never reads an
// unknown zone name as UTC. When none parses, gofeed's parsed date is used
// unless its text ends in a zone name (gofeed reads unknown zone names as
// UTC).
func itemDate(parsed *time.Time, raws ...string) time.Time {
	if t, ok := firstDate(raws...); ok {
		return t
	}
	if parsed == nil || len(raws) == 0 || endsInZoneName(raws[0]) {
		return time.Time{}
	}
	return parsed.UTC()
}

// endsInZoneName reports whether the last word of a date is alphabetic
// (a zone abbreviation such as "MET"), not a month, weekday or AM/PM.
func endsInZoneName(s string) bool {
	f := strings.Fields(s)
	if len(f) < 2 {
		return false
	}
	last := strings.Trim(f[len(f)-1], "()")
	if last == "" {
		return false
	}
	for _, r := range last {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	switch strings.ToLower(last) {
	case "am", "pm":
		return false
	}
	return len(last) <= 5
}

// firstDate parses the first of ds that holds a usable date.
func firstDate(ds ...string) (time.Time, bool) {
	for _, d := range ds {
		if t, ok := parseDate(d); ok {
			return t, true
		}
	}
	return time.Time{}, false
}
