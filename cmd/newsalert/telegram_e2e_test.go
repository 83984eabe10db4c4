package main

import (
	"context"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/telegram/telegramfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

var (
	tgAdmin  = telegramfake.User{ID: 1001, FirstName: "Ada"}
	tgUser   = telegramfake.User{ID: 42, FirstName: "Lin"}
	tgMember = telegramfake.User{ID: 43, FirstName: "Max"}
)

// tgBot runs `newsalert run` against the fake Bot API until stopped.
type tgBot struct {
	cancel context.CancelFunc
	done   chan int
	logs   *syncBuf
}

func startTelegramBot(t *testing.T, env map[string]string, instance string) *tgBot {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	t.Setenv("NEWSALERT_INSTANCE", instance)
	ctx, cancel := context.WithCancel(context.Background())
	b := &tgBot{cancel: cancel, done: make(chan int, 1), logs: &syncBuf{}}
	go func() { b.done <- run(ctx, []string{"run"}, strings.NewReader(""), io.Discard, b.logs) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs of %s:\n%s", instance, b.logs.String())
		}
	})
	return b
}

func (b *tgBot) stop(t *testing.T) {
	t.Helper()
	b.cancel()
	select {
	case code := <-b.done:
		if code != 0 {
			t.Errorf("newsalert run exited %d", code)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("newsalert run did not stop within 15s")
	}
}

func waitLog(t *testing.T, logs *syncBuf, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never said %q:\n%s", want, logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// sentTo returns the messages the fake accepted for chat (and thread).
func sentTo(fake *telegramfake.Server, chat int64, thread int) []telegramfake.Sent {
	var out []telegramfake.Sent
	for _, s := range fake.Sent() {
		if s.ChatID == chat && s.MessageThreadID == thread {
			out = append(out, s)
		}
	}
	return out
}

// waitText waits until chat has a message containing want and returns it.
func waitText(t *testing.T, fake *telegramfake.Server, chat int64, thread int, want string) telegramfake.Sent {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range sentTo(fake, chat, thread) {
			if strings.Contains(s.Text, want) {
				return s
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	var got []string
	for _, s := range sentTo(fake, chat, thread) {
		got = append(got, s.Text)
	}
	t.Fatalf("chat %d/%d never got %q; it got %q", chat, thread, want, got)
	return telegramfake.Sent{}
}

// TestTelegramEndToEnd drives two `newsalert run` processes against the
// fake Bot API with real updates: subscriptions from a private chat, a
// group (refused for a member), a forum topic and a channel; one alert per
// chat with the exact HTML; a restart that repeats neither commands nor
// alerts; only one process polling updates.
func TestTelegramEndToEnd(t *testing.T) {
	rdb, _ := redistest.Client(t)
	fake := telegramfake.New(t, telegramfake.Options{BotUsername: "newsalert_bot"})
	group := telegramfake.Chat{ID: -1002001, Type: telegramfake.Supergroup, Title: "Desk"}
	forum := telegramfake.Chat{ID: -1002002, Type: telegramfake.Supergroup, Title: "Forum", IsForum: true}
	channel := telegramfake.Chat{ID: -1002003, Type: telegramfake.Channel, Title: "Wire", Username: "wirechan"}
	for _, c := range []telegramfake.Chat{group, forum, channel} {
		fake.AddChat(c)
	}
	fake.AddTopic(forum.ID, 7)
	fake.SetChatMember(group.ID, tgMember.ID, telegramfake.Member)
	fake.SetChatMember(group.ID, tgUser.ID, telegramfake.Administrator)
	fake.SetChatMember(forum.ID, tgUser.ID, telegramfake.Administrator)
	fake.SetChatMember(channel.ID, tgUser.ID, telegramfake.Administrator)
	fake.SetChatMember(channel.ID, fake.BotID, telegramfake.Administrator)

	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()
	env := map[string]string{
		"NEWSALERT_REDIS_URL":              redistest.URL(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              "off",
		"NEWSALERT_ADMINS":                 "telegram:1001",
		"TELEGRAM_BOT_TOKEN":               fake.Token,
		"TELEGRAM_API_URL":                 fake.URL(),
		"DISCORD_BOT_TOKEN":                "",
		"NEWSALERT_FETCH_ARTICLES":         "false",
	}
	b1 := startTelegramBot(t, env, "tg-one")
	waitLog(t, b1.logs, "telegram connected") // its configuration is read: the environment may change
	b2 := startTelegramBot(t, env, "tg-two")
	waitLog(t, b2.logs, "telegram connected")

	fake.PrivateMessage(tgAdmin, "/addsource "+srv.URL+"/feed.xml 1s Wire")
	waitText(t, fake, tgAdmin.ID, 0, "Added source 1: Wire")
	fake.PrivateMessage(tgUser, "/addsource "+srv.URL+"/other.xml")
	waitText(t, fake, tgUser.ID, 0, "Only the bot's admins can manage sources")
	fake.PrivateMessage(tgUser, "/subscribe (ukraine")
	waitText(t, fake, tgUser.ID, 0, "missing ) at position 9")
	fake.PrivateMessage(tgUser, "/subscribe ukraine")
	waitText(t, fake, tgUser.ID, 0, "Subscribed (#1): ukraine")
	fake.GroupMessage(group, tgMember, "/subscribe@newsalert_bot ukraine")
	waitText(t, fake, group.ID, 0, "Only this chat's administrators")
	fake.GroupMessage(group, tgUser, "/subscribe@newsalert_bot ukraine")
	waitText(t, fake, group.ID, 0, "Subscribed (#1): ukraine")
	fake.TopicMessage(forum, 7, tgUser, "/subscribe ukraine")
	waitText(t, fake, forum.ID, 7, "Subscribed (#1): ukraine")
	fake.PrivateMessage(tgUser, "/subscribe @wirechan ukraine")
	waitText(t, fake, tgUser.ID, 0, "Subscribed (#1): ukraine")

	f.add("2", "Ukraine &amp; Turkey sign grain deal", "Kyiv and Ankara agreed on Thursday to reopen Black Sea shipping lanes. The deal covers wheat &amp; maize at &lt; 5% duty.")
	wantHead := `<b><a href="https://wire.example/2">Ukraine &amp; Turkey sign grain deal</a></b>`
	for _, c := range []struct {
		id     int64
		thread int
	}{{tgUser.ID, 0}, {group.ID, 0}, {forum.ID, 7}, {channel.ID, 0}} {
		s := waitText(t, fake, c.id, c.thread, wantHead)
		if s.ParseMode != "HTML" || !strings.Contains(s.Text, "Kyiv and Ankara agreed") || !strings.Contains(s.PlainText, "wheat & maize at < 5% duty") {
			t.Errorf("alert in %d/%d = %q (%s)", c.id, c.thread, s.Text, s.ParseMode)
		}
		if !strings.Contains(s.Text, "<b>Ukraine</b>") && !strings.Contains(s.Text, "Wire") {
			t.Errorf("alert in %d/%d lacks the source or highlighted term: %q", c.id, c.thread, s.Text)
		}
	}
	// Two processes: each chat has exactly one alert.
	time.Sleep(1500 * time.Millisecond)
	countAlerts := func() map[string]int {
		n := map[string]int{}
		for _, s := range fake.Sent() {
			if strings.Contains(s.Text, wantHead) {
				n[strconv.FormatInt(s.ChatID, 10)+"/"+strconv.Itoa(s.MessageThreadID)]++
			}
		}
		return n
	}
	for chat, n := range countAlerts() {
		if n != 1 {
			t.Errorf("chat %s got %d alerts, want 1", chat, n)
		}
	}
	before := len(fake.Sent())
	b1.stop(t)
	b2.stop(t)

	// Restart: no command is answered again, no alert repeats.
	b3 := startTelegramBot(t, env, "tg-one")
	time.Sleep(3 * time.Second)
	if after := len(fake.Sent()); after != before {
		for _, s := range fake.Sent()[before:] {
			t.Errorf("after restart the bot sent to %d: %q", s.ChatID, s.Text)
		}
	}
	fake.PrivateMessage(tgUser, "/list")
	waitText(t, fake, tgUser.ID, 0, "1. ukraine")
	b3.stop(t)

	conflicts := 0
	for _, c := range fake.Calls("getUpdates") {
		if c.Status == 409 {
			conflicts++
		}
	}
	if conflicts > 2 {
		t.Errorf("%d getUpdates conflicts: both processes polled", conflicts)
	}
}
