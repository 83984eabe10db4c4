package summary

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pick chooses up to maxPicked sentences by score within budget runes and
// joins them in text order.
func pick(cands []sentence, s *scorer, budget int) string {
	if len(cands) == 0 {
		return ""
	}
	ranked := slices.Clone(cands)
	slices.SortStableFunc(ranked, func(a, b sentence) int {
		return cmp.Compare(b.score, a.score) // ties keep text order
	})
	best := ranked[0]
	if best.runes > budget {
		return truncate(best.text, budget)
	}
	chosen := []sentence{best}
	used := best.runes
	for _, c := range ranked[1:] {
		if len(chosen) == maxPicked {
			break
		}
		if c.score < minRelativeScore*best.score || used+1+c.runes > budget {
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
