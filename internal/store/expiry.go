package store

import (
	"container/heap"
	"math"
	"sync/atomic"
)

// deadlines is the embedded store's index of key expiry times, in unix
// nanoseconds. Every command that can set, move or clear a TTL updates it
// (see ttl.go), so that due keys are found without looking at the others:
// each operation costs O(log n) in the keys that have a deadline, and a
// timer deletes what is due. The map holds the current deadline of a key;
// the heap may hold older entries for it, which are skipped when popped.
//
// Its methods are called with the store's write lock held, except next.
type deadlines struct {
	at   map[string]int64
	h    deadlineHeap
	head atomic.Int64 // earliest entry of the heap, MaxInt64 when empty
}

func newDeadlines() *deadlines {
	d := &deadlines{at: map[string]int64{}}
	d.head.Store(math.MaxInt64)
	return d
}

type deadlineEntry struct {
	at  int64
	key string
}

type deadlineHeap []deadlineEntry

func (h deadlineHeap) Len() int           { return len(h) }
func (h deadlineHeap) Less(i, j int) bool { return h[i].at < h[j].at }
func (h deadlineHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *deadlineHeap) Push(x any)        { *h = append(*h, x.(deadlineEntry)) }
func (h *deadlineHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// set records key's deadline.
func (d *deadlines) set(key string, at int64) {
	if cur, ok := d.at[key]; ok && cur == at {
		return
	}
	d.at[key] = at
	heap.Push(&d.h, deadlineEntry{at: at, key: key})
	d.head.Store(d.h[0].at)
	// Keys whose deadline moves often (leases renewed every few seconds)
	// leave stale entries behind; drop them once they outnumber the live.
	if len(d.h) > 1024 && len(d.h) > 4*len(d.at) {
		d.compact()
	}
}

// clear forgets key's deadline.
func (d *deadlines) clear(key string) { delete(d.at, key) }

// get returns key's deadline.
func (d *deadlines) get(key string) (int64, bool) {
	at, ok := d.at[key]
	return at, ok
}

// reset forgets every deadline.
func (d *deadlines) reset() {
	d.at = map[string]int64{}
	d.h = nil
	d.head.Store(math.MaxInt64)
}

// next is the earliest deadline (possibly stale), MaxInt64 when none; safe
// without the lock.
func (d *deadlines) next() int64 { return d.head.Load() }

// due pops the keys whose current deadline is at or before now.
func (d *deadlines) due(now int64, fn func(key string)) {
	for len(d.h) > 0 && d.h[0].at <= now {
		e := heap.Pop(&d.h).(deadlineEntry)
		if cur, ok := d.at[e.key]; ok && cur == e.at {
			delete(d.at, e.key)
			fn(e.key)
		}
	}
	if len(d.h) > 0 {
		d.head.Store(d.h[0].at)
	} else {
		d.head.Store(math.MaxInt64)
	}
}

// compact rebuilds the heap from the map.
func (d *deadlines) compact() {
	h := make(deadlineHeap, 0, len(d.at))
	for k, at := range d.at {
		h = append(h, deadlineEntry{at: at, key: k})
	}
	heap.Init(&h)
	d.h = h
	if len(h) > 0 {
		d.head.Store(h[0].at)
	} else {
		d.head.Store(math.MaxInt64)
	}
}
