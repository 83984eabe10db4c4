package query

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// Limits bounds the size of a query. A zero or negative field means the
// default.
type Limits struct {
	// MaxLength is the maximum number of characters (runes) of the query
	// as typed and of its canonical form.
	MaxLength int
	// MaxTerms is the maximum number of words, phrases and prefixes.
	MaxTerms int
	// MaxDepth is the maximum nesting of parentheses.
	MaxDepth int
}

// DefaultLimits returns the limits for user queries: 512 characters, 32
// terms, parentheses nested 8 deep.
func DefaultLimits() Limits {
	return Limits{MaxLength: 512, MaxTerms: 32, MaxDepth: 8}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxLength <= 0 {
		l.MaxLength = d.MaxLength
	}
	if l.MaxTerms <= 0 {
		l.MaxTerms = d.MaxTerms
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	return l
}

// minPrefix is the minimum number of runes before a '*'.
const minPrefix = 3

// Parse parses and validates a query. Errors are *SyntaxError values whose
// message tells the user what to type instead.
func Parse(s string, lim Limits) (*Query, error) {
	lim = lim.withDefaults()
	if utf8.RuneCountInString(s) > lim.MaxLength {
		return nil, errAt(0, "the query is too long ("+strconv.Itoa(utf8.RuneCountInString(s))+" characters), use at most "+strconv.Itoa(lim.MaxLength)+" characters")
	}
	toks, err := lex([]rune(s))
	if err != nil {
		return nil, err
	}
	if toks[0].kind == tEOF {
		return nil, errAt(0, "the query is empty; type the words to look for, e.g. putin -sports")
	}
	p := parser{toks: toks, lim: lim}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF { // parseOr stops only at ) or the end
		return nil, errAt(t.pos, "unexpected ), there is no ( before it")
	}
	root = simplify(root)
	canon := root.String()
	if n := utf8.RuneCountInString(canon); n > lim.MaxLength {
		return nil, errAt(0, "the query is too long written out in full ("+strconv.Itoa(n)+
			" characters), use at most "+strconv.Itoa(lim.MaxLength)+" characters")
	}
	if err := checkPositive(root); err != nil {
		return nil, err
	}
	return &Query{root: root, canon: canon}, nil
}

type parser struct {
	toks  []token
	i     int
	lim   Limits
	depth int    // open parentheses
	terms int    // terms so far
	scope Scope  // scope of an enclosing title:( )
	field string // its text, e.g. "title:"
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// canStart reports whether a token can start an operand.
func canStart(k tokKind) bool {
	switch k {
	case tWord, tPhrase, tLParen, tNot, tMinus, tField:
		return true
	}
	return false
}

// expectOperand checks that an operand follows the operator op.
func (p *parser) expectOperand(op string) error {
	t := p.peek()
	if canStart(t.kind) {
		return nil
	}
	if t.kind == tEOF {
		return errAt(t.pos, op+" needs a word after it")
	}
	return errAt(t.pos, op+" needs a word after it, not "+t.describe())
}

func (p *parser) parseOr() (*Node, error) {
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tOr {
		return first, nil
	}
	kids := []*Node{first}
	for p.peek().kind == tOr {
		op := p.advance()
		if err := p.expectOperand(op.text); err != nil {
			return nil, err
		}
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	return &Node{Op: OpOr, Kids: kids}, nil
}

func (p *parser) parseAnd() (*Node, error) {
	if t := p.peek(); !canStart(t.kind) {
		switch t.kind {
		case tOr, tAnd:
			return nil, errAt(t.pos, t.describe()+" needs a word before it")
		case tRParen:
			if p.depth > 0 {
				return nil, errAt(t.pos, "empty ( ), put words between the parentheses")
			}
			return nil, errAt(t.pos, "unexpected ), there is no ( before it")
		}
		return nil, errAt(t.pos, "missing )")
	}
	first, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	kids := []*Node{first}
	for {
		t := p.peek()
		if t.kind == tAnd {
			p.advance()
			if err := p.expectOperand("AND"); err != nil {
				return nil, err
			}
		} else if !canStart(t.kind) {
			break
		}
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &Node{Op: OpAnd, Kids: kids}, nil
}

func (p *parser) parseUnary() (*Node, error) {
	t := p.peek()
	if t.kind != tNot && t.kind != tMinus {
		return p.parsePrimary()
	}
	p.advance()
	op := "NOT"
	if t.kind == tMinus {
		op = "-"
	}
	if err := p.expectOperand(op); err != nil {
		return nil, err
	}
	kid, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &Node{Op: OpNot, Kids: []*Node{kid}}, nil
}

func (p *parser) parsePrimary() (*Node, error) {
	t := p.advance()
	switch t.kind {
	case tLParen:
		return p.parseGroup(t)
	case tWord:
		return p.wordNode(t)
	case tPhrase:
		return p.phraseNode(t)
	case tField:
		if p.scope != Anywhere {
			return nil, errAt(t.pos, t.text+" cannot be used inside "+p.field+"( )")
		}
		next := p.peek()
		if next.kind != tWord && next.kind != tPhrase && next.kind != tLParen {
			return nil, errAt(next.pos, t.text+` needs a word or "phrase" right after it, e.g. `+t.text+"putin")
		}
		p.scope, p.field = t.scope, t.text
		n, err := p.parsePrimary()
		p.scope, p.field = Anywhere, ""
		return n, err
	}
	// Unreachable: callers check canStart first.
	return nil, errAt(t.pos, "expected a word, found "+t.describe())
}

func (p *parser) parseGroup(open token) (*Node, error) {
	p.depth++
	if p.depth > p.lim.MaxDepth {
		return nil, errAt(open.pos, "too many nested parentheses, use at most "+strconv.Itoa(p.lim.MaxDepth))
	}
	if t := p.peek(); t.kind == tEOF {
		return nil, errAt(t.pos, "missing )")
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tRParen {
		return nil, errAt(t.pos, "missing )")
	}
	p.advance()
	p.depth--
	return n, nil
}

// newTerm counts a term and returns its node.
func (p *parser) newTerm(pos int, kind Kind, words []string) (*Node, error) {
	p.terms++
	if p.terms > p.lim.MaxTerms {
		return nil, errAt(pos, "too many words, use at most "+strconv.Itoa(p.lim.MaxTerms))
	}
	return &Node{Op: OpTerm, Term: Term{Kind: kind, Scope: p.scope, Words: words}}, nil
}

func tokenTerms(s string) []string {
	toks := textnorm.Tokens(s)
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.Term
	}
	return words
}

func (p *parser) wordNode(t token) (*Node, error) {
	if star := strings.IndexByte(t.text, '*'); star >= 0 {
		return p.prefixNode(t, star)
	}
	words := tokenTerms(t.text)
	switch len(words) {
	case 0:
		if strings.Trim(t.text, "&") == "" {
			return nil, errAt(t.pos, echo(t.text)+" is not an operator, use AND or just a space")
		}
		return nil, errAt(t.pos, echo(t.text)+" has no letters or digits to look for, remove it")
	case 1:
		return p.newTerm(t.pos, Word, words)
	}
	return p.newTerm(t.pos, Phrase, words)
}

func (p *parser) prefixNode(t token, star int) (*Node, error) {
	if star != len(t.text)-1 {
		return nil, errAt(t.pos+utf8.RuneCountInString(t.text[:star]), "* can only end a word, e.g. ukrain*")
	}
	words := tokenTerms(t.text[:star])
	switch {
	case len(words) == 0:
		return nil, errAt(t.pos, "* must follow at least 3 letters, e.g. ukrain*")
	case len(words) > 1:
		return nil, errAt(t.pos, echo(t.text)+" is more than one word, * can only end a single word, e.g. "+words[len(words)-1]+"*")
	case utf8.RuneCountInString(words[0]) < minPrefix:
		return nil, errAt(t.pos, echo(t.text)+" is too short, type at least 3 letters before *")
	}
	return p.newTerm(t.pos, Prefix, words)
}

func (p *parser) phraseNode(t token) (*Node, error) {
	words := tokenTerms(t.text)
	switch len(words) {
	case 0:
		if strings.TrimSpace(t.text) == "" {
			return nil, errAt(t.pos, `empty "", put words between the quotes`)
		}
		return nil, errAt(t.pos, `"`+echo(t.text)+`" has no letters or digits to look for, remove it`)
	case 1:
		return p.newTerm(t.pos, Word, words)
	}
	return p.newTerm(t.pos, Phrase, words)
}

// maxEcho is how many characters of the user's text an error repeats.
const maxEcho = 40

// echo returns user text for an error message: on one line, without
// control characters, shortened to maxEcho characters.
func echo(s string) string {
	var b strings.Builder
	n := 0
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			continue
		}
		if n == maxEcho {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// simplify flattens nested ANDs and ORs, removes double negations and
// repeated operands.
func simplify(n *Node) *Node {
	switch n.Op {
	case OpNot:
		k := simplify(n.Kids[0])
		if k.Op == OpNot {
			return k.Kids[0]
		}
		return &Node{Op: OpNot, Kids: []*Node{k}}
	case OpAnd, OpOr:
		kids := make([]*Node, 0, len(n.Kids))
		add := func(k *Node) {
			for _, have := range kids {
				if have.Equal(k) {
					return
				}
			}
			kids = append(kids, k)
		}
		for _, k := range n.Kids {
			k = simplify(k)
			if k.Op == n.Op {
				for _, kk := range k.Kids {
					add(kk)
				}
			} else {
				add(k)
			}
		}
		if len(kids) == 1 {
			return kids[0]
		}
		return &Node{Op: n.Op, Kids: kids}
	}
	return n
}
