package schedule

import (
	"testing"
	"time"
)

// BenchmarkRelease measures one delivery decision, the work a delivery loop
// does per pending alert.
func BenchmarkRelease(b *testing.B) {
	cases := []struct {
		name, zone, quiet, digest, at string
	}{
		{"nothing_holds", "Europe/Berlin", "off", "off", "2026-06-01 12:00 +0200"},
		{"quiet_only_outside", "Europe/Berlin", "22:00-07:00", "off", "2026-06-01 12:00 +0200"},
		{"quiet_only_inside", "Europe/Berlin", "22:00-07:00", "off", "2026-06-01 23:00 +0200"},
		{"quiet_hourly", "Europe/Berlin", "22:00-07:00", "hourly", "2026-06-01 12:10 +0200"},
		{"quiet_daily_dst_night", "Europe/Berlin", "22:00-07:00", "daily 02:30", "2026-10-25 02:10 +0100"},
		{"chatham_quiet_daily", "Pacific/Chatham", "02:00-03:30", "daily 03:00", "2026-09-27 01:00 +1245"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			loc := mustLoad(b, c.zone)
			q, d := mustQuiet(b, c.quiet), mustDigest(b, c.digest)
			at := ts(b, c.at)
			var sink time.Time
			for b.Loop() {
				sink = Release(at, loc, q, d)
			}
			_ = sink
		})
	}
}

// BenchmarkParseTimezone measures the /timezone command's parse: a
// case-insensitive name late in the list, an exact name, and an offset.
func BenchmarkParseTimezone(b *testing.B) {
	for _, in := range []string{"pacific/chatham", "Europe/Berlin", "UTC+5:30"} {
		b.Run(in, func(b *testing.B) {
			for b.Loop() {
				if _, err := ParseTimezone(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
