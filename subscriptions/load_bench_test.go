package subscriptions

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// BenchmarkLoad measures building the matcher from Redis (what every
// process does at start) with 1,000,000 stored subscriptions of 1-4 words,
// phrases and OR groups spread over 200,000 chats.
func BenchmarkLoad(b *testing.B) {
	const n = 1_000_000
	rdb, prefix := redistest.Client(b)
	ctx := context.Background()
	store := NewStore(rdb, prefix, 50)
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string { return "w" + strconv.Itoa(rng.IntN(50000)) }
	const batch = 5000
	for start := 0; start < n; start += batch {
		_, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			ids := make([]any, 0, batch)
			for i := start; i < start+batch; i++ {
				var q string
				switch i % 10 {
				case 0:
					q = `"` + word() + " " + word() + `"`
				case 1:
					q = "(" + word() + " OR " + word() + ") " + word()
				default:
					q = word()
					for range rng.IntN(3) {
						q += " " + word()
					}
				}
				id := strconv.Itoa(i + 1)
				chat := Chat{Platform: "telegram", ID: strconv.Itoa(i % 200000)}
				p.HSet(ctx, store.key("sub", id), "chat", chat.String(), "query", q, "by", "telegram:1", "created", time.Now().UnixMilli())
				ids = append(ids, id)
			}
			p.SAdd(ctx, store.key("all"), ids...)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m := NewMatcher(store, query.DefaultLimits(), nil)
		start := time.Now()
		if err := m.Load(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/load")
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/n, "heap-B/sub")
		runtime.KeepAlive(m)
		if m.Len() != n {
			b.Fatalf("loaded %d of %d", m.Len(), n)
		}
	}
}
