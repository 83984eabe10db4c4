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

	"github.com/newsalert/newsalert/internal/secret"
)

// Config is every setting of a newsalert process. main builds it once and
// passes the parts down; nothing reads the environment elsewhere.
type Config struct {
	RedisURL             secret.String // NEWSALERT_REDIS_URL; empty: embedded store
	DataDir              string
	Admins               []string // "platform:user_id"
	AllowPrivateNetworks bool
	PollInterval         time.Duration
	MinPollInterval      time.Duration
	HTTPAddr             string // empty: no HTTP server
	PublicURL            string // NEWSALERT_PUBLIC_URL; empty: no dashboard links
	LogFormat            string // "text" or "json"
	LogLevel             string // "debug", "info", "warn", "error"

	FetchTimeout       time.Duration
	ConnectTimeout     time.Duration
	MaxFeedBytes       int64
	MaxItemsPerFetch   int
	PerHostConcurrency int
	FetchConcurrency   int
	FailureThreshold   int
	MaxItemAge         time.Duration
	FetchArticles      bool

	TeaserChars        int
	DuplicateThreshold int
	DuplicateWindow    time.Duration
	MaxAlertAge        time.Duration
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
}

// Option describes one setting: its environment variable, its flag, its
// default and what it means. Options() is the single list README's
// configuration table is checked against.
type Option struct {
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
// then flags in args. It returns flag.ErrHelp when args ask for help (the
// usage has then been written to usage).
func Load(args []string, env Env, usage io.Writer) (Config, error) {
	var c Config
	opts := Options()
	values := make(map[string]string, len(opts))
	for _, o := range opts {
		values[o.Env] = o.Default
		if v, ok := env(o.Env); ok && v != "" {
			values[o.Env] = v
		} else if o.Secret {
			if path, ok := env(o.Env + "_FILE"); ok && path != "" {
				b, err := os.ReadFile(path)
				if err != nil {
					return c, fmt.Errorf("%s_FILE: cannot read %s: %w", o.Env, path, unwrapPathError(err))
				}
				values[o.Env] = strings.TrimRight(string(b), "\r\n")
			}
		}
	}
	fs := flag.NewFlagSet("newsalert run", flag.ContinueOnError)
	fs.SetOutput(usage)
	flagged := make(map[string]*string, len(opts))
	for _, o := range opts {
		help := o.Help + " (" + o.Env + ")"
		flagged[o.Env] = fs.String(o.Flag, "", help)
	}
	fs.Usage = func() {
		fmt.Fprintln(usage, "Usage: newsalert run [flags]\n\nRuns the bot. Every flag can also be set with the environment variable in brackets; flags win.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (see newsalert run --help)", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		for _, o := range opts {
			if o.Flag == f.Name {
				values[o.Env] = *flagged[o.Env]
			}
		}
	})
	for _, o := range opts {
		if err := o.set(&c, values[o.Env]); err != nil {
			return c, fmt.Errorf("%s: %w", o.Env, err)
		}
	}
	if err := c.validate(); err != nil {
		return c, err
	}
	return c, nil
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
		return fmt.Errorf("NEWSALERT_POLL_INTERVAL: %s is below NEWSALERT_MIN_POLL_INTERVAL (%s); raise it or lower the minimum", c.PollInterval, c.MinPollInterval)
	}
	if c.RedisURL.IsZero() && c.DataDir == "" {
		return errors.New("NEWSALERT_DATA_DIR: must not be empty when NEWSALERT_REDIS_URL is unset (the embedded store keeps its snapshot there)")
	}
	if c.TelegramWebhookURL != "" && c.TelegramWebhookSecret.IsZero() {
		return errors.New("TELEGRAM_WEBHOOK_SECRET: required with TELEGRAM_WEBHOOK_URL (1-256 characters A-Z, a-z, 0-9, _ and -)")
	}
	if c.TelegramWebhookURL != "" && c.HTTPAddr == "" {
		return errors.New("NEWSALERT_HTTP_ADDR: required with TELEGRAM_WEBHOOK_URL (the webhook is served there)")
	}
	if c.DiscordPublicKey != "" && c.HTTPAddr == "" {
		return errors.New("NEWSALERT_HTTP_ADDR: required with DISCORD_PUBLIC_KEY (the interactions endpoint is served there)")
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
