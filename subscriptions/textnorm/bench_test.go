package textnorm

import (
	"os"
	"strings"
	"testing"
)

// benchStory returns a story of roughly 600 words built from a testdata file.
func benchStory(b *testing.B, name string) (title, text string) {
	b.Helper()
	raw, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	title, body, _ := strings.Cut(string(raw), "\n")
	words := len(strings.Fields(body))
	return title, strings.Repeat(body+" ", max(1, 600/words))
}

func BenchmarkTokens(b *testing.B) {
	for _, name := range []string{"testdata/story_en.txt", "testdata/story_multi.txt"} {
		_, text := benchStory(b, name)
		b.Run(strings.TrimSuffix(strings.TrimPrefix(name, "testdata/"), ".txt"), func(b *testing.B) {
			var dst []Token
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				dst = AppendTokens(dst[:0], text)
			}
			b.ReportMetric(float64(len(dst)), "tokens/op")
		})
	}
}

func BenchmarkNewDoc(b *testing.B) {
	for _, name := range []string{"testdata/story_en.txt", "testdata/story_multi.txt"} {
		title, text := benchStory(b, name)
		b.Run(strings.TrimSuffix(strings.TrimPrefix(name, "testdata/"), ".txt"), func(b *testing.B) {
			b.SetBytes(int64(len(title) + len(text)))
			b.ReportAllocs()
			var d *Doc
			for b.Loop() {
				d = NewDoc(title, text)
			}
			b.ReportMetric(float64(d.Len(Title)+d.Len(Text)), "tokens/op")
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	for _, w := range []string{"putin", "Zelenskyy", "São", "北京"} {
		b.Run(w, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Normalize(w)
			}
		})
	}
}
