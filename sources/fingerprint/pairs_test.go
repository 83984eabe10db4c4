package fingerprint

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"testing"
)

// labelledPair is one row of the labelled set.
type labelledPair struct {
	same          bool
	titleA, leadA string
	titleB, leadB string
	file          string
	line          int
	distance      int
	fa, fb        Fingerprint
	folds         bool // Similar at DefaultThreshold
	differ        string
	tuning        bool // in the tuning half (see splitTuning)
}

// The labelled set is four files, split differently (BENCHMARKS.md,
// "Near-duplicate detection"):
//
//   - testdata/pairs.tsv, 666 pairs of issue 7 and rounds 1-2 of issue 12,
//     testdata/pairs-fresh.tsv, 366 pairs of round 3, and
//     testdata/pairs-fresh4.tsv, 321 pairs of round 4. Their test halves
//     were measured and then looked at, so every pair of them is tuning
//     data now.
//   - testdata/pairs-fresh5.tsv, 318 pairs of round 5, written and
//     committed before any further tuning. A third of it (by hash) is
//     tuning data, the other two thirds are the test half that no rule or
//     threshold was chosen on: two thirds, so that the test half holds
//     over 100 same-event pairs and its precision is measured over enough
//     folds.
const freshPairs = "testdata/pairs-fresh5.tsv"

// pairFiles are the files of the labelled set, oldest first.
var pairFiles = []string{"testdata/pairs.tsv", "testdata/pairs-fresh.tsv", "testdata/pairs-fresh4.tsv", freshPairs}

// splitTuning says whether a row of file belongs to the tuning half: every
// row of the seen files, and a row of freshPairs when the FNV-1a hash of
// the row is divisible by 3: deterministic, independent of row order, and
// stable when rows are added.
func splitTuning(file, row string) bool {
	if file != freshPairs {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(row))
	return h.Sum32()%3 == 0
}

// loadPairs reads every file of the labelled set.
func loadPairs(t testing.TB) []labelledPair {
	t.Helper()
	var pairs []labelledPair
	for _, f := range pairFiles {
		pairs = append(pairs, loadPairFile(t, f)...)
	}
	return pairs
}

func loadPairFile(t testing.TB, file string) []labelledPair {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var pairs []labelledPair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		cols := strings.Split(text, "\t")
		if len(cols) != 5 || (cols[0] != "same" && cols[0] != "different") {
			t.Fatalf("%s:%d: want label same|different and 4 text columns, got %d columns", file, line, len(cols))
		}
		for _, c := range cols[1:] {
			if strings.TrimSpace(c) == "" {
				t.Fatalf("%s:%d: empty column", file, line)
			}
		}
		p := labelledPair{same: cols[0] == "same", titleA: cols[1], leadA: cols[2], titleB: cols[3], leadB: cols[4], file: file, line: line, tuning: splitTuning(file, text)}
		a, b := Of(p.titleA, p.leadA), Of(p.titleB, p.leadB)
		p.fa, p.fb = a, b
		p.distance, p.differ = Distance(a, b), Differ(a, b)
		p.folds = Similar(a, b, DefaultThreshold)
		pairs = append(pairs, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pairs
}

// confusion counts predictions against labels: pred says whether a pair
// folds.
func confusion(pairs []labelledPair, pred func(labelledPair) bool) (tp, fp, fn, tn int) {
	for _, p := range pairs {
		folds := pred(p)
		switch {
		case folds && p.same:
			tp++
		case folds && !p.same:
			fp++
		case !folds && p.same:
			fn++
		default:
			tn++
		}
	}
	return tp, fp, fn, tn
}

func precisionRecall(tp, fp, fn int) (precision, recall float64) {
	precision = 1
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	return precision, recall
}

// halves splits pairs into the tuning and the test half.
func halves(pairs []labelledPair) (tuning, test []labelledPair) {
	for _, p := range pairs {
		if p.tuning {
			tuning = append(tuning, p)
		} else {
			test = append(test, p)
		}
	}
	return tuning, test
}

// TestLabelledPairs measures Similar on the hand-labelled pairs: the table
// over thresholds and every false fold and miss are shown for the tuning
// half only (run with -v), where thresholds and rules are chosen; the test
// half gives the reported precision and recall (BENCHMARKS.md). The issue's
// target is a test-half precision of at least 0.99; the measured 0.947
// (round 5: 19 folds, 1 false) falls short (see BENCHMARKS.md), so the test
// fails below the figures this version holds (precision 0.94, recall 0.13),
// to catch any regression, and logs the shortfall.
func TestLabelledPairs(t *testing.T) {
	pairs := loadPairs(t)
	if len(pairs) < 600 {
		t.Fatalf("the labelled set has %d pairs, want at least 600", len(pairs))
	}
	positives := 0
	for _, p := range pairs {
		if p.same {
			positives++
		}
	}
	if share := float64(positives) / float64(len(pairs)); share < 0.4 || share > 0.6 {
		t.Fatalf("the labelled set is %.0f%% positive, want roughly half", 100*share)
	}
	tuning, test := halves(pairs)
	count := func(ps []labelledPair) (same int) {
		for _, p := range ps {
			if p.same {
				same++
			}
		}
		return same
	}

	var table strings.Builder
	fmt.Fprintf(&table, "tuning half: %d pairs (%d same, %d different)\nthreshold  precision  recall  false-folds  missed\n",
		len(tuning), count(tuning), len(tuning)-count(tuning))
	for th := 20; th <= 60; th += 2 {
		tp, fp, fn, _ := confusion(tuning, func(p labelledPair) bool { return Similar(p.fa, p.fb, th) })
		pr, rc := precisionRecall(tp, fp, fn)
		mark := ""
		if th == DefaultThreshold {
			mark = "  <- DefaultThreshold"
		}
		fmt.Fprintf(&table, "%9d  %9.3f  %6.3f  %11d  %6d%s\n", th, pr, rc, fp, fn, mark)
	}
	t.Logf("distance = 100 - cosine%%, with the event rules and MinTerms %d\n%s", MinTerms, table.String())
	for _, p := range tuning {
		switch {
		case !p.same && p.folds:
			t.Logf("tuning: false fold (%s:%d, distance %d): %q vs %q", p.file, p.line, p.distance, p.titleA, p.titleB)
		case p.same && !p.folds:
			t.Logf("tuning: missed (%s:%d, distance %d, differ %q): %q vs %q", p.file, p.line, p.distance, p.differ, p.titleA, p.titleB)
		}
	}

	folds := func(p labelledPair) bool { return p.folds }
	tp, fp, fn, _ := confusion(tuning, folds)
	pr, rc := precisionRecall(tp, fp, fn)
	t.Logf("tuning half at DefaultThreshold %d: precision %.3f, recall %.3f (%d folds, %d false)", DefaultThreshold, pr, rc, tp+fp, fp)
	tp, fp, fn, _ = confusion(test, folds)
	precision, recall := precisionRecall(tp, fp, fn)
	t.Logf("test half: %d pairs (%d same, %d different); at DefaultThreshold %d: precision %.3f, recall %.3f (%d folds, %d false)",
		len(test), count(test), len(test)-count(test), DefaultThreshold, precision, recall, tp+fp, fp)
	if precision < 0.99 {
		t.Logf("test-half precision %.3f at DefaultThreshold %d is below the 0.99 target", precision, DefaultThreshold)
	}
	if precision < 0.94 {
		t.Errorf("test-half precision %.3f at DefaultThreshold %d is below 0.94", precision, DefaultThreshold)
	}
	if recall < 0.13 {
		t.Errorf("test-half recall %.3f at DefaultThreshold %d: the fingerprint no longer catches rephrased duplicates", recall, DefaultThreshold)
	}
}

// TestKeysCoverDuplicates checks the candidate-lookup contract: every fold
// Similar makes on the labelled set is between stories that share at least
// one key, so looking candidates up by key loses no fold. Same-event pairs
// without a shared key that Similar would not fold anyway (round 3 has one:
// "European Central Bank lowers rates ahead of Fed" vs "Lagarde announces
// first eurozone rate cut in five years", no word in common among their
// heaviest terms) are counted, not failed: they are misses either way.
func TestKeysCoverDuplicates(t *testing.T) {
	pairs := loadPairs(t)
	shared, negatives, unkeyed := 0, 0, 0
	for _, p := range pairs {
		ka, kb := p.fa.Keys(), p.fb.Keys()
		common := false
		for _, k := range ka {
			for _, l := range kb {
				common = common || k == l
			}
		}
		switch {
		case p.folds && !common:
			t.Errorf("%s:%d: a fold without a shared key: %q vs %q", p.file, p.line, p.titleA, p.titleB)
		case p.same && !common:
			unkeyed++
		case !p.same:
			negatives++
			if common {
				shared++
			}
		}
	}
	t.Logf("%d same-event pairs share no key (and do not fold); %d of %d different-event pairs share a key (candidates to confirm)",
		unkeyed, shared, negatives)
}
