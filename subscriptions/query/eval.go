package query

import (
	"strings"

	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// Doc is a tokenised story; see textnorm.Doc.
type Doc = textnorm.Doc

// Field is a part of a story: Title or Text.
type Field = textnorm.Field

// The fields of a story.
const (
	Title = textnorm.Title
	Text  = textnorm.Text
)

// NewDoc tokenises a story's title and text once for matching against any
// number of queries.
func NewDoc(title, text string) *Doc { return textnorm.NewDoc(title, text) }

// Hit is a positive term of a query found in a story, for highlighting.
type Hit struct {
	// Term is Term.Text() of the query term: the normalised word, the
	// phrase with its words space separated, or the prefix with '*'.
	Term string
	// Field is where the term was found.
	Field Field
}

// Eval matches the query against a story directly, term by term. It is the
// reference semantics (the index in package index must agree with it) and
// serves /test on recent stories.
//
// On a match it returns true and the hits: every term of the query that is
// not negated (under an even number of NOTs) and occurs in the story within
// its scope, once per (Term, Field), in query order, title before text.
// Without a match it returns false, nil.
func (q *Query) Eval(d *Doc) (bool, []Hit) {
	if q == nil || q.root == nil || d == nil {
		return false, nil
	}
	var hits []Hit
	if !evalNode(q.root, d, false, &hits) {
		return false, nil
	}
	return true, hits
}

// evalNode evaluates n; neg says whether n is under an odd number of NOTs.
// All operands are evaluated so every hit is found.
func evalNode(n *Node, d *Doc, neg bool, hits *[]Hit) bool {
	switch n.Op {
	case OpTerm:
		mask := termFields(n.Term, d)
		if !neg && mask != 0 {
			addHits(hits, n.Term.Text(), mask)
		}
		return mask != 0
	case OpNot:
		return !evalNode(n.Kids[0], d, !neg, hits)
	case OpAnd:
		all := true
		for _, k := range n.Kids {
			if !evalNode(k, d, neg, hits) {
				all = false
			}
		}
		return all
	case OpOr:
		any := false
		for _, k := range n.Kids {
			if evalNode(k, d, neg, hits) {
				any = true
			}
		}
		return any
	}
	return false
}

// fieldMask bits.
const (
	inTitle = 1 << Title
	inText  = 1 << Text
)

func scopeMask(s Scope) uint8 {
	switch s {
	case InTitle:
		return inTitle
	case InText:
		return inText
	}
	return inTitle | inText
}

// termFields returns the fields (as a mask) in which the term occurs,
// limited to its scope.
func termFields(t Term, d *Doc) uint8 {
	var mask uint8
	switch t.Kind {
	case Word:
		if i, ok := d.Lookup(t.Words[0]); ok {
			mask = termIn(d, i)
		}
	case Prefix:
		for i := 0; i < d.NumTerms(); i++ {
			if strings.HasPrefix(d.Term(i), t.Words[0]) {
				mask |= termIn(d, i)
			}
		}
	case Phrase:
		idx := make([]int32, len(t.Words))
		for k, w := range t.Words {
			i, ok := d.Lookup(w)
			if !ok {
				return 0
			}
			idx[k] = int32(i)
		}
		for _, f := range [...]Field{Title, Text} {
			if hasRun(d.Stream(f), idx) {
				mask |= 1 << f
			}
		}
	}
	return mask & scopeMask(t.Scope)
}

func termIn(d *Doc, i int) uint8 {
	var m uint8
	if d.In(i, Title) {
		m |= inTitle
	}
	if d.In(i, Text) {
		m |= inText
	}
	return m
}

// hasRun reports whether stream contains run as consecutive elements.
func hasRun(stream, run []int32) bool {
outer:
	for p := 0; p+len(run) <= len(stream); p++ {
		for k, want := range run {
			if stream[p+k] != want {
				continue outer
			}
		}
		return true
	}
	return false
}

func addHits(hits *[]Hit, text string, mask uint8) {
	for _, f := range [...]Field{Title, Text} {
		if mask&(1<<f) == 0 {
			continue
		}
		h := Hit{Term: text, Field: f}
		dup := false
		for _, have := range *hits {
			if have == h {
				dup = true
				break
			}
		}
		if !dup {
			*hits = append(*hits, h)
		}
	}
}

// matchesEmpty reports whether n matches a story without any words, that
// is, whether it can match a story containing none of its positive terms.
func matchesEmpty(n *Node) bool {
	switch n.Op {
	case OpNot:
		return !matchesEmpty(n.Kids[0])
	case OpAnd:
		for _, k := range n.Kids {
			if !matchesEmpty(k) {
				return false
			}
		}
		return true
	case OpOr:
		for _, k := range n.Kids {
			if matchesEmpty(k) {
				return true
			}
		}
		return false
	}
	return false
}

// hasPositive reports whether n has a term under an even number of NOTs.
func hasPositive(n *Node, neg bool) bool {
	switch n.Op {
	case OpTerm:
		return !neg
	case OpNot:
		return hasPositive(n.Kids[0], !neg)
	}
	for _, k := range n.Kids {
		if hasPositive(k, neg) {
			return true
		}
	}
	return false
}

// checkPositive refuses queries that match stories without any of their
// words: they would alert on nearly every story.
func checkPositive(root *Node) error {
	if !matchesEmpty(root) {
		return nil
	}
	if !hasPositive(root, false) {
		return errAt(0, "a query needs at least one word to look for; "+root.String()+" alone would match everything")
	}
	if x, alt := culprit(root); alt {
		return errAt(0, "every OR alternative needs a word to look for; "+x.String()+" alone would match everything")
	}
	return errAt(0, "a query needs a word that every match contains; "+root.String()+
		" would also match stories without any of its words")
}

// culprit finds, in a query matching the empty story, an OR alternative
// that matches the empty story, looking through ANDs; alt is false when
// there is none to blame.
func culprit(n *Node) (x *Node, alt bool) {
	switch n.Op {
	case OpOr:
		for _, k := range n.Kids {
			if matchesEmpty(k) {
				if x, alt := culprit(k); alt {
					return x, true
				}
				return k, true
			}
		}
	case OpAnd:
		for _, k := range n.Kids {
			if hasPositive(k, false) {
				return culprit(k)
			}
		}
	}
	return n, false
}
