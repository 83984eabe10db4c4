package discord

import (
	"context"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestSourcesOnlyFromTrustedGuilds: Manage Server grants source management
// in DISCORD_GUILD_ID and NEWSALERT_TRUSTED_GUILDS only, never in a guild
// someone invited the bot to.
func TestSourcesOnlyFromTrustedGuilds(t *testing.T) {
	const trusted, other = "1300000000000000001", "1300000000000000002"
	f := newFake(t, nil)
	tests := []struct {
		name    string
		opts    func(*Options)
		guild   string
		perms   int64
		canEdit bool
	}{
		{"DISCORD_GUILD_ID", func(o *Options) { o.GuildID = guildID }, guildID, permManageGuild, true},
		{"trusted guild", func(o *Options) { o.TrustedGuilds = []string{trusted} }, trusted, permManageGuild, true},
		{"administrator of a trusted guild", func(o *Options) { o.TrustedGuilds = []string{trusted} }, trusted, permAdministrator, true},
		{"another guild, commands global", func(o *Options) { o.TrustedGuilds = []string{trusted} }, other, permManageGuild, false},
		{"administrator of another guild", func(o *Options) { o.GuildID = guildID }, other, permAdministrator, false},
		{"no guild trusted", func(o *Options) {}, other, permManageGuild | permAdministrator, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := newAdapter(t, f, func(o *Options) { o.GuildAdminsManageSources = true; tt.opts(o) })
			in := &discordgo.Interaction{GuildID: tt.guild, ChannelID: channelID,
				Member: &discordgo.Member{User: &discordgo.User{ID: adminID}, Permissions: tt.perms}}
			req := a.request(in, invocation{command: "addsource", args: "https://example.com/feed"})
			got := false
			if req.CanManageSources != nil {
				got, _ = req.CanManageSources(context.Background())
			}
			if got != tt.canEdit {
				t.Errorf("may manage sources = %v, want %v", got, tt.canEdit)
			}
		})
	}
}
