package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/fetch"
)

// Caps on what a feed controls the size of. A feed is untrusted input: a
// title of megabytes, a link of megabytes or a GUID of megabytes is cut
// down here, before anything is stored.
const (
	// MaxTitleRunes caps a story's headline.
	MaxTitleRunes = 300
	// MaxTextRunes caps a story's text (feed text or article text): enough
	// for matching and a two- or three-sentence summary of any real story.
	MaxTextRunes = 8000
	// maxHTMLBytes caps the markup handed to the text cleaner; the cleaned
	// text is then cut to MaxTextRunes.
	maxHTMLBytes = 256 << 10
	// maxTitleBytes caps the markup of a title before it is made plain.
	maxTitleBytes = 8 << 10
	// maxURLBytes is the longest link or image address kept; a longer one is
	// dropped (cutting a URL would make it point elsewhere).
	maxURLBytes = 4096
	// maxKeyBytes is the longest item key kept as it is; longer keys are
	// replaced by their hash, so a seen set cannot be grown by huge GUIDs.
	maxKeyBytes = 256
)

// capRunes cuts s to at most n runes, marking the cut with "…".
func capRunes(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for i = range s {
		if count == n-1 {
			break
		}
		count++
	}
	return s[:i] + "…"
}

// capBytes cuts s to at most n bytes, on a rune boundary.
func capBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// capURL returns u, or "" when it is longer than maxURLBytes.
func capURL(u string) string {
	if len(u) > maxURLBytes {
		return ""
	}
	return u
}

// boundKey returns an item key of bounded length: the key itself, or the
// hash of a key longer than maxKeyBytes.
func boundKey(k string) string {
	if len(k) <= maxKeyBytes {
		return k
	}
	h := sha256.Sum256([]byte(k))
	return "sha256:" + hex.EncodeToString(h[:])
}

// itemKeys returns the bounded keys of items, in order.
func itemKeys(items []feed.Item) []string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = boundKey(it.Key)
	}
	return keys
}

// oldestFirst orders the indexes of new items oldest first: by date when
// every one has a date, otherwise by their place in the feed (which lists
// the newest first).
func oldestFirst(items []feed.Item, idx []int) []int {
	out := slices.Clone(idx)
	slices.Reverse(out)
	for _, i := range out {
		if items[i].Published.IsZero() {
			return out
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return items[a].Published.Compare(items[b].Published) })
	return out
}

// ShowURL is a source URL as replies, listings, exports and logs show it:
// credentials (user:password@) and secret-looking query parameters are
// replaced by REDACTED. Only the fetch uses the URL as stored.
func ShowURL(raw string) string {
	if r := fetch.RedactURL(raw); strings.Contains(r, "REDACTED") {
		return r
	}
	return raw
}
