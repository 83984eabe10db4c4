package article

import (
	"os"
	"testing"
)

func BenchmarkExtract(b *testing.B) {
	page, err := os.ReadFile("testdata/news-article.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(page, "https://www.dailyledger.example/business/story"); err != nil {
			b.Fatal(err)
		}
	}
}
