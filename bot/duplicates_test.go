package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/feed"
)

// TestTestShowsFoldsAndDuplicatesSwitch: /test says which story folds into
// which (title, source, similarity) unless /duplicates off, which only the
// chat's managers may set.
func TestTestShowsFoldsAndDuplicatesSwitch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b := sources.NewStoryBuilder(sources.StoryOptions{})
	build := func(id int64, name, title, link, text string) sources.Story {
		return b.Build(sources.Source{ID: id, Name: name}, feed.Item{Key: link, Title: title, Link: link, Content: text}, time.Now())
	}
	// Added oldest first: Recent lists newest first.
	e.stories.AddRecent(ctx, []sources.Story{
		build(1, "Alpha", "Fed delivers half-point interest rate cut", "https://alpha.example/fed",
			"The Federal Reserve cut interest rates by half a percentage point on Wednesday, its first reduction since 2020, as inflation cooled."),
	})
	e.stories.AddRecent(ctx, []sources.Story{
		build(2, "Beta", "Federal Reserve cuts interest rates by half a point", "https://beta.example/fed",
			"The US Federal Reserve lowered its benchmark interest rate by half a percentage point on Wednesday, the first cut since 2020, citing cooling inflation."),
	})
	got := e.do(t, private, "/test interest rates")
	if !strings.Contains(got, `• Federal Reserve cuts interest rates by half a point (Beta) — folds into "Fed delivers half-point interest rate cut" (Alpha), similarity 0.`) {
		t.Fatalf("/test = %q", got)
	}
	if strings.Count(got, "folds into") != 1 {
		t.Errorf("the first story folds into nothing: %q", got)
	}

	if got := e.do(t, private, "/duplicates"); !strings.Contains(got, "Duplicates are on") {
		t.Errorf("default: %q", got)
	}
	if got := e.do(t, member, "/duplicates off"); !strings.Contains(got, "administrators") {
		t.Errorf("a member turned duplicates off: %q", got)
	}
	if got := e.do(t, private, "/duplicates maybe"); !strings.Contains(got, "Use /duplicates on") {
		t.Errorf("bad argument: %q", got)
	}
	if got := e.do(t, private, "/duplicates off"); !strings.Contains(got, "Duplicates off") {
		t.Fatalf("off: %q", got)
	}
	if s, _ := e.chats.Get(ctx, private.Chat); !s.NoFold {
		t.Error("folding still on")
	}
	if got := e.do(t, private, "/test interest rates"); strings.Contains(got, "folds into") {
		t.Errorf("with duplicates off /test still folds: %q", got)
	}
	if got := e.do(t, private, "/duplicates ON"); !strings.Contains(got, "Duplicates on") {
		t.Fatalf("on: %q", got)
	}
}
