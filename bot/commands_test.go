package bot

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/newsalert/newsalert/internal/redistest"
	"github.com/newsalert/newsalert/sources"
	"github.com/newsalert/newsalert/sources/fetch"
	"github.com/newsalert/newsalert/subscriptions"
)

type env struct {
	cmds    *Commands
	subs    *subscriptions.Store
	chats   *subscriptions.Chats
	stories *sources.StoryStore
	feedURL string
	rdb     redis.UniversalClient
	prefix  string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	rdb, prefix := redistest.Client(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wire.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Wire</title>
<item><title>Grain deal signed</title><link>https://wire.example/1</link><guid>1</guid><pubDate>Thu, 09 May 2024 08:00:00 GMT</pubDate></item>
<item><title>Rates held</title><link>https://wire.example/2</link><guid>2</guid></item></channel></rss>`)
		case "/page":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/wire.rss"></head><body>hi</body></html>`)
		case "/nofeed":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body>nothing here</body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	reg := sources.NewRegistry(rdb, prefix)
	w := sources.NewWatcher(reg, sources.NewSeen(rdb, prefix, sources.SeenLimits{}),
		fetch.New(fetch.Options{AllowPrivate: true, RequestTimeout: 5 * time.Second}), nil, nil,
		sources.WatcherOptions{MinInterval: time.Minute})
	e := &env{
		subs:    subscriptions.NewStore(rdb, prefix, 3),
		chats:   subscriptions.NewChats(rdb, prefix),
		stories: sources.NewStoryStore(rdb, prefix, time.Hour, 100),
		feedURL: srv.URL + "/wire.rss",
		rdb:     rdb,
		prefix:  prefix,
	}
	e.cmds = NewCommands(CommandsOptions{
		Subscriptions: e.subs, Chats: e.chats, Registry: reg, Sources: w, Stories: e.stories,
		Admins: []string{"telegram:1001"}, DefaultInterval: 5 * time.Minute, MinInterval: time.Minute,
		Memo: NewRedisMemo(rdb, prefix, time.Hour),
	})
	return e
}

var (
	private = Request{Chat: Chat{Platform: "telegram", ID: "42"}, ChatKind: Private, User: User{Platform: "telegram", ID: "42"}}
	admin   = Request{Chat: Chat{Platform: "telegram", ID: "1001"}, ChatKind: Private, User: User{Platform: "telegram", ID: "1001"}}
	member  = Request{Chat: Chat{Platform: "telegram", ID: "-100"}, ChatKind: Group, User: User{Platform: "telegram", ID: "7"},
		CanManageChat: func(context.Context) (bool, error) { return false, nil }}
	groupAdmin = Request{Chat: Chat{Platform: "telegram", ID: "-100"}, ChatKind: Group, User: User{Platform: "telegram", ID: "8"},
		CanManageChat: func(context.Context) (bool, error) { return true, nil }}
)

func (e *env) do(t *testing.T, base Request, line string) string {
	t.Helper()
	req := base
	name, args, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	req.Command, req.Args = name, args
	reply := e.cmds.Handle(context.Background(), req)
	if strings.TrimSpace(reply.Text) == "" {
		t.Fatalf("%s: empty reply", line)
	}
	return reply.Text
}

func TestCommandConversation(t *testing.T) {
	e := newEnv(t)
	steps := []struct {
		who  Request
		line string
		want string // substring of the reply
	}{
		{private, "/start", "/subscribe"},
		{private, "/list", "No subscriptions here yet"},
		{private, "/subscribe", "Tell me what to look for"},
		{private, "/subscribe (russia", "missing ) at position 8"},
		{private, "/subscribe -sports", "Can't subscribe"},
		{private, `/subscribe "North Korea" (russia OR Putin)`, `Subscribed (#1): "North Korea" (russia OR Putin)`},
		{private, `/subscribe "north korea" (russia OR putin)`, "already has that subscription (#1)"},
		{private, "/subscribe ukraine", "Subscribed (#2): ukraine"},
		{private, "/subscribe grain", "Subscribed (#3)"},
		{private, "/subscribe wheat", "the most allowed"},
		{private, "/list", "2. ukraine"},
		{private, "/unsubscribe", "/unsubscribe 2"},
		{private, "/unsubscribe 9", "There is no #9; this chat has #1, #2 and #3 (see /list)"},
		{private, "/unsubscribe two", "is not a number"},
		{private, "/unsubscribe 2", "Removed #2: ukraine"},
		{private, "/list", "3. grain"}, // numbers stay with their subscription
		{private, "/digest", "Which subscription, and how?"},
		{private, "/digest daily 08:00", "This chat has 2 subscriptions: say which"},
		{private, "/digest 3 weekly", "Can't set the digest"},
		{private, "/digest 9 hourly", "There is no #9"},
		{private, "/digest 3 daily 8", "#3 (grain) now comes as one digest a day at 08:00 (UTC)."},
		{private, "/timezone", "This chat's time zone is UTC"},
		{private, "/timezone Berlin", "type Europe/Berlin"},
		{private, "/timezone europe/berlin", "Time zone set to Europe/Berlin"},
		{private, "/quiet", "No quiet hours"},
		{private, "/quiet 22-7", "Quiet hours 22:00-07:00 (Europe/Berlin)"},
		{private, "/quiet", "Quiet hours: 22:00-07:00 (Europe/Berlin)"},
		{private, "/quiet 25:00-07:00", "Can't set quiet hours"},
		{private, "/quiet off", "Quiet hours off"},
		{member, "/quiet 22-7", "Only this chat's administrators"},
		{private, "/digest 3 off", "#3 (grain) now alerts as stories come."},
		{private, "/pause 3", "Paused #3: grain — its alerts stop until /resume 3."},
		{private, "/pause #3", "#3 is already paused."},
		{private, "/list", "3. grain — paused (/resume 3)"},
		{private, "/list", "1. \"North Korea\" (russia OR Putin) — alerts as stories come"},
		{private, "/pause 7", "There is no #7 (see /list)."},
		{private, "/resume 7", "There is no #7 (see /list)."},
		{private, "/pause three", "is not a number"},
		{member, "/pause 3", "Only this chat's administrators"},
		{member, "/resume 3", "Only this chat's administrators"},
		{private, "/resume 1", "#1 is not paused."},
		{private, "/pause", "Paused"},
		{private, "/list", "Alerts are paused here"},
		{private, "/resume 3", "Resumed #3: grain — new matching stories are alerted again.\nAlerts to this whole chat are still paused"},
		{private, "/resume 3", "#3 is not paused."},
		{private, "/resume", "Resumed"},
		{private, "/unsubscribe all", "Removed all 2 subscriptions"},
		{private, "/unsubscribe all", "no subscriptions"},
		{member, "/subscribe ukraine", "Only this chat's administrators"},
		{member, "/pause", "Only this chat's administrators"},
		{groupAdmin, "/subscribe ukraine", "Subscribed (#1): ukraine"},
		{member, "/list", "1. ukraine"},
		{private, "/addsource " + e.feedURL, "Only the bot's admins can manage sources. An operator can add you with NEWSALERT_ADMINS=telegram:42"},
		{private, "/sources", "Only the bot's admins"},
		{admin, "/addsource", "give the feed's or site's address"},
		{admin, "/addsource " + e.feedURL + " 10s", "below the shortest interval allowed, 1m."},
		{admin, "/addsource " + e.feedURL + " 5x", `"5x" is not an interval`},
		{admin, "/addsource ftp://x.example/feed", "only http and https"},
		{admin, "/addsource " + strings.TrimSuffix(e.feedURL, "/wire.rss") + "/nofeed", "no feed found on that page"},
		{admin, "/addsource " + strings.TrimSuffix(e.feedURL, "/wire.rss") + "/page 10m My Wire", "Added source 1: My Wire"},
		{admin, "/addsource " + e.feedURL, "already source 1 (My Wire), polled every 10m."},
		{admin, "/addsource " + e.feedURL + " 15m", "its interval is now 15m (was 10m)"},
		{admin, "/sources", "1. My Wire — ok, every 15m, next poll in 15m, fetched just now, nothing new yet"},
		{private, "/stats", "Only the bot's admins"},
		{admin, "/stats", "Sources: 1 ok, 0 failing, 0 paused. Subscriptions: 1."},
		{admin, "/pausesource 1", "Paused source 1"},
		{admin, "/pausesource 1", "already paused"},
		{admin, "/sources", "paused"},
		{admin, "/resumesource 1", "Resumed source 1"},
		{admin, "/pausesource 9", "There is no source 9"},
		{admin, "/testsource " + e.feedURL, "Wire — 2 stories (rss). Newest:\n• Grain deal signed"},
		{admin, "/removesource " + e.feedURL, "Removed source 1: My Wire"},
		{admin, "/sources", "No sources yet"},
		{private, "/frobnicate", "I don't know /frobnicate"},
	}
	for i, s := range steps {
		got := e.do(t, s.who, s.line)
		if !strings.Contains(got, s.want) {
			t.Errorf("step %d %s:\n got %q\nwant it to contain %q", i, s.line, got, s.want)
		}
		if !strings.HasPrefix(s.line, "/help") && !strings.HasPrefix(s.line, "/sources") && !strings.HasPrefix(s.line, "/list") && !strings.HasPrefix(s.line, "/testsource") {
			if n := strings.Count(got, "\n"); n > 1 {
				t.Errorf("step %d %s: reply has %d lines, want one or two: %q", i, s.line, n+1, got)
			}
		}
	}
}

func TestHelpShowsEveryCommandWithAnExample(t *testing.T) {
	e := newEnv(t)
	user := e.do(t, private, "/help")
	adm := e.do(t, admin, "/help")
	for _, spec := range Catalog() {
		if !spec.On("telegram") {
			if strings.Contains(adm, "/"+spec.Name+" ") {
				t.Errorf("help on Telegram lists %s, which works only on %s", spec.Name, spec.Platform)
			}
			continue
		}
		if !strings.Contains(adm, "/"+spec.Name) || !strings.Contains(adm, "e.g. "+spec.Example) {
			t.Errorf("admin help lacks %s with its example", spec.Name)
		}
		if spec.Admin == strings.Contains(user, "e.g. "+spec.Example) {
			t.Errorf("user help and %s (admin=%v) disagree", spec.Name, spec.Admin)
		}
		if len(spec.Description) > 100 {
			t.Errorf("%s: description over 100 characters", spec.Name)
		}
	}
}

func TestTestCommandUsesRecentStories(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if got := e.do(t, private, "/test ukraine"); !strings.Contains(got, "No stories seen yet") {
		t.Fatalf("empty: %q", got)
	}
	e.stories.AddRecent(ctx, []sources.Story{
		{ID: "a", Title: "Ukraine grain exports rise", Text: "Kyiv said...", SourceName: "Wire"},
		{ID: "b", Title: "Rates held", Text: "The central bank...", SourceName: "Wire"},
		{ID: "c", Title: "Black Sea shipping", Text: "Ukrainian ports reopened; Ukraine welcomed it.", SourceName: "Post"},
	})
	got := e.do(t, private, "/test ukraine")
	if !strings.Contains(got, "ukraine matches 2 of the last 3 stories") || !strings.Contains(got, "• Ukraine grain exports rise (Wire)") {
		t.Fatalf("test: %q", got)
	}
	if got := e.do(t, private, "/test rates -held"); !strings.Contains(got, "matches none of the last 3") {
		t.Fatalf("test none: %q", got)
	}
	if got := e.do(t, private, "/test (a"); !strings.Contains(got, "error: missing )") {
		t.Fatalf("test bad: %q", got)
	}
}

func TestPanicsBecomeReplies(t *testing.T) {
	c := NewCommands(CommandsOptions{}) // nil stores: every store call panics
	r := c.Handle(context.Background(), Request{Command: "list", Chat: Chat{Platform: "x", ID: "1"}})
	if !strings.Contains(r.Text, "went wrong") {
		t.Fatalf("reply = %q", r.Text)
	}
}

func TestWebhookCommand(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	channel := Request{Chat: Chat{Platform: "discord", ID: "555"}, ChatKind: Group, User: User{Platform: "discord", ID: "9"},
		CanManageChat: func(context.Context) (bool, error) { return true, nil }}
	const hook = "https://discord.com/api/webhooks/123456789/s3cr3t-t0ken"
	steps := []struct {
		who  Request
		line string
		want string
	}{
		{private, "/webhook " + hook, "Webhooks are a Discord feature"},
		{channel, "/webhook", "Give the channel's webhook URL"},
		{channel, "/webhook https://example.com/api/webhooks/1/x", "not a Discord webhook URL"},
		{channel, "/webhook https://discord.com/api/webhooks/abc/x", "not a Discord webhook URL"},
		{channel, "/webhook https://discord.com/api/webhooks/123/tok/extra", "it has extra path segments after the token"},
		{channel, "/webhook http://discord.com/api/webhooks/123/tok", "it must start with https://"},
		{channel, "/webhook " + hook, "now go through webhook 123456789"},
	}
	for i, s := range steps {
		got := e.do(t, s.who, s.line)
		if !strings.Contains(got, s.want) {
			t.Errorf("step %d %s: got %q, want %q", i, s.line, got, s.want)
		}
		if strings.Contains(got, "s3cr3t") {
			t.Errorf("step %d: the reply shows the webhook token: %q", i, got)
		}
	}
	if st, _ := e.chats.Get(ctx, channel.Chat); st.Webhook != hook {
		t.Errorf("stored webhook = %q", st.Webhook)
	}
	if got := e.do(t, channel, "/webhook off"); !strings.Contains(got, "Webhook removed") {
		t.Errorf("off: %q", got)
	}
	if st, _ := e.chats.Get(ctx, channel.Chat); st.Webhook != "" {
		t.Errorf("webhook still stored: %q", st.Webhook)
	}
}

// A request run twice (after a crash between the change and the delivery
// of its answer) removes one subscription, not two: the second run finds
// no #1, since numbers are not reused while the others remain.
func TestUnsubscribeRunTwiceRemovesOnce(t *testing.T) {
	e := newEnv(t)
	e.do(t, private, "/subscribe ukraine")
	e.do(t, private, "/subscribe grain")
	once := private
	once.ID = "telegram:1:555"
	if got := e.do(t, once, "/unsubscribe 1"); !strings.Contains(got, "Removed #1: ukraine") {
		t.Fatalf("/unsubscribe 1 = %q", got)
	}
	if got := e.do(t, once, "/unsubscribe 1"); !strings.Contains(got, "There is no #1") {
		t.Fatalf("/unsubscribe 1 run again = %q", got)
	}
	if got := e.do(t, private, "/list"); !strings.Contains(got, "2. grain") {
		t.Errorf("after the same /unsubscribe twice, /list = %q; want grain kept", got)
	}
	other := private
	other.ID = "telegram:1:556"
	if got := e.do(t, other, "/unsubscribe 2"); !strings.Contains(got, "Removed #2: grain") {
		t.Errorf("a new /unsubscribe 2 = %q", got)
	}
}

// TestUnsubscribeTwiceRemovesOne: a subscription's number is its own until
// it is removed, so a repeated /unsubscribe 4 (a retried message, two
// admins at once) removes one subscription and then finds no #4.
func TestUnsubscribeTwiceRemovesOne(t *testing.T) {
	e := newEnv(t)
	e.subs = subscriptions.NewStore(e.rdb, e.prefix, 50)
	e.cmds.opts.Subscriptions = e.subs
	for i, q := range []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta"} {
		if got := e.do(t, private, "/subscribe "+q); !strings.Contains(got, fmt.Sprintf("Subscribed (#%d): %s", i+1, q)) {
			t.Fatalf("subscribe %s: %q", q, got)
		}
	}
	if got := e.do(t, private, "/unsubscribe 4"); !strings.Contains(got, "Removed #4: delta") {
		t.Fatalf("first /unsubscribe 4: %q", got)
	}
	if got := e.do(t, private, "/unsubscribe 4"); !strings.Contains(got, "There is no #4") {
		t.Fatalf("second /unsubscribe 4: %q", got)
	}
	list := e.do(t, private, "/list")
	for _, want := range []string{"1. alpha", "3. gamma", "5. epsilon", "6. zeta"} {
		if !strings.Contains(list, want) {
			t.Errorf("/list lacks %q:\n%s", want, list)
		}
	}
	if strings.Contains(list, "4. ") {
		t.Errorf("/list still shows a #4:\n%s", list)
	}
	// A new subscription takes the free number; the others keep theirs.
	if got := e.do(t, private, "/subscribe eta"); !strings.Contains(got, "Subscribed (#4): eta") {
		t.Errorf("subscribe after removal: %q", got)
	}
	if got := e.do(t, private, "/unsubscribe 6"); !strings.Contains(got, "Removed #6: zeta") {
		t.Errorf("/unsubscribe 6: %q", got)
	}
}

// TestCompleteSubscriptionNumbers: /pause offers the running
// subscriptions, /resume the paused ones, and only /unsubscribe offers all.
func TestCompleteSubscriptionNumbers(t *testing.T) {
	e := newEnv(t)
	e.do(t, private, "/subscribe ukraine")
	e.do(t, private, "/subscribe grain")
	e.do(t, private, "/pause 2")
	tests := []struct {
		command string
		want    []string
	}{
		{"unsubscribe", []string{"all", "1", "2"}},
		{"pause", []string{"1"}},
		{"resume", []string{"2"}},
		{"digest", []string{"1", "2"}},
	}
	for _, tt := range tests {
		req := private
		req.Command = tt.command
		var got []string
		for _, c := range e.cmds.Complete(context.Background(), req, "number", "") {
			got = append(got, c.Value)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("/%s suggests %v, want %v", tt.command, got, tt.want)
		}
	}
}
