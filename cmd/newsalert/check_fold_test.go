package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFeed writes an RSS file of items (title, link, description).
func writeFeed(t *testing.T, name, channel string, items [][3]string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>`, channel)
	for i, it := range items {
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>Wed, 18 Sep 2024 %02d:00:00 +0000</pubDate><description>%s</description></item>`,
			it[0], it[1], it[1], 20-i, it[2])
	}
	b.WriteString(`</channel></rss>`)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCheckFoldsInto: `check --json --with` says which story would fold
// into another source's alert, with its title and similarity; a templated
// series of the checked feed itself never folds.
func TestCheckFoldsInto(t *testing.T) {
	alpha := writeFeed(t, "alpha.xml", "Alpha", [][3]string{
		{"Fed delivers half-point interest rate cut", "https://alpha.example/fed", "The Federal Reserve cut interest rates by half a percentage point on Wednesday, its first reduction since 2020, as inflation cooled."},
	})
	beta := writeFeed(t, "beta.xml", "Beta", [][3]string{
		{"Federal Reserve cuts interest rates by half a point", "https://beta.example/fed", "The US Federal Reserve lowered its benchmark interest rate by half a percentage point on Wednesday, the first cut since 2020, citing cooling inflation."},
		{"Live: interest rates and markets, Wednesday", "https://beta.example/live-wed", "Follow live coverage of interest rates and markets on Wednesday, from Asian trading to the Wall Street close."},
		{"Live: interest rates and markets, Tuesday", "https://beta.example/live-tue", "Follow live coverage of interest rates and markets on Tuesday, from Asian trading to the Wall Street close."},
	})
	var out strings.Builder
	if code := run(context.Background(), []string{"check", "--json", "--with", alpha, beta, "interest rates"}, nil, &out, io.Discard); code != 0 {
		t.Fatalf("exit %d", code)
	}
	folds := map[string]*struct {
		Title      string  `json:"title"`
		Similarity float64 `json:"similarity"`
	}{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var s struct {
			Title     string `json:"title"`
			FoldsInto *struct {
				Title      string  `json:"title"`
				Similarity float64 `json:"similarity"`
			} `json:"folds_into"`
		}
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("bad JSON %q: %v", l, err)
		}
		folds[s.Title] = s.FoldsInto
	}
	if len(folds) != 3 {
		t.Fatalf("%d stories, want 3: %s", len(folds), out.String())
	}
	f := folds["Federal Reserve cuts interest rates by half a point"]
	if f == nil || f.Title != "Fed delivers half-point interest rate cut" || f.Similarity <= 0 || f.Similarity > 1 {
		t.Errorf("folds_into = %+v, want the Alpha story with its similarity", f)
	}
	for _, title := range []string{"Live: interest rates and markets, Wednesday", "Live: interest rates and markets, Tuesday"} {
		if folds[title] != nil {
			t.Errorf("%q folds into %+v; stories of one source never fold", title, folds[title])
		}
	}

	out.Reset()
	if code := run(context.Background(), []string{"check", "--with", alpha, beta, "interest rates"}, nil, &out, io.Discard); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out.String(), `folds into: "Fed delivers half-point interest rate cut" (Alpha), similarity 0.`) {
		t.Errorf("text output lacks the fold:\n%s", out.String())
	}
}
