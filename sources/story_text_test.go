package sources

import (
	"testing"
	"time"

	"github.com/newsalert/newsalert/sources/feed"
)

// TestBuildKeepsTextAsTheFeedMeansIt: feed.Item.Title is plain text and
// Content HTML with escaped text; Build reads each once.
func TestBuildKeepsTextAsTheFeedMeansIt(t *testing.T) {
	body := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>std::vector&lt;int&gt; in C++</title><link>https://c.example/1</link>
<description>&lt;p&gt;Use &lt;code&gt;List&amp;lt;String&amp;gt;&lt;/code&gt; instead.&lt;/p&gt;</description></item>
</channel></rss>`)
	f, err := feed.Parse(body, "application/rss+xml", "https://c.example/rss", feed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := NewStoryBuilder(StoryOptions{}).Build(Source{ID: 1, Name: "c"}, f.Items[0], time.Now())
	if st.Title != "std::vector<int> in C++" {
		t.Errorf("title = %q", st.Title)
	}
	if st.Text != "Use List<String> instead." {
		t.Errorf("text = %q", st.Text)
	}
}
