package outbox

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Replica is a delivering process seen in the outbox's consumer group.
type Replica struct {
	Name    string
	Idle    time.Duration // since it last read or acknowledged
	Pending int64         // entries it holds unacknowledged
}

// Replicas lists the consumers of the delivery group over every stream,
// most recently active first.
func (o *Outbox) Replicas(ctx context.Context) ([]Replica, error) {
	seen := map[string]*Replica{}
	for _, k := range o.StreamKeys() {
		cs, err := o.rdb.XInfoConsumers(ctx, k, Group).Result()
		if err != nil {
			if strings.Contains(err.Error(), "NOGROUP") || strings.Contains(err.Error(), "no such key") {
				continue
			}
			return nil, fmt.Errorf("list outbox consumers: %w", err)
		}
		for _, c := range cs {
			r, ok := seen[c.Name]
			if !ok {
				r = &Replica{Name: c.Name, Idle: c.Idle}
				seen[c.Name] = r
			}
			r.Idle = min(r.Idle, c.Idle)
			r.Pending += c.Pending
		}
	}
	out := make([]Replica, 0, len(seen))
	for _, r := range seen {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Idle < out[j].Idle })
	return out, nil
}
