package discord

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/newsalert/newsalert/bot/discord/discordfake"
	"github.com/newsalert/newsalert/bot/discord/webhookurl"
	"github.com/newsalert/newsalert/internal/secret"
)

// FuzzInteraction feeds arbitrary interaction JSON (as the gateway or the
// HTTP endpoint receive it) through decoding, command mapping and the
// permission checks: none may panic, and a mapped command always names a
// chat and a user as Discord sent them.
func FuzzInteraction(f *testing.F) {
	fake, err := discordfake.New(discordfake.Options{Token: "t"})
	if err != nil {
		f.Fatal(err)
	}
	defer fake.Close()
	for _, in := range []discordfake.Interaction{
		{Command: "subscribe", GuildID: guildID, ChannelID: channelID, UserID: userID, Options: []discordfake.Option{{Name: "query", Value: "grain"}}},
		{Command: "source", Subcommand: "add", GuildID: guildID, ChannelID: channelID, UserID: userID, Permissions: permAdministrator,
			Options: []discordfake.Option{{Name: "url", Value: "https://e.com/rss"}, {Name: "interval", Value: 5}}},
		{Command: "unsubscribe", Autocomplete: true, ChannelID: dmID, UserID: userID, Options: []discordfake.Option{{Name: "number", Value: "", Focused: true}}},
		{Command: "unknown", ChannelID: dmID, UserID: userID, Options: []discordfake.Option{{Name: "x", Value: true}}},
	} {
		p, err := fake.PrepareInteraction(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add([]byte(p.Payload))
	}
	f.Add([]byte(`{"type":2,"data":{"name":"source","options":[{"name":"add","type":3}]}}`))
	f.Add([]byte(`{"type":2,"data":{"name":"source","options":[null]}, "member":{"permissions":"8"}}`))
	a, err := New(Options{Token: secret.New(testToken), GuildAdminsManageSources: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var in discordgo.Interaction
		if json.Unmarshal(raw, &in) != nil {
			return
		}
		inv, err := readInvocation(&in)
		if err != nil {
			return
		}
		req := a.request(&in, inv)
		if req.Chat.ID != in.ChannelID || req.Chat.Platform != Platform {
			t.Fatalf("chat %+v for channel %q", req.Chat, in.ChannelID)
		}
		if strings.ContainsAny(req.Args, "\n\r") {
			t.Fatalf("args span lines: %q", req.Args)
		}
		if req.CanManageChat != nil {
			_, _ = req.CanManageChat(context.Background())
		}
		if req.CanManageSources != nil {
			_, _ = req.CanManageSources(context.Background())
		}
	})
}

// webhookURLErrors are parseWebhookURL's fixed messages.
var webhookURLErrors = strings.Join([]string{webhookurl.ErrNotURL.Error(), webhookurl.ErrNotHTTPS.Error(), webhookurl.ErrHost.Error(),
	webhookurl.ErrPath.Error(), webhookurl.ErrID.Error(), webhookurl.ErrNoToken.Error(), webhookurl.ErrToken.Error(),
	webhookurl.ErrExtraSegment.Error(), webhookurl.ErrQuery.Error()}, "|")

func FuzzParseWebhookURL(f *testing.F) {
	f.Add("https://discord.com/api/webhooks/1234567890/AbC-_x.y")
	f.Add("https://discord.com/api/v10/webhooks/1/t")
	f.Add("https://evil.example/api/webhooks/1/t")
	f.Add("https://discord.com/api/webhooks/1/../../users/@me")
	f.Fuzz(func(t *testing.T, raw string) {
		id, tok, err := parseWebhookURL(raw)
		if err != nil {
			if msg := err.Error(); len(raw) > 3 && strings.Contains(msg, raw) && !strings.Contains(webhookURLErrors, raw) {
				t.Fatalf("error repeats the url: %v", err)
			}
			return
		}
		if !isSnowflake(id) || !validWebhookToken(tok) {
			t.Fatalf("accepted id %q token %q", id, tok)
		}
	})
}
