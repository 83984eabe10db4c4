package schedule

import (
	"strings"
	"testing"
	"time"
)

// The zones the table and property tests run in: whole-hour DST (Berlin,
// New York), a half-hour offset without DST (Kolkata), a 30-minute DST
// (Lord Howe), a 45-minute offset with DST (Chatham), and zones with odd
// history: DST changes at midnight (Sao Paulo until 2019, Havana), a
// skipped calendar day (Apia, 2011-12-30), a two-hour DST (Troll), a DST
// suspended for Ramadan (Casablanca), and -03:30 (St Johns).
var testZones = []string{
	"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
	"Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo",
	"America/Havana", "Pacific/Apia", "Antarctica/Troll",
	"Africa/Casablanca", "America/St_Johns",
}

// mustLoad loads a zone through ParseTimezone or fails the test.
func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := ParseTimezone(name)
	if err != nil {
		tb.Fatalf("ParseTimezone(%q): %v", name, err)
	}
	return loc
}

// ts parses "2026-03-29 01:10 +0100" or "2026-03-29 01:10:05.5 +0100": a
// local reading with its offset, so every test instant is unambiguous.
func ts(tb testing.TB, s string) time.Time {
	tb.Helper()
	for _, layout := range []string{"2006-01-02 15:04:05 -0700", "2006-01-02 15:04 -0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	tb.Fatalf("bad test instant %q", s)
	return time.Time{}
}

// mustQuiet parses quiet hours or fails the test.
func mustQuiet(tb testing.TB, s string) Quiet {
	tb.Helper()
	q, err := ParseQuiet(s)
	if err != nil {
		tb.Fatalf("ParseQuiet(%q): %v", s, err)
	}
	return q
}

// mustDigest parses a digest setting or fails the test.
func mustDigest(tb testing.TB, s string) Digest {
	tb.Helper()
	d, err := ParseDigest(s)
	if err != nil {
		tb.Fatalf("ParseDigest(%q): %v", s, err)
	}
	return d
}

// checkUserError checks the form every parse error must have: one line,
// starting lower case or with the quoted input, and saying what to type.
func checkUserError(tb testing.TB, err error) {
	tb.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		tb.Errorf("error %q is not one line", msg)
	}
	if c := msg[0]; c != '"' && (c < 'a' || c > 'z') {
		tb.Errorf("error %q does not start lower case", msg)
	}
	if !strings.Contains(msg, "type ") {
		tb.Errorf("error %q does not say what to type", msg)
	}
}

// local formats t in loc for failure messages.
func local(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04:05.999999999 -0700 MST")
}
