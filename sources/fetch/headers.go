package fetch

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseRetryAfter interprets a Retry-After header value (RFC 9110 10.2.3):
// either a number of seconds or an HTTP-date, relative to now. It returns 0
// for an absent, malformed or past value and caps the result at MaxHint.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if isDigits(v) {
		return secondsHint(v)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	if d <= 0 {
		return 0
	}
	if d >= MaxHint {
		return MaxHint // also keeps the rounding below from overflowing
	}
	// HTTP-dates have whole-second precision; round up so the caller never
	// comes back a fraction of a second early.
	if r := d % time.Second; r != 0 {
		d += time.Second - r
	}
	return min(d, MaxHint)
}

// parseMaxAge returns the max-age of a Cache-Control header value (RFC 9111
// 5.2.2.1), or 0 when it is absent, malformed, or the value also says
// no-cache or no-store. The result is capped at MaxHint. s-maxage is ignored:
// it addresses shared caches, and the fetcher is a private one.
func parseMaxAge(v string) time.Duration {
	var maxAge time.Duration
	found := false
	for len(v) > 0 {
		var directive string
		directive, v = nextDirective(v)
		name, value, _ := strings.Cut(directive, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		switch name {
		case "no-cache", "no-store":
			return 0
		case "max-age":
			if found {
				continue // RFC 9111 4.2.1: use the first occurrence
			}
			value = strings.TrimSpace(value)
			if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
				value = value[1 : len(value)-1]
			}
			if !isDigits(value) {
				continue
			}
			maxAge, found = secondsHint(value), true
		}
	}
	return maxAge
}

// nextDirective splits the first comma-separated directive off v, treating
// commas inside quoted strings as part of the directive.
func nextDirective(v string) (directive, rest string) {
	inQuote := false
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			if inQuote {
				i++
			}
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				return v[:i], v[i+1:]
			}
		}
	}
	return v, ""
}

// secondsHint converts a string of ASCII digits to a duration of that many
// seconds, saturating at MaxHint.
func secondsHint(digits string) time.Duration {
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil || n > uint64(MaxHint/time.Second) {
		return MaxHint // only overflow can fail: digits were checked
	}
	return time.Duration(n) * time.Second
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
