package fingerprint

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"
)

// labelledPair is one row of testdata/pairs.tsv.
type labelledPair struct {
	same          bool
	titleA, leadA string
	titleB, leadB string
	line          int
	distance      int
}

func loadPairs(t testing.TB) []labelledPair {
	t.Helper()
	f, err := os.Open("testdata/pairs.tsv")
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
			t.Fatalf("pairs.tsv:%d: want label same|different and 4 text columns, got %d columns", line, len(cols))
		}
		for _, c := range cols[1:] {
			if strings.TrimSpace(c) == "" {
				t.Fatalf("pairs.tsv:%d: empty column", line)
			}
		}
		pairs = append(pairs, labelledPair{same: cols[0] == "same", titleA: cols[1], leadA: cols[2], titleB: cols[3], leadB: cols[4], line: line})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return pairs
}

// confusion counts predictions "same" (distance <= threshold) against labels.
func confusion(pairs []labelledPair, threshold int) (tp, fp, fn, tn int) {
	for _, p := range pairs {
		pred := p.distance <= threshold
		switch {
		case pred && p.same:
			tp++
		case pred && !p.same:
			fp++
		case !pred && p.same:
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

// TestLabelledPairs measures precision and recall of Similar on the
// hand-labelled pairs and fails if precision at DefaultThreshold is below
// 0.95. Run with -v to see the table over thresholds.
func TestLabelledPairs(t *testing.T) {
	pairs := loadPairs(t)
	positives := 0
	for i := range pairs {
		p := &pairs[i]
		p.distance = Distance(Of(p.titleA, p.leadA), Of(p.titleB, p.leadB))
		if p.same {
			positives++
		}
	}
	if len(pairs) < 200 {
		t.Fatalf("pairs.tsv has %d pairs, want at least 200", len(pairs))
	}
	if share := float64(positives) / float64(len(pairs)); share < 0.4 || share > 0.6 {
		t.Fatalf("pairs.tsv is %.0f%% positive, want roughly half", 100*share)
	}

	var table strings.Builder
	fmt.Fprintf(&table, "%d pairs (%d same, %d different)\nthreshold  precision  recall  false-merges  missed\n", len(pairs), positives, len(pairs)-positives)
	for th := 20; th <= 60; th += 2 {
		tp, fp, fn, _ := confusion(pairs, th)
		pr, rc := precisionRecall(tp, fp, fn)
		mark := ""
		if th == DefaultThreshold {
			mark = "  <- DefaultThreshold"
		}
		fmt.Fprintf(&table, "%9d  %9.3f  %6.3f  %12d  %6d%s\n", th, pr, rc, fp, fn, mark)
	}
	t.Logf("distance = 100 - cosine%%\n%s", table.String())

	tp, fp, fn, _ := confusion(pairs, DefaultThreshold)
	precision, recall := precisionRecall(tp, fp, fn)
	t.Logf("at DefaultThreshold %d: precision %.3f, recall %.3f", DefaultThreshold, precision, recall)
	for _, p := range pairs {
		if !p.same && p.distance <= DefaultThreshold {
			t.Logf("false merge (line %d, distance %d): %q vs %q", p.line, p.distance, p.titleA, p.titleB)
		}
	}
	if precision < 0.95 {
		t.Errorf("precision %.3f at DefaultThreshold %d is below 0.95", precision, DefaultThreshold)
	}
	if recall < 0.5 {
		t.Errorf("recall %.3f at DefaultThreshold %d: the fingerprint no longer catches rephrased duplicates", recall, DefaultThreshold)
	}
}

// TestKeysCoverDuplicates checks the candidate-lookup contract: every pair of
// versions of the same event in pairs.tsv shares at least one key.
func TestKeysCoverDuplicates(t *testing.T) {
	pairs := loadPairs(t)
	shared, negatives := 0, 0
	for _, p := range pairs {
		ka, kb := Of(p.titleA, p.leadA).Keys(), Of(p.titleB, p.leadB).Keys()
		common := false
		for _, k := range ka {
			for _, l := range kb {
				common = common || k == l
			}
		}
		switch {
		case p.same && !common:
			t.Errorf("pairs.tsv:%d: same event without a shared key: %q vs %q", p.line, p.titleA, p.titleB)
		case !p.same:
			negatives++
			if common {
				shared++
			}
		}
	}
	t.Logf("%d of %d different-event pairs share a key (candidates to confirm)", shared, negatives)
}
