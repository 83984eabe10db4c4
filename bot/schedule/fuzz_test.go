package schedule

import (
	"strings"
	"testing"
	"time"
)

// checkFuzzError checks a parse error in a fuzz target: one line, short,
// saying what to type.
func checkFuzzError(t *testing.T, in string, err error) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, "type ") {
		t.Fatalf("parse(%q) error %q is not one line saying what to type", in, msg)
	}
	if len(msg) > 400 {
		t.Fatalf("parse(%q) error is %d bytes long", in, len(msg))
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"07:30", "7", "23:59", "24:00", "7:5", "", ":", "1:2:3", "٠٧"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClock(s)
		if err != nil {
			checkFuzzError(t, s, err)
			return
		}
		if !c.Valid() {
			t.Fatalf("ParseClock(%q) = %d, out of range", s, int(c))
		}
		if back, err := ParseClock(c.String()); err != nil || back != c {
			t.Fatalf("ParseClock(%q) = %v, %v; want %v", c.String(), back, err, c)
		}
	})
}

func FuzzParseQuiet(f *testing.F) {
	for _, s := range []string{"22:00-07:00", "22-7", "off", "OFF", "13:00 - 14:00", "22:00–07:00",
		"22:00—07:00", "22:00-22:00", "-", "22:00-", "24-1", "\x00-\xff", "1-2-3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuiet(s)
		if err != nil {
			checkFuzzError(t, s, err)
			return
		}
		if q.On && (!q.Start.Valid() || !q.End.Valid() || q.Start == q.End) {
			t.Fatalf("ParseQuiet(%q) = %+v, invalid", s, q)
		}
		if !q.On && q != (Quiet{}) {
			t.Fatalf("ParseQuiet(%q) = %+v, off but not zero", s, q)
		}
		if back, err := ParseQuiet(q.String()); err != nil || back != q {
			t.Fatalf("ParseQuiet(%q) = %+v, %v; want %+v", q.String(), back, err, q)
		}
	})
}

func FuzzParseDigest(f *testing.F) {
	for _, s := range []string{"off", "hourly", "daily 08:00", "daily 8", "Daily at 7:05", "daily",
		"weekly", "hourly 5", "daily 8 pm", "\u00a0daily\u00a08"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDigest(s)
		if err != nil {
			checkFuzzError(t, s, err)
			return
		}
		if d.Mode > Daily || !d.At.Valid() || (d.Mode != Daily && d.At != 0) {
			t.Fatalf("ParseDigest(%q) = %+v, invalid", s, d)
		}
		if back, err := ParseDigest(d.String()); err != nil || back != d {
			t.Fatalf("ParseDigest(%q) = %+v, %v; want %+v", d.String(), back, err, d)
		}
	})
}

func FuzzParseTimezone(f *testing.F) {
	for _, s := range []string{"Europe/Berlin", "europe/berlin", "America/New York", "UTC", "Local", "",
		"UTC+2", "+05:30", "+0545", "UTC\u22129:30", "GMT+0", "Etc/GMT-14", "berlin", "../etc/passwd",
		"UTC+15", "UTC+5:75", "Asia/Calcutta"} {
		f.Add(s)
	}
	probes := []time.Time{
		time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC),
		time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC),
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := ParseTimezone(s)
		if err != nil {
			checkFuzzError(t, s, err)
			return
		}
		if loc == nil || loc == time.Local {
			t.Fatalf("ParseTimezone(%q) = %v", s, loc)
		}
		back, err := ParseTimezone(loc.String())
		if err != nil || back.String() != loc.String() {
			t.Fatalf("ParseTimezone(%q) = %v, %v; want %q", loc.String(), back, err, loc.String())
		}
		for _, p := range probes {
			_, want := p.In(loc).Zone()
			if _, got := p.In(back).Zone(); got != want {
				t.Fatalf("ParseTimezone(%q) offset at %s = %d, want %d", loc.String(), p, got, want)
			}
		}
	})
}

// FuzzRelease checks Release's guarantees for arbitrary settings and
// instants (1900-2100) in the test zones.
func FuzzRelease(f *testing.F) {
	f.Add(int64(1774746600), uint8(1), uint16(1320), uint16(420), true, uint8(2), uint16(150))
	f.Add(int64(1792889400), uint8(1), uint16(60), uint16(150), true, uint8(1), uint16(0))
	f.Add(int64(1791041400), uint8(4), uint16(1380), uint16(135), true, uint8(2), uint16(105))
	f.Add(int64(1790431200), uint8(5), uint16(120), uint16(210), true, uint8(2), uint16(180))
	f.Add(int64(1325239200), uint8(8), uint16(0), uint16(0), false, uint8(2), uint16(480))
	f.Fuzz(func(t *testing.T, sec int64, zone uint8, qs, qe uint16, qon bool, mode uint8, at uint16) {
		const lo, span = -2208988800, 6311433600 // 1900-01-01, 200 years
		sec = lo + (sec%span+span)%span
		loc := mustLoad(t, testZones[int(zone)%len(testZones)])
		q := Quiet{Start: Clock(qs % MinutesPerDay), End: Clock(qe % MinutesPerDay), On: qon}
		d := Digest{Mode: Mode(mode % 4), At: Clock(at % MinutesPerDay)}
		tt := time.Unix(sec, 0).In(loc)
		r := Release(tt, loc, q, d)
		if r.Before(tt) || InQuiet(r, loc, q) || !Release(r, loc, q, d).Equal(r) {
			t.Fatalf("Release(%s, %s, %s) = %s breaks a guarantee", local(tt, loc), q, d, local(r, loc))
		}
		if !q.holds() && !d.holds() && !r.Equal(tt) {
			t.Fatalf("Release(%s) = %s with nothing holding", local(tt, loc), local(r, loc))
		}
	})
}
