package article

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/language"

	"github.com/newsalert/newsalert/sources/storytext"
)

// pageMeta is what the page head says about the article, used when
// readability finds nothing.
type pageMeta struct {
	title    string
	image    string
	lang     string
	elements int // number of elements in the document
}

// imageKeys are meta property/name values naming the lead image, best
// first, and the rel value of the equivalent <link>.
func imageKeys() []string {
	return []string{
		"og:image", "og:image:url", "og:image:secure_url", "twitter:image",
		"twitter:image:src", "image_src",
	}
}

// readMeta reads the title, lead image and language declared by the page:
// Open Graph and Twitter card meta tags, <link rel="image_src">, <title>,
// <html lang>, Content-Language and og:locale.
func readMeta(doc *html.Node, base *url.URL) pageMeta {
	images := map[string]string{}
	var (
		ogTitle, twTitle, docTitle string
		htmlLang, httpLang, ogLang string
	)
	elements := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		elements++
		switch n.DataAtom {
		case atom.Html:
			htmlLang = attr(n, "lang")
			if htmlLang == "" {
				htmlLang = attr(n, "xml:lang")
			}
		case atom.Title:
			if docTitle == "" && n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
				docTitle = n.FirstChild.Data
			}
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "image_src") && images["image_src"] == "" {
				images["image_src"] = attr(n, "href")
			}
		case atom.Meta:
			key := strings.ToLower(strings.TrimSpace(attr(n, "property")))
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(attr(n, "name")))
			}
			content := attr(n, "content")
			if strings.EqualFold(attr(n, "http-equiv"), "content-language") {
				httpLang = content
			}
			switch key {
			case "og:title":
				ogTitle = content
			case "twitter:title":
				twTitle = content
			case "og:locale":
				ogLang = content
			}
			if images[key] == "" {
				images[key] = content
			}
		}
	}
	m := pageMeta{elements: elements}
	for _, t := range []string{ogTitle, twTitle, docTitle} {
		if m.title = storytext.Plain(t); m.title != "" {
			break
		}
	}
	for _, k := range imageKeys() {
		if m.image = absoluteHTTPURL(base, images[k]); m.image != "" {
			break
		}
	}
	for _, l := range []string{htmlLang, httpLang, ogLang} {
		if m.lang = canonicalLang(l); m.lang != "" {
			break
		}
	}
	return m
}

// attr returns the value of the named attribute of n, or "".
func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// canonicalLang returns s as a canonical BCP 47 tag ("en_gb" -> "en-GB"),
// using the first entry of a comma-separated list, or "" if s is not a
// valid language tag.
func canonicalLang(s string) string {
	s, _, _ = strings.Cut(s, ",")
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if s == "" {
		return ""
	}
	tag, err := language.Parse(s)
	if err != nil || tag == language.Und {
		return ""
	}
	return tag.String()
}
