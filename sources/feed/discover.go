package feed

import (
	"bytes"
	"mime"
	"net/url"
	"slices"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// commonFeedPaths are the paths Discover suggests after the declared feeds,
// in this order.
func commonFeedPaths() []string {
	return []string{"/feed", "/rss", "/feed.xml", "/atom.xml", "/rss.xml", "/index.xml", "/feed.json"}
}

// Discover returns candidate feed URLs for an HTML page, best first: first
// the feeds the page declares with <link rel="alternate"> and a feed type
// (application/rss+xml, application/atom+xml, application/rdf+xml,
// application/feed+json, application/json), resolved against the first
// <base href> and pageURL; then the common paths /feed, /rss, /feed.xml,
// /atom.xml, /rss.xml, /index.xml, /feed.json on the page's host. The common
// paths are appended even when feeds are declared, because declared links
// are sometimes stale; callers try the candidates in order and stop at the
// first that parses.
//
// Among declared feeds, RSS/Atom come before JSON Feed, JSON Feed before
// plain application/json, and comment feeds (WordPress "Comments Feed",
// ".../comments/feed") last; otherwise document order is kept.
// application/json links to WordPress's REST API (/wp-json/) are not feeds
// and are skipped. The result holds no duplicates (compared with
// NormalizeURL) and only absolute http(s) URLs when pageURL is absolute.
func Discover(page []byte, pageURL string) []string {
	type candidate struct {
		href string
		rank int
	}
	var (
		cands    []candidate
		baseHref string
		haveBase bool
	)
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if !hasAttr {
			continue
		}
		switch atom.Lookup(name) {
		case atom.Base:
			if haveBase {
				continue
			}
			if href, ok := tagAttrs(z)["href"]; ok && strings.TrimSpace(href) != "" {
				baseHref, haveBase = strings.TrimSpace(href), true
			}
		case atom.Link:
			attrs := tagAttrs(z)
			href := strings.TrimSpace(attrs["href"])
			if href == "" || !hasToken(attrs["rel"], "alternate") {
				continue
			}
			rank, ok := feedTypeRank(attrs["type"])
			if !ok {
				continue
			}
			lowerHref := strings.ToLower(href)
			if rank == 2 && (strings.Contains(lowerHref, "/wp-json") || strings.Contains(lowerHref, "oembed")) {
				continue
			}
			if strings.Contains(strings.ToLower(attrs["title"]), "comment") || strings.Contains(lowerHref, "comments/feed") {
				rank += 3
			}
			cands = append(cands, candidate{href, rank})
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return a.rank - b.rank })

	base := parseBase(pageURL)
	if haveBase {
		if u, err := url.Parse(baseHref); err == nil {
			if base != nil {
				base = base.ResolveReference(u)
			} else if u.IsAbs() {
				base = u
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	add := func(u string) {
		if u == "" {
			return
		}
		if base != nil && !hasWebScheme(u) {
			return
		}
		n := NormalizeURL(u)
		if seen[n] {
			return
		}
		seen[n] = true
		out = append(out, u)
	}
	for _, c := range cands {
		add(resolveRef(base, c.href))
	}
	if site := parseBase(pageURL); site != nil && (site.Scheme == "http" || site.Scheme == "https") && site.Host != "" {
		for _, p := range commonFeedPaths() {
			add((&url.URL{Scheme: site.Scheme, Host: site.Host, Path: p}).String())
		}
	}
	return out
}

// feedTypeRank ranks a <link> type attribute: 0 for RSS/Atom/RDF, 1 for
// JSON Feed, 2 for generic JSON; ok is false for other types.
func feedTypeRank(typ string) (int, bool) {
	mt, _, err := mime.ParseMediaType(typ)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(typ))
	}
	switch mt {
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/x.atom+xml", "application/x-atom+xml":
		return 0, true
	case "application/feed+json":
		return 1, true
	case "application/json":
		return 2, true
	}
	return 0, false
}

// tagAttrs returns the attributes of the current tag (keys lower-cased by
// the tokenizer; the first occurrence of a key wins, as in HTML).
func tagAttrs(z *xhtml.Tokenizer) map[string]string {
	m := make(map[string]string, 4)
	for {
		k, v, more := z.TagAttr()
		if _, dup := m[string(k)]; !dup {
			m[string(k)] = string(v)
		}
		if !more {
			return m
		}
	}
}

// hasToken reports whether a space-separated attribute value (rel) contains
// tok, ignoring ASCII case.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// LooksLikeHTML reports whether a response is an HTML page rather than a
// feed. The body decides when it can: a document whose first element is
// rss, rdf:RDF or feed, or a JSON body, is not HTML even when served as
// text/html (a common misconfiguration); an HTML doctype or a first element
// such as html, head, body or div is HTML whatever the Content-Type says.
// Only when the body is inconclusive does a text/html or
// application/xhtml+xml Content-Type make it HTML.
func LooksLikeHTML(body []byte, contentType string) bool {
	prefix := body
	if len(prefix) > 4096 {
		prefix = prefix[:4096]
	}
	src, _ := decodeBody(prefix, contentType)
	return sniffHTML(bytes.TrimLeft(src, " \t\r\n"), contentType)
}

// sniffHTML implements LooksLikeHTML on UTF-8 input with leading white space
// removed.
func sniffHTML(b []byte, contentType string) bool {
	htmlType := false
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		htmlType = mt == "text/html" || mt == "application/xhtml+xml"
	}
	for steps := 0; steps < 64; steps++ {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case len(b) == 0:
			return htmlType
		case b[0] == '{' || b[0] == '[':
			return false
		case b[0] != '<':
			return htmlType
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return htmlType
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b[4:], []byte("-->"))
			if i < 0 {
				return htmlType
			}
			b = b[4+i+3:]
		case bytes.HasPrefix(b, []byte("<!")):
			i := bytes.IndexByte(b, '>')
			if i < 0 {
				return htmlType
			}
			fields := strings.Fields(string(b[2:i]))
			if len(fields) >= 2 && strings.EqualFold(fields[0], "doctype") {
				switch strings.ToLower(fields[1]) {
				case "html":
					return true
				case "rss", "feed", "rdf:rdf":
					return false
				}
			}
			b = b[i+1:]
		default:
			end := 1
			for end < len(b) && isNameByte(b[end]) {
				end++
			}
			switch strings.ToLower(string(b[1:end])) {
			case "rss", "feed", "rdf:rdf", "rdf":
				return false
			case "html", "head", "body", "div", "p", "meta", "title", "link", "script", "style",
				"table", "span", "a", "br", "h1", "h2", "iframe", "noscript", "center", "form":
				return true
			}
			return htmlType
		}
	}
	return htmlType
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == ':' || c == '_' || c == '-' || c == '.'
}
