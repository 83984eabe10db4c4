package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/internal/redistest"
)

const discordToken = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.fakefakefakefakefakefakefakefakefake12"

// replyOf waits for an interaction's answer, wherever the adapter put it
// (the initial response, the edited original, or a followup).
func replyOf(t *testing.T, p *discordfake.PendingInteraction) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cb, err := p.WaitResponse(ctx)
	if err != nil {
		t.Fatalf("no interaction response: %v", err)
	}
	if cb.Content != "" {
		return cb.Content
	}
	for ctx.Err() == nil {
		if m, ok := p.Original(); ok && m.Content != "" {
			return m.Content
		}
		if fs := p.Followups(); len(fs) > 0 {
			return fs[len(fs)-1].Content
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("deferred interaction never answered")
	return ""
}

// TestDiscordEndToEnd drives `newsalert run` against the fake Discord:
// slash commands registered, a source added by a bot admin and refused to a
// member, a subscription made in a channel, and a matching story delivered
// there as an embed that pings nobody.
func TestDiscordEndToEnd(t *testing.T) {
	rdb, _ := redistest.Client(t)
	fake, err := discordfake.New(discordfake.Options{Token: discordToken, ApplicationID: "900"})
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	f := &testFeed{}
	f.add("1", "Markets calm", "Nothing to see.")
	srv := httptest.NewServer(f)
	defer srv.Close()
	addr := freeAddr(t)
	for k, v := range map[string]string{
		"NEWSALERT_REDIS_URL":              redistest.URL(),
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS": "true",
		"NEWSALERT_POLL_INTERVAL":          "1s",
		"NEWSALERT_MIN_POLL_INTERVAL":      "1s",
		"NEWSALERT_HTTP_ADDR":              addr,
		"NEWSALERT_FETCH_ARTICLES":         "false",
		"NEWSALERT_ADMINS":                 "discord:2002",
		"NEWSALERT_INSTANCE":               "discord-e2e",
		"DISCORD_BOT_TOKEN":                discordToken,
		"DISCORD_API_URL":                  fake.URL(),
		"TELEGRAM_BOT_TOKEN":               "",
	} {
		t.Setenv(k, v)
	}
	// The bot keeps its keys under na:, so give this test a Redis database
	// of its own state: clean na:* before and after.
	cleanup := func() { redistest.Cleanup(rdb, "na:") }
	cleanup()
	defer cleanup()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	logs := &syncBuf{}
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	go func() { done <- run(ctx, []string{"run"}, strings.NewReader(""), io.Discard, logs) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("newsalert run did not stop")
		}
	}()
	wctx, wcancel := context.WithTimeout(ctx, 15*time.Second)
	defer wcancel()
	if err := fake.WaitFor(wctx, func() bool { return len(fake.Commands("")) > 0 && fake.GatewayStats().Connected }); err != nil {
		t.Fatal("slash commands never registered or gateway never connected")
	}

	if err := fake.WaitFor(wctx, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}); err != nil {
		t.Error("/readyz never 200 with the gateway connected")
	}
	send := func(in discordfake.Interaction) string {
		t.Helper()
		p, err := fake.SendInteraction(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return replyOf(t, p)
	}
	const manageChannels = 1 << 4
	got := send(discordfake.Interaction{Command: "source", Subcommand: "add", GuildID: "10", ChannelID: "20", UserID: "3003",
		Options: []discordfake.Option{{Name: "url", Value: srv.URL + "/feed.xml"}}})
	if !strings.Contains(got, "Only the bot's admins") {
		t.Fatalf("member's /source add: %q", got)
	}
	got = send(discordfake.Interaction{Command: "source", Subcommand: "add", GuildID: "10", ChannelID: "20", UserID: "2002",
		Options: []discordfake.Option{{Name: "url", Value: srv.URL + "/feed.xml"}}})
	if !strings.Contains(got, "Added source") {
		t.Fatalf("admin's /source add: %q", got)
	}
	got = send(discordfake.Interaction{Command: "subscribe", GuildID: "10", ChannelID: "20", UserID: "3003",
		Options: []discordfake.Option{{Name: "query", Value: "ukraine"}}})
	if !strings.Contains(got, "Only this chat's administrators") {
		t.Fatalf("member without Manage Channels subscribed: %q", got)
	}
	got = send(discordfake.Interaction{Command: "subscribe", GuildID: "10", ChannelID: "20", UserID: "3003", Permissions: manageChannels,
		Options: []discordfake.Option{{Name: "query", Value: "ukraine"}}})
	if !strings.Contains(got, "Subscribed (#1): ukraine") {
		t.Fatalf("/subscribe: %q", got)
	}

	f.add("2", "Ukraine and Turkey sign grain deal", "@everyone Kyiv and Ankara agreed on Thursday to reopen Black Sea shipping lanes, &lt;@123&gt; said. The deal covers wheat and maize.")
	var msg discordfake.Message
	if err := fake.WaitFor(wctx, func() bool {
		for _, m := range fake.Messages("20") {
			if len(m.Embeds) > 0 && m.InteractionID == "" {
				msg = m
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal("no alert embed in channel 20")
	}
	e := msg.Embeds[0]
	if e.Title != "Ukraine and Turkey sign grain deal" || e.URL != "https://wire.example/2" || !strings.Contains(e.Description, "Kyiv and Ankara") {
		t.Errorf("embed = %+v", e)
	}
	if pings := msg.Pings(); len(pings) != 0 {
		t.Errorf("the alert pings %v", pings)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
