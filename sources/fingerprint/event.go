package fingerprint

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Limits of the event signature kept in a fingerprint.
const (
	maxTitleNums = 6  // numbers and dates of the headline
	maxNums      = 12 // numbers and dates of headline and lead
	maxNames     = 8  // names of the headline
	maxKnown     = 24 // names anywhere and every headline word
	maxHeads     = 10 // headline words other than names and numbers
	maxWords     = 12 // headline words other than numbers
	namePrefix   = 5  // names compare by their first runes: Korea/Korean, Russia/Russian
)

// Verb classes of a headline, as bits of event.polarity: two headlines
// whose verbs say opposite things are two events (rises/falls, holds/cuts,
// wins/loses).
const (
	polUp uint8 = 1 << iota
	polDown
	polHold
)

// opposites are the pairs of verb classes that cannot describe one event.
var opposites = [][2]uint8{{polUp, polDown}, {polHold, polUp}, {polHold, polDown}}

// event is what tells apart two events on one topic that share most words:
// the numbers and dates they give, the names in their headlines and the
// direction of their headline verbs. (Win and lose are left out: "Usyk
// defeats Fury" and "Fury loses to Usyk" are one event.)
type event struct {
	titleNums [maxTitleNums]uint32 // numbers and dates of the headline
	nums      [maxNums]uint32      // numbers and dates of headline and lead
	names     [maxNames]uint32     // names in the headline, by prefix
	known     [maxKnown]uint32     // names anywhere and headline words, by prefix
	heads     [maxHeads]uint32     // headline words other than names and numbers, stemmed as terms
	words     [maxWords]uint32     // headline words other than numbers, stemmed as terms, in headline order
	// lengths of the lists above, each sorted ascending without repeats
	// (words: in order, without repeats)
	nt, nn, nnames, nknown, nheads, nwords uint8
	polarity                               uint8
}

// lists returns the event's hash lists in serialisation order, with their
// capacities.
func (e *event) lists() []hashList {
	return []hashList{{e.titleNums[:], &e.nt, true}, {e.nums[:], &e.nn, true}, {e.names[:], &e.nnames, true},
		{e.known[:], &e.nknown, true}, {e.heads[:], &e.nheads, true}, {e.words[:], &e.nwords, false}}
}

// hashList is one list of an event: its storage and length, and whether
// it is sorted (otherwise in order of appearance).
type hashList struct {
	buf    []uint32
	n      *uint8
	sorted bool
}

func (l hashList) get() []uint32 { return l.buf[:*l.n] }

func (l hashList) set(hs []uint32) {
	if l.sorted {
		hs = sortedUnique(hs)
	} else {
		hs = firstOccurrences(hs)
	}
	*l.n = uint8(copy(l.buf, hs))
}

// firstOccurrences drops repeats, keeping the order.
func firstOccurrences(hs []uint32) []uint32 {
	var out []uint32
	for _, h := range hs {
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// prefixHash hashes the first namePrefix runes of w.
func prefixHash(w string) uint32 {
	if r := []rune(w); len(r) > namePrefix {
		w = string(r[:namePrefix])
	}
	return hashTerm(w)
}

// word is one word of a text for the event signature.
type word struct {
	text    string // folded, lower case; numbers without separators
	capital bool   // written with a capital (or a digit)
	first   bool   // first word of the text or of a sentence or clause
}

// eachWord calls fn for each word of s: letters and digits, with decimal
// points and thousands separators kept inside numbers ("1,012" -> "1012",
// "5.25" -> "5.25") and a leading currency sign dropped.
func eachWord(s string, fn func(word)) {
	s = fold(s)
	rs := []rune(s)
	var cur []rune
	first := true
	flush := func() {
		if len(cur) == 0 {
			return
		}
		fn(word{text: strings.ToLower(string(cur)), capital: unicode.IsUpper(cur[0]) || unicode.IsDigit(cur[0]), first: first})
		first = false
		cur = cur[:0]
	}
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		case (r == '.' || r == ',') && len(cur) > 0 && unicode.IsDigit(cur[len(cur)-1]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			if r == '.' {
				cur = append(cur, r)
			}
		default:
			flush()
			if r == '.' || r == '!' || r == '?' || r == ':' || r == ';' || r == '|' || r == '(' || r == '"' {
				first = true
			}
		}
	}
	flush()
}

// numberOf returns the number a word starts with ("97th" -> "97",
// "15cm" -> "15", "2.5bn" -> "2.5"), or a date token for weekday and month
// names ("monday" -> "@monday"), or "".
func numberOf(w string) string {
	if w == "" {
		return ""
	}
	if w[0] >= '0' && w[0] <= '9' {
		num, _ := splitNumber(w)
		return num
	}
	switch w {
	case "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "april", "june", "july", "august", "september",
		"october", "november", "december":
		return "@" + w
	}
	return ""
}

// polarityOf returns the verb class of a lower-case headline word, or 0.
func polarityOf(w string) uint8 {
	switch w {
	case "rise", "rises", "rising", "rose", "risen", "climb", "climbs", "climbed", "climbing", "jump", "jumps",
		"jumped", "jumping", "surge", "surges", "surged", "surging", "soar", "soars", "soared", "soaring", "gain",
		"gains", "gained", "rally", "rallies", "rallied", "hike", "hikes", "hiked", "raise", "raises", "raised",
		"raising", "increase", "increases", "increased", "higher", "up", "lift", "lifts", "lifted", "boost",
		"boosts", "boosted", "above":
		return polUp
	case "fall", "falls", "fell", "falling", "fallen", "drop", "drops", "dropped", "dropping", "slip", "slips",
		"slipped", "slide", "slides", "slid", "sliding", "plunge", "plunges", "plunged", "tumble", "tumbles",
		"tumbled", "sink", "sinks", "sank", "slump", "slumps", "slumped", "cut", "cuts", "cutting", "lower",
		"lowers", "lowered", "lowering", "decrease", "decreases", "decreased", "decline", "declines", "declined",
		"reduce", "reduces", "reduced", "down", "below", "ease", "eases", "eased":
		return polDown
	case "hold", "holds", "held", "holding", "keep", "keeps", "kept", "unchanged", "steady", "pause", "pauses", "paused":
		return polHold
	}
	return 0
}

// eventOf extracts the event signature of a story.
func eventOf(title, lead string) event {
	var ev event
	lead = truncateRunes(lead, maxLeadRunes)
	titleCase := isTitleCase(title)
	leadNames := map[string]bool{}
	var titleNums, nums, names, known, heads, words []uint32
	eachWord(lead, func(w word) {
		if n := numberOf(w.text); n != "" {
			nums = append(nums, hashTerm(n))
			return
		}
		if w.capital {
			// A sentence's first word counts too: leads start with names
			// ("Thames Water was fined..."); function words are stop words.
			leadNames[w.text] = true
			known = append(known, prefixHash(w.text))
		}
	})
	eachWord(title, func(w word) {
		if n := numberOf(w.text); n != "" {
			h := hashTerm(n)
			titleNums = append(titleNums, h)
			nums = append(nums, h)
			return
		}
		if ev.polarity == 0 {
			ev.polarity = polarityOf(w.text) // the headline's main verb comes first
		}
		if isStopword(w.text) || len([]rune(w.text)) < minTermsRunes {
			return
		}
		known = append(known, prefixHash(w.text))
		h := hashTerm(stem(w.text))
		words = append(words, h)
		if w.capital && (!titleCase && !w.first || leadNames[w.text]) {
			names = append(names, prefixHash(w.text))
		}
		// What happened: neither a name (a capital outside a Title Case
		// headline, the first word included) nor an office.
		if !(w.capital && (!titleCase || leadNames[w.text])) && !isOffice(w.text) {
			heads = append(heads, h)
		}
	})
	for i, hs := range [][]uint32{titleNums, nums, names, known, heads, words} {
		ev.lists()[i].set(hs)
	}
	return ev
}

// isOffice reports words that name a person by office: like names, they
// say who, not what happened.
func isOffice(w string) bool {
	switch w {
	case "president", "minister", "prime", "chancellor", "king", "queen", "prince", "princess", "pope",
		"leader", "chief", "executive", "ceo", "boss", "governor", "mayor", "senator", "secretary",
		"premier", "general", "former", "ex":
		return true
	}
	return false
}

// sortedUnique sorts hs and drops repeats.
func sortedUnique(hs []uint32) []uint32 {
	slices.Sort(hs)
	return slices.Compact(hs)
}

func contains(hs []uint32, h uint32) bool {
	_, ok := slices.BinarySearch(hs, h)
	return ok
}

// hasTerm reports whether f has the term whose hash is h.
func (f *Fingerprint) hasTerm(h uint32) bool {
	_, ok := slices.BinarySearchFunc(f.terms[:f.n], h, func(t term, h uint32) int {
		switch {
		case t.hash < h:
			return -1
		case t.hash > h:
			return 1
		}
		return 0
	})
	return ok
}

// numbersDiffer reports whether each headline gives a number or date that
// the other story does not mention at all (day 1,012 vs 1,013; magnitude
// 5.2 vs 6.4; 2-1 vs 3-0; Monday vs Tuesday).
func numbersDiffer(a, b *Fingerprint) bool {
	return hasForeign(a.ev.titleNums[:a.ev.nt], b.ev.nums[:b.ev.nn]) && hasForeign(b.ev.titleNums[:b.ev.nt], a.ev.nums[:a.ev.nn])
}

// numberUnmatched reports whether one headline gives a number or date that
// the other story lacks although it gives numbers of its own: "Milton
// becomes category 5 hurricane" vs "Milton makes landfall" (as a category 3
// storm).
// Years are left out: outlets date the same event differently ("Oscars
// 2025: Anora wins" vs "Anora takes top prize at the Oscars").
func numberUnmatched(a, b *Fingerprint) bool {
	return b.ev.nn > 0 && hasForeignFigure(a.ev.titleNums[:a.ev.nt], b.ev.nums[:b.ev.nn]) ||
		a.ev.nn > 0 && hasForeignFigure(b.ev.titleNums[:b.ev.nt], a.ev.nums[:a.ev.nn])
}

// hasForeignFigure reports whether some of hs, other than a year, is not in
// other.
func hasForeignFigure(hs, other []uint32) bool {
	for _, h := range hs {
		if !yearHashes[h] && !contains(other, h) {
			return true
		}
	}
	return false
}

// yearHashes are the hashes of the years 1900 to 2199 as numbers; read only
// after package initialisation.
var yearHashes = func() map[uint32]bool {
	m := make(map[uint32]bool, 300)
	for y := 1900; y < 2200; y++ {
		m[hashTerm(strconv.Itoa(y))] = true
	}
	return m
}()

// actionsDiffer reports whether no headline word of either story (other
// than names and numbers: what happened) appears in the other story: the
// same people in two different events ("King Charles diagnosed with
// cancer" vs "King Charles opens parliament").
func actionsDiffer(a, b *Fingerprint) bool {
	return a.ev.nheads > 0 && b.ev.nheads > 0 && !anyTerm(a.ev.heads[:a.ev.nheads], b) && !anyTerm(b.ev.heads[:b.ev.nheads], a)
}

// anyTerm reports whether some of hs is a term or headline word of f.
func anyTerm(hs []uint32, f *Fingerprint) bool {
	for _, h := range hs {
		if f.hasTerm(h) || slices.Contains(f.ev.words[:f.ev.nwords], h) {
			return true
		}
	}
	return false
}

// slotDiffers reports whether two headlines are one template with another
// word in one slot: the same words in the same order but one, and each of
// the two differing words absent from the other story ("Grammys 2025: full
// list of nominees" vs "... winners"; "X meets Y" vs "X meets Z").
func slotDiffers(a, b *Fingerprint) bool {
	wa, wb := a.ev.words[:a.ev.nwords], b.ev.words[:b.ev.nwords]
	if len(wa) != len(wb) || len(wa) < 3 {
		return false
	}
	slot := -1
	for i := range wa {
		if wa[i] != wb[i] {
			if slot >= 0 {
				return false
			}
			slot = i
		}
	}
	return slot >= 0 && foreignWord(wa[slot:slot+1], b) && foreignWord(wb[slot:slot+1], a)
}

// foreignWord reports whether some headline word hs is neither a term nor a
// headline word of f.
func foreignWord(hs []uint32, f *Fingerprint) bool {
	for _, h := range hs {
		if !f.hasTerm(h) && !slices.Contains(f.ev.words[:f.ev.nwords], h) {
			return true
		}
	}
	return false
}

// hasForeign reports whether some of hs is not in other.
func hasForeign(hs, other []uint32) bool {
	for _, h := range hs {
		if !contains(other, h) {
			return true
		}
	}
	return false
}

// namesDiffer reports whether each headline names someone or somewhere the
// other story does not (Leeds vs Bristol; Xi meets Putin vs Xi meets
// Macron).
func namesDiffer(a, b *Fingerprint) bool {
	return foreignName(a, b) && foreignName(b, a)
}

// foreignName reports whether a headline name of a is not among the names
// and headline words of b (compared by their first runes).
func foreignName(a, b *Fingerprint) bool {
	for _, h := range a.ev.names[:a.ev.nnames] {
		if !contains(b.ev.known[:b.ev.nknown], h) {
			return true
		}
	}
	return false
}

// verbsOppose reports whether the headlines' verbs go opposite ways: one
// rises and the other falls, one holds and the other cuts.
func verbsOppose(a, b *Fingerprint) bool {
	pa, pb := a.ev.polarity, b.ev.polarity
	for _, o := range opposites {
		x, y := o[0], o[1]
		if (pa&x != 0 && pb&y != 0 && pa&y == 0 && pb&x == 0) || (pa&y != 0 && pb&x != 0 && pa&x == 0 && pb&y == 0) {
			return true
		}
	}
	return false
}
