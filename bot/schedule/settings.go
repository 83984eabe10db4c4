package schedule

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Quiet is a chat's quiet hours: while On, alerts that become ready from
// Start (inclusive) to End (exclusive), wall-clock time in the chat's zone,
// are held and delivered together when the quiet period ends. End before
// Start means the period spans midnight ("22:00-07:00"). The zero Quiet is
// "off".
//
// A Quiet with On set and Start equal to End (after reducing both modulo
// MinutesPerDay) holds nothing; ParseQuiet never returns one.
type Quiet struct {
	Start, End Clock
	On         bool
}

// holds reports whether q can hold anything back.
func (q Quiet) holds() bool { return q.On && q.Start.norm() != q.End.norm() }

// String formats q as ParseQuiet reads it: "off", or "22:00-07:00".
// ParseQuiet(q.String()) returns q for every Quiet ParseQuiet returned.
func (q Quiet) String() string {
	if !q.On {
		return "off"
	}
	return q.Start.String() + "-" + q.End.String()
}

// quietHint is the advice ParseQuiet errors end with.
const quietHint = "type a range like 22:00-07:00, or off"

// ParseQuiet parses what a chat user types after /quiet: "off" (any case),
// or a range of 24-hour times "22:00-07:00", whole hours allowed ("22-7"),
// spaces around the dash allowed, and an en or em dash taken as the dash
// (phones often turn "-" into one). Start equal to End is refused. Every
// error is one line telling a chat user what to type instead.
func ParseQuiet(s string) (Quiet, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Quiet{}, errors.New("quiet hours are missing: " + quietHint)
	}
	if strings.EqualFold(s, "off") {
		return Quiet{}, nil
	}
	i := strings.IndexAny(s, "-\u2013\u2014")
	if i < 0 {
		return Quiet{}, fmt.Errorf("%s is not a range of quiet hours: %s", quoteInput(s), quietHint)
	}
	_, dash := utf8.DecodeRuneInString(s[i:])
	from, to := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+dash:])
	start, ok := parseClock(from)
	if !ok {
		return Quiet{}, badQuietTime(from, s)
	}
	end, ok := parseClock(to)
	if !ok {
		return Quiet{}, badQuietTime(to, s)
	}
	if start == end {
		return Quiet{}, fmt.Errorf("quiet hours %s start and end at the same time: %s", quoteInput(s), quietHint)
	}
	return Quiet{Start: start, End: end, On: true}, nil
}

// badQuietTime words the error for one side of a quiet range.
func badQuietTime(part, whole string) error {
	if part == "" {
		return fmt.Errorf("quiet hours %s need a start and an end: %s", quoteInput(whole), quietHint)
	}
	return fmt.Errorf("%s in %s is not a time of day: type quiet hours as HH:MM-HH:MM in 24-hour time, like 22:00-07:00, or off",
		quoteInput(part), quoteInput(whole))
}

// Mode is how a subscription's alerts are bundled.
type Mode uint8

// The digest modes. The zero Mode is Off.
const (
	// Off delivers each alert as soon as it is ready (quiet hours allowing).
	Off Mode = iota
	// Hourly bundles alerts into one message at the top of each hour.
	Hourly
	// Daily bundles alerts into one message a day at Digest.At.
	Daily
)

// String returns "off", "hourly" or "daily", or "Mode(n)" for an unknown
// value.
func (m Mode) String() string {
	switch m {
	case Off:
		return "off"
	case Hourly:
		return "hourly"
	case Daily:
		return "daily"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// Digest is a subscription's digest setting. At, wall-clock time in the
// chat's zone, matters only for Daily. The zero Digest is "off"; a Mode
// other than Off, Hourly and Daily is treated as Off.
type Digest struct {
	Mode Mode
	At   Clock
}

// holds reports whether d bundles alerts at all.
func (d Digest) holds() bool { return d.Mode == Hourly || d.Mode == Daily }

// String formats d as ParseDigest reads it: "off", "hourly" or
// "daily 08:00". ParseDigest(d.String()) returns d for every Digest
// ParseDigest returned.
func (d Digest) String() string {
	switch d.Mode {
	case Hourly:
		return "hourly"
	case Daily:
		return "daily " + d.At.String()
	}
	return "off"
}

// digestHint is the advice ParseDigest errors end with.
const digestHint = "type off, hourly, or daily HH:MM (like daily 08:00)"

// ParseDigest parses what a chat user types after /digest, in any case:
// "off", "hourly", or "daily" and a 24-hour time, "daily 08:00",
// "daily 8", "daily at 8:30". Every error is one line telling a chat user
// what to type instead.
func ParseDigest(s string) (Digest, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return Digest{}, errors.New("digest setting is missing: " + digestHint)
	}
	switch mode := strings.ToLower(f[0]); {
	case mode == "off" && len(f) == 1:
		return Digest{}, nil
	case mode == "hourly" && len(f) == 1:
		return Digest{Mode: Hourly}, nil
	case mode == "daily":
		args := f[1:]
		if len(args) == 2 && strings.EqualFold(args[0], "at") {
			args = args[1:]
		}
		if len(args) == 0 {
			return Digest{}, errors.New("daily digest needs a time: type daily HH:MM in 24-hour time, like daily 08:00")
		}
		at, ok := parseClock(args[0])
		if len(args) > 1 || !ok {
			return Digest{}, fmt.Errorf("%s is not a time of day: type daily HH:MM in 24-hour time, like daily 08:00",
				quoteInput(strings.Join(args, " ")))
		}
		return Digest{Mode: Daily, At: at}, nil
	}
	return Digest{}, fmt.Errorf("%s is not a digest setting: %s", quoteInput(strings.TrimSpace(s)), digestHint)
}
