package telegram

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newsalert/newsalert/internal/secret"
)

func TestNewValidatesOptions(t *testing.T) {
	rdb := nilRedis()
	defer rdb.Close()
	ok := Options{Token: secret.New("123456:ABC-def"), Redis: rdb}
	tests := []struct {
		name string
		edit func(*Options)
		err  string // "" when New must succeed
	}{
		{"defaults", func(*Options) {}, ""},
		{"empty token", func(o *Options) { o.Token = secret.String{} }, "token must look like"},
		{"token without id", func(o *Options) { o.Token = secret.New("abc:def") }, "token must look like"},
		{"token without secret", func(o *Options) { o.Token = secret.New("123:") }, "token must look like"},
		{"no redis", func(o *Options) { o.Redis = nil }, "Redis client is required"},
		{"bad API URL", func(o *Options) { o.APIURL = "ftp://x" }, "must be an http(s) URL"},
		{"webhook without secret", func(o *Options) { o.WebhookURL = "https://bot.example.com/tg" }, "needs a webhook secret"},
		{"webhook secret with spaces", func(o *Options) {
			o.WebhookURL, o.WebhookSecret = "https://bot.example.com/tg", secret.New("not allowed")
		}, "needs a webhook secret"},
		{"webhook URL not http", func(o *Options) {
			o.WebhookURL, o.WebhookSecret = "bot.example.com/tg", secret.New("ok_secret")
		}, "must be an https URL"},
		{"webhook", func(o *Options) {
			o.WebhookURL, o.WebhookSecret = "https://bot.example.com/tg", secret.New("ok_secret")
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := ok
			tt.edit(&o)
			a, err := New(o)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("New error = %v, want %q", err, tt.err)
			case err != nil && strings.Contains(err.Error(), "ABC-def"):
				t.Errorf("error shows the token: %v", err)
			}
			if err == nil && (a.Platform() != "telegram" || a.Limits().MaxBatch != 5 || a.keys.poller != "na:{tg:123456}:poller") {
				t.Errorf("adapter = platform %q, limits %+v, lease key %q", a.Platform(), a.Limits(), a.keys.poller)
			}
		})
	}
	o := ok
	o.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	a, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if a.pollTO+pollMargin > 20*time.Second {
		t.Errorf("poll timeout %v does not fit a client timeout of 20s", a.pollTO)
	}
}
