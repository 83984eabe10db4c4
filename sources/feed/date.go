package feed

import (
	"strings"
	"time"
)

// parseDate parses the date formats feeds use: RFC 822/1123 and their many
// sloppy variants (RSS pubDate), RFC 3339 and W3C-DTF partial dates (Atom,
// dc:date, JSON Feed), asctime and a few prose forms. Named zones are
// resolved with zoneOffset, so results do not depend on the host's time zone
// database. A date without a zone is taken as UTC; a date with a zone name
// zoneOffset does not know is not a date (ok is false), because its offset
// is unknown. The result is in UTC; ok is false when nothing matched.
func parseDate(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	// Fast paths: the two forms almost every feed uses.
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.RFC1123, s); err == nil {
		// time.Parse gives unknown zone abbreviations a zero offset and
		// resolves known ones from the host's zone database; use our table.
		// An unknown abbreviation leaves the date without a zone: it is not
		// UTC, so the date is not believed (see extractZone).
		name, off := t.Zone()
		if want, ok := zoneOffset(name); ok {
			if want != off {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(),
					t.Nanosecond(), time.FixedZone(name, want))
			}
			return t.UTC(), true
		}
	}
	return parseDateSlow(s)
}

// numericLayouts returns the layouts tried after the weekday is removed and
// any named zone has been turned into a numeric offset or removed (and
// remembered). It is a function rather than a variable so the package holds
// no mutable state.
func numericLayouts() []string {
	return []string{
		"2 Jan 2006 15:04:05 -0700",
		"2 Jan 2006 15:04:05 -07:00",
		"2 Jan 2006 15:04 -0700",
		"2 Jan 06 15:04:05 -0700",
		"2 Jan 06 15:04 -0700",
		"2 January 2006 15:04:05 -0700",
		"2 January 2006 15:04 -0700",
		"2 Jan 2006 15:04:05",
		"2 Jan 2006 15:04",
		"2 Jan 06 15:04:05",
		"2 January 2006 15:04:05",
		"2 January 2006 15:04",
		"2 Jan 2006",
		"2 January 2006",
		"Jan 2 2006 15:04:05 -0700",
		"Jan 2 2006 15:04:05",
		"Jan 2 2006 3:04:05 PM",
		"Jan 2 2006 3:04 PM",
		"Jan 2 2006",
		"January 2 2006 15:04:05 -0700",
		"January 2 2006 15:04:05",
		"January 2 2006 3:04 PM",
		"January 2 2006",
		"Jan 2 15:04:05 2006",        // asctime without weekday
		"Jan 2 15:04:05 -0700 2006",  // Unix date without weekday, zone made numeric
		"2006-01-02T15:04:05Z07:00",  // RFC 3339 with fractional seconds handled by Parse
		"2006-01-02T15:04:05-0700",   // offset without colon
		"2006-01-02T15:04Z07:00",     // no seconds
		"2006-01-02T15:04:05",        // no zone
		"2006-01-02T15:04",           // no zone, no seconds
		"2006-01-02 15:04:05Z07:00",  // space instead of T
		"2006-01-02 15:04:05 -0700",  // SQL-ish with offset
		"2006-01-02 15:04:05 -07:00", // SQL-ish with offset
		"2006-01-02 15:04:05",
		"2006-01-02 15:04",
		"2006-01-02",
		"2006-01",
		"2006/01/02 15:04:05",
		"2006/01/02",
		"20060102T150405Z",
		"20060102",
	}
}

func parseDateSlow(s string) (time.Time, bool) {
	s = normalizeDate(s)
	s, offset, haveOffset := extractZone(s)
	for _, layout := range numericLayouts() {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if haveOffset && !strings.Contains(layout, "07") {
			t = t.Add(-time.Duration(offset) * time.Second)
		}
		return t.UTC(), true
	}
	return time.Time{}, false
}

// normalizeDate removes a leading weekday ("Mon, ", "Monday ", "mon,"),
// commas, "at" and the day ordinal suffixes, and collapses spaces, so that a
// short list of layouts covers most real-world variants.
func normalizeDate(s string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
	out := fields[:0]
	for i, f := range fields {
		lf := strings.ToLower(strings.TrimSuffix(f, "."))
		if i == 0 && isWeekday(lf) {
			continue
		}
		if lf == "at" {
			continue
		}
		if len(f) >= 3 && f[0] >= '0' && f[0] <= '9' {
			for _, suf := range []string{"st", "nd", "rd", "th"} {
				if strings.HasSuffix(lf, suf) && allDigits(f[:len(f)-2]) {
					f = f[:len(f)-2]
					break
				}
			}
		}
		out = append(out, f)
	}
	return strings.Join(out, " ")
}

func isWeekday(s string) bool {
	switch s {
	case "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday":
		return true
	}
	return false
}

func allDigits(s string) bool {
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

// extractZone finds a named zone token ("GMT", "EST", "UT", "Z") in a
// space-separated date, removes it and returns its offset in seconds.
// "GMT+0100"/"UTC-05:00" tokens are turned into plain numeric offsets.
func extractZone(s string) (string, int, bool) {
	fields := strings.Fields(s)
	for i, f := range fields {
		up := strings.ToUpper(f)
		if off, ok := zoneOffset(strings.Trim(up, "()")); ok && i > 0 {
			fields = append(fields[:i], fields[i+1:]...)
			return strings.Join(fields, " "), off, true
		}
		for _, p := range []string{"GMT", "UTC", "UT"} {
			if strings.HasPrefix(up, p) && len(up) > len(p) && (up[len(p)] == '+' || up[len(p)] == '-') {
				fields[i] = f[len(p):]
				return strings.Join(fields, " "), 0, false
			}
		}
	}
	return s, 0, false
}

// zoneOffset maps the zone abbreviations seen in feed dates to offsets in
// seconds. Ambiguous ones (CST, IST, BST) take the reading that dominates
// English-language feeds.
func zoneOffset(name string) (int, bool) {
	const h = 3600
	switch name {
	case "UT", "UTC", "GMT", "Z", "WET":
		return 0, true
	case "EST":
		return -5 * h, true
	case "EDT":
		return -4 * h, true
	case "CST":
		return -6 * h, true
	case "CDT":
		return -5 * h, true
	case "MST":
		return -7 * h, true
	case "MDT":
		return -6 * h, true
	case "PST":
		return -8 * h, true
	case "PDT":
		return -7 * h, true
	case "AKST":
		return -9 * h, true
	case "AKDT":
		return -8 * h, true
	case "HST":
		return -10 * h, true
	case "BST", "CET", "WEST", "MET", "MEZ", "WAT":
		return 1 * h, true
	case "CEST", "EET", "MEST", "MESZ", "SAST", "CAT":
		return 2 * h, true
	case "EAT":
		return 3 * h, true
	case "AST":
		return -4 * h, true
	case "ADT", "BRT", "ART":
		return -3 * h, true
	case "NST":
		return -3*h - 30*60, true
	case "WIB", "ICT":
		return 7 * h, true
	case "HKT", "SGT", "AWST", "PHT", "CST8":
		return 8 * h, true
	case "ACST":
		return 9*h + 30*60, true
	case "ACDT":
		return 10*h + 30*60, true
	case "EEST", "MSK":
		return 3 * h, true
	case "IST":
		return 5*h + 30*60, true
	case "JST", "KST":
		return 9 * h, true
	case "AEST":
		return 10 * h, true
	case "AEDT":
		return 11 * h, true
	case "NZST":
		return 12 * h, true
	case "NZDT":
		return 13 * h, true
	}
	return 0, false
}
