package index

import (
	"github.com/newsalert/newsalert/subscriptions/query"
)

// A compiled query is a postfix program of uint32 words:
//
//	leaf: header, then the header's n term ids
//	  bit 31 = 0, bits 0-15 n (1, or the words of a phrase),
//	  bits 16-17 kind, bits 18-19 field mask of the scope, bit 20 positive
//	  (under an even number of NOTs: found terms are hits)
//	  A prefix leaf has n = 5: its id, then its first 16 bytes packed (as
//	  pack16, low word first), and its length in bytes (at most 63) in
//	  bits 21-26, so Match can test it against the story's tokens without
//	  reading the term's text.
//	op:   bit 31 = 1, bits 28-29 operator, bits 0-15 number of operands
//
// Evaluation pushes one bool per leaf and folds operands per operator.
const (
	opBit      = 1 << 31
	opAnd      = 1
	opOr       = 2
	opNot      = 3
	opShift    = 28
	countMask  = 0xFFFF
	kindShift  = 16
	scopeShift = 18
	posBit     = 1 << 20
	plenShift  = 21
	plenMask   = 63

	leafWord   = 0
	leafPrefix = 1
	leafPhrase = 2
)

// Field mask bits, as in a Doc: bit f for textnorm.Field f.
const (
	maskTitle = 1 << query.Title
	maskText  = 1 << query.Text
	maskBoth  = maskTitle | maskText
)

func scopeMask(s query.Scope) uint32 {
	switch s {
	case query.InTitle:
		return maskTitle
	case query.InText:
		return maskText
	}
	return maskBoth
}

// progSize returns the length of the program for n, or -1 when n cannot
// be compiled (an operator or phrase too large for its count field).
func progSize(n *query.Node) int {
	switch n.Op {
	case query.OpTerm:
		if len(n.Term.Words) == 0 || len(n.Term.Words) > countMask {
			return -1
		}
		if n.Term.Kind == query.Prefix {
			return 6
		}
		return 1 + len(n.Term.Words)
	case query.OpNot, query.OpAnd, query.OpOr:
		if len(n.Kids) == 0 || len(n.Kids) > countMask || (n.Op == query.OpNot && len(n.Kids) != 1) {
			return -1
		}
		size := 1
		for _, k := range n.Kids {
			ks := progSize(k)
			if ks < 0 {
				return -1
			}
			size += ks
		}
		return size
	}
	return -1
}

// emit appends the program for n, interning its terms (one reference per
// leaf word or prefix).
func (x *Index) emit(prog []uint32, n *query.Node, neg bool) []uint32 {
	switch n.Op {
	case query.OpTerm:
		t := n.Term
		hdr := scopeMask(t.Scope) << scopeShift
		if !neg {
			hdr |= posBit
		}
		switch t.Kind {
		case query.Prefix:
			p := t.Words[0]
			k0, k1 := pack16(p)
			hdr |= leafPrefix<<kindShift | uint32(min(len(p), plenMask))<<plenShift | 5
			return append(prog, hdr, x.dict.intern(kindPrefix, p), uint32(k0), uint32(k0>>32), uint32(k1), uint32(k1>>32))
		case query.Phrase:
			hdr |= leafPhrase << kindShift
		default:
			hdr |= leafWord << kindShift
		}
		prog = append(prog, hdr|uint32(len(t.Words)))
		for _, w := range t.Words {
			prog = append(prog, x.dict.intern(kindWord, w))
		}
		return prog
	case query.OpNot:
		prog = x.emit(prog, n.Kids[0], !neg)
		return append(prog, opBit|opNot<<opShift|1)
	}
	for _, k := range n.Kids {
		prog = x.emit(prog, k, neg)
	}
	op := uint32(opAnd)
	if n.Op == query.OpOr {
		op = opOr
	}
	return append(prog, opBit|op<<opShift|uint32(len(n.Kids)))
}

// releaseProg drops the term references taken by emit.
func (x *Index) releaseProg(prog []uint32) {
	for i := 0; i < len(prog); {
		w := prog[i]
		i++
		if w&opBit != 0 {
			continue
		}
		n := int(w & countMask)
		ids := prog[i : i+n]
		if w>>kindShift&3 == leafPrefix {
			ids = ids[:1] // then its packed bytes
		}
		for _, id := range ids {
			x.dict.release(id)
		}
		i += n
	}
}

// termID returns the id of an interned leaf term's cover atom: the word or
// prefix itself (for a phrase, use phraseIDs).
func (x *Index) termID(t query.Term) uint32 {
	if t.Kind == query.Prefix {
		id, _ := x.dict.prefixID(t.Words[0])
		return id
	}
	id, _ := x.dict.wordID(t.Words[0])
	return id
}

// cover is a set of term ids such that every story matching some
// expression contains at least one of them.
type cover struct {
	ids  []uint32
	cost float64
}

// coverOf returns a cover of n (negated if neg), or false when there is
// none: then n can match a story without any of its positive terms.
func (x *Index) coverOf(n *query.Node, neg bool) (cover, bool) {
	switch n.Op {
	case query.OpTerm:
		if neg {
			return cover{}, false
		}
		if n.Term.Kind == query.Phrase {
			// Every word of a phrase is required: the cheapest will do.
			var best cover
			for i, w := range n.Term.Words {
				id, _ := x.dict.wordID(w)
				if c := x.dict.cost(id); i == 0 || c < best.cost {
					best = cover{ids: []uint32{id}, cost: c}
				}
			}
			return best, true
		}
		id := x.termID(n.Term)
		return cover{ids: []uint32{id}, cost: x.dict.cost(id)}, true
	case query.OpNot:
		return x.coverOf(n.Kids[0], !neg)
	}
	if (n.Op == query.OpAnd) != neg {
		// A conjunction: any one operand's cover covers it; take the
		// cheapest.
		var best cover
		found := false
		for _, k := range n.Kids {
			if c, ok := x.coverOf(k, neg); ok && (!found || c.cost < best.cost) {
				best, found = c, true
			}
		}
		return best, found
	}
	// A disjunction: every operand needs a cover; their union covers it.
	var all cover
	for _, k := range n.Kids {
		c, ok := x.coverOf(k, neg)
		if !ok {
			return cover{}, false
		}
		for _, id := range c.ids {
			if !contains(all.ids, id) {
				all.ids = append(all.ids, id)
				all.cost += x.dict.cost(id)
			}
		}
	}
	return all, true
}

func contains(ids []uint32, id uint32) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// plan chooses where to list a subscription: the cheapest cover of the
// query (every matching story contains one of its terms), and a check
// that rejects stories before evaluation (see posting.check): a required
// word outside the cover the story must contain too, else the first three
// bytes of a required prefix some story token must start with, else a
// word negated at the top level the story must not contain; noTerm if
// there is none. It reports false for queries without a cover, which
// Parse never returns.
func (x *Index) plan(root *query.Node) (cov cover, check uint32, ok bool) {
	clauses := []*query.Node{root}
	if root.Op == query.OpAnd {
		clauses = root.Kids
	}
	// Atoms: terms every matching story contains (positive top-level
	// leaves; every word of a phrase).
	type atom struct {
		id   uint32
		cost float64
	}
	var atoms []atom
	addAtom := func(id uint32) {
		for _, a := range atoms {
			if a.id == id {
				return
			}
		}
		atoms = append(atoms, atom{id, x.dict.cost(id)})
	}
	for _, c := range clauses {
		if c.Op != query.OpTerm {
			continue
		}
		if c.Term.Kind == query.Phrase {
			for _, w := range c.Term.Words {
				id, _ := x.dict.wordID(w)
				addAtom(id)
			}
		} else {
			addAtom(x.termID(c.Term))
		}
	}
	// Candidate covers: each atom, and each other clause's cheapest
	// cover. The check must be a word: Match looks up every story word,
	// but only the prefixes that have postings. A cover with a check is
	// preferred to a cheaper one without (a story then needs two terms
	// to make the subscription a candidate), so "a (b OR c)" is listed
	// under b and c with check a.
	checkFor := func(c cover) uint32 {
		best := noTerm
		var bestCost float64
		for _, a := range atoms {
			if x.dict.at(a.id).kind == kindWord && !contains(c.ids, a.id) && (best == noTerm || a.cost < bestCost) {
				best, bestCost = a.id, a.cost
			}
		}
		return best
	}
	// Listing a prefix costs every story more lookups, so covers with
	// prefixes do not get the preference.
	rank := func(c cover, ck uint32) int {
		if ck == noTerm {
			return 1
		}
		for _, id := range c.ids {
			if x.dict.at(id).kind == kindPrefix {
				return 1
			}
		}
		return 0
	}
	found := false
	check = noTerm
	best := 0
	consider := func(c cover) {
		ck := checkFor(c)
		r := rank(c, ck)
		if !found || r < best || r == best && c.cost < cov.cost {
			cov, check, best, found = c, ck, r, true
		}
	}
	for _, c := range clauses {
		if c.Op == query.OpTerm {
			continue
		}
		if cc, ok := x.coverOf(c, false); ok {
			consider(cc)
		}
	}
	for _, a := range atoms {
		consider(cover{ids: []uint32{a.id}, cost: a.cost})
	}
	if !found {
		return cover{}, noTerm, false
	}
	if check != noTerm {
		if check >= checkIDLimit {
			check = noTerm // beyond what a check can name
		}
		return cov, check, true
	}
	for _, a := range atoms {
		if t := x.dict.at(a.id); t.kind == kindPrefix && len(t.text) >= 3 && !contains(cov.ids, a.id) {
			k0, _ := pack16(t.text)
			return cov, checkHead | uint32(k0&0xFFFFFF), true
		}
	}
	// A word negated at the top level, in both fields: the story must not
	// contain it. The shortest is likely the most common.
	var negCost float64
	for _, c := range clauses {
		if c.Op != query.OpNot || c.Kids[0].Op != query.OpTerm {
			continue
		}
		t := c.Kids[0].Term
		if t.Kind != query.Word || t.Scope != query.Anywhere {
			continue
		}
		id, _ := x.dict.wordID(t.Words[0])
		if cost := x.dict.cost(id); id < checkIDLimit && (check == noTerm || cost > negCost) {
			check, negCost = checkNot|id, cost
		}
	}
	return cov, check, true
}
