package webhookurl

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		raw       string
		id, token string
		err       error
	}{
		{"https://discord.com/api/webhooks/123456789/s3cr3t-t0ken", "123456789", "s3cr3t-t0ken", nil},
		{"https://discord.com/api/v10/webhooks/1/tok_en.x", "1", "tok_en.x", nil},
		{" https://canary.discord.com/api/webhooks/1/tok/ ", "1", "tok", nil},
		{"https://discord.com/api/webhooks/123/tok/extra", "", "", ErrExtraSegment},
		{"https://discord.com/api/webhooks/123/tok/messages/1", "", "", ErrExtraSegment},
		{"https://discord.com/api/webhooks/123", "", "", ErrNoToken},
		{"https://discord.com/api/webhooks/abc/tok", "", "", ErrID},
		{"https://discord.com/api/channels/1/tok", "", "", ErrPath},
		{"https://discord.com/api/webhooks/1/to%20ken", "", "", ErrToken},
		{"https://discord.com/api/webhooks/1/tok?wait=true", "", "", ErrQuery},
		{"http://discord.com/api/webhooks/1/tok", "", "", ErrNotHTTPS},
		{"https://example.com/api/webhooks/1/tok", "", "", ErrHost},
		{"https://discord.com:8443/api/webhooks/1/tok", "", "", ErrHost},
		{"https://discord.com/api/webhooks/1/../../users/@me", "", "", ErrExtraSegment},
		{"::", "", "", ErrNotURL},
	}
	for _, tt := range tests {
		id, tok, err := Parse(tt.raw)
		if id != tt.id || tok != tt.token || !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q, %v", tt.raw, id, tok, err, tt.id, tt.token, tt.err)
		}
		if err != nil && (strings.Contains(err.Error(), "tok/") || strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), "123")) {
			t.Errorf("Parse(%q): the error repeats the URL: %v", tt.raw, err)
		}
	}
}
