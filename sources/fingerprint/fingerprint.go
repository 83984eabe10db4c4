// Package fingerprint recognises the same news event reported by different
// outlets, so that one story produces one alert.
//
// A Fingerprint is a sparse, weighted term signature of a story's title and
// lead: the MaxTerms heaviest normalised words (headline words count 1.5×,
// capitalised words and numbers 2×), each stored as a 32-bit FNV-1a hash and
// a small integer weight. Two fingerprints are compared by the cosine of
// their weight vectors; Distance is 100 minus the cosine in percent.
//
// Why not a 64-bit SimHash: on testdata/pairs.tsv (same event from
// different outlets versus different events on the same topic), SimHash over
// these same weighted terms, averaged over 40 hash seeds, gave precision 0.96
// (0.90-1.00 depending on the seed) at recall 0.50 for Hamming radius 16, and
// 0.94 at recall 0.64 for radius 18; this cosine gave 0.97 at recall 0.60
// on that first set.
//
// Alike words are not enough: a fingerprint also keeps an event signature
// (the numbers, dates and names of the headline, the numbers of the lead,
// the headline's words and main verb), and Similar refuses to fold two
// stories that Differ tells apart: templated series (day 1,012 vs 1,013,
// Leeds vs Bristol, rises vs falls, nominees vs winners) and the same
// people in another event. Measured on the held-out half of
// testdata/pairs.tsv: see BENCHMARKS.md. Worse, the SimHash
// distance of two stories with nothing in common is Binomial(64, 1/2), so
// P(d <= 16) = 3.9e-5: against a 48-hour window of 50,000 stories each new
// story would collide with about two unrelated ones, while the cosine of
// stories without a shared term is exactly 0. MinHash with 128 hashes over
// word sets reached at most 0.58 recall at precision 0.95, as it cannot
// weight names and numbers.
//
// Fingerprints are deterministic across processes and platforms (fixed hash,
// no seeds, no map iteration order) and serialise to a short string for
// Redis. Candidate lookup: Keys returns the KeyTerms heaviest term hashes;
// index each stored story under its keys and fetch candidates by exact key,
// then confirm with Similar.
package fingerprint

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strings"
)

const (
	// MaxTerms is the largest number of terms kept in a fingerprint.
	MaxTerms = 24
	// KeyTerms is the number of candidate keys returned by Keys.
	KeyTerms = 6
	// DefaultThreshold is the largest Distance at which two fingerprints are
	// the same event, chosen on the tuning half of testdata/pairs.tsv for
	// precision of at least 0.99 (a false merge hides a real alert; a
	// missed one only repeats it). See BENCHMARKS.md.
	DefaultThreshold = 28
	// actionsDistance is the Distance above which the headlines must share
	// a word of what happened (see Differ): closer stories share nearly all
	// their words, which is agreement enough.
	actionsDistance = 20
	// MinTerms is the fewest terms a fingerprint needs to fold at all: a
	// story with fewer distinctive words ("Ukraine story 1 of 4") says too
	// little to be told from the next one.
	MinTerms = 8
	// version prefixes the serialised form; versionV1 the form without the
	// event signature, still parsed.
	version   = "v2."
	versionV1 = "v1."
	// termHexLen is the serialised length of one term: hash and weight.
	termHexLen = 10
)

// term is one weighted word of a fingerprint.
type term struct {
	hash   uint32
	weight uint8
}

// Fingerprint is a comparable, fixed-size value; the zero value is the
// fingerprint of a story without any content words and is similar to
// nothing.
type Fingerprint struct {
	n     uint8
	norm2 uint32         // sum of squared weights, derived from terms
	terms [MaxTerms]term // terms[:n], sorted by hash
	// hasEvent is set for fingerprints made by Of (and parsed "v2."
	// strings); those of earlier versions ("v1.") lack the event signature
	// and are similar to nothing.
	hasEvent bool
	ev       event
}

// Of returns the fingerprint of a story from its title and lead (the first
// one or two sentences of plain text; only the first 400 runes are used so
// that outlets with longer leads stay comparable).
func Of(title, lead string) Fingerprint {
	words, weights := termWeights(title, lead)
	all := make([]term, 0, len(words))
	byHash := make(map[uint32]int, len(words))
	for i, w := range words {
		h := hashTerm(w)
		if j, ok := byHash[h]; ok { // 32-bit collision: merge
			all[j].weight = clampWeight(int(all[j].weight) + weights[i])
			continue
		}
		byHash[h] = len(all)
		all = append(all, term{hash: h, weight: clampWeight(weights[i])})
	}
	slices.SortFunc(all, byWeightThenHash)
	var f Fingerprint
	f.n = uint8(copy(f.terms[:], all))
	slices.SortFunc(f.terms[:f.n], func(a, b term) int { return cmp.Compare(a.hash, b.hash) })
	f.norm2 = sumSquares(f.terms[:f.n])
	f.hasEvent = true
	f.ev = eventOf(title, lead)
	return f
}

func sumSquares(ts []term) uint32 {
	var s uint32
	for _, t := range ts {
		s += uint32(t.weight) * uint32(t.weight)
	}
	return s
}

func byWeightThenHash(a, b term) int {
	if c := cmp.Compare(b.weight, a.weight); c != 0 {
		return c
	}
	return cmp.Compare(a.hash, b.hash)
}

func hashTerm(t string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(t))
	return h.Sum32()
}

func clampWeight(w int) uint8 {
	return uint8(min(max(w, 1), math.MaxUint8))
}

// IsZero reports whether f has no terms.
func (f Fingerprint) IsZero() bool { return f.n == 0 }

// Similarity returns the cosine similarity of the weighted terms of a and b,
// in [0, 1]; it is 0 if either is zero.
func Similarity(a, b Fingerprint) float64 {
	if a.norm2 == 0 || b.norm2 == 0 {
		return 0
	}
	var dot uint32
	i, j := 0, 0
	for i < int(a.n) && j < int(b.n) {
		ta, tb := a.terms[i], b.terms[j]
		switch {
		case ta.hash < tb.hash:
			i++
		case ta.hash > tb.hash:
			j++
		default:
			dot += uint32(ta.weight) * uint32(tb.weight)
			i++
			j++
		}
	}
	if dot == 0 {
		return 0
	}
	return min(float64(dot)/math.Sqrt(float64(a.norm2)*float64(b.norm2)), 1)
}

// Distance returns 100 minus the Similarity of a and b in percent, rounded:
// 0 for identical term vectors, 100 for nothing in common or a zero
// fingerprint.
func Distance(a, b Fingerprint) int {
	return 100 - int(math.Round(100*Similarity(a, b)))
}

// Similar reports whether a and b describe the same event: both have at
// least MinTerms terms, Distance(a, b) <= threshold, and nothing tells the
// events apart (see Differ). Use DefaultThreshold unless you have measured
// otherwise.
func Similar(a, b Fingerprint, threshold int) bool {
	return a.hasEvent && b.hasEvent && int(a.n) >= MinTerms && int(b.n) >= MinTerms &&
		Distance(a, b) <= threshold && Differ(a, b) == ""
}

// Differ says what tells the events of a and b apart even when their words
// are alike, or "" when nothing does: "numbers" (each headline gives a
// number or date the other story lacks: day 1,012 vs 1,013, magnitude 5.2
// vs 6.4, 2-1 vs 3-0, Monday vs Tuesday), "names" (each headline names
// someone or somewhere the other story does not: Leeds vs Bristol, Xi
// meets Putin vs Xi meets Macron), "verbs" (the headlines' verbs go
// opposite ways: rises/falls, holds/cuts), "actions" (no headline word
// but names and numbers appears in the other story, and the stories are not
// close otherwise: King Charles diagnosed with cancer vs King Charles opens
// parliament), "slot" (one headline
// template with a different word: full list of nominees vs of winners),
// "action class" (the headlines' actions fall in different classes:
// Artemis II crew named vs Artemis II delayed, Yoon declares martial law vs
// Yoon impeached), "number unmatched" (one headline gives a figure, years
// aside, that the other story lacks although it gives figures: category 5
// vs a category 3 landfall), "headlines disagree" (the headlines share no
// word of what happened, no synonym group and no verb direction, and the
// stories are not close otherwise: OpenAI board pushes out Altman vs
// Altman returns as OpenAI CEO).
func Differ(a, b Fingerprint) string {
	switch {
	case numbersDiffer(&a, &b):
		return "numbers"
	case namesDiffer(&a, &b):
		return "names"
	case verbsOppose(&a, &b):
		return "verbs"
	case Distance(a, b) > actionsDistance && actionsDiffer(&a, &b):
		return "actions"
	case slotDiffers(&a, &b):
		return "slot"
	case actionsConflict(&a, &b):
		return "action class"
	case numberUnmatched(&a, &b):
		return "number unmatched"
	case Distance(a, b) > actionsDistance && headlinesDisagree(&a, &b):
		return "headlines disagree"
	}
	return ""
}

// Keys returns up to KeyTerms candidate-lookup keys for f, 8 hex digits
// each: the hashes of its heaviest terms. On testdata/pairs.tsv every pair
// of versions of the same event shares at least one key, while about 5% of
// different-event pairs on the same topic do; store each story under all its
// keys and compare a new story with the stories found under its own keys.
func (f Fingerprint) Keys() []string {
	top := slices.Clone(f.terms[:f.n])
	slices.SortFunc(top, byWeightThenHash)
	keys := make([]string, 0, KeyTerms)
	for _, t := range top[:min(len(top), KeyTerms)] {
		keys = append(keys, fmt.Sprintf("%08x", t.hash))
	}
	return keys
}

// String returns the serialised form: "v2.", 10 hex digits per term (8
// for the hash, 2 for the weight) in hash order, then the event signature
// as six "."-separated lists of 8-hex-digit hashes in ascending order
// (the headline's numbers, all numbers, the headline's names, known names,
// headline action words, headline words) and ".", two hex digits of verb
// classes; at most 903 bytes. A fingerprint of an earlier
// version (no event signature) keeps its "v1." form. Parse(f.String()) == f.
func (f Fingerprint) String() string {
	var b strings.Builder
	if !f.hasEvent {
		b.WriteString(versionV1)
		writeTerms(&b, f.terms[:f.n])
		return b.String()
	}
	b.WriteString(version)
	writeTerms(&b, f.terms[:f.n])
	for _, l := range f.ev.lists() {
		b.WriteByte('.')
		for _, h := range l.get() {
			fmt.Fprintf(&b, "%08x", h)
		}
	}
	fmt.Fprintf(&b, ".%02x", f.ev.polarity)
	return b.String()
}

func writeTerms(b *strings.Builder, ts []term) {
	for _, t := range ts {
		fmt.Fprintf(b, "%08x%02x", t.hash, t.weight)
	}
}

// Parse reads a fingerprint written by String (or by the earlier version,
// "v1.", without the event signature). It rejects anything else: another
// version, anything but lower-case hex, more than MaxTerms terms or more
// hashes than a signature holds, zero weights or hashes out of order, so
// that equal fingerprints always have equal strings.
func Parse(s string) (Fingerprint, error) {
	if body, ok := strings.CutPrefix(s, versionV1); ok {
		return parseTerms(s, body)
	}
	body, ok := strings.CutPrefix(s, version)
	if !ok {
		return Fingerprint{}, fmt.Errorf("parse fingerprint %q: missing %q prefix", abbreviate(s), version)
	}
	parts := strings.Split(body, ".")
	if len(parts) != 8 {
		return Fingerprint{}, fmt.Errorf("parse fingerprint %q: want terms and 7 signature parts", abbreviate(s))
	}
	f, err := parseTerms(s, parts[0])
	if err != nil {
		return Fingerprint{}, err
	}
	f.hasEvent = true
	lists := f.ev.lists()
	for i, l := range lists {
		hs, err := parseHashes(parts[i+1], len(l.buf), l.sorted)
		if err != nil {
			return Fingerprint{}, fmt.Errorf("parse fingerprint %q: %w", abbreviate(s), err)
		}
		*l.n = uint8(copy(l.buf, hs))
	}
	pol := parts[len(lists)+1]
	if len(pol) != 2 || !isLowerHex(pol) {
		return Fingerprint{}, fmt.Errorf("parse fingerprint %q: verb classes %q are not 2 hex digits", abbreviate(s), pol)
	}
	p, _ := hex.DecodeString(pol)
	if p[0] >= polHold<<1 {
		return Fingerprint{}, fmt.Errorf("parse fingerprint %q: unknown verb classes %q", abbreviate(s), pol)
	}
	f.ev.polarity = p[0]
	return f, nil
}

// parseHashes reads up to max 8-hex-digit hashes, ascending when sorted,
// else without repeats.
func parseHashes(s string, max int, sorted bool) ([]uint32, error) {
	if len(s)%8 != 0 || len(s)/8 > max || !isLowerHex(s) {
		return nil, fmt.Errorf("signature part %q is not at most %d lower-case 8-digit hashes", abbreviate(s), max)
	}
	raw, _ := hex.DecodeString(s)
	out := make([]uint32, 0, len(raw)/4)
	for i := 0; i < len(raw); i += 4 {
		h := uint32(raw[i])<<24 | uint32(raw[i+1])<<16 | uint32(raw[i+2])<<8 | uint32(raw[i+3])
		if sorted && len(out) > 0 && h <= out[len(out)-1] {
			return nil, fmt.Errorf("signature hashes not in strictly increasing order")
		}
		if !sorted && slices.Contains(out, h) {
			return nil, fmt.Errorf("signature hashes repeated")
		}
		out = append(out, h)
	}
	return out, nil
}

func isLowerHex(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && (r < 'a' || r > 'f') }) < 0
}

// parseTerms reads the terms part of s.
func parseTerms(s, body string) (Fingerprint, error) {
	var f Fingerprint
	if len(body)%termHexLen != 0 || len(body)/termHexLen > MaxTerms {
		return f, fmt.Errorf("parse fingerprint %q: length %d is not a whole number of at most %d terms", abbreviate(s), len(body), MaxTerms)
	}
	if i := strings.IndexFunc(body, func(r rune) bool { return (r < '0' || r > '9') && (r < 'a' || r > 'f') }); i >= 0 {
		return f, fmt.Errorf("parse fingerprint %q: byte %d is not a lower-case hex digit", abbreviate(s), len(version)+i)
	}
	raw, err := hex.DecodeString(body)
	if err != nil {
		return f, fmt.Errorf("parse fingerprint %q: %w", abbreviate(s), err)
	}
	for i := 0; i < len(raw); i += termHexLen / 2 {
		t := term{
			hash:   uint32(raw[i])<<24 | uint32(raw[i+1])<<16 | uint32(raw[i+2])<<8 | uint32(raw[i+3]),
			weight: raw[i+4],
		}
		if t.weight == 0 {
			return Fingerprint{}, fmt.Errorf("parse fingerprint %q: term %d has zero weight", abbreviate(s), f.n)
		}
		if f.n > 0 && t.hash <= f.terms[f.n-1].hash {
			return Fingerprint{}, fmt.Errorf("parse fingerprint %q: terms not in strictly increasing hash order", abbreviate(s))
		}
		f.terms[f.n] = t
		f.n++
	}
	f.norm2 = sumSquares(f.terms[:f.n])
	return f, nil
}

// MarshalText implements encoding.TextMarshaler with the String form.
func (f Fingerprint) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with Parse.
func (f *Fingerprint) UnmarshalText(text []byte) error {
	p, err := Parse(string(text))
	if err != nil {
		return err
	}
	*f = p
	return nil
}

// abbreviate shortens untrusted input quoted in error messages.
func abbreviate(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}
