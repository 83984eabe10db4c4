package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	slackfake "github.com/newsalert/newsalert/internal/fakes/slack"
	"github.com/newsalert/newsalert/internal/redistest"
)

const (
	slackBotToken = "xoxb-1111-2222-e2eslacke2eslack"
	slackAppToken = "xapp-1-A0NEWS-3333-e2eslacke2eslack"
)

// slackBot runs `newsalert run` in this process against a fake Slack in
// Socket Mode, and returns the fake once the websocket is up.
func slackBot(t *testing.T, fake *slackfake.Fake, env map[string]string) (stop func()) {
	t.Helper()
	base := map[string]string{
		"NEWSALERT_REDIS_URL":              redistest.URL(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              "off",
		"NEWSALERT_FETCH_ARTICLES":         "false",
		"NEWSALERT_ADMINS":                 "slack:UADMIN",
		"NEWSALERT_INSTANCE":               "slack-e2e",
		"SLACK_BOT_TOKEN":                  slackBotToken,
		"SLACK_APP_TOKEN":                  slackAppToken,
		"SLACK_API_URL":                    fake.APIURL(),
		"TELEGRAM_BOT_TOKEN":               "",
		"DISCORD_BOT_TOKEN":                "",
	}
	for k, v := range env {
		base[k] = v
	}
	for k, v := range base {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	logs := &syncBuf{}
	go func() { done <- run(ctx, []string{"run"}, strings.NewReader(""), io.Discard, logs) }()
	wctx, wcancel := context.WithTimeout(ctx, 15*time.Second)
	defer wcancel()
	if base["SLACK_APP_TOKEN"] != "" {
		if err := fake.WaitFor(wctx, func() bool { return fake.Connections() > 0 }); err != nil {
			cancel()
			t.Fatalf("socket mode never connected; logs:\n%s", logs.String())
		}
	}
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("newsalert run did not stop")
		}
		if t.Failed() {
			t.Logf("logs:\n%s", logs.String())
		}
	}
}

func newSlackFake(t *testing.T) *slackfake.Fake {
	t.Helper()
	fake, err := slackfake.New(slackfake.Options{BotToken: slackBotToken, AppToken: slackAppToken, SigningSecret: "8f742231b10e8888abcd99yyyzzz85a5"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.AddUser(slackfake.User{ID: "UADMIN", Name: "ada"})
	fake.AddUser(slackfake.User{ID: "UMEMBER", Name: "bob"})
	fake.AddUser(slackfake.User{ID: "UOWNER", Name: "olga", IsOwner: true})
	return fake
}

// slash runs /newsalert text and returns the final (not progress) answer.
func slash(t *testing.T, fake *slackfake.Fake, channel, user, text string) slackfake.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := fake.SendSlashCommand(ctx, slackfake.SlashCommand{ChannelID: channel, UserID: user, UserName: user, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitAck(ctx); err != nil {
		t.Fatalf("/newsalert %s: not acknowledged", text)
	}
	r, err := p.WaitResponse(ctx, func(r slackfake.Response) bool { return !strings.HasPrefix(r.Text, "Checking ") })
	if err != nil {
		t.Fatalf("/newsalert %s: no answer (responses %+v)", text, p.Responses())
	}
	if !r.Ephemeral() {
		t.Errorf("/newsalert %s: answer is not ephemeral: %+v", text, r)
	}
	return r
}

func cleanRedis(t *testing.T) {
	rdb, _ := redistest.Client(t)
	redistest.Cleanup(rdb, "na:")
	t.Cleanup(func() { redistest.Cleanup(rdb, "na:") })
}

// TestSlackEndToEnd: `newsalert run` against the fake Slack in Socket Mode.
// Sources are for bot admins; /newsalert subscribe in a channel; a story
// whose title and text carry an injection corpus (special mentions, user
// mentions, masked links, mrkdwn, 40 KB of text) arrives as valid Block
// Kit that pings nobody and links only to the story; the Home tab shows
// the help.
func TestSlackEndToEnd(t *testing.T) {
	cleanRedis(t)
	fake := newSlackFake(t)
	fake.AddChannel(slackfake.Channel{ID: "C0NEWS", Name: "news", IsMember: true})
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	stop := slackBot(t, fake, nil)
	defer stop()

	if r := slash(t, fake, "C0NEWS", "UMEMBER", "source add "+srv.URL+"/feed.xml"); !strings.Contains(r.Text, "Only the bot") {
		t.Fatalf("member's source add: %q", r.Text)
	}
	if r := slash(t, fake, "C0NEWS", "UADMIN", "source add "+srv.URL+"/feed.xml"); !strings.Contains(r.Text, "Added source") {
		t.Fatalf("admin's source add: %q", r.Text)
	}
	if r := slash(t, fake, "C0NEWS", "UMEMBER", `subscribe ukraine -sports`); !strings.Contains(r.Text, "Subscribed (#1): ukraine") {
		t.Fatalf("subscribe: %q", r.Text)
	}
	if r := slash(t, fake, "C0NEWS", "UMEMBER", "list"); !strings.Contains(r.Text, "ukraine") {
		t.Fatalf("list: %q", r.Text)
	}
	if r := slash(t, fake, "C0NEWS", "UMEMBER", ""); !strings.Contains(r.Text, "subscribe") {
		t.Fatalf("help: %q", r.Text)
	}

	long := strings.Repeat("Ukraine grain shipments resumed. ", 1300) // ~42 KB
	title := `&lt;!channel&gt; Ukraine *deal* &lt;https://evil.example|trusted&gt; @here`
	text := `&amp;lt;!here&amp;gt; &amp;lt;@U0123&amp;gt; &amp;lt;!everyone&amp;gt; _Kyiv_ and ~Ankara~ agreed, ` +
		"`code` &amp;lt;https://evil.example/x|https://wire.example/2&amp;gt; &amp;lt;!subteam^S1&amp;gt; " + long
	f.add("2", title, text)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var msg slackfake.Message
	if err := fake.WaitFor(ctx, func() bool {
		for _, m := range fake.Messages("C0NEWS") {
			if strings.Contains(m.Blocks, "Ukraine") {
				msg = m
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal("no alert in C0NEWS")
	}
	if pings := msg.Pings(); len(pings) != 0 {
		t.Errorf("the alert pings %v", pings)
	}
	for _, l := range msg.Links() {
		if l.URL != "https://wire.example/2" {
			t.Errorf("the alert links to %q (label %q)", l.URL, l.Label)
		}
	}
	if msg.UnfurlLinks != "false" || msg.UnfurlMedia != "false" {
		t.Errorf("unfurl = %q/%q, want off", msg.UnfurlLinks, msg.UnfurlMedia)
	}
	texts := strings.Join(msg.MrkdwnTexts(), "\n")
	if !strings.Contains(texts, "<https://wire.example/2|") || !strings.Contains(texts, "*Ukraine*") {
		t.Errorf("headline link or highlighted term missing:\n%s", texts)
	}
	if !strings.Contains(slackfake.Unescape(texts), "<!channel>") {
		t.Errorf("the mention is not shown as text:\n%.500s", texts)
	}
	if st := fake.Stats(); st.Errors["invalid_blocks"] > 0 || st.Errors["msg_too_long"] > 0 {
		t.Errorf("Slack refused a message: %+v", st.Errors)
	}

	p, err := fake.SendEvent(ctx, map[string]any{"type": "app_home_opened", "user": "UMEMBER", "channel": "D0MEMBER", "tab": "home"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitAck(ctx); err != nil {
		t.Fatal("app_home_opened not acknowledged")
	}
	var view string
	if err := fake.WaitFor(ctx, func() bool { v, ok := fake.HomeView("UMEMBER"); view = v; return ok }); err != nil {
		t.Fatal("no Home tab published")
	}
	if !strings.Contains(view, "/newsalert subscribe") || strings.Contains(view, "/newsalert addsource") {
		t.Errorf("home view for a member:\n%.2000s", view)
	}
}

// TestSlackBurstTo50Channels: one story for 50 subscribed channels is
// delivered to each exactly once without a storm of 429s, a channel the
// bot was removed from is deactivated and comes back when the bot rejoins.
func TestSlackBurstTo50Channels(t *testing.T) {
	cleanRedis(t)
	fake := newSlackFake(t)
	const n = 50
	for i := range n {
		fake.AddChannel(slackfake.Channel{ID: fmt.Sprintf("C%03d", i), Name: fmt.Sprintf("desk-%d", i), IsMember: true})
	}
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	stop := slackBot(t, fake, nil)
	defer stop()
	if r := slash(t, fake, "C000", "UADMIN", "source add "+srv.URL+"/feed.xml"); !strings.Contains(r.Text, "Added source") {
		t.Fatalf("source add: %q", r.Text)
	}
	for i := range n {
		if r := slash(t, fake, fmt.Sprintf("C%03d", i), "UMEMBER", "subscribe earthquake"); !strings.Contains(r.Text, "Subscribed") {
			t.Fatalf("subscribe in C%03d: %q", i, r.Text)
		}
	}
	f.add("2", "Earthquake shakes the coast", "A strong earthquake struck on Monday.")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	alerts := func() (got, dup int) {
		for _, ms := range fake.AllMessages() {
			k := 0
			for _, m := range ms {
				if strings.Contains(m.Blocks, "Earthquake shakes the coast") {
					k++
				}
			}
			if k > 0 {
				got++
			}
			if k > 1 {
				dup++
			}
		}
		return
	}
	if err := fake.WaitFor(ctx, func() bool { got, _ := alerts(); return got == n }); err != nil {
		got, _ := alerts()
		t.Fatalf("%d of %d channels got the alert", got, n)
	}
	if _, dup := alerts(); dup > 0 {
		t.Errorf("%d channels got the alert twice", dup)
	}
	if rl := fake.Stats().RateLimited["chat.postMessage"]; rl > 0 {
		t.Errorf("%d 429s on chat.postMessage during the burst", rl)
	}
}

// TestSlackHTTPMode: with SLACK_SIGNING_SECRET and no app token, Slack's
// signed slash commands reach /slack/commands on NEWSALERT_HTTP_ADDR and
// are answered ephemerally; an unsigned request is refused.
func TestSlackHTTPMode(t *testing.T) {
	cleanRedis(t)
	fake := newSlackFake(t)
	fake.AddChannel(slackfake.Channel{ID: "C0NEWS", Name: "news", IsMember: true})
	addr := freeAddr(t)
	stop := slackBot(t, fake, map[string]string{"SLACK_APP_TOKEN": "", "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
		"NEWSALERT_HTTP_ADDR": addr})
	defer stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var p *slackfake.Pending
	if err := fake.WaitFor(ctx, func() bool {
		var code int
		var err error
		p, code, err = fake.PostSlashCommand(ctx, "http://"+addr+"/slack/commands", slackfake.SlashCommand{ChannelID: "C0NEWS", UserID: "UMEMBER", Text: "subscribe ukraine"})
		return err == nil && code == 200
	}); err != nil {
		t.Fatal("/slack/commands never answered 200")
	}
	r, err := p.WaitResponse(ctx, nil)
	if err != nil || !strings.Contains(r.Text, "Subscribed (#1): ukraine") || !r.Ephemeral() {
		t.Fatalf("answer %+v %v", r, err)
	}
	resp, err := http.Post("http://"+addr+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader("text=list&channel_id=C0NEWS&user_id=UMEMBER"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned request: %d, want 401", resp.StatusCode)
	}
}

// TestSlackInvalidAuthStops: a bot token Slack refuses stops `newsalert
// run` with an error that names SLACK_BOT_TOKEN (and never shows it), both
// at start and when the token is revoked while running.
func TestSlackInvalidAuthStops(t *testing.T) {
	cleanRedis(t)
	fake := newSlackFake(t)
	fake.AddChannel(slackfake.Channel{ID: "C0NEWS", Name: "news", IsMember: true})
	for k, v := range map[string]string{
		"NEWSALERT_REDIS_URL": redistest.URL(), "NEWSALERT_HTTP_ADDR": "off", "NEWSALERT_INSTANCE": "slack-auth", "NEWSALERT_ADMINS": "slack:UADMIN",
		"SLACK_BOT_TOKEN": "xoxb-9999-8888-notthetokenatall", "SLACK_APP_TOKEN": slackAppToken, "SLACK_API_URL": fake.APIURL(),
		"TELEGRAM_BOT_TOKEN": "", "DISCORD_BOT_TOKEN": "", "NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL": "1s", "NEWSALERT_MIN_POLL_INTERVAL": "1s", "NEWSALERT_FETCH_ARTICLES": "false",
	} {
		t.Setenv(k, v)
	}
	logs := &syncBuf{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if code := run(ctx, []string{"run"}, strings.NewReader(""), io.Discard, logs); code == 0 || !strings.Contains(logs.String(), "SLACK_BOT_TOKEN was refused (invalid_auth)") {
		t.Errorf("wrong token at start: exit %d, logs:\n%s", code, logs.String())
	}
	if strings.Contains(logs.String(), "notthetokenatall") {
		t.Error("the token is in the output")
	}

	t.Setenv("SLACK_BOT_TOKEN", slackBotToken)
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	logs2 := &syncBuf{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"run"}, strings.NewReader(""), io.Discard, logs2) }()
	if err := fake.WaitFor(ctx, func() bool { return fake.Connections() > 0 }); err != nil {
		t.Fatal("not connected")
	}
	if r := slash(t, fake, "C0NEWS", "UADMIN", "source add "+srv.URL+"/feed.xml"); !strings.Contains(r.Text, "Added source") {
		t.Fatalf("source add: %q", r.Text)
	}
	if r := slash(t, fake, "C0NEWS", "UMEMBER", "subscribe ukraine"); !strings.Contains(r.Text, "Subscribed") {
		t.Fatalf("subscribe: %q", r.Text)
	}
	fake.RevokeToken()
	f.add("2", "Ukraine and Turkey sign grain deal", "Kyiv and Ankara agreed.")
	select {
	case code := <-done:
		if code == 0 || !strings.Contains(logs2.String(), "SLACK_BOT_TOKEN was refused (invalid_auth)") {
			t.Errorf("revoked token: exit %d, logs:\n%s", code, logs2.String())
		}
		if strings.Contains(logs2.String(), slackBotToken) {
			t.Error("the token is in the output")
		}
	case <-ctx.Done():
		t.Fatalf("run did not stop on a revoked token; logs:\n%s", logs2.String())
	}
}
