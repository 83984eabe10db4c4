package secret

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

const token = "123456:AAE-s3cr3t/token+value"

func TestStringNeverPrints(t *testing.T) {
	s := New(token)
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	log.Info("start", "token", s)
	j, err := json.Marshal(struct{ T String }{s})
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", s),
		"%s":   fmt.Sprintf("%s", s),
		"%+v":  fmt.Sprintf("%+v", struct{ T String }{s}),
		"%#v":  fmt.Sprintf("%#v", s),
		"json": string(j),
		"slog": logs.String(),
	}
	for name, out := range outputs {
		if strings.Contains(out, "s3cr3t") {
			t.Errorf("%s leaks the secret: %s", name, out)
		}
		if !strings.Contains(out, Redacted) {
			t.Errorf("%s does not say %s: %s", name, Redacted, out)
		}
	}
	if s.Reveal() != token {
		t.Errorf("Reveal() = %q", s.Reveal())
	}
}

func TestRedact(t *testing.T) {
	s := New(token)
	sentinel := errors.New("connection refused")
	tests := []struct {
		name string
		text string
	}{
		{"plain", "Post https://api.telegram.org/bot" + token + "/getMe: timeout"},
		{"query escaped", "GET /x?token=" + url.QueryEscape(token)},
		{"path escaped", "GET /bot" + url.PathEscape(token) + "/getMe"},
		{"twice", token + " and " + token},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Redact(tt.text)
			if strings.Contains(got, "s3cr3t") {
				t.Fatalf("Redact(%q) = %q still holds the secret", tt.text, got)
			}
			err := s.Error(fmt.Errorf("%s: %w", tt.text, sentinel))
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Fatalf("Error() = %q still holds the secret", err)
			}
			if !errors.Is(err, sentinel) {
				t.Fatal("wrapped error lost its chain")
			}
		})
	}
	if got := New("ab").Redact("ab cab"); got != "ab cab" {
		t.Errorf("short secret mangled text: %q", got)
	}
	if New("").String() != "" || !New("").IsZero() {
		t.Error("empty secret should print empty and be zero")
	}
	if s.Error(nil) != nil {
		t.Error("Error(nil) should be nil")
	}
}
