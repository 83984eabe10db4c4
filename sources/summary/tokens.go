package summary

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// vocab interns lower-cased words of one article as dense ids, assigned in
// order of first appearance so that all results are deterministic.
type vocab struct {
	ids   map[string]int32
	words []string // words[id]
	stop  []bool   // stop[id]: function word or single character
	buf   []byte
}

func newVocab(sizeHint int) *vocab {
	return &vocab{ids: make(map[string]int32, sizeHint), buf: make([]byte, 0, 64)}
}

// id returns the id of the lower-cased word in v.buf, adding it if add is
// set; it returns -1 for an unknown word when add is false.
func (v *vocab) id(add bool) int32 {
	if id, ok := v.ids[string(v.buf)]; ok { // no allocation for the lookup
		return id
	}
	if !add {
		return -1
	}
	w := string(v.buf)
	id := int32(len(v.stop))
	v.ids[w] = id
	v.words = append(v.words, w)
	v.stop = append(v.stop, isStopword(w) || utf8.RuneCountInString(w) < 2 && !isCJKWord(w))
	return id
}

// tokens appends the ids of the words of s to dst. Words are maximal runs
// of letters, digits and marks, lower-cased and without accents (NFKD,
// non-spacing marks dropped, as the matcher folds them: "São" is "sao");
// each Han, Hiragana or Katakana character is a word of its own, so that
// CJK text without spaces still yields comparable terms.
func (v *vocab) tokens(dst []int32, s string, add bool) []int32 {
	v.buf = v.buf[:0]
	flush := func() {
		if len(v.buf) > 0 {
			dst = append(dst, v.id(add))
			v.buf = v.buf[:0]
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII fast path
			i++
			switch {
			case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
				v.buf = append(v.buf, c)
			case c >= 'A' && c <= 'Z':
				v.buf = append(v.buf, c+'a'-'A')
			default:
				flush()
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case isCJKIdeo(r):
			flush()
			v.buf = utf8.AppendRune(v.buf, r)
			flush()
		case unicode.Is(unicode.Mn, r):
			// an accent written apart: dropped, the word goes on
		case unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsMark(r):
			v.appendFolded(s[i-size:i], r)
		default:
			flush()
		}
	}
	flush()
	return dst
}

// appendFolded appends the lower-case letters of r (whose encoding is enc)
// without its accents.
func (v *vocab) appendFolded(enc string, r rune) {
	d := norm.NFKD.PropertiesString(enc).Decomposition()
	if d == nil {
		v.buf = utf8.AppendRune(v.buf, unicode.ToLower(r))
		return
	}
	for _, dr := range string(d) {
		if !unicode.Is(unicode.Mn, dr) {
			v.buf = utf8.AppendRune(v.buf, unicode.ToLower(dr))
		}
	}
}

func isCJKIdeo(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isCJKWord(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.In(r, unicode.Han, unicode.Katakana)
}

// isStopword reports function words that carry no topic in English, German,
// French, Spanish and Russian.
func isStopword(w string) bool {
	switch w {
	case "the", "a", "an", "and", "or", "but", "if", "of", "to", "in", "on", "at",
		"by", "for", "with", "from", "as", "into", "onto", "over", "under", "about",
		"after", "before", "between", "during", "since", "than", "then", "that",
		"this", "these", "those", "there", "here", "it", "its", "is", "are", "was",
		"were", "be", "been", "being", "has", "have", "had", "having", "do", "does",
		"did", "will", "would", "shall", "should", "can", "could", "may", "might",
		"must", "not", "no", "nor", "so", "such", "too", "very", "also", "just",
		"only", "he", "she", "they", "we", "you", "i", "him", "her", "them", "us",
		"me", "his", "hers", "their", "theirs", "our", "your", "my", "who", "whom",
		"whose", "which", "what", "when", "where", "why", "how", "all", "any",
		"both", "each", "few", "more", "most", "other", "some", "own", "same",
		"said", "says", "say", "told", "according", "while", "s", "t",
		"up", "down", "out", "off", "again", "further", "once", "now", "new",
		"one", "two", "three", "year", "years", "last", "first", "week", "month",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"mr", "mrs", "ms", "dr", "via", "per", "against", "amid", "among", "through",
		"without", "within", "despite", "because", "although", "though", "whether",
		// German.
		"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem",
		"einer", "und", "oder", "aber", "nicht", "ist", "sind", "war", "hat", "haben",
		"wird", "werden", "mit", "von", "fur", "auf", "aus", "bei", "nach", "zu",
		"im", "am", "es", "er", "sie", "wir", "sich", "auch", "als", "wie", "dass",
		// French.
		"le", "la", "les", "un", "une", "du", "et", "ou", "mais", "est", "sont",
		"dans", "pour", "par", "sur", "avec", "il", "elle", "ils", "qui", "que",
		// Spanish.
		"el", "los", "las", "una", "y", "en", "con", "por", "para", "del", "al",
		"son", "fue", "se", "su", "sus", "lo", "como", "mas", "de",
		// Chinese and Japanese particles.
		"的", "了", "是", "在", "和", "也", "有", "与", "对",
		// Russian.
		"и", "в", "во", "на", "с", "со", "по", "к", "о", "об", "от", "из", "за",
		"не", "что", "это", "как", "он", "она", "они", "его", "ее", "их",
		"был", "была", "были", "быть", "также", "для", "при", "но", "а":
		return true
	}
	return false
}
