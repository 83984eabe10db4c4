package summary

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func readStory(t *testing.T, name string) (title, text string) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	text = string(b)
	// Both stories start with a boilerplate line, then the title.
	paras := strings.Split(text, "\n\n")
	if len(paras) < 3 {
		t.Fatalf("%s: too few paragraphs", name)
	}
	return strings.TrimSpace(paras[1]), text
}

// endsSentence reports whether s ends like a complete sentence.
func endsWithSentenceEnd(s string) bool {
	s = strings.TrimRight(s, "\"'”’»)")
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?。！？", r)
}

func TestSummarizeSeedStory(t *testing.T) {
	title, text := readStory(t, "seed-story.txt")
	if title != "North Korean Leader Kim Jong Un Expresses Support for Russia on Victory Day" {
		t.Fatalf("unexpected seed title %q", title)
	}
	for _, budget := range []int{200, 400, 600} {
		got := Summarize(title, text, nil, budget)
		t.Logf("budget %d (%d runes): %s", budget, utf8.RuneCountInString(got), got)
		if n := utf8.RuneCountInString(got); n == 0 || n > budget {
			t.Errorf("budget %d: summary has %d runes", budget, n)
		}
		for _, want := range []string{"Kim Jong Un", "Putin", "Victory Day", "support"} {
			if !strings.Contains(got, want) {
				t.Errorf("budget %d: summary lacks %q: %s", budget, want, got)
			}
		}
		if strings.Contains(got, "Join Us") || strings.Contains(got, title) {
			t.Errorf("budget %d: summary contains boilerplate or the title: %s", budget, got)
		}
		// The lead sentence is 265 runes: cut only when it cannot fit.
		if budget >= 400 && !endsWithSentenceEnd(got) {
			t.Errorf("budget %d: summary does not end at a sentence end: %s", budget, got)
		}
		if budget == 200 && !strings.HasSuffix(got, "…") {
			t.Errorf("budget 200: over-long lead not cut with an ellipsis: %s", got)
		}
		if budget == 600 && len(Sentences(got)) < 2 {
			t.Errorf("budget 600: want at least two sentences: %s", got)
		}
	}
}

func TestSummarizeQuakeStory(t *testing.T) {
	title, text := readStory(t, "quake-story.txt")
	got := Summarize(title, text, nil, 400)
	t.Logf("summary: %s", got)
	for _, want := range []string{"7.4", "Taiwan", "killing at least nine"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q: %s", want, got)
		}
	}
	for _, bad := range []string{"newsletter", "Advertisement", "felt like"} {
		if strings.Contains(got, bad) {
			t.Errorf("summary contains %q: %s", bad, got)
		}
	}
	// A subscriber following TSMC gets the chipmaker sentence.
	withTerm := Summarize(title, text, []string{"TSMC", "Taiwan Semiconductor"}, 400)
	t.Logf("with terms: %s", withTerm)
	if !strings.Contains(withTerm, "Taiwan Semiconductor Manufacturing Co. said") {
		t.Errorf("matched term did not pull in its sentence: %s", withTerm)
	}
	if !strings.Contains(withTerm, "7.4") {
		t.Errorf("matched term pushed out the lead: %s", withTerm)
	}
}

func TestSummarize(t *testing.T) {
	article := "The central bank raised its key rate by half a point to 5.5% on Thursday, its biggest increase in two decades. " +
		"Governor Ana Silva said inflation was still far too high and more increases could follow this year. " +
		"The decision was expected by most economists polled by the newspaper last week.\n\n" +
		"Click here to subscribe to our newsletter.\n\n" +
		"Mortgage lenders are expected to pass on the increase to borrowers within days, brokers said."
	tests := []struct {
		name       string
		title      string
		text       string
		terms      []string
		budget     int
		want       string // exact result, if set
		contains   []string
		notContain []string
	}{
		{name: "empty text", title: "Title", text: "", budget: 300, want: ""},
		{name: "zero budget", title: "T", text: article, budget: 0, want: ""},
		{name: "text is only the title", title: "Quake hits Taiwan, killing nine", text: "Quake hits Taiwan, killing nine", budget: 300, want: ""},
		{name: "text is only boilerplate", title: "T", text: "Read more\n\nShare this:\n\nSubscribe to our newsletter", budget: 300, want: ""},
		{name: "lead and follow-up in order", title: "Central bank raises rates to 5.5%", text: article, budget: 250,
			want: "The central bank raised its key rate by half a point to 5.5% on Thursday, its biggest increase in two decades. " +
				"Governor Ana Silva said inflation was still far too high and more increases could follow this year."},
		{name: "promo sentence never picked", title: "Central bank raises rates", text: article, budget: 1000,
			contains: []string{"central bank raised"}, notContain: []string{"Click here", "subscribe"}},
		{name: "term pulls in late sentence", title: "Central bank raises rates", text: article, terms: []string{"mortgage"}, budget: 300,
			contains: []string{"The central bank raised", "Mortgage lenders"}},
		{name: "unknown term ignored", title: "Central bank raises rates", text: article, terms: []string{"bitcoin", ""}, budget: 300,
			contains: []string{"The central bank raised", "Governor Ana Silva"}},
		{name: "single long sentence cut at word", title: "X", text: "Rescue teams from twelve countries continued searching through the rubble of collapsed apartment blocks across the region on Tuesday.", budget: 60,
			want: "Rescue teams from twelve countries continued searching…"},
		{name: "unspaced script cut at rune", title: "日本", text: "日本銀行は十七年ぶりにマイナス金利政策を解除し短期金利を引き上げると発表した。市場の反応は限定的だった。", budget: 20,
			want: "日本銀行は十七年ぶりにマイナス金利政策…"},
		{name: "quote-only sentence demoted", title: "Strikers walk out at car plant",
			text: "“We have had enough.” Thousands of workers walked out of the Detroit car plant on Monday after pay talks collapsed. " +
				"The union said the strike would last until management improved its offer.",
			budget: 250, notContain: []string{"enough"}, contains: []string{"Thousands of workers walked out"}},
		{name: "redundant restatement skipped", title: "Storm hits coast",
			text: "Storm Ciarán hit the French coast on Thursday with winds of 200 km/h, cutting power to 1.2 million homes. " +
				"Officials ordered schools closed in Brittany and Normandy. " +
				"Storm Ciarán hit the French coast on Thursday with winds of 200 km/h, cutting power to more than a million homes.",
			budget: 500, contains: []string{"Officials ordered"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.title, tt.text, tt.terms, tt.budget)
			if tt.want != "" || len(tt.contains)+len(tt.notContain) == 0 {
				if got != tt.want {
					t.Errorf("Summarize =\n%q\nwant\n%q", got, tt.want)
				}
			}
			for _, c := range tt.contains {
				if !strings.Contains(got, c) {
					t.Errorf("Summarize = %q, lacks %q", got, c)
				}
			}
			for _, c := range tt.notContain {
				if strings.Contains(got, c) {
					t.Errorf("Summarize = %q, contains %q", got, c)
				}
			}
			if n := utf8.RuneCountInString(got); n > max(tt.budget, 0) {
				t.Errorf("Summarize = %d runes, budget %d", n, tt.budget)
			}
			if strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(tt.title)) && got != "" {
				t.Errorf("Summarize returned the title")
			}
		})
	}
}

func TestSummarizeDeterministic(t *testing.T) {
	title, text := readStory(t, "quake-story.txt")
	first := Summarize(title, text, []string{"tsunami"}, 350)
	for range 20 {
		if got := Summarize(title, text, []string{"tsunami"}, 350); got != first {
			t.Fatalf("Summarize not deterministic:\n%q\n%q", first, got)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in     string
		budget int
		want   string
	}{
		{"one two three four", 10, "one two…"},
		{"one two, three four", 13, "one two…"},
		{"abcdefghij", 5, "abcd…"},
		{"ab", 2, "a…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.budget); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.budget, got, tt.want)
		}
	}
}

func FuzzSummarize(f *testing.F) {
	f.Add("Title", "One sentence here. Another sentence follows it now.", "term", 50)
	f.Add("", "。。。", "", 3)
	f.Add("x", "\n\n\nA b c d e f g h.\n", "b c", 1)
	f.Fuzz(func(t *testing.T, title, text, term string, budget int) {
		budget %= 2000
		got := Summarize(title, text, []string{term}, budget)
		if n := utf8.RuneCountInString(got); n > max(budget, 0) {
			t.Fatalf("Summarize(%q, %q, %d) = %q: %d runes over budget", title, text, budget, got, n)
		}
		if got != "" && got == strings.TrimSpace(title) {
			t.Fatalf("Summarize returned the title %q", title)
		}
	})
}
