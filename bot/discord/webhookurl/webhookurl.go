// Package webhookurl reads Discord incoming-webhook URLs. The /webhook
// command and delivery both use Parse, so a URL the command accepts is one
// delivery can use, and a refusal says why.
package webhookurl

import (
	"errors"
	"net/url"
	"strings"
)

// Reasons a URL is refused. They never repeat the URL (it holds a token).
var (
	ErrNotURL       = errors.New("it is not a valid URL")
	ErrNotHTTPS     = errors.New("it must start with https://")
	ErrHost         = errors.New("its host must be discord.com")
	ErrPath         = errors.New("its path must be /api/webhooks/ID/TOKEN")
	ErrID           = errors.New("the webhook id must be digits")
	ErrNoToken      = errors.New("it has no token after the webhook id")
	ErrToken        = errors.New("the token has characters a webhook token never has")
	ErrExtraSegment = errors.New("it has extra path segments after the token")
	ErrQuery        = errors.New("it has a query or fragment after the token")
)

// Parse reads https://discord.com/api[/vN]/webhooks/ID/TOKEN (also on
// discordapp.com, ptb. and canary.) and returns the id and the token, or
// one of the errors above.
func Parse(raw string) (id, token string, err error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", "", ErrNotURL // url.Parse's error would quote parts of it
	}
	if u.Scheme != "https" {
		return "", "", ErrNotHTTPS
	}
	if !IsDiscordHost(u.Hostname()) || u.Port() != "" || u.User != nil {
		return "", "", ErrHost
	}
	if u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") {
		return "", "", ErrQuery
	}
	parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(u.Path, "/"), "/"), "/")
	if len(parts) >= 1 && parts[0] == "api" {
		parts = parts[1:]
	}
	if len(parts) >= 1 && len(parts[0]) > 1 && parts[0][0] == 'v' && isSnowflake(parts[0][1:]) {
		parts = parts[1:]
	}
	switch {
	case len(parts) < 2 || parts[0] != "webhooks":
		return "", "", ErrPath
	case !isSnowflake(parts[1]):
		return "", "", ErrID
	case len(parts) < 3 || parts[2] == "":
		return "", "", ErrNoToken
	case !validToken(parts[2]):
		return "", "", ErrToken
	case len(parts) > 3:
		return "", "", ErrExtraSegment
	}
	return parts[1], parts[2], nil
}

// IsDiscordHost reports whether h is one of Discord's API hosts.
func IsDiscordHost(h string) bool {
	switch strings.ToLower(h) {
	case "discord.com", "discordapp.com", "ptb.discord.com", "canary.discord.com":
		return true
	}
	return false
}

func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func validToken(t string) bool {
	if len(t) > 200 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
