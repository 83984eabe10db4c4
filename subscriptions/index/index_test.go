package index

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/newsalert/newsalert/subscriptions/query"
)

func mustParse(t testing.TB, s string) *query.Query {
	t.Helper()
	q, err := query.Parse(s, query.DefaultLimits())
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return q
}

// ids returns the IDs of matches, sorted (Match returns them in no
// particular order).
func ids(ms []Match) []uint64 {
	out := make([]uint64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	slices.Sort(out)
	return out
}

func TestMatchBasics(t *testing.T) {
	queries := map[uint64]string{
		1:  "putin",
		2:  `"north korea" (russia OR putin) -sports`,
		3:  "ukrain*",
		4:  "title:kim",
		5:  "russia -sports",
		6:  "sports",
		7:  `"kim jong" OR missile`,
		8:  "北京",
		9:  "zelenskyy ukrain*",
		10: "text:vladivostok -title:opinion",
		11: "a OR (b c)",
		12: "Straße",
	}
	x := New()
	for id, s := range queries {
		x.Add(id, mustParse(t, s))
	}
	if x.Len() != len(queries) {
		t.Fatalf("Len = %d, want %d", x.Len(), len(queries))
	}
	tests := []struct {
		title, text string
		want        []uint64
	}{
		{"North Korea fires missile", "Kim Jong Un met Putin in Vladivostok.", []uint64{1, 2, 7, 10}},
		{"Kim meets Putin", "North-Korea's sports team visited Russia", []uint64{1, 4, 6}},
		{"Ukrainian drones", "Zelenskyy said", []uint64{3, 9}},
		{"Opinion: Vladivostok", "vladivostok", nil},
		{"", "京北", nil},
		{"在北京", "", []uint64{8}},
		{"", "b c", []uint64{11}},
		{"STRASSE", "", []uint64{12}},
		{"", "", nil},
	}
	for _, tt := range tests {
		d := query.NewDoc(tt.title, tt.text)
		got := ids(x.Match(d, nil))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.title, tt.text, got, tt.want)
		}
		checkAgainstEval(t, x, queries, d)
	}
}

// checkAgainstEval compares Match with Eval of every query.
func checkAgainstEval(t *testing.T, x *Index, queries map[uint64]string, d *query.Doc) {
	t.Helper()
	got := map[uint64][]query.Hit{}
	for _, m := range x.Match(d, nil) {
		got[m.ID] = m.Hits
	}
	for id, s := range queries {
		ok, hits := mustParse(t, s).Eval(d)
		gh, matched := got[id]
		if ok != matched {
			t.Errorf("query %d %q: Eval %v, index %v", id, s, ok, matched)
			continue
		}
		if !slices.Equal(hits, gh) {
			t.Errorf("query %d %q: Eval hits %v, index hits %v", id, s, hits, gh)
		}
	}
}

// TestMatchWithoutEvaluation covers the queries Match decides from the
// posting lists and their checks alone: ORs of words and prefixes, "a -b",
// and the checks that reject stories before evaluation (a second word, a
// prefix's head, a negated word).
func TestMatchWithoutEvaluation(t *testing.T) {
	queries := map[uint64]string{
		1:  "putin OR title:kremlin OR ukrain*",
		2:  "kremlin OR putin",
		3:  "putin OR putin",
		4:  "title:putin OR putin",
		5:  "putin -sports",
		6:  "title:putin -sports",
		7:  "ukrain* -sports",
		8:  "putin -title:sports",
		9:  "putin kremlin*",
		10: "moscow (putin OR kremlin)",
		11: "(putin OR kremlin) -sports",
		12: "putin -sports -football",
	}
	x := New()
	for id, s := range queries {
		x.Add(id, mustParse(t, s))
	}
	tests := []struct {
		title, text string
		want        []uint64
	}{
		{"Kremlin", "Putin spoke", []uint64{1, 2, 3, 4, 5, 8, 9, 11, 12}},
		{"Putin", "kremlin Ukraine", []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12}},
		{"Putin", "kremlinology", []uint64{1, 2, 3, 4, 5, 6, 8, 9, 11, 12}},
		{"Putin in Moscow", "sports", []uint64{1, 2, 3, 4, 8, 10}},
		{"Sports", "putin, kremlin, ukrainian football", []uint64{1, 2, 3, 4, 9}},
		{"Ukrainian", "sports", []uint64{1}},
		{"Ukrainian", "", []uint64{1, 7}},
		{"moscow", "kremlin", []uint64{2, 10, 11}},
		{"Putin", "kremblin", []uint64{1, 2, 3, 4, 5, 6, 8, 11, 12}},
	}
	for _, tt := range tests {
		d := query.NewDoc(tt.title, tt.text)
		got := ids(x.Match(d, nil))
		if !slices.Equal(got, tt.want) {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.title, tt.text, got, tt.want)
		}
		checkAgainstEval(t, x, queries, d)
	}
}

func TestMatchHits(t *testing.T) {
	x := New()
	x.Add(1, mustParse(t, `"north korea" (russia OR putin) -sports`))
	x.Add(2, mustParse(t, "ukrain* title:ukrain*"))
	got := x.Match(query.NewDoc("North Korea and Russia", "Putin in north korea; Ukrainian"), nil)
	want := []Match{
		{1, []query.Hit{{Term: "north korea", Field: query.Title}, {Term: "north korea", Field: query.Text}, {Term: "russia", Field: query.Title}, {Term: "putin", Field: query.Text}}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Match = %v, want %v", got, want)
	}
	got = x.Match(query.NewDoc("Ukraine", "ukrainian"), got[:0])
	want = []Match{{2, []query.Hit{{Term: "ukrain*", Field: query.Title}, {Term: "ukrain*", Field: query.Text}}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Match = %v, want %v", got, want)
	}
}

func TestAddReplacesAndRemove(t *testing.T) {
	x := New()
	d := query.NewDoc("putin", "")
	x.Add(7, mustParse(t, "putin"))
	if got := ids(x.Match(d, nil)); !slices.Equal(got, []uint64{7}) {
		t.Fatalf("Match = %v", got)
	}
	x.Add(7, mustParse(t, "biden"))
	if got := ids(x.Match(d, nil)); len(got) != 0 || x.Len() != 1 {
		t.Fatalf("after replace: Match = %v, Len = %d", got, x.Len())
	}
	x.Remove(7)
	x.Remove(7)  // removing twice is harmless
	x.Remove(99) // and so is removing an unknown id
	if x.Len() != 0 {
		t.Fatalf("Len = %d after Remove", x.Len())
	}
	if got := x.Match(query.NewDoc("biden", ""), nil); len(got) != 0 {
		t.Fatalf("removed subscription matched: %v", got)
	}
	// Everything interned was released.
	checkEmptyDict(t, x)
}

func TestAddNilRemoves(t *testing.T) {
	x := New()
	x.Add(1, mustParse(t, "putin"))
	x.Add(1, nil)
	x.Add(2, &query.Query{})
	if x.Len() != 0 {
		t.Fatalf("Len = %d, want 0", x.Len())
	}
	if got := x.Match(nil, nil); got != nil {
		t.Fatalf("Match(nil) = %v", got)
	}
}

func TestLongPrefix(t *testing.T) {
	long := strings.Repeat("ab", 40) // 80 bytes
	x := New()
	x.Add(1, mustParse(t, long[:70]+"*"))
	x.Add(2, mustParse(t, long[:10]+"*"))
	x.Add(3, mustParse(t, long[:63]+"*"))
	x.Add(4, mustParse(t, long[:64]+"*"))
	got := ids(x.Match(query.NewDoc(long, ""), nil))
	if !slices.Equal(got, []uint64{1, 2, 3, 4}) {
		t.Fatalf("Match = %v", got)
	}
	got = ids(x.Match(query.NewDoc(long[:66], ""), nil))
	if !slices.Equal(got, []uint64{2, 3, 4}) {
		t.Fatalf("Match = %v", got)
	}
}

func TestPostingListsShrinkAndMove(t *testing.T) {
	x := New()
	const n = 1000
	for i := range uint64(n) {
		x.Add(i, mustParse(t, "common"))
	}
	for i := range uint64(n) {
		if i%10 != 0 {
			x.Remove(i)
		}
	}
	got := ids(x.Match(query.NewDoc("common", ""), nil))
	if len(got) != n/10 {
		t.Fatalf("%d matches, want %d", len(got), n/10)
	}
	tid, _ := x.dict.wordID("common")
	if c := cap(*x.dict.postings(tid)); c > 4*n/10 {
		t.Errorf("posting list capacity %d for %d entries", c, n/10)
	}
	// The moved entries still know where they are: removing them all works.
	for i := uint64(0); i < n; i += 10 {
		x.Remove(i)
	}
	checkEmptyDict(t, x)
}

func TestConcurrentMatchAddRemove(t *testing.T) {
	x := New()
	stable := mustParse(t, "stable")
	for i := range uint64(100) {
		x.Add(i, stable)
	}
	d := query.NewDoc("stable story", "churn words here")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			var dst []Match
			for {
				select {
				case <-stop:
					return
				default:
				}
				dst = x.Match(d, dst[:0])
				n := 0
				for _, m := range dst {
					if m.ID < 100 {
						n++
					}
				}
				if n != 100 {
					errs <- fmt.Errorf("%d stable matches, want 100", n)
					return
				}
			}
		})
	}
	churn := []*query.Query{mustParse(t, "churn"), mustParse(t, `"churn words" -nothing`), mustParse(t, "chur*")}
	for i := range 3000 {
		id := uint64(100 + i%50)
		if i%3 == 0 {
			x.Remove(id)
		} else {
			x.Add(id, churn[i%len(churn)])
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// checkEmptyDict fails unless everything interned has been released.
func checkEmptyDict(t *testing.T, x *Index) {
	t.Helper()
	d := &x.dict
	if d.tab.n != 0 || d.nPrefixes != 0 || len(d.lengthCounts) != 0 || len(x.ids) != 0 {
		t.Fatalf("index not empty: %d terms, %d prefixes, %d prefix lengths, %d ids", d.tab.n, d.nPrefixes, len(d.lengthCounts), len(x.ids))
	}
	for i, m := range d.prefixBits {
		if m != 0 {
			t.Fatalf("prefix filter word %d still set: %#x", i, m)
		}
	}
	for i, m := range d.lengths {
		if m != 0 {
			t.Fatalf("prefix length filter slot %d still set: %#x", i, m)
		}
	}
	for id := range d.n {
		if tm := d.at(id); tm.refs != 0 {
			t.Fatalf("term %d %q still has %d refs", id, tm.text, tm.refs)
		}
	}
}
