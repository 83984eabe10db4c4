// Package index matches stories against many subscription queries at once
// with an inverted index, so the cost per story grows with the story's
// length and the number of candidate subscriptions, not with the number of
// subscriptions.
//
// Each query is compiled into a compact postfix program stored in a flat
// arena. The query is listed in the posting lists of a cover: a set of
// terms (words or prefixes) one of which every matching story contains,
// chosen to be rare (for "a b c" the rarest-looking of a, b, c; for
// "(a OR b) c" either c or both a and b; for a phrase its rarest-looking
// word), preferring a cover that leaves a second required word outside it
// ("a (b OR c)" is listed under b and c). A check is stored in the posting
// and tested before evaluation: that second required word, so "bitcoin
// regulation" is evaluated only for stories with both words; else the
// first three bytes of a required prefix, tested against a filter of the
// story's token heads; else a negated word the story must not contain.
// Rarity is estimated without document statistics: longer words are
// rarer (Zipf's law of abbreviation), and a term that already anchors
// many subscriptions counts as more common, which also spreads the load.
//
// For a story, Match looks up each distinct story token in the term table
// (slots hold the first 16 bytes of a term packed, and its posting list,
// so a lookup costs one cache line), and the token's prefixes for the
// lengths that two small filters allow: prefixes with postings only;
// a prefix that is merely a leaf of a candidate's query is tested against
// the story's tokens when the candidate is evaluated. All lookups of a
// story are hashed first and their slots loaded in one loop, so the CPU
// overlaps the cache misses. Match then walks the posting lists found
// (single-term queries match there, sharing their hits, and so do ORs of
// distinct words and prefixes and either with one negated word, "a -b",
// from the terms found) and evaluates only the remaining candidates,
// against the story's token positions (phrases by position adjacency). Results equal query.(*Query).Eval for
// every subscription.
package index

import (
	"sync"

	"github.com/newsalert/newsalert/subscriptions/query"
)

// Match is one subscription matching a story.
type Match struct {
	ID uint64
	// Hits are the positive terms of the query found in the story, as
	// query.(*Query).Eval reports them (same set, same order).
	Hits []query.Hit
}

// Index is a set of subscriptions, each an id and a query, that matches
// stories against all of them at once. It is safe for concurrent use:
// any number of Match calls may run while Add and Remove are applied.
// Add and Remove cost time proportional to the query's size, never a
// rebuild. The zero Index is not usable; call New.
type Index struct {
	mu    sync.RWMutex
	ids   map[uint64]uint32 // subscription id -> arena offset of its block
	arena arena
	dict  dict
	prog  []uint32  // compile buffer, used under mu
	pool  sync.Pool // *scratch for Match
}

// New returns an empty index.
func New() *Index {
	x := &Index{
		ids:  make(map[uint64]uint32),
		dict: newDict(),
	}
	x.pool.New = func() any { return new(scratch) }
	return x
}

// Len returns the number of subscriptions.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// Add adds subscription id with query q, replacing any query id had. A
// nil or zero Query removes id instead, as do queries beyond what a
// compiled program can hold (far above query.DefaultLimits) and, once the
// arena holds 2^30 words (4 GiB), any further one.
func (x *Index) Add(id uint64, q *query.Query) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(id)
	if q == nil || q.Root() == nil {
		return
	}
	root := q.Root()
	plen := progSize(root)
	if plen < 0 || plen > maxBlock/2-1 || x.arena.full(1+2*plen) {
		return
	}
	prog := x.emit(x.prog[:0], root, false)
	x.prog = prog[:0]
	cov, check, ok := x.plan(root)
	if !ok {
		x.releaseProg(prog) // not a parsed query: it has no cover
		return
	}

	n := 1 + plen + 2*len(cov.ids)
	off := x.arena.alloc(n)
	blk := x.arena.block(off, n)
	blk[0] = uint32(plen)<<16 | uint32(len(cov.ids))
	copy(blk[1:], prog)
	ref := off
	if len(cov.ids) > 1 {
		ref |= flagMulti
	}
	// Queries that the terms found decide, without evaluation: a word or
	// a prefix, an OR of them, either with a negated word ("a -b").
	orTrivial := false
	if root.Op == query.OpTerm && root.Term.Kind != query.Phrase {
		ref |= flagTrivial
		check = scopeMask(root.Term.Scope)
	} else if pos, not := x.negated(root, check); pos != nil || root.Op == query.OpOr {
		if pos == nil {
			pos, not = root, 0
		}
		if pos.Op == query.OpTerm && pos.Term.Kind != query.Phrase && len(cov.ids) == 1 && x.termID(pos.Term) == cov.ids[0] {
			ref |= flagTrivial
			check = scopeMask(pos.Term.Scope) | not<<2
		} else if not < 1<<26 && x.orTrivial(pos, cov.ids) {
			ref |= flagTrivial // and flagMulti
			orTrivial, root = true, pos
			check = not << 6
		}
	}
	covers := blk[1+plen:]
	for i, tid := range cov.ids {
		ps := x.dict.postings(tid)
		covers[2*i] = tid
		covers[2*i+1] = uint32(len(*ps))
		if len(*ps) == 0 {
			x.dict.setListed(tid, true)
		}
		c := check
		if orTrivial {
			c |= scopeMask(root.Kids[i].Term.Scope) | uint32(i)<<2
		}
		*ps = append(*ps, posting{id: id, ref: ref, check: c})
	}
	x.ids[id] = off
}

// orTrivial reports whether root is an OR of distinct positive words and
// prefixes, listed under each of them in order (cov): the terms found
// decide the match and its hits without evaluation.
func (x *Index) orTrivial(root *query.Node, cov []uint32) bool {
	if root.Op != query.OpOr || len(root.Kids) != len(cov) || len(cov) < 2 || len(cov) > maxOrTrivial {
		return false
	}
	for i, k := range root.Kids {
		if k.Op != query.OpTerm || k.Term.Kind == query.Phrase || x.termID(k.Term) != cov[i] {
			return false
		}
	}
	return true
}

// negated returns, for a query "e -b" (b an unscoped word) whose check
// is "not b", the expression e and 1 + the id of b; nil for other queries.
func (x *Index) negated(root *query.Node, check uint32) (*query.Node, uint32) {
	if root.Op != query.OpAnd || len(root.Kids) != 2 ||
		check&checkKinds != checkNot || check&^checkKinds+1 >= checkIDLimit {
		return nil, 0
	}
	for i, neg := range root.Kids {
		if neg.Op != query.OpNot || neg.Kids[0].Op != query.OpTerm {
			continue
		}
		t := neg.Kids[0].Term
		if id, _ := x.dict.wordID(t.Words[0]); t.Kind == query.Word && t.Scope == query.Anywhere && checkNot|id == check {
			return root.Kids[1-i], id + 1
		}
	}
	return nil, 0
}

// blockLen returns the length of the block at off from its header.
func (x *Index) blockLen(off uint32) (plen, n int) {
	hdr := x.arena.block(off, 1)[0]
	plen = int(hdr >> 16)
	return plen, 1 + plen + 2*int(hdr&0xFFFF)
}

// Remove removes subscription id; it does nothing if there is none.
func (x *Index) Remove(id uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(id)
}

func (x *Index) remove(id uint64) {
	off, ok := x.ids[id]
	if !ok {
		return
	}
	plen, n := x.blockLen(off)
	blk := x.arena.block(off, n)
	for i := 1 + plen; i < n; i += 2 {
		x.unpost(blk[i], blk[i+1])
	}
	x.releaseProg(blk[1 : 1+plen])
	clear(blk)
	x.arena.release(off, n)
	delete(x.ids, id)
}

// unpost removes entry idx from the posting list of term tid, moving the
// last entry into its place and updating that subscription's record of
// where it is listed.
func (x *Index) unpost(tid, idx uint32) {
	ps := x.dict.postings(tid)
	last := uint32(len(*ps) - 1)
	if idx != last {
		moved := (*ps)[last]
		(*ps)[idx] = moved
		off := moved.ref & offMask
		plen, n := x.blockLen(off)
		covers := x.arena.block(off, n)[1+plen:]
		for i := 0; i < len(covers); i += 2 {
			if covers[i] == tid {
				covers[i+1] = idx
				break
			}
		}
	}
	*ps = (*ps)[:last]
	if last == 0 {
		x.dict.setListed(tid, false)
	}
	if c := cap(*ps); c > 64 && int(last) < c/4 {
		*ps = append(make([]posting, 0, 2*last), (*ps)...) // give memory back
	}
}
