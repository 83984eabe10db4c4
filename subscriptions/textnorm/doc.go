// Package textnorm turns text into normalised word tokens. Queries and
// stories both go through it, so a query word matches a story word exactly
// when their normalised forms are equal.
//
// Normalisation, applied per character:
//
//   - Unicode NFKD (compatibility decomposition): "ﬁ" becomes "fi", "²" becomes
//     "2", full-width "Ｒｕｓｓｉａ" becomes "russia", "é" becomes "e" plus a
//     combining accent.
//   - Non-spacing and enclosing marks (Mn, Me) and format characters (Cf:
//     soft hyphen, zero-width joiner, byte order mark) are dropped without
//     breaking the word, so "São" is "sao", "Zelens\u00adkyy" is
//     "zelenskyy", Arabic harakat and Hebrew niqqud vanish. The Arabic
//     tatweel (U+0640) is dropped the same way.
//   - Case folding: every case variant maps to one lower-case form
//     (unicode.ToLower(unicode.ToUpper(r))), so Greek final sigma "ς" equals
//     "σ" and dotless "ı" equals "i". German "ß" and "ẞ" fold to "ss", so
//     "Straße" and "STRASSE" both give "strasse" (full case folding, as in
//     Unicode CaseFolding.txt).
//
// Word boundaries use Unicode categories, not regular expressions: a word
// is a run of letters (L*), numbers (N*) and spacing marks (Mc); everything
// else separates words. In particular hyphens, apostrophes (' ’ ʼ), dots
// and colons split words: "North-Korea" is "north" "korea", "Kim's" is
// "kim" "s", "don't" is "don" "t", "l'Ukraine" is "l" "ukraine". Because a
// query word goes through the same rules and a query word that yields
// several tokens is matched as a phrase (see package query), the query
// "don't" still matches exactly the text "don't" or "don’t", and the query
// "kim" matches "Kim's".
//
// Scripts written without spaces between words are emitted one character
// per token: Han, Hiragana, Katakana (including the prolonged sound mark
// "ー"), Thai, Lao, Khmer and Myanmar; the vowel signs of the last four
// are dropped like accents. A query "北京" therefore becomes the
// two tokens "北" "京" and is matched as a phrase, i.e. as a run of
// consecutive characters. Hangul syllables are kept precomposed and form
// words like Latin letters; conjoining jamo are composed (NFC). Japanese
// voiced sound marks (dakuten, handakuten) are kept on their kana, composed,
// because "ガ" and "カ" are different syllables; half-width katakana become
// full-width.
//
// Token positions count tokens from 0 within one string; Doc keeps a
// separate position space per field (title, text).
package textnorm

import "strconv"

// Field names a part of a story: its title or its body text.
type Field uint8

// The fields of a story. Title is 0 and Text is 1, so a Field can index a
// two-element array.
const (
	Title Field = iota
	Text
)

// String returns "title" or "text".
func (f Field) String() string {
	switch f {
	case Title:
		return "title"
	case Text:
		return "text"
	default:
		return "field(" + strconv.Itoa(int(f)) + ")"
	}
}
