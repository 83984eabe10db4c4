// Package article extracts the main text, title, lead image and language
// from a full article web page, for feed items that carry only a teaser.
//
// The readable content is found by codeberg.org/readeck/go-readability/v2
// (a maintained port of Mozilla's Readability.js); its HTML output is turned
// into plain paragraphs by storytext.Clean. Fetching the page is the
// caller's job (through the safe fetcher); Extract does no I/O.
package article

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/newsalert/newsalert/sources/storytext"
)

// MaxElements is the largest number of HTML elements Extract accepts; bigger
// pages are rejected rather than scored, which would be slow.
const MaxElements = 50_000

// ErrNoArticle is returned (wrapped) when the page has no readable article
// text, e.g. a section page, a paywall stub, an empty document or a file
// that is not text at all (an image served at the article URL).
var ErrNoArticle = errors.New("no article text found")

// Article is what Extract found on a page.
type Article struct {
	// Title is the article headline as plain text (storytext.Plain).
	Title string
	// Text is the article body as plain text with paragraphs separated by
	// "\n\n" (storytext.Clean): navigation, cookie banners, comments, related
	// links and boilerplate are not included.
	Text string
	// ImageURL is the absolute http(s) URL of the lead image (og:image,
	// twitter:image, link rel="image_src"), or "".
	ImageURL string
	// Lang is the page language as a BCP 47 tag ("en-GB", "de"), or "".
	Lang string
}

// Extract finds the article in an HTML page fetched from pageURL. The page
// may be in any charset declared by a BOM or a <meta> tag (UTF-8 is assumed
// for valid UTF-8 input); relative image URLs are resolved against pageURL,
// which must be an absolute http(s) URL. It returns an error wrapping
// ErrNoArticle when no article text is found, and an error if pageURL is
// invalid or the page has more than MaxElements elements. Extract never
// panics on any input.
func Extract(page []byte, pageURL string) (Article, error) {
	base, err := url.Parse(pageURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return Article{}, fmt.Errorf("extract article: invalid page url %q", pageURL)
	}
	if ctype := http.DetectContentType(page); !strings.HasPrefix(ctype, "text/") {
		return Article{}, fmt.Errorf("extract article from %s: page is %s, not html: %w", pageURL, ctype, ErrNoArticle)
	}
	utf8Page, err := toUTF8(page)
	if err != nil {
		return Article{}, fmt.Errorf("extract article from %s: %w", pageURL, err)
	}
	doc, err := html.Parse(bytes.NewReader(utf8Page))
	if err != nil {
		return Article{}, fmt.Errorf("extract article from %s: parse html: %w", pageURL, err)
	}
	meta := readMeta(doc, base) // before the tree is changed
	if meta.elements > MaxElements {
		return Article{}, fmt.Errorf("extract article from %s: page has %d elements, more than %d", pageURL, meta.elements, MaxElements)
	}
	removeClutter(doc)

	parser := readability.NewParser()
	ra, err := parser.ParseAndMutate(doc, base)
	if err != nil {
		return Article{}, fmt.Errorf("extract article from %s: %w", pageURL, err)
	}
	if ra.Node == nil {
		return Article{}, fmt.Errorf("extract article from %s: %w", pageURL, ErrNoArticle)
	}
	var body bytes.Buffer
	if err := html.Render(&body, ra.Node); err != nil {
		return Article{}, fmt.Errorf("extract article from %s: render content: %w", pageURL, err)
	}
	a := Article{
		Title:    storytext.Plain(ra.Title()),
		Text:     storytext.Clean(body.String()),
		ImageURL: absoluteHTTPURL(base, ra.ImageURL()),
		Lang:     canonicalLang(ra.Language()),
	}
	if a.Text == "" {
		return Article{}, fmt.Errorf("extract article from %s: %w", pageURL, ErrNoArticle)
	}
	if a.Title == "" {
		a.Title = meta.title
	}
	if a.ImageURL == "" {
		a.ImageURL = meta.image
	}
	if a.Lang == "" {
		a.Lang = meta.lang
	}
	return a, nil
}

// toUTF8 returns page converted to UTF-8. Valid UTF-8 is returned as is;
// otherwise the charset comes from a BOM or <meta> declaration, falling back
// to windows-1252 as browsers do.
func toUTF8(page []byte) ([]byte, error) {
	if utf8.Valid(page) {
		return page, nil
	}
	enc, name, _ := charset.DetermineEncoding(page, "")
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return nil, fmt.Errorf("decode %s page: %w", name, err)
	}
	return out, nil
}

// absoluteHTTPURL resolves ref against base and returns it if it is an
// http(s) URL, else "".
func absoluteHTTPURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}
