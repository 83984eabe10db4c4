package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/fingerprint"
	"github.com/newsalert/newsalert/sources/storytext"
	"github.com/newsalert/newsalert/sources/summary"
)

// Story is a feed item made ready for matching and alerts: plain title,
// clean text, canonical link, image.
type Story struct {
	ID         string // stable across processes: derived from source id and item key
	SourceID   int64
	SourceName string
	ItemKey    string
	Title      string // the feed's title, or the text's first sentence when it has none
	Link       string
	// CanonicalURL is the link normalised for exact-duplicate detection
	// across sources.
	CanonicalURL string
	Text         string    // clean plain text, paragraphs separated by blank lines
	Published    time.Time // the feed's date, or FirstSeen when it gives none
	FirstSeen    time.Time
	ImageURL     string
	// Teaser is true when the feed gave less text than StoryOptions.TeaserRunes,
	// so the article page is worth fetching if the story matches.
	Teaser bool
	// ArticleFetched is true once the article page was tried.
	ArticleFetched bool
	// Fingerprint identifies near-duplicates across sources
	// (fingerprint.Fingerprint.String()).
	Fingerprint string
}

// StoryOptions configure a StoryBuilder.
type StoryOptions struct {
	TeaserRunes int // default 400
}

// StoryBuilder turns feed items into stories.
type StoryBuilder struct {
	opts StoryOptions
}

// NewStoryBuilder returns a builder.
func NewStoryBuilder(opts StoryOptions) *StoryBuilder {
	if opts.TeaserRunes <= 0 {
		opts.TeaserRunes = 400
	}
	return &StoryBuilder{opts: opts}
}

// lead is the start of text, up to n runes, for fingerprints.
func lead(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	return string([]rune(text)[:n])
}

// StoryID derives a story's id from its source and item key.
func StoryID(sourceID int64, itemKey string) string {
	h := sha256.Sum256([]byte(strconv.FormatInt(sourceID, 10) + "\x00" + itemKey))
	return hex.EncodeToString(h[:10])
}

// Build makes the story of one item first seen at now.
// Whatever the feed gives, the title is at most MaxTitleRunes, the text at
// most MaxTextRunes, and links and keys are bounded (see caps.go).
func (b *StoryBuilder) Build(src Source, it feed.Item, now time.Time) Story {
	// feed.Item.Content and Summary are HTML whose text is escaped, and
	// Title is plain text: read each once, as what it is.
	text := capRunes(storytext.CleanHTML(capBytes(it.Content, maxHTMLBytes)), MaxTextRunes)
	if it.Summary != "" && utf8.RuneCountInString(text) < b.opts.TeaserRunes {
		if alt := capRunes(storytext.CleanHTML(capBytes(it.Summary, maxHTMLBytes)), MaxTextRunes); utf8.RuneCountInString(alt) > utf8.RuneCountInString(text) {
			text = alt
		}
	}
	published := it.Published
	if published.IsZero() || published.After(now.Add(time.Hour)) {
		published = now // no date, or a date in the future: when we saw it
	}
	name := src.Name
	if name == "" {
		name = ShowURL(src.URL)
	}
	title := capRunes(storytext.PlainText(capBytes(it.Title, maxTitleBytes)), MaxTitleRunes)
	if strings.TrimSpace(title) == "" {
		title = summary.Headline(text) // an alert always has a headline
	}
	if title == "" {
		title = "New story from " + name
	}
	key, link := boundKey(it.Key), capURL(it.Link)
	return Story{
		ID:           StoryID(src.ID, key),
		SourceID:     src.ID,
		SourceName:   name,
		ItemKey:      key,
		Title:        title,
		Link:         link,
		CanonicalURL: feed.NormalizeURL(link),
		Text:         text,
		Published:    published,
		FirstSeen:    now,
		ImageURL:     capURL(it.ImageURL),
		Teaser:       utf8.RuneCountInString(text) < b.opts.TeaserRunes,
		Fingerprint:  fingerprint.Of(title, lead(text, 400)).String(),
	}
}
