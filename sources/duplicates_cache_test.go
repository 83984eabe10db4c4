package sources

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources/fingerprint"
)

// TestFingerprintCacheBounded checks that the near-duplicate check's
// memory of fingerprints never holds more than fpCacheSize entries, keeps
// the newest, and gives back what was put.
func TestFingerprintCacheBounded(t *testing.T) {
	c := fpCache{cur: map[string]knownFP{}}
	fp := fingerprint.Of("Earthquake of magnitude 6.1 strikes off the coast of Chile",
		"A strong earthquake struck off the coast of central Chile on Tuesday, officials said.")
	for i := range 3 * fpCacheSize {
		c.put(strconv.Itoa(i), knownFP{source: int64(i), fp: fp, ok: true})
		if n := len(c.cur) + len(c.old); n > fpCacheSize {
			t.Fatalf("after %d puts the cache holds %d entries, more than %d", i+1, n, fpCacheSize)
		}
	}
	last := strconv.Itoa(3*fpCacheSize - 1)
	k, ok := c.get(last)
	if !ok || k.source != int64(3*fpCacheSize-1) || !k.ok || k.fp != fp {
		t.Fatalf("newest entry: got %+v, %v", k, ok)
	}
	if _, ok := c.get("0"); ok {
		t.Fatal("the oldest entry is still kept")
	}
}

// TestEarlierSeesOtherProcesses checks that a story remembered by another
// process (its fingerprint not in this one's memory) is still found, and
// then the same way again from memory.
func TestEarlierSeesOtherProcesses(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC) }
	fpOf := func(title, lead string) string { return fingerprint.Of(title, lead).String() }
	first := Story{ID: "a1", SourceID: 1, Title: "Earthquake of magnitude 6.1 strikes off Chile",
		Fingerprint: fpOf("Earthquake of magnitude 6.1 strikes off Chile", "A strong earthquake of magnitude 6.1 struck off the coast of central Chile near Valparaiso on Tuesday, the geological survey said, and buildings shook in Santiago.")}
	again := Story{ID: "b1", SourceID: 2, Title: "Magnitude 6.1 earthquake strikes off Chile coast",
		Fingerprint: fpOf("Magnitude 6.1 earthquake strikes off Chile coast", "An earthquake of magnitude 6.1 struck off the coast of central Chile near Valparaiso on Tuesday, shaking buildings in Santiago, the geological survey said.")}
	a := NewDuplicates(rdb, prefix, 0, 0, now)
	if err := a.Remember(ctx, first); err != nil {
		t.Fatal(err)
	}
	b := NewDuplicates(rdb, prefix, 0, 0, now)
	for _, round := range []string{"read from the store", "from memory"} {
		got, err := b.Earlier(ctx, again)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].StoryID != "a1" || got[0].Exact {
			t.Fatalf("%s: got %+v, want the near-duplicate a1", round, got)
		}
	}
}
