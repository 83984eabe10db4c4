package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

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
}

// runCheck is `newsalert check`: it reads one feed, and prints its stories
// with their summaries, marking those QUERY matches.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("newsalert check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per story per line")
	budget := fs.Int("summary", 400, "summary length budget in characters")
	timeout := fs.Duration("timeout", 30*time.Second, "deadline for fetching a URL")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: newsalert check [--json] FEED_URL_OR_FILE [QUERY]

Reads one feed (an http(s) URL, or a file) and prints its stories newest first,
marking those QUERY matches, with the summary an alert would carry.
Example: newsalert check testdata/feeds/world-news.xml "north korea"
         newsalert check --json https://www.theguardian.com/world/rss 'title:ukraine -football'`)
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
	body, contentType, base, err := readFeed(ctx, pos[0], *timeout)
	if err != nil {
		return err
	}
	now := time.Now()
	f, err := feed.Parse(body, contentType, base, feed.Options{Now: func() time.Time { return now }})
	if err != nil {
		return fmt.Errorf("%s: %s", pos[0], sources.UserMessage(err))
	}
	builder := sources.NewStoryBuilder(sources.StoryOptions{})
	src := sources.Source{Name: f.Title, URL: base}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	matched := 0
	if !*asJSON {
		fmt.Fprintf(stdout, "%s — %s (%s)\n", orDefault(f.Title, base), stories(len(f.Items)), f.Format)
	}
	for _, it := range f.Items {
		st := builder.Build(src, it, now)
		cs := checkStory{Title: st.Title, Link: st.Link, Key: it.Key, TextLength: len([]rune(st.Text)), Image: st.ImageURL,
			Fingerprint: st.Fingerprint, MatchedTerms: []string{}}
		if !it.Published.IsZero() {
			cs.Published = it.Published.UTC().Format(time.RFC3339)
		}
		if q != nil {
			ok, hits := q.Eval(textnorm.NewDoc(st.Title, st.Text))
			cs.Matched = ok
			if ok {
				matched++
				for _, h := range hits {
					if !contains(cs.MatchedTerms, h.Term) {
						cs.MatchedTerms = append(cs.MatchedTerms, h.Term)
					}
				}
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
		fmt.Fprintf(stdout, "\n%d of %s %s %s\n", matched, stories(len(f.Items)), verb, q.String())
	}
	return nil
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
	fmt.Fprintf(w, "%skey %s · text %d chars · fingerprint %s\n", pad, cs.Key, cs.TextLength, truncate(cs.Fingerprint, 24))
}

// readFeed reads a file, or fetches a URL (private addresses allowed: the
// person at the terminal chose it).
func readFeed(ctx context.Context, arg string, timeout time.Duration) (body []byte, contentType, base string, err error) {
	if strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://") {
		f := fetch.New(fetch.Options{UserAgent: "newsalert/" + Version() + " (check)", AllowPrivate: true, RequestTimeout: timeout})
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
	return body, mime.TypeByExtension(filepath.Ext(arg)), "file://" + filepath.ToSlash(abs), nil
}

// stories is "1 story" or "N stories".
func stories(n int) string {
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
