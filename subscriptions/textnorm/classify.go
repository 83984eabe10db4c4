package textnorm

import (
	"unicode"
	"unicode/utf8"
)

// class is what the scanner does with one (already decomposed) rune.
type class uint8

const (
	// clsSep ends the current word and is dropped.
	clsSep class = iota
	// clsSkip is dropped without ending the current word (marks, format
	// characters).
	clsSkip
	// clsWord is part of a word.
	clsWord
	// clsChar is a token on its own (scripts written without spaces).
	clsChar
)

// classify returns the class of a non-ASCII rune.
func classify(r rune) class {
	if unicode.IsLetter(r) {
		switch {
		case r == 0x0640: // Arabic tatweel: elongation, not a letter of the word
			return clsSkip
		case r == 0x02BC: // modifier letter apostrophe: an apostrophe
			return clsSep
		case isCharScript(r):
			return clsChar
		}
		return clsWord
	}
	if unicode.IsNumber(r) {
		if isCharScript(r) {
			return clsChar
		}
		return clsWord
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return clsSkip
	}
	if unicode.Is(unicode.Mc, r) {
		if isCharScript(r) { // vowel signs of Thai, Myanmar, Khmer: like accents
			return clsSkip
		}
		return clsWord
	}
	return clsSep
}

// isCharScript reports whether r belongs to a script written without spaces
// between words, whose characters become one token each.
func isCharScript(r rune) bool {
	switch {
	case r < 0x0E00:
		return false
	case r <= 0x0EFF: // Thai, Lao
		return unicode.In(r, unicode.Thai, unicode.Lao)
	case r < 0x1000:
		return false
	case r <= 0x109F: // Myanmar
		return unicode.Is(unicode.Myanmar, r)
	case r < 0x1780:
		return false
	case r <= 0x17FF: // Khmer
		return unicode.Is(unicode.Khmer, r)
	case r < 0x2E80:
		return false
	case r == 0x30FC || r == 0xFF70: // prolonged sound mark (script Common)
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// isKana reports whether r is a hiragana or katakana letter that a voiced
// sound mark can attach to.
func isKana(r rune) bool {
	return r >= 0x3040 && r <= 0x30FF
}

// voicingMark returns the combining voiced or semi-voiced sound mark that r
// stands for (U+3099, U+309A), or 0 when r is not one.
func voicingMark(r rune) rune {
	switch r {
	case 0x3099, 0xFF9E:
		return 0x3099
	case 0x309A, 0xFF9F:
		return 0x309A
	}
	return 0
}

// isHangulSyllable reports whether r is a precomposed Hangul syllable, which
// is kept as is rather than decomposed into jamo.
func isHangulSyllable(r rune) bool {
	return r >= 0xAC00 && r <= 0xD7A3
}

// isJamo reports whether r is a conjoining Hangul jamo, which is composed
// into syllables (NFC) at the end of its word.
func isJamo(r rune) bool {
	return (r >= 0x1100 && r <= 0x11FF) || (r >= 0xA960 && r <= 0xA97F) || (r >= 0xD7B0 && r <= 0xD7FF)
}

// fold returns the case-folded form of the letter r and, for the letters
// that fold to two ("ß" to "ss"), a second rune; second is 0 otherwise.
func fold(r rune) (first, second rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r, 0
	}
	f := unicode.ToLower(unicode.ToUpper(r))
	if f == 'ß' { // U+00DF and U+1E9E
		return 's', 's'
	}
	return f, 0
}
