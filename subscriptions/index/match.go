package index

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/newsalert/newsalert/subscriptions/query"
	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// scratch is per-call working memory for Match, pooled per Index.
type scratch struct {
	present u32map   // term id -> (story term index + 1) << 2 | field mask
	seen    u32map   // blocks of multi-cover subscriptions already seen
	found   []uint32 // ids of the terms found in the story, each once
	stack   []bool
	idx     []int32 // story term indexes of a phrase's words
	hits    []query.Hit
	res     []result
	words   []string
	buf     []byte
	strs    *strings.Builder // phrase hit texts of this call
	lists   []foundList      // found terms with postings
	cands   []cand           // subscriptions to evaluate
	sink    uint32           // keeps touching loads from being optimised away
}

type foundList struct {
	t   *term
	tid uint32
}

type cand struct {
	id  uint64
	off uint32 // arena offset of the subscription's block
}

type result struct {
	id       uint64
	from, to int32 // hits[from:to]
}

// Match appends to dst the subscriptions matching the story, each once, in
// no particular order, and returns the extended slice. The story is
// tokenised once by textnorm.NewDoc (query.NewDoc) and may be matched by
// any number of indexes and goroutines. The Hits of one call share one
// allocation; dst may be reused across calls.
func (x *Index) Match(d *textnorm.Doc, dst []Match) []Match {
	if d == nil {
		return dst
	}
	sc := x.pool.Get().(*scratch)
	dst = x.match(d, dst, sc)
	sc.hits = sc.hits[:0]
	sc.strs = nil
	x.pool.Put(sc)
	return dst
}

func (x *Index) match(d *textnorm.Doc, dst []Match, sc *scratch) []Match {
	sc.present.reset(d.NumTerms())
	sc.seen.reset(0)
	sc.found = sc.found[:0]
	sc.hits = sc.hits[:0]
	sc.res = sc.res[:0]
	sc.strs = nil

	x.mu.RLock()
	x.findTerms(d, sc)
	x.matchFound(d, sc)
	x.mu.RUnlock()

	if len(sc.res) == 0 {
		return dst
	}
	hits := slices.Clone(sc.hits)
	for _, r := range sc.res {
		dst = append(dst, Match{ID: r.id, Hits: hits[r.from:r.to:r.to]})
	}
	return dst
}

// findTerms records the dictionary terms (words and prefixes) that occur in
// the story, with the fields they occur in.
func (x *Index) findTerms(d *textnorm.Doc, sc *scratch) {
	words, hasPrefixes := x.dict.words, x.dict.nPrefixes > 0
	for i, n := 0, d.NumTerms(); i < n; i++ {
		t := d.Term(i)
		var m uint32
		if d.In(i, textnorm.Title) {
			m |= maskTitle
		}
		if d.In(i, textnorm.Text) {
			m |= maskText
		}
		if id, ok := words[t]; ok {
			sc.present.put(id, uint32(i+1)<<2|m)
			sc.found = append(sc.found, id)
		}
		if hasPrefixes && len(t) >= 3 {
			x.findPrefixes(t, m, sc)
		}
	}
}

// findPrefixes records the dictionary prefixes of story token t.
func (x *Index) findPrefixes(t string, m uint32, sc *scratch) {
	g := x.dict.group(headKey(t))
	if g == nil {
		return
	}
	lengths, packed := g.mask, pack(t)
	for lengths != 0 {
		bit := bits.TrailingZeros64(lengths)
		lengths &= lengths - 1
		switch {
		case bit == 0: // prefixes longer than 63 bytes
			for n := 64; n <= len(t); n++ {
				if id, ok := x.dict.longPrefixes[t[:n]]; ok {
					markPrefix(id, m, sc)
				}
			}
		case bit > len(t):
			return // the remaining lengths are longer still
		case bit <= 8:
			if id, ok := g.find(packed & (1<<(8*bit) - 1)); ok {
				markPrefix(id, m, sc)
			}
		default:
			if id, ok := x.dict.longPrefixes[t[:bit]]; ok {
				markPrefix(id, m, sc)
			}
		}
	}
}

func markPrefix(id uint32, m uint32, sc *scratch) {
	if old, had := sc.present.get(id); had {
		sc.present.put(id, old|m)
		return
	}
	sc.present.put(id, m)
	sc.found = append(sc.found, id)
}

// matchFound matches the subscriptions listed under the terms found in
// the story. The index is far larger than the CPU caches, so the work is
// done in phases whose loops issue independent loads (term entries, then
// posting lists, then candidate programs): the CPU overlaps their cache
// misses instead of waiting for one dependent chain per term.
func (x *Index) matchFound(d *textnorm.Doc, sc *scratch) {
	lists := sc.lists[:0]
	for _, tid := range sc.found {
		if t := x.dict.at(tid); len(t.postings) > 0 {
			lists = append(lists, foundList{t: t, tid: tid})
		}
	}
	sc.lists = lists
	var sink uint32
	for _, l := range lists {
		sink += l.t.postings[0].check // touch
	}
	cands := sc.cands[:0]
	for _, l := range lists {
		v, _ := sc.present.get(l.tid)
		for _, p := range l.t.postings {
			if p.ref&flagTrivial != 0 {
				if m := v & p.check; m != 0 {
					from := len(sc.hits)
					if m&maskTitle != 0 {
						sc.hits = append(sc.hits, query.Hit{Term: l.t.hit, Field: textnorm.Title})
					}
					if m&maskText != 0 {
						sc.hits = append(sc.hits, query.Hit{Term: l.t.hit, Field: textnorm.Text})
					}
					sc.res = append(sc.res, result{id: p.id, from: int32(from), to: int32(len(sc.hits))})
				}
				continue
			}
			if p.check != noTerm && !sc.present.has(p.check) {
				continue
			}
			off := p.ref & offMask
			if p.ref&flagMulti != 0 {
				if sc.seen.has(off) {
					continue
				}
				sc.seen.put(off, 0)
			}
			cands = append(cands, cand{id: p.id, off: off})
		}
	}
	sc.cands = cands
	for _, c := range cands {
		sink += x.arena.block(c.off, 1)[0] // touch
	}
	for _, c := range cands {
		plen, _ := x.blockLen(c.off)
		from := len(sc.hits)
		if x.run(x.arena.block(c.off+1, plen), d, sc) {
			sc.res = append(sc.res, result{id: c.id, from: int32(from), to: int32(len(sc.hits))})
		}
	}
	sc.sink = sink
}

// run evaluates a compiled query, appending its hits to sc.hits when it
// matches.
func (x *Index) run(prog []uint32, d *textnorm.Doc, sc *scratch) bool {
	stack := sc.stack[:0]
	from := len(sc.hits)
	for i := 0; i < len(prog); {
		w := prog[i]
		if w&opBit == 0 {
			n := int(w & countMask)
			ids := prog[i+1 : i+1+n]
			i += 1 + n
			m := x.leafFields(w, ids, d, sc) & (w >> scopeShift & maskBoth)
			if m != 0 && w&posBit != 0 {
				x.addLeafHits(w, ids, m, from, sc)
			}
			stack = append(stack, m != 0)
			continue
		}
		i++
		n := len(stack)
		switch w >> opShift & 3 {
		case opNot:
			stack[n-1] = !stack[n-1]
		case opAnd:
			k := n - int(w&countMask)
			v := true
			for _, b := range stack[k:] {
				v = v && b
			}
			stack = append(stack[:k], v)
		case opOr:
			k := n - int(w&countMask)
			v := false
			for _, b := range stack[k:] {
				v = v || b
			}
			stack = append(stack[:k], v)
		}
	}
	sc.stack = stack
	if len(stack) != 1 || !stack[0] {
		sc.hits = sc.hits[:from]
		return false
	}
	return true
}

// leafFields returns the fields a leaf's term occurs in.
func (x *Index) leafFields(w uint32, ids []uint32, d *textnorm.Doc, sc *scratch) uint32 {
	if w>>kindShift&3 != leafPhrase {
		v, _ := sc.present.get(ids[0])
		return v & maskBoth
	}
	idx := sc.idx[:0]
	fields := uint32(maskBoth)
	for _, id := range ids {
		v, ok := sc.present.get(id)
		if !ok {
			return 0
		}
		fields &= v
		idx = append(idx, int32(v>>2)-1)
	}
	sc.idx = idx
	var m uint32
	for f := textnorm.Title; f <= textnorm.Text; f++ {
		if fields&(1<<f) != 0 && phraseIn(d, idx, f) {
			m |= 1 << f
		}
	}
	return m
}

// phraseIn reports whether the story terms idx occur at consecutive
// positions of field f.
func phraseIn(d *textnorm.Doc, idx []int32, f textnorm.Field) bool {
	// Anchor on the word with the fewest positions.
	anchor := 0
	for k := 1; k < len(idx); k++ {
		if len(d.Positions(int(idx[k]), f)) < len(d.Positions(int(idx[anchor]), f)) {
			anchor = k
		}
	}
next:
	for _, p := range d.Positions(int(idx[anchor]), f) {
		start := p - int32(anchor)
		if start < 0 {
			continue
		}
		for k, ti := range idx {
			if k == anchor {
				continue
			}
			if _, ok := slices.BinarySearch(d.Positions(int(ti), f), start+int32(k)); !ok {
				continue next
			}
		}
		return true
	}
	return false
}

// addLeafHits appends the hits of a positive leaf found in fields m,
// skipping those the query already has since hits[from].
func (x *Index) addLeafHits(w uint32, ids []uint32, m uint32, from int, sc *scratch) {
	if w>>kindShift&3 != leafPhrase {
		addFieldHits(sc, x.dict.at(ids[0]).hit, m, from)
		return
	}
	words := sc.words[:0]
	for _, id := range ids {
		words = append(words, x.dict.at(id).text)
	}
	sc.words = words
	sc.buf = textnorm.AppendJoin(sc.buf[:0], words)
	for f := textnorm.Title; f <= textnorm.Text; f++ {
		if m&(1<<f) == 0 || hasHit(sc.hits[from:], sc.buf, f) {
			continue
		}
		sc.hits = append(sc.hits, query.Hit{Term: sc.intern(sc.buf), Field: f})
	}
}

func addFieldHits(sc *scratch, text string, m uint32, from int) {
	for f := textnorm.Title; f <= textnorm.Text; f++ {
		if m&(1<<f) == 0 {
			continue
		}
		h := query.Hit{Term: text, Field: f}
		if !slices.Contains(sc.hits[from:], h) {
			sc.hits = append(sc.hits, h)
		}
	}
}

func hasHit(hits []query.Hit, text []byte, f textnorm.Field) bool {
	for _, h := range hits {
		if h.Field == f && h.Term == string(text) {
			return true
		}
	}
	return false
}

// intern returns b as a string from the builder of this Match call; the
// strings end up in the caller's Hits.
func (sc *scratch) intern(b []byte) string {
	if sc.strs == nil {
		sc.strs = new(strings.Builder)
	}
	if sc.strs.Cap()-sc.strs.Len() < len(b) {
		sc.strs.Grow(max(len(b), 2*sc.strs.Cap(), 256))
	}
	sc.strs.Write(b)
	s := sc.strs.String()
	return s[len(s)-len(b):]
}
