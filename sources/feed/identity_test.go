package feed

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
	"time"
)

func keysOf(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Key
	}
	return out
}

func assigned(items ...Item) []string {
	items = slices.Clone(items)
	AssignKeys(items)
	return keysOf(items)
}

func TestItemKeyFormatAndDeterminism(t *testing.T) {
	it := Item{GUID: "https://example.com/news/1", Title: "A"}
	k := ItemKey(it)
	// Pinned: keys must not change across processes or versions, or every
	// subscriber would be re-alerted for every story after an upgrade.
	if want := "g:7fa5bd6c09bdf7f5"; k != want { // sha256("g\x00https://example.com/news/1")[:8]
		t.Fatalf("ItemKey = %q; want %q (keys must stay stable across versions)", k, want)
	}
	if !regexp.MustCompile(`^[ghl]:[0-9a-f]{16}$`).MatchString(k) {
		t.Fatalf("ItemKey = %q; want tier:16 hex", k)
	}
	if ItemKey(it) != k {
		t.Fatal("ItemKey is not deterministic")
	}
}

func TestItemKeyTiers(t *testing.T) {
	pub := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		a, b Item
		same bool
	}{
		{"guid http vs https", Item{GUID: "http://example.com/a"}, Item{GUID: "https://example.com/a"}, true},
		{"guid with tracking params", Item{GUID: "https://example.com/a?utm_source=rss"}, Item{GUID: "https://example.com/a"}, true},
		{"guid whitespace", Item{GUID: "  abc-123\n"}, Item{GUID: "abc-123"}, true},
		{"non-URL guids are case-sensitive", Item{GUID: "ABC"}, Item{GUID: "abc"}, false},
		{"guid wins over link", Item{GUID: "x1", Link: "https://example.com/a"}, Item{GUID: "x1", Link: "https://example.com/b"}, true},
		{"title changes do not matter with a guid", Item{GUID: "x1", Title: "Old"}, Item{GUID: "x1", Title: "New"}, true},
		{"link when no guid", Item{Link: "http://example.com/a#top"}, Item{Link: "https://example.com/a"}, true},
		{"placeholder guid ignored", Item{GUID: "null", Link: "https://example.com/a"}, Item{Link: "https://example.com/a"}, true},
		{"site-root guid ignored", Item{GUID: "https://example.com/", Link: "https://example.com/a"}, Item{Link: "https://example.com/a"}, true},
		{"title and date", Item{Title: "Hello  World", Published: pub}, Item{Title: "hello world", Published: pub}, true},
		{"title and different date", Item{Title: "Hello", Published: pub}, Item{Title: "Hello", Published: pub.Add(time.Hour)}, false},
		{"untitled items differ by content", Item{Content: "one"}, Item{Content: "two"}, false},
		{"site-root link is not identity", Item{Link: "https://example.com/", Title: "A"}, Item{Link: "https://example.com/", Title: "B"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ka, kb := ItemKey(tc.a), ItemKey(tc.b)
			if (ka == kb) != tc.same {
				t.Errorf("ItemKey(%+v)=%s, ItemKey(%+v)=%s; same=%v, want %v", tc.a, ka, tc.b, kb, ka == kb, tc.same)
			}
		})
	}
}

func TestAssignKeys(t *testing.T) {
	t.Run("all items share one guid", func(t *testing.T) {
		keys := assigned(
			Item{GUID: "https://council.example/news", Link: "https://council.example/news/a", Title: "A"},
			Item{GUID: "https://council.example/news", Link: "https://council.example/news/b", Title: "B"},
			Item{GUID: "https://council.example/news", Link: "https://council.example/news/c", Title: "C"},
		)
		if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != 3 {
			t.Fatalf("keys %q are not distinct", keys)
		}
		for _, k := range keys {
			if k[0] != 'l' {
				t.Errorf("key %q: want link tier", k)
			}
		}
		if keys[0] != ItemKey(Item{Link: "https://council.example/news/a"}) {
			t.Errorf("key %q is not the item's link key", keys[0])
		}
	})
	t.Run("same story listed twice keeps one key", func(t *testing.T) {
		a := Item{GUID: "post-7", Link: "https://example.com/7", Title: "Seven"}
		keys := assigned(a, a, Item{GUID: "post-8", Link: "https://example.com/8"})
		if keys[0] != keys[1] || keys[0] != ItemKey(a) {
			t.Errorf("keys %q: duplicate listing should share the guid key %s", keys, ItemKey(a))
		}
	})
	t.Run("live blog guids differing only in fragment", func(t *testing.T) {
		keys := assigned(
			Item{GUID: "https://example.com/live#p1", Link: "https://example.com/live#p1", Title: "Goal!"},
			Item{GUID: "https://example.com/live#p2", Link: "https://example.com/live#p2", Title: "Half time"},
		)
		if keys[0] == keys[1] {
			t.Errorf("live blog posts got the same key %q", keys[0])
		}
	})
	t.Run("same link for different items", func(t *testing.T) {
		keys := assigned(
			Item{Link: "https://example.com/notices", Title: "Closure on Monday"},
			Item{Link: "https://example.com/notices", Title: "Closure on Tuesday"},
			Item{Link: "https://example.com/other", Title: "Other"},
		)
		if keys[0] == keys[1] || keys[0][0] != 'h' || keys[1][0] != 'h' || keys[2][0] != 'l' {
			t.Errorf("keys %q: want two distinct h: keys and one l: key", keys)
		}
	})
	t.Run("guid migrates from http to https", func(t *testing.T) {
		before := assigned(Item{GUID: "http://example.com/?p=1"}, Item{GUID: "http://example.com/?p=2"})
		after := assigned(Item{GUID: "https://example.com/?p=1"}, Item{GUID: "https://example.com/?p=2"})
		if !slices.Equal(before, after) {
			t.Errorf("keys changed with the scheme: %q -> %q", before, after)
		}
	})
	t.Run("empty list", func(t *testing.T) {
		AssignKeys(nil)
	})
}

// TestAssignKeysStableAcrossFetches simulates a feed window sliding over
// time (items arriving at the top, dropping off the bottom): an item that is
// in two consecutive fetches must get the same key in both, otherwise the
// bot would alert twice.
func TestAssignKeysStableAcrossFetches(t *testing.T) {
	makeItem := func(i int, style string) Item {
		it := Item{
			Title:     fmt.Sprintf("Story %d", i),
			Link:      fmt.Sprintf("https://example.com/news/%d", i),
			Published: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		}
		switch style {
		case "guid":
			it.GUID = fmt.Sprintf("urn:example:%d", i)
		case "shared-guid":
			it.GUID = "https://example.com/news"
		case "shared-link":
			it.Link = "https://example.com/news/latest"
		case "nothing":
			it.Link = ""
		}
		return it
	}
	for _, style := range []string{"guid", "shared-guid", "shared-link", "nothing", "link"} {
		t.Run(style, func(t *testing.T) {
			seen := map[int]string{}
			for start := 0; start < 30; start++ {
				var items []Item
				for i := start + 9; i >= start; i-- { // a window of 10, newest first
					items = append(items, makeItem(i, style))
				}
				AssignKeys(items)
				distinct := map[string]bool{}
				for j, it := range items {
					i := start + 9 - j
					if k, ok := seen[i]; ok && k != it.Key {
						t.Fatalf("story %d changed key %s -> %s at window %d", i, k, it.Key, start)
					}
					seen[i] = it.Key
					distinct[it.Key] = true
				}
				if len(distinct) != len(items) {
					t.Fatalf("window %d: %d distinct keys for %d stories", start, len(distinct), len(items))
				}
			}
		})
	}
}

func FuzzAssignKeys(f *testing.F) {
	f.Add("https://example.com/a", "https://example.com/a", "Title", "http://example.com/a", "", "Other", int64(0))
	f.Add("same", "https://x.example/1", "One", "same", "https://x.example/2", "Two", int64(1700000000))
	f.Add("", "https://x.example/", "A", "", "https://x.example/", "B", int64(-1))
	f.Add("null", "", "", "", "", "", int64(5))
	f.Fuzz(func(t *testing.T, g1, l1, t1, g2, l2, t2 string, sec int64) {
		pub := time.Unix(sec%(1<<40), 0)
		items := []Item{
			{GUID: g1, Link: l1, Title: t1, Published: pub},
			{GUID: g2, Link: l2, Title: t2},
			{GUID: g1, Link: l2, Title: t2, Content: t1},
		}
		AssignKeys(items)
		keyRe := regexp.MustCompile(`^[ghl]:[0-9a-f]{16}$`)
		for _, it := range items {
			if !keyRe.MatchString(it.Key) {
				t.Fatalf("bad key %q", it.Key)
			}
		}
		// Keys do not depend on item order.
		shuffled := slices.Clone(items)
		rand.New(rand.NewPCG(uint64(sec), 7)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		AssignKeys(shuffled)
		want := map[string]int{}
		for _, it := range items {
			want[fmt.Sprintf("%q|%q|%q|%q|%v", it.GUID, it.Link, it.Title, it.Content, it.Published)+it.Key]++
		}
		for _, it := range shuffled {
			k := fmt.Sprintf("%q|%q|%q|%q|%v", it.GUID, it.Link, it.Title, it.Content, it.Published) + it.Key
			if want[k] == 0 {
				t.Fatalf("key of %+v depends on order", it)
			}
			want[k]--
		}
		// A single item gets exactly ItemKey.
		one := []Item{items[0]}
		AssignKeys(one)
		if one[0].Key != ItemKey(items[0]) {
			t.Fatalf("AssignKeys on one item = %s; ItemKey = %s", one[0].Key, ItemKey(items[0]))
		}
	})
}
