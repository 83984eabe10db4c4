package storytext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits, in runes of the normalised line, above which a line is
// treated as content even if it starts with a boilerplate phrase.
const (
	maxPromoRunes    = 160 // "Subscribe to our newsletter for ..."
	maxCreditRunes   = 300 // "Image caption, Rescuers search the rubble ..."
	maxPostRunes     = 500 // "The post <long title> appeared first on <site>."
	maxCreditWords   = 10  // "John Smith/Getty Images"
	maxDatelineRunes = 80  // "KYIV, Ukraine, May 9 (Reuters) - "
)

// IsBoilerplate reports whether a single line or paragraph of plain text is
// feed boilerplate rather than story content: "The post X appeared first on
// Y.", "Continue reading...", "Read more", share/subscribe/follow lines,
// image credits and captions ("Photo: ...", "(Photo by X/Getty Images)",
// "Image: Reuters"), copyright lines, agency reporting credits, and lines
// without any letter or digit. Matching is case-insensitive on the line with
// quotes folded, white space collapsed and surrounding punctuation removed,
// against a curated phrase list: whole-line phrases, and line prefixes that
// only count for short lines so that real sentences are never dropped.
func IsBoilerplate(line string) bool {
	if len(line) > 4*maxPostRunes {
		return false // longer than any boilerplate, even in 4-byte runes
	}
	n := normalizeForMatch(line)
	if n == "" {
		return true // separators such as "***", "—", "|"
	}
	if exactBoilerplate(n) {
		return true
	}
	runes := utf8.RuneCountInString(n)
	if runes <= maxPostRunes && isRepostNotice(n) {
		return true
	}
	if runes <= maxCreditRunes && (hasAnyPrefix(n, creditPrefixes()) || isCopyright(line, n)) {
		return true
	}
	if runes <= maxPromoRunes && (hasAnyPrefix(n, promoPrefixes()) || isFollowLine(n)) {
		return true
	}
	return isCreditLine(n)
}

// exactBoilerplate lists whole lines that are never story text.
func exactBoilerplate(n string) bool {
	switch n {
	case "join us", "read more", "read more here", "more", "continue reading",
		"keep reading", "read on", "read the full story", "read the full article",
		"read full story", "read full article", "full story", "full article",
		"read the rest", "read the rest of this entry", "read the rest of this article",
		"click here", "click here to read more", "tap here", "more…",
		"share", "share this", "share this article", "share this story",
		"share on facebook", "share on twitter", "share on x", "share on whatsapp",
		"tweet", "email", "print", "comments", "leave a comment", "view comments",
		"subscribe", "subscribe now", "sign up", "sign up now", "sign up here",
		"newsletter", "related", "related articles", "related stories",
		"related content", "see also", "also read", "read also", "recommended",
		"listen", "listen to this article", "watch", "watch now", "watch the video",
		"watch video", "video", "advertisement", "skip advertisement", "sponsored",
		"supported by", "story continues below advertisement",
		"article continues below", "article continues below advertisement",
		"scroll to continue", "scroll to continue with content",
		"getty images", "reuters", "ap", "afp", "epa", "ap photo", "shutterstock",
		"loading", "loading…", "follow us", "like us on facebook", "donate",
		"like this", "like loading", "like loading…", "twitter", "facebook", "x",
		"linkedin", "whatsapp", "reddit", "pinterest", "telegram", "tumblr",
		"pocket", "mastodon", "threads", "bluesky", "flipboard", "copy link":
		return true
	}
	return false
}

// isRepostNotice matches WordPress/aggregator footers naming the original.
func isRepostNotice(n string) bool {
	switch {
	case strings.HasPrefix(n, "the post ") && strings.Contains(n, " appeared first on "):
		return true
	case strings.HasPrefix(n, "the article ") && strings.Contains(n, " appeared first on "):
		return true
	case strings.HasPrefix(n, "the post ") && strings.Contains(n, " was first published on "):
		return true
	}
	return hasAnyPrefix(n, []string{
		"this post appeared first on", "this article appeared first on",
		"this article originally appeared", "this article was originally published",
		"this story originally appeared", "this story was originally published",
		"this article first appeared", "this post was originally published",
		"originally published at", "originally published on", "originally published in",
	})
}

// creditPrefixes start image credits, captions, agency credits and page
// metadata lines.
func creditPrefixes() []string {
	return []string{
		"photo:", "photos:", "photo by ", "photo credit", "photograph:",
		"photographs:", "photography:", "picture:", "pictures:", "pic:", "image:",
		"images:", "image credit", "image source", "image caption", "media caption",
		"video caption", "caption:", "credit:", "credits:", "illustration:",
		"illustration by ", "composite:", "file photo", "photo illustration",
		"reporting by ", "additional reporting by ", "editing by ", "writing by ",
		"compiled by ", "this article is more than ",
		"last modified on ", "first published on ", "copyright ",
	}
}

// promoPrefixes start share, subscribe, follow and "read more" lines.
func promoPrefixes() []string {
	return []string{
		"continue reading", "read more:", "read more about", "read more at",
		"read more on", "read more from", "read the full ", "read full ",
		"click here", "share this:", "share this article", "share this story",
		"share on ", "share via ", "subscribe to ", "subscribe for ", "subscribe now",
		"sign up for ", "sign up to ", "sign up here", "sign up now", "join our ",
		"join us on ", "join us at ", "join the conversation", "get our ",
		"get the latest", "download our ", "download the ", "don't miss",
		"related:", "see also:", "also read:", "read also:", "recommended:",
		"more from ", "more on this story", "more:", "listen to this article",
		"listen:", "watch:", "watch live", "we use cookies", "sponsored content",
		"advertisement", "support our journalism", "support independent journalism",
		"become a member", "already a subscriber", "this content is not available",
		"our standards:",
	}
}

// isFollowLine matches "Follow us on X", "Follow The Guardian on Instagram".
func isFollowLine(n string) bool {
	if !strings.HasPrefix(n, "follow ") && !strings.HasPrefix(n, "like us ") &&
		!strings.HasPrefix(n, "find us ") {
		return false
	}
	for _, net := range []string{
		" on twitter", " on x", " on facebook", " on instagram", " on telegram",
		" on linkedin", " on tiktok", " on youtube", " on whatsapp", " on threads",
		" on bluesky", " on mastodon", " on google news", " on social media",
	} {
		if strings.Contains(n, net) {
			return true
		}
	}
	return strings.HasPrefix(n, "follow us")
}

// isCopyright matches short "© 2024 Publisher. All rights reserved." lines.
func isCopyright(raw, n string) bool {
	return strings.Contains(n, "all rights reserved") || strings.Contains(raw, "©")
}

// isCreditLine matches bare photo credits such as "John Smith/Getty Images",
// "AP Photo/Efrem Lukatsky" or "Anadolu via Getty Images".
func isCreditLine(n string) bool {
	if countWords(n) > maxCreditWords {
		return false
	}
	if strings.Contains(n, "ap photo/") || strings.Contains(n, "via getty images") ||
		strings.Contains(n, "via reuters") {
		return true
	}
	for _, agency := range []string{
		"getty images", "/reuters", "/afp", "/ap", "/epa", "/epa-efe", "/shutterstock",
		"/alamy", "/bloomberg", "/pa", "/pa wire", "/pool", "/anadolu", "/xinhua",
		"/sipa", "/zuma", "/eyevine", "/rex",
	} {
		if strings.HasSuffix(n, agency) {
			return true
		}
	}
	return false
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// normalizeForMatch lower-cases s, folds typographic quotes and dashes,
// collapses white space and trims punctuation and symbols from both ends.
func normalizeForMatch(s string) string {
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII fast path
			i++
			switch {
			case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
				space = len(b) > 0
				continue
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '\u2018', '\u2019', '\u201b', '\u2032':
			r = '\''
		case '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb':
			r = '"'
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
			r = '-'
		}
		if isSpace(r) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return strings.TrimFunc(string(b), func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || isSpace(r)
	})
}

// countWords counts space-separated words in a normalised line.
func countWords(n string) int {
	if n == "" {
		return 0
	}
	return strings.Count(n, " ") + 1
}

// teaserMarkers end truncated feed excerpts.
func teaserMarkers() []string {
	return []string{
		"[…]", "[...]", "[ … ]", "[ ... ]", "[&hellip;]", "(…)", "(...)",
		"(more…)", "(more...)", "[more]", "[read more]", "[continue reading]",
	}
}

// trimTeaserTail removes teaser markers and a final boilerplate sentence
// ("... the minister said. Continue reading...") from the end of a line.
func trimTeaserTail(line string) string {
	for range 4 {
		t := strings.TrimRightFunc(line, isSpace)
		for _, m := range teaserMarkers() {
			if strings.HasSuffix(t, m) {
				t = strings.TrimRightFunc(t[:len(t)-len(m)], isSpace)
			}
		}
		if k := lastSentenceStart(t); k > 0 && IsBoilerplate(t[k:]) {
			t = strings.TrimRightFunc(t[:k], isSpace)
		}
		if t == line {
			return line
		}
		line = t
	}
	return line
}

// lastSentenceStart returns the byte offset where the last sentence-like
// segment of s begins (after ". ", "… ", "! ", "? " and the like, possibly
// with closing quotes or brackets), or 0 if there is none.
func lastSentenceStart(s string) int {
	for i := len(s) - 1; i > 0; i-- {
		if s[i] != ' ' {
			continue
		}
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		switch r {
		case '.', '!', '?', '…', '"', '\u201d', '\u2019', ')', ']':
			if i+1 < len(s) {
				return i + 1
			}
		}
	}
	return 0
}

// isDatelineHead reports whether s looks like the place/date part of a
// dateline: a few words, each starting with an upper-case letter or a digit
// ("KYIV, Ukraine, May 9", "Washington", "NEW YORK").
func isDatelineHead(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 6 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// stripDateline removes a wire-agency dateline such as
// "LONDON, May 9 (Reuters) - " or "KYIV, Ukraine (AP) — " from the start of a
// paragraph's first line.
func stripDateline(line string) string {
	head := line
	if len(head) > maxDatelineRunes*4 {
		head = head[:maxDatelineRunes*4]
	}
	for _, agency := range []string{"(Reuters)", "(AP)", "(AFP)", "(Bloomberg)", "(dpa)", "(UPI)", "(CNN)", "(Xinhua)", "(RFE/RL)"} {
		i := strings.Index(head, agency)
		if i < 0 || utf8.RuneCountInString(head[:i]) > maxDatelineRunes || !isDatelineHead(head[:i]) {
			continue
		}
		rest := strings.TrimLeftFunc(line[i+len(agency):], isSpace)
		dash := strings.TrimLeft(rest, "-–—")
		if len(dash) == len(rest) {
			continue // "(Reuters)" not followed by a dash is part of a sentence
		}
		if out := strings.TrimLeftFunc(dash, isSpace); out != "" {
			return out
		}
	}
	return line
}
