package index

// Flat storage for compiled subscriptions. Everything per subscription
// lives in a few large chunked slices of small fixed-size values, so a
// million subscriptions cost a few hundred heap objects, not millions, and
// growing never copies more than one chunk.
//
// A subscription's block in the arena is a header word (program length <<
// 16 | number of covers), the program, then per cover two words: the
// cover's term id and the index of the subscription's entry in that
// term's posting list.

const (
	blockChunkBits = 16
	blockChunkSize = 1 << blockChunkBits // uint32 words per arena chunk
	maxBlock       = 1 << 14             // largest block (program and covers)
	maxChunks      = 1 << 14             // offsets must fit in offMask

	termChunkBits = 12
	termChunkSize = 1 << termChunkBits // terms per chunk
)

// arena holds variable-length blocks of uint32 words. A block never
// spans chunks, so its offset stays valid for its whole life and growing
// the arena never moves a block. Freed blocks are reused by later blocks
// of the same length.
type arena struct {
	chunks [][]uint32
	used   int                 // words used in the last chunk
	free   map[uint32][]uint32 // block length -> offsets of free blocks
}

// full reports whether a block of n words might not fit.
func (a *arena) full(n int) bool {
	return len(a.free[uint32(n)]) == 0 && len(a.chunks) >= maxChunks && a.used+n > blockChunkSize
}

// alloc returns the offset of a new block of n words, 0 < n <= maxBlock,
// unless full(n).
func (a *arena) alloc(n int) uint32 {
	if offs := a.free[uint32(n)]; len(offs) > 0 {
		off := offs[len(offs)-1]
		a.free[uint32(n)] = offs[:len(offs)-1]
		return off
	}
	if len(a.chunks) == 0 || a.used+n > blockChunkSize {
		if len(a.chunks) > 0 && a.used < blockChunkSize {
			// Keep the tail of the full chunk for smaller blocks.
			a.release(uint32(len(a.chunks)-1)<<blockChunkBits|uint32(a.used), blockChunkSize-a.used)
		}
		a.chunks = append(a.chunks, make([]uint32, blockChunkSize))
		a.used = 0
	}
	off := uint32(len(a.chunks)-1)<<blockChunkBits | uint32(a.used)
	a.used += n
	return off
}

// block returns the n words at off.
func (a *arena) block(off uint32, n int) []uint32 {
	c := a.chunks[off>>blockChunkBits]
	o := int(off & (blockChunkSize - 1))
	return c[o : o+n : o+n]
}

// release makes the n words at off reusable.
func (a *arena) release(off uint32, n int) {
	if n <= 0 || n > maxBlock {
		return // a chunk tail too long to be asked for again
	}
	if a.free == nil {
		a.free = make(map[uint32][]uint32)
	}
	a.free[uint32(n)] = append(a.free[uint32(n)], off)
}
