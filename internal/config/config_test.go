package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const tgToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"

func envOf(m map[string]string) Env {
	return func(name string) (string, bool) { v, ok := m[name]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := Load(nil, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.PollInterval != 5*time.Minute || c.MinPollInterval != time.Minute {
		t.Errorf("intervals = %s, %s", c.PollInterval, c.MinPollInterval)
	}
	if !c.RedisURL.IsZero() || c.DataDir != "./data" || c.HTTPAddr != ":8080" {
		t.Errorf("store defaults = %v %q %q", c.RedisURL, c.DataDir, c.HTTPAddr)
	}
	if !c.IsAdmin("console:admin") || c.IsAdmin("telegram:1") {
		t.Errorf("admins = %v", c.Admins)
	}
	if c.MaxFeedBytes != 10<<20 || c.PerHostConcurrency != 2 || c.FetchConcurrency != 64 || c.FailureThreshold != 10 {
		t.Errorf("fetch defaults = %+v", c)
	}
}

func TestFlagsWinOverEnv(t *testing.T) {
	env := envOf(map[string]string{"NEWSALERT_POLL_INTERVAL": "10m", "NEWSALERT_ADMINS": "telegram:1001,discord:2002"})
	c, err := Load([]string{"--poll-interval", "2m"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.PollInterval != 2*time.Minute {
		t.Errorf("PollInterval = %s, want the flag's 2m", c.PollInterval)
	}
	if !c.IsAdmin("telegram:1001") || !c.IsAdmin("discord:2002") || c.IsAdmin("console:admin") {
		t.Errorf("admins = %v", c.Admins)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	tests := []struct {
		env   string
		value string
	}{
		{"NEWSALERT_REDIS_URL", "http://localhost:6379"},
		{"NEWSALERT_ADMINS", "telegram1001"},
		{"NEWSALERT_ALLOW_PRIVATE_NETWORKS", "maybe"},
		{"NEWSALERT_POLL_INTERVAL", "5x"},
		{"NEWSALERT_MIN_POLL_INTERVAL", "10ms"},
		{"NEWSALERT_HTTP_ADDR", "8080"},
		{"NEWSALERT_HTTP_MAX_CONNECTIONS", "0"},
		{"NEWSALERT_LOG_FORMAT", "xml"},
		{"NEWSALERT_FSYNC", "sometimes"},
		{"NEWSALERT_LOG_LEVEL", "loud"},
		{"NEWSALERT_FETCH_TIMEOUT", "-1s"},
		{"NEWSALERT_CONNECT_TIMEOUT", "forever"},
		{"NEWSALERT_MAX_FEED_BYTES", "10MB"},
		{"NEWSALERT_MAX_ITEMS", "0"},
		{"NEWSALERT_MAX_NEW_ITEMS", "none"},
		{"NEWSALERT_UNMATCHED_STORY_TTL", "10s"},
		{"NEWSALERT_PER_HOST_CONCURRENCY", "two"},
		{"NEWSALERT_FETCH_CONCURRENCY", "-3"},
		{"NEWSALERT_FAILURE_THRESHOLD", "1e3"},
		{"NEWSALERT_MAX_ITEM_AGE", "2d"},
		{"NEWSALERT_FETCH_ARTICLES", "yes please"},
		{"NEWSALERT_MAX_SUBSCRIPTIONS_PER_CHAT", "0"},
		{"NEWSALERT_CONSOLE", "maybe"},
		{"NEWSALERT_INSTANCE", "has space"},
		{"NEWSALERT_TEASER_CHARS", "many"},
		{"NEWSALERT_DUPLICATE_THRESHOLD", "101"},
		{"NEWSALERT_DUPLICATE_WINDOW", "2 days"},
		{"NEWSALERT_MAX_ALERT_AGE", "0s"},
		{"NEWSALERT_GONE_RETRY", "soon"},
		{"NEWSALERT_DELIVERY_RECORD_TTL", "1m"},
		{"NEWSALERT_BACKLOG_LIMIT", "1"},
		{"TELEGRAM_BOT_TOKEN", "not a token"},
		{"TELEGRAM_API_URL", "ftp://x"},
		{"TELEGRAM_WEBHOOK_URL", "::"},
		{"NEWSALERT_PUBLIC_URL", "::"},
		{"TELEGRAM_WEBHOOK_SECRET", "has spaces in it"},
		{"DISCORD_BOT_TOKEN", "short"},
		{"DISCORD_API_URL", "discord.com"},
		{"DISCORD_GUILD_ID", "guild"},
		{"DISCORD_PUBLIC_KEY", "abcd"},
		{"NEWSALERT_GUILD_ADMINS_MANAGE_SOURCES", "2"},
		{"NEWSALERT_TRUSTED_GUILDS", "123,my-server"},
		{"NEWSALERT_DATA_DIR", " "},
		{"SLACK_BOT_TOKEN", "xoxp-123-user-token"},
		{"SLACK_APP_TOKEN", "xoxb-not-an-app-token"},
		{"SLACK_SIGNING_SECRET", "has spaces in it!"},
		{"SLACK_API_URL", "https://slack.com/"},
		{"NEWSALERT_SLACK_CHANNEL_MANAGERS", "everyone"},
		{"NEWSALERT_SLACK_ADMINS_MANAGE_SOURCES", "sure"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.env] = true
		t.Run(tt.env, func(t *testing.T) {
			_, err := Load(nil, envOf(map[string]string{tt.env: tt.value}), io.Discard)
			if err == nil {
				t.Fatalf("%s=%q accepted", tt.env, tt.value)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.env+":") {
				t.Errorf("error does not start with the variable name: %q", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
		})
	}
	for _, o := range Options() {
		if !seen[o.Env] {
			t.Errorf("no bad-value case for %s", o.Env)
		}
	}
}

func TestSecretsFromFilesAndNeverInErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.WriteFile(path, []byte(tgToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(nil, envOf(map[string]string{"TELEGRAM_BOT_TOKEN_FILE": path}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.TelegramToken.Reveal() != tgToken {
		t.Errorf("token from file = %q", c.TelegramToken.Reveal())
	}
	_, err = Load(nil, envOf(map[string]string{"TELEGRAM_BOT_TOKEN_FILE": filepath.Join(dir, "missing")}), io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "TELEGRAM_BOT_TOKEN_FILE:") {
		t.Errorf("missing file error = %v", err)
	}
	bad := tgToken + " x"
	_, err = Load(nil, envOf(map[string]string{"TELEGRAM_BOT_TOKEN": "\"" + bad + "\""}), io.Discard)
	if err == nil || strings.Contains(err.Error(), "AAHdq") {
		t.Errorf("bad token error leaks or is missing: %v", err)
	}
	_, err = Load(nil, envOf(map[string]string{"NEWSALERT_REDIS_URL": "http://user:hunter22@host"}), io.Discard)
	if err == nil || strings.Contains(err.Error(), "hunter22") {
		t.Errorf("bad redis url error leaks or is missing: %v", err)
	}
}

func TestCrossChecks(t *testing.T) {
	_, err := Load(nil, envOf(map[string]string{"NEWSALERT_POLL_INTERVAL": "30s"}), io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "NEWSALERT_POLL_INTERVAL:") {
		t.Errorf("interval below minimum: %v", err)
	}
	_, err = Load(nil, envOf(map[string]string{"TELEGRAM_BOT_TOKEN": tgToken, "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg"}), io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "TELEGRAM_WEBHOOK_SECRET:") {
		t.Errorf("webhook without secret: %v", err)
	}
	if _, err := Load([]string{"--help"}, envOf(nil), io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("--help: %v", err)
	}
	if _, err := Load([]string{"extra"}, envOf(nil), io.Discard); err == nil {
		t.Error("stray argument accepted")
	}
}

// TestREADMEListsEveryOption keeps the configuration table true.
func TestREADMEListsEveryOption(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, o := range Options() {
		if !strings.Contains(readme, "| `"+o.Env+"`") {
			t.Errorf("README's configuration table has no row for %s", o.Env)
		}
	}
}

func TestSlackSettings(t *testing.T) {
	const bot, app, signing = "xoxb-1111-2222-abcdefABCDEF", "xapp-1-A111-2222-abcdef0123", "8f742231b10e8888abcd99yyyzzz85a5"
	dir := t.TempDir()
	files := map[string]string{}
	for name, v := range map[string]string{"bot": bot, "app": app, "signing": signing} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(v+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		files[name] = p
	}
	c, err := Load(nil, envOf(map[string]string{"SLACK_BOT_TOKEN_FILE": files["bot"], "SLACK_APP_TOKEN_FILE": files["app"],
		"SLACK_SIGNING_SECRET_FILE": files["signing"], "SLACK_API_URL": "http://127.0.0.1:9/api"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.SlackBotToken.Reveal() != bot || c.SlackAppToken.Reveal() != app || c.SlackSigningSecret.Reveal() != signing {
		t.Errorf("slack secrets from files = %v %v %v", c.SlackBotToken, c.SlackAppToken, c.SlackSigningSecret)
	}
	if c.SlackAPIURL != "http://127.0.0.1:9/api/" || c.SlackChannelManagers != "members" || c.SlackAdminsManageSources {
		t.Errorf("slack defaults = %q %q %v", c.SlackAPIURL, c.SlackChannelManagers, c.SlackAdminsManageSources)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		for _, v := range []string{bot, app, signing} {
			if strings.Contains(s, v) {
				t.Fatalf("a Slack secret is printed: %s", s)
			}
		}
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SLACK_BOT_TOKEN": bot}, "SLACK_BOT_TOKEN:"},
		{map[string]string{"SLACK_APP_TOKEN": app}, "SLACK_BOT_TOKEN:"},
		{map[string]string{"SLACK_BOT_TOKEN": bot, "SLACK_SIGNING_SECRET": signing, "NEWSALERT_HTTP_ADDR": "off"}, "NEWSALERT_HTTP_ADDR:"},
		{map[string]string{"SLACK_BOT_TOKEN": bot + " x"}, "SLACK_BOT_TOKEN:"},
	} {
		_, err := Load(nil, envOf(tc.env), io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want prefix %s", tc.env, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "abcdef") || strings.Contains(err.Error(), "99yyy")) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
	if _, err := Load(nil, envOf(map[string]string{"NEWSALERT_ADMINS": "slack:U0123ABCD"}), io.Discard); err != nil {
		t.Errorf("slack admin refused: %v", err)
	}
}

// TestSecretFlagsStopTheStart: a secret on the command line is readable by
// every local user, so it is refused with the reason and what to use.
func TestSecretFlagsStopTheStart(t *testing.T) {
	for _, o := range Options() {
		if !o.Secret {
			continue
		}
		t.Run(o.Flag, func(t *testing.T) {
			_, err := Load([]string{"--" + o.Flag + "=" + tgToken}, envOf(nil), io.Discard)
			if err == nil {
				t.Fatalf("--%s accepted", o.Flag)
			}
			msg := err.Error()
			for _, want := range []string{"--" + o.Flag, "not accepted as flags", o.Env, o.Env + "_FILE"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not say %q", msg, want)
				}
			}
			if strings.Contains(msg, "AAHdq") || strings.Contains(msg, tgToken) {
				t.Errorf("error repeats the secret: %q", msg)
			}
		})
	}
	// The environment and _FILE still work, and other flags too.
	if c, err := Load([]string{"--log-level", "debug"}, envOf(map[string]string{"TELEGRAM_BOT_TOKEN": tgToken}), io.Discard); err != nil || c.TelegramToken.Reveal() != tgToken {
		t.Errorf("token from the environment: %v", err)
	}
}
