package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// teaserSite serves a feed of one-line teasers whose items link to real
// article pages, and counts the article requests.
type teaserSite struct {
	mu   sync.Mutex
	hits map[string]int
}

var teaserArticles = []struct {
	slug, title, teaser string
	paras               []string
}{
	{"rates", "Central bank holds rates", "Rates held. Read more.", []string{
		"The central bank held its benchmark interest rate at 5.25% on Thursday, the sixth meeting in a row without a change.",
		"Policymakers voted seven to two to keep rates on hold, with the two dissenters calling for an immediate cut of a quarter point.",
		"The governor said inflation was falling faster than expected and that a cut in June was possible if wages cooled.",
		"Markets had priced in a small chance of a cut, and the currency slipped after the decision was announced at noon.",
	}},
	{"mortgages", "Mortgage lenders cut fixed rates", "Cheaper deals. Read more.", []string{
		"Several large mortgage lenders cut their fixed rates on Friday, a day after the central bank signalled lower interest rates ahead.",
		"The average two-year fixed deal fell to 5.6%, its lowest level since the spring, according to figures from a data provider.",
		"Brokers said borrowers coming off cheap deals this year would still face much higher monthly payments than before.",
		"First-time buyers with small deposits saw the largest cuts, as lenders competed for a smaller number of applicants.",
	}},
	{"harbour", "Harbour festival returns", "Boats and music. Read more.", []string{
		"The harbour festival returns this weekend after a three-year break, with tall ships, brass bands and a night market on the quay.",
		"Organisers expect forty thousand visitors and have asked people to travel by train because parking will be limited.",
		"The festival ends on Sunday evening with fireworks over the water, weather permitting, at ten o'clock.",
	}},
}

func (s *teaserSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host
	if r.URL.Path == "/feed.xml" {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Teaser Times</title><link>`+base+`/</link>`)
		for i, a := range teaserArticles {
			fmt.Fprintf(w, "<item><title>%s</title><link>%s/news/%s</link><guid>%s/news/%s</guid><description>%s</description><pubDate>Sat, 0%d Mar 2025 10:00:00 GMT</pubDate></item>",
				a.title, base, a.slug, base, a.slug, a.teaser, 3-i)
		}
		fmt.Fprint(w, `</channel></rss>`)
		return
	}
	for _, a := range teaserArticles {
		if r.URL.Path == "/news/"+a.slug {
			s.mu.Lock()
			s.hits[a.slug]++
			s.mu.Unlock()
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><title>%s | Teaser Times</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>%s</h1><p class="byline">By Staff Reporter</p><p>%s</p></article></main>
<footer><p>© Teaser Times. All rights reserved.</p></footer></body></html>`, a.title, a.title, strings.Join(a.paras, "</p>\n<p>"))
			return
		}
	}
	http.NotFound(w, r)
}

func (s *teaserSite) hitsOf(slug string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[slug]
}

type checkLine struct {
	Title   string `json:"title"`
	Matched bool   `json:"matched"`
	Summary string `json:"summary"`
}

func runCheckJSON(t *testing.T, args ...string) (map[string]checkLine, string) {
	t.Helper()
	var out, errOut strings.Builder
	if code := run(context.Background(), append([]string{"check", "--json"}, args...), nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := map[string]checkLine{}
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var c checkLine
		if err := json.Unmarshal([]byte(l), &c); err != nil {
			t.Fatalf("bad JSON %q: %v", l, err)
		}
		got[c.Title] = c
	}
	return got, errOut.String()
}

// sentencesFromArticle counts the sentences of summary taken from paras, and
// reports whether every sentence of summary is one of them.
func sentencesFromArticle(summary string, paras []string) (int, bool) {
	n := 0
	rest := summary
	for _, p := range paras {
		if strings.Contains(rest, p) {
			n++
			rest = strings.Replace(rest, p, "", 1)
		}
	}
	return n, strings.TrimSpace(rest) == ""
}

// TestCheckCompletesTeasersFromArticles: for a feed of one-line teasers,
// `check --json FEED QUERY` prints for each matched item a summary of two
// or three sentences of its article; unmatched items keep the teaser and
// their articles are not fetched, unless --articles.
func TestCheckCompletesTeasersFromArticles(t *testing.T) {
	site := &teaserSite{hits: map[string]int{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	t.Setenv("NEWSALERT_ALLOW_PRIVATE_NETWORKS", "true")
	t.Setenv("NEWSALERT_FETCH_ARTICLES", "true")

	got, errOut := runCheckJSON(t, srv.URL+"/feed.xml", "rates")
	if errOut != "" {
		t.Errorf("stderr: %s", errOut)
	}
	for _, a := range teaserArticles[:2] {
		c, ok := got[a.title]
		if !ok || !c.Matched {
			t.Fatalf("%q not matched: %+v", a.title, got)
		}
		n, only := sentencesFromArticle(c.Summary, a.paras)
		if n < 2 || n > 3 || !only {
			t.Errorf("%q summary = %q; want two or three sentences of the article", a.title, c.Summary)
		}
		if site.hitsOf(a.slug) != 1 {
			t.Errorf("article %s fetched %d times; want once", a.slug, site.hitsOf(a.slug))
		}
	}
	harbour := teaserArticles[2]
	if c := got[harbour.title]; c.Matched || strings.Contains(c.Summary, harbour.paras[0]) || site.hitsOf(harbour.slug) != 0 {
		t.Errorf("unmatched story %+v (article fetched %d times); want the feed's text, no fetch", c, site.hitsOf(harbour.slug))
	}

	// --articles completes every teaser story.
	got, _ = runCheckJSON(t, "--articles", srv.URL+"/feed.xml")
	if n, only := sentencesFromArticle(got[harbour.title].Summary, harbour.paras); n < 2 || !only {
		t.Errorf("--articles: %q summary = %q", harbour.title, got[harbour.title].Summary)
	}
}

// TestCheckArticlesOnPrivateNetworksNeedTheAllowFlag: article pages come
// from untrusted feeds, so a loopback article is refused unless
// --allow-private-networks (or NEWSALERT_ALLOW_PRIVATE_NETWORKS) says so;
// the feed's text is then shown and the reason told on stderr.
func TestCheckArticlesOnPrivateNetworksNeedTheAllowFlag(t *testing.T) {
	site := &teaserSite{hits: map[string]int{}}
	srv := httptest.NewServer(site)
	defer srv.Close()
	t.Setenv("NEWSALERT_ALLOW_PRIVATE_NETWORKS", "false")

	got, errOut := runCheckJSON(t, srv.URL+"/feed.xml", "rates")
	if c := got[teaserArticles[0].title]; !c.Matched || strings.Contains(c.Summary, teaserArticles[0].paras[0]) {
		t.Errorf("refused article: %+v; want the feed's text", c)
	}
	t.Logf("stderr: %s", errOut)
	if site.hitsOf("rates") != 0 || !strings.Contains(errOut, "article of") {
		t.Errorf("private article fetched (%d) or not reported: %q", site.hitsOf("rates"), errOut)
	}

	got, _ = runCheckJSON(t, "--allow-private-networks", srv.URL+"/feed.xml", "rates")
	if n, _ := sentencesFromArticle(got[teaserArticles[0].title].Summary, teaserArticles[0].paras); n < 2 {
		t.Errorf("with the flag: summary %q", got[teaserArticles[0].title].Summary)
	}
}
