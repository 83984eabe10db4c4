package discord

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsalert/newsalert/bot"
)

// slashOption is a string (or, with attachment set, a file) option of a
// slash command.
type slashOption struct {
	name         string
	description  string
	required     bool
	autocomplete bool
	maxLength    int
	attachment   bool
}

// slashCommand is one slash command (or a subcommand of /source) and the
// bot command it stands for. Option values are joined, in this order and
// separated by spaces, into Request.Args.
type slashCommand struct {
	name    string
	botName string // bot.Catalog name
	options []slashOption
}

// The slash commands. Top-level commands map one to one to bot commands;
// /source groups the source commands as subcommands.
func topCommands() []slashCommand {
	return []slashCommand{
		{name: "subscribe", botName: "subscribe", options: []slashOption{
			{name: "query", description: `What to watch, e.g. "north korea" (russia OR putin) -sports`, required: true, maxLength: 500}}},
		{name: "list", botName: "list"},
		{name: "unsubscribe", botName: "unsubscribe", options: []slashOption{
			{name: "number", description: "Subscription number from /list, or all", required: true, autocomplete: true, maxLength: 20}}},
		{name: "pause", botName: "pause", options: []slashOption{
			{name: "number", description: "Only this subscription from /list (empty: the whole channel)", autocomplete: true, maxLength: 20}}},
		{name: "resume", botName: "resume", options: []slashOption{
			{name: "number", description: "Only this subscription from /list (empty: the whole channel)", autocomplete: true, maxLength: 20}}},
		{name: "test", botName: "test", options: []slashOption{
			{name: "query", description: "Query to try against recent stories", required: true, maxLength: 500}}},
		{name: "digest", botName: "digest", options: []slashOption{
			{name: "number", description: "Subscription number from /list", required: true, autocomplete: true, maxLength: 20},
			{name: "mode", description: "off, hourly, or daily HH:MM (e.g. daily 08:00)", required: true, maxLength: 30}}},
		{name: "timezone", botName: "timezone", options: []slashOption{
			{name: "zone", description: "IANA time zone, e.g. Europe/Berlin (empty: show it)", maxLength: 64}}},
		{name: "quiet", botName: "quiet", options: []slashOption{
			{name: "hours", description: "e.g. 22:00-07:00, or off (empty: show them)", maxLength: 30}}},
		{name: "duplicates", botName: "duplicates", options: []slashOption{
			{name: "mode", description: "on: the same story from several sources is one alert; off: every story (empty: show it)", maxLength: 3}}},
		{name: "webhook", botName: "webhook", options: []slashOption{
			{name: "url", description: "This channel's webhook URL, or off", required: true, maxLength: 300}}},
		{name: "dashboard", botName: "dashboard", options: []slashOption{
			{name: "action", description: "revoke to sign out everywhere (empty: get a sign-in link)", maxLength: 10}}},
		{name: "help", botName: "help"},
	}
}

const sourceCommand = "source"

func sourceSubcommands() []slashCommand {
	id := slashOption{name: "id", description: "Source id from /source list", required: true, autocomplete: true, maxLength: 100}
	return []slashCommand{
		{name: "add", botName: "addsource", options: []slashOption{
			{name: "url", description: "Feed or site URL", required: true, maxLength: 2000},
			{name: "interval", description: "Poll interval, e.g. 5m (default: the source's own)", maxLength: 20},
			{name: "name", description: "Display name (default: the feed's title)", maxLength: 100}}},
		{name: "remove", botName: "removesource", options: []slashOption{id}},
		{name: "list", botName: "sources"},
		{name: "pause", botName: "pausesource", options: []slashOption{id}},
		{name: "resume", botName: "resumesource", options: []slashOption{id}},
		{name: "test", botName: "testsource", options: []slashOption{
			{name: "url", description: "Feed or site URL to try", required: true, maxLength: 2000}}},
		{name: "import", botName: "importopml", options: []slashOption{
			{name: "file", description: "OPML file to import", attachment: true},
			{name: "url", description: "Or the address of an OPML file", maxLength: 2000}}},
		{name: "export", botName: "exportopml"},
		{name: "stats", botName: "stats"},
	}
}

// Wire types of command registration.
type (
	commandJSON struct {
		Name             string       `json:"name"`
		Type             int          `json:"type"`
		Description      string       `json:"description"`
		Options          []optionJSON `json:"options,omitempty"`
		Contexts         []int        `json:"contexts"`
		IntegrationTypes []int        `json:"integration_types"`
	}
	optionJSON struct {
		Type         int          `json:"type"`
		Name         string       `json:"name"`
		Description  string       `json:"description"`
		Required     bool         `json:"required,omitempty"`
		Autocomplete bool         `json:"autocomplete,omitempty"`
		MaxLength    int          `json:"max_length,omitempty"`
		Options      []optionJSON `json:"options,omitempty"`
	}
)

const (
	optSubcommand = 1
	optString     = 3
	optAttachment = 11
	cmdChatInput  = 1
	ctxGuild      = 0
	ctxBotDM      = 1
	installGuild  = 0
)

func catalogDescriptions() map[string]string {
	d := map[string]string{}
	for _, c := range bot.Catalog() {
		d[c.Name] = c.Description
	}
	return d
}

func optionsJSON(opts []slashOption) []optionJSON {
	out := make([]optionJSON, 0, len(opts))
	for _, o := range opts {
		oj := optionJSON{Type: optString, Name: o.name, Description: o.description,
			Required: o.required, Autocomplete: o.autocomplete, MaxLength: o.maxLength}
		if o.attachment {
			oj.Type, oj.MaxLength = optAttachment, 0
		}
		out = append(out, oj)
	}
	return out
}

// commandDefinitions is the body of the bulk overwrite: every command,
// usable in guilds and in DMs with the bot.
func commandDefinitions() []commandJSON {
	desc := catalogDescriptions()
	var out []commandJSON
	for _, c := range topCommands() {
		out = append(out, commandJSON{Name: c.name, Type: cmdChatInput, Description: desc[c.botName],
			Options: optionsJSON(c.options), Contexts: []int{ctxGuild, ctxBotDM}, IntegrationTypes: []int{installGuild}})
	}
	src := commandJSON{Name: sourceCommand, Type: cmdChatInput, Description: "Manage watched sources (admins)",
		Contexts: []int{ctxGuild, ctxBotDM}, IntegrationTypes: []int{installGuild}}
	for _, sc := range sourceSubcommands() {
		src.Options = append(src.Options, optionJSON{Type: optSubcommand, Name: sc.name,
			Description: desc[sc.botName], Options: optionsJSON(sc.options)})
	}
	return append(out, src)
}

// invocation is a slash command read from an interaction.
type invocation struct {
	command string // bot command name
	args    string
	// focused is the option being typed (autocomplete), with its value.
	focused, partial string
	// attachment is the file given to an attachment option.
	attachment *discordgo.MessageAttachment
}

var errNotCommand = errors.New("interaction carries no application command")

// readInvocation maps an interaction's command data to the bot command and
// its text arguments.
func readInvocation(in *discordgo.Interaction) (invocation, error) {
	data, ok := in.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return invocation{}, errNotCommand
	}
	opts := data.Options
	var spec *slashCommand
	if data.Name == sourceCommand {
		if len(opts) != 1 || opts[0] == nil || opts[0].Type != discordgo.ApplicationCommandOptionSubCommand {
			return invocation{}, fmt.Errorf("read /source: want one subcommand")
		}
		for _, sc := range sourceSubcommands() {
			if sc.name == opts[0].Name {
				spec = &sc
				break
			}
		}
		if spec == nil {
			return invocation{}, fmt.Errorf("read /source: unknown subcommand %q", opts[0].Name)
		}
		opts = opts[0].Options
	} else {
		for _, c := range topCommands() {
			if c.name == data.Name {
				spec = &c
				break
			}
		}
	}
	values := map[string]string{}
	var inv invocation
	var order []string
	for _, o := range opts {
		if o == nil {
			continue
		}
		if o.Type == discordgo.ApplicationCommandOptionAttachment {
			if id, ok := o.Value.(string); ok && data.Resolved != nil {
				inv.attachment = data.Resolved.Attachments[id]
			}
			continue
		}
		v := optionText(o.Value)
		values[o.Name] = v
		order = append(order, o.Name)
		if o.Focused {
			inv.focused, inv.partial = o.Name, v
		}
	}
	if spec == nil {
		// A command this version does not define (a stale registration):
		// pass it on by name, so that the handler answers it.
		inv.command = strings.ToLower(data.Name)
		var parts []string
		for _, name := range order {
			if v := values[name]; v != "" {
				parts = append(parts, v)
			}
		}
		inv.args = strings.Join(parts, " ")
		return inv, nil
	}
	inv.command = spec.botName
	var parts []string
	for _, o := range spec.options {
		if v := values[o.name]; v != "" {
			parts = append(parts, v)
		}
	}
	inv.args = strings.Join(parts, " ")
	return inv, nil
}

// optionText renders an option value as text: strings as they are (one
// line, trimmed), numbers without exponent.
func optionText(v any) string {
	switch t := v.(type) {
	case string:
		return oneLine(t)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return ""
	default:
		return oneLine(fmt.Sprint(t))
	}
}

// request builds the bot.Request for an interaction.
func (a *Adapter) request(in *discordgo.Interaction, inv invocation) bot.Request {
	req := bot.Request{
		Chat:    bot.Chat{Platform: Platform, ID: in.ChannelID},
		Command: inv.command,
		Args:    inv.args,
		ID:      Platform + ":" + in.ID,
	}
	var user *discordgo.User
	if in.Member != nil {
		user = in.Member.User
	}
	if user == nil {
		user = in.User
	}
	if user != nil {
		req.User = bot.User{Platform: Platform, ID: user.ID, Name: displayName(in.Member, user)}
	}
	if in.GuildID == "" {
		// A DM with the bot: the user owns the conversation.
		req.ChatKind = bot.Private
		req.CanManageChat = func(context.Context) (bool, error) { return true, nil }
		return req
	}
	req.ChatKind = bot.Group
	var perms int64
	if in.Member != nil {
		// Discord sends the member's permissions in this channel,
		// overwrites included.
		perms = in.Member.Permissions
	}
	req.CanManageChat = func(context.Context) (bool, error) {
		return perms&(discordgo.PermissionManageChannels|discordgo.PermissionAdministrator) != 0, nil
	}
	if a.opts.GuildAdminsManageSources && a.trustedGuild(in.GuildID) {
		req.CanManageSources = func(context.Context) (bool, error) {
			return perms&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0, nil
		}
	}
	return req
}

// trustedGuild reports whether guild's server managers may manage the
// bot's sources: it is DISCORD_GUILD_ID or listed in
// NEWSALERT_TRUSTED_GUILDS.
func (a *Adapter) trustedGuild(guild string) bool {
	if guild == "" {
		return false
	}
	return guild == a.opts.GuildID || slices.Contains(a.opts.TrustedGuilds, guild)
}

func displayName(m *discordgo.Member, u *discordgo.User) string {
	switch {
	case m != nil && m.Nick != "":
		return m.Nick
	case u.GlobalName != "":
		return u.GlobalName
	default:
		return u.Username
	}
}
