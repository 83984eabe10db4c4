package schedule

//go:generate go run gen_zones.go

import (
	"errors"
	"fmt"
	"strings"
	"time"

	// The zone database, embedded so a static binary in a distroless image
	// (no /usr/share/zoneinfo) can still load every zone. time.LoadLocation
	// prefers the system's copy when there is one.
	_ "time/tzdata"
)

// tzHint is the advice every ParseTimezone error ends with.
const tzHint = "type a name like Europe/Berlin or an offset like UTC+2"

// Offsets in use anywhere on Earth run from UTC-12 to UTC+14.
const (
	minOffsetMinutes = -12 * 60
	maxOffsetMinutes = 14 * 60
	maxSuggestions   = 3
)

// ParseTimezone parses what a chat user types after /timezone:
//
//   - an IANA zone name, matched case-insensitively, with spaces taken as
//     underscores: "Europe/Berlin", "europe/berlin", "America/New York",
//     "US/Eastern", "Etc/GMT-3" (IANA's Etc/GMT signs are inverted: Etc/GMT-3
//     is three hours ahead of UTC);
//   - "UTC" (or any spelling of it);
//   - a fixed offset from UTC, optionally after "UTC" or "GMT": "UTC+2",
//     "GMT-03:00", "+05:30", "+0545", "UTC−9:30" (U+2212 minus works too).
//     Offsets run from UTC-12 to UTC+14.
//
// Empty input and "Local" (the server's zone, meaningless to a user) are
// refused. The returned Location's String() is canonical and parses back
// to the same zone: the IANA spelling ("Europe/Berlin"), "UTC" for a zero
// offset, or "UTC+5:30" style for other fixed offsets.
//
// Every error is one line telling a chat user what to type instead; an
// unknown bare city name gets the zone names it might mean ("Berlin" gets
// "type Europe/Berlin").
func ParseTimezone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("time zone is missing: " + tzHint)
	}
	if strings.EqualFold(s, "local") {
		return nil, fmt.Errorf("%s is the server's time zone, not yours: %s", quoteInput(s), tzHint)
	}
	if loc, isOffset, err := parseOffset(s); isOffset {
		return loc, err
	}
	if strings.EqualFold(s, "utc") {
		return time.UTC, nil
	}
	key := strings.ReplaceAll(s, " ", "_")
	name, ok := canonicalZone(key)
	if !ok {
		if hits := zonesEndingIn(key); len(hits) > 0 {
			if len(hits) == 1 {
				return nil, fmt.Errorf("unknown time zone %s: type %s", quoteInput(s), hits[0])
			}
			return nil, fmt.Errorf("unknown time zone %s: type one of %s", quoteInput(s), strings.Join(hits, ", "))
		}
		return nil, fmt.Errorf("unknown time zone %s: %s", quoteInput(s), tzHint)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("load time zone %s: %w", name, err)
	}
	return loc, nil
}

// parseOffset parses a fixed UTC offset. isOffset is false when s does not
// look like an offset at all (no sign after an optional UTC/GMT prefix), so
// the caller should try it as a zone name.
func parseOffset(s string) (loc *time.Location, isOffset bool, err error) {
	rest := strings.ReplaceAll(s, " ", "")
	if len(rest) >= 3 && (strings.EqualFold(rest[:3], "utc") || strings.EqualFold(rest[:3], "gmt")) {
		rest = rest[3:]
	}
	sign := 0
	switch {
	case strings.HasPrefix(rest, "+"):
		sign, rest = 1, rest[1:]
	case strings.HasPrefix(rest, "-"):
		sign, rest = -1, rest[1:]
	case strings.HasPrefix(rest, "\u2212"):
		sign, rest = -1, rest[len("\u2212"):]
	default:
		return nil, false, nil
	}
	h, m, ok := offsetDigits(rest)
	if !ok {
		return nil, true, fmt.Errorf("offset %s is not valid: type an offset like UTC+2 or UTC+05:30", quoteInput(s))
	}
	total := sign * (h*60 + m)
	if total < minOffsetMinutes || total > maxOffsetMinutes {
		return nil, true, fmt.Errorf("offset %s is out of range: type an offset from UTC-12 to UTC+14, like UTC+2", quoteInput(s))
	}
	if total == 0 {
		return time.UTC, true, nil
	}
	return time.FixedZone(offsetName(total), total*60), true, nil
}

// offsetDigits splits "H", "HH", "H:MM", "HH:MM" or "HHMM" into hours and
// minutes, minutes 00-59.
func offsetDigits(s string) (h, m int, ok bool) {
	hours, minutes := s, ""
	if before, after, found := strings.Cut(s, ":"); found {
		hours, minutes = before, after
		if len(minutes) != 2 {
			return 0, 0, false
		}
	} else if len(s) == 4 {
		hours, minutes = s[:2], s[2:]
	}
	if h, ok = smallNumber(hours, 1, 2); !ok {
		return 0, 0, false
	}
	if minutes != "" {
		if m, ok = smallNumber(minutes, 2, 2); !ok || m > 59 {
			return 0, 0, false
		}
	}
	return h, m, true
}

// offsetName names a fixed zone of total minutes east of UTC the way
// ParseTimezone reads it back: "UTC+2", "UTC-9:30", "UTC+5:45".
func offsetName(total int) string {
	sign := '+'
	if total < 0 {
		sign, total = '-', -total
	}
	if total%60 == 0 {
		return fmt.Sprintf("UTC%c%d", sign, total/60)
	}
	return fmt.Sprintf("UTC%c%d:%02d", sign, total/60, total%60)
}

// canonicalZone finds s among the IANA zone names, ignoring case, and
// returns the canonical spelling.
func canonicalZone(s string) (string, bool) {
	for rest := zoneNames; rest != ""; {
		var name string
		name, rest, _ = strings.Cut(rest, " ")
		if strings.EqualFold(name, s) {
			return name, true
		}
	}
	return "", false
}

// zonesEndingIn returns up to maxSuggestions zone names whose last element
// is s, ignoring case ("berlin" gives Europe/Berlin), for a bare city name.
func zonesEndingIn(s string) []string {
	if s == "" || strings.Contains(s, "/") {
		return nil
	}
	var hits []string
	for rest := zoneNames; rest != "" && len(hits) < maxSuggestions; {
		var name string
		name, rest, _ = strings.Cut(rest, " ")
		if i := strings.LastIndexByte(name, '/'); i >= 0 && strings.EqualFold(name[i+1:], s) {
			hits = append(hits, name)
		}
	}
	return hits
}
