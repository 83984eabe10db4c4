package index

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/newsalert/newsalert/subscriptions/query"
	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// tokHeadBits sizes the story's token head filter: 2^14 bits, so a story
// of 600 distinct tokens passes a check of an absent head 4% of the time.
const tokHeadBits = 14

func tokHeadBit(h uint32) uint32 { return h * 0x9E3779B1 >> (32 - tokHeadBits) }

// scratch is per-call working memory for Match, pooled per Index.
type scratch struct {
	present u32map // term id -> (story term index + 1) << 2 | field mask
	// words has bit id set for each word id in present: the checks of
	// the postings walked test it, cheaper than a lookup in present.
	words     []uint64
	wordsUsed []uint32 // indexes of the non-zero elements of words
	// tokHeads has bit headBit(h) set for the first three bytes h of each
	// story token, for checkHead.
	tokHeads [1 << (tokHeadBits - 6)]uint64
	seen     u32map // blocks of multi-cover subscriptions already seen
	probes   []probe
	toks     []tokKey // packed first bytes of each story term
	// Story tokens by their first three bytes, for storyPrefix: heads
	// maps a head to 1 + the last token index with it, next chains to the
	// previous one (0 ends).
	heads      u32map
	next       []int32
	headsBuilt bool
	stack      []bool
	idx        []int32 // story term indexes of a phrase's words
	hits       []query.Hit
	res        []result
	texts      []string
	buf        []byte
	strs       *strings.Builder // phrase hit texts of this call
	lists      []foundList      // found terms with postings
	cands      []cand           // subscriptions to evaluate
	// Matching ORs of words and prefixes (flagTrivial|flagMulti), each
	// with its found leaves in a list ordered by leaf index.
	ors    []orMatch
	orHits []orHit
	sink   uint32 // keeps touching loads from being optimised away
}

type tokKey struct {
	k0, k1 uint64
	n      int32 // length
}

type foundList struct {
	postings []posting
	tid      uint32
	tok      int32 // the story term that is this word, or -1 for a prefix
}

type cand struct {
	id  uint64
	off uint32 // arena offset of the subscription's block
}

type orMatch struct {
	id   uint64
	head int32 // first of its orHits
}

type orHit struct {
	leaf uint32 // index of the leaf in the OR
	m    uint32 // fields found in
	list int32  // index in lists of the term's list
	next int32  // next orHit of the same OR, -1 ends
}

type result struct {
	id       uint64
	from, to int32 // hits[from:to]
}

// Match appends to dst the subscriptions matching the story, each once, in
// no particular order, and returns the extended slice. The story is
// tokenised once by textnorm.NewDoc (query.NewDoc) and may be matched by
// any number of indexes and goroutines. The Hits of one call share one
// allocation, and matches with identical hits may share elements, so Hits
// must not be modified (appending is safe: their capacity ends with them).
// dst may be reused across calls.
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
	sc.lists = sc.lists[:0]
	sc.headsBuilt = false
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

// probe is a dictionary lookup Match will make: a story token, or one of
// its prefixes.
type probe struct {
	k    tkey
	home uint32 // slot the term would hash to
	tok  int32  // index of the story term
	n    int32  // length of the word or prefix looked up
}

// findTerms records the dictionary terms (words and prefixes) that occur in
// the story, with the fields they occur in. The term table is far larger
// than the CPU caches, so it works in phases: compute every lookup's slot,
// load the slots in a loop of independent loads (the CPU overlaps their
// cache misses), then resolve the lookups.
func (x *Index) findTerms(d *textnorm.Doc, sc *scratch) {
	dt := &x.dict
	hasPrefixes := dt.nListedPrefixes > 0
	for _, i := range sc.wordsUsed {
		sc.words[i] = 0
	}
	sc.wordsUsed = sc.wordsUsed[:0]
	if n := int(dt.n+63) / 64; len(sc.words) < n {
		sc.words = make([]uint64, n+n/4)
	}
	clear(sc.tokHeads[:])
	probes := sc.probes[:0]
	toks := sc.toks[:0]
	for i, n := 0, d.NumTerms(); i < n; i++ {
		t := d.Term(i)
		k0, k1 := pack16(t)
		k := tkey{k0, k1, uint32(len(t)) << 1}
		toks = append(toks, tokKey{k0, k1, int32(len(t))})
		if len(t) >= 3 {
			b := tokHeadBit(uint32(k0 & 0xFFFFFF))
			sc.tokHeads[b>>6] |= 1 << (b & 63)
		}
		probes = append(probes, probe{k: k, home: uint32(dt.tab.home(dt.tab.hash(k, t))), tok: int32(i), n: int32(len(t))})
		if hasPrefixes && len(t) >= 3 {
			probes = x.prefixProbes(probes, t, int32(i), k0, k1)
		}
	}
	sc.probes = probes
	sc.toks = toks
	slots := dt.tab.slots
	var sink uint32
	for _, p := range probes {
		sink += slots[p.home].meta // touch
	}
	sc.sink += sink
	for _, p := range probes {
		t := d.Term(int(p.tok))
		e := dt.tab.slotFrom(p.k, t[:p.n], uint64(p.home), dt.text)
		if e == nil {
			continue
		}
		id := e.id
		if len(e.postings) > 0 {
			if p.k.meta&1 == 0 {
				sc.lists = append(sc.lists, foundList{postings: e.postings, tid: id, tok: p.tok})
			} else if !sc.present.has(id) {
				sc.lists = append(sc.lists, foundList{postings: e.postings, tid: id, tok: -1})
			}
		}
		var m uint32
		if d.In(int(p.tok), textnorm.Title) {
			m |= maskTitle
		}
		if d.In(int(p.tok), textnorm.Text) {
			m |= maskText
		}
		if p.k.meta&1 == 0 {
			sc.present.put(id, uint32(p.tok+1)<<2|m)
			sc.words[id>>6] |= 1 << (id & 63)
			sc.wordsUsed = append(sc.wordsUsed, id>>6)
		} else {
			markPrefix(id, m, sc)
		}
	}
}

// prefixProbes appends the lookups of the dictionary prefixes that story
// token t (number tok, first 16 bytes packed in k0, k1) may have.
func (x *Index) prefixProbes(probes []probe, t string, tok int32, k0, k1 uint64) []probe {
	dt := &x.dict
	add := func(n int) {
		if k := prefixKey(k0, k1, n); dt.mayHavePrefix(k) {
			probes = append(probes, probe{k: k, home: uint32(dt.tab.home(dt.tab.hash(k, t[:n]))), tok: tok, n: int32(n)})
		}
	}
	lengths := dt.lengths[headSlot(k0)]
	if lengths&1 != 0 { // prefixes longer than 63 bytes
		lengths &^= 1
		for n := 64; n <= len(t); n++ {
			add(n)
		}
	}
	for lengths != 0 {
		n := bits.TrailingZeros64(lengths)
		lengths &= lengths - 1
		if n > len(t) {
			break // the remaining lengths are longer still
		}
		add(n)
	}
	return probes
}

func markPrefix(id uint32, m uint32, sc *scratch) {
	if old, had := sc.present.get(id); had {
		sc.present.put(id, old|m)
		return
	}
	sc.present.put(id, m)
}

// matchFound matches the subscriptions listed under the terms found in
// the story. The index is far larger than the CPU caches, so the work is
// done in phases whose loops issue independent loads (term entries, then
// posting lists, then candidate programs): the CPU overlaps their cache
// misses instead of waiting for one dependent chain per term.
func (x *Index) matchFound(d *textnorm.Doc, sc *scratch) {
	lists := sc.lists
	var sink uint32
	for _, l := range lists {
		// Touch every cache line of the list (4 postings each), so the
		// loads overlap instead of waiting for the walk below.
		for j := 0; j < len(l.postings); j += 4 {
			sink += l.postings[j].check
		}
		if l.tok < 0 {
			sink += x.dict.at(l.tid).refs // a prefix: its hit text is there
		}
	}
	cands := sc.cands[:0]
	sc.ors, sc.orHits = sc.ors[:0], sc.orHits[:0]
	for li, l := range lists {
		v, _ := sc.present.get(l.tid)
		// The single-term queries of this term that match share their
		// hits: the term in the title, then in the text, as v has them.
		base, end := int32(-1), int32(0)
		for _, p := range l.postings {
			if p.ref&flagTrivial != 0 {
				m := v & p.check & maskBoth
				if m == 0 {
					continue
				}
				if p.ref&flagMulti != 0 {
					if not := p.check >> 6; not != 0 {
						if not--; sc.words[not>>6]&(1<<(not&63)) != 0 {
							continue
						}
					}
					sc.addOrHit(p, m, int32(li))
					continue
				}
				if not := p.check >> 2; not != 0 {
					if not--; sc.words[not>>6]&(1<<(not&63)) != 0 {
						continue
					}
				}
				if base < 0 {
					base = int32(len(sc.hits))
					var hit string
					if l.tok >= 0 {
						hit = d.Term(int(l.tok)) // the word itself
					} else {
						hit = x.dict.at(l.tid).hit
					}
					if v&maskTitle != 0 {
						sc.hits = append(sc.hits, query.Hit{Term: hit, Field: textnorm.Title})
					}
					if v&maskText != 0 {
						sc.hits = append(sc.hits, query.Hit{Term: hit, Field: textnorm.Text})
					}
					end = int32(len(sc.hits))
				}
				from, to := base, end
				if m != v&maskBoth { // one field of two
					if m == maskTitle {
						to = from + 1
					} else {
						from = to - 1
					}
				}
				sc.res = append(sc.res, result{id: p.id, from: from, to: to})
				continue
			}
			if c := p.check; c != noTerm {
				switch c & checkKinds {
				case checkWord:
					if sc.words[c>>6]&(1<<(c&63)) == 0 {
						continue
					}
				case checkHead:
					if b := tokHeadBit(c &^ checkKinds); sc.tokHeads[b>>6]&(1<<(b&63)) == 0 {
						continue
					}
				case checkNot:
					if c &^= checkKinds; sc.words[c>>6]&(1<<(c&63)) != 0 {
						continue
					}
				}
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
	for _, r := range sc.ors {
		from := int32(len(sc.hits))
		for j := r.head; j >= 0; j = sc.orHits[j].next {
			h := sc.orHits[j]
			l := lists[h.list]
			var hit string
			if l.tok >= 0 {
				hit = d.Term(int(l.tok))
			} else {
				hit = x.dict.at(l.tid).hit
			}
			if h.m&maskTitle != 0 {
				sc.hits = append(sc.hits, query.Hit{Term: hit, Field: textnorm.Title})
			}
			if h.m&maskText != 0 {
				sc.hits = append(sc.hits, query.Hit{Term: hit, Field: textnorm.Text})
			}
		}
		sc.res = append(sc.res, result{id: r.id, from: from, to: int32(len(sc.hits))})
	}
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

// addOrHit records that leaf p.check>>2&15 of the OR listed in posting p is
// found in fields m, keeping each OR's leaves in leaf order (the order of
// the query, as Eval reports hits).
func (sc *scratch) addOrHit(p posting, m uint32, list int32) {
	off := p.ref & offMask
	h := orHit{leaf: p.check >> 2 & (maxOrTrivial - 1), m: m, list: list, next: -1}
	idx := int32(len(sc.orHits))
	ri, ok := sc.seen.get(off)
	if !ok {
		sc.seen.put(off, uint32(len(sc.ors)))
		sc.ors = append(sc.ors, orMatch{id: p.id, head: idx})
		sc.orHits = append(sc.orHits, h)
		return
	}
	r := &sc.ors[ri]
	if sc.orHits[r.head].leaf > h.leaf {
		h.next, r.head = r.head, idx
	} else {
		j := r.head
		for n := sc.orHits[j].next; n >= 0 && sc.orHits[n].leaf < h.leaf; n = sc.orHits[j].next {
			j = n
		}
		h.next = sc.orHits[j].next
		sc.orHits[j].next = idx
	}
	sc.orHits = append(sc.orHits, h)
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
	switch w >> kindShift & 3 {
	case leafWord:
		v, _ := sc.present.get(ids[0])
		return v & maskBoth
	case leafPrefix:
		v, ok := sc.present.get(ids[0])
		if !ok {
			v = x.storyPrefix(w, ids, d, sc)
		}
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

// storyPrefix returns the fields where some story token starts with the
// prefix of leaf w, ids (see the program format), and caches the answer in
// sc.present. Match looks up the prefixes of story tokens only for
// prefixes with postings; the others, leaves of candidate queries only,
// are checked here, through an index of the story's tokens by their first
// three bytes built on first use, comparing packed bytes.
func (x *Index) storyPrefix(w uint32, ids []uint32, d *textnorm.Doc, sc *scratch) uint32 {
	if !sc.headsBuilt {
		sc.heads.reset(len(sc.toks))
		sc.next = sc.next[:0]
		for i, tk := range sc.toks {
			var prev uint32
			if tk.n >= 3 {
				h := uint32(tk.k0 & 0xFFFFFF)
				prev, _ = sc.heads.get(h)
				sc.heads.put(h, uint32(i+1))
			}
			sc.next = append(sc.next, int32(prev))
		}
		sc.headsBuilt = true
	}
	n := int(w >> plenShift & plenMask)
	k0 := uint64(ids[1]) | uint64(ids[2])<<32
	k1 := uint64(ids[3]) | uint64(ids[4])<<32
	var m uint32
	if n < 3 { // not from Parse, which requires 3 letters
		p := x.dict.at(ids[0]).text
		for i := range d.NumTerms() {
			if strings.HasPrefix(d.Term(i), p) {
				m |= fieldsOf(d, i)
			}
		}
	} else {
		var p string
		if n > 16 {
			p = x.dict.at(ids[0]).text
		}
		h, _ := sc.heads.get(uint32(k0 & 0xFFFFFF))
		for i := int(h); i != 0; i = int(sc.next[i-1]) {
			tk := sc.toks[i-1]
			if int(tk.n) < n {
				continue
			}
			if pk := prefixKey(tk.k0, tk.k1, min(n, 16)); pk.k0 != k0 || pk.k1 != k1 {
				continue
			}
			if n > 16 && !strings.HasPrefix(d.Term(i-1), p) {
				continue
			}
			m |= fieldsOf(d, i-1)
		}
	}
	sc.present.put(ids[0], m)
	return m
}

func fieldsOf(d *textnorm.Doc, i int) uint32 {
	var m uint32
	if d.In(i, textnorm.Title) {
		m |= maskTitle
	}
	if d.In(i, textnorm.Text) {
		m |= maskText
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
	words := sc.texts[:0]
	for _, id := range ids {
		words = append(words, x.dict.at(id).text)
	}
	sc.texts = words
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
