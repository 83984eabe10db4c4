package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

func TestCheckMarksMatches(t *testing.T) {
	var out strings.Builder
	code := run(context.Background(), []string{"check", "../../testdata/feeds/world-news.xml", "north korea"}, nil, &out, io.Discard)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	text := out.String()
	for _, want := range []string{
		"World News Wire — 6 stories (rss)",
		"[ ]   North Korean Leader Kim Jong Un Expresses Support for Russia on Victory Day", // "korean" is not "korea"
		"[x]   UN monitors trace Kharkiv missile debris to North Korea",
		"[x]   Seoul and Tokyo agree to resume regular security talks",
		"matched: north, korea",
		"[ ]   Central bank holds rates at 5.25% as inflation cools",
		"2 of 6 stories match north korea",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "appeared first on") {
		t.Error("summary kept feed boilerplate")
	}
}

func TestCheckJSON(t *testing.T) {
	var out strings.Builder
	code := run(context.Background(), []string{"check", "--json", "../../testdata/feeds/world-news.xml", "title:kharkiv OR sao"}, nil, &out, io.Discard)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d lines, want 6", len(lines))
	}
	matched := map[string]bool{}
	for _, l := range lines {
		var s struct {
			Title        string   `json:"title"`
			Link         string   `json:"link"`
			Key          string   `json:"key"`
			Published    string   `json:"published"`
			Matched      bool     `json:"matched"`
			MatchedTerms []string `json:"matched_terms"`
			Summary      string   `json:"summary"`
		}
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("bad JSON %q: %v", l, err)
		}
		if s.Title == "" || s.Link == "" || s.Key == "" || s.Summary == "" || s.MatchedTerms == nil {
			t.Errorf("incomplete story: %s", l)
		}
		if _, err := time.Parse(time.RFC3339, s.Published); err != nil {
			t.Errorf("published %q is not RFC 3339", s.Published)
		}
		matched[s.Title] = s.Matched
	}
	if !matched["UN monitors trace Kharkiv missile debris to North Korea"] || !matched["São Paulo floods: thousands leave homes after record rainfall"] {
		t.Errorf("title:kharkiv OR sao missed: %v", matched)
	}
	if matched["Ukraine says it downed 20 drones over Kharkiv overnight"] == false {
		t.Errorf("kharkiv in that title was missed")
	}
}

func TestCheckErrors(t *testing.T) {
	var errOut strings.Builder
	if code := run(context.Background(), []string{"check", "missing.xml"}, nil, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "missing.xml") {
		t.Errorf("missing file: %d %q", code, errOut.String())
	}
	errOut.Reset()
	if code := run(context.Background(), []string{"check", "../../testdata/feeds/world-news.xml", "(a"}, nil, io.Discard, &errOut); code != 1 || !strings.Contains(errOut.String(), "missing )") {
		t.Errorf("bad query: %d %q", code, errOut.String())
	}
}
