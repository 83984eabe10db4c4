package discord

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/bot"
	"github.com/newsalert/newsalert/bot/discord/discordfake"
)

func TestConnectRegistersCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		guild   string
		appID   string
		wantGET string // route Connect checks the token with
	}{
		{"global, application id looked up", "", "", discordfake.RouteCurrentApplication},
		{"guild, application id configured", guildID, "1100000000000000001", discordfake.RouteCurrentUser},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, nil)
			a, _ := newAdapter(t, f, func(o *Options) { o.GuildID, o.ApplicationID = tt.guild, tt.appID })
			connect(t, a)
			if a.ApplicationID() != "1100000000000000001" {
				t.Errorf("ApplicationID() = %q", a.ApplicationID())
			}
			if n := f.CallCount(tt.wantGET, ""); n != 1 {
				t.Errorf("%s called %d times, want 1", tt.wantGET, n)
			}
			other := ""
			if tt.guild == "" {
				other = guildID
			}
			if f.CommandOverwrites(tt.guild) != 1 || f.CommandOverwrites(other) != 0 {
				t.Errorf("overwrites: scope %q %d, scope %q %d", tt.guild, f.CommandOverwrites(tt.guild), other, f.CommandOverwrites(other))
			}
			cmds := f.Commands(tt.guild)
			var names []string
			for _, c := range cmds {
				names = append(names, c.Name)
				if c.Description == "" || len(c.Description) > 100 {
					t.Errorf("/%s description %q", c.Name, c.Description)
				}
			}
			want := []string{"subscribe", "list", "unsubscribe", "pause", "resume", "test", "digest", "timezone", "quiet", "duplicates", "webhook", "dashboard", "help", "source"}
			if !slices.Equal(names, want) {
				t.Errorf("registered %v, want %v", names, want)
			}
			for _, c := range cmds {
				if c.Name != "pause" && c.Name != "resume" {
					continue
				}
				if len(c.Options) != 1 || c.Options[0].Name != "number" || c.Options[0].Required || !c.Options[0].Autocomplete || c.Options[0].Type != 3 {
					t.Errorf("/%s options %+v, want one optional autocompleted string \"number\"", c.Name, c.Options)
				}
			}
			src := cmds[len(cmds)-1]
			var subs []string
			for _, o := range src.Options {
				if o.Type != 1 {
					t.Errorf("/source %s has type %d, want subcommand", o.Name, o.Type)
				}
				subs = append(subs, o.Name)
			}
			if want := []string{"add", "remove", "list", "pause", "resume", "test", "import", "export", "stats"}; !slices.Equal(subs, want) {
				t.Errorf("/source subcommands %v, want %v", subs, want)
			}
			st := f.GatewayStats()
			if !st.Connected || st.Identifies != 1 || st.Intents != 0 {
				t.Errorf("gateway %+v, want connected with intents 0", st)
			}
		})
	}
}

func TestConnectRefusedToken(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(o *discordfake.Options) { o.Token = "another-token-entirely" })
	a, _ := newAdapter(t, f, nil)
	err := a.Connect(waitCtx(t))
	if err == nil || !strings.Contains(err.Error(), "token was rejected") {
		t.Fatalf("Connect = %v, want a rejected-token error", err)
	}
}

// interaction runs one slash command through the gateway and returns what
// the handler got and the initial response.
func interaction(t *testing.T, f *discordfake.Server, in discordfake.Interaction) (*discordfake.PendingInteraction, discordfake.Callback) {
	t.Helper()
	p, err := f.SendInteraction(waitCtx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := p.WaitResponse(waitCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	return p, cb
}

func TestSlashCommandsMapToRequests(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	rec := &recorder{}
	a, _ := newAdapter(t, f, func(o *Options) { o.GuildID = guildID; o.GuildAdminsManageSources = true })
	connect(t, a)
	serve(t, a, rec)

	member := discordfake.Interaction{GuildID: guildID, ChannelID: channelID, UserID: userID, Username: "kim", Permissions: permViewSend}
	with := func(base discordfake.Interaction, cmd, sub string, opts ...discordfake.Option) discordfake.Interaction {
		base.Command, base.Subcommand, base.Options = cmd, sub, opts
		return base
	}
	inThread := member
	inThread.ChannelID, inThread.ThreadParentID = threadID, channelID
	admin := member
	admin.UserID, admin.Permissions = adminID, permViewSend|permManageGuild
	channelMod := member
	channelMod.Permissions = permViewSend | permManageChannels
	dm := discordfake.Interaction{ChannelID: dmID, UserID: userID, Username: "kim"}
	opt := func(name string, v any) discordfake.Option { return discordfake.Option{Name: name, Value: v} }

	tests := []struct {
		name         string
		in           discordfake.Interaction
		wantChat     bot.Chat
		wantKind     bot.ChatKind
		wantCmd      string
		wantArgs     string
		manageChat   bool
		manageSource *bool // nil: CanManageSources must be nil
	}{
		{"subscribe in a channel", with(member, "subscribe", "", opt("query", `"north korea" (russia OR putin) -sports`)),
			bot.Chat{Platform: "discord", ID: channelID}, bot.Group, "subscribe", `"north korea" (russia OR putin) -sports`, false, ptr(false)},
		{"subscribe in a thread", with(inThread, "subscribe", "", opt("query", "grain")),
			bot.Chat{Platform: "discord", ID: threadID}, bot.Group, "subscribe", "grain", false, ptr(false)},
		{"list by a channel manager", with(channelMod, "list", ""),
			bot.Chat{Platform: "discord", ID: channelID}, bot.Group, "list", "", true, ptr(false)},
		{"unsubscribe all", with(member, "unsubscribe", "", opt("number", "all")),
			bot.Chat{Platform: "discord", ID: channelID}, bot.Group, "unsubscribe", "all", false, ptr(false)},
		{"pause", with(member, "pause", ""), discordChat, bot.Group, "pause", "", false, ptr(false)},
		{"resume", with(member, "resume", ""), discordChat, bot.Group, "resume", "", false, ptr(false)},
		{"pause one subscription", with(member, "pause", "", opt("number", "2")), discordChat, bot.Group, "pause", "2", false, ptr(false)},
		{"resume one subscription", with(member, "resume", "", opt("number", "2")), discordChat, bot.Group, "resume", "2", false, ptr(false)},
		{"test", with(member, "test", "", opt("query", "ukraine grain")), discordChat, bot.Group, "test", "ukraine grain", false, ptr(false)},
		{"help in a DM", with(dm, "help", ""), bot.Chat{Platform: "discord", ID: dmID}, bot.Private, "help", "", true, nil},
		{"source add by a server manager", with(admin, "source", "add",
			opt("url", "https://feeds.bbci.co.uk/news/world/rss.xml"), opt("interval", "5m"), opt("name", "BBC World")),
			discordChat, bot.Group, "addsource", "https://feeds.bbci.co.uk/news/world/rss.xml 5m BBC World", false, ptr(true)},
		{"source add, options out of order", with(admin, "source", "add",
			opt("name", "BBC World"), opt("url", "https://feeds.bbci.co.uk/news/world/rss.xml")),
			discordChat, bot.Group, "addsource", "https://feeds.bbci.co.uk/news/world/rss.xml BBC World", false, ptr(true)},
		{"source add by a member", with(member, "source", "add", opt("url", "https://example.com/feed")),
			discordChat, bot.Group, "addsource", "https://example.com/feed", false, ptr(false)},
		{"source remove", with(admin, "source", "remove", opt("id", "3")), discordChat, bot.Group, "removesource", "3", false, ptr(true)},
		{"source list", with(admin, "source", "list"), discordChat, bot.Group, "sources", "", false, ptr(true)},
		{"source pause", with(admin, "source", "pause", opt("id", "3")), discordChat, bot.Group, "pausesource", "3", false, ptr(true)},
		{"source resume", with(admin, "source", "resume", opt("id", "3")), discordChat, bot.Group, "resumesource", "3", false, ptr(true)},
		{"administrator may everything", with(discordfake.Interaction{GuildID: guildID, ChannelID: channelID, UserID: adminID,
			Username: "root", Permissions: permAdministrator}, "source", "list"), discordChat, bot.Group, "sources", "", true, ptr(true)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cb := interaction(t, f, tt.in)
			if cb.Type != 4 {
				t.Fatalf("response type %d, want 4", cb.Type)
			}
			req := rec.last(t)
			if req.Chat != tt.wantChat || req.ChatKind != tt.wantKind || req.Command != tt.wantCmd || req.Args != tt.wantArgs {
				t.Errorf("request %+v %v %q %q, want %+v %v %q %q", req.Chat, req.ChatKind, req.Command, req.Args,
					tt.wantChat, tt.wantKind, tt.wantCmd, tt.wantArgs)
			}
			if req.User.Platform != "discord" || req.User.ID != tt.in.UserID || req.User.Key() != "discord:"+tt.in.UserID {
				t.Errorf("user %+v", req.User)
			}
			if req.CanManageChat == nil {
				t.Fatal("CanManageChat is nil")
			}
			if ok, err := req.CanManageChat(context.Background()); ok != tt.manageChat || err != nil {
				t.Errorf("CanManageChat = %v, %v; want %v", ok, err, tt.manageChat)
			}
			switch {
			case tt.manageSource == nil && req.CanManageSources != nil:
				t.Error("CanManageSources is set, want nil")
			case tt.manageSource != nil && req.CanManageSources == nil:
				t.Error("CanManageSources is nil")
			case tt.manageSource != nil:
				if ok, err := req.CanManageSources(context.Background()); ok != *tt.manageSource || err != nil {
					t.Errorf("CanManageSources = %v, %v; want %v", ok, err, *tt.manageSource)
				}
			}
			if want := strings.TrimSpace("ok " + tt.wantCmd + " " + tt.wantArgs); cb.Content != escapeMarkdown(want, 2000) {
				t.Errorf("reply %q, want %q", cb.Content, want)
			}
			if cb.AllowedMentions == nil || cb.AllowedMentions.Parse == nil || len(*cb.AllowedMentions.Parse) != 0 {
				t.Errorf("reply allowed_mentions %+v, want parse []", cb.AllowedMentions)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestSourcesNotGrantedWithoutFlag(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	rec := &recorder{}
	a, _ := newAdapter(t, f, nil)
	connect(t, a)
	serve(t, a, rec)
	interaction(t, f, discordfake.Interaction{Command: "source", Subcommand: "list", GuildID: guildID,
		ChannelID: channelID, UserID: adminID, Permissions: permAdministrator})
	if req := rec.last(t); req.CanManageSources != nil {
		t.Error("CanManageSources set although guild admins may not manage sources")
	}
}

func TestRepliesPrivateAndLong(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	long := strings.Repeat("Subscription 12: \"north korea\" missile* -sports @everyone\n", 80) // ~4700 chars
	rec := &recorder{reply: func(_ context.Context, req bot.Request) bot.Reply {
		switch req.Command {
		case "list":
			return bot.Reply{Text: long, Private: true}
		default:
			return bot.Reply{Text: "Subscribed to *grain* <@123>", Private: false}
		}
	}}
	a, _ := newAdapter(t, f, nil)
	connect(t, a)
	serve(t, a, rec)
	base := discordfake.Interaction{GuildID: guildID, ChannelID: channelID, UserID: userID}

	base.Command = "subscribe"
	base.Options = []discordfake.Option{{Name: "query", Value: "grain"}}
	_, cb := interaction(t, f, base)
	if cb.Flags&64 != 0 {
		t.Errorf("public reply has flags %d", cb.Flags)
	}
	if want := `Subscribed to \*grain\* <` + zwsp + `@` + zwsp + `123>`; cb.Content != want {
		t.Errorf("reply %q, want %q", cb.Content, want)
	}

	base.Command, base.Options = "list", nil
	p, cb := interaction(t, f, base)
	if cb.Flags&64 == 0 {
		t.Errorf("private reply has flags %d, want ephemeral (64)", cb.Flags)
	}
	if err := f.WaitFor(waitCtx(t), func() bool { return len(p.Followups()) == 2 }); err != nil {
		t.Fatalf("followups: %d, %v", len(p.Followups()), err)
	}
	got := cb.Content
	for _, m := range p.Followups() {
		if m.Flags&64 == 0 {
			t.Errorf("followup of a private reply has flags %d", m.Flags)
		}
		if len([]rune(m.Content)) > 2000 {
			t.Errorf("followup has %d characters", len([]rune(m.Content)))
		}
		got += "\n" + m.Content
	}
	if strings.Count(got, "Subscription 12") != 80 {
		t.Errorf("long reply lost lines: %d of 80", strings.Count(got, "Subscription 12"))
	}
}

func TestSlowCommandsAreDeferred(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      discordfake.Interaction
		private bool
		delay   time.Duration
	}{
		{"slow public answer", discordfake.Interaction{Command: "test", Options: []discordfake.Option{{Name: "query", Value: "grain"}}}, false, 400 * time.Millisecond},
		{"slow private answer", discordfake.Interaction{Command: "list"}, true, 400 * time.Millisecond},
		{"source test defers at once", discordfake.Interaction{Command: "source", Subcommand: "test",
			Options: []discordfake.Option{{Name: "url", Value: "https://www.theguardian.com/world/rss"}}}, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(o *discordfake.Options) { o.InteractionDeadline = time.Second })
			rec := &recorder{reply: func(ctx context.Context, req bot.Request) bot.Reply {
				select {
				case <-time.After(tt.delay):
				case <-ctx.Done():
				}
				return bot.Reply{Text: "Result for " + req.Command, Private: tt.private}
			}}
			a, _ := newAdapter(t, f, nil)
			a.deferAfter = 100 * time.Millisecond
			connect(t, a)
			serve(t, a, rec)
			in := tt.in
			in.GuildID, in.ChannelID, in.UserID = guildID, channelID, userID
			p, cb := interaction(t, f, in)
			if cb.Type != 5 {
				t.Fatalf("initial response type %d, want 5 (deferred)", cb.Type)
			}
			if cb.Flags&64 == 0 {
				t.Errorf("deferral flags %d, want ephemeral", cb.Flags)
			}
			want := "Result for " + rec.last(t).Command
			err := f.WaitFor(waitCtx(t), func() bool {
				if tt.private {
					m, ok := p.Original()
					return ok && m.Edits > 0
				}
				return len(p.Followups()) > 0
			})
			if err != nil {
				t.Fatal(err)
			}
			if tt.private {
				m, _ := p.Original()
				if m.Content != want || m.Flags&64 == 0 || len(p.Followups()) != 0 {
					t.Errorf("original %q flags %d, %d followups; want %q ephemeral", m.Content, m.Flags, len(p.Followups()), want)
				}
				return
			}
			fu := p.Followups()
			if len(fu) != 1 || fu[0].Content != want || fu[0].Flags&64 != 0 {
				t.Errorf("followups %+v, want one public %q", fu, want)
			}
			if _, ok := p.Original(); ok {
				t.Error("the deferral placeholder was not removed")
			}
		})
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	f := newFake(t, nil)
	rec := &recorder{complete: func(req bot.Request, option, partial string) []bot.Choice {
		var out []bot.Choice
		for i := 1; i <= 30; i++ {
			out = append(out, bot.Choice{Name: strings.Repeat("x", 150) + " subscription", Value: "v" + partial})
		}
		out[0] = bot.Choice{Name: "1: \"north korea\" missile*", Value: "1"}
		return out
	}}
	a, _ := newAdapter(t, f, func(o *Options) { o.Completer = rec })
	connect(t, a)
	serve(t, a, rec)
	tests := []struct {
		in   discordfake.Interaction
		want string // what the completer was asked
	}{
		{discordfake.Interaction{Command: "unsubscribe", Options: []discordfake.Option{{Name: "number", Value: "1", Focused: true}}}, "unsubscribe/number=1"},
		{discordfake.Interaction{Command: "pause", Options: []discordfake.Option{{Name: "number", Value: "2", Focused: true}}}, "pause/number=2"},
		{discordfake.Interaction{Command: "source", Subcommand: "remove", Options: []discordfake.Option{{Name: "id", Value: "bb", Focused: true}}}, "removesource/id=bb"},
	}
	for _, tt := range tests {
		in := tt.in
		in.Autocomplete, in.GuildID, in.ChannelID, in.UserID = true, guildID, channelID, userID
		_, cb := interaction(t, f, in)
		if cb.Type != 8 {
			t.Fatalf("autocomplete answered with type %d", cb.Type)
		}
		if len(cb.Choices) != 25 {
			t.Errorf("%d choices, want 25", len(cb.Choices))
		}
		if cb.Choices[0].Name != `1: "north korea" missile*` || cb.Choices[0].Value != "1" {
			t.Errorf("first choice %+v", cb.Choices[0])
		}
		for _, c := range cb.Choices {
			if n := len([]rune(c.Name)); n > 100 || n == 0 {
				t.Errorf("choice name of %d characters", n)
			}
		}
		rec.mu.Lock()
		asked := rec.asked[len(rec.asked)-1]
		rec.mu.Unlock()
		if asked != tt.want {
			t.Errorf("completer asked %q, want %q", asked, tt.want)
		}
	}
	if len(rec.requests) != 0 {
		t.Errorf("autocomplete reached the handler: %+v", rec.requests)
	}
}

func TestCommandDefinitionsValid(t *testing.T) {
	b, err := json.Marshal(commandDefinitions())
	if err != nil {
		t.Fatal(err)
	}
	var cmds []map[string]any
	if err := json.Unmarshal(b, &cmds); err != nil {
		t.Fatal(err)
	}
	catalog := map[string]bool{}
	for _, c := range bot.Catalog() {
		catalog[c.Name] = true
	}
	for _, c := range topCommands() {
		if !catalog[c.botName] {
			t.Errorf("/%s maps to %q, not in bot.Catalog", c.name, c.botName)
		}
	}
	for _, c := range sourceSubcommands() {
		if !catalog[c.botName] {
			t.Errorf("/source %s maps to %q, not in bot.Catalog", c.name, c.botName)
		}
	}
}
