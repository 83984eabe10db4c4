package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	slackfake "github.com/newsalert/newsalert/internal/fakes/slack"
	"github.com/newsalert/newsalert/internal/secret"
)

// corpus is feed text that tries to ping, disguise links or format.
var corpus = []string{
	"<!channel> breaking", "<!here|here> now", "<!everyone>", "<@U0123> said", "<!subteam^S123|@editors>",
	"<https://evil.example|https://trusted.example>", "<https://evil.example>", "&lt;!channel&gt;",
	"*bold* _it_ ~strike~ `code` ```block```", "> quote", "@channel @here @everyone", "a & b < c > d",
	"<#C123|general>", "\xff\xfe invalid utf-8", strings.Repeat("<!channel>", 5000),
}

func alert(i int, title, summary string) bot.Alert {
	return bot.Alert{StoryID: "s" + string(rune('a'+i)), Title: title, Link: "https://wire.example/story?id=1&x=2",
		Source: "Wire <!here>", Published: time.Date(2026, 12, 5, 14, 3, 0, 0, time.UTC), Summary: summary,
		Terms: []string{"breaking"}, ImageURL: "https://img.example/a.jpg?w=1&h=2"}
}

func TestAlertsAreValidAndInert(t *testing.T) {
	fake, a, _, _ := startAdapter(t, Options{})
	ctx := context.Background()
	for i, s := range corpus {
		ch := fmt.Sprintf("C%04d", 100+i) // a channel each: no waiting for the per-channel pace
		fake.AddChannel(slackfake.Channel{ID: ch, IsMember: true})
		batch := []bot.Alert{alert(0, s, s+" breaking news "+strings.Repeat(s, 3))}
		if i%3 == 0 {
			for k := 1; k < maxBatch; k++ {
				batch = append(batch, alert(k, s, strings.Repeat("x", 40000)))
			}
		}
		if _, _, err := a.Send(ctx, bot.Chat{Platform: Platform, ID: ch}, batch); err != nil {
			t.Fatalf("corpus %d: %v", i, err)
		}
	}
	all := fake.AllMessages()
	if len(all) != len(corpus) {
		t.Fatalf("%d channels have a message, want %d", len(all), len(corpus))
	}
	for _, ms := range all {
		m := ms[0]
		if p := m.Pings(); len(p) > 0 {
			t.Errorf("message pings %v", p)
		}
		for _, l := range m.Links() {
			if !strings.HasPrefix(l.URL, "https://wire.example/story") {
				t.Errorf("message links to %q", l.URL)
			}
		}
		if m.UnfurlLinks != "false" || m.UnfurlMedia != "false" {
			t.Error("unfurling not off")
		}
	}
}

func TestEditAddsAlsoReportedBy(t *testing.T) {
	fake, a, _, _ := startAdapter(t, Options{})
	fake.AddChannel(slackfake.Channel{ID: "C0001", IsMember: true})
	ctx := context.Background()
	chat := bot.Chat{Platform: Platform, ID: "C0001"}
	batch := []bot.Alert{alert(0, "Grain deal", "breaking: a deal"), alert(1, "Other", "text")}
	r, _, err := a.Send(ctx, chat, batch)
	if err != nil || len(r.MessageIDs) != 2 || r.MessageIDs[0] != r.MessageIDs[1] {
		t.Fatalf("send: %+v %v", r, err)
	}
	batch[0].AlsoReportedBy = []string{"BBC <!channel>", "Reuters"}
	if _, err := a.Edit(ctx, chat, r.MessageIDs[0], batch); err != nil {
		t.Fatal(err)
	}
	m := fake.Messages("C0001")[0]
	if m.Edits != 1 || !strings.Contains(strings.Join(m.MrkdwnTexts(), "\n"), "Also reported by BBC &lt;!channel&gt;, Reuters") || len(m.Pings()) > 0 {
		t.Errorf("edited message: %+v", m)
	}
}

func TestGoneChannelsAndReachableAgain(t *testing.T) {
	var mu sync.Mutex
	var reachable []string
	fake, a, _, _ := startAdapter(t, Options{Reachable: func(_ context.Context, c bot.Chat) {
		mu.Lock()
		reachable = append(reachable, c.ID)
		mu.Unlock()
	}})
	fake.AddChannel(slackfake.Channel{ID: "COUT", Name: "out"})
	fake.AddChannel(slackfake.Channel{ID: "CARCH", IsMember: true, IsArchived: true})
	fake.AddChannel(slackfake.Channel{ID: "CINACT", IsMember: true})
	fake.FailNext("chat.postMessage", "account_inactive")
	ctx := context.Background()
	for _, ch := range []string{"CINACT", "COUT", "CARCH", "CNONE"} {
		_, retry, err := a.Send(ctx, bot.Chat{Platform: Platform, ID: ch}, []bot.Alert{alert(0, "t", "s")})
		if !errors.Is(err, bot.ErrChatGone) || retry {
			t.Errorf("%s: retry %v err %v, want ErrChatGone", ch, retry, err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for _, ev := range []map[string]any{{"type": "member_joined_channel", "user": "U0BOT", "channel": "COUT", "channel_type": "C"},
		{"type": "channel_unarchive", "channel": "CARCH", "user": "U1"}, {"type": "member_joined_channel", "user": "U1", "channel": "CX"}} {
		p, err := fake.SendEvent(wctx, ev)
		if err != nil || p.WaitAck(wctx) != nil {
			t.Fatalf("event %v: %v", ev, err)
		}
	}
	fake.WaitFor(wctx, func() bool { mu.Lock(); defer mu.Unlock(); return len(reachable) >= 2 })
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(reachable, ",") != "COUT,CARCH" {
		t.Errorf("reachable = %v", reachable)
	}
}

func TestRateLimitHonoursRetryAfter(t *testing.T) {
	fake, err := slackfake.New(slackfake.Options{BotToken: testBot, AppToken: testApp, PerChannel: &slackfake.Limit{Every: time.Hour, Burst: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	fake.AddChannel(slackfake.Channel{ID: "C0001", IsMember: true})
	a, _ := New(Options{BotToken: secret.New(testBot), AppToken: secret.New(testApp), APIURL: fake.APIURL()})
	ctx := context.Background()
	chat := bot.Chat{Platform: Platform, ID: "C0001"}
	if _, _, err := a.Send(ctx, chat, []bot.Alert{alert(0, "a", "b")}); err != nil {
		t.Fatal(err)
	}
	a.pace.channelGap = 0 // let the second send reach the fake's limit
	_, retry, err := a.Send(ctx, chat, []bot.Alert{alert(1, "a", "b")})
	var ra *bot.RetryAfterError
	if !errors.As(err, &ra) || !retry || ra.After < time.Minute {
		t.Fatalf("429: retry %v err %v", retry, err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, _, err = a.Send(short, chat, []bot.Alert{alert(2, "a", "b")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a send inside Retry-After went out: %v", err)
	}
	if n := fake.Stats().Calls["chat.postMessage"]; n != 2 {
		t.Errorf("%d calls to chat.postMessage, want 2 (no call while waiting out Retry-After)", n)
	}
}

func TestInvalidAuthStopsTheAdapterWithoutLeaking(t *testing.T) {
	var logs bytes.Buffer
	fake, a, _, done := startAdapter(t, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	fake.AddChannel(slackfake.Channel{ID: "C0001", IsMember: true})
	fake.RevokeToken()
	_, _, err := a.Send(context.Background(), bot.Chat{Platform: Platform, ID: "C0001"}, []bot.Alert{alert(0, "t", "s")})
	if err == nil {
		t.Fatal("send with a revoked token succeeded")
	}
	select {
	case serr := <-done:
		if serr == nil || !strings.Contains(serr.Error(), "SLACK_BOT_TOKEN") || !strings.Contains(serr.Error(), "invalid_auth") {
			t.Errorf("Serve returned %v", serr)
		}
		done <- serr // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop on invalid_auth")
	}
	for _, s := range []string{err.Error(), logs.String()} {
		if strings.Contains(s, "unitunit") {
			t.Errorf("a token leaks: %s", s)
		}
	}
	bad, _ := New(Options{BotToken: secret.New("xoxb-9999-wrong-unitunitunit"), AppToken: secret.New(testApp), APIURL: fake.APIURL()})
	if err := bad.Connect(context.Background()); err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || strings.Contains(err.Error(), "unitunit") {
		t.Errorf("Connect with a wrong token: %v", err)
	}
}

func TestAdminsOnlyChannelManagers(t *testing.T) {
	fake, _, _, _ := startAdapter(t, Options{ChannelManagers: "admins"})
	fake.AddUser(slackfake.User{ID: "UADM", Name: "ada", IsAdmin: true})
	fake.AddUser(slackfake.User{ID: "UMEM", Name: "bob"})
	for user, want := range map[string]string{"UADM": "|manage|", "UMEM": "|no|"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p, _ := fake.SendSlashCommand(ctx, slackfake.SlashCommand{ChannelID: "C0001", UserID: user, Text: "subscribe x"})
		r, err := p.WaitResponse(ctx, nil)
		cancel()
		if err != nil || !strings.Contains(r.Text, want) {
			t.Errorf("%s: %+v %v, want %s", user, r, err, want)
		}
	}
}

func TestLongNoticeIsSplitIntoValidSections(t *testing.T) {
	fake, a, _, _ := startAdapter(t, Options{})
	fake.AddChannel(slackfake.Channel{ID: "C0001", IsMember: true})
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "%d. <!channel> Story headline number %d — https://wire.example/%d\n", i, i, i)
	}
	if _, err := a.Notify(context.Background(), bot.Chat{Platform: Platform, ID: "C0001"}, b.String()); err != nil {
		t.Fatal(err)
	}
	m := fake.Messages("C0001")[0]
	if len(m.Pings()) > 0 || !strings.Contains(strings.Join(m.MrkdwnTexts(), "\n"), "199. &lt;!channel&gt;") {
		t.Errorf("digest notice: %d pings, last line missing", len(m.Pings()))
	}
}
