package summary

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// benchArticle builds a deterministic news-like article of about words words:
// paragraphs of three to five sentences mixing a shared topic vocabulary,
// abbreviations, numbers and quotations.
func benchArticle(words int) (title, text string) {
	rng := rand.New(rand.NewPCG(2024, 5))
	vocab := strings.Fields(`government officials minister parliament election vote budget
		inflation economy market shares investors bank rates growth percent company
		Reuters Kharkiv Ukraine Russia Moscow Kyiv troops drones missile strike border
		talks ceasefire sanctions energy gas oil prices exports imports China Beijing
		Washington Brussels European Union summit leaders agreement deal report analysts
		forecast quarter profit revenue workers union strike protest police court judge
		ruling appeal law reform health hospital patients vaccine climate flood storm
		rescue villages residents evacuated damage infrastructure power grid water supply
		the a of in on to and with for by from that said would could after before during`)
	openers := []string{"The", "Officials", "Mr. Petrov", "In Kyiv,", "According to the U.S. embassy,", "Analysts", "Dr. Smith"}
	var b strings.Builder
	n := 0
	for n < words {
		sentences := 3 + rng.IntN(3)
		for s := 0; s < sentences && n < words; s++ {
			b.WriteString(openers[rng.IntN(len(openers))])
			length := 10 + rng.IntN(22)
			for range length {
				b.WriteByte(' ')
				b.WriteString(vocab[rng.IntN(len(vocab))])
			}
			switch rng.IntN(6) {
			case 0:
				b.WriteString(" by 3.5% in Q1, e.g. in the east.")
			case 1:
				b.WriteString(`, he said. "We will respond."`)
			default:
				b.WriteString(".")
			}
			b.WriteByte(' ')
			n += length + 2
		}
		b.WriteString("\n\n")
	}
	return "Russia strikes Kharkiv energy grid as talks on ceasefire stall", b.String()
}

func TestBenchArticleSize(t *testing.T) {
	_, text := benchArticle(5000)
	if n := len(strings.Fields(text)); n < 5000 || n > 5600 {
		t.Fatalf("bench article has %d words, want about 5000", n)
	}
	title, _ := benchArticle(5000)
	if Summarize(title, text, []string{"ceasefire"}, 400) == "" {
		t.Fatal("empty summary of the bench article")
	}
}

func BenchmarkSummarize5000Words(b *testing.B) {
	title, text := benchArticle(5000)
	terms := []string{"ceasefire", "energy grid"}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if Summarize(title, text, terms, 400) == "" {
			b.Fatal("empty summary")
		}
	}
}

func BenchmarkSentences5000Words(b *testing.B) {
	_, text := benchArticle(5000)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Sentences(text)
	}
}
