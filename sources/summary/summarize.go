package summary

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsalert/newsalert/sources/storytext"
)

// Scoring weights and limits; see Summarize.
const (
	maxPicked        = 3    // sentences in a summary
	minRunes         = 15   // shorter sentences are never picked, unless they hold a term
	minWords         = 3    // nor sentences with fewer words
	shortRunes       = 60   // sentences shorter than this are penalised
	longRunes        = 300  // sentences longer than this are penalised
	titleRepeat      = 0.75 // content-word Jaccard with the title above which a sentence repeats it
	redundant        = 0.5  // content-word Jaccard above which two picked sentences say the same
	minRelativeScore = 0.25 // second and third sentences need this share of the best score
	weightPosition   = 0.40
	weightTitle      = 0.25
	weightTerms      = 0.25
	bonusMatched     = 0.35 // sentence contains a subscription term
	bonusPerExtra    = 0.10 // each further distinct term
	leadDecay        = 0.3  // position score is 1/(1+leadDecay*k) for the k-th sentence
	bonusParagraph   = 0.1  // position bonus for a paragraph's first sentence
	penaltyPromo     = 0.3  // multiplier for sentences with promotional words
)

// sentence is one candidate with its token range in the shared token slice.
type sentence struct {
	text       string
	start, end int // toks[start:end]
	index      int // order among candidates
	paraStart  bool
	promo      bool    // uses promotional vocabulary
	termWeight float64 // TF-IDF-like weight of its words
	runes      int
	score      float64
	hits       int  // distinct subscription terms it contains
	repeats    bool // repeats the title: used only to keep a matched sentence
}

// Summarize returns an extractive summary of text for an alert: the best two
// or three sentences, in their original order, joined by spaces, at most
// budget runes long.
//
// Sentences (see Sentences) are scored by position (lead bias, with a small
// bonus for paragraph openers), overlap with the title's content words, the
// TF-IDF-like weight of their words within the article (sentences as
// documents), and a bonus for containing any of terms (the subscription's
// matched keywords or phrases, case-insensitive, whole words). Very short
// and very long sentences, quote-only sentences, questions, lead-ins ending
// in ":", sentences with URLs and promotional wording are penalised;
// boilerplate lines (storytext.IsBoilerplate), fragments under three words
// or 15 characters and repetitions of the title are not used. Sentences that
// repeat an already chosen one are skipped.
//
// The matched sentence is always in the summary: when terms occur in the
// text, the best sentence holding one is chosen first, however short ("Linux
// 6.8 is out now."); a sentence that repeats the title is used for that only
// when no other sentence holds a term.
//
// No sentence is cut unless the first chosen one alone exceeds budget; then
// only that sentence is returned, cut at a word boundary (at a rune for
// unspaced scripts) and ended with "…". The result is deterministic.
// Summarize returns "" when budget < 2 or when no usable sentence remains.
func Summarize(title, text string, terms []string, budget int) string {
	if budget < 2 {
		return ""
	}
	v := newVocab(min(len(text)/32, 4096) + 16) // distinct words, not tokens
	var (
		sents []sentence
		toks  = make([]int32, 0, len(text)/5+8)
	)
	eachSentence(text, func(s string, paraStart bool) {
		st := len(toks)
		toks = v.tokens(toks, s, true)
		sents = append(sents, sentence{text: s, start: st, end: len(toks), paraStart: paraStart})
	})
	if len(sents) == 0 {
		return ""
	}
	titleToks := v.tokens(nil, title, true)
	termToks := make([]termTokens, 0, len(terms))
	for _, term := range terms {
		stem, isPrefix := strings.CutSuffix(strings.TrimSpace(term), "*")
		if !isPrefix {
			if tt := v.tokens(nil, stem, false); len(tt) > 0 && !slices.Contains(tt, -1) {
				termToks = append(termToks, termTokens{ids: tt})
			}
			continue
		}
		// "ukrain*": the words before the last must occur as they are; the
		// last starts a word.
		tt := v.tokens(nil, stem, true)
		if len(tt) == 0 {
			continue
		}
		last := v.words[tt[len(tt)-1]]
		termToks = append(termToks, termTokens{ids: tt[:len(tt)-1], prefix: last})
	}
	s := newScorer(v, toks, sents, titleToks)
	cands := s.candidates(termToks)
	return pick(cands, s, budget)
}

// scorer holds per-article statistics indexed by word id.
type scorer struct {
	v       *vocab
	toks    []int32
	sents   []sentence
	weight  []float64 // TF-IDF-like weight of each word
	inTitle []bool
	nTitle  int
	mark    []int32 // scratch: generation marks for distinct-word counting
	gen     int32
	promo   []bool
}

func newScorer(v *vocab, toks []int32, sents []sentence, titleToks []int32) *scorer {
	n := len(v.stop)
	s := &scorer{
		v: v, toks: toks, sents: sents,
		weight: make([]float64, n), inTitle: make([]bool, n),
		mark: make([]int32, n), promo: make([]bool, n),
	}
	tf := make([]int32, n)
	df := make([]int32, n)
	for i, st := range sents {
		for _, id := range toks[st.start:st.end] {
			tf[id]++
			if s.mark[id] != int32(i+1) {
				s.mark[id] = int32(i + 1)
				df[id]++
			}
		}
	}
	s.gen = int32(len(sents) + 1)
	docs := float64(len(sents))
	for id := range n {
		if !v.stop[id] && tf[id] > 0 {
			s.weight[id] = float64(tf[id]) * math.Log(1+docs/float64(df[id]))
		}
	}
	for _, id := range titleToks {
		if !v.stop[id] && !s.inTitle[id] {
			s.inTitle[id] = true
			s.nTitle++
		}
	}
	for _, w := range []string{"subscribe", "subscribers", "subscription", "newsletter",
		"newsletters", "cookie", "cookies", "click", "unsubscribe", "advertisement",
		"sponsored", "copyright", "podcast", "download"} {
		v.buf = append(v.buf[:0], w...)
		if id := v.id(false); id >= 0 {
			s.promo[id] = true
		}
	}
	return s
}

// candidates scores every usable sentence and returns them in text order.
func (s *scorer) candidates(termToks []termTokens) []sentence {
	out := make([]sentence, 0, len(s.sents))
	maxTerm := 0.0
	for _, st := range s.sents {
		words := st.end - st.start
		st.runes = utf8.RuneCountInString(st.text)
		st.hits = s.termHits(st, termToks)
		if storytext.IsBoilerplate(st.text) || (st.hits == 0 && (st.runes < minRunes || words < minWords)) {
			continue
		}
		content, overlap, sum, promo := s.contentStats(st)
		if content == 0 {
			continue
		}
		if s.nTitle > 0 && float64(overlap)/float64(content+s.nTitle-overlap) >= titleRepeat {
			if st.hits == 0 {
				continue // the title repeated as the first line of the text
			}
			st.repeats = true
		}
		st.termWeight = sum / math.Sqrt(float64(content))
		maxTerm = max(maxTerm, st.termWeight)
		st.index = len(out)
		st.score = weightTitle * ratio(overlap, s.nTitle)
		st.promo = promo
		out = append(out, st)
	}
	k := 0 // position among the sentences that do not repeat the title
	for i := range out {
		st := &out[i]
		pos := 1 / (1 + leadDecay*float64(k))
		if !st.repeats {
			k++
		}
		if st.paraStart && st.index > 0 {
			pos += bonusParagraph
		}
		st.score += weightPosition * pos
		if maxTerm > 0 {
			st.score += weightTerms * st.termWeight / maxTerm
		}
		if st.hits > 0 {
			st.score += bonusMatched + bonusPerExtra*float64(min(st.hits, 3)-1)
		}
		st.score *= shapePenalty(*st, st.end-st.start)
		if st.promo {
			st.score *= penaltyPromo
		}
	}
	return out
}

// contentStats returns the number of distinct content words of st, how many
// of them are in the title, the sum of their weights, and whether st uses
// promotional vocabulary.
func (s *scorer) contentStats(st sentence) (content, overlap int, sum float64, promo bool) {
	s.gen++
	for _, id := range s.toks[st.start:st.end] {
		if s.promo[id] {
			promo = true
		}
		if s.v.stop[id] || s.mark[id] == s.gen {
			continue
		}
		s.mark[id] = s.gen
		content++
		sum += s.weight[id]
		if s.inTitle[id] {
			overlap++
		}
	}
	return content, overlap, sum, promo
}

// termTokens is one subscription term as word ids: a word or phrase, or
// with prefix set a prefix query ("ukrain*"), whose last word only has to
// start with prefix.
type termTokens struct {
	ids    []int32
	prefix string
}

// termHits counts the distinct terms that occur in st.
func (s *scorer) termHits(st sentence, termToks []termTokens) int {
	hits := 0
	words := s.toks[st.start:st.end]
	for _, tt := range termToks {
		n := len(tt.ids)
		if tt.prefix != "" {
			n++
		}
		for i := 0; i+n <= len(words); i++ {
			if !slices.Equal(words[i:i+len(tt.ids)], tt.ids) {
				continue
			}
			if tt.prefix != "" && !strings.HasPrefix(s.v.words[words[i+n-1]], tt.prefix) {
				continue
			}
			hits++
			break
		}
	}
	return hits
}

// similarity is the Jaccard index of the content words of a and b.
func (s *scorer) similarity(a, b sentence) float64 {
	s.gen++
	na := 0
	for _, id := range s.toks[a.start:a.end] {
		if !s.v.stop[id] && s.mark[id] != s.gen {
			s.mark[id] = s.gen
			na++
		}
	}
	shared, nb := 0, 0
	s.gen++
	for _, id := range s.toks[b.start:b.end] {
		if s.v.stop[id] || s.mark[id] == s.gen {
			continue
		}
		if s.mark[id] == s.gen-1 {
			shared++
		} else {
			nb++
		}
		s.mark[id] = s.gen
	}
	return ratio(shared, na+nb)
}

// shapePenalty is a multiplier in (0, 1] for sentence shapes that make poor
// alert text.
func shapePenalty(st sentence, words int) float64 {
	p := 1.0
	switch {
	case st.runes < shortRunes:
		p *= 0.6
	case st.runes > 2*longRunes:
		p *= 0.5
	case st.runes > longRunes:
		p *= 0.75
	}
	if words < 8 {
		p *= 0.7
	}
	if isQuoteOnly(st.text) {
		p *= 0.5
	}
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRight(st.text, "\"'”’»)"))
	switch last {
	case '?', '？', '¿':
		p *= 0.7
	case ':':
		p *= 0.4
	}
	if strings.Contains(st.text, "http") || strings.Contains(st.text, "www.") || strings.Contains(st.text, "@") {
		p *= 0.7
	}
	return p
}

// isQuoteOnly reports whether the whole sentence is a quotation without
// attribution: “We will win.”
func isQuoteOnly(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	if first != '"' && first != '“' && first != '«' && first != '„' && first != '\'' && first != '‘' {
		return false
	}
	t := strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsPunct(r) && !isQuote(r) })
	last, _ := utf8.DecodeLastRuneInString(t)
	return isQuote(last)
}

func isQuote(r rune) bool {
	switch r {
	case '"', '”', '»', '“', '\'', '’':
		return true
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
