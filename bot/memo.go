package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Memo remembers a decision a command took for one request, so that the
// same request run again (Request.ID, after a crash between the change and
// the delivery of its answer) repeats that decision instead of taking a new
// one: "/unsubscribe 2" removes the subscription it removed the first time,
// not the one that has become #2 since.
type Memo interface {
	// Remember stores value under key unless a value is already there, and
	// returns the stored value.
	Remember(ctx context.Context, key, value string) (string, error)
}

// RedisMemo is a Memo in Redis; entries live for TTL (a day by default,
// longer than any redelivery).
type RedisMemo struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRedisMemo returns a memo whose keys start with prefix.
func NewRedisMemo(rdb redis.UniversalClient, prefix string, ttl time.Duration) *RedisMemo {
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	return &RedisMemo{rdb: rdb, prefix: prefix + "{memo}:", ttl: ttl}
}

// Remember implements Memo.
func (m *RedisMemo) Remember(ctx context.Context, key, value string) (string, error) {
	k := m.prefix + key
	ok, err := m.rdb.SetNX(ctx, k, value, m.ttl).Result()
	if err != nil {
		return "", fmt.Errorf("remember %s: %w", key, err)
	}
	if ok {
		return value, nil
	}
	v, err := m.rdb.Get(ctx, k).Result()
	if err != nil {
		return "", fmt.Errorf("recall %s: %w", key, err)
	}
	return v, nil
}
