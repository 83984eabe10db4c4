package index

import "math/rand/v2"

// u32map is an open-addressing hash map from uint32 (below MaxUint32) to
// uint32 for
// per-story scratch data: cheaper than a Go map to fill and to clear,
// since reset touches only the slots used.
type u32map struct {
	keys []uint32 // key + 1; 0 marks an empty slot
	vals []uint32
	used []uint32 // occupied slots, for reset
	bits uint32   // len(keys) == 1 << bits
}

// reset empties the map and makes room for about hint keys.
func (m *u32map) reset(hint int) {
	for _, i := range m.used {
		m.keys[i] = 0
	}
	m.used = m.used[:0]
	if len(m.keys) < 2*hint || len(m.keys) == 0 {
		m.alloc(max(2*hint, 64))
	}
}

// alloc replaces the slots with at least n empty ones.
func (m *u32map) alloc(n int) {
	bits := uint32(4)
	for 1<<bits < n {
		bits++
	}
	m.bits = bits
	m.keys = make([]uint32, 1<<bits)
	m.vals = make([]uint32, 1<<bits)
}

func (m *u32map) slot(k uint32) uint32 {
	return (k * 0x9E3779B1) >> (32 - m.bits)
}

// put sets the value of k.
func (m *u32map) put(k, v uint32) {
	if 2*(len(m.used)+1) > len(m.keys) {
		m.grow()
	}
	mask := uint32(len(m.keys) - 1)
	for i := m.slot(k); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case 0:
			m.keys[i], m.vals[i] = k+1, v
			m.used = append(m.used, i)
			return
		case k + 1:
			m.vals[i] = v
			return
		}
	}
}

// get returns the value of k and whether k is present.
func (m *u32map) get(k uint32) (uint32, bool) {
	mask := uint32(len(m.keys) - 1)
	for i := m.slot(k); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case 0:
			return 0, false
		case k + 1:
			return m.vals[i], true
		}
	}
}

// has reports whether k is present.
func (m *u32map) has(k uint32) bool {
	_, ok := m.get(k)
	return ok
}

func (m *u32map) grow() {
	keys, vals, used := m.keys, m.vals, m.used
	m.alloc(2 * len(keys))
	m.used = make([]uint32, 0, 2*len(used))
	for _, i := range used {
		m.put(keys[i]-1, vals[i])
	}
}

// u64map is an open-addressing hash map from non-zero uint64 keys to
// uint64 values, with deletion (backward shift, no tombstones). Keys are
// mixed with a per-map random seed so users cannot choose colliding keys.
type u64map struct {
	keys []uint64 // 0 marks an empty slot
	vals []uint64
	n    int
	bits uint32
	seed uint64
}

func newU64map() u64map {
	m := u64map{seed: rand.Uint64() | 1}
	m.alloc(16)
	return m
}

func (m *u64map) alloc(n int) {
	bits := uint32(4)
	for 1<<bits < n {
		bits++
	}
	m.bits = bits
	m.keys = make([]uint64, 1<<bits)
	m.vals = make([]uint64, 1<<bits)
}

// home returns the preferred slot of k (splitmix64 finalizer).
func (m *u64map) home(k uint64) uint64 {
	h := k ^ m.seed
	h = (h ^ h>>30) * 0xBF58476D1CE4E5B9
	h = (h ^ h>>27) * 0x94D049BB133111EB
	h ^= h >> 31
	return h >> (64 - m.bits)
}

func (m *u64map) get(k uint64) (uint64, bool) {
	mask := uint64(len(m.keys) - 1)
	for i := m.home(k); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case 0:
			return 0, false
		case k:
			return m.vals[i], true
		}
	}
}

func (m *u64map) put(k, v uint64) {
	if 2*(m.n+1) > len(m.keys) {
		keys, vals := m.keys, m.vals
		m.alloc(2 * len(keys))
		m.n = 0
		for i, key := range keys {
			if key != 0 {
				m.put(key, vals[i])
			}
		}
	}
	mask := uint64(len(m.keys) - 1)
	for i := m.home(k); ; i = (i + 1) & mask {
		switch m.keys[i] {
		case 0:
			m.keys[i], m.vals[i] = k, v
			m.n++
			return
		case k:
			m.vals[i] = v
			return
		}
	}
}

func (m *u64map) delete(k uint64) {
	mask := uint64(len(m.keys) - 1)
	i := m.home(k)
	for m.keys[i] != k {
		if m.keys[i] == 0 {
			return
		}
		i = (i + 1) & mask
	}
	// Shift later entries of the probe run back over the hole.
	for j := (i + 1) & mask; m.keys[j] != 0; j = (j + 1) & mask {
		h := m.home(m.keys[j])
		// Move j to i if its home is not in the cyclic range (i, j].
		if (j > i && (h <= i || h > j)) || (j < i && h <= i && h > j) {
			m.keys[i], m.vals[i] = m.keys[j], m.vals[j]
			i = j
		}
	}
	m.keys[i], m.vals[i] = 0, 0
	m.n--
}
