// Package secret keeps credentials (bot tokens, webhook URLs, Redis
// passwords) in a type that never prints them, and redacts them from text
// that may reach a log line, an error or a chat reply.
package secret

import (
	"log/slog"
	"net/url"
	"strings"
)

// Redacted is what a secret prints as.
const Redacted = "[REDACTED]"

// String holds a secret value. Its zero value is the empty secret. Printing
// it with fmt, slog or encoding/json shows Redacted, never the value; use
// Reveal only where the value is put on the wire.
type String struct{ v string }

// New wraps value.
func New(value string) String { return String{v: value} }

// Reveal returns the secret value. Call it only to use the secret, never to
// build a message.
func (s String) Reveal() string { return s.v }

// IsZero reports whether the secret is empty.
func (s String) IsZero() bool { return s.v == "" }

// String implements fmt.Stringer with Redacted.
func (s String) String() string {
	if s.v == "" {
		return ""
	}
	return Redacted
}

// GoString keeps %#v from printing the value.
func (s String) GoString() string { return "secret.String(" + s.String() + ")" }

// LogValue implements slog.LogValuer with Redacted.
func (s String) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements encoding.TextMarshaler with Redacted, so the secret
// never leaks through JSON or text encodings.
func (s String) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Redact replaces every occurrence of s's value in text, including its
// URL-escaped forms, with Redacted. Empty and very short secrets (under 4
// bytes) are not searched for, since they would mangle ordinary text.
func (s String) Redact(text string) string {
	if len(s.v) < 4 {
		return text
	}
	text = strings.ReplaceAll(text, s.v, Redacted)
	if esc := url.QueryEscape(s.v); esc != s.v {
		text = strings.ReplaceAll(text, esc, Redacted)
	}
	if esc := url.PathEscape(s.v); esc != s.v {
		text = strings.ReplaceAll(text, esc, Redacted)
	}
	return text
}

// Error wraps err so that its text has s redacted, while errors.Is and
// errors.As still see the original chain.
func (s String) Error(err error) error {
	if err == nil {
		return nil
	}
	return &redactedError{err: err, text: s.Redact(err.Error())}
}

type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }
