package sources

import (
	"testing"
	"time"

	"github.com/newsalert/newsalert/sources/feed"
)

func TestBuildGivesEveryStoryAHeadline(t *testing.T) {
	b := NewStoryBuilder(StoryOptions{})
	src := Source{ID: 1, Name: "Wire"}
	now := time.Date(2026, 5, 9, 8, 0, 0, 0, time.UTC)
	tests := []struct{ title, content, want string }{
		{"Kernel news", "Linux 6.8 is out now.", "Kernel news"},
		{"", "<p>Join Us</p><p>Linux 6.8 is out now.</p><p>It is faster.</p>", "Linux 6.8 is out now."},
		{"  ", "Linux 6.8 is out now.", "Linux 6.8 is out now."},
		{"", "", "New story from Wire"},
	}
	for _, tt := range tests {
		st := b.Build(src, feed.Item{Key: "k", Title: tt.title, Content: tt.content}, now)
		if st.Title != tt.want {
			t.Errorf("Build(title %q, content %q).Title = %q, want %q", tt.title, tt.content, st.Title, tt.want)
		}
	}
}
