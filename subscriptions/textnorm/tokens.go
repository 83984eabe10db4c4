package textnorm

import (
	"strings"
	"unicode/utf8"
)

// Token is one normalised word of a text.
type Token struct {
	// Term is the normalised word: lower case, without accents, never
	// empty, never containing spaces or punctuation.
	Term string
	// Pos is the index of the token among the tokens of the text, from 0.
	Pos int
}

// Tokens splits s into normalised tokens. See the package documentation for
// the rules.
func Tokens(s string) []Token {
	return AppendTokens(nil, s)
}

// AppendTokens appends the normalised tokens of s to dst and returns the
// extended slice. Positions start at 0 for the first token of s. Terms
// that are already normalised in s are substrings of s; the others share
// one allocation per call.
func AppendTokens(dst []Token, s string) []Token {
	var sc scanner
	sc.reset(s)
	var arena strings.Builder
	for pos := 0; sc.next(); pos++ {
		term := sc.src
		if !sc.verbatim {
			term = intern(&arena, sc.buf)
		}
		dst = append(dst, Token{Term: term, Pos: pos})
	}
	return dst
}

// intern copies b into the arena and returns it as a string. Strings
// returned earlier stay valid: a strings.Builder never modifies bytes it
// has handed out, it only appends or moves to a new buffer.
func intern(arena *strings.Builder, b []byte) string {
	if arena.Cap()-arena.Len() < len(b) {
		arena.Grow(max(len(b), 2*arena.Cap(), 256))
	}
	arena.Write(b)
	s := arena.String()
	return s[len(s)-len(b):]
}

// Normalize returns the normalised form of a query word or phrase: its
// tokens joined by JoinTerms. A single word gives a single term
// ("Zelenskyy" gives "zelenskyy", "São" gives "sao"); text that splits into
// several tokens gives them space separated ("North-Korea" gives
// "north korea") except between characters of scripts written without
// spaces ("北京" stays "北京"). Text without letters or digits gives "".
// Tokens(Normalize(s)) has the same terms as Tokens(s).
func Normalize(s string) string {
	var sc scanner
	sc.reset(s)
	if !sc.next() {
		return ""
	}
	var out []byte
	var prevChar bool
	if sc.verbatim {
		first := sc.src
		if !sc.next() {
			return first // already normalised: no allocation
		}
		out = append(make([]byte, 0, len(s)+8), first...)
		prevChar = IsCharToken(first)
	} else {
		out = append(make([]byte, 0, len(s)+8), sc.buf...)
		prevChar = isCharTokenBytes(sc.buf)
		if !sc.next() {
			return string(out)
		}
	}
	for {
		var isChar bool
		if sc.verbatim {
			isChar = IsCharToken(sc.src)
		} else {
			isChar = isCharTokenBytes(sc.buf)
		}
		if !(prevChar && isChar) {
			out = append(out, ' ')
		}
		if sc.verbatim {
			out = append(out, sc.src...)
		} else {
			out = append(out, sc.buf...)
		}
		prevChar = isChar
		if !sc.next() {
			return string(out)
		}
	}
}

// JoinTerms joins normalised terms for display: with single spaces, except
// that two adjacent one-character tokens of scripts written without spaces
// (Han, kana, Thai, ...) are joined directly, so ["北", "京"] gives "北京"
// and ["north", "korea"] gives "north korea". Tokens(JoinTerms(t)) gives
// back t for terms produced by this package.
func JoinTerms(terms []string) string {
	switch len(terms) {
	case 0:
		return ""
	case 1:
		return terms[0]
	}
	return string(AppendJoin(nil, terms))
}

// AppendJoin appends JoinTerms(terms) to dst and returns the extended slice.
func AppendJoin(dst []byte, terms []string) []byte {
	prevChar := false
	for i, t := range terms {
		isChar := IsCharToken(t)
		if i > 0 && !(prevChar && isChar) {
			dst = append(dst, ' ')
		}
		dst = append(dst, t...)
		prevChar = isChar
	}
	return dst
}

// IsCharToken reports whether the term is a single-character token of a
// script written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer,
// Myanmar).
func IsCharToken(term string) bool {
	r, _ := utf8.DecodeRuneInString(term)
	return r >= 0x0E00 && classify(r) == clsChar
}

func isCharTokenBytes(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return r >= 0x0E00 && classify(r) == clsChar
}
