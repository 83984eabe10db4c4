package opml

import (
	"strings"
	"testing"
	"time"
)

const sample = `<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="News">
      <outline text="BBC World" type="rss" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" htmlUrl="https://www.bbc.co.uk/news/world"/>
      <outline text="Caf` + "\xe9" + ` Wire" title="Caf` + "\xe9" + ` Wire" type="rss" xmlUrl="https://cafe.example/feed"/>
    </outline>
    <outline text="Guardian" xmlUrl="https://www.theguardian.com/world/rss"/>
    <outline text="dup" xmlUrl="https://www.theguardian.com/world/rss"/>
    <outline text="Just a folder"/>
  </body>
</opml>`

func TestParse(t *testing.T) {
	feeds, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := []Feed{
		{Title: "BBC World", URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Page: "https://www.bbc.co.uk/news/world"},
		{Title: "Café Wire", URL: "https://cafe.example/feed"},
		{Title: "Guardian", URL: "https://www.theguardian.com/world/rss"},
	}
	if len(feeds) != len(want) {
		t.Fatalf("got %d feeds: %+v", len(feeds), feeds)
	}
	for i := range want {
		if feeds[i] != want[i] {
			t.Errorf("feed %d = %+v, want %+v", i, feeds[i], want[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":    "",
		"not xml":  "hello",
		"no feeds": `<opml version="2.0"><head/><body><outline text="x"/></body></opml>`,
	} {
		if _, err := Parse([]byte(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	feeds := []Feed{{Title: `A & "B" <C>`, URL: "https://a.example/feed?x=1&y=2"}, {Title: "D", URL: "https://d.example/rss", Page: "https://d.example/"}}
	b, err := Render("newsalert sources", feeds, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `xmlUrl="https://a.example/feed?x=1&amp;y=2"`) {
		t.Errorf("not escaped:\n%s", b)
	}
	back, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || back[0] != feeds[0] || back[1] != feeds[1] {
		t.Errorf("round trip = %+v", back)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(`<opml><body><outline xmlUrl="x"><outline xmlUrl="y"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		feeds, err := Parse(data)
		if err == nil && len(feeds) == 0 {
			t.Fatal("no error and no feeds")
		}
	})
}
