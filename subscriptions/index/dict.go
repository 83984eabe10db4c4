package index

import "unicode/utf8"

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
	// check rejects stories the subscription cannot match, before its
	// program is read: by its top two bits, the id of a word the story
	// must contain (checkWord), the first three bytes of a prefix some
	// story token must start with (checkHead), or the id of a word the
	// story must not contain (checkNot); noTerm if none. For flagTrivial
	// entries, the field mask of the query's scope instead.
	check uint32
}

// Kinds of posting checks, in the top two bits.
const (
	checkWord    = 0
	checkHead    = 1 << 30
	checkNot     = 2 << 30
	checkKinds   = 3 << 30
	checkIDLimit = 1 << 30 // term ids a check can name
)

const (
	// flagMulti marks subscriptions listed under several terms (an OR
	// group covers them); they are deduplicated per story.
	flagMulti = 1 << 31
	// flagTrivial marks queries that are exactly one positive word or
	// prefix, or that and a negated word ("a -b"): the terms found decide
	// the match without evaluation. The check is then the scope mask |
	// (1 + the id of the negated word, or 0) << 2.
	// With flagMulti, it marks an OR of up to maxOrTrivial distinct
	// positive words and prefixes, possibly with a negated word (see
	// orTrivial), whose postings' check is the leaf's scope mask | the
	// leaf's index << 2 | (1 + the id of the negated word, or 0) << 6.
	flagTrivial = 1 << 30
	// maxOrTrivial bounds the leaves of an OR handled without evaluation.
	maxOrTrivial = 16
	offMask      = 1<<30 - 1

	noTerm = ^uint32(0)
)

// term is a dictionary entry: a word or a prefix shared by all
// subscriptions that use it.
type term struct {
	text string // the word, or the prefix without '*'
	hit  string // as reported in a Hit: text, or text + "*"
	refs uint32 // program leaves and phrase words referring to it
	kind uint8
}

// dict interns words and prefixes as dense term ids.
type dict struct {
	chunks [][]term
	n      uint32 // ids handed out so far
	free   []uint32
	tab    termTab // (kind, text) -> id
	// Match looks up the prefixes of story tokens only for listed
	// prefixes (with postings); prefixes that are only leaves of compiled
	// queries are checked against the story when a candidate needs them.
	// Those lookups are filtered by the token's head (first 3 bytes): lengths[headSlot(head)] has bit lengthBit(n) set when some
	// prefix of n bytes has a head hashing to that slot, so a token is
	// looked up only for the prefix lengths that may exist. Slots are
	// shared by heads; lengthCounts counts the prefixes behind each bit.
	lengths      []uint64
	lengthCounts map[uint32]uint32 // headSlot<<6 | lengthBit -> prefixes
	// A second filter has one bit per hash of a whole prefix key, set
	// while some prefix hashes to it, so most lengths that pass the first
	// filter but name no prefix cost a bit test in 128 KiB instead of a
	// probe of the term table. prefixCounts counts the prefixes behind
	// each bit; a count that reaches 255 stays, keeping its bit set.
	prefixBits      []uint64
	prefixCounts    []uint8
	nPrefixes       int // prefix terms
	nListedPrefixes int // prefix terms with postings
}

// prefixBitsLog2 sizes the prefix filter: 2^20 bits.
const prefixBitsLog2 = 20

// prefixBit returns the prefix filter bit of a prefix key.
func prefixBit(k tkey) uint32 {
	h := (k.k0*0x9E3779B97F4A7C15 ^ k.k1*0xC2B2AE3D27D4EB4F) + uint64(k.meta)*0x165667B19E3779F9
	return uint32(h >> (64 - prefixBitsLog2))
}

// mayHavePrefix reports whether the prefix with key k may be in the
// dictionary.
func (d *dict) mayHavePrefix(k tkey) bool {
	b := prefixBit(k)
	return d.prefixBits[b>>6]&(1<<(b&63)) != 0
}

// headSlotBits sizes the prefix length filter: 4096 words (32 KiB), small
// enough to stay in cache.
const headSlotBits = 12

func newDict() dict {
	return dict{
		tab:          newTermTab(),
		lengths:      make([]uint64, 1<<headSlotBits),
		lengthCounts: make(map[uint32]uint32),
		prefixBits:   make([]uint64, 1<<(prefixBitsLog2-6)),
		prefixCounts: make([]uint8, 1<<prefixBitsLog2),
	}
}

// headSlot returns the filter slot of a token whose packed first bytes are
// k0 (at least 3 bytes).
func headSlot(k0 uint64) uint32 {
	return uint32(k0&0xFFFFFF) * 0x9E3779B1 >> (32 - headSlotBits)
}

func (d *dict) text(id uint32) string { return d.at(id).text }

// lookup returns the id of a word or prefix.
func (d *dict) lookup(kind uint8, text string) (uint32, bool) {
	return d.tab.find(keyOf(kind, text), text, d.text)
}

// prefixID returns the id of a prefix.
func (d *dict) prefixID(p string) (uint32, bool) { return d.lookup(kindPrefix, p) }

// wordID returns the id of a word.
func (d *dict) wordID(w string) (uint32, bool) { return d.lookup(kindWord, w) }

// postings returns the posting list of term id (subscriptions listed
// under it), in its term table slot: valid until the next intern.
func (d *dict) postings(id uint32) *[]posting {
	t := d.at(id)
	return &d.tab.slot(keyOf(t.kind, t.text), t.text, d.text).postings
}

// setListed records whether term id has postings: the prefix filters
// hold the prefixes with postings only.
func (d *dict) setListed(id uint32, listed bool) {
	t := d.at(id)
	if t.kind != kindPrefix {
		return
	}
	k := keyOf(t.kind, t.text)
	key := headSlot(k.k0)<<6 | lengthBit(len(t.text))
	b := prefixBit(k)
	if listed {
		d.nListedPrefixes++
		d.lengthCounts[key]++
		d.lengths[key>>6] |= 1 << (key & 63)
		if d.prefixCounts[b] < 255 {
			d.prefixCounts[b]++
		}
		d.prefixBits[b>>6] |= 1 << (b & 63)
		return
	}
	d.nListedPrefixes--
	if d.lengthCounts[key]--; d.lengthCounts[key] == 0 {
		delete(d.lengthCounts, key)
		d.lengths[key>>6] &^= 1 << (key & 63)
	}
	if c := d.prefixCounts[b]; c < 255 {
		if d.prefixCounts[b] = c - 1; c == 1 {
			d.prefixBits[b>>6] &^= 1 << (b & 63)
		}
	}
}

func (d *dict) at(id uint32) *term {
	return &d.chunks[id>>termChunkBits][id&(termChunkSize-1)]
}

// intern returns the id of a word or prefix, creating it if needed, and
// takes a reference on it.
func (d *dict) intern(kind uint8, text string) uint32 {
	k := keyOf(kind, text)
	if id, ok := d.tab.find(k, text, d.text); ok {
		d.at(id).refs++
		return id
	}
	var id uint32
	if n := len(d.free); n > 0 {
		id = d.free[n-1]
		d.free = d.free[:n-1]
	} else {
		id = d.n
		if id&(termChunkSize-1) == 0 {
			d.chunks = append(d.chunks, make([]term, termChunkSize))
		}
		d.n++
	}
	t := d.at(id)
	*t = term{text: text, hit: text, refs: 1, kind: kind}
	d.tab.insert(k, text, id, d.text)
	if kind == kindPrefix {
		t.hit = text + "*"
		d.nPrefixes++
	}
	return id
}

// release drops a reference on a term, deleting the term with its last
// reference. The term's posting list must be empty by then.
func (d *dict) release(id uint32) {
	t := d.at(id)
	if t.refs--; t.refs > 0 {
		return
	}
	k := keyOf(t.kind, t.text)
	d.tab.remove(k, t.text, d.text)
	if t.kind == kindPrefix {
		d.nPrefixes--
	}
	*t = term{}
	d.free = append(d.free, id)
}

// lengthBit is the bit of a length filter word for a prefix of n bytes.
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
	return w * float64(len(*d.postings(id))+1)
}
