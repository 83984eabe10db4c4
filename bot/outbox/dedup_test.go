package outbox

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/internal/secret"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/feed"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/sources/summary"
	"github.com/newsalert/newsalert/subscriptions"
)

// editingPlatform is a fakePlatform that can edit and keeps the alerts.
type editingPlatform struct {
	*fakePlatform
	mu     sync.Mutex
	sent   []bot.Alert
	edited map[string][]bot.Alert
}

func (p *editingPlatform) Send(ctx context.Context, chat bot.Chat, batch []bot.Alert) (bot.Receipt, bool, error) {
	p.mu.Lock()
	p.sent = append(p.sent, batch...)
	p.mu.Unlock()
	return p.fakePlatform.Send(ctx, chat, batch)
}

func (p *editingPlatform) Edit(ctx context.Context, chat bot.Chat, id string, batch []bot.Alert) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.edited[id] = batch
	return false, nil
}

// titleMatcher matches every story whose title contains "Kim".
type titleMatcher struct{ chat subscriptions.Chat }

func (m titleMatcher) Match(title, text string) []subscriptions.Match {
	if strings.Contains(title, "Kim") || strings.Contains(text, "Kim") {
		return []subscriptions.Match{{SubID: 1, Chat: m.chat, Terms: []string{"kim"}}}
	}
	return nil
}

func build(id int64, name, title, link, text string) sources.Story {
	b := sources.NewStoryBuilder(sources.StoryOptions{})
	return b.Build(sources.Source{ID: id, Name: name}, feed.Item{Key: link, Title: title, Link: link, Content: text}, time.Now())
}

func TestSameStoryFromSeveralSourcesIsOneAlert(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	r := newRig(t, titleMatcher{chatA}, 5)
	plat := &editingPlatform{fakePlatform: r.plat, edited: map[string][]bot.Alert{}}
	r.router = NewRouter(RouterOptions{Stories: r.stories, Matcher: titleMatcher{chatA}, Outbox: r.box, Chats: r.chats,
		Records: r.records, Duplicates: sources.NewDuplicates(rdb, prefix, 0, 0, nil)})
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "p", Platforms: map[string]Platform{"fake": plat},
		Stories: r.stories, Chats: r.chats, Records: r.records})
	ctx := context.Background()

	first := build(1, "Yonhap", "Kim Jong Un sends Putin Victory Day message pledging firm support for Russia",
		"https://yonhap.example/kim-putin", "North Korean leader Kim Jong Un sent Russian President Vladimir Putin a Victory Day message of firm support and solidarity, KCNA said on Thursday.")
	r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{first}, sources.SeenMark{})
	runUntil(t, d, func() bool { a, _ := plat.delivered(chatA.String()); return a == 1 })

	sameURL := build(2, "Aggregator", "Kim backs Russia", "https://yonhap.example/kim-putin?utm_source=x", "Short.")
	near := build(3, "Reuters", "North Korea's Kim pledges firm support for Russia in Victory Day message to Putin",
		"https://reuters.example/kim-victory-day", "North Korean leader Kim Jong Un pledged firm support and solidarity with Russia in a Victory Day message to President Vladimir Putin, state media KCNA said.")
	other := build(4, "Reuters", "Kim Jong Un inspects new tank factory in Pyongyang",
		"https://reuters.example/kim-tanks", "Kim Jong Un visited a munitions plant producing new tanks, state media said.")
	r.router.Stories(ctx, sources.Source{ID: 2}, []sources.Story{sameURL, near, other}, sources.SeenMark{})
	runUntil(t, d, func() bool { n, _ := r.box.Len(ctx); a, _ := plat.delivered(chatA.String()); return n == 0 && a == 2 })

	plat.mu.Lock()
	defer plat.mu.Unlock()
	if len(plat.sent) != 2 || plat.sent[1].Title != other.Title {
		t.Fatalf("sent %d alerts: %+v", len(plat.sent), plat.sent)
	}
	ed, ok := plat.edited["m0"]
	if !ok || len(ed) != 1 || ed[0].StoryID != first.ID {
		t.Fatalf("first alert not edited: %+v", plat.edited)
	}
	if got := strings.Join(ed[0].AlsoReportedBy, ", "); got != "Aggregator, Reuters" {
		t.Errorf("also reported by %q, want Aggregator, Reuters", got)
	}
}

// TestTeaserSummariesComeFromTheArticle serves a feed of teasers whose links
// are full article pages: the alert's summary is taken from the article.
func TestTeaserSummariesComeFromTheArticle(t *testing.T) {
	var articleFetches int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		articleFetches++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><title>Kim backs Russia</title><meta property="og:image" content="/img/kim.jpg"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<article><h1>Kim backs Russia in Victory Day message</h1>
<p>North Korean leader Kim Jong Un sent Russian President Vladimir Putin a congratulatory message on Victory Day, expressing firm support and solidarity with Russia, the state news agency KCNA reported on Thursday.</p>
<p>The message marked the 79th anniversary of the Soviet victory over Nazi Germany. Kim said he hoped the Russian army and people would win fresh victories against what he called the imperialists' hegemonic policy.</p>
<p>Washington and Seoul have accused Pyongyang of supplying weapons to Moscow for use in Ukraine, which both countries deny. Last year the two countries pledged to deepen military ties.</p>
</article><aside>Most read: Ten things to do this weekend</aside><footer>© 2024 Example News</footer></body></html>`)
	}))
	defer srv.Close()
	r := newRig(t, titleMatcher{chatA}, 5)
	f := fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 5 * time.Second})
	r.router = NewRouter(RouterOptions{Stories: r.stories, Matcher: titleMatcher{chatA}, Outbox: r.box, Chats: r.chats,
		Records: r.records, Articles: sources.NewArticles(f, r.stories)})
	plat := &editingPlatform{fakePlatform: r.plat, edited: map[string][]bot.Alert{}}
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "p", Platforms: map[string]Platform{"fake": plat},
		Stories: r.stories, Chats: r.chats, Records: r.records, Summarize: summary.Summarize})
	teaser := build(1, "Example News", "Kim backs Russia", srv.URL+"/world/kim", "<p>Kim Jong Un has sent a message to Putin. Read more…</p>")
	unmatched := build(1, "Example News", "Rates held", srv.URL+"/business/rates", "<p>Teaser.</p>")
	if !teaser.Teaser {
		t.Fatal("story not detected as a teaser")
	}
	ctx := context.Background()
	if err := r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{teaser, unmatched}, sources.SeenMark{}); err != nil {
		t.Fatal(err)
	}
	runUntil(t, d, func() bool { a, _ := plat.delivered(chatA.String()); return a == 1 })
	plat.mu.Lock()
	al := plat.sent[0]
	plat.mu.Unlock()
	if !strings.Contains(al.Summary, "Victory Day") || !strings.Contains(al.Summary, "firm support") {
		t.Errorf("summary not from the article: %q", al.Summary)
	}
	if strings.Contains(al.Summary, "cookies") || strings.Contains(al.Summary, "Read more") {
		t.Errorf("summary has page clutter: %q", al.Summary)
	}
	if al.ImageURL != srv.URL+"/img/kim.jpg" {
		t.Errorf("image = %q", al.ImageURL)
	}
	if articleFetches != 1 {
		t.Errorf("%d article fetches, want 1 (only the matched story)", articleFetches)
	}
	stored, _ := r.stories.Get(ctx, teaser.ID)
	if !stored.ArticleFetched || !strings.Contains(stored.Text, "79th anniversary") {
		t.Errorf("article text not cached on the story: %+v", stored)
	}
}

// hookPlatform records which path a send took.
type hookPlatform struct {
	*fakePlatform
	mu    sync.Mutex
	hooks []string
}

func (p *hookPlatform) SendWebhook(ctx context.Context, url secret.String, batch []bot.Alert) (bot.Receipt, bool, error) {
	p.mu.Lock()
	p.hooks = append(p.hooks, url.Reveal())
	p.mu.Unlock()
	r := bot.Receipt{}
	for range batch {
		r.MessageIDs = append(r.MessageIDs, "w")
	}
	return r, false, nil
}

func TestChatWebhookIsUsed(t *testing.T) {
	r := newRig(t, stubMatcher{"Hooked": {{SubID: 1, Chat: chatA}}}, 5)
	plat := &hookPlatform{fakePlatform: r.plat}
	ctx := context.Background()
	r.chats.SetWebhook(ctx, chatA, "https://discord.com/api/webhooks/1/tok")
	r.router.Stories(ctx, sources.Source{ID: 1}, []sources.Story{story("h1", "Hooked")}, sources.SeenMark{})
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "p", Platforms: map[string]Platform{"fake": plat},
		Stories: r.stories, Chats: r.chats, Records: r.records})
	runUntil(t, d, func() bool { plat.mu.Lock(); defer plat.mu.Unlock(); return len(plat.hooks) == 1 })
	if a, _ := plat.delivered(chatA.String()); a != 0 {
		t.Errorf("%d alerts went through the bot instead of the webhook", a)
	}
}

// TestFoldingOnlyAcrossSourcesAndPerChat: look-alike stories of one source
// are all alerted; the same event from another source folds, unless the
// chat turned folding off (/duplicates off).
func TestFoldingOnlyAcrossSourcesAndPerChat(t *testing.T) {
	rdb, prefix := redistest.Client(t)
	r := newRig(t, titleMatcher{chatA}, 5)
	plat := &editingPlatform{fakePlatform: r.plat, edited: map[string][]bot.Alert{}}
	r.router = NewRouter(RouterOptions{Stories: r.stories, Matcher: titleMatcher{chatA}, Outbox: r.box, Chats: r.chats,
		Records: r.records, Duplicates: sources.NewDuplicates(rdb, prefix, 0, 0, nil)})
	d := NewDeliverer(r.box, DelivererOptions{Consumer: "p", Platforms: map[string]Platform{"fake": plat},
		Stories: r.stories, Chats: r.chats, Records: r.records})
	ctx := context.Background()
	lead := "North Korean leader Kim Jong Un sent Russian President Vladimir Putin a Victory Day message of firm support and solidarity, KCNA said on Thursday."
	series := []sources.Story{
		build(1, "Yonhap", "Kim Jong Un sends Putin Victory Day message, part 1", "https://yonhap.example/kim-1", lead),
		build(1, "Yonhap", "Kim Jong Un sends Putin Victory Day message, part 1", "https://yonhap.example/kim-2", lead), // same words, another item
	}
	r.router.Stories(ctx, sources.Source{ID: 1}, series, sources.SeenMark{})
	runUntil(t, d, func() bool { a, _ := plat.delivered(chatA.String()); return a == 2 })

	r.chats.SetFolding(ctx, chatA, false)
	other := build(3, "Reuters", "Kim Jong Un sends Putin Victory Day message, part 1", "https://reuters.example/kim", lead)
	r.router.Stories(ctx, sources.Source{ID: 3}, []sources.Story{other}, sources.SeenMark{})
	runUntil(t, d, func() bool { a, _ := plat.delivered(chatA.String()); return a == 3 })
	plat.mu.Lock()
	defer plat.mu.Unlock()
	if len(plat.edited) != 0 {
		t.Errorf("with folding off an alert was edited: %+v", plat.edited)
	}
}
