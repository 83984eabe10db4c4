package sources

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
)

// A restarted holder gets back at once the sources its dead predecessor
// claimed and did not save; another holder's claims and saved polls keep
// their times.
func TestReleaseClaimsOfARestartedHolder(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	reg := NewRegistry(rdb, prefix)
	now := time.UnixMilli(1_700_000_000_000)
	var ids []int64
	for _, u := range []string{"a", "b", "c"} {
		s, err := reg.Add(ctx, Source{URL: "https://" + u + ".example/feed", Name: u, Interval: time.Hour}, u+".example/feed", now)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	got, err := reg.ClaimAs(ctx, "one@host", now, 2*time.Minute, 2)
	if err != nil || !slices.Equal(got, ids[:2]) {
		t.Fatalf("ClaimAs = %v, %v; want %v", got, err, ids[:2])
	}
	if got, _ := reg.ClaimAs(ctx, "two@host", now, 2*time.Minute, 5); !slices.Equal(got, ids[2:]) {
		t.Fatalf("second holder claimed %v, want %v", got, ids[2:])
	}
	// one@host saved its poll of the second source, then died.
	s1, _ := reg.Get(ctx, ids[1])
	if err := reg.Save(ctx, s1, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	later := now.Add(5 * time.Second)
	n, err := reg.ReleaseClaims(ctx, "one@host", later)
	if err != nil || n != 1 {
		t.Fatalf("ReleaseClaims = %d, %v; want 1", n, err)
	}
	got, _ = reg.Claim(ctx, later, time.Minute, 10)
	if !slices.Equal(got, ids[:1]) {
		t.Errorf("due after the release: %v, want only %v (the saved one and the other holder's keep their times)", got, ids[:1])
	}
	if n, _ := reg.ReleaseClaims(ctx, "one@host", later); n != 0 {
		t.Errorf("a second release gave back %d sources", n)
	}
}
