package config

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/newsalert/newsalert/internal/human"
	"github.com/newsalert/newsalert/internal/secret"
)

// Options lists every setting in the order README's configuration table
// shows them.
func Options() []Option {
	return []Option{
		{Type: "url", Env: "NEWSALERT_REDIS_URL", Flag: "redis-url", Secret: true,
			Help: "Redis URL: redis://user:pass@host:6379/0 (rediss:// for TLS; ?master_name=NAME for Sentinel; redis+cluster://host:6379?addr=host2:6379 for Cluster); empty runs the embedded store in this process",
			set:  func(c *Config, v string) error { return setRedisURL(&c.RedisURL, v) }},
		{Type: "path", Env: "NEWSALERT_DATA_DIR", Flag: "data-dir", Default: "./data",
			Help: "where the embedded store keeps its journal and snapshot; one process per folder (unused with NEWSALERT_REDIS_URL)",
			set:  func(c *Config, v string) error { c.DataDir = strings.TrimSpace(v); return nil }},
		{Type: "string", Env: "NEWSALERT_FSYNC", Flag: "fsync", Default: "everysec",
			Help: "when the embedded store's journal reaches the disk: everysec (a power cut loses at most the last second) or always (before each write is acknowledged)",
			set:  enumSetter(func(c *Config) *string { return &c.Fsync }, "everysec", "always")},
		{Type: "list", Env: "NEWSALERT_ADMINS", Flag: "admins", Default: "console:admin",
			Help: "bot admins, comma-separated platform:user_id (telegram:1001,discord:2002,console:admin)",
			set:  setAdmins},
		{Type: "bool", Env: "NEWSALERT_ALLOW_PRIVATE_NETWORKS", Flag: "allow-private-networks", Default: "false",
			Help: "let sources live on loopback and private addresses (off: refused, against SSRF)",
			set:  boolSetter(func(c *Config) *bool { return &c.AllowPrivateNetworks })},
		{Type: "duration", Env: "NEWSALERT_POLL_INTERVAL", Flag: "poll-interval", Default: "5m",
			Help: "default polling interval of a new source",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.PollInterval }, 100*time.Millisecond)},
		{Type: "duration", Env: "NEWSALERT_MIN_POLL_INTERVAL", Flag: "min-poll-interval", Default: "1m",
			Help: "floor on any source's interval, whatever the source or an admin asks",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.MinPollInterval }, 100*time.Millisecond)},
		{Type: "host:port", Env: "NEWSALERT_HTTP_ADDR", Flag: "http-addr", Default: ":8080",
			Help: "address of the HTTP server (/healthz, /readyz, /metrics, webhooks); 'off' disables it",
			set:  setHTTPAddr},
		{Type: "int", Env: "NEWSALERT_HTTP_MAX_CONNECTIONS", Flag: "http-max-connections", Default: "256",
			Help: "connections the HTTP server holds at once; more wait to be accepted",
			set:  intSetter(func(c *Config) *int { return &c.HTTPMaxConnections }, 1, 100000)},
		{Type: "url", Env: "NEWSALERT_PUBLIC_URL", Flag: "public-url",
			Help: "address users reach NEWSALERT_HTTP_ADDR at (https://news.example.org); /dashboard links point to its /ui/; empty: no dashboard",
			set:  optionalURLSetter(func(c *Config) *string { return &c.PublicURL })},
		{Type: "string", Env: "NEWSALERT_LOG_FORMAT", Flag: "log-format", Default: "text",
			Help: "log format: text or json",
			set:  enumSetter(func(c *Config) *string { return &c.LogFormat }, "text", "json")},
		{Type: "string", Env: "NEWSALERT_LOG_LEVEL", Flag: "log-level", Default: "info",
			Help: "log level: debug, info, warn or error",
			set:  enumSetter(func(c *Config) *string { return &c.LogLevel }, "debug", "info", "warn", "error")},
		{Type: "duration", Env: "NEWSALERT_FETCH_TIMEOUT", Flag: "fetch-timeout", Default: "30s",
			Help: "deadline for a whole feed request, body included",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.FetchTimeout }, time.Second)},
		{Type: "duration", Env: "NEWSALERT_CONNECT_TIMEOUT", Flag: "connect-timeout", Default: "10s",
			Help: "deadline for connecting to a feed's server",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.ConnectTimeout }, 100*time.Millisecond)},
		{Type: "int", Env: "NEWSALERT_MAX_FEED_BYTES", Flag: "max-feed-bytes", Default: "10485760",
			Help: "largest feed or article accepted, in bytes after decompression",
			set:  intSetter64(func(c *Config) *int64 { return &c.MaxFeedBytes }, 1024, 1<<30)},
		{Type: "int", Env: "NEWSALERT_MAX_ITEMS", Flag: "max-items", Default: "500",
			Help: "items read from one fetch (the first in the feed; the rest is not parsed)",
			set:  intSetter(func(c *Config) *int { return &c.MaxItemsPerFetch }, 1, 100000)},
		{Type: "int", Env: "NEWSALERT_MAX_NEW_ITEMS", Flag: "max-new-items", Default: "50",
			Help: "new items taken from one source in one poll, oldest first; the rest wait for the next polls",
			set:  intSetter(func(c *Config) *int { return &c.MaxNewItemsPerPoll }, 1, 100000)},
		{Type: "duration", Env: "NEWSALERT_UNMATCHED_STORY_TTL", Flag: "unmatched-story-ttl", Default: "6h",
			Help: "how long stories no subscription matched are kept (only the last 100, for /test); matched ones keep NEWSALERT_DELIVERY_RECORD_TTL",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.UnmatchedStoryTTL }, time.Minute)},
		{Type: "int", Env: "NEWSALERT_PER_HOST_CONCURRENCY", Flag: "per-host-concurrency", Default: "2",
			Help: "concurrent requests to one host",
			set:  intSetter(func(c *Config) *int { return &c.PerHostConcurrency }, 1, 100)},
		{Type: "int", Env: "NEWSALERT_FETCH_CONCURRENCY", Flag: "fetch-concurrency", Default: "64",
			Help: "concurrent requests overall",
			set:  intSetter(func(c *Config) *int { return &c.FetchConcurrency }, 1, 10000)},
		{Type: "int", Env: "NEWSALERT_FAILURE_THRESHOLD", Flag: "failure-threshold", Default: "10",
			Help: "consecutive failures before a source is marked failing and its admins are told",
			set:  intSetter(func(c *Config) *int { return &c.FailureThreshold }, 1, 1000)},
		{Type: "duration", Env: "NEWSALERT_MAX_ITEM_AGE", Flag: "max-item-age", Default: "48h",
			Help: "items older than this when first seen are not alerted",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.MaxItemAge }, time.Minute)},
		{Type: "bool", Env: "NEWSALERT_FETCH_ARTICLES", Flag: "fetch-articles", Default: "true",
			Help: "fetch the article page of a matched story whose feed text is only a teaser",
			set:  boolSetter(func(c *Config) *bool { return &c.FetchArticles })},
		{Type: "int", Env: "NEWSALERT_TEASER_CHARS", Flag: "teaser-chars", Default: "400",
			Help: "feed text shorter than this makes a matched story's article page worth fetching",
			set:  intSetter(func(c *Config) *int { return &c.TeaserChars }, 1, 100000)},
		{Type: "int", Env: "NEWSALERT_DUPLICATE_THRESHOLD", Flag: "duplicate-threshold", Default: "28",
			Help: "fingerprint distance (0-100) at or under which stories of two sources may be one story; numbers, names, verbs and actions must agree too (see BENCHMARKS.md)",
			set:  intSetter(func(c *Config) *int { return &c.DuplicateThreshold }, 1, 100)},
		{Type: "duration", Env: "NEWSALERT_DUPLICATE_WINDOW", Flag: "duplicate-window", Default: "48h",
			Help: "how long a story absorbs the same story from other sources",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.DuplicateWindow }, time.Minute)},
		{Type: "duration", Env: "NEWSALERT_MAX_ALERT_AGE", Flag: "max-alert-age", Default: "6h",
			Help: "an alert still unsent after this long is dropped (and counted), not sent late",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.MaxAlertAge }, time.Minute)},
		{Type: "duration", Env: "NEWSALERT_GONE_RETRY", Flag: "gone-retry", Default: "1h",
			Help: "a chat deactivated because the platform refused it is tried again with its next alert after this long",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.GoneRetry }, time.Second)},
		{Type: "duration", Env: "NEWSALERT_DELIVERY_RECORD_TTL", Flag: "delivery-record-ttl", Default: "168h",
			Help: "how long the record that a chat got a story is kept (no repeat within it)",
			set:  durationSetter(func(c *Config) *time.Duration { return &c.DeliveryRecordTTL }, time.Hour)},
		{Type: "int", Env: "NEWSALERT_BACKLOG_LIMIT", Flag: "backlog-limit", Default: "20",
			Help: "waiting alerts for one chat past which they are merged into digest messages",
			set:  intSetter(func(c *Config) *int { return &c.BacklogLimit }, 2, 10000)},
		{Type: "int", Env: "NEWSALERT_MAX_SUBSCRIPTIONS_PER_CHAT", Flag: "max-subscriptions-per-chat", Default: "50",
			Help: "subscriptions one chat may hold",
			set:  intSetter(func(c *Config) *int { return &c.MaxSubscriptionsPerChat }, 1, 10000)},
		{Type: "string", Env: "NEWSALERT_CONSOLE", Flag: "console", Default: "auto",
			Help: "console adapter on stdin/stdout: auto (when no chat platform is configured), on or off",
			set:  enumSetter(func(c *Config) *string { return &c.Console }, "auto", "on", "off")},
		{Type: "string", Env: "NEWSALERT_INSTANCE", Flag: "instance",
			Help: "this process's stable name among replicas (delivery consumer, leases); default: the host name",
			set:  setInstance},
		{Type: "token", Env: "TELEGRAM_BOT_TOKEN", Flag: "telegram-token", Secret: true,
			Help: "Telegram bot token from @BotFather; enables Telegram",
			set:  func(c *Config, v string) error { return setToken(&c.TelegramToken, v, telegramToken) }},
		{Type: "url", Env: "TELEGRAM_API_URL", Flag: "telegram-api-url", Default: "https://api.telegram.org",
			Help: "Telegram Bot API server (a self-hosted one, or a test fake)",
			set:  urlSetter(func(c *Config) *string { return &c.TelegramAPIURL })},
		{Type: "url", Env: "TELEGRAM_WEBHOOK_URL", Flag: "telegram-webhook-url",
			Help: "public HTTPS URL Telegram posts updates to, served on NEWSALERT_HTTP_ADDR; empty uses long polling",
			set:  httpsURLSetter(func(c *Config) *string { return &c.TelegramWebhookURL })},
		{Type: "secret", Env: "TELEGRAM_WEBHOOK_SECRET", Flag: "telegram-webhook-secret", Secret: true,
			Help: "secret Telegram sends with every webhook request (1-256 of A-Z a-z 0-9 _ -)",
			set:  func(c *Config, v string) error { return setToken(&c.TelegramWebhookSecret, v, webhookSecret) }},
		{Type: "token", Env: "DISCORD_BOT_TOKEN", Flag: "discord-token", Secret: true,
			Help: "Discord bot token from the Developer Portal; enables Discord",
			set:  func(c *Config, v string) error { return setToken(&c.DiscordToken, v, discordToken) }},
		{Type: "url", Env: "DISCORD_API_URL", Flag: "discord-api-url", Default: "https://discord.com",
			Help: "origin for Discord's REST API and gateway lookup (a rate-limit proxy, or a test fake)",
			set:  urlSetter(func(c *Config) *string { return &c.DiscordAPIURL })},
		{Type: "id", Env: "DISCORD_GUILD_ID", Flag: "discord-guild-id",
			Help: "register slash commands in this guild only (instant, for testing) instead of globally",
			set:  setSnowflake},
		{Type: "hex", Env: "DISCORD_PUBLIC_KEY", Flag: "discord-public-key",
			Help: "application public key (hex); serves the HTTP interactions endpoint /discord/interactions",
			set:  setPublicKey},
		{Type: "bool", Env: "NEWSALERT_GUILD_ADMINS_MANAGE_SOURCES", Flag: "guild-admins-manage-sources", Default: "false",
			Help: "let Discord members with Manage Server manage sources",
			set:  boolSetter(func(c *Config) *bool { return &c.GuildAdminsManageSources })},
		{Type: "token", Env: "SLACK_BOT_TOKEN", Flag: "slack-bot-token", Secret: true,
			Help: "Slack bot token (xoxb-...); enables Slack, with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET",
			set:  func(c *Config, v string) error { return setToken(&c.SlackBotToken, v, slackBotToken) }},
		{Type: "token", Env: "SLACK_APP_TOKEN", Flag: "slack-app-token", Secret: true,
			Help: "Slack app-level token (xapp-..., connections:write) for Socket Mode: no public URL needed",
			set:  func(c *Config, v string) error { return setToken(&c.SlackAppToken, v, slackAppToken) }},
		{Type: "secret", Env: "SLACK_SIGNING_SECRET", Flag: "slack-signing-secret", Secret: true,
			Help: "Slack signing secret; serves the Events API and /newsalert on NEWSALERT_HTTP_ADDR at /slack/events and /slack/commands",
			set:  func(c *Config, v string) error { return setToken(&c.SlackSigningSecret, v, slackSigningSecret) }},
		{Type: "url", Env: "SLACK_API_URL", Flag: "slack-api-url", Default: "https://slack.com/api/",
			Help: "Slack Web API base URL, ending in /api/ (a test fake)",
			set:  setSlackAPIURL},
		{Type: "string", Env: "NEWSALERT_SLACK_CHANNEL_MANAGERS", Flag: "slack-channel-managers", Default: "members",
			Help: "who may change a Slack channel's subscriptions: members (anyone in the channel) or admins (workspace admins and owners, and bot admins)",
			set:  enumSetter(func(c *Config) *string { return &c.SlackChannelManagers }, "members", "admins")},
		{Type: "bool", Env: "NEWSALERT_SLACK_ADMINS_MANAGE_SOURCES", Flag: "slack-admins-manage-sources", Default: "false",
			Help: "let Slack workspace admins and owners manage sources",
			set:  boolSetter(func(c *Config) *bool { return &c.SlackAdminsManageSources })},
		{Type: "list", Env: "NEWSALERT_TRUSTED_GUILDS", Flag: "trusted-guilds",
			Help: "comma-separated Discord guild ids, besides DISCORD_GUILD_ID, where NEWSALERT_GUILD_ADMINS_MANAGE_SOURCES applies (anywhere else Manage Server grants nothing over sources)",
			set:  setTrustedGuilds},
	}
}

var (
	telegramToken = regexp.MustCompile(`^[0-9]{3,20}:[A-Za-z0-9_-]{30,64}$`)
	discordToken  = regexp.MustCompile(`^[A-Za-z0-9_.-]{50,100}$`)
	webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	adminEntry    = regexp.MustCompile(`^(telegram|discord|slack|console):[A-Za-z0-9_.@-]{1,64}$`)

	slackBotToken      = regexp.MustCompile(`^xoxb-[A-Za-z0-9-]{10,250}$`)
	slackAppToken      = regexp.MustCompile(`^xapp-[A-Za-z0-9-]{10,250}$`)
	slackSigningSecret = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
)

func setToken(dst *secret.String, v string, shape *regexp.Regexp) error {
	v = strings.TrimSpace(v)
	if v != "" && !shape.MatchString(v) {
		// Never echo the value: it may be a real token with a typo.
		return fmt.Errorf("does not look like a valid token (%d characters); check for quotes or spaces", len(v))
	}
	*dst = secret.New(v)
	return nil
}

func setRedisURL(dst *secret.String, v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		*dst = secret.String{}
		return nil
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		return fmt.Errorf("not a URL (example: redis://localhost:6379/0)")
	case u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix" && u.Scheme != "redis+cluster" && u.Scheme != "rediss+cluster":
		return fmt.Errorf("scheme %q is not redis://, rediss://, redis+cluster://, rediss+cluster:// or unix://", u.Scheme)
	}
	if u.Scheme != "unix" && u.Host == "" {
		return fmt.Errorf("URL has no host (example: redis://localhost:6379/0)")
	}
	*dst = secret.New(v)
	return nil
}

func setAdmins(c *Config, v string) error {
	c.Admins = nil
	for _, a := range strings.Split(v, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !adminEntry.MatchString(a) {
			return fmt.Errorf("%q is not platform:user_id (platform is telegram, discord, slack or console; example telegram:1001)", a)
		}
		c.Admins = append(c.Admins, a)
	}
	return nil
}

var instanceName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

func setInstance(c *Config, v string) error {
	v = strings.TrimSpace(v)
	if v == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			h = "newsalert"
		}
		v = h
	}
	if !instanceName.MatchString(v) {
		return fmt.Errorf("%q is not a name of 1-64 letters, digits, '.', '_' or '-'", v)
	}
	c.Instance = v
	return nil
}

func setHTTPAddr(c *Config, v string) error {
	v = strings.TrimSpace(v)
	if v == "" || v == "off" {
		c.HTTPAddr = ""
		return nil
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		return fmt.Errorf("%q is not host:port (examples: :8080, 127.0.0.1:8080, off)", v)
	}
	c.HTTPAddr = v
	return nil
}

func setSnowflake(c *Config, v string) error {
	v = strings.TrimSpace(v)
	if v != "" {
		if _, err := strconv.ParseUint(v, 10, 64); err != nil {
			return fmt.Errorf("%q is not a Discord id (digits only)", v)
		}
	}
	c.DiscordGuildID = v
	return nil
}

func setTrustedGuilds(c *Config, v string) error {
	c.TrustedGuilds = nil
	for _, g := range strings.Split(v, ",") {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if _, err := strconv.ParseUint(g, 10, 64); err != nil {
			return fmt.Errorf("%q is not a Discord guild id (digits only; separate ids with commas)", g)
		}
		c.TrustedGuilds = append(c.TrustedGuilds, g)
	}
	return nil
}

func setPublicKey(c *Config, v string) error {
	v = strings.TrimSpace(v)
	if v != "" {
		b, err := hex.DecodeString(v)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return fmt.Errorf("not a hex Ed25519 public key (64 hex digits, from the Developer Portal's General Information page)")
		}
	}
	c.DiscordPublicKey = v
	return nil
}

func boolSetter(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		*field(c) = b
		return nil
	}
}

func durationSetter(field func(*Config) *time.Duration, min time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return fmt.Errorf("%q is not a duration (examples: 90s, 5m, 1h)", v)
		}
		if d < min {
			return fmt.Errorf("%s is below the minimum of %s", human.Duration(d), human.Duration(min))
		}
		*field(c) = d
		return nil
	}
}

func intSetter(field func(*Config) *int, min, max int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < min || n > max {
			return fmt.Errorf("%q is not a whole number from %d to %d", v, min, max)
		}
		*field(c) = n
		return nil
	}
}

func intSetter64(field func(*Config) *int64, min, max int64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < min || n > max {
			return fmt.Errorf("%q is not a whole number from %d to %d", v, min, max)
		}
		*field(c) = n
		return nil
	}
}

func enumSetter(field func(*Config) *string, allowed ...string) func(*Config, string) error {
	return func(c *Config, v string) error {
		v = strings.ToLower(strings.TrimSpace(v))
		for _, a := range allowed {
			if v == a {
				*field(c) = v
				return nil
			}
		}
		return fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

func urlSetter(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		v = strings.TrimRight(strings.TrimSpace(v), "/")
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%q is not an http(s) URL", v)
		}
		*field(c) = v
		return nil
	}
}

func optionalURLSetter(field func(*Config) *string) func(*Config, string) error {
	set := urlSetter(field)
	return func(c *Config, v string) error {
		if strings.TrimSpace(v) == "" {
			*field(c) = ""
			return nil
		}
		return set(c, v)
	}
}

// httpsURLSetter accepts an empty value or an https:// URL.
func httpsURLSetter(field func(*Config) *string) func(*Config, string) error {
	set := optionalURLSetter(field)
	return func(c *Config, v string) error {
		if err := set(c, v); err != nil {
			return err
		}
		if u := *field(c); u != "" && !strings.HasPrefix(strings.ToLower(u), "https://") {
			return fmt.Errorf("%q is not an https:// URL (Telegram only sends webhooks over HTTPS); leave it empty to use long polling", u)
		}
		return nil
	}
}

// setSlackAPIURL accepts an http(s) URL whose path ends with /api/ (a
// missing final slash is added), as slack.OptionAPIURL needs.
func setSlackAPIURL(c *Config, v string) error {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", v)
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	if !strings.HasSuffix(v, "/api/") {
		return fmt.Errorf("%q does not end with /api/ (example: https://slack.com/api/)", v)
	}
	c.SlackAPIURL = v
	return nil
}
