package summary

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pick chooses up to maxPicked sentences by score within budget runes and
// joins them in text order. The best sentence holding a term comes first
// (see Summarize); the others follow by score.
func pick(cands []sentence, s *scorer, budget int) string {
	ranked := make([]sentence, 0, len(cands))
	var repeats []sentence
	for _, c := range cands {
		if c.repeats {
			repeats = append(repeats, c)
		} else {
			ranked = append(ranked, c)
		}
	}
	byScore := func(a, b sentence) int { return cmp.Compare(b.score, a.score) } // ties keep text order
	slices.SortStableFunc(ranked, byScore)
	slices.SortStableFunc(repeats, byScore)
	first := -1 // index in ranked of the first chosen sentence; -1: a title repeat
	var best sentence
	if i := slices.IndexFunc(ranked, func(c sentence) bool { return c.hits > 0 }); i >= 0 {
		first, best = i, ranked[i]
	} else if len(repeats) > 0 {
		best = repeats[0] // every candidate repeat holds a term
	} else if len(ranked) > 0 {
		first, best = 0, ranked[0]
	} else {
		return ""
	}
	if best.runes > budget {
		return truncate(best.text, budget)
	}
	top := best.score
	if len(ranked) > 0 {
		top = max(top, ranked[0].score)
	}
	chosen := []sentence{best}
	used := best.runes
	for i, c := range ranked {
		if len(chosen) == maxPicked {
			break
		}
		if i == first || c.score < minRelativeScore*top || used+1+c.runes > budget {
			continue
		}
		if slices.ContainsFunc(chosen, func(p sentence) bool { return s.similarity(p, c) > redundant }) {
			continue
		}
		chosen = append(chosen, c)
		used += 1 + c.runes
	}
	slices.SortFunc(chosen, func(a, b sentence) int { return cmp.Compare(a.index, b.index) })
	var b strings.Builder
	b.Grow(used * 2)
	for i, c := range chosen {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.text)
	}
	return b.String()
}

// truncate cuts s to at most budget runes including the final "…", at the
// last space if that keeps at least half of the budget, else at a rune
// boundary (scripts written without spaces).
func truncate(s string, budget int) string {
	limit := budget - 1 // room for "…"
	cut := len(s)
	for i := range s {
		if limit == 0 {
			cut = i
			break
		}
		limit--
	}
	head := s[:cut]
	if sp := strings.LastIndexFunc(head, unicode.IsSpace); sp >= 0 && utf8.RuneCountInString(head[:sp]) >= budget/2 {
		head = head[:sp]
	}
	head = strings.TrimRightFunc(head, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(«“\"'", r)
	})
	return head + "…"
}
