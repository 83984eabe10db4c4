package summary

import (
	"strings"
	"testing"
)

func TestSummarizeKeepsTheMatchedSentence(t *testing.T) {
	const lead = "The central bank raised its key interest rate by half a point on Thursday, its largest increase in more than two decades. " +
		"Governor Ana Silva said inflation was still far too high and that further increases could follow later this year. " +
		"Most economists polled by the newspaper last week had expected the decision, and markets barely moved."
	tests := []struct {
		name, title, text string
		terms             []string
		want              string
		contains          string
		notContains       string
	}{
		{name: "short matched sentence", title: "Big news", text: "Dear readers, we have big news. Linux 6.8 is out now.",
			terms: []string{"linux"}, want: "Dear readers, we have big news. Linux 6.8 is out now."},
		{name: "only the matched line", title: "Kernel news", text: "Linux 6.8 is out now.",
			terms: []string{"linux"}, want: "Linux 6.8 is out now."},
		{name: "headline made from the one line", title: "Linux 6.8 is out now.", text: "Linux 6.8 is out now.",
			terms: []string{"linux"}, want: "Linux 6.8 is out now."},
		{name: "phrase term", title: "Weather", text: "It rained all day in the north of the country on Sunday. São Paulo flooded.",
			terms: []string{"sao paulo"}, want: "It rained all day in the north of the country on Sunday. São Paulo flooded."},
		{name: "accents folded as the matcher folds them", title: "Weather", text: lead + " Streets in São Paulo flooded.",
			terms: []string{"sao paulo"}, contains: "Streets in São Paulo flooded."},
		{name: "prefix term", title: "News", text: lead + " Ukrainian grain left Odesa.",
			terms: []string{"ukrain*"}, contains: "Ukrainian grain left Odesa."},
		{name: "phrase with a prefix", title: "News", text: lead + " Black Sea shipping resumed.",
			terms: []string{"black sea ship*"}, contains: "Black Sea shipping resumed."},
		{name: "without the term the last line is left out", title: "News", text: lead + " Black Sea shipping resumed.",
			terms: []string{"odesa"}, notContains: "Black Sea shipping resumed."},
		{name: "no term: short fragments still left out", title: "T", text: "Yes. The committee approved the budget for next year on Monday.",
			want: "The committee approved the budget for next year on Monday."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.title, tt.text, tt.terms, 400)
			switch {
			case tt.contains != "" && !strings.Contains(got, tt.contains):
				t.Errorf("Summarize = %q, lacks %q", got, tt.contains)
			case tt.notContains != "" && strings.Contains(got, tt.notContains):
				t.Errorf("Summarize = %q, has %q", got, tt.notContains)
			case tt.contains == "" && tt.notContains == "" && got != tt.want:
				t.Errorf("Summarize = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSummarizeSeedStoryWithTerm(t *testing.T) {
	title, text := readStory(t, "seed-story.txt")
	for _, budget := range []int{400, 600, 700} {
		got := Summarize(title, text, []string{"kharkiv"}, budget)
		if !strings.Contains(got, "Kharkiv") {
			t.Errorf("budget %d: matched sentence missing: %s", budget, got)
		}
		if n := len(Sentences(got)); n < 2 || n > 3 {
			t.Errorf("budget %d: %d sentences, want 2 or 3: %s", budget, n, got)
		}
	}
}

func TestHeadline(t *testing.T) {
	_, seed := readStory(t, "seed-story.txt")
	tests := []struct{ text, want string }{
		{seed, "North Korean Leader Kim Jong Un Expresses Support for Russia on Victory Day"},
		{"Linux 6.8 is out now. It is faster.", "Linux 6.8 is out now."},
		{"Read more\n\n---\n\nA quiet day.", "A quiet day."},
		{"", ""},
		{strings.Repeat("word ", 40), strings.TrimSpace(strings.Repeat("word ", 23)) + "…"},
	}
	for _, tt := range tests {
		if got := Headline(tt.text); got != tt.want {
			t.Errorf("Headline(%.30q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
