package index

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsalert/newsalert/subscriptions/query"
)

// diffVocab is a small vocabulary so random queries match random stories
// often. Each entry lists spellings of one word as a story or a query may
// write it; queries and stories pick spellings at random, so matching must
// see through case, accents, folding and scripts.
var diffVocab = [][]string{
	{"russia", "Russia", "RUSSIA"},
	{"putin", "Putin", "PUTIN"},
	{"put", "Put"},
	{"north", "North"},
	{"korea", "Korea", "KOREA"},
	{"kim", "Kim"},
	{"ukraine", "Ukraine"},
	{"ukrainian", "Ukrainian", "UKRAINIAN"},
	{"ukr", "Ukr"},
	{"zelenskyy", "Zelenskyy", "ZELENSKYY"},
	{"sao", "São", "SÃO", "Sao"},
	{"paulo", "Paulo"},
	{"strasse", "Straße", "STRASSE"},
	{"sports", "Sports"},
	{"missile", "Missile", "missile"},
	{"a", "A"},
	{"of", "Of"},
	{"москва", "Москва", "МОСКВА"},
	{"αθηνα", "Αθήνα", "ΑΘΗΝΑ"},
	{"北"},
	{"京"},
	{"pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopic"},
}

// diffPrefixes are prefix queries; some match several vocabulary words.
var diffPrefixes = []string{"ukr*", "ukrain*", "put*", "zelen*", "Straß*", "мос*", "pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicrosco*", "kor*"}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func randWord(r *rand.Rand) string { return pick(r, pick(r, diffVocab)) }

// randLeaf returns a random term in query syntax.
func randLeaf(r *rand.Rand) string {
	var s string
	switch k := r.IntN(10); {
	case k < 5:
		s = randWord(r)
	case k < 8:
		n := 2 + r.IntN(2)
		words := make([]string, n)
		for i := range words {
			words[i] = randWord(r)
		}
		sep := pick(r, []string{" ", "-", ", "})
		s = `"` + strings.Join(words, sep) + `"`
	default:
		s = pick(r, diffPrefixes)
	}
	switch r.IntN(8) {
	case 0:
		return "title:" + s
	case 1:
		return "text:" + s
	}
	return s
}

// randExpr returns a random expression in query syntax, varying the
// spelling of operators.
func randExpr(r *rand.Rand, depth int) string {
	if depth == 0 || r.IntN(3) == 0 {
		return randLeaf(r)
	}
	switch r.IntN(5) {
	case 0, 1:
		n := 2 + r.IntN(2)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = randExpr(r, depth-1)
		}
		return "(" + strings.Join(parts, pick(r, []string{" ", " AND "})) + ")"
	case 2, 3:
		n := 2 + r.IntN(2)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = randExpr(r, depth-1)
		}
		return "(" + strings.Join(parts, pick(r, []string{" OR ", " | "})) + ")"
	}
	return pick(r, []string{"-", "NOT "}) + randExpr(r, depth-1)
}

// randQueries returns n valid random queries.
func randQueries(r *rand.Rand, n int) []*query.Query {
	out := make([]*query.Query, 0, n)
	for len(out) < n {
		q, err := query.Parse(randExpr(r, 3), query.DefaultLimits())
		if err == nil { // purely negative and over-long ones are refused
			out = append(out, q)
		}
	}
	return out
}

// randStory returns a title and text in varied spellings and punctuation.
func randStory(r *rand.Rand) (string, string) {
	gen := func(n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(pick(r, []string{" ", " ", " ", ", ", "-", ". ", "'s ", " (", ") ", ""}))
			}
			b.WriteString(randWord(r))
		}
		return b.String()
	}
	return gen(r.IntN(8)), gen(r.IntN(40))
}

// TestIndexMatchesEval is the differential test: 10,000 random queries,
// random stories, and random removals and replacements; the index must
// return exactly what the naive evaluator returns.
func TestIndexMatchesEval(t *testing.T) {
	const nQueries = 10000
	nStories := 240
	if testing.Short() {
		nStories = 60
	}
	r := rand.New(rand.NewPCG(1, 2))
	queries := randQueries(r, nQueries)
	x := New()
	live := map[uint64]*query.Query{}
	for i, q := range queries {
		x.Add(uint64(i), q)
		live[uint64(i)] = q
	}
	var dst []Match
	matches := 0
	for s := range nStories {
		if s > 0 && s%(nStories/6) == 0 {
			// Churn: remove a tenth, replace a tenth, add new ones.
			for range nQueries / 10 {
				id := uint64(r.IntN(nQueries))
				x.Remove(id)
				delete(live, id)
			}
			for i, q := range randQueries(r, nQueries/10) {
				id := uint64(r.IntN(nQueries + nQueries/10))
				if i%2 == 0 {
					id = uint64(nQueries + r.IntN(nQueries))
				}
				x.Add(id, q)
				live[id] = q
			}
			if x.Len() != len(live) {
				t.Fatalf("Len = %d, want %d", x.Len(), len(live))
			}
		}
		title, text := randStory(r)
		d := query.NewDoc(title, text)
		dst = x.Match(d, dst[:0])
		got := map[uint64][]query.Hit{}
		for _, m := range dst {
			got[m.ID] = m.Hits
		}
		for id, q := range live {
			ok, hits := q.Eval(d)
			gh, matched := got[id]
			if ok != matched {
				t.Fatalf("story %d (%q | %q), query %d %q: Eval %v, index %v", s, title, text, id, q, ok, matched)
			}
			if ok && !sameHits(hits, gh) {
				t.Fatalf("story %d (%q | %q), query %d %q: Eval hits %v, index hits %v", s, title, text, id, q, hits, gh)
			}
			if ok {
				matches++
			}
		}
		if len(got) != len(dst) {
			t.Fatalf("story %d: duplicate IDs in %d matches", s, len(dst))
		}
	}
	if matches < nStories*100 {
		t.Fatalf("only %d matches over %d stories: the test is too weak", matches, nStories)
	}
	t.Logf("%d matches compared over %d stories", matches, nStories)
}

// sameHits compares hits as sets, and insists on the documented order too.
func sameHits(a, b []query.Hit) bool {
	if len(a) != len(b) {
		return false
	}
	set := map[query.Hit]int{}
	for _, h := range a {
		set[h]++
	}
	for _, h := range b {
		set[h]--
	}
	for _, n := range set {
		if n != 0 {
			return false
		}
	}
	return slices.Equal(a, b)
}

func TestRandQueriesVaried(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := map[string]int{}
	for _, q := range randQueries(r, 2000) {
		s := q.String()
		for _, k := range []string{" OR ", "-", `"`, "*", "title:", "text:", "("} {
			if strings.Contains(s, k) {
				kinds[k]++
			}
		}
	}
	for _, k := range []string{" OR ", "-", `"`, "*", "title:", "text:", "("} {
		if kinds[k] < 100 {
			t.Errorf("only %d of 2000 random queries contain %q", kinds[k], k)
		}
	}
	if testing.Verbose() {
		fmt.Println(kinds)
	}
}
