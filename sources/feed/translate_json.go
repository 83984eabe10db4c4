package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"

	gojson "github.com/mmcdole/gofeed/json"
)

// parseJSON parses a JSON Feed with gofeed's JSON parser and translates it.
// gofeed fails the whole feed when a field has the wrong JSON type (a
// number id, which the specification says readers must coerce, or a tags
// object); such a feed is decoded again into gofeed's model with
// encoding/json, which fills in every field of the right type, and the ids
// are read as raw values.
func parseJSON(body []byte, feedURL string, base *url.URL) (*Feed, error) {
	src, err := (&gojson.Parser{}).Parse(bytes.NewReader(body))
	var ids []string
	if err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, jsonError(feedURL, body, err)
		}
		src = tolerantJSONFeed(body)
		ids = rawJSONIDs(body)
	}
	if !strings.Contains(src.Version, "jsonfeed.org") && src.Items == nil {
		return nil, newParseError(feedURL, KindNotFeed,
			"not a feed: JSON document without a JSON Feed version or items", nil)
	}
	return jsonTranslator{base: base, ids: ids}.Translate(src), nil
}

// tolerantJSONFeed decodes body into gofeed's model field by field: the
// feed without its items, then each item on its own, so that a field of the
// wrong type empties only that field (gofeed's item decoder stops at the
// first error; encoding/json fills in the rest of the item first).
func tolerantJSONFeed(body []byte) *gojson.Feed {
	var top map[string]json.RawMessage
	_ = json.Unmarshal(body, &top)
	var items []json.RawMessage
	_ = json.Unmarshal(top["items"], &items)
	delete(top, "items")
	src := &gojson.Feed{}
	if rest, err := json.Marshal(top); err == nil {
		_ = json.Unmarshal(rest, src)
	}
	if items == nil {
		return src
	}
	src.Items = make([]*gojson.Item, 0, len(items))
	for _, raw := range items {
		it := &gojson.Item{}
		_ = json.Unmarshal(raw, it)
		src.Items = append(src.Items, it)
	}
	return src
}

// rawJSONIDs returns the id of every item as text (strings unquoted,
// numbers as written, anything else ""), or nil when they cannot be read.
func rawJSONIDs(body []byte) []string {
	var raw struct {
		Items []struct {
			ID json.RawMessage `json:"id"`
		} `json:"items"`
	}
	if json.Unmarshal(body, &raw) != nil {
		return nil
	}
	ids := make([]string, len(raw.Items))
	for i, it := range raw.Items {
		ids[i] = jsonID(it.ID)
	}
	return ids
}

// jsonID returns an item id as a string: JSON strings are unquoted, numbers
// keep their literal text.
func jsonID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) || raw[0] == '{' || raw[0] == '[' {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	}
	return string(raw)
}

// jsonTranslator maps gofeed's json.Feed (JSON Feed 1.0 and 1.1) into Feed.
// Items without authors inherit the feed's.
type jsonTranslator struct {
	base *url.URL
	ids  []string // raw item ids when gofeed could not read them, else nil
}

// Translate maps src. Item fields:
//
//	Title     title (plain text; stray HTML entities decoded)
//	Link      url, else external_url
//	Published date_published, else date_modified
//	Content   content_html, else content_text (escaped), else summary
//	Summary   summary (plain text, escaped) when distinct from Content
//	ImageURL  image, else banner_image, else first <img> in content_html
func (t jsonTranslator) Translate(src *gojson.Feed) *Feed {
	f := &Feed{
		Format:   "json",
		Title:    collapseSpace(src.Title),
		Link:     resolveRef(t.base, src.HomePageURL),
		Language: strings.TrimSpace(src.Language),
		Items:    make([]Item, 0, len(src.Items)),
	}
	feedAuthors := slices.Clip(jsonAuthorNames(src.Author, src.Authors)) // shared: appends must not alias
	for i, ji := range src.Items {
		if ji == nil {
			continue
		}
		it := Item{GUID: strings.TrimSpace(ji.ID), Title: plainTitle(ji.Title), Link: resolveRef(t.base, ji.URL)}
		if len(t.ids) == len(src.Items) {
			it.GUID = t.ids[i]
		}
		if it.Link == "" {
			it.Link = resolveRef(t.base, ji.ExternalURL)
		}
		summary := textToHTML(strings.TrimSpace(ji.Summary))
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
		it.Updated, _ = parseDate(ji.DateModified)
		it.Published, _ = parseDate(ji.DatePublished)
		if it.Published.IsZero() {
			it.Published = it.Updated
		}
		it.Authors = jsonAuthorNames(ji.Author, ji.Authors)
		if len(it.Authors) == 0 {
			it.Authors = feedAuthors
		}
		for _, tag := range ji.Tags {
			it.Categories = appendUnique(it.Categories, collapseSpace(tag))
		}
		switch {
		case strings.TrimSpace(ji.Image) != "":
			it.ImageURL = resolveRef(t.base, ji.Image)
		case strings.TrimSpace(ji.BannerImage) != "":
			it.ImageURL = resolveRef(t.base, ji.BannerImage)
		default:
			it.ImageURL = firstHTMLImage(it.Content, t.base)
		}
		f.Items = append(f.Items, it)
	}
	return f
}

func jsonAuthorNames(one *gojson.Author, many []*gojson.Author) []string {
	var names []string
	for _, a := range many {
		if a != nil {
			names = appendUnique(names, collapseSpace(a.Name))
		}
	}
	if len(names) == 0 && one != nil {
		names = appendUnique(names, collapseSpace(one.Name))
	}
	return names
}
