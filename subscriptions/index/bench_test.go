package index

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/newsalert/newsalert/subscriptions/query"
)

// Benchmarks, e.g.:
//
//	go test -run '^$' -bench 'BenchmarkMatch' -benchmem -cpu 1 -benchtime 2000x ./subscriptions/index/
//
// Per story the Match benchmarks report ns/op (1e9/ns/op stories per
// second per core), the 99th percentile of single Match calls
// (p99-ns/story), matches/story and the candidates evaluated (cands/story).
// Indexes are built once per process and shared by the benchmarks.

// benchCache holds the workload and built indexes: benchmark-only state.
var benchCache struct {
	w     *workload
	built map[int]*builtIndex
}

type builtIndex struct {
	x           *Index
	heapPerSub  float64 // heap bytes per subscription
	buildPerSub time.Duration
}

func benchWorkload() *workload {
	if benchCache.w == nil {
		benchCache.w = newWorkload()
	}
	return benchCache.w
}

// indexOf returns the index of the first n workload queries, measuring the
// heap it occupies (queries are parsed one at a time and dropped).
func indexOf(n int) *builtIndex {
	if bi := benchCache.built[n]; bi != nil {
		return bi
	}
	w := benchWorkload()
	g := w.queries()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	x := New()
	for i := range n {
		x.Add(uint64(i), g.next())
	}
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	bi := &builtIndex{
		x:           x,
		heapPerSub:  float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n),
		buildPerSub: elapsed / time.Duration(n),
	}
	if benchCache.built == nil {
		benchCache.built = map[int]*builtIndex{}
	}
	benchCache.built[n] = bi
	return bi
}

func queriesOf(n int) []*query.Query {
	g := benchWorkload().queries()
	qs := make([]*query.Query, n)
	for i := range qs {
		qs[i] = g.next()
	}
	return qs
}

func p99(ds []time.Duration) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return float64(ds[(len(ds)*99)/100])
}

func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{10000, 100000, 1000000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			b.Run("index", func(b *testing.B) { benchIndexMatch(b, n) })
			if n <= 100000 { // the naive loop takes seconds per story at 1M
				b.Run("naive", func(b *testing.B) { benchNaiveMatch(b, n) })
			}
		})
	}
}

// timer records wall-clock and thread CPU durations of single calls.
type timer struct {
	wall, cpu []time.Duration
	w0, c0    time.Time
	cpuStart  time.Duration
	cpuOK     bool
}

func newTimer(n int) *timer {
	runtime.LockOSThread() // for thread CPU time; unlocked by report
	_, ok := threadCPU()
	return &timer{wall: make([]time.Duration, 0, n), cpu: make([]time.Duration, 0, n), cpuOK: ok}
}

func (t *timer) start() {
	if t.cpuOK {
		t.cpuStart, _ = threadCPU()
	}
	t.w0 = time.Now()
}

func (t *timer) stop() {
	t.wall = append(t.wall, time.Since(t.w0))
	if t.cpuOK {
		c, _ := threadCPU()
		t.cpu = append(t.cpu, c-t.cpuStart)
	}
}

// report adds p99 wall time and, where available, mean and p99 thread CPU
// time per call.
func (t *timer) report(b *testing.B, unit string) {
	runtime.UnlockOSThread()
	b.ReportMetric(p99(t.wall), "p99-ns/"+unit)
	if t.cpuOK && len(t.cpu) > 0 {
		var sum time.Duration
		for _, c := range t.cpu {
			sum += c
		}
		b.ReportMetric(float64(sum)/float64(len(t.cpu)), "cpu-ns/"+unit)
		b.ReportMetric(p99(t.cpu), "p99-cpu-ns/"+unit)
	}
}

func benchIndexMatch(b *testing.B, n int) {
	bi := indexOf(n)
	stories := benchWorkload().stories
	// Candidates evaluated per story, from the internal matcher.
	var sc scratch
	cands := 0
	for _, d := range stories {
		bi.x.match(d, nil, &sc)
		cands += len(sc.cands)
	}
	var dst []Match
	matches := 0
	tm := newTimer(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := stories[i%len(stories)]
		tm.start()
		dst = bi.x.Match(d, dst[:0])
		tm.stop()
		matches += len(dst)
	}
	b.StopTimer()
	tm.report(b, "story")
	b.ReportMetric(float64(matches)/float64(b.N), "matches/story")
	b.ReportMetric(float64(cands)/float64(len(stories)), "cands/story")
}

func benchNaiveMatch(b *testing.B, n int) {
	qs := queriesOf(n)
	stories := benchWorkload().stories
	matches := 0
	tm := newTimer(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := stories[i%len(stories)]
		tm.start()
		for _, q := range qs {
			if ok, _ := q.Eval(d); ok {
				matches++
			}
		}
		tm.stop()
	}
	b.StopTimer()
	tm.report(b, "story")
	b.ReportMetric(float64(matches)/float64(b.N), "matches/story")
}

// BenchmarkIndexMemory reports the heap the index occupies per
// subscription (heap-B/sub, measured with runtime.ReadMemStats after a GC
// before and after adding the subscriptions) and the time to build it.
func BenchmarkIndexMemory(b *testing.B) {
	for _, n := range []int{100000, 1000000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			bi := indexOf(n)
			for b.Loop() {
				_ = bi.x.Len()
			}
			b.ReportMetric(bi.heapPerSub, "heap-B/sub")
			b.ReportMetric(float64(bi.buildPerSub), "build-ns/sub")
		})
	}
}

// BenchmarkAdd adds one subscription to a built index and removes it again
// per op, reporting the mean and p99 of each.
func BenchmarkAdd(b *testing.B) {
	for _, n := range []int{1000000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			bi := indexOf(n)
			g := benchWorkload().queriesSeeded(querySeed + 1) // queries not in the index
			extra := make([]*query.Query, 1000)
			for i := range extra {
				extra[i] = g.next()
			}
			adds, removes := newTimer(b.N), newTimer(b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				id := uint64(1<<40 + i)
				adds.start()
				bi.x.Add(id, extra[i%len(extra)])
				adds.stop()
				removes.start()
				bi.x.Remove(id)
				removes.stop()
			}
			b.StopTimer()
			adds.report(b, "add")
			removes.report(b, "remove")
			if bi.x.Len() != n {
				b.Fatalf("Len = %d after add/remove, want %d", bi.x.Len(), n)
			}
		})
	}
}
