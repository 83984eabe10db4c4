package textnorm

import (
	"hash/maphash"
	"strings"
)

// Doc is a story tokenised once for matching: its distinct terms, and for
// each term its positions in the title and in the text. Title and text have
// separate position spaces, each starting at 0, so a phrase never spans
// from the title into the text.
//
// A Doc is immutable after NewDoc and safe for concurrent use.
type Doc struct {
	terms  []string  // distinct terms in order of first occurrence
	lookup termTable // term -> index in terms
	spans  []span    // per term: its positions in pos
	pos    []int32   // positions, grouped by term, then by field
	stream []int32   // term index per token: title tokens, then text
	nTitle int       // number of title tokens at the start of stream
}

// span locates the positions of one term: title positions are
// pos[off:mid], text positions pos[mid:end], both ascending.
type span struct {
	off, mid, end int32
}

// NewDoc tokenises the title and text of a story.
func NewDoc(title, text string) *Doc {
	est := (len(title) + len(text)) / 6 // about one token per 6 bytes
	d := &Doc{
		terms:  make([]string, 0, est/2+1),
		stream: make([]int32, 0, est+1),
	}
	d.lookup.init(est/2 + 1)
	var arena strings.Builder
	var sc scanner
	for f, s := range [2]string{title, text} {
		sc.reset(s)
		for sc.next() {
			var idx int32
			var ok bool
			var h uint64
			if sc.verbatim {
				h = maphash.String(d.lookup.seed, sc.src)
				idx, ok = d.lookup.find(d.terms, sc.src, h)
			} else {
				h = maphash.Bytes(d.lookup.seed, sc.buf)
				idx, ok = d.lookup.findBytes(d.terms, sc.buf, h)
			}
			if !ok {
				term := sc.src
				if !sc.verbatim {
					term = intern(&arena, sc.buf)
				}
				idx = int32(len(d.terms))
				d.terms = append(d.terms, term)
				d.lookup.insert(d.terms, idx, h)
			}
			d.stream = append(d.stream, idx)
		}
		if f == int(Title) {
			d.nTitle = len(d.stream)
		}
	}

	// Group positions by term with a counting sort: count per term and
	// field, lay the groups out, then fill them in stream order so each
	// group is ascending.
	d.spans = make([]span, len(d.terms))
	for _, idx := range d.stream[:d.nTitle] {
		d.spans[idx].mid++ // title count for now
	}
	for _, idx := range d.stream[d.nTitle:] {
		d.spans[idx].end++ // text count for now
	}
	var off int32
	for i := range d.spans {
		sp := &d.spans[i]
		nt, nx := sp.mid, sp.end
		// mid and end become fill cursors for title and text.
		sp.off, sp.mid, sp.end = off, off, off+nt
		off += nt + nx
	}
	d.pos = make([]int32, off)
	for p, idx := range d.stream[:d.nTitle] {
		sp := &d.spans[idx]
		d.pos[sp.mid] = int32(p)
		sp.mid++
	}
	for p, idx := range d.stream[d.nTitle:] {
		sp := &d.spans[idx]
		d.pos[sp.end] = int32(p)
		sp.end++
	}
	return d
}

// NumTerms returns the number of distinct terms in the story.
func (d *Doc) NumTerms() int { return len(d.terms) }

// Term returns distinct term i, 0 <= i < NumTerms(), in order of first
// occurrence (title first).
func (d *Doc) Term(i int) string { return d.terms[i] }

// Lookup returns the index of a normalised term, or false when the story
// does not contain it.
func (d *Doc) Lookup(term string) (int, bool) {
	i, ok := d.lookup.find(d.terms, term, maphash.String(d.lookup.seed, term))
	return int(i), ok
}

// Positions returns the ascending token positions of term i in field f;
// empty when the term does not occur there. The slice must not be modified.
func (d *Doc) Positions(i int, f Field) []int32 {
	sp := d.spans[i]
	if f == Title {
		return d.pos[sp.off:sp.mid:sp.mid]
	}
	return d.pos[sp.mid:sp.end:sp.end]
}

// In reports whether term i occurs in field f.
func (d *Doc) In(i int, f Field) bool {
	sp := d.spans[i]
	if f == Title {
		return sp.mid > sp.off
	}
	return sp.end > sp.mid
}

// Stream returns the tokens of field f as term indexes, in text order:
// Stream(f)[p] is the index of the term at position p. The slice must not
// be modified.
func (d *Doc) Stream(f Field) []int32 {
	if f == Title {
		return d.stream[:d.nTitle:d.nTitle]
	}
	return d.stream[d.nTitle:len(d.stream):len(d.stream)]
}

// Len returns the number of tokens in field f.
func (d *Doc) Len(f Field) int {
	if f == Title {
		return d.nTitle
	}
	return len(d.stream) - d.nTitle
}

// termTable is an open-addressing hash set of term indexes keyed by the
// term text, cheaper to build per story than a Go map.
type termTable struct {
	seed  maphash.Seed
	slots []int32 // term index + 1; 0 is empty
	n     int
}

func (t *termTable) init(hint int) {
	t.seed = maphash.MakeSeed()
	size := 16
	for size < 2*hint {
		size <<= 1
	}
	t.slots = make([]int32, size)
}

func (t *termTable) find(terms []string, s string, h uint64) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, false
		}
		if terms[v-1] == s {
			return v - 1, true
		}
	}
}

// findBytes is find for a term held in a byte slice.
func (t *termTable) findBytes(terms []string, b []byte, h uint64) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, false
		}
		if terms[v-1] == string(b) { // no allocation for the comparison
			return v - 1, true
		}
	}
}

// insert adds term index idx, whose text is terms[idx], with hash h.
func (t *termTable) insert(terms []string, idx int32, h uint64) {
	if 2*(t.n+1) > len(t.slots) {
		old := t.slots
		t.slots = make([]int32, 2*len(old))
		t.n = 0
		for _, v := range old {
			if v != 0 {
				t.put(v, maphash.String(t.seed, terms[v-1]))
			}
		}
	}
	t.put(idx+1, h)
}

func (t *termTable) put(v int32, h uint64) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = v
	t.n++
}
