package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Span is a piece of text, marked when it is a matched term.
type Span struct {
	Text string
	Hit  bool
}

// Highlight splits text into spans so that adapters can render the matched
// terms in bold. Terms are normalised query terms: lower-case words without
// accents, phrases of such words separated by single spaces, or a prefix
// ending in "*". Matching is on whole words, case- and accent-insensitive, as
// the matcher matches. Concatenating the spans' Text gives text back
// unchanged.
func Highlight(text string, terms []string) []Span {
	if len(terms) == 0 || text == "" {
		return []Span{{Text: text}}
	}
	words := splitWords(text)
	phrases := make([][]string, 0, len(terms))
	for _, t := range terms {
		if f := strings.Fields(t); len(f) > 0 {
			phrases = append(phrases, f)
		}
	}
	var spans []Span
	last := 0
	for i := 0; i < len(words); {
		n := longestMatch(words[i:], phrases)
		if n == 0 {
			i++
			continue
		}
		start, end := words[i].start, words[i+n-1].end
		if start > last {
			spans = append(spans, Span{Text: text[last:start]})
		}
		spans = append(spans, Span{Text: text[start:end], Hit: true})
		last = end
		i += n
	}
	if last < len(text) {
		spans = append(spans, Span{Text: text[last:]})
	}
	return spans
}

type word struct {
	start, end int
	norm       string
}

func splitWords(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, word{start: start, end: i, norm: foldWord(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start: start, end: len(text), norm: foldWord(text[start:])})
	}
	return out
}

// foldWord lower-cases s and removes accents (NFKD, marks dropped).
func foldWord(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)))
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

func longestMatch(words []word, phrases [][]string) int {
	best := 0
	for _, p := range phrases {
		if len(p) > len(words) || len(p) <= best {
			continue
		}
		ok := true
		for j, pw := range p {
			if prefix, isPrefix := strings.CutSuffix(pw, "*"); isPrefix && j == len(p)-1 {
				if !strings.HasPrefix(words[j].norm, prefix) {
					ok = false
				}
			} else if words[j].norm != pw {
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			best = len(p)
		}
	}
	return best
}
