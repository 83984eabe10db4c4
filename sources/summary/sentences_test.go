package summary

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"whitespace", " \n\n \t", nil},
		{"no terminator", "Markets close higher", []string{"Markets close higher"}},
		{"simple", "The Fed held rates. Stocks rose! Why? Nobody knows.",
			[]string{"The Fed held rates.", "Stocks rose!", "Why?", "Nobody knows."}},
		{"us uk mid sentence", "U.S. President Joe Biden met U.K. Prime Minister Rishi Sunak in Washington.",
			[]string{"U.S. President Joe Biden met U.K. Prime Minister Rishi Sunak in Washington."}},
		{"us at sentence end", "The company moved its headquarters to the U.S. The decision surprised analysts.",
			[]string{"The company moved its headquarters to the U.S.", "The decision surprised analysts."}},
		{"titles", "Mr. Smith and Mrs. Jones met Dr. Patel on St. Patrick's Day.",
			[]string{"Mr. Smith and Mrs. Jones met Dr. Patel on St. Patrick's Day."}},
		{"months", "The law takes effect Jan. 1 and expires Feb. 28, 2026.",
			[]string{"The law takes effect Jan. 1 and expires Feb. 28, 2026."}},
		{"eg ie etc", "Some fruits, e.g. apples, i.e. the red ones, etc. are cheap. Others are not.",
			[]string{"Some fruits, e.g. apples, i.e. the red ones, etc. are cheap.", "Others are not."}},
		{"etc at end", "They sell apples, pears, etc. The shop opens at nine.",
			[]string{"They sell apples, pears, etc.", "The shop opens at nine."}},
		{"inc corp", "Apple Inc. and Microsoft Corp. reported earnings. Alphabet Inc. The search giant beat estimates.",
			[]string{"Apple Inc. and Microsoft Corp. reported earnings.", "Alphabet Inc.", "The search giant beat estimates."}},
		{"number abbreviation", "He is ranked No. 5 in the world. No. He is not.",
			[]string{"He is ranked No. 5 in the world.", "No.", "He is not."}},
		{"initials", "The Hobbit by J. R. R. Tolkien was published in 1937. It sold well.",
			[]string{"The Hobbit by J. R. R. Tolkien was published in 1937.", "It sold well."}},
		{"decimals and thousands", "Inflation rose 3.5% to 1.000 points in Q1. Growth was 0.2 percent.",
			[]string{"Inflation rose 3.5% to 1.000 points in Q1.", "Growth was 0.2 percent."}},
		{"urls and emails", "Visit www.example.com/news.html or email press@example.org for details. Then call.",
			[]string{"Visit www.example.com/news.html or email press@example.org for details.", "Then call."}},
		{"url at sentence end", "Details are at example.com. More to follow.",
			[]string{"Details are at example.com.", "More to follow."}},
		{"quote after full stop", `"We will not give up," he said." Then he left. She said: "It's over." The end.`,
			[]string{`"We will not give up," he said."`, "Then he left.", `She said: "It's over."`, "The end."}},
		{"curly quotes", "“It is a disaster.” Officials disagreed.",
			[]string{"“It is a disaster.”", "Officials disagreed."}},
		{"exclamation inside quote", "“Wow!” she said. “Really?” he asked.",
			[]string{"“Wow!” she said.", "“Really?” he asked."}},
		{"ellipsis mid sentence", "He paused... and then continued. Prices fell … slightly.",
			[]string{"He paused... and then continued.", "Prices fell … slightly."}},
		{"ellipsis at end", "And then… Nothing happened. It ended...",
			[]string{"And then…", "Nothing happened.", "It ended..."}},
		{"interrobang", "Is this real?! Officials say yes.",
			[]string{"Is this real?!", "Officials say yes."}},
		{"parentheses", "The index fell (it had risen 2% the day before.) Traders were calm. (Reporting continues.) Next.",
			[]string{"The index fell (it had risen 2% the day before.)", "Traders were calm.", "(Reporting continues.)", "Next."}},
		{"paragraph breaks end sentences", "First paragraph without stop\n\nSecond one\nlist item",
			[]string{"First paragraph without stop", "Second one", "list item"}},
		{"digit starts sentence", "Prices rose 5%. 2024 was a record year.",
			[]string{"Prices rose 5%.", "2024 was a record year."}},
		{"camel case next word", "Apple cut prices. iPhone sales jumped.",
			[]string{"Apple cut prices.", "iPhone sales jumped."}},
		{"times", "The vote is at 5 p.m. Thursday. Results follow at 9 a.m. The count is manual.",
			[]string{"The vote is at 5 p.m. Thursday.", "Results follow at 9 a.m.", "The count is manual."}},
		// German.
		{"german abbreviations", "Die Inflation lag z. B. im April bzw. Mai bei 2,4 Prozent, d. h. niedriger als erwartet. Laut Statistik sank sie.",
			[]string{"Die Inflation lag z. B. im April bzw. Mai bei 2,4 Prozent, d. h. niedriger als erwartet.", "Laut Statistik sank sie."}},
		{"german date ordinal", "Die Wahl findet am 9. Juni statt. Die Parteien bereiten sich vor.",
			[]string{"Die Wahl findet am 9. Juni statt.", "Die Parteien bereiten sich vor."}},
		{"german nr and dr", "Dr. Müller wohnt in der Hauptstr. Nr. 5 in Berlin. Er ist Arzt.",
			[]string{"Dr. Müller wohnt in der Hauptstr. Nr. 5 in Berlin.", "Er ist Arzt."}},
		// Russian.
		{"russian abbreviations", "В 2024 г. в Москве прошёл парад. Президент В. В. Путин выступил с речью, т.е. обратился к ветеранам.",
			[]string{"В 2024 г. в Москве прошёл парад.", "Президент В. В. Путин выступил с речью, т.е. обратился к ветеранам."}},
		{"russian etc at end", "Продают хлеб, молоко и т.д. Магазин открыт до девяти.",
			[]string{"Продают хлеб, молоко и т.д.", "Магазин открыт до девяти."}},
		// French.
		{"french monsieur", "M. Macron a rencontré Mme Meloni à Rome. Ils ont parlé de l'Ukraine.",
			[]string{"M. Macron a rencontré Mme Meloni à Rome.", "Ils ont parlé de l'Ukraine."}},
		// Spanish.
		{"spanish inverted marks", "¿Qué pasó en Madrid? ¡Nadie lo sabe! El Sr. García y la Sra. López no hablaron.",
			[]string{"¿Qué pasó en Madrid?", "¡Nadie lo sabe!", "El Sr. García y la Sra. López no hablaron."}},
		{"spanish eeuu", "El presidente de EE.UU. viajó a México. Se reunió con la presidenta.",
			[]string{"El presidente de EE.UU. viajó a México.", "Se reunió con la presidenta."}},
		// Chinese / Japanese.
		{"chinese", "日本央行宣布加息。市场反应平稳！投资者会担心吗？专家表示不会。",
			[]string{"日本央行宣布加息。", "市场反应平稳！", "投资者会担心吗？", "专家表示不会。"}},
		{"japanese with quote closer", "首相は「増税はしない。」と述べた。野党は反発した。",
			[]string{"首相は「増税はしない。」", "と述べた。", "野党は反発した。"}},
		{"japanese ascii exclamation", "すごい!次の試合は明日だ。",
			[]string{"すごい!", "次の試合は明日だ。"}},
		{"mixed scripts", "Toyota said sales rose. 丰田销量上升。",
			[]string{"Toyota said sales rose.", "丰田销量上升。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if strings.Join(got, "\x00") != strings.Join(tt.want, "\x00") || len(got) != len(tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{
		"", "A. B. C.", "U.S. The", "...", "…", "¿¡", "。。", "a.b.c", "x\n\ny", "Mr.", "3. Mai", "“Hi.”",
		"\xff.\xfe", "No. 5. No.", "e.g.", " . . . ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sentences(s)
		var letters, kept int
		for _, r := range s {
			if r > ' ' && !isSpaceRune(r) {
				letters++
			}
		}
		for _, sent := range got {
			if sent == "" || sent != strings.TrimSpace(sent) && utf8.ValidString(sent) {
				t.Fatalf("Sentences(%q) returned untrimmed or empty sentence %q", s, sent)
			}
			if strings.ContainsRune(sent, '\n') {
				t.Fatalf("Sentences(%q) returned sentence with newline %q", s, sent)
			}
			if !strings.Contains(s, sent) {
				t.Fatalf("Sentences(%q) returned %q which is not a substring", s, sent)
			}
			for _, r := range sent {
				if r > ' ' && !isSpaceRune(r) {
					kept++
				}
			}
		}
		if kept != letters {
			t.Fatalf("Sentences(%q) lost text: %d visible runes in, %d out (%q)", s, letters, kept, got)
		}
	})
}
