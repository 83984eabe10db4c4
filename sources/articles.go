package sources

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/newsalert/newsalert/sources/article"
	"github.com/newsalert/newsalert/sources/fetch"
)

// Articles fetches the full article page of a story whose feed gives only a
// teaser, through the same safe fetcher as feeds (SSRF rules, size cap,
// deadlines, per-host limits), and extracts its main text.
type Articles struct {
	fetcher Fetcher
	stories *StoryStore
}

// NewArticles returns the article fetcher; stories caches the result on the
// stored story so that each article is fetched once. With nil stories
// (`newsalert check`) nothing is stored.
func NewArticles(f Fetcher, stories *StoryStore) *Articles {
	return &Articles{fetcher: f, stories: stories}
}

// Complete replaces a teaser story's text with its article's main text when
// that is longer, and takes the article's image when the feed gave none. On
// any failure the story keeps its feed text (the error says why). The
// result is stored, and a story is fetched at most once.
func (a *Articles) Complete(ctx context.Context, st Story) (Story, error) {
	if !st.Teaser || st.ArticleFetched || st.Link == "" {
		return st, nil
	}
	st.ArticleFetched = true
	err := a.fill(ctx, &st)
	if a.stories == nil {
		return st, err
	}
	if uerr := a.stories.Update(context.WithoutCancel(ctx), st); uerr != nil {
		err = errors.Join(err, uerr)
	}
	return st, err
}

func (a *Articles) fill(ctx context.Context, st *Story) error {
	resp, err := a.fetcher.Fetch(ctx, fetch.Request{URL: st.Link, Accept: fetch.HTMLAccept})
	if err != nil {
		return fmt.Errorf("fetch article of story %s: %w", st.ID, err)
	}
	art, err := article.Extract(resp.Body, resp.FinalURL)
	if err != nil {
		return fmt.Errorf("extract article of story %s: %w", st.ID, err)
	}
	if text := capRunes(art.Text, MaxTextRunes); utf8.RuneCountInString(text) > utf8.RuneCountInString(st.Text) {
		st.Text = text
		st.Teaser = false
	}
	if st.ImageURL == "" {
		st.ImageURL = capURL(art.ImageURL)
	}
	return nil
}
