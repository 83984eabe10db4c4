package fingerprint

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Term weights, chosen on testdata/pairs.tsv (see pairs_test.go).
const (
	weightUnit    = 2 // weights are stored doubled so that 1.5 is an integer
	weightTitle   = 3 // ×1.5: headline words say what happened
	weightEntity  = 2 // ×2: capitalised words and numbers name who, where, how much
	maxLeadRunes  = 400
	minTermsRunes = 2
)

// termWeights tokenises title and lead into normalised terms and returns
// their summed weights (in units of 1/weightUnit) in order of first
// appearance, so that results never depend on map iteration order.
func termWeights(title, lead string) (terms []string, weights []int) {
	index := map[string]int{}
	add := func(t string, w int) {
		if i, ok := index[t]; ok {
			weights[i] += w
			return
		}
		index[t] = len(terms)
		terms = append(terms, t)
		weights = append(weights, w)
	}
	titleCase := isTitleCase(title)
	eachToken(title, func(tok string, capital bool) {
		w := weightTitle
		if capital && (!titleCase || isNumber(tok)) {
			w *= weightEntity
		}
		add(tok, w)
	})
	eachToken(truncateRunes(lead, maxLeadRunes), func(tok string, capital bool) {
		w := weightUnit
		if capital {
			w *= weightEntity
		}
		add(tok, w)
	})
	return terms, weights
}

// eachToken calls fn for each normalised content term of s, with whether
// the word was capitalised (or is a number) in the original text.
//
// Words are folded to lower case without diacritics (NFKD, marks removed),
// possessive 's and stop words are dropped, English plural and verb endings
// are stripped ("strikes" -> "strike"), numbers keep their decimal point and
// lose thousands separators ("1,000" -> "1000"), money suffixes are spelled
// out ("$1.8bn" -> "1.8" "billion"), "%" becomes "percent", and runs of Han
// or Kana characters, written without spaces, yield character bigrams.
func eachToken(s string, fn func(tok string, capital bool)) {
	s = fold(s)
	var (
		word    []rune
		capital bool
		cjk     []rune
	)
	emit := func(tok string, capital bool) {
		if tok == "" || isStopword(tok) {
			return
		}
		if utf8.RuneCountInString(tok) < minTermsRunes && !isNumber(tok) {
			return
		}
		fn(tok, capital)
	}
	flushCJK := func() {
		switch {
		case len(cjk) == 1:
			emit(string(cjk), false)
		case len(cjk) > 1:
			for i := 0; i+1 < len(cjk); i++ {
				emit(string(cjk[i:i+2]), false)
			}
		}
		cjk = cjk[:0]
	}
	flushWord := func() {
		if len(word) == 0 {
			return
		}
		num, unit := splitNumber(string(word))
		if num != "" {
			emit(num, true)
			if unit != "" {
				emit(unit, false)
			}
		} else if w := strings.ToLower(string(word)); !isStopword(w) {
			emit(stem(w), capital)
		}
		word = word[:0]
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
			flushWord()
			cjk = append(cjk, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushCJK()
			if len(word) == 0 {
				capital = unicode.IsUpper(r) || unicode.IsDigit(r)
			}
			word = append(word, r)
		case (r == '.' || r == ',') && len(word) > 0 && unicode.IsDigit(word[len(word)-1]) &&
			i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			if r == '.' { // decimal point; a comma is a thousands separator
				word = append(word, r)
			}
		case r == '%':
			flushCJK()
			flushWord()
			emit("percent", false)
		default:
			flushCJK()
			flushWord()
		}
	}
	flushCJK()
	flushWord()
}

// fold removes Latin, Greek and Cyrillic diacritics and applies
// compatibility normalisation ("Zürich" -> "Zurich", "ё" -> "е", full-width
// letters and digits -> ASCII); other scripts keep their marks ("が").
func fold(s string) string {
	if isASCII(s) {
		return s
	}
	t := transform.Chain(norm.NFKD, runes.Remove(runes.Predicate(isCombiningDiacritic)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// isCombiningDiacritic reports the Combining Diacritical Marks block
// (U+0300..U+036F) used by Latin, Greek and Cyrillic letters.
func isCombiningDiacritic(r rune) bool { return r >= 0x0300 && r <= 0x036f }

// splitNumber splits a token that starts with a digit into the number and
// a spelled-out unit: "1.8bn" -> ("1.8", "billion"), "50c" -> ("50", "").
// It returns "" for words that do not start with a digit.
func splitNumber(w string) (num, unit string) {
	if w == "" || w[0] < '0' || w[0] > '9' {
		return "", ""
	}
	i := 0
	for i < len(w) && (w[i] >= '0' && w[i] <= '9' || w[i] == '.') {
		i++
	}
	num = strings.TrimRight(w[:i], ".")
	switch strings.ToLower(w[i:]) {
	case "bn", "b", "bln", "billion":
		unit = "billion"
	case "m", "mn", "mln", "million":
		unit = "million"
	case "tn", "trn", "trillion":
		unit = "trillion"
	case "k", "000":
		unit = "thousand"
	case "":
	default:
		unit = stem(strings.ToLower(w[i:])) // "25th" -> "th" is dropped as too short
	}
	return num, unit
}

// stem strips common English inflections from a lower-case ASCII word so
// that "strike", "strikes", "striking" and "struck"'s regular cousins
// ("raise", "raised", "raises", "raising") share a stem: plural and verb
// endings go, then a final "e" and a doubled final consonant ("cutting" ->
// "cut").
func stem(w string) string {
	if !isASCII(w) || len(w) <= 3 {
		return w
	}
	switch n := len(w); {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes") ||
		strings.HasSuffix(w, "zes") || strings.HasSuffix(w, "ches") || strings.HasSuffix(w, "shes")):
		w = w[:n-2]
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed") && !strings.HasSuffix(w, "eed"):
		w = undouble(w[:n-2])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	if len(w) > 3 && strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") {
		w = w[:len(w)-1]
	}
	return w
}

// undouble drops one of two equal final consonants: "stopp" -> "stop";
// "ll", "ss" and "zz" stay ("kill", "pass").
func undouble(w string) string {
	n := len(w)
	if n < 3 || w[n-1] != w[n-2] {
		return w
	}
	switch w[n-1] {
	case 'a', 'e', 'i', 'o', 'u', 'l', 's', 'z':
		return w
	}
	return w[:n-1]
}

// isTitleCase reports whether s is a headline in Title Case ("Kim Jong Un
// Expresses Support for Russia"): at least three words of four or more
// letters and none of them starting with a lower-case letter (camel-cased
// names like "iPad" aside). Such headlines say nothing about which words
// are names, so their capitals are not weighted.
func isTitleCase(s string) bool {
	long := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) < 4 {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		r2, _ := utf8.DecodeRuneInString(w[size:])
		if unicode.IsLower(r) && !unicode.IsUpper(r2) {
			return false
		}
		if unicode.IsLetter(r) {
			long++
		}
	}
	return long >= 3
}

func isNumber(s string) bool {
	return s != "" && s[0] >= '0' && s[0] <= '9'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// truncateRunes returns s cut to at most n runes, at a space if possible.
func truncateRunes(s string, n int) string {
	count := 0
	for i := range s {
		if count == n {
			if sp := strings.LastIndexByte(s[:i], ' '); sp > 0 {
				return s[:sp]
			}
			return s[:i]
		}
		count++
	}
	return s
}

// isStopword reports function words and news filler that say nothing about
// which event a story is about.
func isStopword(w string) bool {
	switch w {
	case "the", "a", "an", "and", "or", "but", "if", "of", "to", "in", "on", "at",
		"by", "for", "with", "from", "as", "into", "over", "under", "about", "after",
		"before", "between", "during", "since", "than", "then", "that", "this",
		"these", "those", "there", "here", "it", "its", "is", "are", "was", "were",
		"be", "been", "being", "has", "have", "had", "do", "does", "did", "will",
		"would", "can", "could", "may", "might", "must", "not", "no", "so", "also",
		"just", "only", "he", "she", "they", "we", "you", "him", "her", "them",
		"his", "their", "our", "who", "which", "what", "when", "where", "why", "how",
		"all", "any", "both", "each", "more", "most", "other", "some", "said", "say",
		"says", "told", "according", "while", "up", "out", "off", "now", "new",
		"first", "last", "one", "two", "three", "year", "week", "day", "monday",
		"tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr",
		"ms", "amid", "against", "via", "per",
		// German, French, Spanish, Russian.
		"der", "die", "das", "und", "ein", "eine", "mit", "von", "fur", "auf",
		"le", "la", "les", "un", "une", "des", "du", "et", "en", "pour", "dans",
		"el", "los", "las", "una", "y", "con", "por", "para", "del", "de",
		"и", "в", "на", "с", "по", "не", "что", "из", "за", "о":
		return true
	}
	return false
}
