package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
)

// jsonFeed is the subset of JSON Feed 1.0/1.1 (https://jsonfeed.org) the bot
// uses. Fields whose JSON type is wrong are left empty rather than failing
// the feed.
type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	Language    string       `json:"language"`
	Author      *jsonAuthor  `json:"author"`  // 1.0
	Authors     []jsonAuthor `json:"authors"` // 1.1
	Items       []jsonItem   `json:"items"`
}

type jsonItem struct {
	ID            json.RawMessage `json:"id"` // string per spec; numbers are coerced
	URL           string          `json:"url"`
	ExternalURL   string          `json:"external_url"`
	Title         string          `json:"title"`
	ContentHTML   string          `json:"content_html"`
	ContentText   string          `json:"content_text"`
	Summary       string          `json:"summary"`
	Image         string          `json:"image"`
	BannerImage   string          `json:"banner_image"`
	DatePublished string          `json:"date_published"`
	DateModified  string          `json:"date_modified"`
	Author        *jsonAuthor     `json:"author"`
	Authors       []jsonAuthor    `json:"authors"`
	Tags          []string        `json:"tags"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// parseJSON parses a JSON Feed. Items without authors inherit the feed's.
// Field sources:
//
//	Title     title, with stray HTML entities decoded (WordPress exports them)
//	Link      url, else external_url
//	Published date_published, else date_modified
//	Content   content_html, else content_text (escaped), else summary
//	Summary   summary when distinct from Content
//	ImageURL  image, else banner_image, else first <img> in content_html
func parseJSON(body []byte, feedURL string, base *url.URL) (*Feed, error) {
	var jf jsonFeed
	if err := json.Unmarshal(body, &jf); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, jsonError(feedURL, body, err)
		}
		// A field of the wrong type: encoding/json has filled in the rest.
	}
	if !strings.Contains(jf.Version, "jsonfeed.org") && jf.Items == nil {
		return nil, newParseError(feedURL, KindNotFeed,
			"not a feed: JSON document without a JSON Feed version or items", nil)
	}
	f := &Feed{
		Format:   "json",
		Title:    collapseSpace(jf.Title),
		Link:     resolveRef(base, jf.HomePageURL),
		Language: strings.TrimSpace(jf.Language),
		Items:    make([]Item, 0, len(jf.Items)),
	}
	feedAuthors := slices.Clip(jsonAuthorNames(jf.Author, jf.Authors)) // shared: appends must not alias
	for i := range jf.Items {
		ji := &jf.Items[i]
		it := Item{
			GUID:  jsonID(ji.ID),
			Title: plainTitle(ji.Title),
			Link:  resolveRef(base, ji.URL),
		}
		if it.Link == "" {
			it.Link = resolveRef(base, ji.ExternalURL)
		}
		summary := ""
		if s := strings.TrimSpace(ji.Summary); s != "" {
			summary = textToHTML(s)
		}
		switch {
		case strings.TrimSpace(ji.ContentHTML) != "":
			it.Content = strings.TrimSpace(ji.ContentHTML)
		case strings.TrimSpace(ji.ContentText) != "":
			it.Content = textToHTML(strings.TrimSpace(ji.ContentText))
		default:
			it.Content, summary = summary, ""
		}
		if summary != it.Content {
			it.Summary = summary
		}
		it.Published, _ = parseDate(ji.DatePublished)
		it.Updated, _ = parseDate(ji.DateModified)
		if it.Published.IsZero() {
			it.Published = it.Updated
		}
		it.Authors = jsonAuthorNames(ji.Author, ji.Authors)
		if len(it.Authors) == 0 {
			it.Authors = feedAuthors
		}
		for _, t := range ji.Tags {
			it.Categories = appendUnique(it.Categories, collapseSpace(t))
		}
		switch {
		case strings.TrimSpace(ji.Image) != "":
			it.ImageURL = resolveRef(base, ji.Image)
		case strings.TrimSpace(ji.BannerImage) != "":
			it.ImageURL = resolveRef(base, ji.BannerImage)
		default:
			it.ImageURL = firstHTMLImage(it.Content, base)
		}
		f.Items = append(f.Items, it)
	}
	return f, nil
}

func jsonAuthorNames(one *jsonAuthor, many []jsonAuthor) []string {
	var names []string
	for _, a := range many {
		names = appendUnique(names, collapseSpace(a.Name))
	}
	if len(names) == 0 && one != nil {
		names = appendUnique(names, collapseSpace(one.Name))
	}
	return names
}

// jsonID returns an item id as a string: JSON strings are unquoted, numbers
// (which the spec says readers must coerce) keep their literal text.
func jsonID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return ""
		}
		return strings.TrimSpace(s)
	}
	if raw[0] == '{' || raw[0] == '[' {
		return ""
	}
	return string(raw)
}
