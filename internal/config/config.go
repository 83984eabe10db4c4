// Package config reads newsalert's settings from environment variables and
// command-line flags (flags win), validates them once, and reports the first
// bad value in one line that names the variable.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/newsalert/newsalert/internal/human"
	"github.com/newsalert/newsalert/internal/secret"
)

// Config is every setting of a newsalert process. main builds it once and
// passes the parts down; nothing reads the environment elsewhere.
type Config struct {
	RedisURL             secret.String // NEWSALERT_REDIS_URL; empty: embedded store
	DataDir              string
	Fsync                string   // "everysec" or "always": the embedded store's journal
	Admins               []string // "platform:user_id"
	AllowPrivateNetworks bool
	PollInterval         time.Duration
	MinPollInterval      time.Duration
	HTTPAddr             string // empty: no HTTP server
	HTTPMaxConnections   int
	PublicURL            string // NEWSALERT_PUBLIC_URL; empty: no dashboard links
	LogFormat            string // "text" or "json"
	LogLevel             string // "debug", "info", "warn", "error"

	FetchTimeout       time.Duration
	ConnectTimeout     time.Duration
	MaxFeedBytes       int64
	MaxItemsPerFetch   int
	MaxNewItemsPerPoll int
	UnmatchedStoryTTL  time.Duration
	PerHostConcurrency int
	FetchConcurrency   int
	FailureThreshold   int
	MaxItemAge         time.Duration
	FetchArticles      bool

	TeaserChars        int
	DuplicateThreshold int
	DuplicateWindow    time.Duration
	MaxAlertAge        time.Duration
	GoneRetry          time.Duration
	DeliveryRecordTTL  time.Duration
	BacklogLimit       int

	MaxSubscriptionsPerChat int
	Console                 string // "auto", "on", "off"
	Instance                string // stable process name

	TelegramToken         secret.String
	TelegramAPIURL        string
	TelegramWebhookURL    string
	TelegramWebhookSecret secret.String

	DiscordToken             secret.String
	DiscordAPIURL            string
	DiscordGuildID           string
	DiscordPublicKey         string
	GuildAdminsManageSources bool

	SlackBotToken            secret.String
	SlackAppToken            secret.String
	SlackSigningSecret       secret.String
	SlackAPIURL              string // ends with /api/
	SlackChannelManagers     string // "members" or "admins"
	SlackAdminsManageSources bool
	TrustedGuilds            []string // NEWSALERT_TRUSTED_GUILDS

	// names maps each variable to the name its value came from: the flag
	// ("--poll-interval"), the variable, or its _FILE variant.
	names map[string]string
	// given holds the variables set (by flag, variable or file) to a value
	// other than their default.
	given map[string]bool
}

// Name is how the user gave the setting whose variable is env: "--flag"
// when a flag set it, "ENV_FILE" when read from a file, else env itself.
// Error messages about a setting use it.
func (c *Config) Name(env string) string {
	if n, ok := c.names[env]; ok {
		return n
	}
	return env
}

// Option describes one setting: its environment variable, its flag, its
// default and what it means. Options() is the single list README's
// configuration table is checked against.
type Option struct {
	// Type names the kind of value in run --help: bool, duration, int,
	// url, string, ...; bool flags may be given bare (--fetch-articles).
	Type    string
	Env     string
	Flag    string
	Default string
	Help    string
	// Secret options also accept Env+"_FILE" (a path whose content is the
	// value, as Docker and Kubernetes mount secrets) and are never printed.
	Secret bool
	set    func(c *Config, v string) error
}

// Env is the process environment as a lookup function, so tests can supply
// their own.
type Env func(name string) (string, bool)

// Load builds a Config from defaults, then env (and NAME_FILE for secrets),
// then flags in args. A secret given as a flag is an error: secrets come
// only from the environment or NAME_FILE. It returns flag.ErrHelp when
// args ask for help (the usage has then been written to usage). Every
// error names the flag or variable the bad value came from.
func Load(args []string, env Env, usage io.Writer) (Config, error) {
	c := Config{names: map[string]string{}, given: map[string]bool{}}
	opts := Options()
	values := make(map[string]string, len(opts))
	for _, o := range opts {
		values[o.Env] = o.Default
		if v, ok := env(o.Env); ok && v != "" {
			values[o.Env] = v
		} else if o.Secret {
			if path, ok := env(o.Env + "_FILE"); ok && path != "" {
				name := o.Env + "_FILE"
				b, err := os.ReadFile(path)
				if err != nil {
					return c, fmt.Errorf("%s: cannot read %s: %w", name, path, unwrapPathError(err))
				}
				v := strings.TrimRight(string(b), "\r\n")
				if strings.TrimSpace(v) == "" {
					return c, fmt.Errorf("%s: %s is empty; put the value in it, or unset %s", name, path, name)
				}
				values[o.Env] = v
				c.names[o.Env] = name
			}
		}
	}
	fs := flag.NewFlagSet("newsalert run", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned as one line; --help prints printUsage
	flagged := make(map[string]*optionFlag, len(opts))
	for _, o := range opts {
		f := &optionFlag{isBool: o.Type == "bool"}
		flagged[o.Env] = f
		fs.Var(f, o.Flag, o.Help)
	}
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(usage, opts)
			return c, err
		}
		return c, flagError(err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (see newsalert run --help)", fs.Arg(0))
	}
	var secretFlag error
	fs.Visit(func(f *flag.Flag) {
		for _, o := range opts {
			if o.Flag != f.Name {
				continue
			}
			if o.Secret && secretFlag == nil {
				secretFlag = secretFlagError(o)
			}
			values[o.Env] = flagged[o.Env].value
			c.names[o.Env] = "--" + o.Flag
		}
	})
	if secretFlag != nil {
		return c, secretFlag
	}
	for _, o := range opts {
		if strings.TrimSpace(values[o.Env]) != strings.TrimSpace(o.Default) {
			c.given[o.Env] = true
		}
		if err := o.set(&c, values[o.Env]); err != nil {
			return c, fmt.Errorf("%s: %w", c.Name(o.Env), err)
		}
	}
	if err := c.validate(); err != nil {
		return c, err
	}
	return c, nil
}

// flagError rewrites the flag package's parse errors as one line that
// names the flag as users type it.
func flagError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Errorf("--%s: no such flag (newsalert run --help lists them)", strings.TrimLeft(name, "-"))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Errorf("--%s: needs a value (newsalert run --help shows its type)", strings.TrimLeft(name, "-"))
	}
	return fmt.Errorf("%s (see newsalert run --help)", msg)
}

// optionFlag is one option's flag: it records the text given, and lets
// bool options be given bare.
type optionFlag struct {
	value  string
	isBool bool
}

func (f *optionFlag) String() string     { return f.value }
func (f *optionFlag) Set(v string) error { f.value = v; return nil }
func (f *optionFlag) IsBoolFlag() bool   { return f.isBool }

// printUsage writes run --help: each flag with its type, its variable and
// its default.
func printUsage(w io.Writer, opts []Option) {
	var b strings.Builder
	b.WriteString("Usage: newsalert run [flags]\n\nRuns the bot. Every flag can also be set with the environment variable named after it; flags win.\nBool flags may be given bare (--allow-private-networks) or as --flag=false.\n\n")
	for _, o := range opts {
		if o.Secret {
			// Refused as a flag (see secretFlagError): only the variables.
			b.WriteString("  " + o.Env + " (or " + o.Env + "_FILE, a file holding the value; not accepted as a flag)\n    \t" + o.Help + "\n")
			continue
		}
		b.WriteString("  --" + o.Flag)
		if o.Type != "bool" {
			b.WriteString(" " + o.Type)
		}
		b.WriteString("\n    \t" + o.Help + "\n    \t" + o.Env)
		if o.Default != "" {
			b.WriteString("; default " + o.Default)
		}
		b.WriteString("\n")
	}
	io.WriteString(w, b.String())
}

// secretFlagError refuses a secret given as a flag: every local user can
// read a process's command line (ps, /proc/PID/cmdline).
func secretFlagError(o Option) error {
	return fmt.Errorf("--%s: secrets are not accepted as flags, where every local user can read them (ps, /proc/PID/cmdline); set %s in the environment, or %s_FILE to a file holding it", o.Flag, o.Env, o.Env)
}

// OSEnv looks variables up in the process environment.
func OSEnv(name string) (string, bool) { return os.LookupEnv(name) }

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (c *Config) validate() error {
	if c.PollInterval < c.MinPollInterval {
		return fmt.Errorf("%s: %s is below %s (%s); raise it or lower the minimum", c.Name("NEWSALERT_POLL_INTERVAL"),
			human.Duration(c.PollInterval), c.Name("NEWSALERT_MIN_POLL_INTERVAL"), human.Duration(c.MinPollInterval))
	}
	if c.RedisURL.IsZero() && c.DataDir == "" {
		return fmt.Errorf("%s: must not be empty when NEWSALERT_REDIS_URL is unset (the embedded store keeps its snapshot there)", c.Name("NEWSALERT_DATA_DIR"))
	}
	// Platform settings without the platform's token would be ignored.
	for _, need := range []struct {
		token string
		set   bool
		with  []string
	}{
		{"TELEGRAM_BOT_TOKEN", !c.TelegramToken.IsZero(), []string{"TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_URL"}},
		{"DISCORD_BOT_TOKEN", !c.DiscordToken.IsZero(), []string{"DISCORD_PUBLIC_KEY", "DISCORD_GUILD_ID", "DISCORD_API_URL", "NEWSALERT_GUILD_ADMINS_MANAGE_SOURCES"}},
		{"SLACK_BOT_TOKEN", !c.SlackBotToken.IsZero(), []string{"SLACK_API_URL", "NEWSALERT_SLACK_CHANNEL_MANAGERS", "NEWSALERT_SLACK_ADMINS_MANAGE_SOURCES"}},
	} {
		if need.set {
			continue
		}
		for _, w := range need.with {
			if c.given[w] {
				return fmt.Errorf("%s: required with %s, which is ignored without it; set the token, or unset %s", need.token, c.Name(w), c.Name(w))
			}
		}
	}
	if c.TelegramWebhookURL != "" && c.TelegramWebhookSecret.IsZero() {
		return fmt.Errorf("TELEGRAM_WEBHOOK_SECRET: required with %s (1-256 characters A-Z, a-z, 0-9, _ and -)", c.Name("TELEGRAM_WEBHOOK_URL"))
	}
	if c.TelegramWebhookURL != "" && c.HTTPAddr == "" {
		return fmt.Errorf("%s: required with %s (the webhook is served there)", c.Name("NEWSALERT_HTTP_ADDR"), c.Name("TELEGRAM_WEBHOOK_URL"))
	}
	if !c.SlackBotToken.IsZero() && c.SlackAppToken.IsZero() && c.SlackSigningSecret.IsZero() {
		return errors.New("SLACK_BOT_TOKEN: needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP Events API)")
	}
	if (!c.SlackAppToken.IsZero() || !c.SlackSigningSecret.IsZero()) && c.SlackBotToken.IsZero() {
		return errors.New("SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET")
	}
	if !c.SlackSigningSecret.IsZero() && c.SlackAppToken.IsZero() && c.HTTPAddr == "" {
		return errors.New("NEWSALERT_HTTP_ADDR: required with SLACK_SIGNING_SECRET (Slack's events and slash commands are served there)")
	}
	if c.DiscordPublicKey != "" && c.HTTPAddr == "" {
		return fmt.Errorf("%s: required with %s (the interactions endpoint is served there)", c.Name("NEWSALERT_HTTP_ADDR"), c.Name("DISCORD_PUBLIC_KEY"))
	}
	return nil
}

// IsAdmin reports whether platform:userID is listed in NEWSALERT_ADMINS.
func (c *Config) IsAdmin(key string) bool {
	for _, a := range c.Admins {
		if a == key {
			return true
		}
	}
	return false
}
