package dashboard

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/subscriptions"
	"github.com/newsalert/newsalert/subscriptions/query"
)

// env is a dashboard over real stores in the test Redis and the real
// command handler, with a feed server for sources.
type env struct {
	srv      *Server
	http     *httptest.Server
	cmds     *bot.Commands
	subs     *subscriptions.Store
	chats    *subscriptions.Chats
	stories  *sources.StoryStore
	registry *sources.Registry
	counts   *StoryCounts
	feedURL  string
	now      time.Time
}

const wireRSS = `<rss version="2.0"><channel><title>Wire</title>
<item><title>Grain deal signed in Kyiv</title><link>https://wire.example/1</link><guid>1</guid></item>
<item><title>Rates held</title><link>https://wire.example/2</link><guid>2</guid></item></channel></rss>`

func newEnv(t *testing.T, opts ...func(*Options)) *env {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wire.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, wireRSS)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(feeds.Close)
	e := &env{
		subs:     subscriptions.NewStore(rdb, prefix, 5),
		chats:    subscriptions.NewChats(rdb, prefix),
		stories:  sources.NewStoryStore(rdb, prefix, time.Hour, 500),
		registry: sources.NewRegistry(rdb, prefix),
		counts:   NewStoryCounts(rdb, prefix),
		feedURL:  feeds.URL + "/wire.rss",
		now:      time.Now(),
	}
	w := sources.NewWatcher(e.registry, sources.NewSeen(rdb, prefix, sources.SeenLimits{}),
		fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 5 * time.Second}), nil, nil,
		sources.WatcherOptions{MinInterval: time.Minute})
	e.cmds = bot.NewCommands(bot.CommandsOptions{
		Subscriptions: e.subs, Chats: e.chats, Registry: e.registry, Sources: w, Stories: e.stories,
		Admins: []string{"telegram:1001"}, DefaultInterval: 5 * time.Minute, MinInterval: time.Minute,
	})
	o := Options{Redis: rdb, KeyPrefix: prefix, PublicURL: "http://dash.example", Commands: e.cmds,
		Data:      &Stores{Subs: e.subs, Chats: e.chats, Stories: e.stories, Registry: e.registry, Counts: e.counts},
		LoginRate: rate.Inf}
	for _, f := range opts {
		f(&o)
	}
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.http = httptest.NewServer(srv)
	t.Cleanup(e.http.Close)
	return e
}

// Grants used across tests.
var (
	privateGrant = bot.Grant{Chat: bot.Chat{Platform: "telegram", ID: "42"}, ChatKind: bot.Private,
		User: bot.User{Platform: "telegram", ID: "42"}, ManageChat: true}
	otherGrant = bot.Grant{Chat: bot.Chat{Platform: "telegram", ID: "43"}, ChatKind: bot.Private,
		User: bot.User{Platform: "telegram", ID: "43"}, ManageChat: true}
	memberGrant = bot.Grant{Chat: bot.Chat{Platform: "telegram", ID: "-100"}, ChatKind: bot.Group,
		User: bot.User{Platform: "telegram", ID: "7"}}
	adminGrant = bot.Grant{Chat: bot.Chat{Platform: "telegram", ID: "1001"}, ChatKind: bot.Private,
		User: bot.User{Platform: "telegram", ID: "1001"}, ManageChat: true, ManageSources: true}
)

// browser is a client with its own cookies that does not follow redirects.
type browser struct {
	t    *testing.T
	e    *env
	c    *http.Client
	csrf string
	base string
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// link issues a sign-in link for g and returns its path.
func (e *env) link(t *testing.T, g bot.Grant) string {
	t.Helper()
	l, err := e.srv.Link(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(l)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]{32})"`)

// get fetches path and returns the status and body.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.e.http.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindStringSubmatch(string(body)); m != nil {
		b.csrf = m[1]
	}
	return resp.StatusCode, string(body)
}

// post submits a form (adding the CSRF token seen last unless form has
// one) and returns the response.
func (b *browser) post(path string, form url.Values) *http.Response {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", b.csrf)
	}
	resp, err := b.c.PostForm(b.e.http.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// signIn opens a link for g and presses Sign in; it returns the chat
// page's path.
func (b *browser) signIn(g bot.Grant) string {
	b.t.Helper()
	path := b.e.link(b.t, g)
	if st, body := b.get(path); st != http.StatusOK {
		b.t.Fatalf("GET %s = %d: %s", path, st, body)
	}
	resp := b.post("/ui/login", url.Values{"token": {strings.TrimPrefix(path, "/ui/login/")}})
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in = %d", resp.StatusCode)
	}
	b.base = strings.TrimSuffix(resp.Header.Get("Location"), "/")
	if st, _ := b.get(b.base + "/"); st != http.StatusOK {
		b.t.Fatalf("chat page = %d", st)
	}
	return b.base
}

func (e *env) handle(t *testing.T, g bot.Grant, command, args string) string {
	t.Helper()
	return e.cmds.Handle(context.Background(), bot.Request{Chat: g.Chat, ChatKind: g.ChatKind, User: g.User,
		Command: command, Args: args}).Text
}

func (e *env) saveStories(t *testing.T, titles ...string) {
	t.Helper()
	var st []sources.Story
	for i, title := range titles {
		st = append(st, sources.Story{ID: fmt.Sprintf("s%d", i), SourceID: 1, SourceName: "Wire", Title: title,
			Published: e.now.Add(-time.Duration(i) * time.Minute), FirstSeen: e.now})
	}
	slices.Reverse(st) // titles are given newest first; the window takes oldest first
	if err := e.stories.AddRecent(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

func syntaxPreviewFor(q string) *preview {
	_, err := query.Parse(q, query.DefaultLimits())
	if err == nil {
		return &preview{}
	}
	return syntaxPreview(q, err)
}

func copyBody(w io.Writer, resp *http.Response) (int64, error) { return io.Copy(w, resp.Body) }
