package query

import (
	"strconv"
	"strings"
	"unicode"
)

// SyntaxError is a query the user must correct. Msg is one line meant for
// the chat user; Pos is the 1-based rune position the problem was found
// at, or 0 when it concerns the whole query.
type SyntaxError struct {
	Pos int
	Msg string
}

// Error returns Msg with " at position N" after the problem it states and
// before any advice that follows (Msg reads "problem, advice" or "problem;
// advice"): "- must be directly followed by a word at position 3, e.g.
// -sports". With Pos 0 it returns Msg alone.
func (e *SyntaxError) Error() string {
	if e.Pos <= 0 {
		return e.Msg
	}
	at := " at position " + strconv.Itoa(e.Pos)
	cut := len(e.Msg)
	for _, sep := range []string{", ", "; "} {
		if i := strings.Index(e.Msg, sep); i > 0 && i < cut {
			cut = i
		}
	}
	return e.Msg[:cut] + at + e.Msg[cut:]
}

func errAt(pos int, msg string) *SyntaxError { return &SyntaxError{Pos: pos, Msg: msg} }

type tokKind uint8

const (
	tEOF    tokKind = iota
	tWord           // bare word; may contain '*' and punctuation
	tPhrase         // text between double quotes
	tLParen         // (
	tRParen         // )
	tOr             // OR or |
	tAnd            // AND
	tNot            // NOT
	tMinus          // - directly before something
	tField          // title: or text: directly before something
)

type token struct {
	kind  tokKind
	text  string // tWord, tPhrase: the raw text; tOr: "OR" or "|"
	pos   int    // 1-based rune position of the token's first rune
	scope Scope  // tField
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the query"
	case tRParen:
		return ")"
	case tOr:
		return t.text
	case tAnd:
		return "AND"
	}
	return "“" + t.text + "”"
}

func isQuote(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

// endsWord reports whether r ends a bare word.
func endsWord(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || r == '|' || isQuote(r)
}

// lex splits a query into tokens. The last token is always tEOF.
func lex(rs []rune) ([]token, error) {
	var toks []token
	afterField := false
	for i := 0; ; {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i == len(rs) {
			return append(toks, token{kind: tEOF, pos: len(rs) + 1}), nil
		}
		start := i
		pos := i + 1
		r := rs[i]
		field := afterField
		afterField = false
		switch {
		case r == '(':
			toks = append(toks, token{kind: tLParen, pos: pos})
			i++
		case r == ')':
			toks = append(toks, token{kind: tRParen, pos: pos})
			i++
		case r == '|':
			for i < len(rs) && rs[i] == '|' {
				i++
			}
			toks = append(toks, token{kind: tOr, text: "|", pos: pos})
		case isQuote(r):
			i++
			for i < len(rs) && !isQuote(rs[i]) {
				i++
			}
			if i == len(rs) {
				return nil, errAt(len(rs)+1, `missing closing "`)
			}
			toks = append(toks, token{kind: tPhrase, text: string(rs[start+1 : i]), pos: pos})
			i++
		case r == '-':
			if i+1 == len(rs) || endsWord(rs[i+1]) && rs[i+1] != '(' && !isQuote(rs[i+1]) {
				return nil, errAt(pos, "- must be directly followed by a word, e.g. -sports")
			}
			toks = append(toks, token{kind: tMinus, pos: pos})
			i++
		default:
			for i < len(rs) && !endsWord(rs[i]) {
				i++
			}
			word := string(rs[start:i])
			switch word {
			case "OR":
				toks = append(toks, token{kind: tOr, text: "OR", pos: pos})
				continue
			case "AND":
				toks = append(toks, token{kind: tAnd, pos: pos})
				continue
			case "NOT":
				toks = append(toks, token{kind: tNot, pos: pos})
				continue
			}
			name, rest, isField := fieldPrefix(word)
			if isField {
				scope, known := fieldScope(name)
				switch {
				case field && known:
					return nil, errAt(pos, "use only one field per word, e.g. title:putin")
				case field:
					// After title: a colon is ordinary punctuation.
				case !known:
					return nil, errAt(pos, "unknown field "+name+":, use title: or text:, or put the words in quotes")
				default:
					colon := start + len([]rune(name))
					next := colon + 1
					if rest == "" && (next == len(rs) || !(rs[next] == '(' || isQuote(rs[next]))) {
						return nil, errAt(next+1, name+": needs a word or \"phrase\" right after it, e.g. "+name+":putin")
					}
					toks = append(toks, token{kind: tField, scope: scope, text: name + ":", pos: pos})
					afterField = true
					i = next
					if rest != "" && rs[next] == '-' {
						return nil, errAt(next+1, "put - before the field, e.g. -"+name+":sports")
					}
					continue
				}
			}
			toks = append(toks, token{kind: tWord, text: word, pos: pos})
		}
	}
}

// fieldPrefix splits "name:rest" when name is one or more ASCII letters.
func fieldPrefix(word string) (name, rest string, ok bool) {
	name, rest, found := strings.Cut(word, ":")
	if !found || name == "" {
		return "", "", false
	}
	for i := 0; i < len(name); i++ {
		c := name[i] | 0x20
		if c < 'a' || c > 'z' {
			return "", "", false
		}
	}
	return name, rest, true
}

func fieldScope(name string) (Scope, bool) {
	switch strings.ToLower(name) {
	case "title":
		return InTitle, true
	case "text":
		return InText, true
	}
	return Anywhere, false
}
