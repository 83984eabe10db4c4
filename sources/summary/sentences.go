// Package summary splits story text into sentences and builds short
// extractive summaries for alerts: the two or three sentences that best say
// what happened, in their original order, within a character budget.
package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits plain text into sentences, trimmed and in order; empty
// sentences are never returned.
//
// Line breaks always end a sentence (paragraphs, list items and <br> lines
// from storytext.Clean). Within a line a sentence ends after ".", "!", "?",
// "…", "...", "?!" and the like, followed by any closing quotes or brackets,
// white space and something that can start a sentence (not a lower-case
// word). A full stop does not end a sentence after a title or a
// non-final abbreviation (Mr., Dr., St., e.g., i.e., z. B., bzw., M., Sr.,
// т.е.), after "No." before a number, inside numbers (3.5%, 1.000), URLs and
// e-mail addresses, or after a German day number before a month ("3. Mai").
// After abbreviations that may end a sentence (U.S., Inc., Corp., etc.,
// Jan., и т.д.) and after initials (J. R. R. Tolkien) it ends the sentence
// only when the next word is a common sentence opener ("The", "Der", "Он").
// The CJK full stops 。！？ end a sentence without a following space, and
// Spanish ¿ and ¡ may open the next one.
func Sentences(text string) []string {
	var out []string
	eachSentence(text, func(s string, _ bool) { out = append(out, s) })
	return out
}

// eachSentence calls fn for every sentence of text in order; paraStart is
// true for the first sentence after a blank line (or of the text).
func eachSentence(text string, fn func(s string, paraStart bool)) {
	paraStart := true
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		if strings.TrimSpace(line) == "" {
			paraStart = true
			continue
		}
		splitLine(line, func(s string) {
			fn(s, paraStart)
			paraStart = false
		})
	}
}

// splitLine emits the sentences of one line.
func splitLine(line string, emit func(string)) {
	start := 0
	flush := func(end int) {
		if s := strings.TrimFunc(line[start:end], unicode.IsSpace); s != "" {
			emit(s)
		}
		start = end
	}
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRuneInString(line[i:])
		switch {
		case isCJKTerminator(r):
			j := skipClosers(line, skipTerminators(line, i))
			flush(j)
			i = j
			continue
		case isTerminator(r):
			termEnd := skipTerminators(line, i)
			j := skipClosers(line, termEnd)
			if endsSentence(line, i, termEnd, j) {
				flush(j)
			}
			i = j
			continue
		}
		i += size
	}
	flush(len(line))
}

// endsSentence decides whether the terminator run line[ts:te], followed by
// closers up to j, ends a sentence.
func endsSentence(line string, ts, te, j int) bool {
	if j >= len(line) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(line[j:])
	if !unicode.IsSpace(next) {
		// "3.5", "U.S.", "example.com", but "じゃない!次は" ends in CJK text.
		return line[ts] != '.' && isCJK(next)
	}
	k := j
	for k < len(line) {
		r, size := utf8.DecodeRuneInString(line[k:])
		if !unicode.IsSpace(r) {
			break
		}
		k += size
	}
	if k >= len(line) {
		return true
	}
	nextWord, nextEnd := wordAt(line, k)
	if startsLower(nextWord) {
		return false // "etc. and", "… and then", `"Wow!" she said`
	}
	term := line[ts:te]
	if strings.ContainsAny(term, "!?‼⁇⁈⁉؟") || term != "." {
		return true // "?!", "...", "…" before a capitalised word
	}
	prev := wordBefore(line, ts)
	if prev == "" {
		return true
	}
	lp := strings.ToLower(prev)
	if isNumberAbbrev(lp) && nextWord != "" && unicode.IsDigit(firstRune(nextWord)) {
		return false
	}
	switch {
	case isUsuallyFinalAbbrev(lp):
		return true
	case isNonFinalAbbrev(lp), len(lp) > 4 && strings.HasSuffix(lp, "str"): // "Hauptstr."
		return false
	case isInitial(nextWord) && strings.HasPrefix(line[nextEnd:], "."):
		return false // a chain of initials: "В. В. Путин", "J. R. R. Tolkien"
	case isDigits(prev) && isGermanMonth(nextWord):
		return false
	case isMaybeFinalAbbrev(lp), isInitial(prev), isDottedAbbrev(prev):
		return isSentenceOpener(strings.ToLower(nextWord))
	}
	return true
}

// wordBefore returns the token ending at byte offset end (exclusive),
// without leading opening punctuation: "(e.g" for "(e.g." gives "e.g".
func wordBefore(line string, end int) string {
	start := end
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(line[:start])
		if unicode.IsSpace(r) {
			break
		}
		start -= size
	}
	return strings.TrimLeftFunc(line[start:end], isOpener)
}

// wordAt returns the word starting at offset k, skipping opening quotes and
// brackets: letters, digits and marks up to the first other rune, and the
// offset where the word ends.
func wordAt(line string, k int) (string, int) {
	for k < len(line) {
		r, size := utf8.DecodeRuneInString(line[k:])
		if !isOpener(r) {
			break
		}
		k += size
	}
	end := k
	for end < len(line) {
		r, size := utf8.DecodeRuneInString(line[end:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			break
		}
		end += size
	}
	return line[k:end], end
}

// startsLower reports whether w starts with a lower-case letter and is not
// a camel-cased name such as "iPhone" or "eBay".
func startsLower(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !unicode.IsLower(r) {
		return false
	}
	r2, _ := utf8.DecodeRuneInString(w[size:])
	return !unicode.IsUpper(r2)
}

func skipTerminators(line string, i int) int {
	for i < len(line) {
		r, size := utf8.DecodeRuneInString(line[i:])
		if !isTerminator(r) && !isCJKTerminator(r) {
			break
		}
		i += size
	}
	return i
}

func skipClosers(line string, i int) int {
	for i < len(line) {
		r, size := utf8.DecodeRuneInString(line[i:])
		if !isCloser(r) {
			break
		}
		i += size
	}
	return i
}

func isTerminator(r rune) bool {
	switch r {
	case '.', '!', '?', '…', '‼', '⁇', '⁈', '⁉', '؟', '।':
		return true
	}
	return false
}

func isCJKTerminator(r rune) bool {
	switch r {
	case '。', '！', '？', '｡':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', '›', ')', ']', '}', '」', '』', '）', '】', '〉', '》', '〕':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '\'', '“', '‘', '„', '‚', '«', '‹', '(', '[', '{', '¿', '¡', '「', '『', '（', '【', '〈', '《', '〔':
		return true
	}
	return false
}

// isCJK reports whether r is a Han, Hiragana, Katakana or Hangul character.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isInitial reports whether w is a single letter, as in "J." or "z.".
func isInitial(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	return size == len(w) && unicode.IsLetter(r)
}

// isDottedAbbrev reports whether w is letters separated by dots, each group
// at most three letters: "U.S", "a.m", "Ph.D", "EE.UU", "т.д".
func isDottedAbbrev(w string) bool {
	if !strings.Contains(w, ".") {
		return false
	}
	for part := range strings.SplitSeq(w, ".") {
		n := utf8.RuneCountInString(part)
		if n == 0 || n > 3 {
			return false
		}
		for _, r := range part {
			if !unicode.IsLetter(r) {
				return false
			}
		}
	}
	return true
}

// isSpaceRune reports Unicode white space.
func isSpaceRune(r rune) bool { return unicode.IsSpace(r) }
