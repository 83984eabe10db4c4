package slackfake

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

const (
	botToken = "xoxb-1111-2222-fakefakefake"
	appToken = "xapp-1-A0NEWS-3333-fakefakefake"
)

func newFake(t *testing.T, opts Options) *Fake {
	t.Helper()
	if opts.BotToken == "" {
		opts.BotToken = botToken
	}
	if opts.AppToken == "" {
		opts.AppToken = appToken
	}
	f, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

func TestSpecSubsetCoversTheMethods(t *testing.T) {
	s, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"chat.postMessage", "chat.update", "users.info", "conversations.info", "auth.test", "views.publish", "apps.connections.open"} {
		spec, ok := s.Methods[m]
		if !ok || spec.Tier == "" || len(spec.Success) == 0 {
			t.Errorf("%s: %+v", m, spec)
		}
	}
	if !s.Methods["chat.postMessage"].documents("not_in_channel") || s.Methods["chat.postMessage"].documents("made_up") {
		t.Error("chat.postMessage errors not from the spec")
	}
	if len(s.EventWrapperRequired) == 0 {
		t.Error("no event wrapper fields")
	}
}

func TestWebAPIShapesAndErrors(t *testing.T) {
	f := newFake(t, Options{})
	f.AddChannel(Channel{ID: "C1", Name: "news", IsMember: true})
	f.AddChannel(Channel{ID: "C2", Name: "outside"})
	f.AddChannel(Channel{ID: "C3", Name: "old", IsMember: true, IsArchived: true})
	f.AddUser(User{ID: "U1", Name: "ada", IsAdmin: true})
	api := slack.New(botToken, slack.OptionAPIURL(f.APIURL()))
	ctx := context.Background()
	auth, err := api.AuthTestContext(ctx)
	if err != nil || auth.UserID != "U0BOT" || auth.TeamID != "T0NEWS" {
		t.Fatalf("auth.test = %+v, %v", auth, err)
	}
	u, err := api.GetUserInfoContext(ctx, "U1")
	if err != nil || !u.IsAdmin {
		t.Fatalf("users.info = %+v, %v", u, err)
	}
	if _, err := api.GetUserInfoContext(ctx, "U404"); err == nil || err.Error() != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
	ch, err := api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: "C1"})
	if err != nil || ch.Name != "news" || !ch.IsMember {
		t.Fatalf("conversations.info = %+v, %v", ch, err)
	}
	_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("hi &lt;!channel&gt;", false), slack.MsgOptionDisableLinkUnfurl())
	if err != nil || ts == "" {
		t.Fatalf("postMessage: %v", err)
	}
	for ch, want := range map[string]string{"C2": "not_in_channel", "C3": "is_archived", "C404": "channel_not_found"} {
		if _, _, err := api.PostMessageContext(ctx, ch, slack.MsgOptionText("x", false)); err == nil || err.Error() != want {
			t.Errorf("post to %s: %v, want %s", ch, err, want)
		}
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", ts, slack.MsgOptionText("edited", false)); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := api.UpdateMessageContext(ctx, "C1", "1.2", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Errorf("update unknown ts: %v", err)
	}
	ms := f.Messages("C1")
	if len(ms) != 1 || ms[0].Text != "edited" || ms[0].Edits != 1 || ms[0].UnfurlLinks != "false" {
		t.Errorf("messages = %+v", ms)
	}
	if p := Pings("hi &lt;!channel&gt; <@U1> <!here> <!date^1700000000^{time}|12:00>", false); len(p) != 2 {
		t.Errorf("pings = %v", p)
	}
	bad := slack.New("xoxb-wrong-token-123456", slack.OptionAPIURL(f.APIURL()))
	if _, err := bad.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong token: %v", err)
	}
	f.RevokeToken()
	if _, err := api.AuthTestContext(ctx); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("revoked token: %v", err)
	}
}

func TestRateLimitAnswers429WithRetryAfter(t *testing.T) {
	f := newFake(t, Options{PerChannel: &Limit{Every: time.Minute, Burst: 2}})
	f.AddChannel(Channel{ID: "C1", IsMember: true})
	f.AddChannel(Channel{ID: "C2", IsMember: true})
	api := slack.New(botToken, slack.OptionAPIURL(f.APIURL()))
	ctx := context.Background()
	for i := range 2 {
		if _, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false)); err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
	}
	_, _, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter < time.Second || rl.RetryAfter > time.Minute {
		t.Fatalf("third post in a minute: %v", err)
	}
	if _, _, err := api.PostMessageContext(ctx, "C2", slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("another channel is limited separately: %v", err)
	}
	if f.Stats().RateLimited["chat.postMessage"] != 1 {
		t.Errorf("stats = %+v", f.Stats())
	}
}

func TestBlockKitValidation(t *testing.T) {
	long := strings.Repeat("a", MaxSectionText+1)
	section := func(text string) string {
		b, _ := json.Marshal(map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}})
		return string(b)
	}
	many := make([]string, MaxMessageBlocks+1)
	for i := range many {
		many[i] = `{"type":"divider"}`
	}
	tests := []struct {
		name   string
		blocks string
		ok     bool
	}{
		{"section", "[" + section("hello") + "]", true},
		{"section at limit", "[" + section(strings.Repeat("é", MaxSectionText)) + "]", true},
		{"section over 3000", "[" + section(long) + "]", false},
		{"empty text", "[" + section("") + "]", false},
		{"header over 150", `[{"type":"header","text":{"type":"plain_text","text":"` + strings.Repeat("h", 151) + `"}}]`, false},
		{"header mrkdwn", `[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]`, false},
		{"51 blocks", "[" + strings.Join(many, ",") + "]", false},
		{"50 blocks", "[" + strings.Join(many[:50], ",") + "]", true},
		{"unknown block", `[{"type":"marquee"}]`, false},
		{"image accessory", `[{"type":"section","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"image","image_url":"https://img.example/a.jpg","alt_text":"a"}}]`, true},
		{"image without alt", `[{"type":"section","text":{"type":"mrkdwn","text":"x"},"accessory":{"type":"image","image_url":"https://img.example/a.jpg"}}]`, false},
		{"context 11", `[{"type":"context","elements":[` + strings.TrimSuffix(strings.Repeat(`{"type":"mrkdwn","text":"x"},`, 11), ",") + `]}]`, false},
		{"unknown property", `[{"type":"divider","color":"red"}]`, false},
	}
	for _, tt := range tests {
		format, errs := validateBlocks(tt.blocks, MaxMessageBlocks)
		if !format || (len(errs) == 0) != tt.ok {
			t.Errorf("%s: format %v errs %v, want ok=%v", tt.name, format, errs, tt.ok)
		}
	}
	f := newFake(t, Options{})
	f.AddChannel(Channel{ID: "C1", IsMember: true})
	api := slack.New(botToken, slack.OptionAPIURL(f.APIURL()))
	_, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionBlocks(slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", long, false, false), nil, nil)))
	if err == nil || !strings.Contains(err.Error(), "invalid_blocks") {
		t.Errorf("post with a 3001-character section: %v", err)
	}
	_, _, err = api.PostMessageContext(context.Background(), "C1", slack.MsgOptionText(strings.Repeat("x", MaxMessageText+1), false))
	if err == nil || err.Error() != "msg_too_long" {
		t.Errorf("41k text: %v", err)
	}
}

func TestSocketModeEnvelopesAndAcks(t *testing.T) {
	f := newFake(t, Options{PingEvery: 100 * time.Millisecond})
	api := slack.New(botToken, slack.OptionAPIURL(f.APIURL()), slack.OptionAppLevelToken(appToken))
	client := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- client.RunContext(ctx) }()
	go func() {
		for ev := range client.Events {
			if ev.Type == socketmode.EventTypeSlashCommand {
				cmd := ev.Data.(slack.SlashCommand)
				client.Ack(*ev.Request, map[string]any{"response_type": "ephemeral", "text": "got " + cmd.Text + " in " + cmd.ChannelID})
			}
		}
	}()
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := f.WaitFor(wctx, func() bool { return f.Connections() == 1 }); err != nil {
		t.Fatalf("socket mode never connected: %+v", f.Stats())
	}
	p, err := f.SendSlashCommand(wctx, SlashCommand{ChannelID: "C1", UserID: "U1", Text: "list"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitAck(wctx); err != nil {
		t.Fatal("no ack")
	}
	r, err := p.WaitResponse(wctx, nil)
	if err != nil || r.Text != "got list in C1" || !r.Ephemeral() || r.Via != "ack" {
		t.Errorf("response = %+v, %v", r, err)
	}
	cancel()
	<-done
}

func TestEventWrapperHasTheSchemasRequiredFields(t *testing.T) {
	f := newFake(t, Options{})
	w := f.EventWrapper(map[string]any{"type": "app_home_opened", "user": "U1"})
	for _, k := range f.Spec().EventWrapperRequired {
		if _, ok := w[k]; !ok {
			t.Errorf("event wrapper lacks %s", k)
		}
	}
}

func TestSignedRequestsVerifyWithSlackGo(t *testing.T) {
	f := newFake(t, Options{SigningSecret: "s3cr3ts3cr3ts3cr3t"})
	req, body, _, err := f.SlashCommandRequest(context.Background(), "http://127.0.0.1:1/slack/commands", SlashCommand{ChannelID: "C1", UserID: "U1", Text: "list"})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := slack.NewSecretsVerifier(req.Header, "s3cr3ts3cr3ts3cr3t")
	if err != nil {
		t.Fatal(err)
	}
	sv.Write(body)
	if err := sv.Ensure(); err != nil {
		t.Errorf("slack-go rejects the fake's signature: %v", err)
	}
}
