package index

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/newsalert/newsalert/subscriptions/query"
)

// The benchmark workload, generated from fixed seeds:
//
//   - A vocabulary of 50,000 pseudo-words ranked by frequency. Frequent
//     words are short, rare ones long, as in natural language (Zipf's law of
//     abbreviation): rank r has about 2 + 0.6 ln(r+2) letters.
//   - Stories of 600 words (a 12-word title, 588 words of text) drawn with
//     Zipf frequencies, P(rank k) proportional to (1+k)^-1.1
//     (math/rand/v2 Zipf).
//   - Queries of 1 to 4 terms (equally likely). A term is a phrase of two
//     words with probability 20%, a prefix 5% (a word's stem: the word
//     without its last 1 to 3 letters, at least 4 letters, and '*', like
//     ukrain* for ukraine), a word otherwise. 10% of queries have one term replaced by an
//     OR group of 2 or 3 words, 10% have a negated word added.
//
// Subscription words are drawn uniformly from vocabulary ranks 300 to
// 49,999: people subscribe to topics (names, places, subjects), not to the
// 300 most frequent words ("the", "said"), and a topic's popularity among
// subscribers has little to do with how often the word appears in text.
// Drawing subscription words with the same Zipf frequencies as story words
// would make the single most frequent word (in every story) the term of 14%
// of all queries: every story would alert a third of all subscribers, which
// measures output volume, not matching. Negated words are drawn with the
// story Zipf frequencies (people exclude common words: -sports). With this
// workload a story matches about 0.1% of subscriptions (the benchmarks
// report matches/story), several times more than a news alert service
// would send.
const (
	vocabSize   = 50000
	topicFrom   = 300
	storyWords  = 600
	titleWords  = 12
	zipfS       = 1.1
	numStories  = 512
	vocabSeed   = 1
	storySeed   = 2
	querySeed   = 3
	syllableSet = "bcdfghjklmnprstvwz"
	vowelSet    = "aeiou"
)

type workload struct {
	vocab   []string // by rank, most frequent first
	stories []*query.Doc
}

func newWorkload() *workload {
	w := &workload{vocab: makeVocab()}
	r := rand.New(rand.NewPCG(storySeed, 0))
	z := rand.NewZipf(r, zipfS, 1, vocabSize-1)
	words := make([]string, storyWords)
	for range numStories {
		for i := range words {
			words[i] = w.vocab[z.Uint64()]
		}
		title := strings.Join(words[:titleWords], " ")
		text := strings.Join(words[titleWords:], " ")
		w.stories = append(w.stories, query.NewDoc(title, text))
	}
	return w
}

// makeVocab returns vocabSize distinct pseudo-words, shorter for more
// frequent ranks.
func makeVocab() []string {
	r := rand.New(rand.NewPCG(vocabSeed, 0))
	seen := make(map[string]bool, vocabSize)
	vocab := make([]string, 0, vocabSize)
	var b []byte
	for rank := 0; len(vocab) < vocabSize; {
		n := 2 + int(0.6*math.Log(float64(rank+2))) + r.IntN(3)
		b = b[:0]
		for len(b) < n {
			if len(b)%2 == 0 {
				b = append(b, syllableSet[r.IntN(len(syllableSet))])
			} else {
				b = append(b, vowelSet[r.IntN(len(vowelSet))])
			}
		}
		if s := string(b); !seen[s] {
			seen[s] = true
			vocab = append(vocab, s)
			rank++
		}
	}
	return vocab
}

// queryGen generates the workload's queries in a fixed order.
type queryGen struct {
	w    *workload
	r    *rand.Rand
	neg  *rand.Zipf
	buf  strings.Builder
	lim  query.Limits
	kind [4]int // counts: phrase, prefix, or, not
}

func (w *workload) queries() *queryGen { return w.queriesSeeded(querySeed) }

func (w *workload) queriesSeeded(seed uint64) *queryGen {
	r := rand.New(rand.NewPCG(seed, 0))
	return &queryGen{w: w, r: r, neg: rand.NewZipf(r, zipfS, 1, vocabSize-1), lim: query.DefaultLimits()}
}

func (g *queryGen) topic() string {
	return g.w.vocab[topicFrom+g.r.IntN(vocabSize-topicFrom)]
}

// next returns the next query; the generator never produces invalid ones.
func (g *queryGen) next() *query.Query {
	for {
		q, err := query.Parse(g.nextString(), g.lim)
		if err == nil {
			return q
		}
	}
}

func (g *queryGen) nextString() string {
	b := &g.buf
	b.Reset()
	n := 1 + g.r.IntN(4)
	orAt := -1
	if g.r.IntN(10) == 0 {
		orAt = g.r.IntN(n)
		g.kind[2]++
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == orAt {
			b.WriteByte('(')
			for k := range 2 + g.r.IntN(2) {
				if k > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString(g.topic())
			}
			b.WriteByte(')')
			continue
		}
		switch p := g.r.IntN(100); {
		case p < 20:
			g.kind[0]++
			b.WriteString(`"` + g.topic() + " " + g.topic() + `"`)
		case p < 25:
			g.kind[1]++
			word := g.topic()
			for len(word) < 5 {
				word = g.topic()
			}
			b.WriteString(word[:max(4, len(word)-1-g.r.IntN(3))] + "*")
		default:
			b.WriteString(g.topic())
		}
	}
	if g.r.IntN(10) == 0 {
		g.kind[3]++
		b.WriteString(" -" + g.w.vocab[g.neg.Uint64()])
	}
	return b.String()
}
