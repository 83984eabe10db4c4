package summary

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsalert/newsalert/sources/storytext"
)

// headlineRunes is the longest headline Headline makes.
const headlineRunes = 120

// Headline makes a headline for a story whose feed gave none: the first
// sentence of text that is not boilerplate ("Join Us", "Read more"), cut at
// a word boundary with "…" when longer than 120 characters. It returns ""
// when text has no such sentence.
func Headline(text string) string {
	var h string
	eachSentence(text, func(s string, _ bool) {
		if h == "" && !storytext.IsBoilerplate(s) && strings.ContainsFunc(s, isLetterOrDigit) {
			h = s
		}
	})
	if utf8.RuneCountInString(h) > headlineRunes {
		h = truncate(h, headlineRunes)
	}
	return h
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
