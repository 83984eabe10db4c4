package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBoolFlagsWorkBare(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"--allow-private-networks"}, true},
		{[]string{"-allow-private-networks"}, true},
		{[]string{"--allow-private-networks=true"}, true},
		{[]string{"--allow-private-networks=false"}, false},
		{nil, false},
	} {
		c, err := Load(tt.args, envOf(nil), io.Discard)
		if err != nil {
			t.Errorf("Load(%q): %v", tt.args, err)
			continue
		}
		if c.AllowPrivateNetworks != tt.want {
			t.Errorf("Load(%q).AllowPrivateNetworks = %v", tt.args, c.AllowPrivateNetworks)
		}
	}
	c, err := Load([]string{"--fetch-articles=false", "--poll-interval", "2m"}, envOf(nil), io.Discard)
	if err != nil || c.FetchArticles || c.PollInterval != 2*time.Minute {
		t.Errorf("--fetch-articles=false then another flag: %+v, %v", c.FetchArticles, err)
	}
}

func TestHelpShowsTypesAndDefaults(t *testing.T) {
	var out strings.Builder
	Load([]string{"--help"}, envOf(nil), &out)
	help := out.String()
	for _, want := range []string{
		"Usage: newsalert run [flags]",
		"  --allow-private-networks\n",
		"NEWSALERT_ALLOW_PRIVATE_NETWORKS; default false",
		"  --poll-interval duration\n",
		"NEWSALERT_POLL_INTERVAL; default 5m",
		"  --max-items int\n",
		// Secrets are refused as flags (ps shows them): only their variables.
		"NEWSALERT_REDIS_URL (or NEWSALERT_REDIS_URL_FILE, a file holding the value; not accepted as a flag)",
		"TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_TOKEN_FILE, a file holding the value; not accepted as a flag)",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("run --help lacks %q", want)
		}
	}
	for _, unwanted := range []string{"--redis-url", "--telegram-token"} {
		if strings.Contains(help, unwanted) {
			t.Errorf("run --help offers the secret flag %s", unwanted)
		}
	}
	if strings.Contains(help, " string\n") && strings.Count(help, " string\n") > 6 {
		t.Errorf("run --help shows most flags as string:\n%s", help)
	}
}

func TestErrorsNameWhatWasUsed(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		prefix  string // the error starts with it
		contain string
	}{
		{"bad flag", []string{"--poll-interval", "soon"}, nil, "--poll-interval: ", `"soon" is not a duration`},
		{"bad variable", nil, map[string]string{"NEWSALERT_POLL_INTERVAL": "soon"}, "NEWSALERT_POLL_INTERVAL: ", "not a duration"},
		{"flag below minimum", []string{"--poll-interval", "30s"}, nil, "--poll-interval: ", "30s is below NEWSALERT_MIN_POLL_INTERVAL (1m)"},
		{"both flags", []string{"--poll-interval", "2m", "--min-poll-interval", "10m"}, nil, "--poll-interval: ", "2m is below --min-poll-interval (10m)"},
		{"duration minimum", []string{"--max-item-age", "30s"}, nil, "--max-item-age: ", "30s is below the minimum of 1m"},
		{"empty secret file", nil, map[string]string{"NEWSALERT_REDIS_URL_FILE": empty}, "NEWSALERT_REDIS_URL_FILE: ", "is empty"},
		{"http webhook", nil, map[string]string{"TELEGRAM_BOT_TOKEN": tgToken, "TELEGRAM_WEBHOOK_URL": "http://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "s"},
			"TELEGRAM_WEBHOOK_URL: ", "not an https:// URL"},
		{"http webhook flag", []string{"--telegram-webhook-url", "http://bot.example.com/tg"}, map[string]string{"TELEGRAM_BOT_TOKEN": tgToken},
			"--telegram-webhook-url: ", "not an https:// URL"},
		{"webhook without token", nil, map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example.com/tg", "TELEGRAM_WEBHOOK_SECRET": "s"},
			"TELEGRAM_BOT_TOKEN: ", "required with TELEGRAM_WEBHOOK_URL"},
		{"telegram api without token", []string{"--telegram-api-url", "http://127.0.0.1:9"}, nil, "TELEGRAM_BOT_TOKEN: ", "required with --telegram-api-url"},
		{"discord key without token", nil, map[string]string{"DISCORD_PUBLIC_KEY": strings.Repeat("ab", 32)}, "DISCORD_BOT_TOKEN: ", "required with DISCORD_PUBLIC_KEY"},
		{"discord guild without token", nil, map[string]string{"DISCORD_GUILD_ID": "123"}, "DISCORD_BOT_TOKEN: ", "required with DISCORD_GUILD_ID"},
		{"guild admins without token", []string{"--guild-admins-manage-sources"}, nil, "DISCORD_BOT_TOKEN: ", "required with --guild-admins-manage-sources"},
		{"data dir flag", []string{"--data-dir", ""}, nil, "--data-dir: ", "must not be empty"},
		{"unknown flag", []string{"--bogus"}, nil, "--bogus: ", "no such flag"},
		{"flag without its value", []string{"--poll-interval"}, nil, "--poll-interval: ", "needs a value"},
		{"bool flag with a bad value", []string{"--allow-private-networks=maybe"}, nil, "--allow-private-networks: ", `"maybe" is not true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.args, envOf(tt.env), io.Discard)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.HasPrefix(err.Error(), tt.prefix) || !strings.Contains(err.Error(), tt.contain) {
				t.Errorf("error = %q, want it to start with %q and contain %q", err, tt.prefix, tt.contain)
			}
		})
	}
}
