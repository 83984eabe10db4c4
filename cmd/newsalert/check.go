package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"mime"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/newsalert/newsalert/internal/config"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/sources/summary"
	"github.com/newsalert/newsalert/subscriptions/query"
	"github.com/newsalert/newsalert/subscriptions/textnorm"
)

// checkStory is one line of `check --json`.
type checkStory struct {
	Title        string   `json:"title"`
	Link         string   `json:"link"`
	Key          string   `json:"key"`
	Published    string   `json:"published"`
	Matched      bool     `json:"matched"`
	MatchedTerms []string `json:"matched_terms"`
	Summary      string   `json:"summary"`
	TextLength   int      `json:"text_length"`
	Fingerprint  string   `json:"fingerprint"`
	Image        string   `json:"image,omitempty"`
	// FoldsInto is set when the story would be folded into an earlier
	// alert ("also reported by") instead of alerted on its own.
	FoldsInto *checkFold `json:"folds_into,omitempty"`
}

// articleWorkers is how many article pages check fetches at once.
const articleWorkers = 4

// checkFold is the earlier story a story folds into.
type checkFold struct {
	Title      string  `json:"title"`
	Source     string  `json:"source"`
	Link       string  `json:"link"`
	Similarity float64 `json:"similarity"` // 0-1; 1 for the same canonical URL
	SameURL    bool    `json:"same_url,omitempty"`
}

// feedList is a repeatable flag.
type feedList []string

func (l *feedList) String() string     { return strings.Join(*l, ",") }
func (l *feedList) Set(v string) error { *l = append(*l, v); return nil }

// runCheck is `newsalert check`: it reads one feed, and prints its stories
// with their summaries, marking those QUERY matches. Teaser stories are
// completed from their article pages exactly as alerts are (matched
// stories, or all with --articles), so the summary is the alert's.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// The settings alerts use (teaser length, article fetching, fetch
	// limits, private networks) come from the same environment as run.
	cfg, err := config.Load(nil, config.OSEnv, io.Discard)
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("newsalert check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per story per line")
	budget := fs.Int("summary", 400, "summary length budget in characters")
	timeout := fs.Duration("timeout", 30*time.Second, "deadline for fetching a URL")
	allArticles := fs.Bool("articles", false, "fetch the article page of every teaser story, not only of matched ones")
	allowPrivate := fs.Bool("allow-private-networks", cfg.AllowPrivateNetworks,
		"let article pages live on loopback and private addresses (NEWSALERT_ALLOW_PRIVATE_NETWORKS)")
	threshold := fs.Int("duplicate-threshold", cfg.DuplicateThreshold, "fingerprint distance (0-100) for folding, as NEWSALERT_DUPLICATE_THRESHOLD")
	var with feedList
	fs.Var(&with, "with", "another source's feed (URL or file; repeatable): stories that would fold into one of its stories say so")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: newsalert check [--json] [--articles] [--with OTHER_FEED]... FEED_URL_OR_FILE [QUERY]

Reads one feed (an http(s) URL, or a file) and prints its stories newest first,
marking those QUERY matches, with the summary an alert would carry: a matched
story whose feed text is only a teaser is completed from its article page, as
alerts are (every teaser story with --articles; none with
NEWSALERT_FETCH_ARTICLES=false). It also says whether a story would fold into
an earlier alert (folds_into): one of the same canonical URL, or the same
event from another source given with --with. Stories of one source never fold
into each other by similarity.
Example: newsalert check testdata/feeds/world-news.xml "north korea"
         newsalert check --json https://www.theguardian.com/world/rss 'title:ukraine -football'
         newsalert check --with testdata/feeds/world-news.xml https://feeds.bbci.co.uk/news/world/rss.xml "north korea"`)
		fs.PrintDefaults()
	}
	// Flags may come before or after the positional arguments.
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) == 0 || len(pos) > 2 {
		fs.Usage()
		return fmt.Errorf("check takes a feed URL or file, and optionally one query (quote it)")
	}
	var q *query.Query
	if len(pos) == 2 {
		var err error
		if q, err = query.Parse(pos[1], query.DefaultLimits()); err != nil {
			return fmt.Errorf("query %q: %w", pos[1], err)
		}
	}
	body, contentType, base, err := readFeed(ctx, pos[0], *timeout, cfg.MaxFeedBytes)
	if err != nil {
		return err
	}
	now := time.Now()
	f, err := feed.Parse(body, contentType, base, feed.Options{MaxItems: cfg.MaxItemsPerFetch, Now: func() time.Time { return now }})
	if err != nil {
		return fmt.Errorf("%s: %s", pos[0], sources.UserMessage(err))
	}
	builder := sources.NewStoryBuilder(sources.StoryOptions{TeaserRunes: cfg.TeaserChars})
	src := sources.Source{ID: 1, Name: orDefault(f.Title, base), URL: base}
	earlier, err := otherSources(ctx, with, builder, q, *timeout, cfg.MaxFeedBytes, cfg.MaxItemsPerFetch, now)
	if err != nil {
		return err
	}
	checked := make([]checkedStory, len(f.Items))
	for i, it := range f.Items {
		checked[i] = checkedStory{item: it, story: builder.Build(src, it, now)}
		checked[i].match(q)
	}
	if cfg.FetchArticles || *allArticles {
		fetcher := fetch.New(fetch.Options{
			UserAgent:      "newsalert/" + Version() + " (check)",
			AllowPrivate:   *allowPrivate,
			ConnectTimeout: cfg.ConnectTimeout,
			RequestTimeout: *timeout,
			MaxBodyBytes:   cfg.MaxFeedBytes,
			PerHostLimit:   cfg.PerHostConcurrency,
			GlobalLimit:    articleWorkers,
		})
		completeTeasers(ctx, sources.NewArticles(fetcher, nil), checked, q, *allArticles, stderr)
	}
	stories := make([]sources.Story, len(checked))
	for i := range checked {
		stories[i] = checked[i].story
	}

	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	matched := 0
	if !*asJSON {
		fmt.Fprintf(stdout, "%s — %s (%s)\n", orDefault(f.Title, base), storyCount(len(f.Items)), f.Format)
	}
	for i, c := range checked {
		st := c.story
		cs := checkStory{Title: st.Title, Link: st.Link, Key: c.item.Key, TextLength: len([]rune(st.Text)), Image: st.ImageURL,
			Fingerprint: st.Fingerprint, Matched: c.matched, MatchedTerms: c.terms}
		if !c.item.Published.IsZero() {
			cs.Published = c.item.Published.UTC().Format(time.RFC3339)
		}
		if c.matched {
			matched++
		}
		if q == nil || cs.Matched {
			// Items are newest first: the older ones of this feed came before.
			candidates := append(slices.Clone(earlier), matching(stories[i+1:], q)...)
			if into, dup, ok := sources.FoldInto(st, candidates, *threshold); ok {
				cs.FoldsInto = &checkFold{Title: into.Title, Source: into.SourceName, Link: into.Link,
					Similarity: math.Round(dup.Similarity*100) / 100, SameURL: dup.Exact}
			}
		}
		cs.Summary = summary.Summarize(st.Title, st.Text, cs.MatchedTerms, *budget)
		if *asJSON {
			if err := enc.Encode(cs); err != nil {
				return err
			}
			continue
		}
		printStory(stdout, cs, q != nil)
	}
	if q != nil && !*asJSON {
		verb := "match"
		if matched == 1 {
			verb = "matches"
		}
		fmt.Fprintf(stdout, "\n%d of %s %s %s\n", matched, storyCount(len(f.Items)), verb, q.String())
	}
	return nil
}

// checkedStory is one item of the feed being checked, its story (completed
// from the article page when it was a teaser worth completing) and the
// query's verdict on it.
type checkedStory struct {
	item    feed.Item
	story   sources.Story
	matched bool
	terms   []string
}

// match evaluates q (nil: no query) on the story's title and text.
func (c *checkedStory) match(q *query.Query) {
	c.matched, c.terms = false, []string{}
	if q == nil {
		return
	}
	ok, hits := q.Eval(textnorm.NewDoc(c.story.Title, c.story.Text))
	if !ok {
		return
	}
	c.matched = true
	for _, h := range hits {
		if !contains(c.terms, h.Term) {
			c.terms = append(c.terms, h.Term)
		}
	}
}

// completeTeasers replaces the text of teaser stories with their article's,
// as the alert router does: matched stories (all with all), and the query
// evaluated again on the completed text. Article pages are fetched by
// articleWorkers goroutines, which it waits for; a failure leaves the
// feed's text and is reported on stderr in one line.
func completeTeasers(ctx context.Context, arts *sources.Articles, checked []checkedStory, q *query.Query, all bool, stderr io.Writer) {
	var todo []int
	for i := range checked {
		if checked[i].story.Teaser && (all || checked[i].matched) {
			todo = append(todo, i)
		}
	}
	jobs := make(chan int)
	errs := make([]error, len(checked))
	var wg sync.WaitGroup
	for range min(articleWorkers, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = completeOne(ctx, arts, &checked[i], q)
			}
		}()
	}
	for _, i := range todo {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			fmt.Fprintf(stderr, "newsalert: article of %q not read, the feed's text is shown: %s\n",
				truncate(checked[i].story.Title, 60), sources.UserMessage(err))
		}
	}
}

// completeOne completes one story; a panic is recovered and returned.
func completeOne(ctx context.Context, arts *sources.Articles, c *checkedStory, q *query.Query) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic completing story: %v", r)
		}
	}()
	full, err := arts.Complete(ctx, c.story)
	if full.Text != c.story.Text {
		c.story = full
		if q != nil {
			c.match(q)
		}
	} else {
		c.story.ImageURL = full.ImageURL
	}
	return err
}

// otherSources reads the --with feeds as sources 2, 3, ... and returns
// their stories that q matches (all when q is nil).
func otherSources(ctx context.Context, feeds []string, builder *sources.StoryBuilder, q *query.Query, timeout time.Duration, maxBytes int64, maxItems int, now time.Time) ([]sources.Story, error) {
	var out []sources.Story
	for i, name := range feeds {
		body, contentType, base, err := readFeed(ctx, name, timeout, maxBytes)
		if err != nil {
			return nil, err
		}
		f, err := feed.Parse(body, contentType, base, feed.Options{MaxItems: maxItems, Now: func() time.Time { return now }})
		if err != nil {
			return nil, fmt.Errorf("%s: %s", name, sources.UserMessage(err))
		}
		src := sources.Source{ID: int64(i + 2), Name: orDefault(f.Title, base), URL: base}
		var sts []sources.Story
		for _, it := range f.Items {
			sts = append(sts, builder.Build(src, it, now))
		}
		out = append(out, matching(sts, q)...)
	}
	return out, nil
}

// matching keeps the stories q matches (all when q is nil): only those
// were alerted, so only those can be folded into.
func matching(sts []sources.Story, q *query.Query) []sources.Story {
	if q == nil {
		return sts
	}
	var out []sources.Story
	for _, st := range sts {
		if ok, _ := q.Eval(textnorm.NewDoc(st.Title, st.Text)); ok {
			out = append(out, st)
		}
	}
	return out
}

func printStory(w io.Writer, cs checkStory, marking bool) {
	mark := ""
	if marking {
		mark = "[ ]   "
		if cs.Matched {
			mark = "[x]   "
		}
	}
	pad := strings.Repeat(" ", len(mark))
	fmt.Fprintf(w, "\n%s%s\n", mark, cs.Title)
	when := cs.Published
	if when == "" {
		when = "no date"
	}
	fmt.Fprintf(w, "%s%s · %s\n", pad, when, cs.Link)
	if cs.Matched {
		fmt.Fprintf(w, "%smatched: %s\n", pad, strings.Join(cs.MatchedTerms, ", "))
	}
	if cs.Summary != "" {
		fmt.Fprintf(w, "%s%s\n", pad, strings.ReplaceAll(cs.Summary, "\n", "\n"+pad))
	}
	if f := cs.FoldsInto; f != nil {
		fmt.Fprintf(w, "%sfolds into: %q (%s), similarity %.2f\n", pad, f.Title, f.Source, f.Similarity)
	}
	fmt.Fprintf(w, "%skey %s · text %d chars · fingerprint %s\n", pad, cs.Key, cs.TextLength, truncate(cs.Fingerprint, 24))
}

// readFeed reads a file, or fetches a URL (private addresses allowed: the
// person at the terminal chose it), at most maxBytes.
func readFeed(ctx context.Context, arg string, timeout time.Duration, maxBytes int64) (body []byte, contentType, base string, err error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		f := fetch.New(fetch.Options{UserAgent: "newsalert/" + Version() + " (check)", AllowPrivate: true, RequestTimeout: timeout, MaxBodyBytes: maxBytes})
		resp, err := f.Fetch(ctx, fetch.Request{URL: arg})
		if err != nil {
			return nil, "", "", fmt.Errorf("fetch %s: %s", arg, sources.UserMessage(err))
		}
		return resp.Body, resp.ContentType, resp.FinalURL, nil
	}
	body, err = os.ReadFile(arg)
	if err != nil {
		return nil, "", "", fmt.Errorf("read feed: %w", err)
	}
	abs, _ := filepath.Abs(arg)
	// The media type of the extension, without the charset the host's MIME
	// table may add: a file's charset is in its bytes.
	contentType, _, _ = mime.ParseMediaType(mime.TypeByExtension(filepath.Ext(arg)))
	return body, contentType, "file://" + filepath.ToSlash(abs), nil
}

// storyCount is "1 story" or "N stories".
func storyCount(n int) string {
	if n == 1 {
		return "1 story"
	}
	return fmt.Sprintf("%d stories", n)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
