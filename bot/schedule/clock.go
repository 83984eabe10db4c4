package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// MinutesPerDay is the number of distinct Clock values: a valid Clock is in
// [0, MinutesPerDay).
const MinutesPerDay = 24 * 60

// Clock is a wall-clock time of day in minutes since midnight, 0 (00:00)
// to 1439 (23:59).
type Clock int

// NewClock returns the Clock for hour:minute. It does not validate; see
// Clock.Valid.
func NewClock(hour, minute int) Clock { return Clock(hour*60 + minute) }

// Valid reports whether c is in [0, MinutesPerDay).
func (c Clock) Valid() bool { return c >= 0 && c < MinutesPerDay }

// Hour returns the hour of c, 0-23 for a valid Clock.
func (c Clock) Hour() int { return int(c.norm()) / 60 }

// Minute returns the minute of c, 0-59 for a valid Clock.
func (c Clock) Minute() int { return int(c.norm()) % 60 }

// String formats c as "HH:MM" in 24-hour time, for example "07:30". An
// invalid Clock is first reduced modulo MinutesPerDay, so String never fails
// and always yields text ParseClock accepts.
func (c Clock) String() string {
	return fmt.Sprintf("%02d:%02d", c.Hour(), c.Minute())
}

// norm reduces c modulo MinutesPerDay into [0, MinutesPerDay); every
// decision function treats an out-of-range Clock this way.
func (c Clock) norm() Clock {
	m := c % MinutesPerDay
	if m < 0 {
		m += MinutesPerDay
	}
	return m
}

// ParseClock parses a time of day in 24-hour time: "HH:MM" or "H:MM" ("07:30",
// "7:30"), or a whole hour "H" or "HH" ("7", "07", "22"). Hours run 0-23 and
// minutes 00-59; "24:00" is refused. The error is one line telling a chat
// user what to type instead.
func ParseClock(s string) (Clock, error) {
	c, ok := parseClock(s)
	if !ok {
		return 0, fmt.Errorf("%s is not a time of day: type it as HH:MM in 24-hour time, like 07:30", quoteInput(s))
	}
	return c, nil
}

// parseClock is ParseClock without the error text, for callers that word
// their own.
func parseClock(s string) (Clock, bool) {
	hours, minutes, hasColon := s, "", false
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			hours, minutes, hasColon = s[:i], s[i+1:], true
			break
		}
	}
	h, ok := smallNumber(hours, 1, 2)
	if !ok || h > 23 {
		return 0, false
	}
	m := 0
	if hasColon {
		m, ok = smallNumber(minutes, 2, 2)
		if !ok || m > 59 {
			return 0, false
		}
	}
	return NewClock(h, m), true
}

// smallNumber parses s as an unsigned decimal of minDigits to maxDigits
// ASCII digits.
func smallNumber(s string, minDigits, maxDigits int) (int, bool) {
	if len(s) < minDigits || len(s) > maxDigits {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		d := s[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int(d-'0')
	}
	return n, true
}

// maxQuoted is how many bytes of quoted user input an error message repeats.
const maxQuoted = 48

// quoteInput quotes user input for an error message: Go-quoted, so control
// characters and newlines cannot break the message onto several lines, and
// cut to about maxQuoted bytes (marked with "…") so a huge input does not
// make a huge reply. Invalid UTF-8 shows as U+FFFD.
func quoteInput(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if q := strconv.Quote(s); len(q) <= maxQuoted+2 {
		return q
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		piece := strconv.Quote(string(r))
		piece = piece[1 : len(piece)-1]
		if b.Len()-1+len(piece) > maxQuoted {
			break
		}
		b.WriteString(piece)
	}
	b.WriteString("…\"")
	return b.String()
}
