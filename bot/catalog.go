package bot

// CommandSpec describes one chat command for help text and for the
// platforms' command menus (Telegram setMyCommands, Discord slash command
// registration).
type CommandSpec struct {
	Name        string // bare name: "subscribe"
	Usage       string // arguments after the name: "QUERY"
	Description string // one line, under 100 characters (Discord's limit)
	Example     string // a real invocation: "/subscribe \"north korea\" russia"
	// Admin is true for commands only bot admins (or, where configured,
	// platform administrators) may run.
	Admin bool
	// Platform, when set, is the one platform the command works on
	// ("discord" for /webhook); /help and menus elsewhere leave it out.
	Platform string
}

// On reports whether the command works on platform.
func (s CommandSpec) On(platform string) bool { return s.Platform == "" || s.Platform == platform }

// Catalog lists every command the bot understands, in the order /help shows
// them.
func Catalog() []CommandSpec {
	return []CommandSpec{
		{Name: "start", Description: "Greeting and how to subscribe", Example: "/start"},
		{Name: "help", Description: "Show every command with an example", Example: "/help"},
		{Name: "subscribe", Usage: "QUERY", Description: "Get alerts for stories matching a query", Example: `/subscribe "north korea" (russia OR putin) -sports`},
		{Name: "list", Description: "List this chat's subscriptions", Example: "/list"},
		{Name: "unsubscribe", Usage: "N|all", Description: "Remove subscription number N, or all", Example: "/unsubscribe 2"},
		{Name: "pause", Usage: "[N]", Description: "Stop alerts to this chat, or only subscription N, until /resume", Example: "/pause 2"},
		{Name: "resume", Usage: "[N]", Description: "Deliver alerts to this chat, or subscription N, again", Example: "/resume 2"},
		{Name: "test", Usage: "QUERY", Description: "Show which recent stories a query would match", Example: "/test ukraine grain"},
		{Name: "digest", Usage: "N off|hourly|daily HH:MM", Description: "Bundle a subscription's alerts into one message", Example: "/digest 2 daily 08:00"},
		{Name: "timezone", Usage: "ZONE", Description: "Set this chat's time zone for alert times, digests and quiet hours", Example: "/timezone Europe/Berlin"},
		{Name: "duplicates", Usage: "on|off", Description: "Fold the same story from several sources into one alert (on) or not", Example: "/duplicates off"},
		{Name: "webhook", Usage: "URL|off", Description: "Deliver this Discord channel's alerts through a webhook", Example: "/webhook https://discord.com/api/webhooks/123/abc", Platform: "discord"},
		{Name: "quiet", Usage: "HH:MM-HH:MM|off", Description: "Hold alerts during these hours, then send one digest", Example: "/quiet 22:00-07:00"},
		{Name: "dashboard", Usage: "[revoke]", Description: "Get a private sign-in link to this chat's web dashboard", Example: "/dashboard"},
		{Name: "addsource", Usage: "URL [INTERVAL] [NAME]", Description: "Watch a feed or a site (admins)", Example: "/addsource https://feeds.bbci.co.uk/news/world/rss.xml 5m BBC World", Admin: true},
		{Name: "removesource", Usage: "ID|URL", Description: "Stop watching a source (admins)", Example: "/removesource 3", Admin: true},
		{Name: "sources", Description: "List sources with their status (admins)", Example: "/sources", Admin: true},
		{Name: "pausesource", Usage: "ID", Description: "Stop polling a source for now (admins)", Example: "/pausesource 3", Admin: true},
		{Name: "resumesource", Usage: "ID", Description: "Poll a paused source again (admins)", Example: "/resumesource 3", Admin: true},
		{Name: "testsource", Usage: "URL", Description: "Fetch a feed and show its 3 newest stories (admins)", Example: "/testsource https://www.theguardian.com/world/rss", Admin: true},
		{Name: "importopml", Usage: "[URL]", Description: "Add every feed of an OPML file, attached or linked (admins)", Example: "/importopml https://example.com/feeds.opml", Admin: true},
		{Name: "exportopml", Description: "Send all sources as an OPML file (admins)", Example: "/exportopml", Admin: true},
		{Name: "stats", Description: "Sources, subscriptions, alerts sent in 24 hours, queue (admins)", Example: "/stats", Admin: true},
	}
}
