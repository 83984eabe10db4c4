package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// BenchmarkWriteThroughput: acknowledged writes per second on the embedded
// store (an HSET of a subscription-sized hash, 16 clients in parallel) with
// no journal, with NEWSALERT_FSYNC=everysec and with always, in one run.
func BenchmarkWriteThroughput(b *testing.B) {
	for _, policy := range []FsyncPolicy{fsyncNone, FsyncEverySec, FsyncAlways} {
		b.Run(string(policy), func(b *testing.B) {
			s := start(b, b.TempDir(), EmbeddedOptions{Fsync: policy})
			defer s.stop()
			c := redis.NewClient(&redis.Options{Addr: s.e.Addr(), Password: s.e.Password(), Protocol: 2, PoolSize: 16})
			defer c.Close()
			var n atomic.Int64
			ctx := context.Background()
			b.SetParallelism(8) // 16 clients on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					if err := c.HSet(ctx, "na:{subs}:sub:"+strconv.FormatInt(i, 10), "chat", "telegram:1001", "query", "ukraine grain", "by", "telegram:1001", "created", "1767225600000").Err(); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// fillSubscriptions writes n subscriptions the way subscriptions.Store lays
// them out (a hash each, a set of ids per chat, the change stream), through
// the store's own connection, and compacts them into a snapshot.
func fillSubscriptions(b *testing.B, dir string, n int) {
	b.Helper()
	e, err := StartEmbedded(context.Background(), dir, EmbeddedOptions{Fsync: fsyncNone})
	if err != nil {
		b.Fatal(err)
	}
	e.order.Lock()
	e.begin()
	created := strconv.FormatInt(time.Now().UnixMilli(), 10)
	for i := range n {
		id := strconv.Itoa(i + 1)
		chat := fmt.Sprintf("telegram:%d", i/20)
		e.ip.call("HSET", "na:{subs}:sub:"+id, "chat", chat, "query", fmt.Sprintf("w%d (w%d OR w%d)", i%50000, (i*7)%50000, (i*13)%50000), "by", chat, "created", created)
		e.ip.call("SADD", "na:{subs}:chat:"+chat, id)
	}
	e.ip.call("SET", "na:{subs}:version", strconv.Itoa(n))
	e.srv.SetTime(time.Time{})
	e.order.Unlock()
	if _, err := e.compact(); err != nil {
		b.Fatal(err)
	}
	e.Close()
}

// BenchmarkStartWithMillionSubscriptions: how long a start takes to load a
// snapshot of 1,000,000 subscriptions (and 50,000 chats) and replay a
// journal of 10,000 writes after it.
func BenchmarkStartWithMillionSubscriptions(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "data")
	fillSubscriptions(b, dir, 1_000_000)
	// A journal after the snapshot.
	s := start(b, dir, EmbeddedOptions{})
	ctx := context.Background()
	p := s.c.Pipeline()
	for i := range 10_000 {
		p.HSet(ctx, fmt.Sprintf("na:{subs}:sub:%d", 2_000_000+i), "chat", "telegram:1", "query", "grain", "by", "telegram:1", "created", "1")
	}
	if _, err := p.Exec(ctx); err != nil {
		b.Fatal(err)
	}
	s.stop()
	b.ResetTimer()
	for range b.N {
		e, err := StartEmbedded(ctx, dir, EmbeddedOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if got := len(e.srv.Keys()); got != 1_000_000+50_000+1+10_000 {
			b.Fatalf("%d keys after the start", got)
		}
		e.Close()
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/start")
}
