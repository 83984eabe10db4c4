package index

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
)

// termTab maps a term (its kind and text) to its id. It is an
// open-addressing table whose slots hold the first 16 bytes of the text
// packed in two words, so looking up a term of up to 16 bytes reads one
// slot and no string data: one cache miss at most, where a Go map of
// strings costs a second one for the key's bytes. Story tokens are looked
// up hundreds of times per story, and the table is far larger than the
// CPU caches at a million subscriptions.
//
// The hash is keyed by a per-table random seed so that users cannot
// choose terms that collide. Deletion shifts entries back (no tombstones).
type termTab struct {
	slots []tslot
	n     int
	bits  uint32
	seed  [3]uint64
	hseed maphash.Seed // for bytes beyond the first 16
}

// tslot is one slot; meta == 0 marks an empty one.
type tslot struct {
	k0, k1 uint64 // first 16 bytes of the text, first byte lowest, zero padded
	meta   uint32 // len(text)<<1 | 1 for a prefix; never 0 (terms are not empty)
	id     uint32
	// postings are the subscriptions listed under the term. They live in
	// the slot so that a story term's lookup also yields its posting list
	// without touching the term's entry; a slot is a whole cache line.
	postings []posting
	_        [16]byte
}

// tkey is a term's lookup key.
type tkey struct {
	k0, k1 uint64
	meta   uint32
}

func newTermTab() termTab {
	t := termTab{
		seed:  [3]uint64{rand.Uint64(), rand.Uint64(), rand.Uint64()},
		hseed: maphash.MakeSeed(),
	}
	t.alloc(64)
	return t
}

func (t *termTab) alloc(n int) {
	b := uint32(4)
	for 1<<b < n {
		b++
	}
	t.bits = b
	t.slots = make([]tslot, 1<<b)
}

// pack16 returns the first 16 bytes of s packed, first byte lowest.
func pack16(s string) (k0, k1 uint64) {
	if len(s) >= 16 {
		return le64(s), le64(s[8:])
	}
	if len(s) >= 8 {
		k0 = le64(s)
		for i := len(s) - 1; i >= 8; i-- {
			k1 = k1<<8 | uint64(s[i])
		}
		return k0, k1
	}
	for i := len(s) - 1; i >= 0; i-- {
		k0 = k0<<8 | uint64(s[i])
	}
	return k0, 0
}

func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// keyOf returns the key of a term of the given kind.
func keyOf(kind uint8, s string) tkey {
	k0, k1 := pack16(s)
	return tkey{k0: k0, k1: k1, meta: metaOf(kind, len(s))}
}

func metaOf(kind uint8, n int) uint32 {
	m := uint32(n) << 1
	if kind == kindPrefix {
		m |= 1
	}
	return m
}

// prefixKey returns the key of the prefix s[:n] of a string whose packed
// first 16 bytes are k0, k1; 0 < n <= len(s).
func prefixKey(k0, k1 uint64, n int) tkey {
	switch {
	case n < 8:
		k0 &= 1<<(8*n) - 1
		k1 = 0
	case n == 8:
		k1 = 0
	case n < 16:
		k1 &= 1<<(8*(n-8)) - 1
	}
	return tkey{k0: k0, k1: k1, meta: uint32(n)<<1 | 1}
}

// hash returns the hash of a key whose text is s (only bytes beyond 16 are
// read from s).
func (t *termTab) hash(k tkey, s string) uint64 {
	hi, lo := bits.Mul64(k.k0^t.seed[0], k.k1^t.seed[1])
	h := hi ^ lo ^ uint64(k.meta)
	if len(s) > 16 {
		h ^= maphash.String(t.hseed, s[16:])
	}
	hi, lo = bits.Mul64(h, t.seed[2]|1)
	return hi ^ lo
}

func (t *termTab) home(h uint64) uint64 { return h >> (64 - t.bits) }

// find returns the id of the term with key k and text s. Texts longer than
// 16 bytes are compared with text(id).
func (t *termTab) find(k tkey, s string, text func(uint32) string) (uint32, bool) {
	return t.findFrom(k, s, t.home(t.hash(k, s)), text)
}

// findFrom is find for a key whose home slot is known.
func (t *termTab) findFrom(k tkey, s string, home uint64, text func(uint32) string) (uint32, bool) {
	e := t.slotFrom(k, s, home, text)
	if e == nil {
		return 0, false
	}
	return e.id, true
}

// slotFrom returns the slot of a key whose home slot is known, or nil.
func (t *termTab) slotFrom(k tkey, s string, home uint64, text func(uint32) string) *tslot {
	mask := uint64(len(t.slots) - 1)
	for i := home; ; i = (i + 1) & mask {
		e := &t.slots[i]
		if e.meta == 0 {
			return nil
		}
		if e.meta == k.meta && e.k0 == k.k0 && e.k1 == k.k1 && (len(s) <= 16 || text(e.id) == s) {
			return e
		}
	}
}

// insert adds a term that is not in the table.
func (t *termTab) insert(k tkey, s string, id uint32, text func(uint32) string) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow(text)
	}
	t.put(tslot{k0: k.k0, k1: k.k1, meta: k.meta, id: id}, t.hash(k, s))
}

func (t *termTab) put(e tslot, h uint64) {
	mask := uint64(len(t.slots) - 1)
	i := t.home(h)
	for t.slots[i].meta != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = e
	t.n++
}

// grow doubles the table; text returns the text of a term id, needed to
// rehash terms longer than 16 bytes.
func (t *termTab) grow(text func(uint32) string) {
	old := t.slots
	t.alloc(2 * len(old))
	t.n = 0
	for _, e := range old {
		if e.meta != 0 {
			var s string
			if e.meta>>1 > 16 {
				s = text(e.id)
			}
			t.put(e, t.hash(tkey{e.k0, e.k1, e.meta}, s))
		}
	}
}

// slot returns the slot of a term that is in the table.
func (t *termTab) slot(k tkey, s string, text func(uint32) string) *tslot {
	mask := uint64(len(t.slots) - 1)
	for i := t.home(t.hash(k, s)); ; i = (i + 1) & mask {
		e := &t.slots[i]
		if e.meta == 0 {
			return nil
		}
		if e.meta == k.meta && e.k0 == k.k0 && e.k1 == k.k1 && (len(s) <= 16 || text(e.id) == s) {
			return e
		}
	}
}

// remove deletes the term with key k and text s, which is in the table.
func (t *termTab) remove(k tkey, s string, text func(uint32) string) {
	mask := uint64(len(t.slots) - 1)
	i := t.home(t.hash(k, s))
	for {
		e := &t.slots[i]
		if e.meta == 0 {
			return
		}
		if e.meta == k.meta && e.k0 == k.k0 && e.k1 == k.k1 && (len(s) <= 16 || text(e.id) == s) {
			break
		}
		i = (i + 1) & mask
	}
	// Shift later entries of the probe run back over the hole.
	for j := (i + 1) & mask; t.slots[j].meta != 0; j = (j + 1) & mask {
		e := t.slots[j]
		var es string
		if e.meta>>1 > 16 {
			es = text(e.id)
		}
		h := t.home(t.hash(tkey{e.k0, e.k1, e.meta}, es))
		// Move j to i if its home is not in the cyclic range (i, j].
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			t.slots[i] = e
			i = j
		}
	}
	t.slots[i] = tslot{}
	t.n--
}
