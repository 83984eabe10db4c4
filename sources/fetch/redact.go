package fetch

import (
	"net/url"
	"strings"
)

// redacted replaces secrets in URLs shown in errors and logs.
const redacted = "REDACTED"

// maxLoggedURL bounds the length of a URL in an error or log line.
const maxLoggedURL = 512

// RedactURL returns raw in a form safe for logs and error messages: userinfo
// (user name and password) is replaced, as are the values of query and
// fragment parameters whose names suggest a secret (token, key, secret,
// password, auth, signature, session, sig, ...). Input that does not parse is
// redacted by the same rules on a best-effort basis. The result is at most
// 512 bytes long.
func RedactURL(raw string) string {
	var out string
	if u, err := url.Parse(raw); err == nil {
		out = redactParsed(u)
	} else {
		out = redactUnparsed(raw)
	}
	return truncate(out, maxLoggedURL)
}

func redactParsed(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(redacted)
	}
	if c.Opaque != "" {
		c.Opaque = redactUnparsed(c.Opaque)
	}
	c.RawQuery = redactParams(c.RawQuery)
	frag := c.EscapedFragment()
	c.Fragment, c.RawFragment = "", ""
	out := c.String()
	if frag != "" {
		out += "#" + redactParams(frag)
	}
	return out
}

// redactUnparsed handles strings url.Parse rejects: it removes anything that
// looks like userinfo and redacts secret-looking parameters.
func redactUnparsed(s string) string {
	rest := s
	prefix := ""
	if i := strings.Index(rest, "//"); i >= 0 {
		prefix, rest = rest[:i+2], rest[i+2:]
	}
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	if at := strings.LastIndex(rest[:authEnd], "@"); at >= 0 {
		rest = redacted + rest[at:]
	} else if prefix == "" {
		// Without "//" the userinfo boundary is unknown: hide any "x@".
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = redacted + rest[at:]
		}
	}
	q := strings.IndexAny(rest, "?#")
	if q < 0 {
		return prefix + rest
	}
	head, tail := rest[:q+1], rest[q+1:]
	var b strings.Builder
	b.WriteString(prefix)
	b.WriteString(head)
	for {
		i := strings.IndexAny(tail, "?#")
		if i < 0 {
			b.WriteString(redactParams(tail))
			break
		}
		b.WriteString(redactParams(tail[:i]))
		b.WriteByte(tail[i])
		tail = tail[i+1:]
	}
	return b.String()
}

// redactParams rewrites "a=1&token=x" to "a=1&token=REDACTED", keeping the
// order and spelling of everything that is not a secret.
func redactParams(raw string) string {
	if raw == "" || !strings.Contains(raw, "=") {
		return raw
	}
	parts := strings.Split(raw, "&")
	changed := false
	for i, p := range parts {
		subs := strings.Split(p, ";")
		for j, sub := range subs {
			name, _, hasValue := strings.Cut(sub, "=")
			if hasValue && isSecretParam(name) {
				subs[j] = name + "=" + redacted
				changed = true
			}
		}
		parts[i] = strings.Join(subs, ";")
	}
	if !changed {
		return raw
	}
	return strings.Join(parts, "&")
}

func isSecretParam(name string) bool {
	if n, err := url.QueryUnescape(name); err == nil {
		name = n
	}
	name = strings.ToLower(name)
	if name == "sig" || name == "pw" {
		return true
	}
	for _, w := range [...]string{"token", "key", "secret", "passw", "pwd", "auth", "signature", "credential", "session"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("...")
	for cut > 0 && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + "..."
}
