// Package query implements the subscription query language: a small, safe
// boolean language over normalised words, with no regular expressions, so
// no query can make matching slow.
//
// Syntax, by example:
//
//	russia ukraine              both words (AND is implied by a space)
//	russia AND ukraine          the same; AND is optional
//	"north korea"               a phrase: the words consecutive in the story
//	russia OR putin             either word; | means OR too
//	-sports  NOT sports         the story must not contain the word
//	-"world cup"  NOT (a OR b)  negated phrase, negated group
//	ukrain*                     any word starting with "ukrain" (at least 3
//	                            letters before the *)
//	title:putin                 the word in the title; also title:"a b",
//	                            title:ukrain*, title:(a OR b), and text:...
//
// Precedence is NOT (and -) over AND over OR, so "a b OR c" means
// "(a AND b) OR c"; use parentheses for anything else. Operators are the
// upper-case keywords AND, OR, NOT only: a lower-case "or" is a word to
// look for. Straight and typographic double quotes (" “ ” „ « ») all
// delimit phrases.
//
// Matching is on whole words, case- and accent-insensitive: query words
// and stories are both normalised by package textnorm. A phrase matches
// when its words are consecutive tokens of one field (title or text) after
// tokenisation, so punctuation between them does not matter: "north korea"
// matches "North-Korea", "north, korea" and "North Korea's". A query word
// that tokenises into several tokens is a phrase: north-korea means
// "north korea", don't means "don t", and 北京 means the two characters
// 北 京 consecutively (Chinese and Japanese are matched per character). A
// prefix matches the tokens that start with it, including the prefix
// itself as a whole word.
//
// Every query needs at least one word to look for: Parse refuses a query
// that could match a story containing none of its positive words, such as
// "-sports" or "a OR -b".
package query

import (
	"strings"

	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// Op is the kind of a Node.
type Op uint8

// The node kinds.
const (
	// OpTerm is a leaf: a word, phrase or prefix (Node.Term).
	OpTerm Op = iota + 1
	// OpAnd matches when all of its two or more Kids match.
	OpAnd
	// OpOr matches when any of its two or more Kids match.
	OpOr
	// OpNot matches when its single Kid does not.
	OpNot
)

// Kind is the kind of a Term.
type Kind uint8

// The term kinds.
const (
	// Word is a single normalised token.
	Word Kind = iota + 1
	// Phrase is two or more tokens that must be consecutive.
	Phrase
	// Prefix is the start of a token (Words[0], at least 3 runes).
	Prefix
)

// Scope is where in a story a term must occur.
type Scope uint8

// The scopes.
const (
	// Anywhere is the title or the text (the default).
	Anywhere Scope = iota
	// InTitle is the title only (title:).
	InTitle
	// InText is the body text only (text:).
	InText
)

// Term is a leaf of a query: what to look for and where.
type Term struct {
	Kind  Kind
	Scope Scope
	// Words are normalised tokens: one for Word and Prefix (without the
	// '*'), two or more for Phrase.
	Words []string
}

// Text returns the term as reported in a Hit: the word, the phrase's words
// joined by textnorm.JoinTerms ("north korea", "北京"), or the prefix with
// a trailing '*' ("ukrain*"). The scope is not included.
func (t Term) Text() string {
	switch t.Kind {
	case Phrase:
		return textnorm.JoinTerms(t.Words)
	case Prefix:
		return t.Words[0] + "*"
	}
	return t.Words[0]
}

// String returns the term in query syntax, e.g. title:"north korea".
func (t Term) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t Term) write(b *strings.Builder) {
	switch t.Scope {
	case InTitle:
		b.WriteString("title:")
	case InText:
		b.WriteString("text:")
	}
	if t.Kind == Phrase {
		b.WriteByte('"')
		b.WriteString(t.Text())
		b.WriteByte('"')
		return
	}
	b.WriteString(t.Text())
}

func (t Term) equal(u Term) bool {
	if t.Kind != u.Kind || t.Scope != u.Scope || len(t.Words) != len(u.Words) {
		return false
	}
	for i := range t.Words {
		if t.Words[i] != u.Words[i] {
			return false
		}
	}
	return true
}

// Node is a node of a parsed query. Nodes reachable from a Query must not
// be modified.
type Node struct {
	Op   Op
	Term Term    // for OpTerm
	Kids []*Node // for OpAnd and OpOr (two or more), OpNot (one)
}

// Equal reports whether two nodes are structurally identical.
func (n *Node) Equal(m *Node) bool {
	if n == nil || m == nil {
		return n == m
	}
	if n.Op != m.Op || len(n.Kids) != len(m.Kids) {
		return false
	}
	if n.Op == OpTerm {
		return n.Term.equal(m.Term)
	}
	for i := range n.Kids {
		if !n.Kids[i].Equal(m.Kids[i]) {
			return false
		}
	}
	return true
}

// String returns the node in canonical query syntax.
func (n *Node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

func (n *Node) write(b *strings.Builder) {
	switch n.Op {
	case OpTerm:
		n.Term.write(b)
	case OpNot:
		b.WriteByte('-')
		k := n.Kids[0]
		if k.Op == OpTerm {
			k.write(b)
			return
		}
		b.WriteByte('(')
		k.write(b)
		b.WriteByte(')')
	case OpAnd:
		for i, k := range n.Kids {
			if i > 0 {
				b.WriteByte(' ')
			}
			if k.Op == OpOr {
				b.WriteByte('(')
				k.write(b)
				b.WriteByte(')')
			} else {
				k.write(b)
			}
		}
	case OpOr:
		for i, k := range n.Kids {
			if i > 0 {
				b.WriteString(" OR ")
			}
			k.write(b) // AND and NOT bind tighter than OR
		}
	}
}

// Query is a parsed, validated subscription query. It is immutable and
// safe for concurrent use. The zero Query is invalid; use Parse.
type Query struct {
	root  *Node
	canon string
}

// Root returns the root of the query's syntax tree, already simplified:
// nested ANDs and ORs are flattened, double negations removed, repeated
// operands dropped. It must not be modified.
func (q *Query) Root() *Node { return q.root }

// String returns the canonical form of the query, e.g.
// `"north korea" (russia OR putin) -sports`: normalised words, implicit
// AND, OR in upper case, parentheses only where needed. It parses back to
// an Equal query.
func (q *Query) String() string { return q.canon }

// Equal reports whether two queries have the same syntax tree.
func (q *Query) Equal(o *Query) bool {
	if q == nil || o == nil {
		return q == o
	}
	return q.root.Equal(o.root)
}

// Terms returns the distinct terms of the query in canonical order,
// negated ones included.
func (q *Query) Terms() []Term {
	var out []Term
	var walk func(n *Node)
	walk = func(n *Node) {
		if n.Op == OpTerm {
			for _, t := range out {
				if t.equal(n.Term) {
					return
				}
			}
			out = append(out, n.Term)
			return
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	if q.root != nil {
		walk(q.root)
	}
	return out
}
