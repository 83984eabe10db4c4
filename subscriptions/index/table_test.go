package index

import (
	"math/rand/v2"
	"testing"
)

func TestU64mapAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	m := newU64map()
	ref := map[uint64]uint64{}
	for i := range 200000 {
		k := 1 + r.Uint64N(5000) // small key space: many updates and deletes
		switch r.IntN(3) {
		case 0, 1:
			m.put(k, uint64(i))
			ref[k] = uint64(i)
		default:
			m.delete(k)
			delete(ref, k)
		}
		if i%1000 == 0 {
			for k, v := range ref {
				if got, ok := m.get(k); !ok || got != v {
					t.Fatalf("step %d: get(%d) = %d, %v; want %d", i, k, got, ok, v)
				}
			}
			if m.n != len(ref) {
				t.Fatalf("step %d: n = %d, want %d", i, m.n, len(ref))
			}
		}
	}
	for k := uint64(1); k <= 5000; k++ {
		v, ok := m.get(k)
		if want, has := ref[k]; ok != has || v != want {
			t.Fatalf("get(%d) = %d, %v; want %d, %v", k, v, ok, want, has)
		}
	}
}

func TestU32mapAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	var m u32map
	for round := range 50 {
		m.reset(r.IntN(100))
		ref := map[uint32]uint32{}
		for i := range r.IntN(3000) {
			k := r.Uint32N(10000)
			m.put(k, uint32(i))
			ref[k] = uint32(i)
		}
		for k := uint32(0); k < 10000; k++ {
			v, ok := m.get(k)
			if want, has := ref[k]; ok != has || v != want {
				t.Fatalf("round %d: get(%d) = %d, %v; want %d, %v", round, k, v, ok, want, has)
			}
		}
	}
}

func TestArenaReusesBlocks(t *testing.T) {
	var a arena
	x := a.alloc(10)
	y := a.alloc(10)
	if x == y {
		t.Fatal("two live blocks share an offset")
	}
	a.release(x, 10)
	if z := a.alloc(10); z != x {
		t.Fatalf("freed block not reused: got %d, want %d", z, x)
	}
	// Blocks never span chunks: filling a chunk starts the next one.
	for range blockChunkSize/1000 + 1 {
		a.alloc(1000)
	}
	if len(a.chunks) != 2 {
		t.Fatalf("%d chunks, want 2", len(a.chunks))
	}
	off := a.alloc(1000)
	if blk := a.block(off, 1000); len(blk) != 1000 {
		t.Fatalf("block length %d", len(blk))
	}
}

// TestTermTabAgainstMap checks the term table, including terms longer than
// the 16 packed bytes and deletions that shift probe runs, against a map.
func TestTermTabAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	tab := newTermTab()
	texts := map[uint32]string{} // id -> text of live terms
	ref := map[string]uint32{}   // kind byte + text -> id
	text := func(id uint32) string { return texts[id] }
	words := make([]string, 3000)
	for i := range words {
		n := 1 + r.IntN(30) // short, 8-16 and long texts
		b := make([]byte, n)
		for j := range b {
			b[j] = "abc"[r.IntN(3)] // shared prefixes
		}
		words[i] = string(b)
	}
	next := uint32(0)
	for i := range 60000 {
		w := words[r.IntN(len(words))]
		kind := kindWord
		if r.IntN(2) == 0 {
			kind = kindPrefix
		}
		key := string(rune('0'+kind)) + w
		k := keyOf(kind, w)
		if id, ok := ref[key]; ok && r.IntN(2) == 0 {
			tab.remove(k, w, text)
			delete(ref, key)
			delete(texts, id)
		} else if !ok {
			tab.insert(k, w, next, text)
			ref[key], texts[next] = next, w
			next++
		}
		if i%2000 == 0 || i == 59999 {
			for key, id := range ref {
				kind, w := key[0]-'0', key[1:]
				if got, ok := tab.find(keyOf(kind, w), w, text); !ok || got != id {
					t.Fatalf("step %d: find(%d, %q) = %d, %v; want %d", i, kind, w, got, ok, id)
				}
			}
			for _, w := range words[:200] {
				_, want := ref["1"+w]
				if _, ok := tab.find(keyOf(kindWord, w), w, text); ok != want {
					t.Fatalf("step %d: find word %q = %v, want %v", i, w, ok, want)
				}
			}
			if tab.n != len(ref) {
				t.Fatalf("step %d: n = %d, want %d", i, tab.n, len(ref))
			}
		}
	}
}
