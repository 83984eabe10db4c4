package index

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// Term kinds in the dictionary.
const (
	kindFree   uint8 = iota // unused id
	kindWord                // a whole normalised token
	kindPrefix              // a token prefix
)

// posting is one entry of a term's posting list: a subscription to
// consider when the term is in the story. It carries what Match needs
// before touching the subscription's block: its id, and a second term the
// story must contain.
type posting struct {
	id  uint64 // subscription id
	ref uint32 // arena offset of the subscription's block | flag bits
	// check is a term that must also be in the story for the
	// subscription to match (noTerm if none); for flagTrivial entries, the
	// field mask of the query's scope instead.
	check uint32
}

const (
	// flagMulti marks subscriptions listed under several terms (an OR
	// group covers them); they are deduplicated per story.
	flagMulti = 1 << 31
	// flagTrivial marks queries that are exactly this one positive word or
	// prefix: the term's presence decides the match without evaluation.
	flagTrivial = 1 << 30
	offMask     = 1<<30 - 1

	noTerm = ^uint32(0)
)

// term is a dictionary entry: a word or a prefix shared by all
// subscriptions that use it.
type term struct {
	text     string    // the word, or the prefix without '*'
	hit      string    // as reported in a Hit: text, or text + "*"
	postings []posting // subscriptions anchored on this term
	refs     uint32    // program leaves and phrase words referring to it
	kind     uint8
}

// dict interns words and prefixes as dense term ids.
type dict struct {
	chunks [][]term
	n      uint32 // ids handed out so far
	free   []uint32
	words  map[string]uint32
	// Prefixes are grouped by their first 3 bytes (their head): heads maps
	// a head to its group in groups. A story token then costs one head
	// lookup and, for each prefix length present in the group, a binary
	// search in the group's short prefixes (contiguous, so mostly cached)
	// or a map lookup for prefixes longer than 8 bytes.
	heads        u64map // head -> index in groups
	groups       []prefixGroup
	freeGroups   []uint32
	longPrefixes map[string]uint32
	nPrefixes    int
	headCounts   map[uint32]uint32 // head<<6 | lengthBit -> number of prefixes
}

// prefixGroup holds the prefixes sharing a head.
type prefixGroup struct {
	// mask has bit lengthBit(n) set when the group has a prefix of n
	// bytes: bit n for n <= 63, bit 0 for longer ones.
	mask uint64
	// short are the prefixes of at most 8 bytes, keyed by their bytes
	// packed in a uint64 (tokens never contain a zero byte), sorted.
	short []prefixEntry
}

type prefixEntry struct {
	key uint64
	id  uint32
}

// find returns the id of the short prefix with the given key.
func (g *prefixGroup) find(key uint64) (uint32, bool) {
	lo, hi := 0, len(g.short)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if g.short[m].key < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(g.short) && g.short[lo].key == key {
		return g.short[lo].id, true
	}
	return 0, false
}

// insert adds a short prefix.
func (g *prefixGroup) insert(key uint64, id uint32) {
	i, _ := slices.BinarySearchFunc(g.short, key, func(e prefixEntry, k uint64) int { return cmp.Compare(e.key, k) })
	g.short = slices.Insert(g.short, i, prefixEntry{key: key, id: id})
}

// remove deletes a short prefix.
func (g *prefixGroup) remove(key uint64) {
	if i, ok := slices.BinarySearchFunc(g.short, key, func(e prefixEntry, k uint64) int { return cmp.Compare(e.key, k) }); ok {
		g.short = slices.Delete(g.short, i, i+1)
	}
}

func newDict() dict {
	return dict{
		words:        make(map[string]uint32),
		heads:        newU64map(),
		longPrefixes: make(map[string]uint32),
		headCounts:   make(map[uint32]uint32),
	}
}

// group returns the prefix group of a head, or nil.
func (d *dict) group(head uint32) *prefixGroup {
	gi, ok := d.heads.get(uint64(head))
	if !ok {
		return nil
	}
	return &d.groups[gi]
}

// pack returns the bytes of s (at most 8) as a uint64, first byte lowest.
func pack(s string) uint64 {
	var v uint64
	for i := min(len(s), 8) - 1; i >= 0; i-- {
		v = v<<8 | uint64(s[i])
	}
	return v
}

// prefixID returns the id of a prefix.
func (d *dict) prefixID(p string) (uint32, bool) {
	if len(p) <= 8 {
		if g := d.group(headKey(p)); g != nil {
			return g.find(pack(p))
		}
		return 0, false
	}
	id, ok := d.longPrefixes[p]
	return id, ok
}

func (d *dict) at(id uint32) *term {
	return &d.chunks[id>>termChunkBits][id&(termChunkSize-1)]
}

// intern returns the id of a word or prefix, creating it if needed, and
// takes a reference on it.
func (d *dict) intern(kind uint8, text string) uint32 {
	var id uint32
	var ok bool
	if kind == kindPrefix {
		id, ok = d.prefixID(text)
	} else {
		id, ok = d.words[text]
	}
	if ok {
		d.at(id).refs++
		return id
	}
	if k := len(d.free); k > 0 {
		id = d.free[k-1]
		d.free = d.free[:k-1]
	} else {
		id = d.n
		if id&(termChunkSize-1) == 0 {
			d.chunks = append(d.chunks, make([]term, termChunkSize))
		}
		d.n++
	}
	t := d.at(id)
	*t = term{text: text, hit: text, refs: 1, kind: kind}
	if kind == kindWord {
		d.words[text] = id
		return id
	}
	t.hit = text + "*"
	d.nPrefixes++
	head, bit := headKey(text), lengthBit(len(text))
	g := d.group(head)
	if g == nil {
		var gi uint32
		if k := len(d.freeGroups); k > 0 {
			gi = d.freeGroups[k-1]
			d.freeGroups = d.freeGroups[:k-1]
		} else {
			gi = uint32(len(d.groups))
			d.groups = append(d.groups, prefixGroup{})
		}
		d.heads.put(uint64(head), uint64(gi))
		g = &d.groups[gi]
	}
	if len(text) <= 8 {
		g.insert(pack(text), id)
	} else {
		d.longPrefixes[text] = id
	}
	d.headCounts[head<<6|bit]++
	g.mask |= 1 << bit
	return id
}

// release drops a reference on a term, deleting the term with its last
// reference. The term's posting list must be empty by then.
func (d *dict) release(id uint32) {
	t := d.at(id)
	if t.refs--; t.refs > 0 {
		return
	}
	switch t.kind {
	case kindWord:
		delete(d.words, t.text)
	case kindPrefix:
		d.nPrefixes--
		head, bit := headKey(t.text), lengthBit(len(t.text))
		gi, _ := d.heads.get(uint64(head))
		g := &d.groups[gi]
		if len(t.text) <= 8 {
			g.remove(pack(t.text))
		} else {
			delete(d.longPrefixes, t.text)
		}
		key := head<<6 | bit
		if d.headCounts[key]--; d.headCounts[key] == 0 {
			delete(d.headCounts, key)
			if g.mask &^= 1 << bit; g.mask == 0 {
				*g = prefixGroup{}
				d.heads.delete(uint64(head))
				d.freeGroups = append(d.freeGroups, uint32(gi))
			}
		}
	}
	*t = term{}
	d.free = append(d.free, id)
}

// headKey packs the first three bytes of s (len(s) >= 3).
func headKey(s string) uint32 {
	return uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2])
}

// lengthBit is the bit of the heads mask for a prefix of n bytes.
func lengthBit(n int) uint32 {
	if n > 63 {
		return 0
	}
	return uint32(n)
}

// cost estimates how often a term will make its subscriptions candidates:
// short words are common in text (Zipf's law of abbreviation), and terms
// that already anchor many subscriptions should not anchor more. Lower is
// better.
func (d *dict) cost(id uint32) float64 {
	t := d.at(id)
	runes := utf8.RuneCountInString(t.text)
	w := 1.0
	if runes < 8 {
		w = float64(uint(1) << (8 - runes))
	}
	if t.kind == kindPrefix {
		w *= 4 // a prefix matches several words
	}
	return w * float64(len(t.postings)+1)
}
